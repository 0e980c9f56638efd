//! Throughput of text extraction and of detection over extracted text, single-threaded:
//! `cargo bench --bench throughput`. On the docx and xlsx files of ../shared/corpus when it
//! is there, and on a generated workbook and document either way. Figures are MB of
//! extracted text per second, median of five runs; see benches/README.md.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::Instant;

use o365lint::detect::Detectors;
use o365lint::fixture::Ooxml;
use o365lint::model::Flags;
use o365lint::model::Format;
use o365lint::read::container::Limits;
use o365lint::read::document;
use o365lint::read::text::{Batch, Piece};

#[path = "office_files.rs"]
mod office_files;

/// A batch held in memory: part, flags, pieces.
type Held = (String, Flags, Vec<Piece>);

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn corpus_files() -> Vec<PathBuf> {
    office_files::office_files(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

fn generated() -> Vec<(String, Vec<u8>)> {
    let mut doc = Ooxml::new(Format::Docx);
    let mut book = Ooxml::new(Format::Xlsx);
    for i in 0..20_000u32 {
        doc = doc.text(&format!(
            "Avsnitt {i}: søknad om kommunal bolig, referanse {i:08}, fødselsnummer 151086 95088, tlf 412 34 567."
        ));
        book = book.text(&format!(
            "Rad {i}: kontonummer 8601.11.17947, beløp {} kr",
            i * 7
        ));
    }
    vec![
        ("generated.docx".into(), doc.build()),
        ("generated.xlsx".into(), book.build()),
    ]
}

fn run(name: &str, docs: &[(String, Vec<u8>)]) {
    let limits = Limits::default();
    let det = Detectors::built_in();
    // Extraction alone: text read and dropped.
    let mut text_bytes = 0u64;
    let mut held: Vec<Vec<Held>> = Vec::new();
    let extract: Vec<f64> = (0..5)
        .map(|round| {
            let start = Instant::now();
            for (_, bytes) in docs {
                let mut keep: Vec<Held> = Vec::new();
                let mut sink = |b: &Batch| {
                    if round == 0 {
                        text_bytes += b.pieces.iter().map(|p| p.text.len() as u64).sum::<u64>();
                        keep.push((b.part.to_string(), b.flags, b.pieces.to_vec()));
                    }
                };
                let _ = document::read_text(Cursor::new(bytes), None, &limits, &mut sink);
                if round == 0 {
                    held.push(keep);
                }
            }
            start.elapsed().as_secs_f64()
        })
        .collect();
    // Detection alone, over the text held in memory.
    let detect: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let mut n = 0;
            for doc in &held {
                let mut scan = det.document();
                for (part, flags, pieces) in doc {
                    scan.batch(&Batch {
                        part,
                        flags: *flags,
                        pieces,
                        passed_over: None,
                    });
                }
                n += scan.finish().detections.len();
            }
            std::hint::black_box(n);
            start.elapsed().as_secs_f64()
        })
        .collect();
    let input: u64 = docs.iter().map(|(_, b)| b.len() as u64).sum();
    let mb = text_bytes as f64 / 1e6;
    let (e, d) = (median(extract), median(detect));
    println!(
        "{name}: {} files, {:.1} MB on disk, {mb:.1} MB of text\n  extraction {:.1} MB/s of text ({:.3} s)\n  detection  {:.1} MB/s of text ({:.3} s)",
        docs.len(),
        input as f64 / 1e6,
        mb / e,
        e,
        mb / d,
        d
    );
}

fn main() {
    run("generated docx + xlsx", &generated());
    let files = corpus_files();
    if files.is_empty() {
        println!("../shared/corpus is absent: corpus figures skipped");
        return;
    }
    // Whole documents only: a file hitting a limit (one repeats a 1 MB string until the
    // 256 MiB text budget is spent) or damaged would measure the limit, not the tool.
    let limits = Limits::default();
    let docs: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(p).ok()?)))
        .filter(|(_, b)| {
            document::read_text(Cursor::new(b), None, &limits, &mut |_: &Batch| {})
                .is_ok_and(|d| d.damage.is_none())
        })
        .collect();
    run("corpus docx + xlsx (readable in full)", &docs);
}
