//! Callbacks (webhooks): endpoint registration, Standard Webhooks v1 signing, the retry and
//! overdue-escalation schedules, payload builders and the delivery record. Pure: the Worker
//! passes in time, randomness and jitter, and does the sending and the storing.
//!
//! The rule behind all of it: a failure that is not fixed keeps calling the owner back. So the
//! first attempt goes out at once, failed attempts are retried for more than three days, and an
//! unfixed failure re-fires `failure.overdue` at 1×, 2×, 4× and 8× its SLA and then every 8× the
//! fix SLA until it is fixed (or expires with the site's retention).
//!
//! The request and response bodies of the callback endpoints live here rather than in
//! [`crate::wire`], next to the rules that shape them.

use crate::entry::{Entry, Kind, Status};
use crate::site::{Site, Sla};
use crate::validation::{Fields, InputError, parse_object};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Prefix of every endpoint secret (Standard Webhooks convention).
pub const SECRET_PREFIX: &str = "whsec_";
/// Random bytes in a secret (192 bits; Standard Webhooks asks for 24 to 64).
pub const SECRET_BYTES: usize = 24;
/// Random bytes in an endpoint id.
pub const ENDPOINT_ID_BYTES: usize = 8;
/// Most endpoints one site may register.
pub const MAX_ENDPOINTS_PER_SITE: usize = 10;
/// Longest endpoint description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 200;
/// How long the previous secret keeps signing after a rotation, so receivers can switch over.
pub const ROTATED_SECRET_VALID_MS: u64 = 24 * 3_600_000;
/// A receiver has this long to answer before the attempt counts as failed.
pub const DEFAULT_TIMEOUT_MS: u64 = 15_000;
/// The cron takes up a promise of callbacks this long after it was made: longer than the work
/// after a response can take, short enough that a stopped invocation's work is done soon.
pub const LEASE_MS: u64 = 2 * 60_000;
/// The longest `Retry-After` we honour; beyond it the receiver would starve the retry schedule.
pub const MAX_RETRY_AFTER_SECS: u64 = 24 * 3_600;
/// How long delivery records stay in the log (KV deletes them then).
pub const DELIVERY_RETENTION_SECS: u64 = 30 * 86_400;
/// Largest request body a receiver gets (the comment caps it long before this).
pub const MAX_PAYLOAD_BYTES: usize = 32 * 1024;

/// Waits before each retry, in seconds: 1 m, 5 m, 30 m, 2 h, 5 h, then 10 h. Twelve retries
/// after the first attempt add up to 3 days 5.6 hours (before jitter, which only adds), so a
/// receiver may be down for three days and still get everything.
pub const RETRY_DELAYS_SECS: [u64; 12] =
    [60, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000];

/// The events an endpoint can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "failure.reported")]
    FailureReported,
    #[serde(rename = "failure.overdue")]
    FailureOverdue,
    #[serde(rename = "failure.fixed")]
    FailureFixed,
    #[serde(rename = "praise.received")]
    PraiseReceived,
}

impl EventType {
    pub const ALL: [EventType; 4] =
        [EventType::FailureReported, EventType::FailureOverdue, EventType::FailureFixed, EventType::PraiseReceived];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::FailureReported => "failure.reported",
            EventType::FailureOverdue => "failure.overdue",
            EventType::FailureFixed => "failure.fixed",
            EventType::PraiseReceived => "praise.received",
        }
    }

    pub fn parse(text: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.as_str() == text)
    }

    /// Events about a failure that is still open: once it is fixed they are never sent again,
    /// even when a retry was already scheduled.
    pub fn needs_unfixed_failure(self) -> bool {
        matches!(self, EventType::FailureReported | EventType::FailureOverdue)
    }
}

/// What the body of a callback looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `{type, timestamp, data}` JSON (Standard Webhooks).
    #[default]
    Standard,
    /// `{text}`: a Slack (or Mattermost, Teams workflow) incoming-webhook message.
    Slack,
}

/// Which hosts an endpoint URL may point at.
pub struct UrlRules<'a> {
    /// `http://127.0.0.1` and `http://localhost` are accepted (local development and tests only).
    pub allow_loopback: bool,
    /// The Worker's own host (`host[:port]`): a callback to ourselves could loop forever.
    pub own_host: &'a str,
}

/// The body of `POST /v1/sites/{site}/callbacks`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointInput {
    pub url: String,
    pub events: Vec<EventType>,
    pub format: Format,
    pub description: String,
}

