//! Filters of the owner's entries list and export: parsed once from the query string, then
//! matched against each listed entry's KV metadata ([`EntryMeta`]). They live with the storage
//! layout because they lean on it: the list is read newest first, so a filter knows when no
//! older entry can match ([`EntryFilter::is_past_range`]).

use crate::entry::EntryMeta;
use crate::input::fields::FieldError;
use crate::limits::{ENTRIES_PAGE_DEFAULT, MAX_SHORT_TEXT_CHARS};
use crate::time::parse_iso_date;

/// Filters of the owner's entries list and export, parsed from the query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryFilter {
    /// `open`, `acknowledged`, `fixed`.
    pub status: Option<char>,
    /// `failure`, `neutral`, `praise`.
    pub kind: Option<char>,
    /// Exact touchpoint page.
    pub touchpoint: Option<String>,
    /// First day included (days since epoch, UTC).
    pub from_day: Option<u64>,
    /// Last day included.
    pub to_day: Option<u64>,
    pub limit: usize,
    pub cursor: Option<String>,
}

impl EntryFilter {
    /// Parses `status, kind, touchpoint, from, to (YYYY-MM-DD), limit, cursor`; unknown
    /// parameters and bad values are all reported.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        max_limit: usize,
    ) -> Result<Self, Vec<FieldError>> {
        let mut filter = EntryFilter { limit: ENTRIES_PAGE_DEFAULT.min(max_limit), ..EntryFilter::default() };
        let mut errors = Vec::new();
        let mut bad = |field: &str, message: &str| {
            errors.push(FieldError { field: field.to_owned(), message: message.to_owned() });
        };
        for (name, value) in pairs {
            match name {
                "status" => match value {
                    "open" => filter.status = Some('o'),
                    "acknowledged" => filter.status = Some('a'),
                    "fixed" => filter.status = Some('x'),
                    _ => bad("status", "must be open, acknowledged or fixed"),
                },
                "kind" => match value {
                    "failure" => filter.kind = Some('f'),
                    "neutral" => filter.kind = Some('n'),
                    "praise" => filter.kind = Some('p'),
                    _ => bad("kind", "must be failure, neutral or praise"),
                },
                "touchpoint" if !value.is_empty() && value.chars().count() <= MAX_SHORT_TEXT_CHARS => {
                    filter.touchpoint = Some(value.to_owned());
                }
                "touchpoint" => bad("touchpoint", "must be 1-200 characters"),
                "from" => match parse_iso_date(value) {
                    Some(day) => filter.from_day = Some(day),
                    None => bad("from", "must be a date like 2026-01-31"),
                },
                "to" => match parse_iso_date(value) {
                    Some(day) => filter.to_day = Some(day),
                    None => bad("to", "must be a date like 2026-01-31"),
                },
                "limit" => match value.parse::<usize>() {
                    Ok(n) if (1..=max_limit).contains(&n) => filter.limit = n,
                    _ => bad("limit", &format!("must be a whole number from 1 to {max_limit}")),
                },
                "cursor" if !value.is_empty() && value.len() <= 1_000 => filter.cursor = Some(value.to_owned()),
                "cursor" => bad("cursor", "is not a cursor from a previous page"),
                "format" => {}
                other => bad(other, "is not a known parameter"),
            }
        }
        if let (Some(from), Some(to)) = (filter.from_day, filter.to_day)
            && from > to
        {
            bad("from", "must not be after to");
        }
        if errors.is_empty() { Ok(filter) } else { Err(errors) }
    }

    /// Whether a listed entry (its metadata and creation day) passes the filter.
    pub fn matches(&self, meta: &EntryMeta, day: u64) -> bool {
        self.status.is_none_or(|s| s == meta.s)
            && self.kind.is_none_or(|k| k == meta.k)
            && self.touchpoint.as_deref().is_none_or(|t| t == meta.t)
            && self.from_day.is_none_or(|from| day >= from)
            && self.to_day.is_none_or(|to| day <= to)
    }

    /// Entries are listed newest first, so once an entry is older than `from` none can match.
    pub fn is_past_range(&self, day: u64) -> bool {
        self.from_day.is_some_and(|from| day < from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn filters_report_every_bad_parameter() {
        let errors =
            EntryFilter::parse([("status", "closed"), ("limit", "0"), ("from", "yesterday"), ("sort", "x")], 100)
                .err()
                .unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["status", "limit", "from", "sort"]);
        let ok = EntryFilter::parse([("status", "open"), ("kind", "failure"), ("limit", "10")], 100).unwrap();
        assert_eq!((ok.status, ok.kind, ok.limit), (Some('o'), Some('f'), 10));
    }

    proptest! {
        #[test]
        fn filter_parsing_never_panics(name in ".{0,12}", value in ".{0,30}") {
            let _ = EntryFilter::parse([(name.as_str(), value.as_str())], 100);
        }
    }
}
