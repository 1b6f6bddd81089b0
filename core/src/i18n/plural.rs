//! CLDR cardinal plural rules for the six languages tellus speaks, so a counted phrase takes the
//! right form: Russian and Polish have `one`, `few`, `many` (and `other` for fractions), Arabic
//! has all six categories, English, Estonian and Finnish `one` and `other`.
//!
//! Why the rules are written out here instead of coming from a crate: the widget and the Worker
//! both link `core`, and a general CLDR crate carries every locale's rules because the locale is
//! only known at run time. Measured on `wasm32-unknown-unknown` with the workspace's release
//! profile, a function selecting a category cost 0.6 KB gzip written out, 14.0 KB gzip through
//! `intl_pluralrules` 7.0.2 and 26.4 KB gzip through `icu_plurals` 2.4 (compiled data): 20 to 40
//! times the size for the same six answers. And `intl_pluralrules` 7.0.2 is wrong for Arabic:
//! it puts 103–110 and 111–199 (and every later hundred's) in `other` where CLDR says `few` and
//! `many` (873 of the numbers 0–1,000 differ from ICU).
//!
//! The rules below are CLDR 48's rule texts (as ICU 78 ships them), quoted above each branch.
//! The tests check them against CLDR's own sample numbers and, exhaustively up to 10,000 and on
//! decimals, against ICU4X's `icu_plurals` (a dev-dependency only, so it costs the bundles
//! nothing). The measured wasm sizes are of a one-function crate, not of the Worker.

use super::Lang;

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// The CLDR operands of a number as it is shown: `i` the integer digits, `v` how many fraction
/// digits are visible (trailing zeros count: `1.0` has `v = 1`), `f` those digits as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operands {
    pub i: u64,
    pub v: u32,
    pub f: u64,
}

impl Operands {
    /// A whole number shown without fraction digits.
    pub fn integer(n: u64) -> Self {
        Self { i: n, v: 0, f: 0 }
    }

    /// The operands of a plain decimal numeral (`"12"`, `"1.50"`, a leading `-` is ignored as
    /// CLDR does); `None` for anything else, or for more digits than fit.
    pub fn parse(numeral: &str) -> Option<Self> {
        let digits = numeral.strip_prefix('-').unwrap_or(numeral);
        let (integer, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if integer.is_empty()
            || !all_digits(integer)
            || !all_digits(fraction)
            || (digits.contains('.') && fraction.is_empty())
        {
            return None;
        }
        let i = integer.parse().ok()?;
        let f = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
        Some(Self { i, v: u32::try_from(fraction.len()).ok()?, f })
    }
}

/// The categories `lang` uses, `Other` last. Every counted phrase in that language has exactly
/// these forms (a test in [`super::page`] checks it).
pub fn categories(lang: Lang) -> &'static [Category] {
    use Category::*;
    match lang {
        Lang::Pl | Lang::Ru => &[One, Few, Many, Other],
        Lang::Ar => &[Zero, One, Two, Few, Many, Other],
        Lang::En | Lang::Et | Lang::Fi => &[One, Other],
    }
}

/// The category of a whole number in `lang`.
pub fn cardinal(lang: Lang, n: u64) -> Category {
    category(lang, Operands::integer(n))
}

