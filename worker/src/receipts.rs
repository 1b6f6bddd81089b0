//! The customer's side after sending: the status of their own entry (with the owner's reply),
//! the re-rating after a fix, and tell-others clicks. All public, all behind the site's origin
//! check; a receipt needs the secret token the browser got when it sent the entry.

use crate::App;
use crate::entries;
use crate::error::{ApiError, ApiResult};
use crate::feedback::expiry_secs;
use crate::http::{json, random_bytes, read_json_body};
use crate::sites;
use crate::store::{Put, Store};
use tellus_core::auth::constant_time_eq;
use tellus_core::entry::Entry;
use tellus_core::ids::{ENTRY_ID_RANDOM_BYTES, entry_id};
use tellus_core::keys;
use tellus_core::problem::ProblemKind;
use tellus_core::validation::{Fields, InputError, parse_object};
use tellus_core::wire::ReceiptStatus;
use worker::{Request, Response};

/// Loads an entry for its customer: unknown entry and wrong token answer the same 404.
async fn entry_for_customer(
    app: &App,
    site_id: &str,
    id: &str,
    token: &str,
) -> ApiResult<(tellus_core::site::Site, Entry)> {
    let site = sites::load(&app.store, site_id).await?;
    let not_found = || ApiError::client(ProblemKind::NotFound, "There is no receipt with this id and token.");
    let entry = entries::load(&app.store, &site.id, id).await.map_err(|_| not_found())?;
    if token.is_empty() || !constant_time_eq(token.as_bytes(), entry.receipt_token.as_bytes()) {
        return Err(not_found());
    }
    Ok((site, entry))
}

/// `GET /v1/sites/{site}/receipts/{id}?token=`.
pub async fn status(req: &Request, app: &App, site_id: &str, id: &str) -> ApiResult<Response> {
    let url = req.url()?;
    let token = url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()).unwrap_or_default();
    let (site, entry) = entry_for_customer(app, site_id, id, &token).await?;
    sites::check_origin(&site, req.headers().get("origin")?.as_deref())?;
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
    let (site, mut entry) = entry_for_customer(app, site_id, id, &token).await?;
    sites::check_origin(&site, req.headers().get("origin")?.as_deref())?;
    entry.rerate(app.now_ms, rating as u8).map_err(entries::conflict)?;
    entries::save(&app.store, &entry, expiry_secs(&entry, site.settings.retention_days)).await?;
    crate::rollup::mark_dirty(&app.store, &site.id, &entry.id, entry.created_ms, app.now_ms).await?;
    json(200, &ReceiptStatus::of(&entry))
}

/// `POST /v1/sites/{site}/clicks` with `{"target": "<review link id>|share|copy"}`: one key per
/// click (nothing hot is rewritten), summed by the daily rollup.
pub async fn click(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    crate::limits::check(&req, app, site_id).await?;
    let body = read_json_body(&mut req).await?;
    let site = sites::load(&app.store, site_id).await?;
    sites::check_origin(&site, req.headers().get("origin")?.as_deref())?;
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
    let id = entry_id(app.now_ms, random_bytes::<ENTRY_ID_RANDOM_BYTES>()?);
    let meta = serde_json::json!({ "t": target });
    let put = Put {
        metadata: Some(&meta),
        expires_at_secs: Some(app.now_ms / 1000 + u64::from(site.settings.retention_days) * 86_400),
        ..Put::default()
    };
    app.store.put(&keys::click(&site.id, app.now_ms, &id), "", put).await?;
    Ok(Response::builder().with_status(204).empty())
}
