//! The attack-file suite of issue 18: every hostile file of `o365lint::fixture::attack`,
//! each in a folder of its own, given to the `o365lint` binary in a child process —
//! `scan --format json`, `scan` (text) and `text` — and judged:
//!
//! - a result for the file within [`TIME_LIMIT`] (the child is killed after it);
//! - the child's peak resident memory under [`RSS_BOUND`], under a hard address-space
//!   limit ([`AS_LIMIT`]) so that a reader that still allocates gigabytes fails its test
//!   instead of taking the machine;
//! - the answer of the case ([`Expect`]): the hidden fødselsnummer found, or the file
//!   reported not fully read, the label read right, the planted configuration ignored;
//! - no planted identifier in full in any output (standard output and error of every run),
//!   also with separators and invisible characters removed and Unicode digits mapped;
//! - no control character (C0 but newline and tab, DEL, C1, bidirectional overrides) in
//!   human output, and no line of it forged by a file name.
//!
//! Each case is a test of its own; its verdict is printed as one line
//! (`cargo test --test attacks -- --nocapture` shows them all) and a failing case lists
//! every check it failed. A last test scans eight memory attacks together at `-j 8`
//! under a scan-wide bound.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use o365lint::detect::fnr;
use o365lint::fixture::attack::{self, Attack, Expect, FNR, FORGED};
use o365lint::model::DetectorId;
use serde_json::Value;

/// Time one run of o365lint on one attack file may take before it is killed. The reader
/// stops reading a file's text after 60 s (`max_seconds`); a result must come by then.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Peak resident memory of one run on one attack file: the per-file budget the readers
/// are to enforce (issue 18) plus the process's own (tens of MB). One constant for every
/// case: no file may cost more, however it is built.
const RSS_BOUND: u64 = 512 << 20;

/// A hard address-space limit (`ulimit -v`) on each run, far above [`RSS_BOUND`] (threads'
/// stacks and allocator arenas are address space, not memory) and far below the machine:
/// a reader that allocates gigabytes fails with an allocation error, not the machine.
const AS_LIMIT: u64 = 4 << 30;

/// The scan of eight memory attack files at `-j 8`: its peak resident memory bound (the
/// scan-wide budget across threads), its address-space limit and its time.
const SCAN_THREADS: usize = 8;
const SCAN_RSS_BOUND: u64 = 2 << 30;
const SCAN_AS_LIMIT: u64 = 6 << 30;
const SCAN_TIME_LIMIT: Duration = Duration::from_secs(300);

/// Outputs are checked in chunks of this size (a report may be hundreds of MB today);
/// a JSON report larger than [`JSON_CAP`] is a failure of its own and not parsed.
const CHUNK: usize = 8 << 20;
const JSON_CAP: u64 = 256 << 20;

/// The environment variable that makes this test binary a probe (see [`probe`]).
const PROBE: &str = "O365LINT_ATTACK_PROBE";
const PROBE_LINE: &str = "ATTACK-PROBE-RESULT ";

const BIN: &str = env!("CARGO_BIN_EXE_o365lint");

// ---------------------------------------------------------------------------------------
// One test per case.

macro_rules! attacks {
    ($($(#[$attr:meta])* $test:ident => $name:literal,)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $test() {
                check($name);
            }
        )*
        /// The cases that have a test here.
        const TESTED: &[&str] = &[$($name),*];
    };
}

