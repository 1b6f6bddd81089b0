//! Emails at the desk: durable work like a webhook delivery. An email is one row of `mails`,
//! created when its event reaches the desk (id derived from the event, so a call repeated after
//! a lost answer creates nothing new), its message rendered once and kept whole; its attempts
//! run as tasks, are recorded, and are retried on the callbacks' schedule by the desk's alarm.
//!
//! Today the customer's follow-ups are made here (`follow_up`: the owner replied, the owner
//! fixed the failure); the sending path (`start_due`, `send::mail`) takes any [`MailMessage`],
//! so the owner's alert emails can use it as they are.
//!
//! An attempt in flight pushes its row's `due_ms` to the end of a lease, as a delivery does: if
//! the desk stops mid-send, the alarm takes the email up again then (at least once; a duplicate
//! needs the desk to stop between the Email Service accepting it and the row being written).
//! `mail_stops` lists the entries whose customer asked for no more email; erasure removes both.

use super::db::{Db, Rows, int, opt_int, text};
use super::deliveries::Task;
use super::{DeskError, DeskResult, Inner, send};
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use tellus_core::callbacks::{DeliveryState, SEND_LEASE_MARGIN_MS};
use tellus_core::entry::Entry;
use tellus_core::followup::email::{EmailContext, email};
use tellus_core::followup::{due, mail_id};
use tellus_core::mail::{Mail, MailMessage};
use tellus_core::site::Site;

use crate::config::{MAIL_FROM, PUBLIC_URL};
/// Emails one run starts (they are subrequests, like webhook attempts).
const MAX_MAILS_PER_RUN: usize = 10;

fn state_name(state: DeliveryState) -> DeskResult<String> {
    match serde_json::to_value(state)? {
        serde_json::Value::String(name) => Ok(name),
        other => Err(DeskError::Internal(format!("not a state: {other}"))),
    }
}

#[derive(Deserialize)]
struct Row {
    id: String,
    entry: String,
    kind: String,
    created_ms: u64,
    state: String,
    due_ms: Option<u64>,
    attempts: String,
    message: String,
}

impl Row {
    fn mail(self) -> DeskResult<Mail> {
        Ok(Mail {
            id: self.id,
            entry_id: self.entry,
            kind: self.kind,
            created_ms: self.created_ms,
            message: serde_json::from_str(&self.message)?,
            state: serde_json::from_value(serde_json::Value::String(self.state))?,
            attempts: serde_json::from_str(&self.attempts)?,
            next_attempt_ms: self.due_ms,
        })
    }
}

const COLUMNS: &str = "id, entry, kind, created_ms, state, due_ms, attempts, message";

fn load(db: &Db<'_>, id: &str) -> DeskResult<Option<Mail>> {
    let row: Option<Row> = db.row(&format!("SELECT {COLUMNS} FROM mails WHERE id = ?"), vec![text(id)])?;
    row.map(Row::mail).transpose()
}

/// Creates an email, due now, unless one with its id exists or its entry's customer stopped
/// emails. `expires_ms`: when the row is forgotten (the entry's own expiry).
pub fn create(
    db: &Db<'_>,
    id: &str,
    entry_id: &str,
    kind: &str,
    message: &MailMessage,
    now_ms: u64,
    expires_ms: u64,
) -> DeskResult<bool> {
    if stopped(db, entry_id)? {
        return Ok(false);
    }
    Ok(db.changed(
        "INSERT INTO mails (id, entry, kind, created_ms, state, due_ms, attempts, message, expires_ms)
         VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?) ON CONFLICT (id) DO NOTHING",
        vec![
            text(id),
            text(entry_id),
            text(kind),
            int(now_ms),
            text(state_name(DeliveryState::Pending)?),
            int(now_ms),
            text(serde_json::to_string(message)?),
            int(expires_ms),
        ],
    )?)
}

/// The customer's follow-up emails an entry as it is now calls for (a new reply, a fix), made
/// once each. `base` is the public origin for the links; `from` the sender address.
pub fn follow_up(db: &Db<'_>, site: &Site, entry: &Entry, now_ms: u64, base: &str, from: &str) -> DeskResult<()> {
    let events = due(entry, now_ms);
    if events.is_empty() {
        return Ok(());
    }
    if from.is_empty() || base.is_empty() {
        worker::console_warn!("follow-up email for {} not made: set {MAIL_FROM} (and {PUBLIC_URL})", entry.id);
        return Ok(());
    }
    let expires_ms = entry.expires_at_secs(site.settings.retention_days).saturating_mul(1000);
    for (follow_up, event_ms) in events {
        let ctx = EmailContext { site, entry, follow_up, base, from };
        let Some(message) = email(&ctx) else { continue };
        create(
            db,
            &mail_id(&entry.id, follow_up, event_ms),
            &entry.id,
            follow_up.kind(),
            &message,
            now_ms,
            expires_ms,
        )?;
    }
    Ok(())
}

fn stopped(db: &Db<'_>, entry_id: &str) -> DeskResult<bool> {
    #[derive(Deserialize)]
    struct Found {
        #[allow(dead_code)]
        entry: String,
    }
    Ok(db.row::<Found>("SELECT entry FROM mail_stops WHERE entry = ?", vec![text(entry_id)])?.is_some())
}

/// The customer asked for no more emails about this entry: none is made from now on, and the
/// pending ones are cancelled.
pub fn stop(db: &Db<'_>, entry_id: &str, now_ms: u64, expires_ms: u64) -> DeskResult<()> {
    db.run(
        "INSERT INTO mail_stops (entry, at_ms, expires_ms) VALUES (?, ?, ?) ON CONFLICT (entry) DO NOTHING",
        vec![text(entry_id), int(now_ms), int(expires_ms)],
    )?;
    db.run(
        "UPDATE mails SET state = 'cancelled', due_ms = NULL WHERE entry = ? AND state = 'pending'",
        vec![text(entry_id)],
    )?;
    Ok(())
}

