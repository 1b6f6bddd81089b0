//! Inline SVG charts for the owner's summary page, rendered on the server so they need no
//! JavaScript. Each chart is an `<svg role="img">` labelled by its `<title>` and `<desc>`
//! (the description states every number, for screen readers); the page also prints the data
//! as a table. Colours come from classes in `www/summary.css`, never from `style` attributes,
//! because the page's Content-Security-Policy allows no inline styles.
//!
//! In a right-to-left language the charts mirror (labels on the right, bars growing leftwards,
//! time running from right to left), as the rest of the page does. Each SVG lays out in `ltr`
//! (`direction="ltr"`), so its coordinates and text anchors mean the same in every page, and
//! [`Mirror`] flips the coordinates; the text itself still reads in its own script's direction.

use std::fmt::Write;
use tellus_core::html::escape;
use tellus_core::locale::Locale;

/// One bar of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: u32,
}

/// One day of the trend chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// Short label under the bar (e.g. `11-23`).
    pub label: String,
    pub responses: u32,
    pub mean_rating: Option<f64>,
}

const WIDTH: u32 = 640;
const ROW: u32 = 30;
const LABEL_WIDTH: u32 = 200;
/// Longest label drawn inside a chart; the table under it has the full text.
const MAX_LABEL_CHARS: usize = 28;

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        return label.to_owned();
    }
    let mut cut: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Horizontal coordinates and text anchors, as drawn left to right, mirrored for a
/// right-to-left language.
#[derive(Clone, Copy)]
struct Mirror {
    rtl: bool,
}

impl Mirror {
    fn of(locale: &Locale) -> Mirror {
        Mirror { rtl: locale.is_rtl() }
    }

    /// A point's x.
    fn x(self, x: u32) -> u32 {
        if self.rtl { WIDTH.saturating_sub(x) } else { x }
    }

    /// The left edge of a box drawn from `x` with `width`.
    fn left(self, x: u32, width: u32) -> u32 {
        if self.rtl { WIDTH.saturating_sub(x + width) } else { x }
    }

    /// A text anchor (`start` is the left end in the SVG's `ltr` layout).
    fn anchor(self, anchor: &'static str) -> &'static str {
        match (self.rtl, anchor) {
            (true, "start") => "end",
            (true, "end") => "start",
            _ => anchor,
        }
    }
}

fn open_svg(out: &mut String, id: &str, title: &str, desc: &str, height: u32) {
    let _ = write!(
        out,
        r#"<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet" direction="ltr" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
}

/// A horizontal bar chart: one labelled row per bar, scaled to the largest value, the values
/// written the page language's way. `desc` should list the values in words; see [`describe_bars`].
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar], locale: &Locale) -> String {
    let height = ROW * (bars.len().max(1) as u32) + 10;
    let mut out = String::new();
    open_svg(&mut out, id, title, desc, height);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let room = WIDTH - LABEL_WIDTH - 60;
    let m = Mirror::of(locale);
    for (i, bar) in bars.iter().enumerate() {
        let y = ROW * i as u32 + 5;
        let width = (u64::from(bar.value) * u64::from(room) / u64::from(max)) as u32;
        let _ = write!(
            out,
            r#"<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}</text><rect class="chart-bar" x="{}" y="{y}" width="{}" height="{}" rx="3"/><text class="chart-value" x="{}" y="{}" text-anchor="{}">{}</text>"#,
            m.x(LABEL_WIDTH - 8),
            y + 17,
            m.anchor("end"),
            escape(&short(&bar.label)),
            m.left(LABEL_WIDTH, width.max(1)),
            width.max(1),
            ROW - 10,
            m.x(LABEL_WIDTH + width + 6),
            y + 17,
            m.anchor("start"),
            locale.integer(bar.value)
        );
    }
    if bars.is_empty() {
        let _ = write!(
            out,
            r#"<line class="chart-axis" x1="{x}" y1="5" x2="{x}" y2="{}"/>"#,
            height - 5,
            x = m.x(LABEL_WIDTH)
        );
    }
    out.push_str("</svg>");
    out
}

/// `label: value` pairs joined for a chart's `<desc>`.
pub fn describe_bars(bars: &[Bar], locale: &Locale) -> String {
    bars.iter().map(|b| format!("{}: {}", b.label, locale.integer(b.value))).collect::<Vec<_>>().join("; ")
}

