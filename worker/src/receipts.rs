//! The customer's side after sending: the status of their own entry (with the owner's reply),
//! the re-rating after a fix, and tell-others clicks. All public, all behind the site's origin
//! check; a receipt needs the secret token the browser got when it sent the entry.

use crate::App;
use crate::desk::client;
use crate::desk::protocol::Op;
use crate::entries;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, read_json_body};
use crate::repo;
use crate::sites;
use tellus_core::auth::constant_time_eq;
use tellus_core::entry::Entry;
use tellus_core::problem::ProblemKind;
use tellus_core::site::Site;
use tellus_core::validation::{Fields, InputError, parse_object};
use tellus_core::wire::ReceiptStatus;
use worker::{Request, Response};

/// An entry for its customer: the site and the entry, if both exist and `token` is the entry's
/// receipt token (compared in constant time). `None` for any of the three missing, so an
/// answer never tells which; a storage failure is an error, never `None`. The API's receipts
/// and the hosted receipt page (`followup.rs`) both read entries through this.
pub async fn customer_entry(app: &App, site_id: &str, id: &str, token: &str) -> ApiResult<Option<(Site, Entry)>> {
    let Some(site) = repo::sites::load(&app.store, site_id).await? else { return Ok(None) };
    let Some(entry) = repo::entries::load(&app.store, &site.id, id).await? else { return Ok(None) };
    if token.is_empty() || !constant_time_eq(token.as_bytes(), entry.receipt_token.as_bytes()) {
        return Ok(None);
    }
    Ok(Some((site, entry)))
}

/// Loads an entry for its customer. Unknown entry and wrong token answer the same 404 (the
/// widget then forgets the receipt); a storage failure is a 5xx the widget retries later, never
/// a 404 that would make it forget a receipt that is still good.
async fn entry_for_customer(app: &App, site_id: &str, id: &str, token: &str) -> ApiResult<(Site, Entry)> {
    if repo::sites::load(&app.store, site_id).await?.is_none() {
        return Err(sites::unknown_site());
    }
    let not_found = || ApiError::client(ProblemKind::NotFound, "There is no receipt with this id and token.");
    customer_entry(app, site_id, id, token).await?.ok_or_else(not_found)
}

/// Stores a customer's rating after the fix against their entry (the one path for the API and
/// the hosted receipt page): once, within the scale, written to KV and handed to the site's
/// desk, which recounts the day (the summary's recovery rate moves).
pub async fn rerate_entry(app: &App, site: &Site, mut entry: Entry, rating: u8) -> ApiResult<Entry> {
    entry.rerate(app.now_ms, rating).map_err(entries::conflict)?;
    repo::entries::save(&app.store, &entry, site.settings.retention_days).await?;
    entries::changed(app, site, &entry).await?;
    Ok(entry)
}

/// `GET /v1/sites/{site}/receipts/{id}?token=`.
pub async fn status(req: &Request, app: &App, site_id: &str, id: &str) -> ApiResult<Response> {
    let url = req.url()?;
    let token = url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()).unwrap_or_default();
    let (site, entry) = entry_for_customer(app, site_id, id, &token).await?;
    sites::check_request_origin(&site, req)?;
    json(200, &ReceiptStatus::of(&entry))
}

/// `POST /v1/sites/{site}/receipts/{id}/rerate` with `{"token": "…", "rating": n}`.
pub async fn rerate(mut req: Request, app: &App, site_id: &str, id: &str) -> ApiResult<Response> {
    crate::limits::check(&req, app, site_id).await?;
    let body = read_json_body(&mut req).await?;
    let map = parse_object(&body).map_err(|e| ApiError::from(InputError::Body(e)))?;
    let mut fields = Fields::new(&map);
    let token = fields.required_string("token", 64);
    let rating = fields.integer("rating", 0, 10);
    if rating.is_none() && fields.errors.iter().all(|e| e.field != "rating") {
        fields.error("rating", "is required");
    }
    let errors = fields.finish();
    let (Some(token), Some(rating), true) = (token, rating, errors.is_empty()) else {
        return Err(ApiError::fields(errors));
    };
    let (site, entry) = entry_for_customer(app, site_id, id, &token).await?;
    sites::check_request_origin(&site, &req)?;
    let entry = rerate_entry(app, &site, entry, rating as u8).await?;
    json(200, &ReceiptStatus::of(&entry))
}

/// `POST /v1/sites/{site}/clicks` with `{"target": "<review link id>|share|copy"}`: counted on
/// the day's aggregate at the site's desk (nothing is written to KV).
pub async fn click(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    crate::limits::check(&req, app, site_id).await?;
    let body = read_json_body(&mut req).await?;
    let site = repo::sites::load(&app.store, site_id).await?.ok_or_else(sites::unknown_site)?;
    sites::check_request_origin(&site, &req)?;
    let map = parse_object(&body).map_err(|e| ApiError::from(InputError::Body(e)))?;
    let mut fields = Fields::new(&map);
    let target = fields.required_string("target", 32);
    let known = |t: &str| t == "share" || t == "copy" || site.settings.review_links.iter().any(|l| l.id == t);
    if let Some(t) = &target
        && !known(t)
    {
        fields.error("target", "must be one of the site's review links, share or copy");
    }
    let errors = fields.finish();
    let (Some(target), true) = (target, errors.is_empty()) else {
        return Err(ApiError::fields(errors));
    };
    client::call::<()>(app, &site.id, Op::Clicked { site: Box::new(site.clone()), target }).await?;
    Ok(Response::builder().with_status(204).empty())
}
