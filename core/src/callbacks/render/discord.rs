//! Discord incoming webhooks ("Execute Webhook"): `content` with the headline, for the
//! notification, and one embed with the whole story, titled with a link to the entry.
//!
//! Discord reads markdown in `content` and in an embed's title, description and field names
//! and values, so every text goes through [`discord`] (backslash escapes, defused `@`). And
//! `allowed_mentions: {parse: []}` tells Discord to ping nobody whatever the text says.
//!
//! Limits (discord.com/developers/docs, Message resource: Embed limits, and Execute Webhook):
//! `content` 2,000 characters; title 256; description 4,096; at most 25 fields, each name
//! 256 and value 1,024; footer text 2,048; and 6,000 characters across all of an embed's
//! title, description, field names and values, footer and author. A message needs `content`
//! or an embed; both are always there.

use super::{NOTE_MAX, fact_max};
use crate::callbacks::EventType;
use crate::callbacks::iso8601;
use crate::callbacks::markup::{discord, fit, utf16_len};
use crate::callbacks::story::Story;
use serde_json::{Value, json};

pub const DISCORD_CONTENT_MAX: usize = 2_000;
const DISCORD_TITLE_MAX: usize = 256;
pub const DISCORD_DESCRIPTION_MAX: usize = 4_096;
const DISCORD_FIELDS_MAX: usize = 25;
const DISCORD_FIELD_NAME_MAX: usize = 256;
const DISCORD_FIELD_VALUE_MAX: usize = 1_024;
/// All of one embed's text together.
pub const DISCORD_EMBED_TOTAL_MAX: usize = 6_000;
/// Facts this short sit side by side (Discord puts up to three inline fields in a row).
const INLINE_MAX: usize = 40;

pub(super) fn body(story: &Story) -> String {
    let embed = super::within(DISCORD_EMBED_TOTAL_MAX, embed_text_len, |budget| embed(story, budget));
    let content = fit(&format!("{} {}", story.icon, story.title), DISCORD_CONTENT_MAX, discord, utf16_len);
    json!({ "content": content, "allowed_mentions": { "parse": [] }, "embeds": [embed] }).to_string()
}

/// The embed, with the comment cut to `comment_max` UTF-16 units as sent (escaped and
/// quoted), and the units it took.
fn embed(story: &Story, comment_max: usize) -> (Value, usize) {
    let mut description = String::new();
    if let Some(detail) = &story.detail {
        description.push_str(&discord(detail));
        description.push_str("\n\n");
    }
    if let Some(note) = &story.note {
        let note = fit(note, NOTE_MAX, discord, utf16_len);
        description.push_str(&format!("**{}:** {note}\n\n", discord(story.words.fix_note)));
    }
    let link = format!("\n\n[{}]({})", discord(story.words.open_entry), story.link);
    let mut used = 0;
    if let Some(comment) = &story.comment {
        let room = DISCORD_DESCRIPTION_MAX.saturating_sub(utf16_len(&description) + utf16_len(&link));
        let comment = fit(comment, comment_max.min(room), quoted, utf16_len);
        used = utf16_len(&comment);
        description.push_str(&comment);
    }
    description = description.trim_end().to_owned();
    description.push_str(&link);
    let fields: Vec<Value> = story
        .facts
        .iter()
        .take(DISCORD_FIELDS_MAX)
        .map(|fact| {
            let value = fit(&fact.value, fact_max(fact, DISCORD_FIELD_VALUE_MAX), discord, utf16_len);
            json!({
                "name": fit(fact.label, DISCORD_FIELD_NAME_MAX, discord, utf16_len),
                "inline": utf16_len(&value) <= INLINE_MAX,
                "value": value,
            })
        })
        .collect();
    let embed = json!({
        "title": fit(&story.title, DISCORD_TITLE_MAX, discord, utf16_len),
        "url": story.link,
        "description": description,
        "color": color(story.event),
        "fields": fields,
        "footer": { "text": "tellus" },
        "timestamp": iso8601(story.created_ms),
    });
    (embed, used)
}

/// The comment as a Discord block quote: escaped, each line after `> `.
fn quoted(comment: &str) -> String {
    format!("> {}", discord(comment).replace('\n', "\n> "))
}

/// What Discord's 6,000 counts: title, description, field names and values, footer.
fn embed_text_len(embed: &Value) -> usize {
    let text = |value: &Value| value.as_str().map_or(0, utf16_len);
    let fields: usize = embed["fields"]
        .as_array()
        .map_or(0, |fields| fields.iter().map(|f| text(&f["name"]) + text(&f["value"])).sum());
    text(&embed["title"]) + text(&embed["description"]) + fields + text(&embed["footer"]["text"])
}

/// The embed's accent: red for a new failure, orange overdue, green fixed, blue praise.
fn color(event: EventType) -> u32 {
    match event {
        EventType::FailureReported => 0xD9_3025,
        EventType::FailureOverdue => 0xE8_710A,
        EventType::FailureFixed => 0x1E_8E3E,
        EventType::PraiseReceived => 0x1A_73E8,
    }
}
