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
