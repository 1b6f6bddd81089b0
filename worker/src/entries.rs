//! The owner's view of entries: listing, newest first, one page at a time.

use crate::App;
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::sites;
use crate::store::Store;
use tellus_core::entry::Entry;
use tellus_core::keys;
use tellus_core::limits::{ENTRIES_PAGE_DEFAULT, ENTRIES_PAGE_MAX};
use tellus_core::validation::FieldError;
use tellus_core::wire::{EntriesPage, OwnerEntry};
use worker::{Request, Response};

/// `GET /v1/sites/{site}/entries?limit=&cursor=`: one KV list plus one bulk read per page.
pub async fn list(req: &Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let url = req.url()?;
    let mut limit = ENTRIES_PAGE_DEFAULT;
    let mut cursor = None;
    for (name, value) in url.query_pairs() {
        match name.as_ref() {
            "limit" => limit = value.parse::<usize>().unwrap_or(ENTRIES_PAGE_DEFAULT).clamp(1, ENTRIES_PAGE_MAX),
            "cursor" if !value.is_empty() => cursor = Some(value.into_owned()),
            _ => {}
        }
    }
    let had_cursor = cursor.is_some();
    let page = match app.store.list(&keys::entries_prefix(&site.id), cursor, limit as u64).await {
        Ok(page) => page,
        // KV rejects cursors it did not issue; that is the caller's mistake, not ours.
        Err(_) if had_cursor => {
            return Err(ApiError::fields(vec![FieldError {
                field: "cursor".into(),
                message: "is not a cursor from a previous page".into(),
            }]));
        }
        Err(err) => return Err(err),
    };
    let names: Vec<String> = page.keys.into_iter().map(|k| k.name).collect();
    let values = app.store.get_many(&names).await?;
    let mut entries = Vec::with_capacity(values.len());
    for text in values.into_iter().flatten() {
        // An entry deleted between list and read is simply skipped.
        let entry: Entry = serde_json::from_str(&text)?;
        entries.push(OwnerEntry::of(entry));
    }
    json(200, &EntriesPage { entries, cursor: page.cursor })
}
