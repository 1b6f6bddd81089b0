//! The site's desk: one SQLite-backed Durable Object per site that owns what must be exact or
//! timed — the callback endpoints and their health, every pending delivery and escalation step,
//! the delivery log, the index of unfixed failures and the daily aggregates. Entries stay in
//! Workers KV (the record of what customers told us); the desk is where the site's work is done.
//!
//! Nothing polls. A request hands its work to the desk in one call before it answers; the desk
//! stores it and starts the first attempts at once, and keeps one alarm set at its earliest due
//! work (a retry, an escalation step, a delivery log entry to expire). An idle site's desk has no
//! alarm and costs nothing. See ARCHITECTURE.md, "The site's desk".
//!
//! - [`protocol`]: the calls and answers between the Worker and a desk.
//! - [`db`]: the counted SQLite handle; [`schema`]: the tables.
//! - [`events`]: what a stored, changed, erased entry or a click does to the desk's state.
//! - [`deliveries`]: creating deliveries, running what is due, attempts and their records.
//! - [`mails`]: emails (the customer's follow-ups) as durable work: created once per event,
//!   attempted, retried by the alarm.
//! - [`send`]: one HTTP attempt, or one email, with its timeout.
//! - [`days`]: the daily aggregates and the summary.
//! - [`endpoints`]: the owner's endpoints.
//! - [`inbox`]: the owner's inbox, case view and alerts page: views over the desk's index.
//! - [`client`]: the Worker's side of a call.

pub mod client;
mod days;
mod db;
mod deliveries;
mod endpoints;
mod events;
mod inbox;
pub mod mails;
pub mod protocol;
mod schema;
mod send;

use crate::config::Config;
use db::{Db, Rows, text};
use protocol::{Call, HEADER_ROWS, Op, Status};
use serde::Serialize;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use tellus_core::protocol::DESK_OPS_LOG;
use tellus_core::site::Site;
use worker::{DurableObject, Env, Request, Response, State, durable_object};

/// Why a call could not be done. `NotFound` and `Conflict` are answers the Worker passes on
/// (the first as absence); `Internal` is logged here and reaches the client as a 500.
#[derive(Debug)]
pub enum DeskError {
    NotFound,
    Conflict(String),
    Internal(String),
}

impl From<worker::Error> for DeskError {
    fn from(err: worker::Error) -> Self {
        DeskError::Internal(err.to_string())
    }
}

impl From<serde_json::Error> for DeskError {
    fn from(err: serde_json::Error) -> Self {
        DeskError::Internal(format!("json: {err}"))
    }
}

impl From<worker::kv::KvError> for DeskError {
    fn from(err: worker::kv::KvError) -> Self {
        DeskError::Internal(format!("kv: {err}"))
    }
}

pub type DeskResult<T> = Result<T, DeskError>;

#[durable_object]
pub struct Desk {
    inner: Rc<Inner>,
}

/// What the desk's invocations share. Behind an `Rc` so an attempt started by one invocation
/// can finish (and record itself) after that invocation has answered.
pub struct Inner {
    state: State,
    env: Env,
    /// The Worker's variables, read when the object starts.
    config: Config,
    /// Attempts in flight per endpoint. Memory only: after a restart it is empty, and the
    /// leases in `deliveries.due_ms` keep the new instance from sending what is in flight.
    in_flight: RefCell<HashMap<String, usize>>,
}

impl DurableObject for Desk {
    fn new(state: State, env: Env) -> Self {
        let config = Config::from_env(&env);
        let inner = Rc::new(Inner { state, env, config, in_flight: RefCell::default() });
        let rows = Rows::default();
        if let Err(err) = schema::create(&inner.db(&rows)) {
            worker::console_error!("desk schema: {err:?}");
        }
        Desk { inner }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let rows = Rows::default();
        let result = match req.json::<Call>().await {
            Ok(call) => self.inner.handle(call, &rows).await,
            Err(err) => Err(DeskError::Internal(format!("unreadable call: {err}"))),
        };
        let mut res = match result {
            Ok(value) => Response::from_json(&value)?,
            Err(DeskError::NotFound) => Response::error("not found", 404)?,
            Err(DeskError::Conflict(detail)) => {
                Response::from_json(&serde_json::json!({ "detail": detail }))?.with_status(409)
            }
            Err(DeskError::Internal(cause)) => {
                worker::console_error!("desk: {cause}");
                Response::error("internal error", 500)?
            }
        };
        res.headers_mut().set(HEADER_ROWS, &rows.header_value())?;
        Ok(res)
    }

