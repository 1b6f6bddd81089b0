//! The whole story of an event, in the owner's words and before any markup: what happened, the
//! rating on its scale, what went wrong, the comment, the touchpoint, the consented contact,
//! the assignee, the SLA deadlines and the link to the entry. Every chat format and the email
//! render this one value, so they cannot disagree about what an alert says, and the rules
//! about what may be said (the contact only with a failure, never a receipt token) are kept
//! once, here.
//!
//! Every text in a [`Story`] has been through [`clean`]: the renderers escape and cut it for
//! their markup, nothing more.

use super::EventType;
use super::endpoint::is_mail_address;
use super::escalation::{SlaClock, SlaState, sla_state};
use super::markup::clean;
use super::payload::EventContext;
use super::words::{AlertWords, fill};
use crate::entry::{Channel, Dimension, Entry, Kind, Scale, Status};
use crate::i18n::page::duration;
use crate::site::Site;

/// One labelled line of an alert: `Rating: 1 of 5`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
    /// Whether the value came from a customer or a teammate (a page, a name), rather than
    /// from our own words and numbers; renderers cap such values (see
    /// `render::CUSTOMER_FACT_MAX`).
    pub customer: bool,
}

/// What an alert says, in one language.
#[derive(Debug, Clone)]
pub struct Story {
    pub words: &'static AlertWords,
    pub event: EventType,
    /// An emoji that tells the event at a glance in a channel or an inbox.
    pub icon: &'static str,
    /// The headline: the event and the site (`New failure on Shop`).
    pub title: String,
    /// How late an overdue failure is, or how long fixing took.
    pub detail: Option<String>,
    /// What the customer wrote, line breaks kept; `None` when they wrote nothing.
    pub comment: Option<String>,
    /// With `failure.fixed`: the owner's note on what was done, line breaks kept.
    pub note: Option<String>,
    pub facts: Vec<Fact>,
    /// The rating on its scale (`1 of 5 (satisfaction)`), also the first fact.
    pub rating: String,
    /// The entry on the owner's summary page.
    pub link: String,
    /// The site's name.
    pub site: String,
    /// The customer's email address, for an email's `Reply-To`: only with a failure, only when
    /// they left one (contact details are only stored with their consent) and only when it is a
    /// plain address that is safe in a header.
    pub reply_to: Option<String>,
    /// When the customer gave the feedback (ms).
    pub created_ms: u64,
}

impl Story {
    pub fn of(ctx: &EventContext<'_>, words: &'static AlertWords) -> Story {
        let entry = ctx.entry;
        let page = words.page;
        let locale = page.locale();
        let sla = ctx.site.settings.sla;
        let site = clean(&ctx.site.settings.name, true);
        let (icon, headline) = match ctx.event {
            EventType::FailureReported => ("🚨", words.reported),
            EventType::FailureOverdue => ("⏰", words.overdue),
            EventType::FailureFixed => ("✅", words.fixed),
            EventType::PraiseReceived => ("🎉", words.praise),
        };
        let minutes_since = |ms: u64| ms.saturating_sub(entry.created_ms) / 60_000;
        let detail = match ctx.event {
            EventType::FailureOverdue => {
                let clock = match ctx.overdue.map(|step| step.clock) {
                    Some(clock) => clock,
                    None if sla_state(entry, sla, ctx.now_ms) == SlaState::AcknowledgeOverdue => SlaClock::Acknowledge,
                    None => SlaClock::Fix,
                };
                let (template, target) = match clock {
                    SlaClock::Acknowledge => (words.not_acknowledged, sla.acknowledge_minutes),
                    SlaClock::Fix => (words.not_fixed, sla.fix_minutes),
                };
                let target = duration(u64::from(target), page);
                let age = duration(minutes_since(ctx.now_ms), page);
                Some(fill(template, &[("target", &target), ("age", &age)]))
            }
            EventType::FailureFixed => entry
                .fixed_ms
                .map(|fixed| fill(words.fixed_after, &[("duration", &duration(minutes_since(fixed), page))])),
            _ => None,
        };

        let mut facts = Vec::new();
        let mut add = |label: &'static str, value: String, customer: bool| {
            if !value.is_empty() {
                facts.push(Fact { label, value, customer });
            }
        };
        let scale = match entry.scale {
            Scale::Csat => words.rating_csat,
            Scale::Nps => words.rating_nps,
        };
        let rating = fill(scale, &[("rating", &locale.integer(entry.rating))]);
        add(page.rating, rating.clone(), false);
        let dimensions: Vec<&str> = entry.dimensions.iter().map(|d| dimension_name(*d, words)).collect();
        add(page.what_went_wrong, dimensions.join(words.list_separator), false);
        if entry.kind == Kind::Failure
            && let Some(status) = entry.status
        {
            let name = match status {
                Status::Open => page.status_open,
                Status::Acknowledged => page.status_acknowledged,
                Status::Fixed => page.status_fixed,
            };
            add(words.status, name.to_owned(), false);
        }
        let touchpoint = &entry.touchpoint;
        for (label, value) in
            [(words.page_label, &touchpoint.page), (words.order, &touchpoint.order), (words.agent, &touchpoint.agent)]
        {
            add(label, value.as_deref().map(|v| clean(v, true)).unwrap_or_default(), true);
        }
        let contact = ctx.contact();
        if let Some(contact) = contact {
            let parts: Vec<String> = [&contact.name, &contact.email, &contact.phone]
                .into_iter()
                .flatten()
                .map(|part| clean(part, true))
                .filter(|part| !part.is_empty())
                .collect();
            add(page.contact, parts.join(" · "), true);
            let channel = contact.channel.map(|channel| match channel {
                Channel::Email => words.channel_names[0],
                Channel::Phone => words.channel_names[1],
            });
            add(words.preferred_channel, channel.unwrap_or_default().to_owned(), false);
        }
        add(words.assignee, ctx.assignee.map(|a| clean(a, true)).unwrap_or_default(), true);
        add(page.received, locale.date_time_utc(entry.created_ms), false);
        if entry.kind == Kind::Failure {
            let due = |minutes: u32| locale.date_time_utc(entry.created_ms + u64::from(minutes) * 60_000);
            match entry.acknowledged_ms {
                Some(at) => add(words.acknowledged_at, locale.date_time_utc(at), false),
                None => add(page.ack_due, due(sla.acknowledge_minutes), false),
            }
            match entry.fixed_ms {
                Some(at) => add(words.fixed_at, locale.date_time_utc(at), false),
                None => add(page.fix_due, due(sla.fix_minutes), false),
            }
        }

