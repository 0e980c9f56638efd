//! Hostile input (issue 18) as a user meets it at the command line: file names, label
//! fields, properties, sheet names, embedded entry names and text carrying escape sequences
//! and bidirectional controls reach human output only escaped, one result block per file;
//! JSON keeps them exact.

mod support;
use std::path::Path;
use std::process::Output;
use support::{o365lint, o365lint_in, o365lint_with, stderr, stdout};

use o365lint::fixture::{Label, Ooxml, ids};
use o365lint::model::Format;
use o365lint::report::escape::hidden;

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Escape character, CSI (as C1), OSC window title, erase screen, cursor up, concealed text.
const ESCAPES: &str = "\x1b]0;pwned\x07\x1b[2J\x1b[1A\u{9b}8m\x1b[8m";
/// Right-to-left override and isolates, zero-width space, byte-order mark.
const BIDI: &str = "\u{202e}xcod\u{2066}\u{200b}\u{feff}";

/// A file name, label, property, sheet, embedded entry and text carrying escapes; and a
/// file whose name forges a whole report block after a line break.
fn hostile_files(dir: &Path) -> Vec<String> {
    let embedded = Ooxml::new(Format::Docx).text("innebygd").build();
    let foreign = Label::new(ids::FOREIGN_LABEL, ids::FOREIGN_TENANT)
        .name(&format!("Amber{ESCAPES}{BIDI}"))
        .method(&format!("Standard{ESCAPES}"));
    let docx = Ooxml::new(Format::Docx)
        .text(&format!("Vedtak{ESCAPES}\r\nlinje to{BIDI}"))
        .custom_label(&foreign)
        .custom_property("Firma", &format!("Etat{ESCAPES}{BIDI}"))
        .part(&format!("word/embeddings/vedlegg{ESCAPES}.docx"), embedded)
        .build();
    let xlsx = Ooxml::new(Format::Xlsx)
        .text("celle")
        .xml_part(
            "xl/workbook.xml",
            None,
            format!("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Ark{ESCAPES}{BIDI}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        )
        .build();
    let names = [
        format!("vedtak{ESCAPES}{BIDI}.docx"),
        // After the line break, what a clean, labelled file's block would say.
        "notat.docx: Åpen\r\n    docx, not encrypted\n\tnotat.docx".to_string(),
        format!("liste{BIDI}.xlsx"),
    ];
    std::fs::write(dir.join(&names[0]), &docx).unwrap();
    std::fs::write(dir.join(&names[1]), &docx).unwrap();
    std::fs::write(dir.join(&names[2]), &xlsx).unwrap();
    names.to_vec()
}

/// The characters of `out` a terminal would obey or that hide text, but line feeds.
fn raw_controls(out: &str) -> Vec<char> {
    out.chars().filter(|c| *c != '\n' && hidden(*c)).collect()
}

#[cfg(unix)]
#[test]
fn scan_text_shows_hostile_names_and_fields_escaped_one_block_per_file() {
    let tmp = tempfile::tempdir().unwrap();
    let names = hostile_files(tmp.path());
    let out = o365lint(&["scan", path(tmp.path())]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    for output in [&text, &stderr(&out)] {
        assert!(raw_controls(output).is_empty(), "{output}");
        assert!(!output.as_bytes().contains(&0x1b), "{output}");
    }
    // Escaped, not dropped: what the file holds can be seen.
    for shown in [
        "vedtak\\x1B]0;pwned\\x07\\x1B[2J\\x1B[1A\\u{9B}8m\\x1B[8m\\u{202E}xcod\\u{2066}\\u{200B}\\u{FEFF}.docx: ",
        "notat.docx: Åpen\\r\\n    docx, not encrypted\\n\\tnotat.docx: ",
        "\"Amber\\x1B]0;pwned",
        "Standard\\x1B]0;pwned",
        "innebygd word/embeddings/vedlegg\\x1B]0;pwned",
    ] {
        assert!(text.contains(shown), "{shown}:\n{text}");
    }
    // One block per file: every line that is not indented is a file's headline (or the
    // summary after the blank line).
    let dir = path(tmp.path());
    let (blocks, summary) = text.split_once("\n\n").unwrap();
    let headlines: Vec<&str> = blocks.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(headlines.len(), names.len(), "{text}");
    assert!(headlines.iter().all(|l| l.starts_with(dir)), "{text}");
    assert!(summary.starts_with("3 filer: 3 lest"), "{summary}");

    // JSON keeps every string exact.
    let out = o365lint(&["scan", "--format", "json", dir]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut expected: Vec<String> = names.iter().map(|n| format!("{dir}/{n}")).collect();
    expected.sort();
    assert_eq!(paths, expected);
    let file = &json["files"][2];
    assert!(file["path"].as_str().unwrap().contains("vedtak"), "{file}");
    assert_eq!(
        file["labels"][0]["name"].as_str().unwrap(),
        format!("Amber{ESCAPES}{BIDI}")
    );
    assert!(
        file["embedded"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with(&format!("vedlegg{ESCAPES}.docx")),
        "{file}"
    );
}

#[cfg(unix)]
#[test]
fn text_shows_hostile_names_parts_places_and_text_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let names = hostile_files(tmp.path());
    let mut args = vec!["text".to_string()];
    args.extend(names.iter().map(|n| format!("{}/{n}", path(tmp.path()))));
    // A file that cannot be read: its error on standard error names it, escaped.
    args.push(format!("{}/tom{ESCAPES}.docx", path(tmp.path())));
    std::fs::write(tmp.path().join(format!("tom{ESCAPES}.docx")), b"").unwrap();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = o365lint(&args);
    let text = stdout(&out);
    let errors = stderr(&out);
    // The run finished, a file could not be read: 3.
    assert_eq!(out.status.code(), Some(3), "{errors}");
    for output in [&text, &errors] {
        assert!(raw_controls(output).is_empty(), "{output}");
    }
    assert!(errors.contains("tom\\x1B]0;pwned"), "{errors}");
    for shown in [
        "== ",
        // The paragraph's own line break (XML reads `\r\n` as `\n`) keeps its lines, each
        // indented below the place.
        "    Vedtak\\x1B]0;pwned\\x07\\x1B[2J\\x1B[1A\\u{9B}8m\\x1B[8m\n    linje to\\u{202E}xcod",
        "Etat\\x1B]0;pwned",
        "Ark\\x1B]0;pwned",
    ] {
        assert!(text.contains(shown), "{shown}:\n{text}");
    }
    // A header per file, whatever its name; every other line is a part's name or indented.
    let headers = text.lines().filter(|l| l.starts_with("== ")).count();
    assert_eq!(headers, names.len() + 1, "{text}");
    let forged = text
        .lines()
        .filter(|l| l.starts_with("notat.docx") || l.starts_with("    docx"))
        .count();
    assert_eq!(forged, 0, "{text}");

    // JSON lines keep the text exact.
    let out = o365lint(&["text", "--format", "jsonl", args[1]]);
    let jsonl = stdout(&out);
    assert!(
        jsonl.lines().any(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"] == format!("Vedtak{ESCAPES}\nlinje to{BIDI}")
        }),
        "{jsonl}"
    );
}

#[test]
fn usage_errors_and_unknown_rules_are_escaped() {
    let out = o365lint(&["scan", "--fail-on", &format!("aldri{ESCAPES}"), "x"]);
    assert_eq!(out.status.code(), Some(2));
    let errors = stderr(&out);
    assert!(raw_controls(&errors).is_empty(), "{errors}");
    // (Clap drops the escape sequences it knows itself; the rest is escaped.)
    assert!(errors.contains("invalid value 'aldri"), "{errors}");
    let out = o365lint(&["explain", &format!("PII-01{ESCAPES}{BIDI}")]);
    assert_eq!(out.status.code(), Some(2));
    let errors = stderr(&out);
    assert!(raw_controls(&errors).is_empty(), "{errors}");
    assert!(errors.contains("no rule \"PII-01\\x1B]0;pwned"), "{errors}");
    // Help is still clap's own.
    let out = o365lint(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Usage: o365lint"), "{}", stdout(&out));
}

const FNR: &str = "15108695088";

/// Whether `out` holds the planted fødselsnummer, separators removed.
fn shows_fnr(out: &str) -> bool {
    let squashed: String = out
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    squashed.contains(FNR)
}

#[test]
fn folder_paths_and_arguments_are_shown_masked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(format!("saker {FNR}"));
    std::fs::create_dir(&dir).unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(manifest.join("rules/labels.toml"), dir.join("labels.toml")).unwrap();
    let config = dir.join("o365lint.toml");
    std::fs::write(
        &config,
        format!(
            "labels = \"labels.toml\"\nextend = []\n[walk]\nexclude = [\"Arkiv {FNR}\"]\n[thresholds]\n\"terskel {FNR}\" = 3\n[[business]]\nname = \"Bydel {FNR}\"\npattern = \"**/{FNR}\\u001B\\u202E/**\"\n"
        ),
    )
    .unwrap();
    let labels = dir.join("labels.toml");
    let demo = "fixtures/demo/09-ukjent-merking.pptx";
    let outputs = [
        o365lint(&["config", "print", "--config", path(&config)]),
        o365lint(&["scan", "--format", "json", "--labels", path(&labels), demo]),
        o365lint(&["scan", "--format", "jsonl", "--labels", path(&labels), demo]),
        o365lint(&["scan", "--labels", path(&labels), demo]),
        o365lint(&["labels", "list", "--labels", path(&labels)]),
        o365lint(&["explain", FNR]),
        o365lint(&["scan", "--fail-on", FNR, demo]),
    ];
    for out in &outputs {
        let all = format!("{}{}", stdout(out), stderr(out));
        assert!(!shows_fnr(&all), "{all}");
        assert!(all.contains("151086*****"), "not vacuous: {all}");
        assert!(raw_controls(&all).is_empty(), "{all}");
    }
    let printed = stdout(&outputs[0]);
    for shown in [
        "exclude = [\"Arkiv 151086*****\"]",
        "\"terskel 151086*****\" = 3",
        "name = \"Bydel 151086*****\"",
        // The escape is shown, inside a literal TOML string.
        "pattern = '**/151086*****\\x1B\\u{202E}/**'",
    ] {
        assert!(printed.contains(shown), "{shown}:\n{printed}");
    }
    let json: serde_json::Value = serde_json::from_str(&stdout(&outputs[1])).unwrap();
    let origin = json["catalogue"]["origin"].as_str().unwrap();
    assert!(
        origin.ends_with("saker 151086*****/labels.toml"),
        "{origin}"
    );
    assert_eq!(stdout(&outputs[5]), "");
    assert!(
        stderr(&outputs[5]).contains("no rule \"151086*****\""),
        "{}",
        stderr(&outputs[5])
    );
}

/// What a share writer plants: findings never fail the run, nothing is confident enough to
/// report, every document is excluded, and hashes are made with a key they know.
const PLANTED: &str = "fail_on = \"never\"\nhash_key = \"kjent\"\n[thresholds]\nmin_confidence = 100\n[walk]\nexclude = [\"*.docx\"]\n";

/// A share with an unlabelled document holding a fødselsnummer (LBL-01 error, PII-01).
fn share(root: &Path) -> std::path::PathBuf {
    let share = root.join("share");
    std::fs::create_dir_all(share.join("sub")).unwrap();
    let docx = Ooxml::new(Format::Docx)
        .text(&format!("Fødselsnummer: {FNR}"))
        .build();
    std::fs::write(share.join("vedtak.docx"), &docx).unwrap();
    std::fs::write(share.join("sub/notat.docx"), &docx).unwrap();
    share
}

/// A JSON report's summary without what changes from run to run or what the planted
/// files add.
fn counts(json: &serde_json::Value) -> serde_json::Value {
    let mut s = json["summary"].clone();
    let s = s.as_object_mut().unwrap();
    s.remove("duration_ms");
    s.remove("configs_not_obeyed");
    // Paths as given, which differ with the folder the scan is run from.
    for f in s
        .get_mut("worst_files")
        .and_then(|w| w.as_array_mut())
        .into_iter()
        .flatten()
    {
        f.as_object_mut().unwrap().remove("path");
    }
    serde_json::Value::Object(s.clone())
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn a_configuration_planted_in_the_scanned_folder_is_not_obeyed_and_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let share = share(tmp.path());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clean = o365lint(&["scan", "--format", "json", path(&share)]);
    assert_eq!(clean.status.code(), Some(1), "{}", stderr(&clean));
    let expected = counts(&json(&clean));
    assert_eq!(expected["files"], 2, "{expected}");
    assert!(stdout(&clean).contains("\"fodselsnummer\""));

    for dir in [&share, &share.join("sub")] {
        std::fs::write(dir.join("o365lint.toml"), PLANTED).unwrap();
    }
    // Scanning the share from elsewhere, from inside it, and from a folder below it.
    // The notes: the two the walk met, and those found from the working directory.
    for (cwd, scanned, notes) in [
        (manifest.to_path_buf(), path(&share).to_string(), 2),
        (share.clone(), ".".to_string(), 3),
        (share.join("sub"), "..".to_string(), 4),
    ] {
        let out = o365lint_in(&cwd, &["scan", "--format", "json", &scanned]);
        let report = json(&out);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(counts(&report), expected, "from {cwd:?}");
        assert!(
            !stdout(&out).contains("\"hash\""),
            "the planted key hashed values"
        );
        let listed: Vec<&str> = report["summary"]["configs_not_obeyed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(listed.len(), 2, "{listed:?}");
        assert!(listed[0].ends_with("o365lint.toml"), "{listed:?}");
        assert!(listed[1].ends_with("sub/o365lint.toml"), "{listed:?}");
        let errors = stderr(&out);
        assert_eq!(
            errors.matches("o365lint.toml følges ikke").count(),
            notes,
            "{errors}"
        );
        if cwd != manifest {
            // The one found from the working directory says why it was passed over.
            assert!(
                errors.contains("følges ikke: den ligger i den skannede mappen"),
                "{errors}"
            );
        }
    }
    // In text, the summary says so.
    let out = o365lint(&["scan", path(&share)]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("2 filer: 2 lest"), "{text}");
    assert!(
        text.contains(
            "share/o365lint.toml følges ikke: en konfigurasjon inne i en skannet mappe leses aldri"
        ),
        "{text}"
    );
    // Given with --config, the user vouches for it: obeyed, and not reported (the other
    // one still is).
    let planted = share.join("o365lint.toml");
    let out = o365lint(&[
        "scan",
        "--format",
        "json",
        "--config",
        path(&planted),
        path(&share),
    ]);
    // Its globs leave nothing to scan: a warning and exit 2, never a clean 0.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ingenting skannet"),
        "{}",
        stderr(&out)
    );
    let report = json(&out);
    assert_eq!(report["summary"]["files"], 0, "{report}");
    let listed = report["summary"]["configs_not_obeyed"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(
        listed[0]
            .as_str()
            .unwrap()
            .ends_with("share/sub/o365lint.toml"),
        "{listed:?}"
    );
}

#[test]
fn configuration_from_the_working_directory_and_the_user_folder_with_provenance() {
    let tmp = tempfile::tempdir().unwrap();
    let share = share(tmp.path());
    let work = tmp.path().join("work");
    let user = tmp.path().join("xdg");
    std::fs::create_dir_all(user.join("o365lint")).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let xdg = [("XDG_CONFIG_HOME", path(&user))];
    // Nothing anywhere: the built-in configuration fails the run.
    let out = o365lint_with(&work, &xdg, &["scan", path(&share)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // The user's configuration folder.
    std::fs::write(user.join("o365lint/o365lint.toml"), "fail_on = \"never\"\n").unwrap();
    let out = o365lint_with(&work, &xdg, &["scan", path(&share)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = o365lint_with(&work, &xdg, &["config", "print"]);
    let printed = stdout(&out);
    assert!(
        printed.contains("# found as: the user's configuration folder"),
        "{printed}"
    );
    assert!(
        printed.contains("fail_on = \"never\"  # from the file"),
        "{printed}"
    );
    // The working directory wins over it.
    std::fs::write(
        work.join("o365lint.toml"),
        "fail_on = \"info\"\nlang = \"en\"\n",
    )
    .unwrap();
    let out = o365lint_with(&work, &xdg, &["scan", path(&share)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("No valid label"), "{}", stdout(&out));
    // config print: which file, how it was found, and where each value came from.
    let env = [
        ("XDG_CONFIG_HOME", path(&user)),
        ("O365LINT_LANG", "nb"),
        ("O365LINT_HASH_KEY", "hemmelig"),
    ];
    let out = o365lint_with(&work, &env, &["config", "print", path(&share)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    for line in [
        format!(
            "# o365lint configuration from {}",
            path(&work.join("o365lint.toml"))
        ),
        "# found as: the nearest o365lint.toml in the working directory or a folder above it"
            .to_string(),
        "fail_on = \"info\"  # from the file".to_string(),
        "lang = \"nb\"  # from O365LINT_LANG".to_string(),
        "# hash_key: set (not shown)  # from O365LINT_HASH_KEY".to_string(),
        "bulk_identifiers = 10  # built-in".to_string(),
        "[[destination]]  # built-in".to_string(),
    ] {
        assert!(printed.lines().any(|l| l == line), "{line}:\n{printed}");
    }
    assert!(!printed.contains("hemmelig"), "{printed}");
    // A configuration in the working directory inside the scanned folder is refused, and
    // config print says so.
    std::fs::write(share.join("o365lint.toml"), PLANTED).unwrap();
    let out = o365lint_with(&share, &xdg, &["config", "print", "."]);
    let printed = stdout(&out);
    assert!(
        printed.contains("# found as: the user's configuration folder"),
        "{printed}"
    );
    assert!(
        printed.contains("o365lint.toml is not obeyed: it lies inside the scanned folder ."),
        "{printed}"
    );
    assert!(
        printed.contains("fail_on = \"never\"  # from the file"),
        "{printed}"
    );
    assert!(printed.contains("# hash_key: not set"), "{printed}");
    // Not scanning the share, the same file is the user's to use.
    let out = o365lint_with(&share, &xdg, &["config", "print"]);
    assert!(stdout(&out).contains("# hash_key: set (not shown)  # from the file"));
}
