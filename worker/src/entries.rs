//! The owner's entries: list (filtered, paged), read one, acknowledge, fix, reply, delete
//! (erasure), export as CSV or JSON.

use crate::App;
use crate::error::{ApiError, ApiResult};
use crate::feedback::expiry_secs;
use crate::http::{json, read_json_body};
use crate::sites;
use crate::store::{Put, Store};
use tellus_core::entry::{Entry, EntryMeta, TransitionError};
use tellus_core::keys;
use tellus_core::limits::ENTRIES_PAGE_MAX;
use tellus_core::owner::{CSV_HEADER, EntryFilter, csv_row, parse_text_body};
use tellus_core::problem::ProblemKind;
use tellus_core::site::Site;
use tellus_core::validation::FieldError;
use tellus_core::wire::{EntriesPage, OwnerEntry};
use worker::{Request, Response};

/// Most entries one export request returns; the rest follow through `cursor`.
pub const EXPORT_PAGE_MAX: usize = 1_000;
/// Most KV list pages one filtered request scans before answering with a cursor.
const MAX_SCANNED_PAGES: usize = 5;

/// Writes an entry with its list metadata, keeping its original expiry.
pub async fn save(store: &impl Store, entry: &Entry, expires_at_secs: u64) -> ApiResult<()> {
    let key = keys::entry(&entry.site, &entry.id)
        .ok_or_else(|| ApiError::Internal(format!("entry id {} has no key", entry.id)))?;
    let meta = serde_json::to_value(entry.meta())?;
    let put = Put { metadata: Some(&meta), expires_at_secs: Some(expires_at_secs), ..Put::default() };
    store.put(&key, &serde_json::to_string(entry)?, put).await
}

/// Reads one entry of a site, or 404.
pub async fn load(store: &impl Store, site: &str, id: &str) -> ApiResult<Entry> {
    let not_found = || ApiError::client(ProblemKind::NotFound, "There is no entry with this id on this site.");
    let key = keys::entry(site, id).ok_or_else(not_found)?;
    match store.get(&key).await? {
        Some(text) => Ok(serde_json::from_str(&text)?),
        None => Err(not_found()),
    }
}

fn filter_of(req: &Request, max_limit: usize) -> ApiResult<EntryFilter> {
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    EntryFilter::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), max_limit).map_err(ApiError::fields)
}

