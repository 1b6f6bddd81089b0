//! Sites: creation by an operator (or open sign-up), the public widget config, and owner
//! authentication.

use crate::App;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, read_json_body, with_public_cors};
use crate::repo;
use tellus_core::auth::{bearer_token, constant_time_eq, hash_secret, owner_key_matches};
use tellus_core::ids::{SITE_ID_RANDOM_BYTES, owner_key, site_id};
use tellus_core::limits::OWNER_KEY_BYTES;
use tellus_core::problem::ProblemKind;
use tellus_core::site::{Site, SiteSettings};
use tellus_core::wire::{CreatedSite, SiteConfig};
use worker::{Request, Response};

/// Worker secret that guards site creation.
pub const ADMIN_TOKEN: &str = "ADMIN_TOKEN";

/// `POST /v1/sites`: validates the settings, stores the site with the hash of a fresh owner
/// key, and returns the key once.
pub async fn create(mut req: Request, app: &App) -> ApiResult<Response> {
    authorize_operator(&req, app)?;
    let body = read_json_body(&mut req).await?;
    json(201, &create_site(app, &body).await?)
}

/// Validates the settings and stores a new site with the hash of a fresh owner key. Shared by
/// the API and the self-serve page.
pub async fn create_site(app: &App, body: &[u8]) -> ApiResult<CreatedSite> {
    let settings = SiteSettings::parse(body)?;
    let id = site_id(crate::http::random_bytes::<SITE_ID_RANDOM_BYTES>()?);
    let key = owner_key(&crate::http::random_bytes::<OWNER_KEY_BYTES>()?);
    let site = Site { id: id.clone(), created_ms: app.now_ms, owner_key_hash: hash_secret(&key), settings };
    repo::sites::save(&app.store, &site).await?;
    Ok(CreatedSite { id, owner_key: key, settings: site.settings })
}

fn authorize_operator(req: &Request, app: &App) -> ApiResult<()> {
    let open = app.config.open_signup;
    let presented = req.headers().get("authorization")?.unwrap_or_default();
    match bearer_token(&presented) {
        _ if open => Ok(()),
        Some(token) if operator_token_matches(app, token) => Ok(()),
        _ => Err(ApiError::client(
            ProblemKind::Unauthorized,
            "Creating a site needs the operator token: 'Authorization: Bearer <ADMIN_TOKEN>'.",
        )),
    }
}

/// Whether a presented token is this deployment's operator token (never true when none is set).
pub fn operator_token_matches(app: &App, presented: &str) -> bool {
    let expected = app.env.secret(ADMIN_TOKEN).map(|s| s.to_string()).unwrap_or_default();
    !expected.is_empty() && constant_time_eq(presented.as_bytes(), expected.as_bytes())
}

/// The answer for a site that does not exist (or an id that cannot be one).
pub fn unknown_site() -> ApiError {
    ApiError::client(ProblemKind::NotFound, "There is no site with this id. Check the data-site attribute.")
}

/// Loads a site for its owner: the bearer key must match. Unknown sites and wrong keys get the
/// same 401, so the answer reveals nothing about which sites exist.
pub async fn authorize_owner(req: &Request, app: &App, id: &str) -> ApiResult<Site> {
    let header = req.headers().get("authorization")?.unwrap_or_default();
    let Some(token) = bearer_token(&header) else {
        return Err(ApiError::unauthorized());
    };
    match repo::sites::load(&app.store, id).await? {
        Some(site) if owner_key_matches(token, &site.owner_key_hash) => Ok(site),
        _ => Err(ApiError::unauthorized()),
    }
}

/// Refuses a request whose `Origin` the site does not allow. Requests without an `Origin`
/// (server-to-server) pass: browsers always send one on cross-origin requests.
pub fn check_origin(site: &Site, origin: Option<&str>) -> ApiResult<()> {
    match origin {
        Some(origin) if !site.allows_origin(origin) => Err(ApiError::client(
            ProblemKind::OriginNotAllowed,
            format!(
                "The page's origin {origin} is not in this site's allowed origins. The owner can add it in the site settings."
            ),
        )),
        _ => Ok(()),
    }
}

/// [`check_origin`] for a request, which may also come from this tellus host's own pages: the
/// hosted feedback page (`/f/{site}`) runs the widget on the Worker's origin, for every site.
/// (An owner's allowed origins keep other websites from sending as their site; this host's own
/// pages are not another website.)
pub fn check_request_origin(site: &Site, req: &Request) -> ApiResult<()> {
    let origin = req.headers().get("origin")?;
    let own = req.url()?.origin().ascii_serialization();
    match origin.as_deref() {
        Some(origin) if origin == own => Ok(()),
        other => check_origin(site, other),
    }
}

/// `GET /v1/sites/{site}/config`: what the widget needs to draw itself.
pub async fn config(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let origin = req.headers().get("origin")?;
    let site = repo::sites::load(&app.store, id).await?.ok_or_else(unknown_site)?;
    check_request_origin(&site, req)?;
    let res = json(200, &SiteConfig::of(&site))?;
    Ok(with_public_cors(res, origin.as_deref()))
}

/// `GET /v1/sites/{site}`: the settings, for the owner.
pub async fn get(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let site = authorize_owner(req, app, id).await?;
    json(200, &serde_json::json!({ "id": site.id, "settings": site.settings }))
}

/// `PATCH /v1/sites/{site}`: see [`SiteSettings::patched`].
pub async fn update(mut req: Request, app: &App, id: &str) -> ApiResult<Response> {
    let mut site = authorize_owner(&req, app, id).await?;
    let body = read_json_body(&mut req).await?;
    site.settings = site.settings.patched(&body)?;
    repo::sites::save(&app.store, &site).await?;
    // The site's desk renders and schedules with the settings it last saw: tell it now.
    let op = crate::desk::protocol::Op::Settings { site: Box::new(site.clone()) };
    crate::desk::client::call::<()>(app, &site.id, op).await?;
    json(200, &serde_json::json!({ "id": site.id, "settings": site.settings }))
}

/// `POST /v1/sites/{site}/owner-key`: a new owner key, shown once; the old one stops working.
pub async fn rotate_key(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let mut site = authorize_owner(req, app, id).await?;
    let key = owner_key(&crate::http::random_bytes::<OWNER_KEY_BYTES>()?);
    site.owner_key_hash = hash_secret(&key);
    repo::sites::save(&app.store, &site).await?;
    json(200, &serde_json::json!({ "id": site.id, "owner_key": key }))
}