impl EndpointInput {
    /// Parses a registration body, reporting every bad field.
    pub fn parse(body: &[u8], rules: &UrlRules<'_>) -> Result<EndpointInput, InputError> {
        let map = parse_object(body).map_err(InputError::Body)?;
        let mut fields = Fields::new(&map);
        let url = fields.required_string("url", crate::limits::MAX_URL_CHARS);
        if let Some(url) = &url
            && let Err(why) = check_url(url, rules)
        {
            fields.error("url", why);
        }
        let mut events = Vec::new();
        match fields.array("events", EventType::ALL.len() * 2) {
            Some(items) if items.is_empty() => fields.error("events", "must list at least one event type"),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    match item.as_str().and_then(EventType::parse) {
                        Some(event) if !events.contains(&event) => events.push(event),
                        Some(_) => {}
                        None => fields.error(
                            &format!("events[{i}]"),
                            "must be one of failure.reported, failure.overdue, failure.fixed, praise.received",
                        ),
                    }
                }
            }
            None => {
                if !map.contains_key("events") {
                    fields.error("events", "is required (e.g. [\"failure.reported\", \"failure.overdue\"])");
                }
            }
        }
        let format = match fields.string("format", 20) {
            None => Format::default(),
            Some(text) => match text.as_str() {
                "standard" => Format::Standard,
                "slack" => Format::Slack,
                _ => {
                    fields.error("format", "must be \"standard\" or \"slack\"");
                    Format::default()
                }
            },
        };
        let description = fields.string("description", MAX_DESCRIPTION_CHARS).unwrap_or_default();
        let errors = fields.finish();
        match url {
            Some(url) if errors.is_empty() => Ok(EndpointInput { url, events, format, description }),
            _ => Err(InputError::Fields(errors)),
        }
    }
}

/// Why a URL cannot be a callback endpoint, in words the owner can act on.
pub fn check_url(url: &str, rules: &UrlRules<'_>) -> Result<(), String> {
    let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
        ("https", rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        ("http", rest)
    } else {
        return Err("must be an https:// address".into());
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\')) {
        return Err("must not contain spaces, quotes or control characters".into());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("").to_ascii_lowercase();
    if authority.contains('@') {
        return Err("must not contain user name or password".into());
    }
    let host = host_of(&authority);
    let valid_host = !host.is_empty()
        && host.len() <= 253
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    if !valid_host {
        return Err("must have a valid host name".into());
    }
    let port_ok = match authority.strip_prefix(host).and_then(|p| p.strip_prefix(':')) {
        None => authority == host,
        Some(port) => port.parse::<u16>().is_ok_and(|p| p > 0),
    };
    if !port_ok {
        return Err("has a port that is not a number between 1 and 65535".into());
    }
    let own = rules.own_host.to_ascii_lowercase();
    if !own.is_empty() && (authority == own || (!is_loopback(host) && host == host_of(&own))) {
        return Err("must not point at tellus itself".into());
    }
    match (scheme, is_loopback(host)) {
        ("https", false) => Ok(()),
        (_, true) if rules.allow_loopback => Ok(()),
        (_, true) => Err("must not point at a loopback address".into()),
        _ => Err("must be an https:// address (plain http is accepted only for loopback in local development)".into()),
    }
}

/// The host of `host[:port]`, IPv6 literals (`[::1]:80`) included.
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or(authority);
    }
    authority.split(':').next().unwrap_or(authority)
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host == "[::1]" || host.starts_with("127.")
}

/// A registered endpoint, as stored (secrets included: we need them to sign).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub events: Vec<EventType>,
    pub format: Format,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub secret: String,
    /// The secret before the last rotation; it signs too until `previous_secret_until_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret_until_ms: Option<u64>,
    pub created_ms: u64,
    /// The tellus origin the endpoint was registered on: links in its messages point there
    /// (the cron has no request to take it from).
    #[serde(default)]
    pub origin: String,
    /// Why the endpoint stopped receiving (its receiver answered 410 Gone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<String>,
    /// Set when a delivery ran out of retries; cleared by the next success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_since_ms: Option<u64>,
}

impl Endpoint {
    pub fn new(id: String, input: EndpointInput, secret: String, origin: String, now_ms: u64) -> Endpoint {
        Endpoint {
            id,
            url: input.url,
            events: input.events,
            format: input.format,
            description: input.description,
            secret,
            previous_secret: None,
            previous_secret_until_ms: None,
            created_ms: now_ms,
            origin,
            disabled: None,
            failing_since_ms: None,
        }
    }

    /// Whether this endpoint gets an event now.
    pub fn wants(&self, event: EventType) -> bool {
        self.disabled.is_none() && self.events.contains(&event)
    }

    /// The secrets that sign a message sent now: the current one, and the previous one for
    /// 24 hours after a rotation (both signatures are sent; receivers accept either).
    pub fn signing_secrets(&self, now_ms: u64) -> Vec<&str> {
        let mut secrets = vec![self.secret.as_str()];
        if let (Some(old), Some(until)) = (&self.previous_secret, self.previous_secret_until_ms)
            && now_ms < until
        {
            secrets.push(old);
        }
        secrets
    }

    /// Replaces the secret; the old one keeps signing for [`ROTATED_SECRET_VALID_MS`].
    pub fn rotate(&mut self, new_secret: String, now_ms: u64) {
        let old = std::mem::replace(&mut self.secret, new_secret);
        self.previous_secret = Some(old);
        self.previous_secret_until_ms = Some(now_ms.saturating_add(ROTATED_SECRET_VALID_MS));
    }

    pub fn status(&self) -> &'static str {
        if self.disabled.is_some() {
            "disabled"
        } else if self.failing_since_ms.is_some() {
            "failing"
        } else {
            "active"
        }
    }

    /// What the owner sees: everything but the secrets.
    pub fn view(&self) -> EndpointView {
        EndpointView {
            id: self.id.clone(),
            url: self.url.clone(),
            events: self.events.clone(),
            format: self.format,
            description: self.description.clone(),
            status: self.status(),
            disabled_reason: self.disabled.clone(),
            failing_since: self.failing_since_ms.map(iso8601),
            previous_secret_valid_until: self.previous_secret_until_ms.map(iso8601),
            created_at: iso8601(self.created_ms),
        }
    }
}

