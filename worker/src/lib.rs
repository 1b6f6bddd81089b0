//! The tellus Worker: the `/v1` HTTP API over Workers KV, the demo host page, and (later) the
//! cron that retries callbacks and writes rollups.
//!
//! Each request reads the clock once and builds an [`App`]; routing is a plain match on method
//! and path segments so that every unknown path and wrong method gets a problem+json answer.

mod callbacks;
mod demo;
mod entries;
mod error;
mod feedback;
mod http;
mod limits;
mod page;
mod receipts;
mod rollup;
mod session;
mod signup;
mod sites;
mod store;
mod summary;

use error::{ApiError, ApiResult};
use store::Kv;
use worker::{Context, Env, Method, Request, Response, ScheduleContext, ScheduledEvent, event};

/// The KV binding every fact lives in.
pub const KV_BINDING: &str = "TELLUS";
/// Worker variable: `"1"` adds the `x-tellus-kv-ops` header to every answer (tests, bench).
pub const EXPOSE_KV_OPS: &str = "EXPOSE_KV_OPS";

/// The log line prefix of a cron tick's KV operation counts (only with `EXPOSE_KV_OPS=1`).
pub const CRON_KV_OPS_LOG: &str = "tellus-cron-kv-ops";

/// What a request handler needs: the environment, counted storage and the request's clock.
pub struct App {
    pub env: Env,
    pub store: Kv,
    pub now_ms: u64,
    /// Work to run after the response (inside `wait_until`): callbacks for what was stored.
    pub deferred: std::cell::RefCell<Vec<callbacks::Promised>>,
}

impl App {
    /// The app of one invocation: its KV binding and one reading of the clock.
    pub fn new(env: Env) -> ApiResult<App> {
        let kv = env.kv(KV_BINDING).map_err(|err| ApiError::Internal(format!("binding {KV_BINDING}: {err}")))?;
        let store = Kv::new(kv, logs_kv_writes(&env));
        Ok(App { env, store, now_ms: http::now_ms(), deferred: Default::default() })
    }

    /// Leaves work for after the response (see [`callbacks::promise`]).
    pub fn defer(&self, work: callbacks::Promised) {
        self.deferred.borrow_mut().push(work);
    }
}

/// Whether the Worker runs with `EXPOSE_KV_OPS=1` (local tests and the bench).
fn exposes_kv_ops(env: &Env) -> bool {
    env.var(EXPOSE_KV_OPS).map(|v| v.to_string() == "1").unwrap_or(false)
}

/// Worker variable: `"1"` logs every KV write and delete with its key (the soak counts writes
/// per key from the log; the bench leaves it off, since logging costs time under load).
pub const LOG_KV_WRITES: &str = "LOG_KV_WRITES";

fn logs_kv_writes(env: &Env) -> bool {
    env.var(LOG_KV_WRITES).map(|v| v.to_string() == "1").unwrap_or(false)
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
    let expose_ops = exposes_kv_ops(&env);
    let drop_deferred = callbacks::drops_deferred(&req, &env);
    let app = match env.kv(KV_BINDING) {
        Ok(kv) => {
            let now_ms = callbacks::request_now(&req, &env, http::now_ms());
            let store = Kv::new(kv, logs_kv_writes(&env));
            App { env, store, now_ms, deferred: Default::default() }
        }
        Err(err) => {
            return Ok(http::problem_response(&ApiError::Internal(format!("binding: {err}"))));
        }
    };
    let mut res = route(req, &app).await.unwrap_or_else(|err| http::problem_response(&err));
    if expose_ops {
        let _ = res.headers_mut().set(http::HEADER_KV_OPS, &app.store.ops.header_value());
    }
    // Callbacks go out after the response, so the customer never waits for a receiver (and
    // their KV work is not part of the request's counted budget).
    let deferred = app.deferred.take();
    if !deferred.is_empty() && !drop_deferred {
        ctx.wait_until(callbacks::after_response(app, deferred));
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
            let action = match *action {
                "acknowledge" => entries::Action::Acknowledge,
                "fix" => entries::Action::Fix,
                "reply" => entries::Action::Reply,
                _ => return Err(ApiError::not_found()),
            };
            match method {
                Method::Post => entries::act(req, app, site, id, action).await,
                _ => Err(ApiError::MethodNotAllowed("POST")),
            }
        }
        ["v1", "sites", site, "callbacks"] => match method {
            Method::Get => callbacks::list(&req, app, site).await,
            Method::Post => callbacks::create(req, app, site).await,
            _ => Err(ApiError::MethodNotAllowed("GET, POST")),
        },
        ["v1", "sites", site, "callbacks", endpoint] => match method {
            Method::Delete => callbacks::delete(&req, app, site, endpoint).await,
            _ => Err(ApiError::MethodNotAllowed("DELETE")),
        },
        ["v1", "sites", site, "callbacks", endpoint, "secret"] => match method {
            Method::Post => callbacks::rotate_secret(&req, app, site, endpoint).await,
            _ => Err(ApiError::MethodNotAllowed("POST")),
        },
        ["v1", "sites", site, "callbacks", endpoint, "deliveries"] => match method {
            Method::Get => callbacks::deliveries(&req, app, site, endpoint).await,
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        ["v1", "sites", site, "callbacks", endpoint, "deliveries", id] => match method {
            Method::Get => callbacks::delivery(&req, app, site, endpoint, id).await,
            _ => Err(ApiError::MethodNotAllowed("GET")),
        },
        ["v1", "sites", site, "callbacks", endpoint, "deliveries", id, "replay"] => match method {
            Method::Post => callbacks::replay(&req, app, site, endpoint, id).await,
            _ => Err(ApiError::MethodNotAllowed("POST")),
        },
        // Exists only when the Worker runs with ALLOW_TEST_CLOCK=1 (404 otherwise).
        ["v1", "test", "clock"] => match method {
            Method::Get | Method::Post => callbacks::test_clock(req, app).await,
            _ => Err(ApiError::MethodNotAllowed("GET, POST")),
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

#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let app = match App::new(env) {
        Ok(app) => app,
        Err(err) => {
            worker::console_error!("scheduled: {err:?}");
            return;
        }
    };
    // Each duty runs even if another failed; errors are logged and retried next minute.
    if let Err(err) = rollup::tick(&app).await {
        worker::console_error!("rollup tick failed: {err:?}");
    }
    if let Err(err) = callbacks::tick(&app).await {
        worker::console_error!("callbacks tick failed: {err:?}");
    }
    // The cron has no response to carry x-tellus-kv-ops; with EXPOSE_KV_OPS it logs them instead
    // (cargo xtask bench reads the line from the local Worker's log).
    if exposes_kv_ops(&app.env) {
        worker::console_log!("{CRON_KV_OPS_LOG} {}", app.store.ops.header_value());
    }
}
