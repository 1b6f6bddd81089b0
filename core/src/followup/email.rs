//! The follow-up email itself: in the customer's language (the entry's `lang`), from the site's
//! name, with the owner's reply; after a fix it asks "We fixed it — how are we doing now?" with
//! one link per rating of the site's scale. Plain text and HTML carry the same words; in the
//! HTML, everything the owner or the customer wrote (and the site's name) is escaped.
//!
//! Every email carries `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
//! (RFC 8058: mail clients show an unsubscribe button that POSTs to the address), and the same
//! address as a link at the bottom; both stop further emails about that entry only.

use super::{FollowUp, Links, ratings, recipient};
use crate::entry::{Entry, Scale};
use crate::html::escape;
use crate::i18n::followup::{FollowUpStrings, of_tag};
use crate::i18n::widget::Text;
use crate::mail::{MAX_SUBJECT_CHARS, MailMessage, one_line};
use crate::site::Site;
use std::fmt::Write;

/// Everything an email is made from.
pub struct EmailContext<'a> {
    pub site: &'a Site,
    pub entry: &'a Entry,
    pub follow_up: FollowUp,
    /// The tellus host's origin, for the links (`https://tellus.example`).
    pub base: &'a str,
    /// The deployment's sender address (`MAIL_FROM`).
    pub from: &'a str,
}

/// The words of a rating as a link or a radio button shows it: CSAT `4 – Good`, NPS `7`.
pub fn rating_label(s: &FollowUpStrings, scale: Scale, rating: u8) -> String {
    const CSAT: [Text; 5] = [Text::Csat1, Text::Csat2, Text::Csat3, Text::Csat4, Text::Csat5];
    match scale {
        Scale::Csat => match CSAT.get(usize::from(rating.saturating_sub(1))) {
            Some(text) => format!("{rating} – {}", s.widget(*text)),
            None => rating.to_string(),
        },
        Scale::Nps => rating.to_string(),
    }
}

/// The status sentence the widget's return visit shows for the entry.
pub fn status_text(s: &FollowUpStrings, entry: &Entry) -> &'static str {
    use crate::entry::Status;
    s.widget(match entry.status {
        Some(Status::Fixed) => Text::NewsFixed,
        Some(Status::Acknowledged) => Text::NewsAcknowledged,
        _ => Text::NewsOpen,
    })
}