/// An endpoint in owner answers (no secret).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: String,
    pub url: String,
    pub events: Vec<EventType>,
    pub format: Format,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// `active`, `failing` (a delivery ran out of retries) or `disabled` (the receiver said 410).
    pub status: &'static str,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret_valid_until: Option<String>,
    pub created_at: String,
}

/// A fresh endpoint secret: `whsec_` and the base64 of 24 random bytes.
pub fn new_secret(random: &[u8; SECRET_BYTES]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(random))
}

/// An endpoint id: `ep_` and 16 hex characters.
pub fn endpoint_id(random: &[u8; ENDPOINT_ID_BYTES]) -> String {
    let mut id = String::from("ep_");
    for byte in random {
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

/// Whether text has the shape of an endpoint id (checked before it becomes part of a KV key).
pub fn is_endpoint_id(text: &str) -> bool {
    text.strip_prefix("ep_").is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The `webhook-id` of a delivery: `msg_` and a ULID, so the id carries the delivery's time and
/// its log key can be derived from it.
pub fn message_id(ulid: &str) -> String {
    format!("msg_{ulid}")
}

/// The ULID inside a `webhook-id`.
pub fn ulid_of_message_id(id: &str) -> Option<&str> {
    id.strip_prefix("msg_").filter(|ulid| crate::ids::entry_id_time(ulid).is_some())
}

/// The random part of an overdue delivery's id, derived from what it is about, so two cron runs
/// that both process the same escalation step make the same `webhook-id` (receivers dedupe).
pub fn derived_random(parts: &[&str]) -> [u8; 10] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut out = [0u8; 10];
    out.copy_from_slice(&digest[..10]);
    out
}

/// `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` where the key is the base64-decoded
/// part of the secret after `whsec_`. `None` when the secret is not of that shape.
pub fn signature(secret: &str, msg_id: &str, timestamp_secs: u64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{msg_id}.{timestamp_secs}.").as_bytes());
    mac.update(body.as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header: one signature per secret, separated by spaces.
pub fn signature_header(secrets: &[&str], msg_id: &str, timestamp_secs: u64, body: &str) -> String {
    secrets.iter().filter_map(|secret| signature(secret, msg_id, timestamp_secs, body)).collect::<Vec<_>>().join(" ")
}

/// How an attempt ended, as far as the retry logic cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx.
    Delivered,
    /// 410 Gone: the receiver asks us to stop; the endpoint is disabled.
    Gone,
    /// Anything else (3xx: redirects are not followed; 4xx; 5xx; timeout; network error).
    /// `retry_after_secs` comes from a 429 or 5xx `Retry-After`.
    Retry { retry_after_secs: Option<u64> },
}

/// Classifies a receiver's answer. `retry_after` is the raw header, honoured for 429 and 5xx;
/// `now_ms` is the real time of the answer (for the HTTP-date form).
pub fn outcome_of(status: u16, retry_after: Option<&str>, now_ms: u64) -> Outcome {
    match status {
        200..=299 => Outcome::Delivered,
        410 => Outcome::Gone,
        429 | 500..=599 => Outcome::Retry { retry_after_secs: retry_after.and_then(|v| parse_retry_after(v, now_ms)) },
        _ => Outcome::Retry { retry_after_secs: None },
    }
}

/// `Retry-After` as seconds from `now_ms`: delta-seconds, or an HTTP date (IMF-fixdate,
/// `Sun, 06 Nov 1994 08:49:37 GMT`, the form RFC 9110 says senders use); a date in the past
/// means no wait. Capped at [`MAX_RETRY_AFTER_SECS`]. Anything else is ignored, and the normal
/// schedule applies.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    let secs = match value.parse::<u64>() {
        Ok(secs) => secs,
        Err(_) => http_date_secs(value)?.saturating_sub(now_ms / 1000),
    };
    Some(secs.min(MAX_RETRY_AFTER_SECS))
}

/// Seconds since the epoch of an IMF-fixdate.
fn http_date_secs(value: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut parts = value.split(' ');
    let (weekday, day, month, year, time, zone) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !weekday.ends_with(',') || zone != "GMT" || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let day: u64 = day.parse().ok()?;
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let year: u64 = year.parse().ok()?;
    let mut clock = time.split(':').map(|n| if n.len() == 2 { n.parse::<u64>().ok() } else { None });
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || !(1..=31).contains(&day) || year < 1970 || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = u64::try_from(crate::owner::days_from_civil(year as i64, month as u32, day as u32)).ok()?;
    Some(days * 86_400 + h * 3_600 + m * 60 + s)
}

/// When retry number `retries_done + 1` is due, or `None` when the schedule is exhausted.
/// `jitter` (uniform over `u16`) adds 0–10 % so that many deliveries failing together (a
/// receiver's outage) do not all come back in the same minute. A `Retry-After` longer than the
/// scheduled wait replaces it.
pub fn next_attempt_ms(now_ms: u64, retries_done: usize, jitter: u16, retry_after_secs: Option<u64>) -> Option<u64> {
    let base_ms = RETRY_DELAYS_SECS.get(retries_done)? * 1000;
    let jittered = base_ms + base_ms * u64::from(jitter) / u64::from(u16::MAX) / 10;
    let wait = jittered.max(retry_after_secs.unwrap_or(0) * 1000);
    Some(now_ms.saturating_add(wait))
}

/// Which SLA clock an escalation step measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlaClock {
    Acknowledge,
    Fix,
}

