//! Just enough W3C WebDriver to drive Debian's Chromium through chromedriver: sessions,
//! navigation, script, real clicks and keystrokes (also inside shadow roots), screenshots.

use crate::http;
use anyhow::{Context, Result, bail};
use base64::Engine;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A running chromedriver on a loopback port.
pub struct Chromedriver {
    url: String,
    child: Child,
}

impl Chromedriver {
    pub fn start() -> Result<Chromedriver> {
        let port = crate::worker_process::free_port()?;
        let child = Command::new(CHROMEDRIVER)
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver (cargo xtask test installs Debian's chromium-driver)")?;
        let url = format!("http://127.0.0.1:{port}");
        let status = format!("{url}/status");
        crate::poll("chromedriver to start", Duration::from_secs(20), || {
            http::get(&status, &[]).ok().filter(|a| a.json()["value"]["ready"] == json!(true))
        })?;
        Ok(Chromedriver { url, child })
    }

    /// A new headless browser session with a fresh profile.
    pub fn session(&self) -> Result<Session> {
        self.new_session(None, None)
    }

    /// A new session whose browser records a Chromium trace of `categories` (comma-separated
    /// trace categories, e.g. `devtools.timeline,v8`) from its start. chromedriver collects it:
    /// [`Session::trace_events`] stops the trace and returns its events.
    pub fn traced_session(&self, categories: &str) -> Result<Session> {
        self.new_session(Some(json!({"performance": "ALL"})), Some(json!({ "traceCategories": categories })))
    }

    fn new_session(&self, logging: Option<Value>, perf_logging: Option<Value>) -> Result<Session> {
        let mut options = json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,900"]
        });
        if let Some(perf_logging) = perf_logging {
            options["perfLoggingPrefs"] = perf_logging;
        }
        let mut always = json!({ "browserName": "chrome", "goog:chromeOptions": options });
        if let Some(logging) = logging {
            always["goog:loggingPrefs"] = logging;
        }
        let caps = json!({"capabilities": {"alwaysMatch": always}});
        let answer = http::post_json(&format!("{}/session", self.url), &[], &caps)?;
        let id = answer.json()["value"]["sessionId"].as_str().map(str::to_owned);
        match id {
            Some(id) => Ok(Session { base: format!("{}/session/{id}", self.url) }),
            None => bail!("chromedriver refused a session: {}", answer.body),
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser window; closed on drop.
pub struct Session {
    base: String,
}

/// A reference to a DOM element (possibly inside a shadow root).
#[derive(Clone, Debug)]
pub struct Element(String);

/// JS that finds the first match for a selector in the document or any open shadow root.
const FIND_DEEP: &str = "const sel = arguments[0];
const direct = document.querySelector(sel); if (direct) return direct;
for (const host of document.querySelectorAll('*')) {
  if (host.shadowRoot) { const found = host.shadowRoot.querySelector(sel); if (found) return found; }
}
return null;";

impl Session {
    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let answer = match body {
            Some(body) => http::post_json(&url, &[], &body)?,
            None => http::send(method, &url, &[], None)?,
        };
        let value = answer.json()["value"].clone();
        if answer.status != 200 {
            bail!("webdriver {method} {path}: {} {}", answer.status, value);
        }
        Ok(value)
    }

    pub fn goto(&self, url: &str) -> Result<()> {
        self.command("POST", "/url", Some(json!({ "url": url }))).map(drop)
    }

    /// Runs a script synchronously and returns its value.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.command("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Finds an element by CSS selector in the page or any open shadow root, waiting for it.
    pub fn find(&self, selector: &str) -> Result<Element> {
        crate::poll(&format!("element {selector}"), Duration::from_secs(15), || {
            let value = self.execute(FIND_DEEP, vec![json!(selector)]).ok()?;
            value[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))
        })
    }

    /// How many elements match a selector right now, in the page and open shadow roots (no
    /// waiting: for asserting that something is absent).
    pub fn count(&self, selector: &str) -> Result<usize> {
        let script = "const sel = arguments[0]; let n = document.querySelectorAll(sel).length;
for (const host of document.querySelectorAll('*')) { if (host.shadowRoot) n += host.shadowRoot.querySelectorAll(sel).length; }
return n;";
        let value = self.execute(script, vec![json!(selector)])?;
        Ok(usize::try_from(value.as_u64().unwrap_or_default()).unwrap_or_default())
    }

    /// A real click (pointer events through the browser), as a person would.
    pub fn click(&self, element: &Element) -> Result<()> {
        self.command("POST", &format!("/element/{}/click", element.0), Some(json!({}))).map(drop)
    }

