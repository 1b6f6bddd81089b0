//! What every HTML page the Worker serves shares (the owner's pages under `/s/`, the sign-up
//! form at `/new`, the customer's receipt page under `/r/` and the hosted feedback page under
//! `/f/`): the strict headers every answer carries, redirects and errors included, reading a
//! posted web form, and refusing one another website made the browser send. One copy, so the
//! pages cannot drift apart (the sign-up page's own copy had lost `nosniff`).

use crate::error::{ApiError, ApiResult};
use futures_util::StreamExt;
use tellus_core::html::escape;
use tellus_core::problem::ProblemKind;
use tellus_core::session::{MAX_FORM_BYTES, parse_form};
use worker::{Request, Response};

/// The pages' Content-Security-Policy: nothing but our own stylesheet and forms to ourselves.
/// No script at all, no inline style, never framed.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const FORM_MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

/// Adds the pages' headers to any answer: the CSP, no framing, no referrer, no caching (pages
/// show owner keys and customers' words), and no content sniffing.
pub fn secured(res: Response) -> ApiResult<Response> {
    secured_with_csp(res, PAGE_CSP)
}

/// The pages' headers with another Content-Security-Policy (the hosted feedback page runs the
/// widget, so it allows our own script).
pub fn secured_with_csp(mut res: Response, csp: &str) -> ApiResult<Response> {
    let headers = res.headers_mut();
    headers.set("content-security-policy", csp)?;
    headers.set("x-frame-options", "DENY")?;
    headers.set("referrer-policy", "no-referrer")?;
    headers.set("cache-control", "no-store")?;
    headers.set("x-content-type-options", "nosniff")?;
    Ok(res)
}

/// An HTML answer with the pages' headers.
pub fn html(status: u16, body: String) -> ApiResult<Response> {
    secured(Response::from_html(body)?.with_status(status))
}

/// Reads an `application/x-www-form-urlencoded` body of at most [`MAX_FORM_BYTES`]: any other
/// media type (compared case-insensitively, parameters ignored) is 415, a larger body 413. A
/// body announced larger is refused unread, and one without a length is read only up to the
/// limit.
pub async fn read_form(req: &mut Request) -> ApiResult<Vec<(String, String)>> {
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case(FORM_MEDIA_TYPE) {
        return Err(ApiError::client(ProblemKind::UnsupportedMediaType, "Send the form as a web form."));
    }
    let too_large = || ApiError::client(ProblemKind::PayloadTooLarge, "The form is too large.");
    let declared = req.headers().get("content-length")?.and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_FORM_BYTES) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    if req.inner().body().is_none() {
        return Ok(parse_form(&body));
    }
    let unreadable = || ApiError::client(ProblemKind::MalformedBody, "The form could not be read.");
    let mut stream = req.stream().map_err(|_| unreadable())?;
    while let Some(chunk) = stream.next().await {
        body.extend_from_slice(&chunk.map_err(|_| unreadable())?);
        if body.len() > MAX_FORM_BYTES {
            return Err(too_large());
        }
    }
    Ok(parse_form(&body))
}

/// A plain English page for a refusal on a page that has no words of its own for it (the
/// sign-up form's 405, 413, 415): the problem's title and sentence. Internal causes are logged
/// and never shown.
pub fn problem_page(err: &ApiError) -> ApiResult<Response> {
    if let ApiError::Internal(cause) = err {
        worker::console_error!("page: {cause}");
    }
    let problem = err.problem();
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — tellus</title><link rel=\"stylesheet\" href=\"/site.css\"></head>\
         <body><main><h1>{title}</h1><p>{detail}</p></main></body></html>",
        title = escape(problem.title),
        detail = escape(&problem.detail),
    );
    let mut res = html(problem.status, body)?;
    if let ApiError::MethodNotAllowed(allow) = err {
        res.headers_mut().set("allow", allow)?;
    }
    Ok(res)
}

/// Refuses a form another website made the browser send (belt and braces next to
/// `SameSite=Strict` and the CSRF token). Browsers say where a request comes from in
/// `Sec-Fetch-Site`; under `Referrer-Policy: no-referrer` their `Origin` on a form POST is
/// `null`, so only a real, different origin counts against it.
pub fn check_same_origin(req: &Request) -> ApiResult<()> {
    let url = req.url()?;
    let own = url.origin().ascii_serialization();
    let cross_site = matches!(req.headers().get("sec-fetch-site")?.as_deref(), Some("cross-site" | "same-site"));
    let foreign_origin = req.headers().get("origin")?.is_some_and(|origin| origin != "null" && origin != own);
    if cross_site || foreign_origin {
        return Err(forbidden("This form was sent from another website."));
    }
    Ok(())
}

/// 403 with its own wording: the session is fine, the form is not one we served.
pub fn forbidden(detail: &str) -> ApiError {
    let mut problem = tellus_core::problem::Problem::new(ProblemKind::OriginNotAllowed, detail);
    problem.title = "Forbidden";
    ApiError::Client(problem)
}
