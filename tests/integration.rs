//! The integration files of issue 22: `.pre-commit-hooks.yaml` is valid, its file pattern
//! takes every Office extension o365lint reads, and each hook's entry runs as pre-commit
//! runs it; `docs/examples/check-upload.sh` gates an upload on the verdict, with the exit
//! codes it promises.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use o365lint::fixture::{Label, Ooxml, ids};
use o365lint::model::{Format, LEGACY_EXTENSIONS, OOXML_EXTENSIONS};
use serde_json::Value;
use support::{clean, stderr, stdout};

const FNR: &str = "15108695088";
const SITE: &str = "https://oslo.sharepoint.com/sites/prosjekt";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Tools the CI installs: there, a missing one is a failure, not a skip.
fn required() -> bool {
    std::env::var_os("O365LINT_REQUIRE_TOOLS").is_some()
}

/// A folder with an allowed document (labelled Intern), a blocked one (unlabelled, a
/// fødselsnummer in its text), a damaged one and a configuration naming the project site.
fn documents() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let labelled = Ooxml::new(Format::Docx)
        .label_info(vec![Label::new(ids::INTERN, ids::TENANT)])
        .text("Referat fra møtet")
        .build();
    std::fs::write(dir.path().join("referat.docx"), labelled).unwrap();
    let unlabelled = Ooxml::new(Format::Docx)
        .text(&format!("Søker {FNR}"))
        .build();
    std::fs::write(dir.path().join("søknad.docx"), unlabelled).unwrap();
    std::fs::write(dir.path().join("skadet.docx"), b"PK\x03\x04 not a zip").unwrap();
    std::fs::write(
        dir.path().join("o365lint.toml"),
        format!(
            "[[destination]]\nname = \"Prosjekt\"\npattern = \"{SITE}/**\"\n\
             max_class = \"beskyttet\"\nkind = \"team-site\"\n"
        ),
    )
    .unwrap();
    dir
}

/// The hooks as the file's lines give them: a list of maps of plain, quoted, flow-list
/// and folded (`>-`) values; exactly the YAML subset the file uses, so that a test without
/// a YAML library still reads every field (and PyYAML, where present, agrees).
fn hooks_by_lines(text: &str) -> Vec<BTreeMap<String, Value>> {
    let mut hooks: Vec<BTreeMap<String, Value>> = Vec::new();
    let mut folding: Option<String> = None;
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(key) = &folding {
            if line.starts_with("    ") {
                let hook = hooks.last_mut().unwrap();
                let Value::String(s) = hook.get_mut(key).unwrap() else {
                    unreachable!()
                };
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(line.trim());
                continue;
            }
            folding = None;
        }
        let entry = if let Some(rest) = line.strip_prefix("- ") {
            hooks.push(BTreeMap::new());
            rest
        } else {
            line.strip_prefix("  ")
                .unwrap_or_else(|| panic!("not a hook's field: {line:?}"))
        };
        let (key, value) = entry
            .split_once(':')
            .unwrap_or_else(|| panic!("no key: {line:?}"));
        let value = value.trim();
        let parsed = if value == ">-" {
            folding = Some(key.to_string());
            Value::String(String::new())
        } else if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            Value::Array(
                items
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            )
        } else if let Some(quoted) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            Value::String(quoted.replace("''", "'"))
        } else if value == "true" || value == "false" {
            Value::Bool(value == "true")
        } else {
            Value::String(value.to_string())
        };
        hooks.last_mut().unwrap().insert(key.to_string(), parsed);
    }
    hooks
}

/// The file as PyYAML reads it, if python3 has it.
fn hooks_by_pyyaml(path: &Path) -> Option<Value> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))",
        ])
        .arg(path)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| serde_json::from_slice(&out.stdout).unwrap())
}

/// A hook's entry and arguments run on `files`, as pre-commit runs it (in the repository,
/// the file names last): the exit code and the output.
fn run_hook(
    hook: &BTreeMap<String, Value>,
    extra: &[&str],
    dir: &Path,
    files: &[&str],
) -> (i32, String) {
    let entry = hook["entry"].as_str().unwrap();
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("o365lint"), "{entry}");
    let mut c = clean(Command::new(env!("CARGO_BIN_EXE_o365lint")));
    c.args(words)
        .args(
            hook["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap()),
        )
        .args(extra)
        .args(files)
        .current_dir(dir);
    let out = c.output().unwrap();
    (
        out.status.code().unwrap(),
        format!("{}{}", stdout(&out), stderr(&out)),
    )
}

