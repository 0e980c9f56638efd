//! Hostile input (issue 18) as a user meets it at the command line: file names, label
//! fields, properties, sheet names, embedded entry names and text carrying escape sequences
//! and bidirectional controls reach human output only escaped, one result block per file;
//! JSON keeps them exact.

use std::path::Path;
use std::process::{Command, Output};

use o365lint::fixture::{Label, Ooxml, ids};
use o365lint::model::Format;
use o365lint::report::escape::hidden;

fn o365lint(args: &[&str]) -> Output {
    o365lint_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// The binary run in `dir`, with none of its environment variables set.
fn o365lint_in(dir: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_o365lint"));
    c.args(args).current_dir(dir);
    for var in [
        "O365LINT_LABELS",
        "O365LINT_CONFIG",
        "O365LINT_RULES",
        "O365LINT_DETECTORS",
        "O365LINT_SUPPRESSIONS",
        "O365LINT_HASH_KEY",
        "O365LINT_LANG",
        "NO_COLOR",
    ] {
        c.env_remove(var);
    }
    c.output().expect("run o365lint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

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
        assert_eq!(raw_controls(output), [], "{output}");
        assert!(!output.as_bytes().contains(&0x1b), "{output}");
    }
    // Escaped, not dropped: what the file holds can be seen.
    for shown in [
        "vedtak\\x1B]0;pwned\\x07\\x1B[2J\\x1B[1A\\u{9B}8m\\x1B[8m\\u{202E}xcod\\u{2066}\\u{200B}\\u{FEFF}.docx: ",
        "notat.docx: Åpen\\r\\n    docx, not encrypted\\n\\tnotat.docx: ",
        "\"Amber\\x1B]0;pwned",
        "Standard\\x1B]0;pwned",
        "embedded word/embeddings/vedlegg\\x1B]0;pwned",
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
    assert!(summary.starts_with("3 files: 3 read"), "{summary}");

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
    assert_eq!(out.status.code(), Some(2), "{errors}");
    for output in [&text, &errors] {
        assert_eq!(raw_controls(output), [], "{output}");
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
    assert_eq!(raw_controls(&errors), [], "{errors}");
    // (Clap drops the escape sequences it knows itself; the rest is escaped.)
    assert!(errors.contains("invalid value 'aldri"), "{errors}");
    let out = o365lint(&["explain", &format!("PII-01{ESCAPES}{BIDI}")]);
    assert_eq!(out.status.code(), Some(2));
    let errors = stderr(&out);
    assert_eq!(raw_controls(&errors), [], "{errors}");
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
        assert_eq!(raw_controls(&all), [], "{all}");
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
