//! Intake: a customer's feedback, validated by core and stored with as little KV work as
//! possible (at most 2 reads and 3 writes per accepted submission; a failure whose idempotency
//! key carries no time costs a 4th write, its `idem:` record).

use crate::App;
use crate::error::ApiResult;
use crate::http::{json, random_bytes, read_json_body, with_public_cors};
use crate::sites;
use crate::store::{Put, Store};
use tellus_core::entry::{Entry, Kind};
use tellus_core::ids::{
    ENTRY_ID_RANDOM_BYTES, entry_id, entry_id_time, keyed_entry_id, keyed_receipt_token, receipt_token, usable_key_time,
};
use tellus_core::keys;
use tellus_core::limits::{IDEMPOTENCY_TTL_SECS, RECEIPT_TOKEN_BYTES};
use tellus_core::submission::Submission;
use tellus_core::wire::Receipt;
use worker::{Request, Response};

/// `POST /v1/sites/{site}/feedback`.
pub async fn submit(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let origin = req.headers().get("origin")?;
    let result = store_submission(&mut req, app, site_id, origin.as_deref()).await;
    // Problems are readable by the widget too, so it can say what went wrong.
    Ok(with_public_cors(result.unwrap_or_else(|err| crate::http::problem_response(&err)), origin.as_deref()))
}

async fn store_submission(req: &mut Request, app: &App, site_id: &str, origin: Option<&str>) -> ApiResult<Response> {
    crate::limits::check(req, app, site_id).await?;
    let body = read_json_body(req).await?;
    let site = sites::load(&app.store, site_id).await?;
    sites::check_origin(&site, origin)?;
    let submission = Submission::parse(&body, site.settings.scale)?;

    let id = entry_id(app.now_ms, random_bytes::<ENTRY_ID_RANDOM_BYTES>()?);
    if submission.is_bot {
        // Answer exactly as for a real entry, so a bot learns nothing; store nothing.
        let receipt = Receipt { id, receipt_token: String::new(), kind: Kind::Neutral, status: None, duplicate: false };
        return json(201, &receipt);
    }

    // With a key, id and token are derived from it, so copies of one submission racing past the
    // replay check write the same keys (see ids::keyed_entry_id). When the key carries a usable
    // time (the widget's keys do), the id is known up front and a replay is found by reading the
    // entry itself; other keys need an `idem:` record.
    let idempotency_key = submission.idempotency_key.clone();
    let (id, token) = match &idempotency_key {
        Some(key) => (keyed_entry_id(site_id, key, app.now_ms), keyed_receipt_token(site_id, key)),
        None => (id, receipt_token(&random_bytes::<RECEIPT_TOKEN_BYTES>()?)),
    };
    let needs_record = idempotency_key.as_deref().is_some_and(|key| usable_key_time(key, app.now_ms).is_none());
    if let Some(key) = &idempotency_key {
        let existing = if needs_record {
            replayed_entry(&app.store, site_id, key).await?
        } else {
            stored_entry(&app.store, site_id, &id).await?
        };
        if let Some(mut existing) = existing {
            // The token derives from the key the sender holds, so answering it again reveals
            // nothing new, and a browser whose first answer was lost still gets its receipt.
            existing.receipt_token = token;
            return json(200, &existing);
        }
    }

    // The key's time may be earlier than now (an entry sent from the offline queue), so its day
    // may need rolling up again.
    let created_ms = entry_id_time(&id).unwrap_or(app.now_ms);
    let entry = submission.into_entry(&site, id, created_ms, token);
    if entry.kind != Kind::Neutral {
        // First the promise that the callbacks will be sent: if this invocation stops before
        // its work after the response is done, the cron does it (see callbacks::recover).
        let work = crate::callbacks::Deferred::Stored { site: Box::new(site.clone()), entry: Box::new(entry.clone()) };
        crate::callbacks::promise(app, work).await?;
    }
    store_entry(&app.store, &entry, site.settings.retention_days).await?;
    crate::rollup::mark_dirty(&app.store, &site.id, &entry.id, created_ms, app.now_ms).await?;
    if let Some(key) = idempotency_key.as_deref().filter(|_| needs_record) {
        let remembered = serde_json::to_string(&replay_receipt(&entry))?;
        let put = Put { ttl_secs: Some(IDEMPOTENCY_TTL_SECS), ..Put::default() };
        app.store.put(&keys::idempotency(site_id, key), &remembered, put).await?;
    }
    json(
        201,
        &Receipt {
            id: entry.id,
            receipt_token: entry.receipt_token,
            kind: entry.kind,
            status: entry.status,
            duplicate: false,
        },
    )
}

/// What a replay is answered: the entry's id, kind and status (the token is added on the way
/// out; the `idem:` record does not hold it).
fn replay_receipt(entry: &Entry) -> Receipt {
    Receipt {
        id: entry.id.clone(),
        receipt_token: String::new(),
        kind: entry.kind,
        status: entry.status,
        duplicate: true,
    }
}

/// The entry a replayed key with a usable time stored, if it is stored.
async fn stored_entry(store: &impl Store, site_id: &str, id: &str) -> ApiResult<Option<Receipt>> {
    match crate::entries::load(store, site_id, id).await {
        Ok(entry) => Ok(Some(replay_receipt(&entry))),
        Err(crate::error::ApiError::Client(problem)) if problem.status == 404 => Ok(None),
        Err(err) => Err(err),
    }
}

async fn replayed_entry(store: &impl Store, site_id: &str, key: &str) -> ApiResult<Option<Receipt>> {
    match store.get(&keys::idempotency(site_id, key)).await? {
        Some(text) => Ok(Some(serde_json::from_str(&text)?)),
        None => Ok(None),
    }
}

/// Writes a new entry (with its list metadata) and, for a failure, its open-failure index key.
/// The entry is written first; if the request stops in between, the promise written before
/// both repairs the index key (see callbacks::recover).
pub async fn store_entry(store: &impl Store, entry: &Entry, retention_days: u32) -> ApiResult<()> {
    let expires_at = expiry_secs(entry, retention_days);
    crate::entries::save(store, entry, expires_at).await?;
    if entry.kind == Kind::Failure {
        let put = Put { expires_at_secs: Some(expires_at), ..Put::default() };
        store.put(&keys::open_failure(&entry.site, &entry.id), "", put).await?;
    }
    Ok(())
}

/// When an entry expires: its creation plus the site's retention (KV deletes it then).
pub fn expiry_secs(entry: &Entry, retention_days: u32) -> u64 {
    entry.created_ms / 1000 + u64::from(retention_days) * 86_400
}
