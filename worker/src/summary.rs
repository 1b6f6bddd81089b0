//! The owner's summary numbers: rollups of closed days plus the live days not rolled up yet
//! (today, and yesterday until the cron has run), and the open-failure index. The KV work is
//! O(days + pages of today's entries), never O(entries).

use crate::App;
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::rollup;
use crate::sites;
use crate::store::Store;
use tellus_core::keys::{self, day_of};
use tellus_core::site::Site;
use tellus_core::summary::{Rollup, Summary, summarize};
use tellus_core::validation::FieldError;
use worker::{Request, Response};

/// The periods an owner can choose.
pub const PERIODS: [u32; 3] = [7, 30, 90];

/// Computes the summary of the last `days` days (and the `days` before, for comparison).
pub async fn compute(app: &App, site: &Site, days: u32) -> ApiResult<Summary> {
    let today = day_of(app.now_ms);
    let first_needed = today.saturating_sub(2 * u64::from(days) - 1);
    let done = rollup::mark(&app.store, site).await?;

    let listed = app.store.list(&keys::rollups_prefix(&site.id), None, 1_000).await?;
    let wanted: Vec<String> = listed
        .keys
        .into_iter()
        .map(|k| k.name)
        .filter(|name| name.rsplit(':').next().and_then(|d| d.parse::<u64>().ok()).is_some_and(|d| d >= first_needed))
        .collect();
    let mut rollups: Vec<Rollup> = Vec::with_capacity(wanted.len());
    for text in app.store.get_many(&wanted).await?.into_iter().flatten() {
        rollups.push(serde_json::from_str(&text)?);
    }
    // Days after the mark are not rolled up yet: count them live (normally today alone).
    let mut live_today = Rollup::new(today);
    for day in (done + 1).max(first_needed)..=today {
        let live = rollup::compute(&app.store, site, day).await?;
        if day == today {
            live_today = live;
        } else {
            rollups.retain(|r| r.day != day);
            rollups.push(live);
        }
    }
    let open = count(&app.store, &keys::open_failures_prefix(&site.id)).await?;
    Ok(summarize(&rollups, &live_today, days, site.settings.scale, open))
}

async fn count(store: &impl Store, prefix: &str) -> ApiResult<u32> {
    let mut n = 0u32;
    let mut cursor = None;
    loop {
        let page = store.list(prefix, cursor, 1_000).await?;
        n = n.saturating_add(page.keys.len() as u32);
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(n),
        }
    }
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
