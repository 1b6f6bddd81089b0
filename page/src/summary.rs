//! The summary (`/s/{site}/summary?days=7|30|90`): the period's figures against the period
//! before, the charts (each with a text alternative and its numbers as a table), the language
//! mix, the tell-others clicks and the export links.

use crate::charts::{Bar, TrendPoint, bar_chart, describe_bars, fix_time_buckets, trend_chart};
use crate::words::{dimension_name, integer, minutes_text, percent, signed};
use crate::{Frame, Section, owner_document};
use maud::{Markup, PreEscaped, html};
use tellus_core::entry::{Dimension, Scale};
use tellus_core::page_strings::PageStrings;
use tellus_core::summary::{Figures, Summary};

/// The summary page.
pub fn render(frame: &Frame<'_>, summary: &Summary) -> String {
    let s = frame.strings;
    let days = summary.days;
    let main = html! {
        nav class="periods" aria-label=(s.period) {
            ul {
                @for period in [7u32, 30, 90] {
                    li { a href=(format!("{}?days={period}", frame.href("summary"))) data-period=(period)
                        aria-current=[(period == days).then_some("page")] { (s.count(s.last_days, u64::from(period))) } }
                }
            }
        }
        (headline(s, summary))
        (charts(s, summary))
        (breakdowns(s, summary))
        section class="export" aria-labelledby="h-export" {
            h2 id="h-export" { (s.export) }
            p {
                a href=(format!("{}?days={days}", frame.href("export.csv"))) data-export="csv" download { (s.export_csv) }
                " "
                a href=(format!("{}?days={days}", frame.href("export.json"))) data-export="json" download { (s.export_json) }
            }
        }
    };
    owner_document(frame, Section::Summary, s.title, main)
}

fn figure(key: &str, label: &str, value: &str, previous: Option<&str>, s: &PageStrings) -> Markup {
    html! {
        div class="figure" data-figure=(key) {
            dt { (label) }
            dd {
                span class="value" { (value) }
                @if let Some(previous) = previous { span class="previous" { (s.previous) " " (previous) } }
            }
        }
    }
}

fn headline(s: &PageStrings, summary: &Summary) -> Markup {
    let (now, before) = (&summary.current, &summary.previous);
    let clicks = |f: &Figures| integer(f.clicks.values().sum::<u32>(), s);
    html! {
        section class="headline" aria-labelledby="h-headline" {
            h2 id="h-headline" { (s.count(s.last_days, u64::from(summary.days))) }
            p class="hint" { (s.count(s.compared, u64::from(summary.days))) }
            dl class="figures" {
                (figure("responses", s.responses, &integer(now.responses, s), Some(&integer(before.responses, s)), s))
                @match summary.scale {
                    Scale::Csat => (figure("csat", s.csat, &percent(now.csat_percent, s), Some(&percent(before.csat_percent, s)), s)),
                    Scale::Nps => {
                        (figure("nps", s.nps, &signed(now.nps, s), Some(&signed(before.nps, s)), s))
                        div class="figure wide" data-figure="nps-split" {
                            dt { (s.nps) }
                            dd { ([s.count(s.promoters, u64::from(now.promoters)), s.count(s.passives, u64::from(now.passives)),
                                   s.count(s.detractors, u64::from(now.detractors))].join(" · ")) }
                        }
                    }
                }
                (figure("failures", s.failures, &integer(now.failures, s), Some(&integer(before.failures, s)), s))
                (figure("open", s.open_failures, &integer(summary.open_failures, s), None, s))
                (figure("median-ack", s.median_ack, &minutes_text(now.median_ack_minutes, s), Some(&minutes_text(before.median_ack_minutes, s)), s))
                (figure("median-fix", s.median_fix, &minutes_text(now.median_fix_minutes, s), Some(&minutes_text(before.median_fix_minutes, s)), s))
                (figure("sla", s.sla_compliance, &percent(now.sla_compliance_percent, s), Some(&percent(before.sla_compliance_percent, s)), s))
                (figure("recovery", s.recovery, &percent(now.recovery_percent, s), Some(&percent(before.recovery_percent, s)), s))
                (figure("clicks", s.clicks, &clicks(now), Some(&clicks(before)), s))
            }
        }
    }
}

fn data_table(s: &PageStrings, head: [&str; 2], rows: &[(String, String)]) -> Markup {
    html! {
        details class="numbers" {
            summary { (s.show_data) }
            table {
                thead { tr { th scope="col" { (head[0]) } th scope="col" { (head[1]) } } }
                tbody { @for (label, value) in rows { tr { th scope="row" { (label) } td { (value) } } } }
            }
        }
    }
}

fn chart_block(s: &PageStrings, id: &str, title: &str, bars: &[Bar], first_column: &str) -> Markup {
    let locale = s.locale();
    let rows: Vec<(String, String)> = bars.iter().map(|b| (b.label.clone(), locale.integer(b.value))).collect();
    html! {
        figure class="chart-box" aria-labelledby=(format!("{id}-caption")) {
            figcaption id=(format!("{id}-caption")) { (title) }
            // The SVG is built (and its text escaped) by `charts`.
            (PreEscaped(bar_chart(id, title, &describe_bars(bars, locale), bars, locale)))
            (data_table(s, [first_column, s.count], &rows))
        }
    }
}

