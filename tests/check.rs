//! May this file go there? (issue 22): `o365lint check` gives a verdict per file in one line
//! first and an exit code that answers the destination question — 0 allowed, 1 blocked,
//! 3 a file could not be read — in Norwegian and in English.

mod support;

use std::path::Path;

use o365lint::fixture::{Encrypted, Label, Ooxml, Protection, ids};
use o365lint::model::Format;
use support::{o365lint_in, stdout};

const FNR: &str = "15108695088";
const SITE: &str = "https://oslo.sharepoint.com/sites/prosjekt";
const STRICT_SITE: &str = "https://oslo.sharepoint.com/sites/barnevern-strengt";

fn docx(label: Option<Label>, text: &str) -> Vec<u8> {
    let mut d = Ooxml::new(Format::Docx).text(text);
    if let Some(l) = label {
        d = d.label_info(vec![l]);
    }
    d.build()
}

fn own(id: &str) -> Option<Label> {
    Some(Label::new(id, ids::TENANT))
}

/// A folder with the documents and a configuration: a catch-all rule listed first (Intern at
/// most), a named destination, and the allow-list for Strengt beskyttet.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("intern.docx", docx(own(ids::INTERN), "Referat")),
        (
            "beskyttet.docx",
            docx(own(ids::BESKYTTET_KUN_OSLO), "Saksnotat"),
        ),
        ("umerket-fnr.docx", docx(None, &format!("Søker {FNR}"))),
        (
            "intern-fnr.docx",
            docx(own(ids::INTERN), &format!("Søker {FNR}")),
        ),
        ("umerket.docx", docx(None, "Notat")),
        (
            "fremmed.docx",
            docx(
                Some(Label::new(ids::FOREIGN_LABEL, ids::FOREIGN_TENANT)),
                "Notat",
            ),
        ),
        (
            "strengt.docx",
            docx(own(ids::STRENGT_BESKYTTET), "Barnevern"),
        ),
        ("passord.docx", Encrypted::new(Protection::Password).build()),
        (
            "irm.docx",
            Encrypted::new(Protection::Irm)
                .label_info(vec![Label::new(ids::STRENGT_BESKYTTET, ids::TENANT)])
                .build(),
        ),
        ("skadet.docx", b"PK\x03\x04 not a zip".to_vec()),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    std::fs::write(
        dir.path().join("o365lint.toml"),
        format!(
            "[[destination]]\npattern = \"**\"\nmax_class = \"intern\"\n\
             [[destination]]\nname = \"Prosjekt\"\npattern = \"{SITE}/**\"\nmax_class = \"beskyttet\"\nkind = \"team-site\"\n\
             [[destination]]\npattern = \"{STRICT_SITE}/**\"\nmax_class = \"beskyttet\"\nkind = \"team-site\"\n\
             [[destination]]\npattern = \"https://*dropbox.com/**\"\nkind = \"private-cloud\"\n\
             [policy]\nstrict_allowlist = [\"{STRICT_SITE}/**\"]\n"
        ),
    )
    .unwrap();
    dir
}

/// Checks `file` in `dir` against `destination` (with `extra` arguments): the exit code and
/// the first line, in Norwegian and in English.
fn check(dir: &Path, file: &str, destination: &str, extra: &[&str]) -> (i32, String, String) {
    let run = |lang: &str| {
        let mut args = vec!["check", "--lang", lang, "-d", destination, file];
        args.extend(extra);
        let out = o365lint_in(dir, &args);
        (out.status.code().unwrap(), stdout(&out))
    };
    let (code, nb) = run("nb");
    let (code_en, en) = run("en");
    assert_eq!(code, code_en, "{nb}\n{en}");
    (code, nb, en)
}

