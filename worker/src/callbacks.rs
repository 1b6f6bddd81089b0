//! Callbacks (webhooks): the owner's endpoints, the deliveries a stored or fixed entry causes,
//! the cron that retries due deliveries and escalates overdue failures, and the test clock.
//!
//! Every rule and number is in `tellus_core::callbacks`; this module stores, sends and reads
//! the clock. Delivery is at-least-once: state lives in KV (one key per delivery plus a due
//! queue listed soonest first), a run claims a delivery with a short lease before sending, and
//! receivers dedupe by `webhook-id`. See ARCHITECTURE.md, "Callbacks".

use crate::App;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, random_bytes, read_json_body};
use crate::sites;
use crate::store::{Put, Store};
use serde_json::{Value, json};
use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use tellus_core::callbacks::{
    AfterAttempt, Attempt, DEFAULT_TIMEOUT_MS, DELIVERY_RETENTION_SECS, Delivery, DeliveryDetail, DeliveryMeta,
    DeliveryState, DeliveryView, ENDPOINT_ID_BYTES, Endpoint, EndpointInput, EscalationStep, EventContext, EventType,
    LEASE_MS, MAX_ENDPOINTS_PER_SITE, MAX_PAYLOAD_BYTES, Message, Outcome, SECRET_BYTES, UrlRules, endpoint_id,
    escalation_catch_up, escalation_step, is_endpoint_id, iso8601, message_id, new_secret, outcome_of, render,
    signature_header, ulid_of_message_id,
};
use tellus_core::entry::{Entry, Kind, Status};
use tellus_core::ids::entry_id;
use tellus_core::keys::{self, QueueItem};
use tellus_core::owner_page::{EndpointHealth, MAX_FAILED_SHOWN};
use tellus_core::problem::ProblemKind;
use tellus_core::site::Site;
use worker::{AbortController, Delay, Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Response};

/// Worker variable: `"1"` accepts `http://127.0.0.1` and `http://localhost` endpoints (local
/// development and the end-to-end tests). Unset in production.
pub const ALLOW_LOOPBACK_CALLBACKS: &str = "ALLOW_LOOPBACK_CALLBACKS";
/// Worker variable: the receiver timeout in ms (default 15,000; the tests shorten it).
pub const CALLBACK_TIMEOUT_MS: &str = "CALLBACK_TIMEOUT_MS";
/// Worker variable: `"1"` enables the test clock (header on requests, KV offset for the cron,
/// and the `/v1/test/clock` route). Unset in production, where none of them exist.
pub const ALLOW_TEST_CLOCK: &str = "ALLOW_TEST_CLOCK";
/// Request header that shifts a request's clock when the test clock is enabled.
pub const HEADER_TEST_NOW_OFFSET: &str = "x-tellus-test-now-offset-ms";
/// Due-queue keys one cron run handles; the rest wait a minute.
const QUEUE_BATCH: u64 = 50;
/// A cron run starts no new due-queue item after this much wall time, so it ends (one send's
/// timeout later at most) before the next minute's run starts.
const TICK_WORK_MS: u64 = 40_000;

fn var_is(env: &Env, name: &str, value: &str) -> bool {
    env.var(name).map(|v| v.to_string() == value).unwrap_or(false)
}

fn timeout_ms(env: &Env) -> u64 {
    env.var(CALLBACK_TIMEOUT_MS)
        .ok()
        .and_then(|v| v.to_string().parse::<u64>().ok())
        .filter(|ms| (100..=DEFAULT_TIMEOUT_MS).contains(ms))
        .unwrap_or(DEFAULT_TIMEOUT_MS)
}

/// Work a request leaves for after its response (run inside `wait_until`, so the customer's
/// answer never waits for a receiver). The request first writes a due-queue key that promises
/// the work ([`promise`]); the work deletes it when done, and if the invocation stops before
/// that (a restart, a crash), the cron finds the key after [`LEASE_MS`] and does the work
/// itself ([`recover`]). So a stored failure's report is never lost with the invocation.
pub enum Deferred {
    /// A new entry was stored: `failure.reported` or `praise.received`, and for a failure the
    /// first overdue check.
    Stored { site: Box<Site>, entry: Box<Entry> },
    /// A failure was fixed: `failure.fixed`.
    Fixed { site: Box<Site>, entry: Box<Entry> },
}

impl Deferred {
    fn queue_item(&self) -> QueueItem {
        match self {
            Deferred::Stored { site, entry } => QueueItem::Stored { site: site.id.clone(), entry: entry.id.clone() },
            Deferred::Fixed { site, entry } => QueueItem::Fixed { site: site.id.clone(), entry: entry.id.clone() },
        }
    }
}