attacks! {
    nested_text_boxes => "nested-text-boxes",
    huge_text_node => "huge-text-node",
    utf16_part => "utf16-part",
    huge_comment => "huge-comment",
    digit_groups => "digit-groups",
    ole_package_stream => "ole-package-stream",
    zero_padded_compound_file => "zero-padded-compound-file",
    overlapping_entries => "overlapping-entries",
    zero_padded_doc => "zero-padded-doc",
    nested_embeddings => "nested-embeddings",
    main_part_outside_word => "main-part-outside-word",
    alternate_content_fallback => "alternate-content-fallback",
    alt_chunk_html => "alt-chunk-html",
    alt_chunk_text => "alt-chunk-text",
    alt_chunk_docx => "alt-chunk-docx",
    embedded_docx_in_media => "embedded-docx-in-media",
    embedded_ole_in_media => "embedded-ole-in-media",
    hidden_digit => "hidden-digit",
    sym_digits => "sym-digits",
    zero_width_space => "zero-width-space",
    word_joiner => "word-joiner",
    soft_hyphen => "soft-hyphen",
    byte_order_mark => "byte-order-mark",
    left_to_right_mark => "left-to-right-mark",
    figure_space => "figure-space",
    en_space => "en-space",
    tab => "tab",
    full_width_digits => "full-width-digits",
    arabic_indic_digits => "arabic-indic-digits",
    lock_name_rtf => "lock-name-rtf",
    lock_name_html => "lock-name-html",
    label_ns_id => "label-ns-id",
    label_ns_removed => "label-ns-removed",
    label_ns_site_id => "label-ns-site-id",
    label_ns_enabled => "label-ns-enabled",
    label_ns_target => "label-ns-target",
    planted_config => "planted-config",
    label_fields_labelinfo => "label-fields-labelinfo",
    label_fields_properties => "label-fields-properties",
    label_fields_legacy => "label-fields-legacy",
    escapes_label_name => "escapes-label-name",
    escapes_properties => "escapes-properties",
    escapes_sheet_name => "escapes-sheet-name",
    escapes_embedded_name => "escapes-embedded-name",
    escapes_text => "escapes-text",
    escapes_file_name => "escapes-file-name",
    forged_file_name => "forged-file-name",
}

#[test]
fn every_case_has_a_test() {
    let cases: BTreeSet<&str> = attack::cases().into_iter().map(|(n, _)| n).collect();
    let tested: BTreeSet<&str> = TESTED.iter().copied().collect();
    assert_eq!(cases, tested);
}

/// The planted numbers are fødselsnumre by the project's own validator: a case that finds
/// nothing is not finding nothing because the number is invalid.
#[test]
fn planted_numbers_are_valid_fodselsnumre() {
    let today = fnr::Date::new(2026, 1, 1);
    for n in attack::planted() {
        let digits = fnr::digits(n).unwrap();
        let (kind, _) = fnr::classify(&digits, today).unwrap_or_else(|e| panic!("{n}: {e:?}"));
        assert_eq!(kind.detector(), DetectorId::Fodselsnummer, "{n}");
    }
}

// ---------------------------------------------------------------------------------------
// Running a child and measuring it.

