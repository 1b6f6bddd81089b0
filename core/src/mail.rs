//! Email as the Worker sends it (Cloudflare Email Service, the `send_email` binding): one
//! general message type for every email tellus sends (the customer's follow-ups now, the owner's
//! alert emails later), the rules an address and a header must follow, and what an attempt's
//! outcome means for the next one.
//!
//! A message is rendered once, when its email becomes due, and stored whole at the site's desk
//! (like a webhook's body), so a retry sends exactly what the first attempt tried to send.

use crate::callbacks::{Attempt, DeliveryState, next_attempt_ms};
use serde::{Deserialize, Serialize};

/// Longest subject we write (mail clients cut long ones anyway; the site's name is at most 100
/// characters).
pub const MAX_SUBJECT_CHARS: usize = 200;

/// One email, complete: the Worker hands exactly this to the binding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailMessage {
    /// The sender's display name (for a customer email, the site's name), one line.
    pub from_name: String,
    /// The sender's address: the deployment's verified sender (`MAIL_FROM`).
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Extra headers, e.g. `List-Unsubscribe` (names and values already one line each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
}

/// Whether `text` is a plain address, `local@domain.tld`, that can go into an address field
/// as it is: no display name, no spaces or line breaks, none of the characters that would start
/// another address or a comment (`<>()[],;:"\`), one `@`, a dot in the domain and at most 254
/// characters (RFC 5321's path limit). An address the customer typed passed a looser check at
/// intake; this is the last check before anything is sent to it.
pub fn is_plain_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let allowed = |c: char| !c.is_whitespace() && !c.is_control() && !"<>()[],;:\"\\@".contains(c);
    text.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && local.chars().all(allowed)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(allowed)
}

/// Text for a header value (a subject, a display name): on one line, without control
/// characters, at most `max_chars` characters.
pub fn one_line(text: &str, max_chars: usize) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    flat.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(max_chars).collect()
}

/// How an attempt to hand an email to the Email Service ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailOutcome {
    /// Accepted for delivery.
    Sent,
    /// Refused for good (an address the account may not send to, a sender it does not own): the
    /// same message would be refused again, so it is not retried.
    Refused,
    /// Anything else: tried again on the callbacks' schedule.
    Retry,
}

/// Phrases of the binding's errors that no retry can cure: workers-rs names the coded ones
/// (`EmailRecipientSuppressed: …`, `EmailRecipientNotAllowed: …`), the rest are the Email
/// Service's and the local simulator's words. An error we do not recognise is retried (at worst,
/// a refused email is tried on the schedule and then given up: a few attempts, never a lost email).
const PERMANENT: [&str; 6] = [
    "emailrecipientsuppressed",
    "emailrecipientnotallowed",
    "not allowed",
    "not verified",
    "unverified",
    "e_header_not_allowed",
];

/// Classifies an error the binding raised.
pub fn outcome_of_error(error: &str) -> MailOutcome {
    let error = error.to_ascii_lowercase();
    if PERMANENT.iter().any(|phrase| error.contains(phrase)) { MailOutcome::Refused } else { MailOutcome::Retry }
}

/// One email's record at the site's desk: the message, where it stands, every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    /// Derived from what the email is about, so the same event never makes a second one.
    pub id: String,
    pub entry_id: String,
    /// What the email is (`customer.replied`, `customer.fixed`).
    pub kind: String,
    pub created_ms: u64,
    pub message: MailMessage,
    pub state: DeliveryState,
    #[serde(default)]
    pub attempts: Vec<Attempt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_ms: Option<u64>,
}