fn charts(s: &PageStrings, summary: &Summary) -> Markup {
    let now = &summary.current;
    let locale = s.locale();
    let points: Vec<TrendPoint> = summary
        .trend
        .iter()
        .map(|p| TrendPoint {
            label: locale.month_day(p.day as i64),
            responses: p.responses,
            mean_rating: p.mean_rating,
        })
        .collect();
    let trend_words: Vec<String> = summary
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
    let rating_max = f64::from(summary.scale.max());
    let dimension_bars: Vec<Bar> = Dimension::ALL
        .iter()
        .map(|d| Bar {
            label: dimension_name(*d, s).to_owned(),
            value: now.dimensions.get(d.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let touchpoint_bars: Vec<Bar> = now
        .touchpoints
        .iter()
        .filter(|(_, count)| count.failures > 0)
        .take(10)
        .map(|(page, count)| Bar { label: page.clone(), value: count.failures })
        .collect();
    let bucket_labels = s.fix_buckets;
    let fix_bars: Vec<Bar> = bucket_labels
        .iter()
        .zip(fix_time_buckets(&now.fix_minutes))
        .map(|(label, value)| Bar { label: (*label).to_owned(), value })
        .collect();
    html! {
        section class="charts" {
            figure class="chart-box wide" aria-labelledby="trend-caption" {
                figcaption id="trend-caption" { (s.trend_title) }
                (PreEscaped(trend_chart("trend", s.trend_title, &desc, &points, rating_max, locale)))
                details class="numbers" {
                    summary { (s.show_data) }
                    table {
                        thead { tr { th scope="col" { (s.day) } th scope="col" { (s.responses) } th scope="col" { (s.mean_rating) } } }
                        tbody {
                            @for p in &summary.trend {
                                tr {
                                    th scope="row" { (locale.date(p.day as i64)) }
                                    td { (locale.integer(p.responses)) }
                                    td { (p.mean_rating.map_or_else(|| s.no_data.to_owned(), |m| locale.decimal(m, 1))) }
                                }
                            }
                        }
                    }
                }
            }
            (chart_block(s, "dimensions", s.dimensions_title, &dimension_bars, s.what_went_wrong))
            (chart_block(s, "touchpoints", s.touchpoints_title, &touchpoint_bars, s.touchpoint))
            (chart_block(s, "fix-time", s.fix_time_title, &fix_bars, s.fix_time_title))
        }
    }
}

fn breakdowns(s: &PageStrings, summary: &Summary) -> Markup {
    let now = &summary.current;
    let mut langs: Vec<(&String, &u32)> = now.langs.iter().collect();
    langs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let total: u32 = langs.iter().map(|(_, n)| **n).sum();
    html! {
        section class="breakdowns" {
            div {
                h2 { (s.languages) }
                table {
                    thead { tr { th scope="col" { (s.language) } th scope="col" { (s.responses) } th scope="col" { (s.share) } } }
                    tbody {
                        @for (lang, n) in langs {
                            tr data-lang=(lang) {
                                th scope="row" { (s.language_name(lang)) }
                                td { (integer(*n, s)) }
                                td { (s.locale().percent(f64::from(*n) * 100.0 / f64::from(total.max(1)))) }
                            }
                        }
                    }
                }
            }
            div {
                h2 { (s.clicks) }
                table {
                    thead { tr { th scope="col" { (s.target) } th scope="col" { (s.count) } } }
                    tbody { @for (target, n) in &now.clicks { tr data-click=(target) { th scope="row" { (target) } td { (integer(*n, s)) } } } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::site;
    use tellus_core::entry::EntryMeta;
    use tellus_core::page_strings::{EN, RU};
    use tellus_core::site::Sla;
    use tellus_core::summary::{Rollup, summarize};

    fn meta(rating: u8, lang: &str) -> EntryMeta {
        EntryMeta { r: rating, k: 'n', s: '-', d: 0, t: String::new(), a: None, x: None, rr: None, l: lang.into() }
    }

    #[test]
    fn an_nps_site_shows_the_score_and_its_split_instead_of_csat() {
        let site = site();
        let mut today = Rollup::new(20_000);
        for rating in [10, 9, 8, 3] {
            today.add_entry(&meta(rating, "et"), 0, Scale::Nps, Sla::default());
        }
        let summary = summarize(&[], &today, 30, Scale::Nps, 0);
        let frame = Frame { strings: &EN, site: &site, csrf: "t", now_ms: 20_000 * 86_400_000, notice: None };
        let html = render(&frame, &summary);
        assert!(
            html.contains(r#"data-figure="nps"><dt>Net Promoter Score</dt><dd><span class="value">+25</span>"#),
            "{html}"
        );
        assert!(html.contains("2 promoters · 1 passive · 1 detractor"), "{html}");
        assert!(!html.contains(r#"data-figure="csat""#));
        assert!(html.contains(r#"<tr data-lang="et"><th scope="row">Estonian (et)</th><td>4</td><td>100%</td></tr>"#));
        assert!(
            html.contains(r#"aria-current="page" data-period="30""#)
                || html.contains(r#"data-period="30" aria-current="page""#)
        );
        assert!(!html.contains("style="), "the CSP allows no inline style");
    }

    /// A Russian owner reads Russian plural forms, numbers and dates.
    #[test]
    fn a_russian_summary_counts_and_formats_in_russian() {
        let site = site();
        let day = 20_780; // 2026-11-23
        let mut today = Rollup::new(day);
        for rating in [10, 10, 9, 9, 9, 8, 3] {
            today.add_entry(&meta(rating, "ru-RU"), 0, Scale::Nps, Sla::default());
        }
        let summary = summarize(&[], &today, 7, Scale::Nps, 1);
        let frame = Frame { strings: &RU, site: &site, csrf: "t", now_ms: day * 86_400_000, notice: None };
        let html = render(&frame, &summary);
        for expected in [
            "Последние 7 дней",
            "В сравнении с предыдущими 7 днями.",
            "5 промоутеров · 1 нейтральный · 1 критик",
            "<th scope=\"row\">русский (ru)</th><td>7</td><td>100\u{a0}%</td>",
        ] {
            assert!(html.contains(expected), "{expected:?} in {html}");
        }
    }
}
