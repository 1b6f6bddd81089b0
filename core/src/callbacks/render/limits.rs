//! Hostile text against every format: markdown, mentions, markup, bidirectional overrides,
//! control characters and 10,000-character comments come out as text, within every documented
//! limit of their target (the limits are asserted one by one, not "shorter than before").

use super::known_answers::{endpoint, entry_for, rendered};
use super::{
    DISCORD_CONTENT_MAX, DISCORD_DESCRIPTION_MAX, DISCORD_EMBED_TOTAL_MAX, EmailMessage, HttpRequest, Message,
    SLACK_BLOCKS_TEXT_MAX, SLACK_FALLBACK_MAX, SLACK_HEADER_MAX, TEAMS_BODY_MAX, TELEGRAM_TEXT_MAX,
};
use crate::callbacks::markup::{clean, telegram_len, utf16_len};
use crate::callbacks::{EventType, Format};
use crate::entry::{Contact, Entry};
use proptest::prelude::*;
use serde_json::Value;

/// Comments an attacker (or an unlucky paste) might send.
fn hostile_comments() -> Vec<String> {
    vec![
        "**bold** __under__ ~~strike~~ ||spoiler|| `code` ```block``` # Heading\n- list\n1. item\n> quote\n-# small".into(),
        "[click here](https://evil.example/login) <https://evil.example|Open the entry> ![x](https://evil.example/x.png)"
            .into(),
        "@everyone @here <@123456789012345678> <@&987654321> <#555> <!channel> <!here> <!subteam^S1> @channel @all <at>Boss</at>"
            .into(),
        "<script>alert(1)</script><img src=x onerror=alert(1)><b>bold</b> &amp; &lt; \" ' </blockquote></td></table>".into(),
        "invoice\u{202E}fdp.exe \u{2066}isolated\u{2069} \u{200F}mark \u{061C} \u{0}\u{7}\u{1b}[31mred\u{1b}[0m\r\nnext".into(),
        "{{DATE(2026-01-01T00:00:00Z, SHORT)}} ${expression} @{triggerBody()}".into(),
        "a".repeat(10_000),
        "*".repeat(10_000),
        "<&>".repeat(3_400),
        "😀".repeat(10_000),
        "\n.\n".repeat(3_000),
        "e\u{301}".repeat(5_000),
    ]
}

/// Every customer-supplied field of an entry filled with `text`, the contact included.
fn entry_with(event: EventType, text: &str) -> Entry {
    let mut entry = entry_for(event);
    entry.comment = text.to_owned();
    entry.fix_note = text.to_owned();
    entry.touchpoint.page = Some(text.to_owned());
    entry.touchpoint.order = Some(text.to_owned());
    entry.touchpoint.agent = Some(text.to_owned());
    entry.contact =
        Some(Contact { name: Some(text.to_owned()), email: Some(text.to_owned()), phone: None, channel: None });
    entry
}

/// Every string in a JSON value.
fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(text) => vec![text],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(map) => map.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// No control character other than a line break, and no bidirectional override, embedding or
/// isolate; in English not even a direction mark (Arabic dates carry CLDR's own marks).
fn assert_clean(text: &str, lang: &str, what: &str) {
    let bad = text.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || (lang == "en" && crate::callbacks::markup::is_bidi_control(*c))
    });
    assert!(bad.is_none(), "{what}: {bad:?} survived in {text:?}");
}

/// Every `@` that starts a word, and every `@everyone`/`@here`, is followed by a zero-width
/// space: no mention can form.
fn assert_no_mention(text: &str, what: &str) {
    let at = text.match_indices('@').find(|(i, _)| {
        let prev = text[..*i].chars().next_back();
        let rest = &text[i + 1..];
        let word_start = prev.is_none_or(|c| !(c.is_alphanumeric() || "._-+'".contains(c)));
        let lower = rest.to_lowercase();
        let broadcast = lower.starts_with("everyone") || lower.starts_with("here");
        (word_start || broadcast) && !rest.starts_with('\u{200B}') && !rest.starts_with("here.")
    });
    assert!(at.is_none(), "{what}: a bare @ in {text:?}");
}

/// `text` (Discord markdown) has no markdown character without its backslash.
fn assert_discord_escaped(text: &str, what: &str) {
    let mut escaped = false;
    for c in text.chars() {
        if !escaped && "*_~`|<>[]()".contains(c) {
            panic!("{what}: unescaped {c:?} in {text:?}");
        }
        escaped = !escaped && c == '\\';
    }
}

