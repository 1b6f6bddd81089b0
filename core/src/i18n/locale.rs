//! Numbers and dates as each of the six languages writes them, following CLDR 48 (the data in
//! ICU 78, which Chromium and Node use for `Intl`): decimal comma and no-break-space grouping in
//! Estonian, Finnish, Polish and Russian, `23.11.2026`-style dates there, `Nov 23, 2026` in
//! English, and CLDR's `ar` for Arabic.
//!
//! Arabic digits: CLDR's `ar` locale now formats with Latin digits (`0123456789`, its default
//! numbering system is `latn`; Arabic-Indic digits are the opt-in `ar-u-nu-arab`). tellus
//! follows CLDR, so an Arabic owner reads `67‎%‎` and `23‏/11‏/2026`, with the direction marks
//! CLDR puts around signs, percent and date separators so the numbers hold together in
//! right-to-left text. The same digits appear in the customer's widget and in exports.
//!
//! Only what the summary page needs is here: whole numbers, one-decimal means, percentages, signed
//! scores, dates, month-day chart labels and UTC date-times (24-hour clock: CLDR's `Hm` pattern
//! per language, because the page states UTC times to people who act on them). Rounding is
//! Rust's (ties to even on exact halves), which can differ from ICU's half-up on a tie such as
//! 4.25; the page only rounds computed means and shares, where this does not matter.

use super::Lang;
use crate::time;

/// How one language writes numbers and dates.
#[derive(Debug)]
pub struct Locale {
    pub lang: Lang,
    decimal: &'static str,
    group: &'static str,
    /// CLDR `minimumGroupingDigits`: with 2, `1234` stays ungrouped and `12 345` is grouped.
    min_grouping: usize,
    minus: &'static str,
    plus: &'static str,
    percent_suffix: &'static str,
    dates: Dates,
}

/// The date and time patterns of a language.
#[derive(Debug)]
struct Dates {
    /// English month abbreviations; `None` for numeric dates.
    month_names: Option<[&'static str; 12]>,
    /// Zero-padded day (`dd`) and month (`MM`) in numeric dates.
    pad_day: bool,
    pad_month: bool,
    /// Between day, month and year in numeric dates.
    separator: &'static str,
    /// After a month-day label (Finnish writes `31.12.`).
    month_day_end: &'static str,
    /// Between date and time.
    date_time: &'static str,
    /// Between hours and minutes, and whether hours are zero-padded.
    time_separator: &'static str,
    pad_hour: bool,
}

const NBSP: &str = "\u{a0}";
/// U+2212 MINUS SIGN, which Estonian and Finnish use instead of the hyphen.
const MINUS: &str = "\u{2212}";

const DOTTED: Dates = Dates {
    month_names: None,
    pad_day: false,
    pad_month: false,
    separator: ".",
    month_day_end: "",
    date_time: ", ",
    time_separator: ":",
    pad_hour: true,
};

/// English (CLDR `en`): the medium date `Nov 23, 2026`, which no reader can take for 11 March.
pub const EN: Locale = Locale {
    lang: Lang::En,
    decimal: ".",
    group: ",",
    min_grouping: 1,
    minus: "-",
    plus: "+",
    percent_suffix: "%",
    dates: Dates {
        month_names: Some(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]),
        ..DOTTED
    },
};

/// Estonian (CLDR `et`): `d.M.y`, minimum grouping 2, U+2212 minus.
pub const ET: Locale = Locale {
    lang: Lang::Et,
    decimal: ",",
    group: NBSP,
    min_grouping: 2,
    minus: MINUS,
    plus: "+",
    percent_suffix: "%",
    dates: DOTTED,
};

/// Finnish (CLDR `fi`): `d.M.y`, `31.12.` labels, `klo 9.05`, `67 %`, U+2212 minus.
pub const FI: Locale = Locale {
    lang: Lang::Fi,
    decimal: ",",
    group: NBSP,
    min_grouping: 1,
    minus: MINUS,
    plus: "+",
    percent_suffix: "\u{a0}%",
    dates: Dates { month_day_end: ".", date_time: " klo ", time_separator: ".", pad_hour: false, ..DOTTED },
};

/// Polish (CLDR `pl`): `d.MM.y`, minimum grouping 2.
pub const PL: Locale = Locale {
    lang: Lang::Pl,
    decimal: ",",
    group: NBSP,
    min_grouping: 2,
    minus: "-",
    plus: "+",
    percent_suffix: "%",
    dates: Dates { pad_month: true, ..DOTTED },
};

/// Russian (CLDR `ru`): `dd.MM.y`, `67 %`.
pub const RU: Locale = Locale {
    lang: Lang::Ru,
    decimal: ",",
    group: NBSP,
    min_grouping: 1,
    minus: "-",
    plus: "+",
    percent_suffix: "\u{a0}%",
    dates: Dates { pad_day: true, pad_month: true, ..DOTTED },
};

