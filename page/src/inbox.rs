//! The inbox (`/s/{site}`): the figures of the unfixed failures, two tabs (failures, praise)
//! with their counts, the filters as a plain GET form (so a view is a bookmarkable address),
//! one compact line per entry — status, SLA clock (overdue first), rating, what went wrong,
//! touchpoint, agent, age, who handles it — a page at a time, and bulk acknowledge.

use crate::words::{age, dimension_short, duration, integer, sla_name, status_name};
use crate::{Frame, Section, owner_document};
use maud::{Markup, html};
use tellus_core::callbacks::SlaState;
use tellus_core::entry::{Dimension, Kind, Status};
use tellus_core::i18n::Lang;
use tellus_core::inbox::query::PERIODS;
use tellus_core::inbox::{AssigneeFilter, InboxPage, InboxQuery, InboxRow, SlaFilter, StatusFilter, Tab};
use tellus_core::limits::INBOX_PAGE_SIZE;
use tellus_core::page_strings::PageStrings;

/// The inbox page. `ignored` names the address's parameters that could not be used.
pub fn render(frame: &Frame<'_>, query: &InboxQuery, page: &InboxPage, ignored: &[String]) -> String {
    let s = frame.strings;
    let main = html! {
        (strip(frame, page))
        @if page.unhealthy_endpoints > 0 {
            p class="warning" role="status" data-warning="endpoints" {
                (s.count(s.endpoints_unhealthy, page.unhealthy_endpoints)) " "
                a href=(frame.href("alerts")) { (s.nav_alerts) }
            }
        }
        @if !ignored.is_empty() {
            p class="hint" data-warning="ignored" { (s.filters_ignored.replace("{names}", &ignored.join(", "))) }
        }
        nav class="tabs" aria-label=(s.inbox_tabs) {
            ul {
                @for (tab, label, n) in [(Tab::Failures, s.tab_failures, page.failures), (Tab::Praise, s.tab_praise, page.praise)] {
                    li {
                        a href=(format!("{}{}", frame.href(""), query.on_tab(tab).query_string()))
                            data-tab=(tab_key(tab)) aria-current=[(tab == query.tab).then_some("page")] {
                            (label) " " span class="count" data-count=(tab_key(tab)) { (integer(n, s)) }
                        }
                    }
                }
            }
        }
        (filters(frame, query, page))
        (list(frame, query, page))
    };
    owner_document(frame, Section::Inbox, s.inbox_title, main)
}

fn tab_key(tab: Tab) -> &'static str {
    match tab {
        Tab::Failures => "failures",
        Tab::Praise => "praise",
    }
}

/// What needs doing now, each figure a link to the view that lists it.
fn strip(frame: &Frame<'_>, page: &InboxPage) -> Markup {
    let s = frame.strings;
    let link = |query: InboxQuery| format!("{}{}", frame.href(""), query.query_string());
    let base = InboxQuery { page: 1, ..InboxQuery::default() };
    let figures = [
        ("open", s.open_failures, page.strip.unfixed, link(base.clone())),
        ("overdue", s.overdue_now, page.strip.overdue, link(InboxQuery { sla: SlaFilter::Overdue, ..base.clone() })),
        (
            "acknowledged",
            s.acknowledged_not_fixed,
            page.strip.acknowledged,
            link(InboxQuery { status: StatusFilter::Acknowledged, ..base.clone() }),
        ),
        (
            "unassigned",
            s.nobody_assigned,
            page.strip.unassigned,
            link(InboxQuery { assignee: Some(AssigneeFilter::Nobody), ..base.clone() }),
        ),
    ];
    html! {
        section class="strip" aria-label=(s.strip_label) {
            dl class="figures" {
                @for (key, label, n, href) in figures {
                    div class="figure" data-figure=(key) {
                        dt { (label) }
                        dd { a class="value" href=(href) { (integer(n, s)) } }
                    }
                }
            }
        }
    }
}

fn select_option(value: &str, label: &str, selected: bool) -> Markup {
    html! { option value=(value) selected[selected] { (label) } }
}

