//! The report per business (issue 21): a generated share of three businesses and files no
//! business maps, with personal data planted, plus the real-world corpus when it is there;
//! every format written, their numbers cross-checked against the JSON report and the scan,
//! CSV read back by a CSV parser, SARIF validated by Microsoft's validator, the HTML loaded
//! in headless Chromium, and no planted identifier in any of them.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use o365lint::fixture::{Label, Ooxml, ids};
use o365lint::model::Format;
use serde_json::Value;
use support::{o365lint_in, stderr, stdout};

/// Valid fødselsnumre planted in the documents: none may appear in a report.
const FNR: [&str; 4] = ["15108695088", "10048745526", "11111598403", "18061592527"];
const ACCOUNT: &str = "86011117947";

/// Tools the CI installs: there, a missing one is a failure, not a skip.
fn required() -> bool {
    std::env::var_os("O365LINT_REQUIRE_TOOLS").is_some()
}

fn docx(label: Option<&str>, text: &[&str]) -> Vec<u8> {
    let mut d = Ooxml::new(Format::Docx);
    if let Some(l) = label {
        d = d.label_info(vec![Label::new(l, ids::TENANT)]);
    }
    for t in text {
        d = d.text(t);
    }
    d.build()
}

fn xlsx(label: Option<&str>, text: &str) -> Vec<u8> {
    let mut d = Ooxml::new(Format::Xlsx);
    if let Some(l) = label {
        d = d.label_info(vec![Label::new(l, ids::TENANT)]);
    }
    d.text(text).build()
}

/// The share: three businesses and a folder none maps; a configuration beside it.
fn share(root: &Path) -> PathBuf {
    let share = root.join("share");
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "Bydel Frogner/Barnevern/Vedtak 2025-03.docx",
            docx(
                Some(ids::INTERN),
                &[
                    &format!("Barnevernsak for {} og {}", FNR[0], FNR[1]),
                    "Tiltak: foster",
                ],
            ),
        ),
        (
            "Bydel Frogner/Budsjett 2025-2026.xlsx",
            xlsx(Some(ids::INTERN), "Budsjett 2025"),
        ),
        (
            "Bydel Frogner/Møtereferat 20250115.docx",
            docx(None, &["Referat fra møtet"]),
        ),
        (
            "Bydel Grünerløkka/Sosial/Søknad.docx",
            docx(
                Some(ids::APEN),
                &[&format!("Søker {} konto {ACCOUNT}", FNR[2])],
            ),
        ),
        (
            "Bydel Grünerløkka/Plan v2.docx",
            docx(Some(ids::BESKYTTET_KUN_OSLO), &["Plan"]),
        ),
        (
            "Utdanningsetaten/Elevliste.xlsx",
            xlsx(None, &format!("Elev {}", FNR[3])),
        ),
        (
            "Utdanningsetaten/Rundskriv.docx",
            docx(Some(ids::APEN), &["Rundskriv om skolestart"]),
        ),
        ("Felles/Notat.docx", docx(None, &["Notat"])),
        ("Felles/tom.docx", Vec::new()),
    ];
    for (path, bytes) in files {
        let p = share.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    share
}

fn config(root: &Path, corpus: Option<&Path>) -> PathBuf {
    let mut c = String::from(
        "[[business]]\nname = \"Bydel Frogner\"\npattern = \"**/Bydel Frogner/**\"\n\
         [[business]]\nname = \"Bydel Grünerløkka\"\npattern = \"**/Bydel Grünerløkka/**\"\n\
         [[business]]\nname = \"Utdanningsetaten\"\npattern = \"**/Utdanningsetaten/**\"\n",
    );
    if corpus.is_some() {
        c.push_str(
            "[[business]]\nname = \"Bydel Frogner\"\npattern = \"**/corpus/apache+poi/**\"\n\
             [[business]]\nname = \"Utdanningsetaten\"\npattern = \"**/corpus/PHPOffice+PHPWord/**\"\n",
        );
    }
    let p = root.join("o365lint.toml");
    std::fs::write(&p, c).unwrap();
    p
}

