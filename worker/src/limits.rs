//! Per-client rate limiting of the public write endpoints, through the Workers rate-limiting
//! binding (counted at the edge, nothing written to KV).

use crate::App;
use crate::error::{ApiError, ApiResult};
use tellus_core::auth::hash_secret;
use worker::Request;

/// The binding name in `wrangler.toml`.
pub const BINDING: &str = "PUBLIC_LIMITER";
/// The binding's period: a refused client may try again after this many seconds.
pub const PERIOD_SECS: u32 = 10;

/// Refuses the request with 429 when this client has sent too many to this site. The client
/// is known by a hash of its address and the site, never by the address itself.
pub async fn check(req: &Request, app: &App, site_id: &str) -> ApiResult<()> {
    let Ok(limiter) = app.env.rate_limiter(BINDING) else {
        // Without the binding (a misconfigured deployment) we still serve customers.
        worker::console_warn!("rate limiter binding {BINDING} is missing; not limiting");
        return Ok(());
    };
    let address = req.headers().get("cf-connecting-ip")?.unwrap_or_else(|| "unknown".into());
    let key = hash_secret(&format!("{site_id}|{address}"));
    let outcome = limiter.limit(key).await?;
    if outcome.success { Ok(()) } else { Err(ApiError::RateLimited(PERIOD_SECS)) }
}
