//! PowerPoint 97–2003 (.ppt) text: the LibreOffice-written test presentation read place by
//! place, and every .ppt of the corpus read (text or a per-file reason) and compared word
//! for word with LibreOffice's own reading of the same file (when `soffice` is installed).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use o365lint::model::{Checked, Kind};
use o365lint::read::container::Limits;
use o365lint::read::document::{Document, read_bytes};
use o365lint::read::text::Batch;

mod support;
use support::{o365lint, stdout};

const FIXTURE: &str = "tests/data/legacy/ppt/presentasjon.ppt";

/// The pieces of a file: part, place, kind, text, flags.
type Seen = Vec<(String, String, Kind, String, Vec<&'static str>)>;

fn read(bytes: &[u8], name: &str) -> (Result<Document, String>, Seen) {
    let mut seen = Vec::new();
    let mut sink = |b: &Batch| {
        for p in b.pieces {
            let flags = (b.flags | p.flags).names().collect();
            seen.push((
                b.part.to_string(),
                p.place_name(),
                p.kind,
                p.text.to_string(),
                flags,
            ));
        }
    };
    let doc = read_bytes(bytes, name, &Limits::default(), &mut sink).map_err(|e| e.detail());
    (doc, seen)
}

#[test]
fn libreoffice_presentation_every_place() {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let (doc, seen) = read(&bytes, "presentasjon.ppt");
    let doc = doc.unwrap();
    assert_eq!(doc.coverage(), (Checked::Full, vec![]));
    let got: Vec<(&str, Kind, &str, String)> = seen
        .iter()
        .filter(|s| s.0 == "PowerPoint Document" && s.2 != Kind::Master)
        .map(|s| (s.1.as_str(), s.2, s.3.as_str(), s.4.join(",")))
        .collect();
    let want = [
        ("lysbilde 1, avsnitt 1", Kind::Slide, "Søknad om støtte", ""),
        (
            "lysbilde 1, avsnitt 2",
            Kind::Slide,
            "Søker: Ola Nordmann",
            "",
        ),
        (
            "lysbilde 1, avsnitt 3",
            Kind::Slide,
            "Fødselsnummer 15108695088",
            "",
        ),
        (
            "lysbilde 2, avsnitt 1",
            Kind::Slide,
            "Skjult lysbilde",
            "hidden",
        ),
        (
            "lysbilde 2, avsnitt 2",
            Kind::Slide,
            "Hemmelig: 11111598403",
            "hidden",
        ),
        (
            "lysbilde 3, avsnitt 1",
            Kind::Slide,
            "Tekstboks på lysbilde tre",
            "",
        ),
        (
            "lysbilde 3, avsnitt 2",
            Kind::Slide,
            "Ærlig talt, blåbærsyltetøy",
            "",
        ),
        (
            "lysbilde 1, notater, avsnitt 1",
            Kind::Notes,
            "Ring Kari på 10048745526 før møtet",
            "",
        ),
        // The slide number field of the notes page, as LibreOffice writes it.
        ("lysbilde 1, notater, avsnitt 2", Kind::Notes, "*", ""),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|w| (w.0, w.1, w.2, w.3.to_string()))
        .collect();
    assert_eq!(got, want);
    // The master's placeholder texts are read too.
    assert!(
        seen.iter()
            .any(|s| s.1 == "lysbildemal 1, avsnitt 1" && s.2 == Kind::Master)
    );
}

#[test]
fn legacy_presentation_is_scanned_like_pptx() {
    let out = o365lint(&["scan", FIXTURE]);
    let text = stdout(&out);
    assert!(text.contains("PII-01"), "{text}");
    assert!(
        text.contains("HID-01") && text.contains("lysbilde 2, avsnitt 2"),
        "{text}"
    );
    assert!(text.contains("1 lest og kontrollert"), "{text}");
    // Masked, as everywhere.
    assert!(
        !text.contains("15108695088") && text.contains("151086*****"),
        "{text}"
    );
    let out = o365lint(&["text", FIXTURE]);
    let text = stdout(&out);
    assert!(
        text.contains("lysbilde 1, notater, avsnitt 1  [notes]"),
        "{text}"
    );
    assert!(!text.contains("10048745526"), "{text}");
}

fn corpus_ppt() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.join("MANIFEST.tsv").is_file() {
        eprintln!("SKIPPED: ../shared/corpus is absent; .ppt corpus tests did not run");
        return None;
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ppt" | "pps" | "pot"))
        })
        .collect();
    files.sort();
    Some(files)
}

/// Every .ppt gets text or a clear reason: encryption, another format, damage named.
#[test]
fn corpus_every_ppt_gets_text_or_a_reason() {
    let Some(files) = corpus_ppt() else { return };
    assert!(!files.is_empty());
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let (doc, seen) = read(&bytes, &f.file_name().unwrap().to_string_lossy());
        let text = seen.iter().any(|s| s.0.ends_with("PowerPoint Document"));
        let why = match &doc {
            Err(e) => format!("not read: {e}"),
            Ok(d) => {
                let (checked, reasons) = d.coverage();
                let damage = d.damage.as_ref().map(|e| e.detail()).unwrap_or_default();
                format!("{} {reasons:?} {:?} {damage}", checked.id(), d.format)
            }
        };
        eprintln!(
            "{}: {} text, {why}",
            f.display(),
            if text { "with" } else { "no" }
        );
        match &doc {
            Ok(d)
                if d.format == o365lint::model::Format::Ppt
                    && d.protection == o365lint::model::Protection::None =>
            {
                assert!(text, "{}: no text ({why})", f.display());
                assert_ne!(d.coverage().0, Checked::None, "{}", f.display());
            }
            // Encrypted or another format: a reason, never "full".
            Ok(d) => assert_ne!(d.coverage().0, Checked::Full, "{}: {why}", f.display()),
            Err(_) => {}
        }
    }
}

