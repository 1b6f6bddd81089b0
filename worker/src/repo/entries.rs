//! Entries in KV: `e:{site}:{inverted day}:{inverted ms}:{id}` holds one entry with its list
//! metadata, expiring with the site's retention; `idem:{site}:{key}` remembers which entry an
//! idempotency key without a usable time created.

use crate::error::{ApiError, ApiResult};
use crate::store::{Kv, Put, Store};
use tellus_core::entry::{Entry, EntryMeta};
use tellus_core::keys;
use tellus_core::limits::IDEMPOTENCY_TTL_SECS;
use tellus_core::owner::EntryFilter;
use tellus_core::site::Site;
use tellus_core::wire::Receipt;

/// Most KV list pages one filtered request scans before answering with a cursor.
const MAX_SCANNED_PAGES: usize = 5;

/// The entry with this id on this site; `None` when the id is not an entry id or nothing is
/// stored under it.
pub async fn load(store: &Kv, site: &str, id: &str) -> ApiResult<Option<Entry>> {
    let Some(key) = keys::entry(site, id) else { return Ok(None) };
    store.get_json(&key).await
}

/// Writes an entry with its list metadata; it expires with the site's retention, counted from
/// its creation (so a rewrite keeps the original expiry).
pub async fn save(store: &Kv, entry: &Entry, retention_days: u32) -> ApiResult<()> {
    let key = keys::entry(&entry.site, &entry.id)
        .ok_or_else(|| ApiError::Internal(format!("entry id {} has no key", entry.id)))?;
    let meta = serde_json::to_value(entry.meta())?;
    let put =
        Put { metadata: Some(&meta), expires_at_secs: Some(entry.expires_at_secs(retention_days)), ..Put::default() };
    store.put_json(&key, entry, put).await
}

/// Deletes an entry (erasure).
pub async fn delete(store: &Kv, entry: &Entry) -> ApiResult<()> {
    match keys::entry(&entry.site, &entry.id) {
        Some(key) => store.delete(&key).await,
        None => Ok(()),
    }
}

/// The receipt a key without a usable time was first answered with, if it was.
pub async fn replayed(store: &Kv, site: &str, idempotency_key: &str) -> ApiResult<Option<Receipt>> {
    store.get_json(&keys::idempotency(site, idempotency_key)).await
}

/// Remembers which entry a key without a usable time created (for 30 days).
pub async fn remember_key(store: &Kv, site: &str, idempotency_key: &str, receipt: &Receipt) -> ApiResult<()> {
    let put = Put { ttl_secs: Some(IDEMPOTENCY_TTL_SECS), ..Put::default() };
    store.put_json(&keys::idempotency(site, idempotency_key), receipt, put).await
}

/// A cursor that did not come from a previous page.
pub struct BadCursor;

/// Lists whole KV pages newest first, keeping keys whose metadata passes the filter, until at
/// least one entry matched, the range is passed, or [`MAX_SCANNED_PAGES`] were scanned. Whole
/// pages only, so the returned cursor never skips an entry. A cursor KV does not accept is the
/// caller's `BadCursor`; any other failure is an error.
pub async fn matching_keys(
    store: &Kv,
    site: &Site,
    filter: &EntryFilter,
) -> ApiResult<Result<(Vec<String>, Option<String>), BadCursor>> {
    let prefix = keys::entries_prefix(&site.id);
    let mut cursor = filter.cursor.clone();
    if cursor.as_deref().is_some_and(|c| !is_kv_cursor(c)) {
        return Ok(Err(BadCursor));
    }
    let mut found = Vec::new();
    for _ in 0..MAX_SCANNED_PAGES {
        let had_cursor = cursor.is_some();
        let page = match store.list(&prefix, cursor.take(), filter.limit as u64).await {
            Ok(page) => page,
            // KV refuses a cursor it did not make by saying so; any other failure is ours.
            Err(ApiError::Internal(cause)) if had_cursor && cause.to_ascii_lowercase().contains("cursor") => {
                return Ok(Err(BadCursor));
            }
            Err(err) => return Err(err),
        };
        let mut past_range = false;
        for key in page.keys {
            let Some(day) =
                keys::entry_id_of_key(&key.name).and_then(tellus_core::ids::entry_id_time).map(keys::day_of)
            else {
                continue;
            };
            past_range |= filter.is_past_range(day);
            let meta: Option<EntryMeta> = key.metadata.and_then(|m| serde_json::from_value(m).ok());
            if meta.is_some_and(|meta| filter.matches(&meta, day)) {
                found.push(key.name);
            }
        }
        cursor = page.cursor;
        if past_range {
            cursor = None;
        }
        if !found.is_empty() || cursor.is_none() {
            break;
        }
    }
    Ok(Ok((found, cursor)))
}

/// Whether text can be a KV list cursor (KV's cursors are opaque base64url-ish tokens); anything
/// else is refused before it reaches KV, so a KV failure is never mistaken for a bad cursor.
fn is_kv_cursor(cursor: &str) -> bool {
    !cursor.is_empty()
        && cursor.len() <= 1_000
        && cursor.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'=' | b'+' | b'/' | b'.'))
}

/// The entries under these keys (an entry deleted between list and read is skipped).
pub async fn read_many(store: &Kv, keys: &[String]) -> ApiResult<Vec<Entry>> {
    let mut entries = Vec::with_capacity(keys.len());
    for text in store.get_many(keys).await?.into_iter().flatten() {
        entries.push(serde_json::from_str(&text)?);
    }
    Ok(entries)
}