/// Arabic (CLDR `ar`, Latin digits): `d‏/M‏/y` with U+200F RIGHT-TO-LEFT MARKs, the Arabic comma
/// before the time, U+200E LEFT-TO-RIGHT MARKs around signs and percent, as CLDR places them.
pub const AR: Locale = Locale {
    lang: Lang::Ar,
    decimal: ".",
    group: ",",
    min_grouping: 1,
    minus: "\u{200e}-",
    plus: "\u{200e}+",
    percent_suffix: "\u{200e}%\u{200e}",
    dates: Dates { separator: "\u{200f}/", date_time: "\u{60c} ", ..DOTTED },
};

/// How `lang` writes numbers and dates.
pub fn of(lang: Lang) -> &'static Locale {
    lang.pick([&EN, &ET, &FI, &PL, &RU, &AR])
}

impl Locale {
    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        self.lang.is_rtl()
    }

    /// A whole number with the language's grouping: `1,234` / `1 234` / `1234`.
    pub fn integer(&self, n: impl Into<i128>) -> String {
        let n: i128 = n.into();
        let digits = self.group_digits(&n.unsigned_abs().to_string());
        if n < 0 { format!("{}{digits}", self.minus) } else { digits }
    }

    /// A number rounded to `fraction_digits` decimals: `4.3` / `4,3`. Never `-0`.
    pub fn decimal(&self, value: f64, fraction_digits: usize) -> String {
        if !value.is_finite() {
            return String::new();
        }
        let text = format!("{:.*}", fraction_digits, value.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = String::new();
        if value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
            out.push_str(self.minus);
        }
        out.push_str(&self.group_digits(whole));
        if !fraction.is_empty() {
            out.push_str(self.decimal);
            out.push_str(fraction);
        }
        out
    }

    /// A share already in percent (0–100), rounded to a whole number: `67%` / `67 %`.
    pub fn percent(&self, percent: f64) -> String {
        format!("{}{}", self.decimal(percent, 0), self.percent_suffix)
    }

    /// A score with its sign except at zero, rounded to a whole number: `+25`, `−40`, `0`.
    pub fn signed(&self, value: f64) -> String {
        let text = self.decimal(value, 0);
        if value > 0.0 && text != "0" { format!("{}{text}", self.plus) } else { text }
    }

    fn group_digits(&self, digits: &str) -> String {
        if digits.len() < 4 || digits.len() < 3 + self.min_grouping {
            return digits.to_owned();
        }
        let mut out = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(self.group);
            }
            out.push(digit);
        }
        out
    }

    /// The date of a day number (days since 1970-01-01): `Nov 23, 2026`, `23.11.2026`,
    /// `23‏/11‏/2026`.
    pub fn date(&self, day: i64) -> String {
        let (year, month, day_of_month) = time::civil(day);
        let d = &self.dates;
        match d.month_names {
            Some(names) => format!("{} {day_of_month}, {year}", month_name(names, month)),
            None => format!(
                "{}{sep}{}{sep}{year}",
                pad(day_of_month, d.pad_day),
                pad(month, d.pad_month),
                sep = d.separator
            ),
        }
    }

    /// A short day label for a chart axis: `Nov 23`, `23.11`, `23.11.`, `23‏/11`.
    pub fn month_day(&self, day: i64) -> String {
        let (_, month, day_of_month) = time::civil(day);
        let d = &self.dates;
        match d.month_names {
            Some(names) => format!("{} {day_of_month}", month_name(names, month)),
            None => {
                format!("{}{}{}{}", pad(day_of_month, d.pad_day), d.separator, pad(month, d.pad_month), d.month_day_end)
            }
        }
    }

    /// A moment (ms since the epoch) as date and 24-hour time in UTC, saying so:
    /// `Nov 23, 2026, 09:05 UTC`, `23.11.2026 klo 9.05 UTC`.
    pub fn date_time_utc(&self, ms: u64) -> String {
        let day = i64::try_from(time::day_of(ms)).unwrap_or(i64::MAX);
        let minutes = ms % time::MS_PER_DAY / 60_000;
        let d = &self.dates;
        format!(
            "{}{}{}{}{:02} UTC",
            self.date(day),
            d.date_time,
            pad(minutes / 60, d.pad_hour),
            d.time_separator,
            minutes % 60
        )
    }
}

fn pad(n: u64, zero_padded: bool) -> String {
    if zero_padded { format!("{n:02}") } else { n.to_string() }
}

