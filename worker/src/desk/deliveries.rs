//! Deliveries at the desk: creating one per endpoint for an event, running what is due (the
//! first attempts at once, retries and escalation steps on core's schedule), recording each
//! attempt, the owner's log and replay.
//!
//! Sending is concurrent and recorded per endpoint: each attempt runs as its own task, at most
//! [`MAX_IN_FLIGHT_PER_ENDPOINT`] per endpoint, so a receiver that never answers delays only its
//! own deliveries. A task that starts an attempt first pushes the delivery's `due_ms` to the end
//! of a lease (the timeout plus [`SEND_LEASE_MARGIN_MS`]): if the desk stops mid-send, its alarm
//! takes the delivery up again then, under the same `webhook-id` (at-least-once; receivers
//! dedupe by `webhook-id`, as Standard Webhooks advises).

use super::db::{Db, Rows, int, opt_int, text};
use super::protocol::DeliveriesPage;
use super::{DeskError, DeskResult, Inner, days, endpoints, events, send};
use crate::KV_BINDING;
use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use tellus_core::callbacks::{
    Attempt, DELIVERY_RETENTION_SECS, Delivery, DeliveryDetail, DeliveryMeta, DeliveryState, DeliveryView,
    EndpointStatus, EscalationStep, EventContext, EventType, HealthChange, MAX_IN_FLIGHT_PER_ENDPOINT,
    MAX_PAYLOAD_BYTES, MAX_SENDS_PER_RUN, Message, Outcome, SEND_LEASE_MARGIN_MS, delivery_ulid, escalation_catch_up,
    message_id, render, story, words,
};
use tellus_core::entry::{Entry, Status};
use tellus_core::keys;
use tellus_core::site::Site;

/// How a run treats the attempts it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Start them as tasks that finish after the run (and after the call that caused it answered).
    No,
    /// Start them and wait for them (the tests' "run what is due now").
    Yes,
    /// Start none; leave them to the alarm, at least [`HOLD_MS`] from now (tests of a desk that
    /// stopped right after answering).
    Hold,
}

/// How long a held run leaves its attempts to the alarm.
const HOLD_MS: u64 = 2_000;
/// Escalation steps one run handles; the rest wait for the next (which is at once).
const MAX_ESCALATIONS_PER_RUN: u64 = 20;
/// What turns [`DELIVERY_RETENTION_SECS`] old within this time goes in one run, so a desk wakes
/// at most once a day to erase old log entries.
const PRUNE_SLACK_MS: u64 = 86_400_000;
const DELIVERY_RETENTION_MS: u64 = DELIVERY_RETENTION_SECS * 1000;

fn name<T: Serialize>(value: &T) -> DeskResult<String> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(name) => Ok(name),
        other => Err(DeskError::Internal(format!("not a name: {other}"))),
    }
}

fn parse_name<T: DeserializeOwned>(name: &str) -> DeskResult<T> {
    Ok(serde_json::from_value(serde_json::Value::String(name.to_owned()))?)
}

#[derive(Deserialize)]
pub(super) struct Row {
    id: String,
    endpoint: String,
    entry: String,
    event: String,
    created_ms: u64,
    state: String,
    due_ms: Option<u64>,
    attempts: String,
    /// Absent in the log's rows (the log is read without the messages).
    #[serde(default)]
    message: Option<String>,
}

impl Row {
    pub(super) fn delivery(self, site: &str) -> DeskResult<Delivery> {
        Ok(Delivery {
            id: self.id,
            site: site.to_owned(),
            endpoint: self.endpoint,
            event: parse_name(&self.event)?,
            entry_id: self.entry,
            created_ms: self.created_ms,
            message: serde_json::from_str(self.message.as_deref().unwrap_or_default())?,
            state: parse_name(&self.state)?,
            attempts: serde_json::from_str(&self.attempts)?,
            next_attempt_ms: self.due_ms,
        })
    }
}

const COLUMNS: &str = "id, endpoint, entry, event, created_ms, state, due_ms, attempts, message";
/// The log's columns: everything but the message.
pub(super) const LOG_COLUMNS: &str = "id, endpoint, entry, event, created_ms, state, due_ms, attempts";

