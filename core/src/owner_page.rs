//! The owner's summary page as HTML: a pure function of what the Worker read (summary numbers,
//! failures to fix, praise, callback health) and the session's CSRF token. No I/O here, so the
//! whole page, escaping included, is unit-tested natively.
//!
//! Rules the markup keeps: every customer- or owner-supplied string goes through [`escape`];
//! no inline script or style (the page's CSP forbids both; colours are classes in
//! `www/summary.css`); every action is a plain `<form method="post">` carrying the session's CSRF
//! token, so the page works with JavaScript off; charts have text alternatives and a table.

use crate::callbacks::{DeliveryState, DeliveryView, EndpointStatus, EndpointView, SlaClock, SlaState, sla_state};
use crate::charts::{Bar, TrendPoint, bar_chart, describe_bars, fix_time_buckets, trend_chart};
use crate::entry::{Channel, Dimension, Entry, Scale, Status};
use crate::html::escape;
use crate::page_strings::PageStrings;
use crate::site::{Site, Sla};
use crate::summary::{Figures, Summary};
use crate::time::parse_iso_date as parse_date;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Most failures the page lists; the most urgent come first.
pub const MAX_FAILURES_SHOWN: usize = 100;
/// Failed deliveries listed per endpoint, newest first.
pub const MAX_FAILED_SHOWN: usize = 5;

/// One callback endpoint with its recent deliveries.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EndpointHealth {
    pub view: EndpointView,
    pub last: Option<DeliveryView>,
    pub failed: Vec<DeliveryView>,
}

/// Everything the page shows.
pub struct PageData<'a> {
    pub strings: &'static PageStrings,
    pub site: &'a Site,
    pub summary: &'a Summary,
    /// Unfixed failures, most urgent first (see [`sort_by_urgency`]).
    pub failures: &'a [Entry],
    /// More unfixed failures exist than are listed.
    pub more_failures: bool,
    pub praise: &'a [Entry],
    pub endpoints: &'a [EndpointHealth],
    /// The newest callback delivery about each entry.
    pub entry_deliveries: &'a BTreeMap<String, DeliveryView>,
    pub csrf: &'a str,
    pub now_ms: u64,
    /// A confirmation after an action (already a page string, not customer text).
    pub notice: Option<&'static str>,
}

/// The deadline a failure is racing now: acknowledging while open, fixing once acknowledged.
pub fn next_deadline_ms(entry: &Entry, sla: Sla) -> u64 {
    entry.next_deadline_ms(sla).unwrap_or_else(|| entry.created_ms.saturating_add(u64::from(sla.fix_minutes) * 60_000))
}

/// Oldest SLA breach first: the failure whose current deadline passed longest ago leads.
pub fn sort_by_urgency(failures: &mut [Entry], sla: Sla) {
    failures.sort_by(|a, b| next_deadline_ms(a, sla).cmp(&next_deadline_ms(b, sla)).then(a.id.cmp(&b.id)));
}

/// A duration in minutes in the two largest units, each counted in the language's plural form:
/// `45 minutes`, `3 hours 20 minutes`, `2 days 4 hours`, `3 часа 20 минут`.
pub fn duration(minutes: u64, s: &PageStrings) -> String {
    let (d, h, m) = (minutes / 1_440, minutes % 1_440 / 60, minutes % 60);
    let both = |a: String, b: String| format!("{a}{}{b}", s.unit_joiner);
    match (d, h) {
        (0, 0) => s.count(s.minutes, m),
        (0, _) if m == 0 => s.count(s.hours, h),
        (0, _) => both(s.count(s.hours, h), s.count(s.minutes, m)),
        _ if h == 0 => s.count(s.days, d),
        _ => both(s.count(s.days, d), s.count(s.hours, h)),
    }
}

/// A moment as the language writes a date and time, in UTC.
fn when(ms: u64, s: &PageStrings) -> String {
    s.locale().date_time_utc(ms)
}

/// `2026-11-23T09:05:00Z` (how delivery times are kept) as a moment; `None` for anything else.
fn iso_ms(text: &str) -> Option<u64> {
    let day = parse_date(text.get(..10)?)?;
    let hours: u64 = text.get(11..13)?.parse().ok()?;
    let minutes: u64 = text.get(14..16)?.parse().ok()?;
    Some(day * 86_400_000 + (hours * 60 + minutes) * 60_000)
}

fn integer(n: impl Into<i128>, s: &PageStrings) -> String {
    s.locale().integer(n)
}

fn percent(value: Option<f64>, s: &PageStrings) -> String {
    value.map_or_else(|| s.no_data.to_owned(), |v| s.locale().percent(v))
}

fn signed(value: Option<f64>, s: &PageStrings) -> String {
    value.map_or_else(|| s.no_data.to_owned(), |v| s.locale().signed(v))
}

fn minutes_text(value: Option<u32>, s: &PageStrings) -> String {
    value.map_or_else(|| s.no_data.to_owned(), |m| duration(u64::from(m), s))
}

