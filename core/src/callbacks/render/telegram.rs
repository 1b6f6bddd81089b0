//! Telegram: the Bot API's `sendMessage` (core.telegram.org/bots/api#sendmessage) with
//! `parse_mode: "HTML"`, posted to `https://api.telegram.org/bot{token}/sendMessage`.
//!
//! The text uses only tags Telegram's HTML style allows (`<b>`, `<i>`, `<blockquote>`,
//! `<a href>`); every text is escaped by [`telegram`], so a comment can form no tag, link or
//! entity, and cannot mention a member of the chat. Link previews are off: the only link is
//! the entry's, and a preview of the owner's login page says nothing.
//!
//! Limit: "1-4096 characters after entities parsing" (sendMessage `text`), counted by
//! [`telegram_len`] (tags do not count, an entity is one character).

use super::{NOTE_MAX, fact_max};
use crate::callbacks::markup::{fit, telegram, telegram_len};
use crate::callbacks::story::Story;
use serde_json::{Value, json};

pub const TELEGRAM_TEXT_MAX: usize = 4_096;
/// Longest fact value.
const FACT_MAX: usize = 1_000;

pub(super) fn body(story: &Story, chat_id: &str) -> String {
    let text = super::within(TELEGRAM_TEXT_MAX, |text: &String| telegram_len(text), |budget| text(story, budget));
    // The Bot API takes a chat id as an integer or an `@channelusername` string.
    let chat_id = chat_id.parse::<i64>().map_or_else(|_| Value::from(chat_id), Value::from);
    json!({
        "chat_id": chat_id,
        "text": text,
        "parse_mode": "HTML",
        "link_preview_options": { "is_disabled": true },
    })
    .to_string()
}

/// The message text, with the comment cut to `comment_max` characters as Telegram counts
/// them, and the characters it took.
fn text(story: &Story, comment_max: usize) -> (String, usize) {
    let mut out = format!("<b>{} {}</b>", story.icon, telegram(&story.title));
    if let Some(detail) = &story.detail {
        out.push_str(&format!("\n<i>{}</i>", telegram(detail)));
    }
    if let Some(note) = &story.note {
        let note = fit(note, NOTE_MAX, telegram, telegram_len);
        out.push_str(&format!("\n\n<b>{}:</b> {note}", telegram(story.words.fix_note)));
    }
    let mut used = 0;
    if let Some(comment) = &story.comment {
        let comment = fit(comment, comment_max, telegram, telegram_len);
        used = telegram_len(&comment);
        if !comment.is_empty() {
            out.push_str(&format!("\n\n<blockquote>{comment}</blockquote>"));
        }
    }
    out.push('\n');
    for fact in &story.facts {
        out.push_str(&format!(
            "\n<b>{}:</b> {}",
            telegram(fact.label),
            fit(&fact.value, fact_max(fact, FACT_MAX), telegram, telegram_len)
        ));
    }
    out.push_str(&format!(
        "\n\n<a href=\"{}\">{}</a>",
        crate::html::escape(&story.link),
        telegram(story.words.open_entry)
    ));
    (out, used)
}
