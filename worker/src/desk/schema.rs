//! The desk's tables. Created when the object starts (`CREATE … IF NOT EXISTS` is free after the
//! first time); a column added later needs its own step here, run in the same place.
//!
//! - `meta`: the site's settings as last seen (alarms render payloads and schedule escalations
//!   from them) and the test clock's offset (local Workers only).
//! - `endpoints`: one row per callback endpoint, secrets included (signing needs them). Health
//!   lives in the row, so two deliveries finishing at once update it one after the other
//!   (the object is single-threaded), never overwriting each other.
//! - `deliveries`: one row per message to an endpoint: the exact message, every attempt, and
//!   `due_ms` while an attempt is due (the pending work; an attempt in flight pushes it to the
//!   end of its lease). The owner's delivery log reads it newest first, without the message.
//! - `failures`: the unfixed failures with a snapshot of the entry (escalations and the owner's
//!   page render from it), the deadline each is racing (the page's order) and `due_ms` of its
//!   next escalation step.
//! - `entries`: every entry's list metadata (no customer text), by day: a day's aggregate is
//!   recomputed from it when one of its entries changes.
//! - `days`: the daily aggregates ([`tellus_core::summary::Rollup`]), updated in the same
//!   invocation as each change, so a summary reads O(days) rows and nothing rolls up later.
//! - `mails`: one row per email (the customer's follow-ups; see [`super::mails`]): the exact
//!   message, every attempt, `due_ms` while an attempt is due, kept as long as its entry so an
//!   event is never mailed twice. `mail_stops`: the entries whose customer unsubscribed.

use super::db::Db;

const TABLES: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS endpoints (id TEXT PRIMARY KEY, body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS deliveries (
        id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        entry TEXT NOT NULL,
        event TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        state TEXT NOT NULL,
        due_ms INTEGER,
        attempts TEXT NOT NULL,
        message TEXT NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (due_ms) WHERE due_ms IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS deliveries_log ON deliveries (endpoint, created_ms)",
    "CREATE INDEX IF NOT EXISTS deliveries_entry ON deliveries (entry)",
    "CREATE INDEX IF NOT EXISTS deliveries_done ON deliveries (created_ms) WHERE due_ms IS NULL",
    "CREATE TABLE IF NOT EXISTS failures (
        entry TEXT PRIMARY KEY,
        created_ms INTEGER NOT NULL,
        deadline_ms INTEGER NOT NULL,
        step INTEGER NOT NULL,
        due_ms INTEGER,
        expires_ms INTEGER NOT NULL,
        body TEXT NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS failures_deadline ON failures (deadline_ms)",
    "CREATE INDEX IF NOT EXISTS failures_expiry ON failures (expires_ms)",
    "CREATE INDEX IF NOT EXISTS failures_due ON failures (due_ms) WHERE due_ms IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS entries (
        entry TEXT PRIMARY KEY,
        day INTEGER NOT NULL,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL,
        meta TEXT NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS entries_day ON entries (day)",
    "CREATE INDEX IF NOT EXISTS entries_expiry ON entries (expires_ms)",
    "CREATE TABLE IF NOT EXISTS days (day INTEGER PRIMARY KEY, rollup TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS mails (
        id TEXT PRIMARY KEY,
        entry TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        state TEXT NOT NULL,
        due_ms INTEGER,
        attempts TEXT NOT NULL,
        message TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS mails_due ON mails (due_ms) WHERE due_ms IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS mails_entry ON mails (entry)",
    "CREATE INDEX IF NOT EXISTS mails_expiry ON mails (expires_ms)",
    "CREATE TABLE IF NOT EXISTS mail_stops (entry TEXT PRIMARY KEY, at_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL)",
];

pub fn create(db: &Db<'_>) -> worker::Result<()> {
    for statement in TABLES {
        db.run(statement, Vec::new())?;
    }
    Ok(())
}
