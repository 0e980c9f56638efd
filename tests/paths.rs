//! Paths as they are, identifiers in paths as findings, fingerprints that hold (issue 19,
//! defects 1 and 2): dates, case numbers and versions in paths stay readable, no two files
//! look alike or share a fingerprint, a fødselsnummer in a file or folder name is masked
//! and flagged, and suppressions and baselines hold whatever folder a scan starts from.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

mod support;
use support::{o365lint_with, stdout};

use o365lint::fixture::Ooxml;
use o365lint::model::Format;

const FNR: &str = "15108695088";
/// Another valid fødselsnummer of the same date: masked, the two paths look alike.
const FNR_TWIN: &str = "15108640097";

/// The binary run in `dir`, with none of its environment variables but the hash key
/// given, and no user configuration folder.
fn run(dir: &Path, key: Option<&str>, args: &[&str]) -> Output {
    let env: Vec<(&str, &str)> = key.map(|k| ("O365LINT_HASH_KEY", k)).into_iter().collect();
    o365lint_with(dir, &env, args)
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn unlabelled(format: Format) -> Vec<u8> {
    Ooxml::new(format).text("Referat").build()
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn files(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["files"].as_array().unwrap().clone()
}

fn field(files: &[serde_json::Value], name: &str) -> Vec<String> {
    files
        .iter()
        .map(|f| f[name].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Every finding's fingerprint.
fn findings(files: &[serde_json::Value]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap().clone())
        .map(|x| x["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

fn distinct(v: &[String]) -> bool {
    v.iter().collect::<BTreeSet<_>>().len() == v.len()
}

#[test]
fn paths_stay_readable_and_no_two_files_look_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let share = tmp.path().join("share");
    let readable = [
        ("Møtereferat 20250115.docx", Format::Docx),
        ("Møtereferat 20250215.docx", Format::Docx),
        ("Møtereferat 20251015.docx", Format::Docx),
        ("Budsjett 2025-2026.xlsx", Format::Xlsx),
        ("CVE-2016-0122-1.xlsm", Format::Xlsm),
        ("Sak 2024-12345 v1.2.docx", Format::Docx),
    ];
    // Three businesses with the same names.
    let businesses = ["Bydel Frogner", "Helseetaten", "Utdanningsetaten"];
    for business in businesses {
        for (name, format) in readable {
            write(&share.join(business).join(name), &unlabelled(format));
        }
    }
    for n in [FNR, FNR_TWIN] {
        write(
            &share.join(format!("sak {n}.docx")),
            &unlabelled(Format::Docx),
        );
    }
    for key in [None, Some("hemmelig")] {
        let report = json(&run(
            tmp.path(),
            key,
            &["scan", "--format", "json", "share"],
        ));
        let files = files(&report);
        assert_eq!(files.len(), 3 * readable.len() + 2);
        let paths = field(&files, "path");
        for business in businesses {
            for (name, _) in readable {
                let path = format!("share/{business}/{name}");
                assert!(paths.contains(&path), "{path}: {paths:?}");
            }
        }
        // Paths that differ only inside an identifier are told apart, in scan order.
        assert!(paths.contains(&"share/sak 151086*****.docx".to_string()));
        assert!(paths.contains(&"share/sak 151086*****.docx (#2)".to_string()));
        assert!(distinct(&paths), "{paths:?}");
        for name in ["root_path", "fingerprint"] {
            let v = field(&files, name);
            let filled = v.iter().all(|x| !x.is_empty());
            assert!(distinct(&v) && filled, "{name}: {v:?}");
        }
        let prints = findings(&files);
        assert!(
            prints.len() >= files.len() && distinct(&prints),
            "{prints:?}"
        );

        let text = stdout(&run(tmp.path(), key, &["scan", "share"]));
        for (name, _) in readable {
            assert!(text.contains(&format!("/{name}: ingen merking")), "{text}");
        }
        assert!(text.contains("share/sak 151086*****.docx (#2): "), "{text}");
        let args = ["scan", "--format", "jsonl", "share"];
        let jsonl = stdout(&run(tmp.path(), key, &args));
        let lines: Vec<serde_json::Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|l: &serde_json::Value| l.get("path").is_some())
            .collect();
        assert_eq!(field(&lines, "path"), paths);
    }
    let name = "share/Helseetaten/Møtereferat 20250115.docx";
    let text = stdout(&run(tmp.path(), None, &["text", name]));
    assert!(text.starts_with(&format!("== {name}\n")), "{text}");
}

#[test]
fn an_identifier_in_a_file_or_folder_name_is_masked_and_a_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let share = tmp.path().join("share");
    write(
        &share.join(format!("Klient {FNR}")).join("notat.docx"),
        &unlabelled(Format::Docx),
    );
    write(
        &share.join("vedtak 10048745526.docx"),
        &unlabelled(Format::Docx),
    );
    let out = run(tmp.path(), None, &["scan", "--format", "json", "share"]);
    let text = stdout(&out);
    assert!(
        !text.contains(FNR) && !text.contains("10048745526"),
        "{text}"
    );
    let files = files(&json(&out));
    for (path, place, kind) in [
        (
            "share/Klient 151086*****/notat.docx",
            "mappenavn",
            "folder-name",
        ),
        ("share/vedtak 100487*****.docx", "filnavn", "file-name"),
    ] {
        let f = files
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} missing: {text}"));
        let meta = f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["rule"] == "META-03")
            .unwrap_or_else(|| panic!("no META-03 for {path}: {f}"));
        assert_eq!(meta["location"]["where"], place, "{meta}");
        assert_eq!(meta["location"]["kind"], kind, "{meta}");
        assert_eq!(f["detections"][0]["detector"], "fodselsnummer", "{f}");
    }
    // A folder's name is read below the root: not the folders the share is in.
    let out = run(
        &share.join(format!("Klient {FNR}")),
        None,
        &["scan", "--format", "json", "notat.docx"],
    );
    let f = &files_of(&out)[0];
    assert!(
        f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["rule"] != "META-03"),
        "{f}"
    );
}

