//! `o365lint serve` (issue 22): started on a free localhost port, it answers allowed,
//! blocked, oversized, damaged and unauthorised uploads with the right verdict and status,
//! never writes a planted identifier to a response or a log line, and stops cleanly on
//! SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use o365lint::fixture::{Label, Ooxml, ids};
use o365lint::model::Format;

const FNR: &str = "15108695088";
const TOKEN: &str = "hemmelig-noekkel-42";

struct Server {
    child: Child,
    addr: String,
    log: Vec<String>,
}

fn start(extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_o365lint"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
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
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    // The rest of the log, read as it comes.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in err.lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    let mut server = Server {
        child,
        addr,
        log: vec![line],
    };
    server.log.extend(rx.try_iter());
    std::mem::forget(rx);
    server
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
    let mut server = start(&[]);
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
    Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    let code = server.child.wait().unwrap();
    assert!(code.success(), "{code:?}");
    std::thread::sleep(std::time::Duration::from_millis(100));
    let mut rest = String::new();
    let _ = server
        .child
        .stderr
        .take()
        .map(|mut e| e.read_to_string(&mut rest));
    server.log.push(rest);
    let log = server.log.join("\n");
    assert!(
        !log.contains(FNR) && !log.contains("151086"),
        "the log names the file: {log}"
    );
}

#[test]
fn a_token_is_required_when_one_is_set() {
    let mut server = start(&["--token", TOKEN]);
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
    let _ = server.child.kill();
    let _ = server.child.wait();
}
