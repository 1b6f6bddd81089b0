//! The daily aggregates, kept in the same invocation as each change: a new entry is added to its
//! day; a changed or erased one has its day recounted from the desk's `entries` rows (the list
//! metadata of that day's entries, no customer text); a click adds to its day. A summary reads
//! one row per day of its period, whatever the number of entries. Nothing rolls up later and no
//! day is ever marked dirty.

use super::DeskResult;
use super::db::{Db, int, text};
use serde::Deserialize;
use tellus_core::entry::{Entry, EntryMeta};
use tellus_core::keys::day_of;
use tellus_core::site::Site;
use tellus_core::summary::{Rollup, Summary, summarize};

pub fn day_of_entry(entry: &Entry) -> u64 {
    day_of(entry.created_ms)
}

/// Records an entry's metadata and its inbox columns ([`super::inbox::columns`]); `true` when
/// the desk did not know it yet.
pub fn remember(db: &Db<'_>, site: &Site, entry: &Entry) -> DeskResult<bool> {
    let meta = serde_json::to_string(&entry.meta())?;
    let expires_ms = entry.expires_at_secs(site.settings.retention_days).saturating_mul(1000);
    let mut bindings =
        vec![text(&entry.id), int(day_of_entry(entry)), int(entry.created_ms), int(expires_ms), text(meta)];
    bindings.extend(super::inbox::columns(entry));
    Ok(db.changed(
        &format!(
            "INSERT INTO entries (entry, day, created_ms, expires_ms, meta, {}) VALUES (?, ?, ?, ?, ?, {}) ON CONFLICT (entry) DO NOTHING",
            super::inbox::COLUMNS,
            super::inbox::PLACEHOLDERS
        ),
        bindings,
    )?)
}

/// Updates a known entry's metadata; `true` when it changed (an acknowledgement, a fix, a
/// re-rating; a reply changes nothing counted).
pub fn update(db: &Db<'_>, entry: &Entry) -> DeskResult<bool> {
    let meta = serde_json::to_string(&entry.meta())?;
    Ok(db.changed(
        "UPDATE entries SET meta = ? WHERE entry = ? AND meta != ?",
        vec![text(meta.clone()), text(&entry.id), text(meta)],
    )?)
}

/// Forgets an entry; `true` when the desk knew it.
pub fn forget(db: &Db<'_>, entry_id: &str) -> DeskResult<bool> {
    Ok(db.changed("DELETE FROM entries WHERE entry = ?", vec![text(entry_id)])?)
}

#[derive(Deserialize)]
struct DayRow {
    rollup: String,
}

fn load(db: &Db<'_>, day: u64) -> DeskResult<Rollup> {
    let row: Option<DayRow> = db.row("SELECT rollup FROM days WHERE day = ?", vec![int(day)])?;
    Ok(match row {
        Some(row) => serde_json::from_str(&row.rollup)?,
        None => Rollup::new(day),
    })
}

fn save(db: &Db<'_>, rollup: &Rollup) -> DeskResult<()> {
    db.run(
        "INSERT INTO days (day, rollup) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET rollup = excluded.rollup",
        vec![int(rollup.day), text(serde_json::to_string(rollup)?)],
    )?;
    Ok(())
}

/// Adds a new entry to its day.
pub fn add(db: &Db<'_>, site: &Site, entry: &Entry) -> DeskResult<()> {
    let mut rollup = load(db, day_of_entry(entry))?;
    rollup.add_entry(&entry.meta(), entry.created_ms, site.settings.scale, site.settings.sla);
    save(db, &rollup)
}

#[derive(Deserialize)]
struct MetaRow {
    created_ms: u64,
    meta: String,
}

/// Counts a day again from its entries (its clicks are kept as they were).
pub fn recount(db: &Db<'_>, site: &Site, day: u64) -> DeskResult<()> {
    let clicks = load(db, day)?.clicks;
    let mut rollup = Rollup::new(day);
    let rows: Vec<MetaRow> = db.rows("SELECT created_ms, meta FROM entries WHERE day = ?", vec![int(day)])?;
    for row in rows {
        let meta: EntryMeta = serde_json::from_str(&row.meta)?;
        rollup.add_entry(&meta, row.created_ms, site.settings.scale, site.settings.sla);
    }
    rollup.clicks = clicks;
    save(db, &rollup)
}

/// Counts a tell-others click on its day.
pub fn click(db: &Db<'_>, target: &str, now_ms: u64) -> DeskResult<()> {
    let mut rollup = load(db, day_of(now_ms))?;
    rollup.add_click(target);
    save(db, &rollup)
}

/// The summary of the last `days` days and the `days` before, and the failures not fixed yet
/// (whatever their age): one row per day kept, whatever the number of entries or of open
/// failures (each day's aggregate counts its unfixed failures).
pub fn summary(db: &Db<'_>, site: &Site, days: u32, now_ms: u64) -> DeskResult<Summary> {
    let today = day_of(now_ms);
    let first = today.saturating_sub(2 * u64::from(days) - 1);
    let rows: Vec<DayRow> = db.rows("SELECT rollup FROM days WHERE day <= ?", vec![int(today)])?;
    let mut rollups = Vec::with_capacity(rows.len());
    let mut live_today = Rollup::new(today);
    let mut open = 0u32;
    for row in rows {
        let mut rollup: Rollup = serde_json::from_str(&row.rollup)?;
        open = open.saturating_add(rollup.open + rollup.acknowledged);
        if rollup.day < first {
            continue;
        }
        rollup.trim();
        if rollup.day == today {
            live_today = rollup;
        } else {
            rollups.push(rollup);
        }
    }
    Ok(summarize(&rollups, &live_today, days, site.settings.scale, open))
}

/// Forgets what has passed the site's retention: entries' metadata and whole days. Nothing
/// here is customer text, so it goes lazily, whenever the desk runs anyway.
pub fn prune(db: &Db<'_>, site: &Site, now_ms: u64) -> DeskResult<()> {
    db.run("DELETE FROM entries WHERE expires_ms <= ?", vec![int(now_ms)])?;
    let oldest_kept = day_of(now_ms).saturating_sub(u64::from(site.settings.retention_days));
    db.run("DELETE FROM days WHERE day < ?", vec![int(oldest_kept)])?;
    Ok(())
}