fn load(db: &Db<'_>, site: &str, id: &str) -> DeskResult<Option<Delivery>> {
    let row: Option<Row> = db.row(&format!("SELECT {COLUMNS} FROM deliveries WHERE id = ?"), vec![text(id)])?;
    row.map(|row| row.delivery(site)).transpose()
}

fn save(db: &Db<'_>, delivery: &Delivery) -> DeskResult<()> {
    db.run(
        "UPDATE deliveries SET state = ?, due_ms = ?, attempts = ? WHERE id = ?",
        vec![
            text(name(&delivery.state)?),
            opt_int(delivery.next_attempt_ms),
            text(serde_json::to_string(&delivery.attempts)?),
            text(&delivery.id),
        ],
    )?;
    Ok(())
}

/// Creates the delivery of `event` about `entry` for every endpoint that wants it, due now. Its
/// id is derived from what it is about, so creating it again changes nothing.
pub fn create(
    db: &Db<'_>,
    site: &Site,
    entry: &Entry,
    event: EventType,
    overdue: Option<EscalationStep>,
    now_ms: u64,
) -> DeskResult<()> {
    for endpoint in endpoints::all(db)?.into_iter().filter(|e| e.wants(event)) {
        let id = message_id(&delivery_ulid(entry, event, &endpoint.id, overdue, now_ms));
        let ctx = EventContext {
            event,
            entry,
            site,
            origin: &endpoint.origin,
            now_ms,
            overdue,
            assignee: entry.assignee.as_deref(),
        };
        let message = render(&ctx, &endpoint);
        let size = match &message {
            Message::Http(request) => request.body.len(),
            Message::Email(mail) => mail.text.len() + mail.html.len(),
        };
        if size > MAX_PAYLOAD_BYTES {
            // Cannot happen with the limits on what customers send and the formats' own cuts; if
            // it ever does, the owner would get an unreadable message, so none is made and the
            // cause is logged.
            worker::console_error!("delivery {id}: a {size} B message is over {MAX_PAYLOAD_BYTES} B; not sent");
            continue;
        }
        let body = serde_json::to_string(&message)?;
        db.run(
            "INSERT INTO deliveries (id, endpoint, entry, event, created_ms, state, due_ms, attempts, message)
             VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?) ON CONFLICT (id) DO NOTHING",
            vec![
                text(&id),
                text(&endpoint.id),
                text(&entry.id),
                text(event.as_str()),
                int(now_ms),
                text(name(&DeliveryState::Pending)?),
                int(now_ms),
                text(body),
            ],
        )?;
    }
    Ok(())
}

fn cancel_where(db: &Db<'_>, condition: &str, value: &str, wanted: impl Fn(EventType) -> bool) -> DeskResult<()> {
    #[derive(Deserialize)]
    struct Pending {
        id: String,
        event: String,
    }
    let pending: Vec<Pending> = db.rows(
        &format!("SELECT id, event FROM deliveries WHERE {condition} = ? AND state = 'pending'"),
        vec![text(value)],
    )?;
    for row in pending {
        if wanted(parse_name(&row.event)?) {
            db.run("UPDATE deliveries SET state = 'cancelled', due_ms = NULL WHERE id = ?", vec![text(row.id)])?;
        }
    }
    Ok(())
}

/// Cancels an entry's pending deliveries of the events `wanted` picks.
pub fn cancel_for_entry(db: &Db<'_>, entry_id: &str, wanted: impl Fn(EventType) -> bool) -> DeskResult<()> {
    cancel_where(db, "entry", entry_id, wanted)
}

/// Cancels an endpoint's pending deliveries (it was removed).
pub fn cancel_for_endpoint(db: &Db<'_>, endpoint_id: &str) -> DeskResult<()> {
    cancel_where(db, "endpoint", endpoint_id, |_| true)
}

