//! Rendering: the one message an endpoint gets for an event, as an HTTP request (every webhook
//! format, Telegram's Bot API) or an email. The Worker calls [`render`] once, when it creates a
//! delivery, and stores the result: every retry sends the same bytes. Rendering is a pure
//! function of the [`EventContext`] and the [`Endpoint`] (no clock, no randomness, JSON objects
//! with their keys in one fixed order), so the same event renders the same message.
//!
//! Each format has its own module with the body rules and documented limits of its target;
//! all of them render one [`Story`], so they say the same things.

mod discord;
mod email;
mod slack;
mod teams;
mod telegram;

use super::endpoint::Endpoint;
use super::payload::EventContext;
use super::story::Story;
use super::{Format, words};
use serde::{Deserialize, Serialize};

pub use discord::{DISCORD_CONTENT_MAX, DISCORD_DESCRIPTION_MAX, DISCORD_EMBED_TOTAL_MAX};
pub use slack::{SLACK_BLOCKS_TEXT_MAX, SLACK_FALLBACK_MAX, SLACK_HEADER_MAX};
pub use teams::TEAMS_BODY_MAX;
pub use telegram::TELEGRAM_TEXT_MAX;

/// The content type of every JSON body. The charset is named because Teams' webhook counts a
/// body without one as UTF-16, halving its size limit (see [`TEAMS_BODY_MAX`]).
pub const JSON_UTF8: &str = "application/json; charset=utf-8";
/// The content type of Standard Webhooks messages, as they have always been sent.
pub const JSON: &str = "application/json";

/// What a delivery sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Message {
    Http(HttpRequest),
    Email(EmailMessage),
}

/// A `POST` to a receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    /// Where it goes. For Telegram the URL holds the bot token (`/bot{token}/sendMessage`, the
    /// Bot API's only form): keep it where the endpoint's secrets are, never show or log it
    /// (show [`Endpoint::view`]'s `url` instead).
    pub url: String,
    pub content_type: String,
    pub body: String,
    /// Whether to add the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
    /// `webhook-signature`). Only `standard` is signed; chat platforms cannot verify it.
    pub signed: bool,
}

/// An email to the owner, for the Worker's `send_email` binding (which adds `From`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailMessage {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The customer's address, only for a failure where they left one with consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
}

/// The message `endpoint` gets for the event in `ctx`, in the endpoint's format and language.
pub fn render(ctx: &EventContext<'_>, endpoint: &Endpoint) -> Message {
    if endpoint.format == Format::Standard {
        return Message::Http(HttpRequest {
            url: endpoint.url.clone(),
            content_type: JSON.to_owned(),
            body: ctx.payload().to_string(),
            signed: true,
        });
    }
    let story = Story::of(ctx, words::of(&endpoint.lang));
    let chat = |url: String, body: String| {
        Message::Http(HttpRequest { url, content_type: JSON_UTF8.to_owned(), body, signed: false })
    };
    match endpoint.format {
        Format::Standard | Format::Slack => chat(endpoint.url.clone(), slack::body(&story)),
        Format::Discord => chat(endpoint.url.clone(), discord::body(&story)),
        Format::Teams => chat(endpoint.url.clone(), teams::body(&story)),
        Format::Telegram => {
            let token = endpoint.bot_token.as_deref().unwrap_or_default();
            let url = format!("{}/bot{token}/sendMessage", endpoint.url.trim_end_matches('/'));
            chat(url, telegram::body(&story, endpoint.chat_id.as_deref().unwrap_or_default()))
        }
        Format::Email => {
            let to = endpoint.url.strip_prefix("mailto:").unwrap_or(&endpoint.url);
            Message::Email(email::message(&story, to))
        }
    }
}

/// Longest value in a chat alert that a customer or a teammate supplied (a page, an order, a
/// name, a contact), in the target's own unit as sent. The API stores at most 200 characters
/// of each; an alert shows the first 120, enough for any real page path or name, so that a
/// dozen such lines still leave Telegram's 4,096 and Discord's 6,000 room for the comment.
pub const CUSTOMER_FACT_MAX: usize = 120;
/// Longest fix note in a chat alert, as sent.
pub const NOTE_MAX: usize = 500;

/// How long `fact`'s value may be in a target whose values may be `target_max`.
fn fact_max(fact: &super::story::Fact, target_max: usize) -> usize {
    if fact.customer { target_max.min(CUSTOMER_FACT_MAX) } else { target_max }
}

/// `label: value` for the plain-text forms (Slack's fallback, the email's text part).
fn fact_line(label: &str, value: &str) -> String {
    format!("{label}: {value}")
}

/// What `render` makes with the longest comment that keeps `size` of it within `max`.
/// `render` takes a budget for the comment (in the unit its target measures, as sent) and
/// returns what it made and how much of the budget the comment used. The first try has no
/// budget; each next one takes what was over off what the comment used, so it ends in a step
/// or two, deterministically. A comment with nothing left to give is left out.
fn within<T>(max: usize, size: impl Fn(&T) -> usize, render: impl Fn(usize) -> (T, usize)) -> T {
    let mut budget = usize::MAX;
    loop {
        let (rendered, used) = render(budget);
        let over = size(&rendered).saturating_sub(max);
        if over == 0 || used == 0 {
            return rendered;
        }
        budget = used.saturating_sub(over);
    }
}

#[cfg(test)]
mod known_answers;
#[cfg(test)]
mod limits;
