//! Each file alone against its floor, in one process (issue 23: "no file of the corpus above
//! 3× alone"): for every .docx and .xlsx below DIR, read into memory once, the fastest of
//! RUNS timings of the scan's whole work on it (`Engine::check_bytes`: labels, text of
//! every part, detection, rules, masking) against the fastest of RUNS timings of the floor
//! (open the zip and inflate its XML parts, as benches/floor.rs does), one thread. Process
//! start and the engine's one-time work (regular expressions compiled when first needed)
//! are left out: a file alone from the command line is mostly those. Not part of the tool.
//!
//! Usage: per_file DIR [RUNS=5] [TOP=15]. Prints the distribution of the ratios and the files
//! with the highest.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::Instant;

use o365lint::engine::Engine;

#[path = "office_files.rs"]
mod office_files;

/// The fastest of `runs` timings of `f`, in seconds.
fn fastest(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: per_file DIR [RUNS] [TOP]"));
    let runs: usize = args.next().map_or(5, |r| r.parse().expect("runs"));
    let top: usize = args.next().map_or(15, |t| t.parse().expect("top"));
    let files = office_files::office_files(&dir);
    let engine = Engine::built_in();
    // One thread: a large file's detection would otherwise take a second (engine/handoff.rs).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread");
    pool.install(|| each_file(&dir, &files, &engine, runs, top));
}

fn each_file(dir: &std::path::Path, files: &[PathBuf], engine: &Engine, runs: usize, top: usize) {
    let mut rows = Vec::new();
    for path in files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // Once untimed: what the engine compiles when a text first needs it.
        engine.check_bytes(&name, &bytes);
        let scan = fastest(runs, || drop(engine.check_bytes(&name, &bytes)));
        let floor = fastest(runs, || {
            let _ = office_files::inflate_parts(Cursor::new(&bytes), false);
        });
        let shown = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        rows.push((scan / floor, scan, floor, bytes.len(), shown));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let at = |q: f64| rows[((rows.len() - 1) as f64 * q).round() as usize].0;
    let (scan, floor): (f64, f64) = rows.iter().fold((0.0, 0.0), |(s, f), r| (s + r.1, f + r.2));
    println!(
        "{} files, fastest of {runs} runs each, one thread: scan {:.3} s, floor {:.3} s in all ({:.2}×)",
        rows.len(),
        scan,
        floor,
        scan / floor
    );
    println!(
        "scan / floor per file: median {:.2}×, 90th percentile {:.2}×, 99th {:.2}×, highest {:.2}×; above 3×: {} files",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
        rows.iter().filter(|r| r.0 > 3.0).count()
    );
    println!(
        "{:>7} {:>9} {:>9} {:>9}  file",
        "ratio", "scan ms", "floor ms", "KB"
    );
    for (ratio, scan, floor, len, shown) in rows.iter().rev().take(top) {
        println!(
            "{ratio:>6.2}× {:>9.3} {:>9.3} {:>9.1}  {shown}",
            scan * 1e3,
            floor * 1e3,
            *len as f64 / 1e3
        );
    }
}
