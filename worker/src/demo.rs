//! The demo host page: a plain page with the one tellus script tag, as a site owner would
//! write it, served under a strict Content-Security-Policy to show the widget works there.
//! `&hostile=1` adds aggressive global CSS, which the widget's shadow root must shrug off;
//! `&lang=ar` (any language tag) sets the page's `lang` and the script's `data-lang`.

use crate::error::{ApiError, ApiResult};
use tellus_core::ids::is_site_id;
use tellus_core::problem::ProblemKind;
use tellus_page::escape;
use worker::{Request, Response};

/// The CSP we document for owners: scripts from the tellus origin plus WebAssembly compilation,
/// no inline script.
pub const DEMO_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// With `&hostile=1`: a stylesheet that attacks everything (see `www/hostile.css`) and the CSP
/// repeated as a meta tag, as a hostile or careless host page would have them.
const HOSTILE_HEAD: &str = r#"<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'wasm-unsafe-eval'">
<link rel="stylesheet" href="/hostile.css">"#;

/// `GET /demo?site=ID[&hostile=1][&lang=TAG]`.
pub fn page(req: &Request) -> ApiResult<Response> {
    let url = req.url()?;
    let query = |key: &str| url.query_pairs().find(|(name, _)| name == key).map(|(_, v)| v.into_owned());
    let site = query("site").unwrap_or_default();
    let hostile = if query("hostile").as_deref() == Some("1") { HOSTILE_HEAD } else { "" };
    if !is_site_id(&site) {
        return Err(ApiError::client(
            ProblemKind::NotFound,
            "Open the demo as /demo?site=SITE_ID (cargo xtask dev prints the address).",
        ));
    }
    let site = escape(&site);
    // Only letters, digits and hyphens reach the markup: a language tag needs nothing else.
    let lang = query("lang").filter(|lang| {
        !lang.is_empty() && lang.len() <= 35 && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    let data_lang = lang.as_deref().map(|lang| format!(r#" data-lang="{lang}""#)).unwrap_or_default();
    let page_lang = lang.as_deref().unwrap_or("en");
    let html = format!(
        r#"<!doctype html>
<html lang="{page_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo shop — tellus</title>
<link rel="stylesheet" href="/demo.css">
{hostile}
</head>
<body>
<header><h1>Demo shop</h1><p>A sample host page. The feedback button in the corner is tellus.</p></header>
<main>
<p>This page includes tellus with one script tag:</p>
<pre><code>&lt;script src="/tellus.js" data-site="{site}" async&gt;&lt;/script&gt;</code></pre>
<button type="button" id="host-button">A button of the host page</button>
</main>
<script src="/tellus.js" data-site="{site}" data-touchpoint="/demo"{data_lang} async></script>
</body>
</html>
"#
    );
    let mut res = Response::from_html(html)?;
    let headers = res.headers_mut();
    headers.set("content-security-policy", DEMO_CSP)?;
    headers.set("cache-control", "no-store")?;
    Ok(res)
}