/// Lists whole KV pages newest first, keeping keys whose metadata passes the filter, until at
/// least one entry matched, the range is passed, or [`MAX_SCANNED_PAGES`] were scanned. Whole
/// pages only, so the returned cursor never skips an entry.
pub async fn matching_keys(
    store: &impl Store,
    site: &Site,
    filter: &EntryFilter,
) -> ApiResult<(Vec<String>, Option<String>)> {
    let prefix = keys::entries_prefix(&site.id);
    let mut cursor = filter.cursor.clone();
    let mut found = Vec::new();
    for _ in 0..MAX_SCANNED_PAGES {
        let had_cursor = cursor.is_some();
        let page = match store.list(&prefix, cursor.take(), filter.limit as u64).await {
            Ok(page) => page,
            Err(_) if had_cursor => return Err(bad_cursor()),
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
    Ok((found, cursor))
}

fn bad_cursor() -> ApiError {
    ApiError::fields(vec![FieldError {
        field: "cursor".into(),
        message: "is not a cursor from a previous page".into(),
    }])
}

pub async fn read_entries(store: &impl Store, keys: &[String]) -> ApiResult<Vec<Entry>> {
    let mut entries = Vec::with_capacity(keys.len());
    // An entry deleted between list and read is simply skipped.
    for text in store.get_many(keys).await?.into_iter().flatten() {
        entries.push(serde_json::from_str(&text)?);
    }
    Ok(entries)
}

/// `GET /v1/sites/{site}/entries?status=&kind=&touchpoint=&from=&to=&limit=&cursor=`.
/// A page may hold fewer than `limit` entries; continue while `cursor` is present.
pub async fn list(req: &Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let filter = filter_of(req, ENTRIES_PAGE_MAX)?;
    let (names, cursor) = matching_keys(&app.store, &site, &filter).await?;
    let entries = read_entries(&app.store, &names).await?.into_iter().map(OwnerEntry::of).collect();
    json(200, &EntriesPage { entries, cursor })
}

/// `GET /v1/sites/{site}/export?format=csv|json&…filters`: up to 1,000 entries a request;
/// the `x-next-cursor` header (and a `Link: rel=next`) leads to the rest.
pub async fn export(req: &Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let url = req.url()?;
    let format =
        url.query_pairs().find(|(k, _)| k == "format").map(|(_, v)| v.into_owned()).unwrap_or_else(|| "csv".into());
    if format != "csv" && format != "json" {
        return Err(ApiError::fields(vec![FieldError {
            field: "format".into(),
            message: "must be csv or json".into(),
        }]));
    }
    let mut filter = filter_of(req, EXPORT_PAGE_MAX)?;
    if !url.query_pairs().any(|(k, _)| k == "limit") {
        filter.limit = EXPORT_PAGE_MAX;
    }
    export_of(app, &site, &filter, &format, &url).await
}

/// The export answer for a filter (shared with the summary page's cookie-authenticated export).
/// `url` is the request's address, the base of the `Link: rel=next`.
pub async fn export_of(
    app: &App,
    site: &Site,
    filter: &EntryFilter,
    format: &str,
    url: &worker::Url,
) -> ApiResult<Response> {
    let (names, cursor) = matching_keys(&app.store, site, filter).await?;
    let entries = read_entries(&app.store, &names).await?;
    let mut res = if format == "csv" {
        let mut csv = String::from(CSV_HEADER);
        for entry in &entries {
            csv.push_str(&csv_row(entry));
        }
        let mut res = Response::builder().with_status(200).fixed(csv.into_bytes());
        res.headers_mut().set("content-type", "text/csv; charset=utf-8")?;
        res.headers_mut().set("content-disposition", &format!("attachment; filename=\"tellus-{}.csv\"", site.id))?;
        res
    } else {
        let entries: Vec<OwnerEntry> = entries.into_iter().map(OwnerEntry::of).collect();
        json(200, &EntriesPage { entries, cursor: cursor.clone() })?
    };
    res.headers_mut().set("cache-control", "no-store")?;
    if let Some(cursor) = cursor {
        let mut next = url.clone();
        let kept: Vec<(String, String)> =
            url.query_pairs().filter(|(k, _)| k != "cursor").map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        next.query_pairs_mut().clear().extend_pairs(kept).append_pair("cursor", &cursor);
        res.headers_mut().set("x-next-cursor", &cursor)?;
        res.headers_mut().set(
            "link",
            &format!("<{}{}>; rel=\"next\"", next.path(), next.query().map(|q| format!("?{q}")).unwrap_or_default()),
        )?;
    }
    Ok(res)
}

/// `GET /v1/sites/{site}/entries/{id}`.
pub async fn get(req: &Request, app: &App, site_id: &str, id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let entry = load(&app.store, &site.id, id).await?;
    json(200, &OwnerEntry::of(entry))
}

/// The owner actions on one entry.
#[derive(Clone, Copy)]
pub enum Action {
    Acknowledge,
    Fix,
    Reply,
}

/// `POST /v1/sites/{site}/entries/{id}/{acknowledge|fix|reply}`.
pub async fn act(mut req: Request, app: &App, site_id: &str, id: &str, action: Action) -> ApiResult<Response> {
    let site = sites::authorize_owner(&req, app, site_id).await?;
    let text = match action {
        Action::Acknowledge => String::new(),
        Action::Fix => {
            let body = read_optional_body(&mut req).await?;
            if body.is_empty() { String::new() } else { parse_text_body(&body, "note", false)? }
        }
        Action::Reply => parse_text_body(&read_json_body(&mut req).await?, "text", true)?,
    };
    let entry = apply(app, &site, id, action, text).await?;
    json(200, &OwnerEntry::of(entry))
}

/// Applies an owner action to a stored entry and saves it: the one place the life cycle is
/// driven from, for the API and the summary page alike. `text` is the fix note or the reply.
pub async fn apply(app: &App, site: &Site, id: &str, action: Action, text: String) -> ApiResult<Entry> {
    let mut entry = load(&app.store, &site.id, id).await?;
    let was_open = entry.status.is_some_and(|s| s != tellus_core::entry::Status::Fixed);
    let outcome = match action {
        Action::Acknowledge => entry.acknowledge(app.now_ms),
        Action::Fix => entry.fix(app.now_ms, text),
        Action::Reply => {
            entry.reply(app.now_ms, text);
            Ok(())
        }
    };
    outcome.map_err(conflict)?;
    let fixed_now = matches!(action, Action::Fix) && was_open;
    if fixed_now {
        // The promise of `failure.fixed` comes first, as for a stored entry.
        let work = crate::callbacks::Deferred::Fixed { site: Box::new(site.clone()), entry: Box::new(entry.clone()) };
        crate::callbacks::promise(app, work).await?;
    }
    save(&app.store, &entry, expiry_secs(&entry, site.settings.retention_days)).await?;
    crate::rollup::mark_dirty(&app.store, &site.id, &entry.id, entry.created_ms, app.now_ms).await?;
    if fixed_now {
        app.store.delete(&keys::open_failure(&site.id, &entry.id)).await?;
    }
    Ok(entry)
}

/// An empty body is allowed (e.g. a fix without a note); a non-empty one must be JSON.
async fn read_optional_body(req: &mut Request) -> ApiResult<Vec<u8>> {
    let declared = req.headers().get("content-length")?.and_then(|n| n.parse::<usize>().ok());
    let has_type = req.headers().get("content-type")?.is_some();
    if declared == Some(0) || (declared.is_none() && !has_type) {
        return Ok(Vec::new());
    }
    read_json_body(req).await
}

pub fn conflict(err: TransitionError) -> ApiError {
    ApiError::client(ProblemKind::Conflict, err.detail())
}

/// `DELETE /v1/sites/{site}/entries/{id}`: erasure of the entry, its contact details and its
/// index keys. Deleting twice answers 404 the second time.
pub async fn delete(req: &Request, app: &App, site_id: &str, id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    erase(app, &site, id).await?;
    Ok(Response::builder().with_status(204).empty())
}

/// Erases an entry, its contact details and its index keys (404 if it is already gone).
pub async fn erase(app: &App, site: &Site, id: &str) -> ApiResult<()> {
    let entry = load(&app.store, &site.id, id).await?;
    if let Some(key) = keys::entry(&site.id, &entry.id) {
        app.store.delete(&key).await?;
    }
    if entry.status.is_some() {
        app.store.delete(&keys::open_failure(&site.id, &entry.id)).await?;
    }
    crate::rollup::mark_dirty(&app.store, &site.id, &entry.id, entry.created_ms, app.now_ms).await
}
