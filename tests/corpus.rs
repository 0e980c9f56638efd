//! The real-world corpus in `../shared/corpus` (see its README): every file gets a result or
//! a per-file error, with no panic and no hang; every labelled file reports exactly what its
//! XML holds, read here independently; encrypted and invalid files are recognised.
//! Skips with a message when the corpus is absent.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use o365lint::catalogue::Catalogue;
use o365lint::container::Limits;
use o365lint::error::ErrorKind;
use o365lint::report::{FileReport, Report};
use o365lint::scan::{self, Options};
use regex::Regex;

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent; corpus tests did not run");
        None
    }
}

struct Entry {
    path: String,
    flags: String,
}

fn manifest(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (repo, path, flags) = (col("repo"), col("path"), col("flags"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Entry {
                path: format!("{}/{}", f[repo], f[path]),
                flags: f.get(flags).unwrap_or(&"").to_string(),
            }
        })
        .collect()
}

/// Scans the whole corpus once (2 threads), failing if it takes more than 10 minutes.
fn scan_corpus(dir: &Path) -> (Report, Duration) {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let opts = Options {
            catalogue: Catalogue::built_in(),
            limits: Limits::default(),
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let start = Instant::now();
        let report = pool.install(|| scan::scan(&[dir], &opts));
        tx.send((report, start.elapsed())).ok();
    });
    rx.recv_timeout(Duration::from_secs(600))
        .expect("the corpus scan hung (no result in 10 minutes)")
}

fn by_path<'a>(report: &'a Report, dir: &Path) -> BTreeMap<String, &'a FileReport> {
    let prefix = format!("{}/", scan::display(dir));
    report
        .files
        .iter()
        .map(|f| {
            (
                f.path.strip_prefix(&prefix).unwrap_or(&f.path).to_string(),
                f,
            )
        })
        .collect()
}

#[test]
fn corpus() {
    let Some(dir) = corpus_dir() else { return };
    let entries = manifest(&dir);
    let (report, took) = scan_corpus(&dir);
    let files = by_path(&report, &dir);
    let s = &report.summary;
    // Straight to stderr, past the test harness's capture: the counts show in every run.
    let mut err = std::io::stderr();
    writeln!(
        err,
        "corpus: {} files in {:.2?}: {} read ({} partially), {} skipped, {} unreadable {:?}",
        s.files,
        took,
        s.scanned,
        s.partial,
        s.skipped,
        s.errors - s.partial,
        s.errors_by_kind
    )
    .unwrap();
    writeln!(err, "  by format: {:?}", s.by_format).unwrap();
    writeln!(err, "  by label status: {:?}", s.by_label_status).unwrap();
    writeln!(err, "  by encryption: {:?}", s.by_encryption).unwrap();

    // Every file in the manifest has a result or an error that says why.
    for e in &entries {
        let f = files
            .get(&e.path)
            .unwrap_or_else(|| panic!("{} has no result", e.path));
        assert!(
            f.error.is_some() || f.format.is_some() || f.skipped.is_some(),
            "{}: no result",
            e.path
        );
        if let Some(err) = &f.error {
            assert!(
                err.len() > 10 && f.error_kind.is_some(),
                "{}: unclear error {err:?}",
                e.path
            );
        }
    }

    let mut checked = 0;
    for e in &entries {
        let f = files[&e.path];
        if e.flags.contains("labelinfo") || e.flags.contains("msip_custom") {
            assert_eq!(
                labels_in_report(f),
                labels_in_xml(&dir.join(&e.path)),
                "{}",
                e.path
            );
            assert!(!f.labels.is_empty(), "{}", e.path);
            checked += 1;
        }
        if e.flags.contains("encrypted_ooxml") {
            assert_eq!(
                f.container.map(|c| format!("{c:?}")).as_deref(),
                Some("EncryptedOoxml"),
                "{}: {:?}",
                e.path,
                f.error
            );
            let irm = contains_utf16(&dir.join(&e.path), "DRMEncryptedDataSpace");
            let want = if irm { "irm" } else { "password" };
            assert_eq!(f.encryption.map(|p| p.id()), Some(want), "{}", e.path);
        }
        if e.flags.contains("zip_invalid") {
            let err = f
                .error
                .as_deref()
                .unwrap_or_else(|| panic!("{}: damaged zip reported no error", e.path));
            assert_eq!(f.error_kind, Some(ErrorKind::Damaged), "{}: {err}", e.path);
            assert!(err.contains("damaged"), "{}: {err}", e.path);
        }
    }
    writeln!(err, "  labels checked against the XML: {checked} files").unwrap();
    assert!(
        checked >= 15,
        "the manifest flags at least 15 labelled files, checked {checked}"
    );
}

/// (source, id, site id, method, enabled, removed) of every label the scan reported.
type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<bool>,
    Option<bool>,
);

fn labels_in_report(f: &FileReport) -> BTreeSet<Row> {
    f.labels
        .iter()
        .map(|l| {
            let l = &l.found;
            let source = serde_json::to_value(l.source)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string();
            (
                source,
                l.id.clone(),
                l.site_id.clone(),
                l.method.clone(),
                l.enabled,
                l.removed,
            )
        })
        .collect()
}

/// The same, read straight from the zip with regular expressions: no shared code.
fn labels_in_xml(path: &Path) -> BTreeSet<Row> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut part = |want: &str| -> Option<String> {
        let name = zip
            .file_names()
            .flatten()
            .find(|n| n.eq_ignore_ascii_case(want))?
            .to_string();
        let mut s = String::new();
        zip.by_name(&name).unwrap().read_to_string(&mut s).unwrap();
        Some(s)
    };
    let guid = |s: &str| s.trim_matches(|c| c == '{' || c == '}').to_lowercase();
    let boolean = |s: &str| Some(s == "1" || s.eq_ignore_ascii_case("true"));
    let mut rows = BTreeSet::new();
    if let Some(xml) = part("docMetadata/LabelInfo.xml") {
        let label = Regex::new(r"<(?:\w+:)?label\s([^>]*)>").unwrap();
        let attr = Regex::new(r#"(\w+)="([^"]*)""#).unwrap();
        for l in label.captures_iter(&xml) {
            let a: BTreeMap<&str, &str> = attr
                .captures_iter(&l[1])
                .map(|c| (c.get(1).unwrap().as_str(), c.get(2).unwrap().as_str()))
                .collect();
            rows.insert((
                "labelinfo".into(),
                guid(a["id"]),
                a.get("siteId").map(|s| guid(s)),
                a.get("method").map(|s| s.to_string()),
                a.get("enabled").and_then(|s| boolean(s)),
                a.get("removed").and_then(|s| boolean(s)),
            ));
        }
    }
    if let Some(xml) = part("docProps/custom.xml") {
        let prop =
            Regex::new(r#"name="MSIP_Label_([0-9a-fA-F-]{36})_(\w+)"[^>]*>\s*<vt:\w+>([^<]*)<"#)
                .unwrap();
        let mut by_id: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for c in prop.captures_iter(&xml) {
            by_id
                .entry(guid(&c[1]))
                .or_default()
                .insert(c[2].to_string(), c[3].to_string());
        }
        for (id, a) in by_id {
            rows.insert((
                "custom-properties".into(),
                id,
                a.get("SiteId").map(|s| guid(s)),
                a.get("Method").cloned(),
                a.get("Enabled").and_then(|s| boolean(s)),
                None,
            ));
        }
    }
    rows
}

fn contains_utf16(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    let n: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(n.len()).any(|w| w == n)
}
