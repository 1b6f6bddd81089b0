//! I/O with the tellus API and the browser: the two HTTP calls, randomness and the page path.
//!
//! Fetch goes through `web-sys` directly (gloo-net costs ~30 KB of wasm); bodies are read as
//! text and parsed with serde_json, which the core's wire types already need. Nothing here
//! panics: every way the network or the server can misbehave becomes a [`Failure`].

use serde::Deserialize;
use serde::de::DeserializeOwned;
use tellus_core::wire::{FeedbackRequest, Receipt, SiteConfig};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, RequestMode, Response};

use crate::state::Failure;

/// Random bytes in an idempotency key: 128 bits, written as 32 hex characters (the API accepts
/// 8–64 characters of `[A-Za-z0-9_-]`).
const IDEMPOTENCY_KEY_BYTES: usize = 16;

/// `GET {endpoint}/v1/sites/{site}/config`.
pub async fn load_config(endpoint: &str, site: &str) -> Result<SiteConfig, Failure> {
    let url = format!("{endpoint}/v1/sites/{}/config", encode(site));
    let init = RequestInit::new();
    init.set_method("GET");
    call(&url, &init).await
}

/// `POST {endpoint}/v1/sites/{site}/feedback`; `Ok` only for a 2xx answer with a receipt.
pub async fn send_feedback(endpoint: &str, site: &str, request: &FeedbackRequest) -> Result<Receipt, Failure> {
    let url = format!("{endpoint}/v1/sites/{}/feedback", encode(site));
    let body = serde_json::to_string(request).map_err(|_| Failure::Unexpected)?;
    let init = RequestInit::new();
    init.set_method("POST");
    let headers = Headers::new().map_err(|_| Failure::Unexpected)?;
    headers.set("Content-Type", "application/json").map_err(|_| Failure::Unexpected)?;
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    call(&url, &init).await
}

/// The parts of an RFC 9457 problem document the widget shows.
#[derive(Deserialize)]
struct ProblemBody {
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
}

/// Sends one request and reads its JSON answer: the body as `T` on 2xx, a [`Failure`] otherwise.
async fn call<T: DeserializeOwned>(url: &str, init: &RequestInit) -> Result<T, Failure> {
    let window = web_sys::window().ok_or(Failure::Unexpected)?;
    // Cross-origin by design (the API lives on the tellus host), and no cookies: the public
    // API authenticates nothing about the customer.
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    let answer = JsFuture::from(window.fetch_with_str_and_init(url, init)).await.map_err(|_| Failure::Unreachable)?;
    let response: Response = answer.dyn_into().map_err(|_| Failure::Unexpected)?;
    let text_promise = response.text().map_err(|_| Failure::Unexpected)?;
    let text = JsFuture::from(text_promise)
        .await
        // The connection dropped while the body was arriving.
        .map_err(|_| Failure::Unreachable)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        return serde_json::from_str(&text).map_err(|_| Failure::Unexpected);
    }
    match serde_json::from_str::<ProblemBody>(&text) {
        Ok(problem) if !problem.detail.is_empty() || !problem.title.is_empty() => {
            let detail = if problem.detail.is_empty() { problem.title } else { problem.detail };
            Err(Failure::Problem { status: response.status(), detail })
        }
        _ => Err(Failure::Unexpected),
    }
}

/// A fresh idempotency key from the browser's CSPRNG (`crypto.getRandomValues` also works on
/// plain-HTTP pages, unlike `crypto.randomUUID`). If the browser refuses, a key from the clock
/// and `Math.random` still avoids collisions between this customer's own retries, which is all
/// the key is for.
pub fn idempotency_key() -> String {
    let mut bytes = [0_u8; IDEMPOTENCY_KEY_BYTES];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        let now = js_sys::Date::now().to_bits().to_be_bytes();
        let noise = js_sys::Math::random().to_bits().to_be_bytes();
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = if i < 8 { now[i] } else { noise[i - 8] };
        }
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut key = String::with_capacity(IDEMPOTENCY_KEY_BYTES * 2);
    for byte in bytes {
        key.push(char::from(HEX[usize::from(byte >> 4)]));
        key.push(char::from(HEX[usize::from(byte & 15)]));
    }
    key
}

/// The host page's path, the default touchpoint.
pub fn page_path() -> Option<String> {
    web_sys::window()?.location().pathname().ok()
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}