/// One step of the overdue escalation of a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscalationStep {
    /// 0-based position in the schedule (part of the queue key and of the message id).
    pub step: u32,
    pub clock: SlaClock,
    /// How many times the SLA target has passed (1, 2, 4, 8, then 16, 24, … for fixing).
    pub multiple: u32,
    pub due_ms: u64,
}

impl EscalationStep {
    /// Whether this step fires for a failure in this state: never once fixed; an acknowledge
    /// step only while unacknowledged; a fix step while unfixed.
    pub fn applies(&self, status: Option<Status>) -> bool {
        matches!((status, self.clock), (Some(Status::Open), _) | (Some(Status::Acknowledged), SlaClock::Fix))
    }
}

/// Steps past this are not scheduled (with a one-minute fix SLA that is still 12 hours of
/// escalation; with the default of one day, more than a year).
const MAX_ESCALATION_STEPS: u32 = 100;

/// The overdue escalation schedule of a failure created at `created_ms`: the acknowledge SLA at
/// 1×, 2×, 4×, 8×, and the fix SLA at 1×, 2×, 4×, 8×, then every further 8×, merged in time
/// order. When both clocks fall due at the same moment only the fix step is kept (it fires in
/// every state the acknowledge step would).
pub fn escalation_schedule(created_ms: u64, sla: Sla) -> impl Iterator<Item = EscalationStep> {
    let ack_ms = u64::from(sla.acknowledge_minutes) * 60_000;
    let fix_ms = u64::from(sla.fix_minutes) * 60_000;
    let ack = [1u32, 2, 4, 8].into_iter().map(move |m| (SlaClock::Acknowledge, m, created_ms + ack_ms * u64::from(m)));
    let fix_multiple = |i: u32| if i < 4 { 1u32 << i } else { 8 * (i - 2) };
    let fix = (0..MAX_ESCALATION_STEPS)
        .map(fix_multiple)
        .map(move |m| (SlaClock::Fix, m, created_ms + fix_ms * u64::from(m)));
    let mut ack = ack.peekable();
    let mut fix = fix.peekable();
    let mut step = 0u32;
    std::iter::from_fn(move || {
        if step >= MAX_ESCALATION_STEPS {
            return None;
        }
        let next = match (ack.peek().copied(), fix.peek().copied()) {
            (Some(a), Some(f)) if a.2 < f.2 => ack.next(),
            (Some(a), Some(f)) if a.2 == f.2 => {
                ack.next();
                fix.next()
            }
            (_, Some(_)) => fix.next(),
            (Some(_), None) => ack.next(),
            (None, None) => None,
        }?;
        let out = EscalationStep { step, clock: next.0, multiple: next.1, due_ms: next.2 };
        step += 1;
        Some(out)
    })
}

/// The escalation step `step` of a failure.
pub fn escalation_step(created_ms: u64, sla: Sla, step: u32) -> Option<EscalationStep> {
    escalation_schedule(created_ms, sla).nth(step as usize)
}

/// For a cron run at `now_ms` that found step `from` due: the latest step due by now (the one
/// to fire: after a long pause one overdue callback says how late it is, not eight in a row),
/// and the first step after now (the one to schedule).
pub fn escalation_catch_up(
    created_ms: u64,
    sla: Sla,
    from: u32,
    now_ms: u64,
) -> (Option<EscalationStep>, Option<EscalationStep>) {
    let mut current = None;
    for step in escalation_schedule(created_ms, sla).skip(from as usize) {
        if step.due_ms > now_ms {
            return (current, Some(step));
        }
        current = Some(step);
    }
    (current, None)
}

/// Where a failure stands against its SLA.
pub fn sla_state(entry: &Entry, sla: Sla, now_ms: u64) -> &'static str {
    let ack_by = entry.created_ms + u64::from(sla.acknowledge_minutes) * 60_000;
    let fix_by = entry.created_ms + u64::from(sla.fix_minutes) * 60_000;
    match entry.status {
        None => "none",
        Some(Status::Fixed) => {
            if entry.fixed_ms.unwrap_or(u64::MAX) <= fix_by {
                "fixed_on_time"
            } else {
                "fixed_late"
            }
        }
        Some(_) if now_ms > fix_by => "fix_overdue",
        Some(Status::Open) if now_ms > ack_by => "acknowledge_overdue",
        Some(_) => "on_time",
    }
}

/// Everything a payload is built from.
pub struct EventContext<'a> {
    pub event: EventType,
    pub entry: &'a Entry,
    pub site: &'a Site,
    /// The tellus origin the owner's summary page is served from, e.g. `https://tellus.example`.
    pub origin: &'a str,
    pub now_ms: u64,
    /// The escalation step, for `failure.overdue`.
    pub overdue: Option<EscalationStep>,
}