impl Mail {
    /// Records an attempt and sets what happens next: sent, retried on the callbacks' schedule
    /// (`jitter` as for webhooks), or failed (refused, or out of retries).
    pub fn record(&mut self, attempt: Attempt, outcome: MailOutcome, jitter: u16) {
        let now_ms = attempt.at_ms;
        self.attempts.push(attempt);
        let retries_done = self.attempts.len().saturating_sub(1);
        (self.state, self.next_attempt_ms) = match outcome {
            MailOutcome::Sent => (DeliveryState::Delivered, None),
            MailOutcome::Refused => (DeliveryState::Failed, None),
            MailOutcome::Retry => match next_attempt_ms(now_ms, retries_done, jitter, None) {
                Some(at) => (DeliveryState::Pending, Some(at)),
                None => (DeliveryState::Failed, None),
            },
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::RETRY_DELAYS_SECS;

    #[test]
    fn only_plain_addresses_are_sent_to() {
        for good in ["ada@example.com", "a.b+tag@mail.example.co.uk", "ü@bücher.example"] {
            assert!(is_plain_address(good), "{good}");
        }
        for bad in [
            "",
            "ada",
            "ada@example",
            "@example.com",
            "ada@.example.com",
            "ada@example.com.",
            "ada@exa..mple.com",
            "a b@example.com",
            "ada@example.com\r\nBcc: eve@example.com",
            "Ada <ada@example.com>",
            "ada@example.com, eve@example.com",
            "ada@example.com;eve@example.com",
            "\"ada\"@example.com",
            "ada@ex@ample.com",
            "(comment)ada@example.com",
        ] {
            assert!(!is_plain_address(bad), "{bad:?}");
        }
        assert!(!is_plain_address(&format!("{}@example.com", "a".repeat(65))));
        assert!(!is_plain_address(&format!("a@{}.com", "b".repeat(250))));
    }

    #[test]
    fn header_text_is_one_line_and_cut() {
        assert_eq!(one_line("Shop\r\nBcc: eve@example.com", 100), "Shop Bcc: eve@example.com");
        assert_eq!(one_line("  a \t b  ", 100), "a b");
        assert_eq!(one_line("ääää", 2), "ää");
    }

    #[test]
    fn binding_errors_are_classified() {
        assert_eq!(outcome_of_error("email to eve@example.com not allowed"), MailOutcome::Refused);
        assert_eq!(outcome_of_error("E_RECIPIENT_NOT_ALLOWED: destination is not verified"), MailOutcome::Refused);
        assert_eq!(outcome_of_error("EmailRecipientSuppressed: bounced before"), MailOutcome::Refused);
        assert_eq!(outcome_of_error("InternalError: try later"), MailOutcome::Retry);
        assert_eq!(outcome_of_error("DailyLimitExceeded: quota"), MailOutcome::Retry);
        assert_eq!(outcome_of_error("network connection lost"), MailOutcome::Retry);
    }

    fn mail() -> Mail {
        Mail {
            id: "m".into(),
            entry_id: "e".into(),
            kind: "customer.fixed".into(),
            created_ms: 0,
            message: MailMessage {
                from_name: "Shop".into(),
                from: "tellus@shop.example".into(),
                to: "ada@example.com".into(),
                reply_to: None,
                subject: "s".into(),
                text: "t".into(),
                html: "h".into(),
                headers: Vec::new(),
            },
            state: DeliveryState::Pending,
            attempts: Vec::new(),
            next_attempt_ms: Some(0),
        }
    }

    fn attempt(at_ms: u64) -> Attempt {
        Attempt { at_ms, status: None, latency_ms: 5, error: Some("busy".into()), replay: false }
    }

    #[test]
    fn a_mail_is_retried_on_the_schedule_then_given_up_and_a_refusal_is_final() {
        let mut m = mail();
        m.record(attempt(1_000), MailOutcome::Retry, 0);
        assert_eq!((m.state, m.next_attempt_ms), (DeliveryState::Pending, Some(61_000)));
        for i in 1..RETRY_DELAYS_SECS.len() {
            m.record(attempt(i as u64), MailOutcome::Retry, 0);
            assert_eq!(m.state, DeliveryState::Pending);
        }
        m.record(attempt(99), MailOutcome::Retry, 0);
        assert_eq!((m.state, m.next_attempt_ms), (DeliveryState::Failed, None));
        assert_eq!(m.attempts.len(), RETRY_DELAYS_SECS.len() + 1);

        let mut refused = mail();
        refused.record(attempt(1), MailOutcome::Refused, 0);
        assert_eq!((refused.state, refused.next_attempt_ms), (DeliveryState::Failed, None));
        let mut sent = mail();
        sent.record(attempt(1), MailOutcome::Sent, 0);
        assert_eq!((sent.state, sent.next_attempt_ms), (DeliveryState::Delivered, None));
    }
}