fn first(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

#[test]
fn each_case_has_its_verdict_exit_code_and_first_line() {
    let dir = setup();
    let d = dir.path();
    let site = format!("{SITE}/Delte dokumenter");
    // (file, destination, exit code, Norwegian verdict, English verdict,
    // what else the answer must say)
    let cases: Vec<(&str, String, i32, &str, &str, &str)> = vec![
        // Allowed: Intern to a site that takes Beskyttet (the catch-all listed first does
        // not decide: the site's pattern is more specific).
        (
            "intern.docx",
            site.clone(),
            0,
            "Kan lastes opp",
            "May be uploaded",
            "høyst Beskyttet",
        ),
        // Blocked by the label's class: Beskyttet to the catch-all's Intern.
        (
            "beskyttet.docx",
            "/srv/felles".into(),
            1,
            "Kan ikke lastes opp",
            "May not be uploaded",
            "DST-01",
        ),
        // Blocked by personal data in an unlabelled and in an under-labelled file.
        (
            "umerket-fnr.docx",
            "/srv/felles".into(),
            1,
            "Kan ikke lastes opp",
            "May not be uploaded",
            "innholdet krever Beskyttet",
        ),
        (
            "intern-fnr.docx",
            "/srv/felles".into(),
            1,
            "Kan ikke lastes opp",
            "May not be uploaded",
            "innholdet krever Beskyttet",
        ),
        // Unlabelled to a site with a ceiling: label it first.
        (
            "umerket.docx",
            site.clone(),
            1,
            "Kan ikke lastes opp",
            "May not be uploaded",
            "DST-02",
        ),
        // A foreign label counts for nothing here.
        (
            "fremmed.docx",
            site.clone(),
            1,
            "Kan ikke lastes opp",
            "May not be uploaded",
            "DST-02",
        ),
        // Password-encrypted: its label cannot be read, so it cannot go where a ceiling is.
        (
            "passord.docx",
            site.clone(),
            1,
            "Kan ikke lastes opp",
            "May not be uploaded",
            "DST-02",
        ),
        // IRM with Strengt beskyttet: to the allow-listed site, allowed; elsewhere, not.
        (
            "irm.docx",
            format!("{STRICT_SITE}/Saker"),
            0,
            "Kan lastes opp",
            "May be uploaded",
            "godkjent for Strengt beskyttet",
        ),
        (
            "irm.docx",
            site.clone(),
            1,
            "Kan ikke lastes opp",
            "May not be uploaded",
            "DST-03",
        ),
        // Strengt beskyttet inside the allow-list (a catch-all rule listed first, and the
        // site's own ceiling of Beskyttet, do not override it), and outside it.
        (
            "strengt.docx",
            format!("{STRICT_SITE}/Saker"),
            0,
            "Kan lastes opp",
            "May be uploaded",
            "godkjent for Strengt beskyttet",
        ),
        (
            "strengt.docx",
            site.clone(),
            1,
            "Kan ikke lastes opp",
            "May not be uploaded",
            "DST-03",
        ),
        // By name.
        (
            "intern.docx",
            "prosjekt".into(),
            0,
            "Kan lastes opp",
            "May be uploaded",
            "Prosjekt",
        ),
        // A private cloud.
        (
            "intern.docx",
            "https://www.dropbox.com/home/privat".into(),
            1,
            "Kan ikke lastes opp",
            "May not be uploaded",
            "privat skylagring",
        ),
        // Unreadable: no answer, exit 3.
        (
            "skadet.docx",
            site.clone(),
            3,
            "Kunne ikke kontrolleres",
            "Could not be checked",
            "skadet fil",
        ),
    ];
    for (file, dest, code, nb, en, says) in cases {
        let (got, out_nb, out_en) = check(d, file, &dest, &[]);
        let what = format!("{file} → {dest}:\n{out_nb}\n{out_en}");
        assert_eq!(got, code, "{what}");
        assert!(first(&out_nb).starts_with(&format!("{nb}: ")), "{what}");
        assert!(first(&out_en).starts_with(&format!("{en}: ")), "{what}");
        assert!(out_nb.contains(says), "{says}: {what}");
        // A file that could not be read still names where it was going, and its ceiling.
        if code == 3 {
            assert!(
                first(&out_nb).ends_with("→ Prosjekt (høyst Beskyttet)"),
                "{what}"
            );
        }
        // The answer never quotes an identifier.
        assert!(!out_nb.contains(FNR) && !out_en.contains(FNR), "{what}");
    }
}

#[test]
fn an_unknown_destination_is_never_passed_silently() {
    let dir = setup();
    // Without the catch-all: an unknown place.
    std::fs::write(
        dir.path().join("o365lint.toml"),
        "[[destination]]\npattern = \"/srv/kjent/**\"\nmax_class = \"intern\"\n",
    )
    .unwrap();
    let d = dir.path();
    let place = "https://example.org/opplasting";
    let (code, nb, en) = check(d, "intern.docx", place, &[]);
    assert_eq!(code, 0, "{nb}");
    assert!(first(&nb).starts_with("Kan lastes opp: "), "{nb}");
    assert!(
        nb.contains("advarsel: ingen konfigurerte målsteder passer"),
        "{nb}"
    );
    assert!(
        en.contains("warning: no configured destination matches"),
        "{en}"
    );
    let (code, nb, _) = check(d, "intern.docx", place, &["--unknown", "allow"]);
    assert_eq!(code, 0);
    assert!(!nb.contains("advarsel"), "{nb}");
    assert!(nb.contains("målstedet er ukjent"), "said, not hidden: {nb}");
    let (code, nb, en) = check(d, "intern.docx", place, &["--unknown", "block"]);
    assert_eq!(code, 1, "{nb}");
    assert!(first(&nb).starts_with("Kan ikke lastes opp: "), "{nb}");
    assert!(first(&en).starts_with("May not be uploaded: "), "{en}");
    assert!(
        nb.contains("gjør dette: velg et målsted konfigurasjonen kjenner"),
        "{nb}"
    );
}

#[test]
fn only_the_destination_decides_the_exit_code_unless_asked() {
    let dir = setup();
    let site = format!("{SITE}/Delte dokumenter");
    // An Intern file without its marking text: MRK-01, a warning, and LBL rules do not
    // decide whether it may go there.
    let (code, _, _) = check(dir.path(), "intern.docx", &site, &[]);
    assert_eq!(code, 0);
    let (code, _, _) = check(dir.path(), "intern.docx", &site, &["--fail-on", "warning"]);
    assert_eq!(code, 1);
    // JSON: the scan's document, each file with its check.
    let out = o365lint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "-d",
            &site,
            "intern.docx",
            "beskyttet.docx",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files[0]["check"]["verdict"], "allowed", "{v}");
    assert_eq!(files[0]["check"]["destination"]["kind"], "team-site");
    assert_eq!(files[0]["check"]["destination"]["max_class"], "beskyttet");
    assert_eq!(files[1]["check"]["verdict"], "allowed");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_migration_plan_lists_the_files_that_may_not_go() {
    let dir = setup();
    let d = dir.path();
    // The built-in destinations: team sites, and folders shared with outsiders.
    std::fs::remove_file(d.join("o365lint.toml")).unwrap();
    let share = d.join("share");
    for (folder, file) in [
        ("Barnevern", "beskyttet.docx"),
        ("Barnevern", "intern-fnr.docx"),
        ("Barnevern", "intern.docx"),
        ("Felles", "intern.docx"),
        ("Felles", "umerket-fnr.docx"),
    ] {
        std::fs::create_dir_all(share.join(folder)).unwrap();
        std::fs::copy(d.join(file), share.join(folder).join(file)).unwrap();
    }
    std::fs::write(share.join("Felles/gammel.txt"), "x").unwrap();
    // SPMT's eight columns, no header: Barnevern to a folder shared with outsiders, Felles
    // to a team site.
    let csv = format!(
        "{},,,{SITE},Documents,Delt med eksterne,,\n{},,,https://oslo.sharepoint.com/sites/felles,Documents,,,\n",
        share.join("Barnevern").display(),
        share.join("Felles").display()
    );
    std::fs::write(d.join("plan.csv"), csv).unwrap();
    let out = o365lint_in(d, &["check", "--manifest", "plan.csv"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let blocked: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("Kan ikke lastes opp: "))
        .collect();
    assert_eq!(blocked.len(), 3, "{text}");
    for want in [
        "Barnevern/beskyttet.docx",
        "Barnevern/intern-fnr.docx",
        "Felles/umerket-fnr.docx",
    ] {
        assert!(blocked.iter().any(|l| l.contains(want)), "{want}: {text}");
    }
    assert!(text.contains("1 kan lastes opp, 2 kan ikke"), "{text}");
    assert!(!text.contains(FNR), "{text}");
    // Migration Manager's JSON, with a setting that leaves a file out.
    let json = format!(
        r#"{{"Tasks":[{{"SourcePath":"{}","TargetPath":"https://oslo.sharepoint.com/sites/felles","TargetList":"Documents","Settings":{{"SkipFilesWithExtensions":"docx"}}}}]}}"#,
        share.join("Felles").display()
    );
    std::fs::write(d.join("plan.json"), json).unwrap();
    let out = o365lint_in(d, &["check", "--manifest", "plan.json", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(out.status.code(), Some(0));
    // A malformed line is an error naming it: the check failed (2).
    std::fs::write(
        d.join("bad.csv"),
        "/srv/a,,,https://oslo.sharepoint.com/sites/x,Documents,\n/srv/b,,\n",
    )
    .unwrap();
    let out = o365lint_in(d, &["check", "--manifest", "bad.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let e = support::stderr(&out);
    assert!(e.contains("bad.csv: line 2, column 3: 3 columns"), "{e}");
}
