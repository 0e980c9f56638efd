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

use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::time::Instant;

use o365lint::engine::Engine;

/// The parts the floor inflates: what the scan reads as XML (see benches/floor.rs).
fn is_xml(name: &str) -> bool {
    let name = name.as_bytes();
    [&b".xml"[..], b".rels", b".vml"]
        .iter()
        .any(|e| name.len() >= e.len() && name[name.len() - e.len()..].eq_ignore_ascii_case(e))
}

fn floor(bytes: &[u8]) {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return;
    };
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        if !zip
            .name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|n| is_xml(&n))
        {
            continue;
        }
        if let Ok(mut entry) = zip.by_index(i) {
            buf.clear();
            let _ = entry.read_to_end(&mut buf);
        }
    }
}

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
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
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
    files.sort();
    let engine = Engine::built_in();
    let mut rows = Vec::new();
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // Once untimed: what the engine compiles when a text first needs it.
        engine.check_bytes(&name, &bytes);
        let scan = fastest(runs, || drop(engine.check_bytes(&name, &bytes)));
        let floor = fastest(runs, || floor(&bytes));
        let shown = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
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