fn month_name(names: [&'static str; 12], month: u64) -> &'static str {
    names.get((month as usize).wrapping_sub(1)).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-23 and 1999-12-31 as day numbers.
    const NOV_23_2026: i64 = 20_780;
    const DEC_31_1999: i64 = 10_956;
    const JAN_5_2026: i64 = 20_458;

    /// What CLDR 48 writes (taken from `Intl` in Node 20 with ICU 78.2), per language:
    /// 1234, 12345, 1234567, -1234567, 4.3, 1234.5, 67 %, +100, -40.
    const NUMBERS: [(Lang, [&str; 9]); 6] = [
        (Lang::En, ["1,234", "12,345", "1,234,567", "-1,234,567", "4.3", "1,234.5", "67%", "+100", "-40"]),
        (
            Lang::Et,
            [
                "1234",
                "12\u{a0}345",
                "1\u{a0}234\u{a0}567",
                "\u{2212}1\u{a0}234\u{a0}567",
                "4,3",
                "1234,5",
                "67%",
                "+100",
                "\u{2212}40",
            ],
        ),
        (
            Lang::Fi,
            [
                "1\u{a0}234",
                "12\u{a0}345",
                "1\u{a0}234\u{a0}567",
                "\u{2212}1\u{a0}234\u{a0}567",
                "4,3",
                "1\u{a0}234,5",
                "67\u{a0}%",
                "+100",
                "\u{2212}40",
            ],
        ),
        (
            Lang::Pl,
            [
                "1234",
                "12\u{a0}345",
                "1\u{a0}234\u{a0}567",
                "-1\u{a0}234\u{a0}567",
                "4,3",
                "1234,5",
                "67%",
                "+100",
                "-40",
            ],
        ),
        (
            Lang::Ru,
            [
                "1\u{a0}234",
                "12\u{a0}345",
                "1\u{a0}234\u{a0}567",
                "-1\u{a0}234\u{a0}567",
                "4,3",
                "1\u{a0}234,5",
                "67\u{a0}%",
                "+100",
                "-40",
            ],
        ),
        (
            Lang::Ar,
            [
                "1,234",
                "12,345",
                "1,234,567",
                "\u{200e}-1,234,567",
                "4.3",
                "1,234.5",
                "67\u{200e}%\u{200e}",
                "\u{200e}+100",
                "\u{200e}-40",
            ],
        ),
    ];

    #[test]
    fn numbers_are_written_as_cldr_writes_them() {
        for (lang, expected) in NUMBERS {
            let l = of(lang);
            let got = [
                l.integer(1234),
                l.integer(12_345),
                l.integer(1_234_567),
                l.integer(-1_234_567),
                l.decimal(4.3, 1),
                l.decimal(1234.5, 1),
                l.percent(200.0 / 3.0),
                l.signed(100.0),
                l.signed(-40.0),
            ];
            assert_eq!(got, expected, "{lang}");
            assert_eq!(l.integer(0), "0");
            assert_eq!(l.integer(999), "999");
            assert_eq!(l.signed(0.0), "0", "{lang}: zero has no sign");
            assert_eq!(l.signed(-0.4), "0", "{lang}: no minus zero");
            assert_eq!(l.decimal(-0.04, 1), format!("0{}0", l.decimal), "{lang}");
            assert_eq!(l.decimal(f64::NAN, 1), "");
        }
    }

    #[test]
    fn dates_are_written_as_cldr_writes_them() {
        // (lang, 2026-11-23 09:05 UTC, 1999-12-31, its chart label, 2026-01-05's label)
        let cases = [
            (Lang::En, "Nov 23, 2026, 09:05 UTC", "Dec 31, 1999", "Dec 31", "Jan 5"),
            (Lang::Et, "23.11.2026, 09:05 UTC", "31.12.1999", "31.12", "5.1"),
            (Lang::Fi, "23.11.2026 klo 9.05 UTC", "31.12.1999", "31.12.", "5.1."),
            (Lang::Pl, "23.11.2026, 09:05 UTC", "31.12.1999", "31.12", "5.01"),
            (Lang::Ru, "23.11.2026, 09:05 UTC", "31.12.1999", "31.12", "05.01"),
            (
                Lang::Ar,
                "23\u{200f}/11\u{200f}/2026\u{60c} 09:05 UTC",
                "31\u{200f}/12\u{200f}/1999",
                "31\u{200f}/12",
                "5\u{200f}/1",
            ),
        ];
        let moment = NOV_23_2026 as u64 * 86_400_000 + (9 * 60 + 5) * 60_000 + 59_999;
        for (lang, date_time, date, label, january) in cases {
            let l = of(lang);
            assert_eq!(l.date_time_utc(moment), date_time, "{lang}");
            assert_eq!(l.date(DEC_31_1999), date, "{lang}");
            assert_eq!(l.month_day(DEC_31_1999), label, "{lang}");
            assert_eq!(l.month_day(JAN_5_2026), january, "{lang}");
        }
        assert_eq!(RU.date(JAN_5_2026), "05.01.2026");
        assert_eq!(PL.date(JAN_5_2026), "5.01.2026");
        assert_eq!(ET.date(JAN_5_2026), "5.1.2026");
        assert_eq!(EN.date(0), "Jan 1, 1970");
        assert_eq!(EN.date(-1), "Dec 31, 1969");
    }

    #[test]
    fn every_language_has_its_own_locale() {
        for lang in Lang::ALL {
            assert_eq!(of(lang).lang, lang);
        }
    }
}