impl EventContext<'_> {
    /// The link to the entry on the owner's summary page.
    pub fn link(&self) -> String {
        format!("{}/s/{}#entry-{}", self.origin.trim_end_matches('/'), self.site.id, self.entry.id)
    }

    /// The Standard Webhooks payload: `{type, timestamp, data}`.
    /// The customer's consented contact details, for failure events only: they exist so the
    /// owner can call a customer back about a failure, so they only go to endpoints subscribed
    /// to failures (never with `praise.received`, even if a happy customer left them).
    fn contact(&self) -> Option<&crate::entry::Contact> {
        self.entry.contact.as_ref().filter(|_| self.event != EventType::PraiseReceived)
    }

    pub fn payload(&self) -> Value {
        let entry = self.entry;
        let sla = self.site.settings.sla;
        let mut data = json!({
            "entry_id": entry.id,
            "site": { "id": self.site.id, "name": self.site.settings.name },
            "kind": entry.kind,
            "status": entry.status,
            "scale": entry.scale,
            "rating": entry.rating,
            "dimensions": entry.dimensions,
            "comment": entry.comment,
            "touchpoint": entry.touchpoint,
            "lang": entry.lang,
            "created_at": iso8601(entry.created_ms),
            "age_seconds": self.now_ms.saturating_sub(entry.created_ms) / 1000,
            "link": self.link(),
        });
        if let Some(map) = data.as_object_mut() {
            // Contact details exist only when the customer consented; they are passed on so the
            // owner can call back, and only then.
            if let Some(contact) = self.contact() {
                map.insert("contact".into(), json!(contact));
            }
            if entry.kind == Kind::Failure {
                map.insert(
                    "sla".into(),
                    json!({
                        "acknowledge_minutes": sla.acknowledge_minutes,
                        "fix_minutes": sla.fix_minutes,
                        "acknowledge_by": iso8601(entry.created_ms + u64::from(sla.acknowledge_minutes) * 60_000),
                        "fix_by": iso8601(entry.created_ms + u64::from(sla.fix_minutes) * 60_000),
                        "acknowledged_at": entry.acknowledged_ms.map(iso8601),
                        "fixed_at": entry.fixed_ms.map(iso8601),
                        "state": sla_state(entry, sla, self.now_ms),
                    }),
                );
            }
            if let Some(step) = self.overdue {
                map.insert("overdue".into(), json!({ "clock": step.clock, "multiple": step.multiple }));
            }
            if self.event == EventType::FailureFixed && !entry.fix_note.is_empty() {
                map.insert("fix_note".into(), json!(entry.fix_note));
            }
        }
        json!({ "type": self.event.as_str(), "timestamp": iso8601(self.now_ms), "data": data })
    }

    /// A Slack incoming-webhook body: one line of what happened and a link to act on it.
    pub fn slack(&self) -> Value {
        let entry = self.entry;
        let site = slack_escape(&self.site.settings.name);
        let rating = format!("{}/{}", entry.rating, entry.scale.max());
        let headline = match self.event {
            EventType::FailureReported => format!(":rotating_light: New failure on *{site}* (rating {rating})"),
            EventType::FailureOverdue => {
                let (clock, multiple) = self
                    .overdue
                    .map(|s| (if s.clock == SlaClock::Fix { "fix" } else { "acknowledge" }, s.multiple))
                    .unwrap_or(("fix", 1));
                format!(
                    ":alarm_clock: Failure on *{site}* is overdue: {multiple}× the {clock} target (rating {rating})"
                )
            }
            EventType::FailureFixed => format!(":white_check_mark: Failure on *{site}* fixed (rating {rating})"),
            EventType::PraiseReceived => format!(":tada: Praise on *{site}* (rating {rating})"),
        };
        let mut lines = vec![headline];
        if !entry.comment.is_empty() {
            let comment: String = entry.comment.chars().take(500).collect();
            lines.push(format!("> {}", slack_escape(&comment).replace('\n', "\n> ")));
        }
        if !entry.dimensions.is_empty() {
            let dims: Vec<&str> = entry.dimensions.iter().map(|d| d.as_str()).collect();
            lines.push(format!("What went wrong: {}", dims.join(", ")));
        }
        if let Some(page) = &entry.touchpoint.page {
            lines.push(format!("Page: {}", slack_escape(page)));
        }
        if let Some(contact) = self.contact() {
            let parts: Vec<String> = [&contact.name, &contact.email, &contact.phone]
                .into_iter()
                .flatten()
                .map(|s| slack_escape(s))
                .collect();
            if !parts.is_empty() {
                lines.push(format!("Contact: {}", parts.join(" · ")));
            }
        }
        lines.push(format!("<{}|Open the entry>", self.link()));
        json!({ "text": lines.join("\n") })
    }

    /// The body sent to an endpoint of this format.
    pub fn body(&self, format: Format) -> String {
        let value = match format {
            Format::Standard => self.payload(),
            Format::Slack => self.slack(),
        };
        value.to_string()
    }
}