/// Runs what is due at `now_ms`: forgets what passed its retention, fires due escalation steps,
/// starts due attempts, and sets the alarm at the next due work.
pub async fn run(inner: &Rc<Inner>, now_ms: u64, rows: &Rows, wait: Wait) -> DeskResult<()> {
    let db = inner.db(rows);
    let Some(site) = inner.site(&db)? else {
        // A desk no call has reached yet holds nothing.
        return Ok(());
    };
    prune(&db, &site, now_ms)?;
    escalate(inner, &db, &site, now_ms, rows).await?;
    let started = match wait {
        Wait::Hold => Vec::new(),
        Wait::No | Wait::Yes => {
            let mut tasks = start_due(inner, &db, now_ms)?;
            tasks.extend(super::mails::start_due(inner, &db, now_ms)?);
            tasks
        }
    };
    arm(inner, &db, wait == Wait::Hold).await?;
    match wait {
        Wait::Yes => {
            futures_util::future::join_all(started).await;
        }
        _ => {
            for task in started {
                inner.state.wait_until(task);
            }
        }
    }
    Ok(())
}

fn prune(db: &Db<'_>, site: &Site, now_ms: u64) -> DeskResult<()> {
    days::prune(db, site, now_ms)?;
    let oldest_kept = (now_ms + PRUNE_SLACK_MS).saturating_sub(DELIVERY_RETENTION_MS);
    db.run("DELETE FROM deliveries WHERE due_ms IS NULL AND created_ms <= ?", vec![int(oldest_kept)])?;
    db.run("DELETE FROM failures WHERE expires_ms <= ?", vec![int(now_ms + PRUNE_SLACK_MS)])?;
    super::mails::prune(db, now_ms, PRUNE_SLACK_MS)?;
    Ok(())
}

/// The entry as KV holds it now: the record has the last word before a retry or an escalation
/// step of a failure goes out (a fix whose call to the desk was lost must still silence it).
async fn kv_entry(inner: &Inner, site: &Site, id: &str, rows: &Rows) -> DeskResult<Option<Entry>> {
    let Some(key) = keys::entry(&site.id, id) else { return Ok(None) };
    let kv = inner.env.kv(KV_BINDING)?;
    rows.kv_reads.set(rows.kv_reads.get() + 1);
    let text = kv.get(&key).text().await?;
    Ok(text.map(|text| serde_json::from_str(&text)).transpose()?)
}

/// Fires the escalation steps that are due (one overdue callback for the latest step passed,
/// not a burst after a pause) and schedules each failure's next step.
async fn escalate(inner: &Inner, db: &Db<'_>, site: &Site, now_ms: u64, rows: &Rows) -> DeskResult<()> {
    #[derive(Deserialize)]
    struct Due {
        entry: String,
        step: u32,
    }
    let due: Vec<Due> = db.rows(
        "SELECT entry, step FROM failures WHERE due_ms IS NOT NULL AND due_ms <= ? ORDER BY due_ms LIMIT ?",
        vec![int(now_ms), int(MAX_ESCALATIONS_PER_RUN)],
    )?;
    for row in due {
        let entry = match kv_entry(inner, site, &row.entry, rows).await? {
            Some(entry) if entry.is_unfixed_failure() => entry,
            Some(entry) if entry.status == Some(Status::Fixed) => {
                events::fixed(db, site, &entry, now_ms)?;
                continue;
            }
            _ => {
                events::vanished(db, &row.entry)?;
                continue;
            }
        };
        let (current, next) = escalation_catch_up(entry.created_ms, site.settings.sla, row.step, now_ms, entry.status);
        if let Some(step) = current {
            create(db, site, &entry, EventType::FailureOverdue, Some(step), now_ms)?;
        }
        let expires_ms = entry.expires_at_secs(site.settings.retention_days).saturating_mul(1000);
        let (step, due) = match next {
            Some(next) if next.due_ms < expires_ms => (next.step, Some(next.due_ms)),
            _ => (row.step, None),
        };
        db.run(
            "UPDATE failures SET step = ?, due_ms = ?, body = ? WHERE entry = ?",
            vec![int(u64::from(step)), opt_int(due), text(serde_json::to_string(&entry)?), text(&entry.id)],
        )?;
    }
    Ok(())
}

