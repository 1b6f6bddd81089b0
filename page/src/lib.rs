//! The owner's pages as HTML: the inbox (`inbox`), a case (`case`), the summary with its charts
//! (`summary`, `charts`), the alert endpoints (`alerts`), the settings (`settings`), the sign-in
//! form and the error page (here). Each is a pure function of what the Worker read and the
//! session's CSRF token, unit-tested natively; the words are `tellus_core::i18n::page`.
//!
//! Markup is written with maud, which escapes every value put into the page (text and attribute
//! values alike), so customer- or owner-supplied text can never become markup; the one raw
//! insertion is the charts' SVG, built by `charts` with its own escaping. Rules the pages keep:
//! no script and no inline style (the pages' Content-Security-Policy forbids both; colours are
//! classes in `www/summary.css`), every action is a plain `<form method="post">` carrying the
//! session's CSRF token, so everything works with JavaScript off, and every list is paged.
//!
//! Linked by the Worker only: the widget never sees this crate, so its bytes cannot grow.

pub mod alerts;
pub mod case;
pub mod charts;
pub mod inbox;
pub mod settings;
pub mod summary;
pub mod words;

use maud::{DOCTYPE, Markup, html};
/// Escaping for the HTML core still writes by hand (the follow-up pages, emails) and for the few
/// attributes maud does not build: one function, core's.
pub use tellus_core::html::escape;
use tellus_core::page_strings::PageStrings;
use tellus_core::site::Site;

/// The parts of the owner's area, one page each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Inbox,
    Summary,
    Alerts,
    Settings,
}

/// What every signed-in page is drawn with.
pub struct Frame<'a> {
    pub strings: &'static PageStrings,
    pub site: &'a Site,
    /// The session's CSRF token, put into every form.
    pub csrf: &'a str,
    pub now_ms: u64,
    /// A confirmation after an action (a page string, not customer text).
    pub notice: Option<&'a str>,
}

impl Frame<'_> {
    /// The address of a page of this site's area (`""` is the inbox).
    pub fn href(&self, path: &str) -> String {
        if path.is_empty() { format!("/s/{}", self.site.id) } else { format!("/s/{}/{path}", self.site.id) }
    }

    /// The hidden CSRF field every form carries.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }

    /// A form posting to `path` under this site, with the CSRF field and `body` inside.
    pub fn form(&self, class: &str, path: &str, body: Markup) -> Markup {
        html! {
            form class=(class) method="post" action=(self.href(path)) {
                (self.csrf_field())
                (body)
            }
        }
    }
}

/// The `<head>` of every owner page: language, direction, the stylesheet.
fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="referrer" content="no-referrer";
            title { (title) }
            link rel="stylesheet" href="/summary.css";
        }
    }
}

/// A whole page around `body` (the sign-in and error pages, which show nothing of the site).
fn document(s: &PageStrings, title: &str, body_class: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(s.lang) dir=(s.dir) {
            (head(title))
            body class=(body_class) { (body) }
        }
    }
    .into_string()
}

/// A signed-in page: the site's name, the area's navigation (the current part marked), sign-out,
/// the notice of the last action, and `main`.
pub fn owner_document(frame: &Frame<'_>, section: Section, heading: &str, main: Markup) -> String {
    let s = frame.strings;
    let title = format!("{heading} — {}", frame.site.settings.name);
    let parts = [
        (Section::Inbox, "", s.nav_inbox),
        (Section::Summary, "summary", s.nav_summary),
        (Section::Alerts, "alerts", s.nav_alerts),
        (Section::Settings, "settings", s.nav_settings),
    ];
    document(
        s,
        &title,
        "owner",
        html! {
            header class="top" {
                div class="brand" {
                    p class="site-name" { (frame.site.settings.name) }
                    p class="product" { (s.title) }
                }
                nav class="sections" aria-label=(s.nav_label) {
                    ul {
                        @for (part, path, label) in parts {
                            li {
                                a href=(frame.href(path)) data-section=(label_key(part))
                                    aria-current=[(part == section).then_some("page")] { (label) }
                            }
                        }
                    }
                }
                (frame.form("logout", "logout", html! { button type="submit" data-action="logout" { (s.sign_out) } }))
            }
            main {
                h1 { (heading) }
                @if let Some(notice) = frame.notice {
                    p class="notice" role="status" { (notice) }
                }
                (main)
            }
        },
    )
}

fn label_key(section: Section) -> &'static str {
    match section {
        Section::Inbox => "inbox",
        Section::Summary => "summary",
        Section::Alerts => "alerts",
        Section::Settings => "settings",
    }
}