/// Slack's mrkdwn needs `&`, `<` and `>` escaped; customer text must not become a link.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
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
    pub body: String,
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

    /// Compact KV list metadata, so the delivery log is one list with no per-key reads.
    pub fn meta(&self) -> DeliveryMeta {
        let last = self.attempts.last();
        DeliveryMeta {
            e: self.event,
            s: self.state,
            n: self.attempts.len() as u32,
            c: last.and_then(|a| a.status),
            l: last.map(|a| a.latency_ms),
            t: last.map(|a| a.at_ms),
            x: self.next_attempt_ms,
            i: self.entry_id.clone(),
            m: self.created_ms,
        }
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

impl DeliveryDetail {
    pub fn of(delivery: &Delivery) -> DeliveryDetail {
        DeliveryDetail {
            summary: DeliveryView::of(delivery.id.clone(), &delivery.meta()),
            attempt_log: delivery
                .attempts
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

/// RFC 3339 UTC time with milliseconds, e.g. `2026-11-23T05:35:20.123Z`.
pub fn iso8601(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm), valid for every u64 millisecond we meet.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3600, rem % 3600 / 60, rem % 60, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{Contact, Dimension, Scale, Touchpoint};
    use crate::site::SiteSettings;

    const LOCAL: UrlRules<'static> = UrlRules { allow_loopback: true, own_host: "127.0.0.1:8787" };
    const PROD: UrlRules<'static> = UrlRules { allow_loopback: false, own_host: "tellus.example" };

    #[test]
    fn signature_matches_the_standard_webhooks_known_answer() {
        // The test vector of the Standard Webhooks reference libraries.
        let sig = signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig.as_deref(), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        assert_eq!(signature("not-a-secret", "msg", 1, "{}"), None);
    }

    #[test]
    fn a_rotated_endpoint_signs_with_both_secrets_for_a_day() {
        let input = EndpointInput {
            url: "https://hooks.example/x".into(),
            events: vec![EventType::FailureReported],
            format: Format::Standard,
            description: String::new(),
        };
        let mut endpoint = Endpoint::new(endpoint_id(&[1; 8]), input, new_secret(&[1; 24]), String::new(), 0);
        assert_eq!(endpoint.signing_secrets(10).len(), 1);
        endpoint.rotate(new_secret(&[2; 24]), 1_000);
        assert_eq!(endpoint.signing_secrets(2_000), vec![new_secret(&[2; 24]), new_secret(&[1; 24])]);
        assert_eq!(endpoint.signing_secrets(1_000 + ROTATED_SECRET_VALID_MS).len(), 1);
        let header = signature_header(&endpoint.signing_secrets(2_000), "msg_x", 5, "{}");
        assert_eq!(header.split(' ').filter(|s| s.starts_with("v1,")).count(), 2);
    }

    #[test]
    fn secrets_and_ids_have_their_shapes() {
        let secret = new_secret(&[7; SECRET_BYTES]);
        assert!(secret.starts_with("whsec_"));
        assert_eq!(STANDARD.decode(&secret[6..]).map(|b| b.len()).unwrap_or(0), SECRET_BYTES);
        assert!(is_endpoint_id(&endpoint_id(&[0xab; 8])));
        assert!(!is_endpoint_id("ep_../../x"));
        let id = message_id(&crate::ids::entry_id(1_700_000_000_000, [3; 10]));
        assert!(ulid_of_message_id(&id).is_some());
        assert!(ulid_of_message_id("msg_nope").is_none());
    }

    #[test]
    fn urls_are_https_except_loopback_in_development_and_never_tellus_itself() {
        assert!(check_url("https://hooks.example/tellus?x=1", &PROD).is_ok());
        assert!(check_url("https://hooks.example:8443/", &PROD).is_ok());
        assert!(check_url("http://hooks.example/", &PROD).is_err());
        assert!(check_url("http://127.0.0.1:9000/hook", &PROD).is_err());
        assert!(check_url("http://127.0.0.1:9000/hook", &LOCAL).is_ok());
        assert!(check_url("http://localhost:9000/hook", &LOCAL).is_ok());
        assert!(check_url("http://127.0.0.1:8787/v1/health", &LOCAL).is_err());
        assert!(check_url("https://tellus.example/x", &PROD).is_err());
        assert!(check_url("https://TELLUS.example:444/x", &PROD).is_err());
        assert!(check_url("https://user:pw@hooks.example/", &PROD).is_err());
        assert!(check_url("https://hooks.example:99999/", &PROD).is_err());
        assert!(check_url("https://hooks example/", &PROD).is_err());
        assert!(check_url("ftp://hooks.example/", &PROD).is_err());
        assert!(check_url("https:///path", &PROD).is_err());
    }

    #[test]
    fn registration_reports_every_bad_field() {
        let body = br#"{"url":"http://hooks.example","events":["failure.reported","nope"],"format":"teams","x":1}"#;
        let Err(InputError::Fields(errors)) = EndpointInput::parse(body, &PROD) else { panic!("expected errors") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["url", "events[1]", "format", "x"]);
        let Err(InputError::Fields(errors)) = EndpointInput::parse(b"{}", &PROD) else { panic!("expected errors") };
        assert_eq!(errors.len(), 2);
        let ok = EndpointInput::parse(
            br#"{"url":"https://hooks.example","events":["praise.received","praise.received"],"format":"slack"}"#,
            &PROD,
        );
        assert_eq!(ok.map(|i| (i.events, i.format)), Ok((vec![EventType::PraiseReceived], Format::Slack)));
    }

    #[test]
    fn retries_follow_the_schedule_for_more_than_three_days() {
        let mut at = 0;
        for retries in 0..RETRY_DELAYS_SECS.len() {
            at = next_attempt_ms(at, retries, 0, None).unwrap_or(u64::MAX);
        }
        assert!(at >= 3 * 86_400_000, "{at}");
        assert_eq!(next_attempt_ms(0, RETRY_DELAYS_SECS.len(), 0, None), None);
        assert_eq!(next_attempt_ms(1_000, 0, 0, None), Some(61_000));
        assert_eq!(next_attempt_ms(0, 0, u16::MAX, None), Some(66_000));
        assert_eq!(next_attempt_ms(0, 1, 0, None), Some(300_000));
        // Retry-After wins when it is longer, and is capped at a day.
        assert_eq!(next_attempt_ms(0, 0, 0, Some(600)), Some(600_000));
        assert_eq!(next_attempt_ms(0, 0, 0, Some(10)), Some(60_000));
        assert_eq!(parse_retry_after("999999", 0), Some(MAX_RETRY_AFTER_SECS));
        // 2015-10-21T07:28:00Z is 1445412480; an answer 100 s before it waits 100 s.
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(parse_retry_after(date, (1_445_412_480 - 100) * 1000), Some(100));
        assert_eq!(parse_retry_after(date, (1_445_412_480 + 5) * 1000), Some(0), "a past date: no wait");
        assert_eq!(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0), Some(0));
        assert_eq!(http_date_secs("Tue, 29 Feb 2028 23:59:59 GMT"), Some(1_835_481_599));
        for bad in [
            "Wed, 21 Oct 2015 07:28:00 CET",
            "21 Oct 2015 07:28:00 GMT",
            "Wed, 21 Foo 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 7:28:00 GMT",
            "Wednesday, 21-Oct-15 07:28:00 GMT",
            "soon",
            "",
        ] {
            assert_eq!(parse_retry_after(bad, 0), None, "{bad:?}");
        }
    }

    #[test]
    fn answers_are_classified() {
        assert_eq!(outcome_of(200, None, 0), Outcome::Delivered);
        assert_eq!(outcome_of(204, None, 0), Outcome::Delivered);
        assert_eq!(outcome_of(410, None, 0), Outcome::Gone);
        assert_eq!(outcome_of(301, Some("5"), 0), Outcome::Retry { retry_after_secs: None });
        assert_eq!(outcome_of(429, Some("120"), 0), Outcome::Retry { retry_after_secs: Some(120) });
        assert_eq!(outcome_of(503, Some("7"), 0), Outcome::Retry { retry_after_secs: Some(7) });
        assert_eq!(outcome_of(400, Some("7"), 0), Outcome::Retry { retry_after_secs: None });
    }

    fn delivery() -> Delivery {
        Delivery {
            id: "msg_x".into(),
            site: "s".into(),
            endpoint: "ep".into(),
            event: EventType::FailureReported,
            entry_id: "e".into(),
            created_ms: 0,
            body: "{}".into(),
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
        let meta = serde_json::to_string(&d.meta()).unwrap_or_default();
        assert!(meta.len() < 300, "{meta}");
    }

    #[test]
    fn escalation_runs_at_one_two_four_eight_times_the_sla_and_then_keeps_going() {
        let sla = Sla { acknowledge_minutes: 60, fix_minutes: 24 * 60 };
        let steps: Vec<(SlaClock, u32, u64)> =
            escalation_schedule(0, sla).take(10).map(|s| (s.clock, s.multiple, s.due_ms / 60_000)).collect();
        use SlaClock::{Acknowledge as A, Fix as F};
        assert_eq!(
            steps,
            vec![
                (A, 1, 60),
                (A, 2, 120),
                (A, 4, 240),
                (A, 8, 480),
                (F, 1, 1440),
                (F, 2, 2880),
                (F, 4, 5760),
                (F, 8, 11520),
                (F, 16, 23040),
                (F, 24, 34560)
            ]
        );
        // Equal due times collapse into the fix step.
        let same = Sla { acknowledge_minutes: 1, fix_minutes: 2 };
        let steps: Vec<(SlaClock, u32, u64)> =
            escalation_schedule(0, same).take(4).map(|s| (s.clock, s.multiple, s.due_ms / 60_000)).collect();
        assert_eq!(steps, vec![(A, 1, 1), (F, 1, 2), (F, 2, 4), (F, 4, 8)]);
        assert_eq!(escalation_schedule(0, same).count(), MAX_ESCALATION_STEPS as usize);
        assert_eq!(escalation_step(0, sla, 4).map(|s| s.clock), Some(F));
    }

    #[test]
    fn a_late_cron_fires_one_overdue_step_and_schedules_the_next() {
        let sla = Sla { acknowledge_minutes: 60, fix_minutes: 24 * 60 };
        let (current, next) = escalation_catch_up(0, sla, 0, 300 * 60_000);
        assert_eq!(current.map(|s| s.multiple), Some(4));
        assert_eq!(next.map(|s| (s.multiple, s.step)), Some((8, 3)));
        let (current, next) = escalation_catch_up(0, sla, 0, 59 * 60_000);
        assert_eq!((current, next.map(|s| s.step)), (None, Some(0)));
    }

    #[test]
    fn steps_apply_only_while_their_clock_runs() {
        let ack = EscalationStep { step: 0, clock: SlaClock::Acknowledge, multiple: 1, due_ms: 0 };
        let fix = EscalationStep { clock: SlaClock::Fix, ..ack };
        assert!(ack.applies(Some(Status::Open)));
        assert!(!ack.applies(Some(Status::Acknowledged)));
        assert!(fix.applies(Some(Status::Acknowledged)));
        assert!(!fix.applies(Some(Status::Fixed)));
        assert!(!fix.applies(None));
    }

    fn site() -> Site {
        let settings = SiteSettings::parse(br#"{"name":"Shop <&>","allowed_origins":["https://shop.example"]}"#);
        Site { id: "site1".into(), created_ms: 0, owner_key_hash: String::new(), settings: settings.unwrap() }
    }

    fn entry() -> Entry {
        Entry {
            id: "01jd0000000000000000000000".into(),
            site: "site1".into(),
            created_ms: 1_700_000_000_000,
            scale: Scale::Csat,
            rating: 1,
            kind: Kind::Failure,
            status: Some(Status::Open),
            comment: "Cold <b>food</b>".into(),
            dimensions: vec![Dimension::Reliability],
            touchpoint: Touchpoint { page: Some("/checkout".into()), ..Touchpoint::default() },
            contact: Some(Contact {
                name: Some("Ann".into()),
                email: Some("ann@example.com".into()),
                phone: None,
                channel: None,
            }),
            lang: "en".into(),
            receipt_token: "secret-token".into(),
            acknowledged_ms: None,
            fixed_ms: None,
            fix_note: String::new(),
            reply: None,
            rerating: None,
        }
    }

    #[test]
    fn the_payload_carries_what_the_owner_needs_to_call_back() {
        let (site, entry) = (site(), entry());
        let ctx = EventContext {
            event: EventType::FailureReported,
            entry: &entry,
            site: &site,
            origin: "https://tellus.example/",
            now_ms: entry.created_ms + 61 * 60_000,
            overdue: None,
        };
        let payload = ctx.payload();
        assert_eq!(payload["type"], "failure.reported");
        assert_eq!(payload["timestamp"], "2023-11-14T23:14:20.000Z");
        let data = &payload["data"];
        assert_eq!(data["entry_id"], entry.id);
        assert_eq!(data["site"]["id"], "site1");
        assert_eq!(data["rating"], 1);
        assert_eq!(data["dimensions"][0], "reliability");
        assert_eq!(data["touchpoint"]["page"], "/checkout");
        assert_eq!(data["contact"]["email"], "ann@example.com");
        assert_eq!(data["age_seconds"], 3660);
        assert_eq!(data["sla"]["state"], "acknowledge_overdue");
        assert_eq!(data["link"], "https://tellus.example/s/site1#entry-01jd0000000000000000000000");
        assert!(!payload.to_string().contains("secret-token"), "the receipt token stays private");

        let praise = EventContext { event: EventType::PraiseReceived, ..ctx };
        assert!(praise.payload()["data"].get("contact").is_none(), "contact goes with failures only");
        assert!(!praise.slack().to_string().contains("ann@example.com"), "contact goes with failures only");

        let mut no_contact = entry.clone();
        no_contact.contact = None;
        let ctx = EventContext { entry: &no_contact, ..ctx };
        assert!(ctx.payload()["data"].get("contact").is_none());

        let slack = ctx.slack()["text"].as_str().unwrap_or_default().to_owned();
        assert!(slack.contains("Shop &lt;&amp;&gt;") && slack.contains("Cold &lt;b&gt;food"), "{slack}");
        assert!(slack.contains("|Open the entry>"), "{slack}");
    }

    #[test]
    fn sla_state_follows_the_clocks() {
        let sla = Sla { acknowledge_minutes: 60, fix_minutes: 120 };
        let mut e = entry();
        let t0 = e.created_ms;
        assert_eq!(sla_state(&e, sla, t0 + 1), "on_time");
        assert_eq!(sla_state(&e, sla, t0 + 61 * 60_000), "acknowledge_overdue");
        assert_eq!(sla_state(&e, sla, t0 + 121 * 60_000), "fix_overdue");
        e.fix(t0 + 30 * 60_000, String::new()).unwrap();
        assert_eq!(sla_state(&e, sla, t0 + 999 * 60_000), "fixed_on_time");
    }

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(1_614_265_330_123), "2021-02-25T15:02:10.123Z");
    }

    #[test]
    fn overdue_ids_are_the_same_for_the_same_step() {
        assert_eq!(derived_random(&["e", "1", "ep"]), derived_random(&["e", "1", "ep"]));
        assert_ne!(derived_random(&["e", "1", "ep"]), derived_random(&["e", "2", "ep"]));
    }
}