/// Deferred work and the due-queue key that promises it.
pub struct Promised {
    work: Deferred,
    key: String,
}

/// Writes the due-queue key that promises `work` (before the entry it is about is written, so
/// an entry never exists without it), then leaves the work for after the response.
pub async fn promise(app: &App, work: Deferred) -> ApiResult<()> {
    let key = keys::queue(app.now_ms + LEASE_MS, &work.queue_item());
    app.store.put(&key, "", Put::default()).await?;
    app.defer(Promised { work, key });
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The test clock

/// The request's clock: the edge reading, shifted by the test header when the test clock is on.
pub fn request_now(req: &Request, env: &Env, now_ms: u64) -> u64 {
    if !var_is(env, ALLOW_TEST_CLOCK, "1") {
        return now_ms;
    }
    let offset = req.headers().get(HEADER_TEST_NOW_OFFSET).ok().flatten().and_then(|v| v.parse::<u64>().ok());
    now_ms.saturating_add(offset.unwrap_or(0))
}

/// Request header that, with the test clock enabled, drops the work the request leaves for
/// after its response, as if the invocation stopped right after answering (the tests of
/// [`recover`] use it).
pub const HEADER_TEST_DROP_DEFERRED: &str = "x-tellus-test-drop-deferred";

/// Whether this request's deferred work is dropped (see [`HEADER_TEST_DROP_DEFERRED`]).
pub fn drops_deferred(req: &Request, env: &Env) -> bool {
    var_is(env, ALLOW_TEST_CLOCK, "1") && req.headers().get(HEADER_TEST_DROP_DEFERRED).ok().flatten().is_some()
}

/// The cron's clock: the edge reading, shifted by the stored offset when the test clock is on.
pub async fn cron_now(app: &App) -> u64 {
    if !var_is(&app.env, ALLOW_TEST_CLOCK, "1") {
        return app.now_ms;
    }
    app.now_ms.saturating_add(stored_offset(app).await)
}

async fn stored_offset(app: &App) -> u64 {
    app.store.get(keys::TEST_CLOCK).await.ok().flatten().and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// `GET /v1/test/clock` answers the offset; `POST {"advance_ms": n}` moves it forward. Both are
/// 404 unless the Worker runs with `ALLOW_TEST_CLOCK=1`. The offset only ever grows, so tests
/// running side by side never move each other's time backwards.
pub async fn test_clock(mut req: Request, app: &App) -> ApiResult<Response> {
    if !var_is(&app.env, ALLOW_TEST_CLOCK, "1") {
        return Err(ApiError::not_found());
    }
    let mut offset = stored_offset(app).await;
    if req.method() == Method::Post {
        let body = read_json_body(&mut req).await?;
        let map = tellus_core::validation::parse_object(&body).map_err(tellus_core::validation::InputError::Body)?;
        let mut fields = tellus_core::validation::Fields::new(&map);
        let advance = fields.integer("advance_ms", 0, 365 * 86_400_000);
        let errors = fields.finish();
        let Some(advance) = advance.filter(|_| errors.is_empty()) else {
            return Err(ApiError::fields(errors));
        };
        offset = offset.saturating_add(advance as u64);
        app.store.put(keys::TEST_CLOCK, &offset.to_string(), Put::default()).await?;
    }
    json(200, &json!({ "offset_ms": offset }))
}

// ---------------------------------------------------------------------------------------------
// Owner endpoints

async fn load_endpoints(store: &impl Store, site: &str) -> ApiResult<Vec<Endpoint>> {
    match store.get(&keys::callback_endpoints(site)).await? {
        Some(text) => Ok(serde_json::from_str(&text)?),
        None => Ok(Vec::new()),
    }
}

async fn save_endpoints(store: &impl Store, site: &str, endpoints: &[Endpoint]) -> ApiResult<()> {
    let key = keys::callback_endpoints(site);
    if endpoints.is_empty() {
        return store.delete(&key).await;
    }
    store.put(&key, &serde_json::to_string(endpoints)?, Put::default()).await
}

fn unknown_endpoint() -> ApiError {
    ApiError::client(ProblemKind::NotFound, "There is no callback endpoint with this id on this site.")
}

fn find<'a>(endpoints: &'a mut [Endpoint], id: &str) -> ApiResult<&'a mut Endpoint> {
    endpoints.iter_mut().find(|e| e.id == id).ok_or_else(unknown_endpoint)
}

