//! What happens at the desk when an entry is stored, changed or erased: the aggregates, the
//! index of unfixed failures, and the deliveries the event causes. Each function is idempotent,
//! so a call repeated after a lost answer (or a replayed submission) does nothing twice.

use super::db::{Db, int, text};
use super::{DeskResult, days, deliveries};
use tellus_core::callbacks::{EventType, next_applicable_step};
use tellus_core::entry::{Entry, Kind, Status};
use tellus_core::site::Site;

/// A stored entry (new, or a replay of one): counted in its day once, indexed if it is an
/// unfixed failure, and announced to the endpoints that want it.
pub fn stored(db: &Db<'_>, site: &Site, entry: &Entry, now_ms: u64) -> DeskResult<()> {
    if days::remember(db, site, entry)? {
        days::add(db, site, entry)?;
    }
    match entry.kind {
        Kind::Failure if entry.is_unfixed_failure() => {
            index(db, site, entry)?;
            deliveries::create(db, site, entry, EventType::FailureReported, None, now_ms)
        }
        Kind::Praise => deliveries::create(db, site, entry, EventType::PraiseReceived, None, now_ms),
        _ => Ok(()),
    }
}

/// Entries written into KV by something other than the API (the scale test's seed): known,
/// counted (each day once, at the end) and indexed, with nothing sent.
pub fn import(db: &Db<'_>, site: &Site, entries: &[Entry]) -> DeskResult<()> {
    let mut touched = std::collections::BTreeSet::new();
    for entry in entries {
        if days::remember(db, site, entry)? {
            touched.insert(days::day_of_entry(entry));
        }
        if entry.is_unfixed_failure() {
            index(db, site, entry)?;
        }
    }
    for day in touched {
        days::recount(db, site, day)?;
    }
    Ok(())
}

/// An entry the owner acted on, or its customer re-rated: its day is recounted, its snapshot in
/// the index refreshed, and a fix announced (and the failure's pending reports cancelled).
pub fn changed(db: &Db<'_>, site: &Site, entry: &Entry, now_ms: u64) -> DeskResult<()> {
    if days::remember(db, site, entry)? || days::update(db, entry)? {
        days::recount(db, site, days::day_of_entry(entry))?;
    }
    super::inbox::refresh(db, entry)?;
    if entry.is_unfixed_failure() {
        return index(db, site, entry);
    }
    if entry.status == Some(Status::Fixed) {
        fixed(db, site, entry, now_ms)?;
    }
    Ok(())
}

/// A failure fixed: out of the index, its reports and escalations cancelled, and
/// `failure.fixed` sent, once (only the call that takes it out of the index sends it).
pub fn fixed(db: &Db<'_>, site: &Site, entry: &Entry, now_ms: u64) -> DeskResult<()> {
    let was_unfixed = db.changed("DELETE FROM failures WHERE entry = ?", vec![text(&entry.id)])?;
    if !was_unfixed {
        return Ok(());
    }
    deliveries::cancel_for_entry(db, &entry.id, |event| event.needs_unfixed_failure())?;
    deliveries::create(db, site, entry, EventType::FailureFixed, None, now_ms)
}

/// An erased entry: gone from its day, the index and the delivery log (the log's messages carry
/// the customer's words and contact, which erasure takes away).
pub fn erased(db: &Db<'_>, site: &Site, entry: &Entry) -> DeskResult<()> {
    let day = days::day_of_entry(entry);
    if days::forget(db, &entry.id)? {
        days::recount(db, site, day)?;
    }
    db.run("DELETE FROM failures WHERE entry = ?", vec![text(&entry.id)])?;
    db.run("DELETE FROM deliveries WHERE entry = ?", vec![text(&entry.id)])?;
    Ok(())
}

/// Forgets an unfixed failure whose entry is gone from KV (erased, or expired), with its
/// pending deliveries.
pub fn vanished(db: &Db<'_>, entry_id: &str) -> DeskResult<()> {
    db.run("DELETE FROM failures WHERE entry = ?", vec![text(entry_id)])?;
    deliveries::cancel_for_entry(db, entry_id, |_| true)
}

/// Puts an unfixed failure in the index with its first escalation step, or refreshes its
/// snapshot and deadline if it is there already (an acknowledgement, a reply).
fn index(db: &Db<'_>, site: &Site, entry: &Entry) -> DeskResult<()> {
    #[derive(serde::Deserialize)]
    struct Scheduled {
        step: u32,
    }
    let sla = site.settings.sla;
    let deadline = entry.next_deadline_ms(sla).unwrap_or(entry.created_ms);
    let expires_ms = entry.expires_at_secs(site.settings.retention_days).saturating_mul(1000);
    // Where the escalation stands now: from the step scheduled so far, the first that applies to
    // the entry as it is (an acknowledgement skips the acknowledge steps, so they wake nothing).
    let from =
        db.row::<Scheduled>("SELECT step FROM failures WHERE entry = ?", vec![text(&entry.id)])?.map_or(0, |s| s.step);
    let next = next_applicable_step(entry.created_ms, sla, from, entry.status).filter(|step| step.due_ms < expires_ms);
    let body = serde_json::to_string(entry)?;
    db.run(
        "INSERT INTO failures (entry, created_ms, deadline_ms, step, due_ms, expires_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (entry) DO UPDATE SET deadline_ms = excluded.deadline_ms, step = excluded.step,
         due_ms = excluded.due_ms, body = excluded.body WHERE body != excluded.body",
        vec![
            text(&entry.id),
            int(entry.created_ms),
            int(deadline),
            int(u64::from(next.map_or(from, |step| step.step))),
            next.map_or(db_null(), |step| int(step.due_ms)),
            int(expires_ms),
            text(body),
        ],
    )?;
    Ok(())
}

fn db_null() -> super::db::Value {
    super::db::Value::Null
}