/// The filters as a GET form: submitting it is the new view's address.
fn filters(frame: &Frame<'_>, query: &InboxQuery, page: &InboxPage) -> Markup {
    let s = frame.strings;
    let failures = query.tab == Tab::Failures;
    let statuses = [
        (StatusFilter::Unfixed, s.filter_unfixed),
        (StatusFilter::Open, s.status_open),
        (StatusFilter::Acknowledged, s.status_acknowledged),
        (StatusFilter::Fixed, s.status_fixed),
        (StatusFilter::Any, s.filter_any),
    ];
    let slas = [
        (SlaFilter::Any, s.filter_any),
        (SlaFilter::Overdue, s.filter_overdue),
        (SlaFilter::AcknowledgeOverdue, s.sla_ack_overdue),
        (SlaFilter::FixOverdue, s.sla_fix_overdue),
        (SlaFilter::OnTime, s.sla_on_time),
    ];
    let assignee = match &query.assignee {
        Some(AssigneeFilter::Nobody) => "-".to_owned(),
        Some(AssigneeFilter::Named(name)) => name.clone(),
        None => String::new(),
    };
    html! {
        form class="filters" method="get" action=(frame.href("")) role="search" aria-label=(s.filters_label) {
            @if !failures { input type="hidden" name="tab" value="praise"; }
            @if failures {
                div class="field" {
                    label for="f-status" { (s.filter_status) }
                    select id="f-status" name="status" {
                        @for (value, label) in statuses { (select_option(value.as_str(), label, query.status == value)) }
                    }
                }
                div class="field" {
                    label for="f-sla" { (s.filter_sla) }
                    select id="f-sla" name="sla" {
                        @for (value, label) in slas { (select_option(value.as_str(), label, query.sla == value)) }
                    }
                }
                div class="field" {
                    label for="f-dimension" { (s.what_went_wrong) }
                    select id="f-dimension" name="dimension" {
                        (select_option("", s.filter_any, query.dimension.is_none()))
                        @for d in Dimension::ALL { (select_option(d.as_str(), dimension_short(d, s), query.dimension == Some(d))) }
                    }
                }
            }
            div class="field" {
                label for="f-touchpoint" { (s.touchpoint) }
                input id="f-touchpoint" name="touchpoint" list="touchpoints" maxlength="200" value=(query.touchpoint.as_deref().unwrap_or(""));
                datalist id="touchpoints" { @for t in &page.touchpoints { option value=(t) {} } }
            }
            div class="field" {
                label for="f-agent" { (s.agent) }
                input id="f-agent" name="agent" list="agents" maxlength="200" value=(query.agent.as_deref().unwrap_or(""));
                datalist id="agents" { @for a in &page.agents { option value=(a) {} } }
            }
            div class="field" {
                label for="f-assignee" { (s.assignee) }
                input id="f-assignee" name="assignee" list="teammates" maxlength="100" aria-describedby="f-assignee-hint" value=(assignee);
                datalist id="teammates" { @for t in &page.teammates { option value=(t) {} } }
                span class="hint" id="f-assignee-hint" { (s.assignee_filter_hint) }
            }
            div class="field" {
                label for="f-lang" { (s.language) }
                select id="f-lang" name="lang" {
                    (select_option("", s.filter_any, query.lang.is_none()))
                    @for lang in Lang::ALL {
                        (select_option(lang.code(), &s.language_name(lang.code()), query.lang.as_deref() == Some(lang.code())))
                    }
                    @if let Some(other) = query.lang.as_deref().filter(|l| Lang::ALL.iter().all(|k| k.code() != *l)) {
                        (select_option(other, other, true))
                    }
                }
            }
            div class="field" {
                label for="f-period" { (s.filter_period) }
                select id="f-period" name="period" {
                    (select_option("", s.filter_any_time, query.period.is_none()))
                    @for days in PERIODS { (select_option(&days.to_string(), &s.count(s.last_days, u64::from(days)), query.period == Some(days))) }
                }
            }
            div class="buttons" {
                button type="submit" data-action="filter" { (s.filter_apply) }
                @if query.is_filtered() {
                    a href=(format!("{}{}", frame.href(""), InboxQuery { tab: query.tab, page: 1, ..InboxQuery::default() }.query_string())) data-action="clear" { (s.filter_clear) }
                }
            }
        }
    }
}

