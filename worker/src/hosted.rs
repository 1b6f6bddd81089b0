//! The hosted feedback page `/f/{site}?touchpoint=…[&lang=…]` for places without a website (a
//! counter, a receipt, a delivery): the widget opened at once on a plain page with the site's
//! name, usable on a phone. And, for the owner's summary page, the section of feedback pages
//! with a printable QR code per touchpoint (`section`, one call the page places) and the
//! printable page of one code (`printable`, behind the owner's session).
//!
//! QR codes are made here, on the server, by the `qrcode` crate (SVG); the widget pays nothing
//! for them. The page markup is `tellus_core::followup::pages`.

use crate::App;
use crate::error::ApiResult;
use crate::followup::reader_lang;
use crate::html_page::{PAGE_CSP, secured_with_csp};
use crate::repo;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use tellus_core::followup::pages::{self, TouchpointCode, feedback_url};
use tellus_core::i18n::Lang;
use tellus_core::ids::is_site_id;
use tellus_core::limits::MAX_SHORT_TEXT_CHARS;
use tellus_core::site::Site;
use tellus_core::summary::Summary;
use worker::{Request, Response};

/// The hosted page's Content-Security-Policy: the demo's (the loader, the app and its wasm from
/// this origin, its API calls to it), with nothing allowed by default and never framed.
pub const HOSTED_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Touchpoints the summary page shows a code for: the busiest of the period. (Each code is a
/// few hundred microseconds of CPU; the section stays well inside the free plan's 10 ms.)
pub const MAX_CODES_ON_SUMMARY: usize = 8;

/// A touchpoint from a query: trimmed, non-empty, at most [`MAX_SHORT_TEXT_CHARS`] characters
/// and no control characters (what a submission would accept); `Err` for one that is not.
fn touchpoint_of(value: Option<String>) -> Result<Option<String>, ()> {
    match value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(t) if t.chars().count() <= MAX_SHORT_TEXT_CHARS && !t.chars().any(char::is_control) => Ok(Some(t)),
        Some(_) => Err(()),
    }
}

fn query(req: &Request, key: &str) -> ApiResult<Option<String>> {
    Ok(req.url()?.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned()))
}

/// `GET /f/{site}?touchpoint=…&lang=…`.
pub async fn feedback(req: &Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let lang = reader_lang(req)?;
    let gone = |status: u16| -> ApiResult<Response> {
        secured_with_csp(Response::from_html(pages::gone_page(lang))?.with_status(status), PAGE_CSP)
    };
    if !is_site_id(site_id) {
        return gone(404);
    }
    let Ok(touchpoint) = touchpoint_of(query(req, "touchpoint")?) else { return gone(422) };
    let Some(site) = repo::sites::load(&app.store, site_id).await? else { return gone(404) };
    let body = pages::feedback_page(lang, &site.id, &site.settings.name, touchpoint.as_deref());
    secured_with_csp(Response::from_html(body)?, HOSTED_CSP)
}

/// The QR code of an address as an SVG document, or `None` if it cannot be encoded (an address
/// far longer than ours ever are).
pub fn qr_svg(url: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    Some(code.render::<svg::Color>().min_dimensions(256, 256).quiet_zone(true).build())
}

fn code_of(app: &App, site: &Site, touchpoint: Option<String>) -> Option<TouchpointCode> {
    let url = feedback_url(&app.origin, &site.id, touchpoint.as_deref());
    let svg = qr_svg(&url)?;
    Some(TouchpointCode { touchpoint, url, svg })
}

/// The summary page's section: the whole site's page and the period's busiest touchpoints,
/// each with its link and code, in the owner's language. From what the page already read (the
/// summary), so it costs no storage operation.
pub fn section(app: &App, site: &Site, summary: &Summary, lang: Lang) -> String {
    let touchpoints = summary
        .current
        .touchpoints
        .iter()
        .map(|(name, _)| name.clone())
        .filter(|name| !name.is_empty() && name != "(other)")
        .take(MAX_CODES_ON_SUMMARY);
    let codes: Vec<TouchpointCode> =
        std::iter::once(None).chain(touchpoints.map(Some)).filter_map(|t| code_of(app, site, t)).collect();
    pages::touchpoint_section(lang, &site.id, &codes)
}

/// `GET /s/{site}/touchpoints?touchpoint=…` for a signed-in owner: one code, large, to print.
pub fn printable(req: &Request, app: &App, site: &Site, lang: Lang) -> ApiResult<Response> {
    let Ok(touchpoint) = touchpoint_of(query(req, "touchpoint")?) else {
        return Ok(Response::from_html(pages::gone_page(lang))?.with_status(422));
    };
    let Some(code) = code_of(app, site, touchpoint) else {
        return Ok(Response::from_html(pages::trouble_page(lang))?.with_status(500));
    };
    Ok(Response::from_html(pages::printable_page(lang, &site.id, &site.settings.name, &code))?)
}
