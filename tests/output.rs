//! Output for scans at scale (issue 19, defect 8): filters on the command line, the
//! summary's findings per rule and worst files, and the small things a user meets.

mod support;
use support::{o365lint, stderr, stdout};

use serde_json::Value;

/// A JSON scan of the demo with `extra` options: the exit code and the document.
fn demo_json(extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["scan", "--format", "json", "fixtures/demo"];
    args.extend_from_slice(extra);
    let out = o365lint(&args);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", stdout(&out), stderr(&out));
    });
    (out.status.code(), json)
}

fn files(json: &Value) -> &Vec<Value> {
    json["files"].as_array().unwrap()
}

fn rules_of(file: &Value) -> Vec<&str> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["rule"].as_str().unwrap())
        .collect()
}

/// Without `duration_ms`, which changes from run to run.
fn counts(json: &Value) -> Value {
    let mut s = json["summary"].clone();
    s.as_object_mut().unwrap().remove("duration_ms");
    s
}

#[test]
fn only_findings_and_min_severity_change_what_is_shown_not_what_is_counted() {
    let (code, all) = demo_json(&[]);
    let (filtered_code, filtered) = demo_json(&["--only-findings", "--min-severity", "error"]);
    assert_eq!(
        code, filtered_code,
        "output options never change the exit code"
    );
    assert_eq!(
        counts(&all),
        counts(&filtered),
        "the summary counts everything"
    );
    assert!(files(&filtered).len() < files(&all).len());
    for f in files(&filtered) {
        let findings = f["findings"].as_array().unwrap();
        assert!(
            !findings.is_empty() || !f["error_kind"].is_null(),
            "a file without findings nor an error is left out: {f}"
        );
        assert!(findings.iter().all(|x| x["severity"] == "error"), "{f}");
    }
    // Every file with an error finding is still there.
    let with_errors = |json: &Value| {
        files(json)
            .iter()
            .filter(|f| {
                f["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["severity"] == "error")
            })
            .count()
    };
    assert_eq!(with_errors(&all), with_errors(&filtered));
    // Text output too.
    let text = stdout(&o365lint(&["scan", "--only-findings", "fixtures/demo"]));
    assert!(!text.contains("02-intern-budsjett.xlsx"), "{text}");
}

#[test]
fn rule_and_disable_choose_the_rules_judged() {
    let (_, only) = demo_json(&["--rule", "lbl-01"]);
    let judged: Vec<&str> = files(&only).iter().flat_map(rules_of).collect();
    assert!(
        !judged.is_empty() && judged.iter().all(|r| *r == "LBL-01"),
        "{judged:?}"
    );
    let (code, without) = demo_json(&["--disable", "LBL-01", "--disable", "PII-01"]);
    let judged: Vec<&str> = files(&without).iter().flat_map(rules_of).collect();
    assert!(
        !judged.contains(&"LBL-01") && !judged.contains(&"PII-01"),
        "{judged:?}"
    );
    assert!(code.is_some());
    for option in ["--disable", "--rule"] {
        let out = o365lint(&["scan", option, "NOPE-7", "fixtures/demo"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("NOPE-7"), "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
    // Judging fewer rules can change the exit code (documented): no error left, exit 0
    // (the demo's files whose content is not checked allowed).
    let out = o365lint(&[
        "scan",
        "--allow-incomplete",
        "--rule",
        "META-02",
        "fixtures/demo",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn the_summary_gives_findings_per_rule_and_the_worst_files() {
    let (_, json) = demo_json(&[]);
    let s = &json["summary"];
    let by_rule = s["by_rule"].as_object().expect("by_rule");
    let rank = |w: &Value| match w["severity"].as_str().unwrap() {
        "error" => 3,
        "warning" => 2,
        _ => 1,
    };
    let mut total = 0;
    for f in files(&json) {
        for x in f["findings"].as_array().unwrap() {
            let rule = x["rule"].as_str().unwrap();
            // A rule's severity can differ by file (a threshold per class): the most severe.
            assert!(rank(&by_rule[rule]) >= rank(x), "{rule}");
            total += 1;
        }
    }
    let counted: u64 = by_rule
        .values()
        .map(|r| r["count"].as_u64().unwrap() + r["accepted"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, total);
    let worst = s["worst_files"].as_array().expect("worst_files");
    assert!(!worst.is_empty() && worst.len() <= 10);
    assert_eq!(worst[0]["severity"], "error");
    for pair in worst.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            (rank(a), a["count"].as_u64()) >= (rank(b), b["count"].as_u64()),
            "{a} before {b}"
        );
    }
    let text = stdout(&o365lint(&["scan", "--lang", "en", "fixtures/demo"]));
    assert!(
        text.contains("\nfindings by rule:\n  LBL-01 error: "),
        "{text}"
    );
    assert!(text.contains("\nmost severe findings:\n  "), "{text}");
}

#[test]
fn rules_are_listed_in_the_order_of_their_numbers() {
    let out = stdout(&o365lint(&["rules"]));
    let ids: Vec<&str> = out.lines().filter_map(|l| l.split(' ').next()).collect();
    let position = |id: &str| ids.iter().position(|i| *i == id).unwrap();
    assert!(position("LBL-04") < position("LBL-05"), "{ids:?}");
    assert!(position("LBL-05") < position("LBL-07"), "{ids:?}");
}

#[test]
fn config_print_of_a_missing_path_is_an_error_naming_it() {
    let out = o365lint(&["config", "print", "no-such-folder-here"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("no-such-folder-here"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_header_says_when_on_what_and_with_which_configuration() {
    let rfc3339 = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").unwrap();
    let (_, json) = demo_json(&[]);
    let run = &json["run"];
    assert!(rfc3339.is_match(run["started"].as_str().unwrap()), "{run}");
    assert_eq!(run["roots"], serde_json::json!(["fixtures/demo"]));
    assert!(run["config"]["file"].is_null(), "{run}");
    assert!(
        run["config"]["found_as"]
            .as_str()
            .unwrap()
            .starts_with("built-in"),
        "{run}"
    );
    assert_eq!(json["tool"]["version"], env!("CARGO_PKG_VERSION"));
    // The first line of JSON lines has the same.
    let out = o365lint(&["scan", "--format", "jsonl", "fixtures/demo"]);
    let first: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(first["run"]["roots"], run["roots"]);
    // A configuration given names its file and how it was found.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("o365lint.toml");
    std::fs::write(&config, "").unwrap();
    let (_, json) = demo_json(&["--config", config.to_str().unwrap()]);
    assert_eq!(json["run"]["config"]["file"], config.to_str().unwrap());
    assert_eq!(json["run"]["config"]["found_as"], "given with --config");
}

#[test]
fn each_file_says_when_it_changed_and_who_saved_it_last() {
    use o365lint::fixture::Ooxml;
    use o365lint::model::Format;
    let core = "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>Ola</dc:creator><cp:lastModifiedBy>Kari Nordmann 15108695088</cp:lastModifiedBy></cp:coreProperties>";
    let doc = Ooxml::new(Format::Docx)
        .text("Hei")
        .xml_part("docProps/core.xml", None, core)
        .build();
    let dir = tempfile::tempdir().unwrap();
    // Scans `bytes` saved as `name`: the file's result, its last author checked (masked).
    let scanned = |name: &str, bytes: Vec<u8>| {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = o365lint(&["scan", "--format", "json", file.to_str().unwrap()]);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let f = files(&json)[0].clone();
        let author = f["last_author"].as_str().expect("last_author");
        assert!(author.starts_with("Kari Nordmann "), "{author}");
        assert!(!author.contains("15108695088"), "masked: {author}");
        (file, f)
    };
    let (file, f) = scanned("notat.docx", doc);
    let modified = f["modified"].as_str().expect("modified");
    let rfc3339 = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").unwrap();
    assert!(rfc3339.is_match(modified), "{modified}");
    let text = stdout(&o365lint(&["scan", "--lang", "en", file.to_str().unwrap()]));
    assert!(text.contains("last saved by: Kari Nordmann "), "{text}");

    // Legacy files keep it in the SummaryInformation property set; their title and author
    // are text like core.xml's.
    use o365lint::fixture::{Legacy, LegacyFile};
    let doc = LegacyFile::new(Legacy::Doc)
        .property(2, "Vedtak om 15108695088")
        .property(4, "Ola")
        .property(8, "Kari Nordmann 15108695088")
        .build();
    let (_, f) = scanned("gammel.doc", doc);
    let places: Vec<&str> = f["detections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["location"]["where"].as_str().unwrap())
        .collect();
    assert!(places.iter().any(|p| p.contains("title")), "{places:?}");
    assert!(rules_of(&f).contains(&"META-03"), "{f}");
}

#[test]
fn scan_help_describes_the_whole_job_and_the_exit_codes() {
    let help = stdout(&o365lint(&["scan", "--help"]));
    for said in [
        "personal data",
        "handling rules",
        "Exit codes:",
        "--only-findings",
    ] {
        assert!(help.contains(said), "{said}: {help}");
    }
}

#[test]
fn text_of_a_folder_reads_the_documents_in_it() {
    let out = o365lint(&["text", "fixtures/demo"]);
    let text = stdout(&out);
    assert!(
        !stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    assert!(
        text.contains("== fixtures/demo/01-apen-rundskriv.docx\n"),
        "{text}"
    );
    assert!(
        text.contains("== fixtures/demo/12-skjult-innhold.docx\n"),
        "{text}"
    );
    assert!(!text.contains("~$"), "lock files are not documents: {text}");
}

#[test]
fn labels_import_says_on_standard_error_which_labels_have_no_class() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("labels.json");
    std::fs::write(
        &export,
        r#"[{"ImmutableId":"6ae54424-c431-46c6-8ac2-cb0fc8776528","DisplayName":"Intern","Name":"Intern","Priority":1},
            {"ImmutableId":"127ce367-f89f-4267-9cf4-b2b78a206538","DisplayName":"Xyzzy","Name":"Xyzzy","Priority":2},
            {"ImmutableId":"227ce367-f89f-4267-9cf4-b2b78a206538","DisplayName":"Plugh","Name":"Plugh","Priority":3}]"#,
    )
    .unwrap();
    let out = o365lint(&[
        "labels",
        "import",
        "--tenant",
        "0a7f70e8-9429-4eb1-811a-5bec2ff8c815",
        export.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("2 labels no class could be inferred for"),
        "{err}"
    );
    assert!(
        err.contains("\"Xyzzy\"") && err.contains("\"Plugh\""),
        "{err}"
    );
    assert!(!err.contains("\"Intern\""), "{err}");
}

#[test]
fn text_output_follows_the_language_locations_too() {
    let file = "fixtures/demo/12-skjult-innhold.docx";
    let nb = stdout(&o365lint(&["scan", file]));
    for said in [
        "ikke kryptert",
        "innholdet krever minst",
        "funn per regel:",
        "avsnitt 2",
        // The other places a finding holds, after it.
        "også i: word/comments.xml: kommentar 1",
    ] {
        assert!(nb.contains(said), "{said}: {nb}");
    }
    assert!(
        !nb.contains("not encrypted") && !nb.contains("findings by rule"),
        "{nb}"
    );
    let en = stdout(&o365lint(&["scan", "--lang", "en", file]));
    for said in [
        "not encrypted",
        "findings by rule:",
        "(word/document.xml: paragraph 2)",
        "row 2, column 2",
        "also at: word/comments.xml: comment 1",
    ] {
        assert!(en.contains(said), "{said}: {en}");
    }
    assert!(!en.contains("avsnitt") && !en.contains("kolonne"), "{en}");
    // JSON keeps the place as read, whatever the language: scripts compare it across runs.
    let (_, json) = demo_json(&["--lang", "en"]);
    let places: Vec<&str> = files(&json)
        .iter()
        .flat_map(|f| f["detections"].as_array().unwrap())
        .map(|d| d["location"]["where"].as_str().unwrap())
        .collect();
    assert!(places.iter().any(|p| p.contains("avsnitt")), "{places:?}");
}

#[test]
fn notes_reasons_and_walk_lines_follow_the_language() {
    // The demo has a lock file (skipped), an encrypted file (a note) and an unknown label
    // (a reason): each said in the language.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tom.docx"), b"").unwrap();
    let args = |lang: &'static str| {
        vec![
            "scan",
            "--lang",
            lang,
            "fixtures/demo",
            "fixtures/demo",
            dir.path().to_str().unwrap(),
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>()
    };
    let run = |lang| {
        let a = args(lang);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        stdout(&o365lint(&a))
    };
    let nb = run("nb");
    let en = run("en");
    for (nb_said, en_said) in [
        (
            "merknad: passordkryptert: en eventuell merking",
            "note: password-encrypted: any label",
        ),
        ("hoppet over: Office-låsefil", "skipped: Office lock file"),
        (
            "finnes ikke i etikettkatalogen",
            "is not in the label catalogue",
        ),
        (
            "feil: ikke et Office-dokument: the file is empty",
            "error: not an Office document: the file is empty",
        ),
        (
            "gjennomgang: 1 sti oppgitt to ganger, skannet én gang",
            "walk: 1 path given twice, scanned once",
        ),
        (
            "merknad: fixtures/demo: oppgitt to ganger",
            "note: fixtures/demo: given twice",
        ),
        (
            "1 kunne ikke leses (1 ikke Office)",
            "1 could not be read (1 not-office)",
        ),
        (
            "funn: 8 feil, 6 advarsler, 3 info",
            "findings: 8 error, 6 warning, 3 info",
        ),
    ] {
        assert!(nb.contains(nb_said), "{nb_said}: {nb}");
        assert!(en.contains(en_said), "{en_said}: {en}");
        assert!(!nb.contains(en_said), "{en_said}: {nb}");
    }
}
