//! The owner's entries: list (filtered, paged), read one, acknowledge, fix, reply, assign to a
//! teammate, note, delete (erasure), export as CSV or JSON; acknowledge many at once (the
//! inbox's bulk action). Each change is written to KV (the record) and then handed
//! to the site's desk in one call, which recounts the day, keeps the failure index and sends
//! `failure.fixed`.

use crate::App;
use crate::desk::client;
use crate::desk::protocol::Op;
use crate::error::{ApiError, ApiResult};
use crate::feedback::unknown_entry;
use crate::http::{json, read_json_body};
use crate::repo::{self, entries::BadCursor};
use crate::sites;
use tellus_core::entry::{Entry, TransitionError};
use tellus_core::limits::ENTRIES_PAGE_MAX;
use tellus_core::owner::{CSV_HEADER, EntryFilter, csv_row, parse_text_body};
use tellus_core::problem::ProblemKind;
use tellus_core::site::Site;
use tellus_core::validation::FieldError;
use tellus_core::wire::{EntriesPage, OwnerEntry};
use worker::{Request, Response};

/// Most entries one export request returns; the rest follow through `cursor`.
pub const EXPORT_PAGE_MAX: usize = 1_000;

fn filter_of(req: &Request, max_limit: usize) -> ApiResult<EntryFilter> {
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    EntryFilter::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), max_limit).map_err(ApiError::fields)
}

fn bad_cursor(_: BadCursor) -> ApiError {
    ApiError::fields(vec![FieldError {
        field: "cursor".into(),
        message: "is not a cursor from a previous page".into(),
    }])
}

/// The keys of the entries a filter matches (one KV list page or a few), or the caller's bad
/// cursor as a 422.
pub async fn matching_keys(app: &App, site: &Site, filter: &EntryFilter) -> ApiResult<(Vec<String>, Option<String>)> {
    repo::entries::matching_keys(&app.store, site, filter).await?.map_err(bad_cursor)
}

/// `GET /v1/sites/{site}/entries?status=&kind=&touchpoint=&from=&to=&limit=&cursor=`.
/// A page may hold fewer than `limit` entries; continue while `cursor` is present.
pub async fn list(req: &Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let filter = filter_of(req, ENTRIES_PAGE_MAX)?;
    let (names, cursor) = matching_keys(app, &site, &filter).await?;
    let entries = repo::entries::read_many(&app.store, &names).await?.into_iter().map(OwnerEntry::of).collect();
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
    let (names, cursor) = matching_keys(app, site, filter).await?;
    let entries = repo::entries::read_many(&app.store, &names).await?;
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
    let entry = repo::entries::load(&app.store, &site.id, id).await?.ok_or_else(unknown_entry)?;
    json(200, &OwnerEntry::of(entry))
}

/// The owner actions on one entry.
#[derive(Clone, Copy)]
pub enum Action {
    Acknowledge,
    Fix,
    Reply,
    /// Hand the entry to a teammate (`text` is the name; empty hands it back to nobody).
    Assign,
    /// Add an internal note.
    Note,
}

impl Action {
    /// The action named by the last segment of its route.
    pub fn parse(name: &str) -> Option<Action> {
        match name {
            "acknowledge" => Some(Action::Acknowledge),
            "fix" => Some(Action::Fix),
            "reply" => Some(Action::Reply),
            "assign" => Some(Action::Assign),
            "note" => Some(Action::Note),
            _ => None,
        }
    }
}

/// `POST /v1/sites/{site}/entries/{id}/{acknowledge|fix|reply|assign|note}`.
pub async fn act(mut req: Request, app: &App, site_id: &str, id: &str, action: Action) -> ApiResult<Response> {
    let site = sites::authorize_owner(&req, app, site_id).await?;
    let text = match action {
        Action::Acknowledge => String::new(),
        Action::Fix => {
            let body = read_optional_body(&mut req).await?;
            if body.is_empty() { String::new() } else { parse_text_body(&body, "note", false)? }
        }
        Action::Reply | Action::Note => parse_text_body(&read_json_body(&mut req).await?, "text", true)?,
        Action::Assign => parse_assignee(&read_json_body(&mut req).await?)?,
    };
    let entry = apply(app, &site, id, action, text).await?;
    json(200, &OwnerEntry::of(entry))
}

