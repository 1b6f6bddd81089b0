//! Identifiers and secrets, made from a clock reading and random bytes that the caller supplies.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Random bytes an entry id needs.
pub const ENTRY_ID_RANDOM_BYTES: usize = 10;
/// Random bytes a site id needs.
pub const SITE_ID_RANDOM_BYTES: usize = 8;
/// Length of an entry id: 10 characters of time and 16 of randomness (a lower-case ULID).
pub const ENTRY_ID_LEN: usize = 26;
/// Prefix that makes an owner key recognisable in logs and secret scanners.
pub const OWNER_KEY_PREFIX: &str = "tlk_";

/// An entry id: a ULID in lower-case Crockford base32, so it sorts by time and carries its
/// creation time (the KV key of an entry is derived from its id, see [`super::keys`]).
pub fn entry_id(now_ms: u64, random: [u8; ENTRY_ID_RANDOM_BYTES]) -> String {
    let mut out = String::with_capacity(ENTRY_ID_LEN);
    let time = now_ms & 0xFFFF_FFFF_FFFF;
    for i in (0..10).rev() {
        out.push(CROCKFORD[((time >> (i * 5)) & 31) as usize] as char);
    }
    let mut bits: u128 = 0;
    for byte in random {
        bits = (bits << 8) | u128::from(byte);
    }
    for i in (0..16).rev() {
        out.push(CROCKFORD[((bits >> (i * 5)) & 31) as usize] as char);
    }
    out
}

/// The creation time (ms since the epoch) an entry id carries, or `None` if it is not an id.
pub fn entry_id_time(id: &str) -> Option<u64> {
    if id.len() != ENTRY_ID_LEN || !id.bytes().all(is_crockford) {
        return None;
    }
    let mut time: u64 = 0;
    for byte in id.bytes().take(10) {
        let digit = CROCKFORD.iter().position(|&c| c == byte)? as u64;
        time = (time << 5) | digit;
    }
    (time <= 0xFFFF_FFFF_FFFF).then_some(time)
}

fn is_crockford(byte: u8) -> bool {
    CROCKFORD.contains(&byte)
}

/// The oldest and the most future time an idempotency key may carry (ms): an entry kept offline
/// for up to a week keeps the time the customer wrote it; anything else gets the server's time.
pub const KEY_TIME_MAX_AGE_MS: u64 = 7 * 86_400_000;
pub const KEY_TIME_MAX_AHEAD_MS: u64 = 5 * 60_000;

/// The time an idempotency key carries when it starts with an entry-id-shaped ULID, as the
/// widget's keys do.
pub fn key_time(key: &str) -> Option<u64> {
    key.get(..ENTRY_ID_LEN).and_then(entry_id_time)
}

/// The first `N` bytes of the SHA-256 of `parts`, each ended by a zero byte: randomness-shaped
/// bytes that are the same whenever the parts are.
pub fn derived<const N: usize>(parts: &[&str]) -> [u8; N] {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut out = [0u8; N];
    out.copy_from_slice(&digest[..N]);
    out
}

/// The entry id of a submission with an idempotency key: the same site and key always give the
/// same id when the key carries its time, so two copies of one submission racing each other
/// (KV has no transactions) write the very same keys and store it once. Keys without a time use
/// the server's clock: a retry is still recognised, but two copies in flight at once may not be.
pub fn keyed_entry_id(site: &str, key: &str, now_ms: u64) -> String {
    entry_id(usable_key_time(key, now_ms).unwrap_or(now_ms), derived(&["entry", site, key]))
}

/// The time a key carries, if it is usable at `now_ms` (at most a week old, at most five
/// minutes ahead). With it, the entry id of a keyed submission is known before anything is
/// read, so a replay is found by reading the entry itself.
pub fn usable_key_time(key: &str, now_ms: u64) -> Option<u64> {
    key_time(key).filter(|t| {
        *t <= now_ms.saturating_add(KEY_TIME_MAX_AHEAD_MS) && t.saturating_add(KEY_TIME_MAX_AGE_MS) >= now_ms
    })
}

/// The receipt token of a keyed submission: derived from the key, which only the customer's
/// browser knows, so both racing copies answer with the same token.
pub fn keyed_receipt_token(site: &str, key: &str) -> String {
    receipt_token(&derived::<16>(&["receipt", site, key]))
}

/// A public site id: 13 lower-case base32 characters.
pub fn site_id(random: [u8; SITE_ID_RANDOM_BYTES]) -> String {
    let bits = u64::from_be_bytes(random);
    (0..13).rev().map(|i| CROCKFORD[((bits >> (i * 5)) & 31) as usize] as char).collect()
}

/// Whether text has the shape of a site id (checked before it becomes part of a KV key).
pub fn is_site_id(text: &str) -> bool {
    (3..=32).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A secret owner key, shown once: `tlk_` and 43 base64url characters.
pub fn owner_key(random: &[u8]) -> String {
    format!("{OWNER_KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(random))
}

/// A receipt token the customer's browser keeps to read its entry's status.
pub fn receipt_token(random: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(random)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn entry_ids_sort_by_time() {
        let early = entry_id(1_700_000_000_000, [255; 10]);
        let late = entry_id(1_700_000_000_001, [0; 10]);
        assert!(early < late);
        assert_eq!(early.len(), ENTRY_ID_LEN);
    }

    #[test]
    fn site_ids_have_the_site_id_shape() {
        assert!(is_site_id(&site_id([7; 8])));
        assert!(!is_site_id("../etc"));
        assert!(!is_site_id("A"));
    }

    #[test]
    fn keyed_ids_are_stable_and_use_the_key_time_when_plausible() {
        let now = 1_800_000_000_000;
        let key = entry_id(now - 3_600_000, [7; 10]);
        let id = keyed_entry_id("site", &key, now);
        assert_eq!(id, keyed_entry_id("site", &key, now + 5_000), "the same key gives the same id later");
        assert_eq!(entry_id_time(&id), Some(now - 3_600_000));
        assert_ne!(id, keyed_entry_id("other", &key, now));
        assert_eq!(keyed_receipt_token("site", &key), keyed_receipt_token("site", &key));
        assert_ne!(keyed_receipt_token("site", &key), keyed_receipt_token("site", "another-key"));
        let ancient = entry_id(now - 30 * 86_400_000, [7; 10]);
        assert_eq!(entry_id_time(&keyed_entry_id("site", &ancient, now)), Some(now));
        assert_eq!(entry_id_time(&keyed_entry_id("site", "plain-key-1", now)), Some(now));
    }

    proptest! {
        #[test]
        fn entry_id_time_round_trips(ms in 0u64..0xFFFF_FFFF_FFFF, random in any::<[u8; 10]>()) {
            prop_assert_eq!(entry_id_time(&entry_id(ms, random)), Some(ms));
        }

        #[test]
        fn entry_id_time_never_panics(text in ".{0,40}") {
            let _ = entry_id_time(&text);
        }
    }
}
