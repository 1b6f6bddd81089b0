//! Intake: a customer's feedback, validated by core, stored in KV and handed to the site's desk
//! in one call before the answer (so a Worker that stops right after answering still delivers
//! its callbacks). An accepted submission costs 2 KV reads (the site; the entry or `idem:` record
//! a replay would have made), 1 write (the entry; a key without a usable time adds its `idem:`
//! record) and 1 desk request.

use crate::App;
use crate::desk::client;
use crate::desk::protocol::Op;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, random_bytes, read_json_body, with_public_cors};
use crate::repo;
use crate::sites;
use tellus_core::entry::{Entry, Kind};
use tellus_core::ids::{
    ENTRY_ID_RANDOM_BYTES, entry_id, entry_id_time, keyed_entry_id, keyed_receipt_token, receipt_token, usable_key_time,
};
use tellus_core::limits::RECEIPT_TOKEN_BYTES;
use tellus_core::site::Site;
use tellus_core::submission::Submission;
use tellus_core::wire::Receipt;
use worker::{Request, Response};

/// `POST /v1/sites/{site}/feedback`.
pub async fn submit(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let origin = req.headers().get("origin")?;
    let result = store_submission(&mut req, app, site_id).await;
    // Problems are readable by the widget too, so it can say what went wrong.
    Ok(with_public_cors(result.unwrap_or_else(|err| crate::http::problem_response(&err)), origin.as_deref()))
}

async fn store_submission(req: &mut Request, app: &App, site_id: &str) -> ApiResult<Response> {
    crate::limits::check(req, app, site_id).await?;
    let body = read_json_body(req).await?;
    let site = repo::sites::load(&app.store, site_id).await?.ok_or_else(sites::unknown_site)?;
    sites::check_request_origin(&site, req)?;
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
            repo::entries::replayed(&app.store, site_id, key).await?
        } else {
            stored_entry(app, &site, &id).await?
        };
        if let Some(mut existing) = existing {
            // The token derives from the key the sender holds, so answering it again reveals
            // nothing new, and a browser whose first answer was lost still gets its receipt.
            existing.receipt_token = token;
            return json(200, &existing);
        }
    }

    // The key's time may be earlier than now (an entry sent from the offline queue).
    let created_ms = entry_id_time(&id).unwrap_or(app.now_ms);
    let entry = submission.into_entry(&site, id, created_ms, token);
    repo::entries::save(&app.store, &entry, site.settings.retention_days).await?;
    hand_to_desk(app, &site, &entry).await?;
    if let Some(key) = idempotency_key.as_deref().filter(|_| needs_record) {
        repo::entries::remember_key(&app.store, site_id, key, &replay_receipt(&entry)).await?;
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

/// Tells the site's desk about a stored entry. Idempotent: a replay hands it over again, so an
/// entry whose first request stopped between the KV write and this call is still announced
/// when the customer's browser sends it again (the widget keeps it until it gets an answer).
async fn hand_to_desk(app: &App, site: &Site, entry: &Entry) -> ApiResult<()> {
    let op = Op::Stored { site: Box::new(site.clone()), entry: Box::new(entry.clone()), hold: app.hold_sends };
    client::call::<()>(app, &site.id, op).await?;
    Ok(())
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

/// The entry a replayed key with a usable time stored, if it is stored (handed to the desk
/// again, in case the first request stopped before it was).
async fn stored_entry(app: &App, site: &Site, id: &str) -> ApiResult<Option<Receipt>> {
    let Some(entry) = repo::entries::load(&app.store, &site.id, id).await? else { return Ok(None) };
    hand_to_desk(app, site, &entry).await?;
    Ok(Some(replay_receipt(&entry)))
}

/// An entry that does not exist on this site, in the API's words.
pub fn unknown_entry() -> ApiError {
    ApiError::client(tellus_core::problem::ProblemKind::NotFound, "There is no entry with this id on this site.")
}
