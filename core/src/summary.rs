//! Summary math: daily rollups built from KV list metadata alone, and the owner's headline
//! numbers computed from rollups (closed days) plus today's live entries — O(days), never
//! O(entries).

use crate::entry::{Dimension, EntryMeta, Scale};
use crate::i18n::{Lang, primary_subtag};
use crate::site::Sla;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most touchpoints a rollup keeps (the busiest); the rest are summed under `(other)`.
pub const MAX_TOUCHPOINTS_PER_DAY: usize = 50;
const MS_PER_MINUTE: u64 = 60_000;

/// Responses and failures at one touchpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TouchpointCount {
    pub responses: u32,
    pub failures: u32,
}

/// One day of one site, aggregated. Durations are kept per failure (minutes) so medians
/// across days stay exact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rollup {
    pub day: u64,
    pub responses: u32,
    /// Count per rating value (index = rating, 0..=10).
    pub ratings: Vec<u32>,
    pub failures: u32,
    pub praise: u32,
    pub open: u32,
    pub acknowledged: u32,
    pub fixed: u32,
    /// Failures per SERVQUAL dimension, in [`Dimension::ALL`] order.
    pub dimensions: [u32; 5],
    pub touchpoints: BTreeMap<String, TouchpointCount>,
    pub langs: BTreeMap<String, u32>,
    pub ack_minutes: Vec<u32>,
    pub fix_minutes: Vec<u32>,
    pub ack_within_sla: u32,
    pub fix_within_sla: u32,
    /// Fixed failures whose customer rated again, and of those, how many are now satisfied.
    pub rerated: u32,
    pub recovered: u32,
    /// Tell-others clicks per target.
    pub clicks: BTreeMap<String, u32>,
}

impl Rollup {
    pub fn new(day: u64) -> Rollup {
        Rollup { day, ratings: vec![0; 11], ..Rollup::default() }
    }

    /// Adds one entry, as listed: its metadata and creation time.
    pub fn add_entry(&mut self, meta: &EntryMeta, created_ms: u64, scale: Scale, sla: Sla) {
        self.responses += 1;
        if let Some(slot) = self.ratings.get_mut(usize::from(meta.r)) {
            *slot += 1;
        }
        let page = if meta.t.is_empty() { "(none)".to_owned() } else { meta.t.clone() };
        let touchpoint = self.touchpoints.entry(page).or_default();
        touchpoint.responses += 1;
        // Counted by language, not by region; an entry without a language is English's.
        let lang = match primary_subtag(&meta.l) {
            "" => Lang::En.code(),
            primary => primary,
        };
        *self.langs.entry(lang.to_owned()).or_default() += 1;
        match meta.k {
            'p' => self.praise += 1,
            'f' => {
                self.failures += 1;
                touchpoint.failures += 1;
                for (i, d) in Dimension::ALL.iter().enumerate() {
                    if meta.d & d.bit() != 0 {
                        self.dimensions[i] += 1;
                    }
                }
                match meta.s {
                    'o' => self.open += 1,
                    'a' => self.acknowledged += 1,
                    'x' => self.fixed += 1,
                    _ => {}
                }
                if let Some(at) = meta.a {
                    let minutes = minutes_between(created_ms, at);
                    self.ack_minutes.push(minutes);
                    if minutes <= sla.acknowledge_minutes {
                        self.ack_within_sla += 1;
                    }
                }
                if let Some(at) = meta.x {
                    let minutes = minutes_between(created_ms, at);
                    self.fix_minutes.push(minutes);
                    if minutes <= sla.fix_minutes {
                        self.fix_within_sla += 1;
                    }
                }
                if let Some(rating) = meta.rr {
                    self.rerated += 1;
                    if rating >= scale.praise_from() {
                        self.recovered += 1;
                    }
                }
            }
            _ => {}
        }
    }

    pub fn add_click(&mut self, target: &str) {
        *self.clicks.entry(target.to_owned()).or_default() += 1;
    }

    /// Keeps the busiest touchpoints; the rest are summed under `(other)`.
    pub fn trim(&mut self) {
        if self.touchpoints.len() <= MAX_TOUCHPOINTS_PER_DAY {
            return;
        }
        let mut all: Vec<(String, TouchpointCount)> = std::mem::take(&mut self.touchpoints).into_iter().collect();
        all.sort_by(|a, b| b.1.responses.cmp(&a.1.responses).then_with(|| a.0.cmp(&b.0)));
        let rest = all.split_off(MAX_TOUCHPOINTS_PER_DAY - 1);
        let mut other = TouchpointCount::default();
        for (_, count) in rest {
            other.responses += count.responses;
            other.failures += count.failures;
        }
        self.touchpoints = all.into_iter().collect();
        self.touchpoints.insert("(other)".to_owned(), other);
    }

