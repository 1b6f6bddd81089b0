//! Owner sessions of the summary page, in KV: opened by a correct owner key, carried by an
//! `HttpOnly; Secure; SameSite=Strict` cookie scoped to `/s/{site}`, closed by logout, by
//! expiry (12 hours) or by rotating the owner key. The rules are in `tellus_core::session`.

use crate::App;
use crate::error::ApiResult;
use crate::http::random_bytes;
use crate::store::{Put, Store};
use tellus_core::ids::is_site_id;
use tellus_core::keys;
use tellus_core::session::{
    COOKIE_NAME, Session, TOKEN_BYTES, clear_cookie, cookie_values, is_token, new_token, set_cookie, token_hash,
};
use tellus_core::site::Site;
use worker::Request;

/// Most session cookies of one request looked up (a browser sends more than one only when
/// cookie paths overlap); bounds the KV reads a forged header can cause.
const MAX_COOKIES_TRIED: usize = 2;

/// A valid session and the site it opens.
pub struct Opened {
    pub site: Site,
    pub session: Session,
    /// KV key of the session (for logout).
    key: String,
}

/// The session a request carries for this site, if any is valid now. Every way of failing
/// (no cookie, malformed, unknown, another site's, expired, key rotated) is the same `None`.
pub async fn current(req: &Request, app: &App, site_id: &str) -> ApiResult<Option<Opened>> {
    if !is_site_id(site_id) {
        return Ok(None);
    }
    let header = req.headers().get("cookie")?.unwrap_or_default();
    let tokens: Vec<&str> =
        cookie_values(&header, COOKIE_NAME).into_iter().filter(|t| is_token(t)).take(MAX_COOKIES_TRIED).collect();
    if tokens.is_empty() {
        return Ok(None);
    }
    let Some(site) = crate::repo::sites::load(&app.store, site_id).await? else { return Ok(None) };
    for token in tokens {
        let key = keys::session(&token_hash(token));
        let Some(text) = app.store.get(&key).await? else { continue };
        // A record we cannot read is treated as no session: the owner simply signs in again.
        let Ok(session) = serde_json::from_str::<Session>(&text) else { continue };
        if session.is_valid_for(&site.id, &site.owner_key_hash, app.now_ms) {
            return Ok(Some(Opened { site, session, key }));
        }
    }
    Ok(None)
}

/// Opens a session for a site whose owner key was just checked; answers the `Set-Cookie` value.
pub async fn open(app: &App, site: &Site) -> ApiResult<String> {
    let token = new_token(&random_bytes::<TOKEN_BYTES>()?);
    let session = Session::new(&site.id, &site.owner_key_hash, &random_bytes::<TOKEN_BYTES>()?, app.now_ms);
    let ttl_secs = session.remaining_secs(app.now_ms);
    let put = Put { ttl_secs: Some(ttl_secs), ..Put::default() };
    app.store.put(&keys::session(&token_hash(&token)), &serde_json::to_string(&session)?, put).await?;
    Ok(set_cookie(&site.id, &token, ttl_secs))
}

/// Ends a session (logout): its KV record goes, so the cookie is worthless even if kept.
pub async fn close(app: &App, opened: &Opened) -> ApiResult<String> {
    app.store.delete(&opened.key).await?;
    Ok(clear_cookie(&opened.site.id))
}