fn files_of(o: &Output) -> Vec<serde_json::Value> {
    files(&json(o))
}

/// The LBL-01 finding of the file whose path ends in `name`, and whether it was accepted.
fn lbl01(files: &[serde_json::Value], name: &str) -> Option<bool> {
    let f = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(name))?;
    let x = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "LBL-01")?;
    Some(x.get("suppressed").is_some())
}

#[test]
fn a_baseline_accepts_no_look_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let share = tmp.path().join("share");
    let base = tmp.path().join("base.json");
    let baseline = |key: Option<&str>| {
        let out = run(tmp.path(), key, &["scan", "--format", "json", "share"]);
        std::fs::write(&base, stdout(&out)).unwrap();
    };
    let against = |key: Option<&str>| {
        let args = [
            "scan",
            "--format",
            "json",
            "--baseline",
            "base.json",
            "share",
        ];
        let out = run(tmp.path(), key, &args);
        (out.status.code(), files_of(&out))
    };
    // Dates: another meeting's minutes are another file.
    write(
        &share.join("Møtereferat 20250115.docx"),
        &unlabelled(Format::Docx),
    );
    baseline(None);
    write(
        &share.join("Møtereferat 20250215.docx"),
        &unlabelled(Format::Docx),
    );
    let (code, files) = against(None);
    assert_eq!(code, Some(1));
    assert_eq!(lbl01(&files, "Møtereferat 20250115.docx"), Some(true));
    assert_eq!(lbl01(&files, "Møtereferat 20250215.docx"), Some(false));

    // Identifiers: without a secret key, a file whose path holds one cannot be told from
    // a look-alike across scans: nothing the baseline names is accepted, and a note says why.
    std::fs::remove_dir_all(&share).unwrap();
    let sak = |n: &str| share.join(format!("sak {n}.docx"));
    write(&sak(FNR), &unlabelled(Format::Docx));
    baseline(None);
    std::fs::rename(sak(FNR), sak(FNR_TWIN)).unwrap();
    let (code, files) = against(None);
    assert_eq!(code, Some(1));
    assert_eq!(lbl01(&files, "sak 151086*****.docx"), Some(false));
    let notes = files[0]["notes"].to_string();
    assert!(notes.contains("O365LINT_HASH_KEY"), "{notes}");
    // With one, the same file is accepted and its look-alike is not.
    std::fs::rename(sak(FNR_TWIN), sak(FNR)).unwrap();
    baseline(Some("hemmelig"));
    let (code, files) = against(Some("hemmelig"));
    assert_eq!(code, Some(0));
    assert_eq!(lbl01(&files, "sak 151086*****.docx"), Some(true));
    std::fs::rename(sak(FNR), sak(FNR_TWIN)).unwrap();
    let (code, files) = against(Some("hemmelig"));
    assert_eq!(code, Some(1));
    assert_eq!(lbl01(&files, "sak 151086*****.docx"), Some(false));
}