/// Erasure: the entry's emails (they hold the customer's address and words) and its stop.
pub fn erase(db: &Db<'_>, entry_id: &str) -> DeskResult<()> {
    db.run("DELETE FROM mails WHERE entry = ?", vec![text(entry_id)])?;
    db.run("DELETE FROM mail_stops WHERE entry = ?", vec![text(entry_id)])?;
    Ok(())
}

/// Forgets emails and stops whose entry has expired (within `slack_ms`).
pub fn prune(db: &Db<'_>, now_ms: u64, slack_ms: u64) -> DeskResult<()> {
    db.run("DELETE FROM mails WHERE expires_ms <= ?", vec![int(now_ms + slack_ms)])?;
    db.run("DELETE FROM mail_stops WHERE expires_ms <= ?", vec![int(now_ms + slack_ms)])?;
    Ok(())
}

/// When the emails next need the desk: the earliest due attempt, or the earliest expiry (less
/// `slack_ms`, as the other tables' expiries are pruned), if any.
pub fn next_due(db: &Db<'_>, slack_ms: u64) -> DeskResult<Option<u64>> {
    #[derive(Deserialize)]
    struct Next {
        t: Option<u64>,
    }
    let next: Option<Next> = db.row(
        "SELECT MIN(t) AS t FROM (
            SELECT MIN(due_ms) AS t FROM mails WHERE due_ms IS NOT NULL
            UNION ALL SELECT MIN(expires_ms) - ? FROM mails
            UNION ALL SELECT MIN(expires_ms) - ? FROM mail_stops
        )",
        vec![int(slack_ms), int(slack_ms)],
    )?;
    Ok(next.and_then(|n| n.t))
}

/// Claims the due emails this run may send and makes a task of each.
pub fn start_due(inner: &Rc<Inner>, db: &Db<'_>, now_ms: u64) -> DeskResult<Vec<Task>> {
    #[derive(Deserialize)]
    struct Due {
        id: String,
    }
    let due: Vec<Due> = db.rows(
        "SELECT id FROM mails WHERE due_ms IS NOT NULL AND due_ms <= ? ORDER BY due_ms LIMIT ?",
        vec![int(now_ms), int(MAX_MAILS_PER_RUN as u64)],
    )?;
    let lease_until = now_ms + inner.config.callback_timeout_ms + SEND_LEASE_MARGIN_MS;
    let mut tasks: Vec<Task> = Vec::new();
    for row in due {
        db.run("UPDATE mails SET due_ms = ? WHERE id = ?", vec![int(lease_until), text(&row.id)])?;
        tasks.push(attempt_task(Rc::clone(inner), row.id));
    }
    Ok(tasks)
}

fn attempt_task(inner: Rc<Inner>, id: String) -> Task {
    Box::pin(async move {
        let rows = Rows::default();
        if let Err(err) = attempt(&inner, &id, &rows).await {
            worker::console_error!("mail {id}: {err:?}");
        }
        if let Err(err) = super::deliveries::arm(&inner, &inner.db(&rows), false).await {
            worker::console_error!("desk arm after mail {id}: {err:?}");
        }
        inner.log_ops("mail", &rows);
    })
}

/// One attempt at an email that is still pending (a stop may have cancelled it meanwhile).
async fn attempt(inner: &Rc<Inner>, id: &str, rows: &Rows) -> DeskResult<()> {
    let db = inner.db(rows);
    let Some(mail) = load(&db, id)? else { return Ok(()) };
    if mail.state != DeliveryState::Pending {
        return Ok(());
    }
    let (attempt, outcome) = send::mail(&inner.env, &inner.config, &mail.message, inner.now_ms()).await;
    // Recorded on the row as it is now: a stop during the attempt keeps it cancelled.
    let Some(mut current) = load(&db, id)? else { return Ok(()) };
    let cancelled = current.state == DeliveryState::Cancelled;
    let jitter =
        u16::from_le_bytes(crate::http::random_bytes::<2>().map_err(|e| DeskError::Internal(format!("{e:?}")))?);
    current.record(attempt, outcome, jitter);
    if cancelled {
        current.state = DeliveryState::Cancelled;
        current.next_attempt_ms = None;
    }
    db.run(
        "UPDATE mails SET state = ?, due_ms = ?, attempts = ? WHERE id = ?",
        vec![
            text(state_name(current.state)?),
            opt_int(current.next_attempt_ms),
            text(serde_json::to_string(&current.attempts)?),
            text(id),
        ],
    )?;
    Ok(())
}

/// An email as the test protocol shows it (`GET /v1/test/sites/{site}/desk`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailView {
    pub id: String,
    pub entry: String,
    pub kind: String,
    pub state: DeliveryState,
    pub attempts: usize,
    pub message: MailMessage,
}

/// Every email the desk holds, oldest first (tests only).
pub fn all(db: &Db<'_>) -> DeskResult<Vec<MailView>> {
    let rows: Vec<Row> = db.rows(&format!("SELECT {COLUMNS} FROM mails ORDER BY created_ms, id"), Vec::new())?;
    rows.into_iter()
        .map(|row| {
            let mail = row.mail()?;
            Ok(MailView {
                id: mail.id,
                entry: mail.entry_id,
                kind: mail.kind,
                state: mail.state,
                attempts: mail.attempts.len(),
                message: mail.message,
            })
        })
        .collect()
}
