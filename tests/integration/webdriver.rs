//! A small WebDriver client for the browser tests: chromedriver started on a free port as a
//! child process (killed on drop), one headless Chromium session with a fresh profile, and the
//! handful of W3C WebDriver commands the tests use, spoken as plain HTTP and JSON.
//!
//! Methods panic with a message naming the command and what the browser answered; the tests
//! catch the panic to save a screenshot first (see `browser.rs`).

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Where Debian's `chromium` and `chromium-driver` packages put the browser and the driver.
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How WebDriver marks an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long the `wait_*` helpers poll before giving up.
pub const WAIT: Duration = Duration::from_secs(15);

/// The command-line switches Chromium runs with. The machine has no network beyond package
/// registries: without the background-networking switches Chromium floods refused connections.
/// Every name but the test server's resolves to nothing, so a page that reaches for another
/// host (a video player started in a test) fails at once and sends nothing anywhere.
const CHROMIUM_ARGS: &[&str] = &[
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=en-US",
    "--window-size=1280,1000",
];

/// An element found in the current page.
#[derive(Debug, Clone)]
pub struct Element {
    id: String,
    /// The selector it was found by, for messages.
    css: String,
}

impl Element {
    /// The element as a script argument.
    pub fn arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

/// chromedriver running as a child process; killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session: a headless Chromium with a fresh profile, driven over WebDriver.
pub struct Browser {
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT/session/ID`.
    session: String,
    quit: bool,
    // Field order is drop order: the session is ended (in `Drop`) before chromedriver is
    // killed, and the profile removed after both.
    _driver: Driver,
    _profile: TempDir,
}

/// Why no browser could be found, or `None` when both are installed.
pub fn missing() -> Option<String> {
    let lacking: Vec<&str> =
        [CHROMIUM, CHROMEDRIVER].into_iter().filter(|p| !Path::new(p).exists()).collect();
    (!lacking.is_empty()).then(|| {
        format!("{} not installed (apt-get install chromium chromium-driver)", lacking.join(" and "))
    })
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session. `None` (after a loud SKIPPED line)
    /// when they are not installed outside CI; under `CI=true` a missing browser fails instead.
    pub async fn start(test: &str) -> Option<Browser> {
        if let Some(why) = missing() {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true but {why}; the browser tests must run in CI (.ci/run installs them)");
            }
            crate::harness::say_skipped(&format!("browser test {test}: {why}."));
            return None;
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("WebDriver HTTP client");
        let driver = start_driver(&http).await;
        let profile = tempfile::tempdir().expect("temp dir for the Chromium profile");
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            // Dialogs (confirm()) stay open until a test accepts or dismisses them.
            "unhandledPromptBehavior": "ignore",
            "timeouts": { "implicit": 0, "pageLoad": 30_000, "script": 20_000 },
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        }}});
        let response = http
            .post(format!("{}/session", driver.url))
            .json(&capabilities)
            .send()
            .await
            .expect("new WebDriver session: chromedriver did not answer");
        let status = response.status();
        let body: Value = response.json().await.expect("new session: JSON answer");
        let Some(id) = body["value"]["sessionId"].as_str() else {
            panic!("chromedriver could not start Chromium ({status}): {body}");
        };
        let session = format!("{}/session/{id}", driver.url);
        Some(Browser { http, session, quit: false, _driver: driver, _profile: profile })
    }

    /// Sends one command; `Err` carries WebDriver's error code and message.
    pub async fn try_cmd(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let url = format!("{}{path}", self.session);
        let mut request = self.http.request(method.clone(), &url);
        if let Some(b) = body {
            request = request.json(&b);
        } else if method == reqwest::Method::POST {
            request = request.json(&json!({}));
        }
        let response = request.send().await.map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status();
        let body: Value = response.json().await.map_err(|e| format!("{method} {path}: not JSON: {e}"))?;
        if status.is_success() {
            Ok(body["value"].clone())
        } else {
            Err(format!(
                "{} ({status}): {}",
                body["value"]["error"].as_str().unwrap_or("?"),
                body["value"]["message"].as_str().unwrap_or("").lines().next().unwrap_or("")
            ))
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let what = format!("WebDriver {method} {path}");
        self.try_cmd(method, path, body).await.unwrap_or_else(|e| panic!("{what} failed: {e}"))
    }

    async fn get(&self, path: &str) -> Value {
        self.cmd(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.cmd(reqwest::Method::POST, path, Some(body)).await
    }

    /// A command on an element; a failure names the element's selector.
    async fn on(&self, el: &Element, method: reqwest::Method, command: &str, body: Option<Value>) -> Value {
        let path = format!("/element/{}/{command}", el.id);
        match self.try_cmd(method, &path, body).await {
            Ok(v) => v,
            Err(e) => panic!("WebDriver {command} on {:?} failed: {e}", el.css),
        }
    }

    /// Opens a URL and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    /// The current URL (never fails: it goes into failure messages).
    pub async fn current_url(&self) -> String {
        match self.try_cmd(reqwest::Method::GET, "/url", None).await {
            Ok(Value::String(url)) => url,
            Ok(other) => format!("(no URL: {other})"),
            Err(e) => format!("(no URL: {e})"),
        }
    }

    pub async fn title(&self) -> String {
        self.get("/title").await.as_str().unwrap_or_default().to_string()
    }

    /// The current DOM, serialized.
    pub async fn source(&self) -> String {
        self.get("/source").await.as_str().unwrap_or_default().to_string()
    }

    /// The first element matching a CSS selector, if any.
    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let found = self.try_cmd(
            reqwest::Method::POST,
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        found.await.ok().and_then(|v| element(&v, css))
    }

    /// Presses and releases one key wherever the focus is, as a person would (WebDriver
    /// actions; unlike typing into an element, it moves no focus and works on any control).
    pub async fn press(&self, key: &str) {
        let actions = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
            { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }
        ] }] });
        self.post("/actions", actions).await;
    }

    /// The element that has the keyboard focus (the document's body when none has).
    pub async fn active(&self) -> Element {
        let v = self.cmd(reqwest::Method::GET, "/element/active", None).await;
        element(&v, ":focus").unwrap_or_else(|| panic!("no active element: {v}"))
    }

    /// The first element matching a CSS selector; panics when there is none.
    pub async fn find(&self, css: &str) -> Element {
        match self.try_find(css).await {
            Some(e) => e,
            None => panic!("no element matches {css:?} on {}", self.current_url().await),
        }
    }

    /// Every element matching a CSS selector.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self.post("/elements", json!({ "using": "css selector", "value": css })).await;
        found.as_array().map(|a| a.iter().filter_map(|v| element(v, css)).collect()).unwrap_or_default()
    }

    /// Waits until an element matches (for pages that build themselves with script).
    pub async fn wait_for(&self, css: &str) -> Element {
        let start = Instant::now();
        loop {
            if let Some(e) = self.try_find(css).await {
                return e;
            }
            if start.elapsed() > WAIT {
                panic!("no element matched {css:?} within {WAIT:?} on {}", self.current_url().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until a script expression (the body of a function) returns true.
    pub async fn wait_until(&self, script: &str, what: &str) {
        let start = Instant::now();
        loop {
            let done = self.try_cmd(
                reqwest::Method::POST,
                "/execute/sync",
                Some(json!({ "script": script, "args": [] })),
            );
            if done.await.is_ok_and(|v| v == Value::Bool(true)) {
                return;
            }
            if start.elapsed() > WAIT {
                panic!("timed out after {WAIT:?} waiting for {what} on {}", self.current_url().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the current URL contains `part` (after a form submission).
    pub async fn wait_for_url(&self, part: &str) -> String {
        let start = Instant::now();
        loop {
            if let Ok(Value::String(url)) = self.try_cmd(reqwest::Method::GET, "/url", None).await {
                if url.contains(part) {
                    return url;
                }
                if start.elapsed() > WAIT {
                    panic!("timed out after {WAIT:?} waiting for a URL containing {part:?}; still at {url}");
                }
            } else if start.elapsed() > WAIT {
                panic!("timed out after {WAIT:?} waiting for a URL containing {part:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types text into an element, as keystrokes.
    pub async fn send_keys(&self, el: &Element, text: &str) {
        self.on(el, reqwest::Method::POST, "value", Some(json!({ "text": text }))).await;
    }

    pub async fn click(&self, el: &Element) {
        self.on(el, reqwest::Method::POST, "click", Some(json!({}))).await;
    }

    /// The element's rendered text.
    pub async fn text(&self, el: &Element) -> String {
        self.on(el, reqwest::Method::GET, "text", None).await.as_str().unwrap_or_default().to_string()
    }

    /// Runs a script (the body of a function; `arguments[i]` are `args`) and returns its
    /// value; a returned promise is awaited.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args })).await
    }

    /// The text of the open dialog (alert, confirm, prompt), if there is one.
    pub async fn alert_text(&self) -> Option<String> {
        self.try_cmd(reqwest::Method::GET, "/alert/text", None)
            .await
            .ok()
            .map(|v| v.as_str().unwrap_or("").into())
    }

    /// Waits for a dialog to open and returns its text.
    pub async fn wait_for_alert(&self) -> String {
        let start = Instant::now();
        loop {
            if let Some(text) = self.alert_text().await {
                return text;
            }
            if start.elapsed() > WAIT {
                panic!("no dialog opened within {WAIT:?} on {}", self.current_url().await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn accept_alert(&self) {
        self.post("/alert/accept", json!({})).await;
    }

    /// Handles of the open windows and tabs.
    pub async fn window_handles(&self) -> Vec<String> {
        let handles = self.get("/window/handles").await;
        handles
            .as_array()
            .map(|a| a.iter().filter_map(|h| h.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    pub async fn window_handle(&self) -> String {
        self.get("/window").await.as_str().unwrap_or_default().to_string()
    }

    /// Closes the current window without asking its page (no `beforeunload`), as a crash or
    /// a killed tab would; switch to another window afterwards.
    pub async fn close_window(&self) {
        self.cmd(reqwest::Method::DELETE, "/window", None).await;
    }

    pub async fn switch_to_window(&self, handle: &str) {
        self.post("/window", json!({ "handle": handle })).await;
    }

    /// The cookies visible at the current page, HttpOnly ones included.
    pub async fn cookies(&self) -> Vec<Value> {
        self.get("/cookie").await.as_array().cloned().unwrap_or_default()
    }

    /// A PNG of the current viewport.
    pub async fn screenshot(&self) -> Result<Vec<u8>, String> {
        let shot = self.try_cmd(reqwest::Method::GET, "/screenshot", None).await?;
        base64_decode(shot.as_str().unwrap_or_default())
    }

    /// Saves a screenshot and the page's DOM under the system temp dir (kept after the test)
    /// and returns the screenshot's path.
    pub async fn save_debug_files(&self, name: &str) -> Result<PathBuf, String> {
        let dir = std::env::temp_dir().join("newsdesk-browser-tests");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if let Some(text) = self.alert_text().await {
            eprintln!("a dialog was open: {text:?}; dismissing it for the screenshot");
            let _ = self.try_cmd(reqwest::Method::POST, "/alert/dismiss", Some(json!({}))).await;
        }
        let stem = format!("{name}-{}-{}", std::process::id(), jiff::Timestamp::now().as_millisecond());
        if let Ok(Value::String(html)) = self.try_cmd(reqwest::Method::GET, "/source", None).await {
            let _ = std::fs::write(dir.join(format!("{stem}.html")), html);
        }
        let png = self.screenshot().await?;
        let path = dir.join(format!("{stem}.png"));
        std::fs::write(&path, png).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }

    /// Ends the session (Chromium exits); chromedriver is killed when the browser is dropped.
    pub async fn quit(mut self) {
        let _ = self.http.delete(&self.session).send().await;
        self.quit = true;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if self.quit {
            return;
        }
        // Dropped without `quit` (a failed test): end the session from a thread of its own, as
        // drop may run inside the test's runtime, so Chromium does not outlive chromedriver.
        let session = self.session.clone();
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build();
                if let Ok(c) = client {
                    let _ = c.delete(&session).send().await;
                }
            });
        })
        .join();
    }
}

fn element(v: &Value, css: &str) -> Option<Element> {
    v.get(ELEMENT_KEY).and_then(Value::as_str).map(|id| Element { id: id.to_string(), css: css.to_string() })
}

/// Starts chromedriver on a free port and waits until it is ready.
async fn start_driver(http: &reqwest::Client) -> Driver {
    let mut last_error = String::new();
    for _ in 0..3 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port for chromedriver")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--log-level=WARNING")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
        let mut driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = driver.child.try_wait() {
                last_error = format!("chromedriver exited with {status} (port {port} taken?)");
                break;
            }
            let ready = http.get(format!("{}/status", driver.url)).send().await;
            if let Ok(r) = ready
                && let Ok(v) = r.json::<Value>().await
            {
                if v["value"]["ready"] == Value::Bool(true) {
                    return driver;
                }
                last_error = format!("chromedriver not ready: {v}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if last_error.is_empty() {
            last_error = "chromedriver did not answer within 10 s".into();
        }
    }
    panic!("cannot start chromedriver: {last_error}");
}

/// Standard base64 (what WebDriver screenshots are in) to bytes.
fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => return Err(format!("not base64: byte {c}")),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("aGVsbG8gd29ybGQ=").unwrap(), b"hello world");
}
