//! The floor for whole-tool comparisons (benches/compare.sh): the least any reader of these
//! files' text must do — open each zip and inflate its XML parts (names ending in `.xml`,
//! `.rels` or `.vml`: the parts the scan parses, and the ones it inflates to check them),
//! with the same zip crate and thread count as o365lint, and nothing else. Images and other
//! binary parts are not inflated. Not part of the tool.
//!
//! Usage: floor DIR [THREADS] [--every-part]. Reads files ending in .docx or .xlsx below
//! DIR and prints files, parts, and inflated bytes. `--every-part` inflates every part,
//! images included: the floor of the figures before issue 23, kept to compare with them.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

/// Whether the scan reads a part of this name as XML (`Package::verify_xml_parts` in
/// src/read/container/zip.rs inflates every such part it did not parse).
fn is_xml(name: &str) -> bool {
    let name = name.as_bytes();
    [&b".xml"[..], b".rels", b".vml"]
        .iter()
        .any(|e| name.len() >= e.len() && name[name.len() - e.len()..].eq_ignore_ascii_case(e))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let every = args.iter().any(|a| a == "--every-part");
    let mut args = args.into_iter().filter(|a| a != "--every-part");
    let dir = PathBuf::from(
        args.next()
            .expect("usage: floor DIR [THREADS] [--every-part]"),
    );
    let threads: usize = args.next().map_or(0, |t| t.parse().expect("threads"));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("thread pool");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("docx") || e.eq_ignore_ascii_case("xlsx"))
        })
        .collect();
    let (parts, bytes) = (AtomicU64::new(0), AtomicU64::new(0));
    files.par_iter().for_each(|path| {
        let Ok(file) = std::fs::File::open(path) else {
            return;
        };
        let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
            return;
        };
        let mut buf = Vec::new();
        for i in 0..zip.len() {
            if !every
                && !zip
                    .name_for_index(i)
                    .and_then(Result::ok)
                    .is_some_and(|n| is_xml(&n))
            {
                continue;
            }
            let Ok(mut entry) = zip.by_index(i) else {
                continue;
            };
            buf.clear();
            if entry.read_to_end(&mut buf).is_ok() {
                parts.fetch_add(1, Ordering::Relaxed);
                bytes.fetch_add(buf.len() as u64, Ordering::Relaxed);
            }
        }
    });
    println!(
        "{} files, {} parts, {} bytes inflated",
        files.len(),
        parts.into_inner(),
        bytes.into_inner()
    );
}
