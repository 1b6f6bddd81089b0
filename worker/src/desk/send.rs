//! One attempt: a signed POST with redirects not followed, raced against the receiver's timeout.
//! Its outcome is classified by core (`outcome_of`); nothing here decides what happens next.

use crate::config::Config;
use crate::http::now_ms;
use futures_util::future::{Either, select};
use std::pin::pin;
use tellus_core::callbacks::{Attempt, Delivery, Endpoint, Outcome, outcome_of, signature_header};
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

/// Sends one attempt of a delivery and says how it went. `at_ms` is the desk's clock (the test
/// clock on local Workers); the signature's timestamp is always the real time, because receivers
/// refuse messages whose timestamp is far from their own clock.
pub async fn attempt(
    config: &Config,
    endpoint: &Endpoint,
    delivery: &Delivery,
    at_ms: u64,
    replay: bool,
) -> (Attempt, Outcome) {
    let started = now_ms();
    let timeout = config.callback_timeout_ms;
    let result = post(endpoint, delivery, started / 1000, timeout).await;
    let latency_ms = now_ms().saturating_sub(started);
    let attempt = |status: Option<u16>, error: Option<String>| Attempt { at_ms, status, latency_ms, error, replay };
    match result {
        Ok(Some((status, retry_after))) => {
            (attempt(Some(status), None), outcome_of(status, retry_after.as_deref(), now_ms()))
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

/// The HTTP exchange: `Ok(Some((status, Retry-After)))`, or `Ok(None)` when the receiver did not
/// answer in time (the request is then aborted).
async fn post(
    endpoint: &Endpoint,
    delivery: &Delivery,
    timestamp_secs: u64,
    timeout_ms: u64,
) -> worker::Result<Option<(u16, Option<String>)>> {
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
    let sending = pin!(fetch.send_with_signal(&signal));
    let timer = pin!(Delay::from(std::time::Duration::from_millis(timeout_ms)));
    match select(sending, timer).await {
        Either::Left((Ok(res), _)) => Ok(Some((res.status_code(), res.headers().get("retry-after").ok().flatten()))),
        Either::Left((Err(err), _)) => Err(err),
        Either::Right(((), _)) => {
            controller.abort();
            Ok(None)
        }
    }
}
