//! Sites in KV: `site:{site}` holds the settings and the owner key's hash.

use crate::error::ApiResult;
use crate::store::{Kv, Put};
use tellus_core::ids::is_site_id;
use tellus_core::keys;
use tellus_core::site::Site;

/// The site with this id; `None` when the id is malformed or unknown.
pub async fn load(store: &Kv, id: &str) -> ApiResult<Option<Site>> {
    if !is_site_id(id) {
        return Ok(None);
    }
    store.get_json(&keys::site(id)).await
}

pub async fn save(store: &Kv, site: &Site) -> ApiResult<()> {
    store.put_json(&keys::site(&site.id), site, Put::default()).await
}
