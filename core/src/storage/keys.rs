//! The Workers KV key layout. Every key the Worker reads or writes is built here.
//!
//! KV lists keys in ascending byte order and filters only by prefix, so keys are shaped for the
//! lists we need: an owner's newest entries first (inverted time), and one day of a site's
//! entries under one prefix (inverted day) for the daily rollup. See ARCHITECTURE.md.

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

/// `roll:{site}:{day}` holds the [`crate::summary::Rollup`] of one closed day (days ascending).
pub fn rollup(site: &str, day: u64) -> String {
    format!("roll:{site}:{day:06}")
}

/// Prefix of all rollups of a site.
pub fn rollups_prefix(site: &str) -> String {
    format!("roll:{site}:")
}

/// `rollmark:{site}` holds the last day rolled up, so the cron knows where to continue.
pub fn rollup_mark(site: &str) -> String {
    format!("rollmark:{site}")
}

/// `dirty:{site}:{day}:{entry}` asks the cron to roll a closed day up again (an entry of it
/// changed or arrived late). One key per entry: many changes to one day in the same second
/// write different keys (KV takes about one write a second per key).
pub fn dirty_day(site: &str, day: u64, entry: &str) -> String {
    format!("dirty:{site}:{day:06}:{entry}")
}

/// The day of a dirty key.
pub fn dirty_day_of_key(key: &str) -> Option<u64> {
    key.strip_prefix("dirty:")?.split(':').nth(1)?.parse().ok()
}

/// Prefix of a site's dirty days.
pub fn dirty_prefix(site: &str) -> String {
    format!("dirty:{site}:")
}

/// Prefix of every site key (the cron walks sites through it).
pub const SITES_PREFIX: &str = "site:";

/// Prefix of a site's open-failure index.
pub fn open_failures_prefix(site: &str) -> String {
    format!("open:{site}:")
}

/// `c:{site}:{inverted day}:{id}` records one tell-others click, its target in the metadata.
pub fn click(site: &str, now_ms: u64, id: &str) -> String {
    format!("c:{site}:{:05}:{id}", INVERT_DAY.saturating_sub(day_of(now_ms)))
}

/// Prefix of one day's clicks of a site.
pub fn clicks_day_prefix(site: &str, day: u64) -> String {
    format!("c:{site}:{:05}:", INVERT_DAY.saturating_sub(day))
}

/// `cb:{site}` holds the site's callback endpoints (with their secrets): one read finds every
/// endpoint an event goes to, and endpoints change rarely.
pub fn callback_endpoints(site: &str) -> String {
    format!("cb:{site}")
}

/// `cbd:{site}:{endpoint}:{inverted ms}:{ulid}` holds one delivery (a
/// [`crate::callbacks::Delivery`], its summary as list metadata): the endpoint's delivery log
/// lists newest first, and the key is derivable from the `webhook-id` (`msg_{ulid}`).
pub fn delivery(site: &str, endpoint: &str, ulid: &str) -> Option<String> {
    let ms = entry_id_time(ulid)?;
    Some(format!("cbd:{site}:{endpoint}:{:013}:{ulid}", INVERT_MS.saturating_sub(ms)))
}

/// Prefix of an endpoint's delivery log.
pub fn deliveries_prefix(site: &str, endpoint: &str) -> String {
    format!("cbd:{site}:{endpoint}:")
}

/// Prefix of the callback due-queue: `cbq:{due ms}:…` lists soonest first, so the cron reads
/// one page and stops at the first key not yet due.
pub const CALLBACK_QUEUE_PREFIX: &str = "cbq:";

/// What a due-queue key stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueItem {
    /// Attempt a delivery: `cbq:{due}:d:{site}:{endpoint}:{ulid}`.
    Delivery { site: String, endpoint: String, ulid: String },
    /// Check a failure for its overdue escalation step: `cbq:{due}:o:{site}:{entry}:{step}`.
    Overdue { site: String, entry: String, step: u32 },
    /// Finish what storing an entry starts after the response (its `failure.reported` or
    /// `praise.received`, its first overdue check) if that work never finished:
    /// `cbq:{due}:s:{site}:{entry}`. Written before the entry, deleted when the work is done.
    Stored { site: String, entry: String },
    /// The same for fixing a failure (`failure.fixed`): `cbq:{due}:x:{site}:{entry}`.
    Fixed { site: String, entry: String },
}