/// `POST /v1/sites/{site}/callbacks`: registers an endpoint and shows its secret once.
pub async fn create(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(&req, app, site_id).await?;
    let url = req.url()?;
    let own_host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => String::new(),
    };
    let origin = url.origin().ascii_serialization();
    let body = read_json_body(&mut req).await?;
    let rules = UrlRules { allow_loopback: var_is(&app.env, ALLOW_LOOPBACK_CALLBACKS, "1"), own_host: &own_host };
    let input = EndpointInput::parse(&body, &rules)?;
    let mut endpoints = load_endpoints(&app.store, &site.id).await?;
    if endpoints.len() >= MAX_ENDPOINTS_PER_SITE {
        return Err(ApiError::client(
            ProblemKind::Conflict,
            format!("A site can have at most {MAX_ENDPOINTS_PER_SITE} callback endpoints; delete one first."),
        ));
    }
    let secret = new_secret(&random_bytes::<SECRET_BYTES>()?);
    let endpoint =
        Endpoint::new(endpoint_id(&random_bytes::<ENDPOINT_ID_BYTES>()?), input, secret.clone(), origin, app.now_ms);
    let mut answer = serde_json::to_value(endpoint.view())?;
    if let Some(map) = answer.as_object_mut() {
        map.insert("secret".into(), Value::String(secret));
    }
    endpoints.push(endpoint);
    save_endpoints(&app.store, &site.id, &endpoints).await?;
    json(201, &answer)
}

/// `GET /v1/sites/{site}/callbacks`.
pub async fn list(req: &Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let endpoints = load_endpoints(&app.store, &site.id).await?;
    json(200, &json!({ "endpoints": endpoints.iter().map(Endpoint::view).collect::<Vec<_>>() }))
}

/// `DELETE /v1/sites/{site}/callbacks/{endpoint}`. Pending deliveries to it are cancelled when
/// the cron reaches them; its delivery log expires on its own.
pub async fn delete(req: &Request, app: &App, site_id: &str, endpoint: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let mut endpoints = load_endpoints(&app.store, &site.id).await?;
    let before = endpoints.len();
    endpoints.retain(|e| e.id != endpoint);
    if endpoints.len() == before {
        return Err(unknown_endpoint());
    }
    save_endpoints(&app.store, &site.id, &endpoints).await?;
    Ok(Response::builder().with_status(204).empty())
}

/// `POST /v1/sites/{site}/callbacks/{endpoint}/secret`: a new secret, shown once; the old one
/// keeps signing (as a second signature) for 24 hours.
pub async fn rotate_secret(req: &Request, app: &App, site_id: &str, endpoint: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let mut endpoints = load_endpoints(&app.store, &site.id).await?;
    let secret = new_secret(&random_bytes::<SECRET_BYTES>()?);
    let found = find(&mut endpoints, endpoint)?;
    found.rotate(secret.clone(), app.now_ms);
    let answer = json!({
        "id": found.id,
        "secret": secret,
        "previous_secret_valid_until": found.previous_secret_until_ms.map(iso8601),
    });
    save_endpoints(&app.store, &site.id, &endpoints).await?;
    json(200, &answer)
}

