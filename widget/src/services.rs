//! I/O with the tellus API and the browser: the HTTP calls, the offline queue's re-send, share
//! and clipboard, randomness and the page path.
//!
//! Fetch goes through `web-sys` directly (gloo-net costs ~30 KB of wasm); bodies are read as
//! text and parsed by the browser, and the entry is written by hand (see `json`). Nothing here
//! panics: every way the network or the server can misbehave becomes a [`Failure`].

use js_sys::Reflect;
use tellus_core::entry::{Kind, Status};
use tellus_core::wire::{Receipt, ReceiptStatus, SiteConfig};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, RequestMode, Response};

use crate::json::Json;
use crate::storage::{self, Record};
use crate::strings::{self, Text};

/// Why talking to the server did not work, in terms of what the customer is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer at all: offline, DNS, a blocker, or CORS refusing the origin.
    Unreachable,
    /// The server answered with a problem document: its status, and the widget's own words for
    /// its `type` (see [`problem_words`]). The document's `detail` is English, written for the
    /// site's owner; the customer reads the widget's sentence in their own language.
    Problem { status: u16, words: Text },
    /// The server answered with something that is neither the expected body nor a problem.
    Unexpected,
}

/// The widget's sentence for a problem `type` (`/problems/{slug}`, stable once published; see
/// `tellus_core::problem`): the causes a customer can meet and understand get their own words
/// (the site not set up for this page, too many tries); everything else is "something went
/// wrong on our side".
pub fn problem_words(type_uri: &str) -> Text {
    match type_uri.rsplit('/').next().unwrap_or_default() {
        "origin-not-allowed" | "not-found" => Text::NotSetUp,
        "rate-limited" => Text::TooMany,
        _ => Text::Unexpected,
    }
}

/// `GET {endpoint}/v1/sites/{site}/config`.
pub async fn load_config(endpoint: &str, site: &str) -> Result<SiteConfig, Failure> {
    let text = exchange(&site_url(endpoint, site, "/config"), None).await?;
    parse(&text, Json::site_config)
}

/// Fetches `{endpoint}/w/lang/{lang}.txt`, the strings of `lang`, unless the app has them
/// already (English is compiled in). On any failure the dialog speaks English.
pub async fn load_strings(endpoint: &str, lang: &str) {
    if strings::missing(lang)
        && let Ok(text) = exchange(&[endpoint, "/w/lang/", lang, ".txt"].concat(), None).await
    {
        strings::install(lang, text);
    }
}

/// `POST {endpoint}/v1/sites/{site}/feedback` with `body` (see [`crate::json::feedback_body`]);
/// `Ok` only for a 2xx answer with a receipt.
pub async fn send_feedback(endpoint: &str, site: &str, body: &str) -> Result<Receipt, Failure> {
    let text = exchange(&site_url(endpoint, site, "/feedback"), Some(body)).await?;
    parse(&text, Json::receipt)
}

/// `GET …/receipts/{id}?token=`: the status of the customer's own earlier entry.
pub async fn receipt_status(endpoint: &str, site: &str, id: &str, token: &str) -> Result<ReceiptStatus, Failure> {
    let path = ["/receipts/", &encode(id), "?token=", &encode(token)].concat();
    let text = exchange(&site_url(endpoint, site, &path), None).await?;
    parse(&text, Json::receipt_status)
}

/// `POST …/receipts/{id}/rerate`: the rating after the fix.
pub async fn rerate(endpoint: &str, site: &str, id: &str, token: &str, rating: u8) -> Result<ReceiptStatus, Failure> {
    let body = small_body(&[("token", token.into()), ("rating", rating.into())])?;
    let path = ["/receipts/", &encode(id), "/rerate"].concat();
    let text = exchange(&site_url(endpoint, site, &path), Some(&body)).await?;
    parse(&text, Json::receipt_status)
}

/// `POST …/clicks`: counts one tell-others click (a review link's id, `share` or `copy`).
pub async fn count_click(endpoint: &str, site: &str, target: &str) -> Result<(), Failure> {
    let body = small_body(&[("target", target.into())])?;
    exchange(&site_url(endpoint, site, "/clicks"), Some(&body)).await.map(drop)
}

