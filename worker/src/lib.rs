//! The tellus Worker: the `/v1` HTTP API over Workers KV, the owner's pages, the demo host page,
//! and one Durable Object per site (its desk: endpoints, deliveries, alarms, aggregates).
//!
//! Each request reads the clock once and builds an [`App`]; routing is a match on the route
//! core's table (`tellus_core::http::routes`) parses from the method and path, so every unknown path
//! gets a 404 and every wrong method a 405 with the path's `Allow`.
//! There is no cron: deferred work waits on each site's desk's alarm (see `desk`).

mod callbacks;
mod config;
mod demo;
mod desk;
mod entries;
mod error;
mod feedback;
mod followup;
mod hosted;
mod html_page;
mod http;
mod limits;
mod page;
mod receipts;
mod repo;
mod session;
mod signup;
mod sites;
mod store;
mod summary;

use config::Config;
pub use desk::Desk;
use error::{ApiError, ApiResult};
use store::Kv;
use tellus_core::http::routes::{self, Refusal, Route, Surface};
use tellus_core::page_strings::negotiate;
use worker::{Context, Env, Request, Response, event};

/// The KV binding every record lives in.
pub const KV_BINDING: &str = "TELLUS";

/// What a request handler needs: the environment, counted storage and the request's clock.
pub struct App {
    pub env: Env,
    pub config: Config,
    pub store: Kv,
    pub now_ms: u64,
    /// The test clock's offset in `now_ms` (local Workers only; 0 in production).
    pub test_offset_ms: u64,
    /// Tests only: a submission's first attempts are left to the desk's alarm.
    pub hold_sends: bool,
    /// The public origin of this tellus host, for links the customer gets (emails, QR codes):
    /// the `PUBLIC_URL` variable if set, else the origin this request reached.
    pub origin: String,
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let config = Config::from_env(&env);
    let app = match env.kv(KV_BINDING) {
        Ok(kv) => {
            let test_offset_ms = callbacks::test_support::test_offset_ms(&req, &config);
            let hold_sends = callbacks::test_support::holds_sends(&req, &config);
            let store = Kv::new(kv, config.log_kv_writes);
            let now_ms = http::now_ms().saturating_add(test_offset_ms);
            let origin = public_origin(&req, &config);
            App { env, config, store, now_ms, test_offset_ms, hold_sends, origin }
        }
        Err(err) => {
            return Ok(http::problem_response(&ApiError::Internal(format!("binding {KV_BINDING}: {err}"))));
        }
    };
    let mut res = route(req, &app).await.unwrap_or_else(|err| http::problem_response(&err));
    if app.config.expose_ops {
        let _ = res.headers_mut().set(http::HEADER_KV_OPS, &app.store.ops.header_value());
    }
    Ok(res)
}

