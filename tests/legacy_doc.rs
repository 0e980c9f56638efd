//! Word 97–2003 documents (.doc): the text of every story at its location, from files
//! LibreOffice wrote (tests/data/legacy/make.sh), damaged copies of them, and the corpus
//! against LibreOffice's own text export.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use o365lint::model::{Checked, Kind};
use o365lint::read::container::Limits;
use o365lint::read::document::{self, Document};
use o365lint::read::text::Batch;

#[derive(Debug, PartialEq)]
struct Row {
    part: String,
    place: String,
    kind: String,
    flags: Vec<&'static str>,
    text: String,
}

fn read(bytes: &[u8]) -> (Result<Document, o365lint::read::error::Error>, Vec<Row>) {
    read_named(bytes, "a.doc")
}

fn read_named(
    bytes: &[u8],
    name: &str,
) -> (Result<Document, o365lint::read::error::Error>, Vec<Row>) {
    let mut rows = Vec::new();
    let mut sink = |b: &Batch| {
        for p in b.pieces {
            let loc = p.location(b, 0, p.text.len());
            rows.push(Row {
                part: loc.part.to_string(),
                place: loc.place,
                kind: loc.kind.to_string(),
                flags: loc.flags.names().collect(),
                text: p.text.to_string(),
            });
        }
    };
    let doc = document::read_text(
        Cursor::new(bytes),
        Some(name),
        &Limits::default(),
        &mut sink,
    );
    (doc, rows)
}

fn data(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/legacy/doc")
        .join(name);
    std::fs::read(path).expect("test document")
}

#[test]
fn every_story_at_its_place() {
    let (doc, rows) = read(&data("stories.doc"));
    let doc = doc.expect("readable");
    assert_eq!(doc.coverage(), (Checked::Full, vec![]), "{:?}", doc.notes);
    let got: Vec<(&str, &str, Vec<&str>, &str)> = rows
        .iter()
        .filter(|r| r.part == "WordDocument")
        .map(|r| {
            (
                r.place.as_str(),
                r.kind.as_str(),
                r.flags.clone(),
                r.text.as_str(),
            )
        })
        .collect();
    let want: Vec<(&str, &str, Vec<&str>, &str)> = vec![
        (
            "avsnitt 1",
            "body",
            vec![],
            "Første avsnitt med fødselsnummer 15108695088.",
        ),
        ("avsnitt 2", "body", vec![], "Andre avsnitt og sluttnote."),
        ("tabell 1, rad 1, kolonne 1", "table", vec![], "Navn"),
        (
            "tabell 1, rad 1, kolonne 2",
            "table",
            vec![],
            "Fødselsnummer",
        ),
        ("tabell 1, rad 2, kolonne 1", "table", vec![], "Ola"),
        ("tabell 1, rad 2, kolonne 2", "table", vec![], "18061592527"),
        ("avsnitt 3", "body", vec![], "Kommentert tekst."),
        ("avsnitt 4", "body", vec![], "Synlig  slutt."),
        ("avsnitt 4", "hidden", vec!["hidden"], "skjult 29020075838"),
        // The whole paragraph's location: it holds an insertion (see the next test).
        (
            "avsnitt 5",
            "tracked-insertion",
            vec!["tracked-insertion"],
            "Endret: beholdt satt inn 15021951940.",
        ),
        (
            "avsnitt 5",
            "tracked-deletion",
            vec!["tracked-deletion"],
            "Slettet 29029648784",
        ),
        ("avsnitt 6", "body", vec![], "Felt: 1 side."),
        ("avsnitt 6", "field-code", vec![], " PAGE "),
        ("avsnitt 7", "body", vec![], "Etter rammen."),
        ("fotnote 1", "footnote", vec![], "Fotnote 10048745526"),
        (
            "topptekst 1, avsnitt 1",
            "header",
            vec![],
            "INTERN Topptekst 26111593816",
        ),
        (
            "bunntekst 1, avsnitt 1",
            "footer",
            vec![],
            "Bunntekst 13097248022",
        ),
        (
            "kommentar 1, forfatter",
            "metadata",
            vec!["metadata"],
            "Per Hansen",
        ),
        (
            "kommentar 1",
            "comment",
            vec!["comment"],
            "Kommentar 23114038547",
        ),
        ("sluttnote 1", "endnote", vec![], "Sluttnote 11111598403"),
        (
            "tekstboks 1, avsnitt 1",
            "text-box",
            vec![],
            "Tekstboks 13097248022",
        ),
    ];
    assert_eq!(got, want);
}

#[test]
fn tracked_insertion_is_marked_inside_its_paragraph() {
    let mut pieces = Vec::new();
    let mut sink = |b: &Batch| pieces.extend(b.pieces.iter().cloned());
    document::read_text(
        Cursor::new(data("stories.doc")),
        Some("a.doc"),
        &Limits::default(),
        &mut sink,
    )
    .expect("readable");
    let p = pieces
        .iter()
        .find(|p| p.text.starts_with("Endret"))
        .expect("paragraph 5");
    let s = p.text.find("satt inn").expect("inserted text");
    assert_eq!(p.flags_at(0, 7).names().count(), 0);
    assert_eq!(
        p.flags_at(s, s + 8).names().collect::<Vec<_>>(),
        ["tracked-insertion"]
    );
    assert_eq!(p.kind, Kind::Body);
}

