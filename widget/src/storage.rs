//! What the widget remembers in the customer's browser, under the one localStorage key
//! [`KEY`]: entries saved while offline (sent on a later page load) and the receipt of the
//! customer's last failure (to show the owner's answer on a return visit).
//!
//! The loader only checks whether [`KEY`] exists, so a customer with nothing pending costs no
//! download. Records are lines of tab-separated fields rather than JSON: the bodies are JSON
//! from `json::feedback_body`, which never contains a raw tab or newline, and this needs no
//! parser.
//! When localStorage throws (privacy modes, a full quota, a sandboxed frame) the records live
//! in memory for the rest of the page's life instead, and the dialog works as before.

use std::cell::RefCell;

/// The localStorage key. `loader.js` tests for it: keep the two in step.
pub const KEY: &str = "tellus";

/// One remembered thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// An entry the network refused; `body` is the JSON of the request, idempotency key inside,
    /// so re-sending it can never store it twice.
    Queued { endpoint: String, site: String, body: String },
    /// The receipt of the customer's last failure on `site`. `seen` is the news the customer
    /// has already been shown (see `services::news_mark`), so the badge only appears for new news.
    Receipt { site: String, id: String, token: String, seen: String },
}

impl Record {
    fn line(&self) -> String {
        let fields: [&str; 5] = match self {
            Record::Queued { endpoint, site, body } => ["q", endpoint, site, body, ""],
            Record::Receipt { site, id, token, seen } => ["r", site, id, token, seen],
        };
        fields.join("\t")
    }

    fn parse(line: &str) -> Option<Record> {
        let mut fields = line.split('\t');
        let (kind, a, b, c) = (fields.next()?, fields.next()?, fields.next()?, fields.next()?);
        let d = fields.next().unwrap_or_default();
        match kind {
            "q" => Some(Record::Queued { endpoint: a.into(), site: b.into(), body: c.into() }),
            "r" => Some(Record::Receipt { site: a.into(), id: b.into(), token: c.into(), seen: d.into() }),
            _ => None,
        }
    }
}

thread_local! {
    /// Set once localStorage has failed; from then on this is the storage.
    static FALLBACK: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_raw() -> String {
    if let Some(text) = FALLBACK.with(|fallback| fallback.borrow().clone()) {
        return text;
    }
    match local_storage().map(|storage| storage.get_item(KEY)) {
        Some(Ok(text)) => text.unwrap_or_default(),
        _ => String::new(),
    }
}

fn write_raw(text: String) {
    let stored = FALLBACK.with(|fallback| fallback.borrow().is_none())
        && local_storage().is_some_and(|storage| {
            if text.is_empty() { storage.remove_item(KEY).is_ok() } else { storage.set_item(KEY, &text).is_ok() }
        });
    if !stored {
        FALLBACK.with(|fallback| *fallback.borrow_mut() = Some(text));
    }
}

/// Every record, oldest first. Unreadable lines are skipped.
pub fn records() -> Vec<Record> {
    read_raw().lines().filter_map(Record::parse).collect()
}

fn save(records: &[Record]) {
    let lines: Vec<String> = records.iter().map(Record::line).collect();
    write_raw(lines.join("\n"));
}

/// Changes the records in one read-modify-write.
pub fn update(change: impl FnOnce(&mut Vec<Record>)) {
    let mut all = records();
    change(&mut all);
    save(&all);
}

/// Keeps an entry to send later.
pub fn enqueue(endpoint: &str, site: &str, body: String) {
    update(|all| all.push(Record::Queued { endpoint: endpoint.into(), site: site.into(), body }));
}

/// Forgets a queued entry once the server has answered for it (stored, or refused for good).
pub fn dequeue(body: &str) {
    update(|all| all.retain(|record| !matches!(record, Record::Queued { body: queued, .. } if queued == body)));
}

/// The receipt of the last failure on `site`, as `(id, token, seen)`.
pub fn receipt(site: &str) -> Option<(String, String, String)> {
    records().into_iter().find_map(|record| match record {
        Record::Receipt { site: of, id, token, seen } if of == site => Some((id, token, seen)),
        _ => None,
    })
}

/// Remembers the receipt of a new failure on `site`, replacing the one before.
pub fn keep_receipt(site: &str, id: &str, token: &str) {
    update(|all| {
        all.retain(|record| !matches!(record, Record::Receipt { site: of, .. } if of == site));
        all.push(Record::Receipt { site: site.into(), id: id.into(), token: token.into(), seen: String::new() });
    });
}

/// Records which news of the receipt on `site` the customer has seen.
pub fn mark_seen(site: &str, mark: &str) {
    update(|all| {
        for record in all.iter_mut() {
            if let Record::Receipt { site: of, seen, .. } = record
                && of == site
            {
                *seen = mark.into();
            }
        }
    });
}

/// Forgets receipt `id` on `site` (re-rated, or the server no longer knows it); a newer
/// failure's receipt stays.
pub fn forget_receipt(site: &str, id: &str) {
    update(|all| {
        all.retain(|record| !matches!(record, Record::Receipt { site: of, id: kept, .. } if of == site && kept == id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records survive the line format, and lines from elsewhere are skipped, not fatal.
    #[test]
    fn records_round_trip_through_lines() {
        let queued = Record::Queued {
            endpoint: "https://t.example".into(),
            site: "s1".into(),
            body: r#"{"rating":2,"comment":"a\tb\nc"}"#.into(),
        };
        let receipt = Record::Receipt { site: "s1".into(), id: "e1".into(), token: "t".into(), seen: "f".into() };
        assert_eq!(Record::parse(&queued.line()), Some(queued));
        assert_eq!(Record::parse(&receipt.line()), Some(receipt));
        assert_eq!(Record::parse("garbage"), None);
    }
}