/// Lower-case words of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The first 50 .ppt files of the corpus, converted to .pptx by LibreOffice (its own .ppt
/// import) and read back: the words of its slides, notes and comments must be in ours.
#[test]
fn corpus_text_agrees_with_libreoffice() {
    let Some(files) = corpus_ppt() else { return };
    if Command::new("soffice").arg("--version").output().is_err() {
        // The CI installs it (.ci/run): there a missing soffice is a failure.
        assert!(
            std::env::var_os("O365LINT_REQUIRE_TOOLS").is_none(),
            "soffice is required (O365LINT_REQUIRE_TOOLS)"
        );
        eprintln!(
            "SKIPPED: soffice is not installed; the .ppt comparison with LibreOffice did not run"
        );
        return;
    }
    let out = tempfile::tempdir().unwrap();
    // Only presentations this reader reads (not encrypted, not another format).
    let ours: Vec<(PathBuf, Seen)> = files
        .iter()
        .take(50)
        .filter_map(|f| {
            let bytes = std::fs::read(f).ok()?;
            let (doc, seen) = read(&bytes, "x.ppt");
            let doc = doc.ok()?;
            (doc.format == o365lint::model::Format::Ppt
                && doc.protection == o365lint::model::Protection::None)
                .then(|| (f.clone(), seen))
        })
        .collect();
    // Copies with unique names: LibreOffice names its output after the input.
    let mut inputs = Vec::new();
    for (i, (f, _)) in ours.iter().enumerate() {
        let copy = out.path().join(format!("in{i}.ppt"));
        std::fs::copy(f, &copy).unwrap();
        inputs.push(copy);
    }
    let profile = out.path().join("profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pptx", "--outdir"])
        .arg(out.path())
        .args(&inputs)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let (mut matched, mut total) = (0usize, 0usize);
    for (i, (f, seen)) in ours.iter().enumerate() {
        let Ok(bytes) = std::fs::read(out.path().join(format!("in{i}.pptx"))) else {
            eprintln!("{}: LibreOffice wrote nothing", f.display());
            continue;
        };
        let (_, reference) = read(&bytes, "ref.pptx");
        let content =
            |k: Kind| matches!(k, Kind::Slide | Kind::Notes | Kind::Comment | Kind::Table);
        let mut have: HashMap<String, usize> = HashMap::new();
        for s in seen.iter().filter(|s| s.0.ends_with("PowerPoint Document")) {
            for w in words(&s.3) {
                *have.entry(w).or_default() += 1;
            }
        }
        let (mut m, mut t) = (0, 0);
        let mut missing = Vec::new();
        for s in reference
            .iter()
            .filter(|s| content(s.2) && s.0.starts_with("ppt/"))
        {
            for w in words(&s.3) {
                t += 1;
                match have.get_mut(&w) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        m += 1;
                    }
                    _ => missing.push(w),
                }
            }
        }
        missing.truncate(10);
        eprintln!("{}: {m}/{t} words; first missing: {missing:?}", f.display());
        matched += m;
        total += t;
    }
    let rate = 100.0 * matched as f64 / total.max(1) as f64;
    eprintln!(
        "ppt: {} files, {matched} of {total} words of LibreOffice's reading found ({rate:.2} %)",
        ours.len()
    );
    assert!(total > 1000, "too few words to compare: {total}");
    assert!(rate >= 99.0, "agreement {rate:.2} % < 99 %");
}

/// Marking rules read a .ppt's masters as they read a .pptx's: the label's marking
/// "Intern" on the master satisfies MRK-01; without it, MRK-01 is reported.
#[test]
fn marking_is_checked_on_legacy_masters() {
    let marked = stdout(&o365lint(&["scan", "tests/data/legacy/ppt/merket.ppt"]));
    assert!(marked.contains("merket.ppt: Intern"), "{marked}");
    assert!(!marked.contains("MRK-01"), "{marked}");
    let unmarked = stdout(&o365lint(&["scan", "tests/data/legacy/ppt/umerket.ppt"]));
    assert!(unmarked.contains("umerket.ppt: Intern"), "{unmarked}");
    assert!(
        unmarked.contains("MRK-01") && unmarked.contains("«Intern»"),
        "{unmarked}"
    );
}

/// Embedded objects (ExOleObjStg storages) are read like a pptx's embeddings: the
/// workbooks in a corpus presentation are found, with their own format and labels.
#[test]
fn corpus_embedded_workbooks_are_read() {
    let Some(files) = corpus_ppt() else { return };
    let f = files
        .iter()
        .find(|f| f.ends_with("ParagraphStylesShorterThanCharStyles.ppt"))
        .expect("the corpus holds ParagraphStylesShorterThanCharStyles.ppt");
    let (doc, seen) = read(&std::fs::read(f).unwrap(), "x.ppt");
    let doc = doc.unwrap();
    let found: Vec<(&str, Option<o365lint::model::Format>)> = doc
        .embedded
        .iter()
        .map(|e| (e.path.as_str(), e.format))
        .collect();
    let xls = Some(o365lint::model::Format::Xls);
    assert_eq!(
        found,
        [
            ("ExOleObjStg 4", xls),
            ("ExOleObjStg 5", xls),
            ("ExOleObjStg 6", xls),
            ("ExOleObjStg 8", xls),
            ("ExOleObjStg 9", xls),
        ]
    );
    // Their text (once .xls text is read) is flagged as embedded.
    let inside: Vec<_> = seen
        .iter()
        .filter(|s| s.0.starts_with("ExOleObjStg "))
        .collect();
    assert!(
        inside.iter().all(|s| s.4.contains(&"embedded")),
        "{inside:?}"
    );
}
