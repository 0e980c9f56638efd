//! `o365lint serve` (issue 22): started on a free localhost port, it answers allowed,
//! blocked, oversized, damaged and unauthorised uploads with the right verdict and status,
//! never writes a planted identifier to a response or a log line, and stops cleanly on
//! SIGTERM; and the page at `/`, driven in headless Chromium, gives a person the verdict.

#[path = "serve/webdriver.rs"]
mod webdriver;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use o365lint::fixture::{Label, Ooxml, ids};
use o365lint::model::Format;

const FNR: &str = "15108695088";
const TOKEN: &str = "hemmelig-noekkel-42";

struct Server {
    child: Child,
    addr: String,
    first: String,
    /// The rest of the log, read as it comes (all of it once the server has stopped).
    log: Option<std::thread::JoinHandle<Vec<String>>>,
}

impl Server {
    /// SIGTERM, as a service manager stops it: how it exited, and its whole log.
    fn stop(mut self) -> (std::process::ExitStatus, String) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        let code = self.child.wait().unwrap();
        let mut log = vec![std::mem::take(&mut self.first)];
        log.extend(self.log.take().unwrap().join().unwrap());
        (code, log.join("\n"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Server {
    start_at("127.0.0.1:0", extra)
}

fn start_at(listen: &str, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_o365lint"))
        .args([
            "serve",
            "--listen",
            listen,
            "--workers",
            "2",
            "--max-body-mib",
            "1",
        ])
        .args(extra)
        .env("XDG_CONFIG_HOME", "/nonexistent/o365lint-tests")
        .env_remove("O365LINT_CONFIG")
        .env_remove("O365LINT_LANG")
        .env_remove("O365LINT_SERVE_TOKEN")
        .current_dir(std::env::temp_dir())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    let addr = first
        .trim()
        .rsplit("http://")
        .next()
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    let log = std::thread::spawn(move || err.lines().map_while(Result::ok).collect());
    Server {
        child,
        addr,
        first,
        log: Some(log),
    }
}

/// A raw HTTP/1.0 request (the server closes the connection after the answer): the
/// status and the body.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // A body over the limit may be refused before it is all sent.
    let _ = s.write_all(body);
    let mut response = Vec::new();
    let _ = s.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status: {text}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn check(
    addr: &str,
    name: &str,
    destination: &str,
    body: &[u8],
    headers: &[(&str, &str)],
) -> (u16, serde_json::Value, String) {
    let path = format!("/check?name={}&destination={}", enc(name), enc(destination));
    let (status, text) = request(addr, "POST", &path, headers, body);
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, v, text)
}

fn docx(label: &str, text: &str) -> Vec<u8> {
    Ooxml::new(Format::Docx)
        .label_info(vec![Label::new(label, ids::TENANT)])
        .text(text)
        .build()
}

#[test]
fn the_server_answers_each_upload_and_stops_cleanly() {
    let server = start(&[]);
    let addr = server.addr.clone();
    let site = "https://oslo.sharepoint.com/sites/prosjekt/Delte dokumenter";
    let external = "https://oslo.sharepoint.com/sites/prosjekt/Delt med eksterne";

    let (status, health) = request(&addr, "GET", "/health", &[], b"");
    assert_eq!(status, 200);
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    let (status, page) = request(&addr, "GET", "/", &[], b"");
    assert_eq!(status, 200);
    assert!(page.contains("Kan filen lastes opp?"));

    // Allowed, and blocked (personal data in a file labelled Intern, to outsiders).
    let (status, v, _) = check(
        &addr,
        "referat.docx",
        site,
        &docx(ids::INTERN, "Referat"),
        &[],
    );
    assert_eq!(
        (status, v["verdict"].as_str()),
        (200, Some("allowed")),
        "{v}"
    );
    assert!(
        v["answer"]
            .as_str()
            .unwrap()
            .starts_with("Kan lastes opp: "),
        "{v}"
    );
    let secret = docx(ids::INTERN, &format!("Søker {FNR}"));
    let (status, v, text) = check(&addr, &format!("sak {FNR}.docx"), external, &secret, &[]);
    assert_eq!(
        (status, v["verdict"].as_str()),
        (200, Some("blocked")),
        "{v}"
    );
    assert!(
        v["answer"]
            .as_str()
            .unwrap()
            .starts_with("Kan ikke lastes opp: "),
        "{v}"
    );
    assert_eq!(v["check"]["rules"][0], "DST-01", "{v}");
    assert!(
        !text.contains(FNR),
        "a full identifier in a response: {text}"
    );
    // Damaged: no verdict can be given.
    let (status, v, _) = check(
        &addr,
        "skadet.docx",
        site,
        b"PK\x03\x04 not a zip at all",
        &[],
    );
    assert_eq!(
        (status, v["verdict"].as_str()),
        (422, Some("unreadable")),
        "{v}"
    );
    // Oversized: refused before it is checked.
    let (status, _) = request(
        &addr,
        "POST",
        &format!("/check?name=stor.docx&destination={}", enc(site)),
        &[],
        &vec![0u8; 2 << 20],
    );
    assert_eq!(status, 413);
    // A request without its parameters.
    let (status, _) = request(&addr, "POST", "/check", &[], b"x");
    assert_eq!(status, 400);

    // SIGTERM: it stops taking requests and exits cleanly.
    let (code, log) = server.stop();
    assert!(code.success(), "{code:?}");
    assert!(log.contains("POST /check 200 blocked"), "{log}");
    assert!(
        !log.contains(FNR) && !log.contains("151086"),
        "the log names the file: {log}"
    );
}

#[test]
fn a_token_is_required_when_one_is_set() {
    let server = start(&["--token", TOKEN]);
    let addr = server.addr.clone();
    let body = docx(ids::INTERN, "Referat");
    let (status, _, _) = check(&addr, "a.docx", "/srv/x", &body, &[]);
    assert_eq!(status, 401);
    let (status, _, _) = check(
        &addr,
        "a.docx",
        "/srv/x",
        &body,
        &[("Authorization", "Bearer feil")],
    );
    assert_eq!(status, 401);
    let bearer = format!("Bearer {TOKEN}");
    let (status, v, _) = check(
        &addr,
        "a.docx",
        "/srv/x",
        &body,
        &[("Authorization", &bearer)],
    );
    assert_eq!(status, 200, "{v}");
    let (_, health) = request(&addr, "GET", "/health", &[], b"");
    assert!(health.contains("\"token_required\":true"), "{health}");
}

/// Tools the CI installs: there, a missing one is a failure, not a skip.
fn required() -> bool {
    std::env::var_os("O365LINT_REQUIRE_TOOLS").is_some()
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// The page at `/` as a person uses it, in headless Chromium driven by chromedriver: a file
/// chosen, a destination picked by name or typed, the button pressed, the verdict read.
/// The planted identifier (in the blocked file's text and its name) is in neither the page
/// nor the server's log afterwards, and the page asks nothing of any other server.
#[test]
fn the_page_gives_a_person_the_verdict_in_a_browser() {
    let (Some(chromium), Some(chromedriver)) = (
        which("chromium").or_else(|| which("chromium-browser")),
        which("chromedriver"),
    ) else {
        assert!(!required(), "chromium or chromedriver is not installed");
        eprintln!("SKIPPED: browser test of the page: apt-get install chromium chromium-driver");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let site = "https://oslo.sharepoint.com/sites/prosjekt";
    let config = dir.path().join("o365lint.toml");
    std::fs::write(
        &config,
        format!(
            "[[destination]]\nname = \"Prosjekt <Oslo>\"\npattern = \"{site}/**\"\n\
             max_class = \"beskyttet\"\nkind = \"team-site\"\n"
        ),
    )
    .unwrap();
    let allowed = dir.path().join("referat.docx");
    std::fs::write(&allowed, docx(ids::INTERN, "Referat fra møtet")).unwrap();
    // Unlabelled, with a fødselsnummer in its text and in its name.
    let blocked = dir.path().join(format!("søknad {FNR}.docx"));
    let unlabelled = Ooxml::new(Format::Docx)
        .text(&format!("Søker {FNR}"))
        .build();
    std::fs::write(&blocked, unlabelled).unwrap();

    let server = start(&["--config", config.to_str().unwrap()]);
    let origin = format!("http://{}/", server.addr);
    let browser = webdriver::Driver::start(&chromedriver, &chromium);
    let cases = [
        (
            &allowed,
            "Prosjekt <Oslo>",
            "allowed",
            "Kan lastes opp: referat.docx",
        ),
        (
            &blocked,
            "https://oslo.sharepoint.com/sites/prosjekt/Delte dokumenter",
            "blocked",
            "Kan ikke lastes opp: søknad 151086*****.docx",
        ),
    ];
    for (file, destination, verdict, answer) in cases {
        browser.go(&origin);
        // The named destination is offered to pick.
        assert!(
            browser
                .source()
                .contains("<option value=\"Prosjekt &lt;Oslo&gt;\">"),
            "{}",
            browser.source()
        );
        let input = browser.find("#file");
        browser.send_keys(&input, file.to_str().unwrap());
        let typed = browser.find("#destination");
        browser.send_keys(&typed, destination);
        let button = browser.find("#submit");
        browser.click(&button);
        let shown = browser.wait_for(
            "return document.documentElement.getAttribute('data-verdict')",
            std::time::Duration::from_secs(30),
        );
        let text = browser.script("return document.getElementById('verdict').innerText");
        let text = text.as_str().unwrap();
        assert_eq!(shown, verdict, "{text}");
        assert!(text.starts_with(answer), "{text}");
        if verdict == "blocked" {
            assert!(text.contains("DST-02"), "{text}");
        }
        let dom = browser.source();
        let body = browser.script("return document.body.innerText");
        for seen in [dom.as_str(), body.as_str().unwrap()] {
            assert!(!seen.contains(FNR), "the page shows the identifier: {seen}");
        }
        // What the server's page asked for, and any page loaded over the network (the
        // browser's own new-tab page, open before the test's, loads from chrome://).
        let asked = browser.requests();
        assert!(
            asked
                .iter()
                .any(|(_, u)| u.starts_with(&format!("{origin}check?")))
        );
        let elsewhere: Vec<_> = asked
            .iter()
            .filter(|(document, url)| {
                (document.starts_with(&origin) || url.starts_with("http"))
                    && !url.starts_with(&origin)
            })
            .collect();
        assert!(elsewhere.is_empty(), "the page asked {elsewhere:?}");
        let console = browser.console();
        assert!(console.is_empty(), "console: {console:?}");
    }
    drop(browser);
    let (code, log) = server.stop();
    assert!(code.success(), "{code:?}");
    assert!(log.contains("POST /check 200 allowed"), "{log}");
    assert!(log.contains("POST /check 200 blocked"), "{log}");
    assert!(
        !log.contains(FNR) && !log.contains("151086"),
        "the log names the file: {log}"
    );
}

#[test]
fn beyond_localhost_only_with_a_token() {
    let out = Command::new(env!("CARGO_BIN_EXE_o365lint"))
        .args(["serve", "--listen", "0.0.0.0:0"])
        .env("XDG_CONFIG_HOME", "/nonexistent/o365lint-tests")
        .env_remove("O365LINT_CONFIG")
        .env_remove("O365LINT_SERVE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--token"), "{err}");
    let server = start_at("0.0.0.0:0", &["--token", TOKEN]);
    let port = server.addr.rsplit(':').next().unwrap();
    let (status, _) = request(&format!("127.0.0.1:{port}"), "GET", "/health", &[], b"");
    assert_eq!(status, 200);
}

#[test]
fn a_document_gets_the_time_the_server_gives_it() {
    // No time at all: nothing is read, and the answer says the content was not checked.
    let server = start(&["--timeout", "0"]);
    let body = docx(ids::INTERN, "Referat");
    let (status, v, _) = check(&server.addr, "a.docx", "/srv/x", &body, &[]);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["content"], "partly", "{v}");
    assert_eq!(v["not_checked"], serde_json::json!(["limit"]), "{v}");
    // The default gives a small document all it needs.
    let server = start(&[]);
    let (_, v, _) = check(&server.addr, "a.docx", "/srv/x", &body, &[]);
    assert_eq!(v["content"], "full", "{v}");
}