/// Daily responses as columns and the mean rating as a line on its own axis (0 to
/// `rating_max`). Days without answers leave a gap in the line rather than a fake zero.
pub fn trend_chart(
    id: &str,
    title: &str,
    desc: &str,
    points: &[TrendPoint],
    rating_max: f64,
    locale: &Locale,
) -> String {
    const HEIGHT: u32 = 220;
    const TOP: u32 = 12;
    const BOTTOM: u32 = 190;
    const LEFT: u32 = 40;
    const RIGHT: u32 = WIDTH - 40;
    let mut out = String::new();
    open_svg(&mut out, id, title, desc, HEIGHT);
    let n = points.len().max(1) as u32;
    let slot = (RIGHT - LEFT) / n;
    let max = points.iter().map(|p| p.responses).max().unwrap_or(0).max(1);
    let plot = BOTTOM - TOP;
    let m = Mirror::of(locale);
    let _ = write!(
        out,
        r#"<line class="chart-axis" x1="{}" y1="{BOTTOM}" x2="{}" y2="{BOTTOM}"/><text class="chart-value" x="{}" y="{}" text-anchor="{end}">{}</text><text class="chart-value" x="{}" y="{}" text-anchor="{end}">{}</text><text class="chart-rating" x="{}" y="{}" text-anchor="{start}">{}</text>"#,
        m.x(LEFT),
        m.x(RIGHT),
        m.x(LEFT - 6),
        TOP + 10,
        locale.integer(max),
        m.x(LEFT - 6),
        BOTTOM,
        locale.integer(0),
        m.x(RIGHT + 6),
        TOP + 10,
        locale.decimal(rating_max, 0),
        end = m.anchor("end"),
        start = m.anchor("start"),
    );
    // Label at most about 10 days under the axis so the labels never overlap.
    let label_every = (points.len() / 10).max(1);
    let mut line = Vec::new();
    for (i, point) in points.iter().enumerate() {
        let x = LEFT + slot * i as u32;
        let height = (u64::from(point.responses) * u64::from(plot) / u64::from(max)) as u32;
        if point.responses > 0 {
            let _ = write!(
                out,
                r#"<rect class="chart-bar" x="{}" y="{}" width="{}" height="{height}"><title>{}: {}</title></rect>"#,
                m.left(x + slot / 8, (slot * 3 / 4).max(1)),
                BOTTOM - height,
                (slot * 3 / 4).max(1),
                escape(&point.label),
                locale.integer(point.responses)
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                out,
                r#"<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                m.x(x + slot / 2),
                BOTTOM + 18,
                escape(&point.label)
            );
        }
        match point.mean_rating {
            Some(mean) if rating_max > 0.0 => {
                let y = f64::from(BOTTOM) - (mean.clamp(0.0, rating_max) / rating_max) * f64::from(plot);
                line.push(format!("{},{y:.1}", m.x(x + slot / 2)));
            }
            _ => {
                flush_line(&mut out, &mut line);
            }
        }
    }
    flush_line(&mut out, &mut line);
    out.push_str("</svg>");
    out
}

