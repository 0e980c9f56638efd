//! Excel 97–2003 (.xls) and binary workbook (.xlsb) text: a workbook LibreOffice wrote
//! place by place, and the corpus's .xls files read and compared with LibreOffice's own
//! reading (CSV export of every sheet) when `soffice` is installed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use o365lint::model::Checked;
use o365lint::read::container::Limits;
use o365lint::read::document::{self, Document};
use o365lint::read::text::Batch;

/// (place, kind, text, flags) of every piece, in order; and the document.
fn pieces(path: &Path) -> (Vec<(String, String, String, String)>, Document) {
    let mut got = Vec::new();
    let mut sink = |b: &Batch| {
        for p in b.pieces {
            let flags: Vec<&str> = (b.flags | p.flags).names().collect();
            let text = match &p.shown {
                Some(s) => format!("{} (shown {s})", p.text),
                None => p.text.to_string(),
            };
            got.push((
                format!("{}: {}", b.part, p.place_name()),
                p.kind.id().to_string(),
                text,
                flags.join(","),
            ));
        }
    };
    let doc = document::read_file(path, &Limits::default(), &mut sink).unwrap();
    (got, doc)
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/legacy/xls")
        .join(name)
}

#[test]
fn every_place_of_a_workbook_libreoffice_wrote() {
    let (got, doc) = pieces(&data("places.xls"));
    let got: Vec<(String, String, String, String)> = got
        .into_iter()
        .filter(|p| p.0.starts_with("Workbook"))
        .collect();
    let want = [
        ("Workbook: arkfane 1", "sheet-name", "Ark1", "metadata"),
        (
            "Workbook: arkfane 2",
            "sheet-name",
            "Skjult",
            "hidden-sheet,metadata",
        ),
        ("Workbook: Ark1!A1", "cell", "Navn", ""),
        ("Workbook: Ark1!B1", "cell", "Fødselsnummer", ""),
        (
            "Workbook: Ark1!E1",
            "cell",
            "Skjult kolonne 11111598403",
            "hidden-column",
        ),
        ("Workbook: Ark1!A2", "cell", "Kari Nordmann", ""),
        ("Workbook: Ark1!B2", "cell", "15108695088", ""),
        // The formula's cached result, then the formula.
        ("Workbook: Ark1!D2", "cell", "15108695088", ""),
        (
            "Workbook: Ark1!A3",
            "cell",
            "Skjult rad 10048745526",
            "hidden-row",
        ),
        // A fødselsnummer stored as a number: the `00000000000` format gives its zero back.
        (
            "Workbook: Ark1!C4",
            "cell",
            "3111590981 (shown 03111590981)",
            "",
        ),
        ("Workbook: Ark1!D2", "formula", "B2", ""),
        ("Workbook: Ark1, topptekst", "header", "Fortrolig", ""),
        (
            "Workbook: Ark1, bunntekst",
            "footer",
            "Oslo kommune 23114038547",
            "",
        ),
        (
            "Workbook: Ark1!B5",
            "comment",
            "Sjekk 18061592527",
            "comment",
        ),
        (
            "Workbook: Skjult!A1",
            "cell",
            "Hemmelig 26111593816",
            "hidden-sheet",
        ),
    ];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(doc.coverage().0, Checked::Full, "{:?}", doc.notes);
    assert!(doc.damage.is_none());
}