/// How one run of o365lint went.
#[derive(Debug)]
struct Run {
    what: String,
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    elapsed: Duration,
    /// Peak resident set size of the child, bytes.
    max_rss: u64,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Run {
    fn summary(&self) -> String {
        let end = match (self.timed_out, self.code, self.signal) {
            (true, _, _) => "killed (time)".to_string(),
            (_, Some(c), _) => format!("exit {c}"),
            (_, _, Some(s)) => format!("signal {s}"),
            _ => "?".into(),
        };
        format!(
            "{} {end} {:.1}s {}MiB",
            self.what,
            self.elapsed.as_secs_f64(),
            self.max_rss >> 20
        )
    }

    /// Whether the run ended by itself with an exit code (not killed, not crashed).
    fn finished(&self) -> bool {
        !self.timed_out && self.code.is_some()
    }
}

/// Runs `o365lint args` in `cwd` through a probe: stdout and stderr to `out.stdout` and
/// `out.stderr`.
///
/// Why a probe process: the peak RSS of one child is `ru_maxrss` of `wait4`, which `nix`
/// does not offer (and `unsafe` is forbidden here). `getrusage(RUSAGE_CHILDREN)` gives the
/// largest `ru_maxrss` of all the waited-for children of the calling process — in this
/// test process, the children of every test running in parallel, and a maximum that never
/// goes down, so after one greedy child every later one would seem as greedy. So each run
/// goes through a probe: this test binary run again (test [`probe`]), whose only child is
/// o365lint; the probe waits for it and reads `RUSAGE_CHILDREN`, which is then exactly that
/// child's peak. (The child is `sh` that sets the address-space limit and `exec`s o365lint:
/// one process, whose peak is o365lint's.)
fn run(what: &str, args: &[&str], cwd: &Path, out: &Path, limits: (Duration, u64)) -> Run {
    let stdout = out.with_extension(format!("{what}.stdout").replace(' ', "-"));
    let stderr = out.with_extension(format!("{what}.stderr").replace(' ', "-"));
    let spec = serde_json::json!({
        "args": args,
        "cwd": cwd,
        "stdout": stdout,
        "stderr": stderr,
        "time_ms": limits.0.as_millis() as u64,
        "as_kib": limits.1 >> 10,
    });
    let probe = Command::new(std::env::current_exe().unwrap())
        .args(["probe", "--exact", "--nocapture", "--test-threads=1"])
        .env(PROBE, spec.to_string())
        .stdin(Stdio::null())
        .output()
        .expect("run the probe");
    let text = String::from_utf8_lossy(&probe.stdout);
    let line = text
        .lines()
        .find_map(|l| l.split_once(PROBE_LINE).map(|(_, r)| r))
        .unwrap_or_else(|| {
            panic!(
                "the probe said nothing: {text}{}",
                String::from_utf8_lossy(&probe.stderr)
            )
        });
    let r: Value = serde_json::from_str(line).unwrap();
    Run {
        what: what.into(),
        code: r["code"].as_i64().map(|c| c as i32),
        signal: r["signal"].as_i64().map(|c| c as i32),
        timed_out: r["timed_out"].as_bool().unwrap(),
        elapsed: Duration::from_millis(r["elapsed_ms"].as_u64().unwrap()),
        max_rss: r["max_rss_kib"].as_u64().unwrap() << 10,
        stdout,
        stderr,
    }
}

/// Not a test: the probe of [`run`], when this binary is started with [`PROBE`] set.
#[test]
fn probe() {
    use std::os::unix::process::ExitStatusExt;

    use nix::sys::resource::{UsageWho, getrusage};

    let Ok(spec) = std::env::var(PROBE) else {
        return;
    };
    let spec: Value = serde_json::from_str(&spec).unwrap();
    let args: Vec<&str> = spec["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let path = |k: &str| PathBuf::from(spec[k].as_str().unwrap());
    let limit = Duration::from_millis(spec["time_ms"].as_u64().unwrap());
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v \"$1\" || exit 125; shift; exec \"$@\"")
        .arg("o365lint-attack")
        .arg(spec["as_kib"].as_u64().unwrap().to_string())
        .arg(BIN)
        .args(&args)
        .current_dir(path("cwd"))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(path("stdout")).unwrap())
        .stderr(std::fs::File::create(path("stderr")).unwrap());
    // Nothing from the environment of whoever runs the tests: no configuration, no key.
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("O365LINT_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("NO_COLOR", "1");
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn o365lint");
    let (status, timed_out) = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break (status, false);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            break (child.wait().unwrap(), true);
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    // Linux reports ru_maxrss in KiB.
    let rss = getrusage(UsageWho::RUSAGE_CHILDREN).unwrap().max_rss();
    println!(
        "\n{PROBE_LINE}{}",
        serde_json::json!({
            "code": status.code(),
            "signal": status.signal(),
            "timed_out": timed_out,
            "elapsed_ms": elapsed.as_millis() as u64,
            "max_rss_kib": rss,
        })
    );
}

// ---------------------------------------------------------------------------------------
// Checking outputs.

/// Reads a file in chunks (overlapping by 4 KiB, so nothing is missed at a boundary).
fn chunks(path: &Path, mut f: impl FnMut(&[u8])) {
    let mut file = std::fs::File::open(path).unwrap();
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    loop {
        let keep = buf.len().min(4096);
        buf.drain(..buf.len() - keep);
        let before = buf.len();
        (&mut file)
            .take(CHUNK as u64)
            .read_to_end(&mut buf)
            .unwrap();
        if buf.len() == before {
            if before == 0 {
                f(&buf);
            }
            return;
        }
        f(&buf);
    }
}

/// The text with what could hide an identifier taken out: whitespace, separators, format
/// characters (zero-width, joiners, soft hyphen, BOM, direction marks), escapes that name
/// them (`\u200b`, `\u{200b}`, `<U+200B>`), and Unicode digits mapped to ASCII.
fn squash(text: &str) -> String {
    let text = ESCAPE_NAMES.replace_all(text, "");
    text.chars()
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(c, '.' | '-' | '_' | '\u{ad}' | '\u{180e}' | '\u{feff}')
                || ('\u{200b}'..='\u{200f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2060}'..='\u{206f}').contains(&c))
        })
        .map(|c| {
            for zero in [0xFF10u32, 0x0660, 0x06F0, 0x0966, 0x1D7CE] {
                let d = (c as u32).wrapping_sub(zero);
                if d < 10 {
                    return char::from(b'0' + d as u8);
                }
            }
            c
        })
        .collect()
}

static ESCAPE_NAMES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\\u\{?[0-9a-f]{2,6}\}?|<U\+[0-9a-f]{2,6}>|\\x[0-9a-f]{2}|\\[ntr]")
        .unwrap()
});

