//! Email to the owner, sent by the Worker through Cloudflare Email Service (the `send_email`
//! binding's `send({from, to, subject, text, html, replyTo})`, Email Service "Workers API"): a
//! plain-text part and an HTML part saying the same, in the endpoint's language and direction.
//!
//! The HTML is one centred column with inline styles (mail clients drop `<style>` and scripts),
//! every text escaped by [`email_html`], customer values isolated with `dir="auto"` so an Arabic
//! comment in an English email (or the reverse) keeps its own direction. `Reply-To` is the
//! customer's address only when the story has one (a failure, with consent, header-safe); then
//! the email says that replying writes to the customer.
//!
//! Limits (developers.cloudflare.com, Email Service "Limits"): a subject of at most 998
//! characters (RFC 5322) and 5 MiB in all. A subject here is one line (a line break would end
//! the header) of at most [`EMAIL_SUBJECT_MAX`] characters, what inboxes show; the comment is
//! cut at [`EMAIL_COMMENT_MAX`], the most the API stores, so only text that never came through
//! the API is ever cut, and the whole email stays in the tens of kilobytes.

use super::{EmailMessage, fact_line};
use crate::callbacks::EventType;
use crate::callbacks::markup::{email_html, fit};
use crate::callbacks::story::Story;
use crate::callbacks::words::fill;

/// Longest subject, in characters: well within the 998 allowed, and more than inboxes show.
pub const EMAIL_SUBJECT_MAX: usize = 150;
/// Longest comment, in characters.
pub const EMAIL_COMMENT_MAX: usize = crate::limits::MAX_COMMENT_CHARS;

fn chars(text: &str) -> usize {
    text.chars().count()
}

pub(super) fn message(story: &Story, to: &str) -> EmailMessage {
    let same = |s: &str| s.to_owned();
    let subject = fit(&format!("{} {} · {}", story.icon, story.title, story.rating), EMAIL_SUBJECT_MAX, same, chars);
    let comment = story.comment.as_deref().map(|comment| fit(comment, EMAIL_COMMENT_MAX, same, chars));
    let footer = fill(story.words.footer, &[("site", &story.site)]);
    EmailMessage {
        to: to.to_owned(),
        text: text(story, comment.as_deref(), &footer),
        html: html(story, &subject, comment.as_deref(), &footer),
        subject,
        reply_to: story.reply_to.clone(),
    }
}

fn text(story: &Story, comment: Option<&str>, footer: &str) -> String {
    let mut out = format!("{} {}\n", story.icon, story.title);
    if let Some(detail) = &story.detail {
        out.push_str(&format!("{detail}\n"));
    }
    if let Some(note) = &story.note {
        out.push_str(&format!("\n{}\n", fact_line(story.words.fix_note, &note.replace('\n', "\n  "))));
    }
    if let Some(comment) = comment {
        out.push_str(&format!("\n> {}\n", comment.replace('\n', "\n> ")));
    }
    out.push('\n');
    for fact in &story.facts {
        out.push_str(&fact_line(fact.label, &fact.value.replace('\n', "\n  ")));
        out.push('\n');
    }
    out.push_str(&format!("\n{}: {}\n", story.words.open_entry, story.link));
    if story.reply_to.is_some() {
        out.push_str(&format!("\n{}\n", story.words.reply_hint));
    }
    out.push_str(&format!("\n-- \n{footer}\n"));
    out
}

/// Escaped, with line breaks kept.
fn lines(text: &str) -> String {
    email_html(text).replace('\n', "<br>")
}

/// `text` escaped, with the site's name in it isolated (`<bdi>`), so a name in another
/// direction than the email, or ending in punctuation, keeps its own order ("Shop <&>" in an
/// Arabic headline stays "Shop <&>").
fn with_site(text: &str, site: &str) -> String {
    let site = email_html(site);
    let text = email_html(text);
    if site.is_empty() { text } else { text.replacen(&site, &format!("<bdi>{site}</bdi>"), 1) }
}

fn html(story: &Story, subject: &str, comment: Option<&str>, footer: &str) -> String {
    let words = story.words;
    let accent = match story.event {
        EventType::FailureReported => "#d93025",
        EventType::FailureOverdue => "#b45309",
        EventType::FailureFixed => "#1e7e34",
        EventType::PraiseReceived => "#1f5fbf",
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>\n\
         <body style=\"margin:0;padding:24px 12px;background:#f3f4f6;color:#1f2328;\
         font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:15px;line-height:1.5\">\n\
         <div style=\"max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;\
         border-top:4px solid {accent};padding:24px\">\n\
         <h1 style=\"margin:0 0 8px;font-size:20px;line-height:1.3\">{icon} {headline}</h1>\n",
        lang = words.lang(),
        dir = words.dir(),
        title = email_html(subject),
        icon = story.icon,
        headline = with_site(&story.title, &story.site),
    );
    if let Some(detail) = &story.detail {
        out.push_str(&format!("<p style=\"margin:0 0 16px;color:#57606a\">{}</p>\n", email_html(detail)));
    }
    if let Some(note) = &story.note {
        out.push_str(&format!(
            "<p style=\"margin:0 0 16px\"><strong>{}:</strong> <span dir=\"auto\">{}</span></p>\n",
            email_html(words.fix_note),
            lines(note)
        ));
    }
    if let Some(comment) = comment {
        out.push_str(&format!(
            "<blockquote dir=\"auto\" style=\"margin:16px 0;padding:8px 12px;border-inline-start:4px solid #d0d7de;\
             background:#f6f8fa\">{}</blockquote>\n",
            lines(comment)
        ));
    }
    out.push_str("<table role=\"presentation\" style=\"border-collapse:collapse;width:100%;margin:16px 0\">\n");
    for fact in &story.facts {
        out.push_str(&format!(
            "<tr><th scope=\"row\" style=\"text-align:start;vertical-align:top;padding:4px 16px 4px 0;\
             font-weight:600;white-space:nowrap\">{}</th><td dir=\"auto\" style=\"padding:4px 0\">{}</td></tr>\n",
            email_html(fact.label),
            lines(&fact.value)
        ));
    }
    out.push_str("</table>\n");
    out.push_str(&format!(
        "<p style=\"margin:16px 0\"><a href=\"{}\" style=\"display:inline-block;background:#1f5fbf;color:#ffffff;\
         padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:600\">{}</a></p>\n",
        email_html(&story.link),
        email_html(words.open_entry)
    ));
    if story.reply_to.is_some() {
        out.push_str(&format!("<p style=\"margin:16px 0\">{}</p>\n", email_html(words.reply_hint)));
    }
    out.push_str(&format!(
        "<p style=\"margin:24px 0 0;font-size:12px;color:#57606a\">{}</p>\n</div>\n</body>\n</html>\n",
        with_site(footer, &story.site)
    ));
    out
}