/// Damaged copies (bytes overwritten all through the file) read to a result or an error,
/// never a panic or a hang.
#[test]
fn damage_gives_a_partial_result_not_a_panic() {
    let good = data("stories.doc");
    let start = std::time::Instant::now();
    let mut damaged = 0;
    for at in (0..good.len()).step_by(7) {
        for v in [0x00, 0xFF, 0x7F] {
            let mut bad = good.clone();
            bad[at] = v;
            if let (Ok(doc), _) = read(&bad) {
                damaged += usize::from(doc.damage.is_some());
            }
        }
    }
    assert!(damaged > 0, "no damage was noticed");
    assert!(
        start.elapsed().as_secs() < 120,
        "too slow: {:?}",
        start.elapsed()
    );
}

#[test]
fn a_cut_table_stream_names_the_stream() {
    // The piece table's offset (fcClx, FIB byte 0x1A2) pointed past the table stream.
    let mut bad = data("stories.doc");
    let fib = find(&bad, &[0xEC, 0xA5]).expect("FIB");
    bad[fib + 0x1A2..fib + 0x1A6].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    let (doc, _) = read(&bad);
    let damage = doc.expect("labels still read").damage.expect("damage");
    assert!(
        damage.to_string().contains("WordDocument (1Table)")
            || damage.to_string().contains("WordDocument (0Table)"),
        "{damage}"
    );
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn corpus_docs() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!("SKIPPED: ../shared/corpus is absent; the .doc corpus test did not run");
        return None;
    }
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("doc") || x.eq_ignore_ascii_case("dot"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    Some(out)
}

/// The words of a text, counted.
fn words(text: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *m.entry(w.to_lowercase()).or_default() += 1;
    }
    m
}

