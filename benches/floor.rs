//! The floor for whole-tool comparisons (benches/compare.sh): the least any reader of these
//! files' text must do — open each zip and inflate its XML parts (names ending in `.xml`,
//! `.rels` or `.vml`: the parts the scan parses, and the ones it inflates to check them),
//! with the same zip crate and thread count as o365lint, and nothing else. Images and other
//! binary parts are not inflated. Not part of the tool.
//!
//! Usage: floor DIR [THREADS] [--every-part]. Reads files ending in .docx or .xlsx below
//! DIR and prints files, parts, and inflated bytes. `--every-part` inflates every part,
//! images included: the floor of the figures before issue 23, kept to compare with them.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

#[path = "office_files.rs"]
mod office_files;

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
    let files = office_files::office_files(&dir);
    let (parts, bytes) = (AtomicU64::new(0), AtomicU64::new(0));
    files.par_iter().for_each(|path| {
        let Ok(file) = std::fs::File::open(path) else {
            return;
        };
        let (p, b) = office_files::inflate_parts(std::io::BufReader::new(file), every);
        parts.fetch_add(p, Ordering::Relaxed);
        bytes.fetch_add(b, Ordering::Relaxed);
    });
    println!(
        "{} files, {} parts, {} bytes inflated",
        files.len(),
        parts.into_inner(),
        bytes.into_inner()
    );
}
