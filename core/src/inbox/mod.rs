//! The owner's inbox and case view, as rules and data: which entries a view asks for
//! ([`query`]: tabs, filters and the page, parsed from and written back to the URL so a view can
//! be bookmarked), what the site's desk answers ([`view`]: one compact line per entry, the tab
//! counts, the figures of the unfixed failures, a case's deliveries, each endpoint's health), and
//! a case's history as one timeline ([`history`]). No I/O: the desk runs the query over its own
//! index, the Worker reads one entry from KV for a case, and `tellus-page` renders.

pub mod history;
pub mod query;
pub mod view;

pub use history::{HistoryItem, history};
pub use query::{AssigneeFilter, InboxQuery, SlaFilter, StatusFilter, Tab};
pub use view::{CaseParts, EndpointHealth, InboxPage, InboxRow, Strip};

/// The few facts of an entry the inbox filters on and shows, kept by the site's desk beside each
/// entry's list metadata (no more customer text than a short excerpt of the comment).
pub fn excerpt(comment: &str) -> String {
    let mut cut: String = comment.chars().take(EXCERPT_CHARS).collect();
    if comment.chars().count() > EXCERPT_CHARS {
        cut.push('…');
    }
    cut.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Characters of the comment an inbox line shows.
pub const EXCERPT_CHARS: usize = 120;

/// The language an entry is filed under in the inbox: its tag's primary subtag in lower case
/// (`et-EE` → `et`), the same rule the summary's language mix counts by.
pub fn lang_key(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Normalises a teammate's name for remembering and matching: trimmed, inner runs of spaces as
/// one. Matching is case-insensitive ([`same_name`]).
pub fn clean_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body of an assignment, `{"assignee": "Kadri"}`: the name, validated like every text
/// the API takes (length, no control or bidi-override characters) and cleaned. The field must
/// be there: an empty name hands the entry back to nobody, a missing one (or `null`) is a
/// mistake, not a request to unassign.
pub fn parse_assignment(body: &[u8]) -> Result<String, crate::input::fields::InputError> {
    use crate::input::fields::{Fields, InputError, parse_object};
    let map = parse_object(body).map_err(InputError::Body)?;
    let present = map.get("assignee").is_some_and(|value| !value.is_null());
    let mut fields = Fields::new(&map);
    let name = fields.string("assignee", crate::limits::MAX_ASSIGNEE_CHARS);
    if !present {
        fields.error("assignee", "is required (an empty name hands the entry back to nobody)");
    }
    let errors = fields.finish();
    match name {
        Some(name) if errors.is_empty() => Ok(clean_name(&name)),
        _ => Err(InputError::Fields(errors)),
    }
}

/// Whether two names are one teammate's (case-insensitive, as a person would read them).
pub fn same_name(a: &str, b: &str) -> bool {
    clean_name(a).to_lowercase() == clean_name(b).to_lowercase()
}

/// The site's remembered teammates after `name` was used: it moves to the front, duplicates (in
/// any case) go, at most [`crate::limits::MAX_TEAMMATES`] are kept. `None` when nothing changes.
pub fn remember_teammate(known: &[String], name: &str) -> Option<Vec<String>> {
    let name = clean_name(name);
    if name.is_empty() || known.first().is_some_and(|first| first == &name) {
        return None;
    }
    let mut list = vec![name.clone()];
    list.extend(known.iter().filter(|k| !same_name(k, &name)).cloned());
    list.truncate(crate::limits::MAX_TEAMMATES);
    Some(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assignment_names_someone_or_nobody_and_is_never_implied() {
        assert_eq!(parse_assignment(br#"{"assignee":"  Kadri   Tamm "}"#).ok().as_deref(), Some("Kadri Tamm"));
        assert_eq!(parse_assignment(br#"{"assignee":""}"#).ok().as_deref(), Some(""));
        for body in [&br#"{}"#[..], br#"{"assignee":null}"#, br#"{"assignee":3}"#, br#"{"assignee":"x","y":1}"#] {
            assert!(parse_assignment(body).is_err(), "{}", String::from_utf8_lossy(body));
        }
        let long = format!(r#"{{"assignee":"{}"}}"#, "a".repeat(101));
        assert!(parse_assignment(long.as_bytes()).is_err());
    }

    #[test]
    fn teammates_are_remembered_most_recent_first_once_each() {
        let known = vec!["Mari".to_owned(), "Kadri".to_owned()];
        assert_eq!(remember_teammate(&known, "Mari"), None, "already first");
        assert_eq!(remember_teammate(&known, "  kadri "), Some(vec!["kadri".to_owned(), "Mari".to_owned()]));
        assert_eq!(remember_teammate(&known, "  "), None);
        let many: Vec<String> = (0..60).map(|i| format!("T{i}")).collect();
        assert_eq!(remember_teammate(&many, "New").map(|l| l.len()), Some(crate::limits::MAX_TEAMMATES));
    }

    #[test]
    fn excerpts_are_short_single_lines() {
        assert_eq!(excerpt("Cold\n\nfood  again"), "Cold food again");
        let long = "x".repeat(500);
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(lang_key("et-EE"), "et");
        assert_eq!(lang_key("AR_eg"), "ar");
        assert!(same_name("Mari  Maasikas", "mari maasikas"));
    }
}