/// Planted identifiers found in full in the output.
fn leaks(path: &Path) -> BTreeSet<&'static str> {
    let planted = attack::planted();
    let mut found = BTreeSet::new();
    chunks(path, |b| {
        let text = String::from_utf8_lossy(b);
        let squashed = squash(&text);
        for n in &planted {
            if text.contains(n) || squashed.contains(n) {
                found.insert(*n);
            }
        }
    });
    found
}

/// Control characters in human output: C0 but newline and tab, DEL, C1 (as characters
/// or as raw bytes), and bidirectional embeddings, overrides and isolates.
fn controls(path: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    chunks(path, |b| {
        for chunk in b.utf8_chunks() {
            for c in chunk.valid().chars() {
                let bad = (c < ' ' && c != '\n' && c != '\t')
                    || ('\u{7f}'..='\u{9f}').contains(&c)
                    || ('\u{202a}'..='\u{202e}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c);
                if bad {
                    found.insert(format!("U+{:04X}", c as u32));
                }
            }
            for &byte in chunk.invalid() {
                if (0x80..=0x9f).contains(&byte) {
                    found.insert(format!("raw byte 0x{byte:02X}"));
                }
            }
        }
    });
    found
}

/// Lines that a file name forged.
fn forged(path: &Path) -> bool {
    let mut seen = false;
    chunks(path, |b| {
        seen |= String::from_utf8_lossy(b)
            .lines()
            .any(|l| l.starts_with(FORGED));
    });
    seen
}

/// Whether this JSON file result's detections include [`FNR`] (masked: its first six
/// digits, ASCII or not).
fn found_fnr(file: &Value) -> bool {
    file["detections"].as_array().is_some_and(|ds| {
        ds.iter().any(|d| {
            d["masked"]
                .as_str()
                .is_some_and(|m| squash(m).starts_with(&FNR[..6]))
        })
    })
}

/// A file result that says the file was not (fully) read, and why.
fn not_fully_read(file: &Value) -> Option<String> {
    file["error"].as_str().map(|e| {
        format!(
            "{} ({})",
            file["error_kind"].as_str().unwrap_or("?"),
            e.chars().take(100).collect::<String>()
        )
    })
}

/// An exit code that says some file was not fully read (2 today, 3 per DESIGN.md).
fn incomplete_code(code: Option<i32>) -> bool {
    matches!(code, Some(2 | 3))
}

/// The verdict on one case, or on the scan of several.
struct Verdict {
    name: String,
    runs: Vec<String>,
    outcome: String,
    failures: Vec<String>,
}

impl Verdict {
    fn new(name: &str) -> Verdict {
        Verdict {
            name: name.into(),
            runs: Vec::new(),
            outcome: String::new(),
            failures: Vec::new(),
        }
    }

    fn fail(&mut self, why: String) {
        self.failures.push(why);
    }

    /// What every run must do: end by itself in time, within memory, leak nothing; a
    /// human-output run also: no control character, no forged line.
    fn run(&mut self, r: &Run, human: bool, rss_bound: u64) {
        self.runs.push(r.summary());
        if r.timed_out {
            self.fail(format!("{}: killed after the time limit", r.what));
        } else if let Some(s) = r.signal {
            self.fail(format!(
                "{}: died of signal {s} (an allocation over the address-space limit aborts)",
                r.what
            ));
        }
        if r.max_rss > rss_bound {
            self.fail(format!(
                "{}: peak RSS {} MiB over the bound of {} MiB",
                r.what,
                r.max_rss >> 20,
                rss_bound >> 20
            ));
        }
        for out in [&r.stdout, &r.stderr] {
            let stream = if *out == r.stdout { "stdout" } else { "stderr" };
            let leaked = leaks(out);
            if !leaked.is_empty() {
                self.fail(format!("{} {stream}: shows {leaked:?} in full", r.what));
            }
            if human {
                let bad = controls(out);
                if !bad.is_empty() {
                    self.fail(format!("{} {stream}: control characters {bad:?}", r.what));
                }
                if forged(out) {
                    self.fail(format!(
                        "{} {stream}: a line starts with {FORGED} (forged by a file name)",
                        r.what
                    ));
                }
            }
        }
    }

    fn finish(self) {
        let mut line = format!("ATTACK {:<27} ", self.name);
        let _ = write!(line, "{} | {}", self.runs.join(" | "), self.outcome);
        if self.failures.is_empty() {
            eprintln!("{line} | ok");
        } else {
            eprintln!("{line} | FAIL");
            panic!(
                "attack {}: {} check(s) failed:\n  - {}\n({line})",
                self.name,
                self.failures.len(),
                self.failures.join("\n  - ")
            );
        }
    }
}

/// The JSON report of a run, parsed (a failure when it is missing, too large or invalid).
fn report(r: &Run, v: &mut Verdict) -> Option<Value> {
    let size = std::fs::metadata(&r.stdout).map_or(0, |m| m.len());
    if size > JSON_CAP {
        v.fail(format!(
            "{}: a JSON report of {} MiB (not parsed)",
            r.what,
            size >> 20
        ));
        return None;
    }
    let text = std::fs::read(&r.stdout).unwrap();
    match serde_json::from_slice::<Value>(&text) {
        Ok(json) => Some(json),
        Err(e) if r.finished() => {
            v.fail(format!("{}: the report is not JSON: {e}", r.what));
            None
        }
        Err(_) => None,
    }
}

/// Judges the answer of a case from its JSON report and exit code.
fn judge(attack: &Attack, r: &Run, json: Option<&Value>, v: &mut Verdict) {
    let Some(json) = json else {
        v.outcome = "no report".into();
        v.fail("no JSON report, so no result for the file".into());
        return;
    };
    let files = json["files"].as_array().cloned().unwrap_or_default();
    let Some(file) = files.first() else {
        v.outcome = "0 files".into();
        v.fail("the report has no result for the file (0 files)".into());
        return;
    };
    if files.len() > 1 {
        v.fail(format!(
            "{} results for one file (a forged block?)",
            files.len()
        ));
    }
    if let Some(why) = file["skipped"].as_str() {
        v.outcome = format!("skipped: {why}");
        v.fail(format!("the file was skipped ({why}), not read"));
        return;
    }
    let found = found_fnr(file);
    let unread = not_fully_read(file);
    let limit = file["error_kind"].as_str() == Some("limit");
    let class = file["label"]["class"].as_str().unwrap_or("none");
    v.outcome = match (&unread, found) {
        (_, true) => "found".to_string(),
        (Some(why), false) => format!("not found; not fully read: {why}"),
        (None, false) => "not found".to_string(),
    };
    let incomplete = incomplete_code(r.code) && unread.is_some();
    match attack.expect {
        Expect::Found => {
            if !found {
                v.fail(format!("{FNR} not found ({})", v.outcome));
            }
        }
        Expect::FoundOrLimit => {
            if !(found || (incomplete && limit)) {
                v.fail(format!(
                    "neither found nor reported not fully read for a limit ({}, exit {:?})",
                    v.outcome, r.code
                ));
            }
        }
        Expect::NotFullyRead => {
            if !(incomplete && limit) {
                let notes = file["notes"].to_string();
                let notes: String = notes
                    .chars()
                    .rev()
                    .take(120)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                v.fail(format!(
                    "not reported not fully read for a limit ({}, exit {:?}, notes …{notes})",
                    v.outcome, r.code
                ));
            }
        }
        Expect::FoundOrReported => {
            if !found && !incomplete {
                v.fail(format!(
                    "neither found nor reported as not read ({}, exit {:?})",
                    v.outcome, r.code
                ));
            }
        }
        Expect::Class(want) => {
            v.outcome = format!("class {class}, status {}", file["label_status"]);
            if class != want {
                v.fail(format!(
                    "the label in force is {class} (status {}), not {want}",
                    file["label_status"]
                ));
            }
        }
        Expect::Shown => {
            if v.outcome == "not found" {
                v.outcome = "read".into();
            }
        }
        Expect::ConfigIgnored => {
            if !found {
                v.fail(format!(
                    "{FNR} not found: the planted configuration was obeyed?"
                ));
            }
            if r.code == Some(0) {
                v.fail("exit code 0: the planted fail_on = \"never\" was obeyed".into());
            }
            let hashed = file["detections"]
                .as_array()
                .is_some_and(|ds| ds.iter().any(|d| !d["hash"].is_null()));
            if hashed {
                v.fail("detections hashed: the planted hash_key was obeyed".into());
            }
        }
    }
}

/// Writes a case's files into `dir`.
fn write_case(attack: &Attack, dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let mut paths = Vec::new();
    for f in &attack.files {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.bytes).unwrap();
        if let Some(len) = f.zero_pad_to {
            // Sparse: the zeros take no disk.
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(len)
                .unwrap();
        }
        paths.push(path);
    }
    paths
}