/// The SLA clock of an unfixed failure: its state and how late it is, or how long is left.
pub fn clock(row: &InboxRow, frame: &Frame<'_>) -> (SlaState, String) {
    let s = frame.strings;
    let sla = frame.site.settings.sla;
    let state = row.sla_state(sla, frame.now_ms);
    let text = match row.deadline_ms(sla) {
        Some(deadline) => {
            let time = duration(deadline.abs_diff(frame.now_ms) / 60_000, s);
            let late = match state {
                // Past the fix deadline while still open: late against the fix, the later one.
                SlaState::FixOverdue => Some(row.created_ms + u64::from(sla.fix_minutes) * 60_000),
                SlaState::AcknowledgeOverdue => Some(deadline),
                _ => None,
            };
            match late {
                Some(by) => s.clock_late.replace("{time}", &duration(frame.now_ms.saturating_sub(by) / 60_000, s)),
                None => s.clock_left.replace("{time}", &time),
            }
        }
        None => String::new(),
    };
    (state, text)
}

/// What went wrong, in short: the dimensions' short names and the start of the comment.
fn what(row: &InboxRow, s: &PageStrings) -> String {
    let mut parts: Vec<String> = row.dimensions.iter().map(|d| dimension_short(*d, s).to_owned()).collect();
    if !row.excerpt.is_empty() {
        parts.push(format!("“{}”", row.excerpt));
    }
    parts.join(" · ")
}

fn list(frame: &Frame<'_>, query: &InboxQuery, page: &InboxPage) -> Markup {
    let s = frame.strings;
    let pages = page.matching.div_ceil(u64::from(INBOX_PAGE_SIZE)).max(1);
    let from = query.query_string();
    let any_open = page.rows.iter().any(|r| r.status == Some(Status::Open));
    let rows = html! {
        ol class="inbox" data-list=(tab_key(query.tab)) {
            @for row in &page.rows { (line(frame, row, &from)) }
        }
    };
    html! {
        section class="results" aria-labelledby="h-results" {
            h2 id="h-results" class="result-count" { (s.count(s.matching, page.matching)) }
            @if page.rows.is_empty() {
                p class="empty" { (if query.is_filtered() { s.nothing_matches } else if query.tab == Tab::Praise { s.no_praise } else { s.nothing_to_fix }) }
            } @else if query.tab == Tab::Failures && any_open {
                (frame.form("bulk", "inbox/acknowledge", html! {
                    input type="hidden" name="from" value=(from);
                    (rows)
                    button type="submit" data-action="bulk-acknowledge" { (s.acknowledge_selected) }
                }))
            } @else {
                (rows)
            }
            @if pages > 1 {
                nav class="pager" aria-label=(s.pages_label) {
                    @if query.page > 1 {
                        a rel="prev" href=(format!("{}{}", frame.href(""), query.on_page(query.page - 1).query_string())) data-page="prev" { (s.page_previous) }
                    }
                    span class="where" { (s.page_of.replace("{page}", &integer(query.page, s)).replace("{pages}", &integer(pages, s))) }
                    @if u64::from(query.page) < pages {
                        a rel="next" href=(format!("{}{}", frame.href(""), query.on_page(query.page + 1).query_string())) data-page="next" { (s.page_next) }
                    }
                }
            }
        }
    }
}

