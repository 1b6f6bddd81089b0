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
//!
//! Changes to existing tables are numbered [`STEPS`], run once each in order; the `meta` row
//! `schema` holds the last one run (a desk made before the first step has none). Step 1 gives
//! `entries` the owner's inbox columns — kind, status, rating, dimension bits, touchpoint page,
//! agent, language (primary subtag), assignee and a one-line excerpt of the comment — and the
//! index the inbox reads (`kind, status, created_ms`), and fills them for the rows already there
//! from their metadata (agent and excerpt from the unfixed failures' snapshots; older fixed
//! entries and praise have none).

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

/// The changes after the first tables, in order; see the module's note.
const STEPS: &[&[&str]] = &[&[
    "ALTER TABLE entries ADD COLUMN kind TEXT",
    "ALTER TABLE entries ADD COLUMN status TEXT",
    "ALTER TABLE entries ADD COLUMN rating INTEGER",
    "ALTER TABLE entries ADD COLUMN dims INTEGER",
    "ALTER TABLE entries ADD COLUMN page TEXT",
    "ALTER TABLE entries ADD COLUMN agent TEXT",
    "ALTER TABLE entries ADD COLUMN lang TEXT",
    "ALTER TABLE entries ADD COLUMN assignee TEXT",
    "ALTER TABLE entries ADD COLUMN excerpt TEXT",
    "UPDATE entries SET kind = json_extract(meta, '$.k'), status = json_extract(meta, '$.s'),
        rating = json_extract(meta, '$.r'), dims = json_extract(meta, '$.d'),
        page = json_extract(meta, '$.t'), lang = lower(substr(json_extract(meta, '$.l') || '-', 1,
            instr(replace(json_extract(meta, '$.l') || '-', '_', '-'), '-') - 1))",
    "UPDATE entries SET agent = (SELECT json_extract(body, '$.touchpoint.agent') FROM failures WHERE failures.entry = entries.entry),
        excerpt = (SELECT substr(json_extract(body, '$.comment'), 1, 120) FROM failures WHERE failures.entry = entries.entry)
        WHERE entry IN (SELECT entry FROM failures)",
    "CREATE INDEX IF NOT EXISTS entries_inbox ON entries (kind, status, created_ms)",
]];

pub fn create(db: &Db<'_>) -> worker::Result<()> {
    for statement in TABLES {
        db.run(statement, Vec::new())?;
    }
    #[derive(serde::Deserialize)]
    struct Version {
        v: String,
    }
    let done: usize = db
        .row::<Version>("SELECT v FROM meta WHERE k = 'schema'", Vec::new())?
        .and_then(|row| row.v.parse().ok())
        .unwrap_or(0);
    for (i, step) in STEPS.iter().enumerate().skip(done) {
        for statement in *step {
            match db.run(statement, Vec::new()) {
                // A step that stopped half-way (the object was evicted) left some columns in
                // place; adding them again is the only thing that fails on the second run.
                Err(err) if statement.starts_with("ALTER TABLE") && err.to_string().contains("duplicate column") => {}
                other => other?,
            }
        }
        db.run(
            "INSERT INTO meta (k, v) VALUES ('schema', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            vec![super::db::text((i + 1).to_string())],
        )?;
    }
    Ok(())
}