fn dimension_name(dimension: Dimension, s: &PageStrings) -> &'static str {
    let index = Dimension::ALL.iter().position(|d| *d == dimension).unwrap_or(0);
    s.dimension_names[index]
}

fn status_name(status: Option<Status>, s: &PageStrings) -> &'static str {
    match status {
        Some(Status::Open) => s.status_open,
        Some(Status::Acknowledged) => s.status_acknowledged,
        Some(Status::Fixed) => s.status_fixed,
        None => "",
    }
}

fn delivery_state(state: DeliveryState, s: &PageStrings) -> &'static str {
    let index = match state {
        DeliveryState::Pending => 0,
        DeliveryState::Delivered => 1,
        DeliveryState::Failed => 2,
        DeliveryState::Cancelled => 3,
    };
    s.delivery_states[index]
}

/// An endpoint's status in the page's language.
fn endpoint_status(status: EndpointStatus, s: &PageStrings) -> &'static str {
    let index = EndpointStatus::ALL.iter().position(|known| *known == status).unwrap_or(0);
    s.endpoint_statuses[index]
}

/// A delivery as `failure.reported failed (HTTP 410), 3 attempts`; the event type stays as it
/// is, because it is the name the owner subscribes to.
fn delivery_text(delivery: &DeliveryView, s: &PageStrings) -> String {
    let mut text = format!("{} {}", delivery.event.as_str(), delivery_state(delivery.state, s));
    if let Some(status) = delivery.last_status {
        let _ = write!(text, " (HTTP {status})");
    }
    let _ = write!(text, ", {}", s.count(s.attempts, u64::from(delivery.attempts)));
    text
}

/// The start of every owner page: doctype, language, the stylesheet.
pub fn head(s: &PageStrings, title: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="{}" dir="{}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{}</title>
<link rel="stylesheet" href="/summary.css">
</head>
"#,
        s.lang,
        s.dir,
        escape(title)
    )
}