pub(super) type Task = Pin<Box<dyn Future<Output = ()>>>;

/// Endpoints with as many attempts in flight as they may have.
fn busy_endpoints(inner: &Inner) -> Vec<String> {
    inner
        .in_flight
        .borrow()
        .iter()
        .filter(|(_, n)| **n >= MAX_IN_FLIGHT_PER_ENDPOINT)
        .map(|(endpoint, _)| endpoint.clone())
        .collect()
}

/// Claims the due deliveries this run may send (per endpoint, at most
/// [`MAX_IN_FLIGHT_PER_ENDPOINT`] in flight; at most [`MAX_SENDS_PER_RUN`]) and makes a task of
/// each.
fn start_due(inner: &Rc<Inner>, db: &Db<'_>, now_ms: u64) -> DeskResult<Vec<Task>> {
    #[derive(Deserialize)]
    struct Due {
        id: String,
        endpoint: String,
    }
    // Endpoints with an attempt in flight are left out here, not skipped below: a backlog of
    // one busy endpoint must not hide another endpoint's due deliveries from the run.
    let busy = busy_endpoints(inner);
    let placeholders = vec!["?"; busy.len()].join(", ");
    let mut bindings = vec![int(now_ms)];
    bindings.extend(busy.iter().map(text));
    bindings.push(int(MAX_SENDS_PER_RUN as u64 * 4));
    let due: Vec<Due> = db.rows(
        &format!(
            "SELECT id, endpoint FROM deliveries WHERE due_ms IS NOT NULL AND due_ms <= ?
             AND endpoint NOT IN ({placeholders}) ORDER BY due_ms LIMIT ?"
        ),
        bindings,
    )?;
    let lease_until = now_ms + inner.config.callback_timeout_ms + SEND_LEASE_MARGIN_MS;
    let mut tasks: Vec<Task> = Vec::new();
    for row in due {
        if tasks.len() >= MAX_SENDS_PER_RUN {
            break;
        }
        {
            let mut in_flight = inner.in_flight.borrow_mut();
            let count = in_flight.entry(row.endpoint.clone()).or_default();
            if *count >= MAX_IN_FLIGHT_PER_ENDPOINT {
                continue;
            }
            *count += 1;
        }
        db.run("UPDATE deliveries SET due_ms = ? WHERE id = ?", vec![int(lease_until), text(&row.id)])?;
        tasks.push(attempt_task(Rc::clone(inner), row.id, row.endpoint));
    }
    Ok(tasks)
}

/// One attempt as a task of its own: sends, records, frees its endpoint's slot, then starts
/// whatever became due meanwhile (this endpoint's next delivery, say).
fn attempt_task(inner: Rc<Inner>, id: String, endpoint: String) -> Task {
    Box::pin(async move {
        let rows = Rows::default();
        if let Err(err) = attempt(&inner, &id, &rows).await {
            worker::console_error!("delivery {id}: {err:?}");
        }
        if let Some(count) = inner.in_flight.borrow_mut().get_mut(&endpoint) {
            *count = count.saturating_sub(1);
        }
        if let Err(err) = run(&inner, inner.now_ms(), &rows, Wait::No).await {
            worker::console_error!("desk run after delivery {id}: {err:?}");
        }
        inner.log_ops("attempt", &rows);
    })
}

fn is_unfixed(db: &Db<'_>, entry_id: &str) -> DeskResult<bool> {
    #[derive(Deserialize)]
    struct Found {
        #[allow(dead_code)]
        entry: String,
    }
    Ok(db.row::<Found>("SELECT entry FROM failures WHERE entry = ?", vec![text(entry_id)])?.is_some())
}

fn cancel(db: &Db<'_>, delivery: &mut Delivery) -> DeskResult<()> {
    delivery.state = DeliveryState::Cancelled;
    delivery.next_attempt_ms = None;
    save(db, delivery)
}

