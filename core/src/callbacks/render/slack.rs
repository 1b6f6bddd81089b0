//! Slack incoming webhooks: Block Kit blocks with a `text` fallback.
//!
//! The blocks are a `header` (the event and site) and one `rich_text` block with the detail,
//! the comment as a quote, the facts with bold labels, and the link. Customer text goes only
//! into `rich_text` text elements, which Slack shows as they are (no mrkdwn, no `<…>` parsing,
//! no mentions: those are separate element types), the form Slack "strongly prefers" for
//! user-defined text (docs.slack.dev, Rich text block). The `text` fallback, which Slack shows
//! in notifications and clients without blocks, is the same story in escaped mrkdwn.
//!
//! Limits (docs.slack.dev, Block Kit reference and chat.postMessage): a header's `plain_text`
//! at most 150 characters; at most 50 blocks (we send 2); a section's text at most 3,000,
//! which we also apply to each text of the `rich_text` block; `text` is truncated by Slack
//! past 40,000 characters. Slack also refuses messages whose blocks hold about 13,000
//! characters in all (`msg_blocks_too_long`, undocumented, slackapi/bolt-js#2509), so the
//! blocks' text is kept within [`SLACK_BLOCKS_TEXT_MAX`].

use super::{NOTE_MAX, fact_line, fact_max};
use crate::callbacks::markup::{fit, slack_mrkdwn, slack_plain, utf16_len};
use crate::callbacks::story::Story;
use serde_json::{Value, json};

/// Longest header text (Block Kit `header`: "Maximum length for the text in this field is 150
/// characters").
pub const SLACK_HEADER_MAX: usize = 150;
/// Longest single text: a section's text limit, applied to the comment and each fact.
const SLACK_TEXT_MAX: usize = 3_000;
/// The most text all blocks together may hold, well under the ~13,000 where Slack starts
/// refusing.
pub const SLACK_BLOCKS_TEXT_MAX: usize = 12_000;
/// The `text` fallback's limit (Slack truncates beyond it). The fallback stays far below it by
/// construction: a comment of at most 3,000 units and at most 16 facts of at most 1,000.
pub const SLACK_FALLBACK_MAX: usize = 40_000;
/// Longest fact value, in either form.
const FACT_MAX: usize = 1_000;

pub(super) fn body(story: &Story) -> String {
    let blocks = super::within(SLACK_BLOCKS_TEXT_MAX, blocks_text_len, |budget| blocks(story, budget));
    json!({ "text": fallback(story), "blocks": blocks }).to_string()
}

/// The blocks, with the comment cut to `comment_max` UTF-16 units, and the units it took.
fn blocks(story: &Story, comment_max: usize) -> (Value, usize) {
    let same = |s: &str| s.to_owned();
    let header = fit(&format!("{} {}", story.icon, story.title), SLACK_HEADER_MAX, slack_plain, utf16_len);
    let text = |text: &str| json!({ "type": "text", "text": fit(text, SLACK_TEXT_MAX, same, utf16_len) });
    let mut elements = Vec::new();
    if let Some(detail) = &story.detail {
        elements.push(json!({ "type": "rich_text_section", "elements": [text(detail)] }));
    }
    if let Some(note) = &story.note {
        let label = json!({ "type": "text", "text": format!("{}: ", story.words.fix_note), "style": { "bold": true } });
        let note = json!({ "type": "text", "text": fit(note, NOTE_MAX, same, utf16_len) });
        elements.push(json!({ "type": "rich_text_section", "elements": [label, note] }));
    }
    let mut used = 0;
    if let Some(comment) = &story.comment {
        let comment = fit(comment, comment_max.min(SLACK_TEXT_MAX), same, utf16_len);
        used = utf16_len(&comment);
        if !comment.is_empty() {
            elements.push(json!({ "type": "rich_text_quote", "elements": [{ "type": "text", "text": comment }] }));
        }
    }
    let mut lines = Vec::new();
    for fact in &story.facts {
        lines.push(json!({ "type": "text", "text": format!("{}: ", fact.label), "style": { "bold": true } }));
        let value = fit(&fact.value, fact_max(fact, FACT_MAX), same, utf16_len);
        lines.push(json!({ "type": "text", "text": format!("{value}\n") }));
    }
    lines.push(json!({ "type": "link", "url": story.link, "text": story.words.open_entry }));
    elements.push(json!({ "type": "rich_text_section", "elements": lines }));
    let blocks = json!([
        { "type": "header", "text": { "type": "plain_text", "text": header, "emoji": true } },
        { "type": "rich_text", "elements": elements },
    ]);
    (blocks, used)
}

/// All the text the blocks hold, in UTF-16 units: what Slack's block size limit counts.
pub(super) fn blocks_text_len(blocks: &Value) -> usize {
    match blocks {
        Value::Object(map) => map
            .iter()
            .map(|(key, value)| match value {
                Value::String(text) if key == "text" => utf16_len(text),
                other => blocks_text_len(other),
            })
            .sum(),
        Value::Array(items) => items.iter().map(blocks_text_len).sum(),
        _ => 0,
    }
}

/// The `text` fallback: the story in mrkdwn, every text escaped.
fn fallback(story: &Story) -> String {
    let mut lines = vec![format!("{} *{}*", story.icon, slack_mrkdwn(&story.title))];
    if let Some(detail) = &story.detail {
        lines.push(slack_mrkdwn(detail));
    }
    if let Some(note) = &story.note {
        lines.push(fact_line(
            &format!("*{}*", slack_mrkdwn(story.words.fix_note)),
            &fit(note, NOTE_MAX, slack_mrkdwn, utf16_len),
        ));
    }
    if let Some(comment) = &story.comment {
        let comment = fit(comment, SLACK_TEXT_MAX, slack_mrkdwn, utf16_len);
        lines.push(format!("> {}", comment.replace('\n', "\n> ")));
    }
    for fact in &story.facts {
        let value = fit(&fact.value, fact_max(fact, FACT_MAX), slack_mrkdwn, utf16_len);
        lines.push(fact_line(&format!("*{}*", slack_mrkdwn(fact.label)), &value));
    }
    lines.push(format!("<{}|{}>", story.link, slack_mrkdwn(story.words.open_entry)));
    lines.join("\n")
}
