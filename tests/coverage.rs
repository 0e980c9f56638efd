//! Coverage is reported, never implied (issue 19, defects 4–6): what a walk passes over is
//! counted and noted, files whose content was not (fully) checked say why, the exit code
//! tells a failed run (2) from one that left files unchecked (3), and text-bearing files
//! that are not Office documents are read and checked.

mod support;
use std::path::Path;
use std::process::Output;
use support::o365lint;

use serde_json::Value;

fn json(args: &[&str]) -> (Value, Output) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend(args);
    let out = o365lint(&all);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn docx() -> Vec<u8> {
    o365lint::fixture::demo_files().remove(0).1
}

/// Every file walked is counted once: read and checked, not (fully) checked, unreadable,
/// skipped.
fn identity(summary: &Value) {
    let n = |k: &str| summary[k].as_u64().unwrap();
    assert_eq!(
        n("checked") + n("not_checked") + n("unreadable") + n("skipped"),
        n("files"),
        "{summary}"
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_not_followed_are_counted_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("b.docx"), docx()).unwrap();
    std::fs::create_dir(outside.path().join("mappe")).unwrap();
    std::fs::write(dir.path().join("a.docx"), docx()).unwrap();
    std::os::unix::fs::symlink(outside.path().join("b.docx"), dir.path().join("b.docx")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("mappe"), dir.path().join("mappe")).unwrap();
    let (v, _) = json(&[s(dir.path())]);
    let sum = &v["summary"];
    assert_eq!(sum["skipped_by_kind"]["symbolic-link"], 1, "{sum}");
    assert_eq!(sum["walk"]["links_not_followed"], 1, "{sum}");
    assert!(
        sum["walk"]["notes"].to_string().contains("ikke fulgt"),
        "{sum}"
    );
    identity(sum);
    let text = String::from_utf8(o365lint(&["scan", s(dir.path())]).stdout).unwrap();
    assert!(text.contains("1 symbolsk lenke"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_read_is_counted_as_a_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.docx"), docx()).unwrap();
    let closed = dir.path().join("lukket");
    std::fs::create_dir(&closed).unwrap();
    std::fs::write(closed.join("b.docx"), docx()).unwrap();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = if std::fs::read_dir(&closed).is_ok() {
        // Root reads every folder (CI runs as root): the scan runs as nobody instead, from
        // a copy of the binary nobody may run, over files nobody may read but the one.
        as_nobody(dir.path(), &["scan", "--format", "json", s(dir.path())])
    } else {
        o365lint(&["scan", "--format", "json", s(dir.path())])
    };
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let sum = &v["summary"];
    assert_eq!(sum["walk"]["unreadable_folders"], 1, "{sum}");
    assert_eq!(sum["files"], 1, "the folder is not a file: {sum}");
    identity(sum);
    // Its files were not checked: 3.
    assert_eq!(out.status.code(), Some(3));
}

/// The binary run as the user nobody (`setpriv`, util-linux), for a test run as root.
/// `dir` and what is in it are opened to others first; a copy of the binary goes there.
fn as_nobody(dir: &Path, args: &[&str]) -> Output {
    use std::os::unix::fs::PermissionsExt;
    let open = |p: &Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
    open(dir, 0o755).unwrap();
    open(&dir.join("a.docx"), 0o644).unwrap();
    let bin = dir.join("o365lint");
    // Copied by another process: a write handle held here could be inherited by a process
    // another test starts meanwhile, and the copy could not run ("text file busy").
    let copied = std::process::Command::new("cp")
        .arg(env!("CARGO_BIN_EXE_o365lint"))
        .arg(&bin)
        .status()
        .unwrap();
    assert!(copied.success());
    open(&bin, 0o755).unwrap();
    let mut c = std::process::Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args(args)
        .current_dir(dir);
    let out = support::clean(c)
        .output()
        .expect("setpriv (util-linux) runs the scan as nobody");
    std::fs::remove_file(&bin).unwrap();
    out
}

#[test]
fn a_path_given_twice_is_scanned_once_and_the_duplicate_counted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.docx"), docx()).unwrap();
    let a = dir.path().join("a.docx");
    let (v, _) = json(&[s(dir.path()), s(&a), s(&a)]);
    assert_eq!(v["files"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["summary"]["walk"]["duplicates"], 2, "{}", v["summary"]);
    identity(&v["summary"]);
}

#[test]
fn an_include_that_matches_nothing_warns_and_is_not_a_clean_scan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.docx"), docx()).unwrap();
    let out = o365lint(&["scan", "--lang", "en", "--include", "*.pdf", s(dir.path())]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing scanned"), "{err}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("nothing scanned"),
        "the summary says so too"
    );
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(target_os = "linux")]
#[test]
fn a_name_that_is_not_utf8_is_counted_and_noted() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"m\xf8te.docx");
    std::fs::write(dir.path().join(name), docx()).unwrap();
    let (v, _) = json(&[s(dir.path())]);
    assert_eq!(
        v["summary"]["walk"]["names_not_utf8"], 1,
        "{}",
        v["summary"]
    );
    let f = &v["files"][0];
    assert!(f["path"].as_str().unwrap().contains('\u{fffd}'), "{f}");
    assert!(f["notes"].to_string().contains("UTF-8"), "{f}");
}

