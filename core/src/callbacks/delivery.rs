//! Deliveries: one message to one endpoint, every attempt at it, and the views the owner reads.

use super::escalation::EscalationStep;
use super::retry::{Outcome, next_attempt_ms};
use super::signing::derived_random;
use super::{EventType, iso8601};
use crate::entry::Entry;
use serde::{Deserialize, Serialize};

/// How long delivery records stay in the log (the site's desk deletes them then).
pub const DELIVERY_RETENTION_SECS: u64 = 30 * 86_400;

/// The ULID of the delivery of `event` about `entry` to `endpoint` (for `failure.overdue`, of
/// that escalation step); its `webhook-id` is `msg_{ulid}`. Derived, never random: doing the same
/// work twice (a replayed submission, an alarm run again after a restart) makes the same
/// delivery, so nothing is ever sent under two ids. The time part is when the event happened, so
/// the log sorts by it.
pub fn delivery_ulid(
    entry: &Entry,
    event: EventType,
    endpoint: &str,
    overdue: Option<EscalationStep>,
    now_ms: u64,
) -> String {
    let (time, random) = match overdue {
        Some(step) => (step.due_ms, derived_random(&[&entry.id, &step.step.to_string(), endpoint])),
        None => {
            let time = match event {
                EventType::FailureFixed => entry.fixed_ms.unwrap_or(now_ms),
                _ => entry.created_ms,
            };
            (time, derived_random(&[&entry.id, event.as_str(), endpoint]))
        }
    };
    crate::ids::entry_id(time, random)
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Waiting for its first or next attempt.
    Pending,
    Delivered,
    /// Out of retries, or the receiver said 410. The owner can replay it.
    Failed,
    /// Not sent because the failure was fixed (or deleted, or the endpoint removed) first.
    Cancelled,
}

/// One try at sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub at_ms: u64,
    /// The receiver's HTTP status; `None` for a timeout or network error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub latency_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Started by the owner's replay rather than by the schedule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replay: bool,
}

/// One message to one endpoint, with every attempt at it. The body is fixed when the delivery
/// is created, so every retry sends the same bytes under the same `webhook-id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The `webhook-id`: `msg_` and a ULID.
    pub id: String,
    pub site: String,
    pub endpoint: String,
    pub event: EventType,
    pub entry_id: String,
    pub created_ms: u64,
    /// What every attempt sends, rendered once when the delivery is made.
    pub message: super::render::Message,
    pub state: DeliveryState,
    #[serde(default)]
    pub attempts: Vec<Attempt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_ms: Option<u64>,
}

/// What the Worker must do after recording an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterAttempt {
    Delivered,
    RetryAt(u64),
    /// The schedule is exhausted: the endpoint is marked failing.
    Exhausted,
    /// The receiver answered 410: the endpoint is disabled.
    Disable,
    /// A replay failed: nothing more is scheduled; the owner sees the attempt.
    ReplayFailed,
}

impl Delivery {
    /// Records an attempt and decides what happens next. `jitter` feeds [`next_attempt_ms`].
    pub fn record(&mut self, attempt: Attempt, outcome: Outcome, jitter: u16) -> AfterAttempt {
        let now_ms = attempt.at_ms;
        let replay = attempt.replay;
        self.attempts.push(attempt);
        let scheduled_retries_done = self.attempts.iter().filter(|a| !a.replay).count().saturating_sub(1);
        let after = match outcome {
            Outcome::Delivered => AfterAttempt::Delivered,
            Outcome::Gone => AfterAttempt::Disable,
            Outcome::Retry { .. } if replay => AfterAttempt::ReplayFailed,
            Outcome::Retry { retry_after_secs } => {
                match next_attempt_ms(now_ms, scheduled_retries_done, jitter, retry_after_secs) {
                    Some(at) => AfterAttempt::RetryAt(at),
                    None => AfterAttempt::Exhausted,
                }
            }
        };
        (self.state, self.next_attempt_ms) = match after {
            AfterAttempt::Delivered => (DeliveryState::Delivered, None),
            AfterAttempt::RetryAt(at) => (DeliveryState::Pending, Some(at)),
            _ => (DeliveryState::Failed, None),
        };
        after
    }

    /// The compact summary of the delivery (one line of the owner's log).
    pub fn meta(&self) -> DeliveryMeta {
        DeliveryMeta::of(self.event, self.state, &self.attempts, self.next_attempt_ms, &self.entry_id, self.created_ms)
    }
}

/// List metadata of a delivery key (well under KV's 1,024 bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryMeta {
    /// Event type.
    pub e: EventType,
    /// State.
    pub s: DeliveryState,
    /// Attempts so far.
    pub n: u32,
    /// Last HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<u16>,
    /// Last latency (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub l: Option<u64>,
    /// Last attempt at (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t: Option<u64>,
    /// Next attempt at (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<u64>,
    /// Entry id.
    pub i: String,
    /// Created at (ms).
    pub m: u64,
}

