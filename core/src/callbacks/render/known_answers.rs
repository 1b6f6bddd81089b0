//! Known answers: the message of every format for every event, in English and Arabic, written
//! out in `known_answers/` and compared with what [`render`] makes. A change to any body shows
//! up here as a diff to read. `TELLUS_BLESS=1 cargo test -p tellus-core known_answers` writes
//! the files anew after an intended change; read the diff before committing it.

use super::{Message, render};
use crate::callbacks::escalation::{EscalationStep, SlaClock};
use crate::callbacks::fixtures::{entry, site};
use crate::callbacks::{Endpoint, EndpointInput, EventContext, EventType, Format};
use crate::entry::{Channel, Entry, Kind, Status};
use std::path::PathBuf;

/// An endpoint of `format` in `lang`, with the destination each format takes.
pub(crate) fn endpoint(format: Format, lang: &str) -> Endpoint {
    let url = match format {
        Format::Standard => "https://hooks.example/tellus",
        Format::Slack => "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        Format::Discord => "https://discord.com/api/webhooks/123456789012345678/abcDEF-ghi_JKL",
        Format::Teams => "https://prod-00.westeurope.logic.azure.com/workflows/0a1b/triggers/manual/paths/invoke?sig=x",
        Format::Telegram => "https://api.telegram.org",
        Format::Email => "mailto:owner@shop.example",
    };
    let telegram = format == Format::Telegram;
    let input = EndpointInput {
        url: url.into(),
        events: EventType::ALL.to_vec(),
        format,
        description: String::new(),
        lang: lang.into(),
        chat_id: telegram.then(|| "-1001234567890".into()),
        bot_token: telegram.then(|| "123456789:AAE_example-token_example-token_12345".into()),
    };
    Endpoint::new("ep_0123456789abcdef".into(), input, "whsec_x".into(), "https://tellus.example".into(), 0)
}

/// The entry each event is about, as it stands when the event fires.
pub(crate) fn entry_for(event: EventType) -> Entry {
    let mut entry = entry();
    entry.touchpoint.order = Some("A-1001".into());
    entry.touchpoint.agent = Some("Mart".into());
    if let Some(contact) = entry.contact.as_mut() {
        contact.phone = Some("+372 5555 0100".into());
        contact.channel = Some(Channel::Phone);
    }
    match event {
        EventType::FailureReported | EventType::FailureOverdue => {}
        EventType::FailureFixed => {
            entry.status = Some(Status::Fixed);
            entry.acknowledged_ms = Some(entry.created_ms + 30 * 60_000);
            entry.fixed_ms = Some(entry.created_ms + 200 * 60_000);
            entry.fix_note = "Called Ann back and sent a new meal.".into();
        }
        EventType::PraiseReceived => {
            entry.kind = Kind::Praise;
            entry.status = None;
            entry.rating = 5;
            entry.dimensions.clear();
            entry.comment = "Lovely staff,\nthank you!".into();
        }
    }
    entry
}

/// Renders `event` for `endpoint`, with the moment, escalation step and assignee of that event.
pub(crate) fn rendered(event: EventType, entry: &Entry, endpoint: &Endpoint) -> Message {
    let site = site();
    let (now_ms, overdue, assignee) = match event {
        EventType::FailureReported => (entry.created_ms + 60_000, None, None),
        EventType::FailureOverdue => (
            entry.created_ms + 125 * 60_000,
            Some(EscalationStep {
                step: 1,
                clock: SlaClock::Acknowledge,
                multiple: 2,
                due_ms: entry.created_ms + 120 * 60_000,
            }),
            Some("Kadri"),
        ),
        EventType::FailureFixed => (entry.fixed_ms.unwrap_or(entry.created_ms), None, Some("Kadri")),
        EventType::PraiseReceived => (entry.created_ms + 60_000, None, None),
    };
    let ctx = EventContext { event, entry, site: &site, origin: &endpoint.origin, now_ms, overdue, assignee };
    render(&ctx, endpoint)
}

/// A message as the known-answer files write it: the request line and headers, or the email's
/// headers, then the body (JSON pretty-printed, email parts one after the other).
fn written(message: &Message) -> String {
    match message {
        Message::Http(request) => {
            let body = serde_json::from_str::<serde_json::Value>(&request.body)
                .and_then(|value| serde_json::to_string_pretty(&value))
                .unwrap_or_else(|_| request.body.clone());
            format!(
                "POST {}\ncontent-type: {}\nsigned: {}\n\n{body}\n",
                request.url, request.content_type, request.signed
            )
        }
        Message::Email(email) => format!(
            "To: {}\nSubject: {}\nReply-To: {}\n\n--- text ---\n{}--- html ---\n{}",
            email.to,
            email.subject,
            email.reply_to.as_deref().unwrap_or("(none)"),
            email.text,
            email.html
        ),
    }
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/callbacks/render/known_answers")
}

/// Every case: each format with words in English and Arabic, `standard` once (it has no words).
fn cases() -> Vec<(Format, &'static str, EventType)> {
    let mut cases = Vec::new();
    for format in Format::ALL {
        let langs: &[&str] = if format.has_words() { &["en", "ar"] } else { &["en"] };
        for lang in langs {
            for event in EventType::ALL {
                cases.push((format, *lang, event));
            }
        }
    }
    cases
}

fn file_name(format: Format, lang: &str, event: EventType) -> String {
    let event = event.as_str().replace('.', "-");
    if format.has_words() {
        format!("{}-{event}.{lang}.txt", format.as_str())
    } else {
        format!("{}-{event}.txt", format.as_str())
    }
}

/// Each format's message for each event, in two languages, is exactly the one written out.
#[test]
fn every_format_renders_its_known_answer_for_every_event() {
    let bless = std::env::var_os("TELLUS_BLESS").is_some();
    let mut wrong = Vec::new();
    for (format, lang, event) in cases() {
        let entry = entry_for(event);
        let message = rendered(event, &entry, &endpoint(format, lang));
        let got = written(&message);
        let path = dir().join(file_name(format, lang, event));
        if bless {
            std::fs::create_dir_all(dir()).expect("known_answers folder");
            std::fs::write(&path, &got).expect("write known answer");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        let same = match (&message, expected.split_once("\n\n")) {
            // A JSON body is compared as JSON: the files are pretty-printed for reading.
            (Message::Http(request), Some((head, body))) => {
                let parsed = serde_json::from_str::<serde_json::Value>(body).ok();
                let got_head = got.split_once("\n\n").map(|(h, _)| h);
                got_head == Some(head) && parsed == serde_json::from_str(&request.body).ok()
            }
            _ => got == expected,
        };
        if !same {
            wrong.push(path.display().to_string());
        }
    }
    assert!(wrong.is_empty(), "bodies differ from their known answers (TELLUS_BLESS=1 rewrites them): {wrong:#?}");
}

/// The same event rendered twice is the same bytes (the body is fixed when a delivery is
/// created, and every retry sends it as it is).
#[test]
fn rendering_is_deterministic() {
    for (format, lang, event) in cases() {
        let entry = entry_for(event);
        let endpoint = endpoint(format, lang);
        assert_eq!(rendered(event, &entry, &endpoint), rendered(event, &entry, &endpoint), "{format:?} {event:?}");
    }
}