#[test]
fn the_pre_commit_hooks_are_valid_and_run() {
    let path = root().join(".pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let hooks = hooks_by_lines(&text);
    match hooks_by_pyyaml(&path) {
        Some(yaml) => assert_eq!(serde_json::to_value(&hooks).unwrap(), yaml),
        None => {
            assert!(!required(), "python3 with PyYAML is not installed");
            eprintln!("SKIPPED: reading the hooks with PyYAML: apt-get install python3-yaml");
        }
    }
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["o365lint", "o365lint-check"]);
    for hook in &hooks {
        for key in ["name", "description", "entry", "language", "files"] {
            assert!(hook[key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
        }
        assert_eq!(hook["language"], "system");
        // Every Office extension the tool reads, in any case, and nothing else.
        let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
        for ext in OOXML_EXTENSIONS.iter().chain(LEGACY_EXTENSIONS) {
            for name in [format!("a/b.{ext}"), format!("B.{}", ext.to_uppercase())] {
                assert!(files.is_match(&name), "{name}");
            }
        }
        for name in ["notat.txt", "a.docx.bak", "docx", "rapport.pdf", "a.csv"] {
            assert!(!files.is_match(name), "{name}");
        }
    }

    let dir = documents();
    let scan = &hooks[0];
    let (code, out) = run_hook(scan, &[], dir.path(), &["referat.docx"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_hook(scan, &[], dir.path(), &["referat.docx", "søknad.docx"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("søknad.docx") && out.contains("PII-01"),
        "{out}"
    );
    assert!(!out.contains(FNR), "{out}");
    // Files with findings of at least a warning are shown (the missing footer text).
    assert!(out.contains("warning MRK-01"), "{out}");

    let check = &hooks[1];
    let to_site = ["--destination", "Prosjekt"];
    let (code, out) = run_hook(check, &to_site, dir.path(), &["referat.docx"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_hook(
        check,
        &to_site,
        dir.path(),
        &["referat.docx", "søknad.docx"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Kan ikke lastes opp: søknad.docx"), "{out}");
    // Without its destination the hook fails and says what is missing.
    let (code, out) = run_hook(check, &[], dir.path(), &["referat.docx"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--destination"), "{out}");
}

/// `docs/examples/check-upload.sh FILE DEST -- upload…` in `dir`, with the binary and the
/// configuration given by environment: its exit code, standard error, and whether the upload
/// command ran.
fn gate(dir: &Path, args: &[&str], lang: &str) -> (i32, String, bool) {
    let uploaded = dir.join("lastet-opp");
    let _ = std::fs::remove_file(&uploaded);
    let script: PathBuf = root().join("docs/examples/check-upload.sh");
    let out = clean(Command::new("bash"))
        .arg(&script)
        .args(args)
        .args(["--", "touch"])
        .arg(&uploaded)
        .env("O365LINT", env!("CARGO_BIN_EXE_o365lint"))
        .env("O365LINT_CONFIG", dir.join("o365lint.toml"))
        .env("O365LINT_LANG", lang)
        .env("CHECK_UPLOAD_JSON", dir.join("svar.json"))
        .current_dir(dir)
        .output()
        .unwrap();
    (out.status.code().unwrap(), stderr(&out), uploaded.exists())
}

#[test]
fn the_upload_wrapper_uploads_only_what_may_go() {
    let dir = documents();
    let d = dir.path();
    let stored = || -> Value {
        serde_json::from_str(&std::fs::read_to_string(d.join("svar.json")).unwrap()).unwrap()
    };

    let (code, err, uploaded) = gate(d, &["referat.docx", "Prosjekt"], "nb");
    assert_eq!((code, uploaded), (0, true), "{err}");
    assert_eq!(stored()["files"][0]["check"]["verdict"], "allowed");

    let (code, err, uploaded) = gate(d, &["søknad.docx", &format!("{SITE}/Dokumenter")], "nb");
    assert_eq!((code, uploaded), (1, false), "{err}");
    assert!(err.starts_with("Kan ikke lastes opp: søknad.docx"), "{err}");
    assert!(
        err.contains("DST-02") && err.ends_with("Ikke lastet opp.\n"),
        "{err}"
    );
    assert!(!err.contains(FNR), "{err}");
    assert_eq!(stored()["files"][0]["check"]["verdict"], "blocked");
    assert!(
        !std::fs::read_to_string(d.join("svar.json"))
            .unwrap()
            .contains(FNR)
    );

    let (code, err, uploaded) = gate(d, &["søknad.docx", "Prosjekt"], "en");
    assert_eq!((code, uploaded), (1, false), "{err}");
    assert!(err.starts_with("May not be uploaded: søknad.docx"), "{err}");
    assert!(err.ends_with("Not uploaded.\n"), "{err}");

    // A place no rule knows is blocked by the gate (CHECK_UPLOAD_UNKNOWN=block).
    let (code, err, uploaded) = gate(d, &["referat.docx", "https://example.org/x"], "nb");
    assert_eq!((code, uploaded), (1, false), "{err}");

    let (code, err, uploaded) = gate(d, &["skadet.docx", "Prosjekt"], "nb");
    assert_eq!((code, uploaded), (3, false), "{err}");
    assert!(err.contains("kunne ikke leses"), "{err}");

    let (code, err, uploaded) = gate(d, &["referat.docx", "Prosjekt", "--config", "/x"], "nb");
    assert_eq!((code, uploaded), (2, false), "{err}");
    assert!(err.starts_with("bruk: "), "{err}");

    // A configuration that cannot be read: the check failed, nothing uploaded.
    std::fs::write(d.join("o365lint.toml"), "[[destination]]\nnonsense = 1\n").unwrap();
    let (code, err, uploaded) = gate(d, &["referat.docx", "Prosjekt"], "en");
    assert_eq!((code, uploaded), (2, false), "{err}");
    assert!(err.contains("Not uploaded: the check failed"), "{err}");
}

/// `o365lint ARGS` (a `serve` command line of the docs, its port made 0 and its
/// configuration file `config`) starts, answers `/health` and stops on SIGTERM.
fn serves(args: &[&str], config: &Path, env: &[(&str, &str)]) {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    for i in 1..args.len() {
        match args[i - 1].as_str() {
            "--listen" => args[i] = args[i].replace(":8080", ":0"),
            "--config" => args[i] = config.display().to_string(),
            _ => {}
        }
    }
    /// Killed if the test fails before it stops it: a server left running would hold the
    /// test's output open.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Running(
        clean(Command::new(env!("CARGO_BIN_EXE_o365lint")))
            .args(&args)
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut err = BufReader::new(child.0.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let (_, addr) = line
        .trim()
        .split_once("listening on http://")
        .unwrap_or_else(|| panic!("{args:?}: {line}"));
    let port = addr.rsplit(':').next().unwrap();
    let mut s = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    s.write_all(b"GET /health HTTP/1.0\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.0 200"), "{answer}");
    Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(child.0.wait().unwrap().success(), "{args:?}");
}

#[test]
fn the_service_unit_and_the_container_start_the_server_as_documented() {
    let dir = documents();
    let config = dir.path().join("o365lint.toml");
    let examples = root().join("docs/examples");

    let unit = std::fs::read_to_string(examples.join("o365lint-serve.service")).unwrap();
    for hardening in [
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=\n",
        "MemoryMax=",
        "SystemCallFilter=@system-service",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    ] {
        assert!(unit.contains(hardening), "{hardening}");
    }
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .unwrap();
    let words: Vec<&str> = exec.split_whitespace().collect();
    assert_eq!(words[0], "/usr/local/bin/o365lint");
    assert!(exec.contains("--listen 127.0.0.1:"), "{exec}");
    serves(&words[1..], &config, &[]);
    // systemd's own reading of the unit, with the binary where it is here.
    match Command::new("systemd-analyze").arg("--version").output() {
        Ok(_) => {
            let here = dir.path().join("o365lint-serve.service");
            std::fs::write(
                &here,
                unit.replace("/usr/local/bin/o365lint", env!("CARGO_BIN_EXE_o365lint")),
            )
            .unwrap();
            let out = Command::new("systemd-analyze")
                .arg("verify")
                .arg(&here)
                .output()
                .unwrap();
            let err = stderr(&out);
            assert!(out.status.success() && err.is_empty(), "{err}");
        }
        Err(_) => eprintln!("SKIPPED: systemd-analyze verify: no systemd here"),
    }

    // The container's command line: beyond localhost, so only with a token.
    let file = std::fs::read_to_string(examples.join("Containerfile")).unwrap();
    let entry = file
        .lines()
        .find_map(|l| l.strip_prefix("ENTRYPOINT "))
        .unwrap();
    let entry: Vec<String> = serde_json::from_str(entry).unwrap();
    assert_eq!(entry[0], "/usr/local/bin/o365lint");
    assert!(file.contains("\nUSER 65532:65532\n") && file.contains(" AS build\n"));
    let mut args: Vec<&str> = entry[1..].iter().map(String::as_str).collect();
    args.extend(["--config", "o365lint.toml"]);
    let refused = clean(Command::new(env!("CARGO_BIN_EXE_o365lint")))
        .args(&args)
        .env_remove("O365LINT_SERVE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    serves(
        &args,
        &config,
        &[("O365LINT_SERVE_TOKEN", "k3mmelig-n0kkel")],
    );
}
