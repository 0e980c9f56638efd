//! What the bench programs share (each includes this file with `#[path]`): the files they
//! read, and the floor's work on one file. Not part of the tool.

// Not every program uses every function.
#![allow(dead_code)]

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

// The parts the scan reads as XML: the floor inflates those, nothing else.
use o365lint::read::container::zip::is_xml_part;

/// The .docx and .xlsx files below `dir`, sorted by path.
pub fn office_files(dir: &Path) -> Vec<PathBuf> {
    files_of(dir, &["docx", "xlsx"])
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

/// The files below `dir` whose extension is one of `kinds` (any case), sorted by path,
/// each with its kind.
pub fn files_of(dir: &Path, kinds: &[&'static str]) -> Vec<(PathBuf, &'static str)> {
    let mut files: Vec<(PathBuf, &str)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let p = e.into_path();
            let ext = p.extension()?.to_str()?;
            let kind = kinds.iter().find(|k| ext.eq_ignore_ascii_case(k))?;
            Some((p, *kind))
        })
        .collect();
    files.sort();
    files
}

/// The floor's work on one file: open the zip and inflate its XML parts (`every`: every
/// part, images included). Returns the parts and bytes inflated; nothing for a file that
/// is not a zip.
pub fn inflate_parts(file: impl Read + Seek, every: bool) -> (u64, u64) {
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return (0, 0);
    };
    let (mut parts, mut bytes) = (0, 0);
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        if !every
            && !zip
                .name_for_index(i)
                .and_then(Result::ok)
                .is_some_and(|n| is_xml_part(&n))
        {
            continue;
        }
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        buf.clear();
        if entry.read_to_end(&mut buf).is_ok() {
            parts += 1;
            bytes += buf.len() as u64;
        }
    }
    (parts, bytes)
}
