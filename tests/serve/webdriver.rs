//! Just enough of a WebDriver client (W3C, JSON over HTTP) to drive headless Chromium
//! through Debian's chromedriver: open a page, fill inputs, click, run a script, read the
//! DOM and the browser's network and console logs.

use std::io::{BufRead, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key under which WebDriver names an element.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Driver {
    child: Child,
    addr: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    /// Starts chromedriver on a free localhost port and opens a headless session with a
    /// profile of its own, logging every network event and console message.
    pub fn start(chromedriver: &Path, chromium: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let mut driver = Driver {
            child,
            addr: format!("127.0.0.1:{port}"),
            session: String::new(),
            _profile: profile,
        };
        let started = Instant::now();
        while !driver.ready() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--user-data-dir={}", driver._profile.path().display()),
                ],
            },
            "goog:loggingPrefs": {"performance": "ALL", "browser": "ALL"},
        }}});
        let session = driver.raw("POST", "/session", Some(&caps));
        driver.session = session["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {session}"))
            .to_string();
        driver
    }

    fn ready(&self) -> bool {
        TcpStream::connect(&self.addr).is_ok()
            && self
                .try_raw("GET", "/status", None)
                .is_some_and(|v| v["ready"] == true)
    }

    /// One request; the answer's `value`, or None when chromedriver could not be reached.
    fn try_raw(&self, method: &str, path: &str, body: Option<&Value>) -> Option<Value> {
        let mut s = TcpStream::connect(&self.addr).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
             Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        s.write_all(head.as_bytes()).ok()?;
        s.write_all(body.as_bytes()).ok()?;
        // chromedriver keeps the connection open whatever the request says: read the head,
        // then as many bytes as it announces.
        let mut reader = std::io::BufReader::new(s);
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).ok()? == 0 {
                return None;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().ok()?;
            }
        }
        let mut json = vec![0; length];
        reader.read_exact(&mut json).ok()?;
        let v: Value = serde_json::from_slice(&json).ok()?;
        Some(v["value"].clone())
    }

    fn raw(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let v = self
            .try_raw(method, path, body)
            .unwrap_or_else(|| panic!("chromedriver: no answer to {method} {path}"));
        if let Some(error) = v.get("error") {
            panic!("chromedriver: {method} {path}: {error}: {}", v["message"]);
        }
        v
    }

    /// A command of this session (`path` after `/session/ID`).
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.raw(
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        )
    }

    pub fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// The element `css` selects (the first).
    pub fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    /// Types `text` into an element; for a file input, `text` is the file's path.
    pub fn send_keys(&self, element: &str, text: &str) {
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    pub fn click(&self, element: &str) {
        self.call(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    /// Runs `script` (a function body) in the page; what it returns.
    pub fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Waits until `script` returns something other than null, false or "".
    pub fn wait_for(&self, script: &str, limit: Duration) -> Value {
        let started = Instant::now();
        loop {
            let v = self.script(script);
            if !(v.is_null() || v == false || v == "") {
                return v;
            }
            assert!(started.elapsed() < limit, "waited in vain for {script}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The DOM as it is now, serialised.
    pub fn source(&self) -> String {
        self.call("GET", "/source", None)
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The requests made since the last call: the URL of the document that made each (for a
    /// navigation, the document it loads) and the URL asked for. Chromium's own background
    /// requests belong to no page and do not appear.
    pub fn requests(&self) -> Vec<(String, String)> {
        self.call("POST", "/se/log", Some(json!({"type": "performance"})))
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
            .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
            .map(|m| {
                let p = &m["message"]["params"];
                let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
                (s(&p["documentURL"]), s(&p["request"]["url"]))
            })
            .collect()
    }

    /// The console messages since the last call.
    pub fn console(&self) -> Vec<String> {
        self.call("POST", "/se/log", Some(json!({"type": "browser"})))
            .as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{} {}", e["level"], e["message"]))
            .collect()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.try_raw("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