fn corpus() -> Option<PathBuf> {
    let c = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if c.is_dir() {
        Some(c)
    } else {
        eprintln!(
            "corpus not found at {}: the report covers the generated share only",
            c.display()
        );
        None
    }
}

struct Outputs {
    scan: Value,
    json: Value,
    markdown: String,
    sarif: Value,
    sarif_path: PathBuf,
    html: String,
    html_path: PathBuf,
    csv: PathBuf,
    everything: String,
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = o365lint_in(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {:?}\n{}",
        out.status,
        stderr(&out)
    );
    stdout(&out)
}

fn outputs(root: &Path) -> Outputs {
    let corpus = corpus();
    let share = share(root);
    let cfg = config(root, corpus.as_deref());
    let mut scanned = vec![share.to_str().unwrap().to_string()];
    scanned.extend(corpus.iter().map(|c| c.to_str().unwrap().to_string()));
    let cfg = cfg.to_str().unwrap();
    // The scan, saved as JSON and as JSON lines (shards read the same way).
    let mut scan_args = vec!["scan", "--config", cfg, "--format", "json"];
    scan_args.extend(scanned.iter().map(String::as_str));
    let out = o365lint_in(root, &scan_args);
    let scan_text = stdout(&out);
    std::fs::write(root.join("scan.json"), &scan_text).unwrap();
    let scan: Value = serde_json::from_str(&scan_text).unwrap();
    let mut lines_args = vec!["scan", "--config", cfg, "--format", "jsonl"];
    lines_args.extend(scanned.iter().map(String::as_str));
    let lines = stdout(&o365lint_in(root, &lines_args));
    std::fs::write(root.join("scan.jsonl"), &lines).unwrap();

    let report = |format: &str, extra: &[&str]| {
        let mut a = vec!["report", "--config", cfg, "--format", format, "scan.json"];
        a.extend(extra);
        run(root, &a)
    };
    let json: Value = serde_json::from_str(&report("json", &[])).unwrap();
    let markdown = report("markdown", &[]);
    let sarif_text = report("sarif", &[]);
    let sarif_path = root.join("report.sarif");
    std::fs::write(&sarif_path, &sarif_text).unwrap();
    let html_path = root.join("report.html");
    report("html", &["-o", html_path.to_str().unwrap()]);
    let html = std::fs::read_to_string(&html_path).unwrap();
    let csv = root.join("csv");
    report("csv", &["-o", csv.to_str().unwrap()]);
    // The same from JSON lines, and in English: the same numbers.
    let from_lines: Value = serde_json::from_str(&run(
        root,
        &["report", "--config", cfg, "--format", "json", "scan.jsonl"],
    ))
    .unwrap();
    assert_eq!(
        from_lines["total"], json["total"],
        "JSON lines and JSON disagree"
    );
    // Directly on the paths: it scans first, with the same numbers.
    let mut direct = vec!["report", "--config", cfg, "--format", "json"];
    direct.extend(scanned.iter().map(String::as_str));
    let direct: Value = serde_json::from_str(&run(root, &direct)).unwrap();
    assert_eq!(direct["total"]["by_rule"], json["total"]["by_rule"]);
    assert_eq!(direct["total"]["files"], json["total"]["files"]);
    let english = run(
        root,
        &[
            "report",
            "--config",
            cfg,
            "--format",
            "markdown",
            "--lang",
            "en",
            "scan.json",
        ],
    );
    assert!(english.contains("report per business"), "{english}");
    let mut everything = [&scan_text, &lines, &markdown, &sarif_text, &html, &english]
        .map(|s| s.to_string())
        .join("\n");
    for entry in std::fs::read_dir(&csv).unwrap() {
        everything.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    everything.push_str(&serde_json::to_string(&json).unwrap());
    Outputs {
        scan,
        json,
        markdown,
        sarif: serde_json::from_str(&sarif_text).unwrap(),
        sarif_path,
        html,
        html_path,
        csv,
        everything,
    }
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

fn business<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["businesses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("no business {name}: {json}"))
}

#[test]
fn every_format_tells_the_same_numbers_and_no_identifier() {
    let dir = tempfile::tempdir().unwrap();
    let o = outputs(dir.path());
    let (json, scan) = (&o.json, &o.scan);
    assert_eq!(json["schema"], "o365lint/report/v1");

    // The totals are the scan's.
    let total = &json["total"];
    for key in [
        "files",
        "checked",
        "not_checked",
        "unreadable",
        "skipped",
        "files_with_personal_data",
        "findings_suppressed",
    ] {
        assert_eq!(total[key], scan["summary"][key], "{key}");
    }
    assert_eq!(total["by_class"], scan["summary"]["by_class"]);
    assert_eq!(total["by_rule"], scan["summary"]["by_rule"]);

    // Three businesses and Ukjent, which holds the files no business maps (never dropped).
    for name in [
        "Bydel Frogner",
        "Bydel Grünerløkka",
        "Utdanningsetaten",
        "Ukjent",
    ] {
        business(json, name);
    }
    let businesses = json["businesses"].as_array().unwrap();
    assert_eq!(businesses.last().unwrap()["name"], "Ukjent", "Ukjent last");
    assert!(n(&business(json, "Ukjent")["files"]) >= 2);
    let sum = |key: &str| businesses.iter().map(|b| n(&b[key])).sum::<u64>();
    for key in [
        "files",
        "checked",
        "not_checked",
        "unreadable",
        "under_labelled",
        "files_with_personal_data",
    ] {
        assert_eq!(sum(key), n(&total[key]), "businesses add up: {key}");
    }
    // Frogner: a barnevern decision with two fødselsnumre labelled Intern: under-labelled.
    let frogner = business(json, "Bydel Frogner");
    assert!(n(&frogner["under_labelled"]) >= 1, "{frogner}");
    assert!(
        n(&frogner["personal_data_values"]["fodselsnummer"]) >= 2,
        "{frogner}"
    );
    // Grünerløkka: Beskyttet and not encrypted.
    assert!(n(&business(json, "Bydel Grünerløkka")["unencrypted_protected"]) >= 1);

    // The files to fix: ranked, the worst first, with a reason and advice.
    let fix = json["files_to_fix"].as_array().unwrap();
    assert!(!fix.is_empty());
    // First an error whose label is furthest below what its content requires, told by the
    // rule that requires it.
    let gaps: Vec<u64> = fix.iter().map(|f| n(&f["gap"])).collect();
    assert_eq!(fix[0]["severity"], "error", "{}", fix[0]);
    assert_eq!(n(&fix[0]["gap"]), *gaps.iter().max().unwrap(), "{gaps:?}");
    assert!(
        fix[0]["rule"].as_str().unwrap().starts_with("PII-"),
        "{}",
        fix[0]
    );
    assert!(!fix[0]["advice"].as_str().unwrap().is_empty(), "{}", fix[0]);
    let order: Vec<u64> = fix
        .iter()
        .map(|f| match f["severity"].as_str().unwrap() {
            "error" => 3,
            "warning" => 2,
            _ => 1,
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] >= w[1]),
        "most severe first: {order:?}"
    );

    // CSV, read back by a CSV parser: the total row is the JSON's.
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(o.csv.join("businesses.csv"))
        .unwrap();
    let headers = r.headers().unwrap().clone();
    let raw = std::fs::read(o.csv.join("businesses.csv")).unwrap();
    assert!(
        raw.starts_with("\u{feff}Virksomhet;".as_bytes()),
        "a byte order mark for Excel"
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let last = rows.last().unwrap();
    assert_eq!(&last[0], "Totalt");
    assert_eq!(rows.len(), businesses.len() + 1);
    // Every business's row and the total row hold the JSON report's numbers.
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap_or_else(|| panic!("{name}: {headers:?}"))
    };
    let checks = [
        ("Filer", "files"),
        ("Innhold kontrollert", "checked"),
        ("Ikke (helt) kontrollert", "not_checked"),
        ("Kunne ikke leses", "unreadable"),
        ("Merking under innhold", "under_labelled"),
        ("Med personopplysninger", "files_with_personal_data"),
        ("Beskyttet+ ukryptert", "unencrypted_protected"),
        ("Godtatt", "findings_suppressed"),
    ];
    for (row, b) in rows.iter().zip(businesses.iter().chain([total])) {
        for (heading, key) in checks {
            assert_eq!(
                row[column(heading)].parse::<u64>().unwrap(),
                n(&b[key]),
                "{heading} of {}",
                &row[0]
            );
        }
    }
    let files_csv: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(o.csv.join("files-to-fix.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(files_csv.len(), fix.len());
    let findings_csv = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(o.csv.join("findings.csv"))
        .unwrap()
        .records()
        .count();

    // SARIF: one result per finding, each with a physical location and a fingerprint.
    let results = o.sarif["runs"][0]["results"].as_array().unwrap();
    let all_findings: u64 = scan["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["findings"].as_array().map_or(0, |x| x.len() as u64))
        .sum();
    assert_eq!(results.len() as u64, all_findings);
    assert_eq!(findings_csv as u64, all_findings);
    for res in results {
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].as_str().is_some(), "{res}");
        assert_eq!(loc["region"]["startLine"], 1);
        assert!(res["partialFingerprints"]["o365lint/v1"].as_str().is_some());
    }

    // Markdown and HTML give the same totals.
    let files = total["files"].to_string();
    assert!(
        o.markdown.contains(&format!("**{files}** filer")),
        "{}",
        o.markdown
    );
    assert!(o.html.contains("id=\"table-businesses\""));
    assert!(
        o.html
            .contains(&format!("<td>Totalt</td><td class=\"n\">{files}</td>"))
    );

    // Privacy: no planted identifier anywhere, not in an attribute either.
    for id in FNR.iter().chain([&ACCOUNT]) {
        assert!(!o.everything.contains(id), "{id} in a report");
    }
    // Self-contained: nothing fetched from the network.
    for needle in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!o.html.contains(needle), "{needle}");
    }

    sarif_is_valid(&o.sarif_path);
    html_works_in_chromium(&o.html_path, dir.path());
}

