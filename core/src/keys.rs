//! The Workers KV key layout. Every key the Worker reads or writes is built here.
//!
//! KV lists keys in ascending byte order and filters only by prefix, so keys are shaped for the
//! lists we need: an owner's newest entries first (inverted time), and one day of a site's
//! entries under one prefix (inverted day) for the daily rollup. See ARCHITECTURE.md.

use crate::ids::entry_id_time;

const MS_PER_DAY: u64 = 86_400_000;
const INVERT_DAY: u64 = 99_999;
const INVERT_MS: u64 = 9_999_999_999_999;

/// Days since the Unix epoch (UTC) of a time in ms.
pub fn day_of(ms: u64) -> u64 {
    ms / MS_PER_DAY
}

/// `site:{site}` holds the site's settings and the hash of its owner key.
pub fn site(site: &str) -> String {
    format!("site:{site}")
}

/// Prefix of all entries of a site, newest first.
pub fn entries_prefix(site: &str) -> String {
    format!("e:{site}:")
}

/// Prefix of one day's entries of a site.
pub fn entries_day_prefix(site: &str, day: u64) -> String {
    format!("e:{site}:{:05}:", INVERT_DAY.saturating_sub(day))
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

/// `open:{site}:{id}` marks a failure not yet fixed: the small index the cron scans.
pub fn open_failure(site: &str, id: &str) -> String {
    format!("open:{site}:{id}")
}

/// `c:{site}:{inverted day}:{id}` records one tell-others click, its target in the metadata.
pub fn click(site: &str, now_ms: u64, id: &str) -> String {
    format!("c:{site}:{:05}:{id}", INVERT_DAY.saturating_sub(day_of(now_ms)))
}

/// Prefix of one day's clicks of a site.
pub fn clicks_day_prefix(site: &str, day: u64) -> String {
    format!("c:{site}:{:05}:", INVERT_DAY.saturating_sub(day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::entry_id;

    #[test]
    fn newer_entries_list_first_and_days_share_a_prefix() {
        let day_ms = 20_000 * MS_PER_DAY;
        let older = entry("s1", &entry_id(day_ms + 1_000, [1; 10])).unwrap_or_default();
        let newer = entry("s1", &entry_id(day_ms + 2_000, [0; 10])).unwrap_or_default();
        assert!(newer < older);
        assert!(older.starts_with(&entries_day_prefix("s1", 20_000)));
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