#[test]
fn suppressions_hold_from_any_folder_a_scan_starts_from() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(&dir.join("share/docs/x.docx"), &unlabelled(Format::Docx));
    write(&dir.join("other/docs/x.docx"), &unlabelled(Format::Docx));
    let lbl01_print = |config: &[&str], folder: &str| {
        let mut args = vec!["scan", "--format", "json"];
        args.extend(config);
        args.push(folder);
        let prints = findings(&files_of(&run(dir, None, &args)));
        assert_eq!(prints.len(), 1, "{prints:?}");
        prints[0].clone()
    };
    let accepted = |config: &[&str], ignore: &str, path: &str| {
        let mut args = vec!["scan", "--suppressions", ignore];
        args.extend(config);
        args.push(path);
        run(dir, None, &args).status.code() == Some(0)
    };
    let suppress = |file: &str, print: &str| {
        let entry = format!(
            "[[suppress]]\nfingerprint = \"{print}\"\nreason = \"Mal\"\naccepted_by = \"kari\"\n"
        );
        std::fs::write(dir.join(file), entry).unwrap();
    };
    // No root configured: the canonical absolute path.
    suppress("ignore.toml", &lbl01_print(&[], "share/docs"));
    let absolute = dir.join("share").to_string_lossy().into_owned();
    for path in [
        "share",
        "share/docs/x.docx",
        "./share/../share/docs",
        &absolute,
    ] {
        assert!(accepted(&[], "ignore.toml", path), "{path}");
    }
    assert!(!accepted(&[], "ignore.toml", "other"), "a copy elsewhere");

    // A root with an alias: the same place under two names (a share mounted twice).
    let config = dir.join("config/o365lint.toml");
    let root = |p: &str| toml::Value::String(dir.join(p).to_string_lossy().into_owned());
    write(
        &config,
        format!(
            "root = {}\nroot_aliases = [{}, \"S:\\\\\"]\n",
            root("share"),
            root("other")
        )
        .as_bytes(),
    );
    let with = ["--config", config.to_str().unwrap()];
    let print = lbl01_print(&with, "share/docs");
    assert_eq!(print, lbl01_print(&with, "other"));
    suppress("rooted.toml", &print);
    for path in ["share", "share/docs/x.docx", "other/docs"] {
        assert!(accepted(&with, "rooted.toml", path), "{path}");
    }
    assert!(!accepted(&[], "rooted.toml", "share"), "without the root");
}

#[test]
fn a_file_signature_in_an_error_stays_readable() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("notat.docx"),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    );
    let out = run(tmp.path(), None, &["scan", "notat.docx"]);
    let text = stdout(&out);
    assert!(
        text.contains("unknown file signature 25 50 44 46 2D 31 2E 34"),
        "{text}"
    );
}
