//! The fuzz targets on stable Rust: every input a fuzzer found a bug with, kept (minimised)
//! under `tests/fuzzed/<target>/`, is replayed through the same target body the fuzzer runs
//! (`fuzz/src/lib.rs`), and so are the demo documents and each of their parts. A body
//! panics on a bug; so does this test. `fuzz/run.sh` runs the fuzzers (nightly).
//!
//! A bug found but not fixed yet is listed in `tests/fuzzed/open.txt` (the kept input and
//! the start of its panic message): its input must still panic so, and demo inputs that
//! panic with that message are reported, not failed. Once it is fixed, the test says so
//! until the line is removed.

use std::io::{Cursor, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../fuzz/src/lib.rs"]
mod targets;

use targets::TARGETS;

/// The files directly in `dir`, in name order; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_file());
    out.sort();
    out
}

/// A line for the person running the tests, shown even when the test passes (written to
/// standard error directly, past the test harness's capture).
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "fuzzed: {line}");
}

/// Runs `input` through the target `name`; the panic's message when it panics.
fn replay(name: &str, run: fn(&[u8]), input: &[u8]) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| run(input))).map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("{name}: {msg}")
    })
}

/// A bug found and not fixed yet: `target/file` of its kept input, and how its panic's
/// message starts.
struct Open {
    input: String,
    message: String,
}

/// The lines of `tests/fuzzed/open.txt`: `target/file message…`, `#` comments.
fn open_bugs() -> Vec<Open> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzzed/open.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (input, message) = l.split_once(' ').expect("`target/file message` per line");
            Open {
                input: input.to_string(),
                message: message.trim().to_string(),
            }
        })
        .collect()
}

/// The open bug a failure of target `name` is, if any: the same target and message.
fn known<'o>(open: &'o [Open], name: &str, failure: &str) -> Option<&'o Open> {
    open.iter().find(|o| {
        o.input.split('/').next() == Some(name)
            && failure.starts_with(&format!("{name}: {}", o.message))
    })
}

#[test]
fn kept_inputs_replay_without_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzzed");
    let open = open_bugs();
    let (mut replayed, mut failed, mut still_open) = (0, Vec::new(), 0);
    let mut per_target = Vec::new();
    for o in &open {
        assert!(
            root.join(&o.input).is_file(),
            "open.txt: no kept input {}",
            o.input
        );
    }
    for &(name, run) in TARGETS {
        let kept = files(&root.join(name));
        for path in &kept {
            let input = std::fs::read(path).unwrap();
            let file = path.file_name().unwrap().to_string_lossy();
            let listed = open.iter().find(|o| o.input == format!("{name}/{file}"));
            match (replay(name, run, &input), listed) {
                (Ok(()), None) => {}
                (Err(e), None) => failed.push(format!("{}: {e}", path.display())),
                (Err(e), Some(o)) if known(&open, name, &e).is_some_and(|k| k.input == o.input) => {
                    still_open += 1;
                    say(&format!("open bug, still panics: {}: {e}", o.input));
                }
                (Err(e), Some(o)) => failed.push(format!(
                    "{}: panics otherwise than open.txt says ({}): {e}",
                    path.display(),
                    o.message
                )),
                (Ok(()), Some(o)) => failed.push(format!(
                    "{}: fixed: remove its line from tests/fuzzed/open.txt",
                    o.input
                )),
            }
        }
        replayed += kept.len();
        if !kept.is_empty() {
            per_target.push(format!("{name} {}", kept.len()));
        }
    }
    say(&format!(
        "replayed {replayed} kept fuzz input(s) from tests/fuzzed/, {still_open} of them open bugs ({})",
        if per_target.is_empty() {
            "none kept: no target has found a bug yet".to_string()
        } else {
            per_target.join(", ")
        }
    ));
    assert!(
        failed.is_empty(),
        "kept inputs still fail:\n{}",
        failed.join("\n")
    );
}

