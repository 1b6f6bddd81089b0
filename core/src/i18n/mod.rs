//! The six languages tellus speaks, and everything written per language: the widget's words
//! ([`widget`]), the owner's page's words ([`page`]), CLDR plural rules ([`plural`]) and how
//! numbers and dates are written ([`locale`]), and the follow-up's words ([`followup`]: the
//! customer's email, the hosted pages).
//!
//! [`Lang`] is the one place that knows which languages there are, how a language tag names one
//! (its primary subtag, [`Lang::from_tag`]) and which is written right to left
//! ([`Lang::is_rtl`]); every table here is indexed by it.

pub mod followup;
pub mod locale;
pub mod page;
pub mod plural;
pub mod widget;

/// A language with a complete set of tables. English is the fallback for every other language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    #[default]
    En,
    Et,
    Fi,
    Pl,
    Ru,
    Ar,
}

impl Lang {
    /// Every language, the fallback first; a language's place here is its index in the tables
    /// that list all six (such as [`page::PageStrings::language_names`]).
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Et, Lang::Fi, Lang::Pl, Lang::Ru, Lang::Ar];

    /// This language's entry of a table that lists all six in [`Lang::ALL`]'s order (each
    /// module's words: `lang.pick([&EN, &ET, &FI, &PL, &RU, &AR])`).
    pub const fn pick<T: ?Sized>(self, tables: [&T; 6]) -> &T {
        tables[self as usize]
    }

    /// The language's BCP 47 primary subtag, lower case: `en`, `et`, `fi`, `pl`, `ru`, `ar`.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Et => "et",
            Lang::Fi => "fi",
            Lang::Pl => "pl",
            Lang::Ru => "ru",
            Lang::Ar => "ar",
        }
    }

    /// The language a tag names by its primary subtag (see [`primary_subtag`]), in any case:
    /// `"ru-RU"`, `"AR_eg"` and `" fi "` name a language, `"pt-BR"`, `"arn"` and `""` do not.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = primary_subtag(tag);
        Lang::ALL.into_iter().find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// Whether the language is written right to left (of ours, Arabic).
    pub const fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar)
    }

    /// The HTML `dir` of text in this language: `rtl` or `ltr`.
    pub const fn dir(self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }
}

/// Written as its code, as `<html lang>` takes it.
impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The subtags of a language tag. BCP 47 separates them with `-`; `_` is accepted too, because
/// operating systems and some browsers' settings write locales as `ar_EG`.
pub fn subtags(tag: &str) -> impl Iterator<Item = &str> {
    tag.split(['-', '_'])
}

/// The primary (language) subtag of a tag, without surrounding whitespace: `"et-EE"` → `"et"`.
/// Its case is kept; compare it without regard to case.
pub fn primary_subtag(tag: &str) -> &str {
    subtags(tag).next().unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_names_a_language_by_its_primary_subtag_in_any_case_and_either_separator() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.code()), Some(lang));
            assert_eq!(Lang::from_tag(&lang.code().to_ascii_uppercase()), Some(lang));
        }
        assert_eq!(Lang::from_tag("et-EE"), Some(Lang::Et));
        assert_eq!(Lang::from_tag("AR_eg"), Some(Lang::Ar));
        assert_eq!(Lang::from_tag(" fi "), Some(Lang::Fi));
        assert_eq!(Lang::from_tag("Ru-Cyrl-RU"), Some(Lang::Ru));
        for other in ["", "pt-BR", "arn", "e", "en!", "-en", "*", "enx-US", "x-en"] {
            assert_eq!(Lang::from_tag(other), None, "{other:?}");
        }
        assert_eq!(primary_subtag("et-EE"), "et");
        assert_eq!(primary_subtag("De_at"), "De");
        assert_eq!(primary_subtag(""), "");
        assert_eq!(subtags("sr-Latn_RS").collect::<Vec<_>>(), ["sr", "Latn", "RS"]);
    }

    #[test]
    fn arabic_alone_is_written_right_to_left() {
        let rtl: Vec<Lang> = Lang::ALL.into_iter().filter(|lang| lang.is_rtl()).collect();
        assert_eq!(rtl, [Lang::Ar]);
        assert_eq!((Lang::Ar.dir(), Lang::En.dir()), ("rtl", "ltr"));
        assert_eq!(Lang::default(), Lang::ALL[0]);
        assert_eq!(Lang::Fi.to_string(), "fi");
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang as usize, i, "{lang:?} is out of place");
        }
    }
}