/// The category of a number given by its operands in `lang`.
pub fn category(lang: Lang, op: Operands) -> Category {
    use Category::*;
    let Operands { i, v, f } = op;
    let (i10, i100) = (i % 10, i % 100);
    match lang {
        // pl one: i = 1 and v = 0
        //    few: v = 0 and i % 10 = 2..4 and i % 100 != 12..14
        //   many: v = 0 and i != 1 and i % 10 = 0..1 or v = 0 and i % 10 = 5..9
        //         or v = 0 and i % 100 = 12..14
        Lang::Pl => match () {
            _ if v != 0 => Other,
            _ if i == 1 => One,
            _ if (2..=4).contains(&i10) && !(12..=14).contains(&i100) => Few,
            _ => Many,
        },
        // ru one: v = 0 and i % 10 = 1 and i % 100 != 11
        //    few: v = 0 and i % 10 = 2..4 and i % 100 != 12..14
        //   many: v = 0 and i % 10 = 0 or v = 0 and i % 10 = 5..9 or v = 0 and i % 100 = 11..14
        Lang::Ru => match () {
            _ if v != 0 => Other,
            _ if i10 == 1 && i100 != 11 => One,
            _ if (2..=4).contains(&i10) && !(12..=14).contains(&i100) => Few,
            _ => Many,
        },
        // ar zero: n = 0; one: n = 1; two: n = 2; few: n % 100 = 3..10; many: n % 100 = 11..99.
        // `n` is the absolute value, so only numbers with a zero fraction (`f = 0`) match.
        Lang::Ar => match () {
            _ if f != 0 => Other,
            _ if i == 0 => Zero,
            _ if i == 1 => One,
            _ if i == 2 => Two,
            _ if (3..=10).contains(&i100) => Few,
            _ if (11..=99).contains(&i100) => Many,
            _ => Other,
        },
        // en, et, fi one: i = 1 and v = 0
        Lang::En | Lang::Et | Lang::Fi => {
            if i == 1 && v == 0 {
                One
            } else {
                Other
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Category::*;

    /// CLDR's own samples (`plurals.xml`, `@integer` and `@decimal`), ranges written `a~b`; the
    /// open-ended `…` of the source is left out.
    const CLDR_SAMPLES: &[(Lang, Category, &str)] = &[
        (Lang::En, One, "1"),
        (Lang::En, Other, "0, 2~16, 100, 1000, 10000, 100000, 1000000, 0.0~1.5, 10.0, 100.0, 1000.0"),
        (Lang::Et, One, "1"),
        (Lang::Et, Other, "0, 2~16, 100, 1000, 10000, 100000, 1000000, 0.0~1.5, 10.0, 100.0, 1000.0"),
        (Lang::Fi, One, "1"),
        (Lang::Fi, Other, "0, 2~16, 100, 1000, 10000, 100000, 1000000, 0.0~1.5, 10.0, 100.0, 1000.0"),
        (Lang::Pl, One, "1"),
        (Lang::Pl, Few, "2~4, 22~24, 32~34, 42~44, 52~54, 62, 102, 1002"),
        (Lang::Pl, Many, "0, 5~19, 100, 1000, 10000, 100000, 1000000"),
        (Lang::Pl, Other, "0.0~1.5, 10.0, 100.0, 1000.0, 10000.0, 100000.0, 1000000.0"),
        (Lang::Ru, One, "1, 21, 31, 41, 51, 61, 71, 81, 101, 1001"),
        (Lang::Ru, Few, "2~4, 22~24, 32~34, 42~44, 52~54, 62, 102, 1002"),
        (Lang::Ru, Many, "0, 5~19, 100, 1000, 10000, 100000, 1000000"),
        (Lang::Ru, Other, "0.0~1.5, 10.0, 100.0, 1000.0, 10000.0, 100000.0, 1000000.0"),
        (Lang::Ar, Zero, "0, 0.0, 0.00, 0.000, 0.0000"),
        (Lang::Ar, One, "1, 1.0, 1.00, 1.000, 1.0000"),
        (Lang::Ar, Two, "2, 2.0, 2.00, 2.000, 2.0000"),
        (Lang::Ar, Few, "3~10, 103~110, 1003, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 103.0, 1003.0"),
        (Lang::Ar, Many, "11~26, 111, 1011, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 111.0, 1011.0"),
        (
            Lang::Ar,
            Other,
            "100~102, 200~202, 300~302, 400~402, 500~502, 600, 1000, 10000, 100000, 1000000, 0.1~0.9, 1.1~1.7, 10.1, 100.0, 1000.1",
        ),
    ];

    /// Expands `2~4` (and `0.0~1.5`, stepping by the last digit) into its numerals.
    fn expand(samples: &str) -> Vec<String> {
        let mut out = Vec::new();
        for item in samples.split(", ") {
            let Some((from, to)) = item.split_once('~') else {
                out.push(item.to_owned());
                continue;
            };
            let decimals = from.split_once('.').map_or(0, |(_, f)| f.len());
            let scale = 10u64.pow(decimals as u32);
            let units = |s: &str| s.replace('.', "").parse::<u64>().unwrap_or_default();
            for n in units(from)..=units(to) {
                out.push(if decimals == 0 {
                    n.to_string()
                } else {
                    format!("{}.{:0width$}", n / scale, n % scale, width = decimals)
                });
            }
        }
        out
    }

    #[test]
    fn every_cldr_sample_falls_in_its_category() {
        for (lang, expected, samples) in CLDR_SAMPLES {
            for numeral in expand(samples) {
                let operands = Operands::parse(&numeral).unwrap_or_else(|| panic!("sample {numeral}"));
                assert_eq!(category(*lang, operands), *expected, "{lang} {numeral}");
                assert!(categories(*lang).contains(expected), "{lang} uses {expected:?}");
            }
        }
    }

    fn oracle(lang: Lang) -> icu_plurals::PluralRules {
        let locale: icu_locale_core::Locale = lang.code().parse().unwrap_or_else(|e| panic!("{lang}: {e}"));
        icu_plurals::PluralRules::try_new(locale.into(), icu_plurals::PluralRuleType::Cardinal.into())
            .unwrap_or_else(|e| panic!("{lang}: {e}"))
    }

    fn from_oracle(category: icu_plurals::PluralCategory) -> Category {
        use icu_plurals::PluralCategory as P;
        match category {
            P::Zero => Zero,
            P::One => One,
            P::Two => Two,
            P::Few => Few,
            P::Many => Many,
            P::Other => Other,
        }
    }

    #[test]
    fn the_rules_agree_with_icu_on_every_number_up_to_ten_thousand_and_on_decimals() {
        for lang in Lang::ALL {
            let rules = oracle(lang);
            let mut seen = Vec::new();
            for n in (0..=10_000u64).chain([100_000, 1_000_001, 1_000_000_000_021]) {
                let expected = from_oracle(rules.category_for(n));
                assert_eq!(cardinal(lang, n), expected, "{lang} {n}");
                if !seen.contains(&expected) {
                    seen.push(expected);
                }
            }
            for numeral in expand("0.0~3.0, 10.0~12.5, 21.0, 21.1, 0.00, 1.00, 1.50, 2.00, 11.00, 103.0") {
                let decimal: fixed_decimal::Decimal = numeral.parse().unwrap_or_else(|e| panic!("{numeral}: {e:?}"));
                let expected = from_oracle(rules.category_for(&decimal));
                let operands = Operands::parse(&numeral).unwrap_or_else(|| panic!("{numeral}"));
                assert_eq!(category(lang, operands), expected, "{lang} {numeral}");
                if !seen.contains(&expected) {
                    seen.push(expected);
                }
            }
            seen.sort();
            assert_eq!(seen, categories(lang), "{lang}: the categories it uses");
        }
    }

    #[test]
    fn only_plain_numerals_parse() {
        assert_eq!(Operands::parse("1.50"), Some(Operands { i: 1, v: 2, f: 50 }));
        assert_eq!(Operands::parse("-3"), Some(Operands::integer(3)));
        for bad in ["", ".5", "1.", "1e3", "1,5", "abc", "99999999999999999999999"] {
            assert_eq!(Operands::parse(bad), None, "{bad}");
        }
    }
}