        let comment = clean(&entry.comment, false);
        let note = clean(&entry.fix_note, false);
        let reply_to = contact
            .and_then(|c| c.email.as_deref())
            .map(|email| clean(email, true))
            .filter(|email| is_mail_address(email));
        Story {
            words,
            event: ctx.event,
            icon,
            title: fill(headline, &[("site", &site)]),
            detail,
            comment: (!comment.is_empty()).then_some(comment),
            note: (ctx.event == EventType::FailureFixed && !note.is_empty()).then_some(note),
            facts,
            rating,
            link: ctx.link(),
            site,
            reply_to,
            created_ms: entry.created_ms,
        }
    }
}

/// The entry a test alert is about (the owner's "send a test alert", which sends a
/// `failure.reported` through the real path to one endpoint): a failure with the lowest
/// rating of the site's scale, one SERVQUAL choice, and a comment that says, in the endpoint's
/// language, that this is a test. It has no contact, touchpoint or receipt: no customer's data
/// goes out in a test, and nothing about it is stored as feedback.
pub fn test_alert_entry(site: &Site, id: String, now_ms: u64, words: &AlertWords) -> Entry {
    let scale = site.settings.scale;
    Entry {
        comment: words.test_comment.to_owned(),
        dimensions: vec![Dimension::Reliability],
        lang: words.lang().to_owned(),
        ..Entry::new(id, site.id.clone(), now_ms, scale, scale.min(), Kind::Failure)
    }
}