/// `GET /v1/sites/{site}/callbacks/{endpoint}/deliveries?limit=&cursor=`: newest first, one KV
/// list per page (the summary of each delivery is in its list metadata).
pub async fn deliveries(req: &Request, app: &App, site_id: &str, endpoint: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    if !is_endpoint_id(endpoint) {
        return Err(unknown_endpoint());
    }
    let url = req.url()?;
    let mut limit = 50u64;
    let mut cursor = None;
    let mut errors = Vec::new();
    for (name, value) in url.query_pairs() {
        match name.as_ref() {
            "limit" => match value.parse::<u64>() {
                Ok(n) if (1..=100).contains(&n) => limit = n,
                _ => errors.push(field_error("limit", "must be a whole number between 1 and 100")),
            },
            "cursor" => cursor = Some(value.into_owned()),
            other => errors.push(field_error(other, "is not a known parameter")),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    let had_cursor = cursor.is_some();
    let page = match app.store.list(&keys::deliveries_prefix(&site.id, endpoint), cursor, limit).await {
        Ok(page) => page,
        Err(_) if had_cursor => {
            return Err(ApiError::fields(vec![field_error("cursor", "is not a cursor from a previous page")]));
        }
        Err(err) => return Err(err),
    };
    let views: Vec<DeliveryView> = page
        .keys
        .into_iter()
        .filter_map(|key| {
            let ulid = key.name.rsplit(':').next()?.to_owned();
            let meta: DeliveryMeta = serde_json::from_value(key.metadata?).ok()?;
            Some(DeliveryView::of(message_id(&ulid), &meta))
        })
        .collect();
    json(200, &json!({ "deliveries": views, "cursor": page.cursor }))
}

fn field_error(field: &str, message: &str) -> tellus_core::validation::FieldError {
    tellus_core::validation::FieldError { field: field.into(), message: message.into() }
}

async fn load_delivery(store: &impl Store, site: &str, endpoint: &str, ulid: &str) -> ApiResult<Option<Delivery>> {
    let Some(key) = keys::delivery(site, endpoint, ulid) else { return Ok(None) };
    match store.get(&key).await? {
        Some(text) => Ok(Some(serde_json::from_str(&text)?)),
        None => Ok(None),
    }
}

async fn save_delivery(store: &impl Store, delivery: &Delivery) -> ApiResult<()> {
    let ulid = ulid_of_message_id(&delivery.id).unwrap_or_default();
    let key = keys::delivery(&delivery.site, &delivery.endpoint, ulid)
        .ok_or_else(|| ApiError::Internal(format!("delivery id {} has no key", delivery.id)))?;
    let meta = serde_json::to_value(delivery.meta())?;
    let expires_at = delivery.created_ms / 1000 + DELIVERY_RETENTION_SECS;
    let put = Put { metadata: Some(&meta), expires_at_secs: Some(expires_at), ..Put::default() };
    store.put(&key, &serde_json::to_string(delivery)?, put).await
}

fn unknown_delivery() -> ApiError {
    ApiError::client(ProblemKind::NotFound, "There is no delivery with this id for this endpoint.")
}

async fn owned_delivery(app: &App, site: &Site, endpoint: &str, id: &str) -> ApiResult<Delivery> {
    let ulid = ulid_of_message_id(id).ok_or_else(unknown_delivery)?;
    if !is_endpoint_id(endpoint) {
        return Err(unknown_endpoint());
    }
    load_delivery(&app.store, &site.id, endpoint, ulid).await?.ok_or_else(unknown_delivery)
}

/// `GET /v1/sites/{site}/callbacks/{endpoint}/deliveries/{id}`: one delivery with every attempt.
pub async fn delivery(req: &Request, app: &App, site_id: &str, endpoint: &str, id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let delivery = owned_delivery(app, &site, endpoint, id).await?;
    json(200, &DeliveryDetail::of(&delivery))
}

/// `POST /v1/sites/{site}/callbacks/{endpoint}/deliveries/{id}/replay`: sends a failed delivery
/// again now, with the same `webhook-id` and body, and answers with the attempt's outcome. A
/// successful replay re-activates a disabled or failing endpoint.
pub async fn replay(req: &Request, app: &App, site_id: &str, endpoint_id: &str, id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    json(200, &replay_of(app, &site, endpoint_id, id).await?)
}

/// Replays a failed delivery of a site whose owner is already authenticated (the API and the
/// summary page share it).
pub async fn replay_of(app: &App, site: &Site, endpoint_id: &str, id: &str) -> ApiResult<DeliveryDetail> {
    let mut delivery = owned_delivery(app, site, endpoint_id, id).await?;
    let endpoints = load_endpoints(&app.store, &site.id).await?;
    let endpoint = endpoints.iter().find(|e| e.id == endpoint_id).ok_or_else(unknown_endpoint)?;
    if delivery.state != DeliveryState::Failed {
        return Err(ApiError::client(
            ProblemKind::Conflict,
            format!("Only failed deliveries can be replayed; this one is {}.", state_name(delivery.state)),
        ));
    }
    if delivery.event.needs_unfixed_failure() && !failure_still_open(app, &site.id, &delivery.entry_id).await? {
        return Err(ApiError::client(
            ProblemKind::Conflict,
            "The failure has been fixed (or deleted) since; reported and overdue callbacks are not sent again.",
        ));
    }
    send_and_record(app, app.now_ms, endpoint, &mut delivery, None, true).await?;
    Ok(DeliveryDetail::of(&delivery))
}

/// Newest deliveries read per endpoint for the summary page's callback health.
const HEALTH_DELIVERIES: u64 = 100;

/// Callback health for the summary page: every endpoint with its newest delivery and its
/// failed ones, and the newest delivery about each entry. One KV list per endpoint (the
/// delivery summaries are list metadata), so it costs at most 1 + 10 operations.
pub async fn health(
    app: &App,
    site: &Site,
) -> ApiResult<(Vec<EndpointHealth>, std::collections::BTreeMap<String, DeliveryView>)> {
    let mut by_entry = std::collections::BTreeMap::new();
    let mut out = Vec::new();
    for endpoint in load_endpoints(&app.store, &site.id).await? {
        let page = app.store.list(&keys::deliveries_prefix(&site.id, &endpoint.id), None, HEALTH_DELIVERIES).await?;
        let views: Vec<DeliveryView> = page
            .keys
            .into_iter()
            .filter_map(|key| {
                let ulid = key.name.rsplit(':').next()?.to_owned();
                let meta: DeliveryMeta = serde_json::from_value(key.metadata?).ok()?;
                Some(DeliveryView::of(message_id(&ulid), &meta))
            })
            .collect();
        for view in &views {
            by_entry.entry(view.entry_id.clone()).or_insert_with(|| view.clone());
        }
        let failed =
            views.iter().filter(|v| v.state == DeliveryState::Failed).take(MAX_FAILED_SHOWN).cloned().collect();
        out.push(EndpointHealth { view: endpoint.view(), last: views.first().cloned(), failed });
    }
    Ok((out, by_entry))
}

fn state_name(state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Pending => "pending",
        DeliveryState::Delivered => "delivered",
        DeliveryState::Failed => "failed",
        DeliveryState::Cancelled => "cancelled",
    }
}

/// Whether an entry still exists as an unfixed failure.
async fn failure_still_open(app: &App, site: &str, entry: &str) -> ApiResult<bool> {
    Ok(load_entry(app, site, entry)
        .await?
        .is_some_and(|e| matches!(e.status, Some(Status::Open | Status::Acknowledged))))
}

async fn load_entry(app: &App, site: &str, entry: &str) -> ApiResult<Option<Entry>> {
    match crate::entries::load(&app.store, site, entry).await {
        Ok(entry) => Ok(Some(entry)),
        Err(ApiError::Client(problem)) if problem.status == 404 => Ok(None),
        Err(err) => Err(err),
    }
}

// ---------------------------------------------------------------------------------------------
// Firing events

/// Runs what requests deferred, after their responses, and removes each promise once its work
/// is done. Errors are logged: the promise stays, and the cron does the work.
pub async fn after_response(app: App, work: Vec<Promised>) {
    for Promised { work, key } in work {
        let done = match run_deferred(&app, &work).await {
            Ok(()) => app.store.delete(&key).await,
            Err(err) => Err(err),
        };
        if let Err(err) = done {
            worker::console_error!("callbacks after response: {err:?}");
        }
    }
}

async fn run_deferred(app: &App, item: &Deferred) -> ApiResult<()> {
    match item {
        Deferred::Stored { site, entry } => match entry.kind {
            Kind::Failure => {
                if let Some(step) = escalation_step(entry.created_ms, site.settings.sla, 0) {
                    schedule_overdue(app, site, entry, step).await?;
                }
                fire(app, app.now_ms, site, entry, EventType::FailureReported, None).await
            }
            Kind::Praise => fire(app, app.now_ms, site, entry, EventType::PraiseReceived, None).await,
            Kind::Neutral => Ok(()),
        },
        Deferred::Fixed { site, entry } => fire(app, app.now_ms, site, entry, EventType::FailureFixed, None).await,
    }
}

/// A promise the cron found due: the invocation that made it stopped before its work was done
/// (or is still at it after [`LEASE_MS`]). Reads the entry as it is now, repairs the index key
/// the stopped request may not have written, and does the work; every delivery it makes has the
/// id the first run would have given it, so what was already sent is not sent again.
async fn recover(app: &App, queued_key: &str, item: QueueItem) -> ApiResult<()> {
    let (QueueItem::Stored { site, entry } | QueueItem::Fixed { site, entry }) = &item else {
        return Ok(());
    };
    let site = match sites::load(&app.store, site).await {
        Ok(site) => site,
        Err(ApiError::Client(_)) => return app.store.delete(queued_key).await,
        Err(err) => return Err(err),
    };
    let unfixed = |e: &Entry| matches!(e.status, Some(Status::Open | Status::Acknowledged));
    let work = match (&item, load_entry(app, &site.id, entry).await?) {
        (QueueItem::Stored { .. }, None) => {
            // The request stopped before the entry was written: nothing to report, and no index
            // key may point at it.
            app.store.delete(&keys::open_failure(&site.id, entry)).await?;
            None
        }
        (QueueItem::Stored { .. }, Some(e)) if e.kind == Kind::Failure && unfixed(&e) => {
            let expires_at = crate::feedback::expiry_secs(&e, site.settings.retention_days);
            let put = Put { expires_at_secs: Some(expires_at), ..Put::default() };
            app.store.put(&keys::open_failure(&site.id, &e.id), "", put).await?;
            Some(Deferred::Stored { site: Box::new(site.clone()), entry: Box::new(e) })
        }
        (QueueItem::Stored { .. }, Some(e)) if e.kind == Kind::Praise => {
            Some(Deferred::Stored { site: Box::new(site.clone()), entry: Box::new(e) })
        }
        (QueueItem::Fixed { .. }, Some(e)) if e.status == Some(Status::Fixed) => {
            app.store.delete(&keys::open_failure(&site.id, &e.id)).await?;
            Some(Deferred::Fixed { site: Box::new(site.clone()), entry: Box::new(e) })
        }
        // Fixed since it was stored, or the fix never got saved: nothing to send.
        _ => None,
    };
    if let Some(work) = work {
        run_deferred(app, &work).await?;
    }
    app.store.delete(queued_key).await
}

async fn schedule_overdue(app: &App, site: &Site, entry: &Entry, step: EscalationStep) -> ApiResult<()> {
    let item = QueueItem::Overdue { site: site.id.clone(), entry: entry.id.clone(), step: step.step };
    let expires_at = crate::feedback::expiry_secs(entry, site.settings.retention_days);
    let put = Put { expires_at_secs: Some(expires_at), ..Put::default() };
    app.store.put(&keys::queue(step.due_ms, &item), "", put).await
}

/// Creates one delivery of `event` per subscribed endpoint and makes its first attempt now.
///
/// Every delivery's id is derived from what it is about (the entry, the event or overdue step,
/// the endpoint), so a second run of the same work (a recovered promise, overlapping cron runs,
/// two racing copies of one submission) finds the delivery the first one recorded and leaves
/// it to the due queue. The delivery is written once, after its first attempt: until then the
/// promise or the overdue queue key stands for it.
async fn fire(
    app: &App,
    now_ms: u64,
    site: &Site,
    entry: &Entry,
    event: EventType,
    overdue: Option<EscalationStep>,
) -> ApiResult<()> {
    let endpoints = load_endpoints(&app.store, &site.id).await?;
    let mut prepared = Vec::new();
    for endpoint in endpoints.iter().filter(|e| e.wants(event)) {
        let (time, random) = match overdue {
            Some(step) => (
                step.due_ms,
                tellus_core::callbacks::derived_random(&[&entry.id, &step.step.to_string(), &endpoint.id]),
            ),
            None => {
                let time = match event {
                    EventType::FailureFixed => entry.fixed_ms.unwrap_or(now_ms),
                    _ => entry.created_ms,
                };
                (time, tellus_core::callbacks::derived_random(&[&entry.id, event.as_str(), &endpoint.id]))
            }
        };
        let ulid = entry_id(time, random);
        if load_delivery(&app.store, &site.id, &endpoint.id, &ulid).await?.is_some() {
            continue;
        }
        let ctx = EventContext { event, entry, site, origin: &endpoint.origin, now_ms, overdue, assignee: None };
        // Until delivery moves into the site's Durable Object, only the HTTP formats are sent
        // (to `endpoint.url`, signed as before); an email's body stays empty.
        let mut body = match render(&ctx, endpoint) {
            Message::Http(request) => request.body,
            Message::Email(_) => String::new(),
        };
        if body.len() > MAX_PAYLOAD_BYTES {
            body.truncate(0);
        }
        let delivery = Delivery {
            id: message_id(&ulid),
            site: site.id.clone(),
            endpoint: endpoint.id.clone(),
            event,
            entry_id: entry.id.clone(),
            created_ms: now_ms,
            body,
            state: DeliveryState::Pending,
            attempts: Vec::new(),
            next_attempt_ms: Some(now_ms),
        };
        prepared.push((endpoint, delivery));
    }
    // The endpoints are sent to at once, so a slow receiver does not hold up the others; the
    // outcomes are recorded one after another (an endpoint's health is one shared key).
    let attempts = join_all(prepared.iter().map(|(endpoint, d)| send(app, now_ms, endpoint, d, false)).collect()).await;
    for ((endpoint, mut delivery), (attempt, outcome)) in prepared.into_iter().zip(attempts) {
        record(app, now_ms, endpoint, &mut delivery, None, attempt, outcome).await?;
    }
    Ok(())
}

/// Polls every future until all are done; their outputs in order.
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending { Poll::Pending } else { Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

/// Sends one attempt and records it (see [`record`]).
async fn send_and_record(
    app: &App,
    now_ms: u64,
    endpoint: &Endpoint,
    delivery: &mut Delivery,
    queued_key: Option<String>,
    replay: bool,
) -> ApiResult<AfterAttempt> {
    let (attempt, outcome) = send(app, now_ms, endpoint, delivery, replay).await;
    record(app, now_ms, endpoint, delivery, queued_key, attempt, outcome).await
}

/// Records an attempt, moves the delivery in the due queue, and updates the endpoint's health
/// when the attempt changes it.
///
/// The retry's due key is written before the delivery, so a delivery never waits without one:
/// if the invocation stops between the two writes, the key finds no delivery (the cron drops
/// it) and the attempt is redone from what still stands for it, the promise or the old key.
/// The other order lost a failure's report in the soak: a pending delivery with no due key,
/// which a recovered promise then skipped as already recorded.
async fn record(
    app: &App,
    now_ms: u64,
    endpoint: &Endpoint,
    delivery: &mut Delivery,
    queued_key: Option<String>,
    attempt: Attempt,
    outcome: Outcome,
) -> ApiResult<AfterAttempt> {
    let jitter = u16::from_le_bytes(random_bytes::<2>()?);
    let after = delivery.record(attempt, outcome, jitter);
    if let AfterAttempt::RetryAt(at) = after {
        let ulid = ulid_of_message_id(&delivery.id).unwrap_or_default().to_owned();
        let item = QueueItem::Delivery { site: delivery.site.clone(), endpoint: delivery.endpoint.clone(), ulid };
        app.store.put(&keys::queue(at, &item), "", Put::default()).await?;
    }
    save_delivery(&app.store, delivery).await?;
    if let Some(key) = queued_key {
        app.store.delete(&key).await?;
    }
    let change: Option<fn(&mut Endpoint, u64)> = match after {
        AfterAttempt::Disable => Some(|e, now| {
            e.disabled =
                Some(format!("The receiver answered 410 Gone at {}; replay a delivery to resume.", iso8601(now)))
        }),
        AfterAttempt::Exhausted => Some(|e, now| {
            e.failing_since_ms.get_or_insert(now);
        }),
        AfterAttempt::Delivered if endpoint.failing_since_ms.is_some() || endpoint.disabled.is_some() => {
            Some(|e, _| {
                e.failing_since_ms = None;
                e.disabled = None;
            })
        }
        _ => None,
    };
    if let Some(change) = change {
        // Re-read: the owner may have changed the endpoints since this attempt began.
        let mut endpoints = load_endpoints(&app.store, &delivery.site).await?;
        if let Some(found) = endpoints.iter_mut().find(|e| e.id == endpoint.id) {
            change(found, now_ms);
            save_endpoints(&app.store, &delivery.site, &endpoints).await?;
        }
    }
    Ok(after)
}

/// One signed POST with redirects not followed, raced against the timeout.
async fn send(app: &App, now_ms: u64, endpoint: &Endpoint, delivery: &Delivery, replay: bool) -> (Attempt, Outcome) {
    let started = crate::http::now_ms();
    let timeout = timeout_ms(&app.env);
    let result = post(endpoint, delivery, started / 1000, timeout).await;
    let latency_ms = crate::http::now_ms().saturating_sub(started);
    let attempt =
        |status: Option<u16>, error: Option<String>| Attempt { at_ms: now_ms, status, latency_ms, error, replay };
    match result {
        Ok(Some((status, retry_after))) => {
            (attempt(Some(status), None), outcome_of(status, retry_after.as_deref(), crate::http::now_ms()))
        }
        Ok(None) => (
            attempt(None, Some(format!("no answer within {} s", timeout as f64 / 1000.0))),
            Outcome::Retry { retry_after_secs: None },
        ),
        Err(err) => {
            let text: String = err.to_string().chars().take(200).collect();
            (attempt(None, Some(format!("could not connect: {text}"))), Outcome::Retry { retry_after_secs: None })
        }
    }
}

/// The HTTP exchange: `Ok(Some((status, Retry-After)))`, `Ok(None)` on timeout.
async fn post(
    endpoint: &Endpoint,
    delivery: &Delivery,
    timestamp_secs: u64,
    timeout_ms: u64,
) -> worker::Result<Option<(u16, Option<String>)>> {
    // The timestamp is the real send time (never the test clock): receivers reject messages
    // whose timestamp is far from their own clock.
    let signature = signature_header(
        &endpoint.signing_secrets(timestamp_secs * 1000),
        &delivery.id,
        timestamp_secs,
        &delivery.body,
    );
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("user-agent", "tellus-webhooks/1")?;
    headers.set("webhook-id", &delivery.id)?;
    headers.set("webhook-timestamp", &timestamp_secs.to_string())?;
    headers.set("webhook-signature", &signature)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(wasm_bindgen::JsValue::from_str(&delivery.body)))
        .with_redirect(RequestRedirect::Manual);
    let request = Request::new_with_init(&endpoint.url, &init)?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let answer = {
        let mut sending = pin!(fetch.send_with_signal(&signal));
        let mut timer = pin!(Delay::from(std::time::Duration::from_millis(timeout_ms)));
        std::future::poll_fn(|cx| {
            if let Poll::Ready(result) = sending.as_mut().poll(cx) {
                return Poll::Ready(Some(result));
            }
            timer.as_mut().poll(cx).map(|()| None)
        })
        .await
    };
    match answer {
        Some(Ok(res)) => Ok(Some((res.status_code(), res.headers().get("retry-after").ok().flatten()))),
        Some(Err(err)) => Err(err),
        None => {
            controller.abort();
            Ok(None)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The cron

/// Handles every due-queue key that is due: retries deliveries and fires overdue escalations.
/// One page, soonest first, so a backlog drains over the following minutes.
pub async fn tick(app: &App) -> ApiResult<()> {
    let started_ms = crate::http::now_ms();
    let now_ms = cron_now(app).await;
    let page = app.store.list(keys::CALLBACK_QUEUE_PREFIX, None, QUEUE_BATCH).await?;
    for key in page.keys {
        let Some((due_ms, item)) = keys::parse_queue(&key.name) else {
            app.store.delete(&key.name).await?;
            continue;
        };
        if due_ms > now_ms {
            break;
        }
        if crate::http::now_ms().saturating_sub(started_ms) > TICK_WORK_MS {
            // The rest waits for the next minute, so two runs rarely overlap.
            break;
        }
        let result = match item {
            QueueItem::Delivery { site, endpoint, ulid } => {
                retry_delivery(app, now_ms, &key.name, &site, &endpoint, &ulid).await
            }
            QueueItem::Overdue { site, entry, step } => escalate(app, now_ms, &key.name, &site, &entry, step).await,
            promised @ (QueueItem::Stored { .. } | QueueItem::Fixed { .. }) => recover(app, &key.name, promised).await,
        };
        if let Err(err) = result {
            worker::console_error!("callback queue {}: {err:?}", key.name);
        }
    }
    Ok(())
}

async fn retry_delivery(
    app: &App,
    now_ms: u64,
    queued_key: &str,
    site: &str,
    endpoint_id: &str,
    ulid: &str,
) -> ApiResult<()> {
    let Some(mut delivery) = load_delivery(&app.store, site, endpoint_id, ulid).await? else {
        return app.store.delete(queued_key).await;
    };
    if delivery.state != DeliveryState::Pending || delivery.next_attempt_ms.is_some_and(|at| at > now_ms) {
        // Done already, or a stale key left by a run that stopped between its writes.
        return app.store.delete(queued_key).await;
    }
    let endpoints = load_endpoints(&app.store, site).await?;
    let endpoint = endpoints.iter().find(|e| e.id == endpoint_id && e.disabled.is_none());
    let still_wanted = match endpoint {
        None => false,
        Some(_) if delivery.event.needs_unfixed_failure() => failure_still_open(app, site, &delivery.entry_id).await?,
        Some(_) => true,
    };
    let Some(endpoint) = endpoint.filter(|_| still_wanted) else {
        // Fixed since, deleted, or the endpoint is gone or disabled: never sent again.
        delivery.state = DeliveryState::Cancelled;
        delivery.next_attempt_ms = None;
        save_delivery(&app.store, &delivery).await?;
        return app.store.delete(queued_key).await;
    };
    // No claim is written: a run that stops mid-send leaves the queue key where it was, so the
    // next run sends it; runs do not overlap (see TICK_WORK_MS), and if two ever did, the
    // receiver gets the same `webhook-id` twice (at-least-once).
    send_and_record(app, now_ms, endpoint, &mut delivery, Some(queued_key.to_owned()), false).await?;
    Ok(())
}

async fn escalate(app: &App, now_ms: u64, queued_key: &str, site_id: &str, entry_id: &str, step: u32) -> ApiResult<()> {
    let site = match sites::load(&app.store, site_id).await {
        Ok(site) => site,
        Err(ApiError::Client(_)) => return app.store.delete(queued_key).await,
        Err(err) => return Err(err),
    };
    let entry = load_entry(app, site_id, entry_id).await?;
    let Some(entry) = entry.filter(|e| matches!(e.status, Some(Status::Open | Status::Acknowledged))) else {
        // Fixed or gone: the escalation ends here.
        return app.store.delete(queued_key).await;
    };
    let (current, next) = escalation_catch_up(entry.created_ms, site.settings.sla, step, now_ms);
    if let Some(next) = next {
        schedule_overdue(app, &site, &entry, next).await?;
    }
    // The key goes after the step is sent: a run that stops mid-send leaves it for the next.
    if let Some(step) = current.filter(|step| step.applies(entry.status)) {
        fire(app, now_ms, &site, &entry, EventType::FailureOverdue, Some(step)).await?;
    }
    app.store.delete(queued_key).await
}