/// Serves one request: the route table (`tellus_core::http::routes`) says what the method and path
/// are, and this match hands each route to its handler. Nothing about paths or methods is
/// decided here.
async fn route(req: Request, app: &App) -> ApiResult<Response> {
    let path = req.path();
    let segments = routes::segments(&path);
    let options = routes::Options { test_protocol: app.config.test_clock };
    // The method as the request line wrote it: `worker::Method` reads any method it does not
    // know (`QUERY`) as GET.
    let route = match routes::parse(&req.inner().method(), &segments, options) {
        Ok(route) => route,
        Err(refusal) => return refused(&req, &segments, refusal),
    };
    let origin = req.headers().get("origin")?;
    let origin = origin.as_deref();
    match route {
        Route::Health => http::json(200, &serde_json::json!({ "ok": true })),
        Route::CreateSite => sites::create(req, app).await,
        Route::GetSite { site } => sites::get(&req, app, site).await,
        Route::UpdateSite { site } => sites::update(req, app, site).await,
        Route::RotateOwnerKey { site } => sites::rotate_key(&req, app, site).await,
        Route::SiteConfig { site } => public(sites::config(&req, app, site).await, origin),
        Route::Submit { site } => feedback::submit(req, app, site).await,
        Route::Receipt { site, entry } => public(receipts::status(&req, app, site, entry).await, origin),
        Route::Rerate { site, entry } => public(receipts::rerate(req, app, site, entry).await, origin),
        Route::Click { site } => public(receipts::click(req, app, site).await, origin),
        Route::SiteConfigPreflight { .. }
        | Route::SubmitPreflight { .. }
        | Route::ReceiptPreflight { .. }
        | Route::ReratePreflight { .. }
        | Route::ClickPreflight { .. } => {
            let methods = routes::allow(&segments, options).without(routes::Method::Options);
            http::preflight(origin, &methods.header_value())
        }
        Route::ListEntries { site } => entries::list(&req, app, site).await,
        Route::Summary { site } => summary::get(&req, app, site).await,
        Route::Export { site } => entries::export(&req, app, site).await,
        Route::GetEntry { site, entry } => entries::get(&req, app, site, entry).await,
        Route::DeleteEntry { site, entry } => entries::delete(&req, app, site, entry).await,
        Route::Acknowledge { site, entry } => entries::act(req, app, site, entry, entries::Action::Acknowledge).await,
        Route::Fix { site, entry } => entries::act(req, app, site, entry, entries::Action::Fix).await,
        Route::Reply { site, entry } => entries::act(req, app, site, entry, entries::Action::Reply).await,
        Route::Assign { site, entry } => entries::act(req, app, site, entry, entries::Action::Assign).await,
        Route::Note { site, entry } => entries::act(req, app, site, entry, entries::Action::Note).await,
        Route::ListEndpoints { site } => callbacks::api::list(&req, app, site).await,
        Route::CreateEndpoint { site } => callbacks::api::create(req, app, site).await,
        Route::DeleteEndpoint { site, endpoint } => callbacks::api::delete(&req, app, site, endpoint).await,
        Route::RotateSecret { site, endpoint } => callbacks::api::rotate_secret(&req, app, site, endpoint).await,
        Route::Deliveries { site, endpoint } => callbacks::api::deliveries(&req, app, site, endpoint).await,
        Route::Delivery { site, endpoint, delivery } => {
            callbacks::api::delivery(&req, app, site, endpoint, delivery).await
        }
        Route::Replay { site, endpoint, delivery } => callbacks::api::replay(&req, app, site, endpoint, delivery).await,
        Route::TestEndpoint { site, endpoint } => callbacks::api::test(&req, app, site, endpoint).await,
        Route::TestRun { site } => callbacks::test_support::desk(app, site, true).await,
        Route::TestImport { site } => callbacks::test_support::import(req, app, site).await,
        Route::TestDesk { site } => callbacks::test_support::desk(app, site, false).await,
        Route::SignupForm => signup::form(app),
        Route::Signup => signup::create(req, app).await,
        Route::Demo => demo::page(&req),
        // The owner's summary page (HTML, cookie session) dispatches its own rows; see page.rs.
        Route::Page { .. }
        | Route::PageLogin { .. }
        | Route::PageLogout { .. }
        | Route::PageAcknowledge { .. }
        | Route::PageFix { .. }
        | Route::PageReply { .. }
        | Route::PageDelete { .. }
        | Route::PageReplay { .. }
        | Route::PageExportCsv { .. }
        | Route::PageExportJson { .. }
        | Route::PageTouchpoints { .. }
        | Route::PageSummary { .. }
        | Route::PageAlerts { .. }
        | Route::PageSettings { .. }
        | Route::PageSaveSettings { .. }
        | Route::PageCase { .. }
        | Route::PageAssign { .. }
        | Route::PageNote { .. }
        | Route::PageBulkAcknowledge { .. }
        | Route::PageRotateKey { .. }
        | Route::PageAddEndpoint { .. }
        | Route::PageTestEndpoint { .. }
        | Route::PageEndpointEvents { .. }
        | Route::PageRemoveEndpoint { .. } => page::route(req, app, &segments[1..]).await,
        // The customer's receipt page dispatches its own rows; see followup.rs.
        Route::ReceiptPage { .. }
        | Route::ReceiptConfirm { .. }
        | Route::Unsubscribe { .. }
        | Route::UnsubscribeConfirm { .. } => followup::route(req, app, &segments[1..]).await,
        Route::HostedFeedback { site } => hosted::feedback(&req, app, site).await,
    }
}

/// The answer to a request no route takes (404, or 405 with the path's `Allow`), written the way
/// that part of the site writes its errors: an HTML page on the owner's page, the customer's
/// pages (`/r/…`, `/f/…`) and the sign-up form, a problem everywhere else.
fn refused(req: &Request, segments: &[&str], refusal: Refusal) -> ApiResult<Response> {
    let err = match refusal {
        Refusal::NotFound => ApiError::not_found(),
        Refusal::MethodNotAllowed(allow) => ApiError::MethodNotAllowed(allow.header_value()),
    };
    match (routes::surface_of_path(segments), segments) {
        (Surface::OwnerPage, [_, site, ..]) => {
            let strings = negotiate(&req.headers().get("accept-language")?.unwrap_or_default());
            html_page::secured(page::error_page(&err, site, strings)?)
        }
        (Surface::CustomerPage, _) | (Surface::Page, ["f", ..]) => followup::refused(req, &err),
        (Surface::Page, ["new"]) => signup::refused(&err),
        _ => Err(err),
    }
}

/// The origin links to this host are written with: `PUBLIC_URL` (set it when the Worker is
/// reached under more than one name), else the request's own.
fn public_origin(req: &Request, config: &Config) -> String {
    let configured = config.public_url.trim().trim_end_matches('/');
    if !configured.is_empty() {
        return configured.to_owned();
    }
    req.url().map(|url| url.origin().ascii_serialization()).unwrap_or_default()
}

/// Public answers carry CORS headers even when they are problems, so the widget can read why.
fn public(result: ApiResult<Response>, origin: Option<&str>) -> ApiResult<Response> {
    let res = result.unwrap_or_else(|err| http::problem_response(&err));
    Ok(http::with_public_cors(res, origin))
}