/// Where a case's files and outputs go: a temporary folder, or with
/// `O365LINT_ATTACK_KEEP=DIR` a folder below DIR that is kept (to look at what failed).
fn workdir() -> tempfile::TempDir {
    match std::env::var_os("O365LINT_ATTACK_KEEP") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            tempfile::Builder::new()
                .prefix("attack-")
                .disable_cleanup(true)
                .tempdir_in(dir)
                .unwrap()
        }
        None => tempfile::tempdir().unwrap(),
    }
}

/// Runs one case: `scan --format json`, `scan` and `text` on its folder and files.
fn check(name: &str) {
    let attack = attack::case(name).unwrap_or_else(|| panic!("no case {name}"));
    let tmp = workdir();
    let dir = tmp.path().join(name);
    let files = write_case(&attack, &dir);
    let documents: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_none_or(|e| e != "toml"))
        .collect();
    let out = tmp.path().join("out");
    let d = dir.to_str().unwrap();
    let limits = (TIME_LIMIT, AS_LIMIT);
    let mut v = Verdict::new(name);

    let json = run(
        "scan-json",
        &["scan", "--format", "json", "--color", "never", "-q", d],
        tmp.path(),
        &out,
        limits,
    );
    v.run(&json, false, RSS_BOUND);
    let report = report(&json, &mut v);
    judge(&attack, &json, report.as_ref(), &mut v);
    // A run that hung or crashed would again: the others are left out, the case failed.
    if json.finished() {
        let text = run(
            "scan-text",
            &["scan", "--color", "never", "-q", d],
            tmp.path(),
            &out,
            limits,
        );
        v.run(&text, true, RSS_BOUND);
        if text.code != json.code {
            v.fail(format!(
                "exit code {:?} in text, {:?} in JSON",
                text.code, json.code
            ));
        }
        let mut args = vec!["text"];
        args.extend(documents.iter().map(|p| p.to_str().unwrap()));
        let extracted = run("text", &args, tmp.path(), &out, limits);
        v.run(&extracted, true, RSS_BOUND);
    }
    v.finish();
}