fn flush_line(out: &mut String, line: &mut Vec<String>) {
    match line.len() {
        0 => {}
        1 => {
            if let Some((x, y)) = line[0].split_once(',') {
                let _ = write!(out, r#"<circle class="chart-dot" cx="{x}" cy="{y}" r="4"/>"#);
            }
        }
        _ => {
            let _ = write!(out, r#"<polyline class="chart-line" points="{}"/>"#, line.join(" "));
        }
    }
    line.clear();
}

/// Upper bounds (minutes, inclusive) of the time-to-fix buckets: 1 h, 4 h, 1 day, 3 days, more.
pub const FIX_BUCKETS_MINUTES: [u32; 4] = [60, 240, 1_440, 4_320];

/// How many fixes fall in each bucket of [`FIX_BUCKETS_MINUTES`] (the last counts the rest).
pub fn fix_time_buckets(minutes: &[u32]) -> [u32; 5] {
    let mut counts = [0u32; 5];
    for &m in minutes {
        let bucket = FIX_BUCKETS_MINUTES.iter().position(|&bound| m <= bound).unwrap_or(4);
        counts[bucket] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use tellus_core::locale::{AR, EN, RU};

    #[test]
    fn bars_are_scaled_labelled_and_escaped() {
        let bars = vec![
            Bar { label: "<script>alert(1)</script>".into(), value: 4 },
            Bar { label: "/checkout".into(), value: 2 },
        ];
        let svg = bar_chart("c1", "Fail<ures>", &describe_bars(&bars, &EN), &bars, &EN);
        assert!(svg.starts_with(r#"<svg class="chart" id="c1" role="img""#));
        assert!(svg.contains("<title id=\"c1-title\">Fail&lt;ures&gt;</title>"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains(r#"width="380""#), "{svg}");
        assert!(svg.contains(r#"width="190""#), "{svg}");
        assert!(!svg.contains("style"));
    }

    #[test]
    fn in_arabic_the_charts_mirror() {
        let bars = vec![Bar { label: "الموثوقية".into(), value: 4 }];
        let ltr = bar_chart("c", "t", "d", &bars, &EN);
        let rtl = bar_chart("c", "t", "d", &bars, &AR);
        assert!(ltr.contains(r#"direction="ltr""#) && rtl.contains(r#"direction="ltr""#), "anchors mean left/right");
        // The label ends just left of the bars in English, starts just right of them in Arabic.
        assert!(ltr.contains(r#"x="192" y="22" text-anchor="end""#), "{ltr}");
        assert!(rtl.contains(r#"x="448" y="22" text-anchor="start""#), "{rtl}");
        // The bar grows from x = 200 rightwards, or from x = 440 leftwards (380 wide).
        assert!(ltr.contains(r#"<rect class="chart-bar" x="200" y="5" width="380""#), "{ltr}");
        assert!(rtl.contains(r#"<rect class="chart-bar" x="60" y="5" width="380""#), "{rtl}");

        let day = |label: &str| TrendPoint { label: label.into(), responses: 1, mean_rating: Some(3.0) };
        let days = [day("first"), day("last")];
        let x_of = |svg: &str, label: &str| -> u32 {
            let end = svg.find(&format!(">{label}</text>")).unwrap_or(0);
            let start = svg[..end].rfind("x=\"").unwrap_or(0) + 3;
            svg[start..].split('"').next().and_then(|x| x.parse().ok()).unwrap_or(0)
        };
        let ltr = trend_chart("t", "t", "d", &days, 5.0, &EN);
        let rtl = trend_chart("t", "t", "d", &days, 5.0, &AR);
        assert!(x_of(&ltr, "first") < x_of(&ltr, "last"), "time runs left to right: {ltr}");
        assert!(x_of(&rtl, "first") > x_of(&rtl, "last"), "time runs right to left: {rtl}");
    }

    #[test]
    fn the_trend_line_breaks_on_days_without_answers() {
        let point = |responses, mean| TrendPoint { label: "d".into(), responses, mean_rating: mean };
        let points = [point(2, Some(4.0)), point(1, Some(2.0)), point(0, None), point(3, Some(5.0))];
        let svg = trend_chart("t", "Trend", "desc", &points, 5.0, &EN);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 1);
        assert_eq!(svg.matches("class=\"chart-bar\"").count(), 3);
        let empty = trend_chart("t", "Trend", "desc", &[], 5.0, &EN);
        assert!(empty.ends_with("</svg>"));
    }

    #[test]
    fn numbers_in_charts_follow_the_page_language() {
        let bars = vec![Bar { label: "/menu".into(), value: 12_345 }];
        assert_eq!(describe_bars(&bars, &RU), "/menu: 12\u{a0}345");
        assert!(bar_chart("c", "t", "d", &bars, &EN).contains(">12,345</text>"));
        let points = [TrendPoint { label: "23.11".into(), responses: 1_500, mean_rating: Some(4.5) }];
        let svg = trend_chart("t", "Trend", "desc", &points, 10.0, &RU);
        assert!(svg.contains(">1\u{a0}500</text>") && svg.contains(">10</text>"), "{svg}");
    }

    #[test]
    fn fix_times_fall_into_buckets() {
        assert_eq!(fix_time_buckets(&[0, 60, 61, 240, 1_000, 1_440, 5_000, u32::MAX]), [2, 2, 2, 0, 2]);
    }
}
