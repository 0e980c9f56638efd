//! The floor for the legacy formats (benches/legacy.sh): the least any reader of their
//! text must do, with the same thread count as o365lint and nothing else. Not part of the
//! tool.
//!
//! - .doc and .ppt: open the compound file with the `cfb` crate and read the streams the
//!   scan reads — the two property set streams (labels and document properties), then
//!   `WordDocument` and the table stream its FIB names (`0Table` or `1Table`), or
//!   `Current User` and `PowerPoint Document`. Nothing is parsed.
//! - .xls: the property set streams as above, then calamine's own reading of every sheet's
//!   cells (`Xls::new` and `worksheet_range` for each sheet) on the same file.
//! - .xlsb: calamine's own reading of every sheet's cells (`Xlsb::new`, `worksheet_range`).
//!
//! Usage: floor_legacy DIR [THREADS]. Reads files ending in .doc, .xls, .xlsb or .ppt below
//! DIR and prints files, bytes read from streams and cells read.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use calamine::{Reader, Xls, Xlsb};
use rayon::prelude::*;

#[path = "office_files.rs"]
mod office_files;

const KINDS: [&str; 4] = ["doc", "xls", "xlsb", "ppt"];

/// Bytes of streams read, cells read.
#[derive(Default)]
struct Tally {
    bytes: u64,
    cells: u64,
}

/// A stream read whole (empty if it is not there), in a buffer of its own: a reader holds
/// a document's streams together (the FIB's structures point into the table stream).
fn stream<F: Read + Seek>(cf: &mut cfb::CompoundFile<F>, name: &str) -> Vec<u8> {
    let mut buf = Vec::new();
    if cf.is_stream(name)
        && let Ok(mut s) = cf.open_stream(name)
    {
        let _ = s.read_to_end(&mut buf);
    }
    buf
}

fn properties<F: Read + Seek>(cf: &mut cfb::CompoundFile<F>) -> u64 {
    ["\u{5}SummaryInformation", "\u{5}DocumentSummaryInformation"]
        .iter()
        .map(|name| stream(cf, name).len() as u64)
        .sum()
}

fn read(path: &Path, kind: &str) -> Tally {
    let mut t = Tally::default();
    let Ok(file) = File::open(path) else {
        return t;
    };
    if kind == "xlsb" {
        if let Ok(mut book) = Xlsb::new(BufReader::new(file)) {
            cells(&mut book, &mut t);
        }
        return t;
    }
    let Ok(mut cf) = cfb::CompoundFile::open(file) else {
        return t;
    };
    t.bytes += properties(&mut cf);
    match kind {
        "doc" => {
            let word = stream(&mut cf, "WordDocument");
            // The FIB's fWhichTblStm ([MS-DOC] 2.5.2, bit 9 of the flags at 0x000A).
            let one = word.get(0x0B).is_some_and(|b| b & 0x02 != 0);
            let table = stream(&mut cf, if one { "1Table" } else { "0Table" });
            t.bytes += (word.len() + table.len()) as u64;
        }
        "ppt" => {
            let user = stream(&mut cf, "Current User");
            let document = stream(&mut cf, "PowerPoint Document");
            t.bytes += (user.len() + document.len()) as u64;
        }
        _ => {
            let mut file = cf.into_inner();
            if file.rewind().is_ok()
                && let Ok(mut book) = Xls::new(file)
            {
                cells(&mut book, &mut t);
            }
        }
    }
    t
}

/// Every sheet's cells as calamine reads them.
fn cells<R: Read + Seek, B: Reader<R>>(book: &mut B, t: &mut Tally) {
    for name in book.sheet_names() {
        if let Ok(range) = book.worksheet_range(&name) {
            t.cells += range.used_cells().count() as u64;
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: floor_legacy DIR [THREADS]"));
    let threads: usize = args.next().map_or(0, |t| t.parse().expect("threads"));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("thread pool");
    let files = office_files::files_of(&dir, &KINDS);
    let (bytes, cells) = (AtomicU64::new(0), AtomicU64::new(0));
    files.par_iter().for_each(|(path, kind)| {
        let t = read(path, kind);
        bytes.fetch_add(t.bytes, Ordering::Relaxed);
        cells.fetch_add(t.cells, Ordering::Relaxed);
    });
    println!(
        "{} files, {} bytes of streams, {} cells",
        files.len(),
        bytes.into_inner(),
        cells.into_inner()
    );
}
