//! The floor for whole-tool comparisons (benches/compare.sh): the least any reader of these
//! files must do — open each zip and inflate every part, with the same zip crate and thread
//! count as o365lint, and nothing else. Not part of the tool.
//!
//! Usage: floor DIR [THREADS]. Reads files ending in .docx or .xlsx below DIR and prints
//! files, parts, and inflated bytes.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: floor DIR [THREADS]"));
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