/// A SERVQUAL dimension in the page's words.
fn dimension_name(dimension: Dimension, words: &AlertWords) -> &'static str {
    let index = Dimension::ALL.iter().position(|d| *d == dimension).unwrap_or_default();
    words.page.dimension_names.get(index).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::escalation::EscalationStep;
    use crate::callbacks::fixtures::{entry, site};
    use crate::callbacks::words;
    use crate::entry::Channel;

    fn labels(story: &Story) -> Vec<&'static str> {
        story.facts.iter().map(|f| f.label).collect()
    }

    #[test]
    fn a_failure_tells_everything_needed_to_call_back_and_praise_keeps_the_contact_out() {
        let site = site();
        let mut entry = entry();
        entry.touchpoint.order = Some("A-1001".into());
        entry.touchpoint.agent = Some("Mart\u{202E}".into());
        if let Some(contact) = entry.contact.as_mut() {
            contact.channel = Some(Channel::Email);
        }
        let step = EscalationStep { step: 1, clock: SlaClock::Acknowledge, multiple: 2, due_ms: 0 };
        let ctx = EventContext {
            event: EventType::FailureOverdue,
            entry: &entry,
            site: &site,
            origin: "https://tellus.example",
            now_ms: entry.created_ms + 125 * 60_000,
            overdue: Some(step),
            assignee: Some("Kadri"),
        };
        let story = Story::of(&ctx, &words::EN);
        assert_eq!(story.title, "Overdue failure on Shop <&>");
        assert_eq!(
            story.detail.as_deref(),
            Some("Not acknowledged in time. Target: 1 hour. Time since it was reported: 2 hours 5 minutes.")
        );
        assert_eq!(story.comment.as_deref(), Some("Cold <b>food</b>"));
        let facts: Vec<(&str, &str)> = story.facts.iter().map(|f| (f.label, f.value.as_str())).collect();
        let customer: Vec<&str> = story.facts.iter().filter(|f| f.customer).map(|f| f.label).collect();
        assert_eq!(customer, ["Page", "Order", "Agent", "Contact (customer consented)", "Assigned to"]);
        assert_eq!(
            facts,
            [
                ("Rating", "1 of 5 (satisfaction)"),
                ("What went wrong", "It did not work as promised (reliability)"),
                ("Status", "Open"),
                ("Page", "/checkout"),
                ("Order", "A-1001"),
                ("Agent", "Mart"),
                ("Contact (customer consented)", "Ann · ann@example.com"),
                ("Preferred channel", "email"),
                ("Assigned to", "Kadri"),
                ("Received", "Nov 14, 2023, 22:13 UTC"),
                ("Acknowledge by", "Nov 14, 2023, 23:13 UTC"),
                ("Fix by", "Nov 15, 2023, 22:13 UTC"),
            ]
        );
        assert_eq!(story.reply_to.as_deref(), Some("ann@example.com"));
        assert_eq!(story.link, "https://tellus.example/s/site1/entries/01jd0000000000000000000000");

        let praise = Story::of(&EventContext { event: EventType::PraiseReceived, ..ctx }, &words::EN);
        assert!(!labels(&praise).contains(&"Contact (customer consented)"), "contact goes with failures only");
        assert_eq!(praise.note, None);
        assert_eq!(praise.reply_to, None, "nor does Reply-To");
    }

    #[test]
    fn a_test_alert_says_it_is_a_test_and_carries_no_customer_data() {
        let site = site();
        let entry = test_alert_entry(&site, "01jd0000000000000000000001".into(), 5_000, &words::FI);
        let ctx = EventContext {
            event: EventType::FailureReported,
            entry: &entry,
            site: &site,
            origin: "https://tellus.example",
            now_ms: 5_000,
            overdue: None,
            assignee: None,
        };
        let story = Story::of(&ctx, &words::FI);
        assert_eq!(story.comment.as_deref(), Some(words::FI.test_comment));
        assert_eq!(story.rating, "1/5 (tyytyväisyys)");
        assert_eq!(story.reply_to, None);
        assert!(story.facts.iter().all(|f| !f.customer), "no customer or teammate data in a test");
    }

    #[test]
    fn a_fix_says_what_was_done_and_how_long_it_took_in_the_owner_language() {
        let site = site();
        let mut entry = entry();
        entry.status = Some(Status::Fixed);
        entry.acknowledged_ms = Some(entry.created_ms + 30 * 60_000);
        entry.fixed_ms = Some(entry.created_ms + 26 * 60 * 60_000);
        entry.fix_note = "Called back,\r\nsent a new meal".into();
        if let Some(contact) = entry.contact.as_mut() {
            contact.email = Some("ann@example.com\r\nBcc: x@evil.example".into());
        }
        let ctx = EventContext {
            event: EventType::FailureFixed,
            entry: &entry,
            site: &site,
            origin: "https://tellus.example",
            now_ms: entry.created_ms + 27 * 60 * 60_000,
            overdue: None,
            assignee: None,
        };
        let story = Story::of(&ctx, &words::RU);
        assert_eq!(story.title, "Сбой исправлен: Shop <&>");
        assert_eq!(story.detail.as_deref(), Some("Время исправления: 1 день 2 часа."));
        assert_eq!(story.note.as_deref(), Some("Called back,\nsent a new meal"));
        assert!(labels(&story).contains(&"Подтверждён") && labels(&story).contains(&"Исправлен"));
        assert!(!labels(&story).contains(&"Ответственный"), "no assignee, no line");
        assert_eq!(story.reply_to, None, "an address that could add a header is never a Reply-To");
    }
}
