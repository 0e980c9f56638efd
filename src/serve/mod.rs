//! `o365lint serve`: the check as an HTTP endpoint, for upload portals and automation, and
//! a small page where a person drops a file and reads the verdict.
//!
//! - `POST /check?name=FILE&destination=DEST` with the document as the body: the verdict as
//!   JSON (200 allowed or blocked, 422 the document could not be read, 400 a bad request,
//!   401 without the token, 413 a body over the limit);
//! - `GET /` the page; `GET /health` for monitors.
//!
//! Nothing is written to disk; a document is held in memory while it is checked. At most
//! `workers` checks run at once (others wait for a worker). Logs say what happened to a
//! request — method, path, status, verdict, time — never a file name, a destination or a
//! document's text; responses carry only masked values.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::engine::Engine;
use crate::engine::check::Unknown;
use crate::model::{Lang, Verdict};

const PAGE: &str = include_str!("page.html");

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Address to listen on (`127.0.0.1:8080`).
    pub listen: String,
    /// Bytes of a document, at most.
    pub max_body: u64,
    /// Checks at once, at most.
    pub workers: usize,
    /// A bearer token `/check` requires, if set.
    pub token: Option<String>,
    pub unknown: Unknown,
}

/// Serves until SIGTERM or SIGINT; then stops taking requests, finishes those under way
/// and returns. `ready` is called with the address bound (port 0 picks a free one).
pub fn run(engine: Engine, options: Options, ready: impl FnOnce(&str)) -> std::io::Result<()> {
    let server = Server::http(&options.listen).map_err(std::io::Error::other)?;
    let addr = server.server_addr().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    ready(&addr);
    let (server, engine, options) = (Arc::new(server), Arc::new(engine), Arc::new(options));
    let workers: Vec<_> = (0..options.workers.max(1))
        .map(|_| {
            let (server, engine, options, stop) = (
                Arc::clone(&server),
                Arc::clone(&engine),
                Arc::clone(&options),
                Arc::clone(&stop),
            );
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match server.recv_timeout(Duration::from_millis(200)) {
                        Ok(Some(request)) => handle(request, &engine, &options),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    eprintln!("o365lint serve: stopped");
    Ok(())
}

fn json_header() -> Header {
    Header::from_bytes("Content-Type", "application/json; charset=utf-8").unwrap()
}

fn answer(request: Request, status: u16, body: &Value, started: Instant, verdict: &str) {
    let method = request.method().to_string();
    // The path without its query: the query names the file and the destination.
    let path = request
        .url()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let response = Response::from_string(body.to_string())
        .with_status_code(status)
        .with_header(json_header())
        .with_header(Header::from_bytes("Cache-Control", "no-store").unwrap());
    let _ = request.respond(response);
    eprintln!(
        "o365lint serve: {method} {path} {status} {verdict} {} ms",
        started.elapsed().as_millis()
    );
}

/// An error answer. The body not read yet is read and dropped first (as much as the server
/// takes): a connection closed on unread data is reset, and the client would see no answer.
fn error(mut request: Request, status: u16, message: &str, started: Instant, max_body: u64) {
    let _ = std::io::copy(
        &mut request.as_reader().take(max_body),
        &mut std::io::sink(),
    );
    answer(request, status, &json!({ "error": message }), started, "-");
}

fn handle(mut request: Request, engine: &Engine, options: &Options) {
    let started = Instant::now();
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    match (request.method(), path) {
        (Method::Get, "/") => {
            let page = PAGE
                .replace(
                    "{{LANG}}",
                    if engine.lang == Lang::Nb { "nb" } else { "en" },
                )
                .replace("{{DESTINATIONS}}", &destination_options(engine));
            let response = Response::from_string(page)
                .with_header(Header::from_bytes("Content-Type", "text/html; charset=utf-8").unwrap())
                .with_header(
                    Header::from_bytes(
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'",
                    )
                    .unwrap(),
                );
            let _ = request.respond(response);
            eprintln!(
                "o365lint serve: GET / 200 - {} ms",
                started.elapsed().as_millis()
            );
        }
        (Method::Get, "/health") => answer(
            request,
            200,
            &json!({
                "status": "ok",
                "version": env!("CARGO_PKG_VERSION"),
                "token_required": options.token.is_some(),
            }),
            started,
            "-",
        ),
        (Method::Post, "/check") => {
            if let Some(token) = &options.token {
                let given = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Authorization"))
                    .map(|h| h.value.as_str().to_string());
                if given.as_deref() != Some(&format!("Bearer {token}")) {
                    return error(
                        request,
                        401,
                        "a bearer token is required",
                        started,
                        options.max_body,
                    );
                }
            }
            let params = parse_query(query);
            let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            let (Some(name), Some(destination)) = (get("name"), get("destination")) else {
                return error(
                    request,
                    400,
                    "name and destination are required (query parameters)",
                    started,
                    options.max_body,
                );
            };
            if request
                .body_length()
                .is_some_and(|n| n as u64 > options.max_body)
            {
                return error(
                    request,
                    413,
                    "the document is larger than the server takes",
                    started,
                    0,
                );
            }
            let mut body = Vec::new();
            let read = request
                .as_reader()
                .take(options.max_body + 1)
                .read_to_end(&mut body);
            if read.is_err() {
                return error(
                    request,
                    400,
                    "the document could not be received",
                    started,
                    0,
                );
            }
            if body.len() as u64 > options.max_body {
                return error(
                    request,
                    413,
                    "the document is larger than the server takes",
                    started,
                    0,
                );
            }
            let destination = match engine.rules.config.destination_named(&destination) {
                Some(d) => d.place().to_string(),
                None => destination,
            };
            let f = engine.check_upload(&name, &body, &destination);
            drop(body);
            let check = engine.verdict(&f, options.unknown);
            let mut lines = Vec::new();
            let _ = crate::report::check::write(&f, &check, &engine.rules, engine.lang, &mut lines);
            let lines: Vec<String> = String::from_utf8_lossy(&lines)
                .lines()
                .map(str::to_string)
                .collect();
            let status = if check.verdict == Verdict::Unreadable {
                422
            } else {
                200
            };
            let body = json!({
                "file": f.path,
                "verdict": check.verdict.id(),
                "answer": lines.first().cloned().unwrap_or_default(),
                "details": lines.iter().skip(1).map(|l| l.trim()).collect::<Vec<_>>(),
                "check": check,
                "label": f.label,
                "label_status": f.label_status,
                "required_class": f.required_class,
                "findings": f.findings,
                "content": f.content,
                "not_checked": f.not_checked,
            });
            answer(request, status, &body, started, check.verdict.id());
        }
        _ => error(request, 404, "not found", started, options.max_body),
    }
}

/// The configured destinations that have a name, as the page's `<option>`s: a person picks
/// one or types a path or URL.
fn destination_options(engine: &Engine) -> String {
    let attr = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    engine
        .rules
        .config
        .destinations
        .iter()
        .filter_map(|d| d.name.as_deref())
        .map(|n| format!("<option value=\"{}\">", attr(n)))
        .collect()
}

/// `a=b&c=d`, percent-decoded (`+` is a space).
fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (
            b[i],
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(hi << 4 | lo);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_decoded() {
        assert_eq!(
            parse_query("name=m%C3%B8te+1.docx&destination=https%3A%2F%2Fx%2Fa%20b&x=%zz"),
            [
                ("name".to_string(), "møte 1.docx".to_string()),
                ("destination".to_string(), "https://x/a b".to_string()),
                ("x".to_string(), "%zz".to_string()),
            ]
        );
    }
}
