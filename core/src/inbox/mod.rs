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

/// What a test alert's sample failure says when the caller gives no words of its own.
pub const SAMPLE_COMMENT: &str = "This is a test alert from tellus: a customer's failure would be reported like this.";
/// The touchpoint page of a test alert's sample failure.
pub const SAMPLE_PAGE: &str = "/tellus-test-alert";

/// The made-up failure a test alert reports ("send a test alert"): never stored, rated 1 on the
/// site's scale, slow (responsiveness), on [`SAMPLE_PAGE`], with `comment`. `random` makes its
/// id, so each test is its own message.
pub fn sample_entry(site: &crate::site::Site, now_ms: u64, random: [u8; 10], comment: &str) -> crate::entry::Entry {
    use crate::entry::{Dimension, Entry, Kind, Status, Touchpoint};
    let scale = site.settings.scale;
    Entry {
        id: crate::ids::entry_id(now_ms, random),
        site: site.id.clone(),
        created_ms: now_ms,
        scale,
        rating: scale.min().max(1).min(scale.max()),
        kind: Kind::Failure,
        status: Some(Status::Open),
        comment: comment.to_owned(),
        dimensions: vec![Dimension::Responsiveness],
        touchpoint: Touchpoint { page: Some(SAMPLE_PAGE.to_owned()), ..Touchpoint::default() },
        contact: None,
        lang: "en".to_owned(),
        receipt_token: String::new(),
        acknowledged_ms: None,
        fixed_ms: None,
        fix_note: String::new(),
        reply: None,
        rerating: None,
        assignee: None,
        assignments: Vec::new(),
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