/// One scheduled attempt of a delivery, unless it should no longer go out: its endpoint is gone
/// or disabled, or it reports a failure that has been fixed or erased since.
async fn attempt(inner: &Rc<Inner>, id: &str, rows: &Rows) -> DeskResult<()> {
    let db = inner.db(rows);
    let Some(site) = inner.site(&db)? else { return Ok(()) };
    let Some(mut delivery) = load(&db, &site.id, id)? else { return Ok(()) };
    if delivery.state != DeliveryState::Pending {
        return Ok(());
    }
    let endpoint = endpoints::get(&db, &delivery.endpoint)?.filter(|e| e.status() != EndpointStatus::Disabled);
    let Some(endpoint) = endpoint else { return cancel(&db, &mut delivery) };
    if delivery.event.needs_unfixed_failure() {
        if !is_unfixed(&db, &delivery.entry_id)? {
            return cancel(&db, &mut delivery);
        }
        if !delivery.attempts.is_empty() {
            let now_ms = inner.now_ms();
            match kv_entry(inner, &site, &delivery.entry_id, rows).await? {
                Some(entry) if entry.is_unfixed_failure() => {}
                Some(entry) if entry.status == Some(Status::Fixed) => return events::fixed(&db, &site, &entry, now_ms),
                _ => return events::vanished(&db, &delivery.entry_id),
            }
        }
    }
    let (attempt, outcome) =
        send::attempt(&inner.env, &inner.config, &site.settings.name, &endpoint, &delivery, inner.now_ms(), false)
            .await;
    record(&db, &mut delivery, attempt, outcome, inner.now_ms())
}

/// Records an attempt on the delivery as the desk holds it now (the owner may have fixed the
/// failure, cancelling it, or erased the entry while the attempt was in flight) and applies the
/// change of health it makes to its endpoint.
fn record(db: &Db<'_>, delivery: &mut Delivery, attempt: Attempt, outcome: Outcome, now_ms: u64) -> DeskResult<()> {
    let Some(current) = load(db, &delivery.site, &delivery.id)? else { return Ok(()) };
    let jitter =
        u16::from_le_bytes(crate::http::random_bytes::<2>().map_err(|e| DeskError::Internal(format!("{e:?}")))?);
    *delivery = current;
    let cancelled = delivery.state == DeliveryState::Cancelled;
    let after = delivery.record(attempt, outcome, jitter);
    if cancelled {
        delivery.state = DeliveryState::Cancelled;
        delivery.next_attempt_ms = None;
    }
    save(db, delivery)?;
    if let Some(mut endpoint) = endpoints::get(db, &delivery.endpoint)?
        && let Some(change) = HealthChange::after(after, &endpoint, now_ms)
    {
        endpoint.apply(&change, now_ms);
        endpoints::save(db, &endpoint)?;
    }
    Ok(())
}

/// Sets the alarm at the desk's next due work, or clears it when there is none: an idle desk
/// has no alarm. `hold` keeps it at least [`HOLD_MS`] away.
pub async fn arm(inner: &Inner, db: &Db<'_>, hold: bool) -> DeskResult<()> {
    #[derive(Deserialize)]
    struct Next {
        t: Option<u64>,
    }
    // Deliveries waiting for a busy endpoint are started by the attempt in flight when it ends,
    // so they do not set the alarm (it would fire at once, again and again); that attempt's
    // lease does, in case the desk stops before it ends.
    let busy = busy_endpoints(inner);
    let real_now = crate::http::now_ms();
    let now_ms = real_now.saturating_add(inner.test_offset_ms());
    let placeholders = vec!["?"; busy.len()].join(", ");
    let mut bindings = vec![int(now_ms)];
    bindings.extend(busy.iter().map(text));
    // The oldest log entry turns 30 days old, or the oldest unfixed failure reaches its entry's
    // expiry: `prune` then erases everything that does within the next day, so the desk wakes at
    // most once a day for it.
    bindings.push(int(DELIVERY_RETENTION_MS));
    let next: Option<Next> = db.row(
        &format!(
            "SELECT MIN(t) AS t FROM (
                SELECT MIN(due_ms) AS t FROM deliveries
                    WHERE due_ms IS NOT NULL AND (due_ms > ? OR endpoint NOT IN ({placeholders}))
                UNION ALL SELECT MIN(due_ms) FROM failures WHERE due_ms IS NOT NULL
                UNION ALL SELECT MIN(created_ms) + ? FROM deliveries WHERE due_ms IS NULL
                UNION ALL SELECT MIN(expires_ms) FROM failures
            )"
        ),
        bindings,
    )?;
    // The emails' next work, in a query of its own: the desk's SQLite allows at most five terms
    // in one compound SELECT.
    let next_mail = super::mails::next_due(db, PRUNE_SLACK_MS)?;
    let next = [next.and_then(|n| n.t), next_mail].into_iter().flatten().min().map(|t| Next { t: Some(t) });
    let storage = inner.state.storage();
    let current = storage.get_alarm().await?.and_then(|ms| u64::try_from(ms).ok());
    match next.and_then(|n| n.t) {
        None => {
            if current.is_some() {
                storage.delete_alarm().await?;
            }
        }
        Some(due_ms) => {
            let mut at = due_ms.saturating_sub(inner.test_offset_ms()).max(real_now);
            if hold {
                at = at.max(real_now + HOLD_MS);
            }
            if current != Some(at) {
                storage.set_alarm(worker::ScheduledTime::new(js_sys::Date::new(&(at as f64).into()))).await?;
            }
        }
    }
    Ok(())
}

