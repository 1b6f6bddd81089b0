//! Reads the Worker's answers into core's wire types with the browser's own `JSON.parse` and
//! `Reflect.get`, field by field, instead of serde_json's deserializer: the same types, and
//! 15 KB less of the app's brotli bytes (measured), since the browser has a parser already.
//!
//! Reading is lenient where it cannot hurt (unknown fields are ignored, optional ones default)
//! and strict where the widget relies on a field: a body without an `id` is no receipt.
//!
//! The one body the widget writes itself, the entry ([`feedback_body`]), is written by hand
//! too, byte for byte what `serde_json::to_string` writes for core's `FeedbackRequest` (field
//! order, omissions and escapes; a test compares the two strings): serde_json's serializer cost
//! the app 498 B of brotli (measured; `docs/widget-size.md`).

use js_sys::{Array, Reflect};
use tellus_core::entry::{Channel, Kind, Reply, Rerating, Scale, Status};
use tellus_core::site::ReviewLink;
use tellus_core::wire::{FeedbackRequest, Receipt, ReceiptStatus, SiteConfig};
use wasm_bindgen::JsValue;

/// A parsed JSON value.
pub struct Json(JsValue);

impl Json {
    /// Parses `text`; `None` when it is not JSON.
    pub fn parse(text: &str) -> Option<Json> {
        js_sys::JSON::parse(text).ok().map(Json)
    }

    fn get(&self, key: &str) -> Json {
        if !self.0.is_object() {
            return Json(JsValue::UNDEFINED);
        }
        Json(Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
    }

    fn string(&self, key: &str) -> Option<String> {
        self.get(key).0.as_string()
    }

    fn text(&self, key: &str) -> String {
        self.string(key).unwrap_or_default()
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.get(key).0.as_f64()
    }

    /// A small non-negative integer (ratings, thresholds); out of range counts as absent.
    fn small(&self, key: &str) -> Option<u8> {
        self.number(key).filter(|n| (0.0..=255.0).contains(n)).map(|n| n as u8)
    }

    fn millis(&self, key: &str) -> u64 {
        self.number(key).filter(|n| *n >= 0.0).map(|n| n as u64).unwrap_or_default()
    }

    fn object(&self, key: &str) -> Option<Json> {
        let value = self.get(key);
        value.0.is_object().then_some(value)
    }

    fn items(&self, key: &str) -> Vec<Json> {
        let value = self.get(key).0;
        if Array::is_array(&value) { Array::from(&value).iter().map(Json).collect() } else { Vec::new() }
    }

    fn kind(&self) -> Option<Kind> {
        match self.string("kind")?.as_str() {
            "failure" => Some(Kind::Failure),
            "neutral" => Some(Kind::Neutral),
            "praise" => Some(Kind::Praise),
            _ => None,
        }
    }

    fn status(&self) -> Option<Status> {
        match self.string("status")?.as_str() {
            "open" => Some(Status::Open),
            "acknowledged" => Some(Status::Acknowledged),
            "fixed" => Some(Status::Fixed),
            _ => None,
        }
    }

    /// `GET /v1/sites/{site}/config`.
    pub fn site_config(&self) -> Option<SiteConfig> {
        let scale = self.string("scale").and_then(|scale| Scale::parse(&scale)).unwrap_or_default();
        Some(SiteConfig {
            id: self.string("id")?,
            name: self.text("name"),
            scale,
            failure_threshold: self.small("failure_threshold").unwrap_or(scale.default_threshold()),
            review_links: self
                .items("review_links")
                .iter()
                .filter_map(|link| {
                    Some(ReviewLink { id: link.string("id")?, label: link.string("label")?, url: link.string("url")? })
                })
                .collect(),
            theme_color: self.text("theme_color"),
        })
    }

    /// The answer to a submission (201 stored, 200 replayed).
    pub fn receipt(&self) -> Option<Receipt> {
        Some(Receipt {
            id: self.string("id")?,
            receipt_token: self.text("receipt_token"),
            kind: self.kind()?,
            status: self.status(),
            duplicate: self.get("duplicate").0.as_bool().unwrap_or_default(),
        })
    }

    /// The status of the customer's own entry.
    pub fn receipt_status(&self) -> Option<ReceiptStatus> {
        Some(ReceiptStatus {
            id: self.string("id")?,
            kind: self.kind()?,
            status: self.status(),
            reply: self.object("reply").map(|reply| Reply { text: reply.text("text"), at_ms: reply.millis("at_ms") }),
            can_rerate: self.get("can_rerate").0.as_bool().unwrap_or_default(),
            rerating: self.object("rerating").and_then(|rerating| {
                Some(Rerating { rating: rerating.small("rating")?, at_ms: rerating.millis("at_ms") })
            }),
        })
    }

    /// The `type` of an RFC 9457 problem document (the widget shows its own words for it, not
    /// the English `detail`); `None` when the body is no problem document.
    pub fn problem_type(&self) -> Option<String> {
        self.string("type")
    }
}

/// The JSON body of a feedback request, as sent and as kept in the offline queue: what
/// `serde_json::to_string(request)` writes. Control characters are always escaped, so the body
/// never holds a raw tab or line break (the offline queue's record format relies on that).
pub fn feedback_body(request: &FeedbackRequest) -> String {
    let mut body = Object::default();
    body.raw("rating", &crate::strings::decimal(request.rating.into()));
    if !request.comment.is_empty() {
        body.string("comment", &request.comment);
    }
    if !request.dimensions.is_empty() {
        let names: Vec<String> = request.dimensions.iter().map(|dimension| quoted(dimension.as_str())).collect();
        body.raw("dimensions", &["[", &names.join(","), "]"].concat());
    }
    if let Some(touchpoint) = &request.touchpoint {
        let mut inner = Object::default();
        inner.optional("page", &touchpoint.page);
        inner.optional("order", &touchpoint.order);
        inner.optional("agent", &touchpoint.agent);
        body.raw("touchpoint", &inner.finish());
    }
    if request.consent {
        body.raw("consent", "true");
    }
    if let Some(contact) = &request.contact {
        let mut inner = Object::default();
        inner.optional("name", &contact.name);
        inner.optional("email", &contact.email);
        inner.optional("phone", &contact.phone);
        if let Some(channel) = contact.channel {
            inner.string("channel", if channel == Channel::Phone { "phone" } else { "email" });
        }
        body.raw("contact", &inner.finish());
    }
    if !request.lang.is_empty() {
        body.string("lang", &request.lang);
    }
    if !request.idempotency_key.is_empty() {
        body.string("idempotency_key", &request.idempotency_key);
    }
    body.finish()
}

/// A JSON object being written, one member at a time.
#[derive(Default)]
struct Object(String);

impl Object {
    /// Adds `"key":` followed by `json`, which must already be JSON.
    fn raw(&mut self, key: &str, json: &str) {
        self.0.push(if self.0.is_empty() { '{' } else { ',' });
        self.0.push_str(&quoted(key));
        self.0.push(':');
        self.0.push_str(json);
    }

