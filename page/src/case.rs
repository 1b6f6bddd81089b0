//! A case (`/s/{site}/entries/{id}`): everything the customer gave, where it stands against the
//! SLA, its whole history (received, acknowledged, each assignment and note, the reply, the fix,
//! the new rating, every callback delivery) and the actions: acknowledge, assign, note, reply,
//! fix, delete. Each action is its own form and comes back here (303) with a notice.

use crate::words::{delivery_text, dimension_name, duration, sla_name, status_name, when, when_text};
use crate::{Frame, Section, owner_document};
use maud::{Markup, html};
use tellus_core::callbacks::{SlaClock, sla_state};
use tellus_core::entry::{Channel, Entry, Status};
use tellus_core::inbox::{CaseParts, HistoryItem, InboxQuery, history};
use tellus_core::limits::{MAX_ASSIGNEE_CHARS, MAX_COMMENT_CHARS};

/// The case page; `from` is the inbox view the owner came from (its query string).
pub fn render(frame: &Frame<'_>, entry: &Entry, parts: &CaseParts, from: &InboxQuery) -> String {
    let s = frame.strings;
    let heading = match entry.status {
        Some(_) => s.case_failure_title,
        None => s.case_title,
    };
    let back = format!("{}{}", frame.href(""), from.query_string());
    let main = html! {
        p class="back" { a href=(back) data-action="back" { (s.back_to_inbox) } }
        article class="case" id=(format!("entry-{}", entry.id)) data-entry-id=(entry.id)
            data-status=(entry.status.map_or("praise", Status::as_str)) aria-labelledby="h-case" {
            h2 id="h-case" {
                span class="status" { (status_name(entry.status, s)) }
                (clock(frame, entry))
            }
            (facts(frame, entry))
            (actions(frame, entry, parts, from))
            (timeline(frame, entry, parts))
        }
    };
    owner_document(frame, Section::Inbox, heading, main)
}

fn clock(frame: &Frame<'_>, entry: &Entry) -> Markup {
    let s = frame.strings;
    let sla = frame.site.settings.sla;
    let state = sla_state(entry, sla, frame.now_ms);
    let (text, class) = sla_name(state, s);
    let deadline = entry.next_deadline_ms(sla);
    let clock_kind = if entry.status == Some(Status::Open) { SlaClock::Acknowledge } else { SlaClock::Fix };
    html! {
        @if !text.is_empty() {
            " " span class={ "sla " (class) } data-sla=(state.as_str()) { (text) }
        }
        @if let Some(deadline) = deadline {
            span class="clock" {
                " " (match clock_kind { SlaClock::Acknowledge => s.ack_due, SlaClock::Fix => s.fix_due }) " "
                (when(deadline, s)) " ("
                (if deadline < frame.now_ms { "−" } else { "" })
                (duration(deadline.abs_diff(frame.now_ms) / 60_000, s)) ")"
            }
        }
    }
}

/// Everything the customer gave.
fn facts(frame: &Frame<'_>, entry: &Entry) -> Markup {
    let s = frame.strings;
    let touchpoint = [
        (s.touchpoint_page, &entry.touchpoint.page),
        (s.order, &entry.touchpoint.order),
        (s.agent, &entry.touchpoint.agent),
    ];
    html! {
        dl class="facts" {
            div { dt { (s.rating) } dd data-field="rating" { (entry.rating) "\u{202f}/\u{202f}" (entry.scale.max()) } }
            div { dt { (s.received) } dd { (when(entry.created_ms, s)) } }
            @if !entry.dimensions.is_empty() {
                div { dt { (s.what_went_wrong) } dd data-field="dimensions" {
                    (entry.dimensions.iter().map(|d| dimension_name(*d, s)).collect::<Vec<_>>().join(", "))
                } }
            }
            @for (label, value) in touchpoint {
                @if let Some(value) = value {
                    div { dt { (label) } dd data-field="touchpoint" { bdi { (value) } } }
                }
            }
            div { dt { (s.language) } dd { (s.language_name(&entry.lang)) } }
            div {
                dt { (s.contact) }
                dd data-field="contact" {
                    @match &entry.contact {
                        None => (s.no_contact),
                        Some(contact) => {
                            @if let Some(name) = &contact.name { bdi { (name) } " " }
                            @if let Some(email) = &contact.email { a href=(format!("mailto:{email}")) { (email) } " " }
                            @if let Some(phone) = &contact.phone { a href=(format!("tel:{phone}")) { (phone) } " " }
                            @if let Some(channel) = contact.channel {
                                "(" (match channel { Channel::Email => s.prefers_email, Channel::Phone => s.prefers_phone }) ")"
                            }
                        }
                    }
                }
            }
            div { dt { (s.assignee) } dd data-field="assignee" { bdi { (entry.assignee.as_deref().unwrap_or(s.nobody)) } } }
        }
        @if !entry.comment.is_empty() {
            // The customer wrote in their own language, which may not be the page's: `lang` lets
            // a screen reader pronounce it (WCAG 3.1.2) and `dir="auto"` lays it out by its script.
            blockquote class="comment" data-field="comment" lang=[(!entry.lang.is_empty()).then_some(&entry.lang)] dir="auto" {
                (entry.comment)
            }
        }
    }
}