    /// Moves the pointer onto the middle of an element, as a person's mouse would (WebDriver
    /// actions): `pointerover`/`pointerenter` fire, nothing is clicked.
    pub fn hover(&self, element: &Element) -> Result<()> {
        let origin = json!({ ELEMENT_KEY: element.0 });
        let body = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "duration": 0, "origin": origin, "x": 0, "y": 0}]}]});
        self.command("POST", "/actions", Some(body)).map(drop)
    }

    /// Types text into an element with real key events.
    pub fn type_text(&self, element: &Element, text: &str) -> Result<()> {
        self.command("POST", &format!("/element/{}/value", element.0), Some(json!({ "text": text }))).map(drop)
    }

    /// Presses keys on whatever has focus, as a keyboard would (WebDriver actions): no element
    /// is focused first. Special keys are WebDriver code points, e.g. `\u{E004}` Tab,
    /// `\u{E007}` Enter, `\u{E00D}` Space, `\u{E014}` ArrowRight, `\u{E00C}` Escape.
    pub fn keys(&self, keys: &str) -> Result<()> {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|key| {
                let key = key.to_string();
                [json!({"type": "keyDown", "value": key}), json!({"type": "keyUp", "value": key})]
            })
            .collect();
        let body = json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]});
        self.command("POST", "/actions", Some(body)).map(drop)
    }

    pub fn attribute(&self, element: &Element, name: &str) -> Result<Option<String>> {
        let value = self.command("GET", &format!("/element/{}/attribute/{name}", element.0), None)?;
        Ok(value.as_str().map(str::to_owned))
    }

    pub fn text(&self, element: &Element) -> Result<String> {
        let value = self.command("GET", &format!("/element/{}/text", element.0), None)?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// URLs of every resource the page has loaded so far (Resource Timing).
    pub fn resource_urls(&self) -> Result<Vec<String>> {
        let value = self.execute("return performance.getEntriesByType('resource').map(e => e.name);", vec![])?;
        Ok(value
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default())
    }

    /// Reloads the current page.
    pub fn refresh(&self) -> Result<()> {
        self.command("POST", "/refresh", Some(json!({}))).map(drop)
    }

    /// Handles of every open window or tab.
    pub fn window_handles(&self) -> Result<Vec<String>> {
        let value = self.command("GET", "/window/handles", None)?;
        Ok(value
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default())
    }

    /// Opens a new tab (sharing this session's profile and storage) and returns its handle;
    /// commands still go to the current one until [`Session::switch_to`].
    pub fn new_tab(&self) -> Result<String> {
        let value = self.command("POST", "/window/new", Some(json!({ "type": "tab" })))?;
        value["handle"].as_str().map(str::to_owned).context("new tab handle")
    }

    /// Sends the following commands to the window or tab with this handle.
    pub fn switch_to(&self, handle: &str) -> Result<()> {
        self.command("POST", "/window", Some(json!({ "handle": handle }))).map(drop)
    }

    /// Closes the current window or tab (switch to another before the next command).
    pub fn close_window(&self) -> Result<()> {
        self.command("DELETE", "/window", None).map(drop)
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver (e.g. `Network.enable`,
    /// `Network.setBlockedURLs` to cut the page off from some URLs).
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.command("POST", "/goog/cdp/execute", Some(json!({ "cmd": cmd, "params": params })))
    }

    /// A PNG screenshot of one element (scrolled into view), as the browser paints it.
    pub fn element_screenshot(&self, element: &Element) -> Result<Vec<u8>> {
        let value = self.command("GET", &format!("/element/{}/screenshot", element.0), None)?;
        Ok(base64::engine::general_purpose::STANDARD.decode(value.as_str().unwrap_or_default())?)
    }

    /// Stops the trace of a [`Chromedriver::traced_session`] and returns its trace events (the
    /// Trace Event Format's objects: `name`, `cat`, `ph`, `ts`, `dur`, `pid`, `tid`, `args`).
    /// chromedriver hands them over as its `performance` log, one `Tracing.dataCollected`
    /// message per entry.
    pub fn trace_events(&self) -> Result<Vec<Value>> {
        let entries = self.command("POST", "/se/log", Some(json!({ "type": "performance" })))?;
        let mut events = Vec::new();
        for entry in entries.as_array().context("the performance log is not a list")? {
            let message: Value = serde_json::from_str(entry["message"].as_str().unwrap_or_default())
                .context("a performance log entry is not JSON")?;
            let message = &message["message"];
            if message["method"] == "Tracing.dataCollected" {
                events.push(message["params"].clone());
            }
        }
        Ok(events)
    }

    /// Saves a PNG screenshot of the viewport.
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        let value = self.command("GET", "/screenshot", None)?;
        let png = base64::engine::general_purpose::STANDARD.decode(value.as_str().unwrap_or_default())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)?;
        Ok(())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = http::send("DELETE", &self.base, &[], None);
    }
}