    fn merge(&mut self, other: &Rollup) {
        self.responses += other.responses;
        for (i, n) in other.ratings.iter().enumerate() {
            if let Some(slot) = self.ratings.get_mut(i) {
                *slot += n;
            }
        }
        self.failures += other.failures;
        self.praise += other.praise;
        self.open += other.open;
        self.acknowledged += other.acknowledged;
        self.fixed += other.fixed;
        for i in 0..5 {
            self.dimensions[i] += other.dimensions[i];
        }
        for (page, count) in &other.touchpoints {
            let mine = self.touchpoints.entry(page.clone()).or_default();
            mine.responses += count.responses;
            mine.failures += count.failures;
        }
        for (lang, n) in &other.langs {
            *self.langs.entry(lang.clone()).or_default() += n;
        }
        self.ack_minutes.extend_from_slice(&other.ack_minutes);
        self.fix_minutes.extend_from_slice(&other.fix_minutes);
        self.ack_within_sla += other.ack_within_sla;
        self.fix_within_sla += other.fix_within_sla;
        self.rerated += other.rerated;
        self.recovered += other.recovered;
        for (target, n) in &other.clicks {
            *self.clicks.entry(target.clone()).or_default() += n;
        }
    }
}

fn minutes_between(from_ms: u64, to_ms: u64) -> u32 {
    u32::try_from(to_ms.saturating_sub(from_ms) / MS_PER_MINUTE).unwrap_or(u32::MAX)
}

/// One day of the trend chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DayPoint {
    pub day: u64,
    pub responses: u32,
    /// Mean rating of the day, if anyone answered.
    pub mean_rating: Option<f64>,
}

/// The numbers of one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub responses: u32,
    pub failures: u32,
    pub praise: u32,
    /// Share of CSAT answers that are 4 or 5, in percent (CSAT sites).
    pub csat_percent: Option<f64>,
    /// Promoters minus detractors, in points (NPS sites).
    pub nps: Option<f64>,
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
    pub median_ack_minutes: Option<u32>,
    pub median_fix_minutes: Option<u32>,
    /// Share of acknowledged and fixed failures that met their SLA, in percent.
    pub sla_compliance_percent: Option<f64>,
    /// Of fixed failures whose customers rated again, the share now satisfied, in percent.
    pub recovery_percent: Option<f64>,
    pub clicks: BTreeMap<String, u32>,
    pub dimensions: BTreeMap<String, u32>,
    /// Touchpoints with their failures, worst first.
    pub touchpoints: Vec<(String, TouchpointCount)>,
    pub langs: BTreeMap<String, u32>,
    /// Every time to fix, for the distribution chart (minutes).
    pub fix_minutes: Vec<u32>,
}

/// The owner's summary: this period, the previous one, the daily trend and open failures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub scale: Scale,
    pub days: u32,
    pub current: Figures,
    pub previous: Figures,
    pub trend: Vec<DayPoint>,
    /// Failures not yet fixed, whatever their age.
    pub open_failures: u32,
}

fn median(values: &mut [u32]) -> Option<u32> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] / 2) + (values[mid] / 2) + (values[mid - 1] % 2 + values[mid] % 2) / 2
    } else {
        values[mid]
    })
}

fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) * 100.0 / f64::from(whole))
}

/// Figures of a set of days.
pub fn figures(days: &[&Rollup], scale: Scale) -> Figures {
    let mut total = Rollup::new(0);
    for day in days {
        total.merge(day);
    }
    let (promoters, passives, detractors) = match scale {
        Scale::Nps => {
            (total.ratings[9..=10].iter().sum(), total.ratings[7..=8].iter().sum(), total.ratings[0..=6].iter().sum())
        }
        Scale::Csat => (0, 0, 0),
    };
    let answered = total.responses;
    let csat_percent = match scale {
        Scale::Csat => percent(total.ratings[4] + total.ratings[5], answered),
        Scale::Nps => None,
    };
    let nps = match scale {
        Scale::Nps if answered > 0 => {
            Some((f64::from(promoters) - f64::from(detractors)) * 100.0 / f64::from(answered))
        }
        _ => None,
    };
    let mut touchpoints: Vec<(String, TouchpointCount)> = total.touchpoints.clone().into_iter().collect();
    touchpoints
        .sort_by(|a, b| b.1.failures.cmp(&a.1.failures).then(b.1.responses.cmp(&a.1.responses)).then(a.0.cmp(&b.0)));
    let measured = (total.ack_minutes.len() + total.fix_minutes.len()) as u32;
    Figures {
        responses: total.responses,
        failures: total.failures,
        praise: total.praise,
        csat_percent,
        nps,
        promoters,
        passives,
        detractors,
        median_ack_minutes: median(&mut total.ack_minutes.clone()),
        median_fix_minutes: median(&mut total.fix_minutes.clone()),
        sla_compliance_percent: percent(total.ack_within_sla + total.fix_within_sla, measured),
        recovery_percent: percent(total.recovered, total.rerated),
        clicks: total.clicks,
        dimensions: Dimension::ALL
            .iter()
            .enumerate()
            .map(|(i, d)| (d.as_str().to_owned(), total.dimensions[i]))
            .collect(),
        touchpoints,
        langs: total.langs,
        fix_minutes: total.fix_minutes,
    }
}