/// A small JSON body written by the browser's `JSON.stringify` (cheaper in wasm than a serde
/// `Serialize` per request type; the entry itself goes through core's `FeedbackRequest`).
fn small_body(fields: &[(&str, JsValue)]) -> Result<String, Failure> {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        Reflect::set(&object, &JsValue::from_str(name), value).map_err(|_| Failure::Unexpected)?;
    }
    js_sys::JSON::stringify(&object).ok().and_then(|text| text.as_string()).ok_or(Failure::Unexpected)
}

fn site_url(endpoint: &str, site: &str, rest: &str) -> String {
    [endpoint, "/v1/sites/", &encode(site), rest].concat()
}

/// Reads a 2xx body with one of [`Json`]'s readers.
fn parse<T>(text: &str, read: impl FnOnce(&Json) -> Option<T>) -> Result<T, Failure> {
    Json::parse(text).as_ref().and_then(read).ok_or(Failure::Unexpected)
}

/// Sends one request (a GET, or a POST of `body` as JSON) and returns the answer's text on
/// 2xx, a [`Failure`] otherwise.
async fn exchange(url: &str, body: Option<&str>) -> Result<String, Failure> {
    let window = web_sys::window().ok_or(Failure::Unexpected)?;
    let init = RequestInit::new();
    if let Some(body) = body {
        init.set_method("POST");
        let headers = Headers::new().map_err(|_| Failure::Unexpected)?;
        headers.set("Content-Type", "application/json").map_err(|_| Failure::Unexpected)?;
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(body));
    }
    // Cross-origin by design (the API lives on the tellus host), and no cookies: the public
    // API authenticates nothing about the customer.
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    let answer = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(|_| Failure::Unreachable)?;
    let response: Response = answer.dyn_into().map_err(|_| Failure::Unexpected)?;
    let text_promise = response.text().map_err(|_| Failure::Unexpected)?;
    let text = JsFuture::from(text_promise)
        .await
        // The connection dropped while the body was arriving.
        .map_err(|_| Failure::Unreachable)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        return Ok(text);
    }
    match Json::parse(&text).and_then(|problem| problem.problem_type()) {
        Some(type_uri) => Err(Failure::Problem { status: response.status(), words: problem_words(&type_uri) }),
        None => Err(Failure::Unexpected),
    }
}

/// Sends the entries saved while offline (every site's: the endpoint and site are in each
/// record). An entry is forgotten once the server has answered for it, stored or refused for
/// good (a 4xx would be refused again); it stays queued while the network still fails. A
/// failure's receipt is kept for the return visit.
pub async fn flush_queue() {
    // One flush at a time per page (the loader's and an opening's can overlap): two copies of
    // one entry in flight at once would race each other past the server's idempotency check.
    if FLUSHING.with(|flushing| flushing.replace(true)) {
        return;
    }
    send_queued().await;
    FLUSHING.with(|flushing| flushing.set(false));
}