/// The login form; `failed` adds the wrong-key message. Shows nothing about the site, not even
/// whether it exists.
pub fn login_page(s: &PageStrings, site_id: &str, failed: bool) -> String {
    let site = escape(site_id);
    let error = if failed {
        format!(r#"<p class="error" id="login-error" role="alert">{}</p>"#, escape(s.wrong_key))
    } else {
        String::new()
    };
    let described = if failed { r#" aria-describedby="login-error""# } else { "" };
    format!(
        r#"{}<body class="login">
<main class="login-box">
<h1>{}</h1>
<p>{}</p>
{error}<form method="post" action="/s/{site}/login">
<label for="owner-key">{}</label>
<input id="owner-key" name="key" type="password" autocomplete="current-password" required spellcheck="false"{described}>
<button type="submit" data-action="login">{}</button>
</form>
</main>
</body>
</html>
"#,
        head(s, s.sign_in_title),
        escape(s.sign_in_title),
        escape(s.sign_in_intro),
        escape(s.owner_key),
        escape(s.sign_in)
    )
}

/// A small page for an action that could not be done (e.g. the entry was deleted meanwhile).
pub fn message_page(s: &PageStrings, site_id: &str, detail: &str) -> String {
    format!(
        r#"{}<body>
<main class="login-box">
<h1>{}</h1>
<p class="error" role="alert">{}</p>
<p><a href="/s/{}">{}</a></p>
</main>
</body>
</html>
"#,
        head(s, s.error_title),
        escape(s.error_title),
        escape(detail),
        escape(site_id),
        escape(s.back)
    )
}

/// What an error page says in the page's language: one sentence per kind of failure an owner
/// can meet on the page, naming the field to fix, and one for any other refused request (a
/// wrong method or content type). `fields` are the problem's bad fields.
pub fn error_text(s: &PageStrings, status: u16, fields: &[&str]) -> String {
    let label = |field: &str| match field {
        "note" => s.fix_note.to_owned(),
        "text" => s.reply_label.to_owned(),
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

fn hidden_fields(csrf: &str, days: u32) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}"><input type="hidden" name="days" value="{days}">"#,
        escape(csrf)
    )
}

/// The whole summary page.
pub fn render(data: &PageData<'_>) -> String {
    let s = data.strings;
    let site = escape(&data.site.id);
    let days = data.summary.days;
    let title = format!("{} — {}", data.site.settings.name, s.title);
    let mut out = head(s, &title);
    let _ = write!(
        out,
        r#"<body class="owner">
<header class="top">
<div class="brand"><p class="site-name">{}</p><h1>{}</h1></div>
<nav class="periods" aria-label="{}"><ul>"#,
        escape(&data.site.settings.name),
        escape(s.title),
        escape(s.period)
    );
    for period in [7u32, 30, 90] {
        let current = if period == days { r#" aria-current="page""# } else { "" };
        let _ = write!(
            out,
            r#"<li><a href="/s/{site}?days={period}"{current} data-period="{period}">{}</a></li>"#,
            escape(&s.count(s.last_days, u64::from(period)))
        );
    }
    let _ = write!(
        out,
        r#"</ul></nav>
<form class="logout" method="post" action="/s/{site}/logout">{}<button type="submit" data-action="logout">{}</button></form>
</header>
<main>
"#,
        hidden_fields(data.csrf, days),
        escape(s.sign_out)
    );
    if let Some(notice) = data.notice {
        let _ = write!(out, r#"<p class="notice" role="status">{}</p>"#, escape(notice));
    }
    headline(&mut out, data);
    charts(&mut out, data);
    failures(&mut out, data);
    praise(&mut out, data);
    callbacks(&mut out, data);
    breakdowns(&mut out, data);
    let _ = write!(
        out,
        r#"<section class="export" aria-labelledby="h-export"><h2 id="h-export">{}</h2>
<p><a href="/s/{site}/export.csv?days={days}" data-export="csv" download>{}</a> <a href="/s/{site}/export.json?days={days}" data-export="json" download>{}</a></p>
</section>
</main>
</body>
</html>
"#,
        escape(s.export),
        escape(s.export_csv),
        escape(s.export_json)
    );
    out
}

fn figure(out: &mut String, key: &str, label: &str, value: &str, previous: Option<&str>, s: &PageStrings) {
    let _ = write!(
        out,
        r#"<div class="figure" data-figure="{key}"><dt>{}</dt><dd><span class="value">{}</span>"#,
        escape(label),
        escape(value)
    );
    if let Some(previous) = previous {
        let _ = write!(out, r#"<span class="previous">{} {}</span>"#, escape(s.previous), escape(previous));
    }
    out.push_str("</dd></div>");
}

fn headline(out: &mut String, data: &PageData<'_>) {
    let s = data.strings;
    let (now, before) = (&data.summary.current, &data.summary.previous);
    let _ = write!(
        out,
        r#"<section class="headline" aria-labelledby="h-headline"><h2 id="h-headline">{}</h2><p class="hint">{}</p><dl class="figures">"#,
        escape(&s.count(s.last_days, u64::from(data.summary.days))),
        escape(&s.count(s.compared, u64::from(data.summary.days)))
    );
    figure(out, "responses", s.responses, &integer(now.responses, s), Some(&integer(before.responses, s)), s);
    match data.summary.scale {
        Scale::Csat => {
            figure(out, "csat", s.csat, &percent(now.csat_percent, s), Some(&percent(before.csat_percent, s)), s);
        }
        Scale::Nps => {
            figure(out, "nps", s.nps, &signed(now.nps, s), Some(&signed(before.nps, s)), s);
            let split = [
                s.count(s.promoters, u64::from(now.promoters)),
                s.count(s.passives, u64::from(now.passives)),
                s.count(s.detractors, u64::from(now.detractors)),
            ]
            .join(" · ");
            let _ = write!(
                out,
                r#"<div class="figure wide" data-figure="nps-split"><dt>{}</dt><dd>{}</dd></div>"#,
                escape(s.nps),
                escape(&split)
            );
        }
    }
    figure(out, "failures", s.failures, &integer(now.failures, s), Some(&integer(before.failures, s)), s);
    figure(out, "open", s.open_failures, &integer(data.summary.open_failures, s), None, s);
    figure(
        out,
        "median-ack",
        s.median_ack,
        &minutes_text(now.median_ack_minutes, s),
        Some(&minutes_text(before.median_ack_minutes, s)),
        s,
    );
    figure(
        out,
        "median-fix",
        s.median_fix,
        &minutes_text(now.median_fix_minutes, s),
        Some(&minutes_text(before.median_fix_minutes, s)),
        s,
    );
    figure(
        out,
        "sla",
        s.sla_compliance,
        &percent(now.sla_compliance_percent, s),
        Some(&percent(before.sla_compliance_percent, s)),
        s,
    );
    figure(
        out,
        "recovery",
        s.recovery,
        &percent(now.recovery_percent, s),
        Some(&percent(before.recovery_percent, s)),
        s,
    );
    let clicks = |f: &Figures| integer(f.clicks.values().sum::<u32>(), s);
    figure(out, "clicks", s.clicks, &clicks(now), Some(&clicks(before)), s);
    out.push_str("</dl></section>\n");
}

fn data_table(out: &mut String, s: &PageStrings, head: [&str; 2], rows: &[(String, String)]) {
    let _ = write!(
        out,
        r#"<details class="numbers"><summary>{}</summary><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        escape(s.show_data),
        escape(head[0]),
        escape(head[1])
    );
    for (label, value) in rows {
        let _ = write!(out, r#"<tr><th scope="row">{}</th><td>{}</td></tr>"#, escape(label), escape(value));
    }
    out.push_str("</tbody></table></details>");
}

fn chart_block(out: &mut String, s: &PageStrings, id: &str, title: &str, bars: &[Bar], first_column: &str) {
    let _ = write!(
        out,
        r#"<figure class="chart-box" aria-labelledby="{id}-caption"><figcaption id="{id}-caption">{}</figcaption>"#,
        escape(title)
    );
    let locale = s.locale();
    out.push_str(&bar_chart(id, title, &describe_bars(bars, locale), bars, locale));
    let rows: Vec<(String, String)> = bars.iter().map(|b| (b.label.clone(), locale.integer(b.value))).collect();
    data_table(out, s, [first_column, s.count], &rows);
    out.push_str("</figure>");
}

fn charts(out: &mut String, data: &PageData<'_>) {
    let s = data.strings;
    let now = &data.summary.current;
    let locale = s.locale();
    out.push_str(r#"<section class="charts">"#);
    let points: Vec<TrendPoint> = data
        .summary
        .trend
        .iter()
        .map(|p| TrendPoint {
            label: locale.month_day(p.day as i64),
            responses: p.responses,
            mean_rating: p.mean_rating,
        })
        .collect();
    let trend_words: Vec<String> = data
        .summary
        .trend
        .iter()
        .filter(|p| p.responses > 0)
        .map(|p| {
            format!(
                "{}: {} ({} {})",
                locale.date(p.day as i64),
                locale.integer(p.responses),
                s.mean_rating,
                locale.decimal(p.mean_rating.unwrap_or(0.0), 1)
            )
        })
        .collect();
    let desc = format!("{} {}", s.trend_desc, trend_words.join("; "));
    let rating_max = f64::from(data.summary.scale.max());
    let _ = write!(
        out,
        r#"<figure class="chart-box wide" aria-labelledby="trend-caption"><figcaption id="trend-caption">{}</figcaption>"#,
        escape(s.trend_title)
    );
    out.push_str(&trend_chart("trend", s.trend_title, &desc, &points, rating_max, locale));
    let _ = write!(
        out,
        r#"<details class="numbers"><summary>{}</summary><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        escape(s.show_data),
        escape(s.day),
        escape(s.responses),
        escape(s.mean_rating)
    );
    for p in &data.summary.trend {
        let mean = p.mean_rating.map_or_else(|| s.no_data.to_owned(), |m| locale.decimal(m, 1));
        let _ = write!(
            out,
            r#"<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>"#,
            locale.date(p.day as i64),
            locale.integer(p.responses),
            mean
        );
    }
    out.push_str("</tbody></table></details></figure>");

    let dimension_bars: Vec<Bar> = Dimension::ALL
        .iter()
        .map(|d| Bar {
            label: dimension_name(*d, s).to_owned(),
            value: now.dimensions.get(d.as_str()).copied().unwrap_or(0),
        })
        .collect();
    chart_block(out, s, "dimensions", s.dimensions_title, &dimension_bars, s.what_went_wrong);

    let touchpoint_bars: Vec<Bar> = now
        .touchpoints
        .iter()
        .filter(|(_, count)| count.failures > 0)
        .take(10)
        .map(|(page, count)| Bar { label: page.clone(), value: count.failures })
        .collect();
    chart_block(out, s, "touchpoints", s.touchpoints_title, &touchpoint_bars, s.touchpoint);

    let buckets = fix_time_buckets(&now.fix_minutes);
    let fix_bars: Vec<Bar> =
        s.fix_buckets.iter().zip(buckets).map(|(label, value)| Bar { label: (*label).to_owned(), value }).collect();
    chart_block(out, s, "fix-time", s.fix_time_title, &fix_bars, s.fix_time_title);
    out.push_str("</section>\n");
}

fn entry_details(out: &mut String, entry: &Entry, data: &PageData<'_>) {
    let s = data.strings;
    let _ = write!(
        out,
        r#"<dl class="facts"><div><dt>{}</dt><dd data-field="rating">{}&#x202f;/&#x202f;{}</dd></div><div><dt>{}</dt><dd>{}</dd></div>"#,
        escape(s.rating),
        entry.rating,
        entry.scale.max(),
        escape(s.received),
        when(entry.created_ms, s)
    );
    if !entry.dimensions.is_empty() {
        let names: Vec<&str> = entry.dimensions.iter().map(|d| dimension_name(*d, s)).collect();
        let _ =
            write!(out, r#"<div><dt>{}</dt><dd>{}</dd></div>"#, escape(s.what_went_wrong), escape(&names.join(", ")));
    }
    let touchpoint: Vec<&str> = [&entry.touchpoint.page, &entry.touchpoint.order, &entry.touchpoint.agent]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !touchpoint.is_empty() {
        let _ = write!(
            out,
            r#"<div><dt>{}</dt><dd data-field="touchpoint">{}</dd></div>"#,
            escape(s.touchpoint),
            escape(&touchpoint.join(" · "))
        );
    }
    if let Some(contact) = &entry.contact {
        let _ = write!(out, r#"<div><dt>{}</dt><dd data-field="contact">"#, escape(s.contact));
        let mut parts = Vec::new();
        if let Some(name) = &contact.name {
            parts.push(escape(name));
        }
        if let Some(email) = &contact.email {
            parts.push(format!(r#"<a href="mailto:{0}">{0}</a>"#, escape(email)));
        }
        if let Some(phone) = &contact.phone {
            parts.push(format!(r#"<a href="tel:{0}">{0}</a>"#, escape(phone)));
        }
        if let Some(channel) = contact.channel {
            parts.push(match channel {
                Channel::Email => "(✉)".to_owned(),
                Channel::Phone => "(☎)".to_owned(),
            });
        }
        out.push_str(&parts.join(" "));
        out.push_str("</dd></div>");
    } else {
        let _ = write!(
            out,
            r#"<div><dt>{}</dt><dd data-field="contact">{}</dd></div>"#,
            escape(s.contact),
            escape(s.no_contact)
        );
    }
    out.push_str("</dl>");
    if !entry.comment.is_empty() {
        // The customer wrote in their own language, which may not be the page's: `lang` lets a
        // screen reader pronounce it (WCAG 3.1.2) and `dir="auto"` lays it out by its own script.
        let lang = if entry.lang.is_empty() { String::new() } else { format!(r#" lang="{}""#, escape(&entry.lang)) };
        let _ = write!(
            out,
            r#"<blockquote class="comment" data-field="comment"{lang} dir="auto">{}</blockquote>"#,
            escape(&entry.comment)
        );
    }
    if let Some(reply) = &entry.reply {
        let _ = write!(
            out,
            r#"<p class="reply" data-field="reply"><strong>{}</strong> ({}) {}</p>"#,
            escape(s.your_reply),
            when(reply.at_ms, s),
            escape(&reply.text)
        );
    }
}

fn reply_form(out: &mut String, entry: &Entry, data: &PageData<'_>) {
    let s = data.strings;
    let id = escape(&entry.id);
    let _ = write!(
        out,
        r#"<form class="action reply-form" method="post" action="/s/{}/entries/{id}/reply">{}<label for="reply-{id}">{}</label><textarea id="reply-{id}" name="text" rows="2" maxlength="2000" required></textarea><button type="submit" data-action="reply">{}</button></form>"#,
        escape(&data.site.id),
        hidden_fields(data.csrf, data.summary.days),
        escape(s.reply_label),
        escape(s.send_reply)
    );
}

fn failures(out: &mut String, data: &PageData<'_>) {
    let s = data.strings;
    let site = escape(&data.site.id);
    let sla = data.site.settings.sla;
    let _ = write!(
        out,
        r#"<section class="to-fix" aria-labelledby="h-to-fix"><h2 id="h-to-fix">{} <span class="count">{}</span></h2>"#,
        escape(s.to_fix_title),
        integer(data.summary.open_failures, s)
    );
    if data.failures.is_empty() {
        let _ = write!(out, r#"<p class="empty">{}</p></section>"#, escape(s.nothing_to_fix));
        return;
    }
    if data.more_failures {
        let _ = write!(out, r#"<p class="hint">{}</p>"#, escape(&s.count(s.more_to_fix, data.failures.len() as u64)));
    }
    out.push_str(r#"<ol class="entries">"#);
    for entry in data.failures {
        let id = escape(&entry.id);
        let state = sla_state(entry, sla, data.now_ms);
        let (state_text, state_class) = match state {
            SlaState::FixOverdue => (s.sla_fix_overdue, "late"),
            SlaState::AcknowledgeOverdue => (s.sla_ack_overdue, "late"),
            _ => (s.sla_on_time, "ok"),
        };
        let deadline = next_deadline_ms(entry, sla);
        let clock = if entry.status == Some(Status::Open) { SlaClock::Acknowledge } else { SlaClock::Fix };
        let due_label = match clock {
            SlaClock::Acknowledge => s.ack_due,
            SlaClock::Fix => s.fix_due,
        };
        let distance = duration(deadline.abs_diff(data.now_ms) / 60_000, s);
        let sign = if deadline < data.now_ms { "−" } else { "" };
        let _ = write!(
            out,
            r#"<li class="entry failure" id="entry-{id}" data-entry-id="{id}" data-status="{}"><article aria-labelledby="title-{id}"><header><h3 id="title-{id}"><span class="status">{}</span> <span class="sla {state_class}" data-sla="{}">{}</span></h3><p class="clock">{} {} ({sign}{})</p></header>"#,
            entry.status.map_or("", Status::as_str),
            escape(status_name(entry.status, s)),
            state.as_str(),
            escape(state_text),
            escape(due_label),
            when(deadline, s),
            escape(&distance)
        );
        entry_details(out, entry, data);
        let callback = data
            .entry_deliveries
            .get(&entry.id)
            .map_or_else(|| s.no_callbacks_sent.to_owned(), |d| delivery_text(d, s));
        let _ = write!(
            out,
            r#"<p class="callback" data-field="callback">{}: {}</p><div class="actions">"#,
            escape(s.callback_state),
            escape(&callback)
        );
        let hidden = hidden_fields(data.csrf, data.summary.days);
        if entry.status == Some(Status::Open) {
            let _ = write!(
                out,
                r#"<form class="action" method="post" action="/s/{site}/entries/{id}/acknowledge">{hidden}<button type="submit" data-action="acknowledge">{}</button></form>"#,
                escape(s.acknowledge)
            );
        }
        let _ = write!(
            out,
            r#"<form class="action fix-form" method="post" action="/s/{site}/entries/{id}/fix">{hidden}<label for="note-{id}">{}</label><input id="note-{id}" name="note" maxlength="2000"><button type="submit" data-action="fix">{}</button></form>"#,
            escape(s.fix_note),
            escape(s.fix)
        );
        reply_form(out, entry, data);
        let _ = write!(
            out,
            r#"<form class="action delete-form" method="post" action="/s/{site}/entries/{id}/delete">{hidden}<label class="confirm"><input type="checkbox" name="confirm" value="yes" required> {}</label><button type="submit" class="danger" data-action="delete">{}</button></form>"#,
            escape(s.delete_confirm),
            escape(s.delete)
        );
        out.push_str("</div></article></li>");
    }
    out.push_str("</ol></section>\n");
}

fn praise(out: &mut String, data: &PageData<'_>) {
    let s = data.strings;
    let _ = write!(
        out,
        r#"<section class="praise" aria-labelledby="h-praise"><h2 id="h-praise">{}</h2>"#,
        escape(s.praise_title)
    );
    if data.praise.is_empty() {
        let _ = write!(out, r#"<p class="empty">{}</p></section>"#, escape(s.no_praise));
        return;
    }
    out.push_str(r#"<ol class="entries">"#);
    for entry in data.praise {
        let id = escape(&entry.id);
        let _ = write!(out, r#"<li class="entry praise" id="entry-{id}" data-entry-id="{id}"><article>"#);
        entry_details(out, entry, data);
        out.push_str(r#"<div class="actions">"#);
        reply_form(out, entry, data);
        out.push_str("</div></article></li>");
    }
    out.push_str("</ol></section>\n");
}

fn callbacks(out: &mut String, data: &PageData<'_>) {
    let s = data.strings;
    let site = escape(&data.site.id);
    let _ = write!(
        out,
        r#"<section class="callbacks" aria-labelledby="h-callbacks"><h2 id="h-callbacks">{}</h2>"#,
        escape(s.callbacks_title)
    );
    if data.endpoints.is_empty() {
        let _ = write!(
            out,
            r#"<p class="empty">{}</p></section>"#,
            escape(&s.no_endpoints.replace("{site}", &data.site.id))
        );
        return;
    }
    let _ = write!(
        out,
        r#"<div class="table-scroll"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        escape(s.endpoint),
        escape(s.endpoint_status),
        escape(s.last_delivery),
        escape(s.failed_deliveries)
    );
    for health in data.endpoints {
        let endpoint = escape(&health.view.id);
        let last = health.last.as_ref().map_or_else(
            || s.none.to_owned(),
            |d| {
                let at = d.last_attempt_at.as_deref().unwrap_or(&d.created_at);
                format!("{} {}", delivery_text(d, s), iso_ms(at).map_or_else(|| at.to_owned(), |ms| when(ms, s)))
            },
        );
        let _ = write!(
            out,
            r#"<tr data-endpoint="{endpoint}"><th scope="row"><span class="url">{}</span></th><td><span class="badge {}" data-field="endpoint-status">{}</span></td><td>{}</td><td>"#,
            escape(&health.view.url),
            health.view.status.as_str(),
            escape(endpoint_status(health.view.status, s)),
            escape(&last)
        );
        if health.failed.is_empty() {
            out.push_str(&escape(s.none));
        } else {
            out.push_str("<ul class=\"failed\">");
            for delivery in &health.failed {
                let _ = write!(
                    out,
                    r#"<li><span>{}</span><form class="action inline" method="post" action="/s/{site}/callbacks/{endpoint}/deliveries/{}/replay">{}<button type="submit" data-action="replay">{}</button></form></li>"#,
                    escape(&delivery_text(delivery, s)),
                    escape(&delivery.id),
                    hidden_fields(data.csrf, data.summary.days),
                    escape(s.replay)
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></div></section>\n");
}

fn breakdowns(out: &mut String, data: &PageData<'_>) {
    let s = data.strings;
    let now = &data.summary.current;
    out.push_str(r#"<section class="breakdowns">"#);
    let mut langs: Vec<(&String, &u32)> = now.langs.iter().collect();
    langs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let total: u32 = langs.iter().map(|(_, n)| **n).sum();
    let _ = write!(
        out,
        r#"<div><h2>{}</h2><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        escape(s.languages),
        escape(s.language),
        escape(s.responses),
        escape(s.share)
    );
    for (lang, n) in langs {
        let share = f64::from(*n) * 100.0 / f64::from(total.max(1));
        let _ = write!(
            out,
            r#"<tr data-lang="{}"><th scope="row">{}</th><td>{}</td><td>{}</td></tr>"#,
            escape(lang),
            escape(&s.language_name(lang)),
            integer(*n, s),
            s.locale().percent(share)
        );
    }
    let _ = write!(
        out,
        r#"</tbody></table></div><div><h2>{}</h2><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        escape(s.clicks),
        escape(s.target),
        escape(s.count)
    );
    for (target, n) in &now.clicks {
        let _ = write!(
            out,
            r#"<tr data-click="{0}"><th scope="row">{0}</th><td>{1}</td></tr>"#,
            escape(target),
            integer(*n, s)
        );
    }
    out.push_str("</tbody></table></div></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{Contact, Kind, Touchpoint};
    use crate::page_strings::{AR, EN, FI, PL, RU};
    use crate::site::SiteSettings;
    use crate::summary::{Rollup, summarize};

    fn site() -> Site {
        let settings = SiteSettings::parse(br#"{"name":"Shop <b>","allowed_origins":["https://shop.example"]}"#);
        Site {
            id: "site1".into(),
            created_ms: 0,
            owner_key_hash: String::new(),
            settings: settings.unwrap_or_else(|_| panic!("settings")),
        }
    }

    fn entry(id: &str, created_ms: u64, status: Option<Status>, comment: &str) -> Entry {
        Entry {
            id: id.into(),
            site: "site1".into(),
            created_ms,
            scale: Scale::Csat,
            rating: 1,
            kind: if status.is_some() { Kind::Failure } else { Kind::Praise },
            status,
            comment: comment.into(),
            dimensions: vec![Dimension::Empathy],
            touchpoint: Touchpoint { page: Some("/checkout\"><img src=x>".into()), ..Touchpoint::default() },
            contact: Some(Contact {
                name: Some("<i>Ann</i>".into()),
                email: Some("a@b.example".into()),
                phone: None,
                channel: Some(Channel::Email),
            }),
            lang: "en".into(),
            receipt_token: "secret-token".into(),
            acknowledged_ms: None,
            fixed_ms: None,
            fix_note: String::new(),
            reply: None,
            rerating: None,
        }
    }

    #[test]
    fn customer_text_is_escaped_everywhere_and_secrets_stay_out() {
        let site = site();
        let summary = summarize(&[], &Rollup::new(20_000), 7, Scale::Csat, 1);
        let failures = [entry("e1", 0, Some(Status::Open), "<script>alert(1)</script>\"><img src=x onerror=alert(1)>")];
        let praise = [entry("e2", 0, None, "'great' & <b>fast</b>")];
        let html = render(&PageData {
            strings: &EN,
            site: &site,
            summary: &summary,
            failures: &failures,
            more_failures: false,
            praise: &praise,
            endpoints: &[],
            entry_deliveries: &BTreeMap::new(),
            csrf: "csrf\"token",
            now_ms: 20_000 * 86_400_000,
            notice: None,
        });
        assert!(!html.contains("<script"), "no script element may appear");
        assert!(!html.contains("<img"), "no image element may appear");
        assert!(!html.contains("<i>Ann"));
        assert!(!html.contains("<b>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("Shop &lt;b&gt;"));
        assert!(html.contains(r#"value="csrf&quot;token""#));
        assert!(!html.contains("secret-token"));
        assert!(!html.contains("style="), "the CSP allows no inline style");
        assert!(html.contains(r#"data-sla="fix_overdue""#));
    }

    #[test]
    fn an_nps_site_shows_the_score_and_its_split_instead_of_csat() {
        let site = site();
        let mut today = Rollup::new(20_000);
        for rating in [10, 9, 8, 3] {
            let meta = crate::entry::EntryMeta {
                r: rating,
                k: 'n',
                s: '-',
                d: 0,
                t: String::new(),
                a: None,
                x: None,
                rr: None,
                l: "et".into(),
            };
            today.add_entry(&meta, 0, Scale::Nps, Sla::default());
        }
        let summary = summarize(&[], &today, 30, Scale::Nps, 0);
        let html = render(&PageData {
            strings: &EN,
            site: &site,
            summary: &summary,
            failures: &[],
            more_failures: false,
            praise: &[],
            endpoints: &[],
            entry_deliveries: &BTreeMap::new(),
            csrf: "t",
            now_ms: 20_000 * 86_400_000,
            notice: Some(EN.done_fixed),
        });
        assert!(
            html.contains(r#"data-figure="nps"><dt>Net Promoter Score</dt><dd><span class="value">+25</span>"#),
            "{html}"
        );
        assert!(html.contains("2 promoters · 1 passive · 1 detractor"), "{html}");
        assert!(!html.contains(r#"data-figure="csat""#));
        assert!(html.contains(EN.nothing_to_fix) && html.contains(EN.no_praise) && html.contains(EN.done_fixed));
        assert!(html.contains(r#"<tr data-lang="et"><th scope="row">Estonian (et)</th><td>4</td><td>100%</td></tr>"#));
    }

    /// A Russian owner reads Russian plural forms, Russian numbers and dates, and the callback
    /// states in Russian; only the event type, a name the owner subscribes to, stays as it is.
    #[test]
    fn a_russian_page_counts_formats_and_translates_everything_it_can() {
        let site = site();
        let day = 20_780; // 2026-11-23
        let now_ms = day * 86_400_000 + 10 * 3_600_000;
        let mut today = Rollup::new(day);
        for rating in [10, 10, 9, 9, 9, 8, 3] {
            let meta = crate::entry::EntryMeta {
                r: rating,
                k: 'n',
                s: '-',
                d: 0,
                t: String::new(),
                a: None,
                x: None,
                rr: None,
                l: "ru-RU".into(),
            };
            today.add_entry(&meta, 0, Scale::Nps, Sla::default());
        }
        let summary = summarize(&[], &today, 7, Scale::Nps, 1);
        let failures = [entry("e1", day * 86_400_000 + 9 * 3_600_000 + 5 * 60_000, Some(Status::Open), "Too slow")];
        let delivery = DeliveryView {
            id: "msg_1".into(),
            event: crate::callbacks::EventType::FailureReported,
            entry_id: "e1".into(),
            state: DeliveryState::Failed,
            attempts: 3,
            last_status: Some(410),
            latency_ms: None,
            last_attempt_at: Some("2026-11-23T09:07:00Z".into()),
            next_attempt_at: None,
            created_at: "2026-11-23T09:05:00Z".into(),
        };
        let endpoint = EndpointHealth {
            view: EndpointView {
                id: "ep_1".into(),
                url: "https://hooks.example/t".into(),
                events: vec![],
                format: crate::callbacks::Format::Standard,
                description: String::new(),
                status: EndpointStatus::Disabled,
                disabled_reason: None,
                failing_since: None,
                previous_secret_valid_until: None,
                created_at: "2026-11-23T09:00:00Z".into(),
                lang: "en".into(),
                chat_id: None,
                signed: true,
            },
            last: Some(delivery.clone()),
            failed: vec![delivery.clone()],
        };
        let deliveries = BTreeMap::from([("e1".to_owned(), delivery)]);
        let html = render(&PageData {
            strings: &RU,
            site: &site,
            summary: &summary,
            failures: &failures,
            more_failures: true,
            praise: &[],
            endpoints: &[endpoint],
            entry_deliveries: &deliveries,
            csrf: "t",
            now_ms,
            notice: None,
        });
        for expected in [
            "Последние 7 дней",
            "В сравнении с предыдущими 7 днями.",
            "5 промоутеров · 1 нейтральный · 1 критик",
            "Показан только 1 самый срочный сбой",
            "23.11.2026, 09:05 UTC",
            "failure.reported не доставлено (HTTP 410), 3 попытки 23.11.2026, 09:07 UTC",
            r#"data-field="endpoint-status">отключён<"#,
            "<th scope=\"row\">русский (ru)</th><td>7</td><td>100\u{a0}%</td>",
            "Контакт (с согласия клиента)",
            r#"<blockquote class="comment" data-field="comment" lang="en" dir="auto">Too slow</blockquote>"#,
        ] {
            assert!(html.contains(expected), "{expected:?} in {html}");
        }
        assert!(!html.contains(" min") && !html.contains(" ×"), "no untranslated units");
    }

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
    fn urgency_puts_the_oldest_breach_first() {
        let sla = Sla { acknowledge_minutes: 60, fix_minutes: 600 };
        let mut list = vec![
            entry("acked", 0, Some(Status::Acknowledged), ""),
            entry("open-late", 30 * 60_000, Some(Status::Open), ""),
            entry("open-new", 100 * 60_000, Some(Status::Open), ""),
        ];
        sort_by_urgency(&mut list, sla);
        let order: Vec<&str> = list.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(order, ["open-late", "open-new", "acked"]);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(45, &EN), "45 minutes");
        assert_eq!(duration(1, &EN), "1 minute");
        assert_eq!(duration(120, &EN), "2 hours");
        assert_eq!(duration(200, &EN), "3 hours 20 minutes");
        assert_eq!(duration(3 * 1_440 + 60, &EN), "3 days 1 hour");
        assert_eq!(duration(2 * 1_440, &EN), "2 days");
        // Each number takes its own plural form.
        assert_eq!(duration(21 * 60 + 5, &RU), "21 час 5 минут");
        assert_eq!(duration(2 * 1_440 + 22 * 60, &RU), "2 дня 22 часа");
        assert_eq!(duration(12 * 60 + 22, &PL), "12 godzin 22 minuty");
        assert_eq!(duration(1_440 + 2 * 60, &AR), "يوم واحد وساعتان");
        assert_eq!(duration(11 * 1_440 + 3 * 60, &AR), "11 يومًا و3 ساعات");
        assert_eq!(duration(30, &FI), "30 minuuttia");
    }

    #[test]
    fn the_login_page_reveals_nothing_and_reports_a_wrong_key() {
        let page = login_page(&EN, "site1", true);
        assert!(page.contains(r#"action="/s/site1/login""#));
        assert!(page.contains("role=\"alert\""));
        assert!(!login_page(&EN, "site1", false).contains("role=\"alert\""));
    }
}
