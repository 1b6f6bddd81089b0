//! The tellus Worker: the `/v1` HTTP API over Workers KV, the owner's pages, the demo host page,
//! and one Durable Object per site (its desk: endpoints, deliveries, alarms, aggregates).
//!
//! Each request reads the clock once and builds an [`App`]; routing is a plain match on method
//! and path segments so that every unknown path and wrong method gets a problem+json answer.
//! There is no cron: deferred work waits on each site's desk's alarm (see `desk`).

mod callbacks;
mod demo;
mod desk;
mod entries;
mod error;
mod feedback;
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

pub use desk::Desk;
use error::{ApiError, ApiResult};
use http::var_is;
use store::Kv;
use worker::{Context, Env, Method, Request, Response, event};

/// The KV binding every record lives in.
pub const KV_BINDING: &str = "TELLUS";
/// Worker variable: `"1"` adds the `x-tellus-kv-ops` header to every answer and logs the desks'
/// own work (tests, bench).
pub const EXPOSE_KV_OPS: &str = "EXPOSE_KV_OPS";

/// What a request handler needs: the environment, counted storage and the request's clock.
pub struct App {
    pub env: Env,
    pub store: Kv,
    pub now_ms: u64,
    /// The test clock's offset in `now_ms` (local Workers only; 0 in production).
    pub test_offset_ms: u64,
    /// Tests only: a submission's first attempts are left to the desk's alarm.
    pub hold_sends: bool,
}

/// Worker variable: `"1"` logs every KV write and delete with its key (the soak counts writes
/// per key from the log; the bench leaves it off, since logging costs time under load).
pub const LOG_KV_WRITES: &str = "LOG_KV_WRITES";

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let expose_ops = var_is(&env, EXPOSE_KV_OPS, "1");
    let app = match env.kv(KV_BINDING) {
        Ok(kv) => {
            let test_offset_ms = callbacks::test_support::test_offset_ms(&req, &env);
            let hold_sends = callbacks::test_support::holds_sends(&req, &env);
            let store = Kv::new(kv, var_is(&env, LOG_KV_WRITES, "1"));
            let now_ms = http::now_ms().saturating_add(test_offset_ms);
            App { env, store, now_ms, test_offset_ms, hold_sends }
        }
        Err(err) => {
            return Ok(http::problem_response(&ApiError::Internal(format!("binding {KV_BINDING}: {err}"))));
        }
    };
    let mut res = route(req, &app).await.unwrap_or_else(|err| http::problem_response(&err));
    if expose_ops {
        let _ = res.headers_mut().set(http::HEADER_KV_OPS, &app.store.ops.header_value());
    }
    Ok(res)
}

