//! What an owner sends: entry filters, action bodies, and the spreadsheet-safe export.

use crate::entry::{Entry, EntryMeta};
use crate::input::fields::{FieldError, Fields, InputError, parse_object};
use crate::limits::*;
use crate::time::timestamp;

// The dates moved to `crate::time`; their old paths stay for callers outside this crate.
pub use crate::time::{civil, days_from_civil, iso_date as civil_from_days, parse_iso_date as parse_date};

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
                "from" => match parse_date(value) {
                    Some(day) => filter.from_day = Some(day),
                    None => bad("from", "must be a date like 2026-01-31"),
                },
                "to" => match parse_date(value) {
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

/// `{"note": "…"}` for fix (optional note), `{"text": "…"}` for reply (required).
pub fn parse_text_body(body: &[u8], field: &'static str, required: bool) -> Result<String, InputError> {
    let map = parse_object(body).map_err(InputError::Body)?;
    let mut fields = Fields::new(&map);
    let text = if required {
        fields.required_string(field, MAX_COMMENT_CHARS)
    } else {
        Some(fields.string(field, MAX_COMMENT_CHARS).unwrap_or_default())
    };
    let errors = fields.finish();
    match text {
        Some(text) if errors.is_empty() => Ok(text),
        _ => Err(InputError::Fields(errors)),
    }
}

/// Header of the CSV export.
pub const CSV_HEADER: &str = "id,created_utc,scale,rating,kind,status,dimensions,comment,page,order,agent,contact_name,contact_email,contact_phone,channel,lang,acknowledged_utc,fixed_utc,fix_note,reply,rerating\r\n";

/// One CSV cell: quoted, quotes doubled, and a leading `= + - @` (or tab/CR) neutralised with an
/// apostrophe so spreadsheets never run customer text as a formula.
pub fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// One entry as a CSV row.
pub fn csv_row(entry: &Entry) -> String {
    let opt = |v: &Option<String>| csv_cell(v.as_deref().unwrap_or(""));
    let contact =
        entry.contact.clone().unwrap_or(crate::entry::Contact { name: None, email: None, phone: None, channel: None });
    let cells = [
        csv_cell(&entry.id),
        csv_cell(&timestamp(entry.created_ms)),
        csv_cell(&format!("{:?}", entry.scale).to_lowercase()),
        entry.rating.to_string(),
        csv_cell(&format!("{:?}", entry.kind).to_lowercase()),
        csv_cell(entry.status.map(|s| s.as_str()).unwrap_or("")),
        csv_cell(&entry.dimensions.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(" ")),
        csv_cell(&entry.comment),
        opt(&entry.touchpoint.page),
        opt(&entry.touchpoint.order),
        opt(&entry.touchpoint.agent),
        opt(&contact.name),
        opt(&contact.email),
        opt(&contact.phone),
        csv_cell(match contact.channel {
            Some(crate::entry::Channel::Email) => "email",
            Some(crate::entry::Channel::Phone) => "phone",
            None => "",
        }),
        csv_cell(&entry.lang),
        csv_cell(&entry.acknowledged_ms.map(timestamp).unwrap_or_default()),
        csv_cell(&entry.fixed_ms.map(timestamp).unwrap_or_default()),
        csv_cell(&entry.fix_note),
        csv_cell(entry.reply.as_ref().map(|r| r.text.as_str()).unwrap_or("")),
        entry.rerating.map(|r| r.rating.to_string()).unwrap_or_default(),
    ];
    format!("{}\r\n", cells.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "\"'+1\"");
        assert_eq!(csv_cell("@SUM"), "\"'@SUM\"");
        assert_eq!(csv_cell("fine, thanks"), "\"fine, thanks\"");
    }

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