/// One line: a link to the case with its status, SLA clock, rating and what went wrong, then
/// where, who and when. Open failures carry a checkbox for the bulk acknowledge.
fn line(frame: &Frame<'_>, row: &InboxRow, from: &str) -> Markup {
    let s = frame.strings;
    let (state, clock_text) = clock(row, frame);
    let (sla_text, sla_class) = sla_name(state, s);
    let scale_max = frame.site.settings.scale.max();
    let case = format!("{}?from={}", frame.href(&format!("entries/{}", row.id)), encode(from));
    let minutes = frame.now_ms.saturating_sub(row.created_ms) / 60_000;
    html! {
        li class={ "line " (if row.kind == Kind::Praise { "praise" } else { "failure" }) } id=(format!("entry-{}", row.id))
            data-entry-id=(row.id) data-status=(row.status.map_or("praise", Status::as_str)) data-sla=(state.as_str()) {
            @if row.status == Some(Status::Open) {
                span class="pick" {
                    input type="checkbox" name="id" value=(row.id) id=(format!("pick-{}", row.id)) data-pick=(row.id);
                    label for=(format!("pick-{}", row.id)) class="vh" { (s.select_line) }
                }
            } @else {
                span class="pick" {}
            }
            a class="case-link" href=(case) {
                span class="status" { (status_name(row.status, s)) }
                @if !sla_text.is_empty() {
                    " " span class={ "sla " (sla_class) } data-field="sla" { (sla_text) }
                    @if !clock_text.is_empty() { " " span class="clock" { (clock_text) } }
                }
                " " span class="rating" data-field="rating" { (row.rating) "\u{202f}/\u{202f}" (scale_max) }
                " " span class="what" dir="auto" { (what(row, s)) }
            }
            span class="where" data-field="touchpoint" {
                span class="vh" { (s.touchpoint) ": " }
                bdi { (if row.page.is_empty() { s.no_data } else { &row.page }) }
            }
            span class="agent" data-field="agent" {
                span class="label" { (s.agent) ": " }
                bdi { (if row.agent.is_empty() { s.no_data } else { &row.agent }) }
            }
            span class="age" data-field="age" { span class="vh" { (s.received) ": " } (age(minutes, s)) }
            span class="assignee" data-field="assignee" {
                span class="label" { (s.assignee) ": " }
                bdi { (if row.assignee.is_empty() { s.nobody } else { &row.assignee }) }
            }
        }
    }
}

/// Percent-encodes a query string for use as one parameter's value.
pub fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::site;
    use tellus_core::inbox::Strip;
    use tellus_core::page_strings::{AR, EN};

    fn row(id: &str, created_ms: u64, status: Option<Status>) -> InboxRow {
        InboxRow {
            id: id.into(),
            created_ms,
            kind: if status.is_some() { Kind::Failure } else { Kind::Praise },
            status,
            rating: 1,
            dimensions: vec![Dimension::Responsiveness],
            page: "/checkout\"><img src=x>".into(),
            agent: "<b>Mari</b>".into(),
            assignee: String::new(),
            excerpt: "<script>alert(1)</script>".into(),
            lang: "en".into(),
            acknowledged_ms: None,
            fixed_ms: None,
        }
    }

    #[test]
    fn lines_show_the_clock_escape_customer_text_and_page_through_the_view() {
        let site = site();
        let now = 10 * 86_400_000;
        let frame = Frame { strings: &EN, site: &site, csrf: "t\"", now_ms: now, notice: None };
        let page = InboxPage {
            rows: vec![
                row("late", now - 30 * 3_600_000, Some(Status::Open)),
                row("new", now - 10 * 60_000, Some(Status::Open)),
            ],
            matching: 60,
            failures: 60,
            praise: 3,
            strip: Strip { unfixed: 60, overdue: 1, acknowledged: 0, unassigned: 60 },
            ..InboxPage::default()
        };
        let (query, _) = InboxQuery::parse([("touchpoint", "/checkout"), ("page", "2")]);
        let html = render(&frame, &query, &page, &["status".to_owned()]);
        assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>Mari"), "escaped");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains(r#"data-sla="fix_overdue""#) && html.contains("late by 6 hours"), "{html}");
        assert!(html.contains("50 minutes left"), "{html}");
        assert!(html.contains("Page 2 of 3") && html.contains("touchpoint=%2Fcheckout&amp;page=3"), "{html}");
        assert!(html.contains(r#"data-count="praise">3<"#));
        assert!(html.contains(r#"value="t&quot;""#), "the CSRF token is an escaped attribute");
        assert!(html.contains("status"), "ignored filters are named");
        assert!(!html.contains("style="), "the CSP allows no inline style");
        let arabic = Frame { strings: &AR, ..frame };
        assert!(render(&arabic, &query, &page, &[]).contains(r#"dir="rtl""#));
    }
}
