//! The loader (`widget/loader.js`) carries the only words a customer can see before the app
//! loads: the launcher's name and the failure to load, one `"name|failure"` pair per language.
//! These tests keep that table in step with the app's.

use tellus_core::widget_strings::{LANGS, Text, table};

const LOADER: &str = include_str!("../loader.js");

/// `(lang, name, failure)` for each line of the loader's `words = { … }` table.
fn loader_words() -> Vec<(String, String, String)> {
    let start = LOADER.find("words = {").map(|at| at + "words = {".len());
    let body = start.and_then(|start| LOADER[start..].split_once("}[")).map(|(body, _)| body);
    let body = body.unwrap_or_else(|| panic!("loader.js has no `words = {{ … }}[lang]` table"));
    body.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (lang, value) = line.split_once(": ").unwrap_or_else(|| panic!("not `lang: '…'`: {line}"));
            let value = value.trim_end_matches(',');
            let value = value.trim_matches(|c| c == '\'' || c == '"');
            let (name, failure) = value.split_once('|').unwrap_or_else(|| panic!("no `|` in {line}"));
            (lang.to_owned(), name.to_owned(), failure.to_owned())
        })
        .collect()
}

#[test]
fn the_loader_names_the_launcher_as_the_app_does_in_every_language() {
    let words = loader_words();
    let langs: Vec<&str> = words.iter().map(|(lang, _, _)| lang.as_str()).collect();
    assert_eq!(langs, LANGS, "the loader has words for exactly the app's languages, in its order");
    for (lang, name, _) in &words {
        assert_eq!(name, table(lang)[Text::Title as usize], "{lang}: the launcher's name");
    }
}

#[test]
fn the_loader_says_it_could_not_load_in_every_language() {
    let words = loader_words();
    for (i, (lang, _, failure)) in words.iter().enumerate() {
        assert!(failure.len() > 5 && failure.ends_with('.'), "{lang}: a sentence: {failure:?}");
        let copied = words[..i].iter().find(|(_, _, other)| other == failure);
        assert!(copied.is_none(), "{lang}: the same words as {copied:?}, not a translation");
    }
}