async fn route(req: Request, app: &App) -> ApiResult<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let method = req.method();
    let origin = req.headers().get("origin")?;
    match segments.as_slice() {
        ["v1", "health"] => match method {
            Method::Get => http::json(200, &serde_json::json!({ "ok": true })),
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        ["v1", "sites"] => match method {
            Method::Post => sites::create(req, app).await,
            _ => Err(ApiError::MethodNotAllowed("POST")),
        },
        ["v1", "sites", site, "config"] => match method {
            Method::Get => public(sites::config(&req, app, site).await, origin.as_deref()),
            Method::Options => http::preflight(origin.as_deref(), "GET"),
            _ => Err(ApiError::MethodNotAllowed("GET, OPTIONS")),
        },
        ["v1", "sites", site, "feedback"] => match method {
            Method::Post => feedback::submit(req, app, site).await,
            Method::Options => http::preflight(origin.as_deref(), "POST"),
            _ => Err(ApiError::MethodNotAllowed("POST, OPTIONS")),
        },
        ["v1", "sites", site, "receipts", id] => match method {
            Method::Get => public(receipts::status(&req, app, site, id).await, origin.as_deref()),
            Method::Options => http::preflight(origin.as_deref(), "GET"),
            _ => Err(ApiError::MethodNotAllowed("GET, OPTIONS")),
        },
        ["v1", "sites", site, "receipts", id, "rerate"] => match method {
            Method::Post => public(receipts::rerate(req, app, site, id).await, origin.as_deref()),
            Method::Options => http::preflight(origin.as_deref(), "POST"),
            _ => Err(ApiError::MethodNotAllowed("POST, OPTIONS")),
        },
        ["v1", "sites", site, "clicks"] => match method {
            Method::Post => public(receipts::click(req, app, site).await, origin.as_deref()),
            Method::Options => http::preflight(origin.as_deref(), "POST"),
            _ => Err(ApiError::MethodNotAllowed("POST, OPTIONS")),
        },
        ["v1", "sites", site] => match method {
            Method::Get => sites::get(&req, app, site).await,
            Method::Patch => sites::update(req, app, site).await,
            _ => Err(ApiError::MethodNotAllowed("GET, PATCH")),
        },
        ["v1", "sites", site, "owner-key"] => match method {
            Method::Post => sites::rotate_key(&req, app, site).await,
            _ => Err(ApiError::MethodNotAllowed("POST")),
        },
        ["v1", "sites", site, "entries"] => match method {
            Method::Get => entries::list(&req, app, site).await,
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        ["v1", "sites", site, "summary"] => match method {
            Method::Get => summary::get(&req, app, site).await,
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        ["v1", "sites", site, "export"] => match method {
            Method::Get => entries::export(&req, app, site).await,
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        ["v1", "sites", site, "entries", id] => match method {
            Method::Get => entries::get(&req, app, site, id).await,
            Method::Delete => entries::delete(&req, app, site, id).await,
            _ => Err(ApiError::MethodNotAllowed("GET, DELETE")),
        },
        ["v1", "sites", site, "entries", id, action] => {
            // Written out (not `Action::parse`): the contract test reads the actions from here.
            let action = match *action {
                "acknowledge" => entries::Action::Acknowledge,
                "fix" => entries::Action::Fix,
                "reply" => entries::Action::Reply,
                "assign" => entries::Action::Assign,
                "note" => entries::Action::Note,
                _ => return Err(ApiError::not_found()),
            };
            match method {
                Method::Post => entries::act(req, app, site, id, action).await,
                _ => Err(ApiError::MethodNotAllowed("POST")),
            }
        }
        ["v1", "sites", site, "callbacks"] => match method {
            Method::Get => callbacks::api::list(&req, app, site).await,
            Method::Post => callbacks::api::create(req, app, site).await,
            _ => Err(ApiError::MethodNotAllowed("GET, POST")),
        },
        ["v1", "sites", site, "callbacks", endpoint] => match method {
            Method::Delete => callbacks::api::delete(&req, app, site, endpoint).await,
            _ => Err(ApiError::MethodNotAllowed("DELETE")),
        },
        ["v1", "sites", site, "callbacks", endpoint, "test"] => match method {
            Method::Post => callbacks::api::test(&req, app, site, endpoint).await,
            _ => Err(ApiError::MethodNotAllowed("POST")),
        },
        ["v1", "sites", site, "callbacks", endpoint, "secret"] => match method {
            Method::Post => callbacks::api::rotate_secret(&req, app, site, endpoint).await,
            _ => Err(ApiError::MethodNotAllowed("POST")),
        },
        ["v1", "sites", site, "callbacks", endpoint, "deliveries"] => match method {
            Method::Get => callbacks::api::deliveries(&req, app, site, endpoint).await,
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        ["v1", "sites", site, "callbacks", endpoint, "deliveries", id] => match method {
            Method::Get => callbacks::api::delivery(&req, app, site, endpoint, id).await,
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        ["v1", "sites", site, "callbacks", endpoint, "deliveries", id, "replay"] => match method {
            Method::Post => callbacks::api::replay(&req, app, site, endpoint, id).await,
            _ => Err(ApiError::MethodNotAllowed("POST")),
        },
        // Exist only when the Worker runs with ALLOW_TEST_CLOCK=1 (404 otherwise).
        ["v1", "test", "sites", site, "run"] => match method {
            Method::Post => callbacks::test_support::desk(app, site, true).await,
            _ => Err(ApiError::MethodNotAllowed("POST")),
        },
        ["v1", "test", "sites", site, "import"] => match method {
            Method::Post => callbacks::test_support::import(req, app, site).await,
            _ => Err(ApiError::MethodNotAllowed("POST")),
        },
        ["v1", "test", "sites", site, "desk"] => match method {
            Method::Get => callbacks::test_support::desk(app, site, false).await,
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        ["new"] => match method {
            Method::Get => signup::form(app),
            Method::Post => signup::create(req, app).await,
            _ => Err(ApiError::MethodNotAllowed("GET, POST")),
        },
        // The owner's summary page (HTML, cookie session); see page.rs.
        ["s", rest @ ..] if !rest.is_empty() => page::route(req, app, rest).await,
        ["demo"] => match method {
            Method::Get => demo::page(&req),
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        _ => Err(ApiError::not_found()),
    }
}

/// Public answers carry CORS headers even when they are problems, so the widget can read why.
fn public(result: ApiResult<Response>, origin: Option<&str>) -> ApiResult<Response> {
    let res = result.unwrap_or_else(|err| http::problem_response(&err));
    Ok(http::with_public_cors(res, origin))
}
