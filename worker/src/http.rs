//! HTTP plumbing shared by the resource modules: JSON and problem responses, body limits,
//! CORS, and the edge readings of clock and randomness that core takes as inputs.

use crate::error::{ApiError, ApiResult};
use serde::Serialize;
use tellus_core::limits::MAX_BODY_BYTES;
use tellus_core::problem::ProblemKind;
use worker::{Request, Response};

pub const CONTENT_TYPE_JSON: &str = "application/json";
pub const CONTENT_TYPE_PROBLEM: &str = "application/problem+json";
pub use tellus_core::protocol::HEADER_KV_OPS;

/// Worker variable: `"1"` enables the local test protocol (see `callbacks::test_support`).
/// Unset in production, where none of it exists.
pub const ALLOW_TEST_CLOCK: &str = "ALLOW_TEST_CLOCK";

/// Whether a Worker variable has this value.
pub fn var_is(env: &worker::Env, name: &str, value: &str) -> bool {
    env.var(name).map(|v| v.to_string() == value).unwrap_or(false)
}

/// A JSON response with a status.
pub fn json<T: Serialize>(status: u16, value: &T) -> ApiResult<Response> {
    let body = serde_json::to_vec(value)?;
    let res = Response::builder()
        .with_status(status)
        .with_header("content-type", CONTENT_TYPE_JSON)?
        .with_header("cache-control", "no-store")?
        .fixed(body);
    Ok(res)
}

/// The problem+json response for an error. Internal causes are logged here and nowhere sent.
pub fn problem_response(err: &ApiError) -> Response {
    if let ApiError::Internal(cause) = err {
        worker::console_error!("internal error: {cause}");
    }
    let problem = err.problem();
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut res = Response::builder().with_status(problem.status).fixed(body);
    let headers = res.headers_mut();
    let _ = headers.set("content-type", CONTENT_TYPE_PROBLEM);
    let _ = headers.set("cache-control", "no-store");
    match err {
        ApiError::MethodNotAllowed(allow) => {
            let _ = headers.set("allow", allow);
        }
        ApiError::RateLimited(secs) => {
            let _ = headers.set("retry-after", &secs.to_string());
        }
        ApiError::Client(p) if p.status == 401 => {
            let _ = headers.set("www-authenticate", "Bearer realm=\"tellus\"");
        }
        _ => {}
    }
    res
}

/// Reads a JSON request body: `application/json` or 415, at most [`MAX_BODY_BYTES`] or 413.
pub async fn read_json_body(req: &mut Request) -> ApiResult<Vec<u8>> {
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type != CONTENT_TYPE_JSON {
        return Err(ApiError::client(
            ProblemKind::UnsupportedMediaType,
            "Send the body as JSON with 'Content-Type: application/json'.",
        ));
    }
    let too_large =
        || ApiError::client(ProblemKind::PayloadTooLarge, format!("The body may be at most {MAX_BODY_BYTES} bytes."));
    let declared = req.headers().get("content-length")?.and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let body = req
        .bytes()
        .await
        .map_err(|_| ApiError::client(ProblemKind::MalformedBody, "The request body could not be read."))?;
    if body.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(body)
}

/// Adds CORS headers for the public API. The browser may always send (preflights pass); the
/// Worker itself refuses origins a site does not allow, with a 403 the widget can read.
pub fn with_public_cors(mut res: Response, origin: Option<&str>) -> Response {
    let headers = res.headers_mut();
    let _ = headers.set("access-control-allow-origin", origin.unwrap_or("*"));
    let _ = headers.set("vary", "Origin");
    res
}

/// The answer to a CORS preflight on a public route.
pub fn preflight(origin: Option<&str>, methods: &str) -> ApiResult<Response> {
    let res = Response::builder()
        .with_status(204)
        .with_header("access-control-allow-methods", methods)?
        .with_header("access-control-allow-headers", "content-type")?
        .with_header("access-control-max-age", "86400")?
        .empty();
    Ok(with_public_cors(res, origin))
}

/// The Content-Security-Policy of every HTML page the Worker serves but the demo: nothing but
/// our own stylesheet and forms to ourselves. No script at all, no inline style, never framed.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the strict headers of the owner's and the sign-up pages to an answer (redirects,
/// errors and exports included).
pub fn strict_page_headers(res: &mut Response) -> ApiResult<()> {
    let headers = res.headers_mut();
    headers.set("content-security-policy", PAGE_CSP)?;
    headers.set("x-frame-options", "DENY")?;
    headers.set("referrer-policy", "no-referrer")?;
    headers.set("cache-control", "no-store")?;
    headers.set("x-content-type-options", "nosniff")?;
    Ok(())
}

/// An HTML page with its status and the strict page headers: the one way the owner's and the
/// sign-up pages answer.
pub fn html_page(status: u16, body: String) -> ApiResult<Response> {
    let mut res = Response::from_html(body)?.with_status(status);
    strict_page_headers(&mut res)?;
    Ok(res)
}

/// Milliseconds since the epoch, read once per request at the edge.
pub fn now_ms() -> u64 {
    worker::Date::now().as_millis()
}

/// Random bytes from the runtime's CSPRNG.
pub fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|err| ApiError::Internal(format!("random: {err}")))?;
    Ok(buf)
}