fn check_slack(request: &HttpRequest, link: &str, lang: &str) {
    let body: Value = serde_json::from_str(&request.body).expect("Slack body is JSON");
    let blocks = body["blocks"].as_array().expect("blocks");
    assert!(!blocks.is_empty() && blocks.len() <= 50, "at most 50 blocks");
    assert_eq!(blocks[0]["type"], "header");
    assert!(utf16_len(blocks[0]["text"]["text"].as_str().unwrap_or_default()) <= SLACK_HEADER_MAX, "header text");
    assert!(super::slack::blocks_text_len(&body["blocks"]) <= SLACK_BLOCKS_TEXT_MAX, "blocks' text in all");
    for element in blocks[1]["elements"].as_array().expect("rich text elements") {
        for item in element["elements"].as_array().expect("inline elements") {
            // Only literal text and our one link: no broadcast, user or channel elements.
            match item["type"].as_str() {
                Some("text") => assert!(utf16_len(item["text"].as_str().unwrap_or_default()) <= 3_000),
                Some("link") => assert_eq!(item["url"], link),
                other => panic!("unexpected rich text element {other:?}"),
            }
        }
    }
    let text = body["text"].as_str().expect("text fallback");
    assert!(utf16_len(text) <= SLACK_FALLBACK_MAX, "text fallback");
    // The fallback's only `<…>` is the link to the entry; customer `<`, `>` and `&` are entities.
    assert_eq!(text.matches('<').count(), 1, "{text}");
    assert!(text.contains(&format!("<{link}|")), "{text}");
    assert_no_mention(text, "Slack text");
    for string in strings(&body) {
        assert_clean(string, lang, "Slack");
    }
}

fn check_discord(request: &HttpRequest, link: &str, lang: &str) {
    let body: Value = serde_json::from_str(&request.body).expect("Discord body is JSON");
    assert_eq!(body["allowed_mentions"], serde_json::json!({ "parse": [] }), "nobody is pinged");
    let content = body["content"].as_str().expect("content");
    assert!(!content.is_empty() && utf16_len(content) <= DISCORD_CONTENT_MAX, "content");
    let embeds = body["embeds"].as_array().expect("embeds");
    assert!(embeds.len() == 1, "one embed");
    let embed = &embeds[0];
    let len = |v: &Value| v.as_str().map_or(0, utf16_len);
    assert!(len(&embed["title"]) <= 256, "title");
    assert!(len(&embed["description"]) <= DISCORD_DESCRIPTION_MAX, "description");
    assert!(len(&embed["footer"]["text"]) <= 2_048, "footer");
    let fields = embed["fields"].as_array().expect("fields");
    assert!(fields.len() <= 25, "at most 25 fields");
    let mut total = len(&embed["title"]) + len(&embed["description"]) + len(&embed["footer"]["text"]);
    for field in fields {
        assert!(len(&field["name"]) >= 1 && len(&field["name"]) <= 256, "field name");
        assert!(len(&field["value"]) >= 1 && len(&field["value"]) <= 1_024, "field value");
        total += len(&field["name"]) + len(&field["value"]);
        assert_discord_escaped(field["value"].as_str().unwrap_or_default(), "field value");
    }
    assert!(total <= DISCORD_EMBED_TOTAL_MAX, "embed total {total}");
    assert_eq!(embed["url"], link);
    let description = embed["description"].as_str().unwrap_or_default();
    let own_link = format!("]({link})");
    assert!(description.ends_with(&own_link), "{description}");
    // Our own markdown: the quote marks before the comment's lines, and the link at the end.
    let without_link = description.rsplit_once("\n\n[").map_or(description, |(text, _)| text);
    let unquoted = without_link.replace("\n> ", "\n");
    let unquoted = unquoted.strip_prefix("> ").unwrap_or(&unquoted).replace("\n\n> ", "\n\n");
    let unquoted = unquoted.replace(&format!("**{}:** ", crate::callbacks::words::of(lang).fix_note), "");
    for text in [content, embed["title"].as_str().unwrap_or_default(), &unquoted] {
        assert_discord_escaped(text, "Discord text");
        assert_no_mention(text, "Discord text");
    }
    for string in strings(&body) {
        assert_clean(string, lang, "Discord");
    }
}

fn check_teams(request: &HttpRequest, link: &str, lang: &str) {
    assert!(super::teams::body_size(&request.body) <= TEAMS_BODY_MAX, "Teams body size");
    assert!(request.content_type.contains("charset=utf-8"));
    let body: Value = serde_json::from_str(&request.body).expect("Teams body is JSON");
    assert_eq!(body["type"], "message");
    let attachment = &body["attachments"][0];
    assert_eq!(attachment["contentType"], "application/vnd.microsoft.card.adaptive");
    let card = &attachment["content"];
    assert_eq!((card["type"].as_str(), card["version"].as_str()), (Some("AdaptiveCard"), Some("1.4")));
    assert_eq!(card["actions"][0]["url"], link);
    // No element that reads markdown; every text is a TextRun, without card functions.
    fn walk(value: &Value) {
        if let Some(kind) = value.get("type").and_then(Value::as_str) {
            assert!(!matches!(kind, "TextBlock" | "FactSet"), "a markdown element: {kind}");
            if kind == "TextRun" {
                assert!(!value["text"].as_str().unwrap_or_default().contains("{{"), "{value}");
            }
        }
        match value {
            Value::Array(items) => items.iter().for_each(walk),
            Value::Object(map) => map.values().for_each(walk),
            _ => {}
        }
    }
    walk(&card["body"]);
    for string in strings(&body) {
        assert_clean(string, lang, "Teams");
    }
}

