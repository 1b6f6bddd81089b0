//! The owner's summary numbers: rollups of closed days plus the live days not rolled up yet
//! (today, and yesterday until the cron has run) or changed since. The KV work is O(days +
//! pages of today's entries), never O(entries) nor O(open failures).

use crate::App;
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::rollup;
use crate::sites;
use crate::store::{Listed, Store};
use std::collections::BTreeSet;
use tellus_core::keys::{self, day_of};
use tellus_core::site::Site;
use tellus_core::summary::{Rollup, Summary, summarize};
use tellus_core::validation::FieldError;
use worker::{Request, Response};

/// The periods an owner can choose.
pub const PERIODS: [u32; 3] = [7, 30, 90];

/// Dirty days (changed since their rollup) the summary recomputes itself to count open
/// failures; with more pending (a burst of owner actions the cron has not caught up with), it
/// counts the open-failure index instead.
const MAX_DIRTY_DAYS_LIVE: usize = 10;

/// Computes the summary of the last `days` days (and the `days` before, for comparison).
///
/// KV work: one list of the site's rollup keys (a page per 1,000 days), one bulk read per 100
/// rollups of the period, one list of dirty days, and the entries of the days not rolled up or
/// changed since (normally today alone). Open failures are the unfixed counts each rollup key
/// carries in its list metadata, with live counts for the days recomputed: O(days), however
/// many failures are open.
pub async fn compute(app: &App, site: &Site, days: u32) -> ApiResult<Summary> {
    let today = day_of(app.now_ms);
    let first_needed = today.saturating_sub(2 * u64::from(days) - 1);
    let done = rollup::mark(&app.store, site).await?;

    let listed = list_all(&app.store, &keys::rollups_prefix(&site.id)).await?;
    let dirty: BTreeSet<u64> = app
        .store
        .list(&keys::dirty_prefix(&site.id), None, 1_000)
        .await?
        .keys
        .iter()
        .filter_map(|k| keys::dirty_day_of_key(&k.name))
        .filter(|day| *day <= done)
        .collect();
    let day_of_key = |name: &str| name.rsplit(':').next().and_then(|d| d.parse::<u64>().ok());

    let wanted: Vec<String> = listed
        .iter()
        .filter(|k| day_of_key(&k.name).is_some_and(|d| d >= first_needed && !dirty.contains(&d)))
        .map(|k| k.name.clone())
        .collect();
    let mut rollups: Vec<Rollup> = Vec::with_capacity(wanted.len());
    for text in app.store.get_many(&wanted).await?.into_iter().flatten() {
        rollups.push(serde_json::from_str(&text)?);
    }
    // Days after the mark are not rolled up yet, and dirty days changed since: count them live
    // (normally today alone).
    let count_dirty_live = dirty.len() <= MAX_DIRTY_DAYS_LIVE;
    let live_days: BTreeSet<u64> = ((done + 1).max(first_needed)..=today)
        .chain(dirty.iter().copied().filter(|d| count_dirty_live || *d >= first_needed))
        .collect();
    let mut live_today = Rollup::new(today);
    let mut live_unfixed = 0u32;
    for &day in &live_days {
        let live = rollup::compute(&app.store, site, day).await?;
        live_unfixed = live_unfixed.saturating_add(live.open + live.acknowledged);
        if day == today {
            live_today = live;
        } else if day >= first_needed {
            rollups.retain(|r| r.day != day);
            rollups.push(live);
        }
    }

    let unfixed_of = |k: &Listed| k.metadata.as_ref().and_then(|m| m[rollup::UNFIXED_META].as_u64());
    let rolled: Vec<&Listed> =
        listed.iter().filter(|k| day_of_key(&k.name).is_some_and(|d| !live_days.contains(&d))).collect();
    // Every day is covered when the live days join the rolled-up ones (a site still catching
    // up on old days is not) and every rollup carries its count.
    let covered = done + 1 >= first_needed;
    let open = if covered && count_dirty_live && rolled.iter().all(|k| unfixed_of(k).is_some()) {
        let rolled_unfixed: u64 = rolled.iter().filter_map(|k| unfixed_of(k)).sum();
        u32::try_from(rolled_unfixed).unwrap_or(u32::MAX).saturating_add(live_unfixed)
    } else {
        u32::try_from(list_all(&app.store, &keys::open_failures_prefix(&site.id)).await?.len()).unwrap_or(u32::MAX)
    };
    Ok(summarize(&rollups, &live_today, days, site.settings.scale, open))
}

/// Every key under a prefix, page by page.
async fn list_all(store: &impl Store, prefix: &str) -> ApiResult<Vec<Listed>> {
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.list(prefix, cursor, 1_000).await?;
        all.extend(page.keys);
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
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