/// The sign-in form; `failed` adds the wrong-key message. Shows nothing about the site, not
/// even whether it exists.
pub fn login_page(s: &PageStrings, site_id: &str, failed: bool) -> String {
    document(
        s,
        s.sign_in_title,
        "login",
        html! {
            main class="login-box" {
                h1 { (s.sign_in_title) }
                p { (s.sign_in_intro) }
                @if failed {
                    p class="error" id="login-error" role="alert" { (s.wrong_key) }
                }
                form method="post" action=(format!("/s/{site_id}/login")) {
                    label for="owner-key" { (s.owner_key) }
                    input id="owner-key" name="key" type="password" autocomplete="current-password" required
                        spellcheck="false" aria-describedby=[failed.then_some("login-error")];
                    button type="submit" data-action="login" { (s.sign_in) }
                }
            }
        },
    )
}

/// A small page for an action that could not be done (e.g. the entry was deleted meanwhile).
pub fn message_page(s: &PageStrings, site_id: &str, detail: &str) -> String {
    document(
        s,
        s.error_title,
        "message",
        html! {
            main class="login-box" {
                h1 { (s.error_title) }
                p class="error" role="alert" { (detail) }
                p { a href=(format!("/s/{site_id}")) { (s.back) } }
            }
        },
    )
}

/// What an error page says in the page's language: one sentence per kind of failure an owner
/// can meet on the page, naming the field to fix, and one for any other refused request (a
/// wrong method or content type). `fields` are the problem's bad fields.
pub fn error_text(s: &PageStrings, status: u16, fields: &[&str]) -> String {
    let label = |field: &str| match field {
        "note" => s.fix_note.to_owned(),
        "text" => s.text_label.to_owned(),
        "assignee" => s.assignee.to_owned(),
        "events" => s.events_label.to_owned(),
        other => other.to_owned(),
    };
    match status {
        403 => s.error_forbidden.to_owned(),
        404 => s.error_not_found.to_owned(),
        409 => s.error_conflict.to_owned(),
        413 => s.error_too_large.to_owned(),
        422 if fields.contains(&"confirm") => s.error_confirm.to_owned(),
        422 if !fields.is_empty() => {
            fields.iter().map(|f| s.error_invalid.replace("{field}", &label(f))).collect::<Vec<_>>().join(" ")
        }
        429 => s.error_busy.to_owned(),
        500..=599 => s.error_internal.to_owned(),
        _ => s.error_request.to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use tellus_core::entry::{Contact, Dimension, Entry, Kind, Scale, Status, Touchpoint};
    use tellus_core::site::{Site, SiteSettings};

    pub fn site() -> Site {
        let settings = SiteSettings::parse(br#"{"name":"Shop <b>","allowed_origins":["https://shop.example"]}"#);
        Site { id: "site1".into(), created_ms: 0, owner_key_hash: String::new(), settings: settings.unwrap() }
    }

    pub fn entry(id: &str, created_ms: u64, status: Option<Status>, comment: &str) -> Entry {
        Entry {
            status,
            comment: comment.into(),
            dimensions: vec![Dimension::Empathy],
            touchpoint: Touchpoint {
                page: Some("/checkout\"><img src=x>".into()),
                agent: Some("<i>Mari</i>".into()),
                ..Touchpoint::default()
            },
            contact: Some(Contact {
                name: Some("<i>Ann</i>".into()),
                email: Some("a@b.example".into()),
                phone: None,
                channel: Some(tellus_core::entry::Channel::Email),
            }),
            receipt_token: "secret-token".into(),
            ..Entry::new(
                id.into(),
                "site1".into(),
                created_ms,
                Scale::Csat,
                1,
                if status.is_some() { Kind::Failure } else { Kind::Praise },
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tellus_core::page_strings::{AR, EN, FI, PL, RU};

    #[test]
    fn errors_speak_the_page_language_and_name_the_field() {
        assert_eq!(error_text(&FI, 403, &[]), FI.error_forbidden);
        assert_eq!(error_text(&AR, 422, &["confirm"]), AR.error_confirm);
        let invalid = error_text(&PL, 422, &["note"]);
        assert!(invalid.contains(PL.fix_note) && !invalid.contains("{field}"), "{invalid}");
        assert_eq!(error_text(&RU, 503, &[]), RU.error_internal);
        assert_eq!(error_text(&RU, 405, &[]), RU.error_request);
        assert_eq!(error_text(&FI, 415, &[]), FI.error_request);
        assert_eq!(error_text(&AR, 429, &[]), AR.error_busy);
    }

    #[test]
    fn the_login_page_reveals_nothing_and_reports_a_wrong_key() {
        let page = login_page(&EN, "site1", true);
        assert!(page.contains(r#"action="/s/site1/login""#));
        assert!(page.contains("role=\"alert\"") && page.contains(r#"aria-describedby="login-error""#));
        assert!(!login_page(&EN, "site1", false).contains("role=\"alert\""));
        assert!(login_page(&AR, "site1", false).contains(r#"<html lang="ar" dir="rtl">"#));
    }
}
