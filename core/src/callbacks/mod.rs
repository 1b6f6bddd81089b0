//! Callbacks (webhooks): the rules of telling the owner, split by concern. Pure: the Worker
//! passes in time, randomness and jitter, and does the sending and the storing (in the site's
//! Durable Object).
//!
//! The rule behind all of it: a failure that is not fixed keeps calling the owner back. So the
//! first attempt goes out at once, failed attempts are retried for more than three days, and an
//! unfixed failure re-fires `failure.overdue` at 1×, 2×, 4× and 8× its SLA and then every 8× the
//! fix SLA until it is fixed (or expires with the site's retention).
//!
//! - [`endpoint`]: registration input, URL rules, the stored endpoint and its health.
//! - [`signing`]: Standard Webhooks v1 signatures and message ids.
//! - [`retry`]: how an answer is classified and when the next attempt is due.
//! - [`escalation`]: the overdue schedule and where a failure stands against its SLA.
//! - [`payload`]: what an event is about ([`EventContext`]) and the Standard Webhooks body.
//! - [`story`]: the whole story of an event in the owner's words, before any markup.
//! - [`words`]: those words, one table per language.
//! - [`markup`]: cleaning, escaping and cutting customer text for each target's markup.
//! - [`render`]: the message each format gets, one request or email per delivery.
//! - [`delivery`]: one message to one endpoint with every attempt, and its views.
//!
//! The request and response bodies of the callback endpoints live here rather than in
//! [`crate::wire`], next to the rules that shape them.

pub mod delivery;
pub mod endpoint;
pub mod escalation;
pub mod markup;
pub mod payload;
pub mod render;
pub mod retry;
pub mod signing;
pub mod story;
pub mod words;

pub use delivery::*;
pub use endpoint::*;
pub use escalation::*;
pub use payload::*;
pub use render::*;
pub use retry::*;
pub use signing::*;

use serde::{Deserialize, Serialize};

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

/// Where an endpoint's messages go and what their body looks like. Chat platforms refuse
/// generic JSON, so each gets its own body (see [`render`]); only `standard` is signed, since a
/// chat platform cannot verify a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `{type, timestamp, data}` JSON (Standard Webhooks), signed.
    #[default]
    Standard,
    /// A Slack incoming webhook: Block Kit blocks with a `text` fallback.
    Slack,
    /// A Discord incoming webhook: `content` and one embed.
    Discord,
    /// A Microsoft Teams Workflows (Power Automate) webhook: one Adaptive Card.
    Teams,
    /// The Telegram Bot API's `sendMessage`, with the owner's bot token and chat id.
    Telegram,
    /// An email to the owner through Cloudflare Email Service.
    Email,
}

impl Format {
    /// Every format, in the order the owner's page offers them.
    pub const ALL: [Format; 6] =
        [Format::Standard, Format::Slack, Format::Discord, Format::Teams, Format::Telegram, Format::Email];

    /// The name in registrations and answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Standard => "standard",
            Format::Slack => "slack",
            Format::Discord => "discord",
            Format::Teams => "teams",
            Format::Telegram => "telegram",
            Format::Email => "email",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// Whether messages carry Standard Webhooks signatures. Chat platforms and email cannot
    /// verify one, so they are sent unsigned (and the owner is told so).
    pub fn is_signed(self) -> bool {
        self == Format::Standard
    }

    /// Whether messages are written in words (and so in a language): all but `standard`, whose
    /// JSON is for programs.
    pub fn has_words(self) -> bool {
        self != Format::Standard
    }
}

/// RFC 3339 UTC time with milliseconds, e.g. `2026-11-23T05:35:20.123Z`: the one timestamp
/// format ([`crate::time::timestamp`]), under the name the callbacks' callers know.
pub use crate::time::timestamp as iso8601;

/// The site and the failure the unit tests of this module build payloads and schedules from.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::entry::{Contact, Dimension, Entry, Kind, Scale, Status, Touchpoint};
    use crate::site::{Site, SiteSettings};

    pub(crate) fn site() -> Site {
        let settings = SiteSettings::parse(br#"{"name":"Shop <&>","allowed_origins":["https://shop.example"]}"#);
        Site { id: "site1".into(), created_ms: 0, owner_key_hash: String::new(), settings: settings.unwrap() }
    }

    pub(crate) fn entry() -> Entry {
        Entry {
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
            receipt_token: "secret-token".into(),
            ..Entry::new(
                "01jd0000000000000000000000".into(),
                "site1".into(),
                1_700_000_000_000,
                Scale::Csat,
                1,
                Kind::Failure,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(1_614_265_330_123), "2021-02-25T15:02:10.123Z");
    }
}