#[test]
fn every_kept_folder_is_a_target_and_every_target_is_built() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let names: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
    if let Ok(dirs) = std::fs::read_dir(root.join("tests/fuzzed")) {
        for d in dirs {
            let d = d.unwrap();
            if !d.path().is_dir() {
                continue;
            }
            let d = d.file_name();
            let d = d.to_string_lossy();
            assert!(names.contains(&d.as_ref()), "tests/fuzzed/{d} is no target");
        }
    }
    let mut built: Vec<String> = files(&root.join("fuzz/fuzz_targets"))
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    built.sort();
    let mut listed: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    listed.sort();
    assert_eq!(built, listed, "fuzz/fuzz_targets/ and TARGETS differ");
}

/// The demo documents, and every part or stream inside them, through every target: the
/// bodies run on real documents even when no input is kept.
#[test]
fn demo_documents_and_their_parts_go_through_every_target() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for path in files(&demo) {
        let bytes = std::fs::read(&path).unwrap();
        let shown = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(&bytes)) {
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i).unwrap();
                let mut part = Vec::new();
                entry.read_to_end(&mut part).unwrap();
                let part_name = String::from_utf8_lossy(entry.name_raw()).into_owned();
                inputs.push((format!("{shown}!{part_name}"), part));
            }
        }
        inputs.push((shown, bytes));
    }
    assert!(inputs.len() > 12, "the demo documents are missing");
    let open = open_bugs();
    let (mut failed, mut known_failures, mut met) = (Vec::new(), 0, Vec::new());
    for &(name, run) in TARGETS {
        for (shown, input) in &inputs {
            match replay(name, run, input) {
                Ok(()) => {}
                Err(e) => match known(&open, name, &e) {
                    Some(o) => {
                        known_failures += 1;
                        if !met.contains(&o.input) {
                            met.push(o.input.clone());
                        }
                    }
                    None => failed.push(format!("{shown}: {e}")),
                },
            }
        }
    }
    say(&format!(
        "{} demo documents and parts through {} targets; {known_failures} runs met an open bug{}",
        inputs.len(),
        TARGETS.len(),
        if met.is_empty() {
            String::new()
        } else {
            format!(" ({})", met.join(", "))
        }
    ));
    assert!(
        failed.is_empty(),
        "demo inputs fail:\n{}",
        failed.join("\n")
    );
}

/// The engine target's checks hold for the demo documents (they have findings, so the
/// privacy check has masked values to look at).
#[test]
fn engine_target_sees_the_demo_findings() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/12-skjult-innhold.docx");
    let r = targets::engine_result(&std::fs::read(demo).unwrap());
    assert!(!r.detections.is_empty());
    assert!(r.error.is_none());
}