/// The summary of the `days` days ending with `today` (which is live), compared with the `days`
/// before them. `rollups` may hold any days; those outside both periods are ignored.
pub fn summarize(rollups: &[Rollup], today: &Rollup, days: u32, scale: Scale, open_failures: u32) -> Summary {
    let first_current = today.day.saturating_sub(u64::from(days) - 1);
    let first_previous = first_current.saturating_sub(u64::from(days));
    let mut current: Vec<&Rollup> = rollups.iter().filter(|r| r.day >= first_current && r.day < today.day).collect();
    current.push(today);
    let previous: Vec<&Rollup> = rollups.iter().filter(|r| r.day >= first_previous && r.day < first_current).collect();
    let trend = (first_current..=today.day)
        .map(|day| {
            let rollup = current.iter().find(|r| r.day == day);
            let responses = rollup.map_or(0, |r| r.responses);
            let sum: u64 = rollup
                .map_or(0, |r| r.ratings.iter().enumerate().map(|(rating, n)| rating as u64 * u64::from(*n)).sum());
            DayPoint { day, responses, mean_rating: (responses > 0).then(|| sum as f64 / f64::from(responses)) }
        })
        .collect();
    Summary {
        scale,
        days,
        current: figures(&current, scale),
        previous: figures(&previous, scale),
        trend,
        open_failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(r: u8, k: char, s: char) -> EntryMeta {
        EntryMeta { r, k, s, d: 0, t: String::new(), a: None, x: None, rr: None, l: "en".into() }
    }

    #[test]
    fn csat_percent_and_medians_follow_the_entries() {
        let sla = Sla { acknowledge_minutes: 60, fix_minutes: 600 };
        let mut day = Rollup::new(10);
        day.add_entry(&meta(5, 'p', '-'), 0, Scale::Csat, sla);
        day.add_entry(&meta(4, 'p', '-'), 0, Scale::Csat, sla);
        let mut failure = meta(1, 'f', 'x');
        failure.a = Some(30 * 60_000);
        failure.x = Some(700 * 60_000);
        failure.rr = Some(5);
        failure.d = Dimension::Empathy.bit();
        day.add_entry(&failure, 0, Scale::Csat, sla);
        day.add_entry(&meta(3, 'n', '-'), 0, Scale::Csat, sla);
        let figures = figures(&[&day], Scale::Csat);
        assert_eq!(figures.responses, 4);
        assert_eq!(figures.csat_percent, Some(50.0));
        assert_eq!(figures.median_ack_minutes, Some(30));
        assert_eq!(figures.median_fix_minutes, Some(700));
        assert_eq!(figures.sla_compliance_percent, Some(50.0));
        assert_eq!(figures.recovery_percent, Some(100.0));
        assert_eq!(figures.dimensions.get("empathy"), Some(&1));
    }

    #[test]
    fn nps_counts_promoters_and_detractors() {
        let sla = Sla::default();
        let mut day = Rollup::new(1);
        for r in [10, 9, 8, 6, 0] {
            day.add_entry(&meta(r, 'n', '-'), 0, Scale::Nps, sla);
        }
        let f = figures(&[&day], Scale::Nps);
        assert_eq!((f.promoters, f.passives, f.detractors), (2, 1, 2));
        assert_eq!(f.nps, Some(0.0));
    }

    #[test]
    fn periods_split_at_the_right_day() {
        let mut rollups = Vec::new();
        for day in 80..100 {
            let mut r = Rollup::new(day);
            r.add_entry(&meta(5, 'p', '-'), 0, Scale::Csat, Sla::default());
            rollups.push(r);
        }
        let today = Rollup::new(100);
        let summary = summarize(&rollups, &today, 7, Scale::Csat, 3);
        assert_eq!(summary.current.responses, 6);
        assert_eq!(summary.previous.responses, 7);
        assert_eq!(summary.trend.len(), 7);
        assert_eq!(summary.open_failures, 3);
    }

    #[test]
    fn busy_touchpoints_are_kept_and_the_rest_summed() {
        let mut day = Rollup::new(1);
        for i in 0..(MAX_TOUCHPOINTS_PER_DAY + 10) {
            let mut m = meta(3, 'n', '-');
            m.t = format!("/p{i:03}");
            day.add_entry(&m, 0, Scale::Csat, Sla::default());
        }
        day.trim();
        assert_eq!(day.touchpoints.len(), MAX_TOUCHPOINTS_PER_DAY);
        assert_eq!(day.touchpoints.get("(other)").map(|c| c.responses), Some(11));
    }

    #[test]
    fn median_of_even_counts_does_not_overflow() {
        assert_eq!(median(&mut [u32::MAX, u32::MAX]), Some(u32::MAX));
        assert_eq!(median(&mut [1, 2, 3, 4]), Some(2));
        assert_eq!(median(&mut []), None);
    }
}