/// Every .doc of the corpus gets text or a clear reason; the text of the first 50 is
/// compared with LibreOffice's text export: the share of its words found here.
#[test]
fn corpus_against_libreoffice() {
    let Some(docs) = corpus_docs() else { return };
    assert!(!docs.is_empty(), "no .doc in the corpus");
    let mut read_whole = Vec::new();
    for path in &docs {
        let bytes = std::fs::read(path).expect("corpus file");
        let start = std::time::Instant::now();
        let (doc, rows) = read(&bytes);
        assert!(start.elapsed().as_secs() < 30, "{}: slow", path.display());
        match doc {
            Ok(doc) => match doc.coverage() {
                (Checked::Full, _) => read_whole.push((path.clone(), rows)),
                (_, why) => {
                    let notes: Vec<String> = doc.notes.iter().map(|n| n.to_string()).collect();
                    let reason = doc
                        .damage
                        .as_ref()
                        .map(|d| d.to_string())
                        .or(notes.first().cloned());
                    assert!(
                        reason.is_some(),
                        "{}: not read and no reason ({why:?})",
                        path.display()
                    );
                    eprintln!(
                        "{}: {why:?}: {}",
                        path.display(),
                        reason.unwrap_or_default()
                    );
                }
            },
            Err(e) => eprintln!("{}: {e}", path.display()),
        }
    }
    let Some(soffice) = which("soffice") else {
        if std::env::var_os("O365LINT_REQUIRE_TOOLS").is_some() {
            panic!("soffice is required (O365LINT_REQUIRE_TOOLS) for the .doc comparison");
        }
        eprintln!("SKIPPED: soffice is not installed; .doc text not compared with LibreOffice");
        return;
    };
    read_whole.truncate(50);
    let out = std::env::temp_dir().join(format!("o365lint-doc-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("temp dir");
    // A profile of its own: a user's running LibreOffice would take the request over.
    let profile = format!("-env:UserInstallation=file://{}/profile", out.display());
    let status = Command::new(soffice)
        .args([
            "--headless",
            &profile,
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
        ])
        .arg(&out)
        .args(read_whole.iter().map(|(p, _)| p))
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "soffice failed: {status:?}");
    let (mut found, mut total) = (0usize, 0usize);
    for (path, rows) in &read_whole {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let Ok(theirs) = std::fs::read_to_string(out.join(format!("{stem}.txt"))) else {
            panic!("{}: LibreOffice gave no text", path.display());
        };
        let ours: String = rows
            .iter()
            .filter(|r| r.part.ends_with("WordDocument"))
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let ours = words(&ours);
        let (mut f, mut t) = (0, 0);
        for (w, n) in words(&theirs) {
            t += n;
            f += n.min(ours.get(&w).copied().unwrap_or(0));
        }
        eprintln!("{}: {f} of LibreOffice's {t} words", path.display());
        found += f;
        total += t;
    }
    let _ = std::fs::remove_dir_all(&out);
    let rate = found as f64 / total.max(1) as f64;
    println!(
        ".doc word agreement with LibreOffice: {:.2} % of {total} words in {} files",
        rate * 100.0,
        read_whole.len()
    );
    assert!(rate >= 0.99, "agreement {:.2} % < 99 %", rate * 100.0);
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
}

/// The marking rules read a .doc's headers: a header saying more than the label is MRK-02,
/// one saying the label is not (the file says Intern in its custom properties).
#[test]
fn marking_in_a_doc_header_is_checked() {
    let engine = o365lint::engine::Engine::built_in();
    let rules = |name: &str| -> Vec<String> {
        let r = engine.check_bytes(name, &data(name));
        assert_eq!(
            r.label.as_ref().and_then(|l| l.name.as_deref()),
            Some("Intern"),
            "{name}"
        );
        r.findings.iter().map(|f| f.rule.clone()).collect()
    };
    assert!(rules("marked-strengt-beskyttet.doc").contains(&"MRK-02".to_string()));
    assert!(!rules("marked-intern.doc").contains(&"MRK-02".to_string()));
}

/// A .doc embedded in a .docx is read like the .docx's own text, flagged as embedded; an
/// embedded Word 6/95 document leaves the container partly checked, with the reason.
#[test]
fn an_embedded_doc_is_read_and_a_word95_one_is_counted() {
    use o365lint::fixture::Ooxml;
    use o365lint::model::Unchecked;
    let docx = |inner: Vec<u8>| {
        Ooxml::new(o365lint::model::Format::Docx)
            .part("word/embeddings/oleObject1.bin", inner)
            .build()
    };
    let (doc, rows) = read(&docx(data("stories.doc")));
    assert_eq!(doc.expect("readable").coverage(), (Checked::Full, vec![]));
    let r = rows
        .iter()
        .find(|r| r.text == "Fotnote 10048745526")
        .expect("embedded footnote");
    assert!(
        r.part.starts_with("word/embeddings/oleObject1.bin"),
        "{r:?}"
    );
    assert!(r.flags.contains(&"embedded"), "{r:?}");

    let mut old = data("stories.doc");
    let fib = find(&old, &[0xEC, 0xA5]).expect("FIB");
    old[fib..fib + 4].copy_from_slice(&[0xDC, 0xA5, 0x65, 0x00]);
    let (doc, _) = read(&docx(old));
    assert_eq!(
        doc.expect("readable").coverage(),
        (Checked::Partly, vec![Unchecked::FormatNotRead])
    );
}

/// `into` with `from`'s root streams and storages copied under the storage `at`.
fn with_storage(into: &[u8], at: &str, from: &[u8]) -> Vec<u8> {
    let mut src = cfb::CompoundFile::open(Cursor::new(from.to_vec())).unwrap();
    let mut dst = cfb::CompoundFile::open(Cursor::new(into.to_vec())).unwrap();
    let entries: Vec<(PathBuf, bool)> = src
        .walk()
        .map(|e| (e.path().to_path_buf(), e.is_stream()))
        .collect();
    dst.create_storage_all(at).unwrap();
    for (path, stream) in entries {
        let to = Path::new(at).join(path.strip_prefix("/").unwrap());
        if to == Path::new(at) {
            continue;
        }
        if stream {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut src.open_stream(&path).unwrap(), &mut bytes).unwrap();
            std::io::Write::write_all(&mut dst.create_stream(&to).unwrap(), &bytes).unwrap();
        } else {
            dst.create_storage(&to).unwrap();
        }
    }
    dst.flush().unwrap();
    dst.into_inner().into_inner()
}

#[test]
fn objects_a_doc_or_an_xls_keeps_in_its_own_storages_are_read() {
    let xls = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/legacy/xls")
                .join(name),
        )
        .unwrap()
    };
    // A workbook in a .doc's ObjectPool: its cells are read, as embedded.
    let doc = with_storage(
        &data("stories.doc"),
        "/ObjectPool/_1207591883",
        &xls("places.xls"),
    );
    let (read_doc, rows) = read(&doc);
    assert_eq!(
        read_doc.expect("readable").coverage(),
        (Checked::Full, vec![])
    );
    let inside: Vec<&Row> = rows
        .iter()
        .filter(|r| r.part.starts_with("ObjectPool\\_1207591883!/Workbook"))
        .collect();
    assert!(!inside.is_empty(), "{rows:#?}");
    assert!(
        inside.iter().all(|r| r.flags.contains(&"embedded")),
        "{inside:?}"
    );
    // The .doc's own text is there as before.
    assert!(rows.iter().any(|r| r.text == "Fotnote 10048745526"));

    // A document in a workbook's MBD storage: its footnote is read.
    let xls_with_doc = with_storage(&xls("places.xls"), "/MBD0001A2B3", &data("stories.doc"));
    let (read_xls, rows) = read_named(&xls_with_doc, "a.xls");
    assert_eq!(
        read_xls.expect("readable").coverage(),
        (Checked::Full, vec![])
    );
    let r = rows
        .iter()
        .find(|r| r.text == "Fotnote 10048745526")
        .expect("the embedded document's footnote");
    assert!(r.part.starts_with("MBD0001A2B3!/"), "{r:?}");
}