/// Writes the fuzzers' seed corpora (`fuzz/seeds.sh` runs this): the demo documents and a
/// sample of the shared corpus (`O365LINT_FUZZ_SAMPLE`, a folder with a `MANIFEST.tsv`),
/// as whole files for the container targets and engine, split into the parts and streams
/// each part reader takes, and their text for the text targets. Into
/// `O365LINT_FUZZ_SEEDS/<target>/`, one file per distinct input, named by its hash.
#[test]
#[ignore = "writes seed corpora for the fuzzers: run by fuzz/seeds.sh"]
fn write_seeds() {
    let out = PathBuf::from(std::env::var("O365LINT_FUZZ_SEEDS").expect("O365LINT_FUZZ_SEEDS"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = files(&root.join("fixtures/demo"));
    if let Ok(sample) = std::env::var("O365LINT_FUZZ_SAMPLE") {
        sources.extend(corpus_sample(Path::new(&sample)));
    }
    let mut seeds = Seeds::default();
    for path in &sources {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        seeds.document(&bytes, &path.file_name().unwrap().to_string_lossy());
    }
    for text in HAND_TEXTS {
        for target in ["fold", "mask", "plain"] {
            seeds.add(target, text.as_bytes());
        }
    }
    let mut written = Vec::new();
    for &(name, _) in TARGETS {
        let dir = out.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let list = seeds.by_target.get(name).map_or(&[][..], Vec::as_slice);
        for input in list {
            let hash = blake3::hash(input).to_hex();
            std::fs::write(dir.join(&hash.as_str()[..16]), input).unwrap();
        }
        written.push(format!("{name} {}", list.len()));
    }
    say(&format!(
        "seeds from {} documents into {}: {}",
        sources.len(),
        out.display(),
        written.join(", ")
    ));
}

/// Texts that hold identifiers the ways a document can: grouped, with invisible or
/// other-script characters inside, next to other digit groups, in markup.
const HAND_TEXTS: &[&str] = &[
    "Fødselsnummer: 15108695088",
    "fnr 151086 95088, konto 1234.56.78903",
    "15.10.86-95088 og 26 11 15 940 14",
    "151086\u{200B}95088 og 1510\u{00AD}8695088",
    "\u{FF11}\u{FF15}\u{FF11}\u{FF10}\u{FF18}\u{FF16}\u{FF19}\u{FF15}\u{FF10}\u{FF18}\u{FF18}",
    "١٥١٠٨٦٩٥٠٨٨ og 151086\u{2007}95088\t10048745526",
    "D-nummer 53097248016, H-nummer 13527248013, FH 81234567802",
    "<p>Bjørn&amp;Åsa &#x31;5108695088 &ouml;</p><script>15108695088</script>",
    "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 fnr \\'e5 15108695088\\par \\u248? }",
    "post@example.no kari.nordmann@nav.no NO93 8601 1117 947 +47 912 34 567",
];

#[derive(Default)]
struct Seeds {
    by_target: std::collections::HashMap<&'static str, Vec<Vec<u8>>>,
}

impl Seeds {
    fn add(&mut self, target: &'static str, input: &[u8]) {
        let list = self.by_target.entry(target).or_default();
        if input.len() <= max_len(target) && !list.iter().any(|s| s == input) {
            list.push(input.to_vec());
        }
    }

    /// A document: whole, its first bytes, its parts or streams, and its text.
    fn document(&mut self, bytes: &[u8], name: &str) {
        use o365lint::read::container::{Limits, Magic, ole, sniff};
        self.add("sniff", &bytes[..bytes.len().min(512)]);
        self.add("engine", bytes);
        match sniff(bytes) {
            Magic::Zip => {
                self.add("zip", bytes);
                if let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) {
                    for i in 0..zip.len().min(500) {
                        let Ok(mut entry) = zip.by_index(i) else {
                            continue;
                        };
                        let part = String::from_utf8_lossy(entry.name_raw()).to_lowercase();
                        let mut data = Vec::new();
                        if entry.size() > 1 << 20 || entry.read_to_end(&mut data).is_err() {
                            continue;
                        }
                        self.part(&part, &data);
                    }
                }
            }
            Magic::Cfb => {
                self.add("ole", bytes);
                if let Ok(mut f) = ole::Ole::open(Cursor::new(bytes), &Limits::default()) {
                    let streams: [(&'static str, &[&str]); 4] = [
                        ("propset", &[ole::SUMMARY_INFO]),
                        ("propset", &["\u{5}SummaryInformation"]),
                        ("dataspace", &[ole::DATA_SPACES, "DataSpaceMap"]),
                        (
                            "label_info",
                            &[ole::DATA_SPACES, "TransformInfo", "LabelInfo"],
                        ),
                    ];
                    for (target, names) in streams {
                        if let Ok(Some(s)) = f.read_stream(names, 1 << 20) {
                            self.add(target, &s);
                        }
                    }
                }
            }
            Magic::Other => {
                for target in ["plain", "fold", "mask"] {
                    self.add(target, bytes);
                }
            }
        }
        self.text(bytes, name);
    }

    /// A part of a zip package, to the targets that read its kind.
    fn part(&mut self, part: &str, data: &[u8]) {
        let file = part.rsplit('/').next().unwrap_or(part);
        let ext = file.rsplit('.').next().unwrap_or("");
        let xml = matches!(ext, "xml" | "rels" | "vml");
        if xml && self.by_target.get("xml").is_none_or(|l| l.len() < 400) {
            self.add("xml", data);
        }
        if ["html", "htm", "rtf", "txt", "mht"].contains(&ext) {
            return self.add("plain", data);
        }
        if ["bin", "docx", "xlsx", "pptx", "xlsm", "docm"].contains(&ext) {
            let cfb = data.starts_with(&o365lint::read::container::CFB_MAGIC);
            self.add(if cfb { "ole" } else { "zip" }, data);
            return self.add("engine", data);
        }
        if !xml {
            return;
        }
        let not_in = |dirs: &[&str]| dirs.iter().all(|d| !part.contains(d));
        let target = if file == "[content_types].xml" || ext == "rels" {
            "opc"
        } else if part.contains("labelinfo") {
            "label_info"
        } else if part.starts_with("docprops/") || part.starts_with("customxml/") {
            "props"
        } else if part.starts_with("word/") && not_in(&["charts/", "diagrams/"]) {
            "wordml"
        } else if part.starts_with("xl/") && not_in(&["charts/", "drawings/", "diagrams/"]) {
            "spreadsheetml"
        } else {
            "drawingml"
        };
        // Part readers take many parts of a kind: keep the corpus to a size a short run covers.
        if self.by_target.get(target).is_none_or(|l| l.len() < 600) {
            self.add(target, data);
        }
    }

    /// The text the reader finds in a document (unmasked), for the text targets.
    fn text(&mut self, bytes: &[u8], name: &str) {
        let mut texts: Vec<String> = Vec::new();
        let mut sink = |b: &o365lint::read::text::Batch| {
            for p in b.pieces {
                let t = p.text.as_str();
                if texts.len() < 50
                    && t.len() > 8
                    && t.bytes().any(|c| c.is_ascii_digit() || c >= 0x80)
                {
                    texts.push(t.chars().take(2000).collect());
                }
            }
        };
        let limits = o365lint::read::container::Limits::default();
        let _ = o365lint::read::document::read_bytes(bytes, name, &limits, &mut sink);
        for chunk in texts.chunks(10) {
            let text = chunk.join("\n");
            for target in ["fold", "mask", "plain"] {
                if self.by_target.get(target).is_none_or(|l| l.len() < 400) {
                    self.add(target, text.as_bytes());
                }
            }
        }
    }
}

/// The longest input `fuzz/run.sh` gives a target (its `-max_len`); seeds are no longer.
fn max_len(target: &str) -> usize {
    match target {
        "zip" | "ole" | "engine" => 1 << 20,
        "sniff" => 4096,
        "propset" | "dataspace" | "plain" | "fold" | "mask" => 64 << 10,
        _ => 256 << 10,
    }
}

/// A sample of a corpus listed in its `MANIFEST.tsv` (repo, commit, path, bytes, kind,
/// magic, …, flags): every file with a flag or not in a zip, and every 15th of the rest,
/// each at most 1 MiB.
fn corpus_sample(dir: &Path) -> Vec<PathBuf> {
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap_or_default();
    let mut out = Vec::new();
    for (n, line) in manifest.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let [repo, _, path, size, _, magic, _, _, flags] = f[..] else {
            continue;
        };
        let size: u64 = size.parse().unwrap_or(u64::MAX);
        let picked = !flags.is_empty() || magic != "zip" || n % 15 == 0;
        if picked && size <= 1 << 20 {
            out.push(dir.join(repo).join(path));
        }
    }
    out
}