/// Microsoft's SARIF validator (npm @microsoft/sarif-multitool): the 2.1.0 schema and the
/// rules GitHub applies to uploads.
fn sarif_is_valid(path: &Path) {
    // The npm wrapper hands its arguments to a shell (`Sarif;Ghas` would be split): run
    // the program it wraps.
    let tool = which("sarif-multitool").and_then(|w| {
        let package = std::fs::canonicalize(w).ok()?.parent()?.to_path_buf();
        // Beside the wrapper's package (a local install) or inside it (a global one).
        [
            package.with_file_name("sarif-multitool-linux"),
            package.join("node_modules/@microsoft/sarif-multitool-linux"),
        ]
        .into_iter()
        .map(|p| p.join("Sarif.Multitool"))
        .find(|p| p.is_file())
    });
    let Some(tool) = tool else {
        assert!(!required(), "sarif-multitool is not installed");
        eprintln!("SKIPPED: SARIF validation: npm install -g @microsoft/sarif-multitool");
        return;
    };
    let out_path = path.with_extension("validation.sarif");
    let out = Command::new(tool)
        .args([
            "validate",
            path.to_str().unwrap(),
            "--rule-kind",
            "Sarif;Ghas",
            "--log",
            "ForceOverwrite",
            "-o",
        ])
        .arg(&out_path)
        .output()
        .unwrap();
    let said = format!("{}{}", stdout(&out), stderr(&out));
    let errors: Vec<&str> = said.lines().filter(|l| l.contains(": error ")).collect();
    assert!(errors.is_empty(), "SARIF validation: {errors:#?}");
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Analysis completed successfully"), "{said}");
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// The HTML in headless Chromium: the page runs without console errors, asks for nothing
/// over the network, draws its tables and charts, and sorts and filters (state given in the
/// address, as a shared link gives it). A screenshot is kept under target/.
fn html_works_in_chromium(html: &Path, tmp: &Path) {
    let Some(chromium) = which("chromium").or_else(|| which("chromium-browser")) else {
        assert!(!required(), "chromium is not installed");
        eprintln!("SKIPPED: browser test: apt-get install chromium");
        return;
    };
    let url = |hash: &str| format!("file://{}{hash}", html.display());
    let browse = |extra: &[String], hash: &str| {
        let profile = tempfile::tempdir_in(tmp).unwrap();
        let net_log = profile.path().join("net.json");
        let out = Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=3000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--log-net-log={}", net_log.display()))
            .args(extra)
            .arg(url(hash))
            .output()
            .unwrap();
        let log = std::fs::read_to_string(&net_log).unwrap_or_default();
        (
            stdout(&out),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            log,
        )
    };
    let (dom, console, net) = browse(&["--dump-dom".into()], "");
    assert!(
        dom.contains("data-ready=\"1\""),
        "the script ran: {console}"
    );
    for bad in ["Uncaught", "Refused to", "ERROR:CONSOLE", "SyntaxError"] {
        let lines: Vec<&str> = console
            .lines()
            .filter(|l| l.contains(bad) && l.contains("CONSOLE"))
            .collect();
        assert!(lines.is_empty(), "console: {lines:?}");
    }
    // Requests the page made (Chromium's own, to its update and account services, have no
    // origin): none but the file itself.
    let net: Value = serde_json::from_str(&net).expect("a net log");
    let asked: Vec<&str> = net["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            let initiator = e["params"]["initiator"].as_str();
            initiator.is_some_and(|i| i != "not an origin")
        })
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|u| !u.starts_with("file://"))
        .collect();
    assert!(asked.is_empty(), "the page asked the network for {asked:?}");
    assert!(dom.contains("id=\"chart-classes\"") && dom.contains("<rect class=\"bar\""));
    for name in [
        "Bydel Frogner",
        "Bydel Grünerløkka",
        "Utdanningsetaten",
        "Ukjent",
    ] {
        assert!(dom.contains(&format!("<h2>{name}</h2>")), "{name}");
    }
    // Filtered by business: only that business's rows are shown.
    let (dom, _, _) = browse(&["--dump-dom".into()], "#business=Utdanningsetaten");
    let rows = rows_of(&dom);
    assert!(!rows.is_empty());
    for (hidden, business) in &rows {
        assert_eq!(*hidden, business != "Utdanningsetaten", "{rows:?}");
    }
    // Sorted by personal data, most first.
    let (dom, _, _) = browse(&["--dump-dom".into()], "#sort=table-files:6:desc");
    let counts = column_of(&dom, 6);
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // A screenshot, kept for people to look at.
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-screenshot.png");
    browse(
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400".into(),
        ],
        "",
    );
    assert!(shot.is_file(), "screenshot");
}

/// The files-to-fix rows: whether hidden, and their business.
fn rows_of(dom: &str) -> Vec<(bool, String)> {
    let table = &dom[dom.find("id=\"table-files\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let re = regex::Regex::new(r#"<tr ([^>]*)data-business="([^"]*)"[^>]*>"#).unwrap();
    re.captures_iter(table)
        .map(|c| (c[0].contains(" hidden"), c[2].to_string()))
        .collect()
}

/// A numeric column of the files-to-fix rows, in the order shown.
fn column_of(dom: &str, col: usize) -> Vec<f64> {
    let table = &dom[dom.find("id=\"table-files\"").unwrap()..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<tr ")
        .skip(1)
        .map(|row| {
            let cell = row.split("<td").nth(col + 1).unwrap();
            let text = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
            text.trim().parse().unwrap()
        })
        .collect()
}