    fn string(&mut self, key: &str, value: &str) {
        self.raw(key, &quoted(value));
    }

    fn optional(&mut self, key: &str, value: &Option<String>) {
        if let Some(value) = value {
            self.string(key, value);
        }
    }

    fn finish(mut self) -> String {
        if self.0.is_empty() {
            self.0.push('{');
        }
        self.0.push('}');
        self.0
    }
}

/// `text` as a JSON string.
fn quoted(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                out.push_str("\\u00");
                out.push(char::from(HEX[c as usize >> 4]));
                out.push(char::from(HEX[c as usize & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tellus_core::entry::{Contact, Dimension, Touchpoint};

    /// The hand-written body is the very string serde_json writes from core's derive (field
    /// order, omissions and escapes included), for a full request and for an empty one.
    #[test]
    fn the_body_matches_serde() {
        let full = FeedbackRequest {
            rating: 2,
            comment: "Cold \"soup\"\\ \u{1}\u{8}\u{c}\u{1f}\t\r\n and 🍲 \u{2028}".into(),
            dimensions: vec![Dimension::Tangibles, Dimension::Empathy],
            touchpoint: Some(Touchpoint { page: Some("/checkout".into()), order: None, agent: Some("A-7".into()) }),
            consent: true,
            contact: Some(Contact {
                name: Some("Mari".into()),
                email: None,
                phone: Some("+372 555".into()),
                channel: Some(Channel::Phone),
            }),
            lang: "et".into(),
            idempotency_key: "01jabc".into(),
        };
        let empty = FeedbackRequest {
            rating: 10,
            comment: String::new(),
            dimensions: Vec::new(),
            touchpoint: Some(Touchpoint::default()),
            consent: false,
            contact: None,
            lang: String::new(),
            idempotency_key: String::new(),
        };
        for request in [full, empty] {
            let ours = feedback_body(&request);
            assert!(!ours.contains(['\t', '\n', '\r']), "{ours}");
            let theirs = serde_json::to_string(&request).unwrap_or_else(|error| panic!("serde_json: {error}"));
            assert_eq!(ours, theirs);
        }
    }
}
