//! What the loader passes to `mount`: the `data-*` attributes of the script tag plus whatever
//! host code gave through `tellus('context', …)` and `tellus('identify', …)`.
//!
//! The loader hands over a plain object whose fields are read one by one with `Reflect.get`
//! (a serde deserializer for it cost ~5 KB of wasm). Unknown fields are ignored and missing or
//! mistyped ones are `None`, so an older or newer loader keeps working.

use js_sys::Reflect;
use tellus_core::entry::Touchpoint;
use tellus_core::limits::MAX_SHORT_TEXT_CHARS;
use wasm_bindgen::JsValue;

use crate::strings;

/// Language used when the host gave none.
pub const DEFAULT_LANG: &str = "en";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MountOptions {
    /// Public site id (`data-site`).
    pub site: String,
    /// Origin of the tellus API, e.g. `https://tellus.example` (no trailing slash).
    pub endpoint: String,
    /// The language spoken: `data-lang` if we have it, else the first of the browser's
    /// languages we have, else English (see [`strings::resolve_lang`]); always one of
    /// [`strings::LANGS`] once read by [`MountOptions::from_js`]. Sent with the entry.
    pub lang: &'static str,
    /// `data-touchpoint`: names the page or step; defaults to the page's path.
    pub touchpoint: Option<String>,
    /// The host page's path (`location.pathname`) when the options were read: the touchpoint
    /// when neither the host's context nor `data-touchpoint` names one. Read here, once, so
    /// [`MountOptions::touchpoint`] is a plain function of these fields.
    pub page_path: Option<String>,
    /// From `tellus('context', {touchpoint, agent, order})`.
    pub context: Option<Context>,
    /// From `tellus('identify', {name, email})`. Kept for the consented contact form to come;
    /// never sent without the customer's consent.
    pub identify: Option<Identify>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    pub touchpoint: Option<String>,
    pub agent: Option<String>,
    pub order: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identify {
    pub name: Option<String>,
    pub email: Option<String>,
}

impl MountOptions {
    /// Reads the loader's options object; anything unreadable becomes the defaults, so the
    /// dialog still opens and says what is wrong (e.g. an unknown site) instead of panicking.
    pub fn from_js(value: &JsValue) -> MountOptions {
        let context = field(value, "context");
        let identify = field(value, "identify");
        MountOptions {
            site: string(value, "site").unwrap_or_default(),
            endpoint: string(value, "endpoint")
                .map(|endpoint| endpoint.trim_end_matches('/').to_owned())
                .unwrap_or_default(),
            lang: preferred_lang(string(value, "lang")),
            touchpoint: string(value, "touchpoint"),
            page_path: web_sys::window().and_then(|window| window.location().pathname().ok()),
            context: context.is_object().then(|| Context {
                touchpoint: string(&context, "touchpoint"),
                agent: string(&context, "agent"),
                order: string(&context, "order"),
            }),
            identify: identify
                .is_object()
                .then(|| Identify { name: string(&identify, "name"), email: string(&identify, "email") }),
        }
    }

    pub fn lang(&self) -> &'static str {
        if self.lang.is_empty() { DEFAULT_LANG } else { self.lang }
    }

    /// Where this conversation happened: the context's touchpoint, else `data-touchpoint`,
    /// else the page's path; order and agent only from the context.
    pub fn touchpoint(&self) -> Touchpoint {
        let context = self.context.clone().unwrap_or_default();
        let page = context
            .touchpoint
            .or_else(|| self.touchpoint.clone())
            .filter(|page| !page.is_empty())
            .or_else(|| self.page_path.clone());
        Touchpoint {
            page: page.map(short),
            order: context.order.filter(|order| !order.is_empty()).map(short),
            agent: context.agent.filter(|agent| !agent.is_empty()).map(short),
        }
    }
}

/// `data-lang`, then `navigator.languages`, resolved to a language we have a table for.
fn preferred_lang(data_lang: Option<String>) -> &'static str {
    let browser: Vec<String> = web_sys::window()
        .map(|window| window.navigator().languages().iter().filter_map(|lang| lang.as_string()).collect())
        .unwrap_or_default();
    strings::resolve_lang(data_lang.iter().chain(&browser).map(String::as_str))
}

/// `object[name]`, or `undefined` when `object` is not an object (Reflect would throw).
fn field(object: &JsValue, name: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A string field; numbers and other types count as absent.
fn string(object: &JsValue, name: &str) -> Option<String> {
    field(object, name).as_string()
}

/// Cuts a field to the length the API accepts, so a long path never turns into a 422.
fn short(text: String) -> String {
    strings::cut(text, MAX_SHORT_TEXT_CHARS)
}
