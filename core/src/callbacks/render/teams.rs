//! Microsoft Teams through a Workflows (Power Automate) webhook, "When a Teams webhook request
//! is received" then "Post card in a chat or channel": the message envelope with one Adaptive
//! Card attachment (learn.microsoft.com, Teams "Create incoming webhooks with Workflows").
//!
//! Every text is a `TextRun` in a `RichTextBlock`, which does not parse markdown (Adaptive
//! Cards "Text features"); `TextBlock` and `FactSet`, which do, are not used, so a comment
//! cannot add links, styles or lists. Mentions in a card need `msteams.entities`, which is
//! never sent. Card version 1.4, which Teams renders on desktop, web and mobile (nothing here
//! needs 1.5).
//!
//! Size: Teams takes messages of about 28 KB (learn.microsoft.com, Teams "Send messages using
//! incoming webhooks", rate and size limits), and its webhook service has been measured to
//! count a body without a charset as UTF-16, which halves that (questions on its 413 answers),
//! so the body is sent as `charset=utf-8` and kept within [`TEAMS_BODY_MAX`] in both counts.

use super::{NOTE_MAX, fact_max};
use crate::callbacks::markup::{fit, teams, utf16_len};
use crate::callbacks::story::Story;
use serde_json::{Value, json};

/// Largest body: 28,000 bytes counted as UTF-8 and as UTF-16 (two bytes a unit).
pub const TEAMS_BODY_MAX: usize = 28_000;
/// Longest single text run.
const TEAMS_TEXT_MAX: usize = 3_000;
/// Longest fact value.
const FACT_MAX: usize = 1_000;

pub(super) fn body(story: &Story) -> String {
    super::within(
        TEAMS_BODY_MAX,
        |body: &String| body_size(body),
        |budget| {
            let (card, used) = card(story, budget);
            (card.to_string(), used)
        },
    )
}

/// The bytes Teams may count: the larger of UTF-8 and UTF-16.
pub(super) fn body_size(body: &str) -> usize {
    body.len().max(2 * utf16_len(body))
}

fn run(text: &str, max: usize) -> Value {
    json!({ "type": "TextRun", "text": fit(text, max, teams, utf16_len) })
}

/// The message, with the comment cut to `comment_max` UTF-16 units, and the units it took.
fn card(story: &Story, comment_max: usize) -> (Value, usize) {
    let mut items = vec![json!({
        "type": "RichTextBlock",
        "inlines": [{
            "type": "TextRun",
            "text": fit(&format!("{} {}", story.icon, story.title), TEAMS_TEXT_MAX, teams, utf16_len),
            "size": "Large",
            "weight": "Bolder",
        }],
    })];
    if let Some(detail) = &story.detail {
        items.push(json!({ "type": "RichTextBlock", "inlines": [run(detail, TEAMS_TEXT_MAX)] }));
    }
    if let Some(note) = &story.note {
        items.push(json!({
            "type": "RichTextBlock",
            "inlines": [
                { "type": "TextRun", "text": format!("{}: ", story.words.fix_note), "weight": "Bolder" },
                run(note, NOTE_MAX),
            ],
        }));
    }
    let mut used = 0;
    if let Some(comment) = &story.comment {
        let text = fit(comment, comment_max.min(TEAMS_TEXT_MAX), teams, utf16_len);
        used = utf16_len(&text);
        if !text.is_empty() {
            items.push(json!({
                "type": "Container",
                "style": "emphasis",
                "items": [{ "type": "RichTextBlock", "inlines": [{ "type": "TextRun", "text": text, "italic": true }] }],
            }));
        }
    }
    for fact in &story.facts {
        items.push(json!({
            "type": "RichTextBlock",
            "inlines": [
                { "type": "TextRun", "text": format!("{}: ", fact.label), "weight": "Bolder" },
                run(&fact.value, fact_max(fact, FACT_MAX)),
            ],
        }));
    }
    let message = json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "msteams": { "width": "Full" },
                "body": items,
                "actions": [{ "type": "Action.OpenUrl", "title": story.words.open_entry, "url": story.link }],
            },
        }],
    });
    (message, used)
}