thread_local! {
    static FLUSHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

async fn send_queued() {
    for record in storage::records() {
        let Record::Queued { endpoint, site, body } = record else {
            continue;
        };
        match send_feedback(&endpoint, &site, &body).await {
            Ok(receipt) => {
                storage::dequeue(&body);
                keep_failure_receipt(&site, &receipt);
            }
            Err(Failure::Problem { status, .. }) if (400..500).contains(&status) && status != 429 => {
                storage::dequeue(&body);
            }
            Err(_) => {}
        }
    }
}

/// News about the customer's last failure on a site: what the Worker says now, the receipt's
/// token, the news in it ([`news_mark`], never empty here) and the news already shown.
pub struct News {
    pub status: ReceiptStatus,
    pub token: String,
    pub mark: String,
    pub seen: String,
}

/// Asks the Worker about the customer's last failure on `site`, if the browser keeps its
/// receipt. The story ends, and the receipt is forgotten, once the failure was re-rated or the
/// Worker no longer knows it (404, e.g. erased by the owner); any other failure keeps it for
/// the next visit (a 5xx is the Worker's trouble, not the end of the story). `Some` only when
/// there is news to show. One function for the page load's badge ([`crate::flush`]) and the
/// dialog's news section.
pub async fn receipt_news(endpoint: &str, site: &str) -> Option<News> {
    let (id, token, seen) = storage::receipt(site)?;
    match receipt_status(endpoint, site, &id, &token).await {
        Ok(status) if status.rerating.is_none() => {
            let mark = news_mark(&status);
            (!mark.is_empty()).then_some(News { status, token, mark, seen })
        }
        Ok(_) | Err(Failure::Problem { status: 404, .. }) => {
            storage::forget_receipt(site, &id);
            None
        }
        Err(_) => None,
    }
}

/// Marks the news in a receipt status (acknowledged, fixed, a reply and when), empty when there
/// is none. Stored when the customer has seen it, so the launcher's badge only announces news
/// that is new.
pub fn news_mark(status: &ReceiptStatus) -> String {
    let mut mark = String::from(match status.status {
        Some(Status::Acknowledged) => "a",
        Some(Status::Fixed) => "f",
        _ => "",
    });
    if let Some(reply) = &status.reply {
        mark.push_str(&strings::decimal(reply.at_ms));
    }
    mark
}

/// Remembers the receipt of a stored failure, so a later visit can show the owner's answer.
/// A replay of the same idempotency key carries the same token (the Worker derives it from the
/// key), so keeping it again changes nothing.
pub fn keep_failure_receipt(site: &str, receipt: &Receipt) {
    if receipt.kind == Kind::Failure && !receipt.receipt_token.is_empty() {
        storage::keep_receipt(site, &receipt.id, &receipt.receipt_token);
    }
}

/// Calls `object.name(argument)` if the browser has that method, returning its promise.
/// Checked at run time: `navigator.share` and `navigator.clipboard` exist only in some
/// browsers and only on secure pages.
async fn call_method(object: &JsValue, name: &str, argument: &JsValue) -> Result<JsValue, JsValue> {
    let method: js_sys::Function = Reflect::get(object, &JsValue::from_str(name))?.dyn_into()?;
    let promise: js_sys::Promise = method.call1(object, argument)?.dyn_into()?;
    JsFuture::from(promise).await
}

fn navigator() -> JsValue {
    web_sys::window().map(|window| JsValue::from(window.navigator())).unwrap_or(JsValue::UNDEFINED)
}

/// Whether the browser has the Web Share API.
pub fn can_share() -> bool {
    Reflect::get(&navigator(), &JsValue::from_str("share")).is_ok_and(|share| share.is_function())
}

/// Opens the system share sheet for the page; `true` when the customer shared.
pub async fn share_page(title: &str) -> bool {
    let data = js_sys::Object::new();
    let _ = Reflect::set(&data, &JsValue::from_str("title"), &JsValue::from_str(title));
    let _ = Reflect::set(&data, &JsValue::from_str("url"), &JsValue::from_str(&page_url()));
    call_method(&navigator(), "share", &data).await.is_ok()
}

/// Copies the page's address to the clipboard; `true` when the browser did.
pub async fn copy_page_link() -> bool {
    let Ok(clipboard) = Reflect::get(&navigator(), &JsValue::from_str("clipboard")) else {
        return false;
    };
    call_method(&clipboard, "writeText", &JsValue::from_str(&page_url())).await.is_ok()
}

fn page_url() -> String {
    web_sys::window().and_then(|window| window.location().href().ok()).unwrap_or_default()
}

/// A fresh idempotency key: a ULID of the customer's clock and 80 bits from the browser's CSPRNG
/// (`crypto.getRandomValues` also works on plain-HTTP pages, unlike `crypto.randomUUID`). The
/// time in the key lets the Worker derive the entry's id from it, so two copies of one entry
/// racing each other (two tabs flushing the queue) are stored once, at the time it was written.
/// If the browser refuses randomness, `Math.random` still keeps this customer's keys apart.
pub fn idempotency_key() -> String {
    let mut bytes = [0_u8; tellus_core::ids::ENTRY_ID_RANDOM_BYTES];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        let noise = js_sys::Math::random().to_bits().to_be_bytes();
        let more = js_sys::Math::random().to_bits().to_be_bytes();
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = if i < 8 { noise[i] } else { more[i - 8] };
        }
    }
    tellus_core::ids::entry_id(js_sys::Date::now() as u64, bytes)
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}