/// Sends a failed delivery again now (same `webhook-id` and body) and answers its record. A
/// success re-activates a disabled or failing endpoint.
pub async fn replay(
    inner: &Inner,
    db: &Db<'_>,
    endpoint_id: &str,
    id: &str,
    now_ms: u64,
) -> DeskResult<DeliveryDetail> {
    let site = inner.site(db)?.ok_or(DeskError::NotFound)?;
    let mut delivery = load(db, &site.id, id)?.filter(|d| d.endpoint == endpoint_id).ok_or(DeskError::NotFound)?;
    let endpoint = endpoints::get(db, endpoint_id)?.ok_or(DeskError::NotFound)?;
    if delivery.state != DeliveryState::Failed {
        return Err(DeskError::Conflict(format!(
            "Only failed deliveries can be replayed; this one is {}.",
            name(&delivery.state)?
        )));
    }
    if delivery.event.needs_unfixed_failure() && !is_unfixed(db, &delivery.entry_id)? {
        return Err(DeskError::Conflict(
            "The failure has been fixed (or deleted) since; reported and overdue callbacks are not sent again.".into(),
        ));
    }
    let (attempt, outcome) =
        send::attempt(&inner.env, &inner.config, &site.settings.name, &endpoint, &delivery, now_ms, true).await;
    record(db, &mut delivery, attempt, outcome, now_ms)?;
    Ok(DeliveryDetail::of(&delivery))
}

impl Row {
    /// The endpoint the delivery goes to.
    pub(super) fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The owner's view of the delivery, with every attempt (no message needed: the log's rows
    /// are read without it).
    pub(super) fn detail(&self) -> DeskResult<DeliveryDetail> {
        let attempts: Vec<Attempt> = serde_json::from_str(&self.attempts)?;
        let meta = DeliveryMeta::of(
            parse_name(&self.event)?,
            parse_name(&self.state)?,
            &attempts,
            self.due_ms,
            &self.entry,
            self.created_ms,
        );
        Ok(DeliveryDetail::of_parts(self.id.clone(), &meta, &attempts))
    }
}

fn view(row: &Row) -> DeskResult<DeliveryView> {
    Ok(row.detail()?.summary)
}

/// A log cursor: the created time and id of the last delivery of the page before.
fn parse_cursor(cursor: &str) -> Option<(u64, String)> {
    let (ms, id) = cursor.split_once('~')?;
    Some((ms.parse().ok()?, id.to_owned()))
}

