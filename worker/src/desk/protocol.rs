//! What the Worker asks a site's desk (its Durable Object) and what the desk answers: JSON over
//! the object's `fetch`, one call per request. Both sides are this crate, so the types are
//! shared; the rules they carry out are core's.

use serde::{Deserialize, Serialize};
use tellus_core::callbacks::{DeliveryView, Endpoint, EventType};
use tellus_core::entry::Entry;
use tellus_core::inbox::InboxQuery;
use tellus_core::site::Site;

/// One call: the caller's clock and what to do.
#[derive(Debug, Serialize, Deserialize)]
pub struct Call {
    /// The request's clock (the test clock's offset included, on local Workers).
    pub now_ms: u64,
    /// The test clock's offset, so the desk's own alarms run on the same clock (local Workers
    /// with `ALLOW_TEST_CLOCK=1` only; always 0 in production).
    #[serde(default)]
    pub test_offset_ms: u64,
    /// The public origin of the tellus host (`https://tellus.example`), for links in what the
    /// desk makes (the customer's emails).
    #[serde(default)]
    pub origin: String,
    pub op: Op,
}

/// What a call asks. Every op that changes something is idempotent: a request retried after a
/// lost answer, or a replayed submission, changes nothing the first call did not.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// An entry was stored in KV (or a replay of it arrived): count it, index an unfixed failure,
    /// and send `failure.reported` / `praise.received` to the endpoints that want it.
    Stored {
        site: Box<Site>,
        entry: Box<Entry>,
        /// Tests only: leave the first attempts to the alarm, as if the desk stopped at once.
        #[serde(default)]
        hold: bool,
    },
    /// An owner action or a re-rating changed a stored entry (already written to KV).
    Changed {
        site: Box<Site>,
        entry: Box<Entry>,
    },
    /// The owner erased an entry (already deleted from KV).
    Erased {
        site: Box<Site>,
        entry: Box<Entry>,
    },
    /// A tell-others click.
    Clicked {
        site: Box<Site>,
        target: String,
    },
    /// The owner changed the site's settings (its SLA, retention, name: what the desk's alarms
    /// render and schedule with).
    Settings {
        site: Box<Site>,
    },
    /// The site's endpoints, secrets included (the caller shows views only).
    Endpoints,
    AddEndpoint {
        site: Box<Site>,
        endpoint: Box<Endpoint>,
    },
    RemoveEndpoint {
        id: String,
    },
    /// A new secret; the old one keeps signing for a day.
    RotateSecret {
        id: String,
        secret: String,
    },
    /// One page of an endpoint's delivery log, newest first.
    Deliveries {
        endpoint: String,
        cursor: Option<String>,
        limit: u32,
    },
    Delivery {
        endpoint: String,
        id: String,
    },
    /// Sends a failed delivery again now and answers with its record.
    Replay {
        site: Box<Site>,
        endpoint: String,
        id: String,
    },
    /// The summary of the last `days` days (and the `days` before).
    Summary {
        site: Box<Site>,
        days: u32,
    },
    /// One page of the owner's inbox.
    Inbox {
        site: Box<Site>,
        query: Box<InboxQuery>,
    },
    /// What a case view shows besides the entry: its deliveries, the remembered teammates.
    Case {
        site: Box<Site>,
        entry: String,
    },
    /// Several entries changed at once (the inbox's bulk acknowledge); each as [`Op::Changed`].
    ChangedMany {
        site: Box<Site>,
        entries: Vec<Entry>,
    },
    /// Every endpoint with its newest deliveries (the alerts page).
    Alerts {
        site: Box<Site>,
    },
    /// Sends a sample alert to one endpoint now (see `deliveries::test_alert`).
    TestEndpoint {
        site: Box<Site>,
        endpoint: String,
        /// The made-up failure's id (random, so each test is its own message).
        sample_id: String,
    },
    /// Changes which events an endpoint gets.
    SetEvents {
        id: String,
        events: Vec<EventType>,
    },
    /// The customer asked for no more emails about an entry (the Worker checked their receipt
    /// token): none is made from now on, and pending ones are cancelled. `expires_ms`: the
    /// entry's expiry, when the stop is forgotten with it.
    StopMail {
        entry: String,
        expires_ms: u64,
    },
    /// Tests only: run what is due now, and wait for the attempts it starts.
    RunDue,
    /// Tests only: take in entries written straight into KV (the scale test's seeded site) as
    /// if each had been stored through the API, without sending anything.
    Import {
        site: Box<Site>,
        entries: Vec<Entry>,
    },
    /// Tests only: the desk's alarm and what it holds.
    Status,
}

/// Header of every desk answer: the SQLite rows the call read and wrote, so the Worker can count
/// them with its own operations (`read=3;written=5`).
pub const HEADER_ROWS: &str = "x-tellus-desk-rows";

/// The desk's own state, for tests (`Op::Status`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Status {
    /// When the alarm fires (real time, ms), if one is set.
    pub alarm_ms: Option<u64>,
    /// Deliveries waiting for an attempt.
    pub pending: u64,
    /// Unfixed failures (the escalation index).
    pub unfixed: u64,
    pub endpoints: u64,
    /// The test clock's offset the desk runs on.
    pub test_offset_ms: u64,
    /// Every email the desk holds, with its exact message (what the binding was handed).
    #[serde(default)]
    pub mails: Vec<super::mails::MailView>,
}

/// One page of an endpoint's delivery log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeliveriesPage {
    pub deliveries: Vec<DeliveryView>,
    /// Where the next page starts; `None` on the last.
    pub cursor: Option<String>,
}
