//! A small blocking HTTP client for tests: every status is an answer, not an error.

use anyhow::Result;
use serde_json::Value;
use std::io::Read;
use std::time::Duration;

/// One HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// KV operations the Worker reported for this request (`x-tellus-kv-ops`).
    pub fn kv_ops(&self, kind: &str) -> Option<u32> {
        self.header(tellus_core::protocol::HEADER_KV_OPS)?
            .split(';')
            .find_map(|part| part.strip_prefix(kind)?.strip_prefix('=')?.parse().ok())
    }
}

/// Every request of the harness, to the Worker and to chromedriver alike, is bounded by this.
/// 60 s, not less: a WebDriver navigation answers only when the page has loaded, and on a
/// loaded 2-core machine (a CI run beside a benchmark) a page load was seen to take over 20 s.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().timeout(REQUEST_TIMEOUT).redirects(0).build()
}

/// Sends a request with raw body bytes.
pub fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Result<Answer> {
    let mut req = agent().request(method, url);
    for (name, value) in headers {
        req = req.set(name, value);
    }
    let result = match body {
        Some(bytes) => req.send_bytes(bytes),
        None => req.call(),
    };
    let res = match result {
        Ok(res) => res,
        Err(ureq::Error::Status(_, res)) => res,
        Err(err) => return Err(err.into()),
    };
    let status = res.status();
    let headers = res
        .headers_names()
        .into_iter()
        .filter_map(|name| res.header(&name).map(|v| (name.clone(), v.to_owned())))
        .collect();
    // Read whole, whatever the size (ureq's `into_string` stops at 10 MB; a Chromium trace from
    // chromedriver's performance log is larger).
    let mut body = String::new();
    res.into_reader().read_to_string(&mut body)?;
    Ok(Answer { status, headers, body })
}

pub fn get(url: &str, headers: &[(&str, &str)]) -> Result<Answer> {
    send("GET", url, headers, None)
}

/// POSTs a JSON value.
pub fn post_json(url: &str, headers: &[(&str, &str)], body: &Value) -> Result<Answer> {
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    send("POST", url, &all, Some(serde_json::to_vec(body)?.as_slice()))
}

/// Percent-encodes text for a URL query value (RFC 3986 unreserved characters kept).
pub fn encode_query(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