/// One page of an endpoint's delivery log, newest first. `Err(NotFound)` for a cursor that is
/// not one of ours (the caller answers it as a bad cursor).
pub fn log(db: &Db<'_>, endpoint: &str, cursor: Option<&str>, limit: u32) -> DeskResult<DeliveriesPage> {
    let limit = u64::from(limit.clamp(1, 100));
    let rows: Vec<Row> = match cursor {
        None => db.rows(
            &format!(
                "SELECT {LOG_COLUMNS} FROM deliveries WHERE endpoint = ? ORDER BY created_ms DESC, id DESC LIMIT ?"
            ),
            vec![text(endpoint), int(limit + 1)],
        )?,
        Some(cursor) => {
            let (ms, id) = parse_cursor(cursor).ok_or(DeskError::NotFound)?;
            db.rows(
                &format!(
                    "SELECT {LOG_COLUMNS} FROM deliveries WHERE endpoint = ? AND (created_ms < ? OR (created_ms = ? AND id < ?))
                     ORDER BY created_ms DESC, id DESC LIMIT ?"
                ),
                vec![text(endpoint), int(ms), int(ms), text(id), int(limit + 1)],
            )?
        }
    };
    let more = rows.len() as u64 > limit;
    let mut deliveries = Vec::new();
    let mut last = None;
    for row in rows.into_iter().take(limit as usize) {
        last = Some(format!("{}~{}", row.created_ms, row.id));
        deliveries.push(view(&row)?);
    }
    Ok(DeliveriesPage { deliveries, cursor: if more { last } else { None } })
}

/// One delivery with every attempt.
pub fn detail(db: &Db<'_>, endpoint: &str, id: &str) -> DeskResult<DeliveryDetail> {
    let row: Option<Row> = db.row(
        &format!("SELECT {LOG_COLUMNS} FROM deliveries WHERE id = ? AND endpoint = ?"),
        vec![text(id), text(endpoint)],
    )?;
    row.ok_or(DeskError::NotFound)?.detail()
}

/// Sends a sample alert to one endpoint now, through the same path as any delivery (the
/// endpoint's format, its signing, its log), and answers the attempt's record. The sample is a
/// made-up failure in the endpoint's language (`story::test_alert_entry`, never stored)
/// reported as the first event the endpoint takes; it is tried once, like a replay: a failed
/// test is shown, not retried, and a success brings a failing or disabled endpoint back (it
/// proves the receiver works again).
pub async fn test_alert(
    inner: &Inner,
    db: &Db<'_>,
    site: &Site,
    endpoint_id: &str,
    sample_id: String,
    now_ms: u64,
) -> DeskResult<DeliveryDetail> {
    let endpoint = endpoints::get(db, endpoint_id)?.ok_or(DeskError::NotFound)?;
    let sample = &story::test_alert_entry(site, sample_id, now_ms, words::of(&endpoint.lang));
    let event =
        [EventType::FailureReported, EventType::FailureOverdue, EventType::FailureFixed, EventType::PraiseReceived]
            .into_iter()
            .find(|e| endpoint.events.contains(e))
            .unwrap_or(EventType::FailureReported);
    let id = message_id(&delivery_ulid(sample, event, &endpoint.id, None, now_ms));
    let ctx = EventContext {
        event,
        entry: sample,
        site,
        origin: &endpoint.origin,
        now_ms,
        overdue: None,
        assignee: sample.assignee.as_deref(),
    };
    let body = serde_json::to_string(&render(&ctx, &endpoint))?;
    db.run(
        "INSERT INTO deliveries (id, endpoint, entry, event, created_ms, state, due_ms, attempts, message)
         VALUES (?, ?, ?, ?, ?, ?, NULL, '[]', ?) ON CONFLICT (id) DO NOTHING",
        vec![
            text(&id),
            text(&endpoint.id),
            text(&sample.id),
            text(event.as_str()),
            int(now_ms),
            text(name(&DeliveryState::Pending)?),
            text(body),
        ],
    )?;
    let mut delivery = load(db, &site.id, &id)?.ok_or(DeskError::NotFound)?;
    let (attempt, outcome) =
        send::attempt(&inner.env, &inner.config, &site.settings.name, &endpoint, &delivery, now_ms, true).await;
    record(db, &mut delivery, attempt, outcome, now_ms)?;
    Ok(DeliveryDetail::of(&delivery))
}
