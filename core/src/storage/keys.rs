//! The Workers KV key layout. Every key the Worker reads or writes is built here.
//!
//! KV lists keys in ascending byte order and filters only by prefix, so keys are shaped for the
//! lists we need: an owner's newest entries first (inverted time), one day of a site's entries
//! under one prefix (inverted day). KV holds only records; what is exact or timed lives in each
//! site's desk (a Durable Object). See ARCHITECTURE.md.

use super::ids::entry_id_time;

const INVERT_DAY: u64 = 99_999;
const INVERT_MS: u64 = 9_999_999_999_999;

/// Keys are laid out by day; the day of a moment is [`crate::time::day_of`].
pub use crate::time::day_of;

/// `site:{site}` holds the site's settings and the hash of its owner key.
pub fn site(site: &str) -> String {
    format!("site:{site}")
}

/// Prefix of all entries of a site, newest first.
pub fn entries_prefix(site: &str) -> String {
    format!("e:{site}:")
}

/// `e:{site}:{inverted day}:{inverted ms}:{id}` holds one entry, with [`crate::entry::EntryMeta`]
/// as list metadata. `None` when `id` is not an entry id.
pub fn entry(site: &str, id: &str) -> Option<String> {
    let ms = entry_id_time(id)?;
    Some(format!("e:{site}:{:05}:{:013}:{id}", INVERT_DAY.saturating_sub(day_of(ms)), INVERT_MS.saturating_sub(ms)))
}

/// The entry id at the end of an entry key.
pub fn entry_id_of_key(key: &str) -> Option<&str> {
    key.rsplit(':').next()
}

/// `idem:{site}:{key}` remembers which entry an idempotency key created.
pub fn idempotency(site: &str, key: &str) -> String {
    format!("idem:{site}:{key}")
}

/// `sess:{sha256 of the token}` holds one owner session of the summary page (a
/// [`crate::session::Session`]), expiring with it. The cookie holds the token; only its hash
/// is a key, so reading KV does not yield a usable cookie.
pub fn session(token_hash: &str) -> String {
    format!("sess:{token_hash}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::ids::entry_id;

    #[test]
    fn newer_entries_list_first() {
        let day_ms = 20_000 * crate::time::MS_PER_DAY;
        let older = entry("s1", &entry_id(day_ms + 1_000, [1; 10])).unwrap_or_default();
        let newer = entry("s1", &entry_id(day_ms + 2_000, [0; 10])).unwrap_or_default();
        assert!(newer < older);
        assert!(newer.starts_with(&entries_prefix("s1")));
        assert_eq!(entry("s1", "not-an-id"), None);
    }

    #[test]
    fn the_id_is_recovered_from_the_key() {
        let id = entry_id(1_750_000_000_000, [9; 10]);
        let key = entry("abc", &id).unwrap_or_default();
        assert_eq!(entry_id_of_key(&key), Some(id.as_str()));
    }
}
