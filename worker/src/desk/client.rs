//! The Worker's side of a call to a site's desk: one `fetch` to the site's Durable Object,
//! counted (a billed Durable Object request, plus the rows the desk reports).
//!
//! Storage answers `Option`: a desk's "not found" is `Ok(None)`, and only handlers turn it into
//! a 404. A conflict the desk reports (e.g. replaying a delivery that did not fail) is passed on
//! with its words; anything else is an internal error, logged, never shown as absence.

use super::protocol::{Call, HEADER_ROWS, Op};
use crate::App;
use crate::error::{ApiError, ApiResult};
use serde::de::DeserializeOwned;
use tellus_core::problem::ProblemKind;
use worker::{Method, Request, RequestInit};

/// The Durable Object binding of the desks (`wrangler.toml`).
pub const DESK_BINDING: &str = "DESK";

/// Calls the desk of `site_id`.
pub async fn call<T: DeserializeOwned>(app: &App, site_id: &str, op: Op) -> ApiResult<Option<T>> {
    let call = Call { now_ms: app.now_ms, test_offset_ms: app.test_offset_ms, origin: app.origin.clone(), op };
    let body = serde_json::to_string(&call)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(wasm_bindgen::JsValue::from_str(&body)));
    let req = Request::new_with_init("https://desk/", &init)?;
    let stub = app.env.durable_object(DESK_BINDING)?.id_from_name(site_id)?.get_stub()?;
    app.store.ops.count_desk_request();
    let mut res = stub.fetch_with_request(req).await?;
    if let Some(rows) = res.headers().get(HEADER_ROWS)? {
        app.store.ops.add_desk_rows(&rows);
    }
    match res.status_code() {
        200 => Ok(Some(res.json().await?)),
        404 => Ok(None),
        409 => {
            #[derive(serde::Deserialize)]
            struct Conflict {
                detail: String,
            }
            let conflict: Conflict = res.json().await?;
            Err(ApiError::client(ProblemKind::Conflict, conflict.detail))
        }
        status => Err(ApiError::Internal(format!("desk of {site_id} answered {status}"))),
    }
}

/// Calls a desk for work that must have been done: `None` (the desk knows nothing of it) is an
/// internal error here.
pub async fn must<T: DeserializeOwned>(app: &App, site_id: &str, op: Op) -> ApiResult<T> {
    call(app, site_id, op).await?.ok_or_else(|| ApiError::Internal(format!("desk of {site_id}: nothing found")))
}
