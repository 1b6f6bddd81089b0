//! Daily rollups, written by the cron: each closed day of each site is aggregated once from KV
//! list metadata (no per-entry reads) into `roll:{site}:{day}`, so summaries read O(days).
//! Owner actions on entries of closed days mark the day dirty; the next tick rolls it up again.

use crate::App;
use crate::error::ApiResult;
use crate::store::{Put, Store};
use tellus_core::entry::EntryMeta;
use tellus_core::ids::entry_id_time;
use tellus_core::keys::{self, day_of};
use tellus_core::site::Site;
use tellus_core::summary::Rollup;

/// Most days one site rolls up per tick: a new or long-idle site catches up over a few minutes
/// and a tick stays well inside the platform's per-invocation limits.
pub const MAX_DAYS_PER_TICK: u64 = 60;
/// KV list page size.
const PAGE: u64 = 1_000;

/// One cron pass over every site.
pub async fn tick(app: &App) -> ApiResult<()> {
    let mut cursor = None;
    loop {
        let page = app.store.list(keys::SITES_PREFIX, cursor, PAGE).await?;
        let names: Vec<String> = page.keys.into_iter().map(|k| k.name).collect();
        for text in app.store.get_many(&names).await?.into_iter().flatten() {
            let site: Site = serde_json::from_str(&text)?;
            if let Err(err) = roll_site(app, &site).await {
                // One broken site must not stop the others; the next tick tries again.
                worker::console_error!("rollup of site {} failed: {err:?}", site.id);
            }
        }
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(()),
        }
    }
}

/// The last day rolled up for a site (or the day before its creation).
pub async fn mark(store: &impl Store, site: &Site) -> ApiResult<u64> {
    let stored = store.get(&keys::rollup_mark(&site.id)).await?.and_then(|text| text.parse().ok());
    Ok(stored.unwrap_or_else(|| day_of(site.created_ms).saturating_sub(1)))
}

async fn roll_site(app: &App, site: &Site) -> ApiResult<()> {
    let yesterday = day_of(app.now_ms).saturating_sub(1);
    let done = mark(&app.store, site).await?;
    // Listed first: a day rolled up below was computed after every change marked here.
    let dirty = app.store.list(&keys::dirty_prefix(&site.id), None, PAGE).await?;
    if done < yesterday {
        let last = yesterday.min(done + MAX_DAYS_PER_TICK);
        for day in done + 1..=last {
            save(app, site, &compute(&app.store, site, day).await?).await?;
        }
        app.store.put(&keys::rollup_mark(&site.id), &last.to_string(), Put::default()).await?;
    }
    // Days rolled up before this tick; the ones rolled up just now already saw every change.
    let days: std::collections::BTreeSet<u64> =
        dirty.keys.iter().filter_map(|k| keys::dirty_day_of_key(&k.name)).filter(|d| *d <= done).collect();
    for day in days {
        save(app, site, &compute(&app.store, site, day).await?).await?;
    }
    for key in dirty.keys {
        app.store.delete(&key.name).await?;
    }
    Ok(())
}

async fn save(app: &App, site: &Site, rollup: &Rollup) -> ApiResult<()> {
    // A rollup lives as long as the entries it summarises.
    let expires_at = (rollup.day + 1) * 86_400 + u64::from(site.settings.retention_days) * 86_400;
    // Its unfixed failures ride in the list metadata: the summary adds them up over every day
    // without reading the rollups outside its period.
    let meta = serde_json::json!({ UNFIXED_META: rollup.open + rollup.acknowledged });
    let put = Put { metadata: Some(&meta), expires_at_secs: Some(expires_at), ..Put::default() };
    app.store.put(&keys::rollup(&site.id, rollup.day), &serde_json::to_string(rollup)?, put).await
}

/// The list-metadata field of a rollup key holding its day's failures not fixed yet.
pub const UNFIXED_META: &str = "o";

/// Aggregates one day of a site from the metadata of its entry and click keys.
pub async fn compute(store: &impl Store, site: &Site, day: u64) -> ApiResult<Rollup> {
    let mut rollup = Rollup::new(day);
    let mut cursor = None;
    loop {
        let page = store.list(&keys::entries_day_prefix(&site.id, day), cursor, PAGE).await?;
        for key in page.keys {
            let created = keys::entry_id_of_key(&key.name).and_then(entry_id_time);
            let meta: Option<EntryMeta> = key.metadata.and_then(|m| serde_json::from_value(m).ok());
            if let (Some(created), Some(meta)) = (created, meta) {
                rollup.add_entry(&meta, created, site.settings.scale, site.settings.sla);
            }
        }
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let mut cursor = None;
    loop {
        let page = store.list(&keys::clicks_day_prefix(&site.id, day), cursor, PAGE).await?;
        for key in page.keys {
            if let Some(target) = key.metadata.as_ref().and_then(|m| m["t"].as_str()) {
                rollup.add_click(target);
            }
        }
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    rollup.trim();
    Ok(rollup)
}

/// Asks for a closed day to be rolled up again after one of its entries changed.
pub async fn mark_dirty(
    store: &impl Store,
    site_id: &str,
    entry_id: &str,
    created_ms: u64,
    now_ms: u64,
) -> ApiResult<()> {
    let day = day_of(created_ms);
    if day < day_of(now_ms) {
        store.put(&keys::dirty_day(site_id, day, entry_id), "", Put::default()).await?;
    }
    Ok(())
}