    async fn alarm(&self) -> worker::Result<Response> {
        let rows = Rows::default();
        let now_ms = self.inner.now_ms();
        if let Err(err) = deliveries::run(&self.inner, now_ms, &rows, deliveries::Wait::No).await {
            worker::console_error!("desk alarm: {err:?}");
        }
        self.inner.log_ops("alarm", &rows);
        Response::ok("")
    }
}

impl Inner {
    fn db<'a>(&self, rows: &'a Rows) -> Db<'a> {
        Db::new(self.state.storage().sql(), rows)
    }

    /// The desk's clock for its own work (alarms, attempts): the real time, shifted by the test
    /// clock's offset on local Workers.
    fn now_ms(&self) -> u64 {
        crate::http::now_ms().saturating_add(self.test_offset_ms())
    }

    fn test_offset_ms(&self) -> u64 {
        if !self.config.test_clock {
            return 0;
        }
        let rows = Rows::default();
        self.meta::<u64>(&self.db(&rows), META_TEST_OFFSET).ok().flatten().unwrap_or(0)
    }

    fn meta<T: serde::de::DeserializeOwned>(&self, db: &Db<'_>, key: &str) -> DeskResult<Option<T>> {
        #[derive(serde::Deserialize)]
        struct Row {
            v: String,
        }
        let row: Option<Row> = db.row("SELECT v FROM meta WHERE k = ?", vec![text(key)])?;
        Ok(row.map(|r| serde_json::from_str(&r.v)).transpose()?)
    }

    fn set_meta<T: Serialize>(&self, db: &Db<'_>, key: &str, value: &T) -> DeskResult<()> {
        let json = serde_json::to_string(value)?;
        // Written only when it changed: most calls carry the same settings.
        db.run(
            "INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v WHERE v != excluded.v",
            vec![text(key), text(json)],
        )?;
        Ok(())
    }

    /// The site as the last call that carried it saw it.
    fn site(&self, db: &Db<'_>) -> DeskResult<Option<Site>> {
        self.meta(db, META_SITE)
    }

    /// Logs an invocation's rows when the Worker exposes its operation counts (tests, bench):
    /// work that no response carries (alarms, attempts finishing after the answer) is counted
    /// from these lines.
    fn log_ops(&self, what: &str, rows: &Rows) {
        if self.config.expose_ops {
            let site = self.site(&self.db(&Rows::default())).ok().flatten().map(|s| s.id).unwrap_or_default();
            worker::console_log!("{DESK_OPS_LOG} {site} {what} {}", rows.header_value());
        }
    }

    async fn handle(self: &Rc<Self>, call: Call, rows: &Rows) -> DeskResult<Value> {
        let db = self.db(rows);
        if call.test_offset_ms > 0 && self.config.test_clock {
            // The offset only grows: a test never moves a desk's time backwards.
            let stored: u64 = self.meta(&db, META_TEST_OFFSET)?.unwrap_or(0);
            if call.test_offset_ms > stored {
                self.set_meta(&db, META_TEST_OFFSET, &call.test_offset_ms)?;
            }
        }
        let now_ms = call.now_ms;
        let answer = match call.op {
            Op::Stored { site, entry, hold } => {
                self.set_meta(&db, META_SITE, &site)?;
                events::stored(&db, &site, &entry, now_ms)?;
                let wait = if hold { deliveries::Wait::Hold } else { deliveries::Wait::No };
                deliveries::run(self, now_ms, rows, wait).await?;
                Value::Null
            }
            Op::Changed { site, entry } => {
                self.set_meta(&db, META_SITE, &site)?;
                events::changed(&db, &site, &entry, now_ms)?;
                mails::follow_up(&db, &site, &entry, now_ms, &call.origin, &self.config.mail_from)?;
                inbox::remember_assignee(self, &db, &entry)?;
                deliveries::run(self, now_ms, rows, deliveries::Wait::No).await?;
                Value::Null
            }
            Op::Erased { site, entry } => {
                self.set_meta(&db, META_SITE, &site)?;
                events::erased(&db, &site, &entry)?;
                mails::erase(&db, &entry.id)?;
                deliveries::arm(self, &db, false).await?;
                Value::Null
            }
            Op::Clicked { site, target } => {
                self.set_meta(&db, META_SITE, &site)?;
                days::click(&db, &target, now_ms)?;
                Value::Null
            }
            Op::Settings { site } => {
                self.set_meta(&db, META_SITE, &site)?;
                Value::Null
            }
            Op::Endpoints => serde_json::to_value(endpoints::all(&db)?)?,
            Op::AddEndpoint { site, endpoint } => {
                self.set_meta(&db, META_SITE, &site)?;
                endpoints::add(&db, &endpoint)?;
                Value::Null
            }
            Op::RemoveEndpoint { id } => {
                endpoints::remove(&db, &id)?;
                deliveries::arm(self, &db, false).await?;
                Value::Null
            }
            Op::RotateSecret { id, secret } => serde_json::to_value(endpoints::rotate(&db, &id, secret, now_ms)?)?,
            Op::Deliveries { endpoint, cursor, limit } => {
                serde_json::to_value(deliveries::log(&db, &endpoint, cursor.as_deref(), limit)?)?
            }
            Op::Delivery { endpoint, id } => serde_json::to_value(deliveries::detail(&db, &endpoint, &id)?)?,
            Op::Replay { site, endpoint, id } => {
                self.set_meta(&db, META_SITE, &site)?;
                let detail = deliveries::replay(self, &db, &endpoint, &id, now_ms).await?;
                deliveries::run(self, now_ms, rows, deliveries::Wait::No).await?;
                serde_json::to_value(detail)?
            }
            Op::Summary { site, days } => {
                self.set_meta(&db, META_SITE, &site)?;
                serde_json::to_value(days::summary(&db, &site, days, now_ms)?)?
            }
            Op::Inbox { site, query } => {
                self.set_meta(&db, META_SITE, &site)?;
                serde_json::to_value(inbox::page(self, &db, &site, &query, now_ms)?)?
            }
            Op::Case { site, entry } => {
                self.set_meta(&db, META_SITE, &site)?;
                serde_json::to_value(inbox::case(self, &db, &entry)?)?
            }
            Op::ChangedMany { site, entries } => {
                self.set_meta(&db, META_SITE, &site)?;
                for entry in &entries {
                    events::changed(&db, &site, entry, now_ms)?;
                    inbox::remember_assignee(self, &db, entry)?;
                }
                deliveries::run(self, now_ms, rows, deliveries::Wait::No).await?;
                Value::Null
            }
            Op::Alerts { site } => {
                self.set_meta(&db, META_SITE, &site)?;
                serde_json::to_value(inbox::alerts(&db)?)?
            }
            Op::TestEndpoint { site, endpoint, sample_id } => {
                self.set_meta(&db, META_SITE, &site)?;
                let detail = deliveries::test_alert(self, &db, &site, &endpoint, sample_id, now_ms).await?;
                serde_json::to_value(detail)?
            }
            Op::SetEvents { id, events } => serde_json::to_value(endpoints::set_events(&db, &id, events)?)?,
            Op::Import { site, entries } => {
                self.set_meta(&db, META_SITE, &site)?;
                events::import(&db, &site, &entries)?;
                deliveries::arm(self, &db, false).await?;
                Value::Null
            }
            Op::StopMail { entry, expires_ms } => {
                mails::stop(&db, &entry, now_ms, expires_ms)?;
                deliveries::arm(self, &db, false).await?;
                Value::Null
            }
            Op::RunDue => {
                deliveries::run(self, now_ms, rows, deliveries::Wait::Yes).await?;
                Value::Null
            }
            Op::Status => serde_json::to_value(self.status(&db).await?)?,
        };
        Ok(answer)
    }

    async fn status(&self, db: &Db<'_>) -> DeskResult<Status> {
        #[derive(serde::Deserialize)]
        struct Count {
            n: u64,
        }
        let count = |query: &str| -> DeskResult<u64> { Ok(db.row::<Count>(query, Vec::new())?.map_or(0, |c| c.n)) };
        let alarm = self.state.storage().get_alarm().await?;
        Ok(Status {
            alarm_ms: alarm.and_then(|ms| u64::try_from(ms).ok()),
            pending: count("SELECT COUNT(*) AS n FROM deliveries WHERE due_ms IS NOT NULL")?,
            unfixed: count("SELECT COUNT(*) AS n FROM failures")?,
            endpoints: count("SELECT COUNT(*) AS n FROM endpoints")?,
            test_offset_ms: self.meta(db, META_TEST_OFFSET)?.unwrap_or(0),
            mails: mails::all(db)?,
        })
    }
}

const META_SITE: &str = "site";
const META_TEST_OFFSET: &str = "test_offset_ms";