fn actions(frame: &Frame<'_>, entry: &Entry, parts: &CaseParts, from: &InboxQuery) -> Markup {
    let s = frame.strings;
    let path = |action: &str| format!("entries/{}/{action}", entry.id);
    let from_field = html! { input type="hidden" name="from" value=(from.query_string()); };
    let unfixed = entry.is_unfixed_failure();
    html! {
        section class="actions" aria-labelledby="h-actions" {
            h3 id="h-actions" { (s.actions_title) }
            @if entry.status == Some(Status::Open) {
                (frame.form("action", &path("acknowledge"), html! {
                    (from_field)
                    button type="submit" data-action="acknowledge" { (s.acknowledge) }
                }))
            }
            (frame.form("action assign-form", &path("assign"), html! {
                (from_field)
                label for="assignee" { (s.assign_label) }
                input id="assignee" name="assignee" list="teammates" maxlength=(MAX_ASSIGNEE_CHARS) autocomplete="off"
                    value=(entry.assignee.as_deref().unwrap_or("")) aria-describedby="assignee-hint";
                datalist id="teammates" { @for name in &parts.teammates { option value=(name) {} } }
                span class="hint" id="assignee-hint" { (s.assign_hint) }
                button type="submit" data-action="assign" { (s.assign) }
            }))
            (frame.form("action note-form", &path("note"), html! {
                (from_field)
                label for="note" { (s.note_label) }
                textarea id="note" name="text" rows="2" maxlength=(MAX_COMMENT_CHARS) required {}
                button type="submit" data-action="note" { (s.add_note) }
            }))
            (frame.form("action reply-form", &path("reply"), html! {
                (from_field)
                label for="reply" { (s.reply_label) }
                textarea id="reply" name="text" rows="3" maxlength=(MAX_COMMENT_CHARS) required {}
                button type="submit" data-action="reply" { (s.send_reply) }
            }))
            @if unfixed {
                (frame.form("action fix-form", &path("fix"), html! {
                    (from_field)
                    label for="fix-note" { (s.fix_note) }
                    input id="fix-note" name="note" maxlength=(MAX_COMMENT_CHARS);
                    button type="submit" data-action="fix" { (s.fix) }
                }))
            }
            (frame.form("action delete-form", &path("delete"), html! {
                (from_field)
                label class="confirm" { input type="checkbox" name="confirm" value="yes" required; " " (s.delete_confirm) }
                button type="submit" class="danger" data-action="delete" { (s.delete) }
            }))
        }
    }
}

/// The history, oldest first.
fn timeline(frame: &Frame<'_>, entry: &Entry, parts: &CaseParts) -> Markup {
    let s = frame.strings;
    html! {
        section class="history" aria-labelledby="h-history" {
            h3 id="h-history" { (s.history_title) }
            ol class="timeline" {
                @for (at, item) in history(entry, &parts.deliveries) {
                    li data-history=(item_key(&item)) {
                        time { (when(at, s)) }
                        " "
                        @match item {
                            HistoryItem::Received => (s.h_received),
                            HistoryItem::Acknowledged => (s.h_acknowledged),
                            HistoryItem::Assigned("") => (s.h_unassigned),
                            HistoryItem::Assigned(name) => { (s.h_assigned) " " strong { bdi { (name) } } }
                            HistoryItem::Note(text) => { (s.h_note) p class="text" dir="auto" { (text) } }
                            HistoryItem::Replied(text) => { (s.h_replied) p class="text" dir="auto" data-field="reply" { (text) } }
                            HistoryItem::Fixed("") => (s.h_fixed),
                            HistoryItem::Fixed(note) => { (s.h_fixed) p class="text" dir="auto" { (note) } }
                            HistoryItem::Rerated(rating) => { (s.h_rerated) " " strong { (rating) "\u{202f}/\u{202f}" (entry.scale.max()) } }
                            HistoryItem::Delivery(url, delivery) => {
                                (s.h_delivery) " " span class="url" { (url) } ": " (delivery_text(delivery, s))
                                @if let Some(at) = &delivery.last_attempt_at { " · " (when_text(at, s)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn item_key(item: &HistoryItem<'_>) -> &'static str {
    match item {
        HistoryItem::Received => "received",
        HistoryItem::Acknowledged => "acknowledged",
        HistoryItem::Assigned(_) => "assigned",
        HistoryItem::Note(_) => "note",
        HistoryItem::Replied(_) => "replied",
        HistoryItem::Fixed(_) => "fixed",
        HistoryItem::Rerated(_) => "rerated",
        HistoryItem::Delivery(..) => "delivery",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{entry, site};
    use tellus_core::page_strings::{EN, RU};

    #[test]
    fn a_case_shows_everything_escaped_with_its_history_and_keeps_secrets_out() {
        let site = site();
        let mut failure =
            entry("e1", 0, Some(Status::Open), "<script>alert(1)</script>\"><img src=x onerror=alert(1)>");
        failure.assign(60_000, "<b>Kadri</b>").unwrap();
        failure.add_note(120_000, "Called <u>back</u>".into()).unwrap();
        let frame = Frame { strings: &EN, site: &site, csrf: "c", now_ms: 2 * 3_600_000, notice: Some("Saved.") };
        let html = render(&frame, &failure, &CaseParts::default(), &InboxQuery::default());
        for raw in ["<script", "<img", "<i>Ann", "<b>Kadri", "<u>back"] {
            assert!(!html.contains(raw), "raw {raw} in {html}");
        }
        assert!(html.contains("&lt;b&gt;Kadri&lt;/b&gt;") && html.contains("Called &lt;u&gt;back&lt;/u&gt;"));
        assert!(!html.contains("secret-token"));
        assert!(html.contains(r#"data-sla="acknowledge_overdue""#), "{html}");
        for action in ["acknowledge", "assign", "note", "reply", "fix", "delete"] {
            assert!(html.contains(&format!(r#"data-action="{action}""#)), "{action}");
        }
        assert!(html.contains(r#"data-history="assigned""#) && html.contains(r#"data-history="note""#));
        let russian = Frame { strings: &RU, ..frame };
        assert!(render(&russian, &failure, &CaseParts::default(), &InboxQuery::default()).contains("Контакт"));
    }
}
