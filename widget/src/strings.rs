//! The runtime side of the customer's words: the translation tables themselves (the [`Text`]
//! keys, one table per language, the language rule) live in `tellus_core::widget_strings`; this
//! module holds the one table fetched for this page and answers [`text`] from it.
//!
//! Components never contain literal UI strings: they call [`text`] with the language they were
//! mounted with. Only English is compiled into the app (it names `EN` alone; the other tables
//! are reached only through `widget_strings::table`, which the wasm build never calls).
//! `cargo xtask build` writes each table as `w/lang/{lang}.txt`, one string a line in [`Text`]
//! order; the app fetches the one it needs before it first draws (see [`install`]), so a
//! customer downloads one language, not six. Until a table arrives, or if it never does, the
//! dialog speaks English. Natively (the tests) every table is at hand without a fetch.

use std::cell::Cell;

pub use tellus_core::widget_strings::{CLOSE_GLYPH, CSAT_FACES, LANGS, Text, fill, is_rtl, resolve_lang};
use tellus_core::widget_strings::{COUNT, EN, known_lang};

/// `text` cut to its first `max` characters (not bytes: a cut never splits a character).
pub fn cut(mut text: String, max: usize) -> String {
    if let Some((end, _)) = text.char_indices().nth(max) {
        text.truncate(end);
    }
    text
}

/// The string for `key` in `lang` (a language code from [`resolve_lang`], or any BCP 47 tag:
/// only the primary subtag counts), falling back to English.
pub fn text(lang: &str, key: Text) -> &'static str {
    // `key as usize` is always in bounds (the tables have one entry per key); `get` keeps even a
    // mistake from panicking in the customer's dialog.
    table(lang).get(key as usize).copied().unwrap_or_default()
}

thread_local! {
    /// The one fetched table (a page speaks one language) with its language, once [`install`]ed.
    static FETCHED: Cell<Option<(&'static str, &'static [&'static str])>> = const { Cell::new(None) };
}

fn table(lang: &str) -> &'static [&'static str] {
    let lang = known_lang(lang);
    if let Some(table) = compiled(lang) {
        return table;
    }
    match FETCHED.with(Cell::get) {
        Some((of, table)) if Some(of) == lang => table,
        _ => &EN,
    }
}

/// The tables compiled into this build: English in the wasm, every language natively.
fn compiled(lang: Option<&'static str>) -> Option<&'static [&'static str]> {
    let lang = lang?;
    if lang == LANGS[0] {
        return Some(&EN);
    }
    other_table(lang)
}

/// Natively (the tests) every language's table is at hand.
#[cfg(not(target_arch = "wasm32"))]
fn other_table(lang: &'static str) -> Option<&'static [&'static str]> {
    Some(tellus_core::widget_strings::table(lang))
}

/// In the wasm only English is compiled in: the others are fetched.
#[cfg(target_arch = "wasm32")]
fn other_table(_lang: &'static str) -> Option<&'static [&'static str]> {
    None
}

/// Whether `lang` (one of [`LANGS`]) still needs its table fetched before the dialog can speak it.
pub fn missing(lang: &str) -> bool {
    let lang = known_lang(lang);
    compiled(lang).is_none() && FETCHED.with(Cell::get).is_none_or(|(of, _)| Some(of) != lang)
}

/// Takes the fetched table of `lang`: the text of `w/lang/{lang}.txt`, one string a line. A
/// table with a line too few or too many is refused (the dialog stays English) rather than
/// showing strings against the wrong keys. Returns whether it was taken.
pub fn install(lang: &str, text: String) -> bool {
    let Some(lang) = known_lang(lang) else {
        return false;
    };
    // Kept for the life of the page, like the compiled table: one table, fetched once.
    let table: Vec<&'static str> = String::leak(text).lines().collect();
    if table.len() != COUNT {
        return false;
    }
    FETCHED.with(|fetched| fetched.set(Some((lang, Vec::leak(table)))));
    true
}

/// `n` in decimal digits, as `n.to_string()` writes it. By hand: Rust's integer formatting
/// brings a 200-byte digit table and its formatter into the wasm for a handful of small numbers.
pub fn decimal(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(char::from(b'0' + (n % 10) as u8));
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

/// The accessible name of rating `value` on a scale up to `max`: "4 of 5, Good" (CSAT) or
/// "7 of 10" (NPS). The visible word or number is part of it, as WCAG's label-in-name asks.
pub fn rating_name(lang: &str, value: u8, max: u8, word: Option<&str>) -> String {
    let place = fill(text(lang, Text::RatingOf), &[("value", &decimal(value.into())), ("max", &decimal(max.into()))]);
    match word {
        Some(word) => [place.as_str(), ", ", word].concat(),
        None => place,
    }
}

/// The visible label of a CSAT rating (1–5).
pub fn csat_label(lang: &str, rating: u8) -> &'static str {
    let key = match rating {
        1 => Text::Csat1,
        2 => Text::Csat2,
        3 => Text::Csat3,
        4 => Text::Csat4,
        _ => Text::Csat5,
    };
    text(lang, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tellus_core::widget_strings::table_file;

    /// A fetched table is taken whole and spoken; a file with a line missing, or for a language
    /// without a table, is refused.
    #[test]
    fn a_fetched_table_is_installed_and_a_short_one_is_refused() {
        assert!(!missing("en-GB") && !missing("ar"), "natively every table is compiled in");
        assert!(install("ar-EG", table_file("ar")));
        assert_eq!(
            FETCHED.with(Cell::get).map(|(lang, table)| (lang, table[0])),
            Some(("ar", text("ar", Text::Title)))
        );
        let short = table_file("fi").lines().skip(1).collect::<Vec<_>>().join("\n");
        assert!(!install("fi", short));
        assert!(!install("de", table_file("fi")));
    }

    #[test]
    fn text_falls_back_to_english_and_names_ratings() {
        assert_eq!(text("zz", Text::Send), "Send");
        assert_eq!(text("pl-PL", Text::Send), "Wyślij");
        assert_eq!(rating_name("en", 4, 5, Some("Good")), "4 of 5, Good");
        assert_eq!(rating_name("ru", 7, 10, None), "7 из 10");
        assert_eq!(csat_label("fi", 1), "Erittäin huono");
        for n in [0, 7, 10, 99, 1_000, 1_763_900_000_123, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}