/// The email for a follow-up, or `None` when nobody may be written to (see [`recipient`]).
pub fn email(ctx: &EmailContext<'_>) -> Option<MailMessage> {
    let to = recipient(ctx.entry)?;
    let s = of_tag(&ctx.entry.lang);
    let site_name = one_line(&ctx.site.settings.name, 100);
    let links = Links::of(ctx.base, ctx.entry);
    let subject_template = match ctx.follow_up {
        FollowUp::Replied => s.reply_subject,
        FollowUp::Fixed => s.fixed_subject,
    };
    let subject = one_line(&subject_template.replace("{site}", &site_name), MAX_SUBJECT_CHARS);
    let name = ctx.entry.contact.as_ref().and_then(|c| c.name.as_deref()).map(|n| one_line(n, 100));
    let greeting = match &name {
        Some(name) if !name.is_empty() => s.greeting_named.replace("{name}", name),
        _ => s.greeting.to_owned(),
    };
    let intro = match ctx.follow_up {
        FollowUp::Replied => s.reply_intro.replace("{site}", &site_name),
        FollowUp::Fixed => s.widget(Text::NewsFixed).to_owned(),
    };
    let reply = ctx.entry.reply.as_ref().map(|r| r.text.as_str()).filter(|t| !t.trim().is_empty());
    let reply_heading = s.reply_heading.replace("{site}", &site_name);
    let asks_rating = ctx.follow_up == FollowUp::Fixed && ctx.entry.rerating.is_none();
    let scale = ctx.entry.scale;
    let why = s.why.replace("{site}", &site_name);

    let mut text = format!("{greeting}\n\n{intro}\n");
    if let Some(reply) = reply {
        let _ = write!(text, "\n{reply_heading}\n");
        for line in reply.lines() {
            let _ = writeln!(text, "> {line}");
        }
    }
    if asks_rating {
        let _ = write!(text, "\n{}\n", s.widget(Text::RerateQuestion));
        if scale == Scale::Nps {
            let _ = writeln!(text, "({}; {})", s.widget(Text::NpsLow), s.widget(Text::NpsHigh));
        }
        for rating in ratings(scale) {
            let _ = writeln!(text, "  {}: {}", rating_label(s, scale, rating), links.rating(rating));
        }
        let _ = writeln!(text, "{}", s.rate_hint);
    }
    let _ = write!(
        text,
        "\n{}: {}\n\n-- \n{why}\n{}: {}\n",
        s.open_receipt, links.receipt, s.unsubscribe, links.unsubscribe
    );

    let lang = s.lang;
    let mut html = format!(
        r#"<!doctype html>
<html lang="{lang}" dir="{dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body dir="{dir}">
<p>{greeting}</p>
<p>{intro}</p>
"#,
        dir = lang.dir(),
        title = escape(&subject),
        greeting = escape(&greeting),
        intro = escape(&intro),
    );
    if let Some(reply) = reply {
        let lines: Vec<String> = reply.lines().map(escape).collect();
        let _ = write!(
            html,
            "<p><strong>{}</strong></p>\n<blockquote>{}</blockquote>\n",
            escape(&reply_heading),
            lines.join("<br>")
        );
    }
    if asks_rating {
        let _ = writeln!(html, "<p><strong>{}</strong></p>", escape(s.widget(Text::RerateQuestion)));
        if scale == Scale::Nps {
            let _ = writeln!(html, "<p>{}; {}</p>", escape(s.widget(Text::NpsLow)), escape(s.widget(Text::NpsHigh)));
        }
        html.push_str("<ul>\n");
        for rating in ratings(scale) {
            let _ = writeln!(
                html,
                r#"<li><a href="{}">{}</a></li>"#,
                escape(&links.rating(rating)),
                escape(&rating_label(s, scale, rating))
            );
        }
        let _ = write!(html, "</ul>\n<p>{}</p>\n", escape(s.rate_hint));
    }
    let _ = write!(
        html,
        r#"<p><a href="{receipt}">{open}</a></p>
<hr>
<p><small>{why}</small></p>
<p><small><a href="{unsubscribe}">{unsubscribe_text}</a></small></p>
</body>
</html>
"#,
        receipt = escape(&links.receipt),
        open = escape(s.open_receipt),
        why = escape(&why),
        unsubscribe = escape(&links.unsubscribe),
        unsubscribe_text = escape(s.unsubscribe),
    );

    Some(MailMessage {
        from_name: site_name,
        from: ctx.from.to_owned(),
        to: to.to_owned(),
        reply_to: None,
        subject,
        text,
        html,
        headers: vec![
            ("List-Unsubscribe".into(), format!("<{}>", links.unsubscribe)),
            ("List-Unsubscribe-Post".into(), "List-Unsubscribe=One-Click".into()),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::tests::entry;
    use crate::followup::{receipt_segment, tests::TOKEN};
    use crate::i18n::Lang;
    use crate::site::SiteSettings;

    fn site(name: &str) -> Site {
        Site {
            id: "shop-1".into(),
            created_ms: 0,
            owner_key_hash: String::new(),
            settings: SiteSettings {
                name: name.into(),
                allowed_origins: vec!["https://shop.example".into()],
                scale: Scale::Csat,
                failure_threshold: 2,
                sla: Default::default(),
                review_links: Vec::new(),
                theme_color: "#1f5fbf".into(),
                retention_days: 365,
            },
        }
    }

    fn render(site: &Site, entry: &Entry, follow_up: FollowUp) -> Option<MailMessage> {
        email(&EmailContext { site, entry, follow_up, base: "https://tellus.example", from: "tellus@tellus.example" })
    }

    #[test]
    fn a_fix_email_asks_again_with_one_link_per_rating_in_the_customers_language() {
        for lang in Lang::ALL {
            let mut e = entry();
            e.lang = format!("{}-XX", lang.code());
            e.reply(e.created_ms + 1, "Sorry about that".into());
            e.fix(e.created_ms + 2, "internal note".into()).unwrap();
            let m = render(&site("Soup & Co"), &e, FollowUp::Fixed).unwrap();
            let s = crate::i18n::followup::of(lang);
            assert_eq!(m.to, "ada@example.com");
            assert_eq!(m.from_name, "Soup & Co");
            assert!(m.subject.contains("Soup & Co"), "{lang:?}: {}", m.subject);
            assert!(m.text.contains(s.widget(Text::RerateQuestion)), "{lang:?}");
            assert!(m.html.contains(&escape(s.widget(Text::RerateQuestion))), "{lang:?}");
            assert!(m.html.contains(&format!(r#"lang="{}" dir="{}""#, lang.code(), lang.dir())));
            assert!(m.text.contains("> Sorry about that"));
            assert!(!m.text.contains("internal note"), "the fix note is the owner's");
            let segment = receipt_segment("shop-1", &e.id, TOKEN);
            for rating in 1..=5 {
                let link = format!("https://tellus.example/r/{segment}?rating={rating}");
                assert!(m.text.contains(&link), "{lang:?} {rating}");
                assert!(m.html.contains(&format!(r#"href="{link}""#)), "{lang:?} {rating}");
            }
            assert!(!m.text.contains("rating=0") && !m.text.contains("rating=6"));
            let unsubscribe = format!("https://tellus.example/r/{segment}/unsubscribe");
            assert_eq!(m.headers[0], ("List-Unsubscribe".into(), format!("<{unsubscribe}>")));
            assert_eq!(m.headers[1], ("List-Unsubscribe-Post".into(), "List-Unsubscribe=One-Click".into()));
            assert!(m.text.contains(&unsubscribe) && m.html.contains(&unsubscribe));
        }
    }

    #[test]
    fn an_nps_fix_email_links_zero_to_ten() {
        let mut e = entry();
        e.scale = Scale::Nps;
        e.fix(e.created_ms + 2, String::new()).unwrap();
        let m = render(&site("Shop"), &e, FollowUp::Fixed).unwrap();
        for rating in 0..=10 {
            assert!(m.text.contains(&format!("?rating={rating}\n")), "{rating}");
        }
    }

    #[test]
    fn a_reply_email_carries_the_reply_and_no_rating_links() {
        let mut e = entry();
        e.lang = "ru".into();
        e.reply(e.created_ms + 1, "Line one\nLine two".into());
        let m = render(&site("Shop"), &e, FollowUp::Replied).unwrap();
        assert_eq!(m.subject, "Shop ответил на ваш отзыв");
        assert!(m.text.starts_with("Здравствуйте, Ada!"));
        assert!(m.text.contains("> Line one\n> Line two\n"));
        assert!(m.html.contains("<blockquote>Line one<br>Line two</blockquote>"));
        assert!(!m.text.contains("?rating="));
    }

    #[test]
    fn everything_anyone_wrote_is_escaped_and_headers_stay_on_one_line() {
        let mut e = entry();
        if let Some(contact) = e.contact.as_mut() {
            contact.name = Some("<b>Eve</b>\r\nBcc: x@example.com".into());
        }
        e.reply(e.created_ms + 1, "<script>alert(1)</script> & \"quotes\"".into());
        let m = render(&site("<i>Shop</i>\r\nX-Evil: 1"), &e, FollowUp::Replied).unwrap();
        assert!(!m.html.contains("<script>") && !m.html.contains("<b>Eve") && !m.html.contains("<i>Shop"));
        assert!(m.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
        assert!(!m.subject.contains('\n') && !m.subject.contains('\r'));
        assert!(!m.from_name.contains('\n') && !m.from_name.contains('\r'));
        assert!(!m.text.contains("\r\nBcc"));
    }

    #[test]
    fn without_consent_or_address_there_is_no_email() {
        let mut e = entry();
        e.contact = None;
        e.reply(e.created_ms + 1, "Hi".into());
        assert_eq!(render(&site("Shop"), &e, FollowUp::Replied), None);
    }
}