/// Eight memory attacks in one folder, scanned at `-j 8`: every file gets its answer and
/// the whole scan stays under the scan-wide bound.
#[test]
fn memory_attacks_together_at_j8() {
    let tmp = workdir();
    let dir = tmp.path().join("memory");
    let cases: Vec<Attack> = attack::cases()
        .into_iter()
        .map(|(_, build)| build())
        .filter(|a| a.memory)
        .collect();
    assert_eq!(cases.len(), 8, "eight memory attacks");
    for (i, a) in cases.iter().enumerate() {
        let mut a = a.clone();
        for f in &mut a.files {
            f.name = format!("{i}-{}-{}", a.name, f.name);
        }
        write_case(&a, &dir);
    }
    let mut v = Verdict::new(&format!("{} memory attacks -j {SCAN_THREADS}", cases.len()));
    let threads = SCAN_THREADS.to_string();
    let r = run(
        "scan-json",
        &[
            "scan",
            "--format",
            "json",
            "--color",
            "never",
            "-q",
            "-j",
            &threads,
            dir.to_str().unwrap(),
        ],
        tmp.path(),
        &tmp.path().join("out"),
        (SCAN_TIME_LIMIT, SCAN_AS_LIMIT),
    );
    v.run(&r, false, SCAN_RSS_BOUND);
    if let Some(json) = report(&r, &mut v) {
        let files = json["files"].as_array().cloned().unwrap_or_default();
        if files.len() != cases.len() {
            v.fail(format!("{} results for {} files", files.len(), cases.len()));
        }
        let mut outcomes = Vec::new();
        for f in &files {
            let path = f["path"].as_str().unwrap_or("?");
            let name = path.rsplit('/').next().unwrap_or(path);
            let found = found_fnr(f);
            let limit = f["error_kind"].as_str() == Some("limit");
            outcomes.push(format!(
                "{name}: {}",
                if found {
                    "found"
                } else if limit {
                    "limit"
                } else {
                    "NOT FOUND"
                }
            ));
            if !found && !limit {
                v.fail(format!(
                    "{name}: neither found nor not fully read for a limit"
                ));
            }
        }
        v.outcome = outcomes.join(", ");
    } else {
        v.outcome = "no report".into();
        v.fail("no JSON report".into());
    }
    v.finish();
}