#[test]
fn a_legacy_file_whose_text_is_not_read_is_counted_with_its_reason() {
    // A Word 6/95 document: its text is not read. (The fixture writes a Word 97 FIB; its
    // wIdent and nFib say Word 6 instead.)
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gammel.doc");
    let mut bytes = o365lint::fixture::LegacyFile::new(o365lint::fixture::Legacy::Doc).build();
    let fib = [0xEC, 0xA5, 0xC1, 0x00];
    let at = bytes.windows(4).position(|w| w == fib).expect("the FIB");
    bytes[at..at + 4].copy_from_slice(&[0xDC, 0xA5, 0x65, 0x00]);
    std::fs::write(&path, bytes).unwrap();
    let (v, out) = json(&[s(&path)]);
    let f = &v["files"][0];
    assert_eq!(f["content"], "none", "{f}");
    assert_eq!(f["not_checked"][0], "format-not-read", "{f}");
    assert_eq!(v["summary"]["not_checked_by_reason"]["format-not-read"], 1);
    identity(&v["summary"]);
    assert_eq!(out.status.code(), Some(3));
    let ok = o365lint(&["scan", "--allow-incomplete=format-not-read", s(&path)]);
    assert_ne!(ok.status.code(), Some(3));
}

#[test]
fn a_legacy_workbook_is_read_and_checked() {
    let (v, _) = json(&["fixtures/demo/10-gammelt-regneark.xls"]);
    let f = &v["files"][0];
    assert_eq!(f["content"], "full", "{f}");
    assert!(
        f.get("not_checked")
            .is_none_or(|n| n.as_array().unwrap().is_empty()),
        "{f}"
    );
    identity(&v["summary"]);
}

#[test]
fn a_damaged_file_exits_3_and_a_broken_configuration_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = docx();
    std::fs::write(dir.path().join("a.docx"), &good[..good.len() / 3]).unwrap();
    let out = o365lint(&["scan", s(dir.path())]);
    assert_eq!(out.status.code(), Some(3));
    let config = dir.path().join("o365lint.toml");
    std::fs::write(&config, "fail_on = \"sometimes\"\n").unwrap();
    let out = o365lint(&["scan", "--config", s(&config), s(dir.path())]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A text-bearing file holding a valid fødselsnummer gives a PII finding, says its format
/// and that it cannot carry a label, and has no LBL-01.
fn text_file_is_checked(name: &str, bytes: &[u8], format: &str, include: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let mut args = vec![];
    if let Some(i) = include {
        args.extend(["--include", i, s(dir.path())]);
    } else {
        args.push(s(&file));
    }
    let (v, _) = json(&args);
    let f = &v["files"][0];
    assert_eq!(f["format"], format, "{f}");
    assert_eq!(f["label_status"], "cannot-carry", "{f}");
    let rules = f["findings"].to_string();
    assert!(rules.contains("PII-"), "{name}: {rules}");
    assert!(!rules.contains("LBL-01"), "{name}: {rules}");
    assert!(!v.to_string().contains("15108695088"), "masked");
}

#[test]
fn rtf_saved_as_doc_is_read_and_checked() {
    text_file_is_checked(
        "vedtak.doc",
        b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Vedtak for Kari Nordmann, f\\'f8dselsnummer 15108695088\\par}",
        "rtf",
        None,
    );
}

#[test]
fn html_saved_as_xls_is_read_and_checked() {
    text_file_is_checked(
        "eksport.xls",
        b"<html><body><table><tr><td>Navn</td><td>F\xc3\xb8dselsnummer</td></tr><tr><td>Kari Nordmann</td><td>15108695088</td></tr></table></body></html>",
        "html",
        None,
    );
}

#[test]
fn csv_and_text_exports_are_read_and_checked() {
    text_file_is_checked(
        "eksport.csv",
        "navn;fødselsnummer\nKari Nordmann;15108695088\n".as_bytes(),
        "csv",
        Some("*.csv"),
    );
    text_file_is_checked(
        "notat.txt",
        "Saksnotat\nFødselsnummer: 15108695088\n".as_bytes(),
        "text",
        None,
    );
}
