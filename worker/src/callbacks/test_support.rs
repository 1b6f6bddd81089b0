//! The local test protocol (`ALLOW_TEST_CLOCK=1`, set only by `cargo xtask dev` and the tests;
//! absent in production, where none of this exists and the routes are 404):
//!
//! - a request's clock is shifted by `x-tellus-test-now-offset-ms`, and the site's desk runs its
//!   own alarms on the largest offset it was given (it only ever grows), so retries and
//!   escalation steps days away are reached without waiting;
//! - `POST /v1/test/sites/{site}/run` fires the desk's alarm early: it runs what is due at the
//!   request's clock and waits for the attempts it starts;
//! - `GET /v1/test/sites/{site}/desk` answers the desk's alarm and what it holds;
//! - `POST /v1/test/sites/{site}/import` with `{"entries": [...]}` hands entries seeded straight
//!   into KV to the site's desk (the scale test); with `"kv": true` it writes them into KV first
//!   (the inbox tests seed a thousand open failures into the running Worker this way);
//! - `x-tellus-test-hold-sends` on a submission leaves its first attempts to the desk's alarm,
//!   as if the desk stopped right after answering (the restart tests use it).

use crate::App;
use crate::config::Config;
use crate::desk::client;
use crate::desk::protocol::{Op, Status};
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use tellus_core::protocol::{HEADER_TEST_HOLD_SENDS, HEADER_TEST_NOW_OFFSET};
use worker::{Request, Response};

/// The request's test clock offset (0 unless the test clock is on and the header is sent).
pub fn test_offset_ms(req: &Request, config: &Config) -> u64 {
    if !config.test_clock {
        return 0;
    }
    req.headers().get(HEADER_TEST_NOW_OFFSET).ok().flatten().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
}

/// Whether this request asks the desk to leave its first attempts to the alarm.
pub fn holds_sends(req: &Request, config: &Config) -> bool {
    config.test_clock && req.headers().get(HEADER_TEST_HOLD_SENDS).ok().flatten().is_some()
}

/// `POST /v1/test/sites/{site}/run` and `GET /v1/test/sites/{site}/desk`.
pub async fn desk(app: &App, site_id: &str, run: bool) -> ApiResult<Response> {
    if !app.config.test_clock {
        return Err(ApiError::not_found());
    }
    if run {
        client::call::<()>(app, site_id, Op::RunDue).await?;
    }
    let status: Status = client::call(app, site_id, Op::Status).await?.unwrap_or_default();
    json(200, &status)
}

/// `POST /v1/test/sites/{site}/import`: entries seeded straight into KV, handed to the desk.
pub async fn import(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    if !app.config.test_clock {
        return Err(ApiError::not_found());
    }
    #[derive(serde::Deserialize)]
    struct Body {
        entries: Vec<tellus_core::entry::Entry>,
        #[serde(default)]
        kv: bool,
    }
    let body: Body = req.json().await?;
    let site = crate::repo::sites::load(&app.store, site_id).await?.ok_or_else(crate::sites::unknown_site)?;
    let count = body.entries.len();
    if body.kv {
        for entry in &body.entries {
            crate::repo::entries::save(&app.store, entry, site.settings.retention_days).await?;
        }
    }
    client::must::<()>(app, site_id, Op::Import { site: Box::new(site), entries: body.entries }).await?;
    json(200, &serde_json::json!({ "imported": count }))
}
