//! The owner's summary numbers, `GET /v1/sites/{site}/summary?days=7|30|90`: computed by the
//! site's desk from its daily aggregates (one row per day of the two periods) and its index of
//! unfixed failures, in one call. No KV list, whatever the number of entries.

use crate::App;
use crate::desk::client;
use crate::desk::protocol::Op;
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::sites;
use tellus_core::site::Site;
use tellus_core::summary::Summary;
use tellus_core::validation::FieldError;
use worker::{Request, Response};

/// The periods an owner can choose.
pub const PERIODS: [u32; 3] = [7, 30, 90];

/// The summary of the last `days` days (and the `days` before, for comparison).
pub async fn compute(app: &App, site: &Site, days: u32) -> ApiResult<Summary> {
    client::must(app, &site.id, Op::Summary { site: Box::new(site.clone()), days }).await
}

/// Reads `?days=7|30|90` (default 30).
pub fn period_of(req: &Request) -> ApiResult<u32> {
    let url = req.url()?;
    match url.query_pairs().find(|(k, _)| k == "days") {
        None => Ok(30),
        Some((_, value)) => match value.parse::<u32>() {
            Ok(days) if PERIODS.contains(&days) => Ok(days),
            _ => {
                Err(ApiError::fields(vec![FieldError { field: "days".into(), message: "must be 7, 30 or 90".into() }]))
            }
        },
    }
}

/// `GET /v1/sites/{site}/summary?days=`.
pub async fn get(req: &Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let days = period_of(req)?;
    json(200, &compute(app, &site, days).await?)
}