/// One line of the owner's delivery log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: String,
    pub event: EventType,
    pub entry_id: String,
    pub state: DeliveryState,
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempt_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    pub created_at: String,
}

impl DeliveryView {
    pub fn of(id: String, meta: &DeliveryMeta) -> DeliveryView {
        DeliveryView {
            id,
            event: meta.e,
            entry_id: meta.i.clone(),
            state: meta.s,
            attempts: meta.n,
            last_status: meta.c,
            latency_ms: meta.l,
            last_attempt_at: meta.t.map(iso8601),
            next_attempt_at: meta.x.map(iso8601),
            created_at: iso8601(meta.m),
        }
    }
}

/// A delivery with all its attempts, for `GET …/deliveries/{id}` and replay answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeliveryDetail {
    #[serde(flatten)]
    pub summary: DeliveryView,
    pub attempt_log: Vec<AttemptView>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttemptView {
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub latency_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replay: bool,
}

impl DeliveryMeta {
    /// The summary of a delivery's record, from its parts (the site's desk keeps them as columns
    /// and reads the log without the messages).
    pub fn of(
        event: EventType,
        state: DeliveryState,
        attempts: &[Attempt],
        next_attempt_ms: Option<u64>,
        entry_id: &str,
        created_ms: u64,
    ) -> DeliveryMeta {
        let last = attempts.last();
        DeliveryMeta {
            e: event,
            s: state,
            n: attempts.len() as u32,
            c: last.and_then(|a| a.status),
            l: last.map(|a| a.latency_ms),
            t: last.map(|a| a.at_ms),
            x: next_attempt_ms,
            i: entry_id.to_owned(),
            m: created_ms,
        }
    }
}

impl DeliveryDetail {
    pub fn of(delivery: &Delivery) -> DeliveryDetail {
        DeliveryDetail::of_parts(delivery.id.clone(), &delivery.meta(), &delivery.attempts)
    }

    /// A delivery with every attempt, from its summary and attempts.
    pub fn of_parts(id: String, meta: &DeliveryMeta, attempts: &[Attempt]) -> DeliveryDetail {
        DeliveryDetail {
            summary: DeliveryView::of(id, meta),
            attempt_log: attempts
                .iter()
                .map(|a| AttemptView {
                    at: iso8601(a.at_ms),
                    status: a.status,
                    latency_ms: a.latency_ms,
                    error: a.error.clone(),
                    replay: a.replay,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::retry::{RETRY_DELAYS_SECS, outcome_of};

    fn delivery() -> Delivery {
        Delivery {
            id: "msg_x".into(),
            site: "s".into(),
            endpoint: "ep".into(),
            event: EventType::FailureReported,
            entry_id: "e".into(),
            created_ms: 0,
            message: crate::callbacks::Message::Http(crate::callbacks::HttpRequest {
                url: "https://hooks.example/x".into(),
                content_type: "application/json".into(),
                body: "{}".into(),
                signed: true,
            }),
            state: DeliveryState::Pending,
            attempts: Vec::new(),
            next_attempt_ms: None,
        }
    }

    fn attempt(at_ms: u64, status: Option<u16>) -> Attempt {
        Attempt { at_ms, status, latency_ms: 1, error: None, replay: false }
    }

    #[test]
    fn a_delivery_retries_until_delivered_or_exhausted() {
        let mut d = delivery();
        assert_eq!(d.record(attempt(0, Some(500)), outcome_of(500, None, 0), 0), AfterAttempt::RetryAt(60_000));
        assert_eq!(d.record(attempt(60_000, None), Outcome::Retry { retry_after_secs: None }, 0), {
            AfterAttempt::RetryAt(360_000)
        });
        assert_eq!(d.record(attempt(360_000, Some(200)), Outcome::Delivered, 0), AfterAttempt::Delivered);
        assert_eq!((d.state, d.meta().n, d.meta().c), (DeliveryState::Delivered, 3, Some(200)));

        let mut d = delivery();
        let mut last = AfterAttempt::Delivered;
        for i in 0..=RETRY_DELAYS_SECS.len() {
            last = d.record(attempt(i as u64, Some(500)), outcome_of(500, None, 0), 0);
        }
        assert_eq!((last, d.state, d.attempts.len()), (AfterAttempt::Exhausted, DeliveryState::Failed, 13));

        let mut d = delivery();
        assert_eq!(d.record(attempt(0, Some(410)), outcome_of(410, None, 0), 0), AfterAttempt::Disable);
        let replay = Attempt { replay: true, ..attempt(1, Some(500)) };
        assert_eq!(d.record(replay, outcome_of(500, None, 0), 0), AfterAttempt::ReplayFailed);
        let meta = serde_json::to_string(&d.meta()).unwrap();
        assert!(meta.len() < 300, "{meta}");
    }
}