/// Applies an owner action to a stored entry, writes it and hands it to the site's desk: the one
/// place the life cycle is driven from, for the API and the summary page alike. `text` is the
/// fix note or the reply.
pub async fn apply(app: &App, site: &Site, id: &str, action: Action, text: String) -> ApiResult<Entry> {
    let mut entry = repo::entries::load(&app.store, &site.id, id).await?.ok_or_else(unknown_entry)?;
    let outcome = match action {
        Action::Acknowledge => entry.acknowledge(app.now_ms),
        Action::Fix => entry.fix(app.now_ms, text),
        Action::Reply => {
            entry.reply(app.now_ms, text);
            Ok(())
        }
        Action::Note => entry.add_note(app.now_ms, text),
        Action::Assign => match entry.assign(app.now_ms, &text) {
            // Already with that teammate: nothing to write or tell the desk.
            Ok(false) => return Ok(entry),
            Ok(true) => Ok(()),
            Err(err) => Err(err),
        },
    };
    if let Err(err) = outcome {
        if err == TransitionError::AlreadyFixed {
            // A fix that reached KV but whose call to the desk was lost (the request stopped in
            // between) is handed over now, when the owner tries again: the desk sends
            // `failure.fixed` once, whoever tells it first.
            changed(app, site, &entry).await?;
        }
        return Err(conflict(err));
    }
    repo::entries::save(&app.store, &entry, site.settings.retention_days).await?;
    changed(app, site, &entry).await?;
    Ok(entry)
}

/// The body of an assignment (`tellus_core::inbox::parse_assignment`).
pub fn parse_assignee(body: &[u8]) -> ApiResult<String> {
    Ok(tellus_core::inbox::parse_assignment(body)?)
}

/// Acknowledges many entries at once (the inbox's bulk action): each open failure among `ids`
/// is acknowledged and written, then the desk hears of all of them in one call. Answers how
/// many changed; ids that are unknown, already acknowledged or not failures are left as they are.
pub async fn acknowledge_many(app: &App, site: &Site, ids: &[String]) -> ApiResult<usize> {
    let mut changed_entries = Vec::new();
    for id in ids.iter().take(tellus_core::limits::MAX_BULK_ENTRIES) {
        let Some(mut entry) = repo::entries::load(&app.store, &site.id, id).await? else { continue };
        if entry.status != Some(tellus_core::entry::Status::Open) || entry.acknowledge(app.now_ms).is_err() {
            continue;
        }
        repo::entries::save(&app.store, &entry, site.settings.retention_days).await?;
        changed_entries.push(entry);
    }
    let count = changed_entries.len();
    if count > 0 {
        let op = Op::ChangedMany { site: Box::new(site.clone()), entries: changed_entries };
        client::call::<()>(app, &site.id, op).await?;
    }
    Ok(count)
}

/// Tells the site's desk that a stored entry changed.
pub async fn changed(app: &App, site: &Site, entry: &Entry) -> ApiResult<()> {
    let op = Op::Changed { site: Box::new(site.clone()), entry: Box::new(entry.clone()) };
    client::call::<()>(app, &site.id, op).await?;
    Ok(())
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

/// `DELETE /v1/sites/{site}/entries/{id}`: erasure of the entry, its contact details and what
/// the site's desk kept of it. Deleting twice answers 404 the second time.
pub async fn delete(req: &Request, app: &App, site_id: &str, id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    erase(app, &site, id).await?;
    Ok(Response::builder().with_status(204).empty())
}

/// Erases an entry and what the desk kept of it (404 if it is already gone).
pub async fn erase(app: &App, site: &Site, id: &str) -> ApiResult<()> {
    let entry = repo::entries::load(&app.store, &site.id, id).await?.ok_or_else(unknown_entry)?;
    repo::entries::delete(&app.store, &entry).await?;
    let op = Op::Erased { site: Box::new(site.clone()), entry: Box::new(entry) };
    client::call::<()>(app, &site.id, op).await?;
    Ok(())
}