/// The due-queue key of an item.
pub fn queue(due_ms: u64, item: &QueueItem) -> String {
    match item {
        QueueItem::Delivery { site, endpoint, ulid } => format!("cbq:{due_ms:013}:d:{site}:{endpoint}:{ulid}"),
        QueueItem::Overdue { site, entry, step } => format!("cbq:{due_ms:013}:o:{site}:{entry}:{step}"),
        QueueItem::Stored { site, entry } => format!("cbq:{due_ms:013}:s:{site}:{entry}"),
        QueueItem::Fixed { site, entry } => format!("cbq:{due_ms:013}:x:{site}:{entry}"),
    }
}

/// The due time and item of a due-queue key.
pub fn parse_queue(key: &str) -> Option<(u64, QueueItem)> {
    let mut parts = key.strip_prefix(CALLBACK_QUEUE_PREFIX)?.split(':');
    let due = parts.next()?.parse().ok()?;
    let kind = parts.next()?;
    let rest: Vec<String> = parts.map(str::to_owned).collect();
    let item = match (kind, <[String; 3]>::try_from(rest.clone()), <[String; 2]>::try_from(rest)) {
        ("d", Ok([site, endpoint, ulid]), _) => QueueItem::Delivery { site, endpoint, ulid },
        ("o", Ok([site, entry, step]), _) => QueueItem::Overdue { site, entry, step: step.parse().ok()? },
        ("s", _, Ok([site, entry])) => QueueItem::Stored { site, entry },
        ("x", _, Ok([site, entry])) => QueueItem::Fixed { site, entry },
        _ => return None,
    };
    Some((due, item))
}

/// `sess:{sha256 of the token}` holds one owner session of the summary page (a
/// [`crate::session::Session`]), expiring with it. The cookie holds the token; only its hash
/// is a key, so reading KV does not yield a usable cookie.
pub fn session(token_hash: &str) -> String {
    format!("sess:{token_hash}")
}

/// `testclock` holds the test clock's offset (ms) for the cron. Read only when the Worker runs
/// with `ALLOW_TEST_CLOCK=1`, which production never sets.
pub const TEST_CLOCK: &str = "testclock";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::ids::entry_id;

    #[test]
    fn newer_entries_list_first_and_days_share_a_prefix() {
        let day_ms = 20_000 * crate::time::MS_PER_DAY;
        let older = entry("s1", &entry_id(day_ms + 1_000, [1; 10])).unwrap_or_default();
        let newer = entry("s1", &entry_id(day_ms + 2_000, [0; 10])).unwrap_or_default();
        assert!(newer < older);
        assert!(older.starts_with(&entries_day_prefix("s1", 20_000)));
        assert!(newer.starts_with(&entries_prefix("s1")));
        assert_eq!(entry("s1", "not-an-id"), None);
    }

    #[test]
    fn dirty_keys_carry_their_day() {
        assert_eq!(dirty_day_of_key(&dirty_day("s1", 20_000, "e1")), Some(20_000));
        assert_eq!(dirty_day_of_key("dirty:s1"), None);
    }

    #[test]
    fn queue_keys_list_soonest_first_and_parse_back() {
        let item = QueueItem::Overdue { site: "s1".into(), entry: "e1".into(), step: 3 };
        let soon = queue(1_000, &item);
        let later = queue(20_000, &QueueItem::Delivery { site: "s1".into(), endpoint: "ep".into(), ulid: "u".into() });
        assert!(soon < later);
        assert_eq!(parse_queue(&soon), Some((1_000, item)));
        assert!(parse_queue(&later).is_some());
        assert_eq!(parse_queue("cbq:12:x:a:b:c"), None);
        assert_eq!(parse_queue("cbq:12:q:a:b"), None);
        for item in [
            QueueItem::Stored { site: "s1".into(), entry: "e1".into() },
            QueueItem::Fixed { site: "s1".into(), entry: "e1".into() },
        ] {
            assert_eq!(parse_queue(&queue(5, &item)), Some((5, item)));
        }
        assert_eq!(parse_queue("cbq:12:o:a:b:c:d"), None);
    }

    #[test]
    fn the_id_is_recovered_from_the_key() {
        let id = entry_id(1_750_000_000_000, [9; 10]);
        let key = entry("abc", &id).unwrap_or_default();
        assert_eq!(entry_id_of_key(&key), Some(id.as_str()));
    }
}