fn check_telegram(request: &HttpRequest, link: &str, lang: &str) {
    assert!(request.url.ends_with("/sendMessage") && request.url.contains("/bot123456789:"));
    let body: Value = serde_json::from_str(&request.body).expect("Telegram body is JSON");
    assert_eq!(body["parse_mode"], "HTML");
    assert_eq!(body["chat_id"], -1_001_234_567_890_i64);
    let text = body["text"].as_str().expect("text");
    let visible = telegram_len(text);
    assert!((1..=TELEGRAM_TEXT_MAX).contains(&visible), "Telegram text is {visible} after entity parsing");
    // Only the tags Telegram's HTML style allows, and only the ones we write.
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map(|e| start + e + 1).expect("a closed tag");
        let tag = &rest[start..end];
        let allowed = ["<b>", "</b>", "<i>", "</i>", "<blockquote>", "</blockquote>", "</a>"];
        assert!(allowed.contains(&tag) || tag == format!("<a href=\"{link}\">"), "tag {tag}");
        rest = &rest[end..];
    }
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        assert!(["&amp;", "&lt;", "&gt;", "&quot;"].contains(&entity), "entity {entity}");
    }
    assert_no_mention(text, "Telegram text");
    assert_clean(text, lang, "Telegram");
}

/// `comment`: the entry's comment, quoted in the text part unless nothing of it survives
/// cleaning (an empty comment, or one of control characters only, is left out, as elsewhere).
fn check_email(email: &EmailMessage, comment: &str, lang: &str) {
    assert!(!email.subject.contains('\n') && email.subject.chars().count() <= 150, "{:?}", email.subject);
    assert_eq!(email.to, "owner@shop.example");
    assert_eq!(email.reply_to, None, "a hostile address is never a Reply-To");
    for part in [&email.subject, &email.text, &email.html] {
        assert_clean(part, lang, "email");
    }
    let lower = email.html.to_ascii_lowercase();
    for tag in ["<script", "<img", "<b>", "</blockquote></td>"] {
        assert!(!lower.contains(tag), "{tag} in the email");
    }
    let quoted = email.text.contains("\n> ");
    assert_eq!(quoted, !clean(comment, false).is_empty(), "the comment is quoted if it has anything to show");
}

/// One hostile text through every format and event, in English and Arabic.
fn check_everywhere(text: &str) {
    for format in Format::ALL.into_iter().filter(|f| f.has_words()) {
        for lang in ["en", "ar"] {
            for event in EventType::ALL {
                let entry = entry_with(event, text);
                let endpoint = endpoint(format, lang);
                let link = format!("https://tellus.example/s/site1/entries/{}", entry.id);
                match (format, rendered(event, &entry, &endpoint)) {
                    (Format::Slack, Message::Http(request)) => check_slack(&request, &link, lang),
                    (Format::Discord, Message::Http(request)) => check_discord(&request, &link, lang),
                    (Format::Teams, Message::Http(request)) => check_teams(&request, &link, lang),
                    (Format::Telegram, Message::Http(request)) => check_telegram(&request, &link, lang),
                    (Format::Email, Message::Email(email)) => check_email(&email, text, lang),
                    (format, message) => panic!("{format:?} rendered {message:?}"),
                }
            }
        }
    }
}

#[test]
fn hostile_comments_come_out_escaped_and_within_every_limit() {
    for comment in hostile_comments() {
        check_everywhere(&comment);
    }
}

/// A long comment is cut with an ellipsis, never dropped or rejected, and what is kept is its
/// beginning.
#[test]
fn a_long_comment_is_cut_with_an_ellipsis() {
    let comment = format!("Start {}", "word ".repeat(2_000));
    let mut entry = entry_for(EventType::FailureReported);
    entry.comment = comment;
    for format in Format::ALL.into_iter().filter(|f| f.has_words()) {
        let message = rendered(EventType::FailureReported, &entry, &endpoint(format, "en"));
        let text = match &message {
            Message::Http(request) => request.body.clone(),
            Message::Email(email) => email.text.clone(),
        };
        assert!(text.contains("Start word word") && text.contains("word…"), "{format:?}: {text}");
    }
}

/// Praise never carries the customer's contact, in any format.
#[test]
fn praise_never_carries_the_contact() {
    let entry = entry_for(EventType::PraiseReceived);
    for format in Format::ALL {
        let message = rendered(EventType::PraiseReceived, &entry, &endpoint(format, "en"));
        let all = format!("{message:?}");
        assert!(!all.contains("ann@example.com") && !all.contains("5555"), "{format:?}: {all}");
        assert!(!all.contains("secret-token"), "the receipt token stays private");
    }
    let failure =
        rendered(EventType::FailureReported, &entry_for(EventType::FailureReported), &endpoint(Format::Email, "en"));
    assert!(matches!(failure, Message::Email(EmailMessage { reply_to: Some(ref a), .. }) if a == "ann@example.com"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any text at all, in every field, stays within every limit and comes out clean. (Each
    /// case renders 40 messages; 24 cases keep the test to a few seconds in a debug build.)
    #[test]
    fn any_text_stays_within_every_limit(text in "(?s).{0,600}") {
        check_everywhere(&text);
    }
}