#[test]
fn a_damaged_workbook_gives_a_partial_result_naming_the_stream() {
    let bytes = std::fs::read(data("places.xls")).unwrap();
    // Cut the file inside the Workbook stream's sectors: the OLE reader or the record walk
    // fails, never a panic; labels and properties still read.
    for cut in [bytes.len() / 2, bytes.len() - 600] {
        let mut sink = |_: &Batch| {};
        match document::read_bytes(&bytes[..cut], "a.xls", &Limits::default(), &mut sink) {
            Ok(doc) => {
                let damage = doc.damage.expect("damage is reported");
                assert!(damage.to_string().contains("Workbook"), "{damage}");
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn no_panic_on_cut_or_flipped_bytes() {
    let bytes = std::fs::read(data("places.xls")).unwrap();
    let mut sink = |_: &Batch| {};
    for cut in (0..bytes.len()).step_by(61) {
        let _ = document::read_bytes(&bytes[..cut], "a.xls", &Limits::default(), &mut sink);
    }
    for at in (512..bytes.len()).step_by(7) {
        let mut b = bytes.clone();
        b[at] ^= 0xFF;
        let _ = document::read_bytes(&b, "a.xls", &Limits::default(), &mut sink);
    }
}

fn corpus(ext: &str) -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.join("MANIFEST.tsv").is_file() {
        eprintln!("SKIPPED: ../shared/corpus is absent; the .{ext} corpus test did not run");
        return None;
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
        .collect();
    files.sort();
    Some(files)
}

/// Words: runs of letters and digits holding a letter. LibreOffice's CSV writes numbers as
/// their formats show them (dates, percentages), the reader as stored: digits-only words are
/// not compared.
fn words(text: &str, into: &mut HashMap<String, i64>, sign: i64) {
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().any(char::is_alphabetic))
    {
        *into.entry(w.to_lowercase()).or_default() += sign;
    }
}

#[test]
fn corpus_xls_text_agrees_with_libreoffice() {
    agrees_with_libreoffice("xls");
}

#[test]
fn corpus_xlsb_text_agrees_with_libreoffice() {
    agrees_with_libreoffice("xlsb");
}

fn agrees_with_libreoffice(ext: &str) {
    let Some(files) = corpus(ext) else { return };
    // Every file: text, or a reason (damage or a note) of its own.
    let mut read = Vec::new();
    for f in &files {
        let (got, doc) = pieces(f);
        let (checked, why) = doc.coverage();
        assert!(
            checked == Checked::Full || !why.is_empty(),
            "{}: {checked:?} without a reason",
            f.display()
        );
        read.push(got);
    }
    let soffice = Command::new("soffice").arg("--version").output();
    if soffice.is_err() {
        eprintln!("SKIPPED: soffice is not installed; .{ext} text not compared with LibreOffice");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    let first: Vec<&PathBuf> = files.iter().take(50).collect();
    let mut names = Vec::new();
    for (i, f) in first.iter().enumerate() {
        let name = input.path().join(format!("f{i}.{ext}"));
        std::fs::copy(f, &name).unwrap();
        names.push(name);
    }
    // Every sheet to its own CSV (`-1`), values as stored, not as formatted.
    // A profile of its own: another soffice running would take the job or lock the profile.
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to"])
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
        .arg("--outdir")
        .arg(out.path())
        .args(&names)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let errors = regex::Regex::new(
        r"#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A)|\bErr:[0-9]+|\b(TRUE|FALSE)\b",
    )
    .unwrap();
    let (mut total, mut missing) = (0i64, 0i64);
    for (i, f) in first.iter().enumerate() {
        let mut theirs: HashMap<String, i64> = HashMap::new();
        for csv in std::fs::read_dir(out.path()).unwrap().flatten() {
            let n = csv.file_name().to_string_lossy().into_owned();
            if n.starts_with(&format!("f{i}-")) || n == format!("f{i}.csv") {
                let text =
                    String::from_utf8_lossy(&std::fs::read(csv.path()).unwrap()).into_owned();
                // Error values and booleans are not text (the .xlsx reader leaves them out too).
                let text = errors.replace_all(&text, "");
                words(&text, &mut theirs, 1);
            }
        }
        let mut ours = HashMap::new();
        for (_, kind, text, _) in &read[i] {
            if kind == "cell" {
                let text = text.split(" (shown ").next().unwrap_or(text);
                words(text, &mut ours, 1);
            }
        }
        let (mut t, mut m) = (0, 0);
        for (w, n) in &theirs {
            t += n;
            m += (n - ours.get(w).copied().unwrap_or(0)).max(0);
        }
        if m > 0 {
            eprintln!("{}: {m} of {t} words not read", f.display());
        }
        total += t;
        missing += m;
    }
    let rate = 100.0 * (total - missing) as f64 / total.max(1) as f64;
    eprintln!(
        ".{ext}: {} files compared with LibreOffice, {rate:.2} % of {total} words agree",
        first.len()
    );
    assert!(rate >= 99.0, "{rate:.2} % of words agree");
}

/// The marking rules read legacy footers: a label promising a footer marking the footer
/// does not show is MRK-01, as in .xlsx.
#[test]
fn marking_rules_read_legacy_footers() {
    let out = Command::new(env!("CARGO_BIN_EXE_o365lint"))
        .args(["scan", "--lang", "en"])
        .arg(data("marked.xls"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("MRK-01"), "{text}");
    assert!(text.contains("1 read and checked"), "{text}");
}

/// An .xls embedded in a .docx is read like an embedded .xlsx: its cells at their places,
/// flagged embedded, and the file's content counted as checked.
#[test]
fn an_embedded_workbook_is_read() {
    use o365lint::fixture::Ooxml;
    use o365lint::model::Format;
    let xls = std::fs::read(data("places.xls")).unwrap();
    let docx = Ooxml::new(Format::Docx)
        .text("Ytre")
        .part("word/embeddings/Microsoft_Excel_97-2003_Worksheet.xls", xls)
        .build();
    let mut got = Vec::new();
    let mut sink = |b: &Batch| {
        for p in b.pieces {
            got.push((
                b.part.to_string(),
                p.place_name(),
                p.text.to_string(),
                b.flags | p.flags,
            ));
        }
    };
    let doc = document::read_bytes(&docx, "a.docx", &Limits::default(), &mut sink).unwrap();
    let cell = got
        .iter()
        .find(|p| p.2 == "Kari Nordmann")
        .expect("the embedded workbook's cell");
    assert_eq!(
        cell.0,
        "word/embeddings/Microsoft_Excel_97-2003_Worksheet.xls!/Workbook"
    );
    assert_eq!(cell.1, "Ark1!A2");
    assert_eq!(cell.3.names().collect::<Vec<_>>(), ["embedded"]);
    assert_eq!(doc.coverage().0, Checked::Full, "{:?}", doc.notes);
}

/// BIFF12 records: type and size as 7-bit varints.
fn rec12(out: &mut Vec<u8>, typ: usize, data: &[u8]) {
    for mut v in [typ, data.len()] {
        loop {
            let b = (v & 0x7F) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
    }
    out.extend(data);
}

fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut d = (units.len() as u32).to_le_bytes().to_vec();
    d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    d
}

/// A binary workbook as Excel lays it out: a visible and a hidden sheet, shared strings,
/// a header, a comment with its author.
fn xlsb() -> Vec<u8> {
    use std::io::Write;
    let mut wb = Vec::new();
    for (state, rel, name) in [(0u32, "rId1", "Ark1"), (1, "rId2", "Skjult")] {
        let mut d = state.to_le_bytes().to_vec();
        d.extend(1u32.to_le_bytes());
        d.extend(wide(rel));
        d.extend(wide(name));
        rec12(&mut wb, 0x9C, &d);
    }
    let mut sst = Vec::new();
    for s in ["Kari Nordmann", "Hemmelig 26111593816"] {
        let mut d = vec![0];
        d.extend(wide(s));
        rec12(&mut sst, 0x13, &d);
    }
    let cell = |row: u32, col: u32, isst: u32| {
        let mut part = Vec::new();
        let mut r = row.to_le_bytes().to_vec();
        r.extend([0; 13]);
        rec12(&mut part, 0x00, &r);
        let mut c = col.to_le_bytes().to_vec();
        c.extend([0; 4]);
        c.extend(isst.to_le_bytes());
        rec12(&mut part, 0x07, &c);
        part
    };
    let mut sheet1 = cell(3, 2, 0);
    let mut hf = vec![0, 0];
    hf.extend(wide("&CFortrolig"));
    hf.extend(wide("Oslo kommune 23114038547"));
    rec12(&mut sheet1, 0x1DF, &hf);
    let sheet2 = cell(0, 0, 1);
    let mut comments = Vec::new();
    rec12(&mut comments, 0x278, &wide("Ola Saksbehandler"));
    let mut begin = 0u32.to_le_bytes().to_vec();
    for v in [4u32, 4, 1, 1] {
        begin.extend(v.to_le_bytes());
    }
    begin.extend([0; 16]);
    rec12(&mut comments, 0x27B, &begin);
    let mut text = vec![0];
    text.extend(wide("Sjekk 18061592527"));
    rec12(&mut comments, 0x27D, &text);
    let rel = |id: &str, kind: &str, target: &str| {
        format!(
            "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}\" Target=\"{target}\"/>"
        )
    };
    let rels = |items: &[String]| {
        format!(
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{}</Relationships>",
            items.concat()
        )
    };
    let parts: Vec<(&str, Vec<u8>)> = vec![
        (
            "[Content_Types].xml",
            b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"bin\" ContentType=\"application/vnd.ms-excel.worksheet\"/><Override PartName=\"/xl/workbook.bin\" ContentType=\"application/vnd.ms-excel.sheet.binary.macroEnabled.main\"/></Types>".to_vec(),
        ),
        ("_rels/.rels", rels(&[rel("rId1", "officeDocument", "xl/workbook.bin")]).into_bytes()),
        ("xl/workbook.bin", wb),
        (
            "xl/_rels/workbook.bin.rels",
            rels(&[
                rel("rId1", "worksheet", "worksheets/sheet1.bin"),
                rel("rId2", "worksheet", "worksheets/sheet2.bin"),
                rel("rId3", "sharedStrings", "sharedStrings.bin"),
            ])
            .into_bytes(),
        ),
        ("xl/sharedStrings.bin", sst),
        ("xl/worksheets/sheet1.bin", sheet1),
        (
            "xl/worksheets/_rels/sheet1.bin.rels",
            rels(&[rel("rId1", "comments", "../comments1.bin")]).into_bytes(),
        ),
        ("xl/worksheets/sheet2.bin", sheet2),
        ("xl/comments1.bin", comments),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn every_place_of_a_binary_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.xlsb");
    std::fs::write(&path, xlsb()).unwrap();
    let (got, doc) = pieces(&path);
    let got: Vec<(String, String, String, String)> =
        got.into_iter().filter(|p| p.0.starts_with("xl/")).collect();
    let want = [
        (
            "xl/workbook.bin: arkfane 1",
            "sheet-name",
            "Ark1",
            "metadata",
        ),
        (
            "xl/workbook.bin: arkfane 2",
            "sheet-name",
            "Skjult",
            "hidden-sheet,metadata",
        ),
        (
            "xl/worksheets/sheet1.bin: Ark1!C4",
            "cell",
            "Kari Nordmann",
            "",
        ),
        (
            "xl/worksheets/sheet1.bin: Ark1, topptekst",
            "header",
            "Fortrolig",
            "",
        ),
        (
            "xl/worksheets/sheet1.bin: Ark1, bunntekst",
            "footer",
            "Oslo kommune 23114038547",
            "",
        ),
        (
            "xl/comments1.bin: Ark1, forfatter",
            "comment",
            "Ola Saksbehandler",
            "comment,metadata",
        ),
        (
            "xl/comments1.bin: Ark1!B5",
            "comment",
            "Sjekk 18061592527",
            "comment",
        ),
        (
            "xl/worksheets/sheet2.bin: Skjult!A1",
            "cell",
            "Hemmelig 26111593816",
            "hidden-sheet",
        ),
    ];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        doc.coverage().0,
        Checked::Full,
        "{:?} {:?}",
        doc.notes,
        doc.damage
    );
}
