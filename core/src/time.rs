//! Dates and times, in UTC: the one civil-date algorithm, the one timestamp format, and the
//! dates the owner's filters take.
//!
//! Time is a count of milliseconds since the Unix epoch, passed in by the caller (core reads no
//! clock). A day is a count of days since 1970-01-01, UTC. Calendar dates are proleptic
//! Gregorian and come from Howard Hinnant's `days_from_civil` / `civil_from_days`, written out
//! once here: the algorithm is a dozen lines of integer arithmetic, tested below against the
//! calendar's own rules, and a date crate would add bytes to the widget, which links `core`,
//! for nothing more.
//!
//! One timestamp format, [`timestamp`]: RFC 3339 in UTC with milliseconds
//! (`2026-11-23T05:35:20.123Z`), as JavaScript's `Date.prototype.toISOString` writes it. The API,
//! the callback payloads and the CSV export all write it, so a spreadsheet and a webhook
//! receiver read the same moment the same way.

/// Milliseconds in a day.
pub const MS_PER_DAY: u64 = 86_400_000;

/// Days since the Unix epoch (UTC) of a time in ms.
pub fn day_of(ms: u64) -> u64 {
    ms / MS_PER_DAY
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
/// `month` is 1–12 and `day` 1–31; an out-of-range day counts on into the next month.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month (1–12) and day of month (1–31) of a day since the epoch, proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
pub fn civil(days: i64) -> (i64, u64, u64) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month.unsigned_abs(), day.unsigned_abs())
}

/// `YYYY-MM-DD` of a day since the epoch.
pub fn iso_date(days: i64) -> String {
    let (year, month, day) = civil(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The timestamp of a moment (ms since the epoch): RFC 3339 in UTC with milliseconds,
/// `2026-11-23T05:35:20.123Z`.
pub fn timestamp(ms: u64) -> String {
    let day = i64::try_from(day_of(ms)).unwrap_or(i64::MAX);
    let secs = ms % MS_PER_DAY / 1000;
    format!("{}T{:02}:{:02}:{:02}.{:03}Z", iso_date(day), secs / 3600, secs % 3600 / 60, secs % 60, ms % 1000)
}

/// A moment written by [`timestamp`] (the milliseconds may be left out) back to ms since the
/// epoch; `None` for anything else.
pub fn parse_timestamp(text: &str) -> Option<u64> {
    let day = parse_iso_date(text.get(..10)?)?;
    let rest = text.get(10..)?.strip_prefix('T')?.strip_suffix('Z')?;
    let (clock, millis) = rest.split_once('.').unwrap_or((rest, "0"));
    let mut parts = clock.split(':');
    let mut next =
        |max: u64| parts.next().and_then(|p| (p.len() == 2).then_some(p)?.parse::<u64>().ok()).filter(|n| *n < max);
    let (hours, minutes, seconds) = (next(24)?, next(60)?, next(60)?);
    let millis: u64 = if millis.len() <= 3 && !millis.is_empty() { millis.parse().ok()? } else { return None };
    Some(day * MS_PER_DAY + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

/// A date as the owner's filters take it, `YYYY-MM-DD` (years 1970–9999, a real calendar day),
/// to days since the epoch; `None` for anything else.
pub fn parse_iso_date(text: &str) -> Option<u64> {
    let mut parts = text.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if text.len() != 10
        || !(1970..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    u64::try_from(days_from_civil(year, month, day)).ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Walks the calendar day by day with its own rules (month lengths, leap years) and checks
    /// that both directions of the algorithm agree with it on every day from 1900 to 2100.
    #[test]
    fn every_day_follows_the_calendar() {
        let start = days_from_civil(1900, 1, 1);
        let (mut year, mut month, mut day) = (1900_i64, 1_u32, 1_u32);
        for days in start..days_from_civil(2100, 12, 31) {
            assert_eq!(civil(days), (year, u64::from(month), u64::from(day)), "{days}");
            assert_eq!(days_from_civil(year, month, day), days);
            day += 1;
            if day > days_in_month(year, month) {
                (month, day) = (month + 1, 1);
                if month > 12 {
                    (year, month) = (year + 1, 1);
                }
            }
        }
    }

    #[test]
    fn known_dates_and_moments() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(-1), (1969, 12, 31));
        assert_eq!(iso_date(20_780), "2026-11-23");
        assert_eq!(parse_iso_date("1970-01-01"), Some(0));
        assert_eq!(parse_iso_date("2026-11-23"), Some(20_780));
        assert_eq!(parse_iso_date("2024-02-29").map(|d| iso_date(d as i64)), Some("2024-02-29".into()));
        for bad in ["2026-02-29", "1969-12-31", "2026-13-01", "2026-1-01", "2026-01-01T", "tomorrow", ""] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(timestamp(1_614_265_330_123), "2021-02-25T15:02:10.123Z");
        assert_eq!(timestamp(1_795_409_898_448), "2026-11-23T04:58:18.448Z");
        assert_eq!(day_of(MS_PER_DAY - 1), 0);
        assert_eq!(day_of(MS_PER_DAY), 1);
    }

    proptest! {
        #[test]
        fn dates_round_trip(days in 0i64..2_900_000) {
            prop_assert_eq!(parse_iso_date(&iso_date(days)).map(|d| d as i64), Some(days));
        }

        /// Every moment up to the end of year 9999 has the shape `YYYY-MM-DDTHH:MM:SS.mmmZ`,
        /// and its date part is its day.
        #[test]
        fn timestamps_have_one_shape(ms in 0u64..253_402_300_800_000) {
            let text = timestamp(ms);
            prop_assert_eq!(text.len(), 24, "{}", text);
            prop_assert_eq!(parse_iso_date(&text[..10]), Some(day_of(ms)));
        }
    }

    #[test]
    fn timestamps_read_back() {
        for ms in [0, 951_782_400_000, 1_614_265_330_123] {
            assert_eq!(parse_timestamp(&timestamp(ms)), Some(ms));
        }
        assert_eq!(parse_timestamp("2026-11-23T09:05:00Z"), parse_timestamp("2026-11-23T09:05:00.000Z"));
        assert_eq!(parse_timestamp("2026-11-23T24:00:00Z"), None);
        assert_eq!(parse_timestamp("2026-11-23 09:05:00Z"), None);
    }
}
