//! One attempt: a signed POST with redirects not followed, raced against the receiver's timeout;
//! or one email handed to the Email Service binding ([`mail`]). Outcomes are classified by core
//! (`outcome_of`, `outcome_of_error`); nothing here decides what happens next.

use crate::http::now_ms;
use futures_util::future::{Either, select};
use std::pin::pin;
use tellus_core::callbacks::{Attempt, DEFAULT_TIMEOUT_MS, Delivery, Endpoint, Outcome, outcome_of, signature_header};
use tellus_core::mail::{MailMessage, MailOutcome, outcome_of_error};
use wasm_bindgen::JsCast;
use worker::{
    AbortController, Delay, EmailAddress, Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
    SendEmailBuilder,
};

/// Worker variable: the receiver timeout in ms (default 15,000; local Workers shorten it).
pub const CALLBACK_TIMEOUT_MS: &str = "CALLBACK_TIMEOUT_MS";

/// The receiver's timeout: [`DEFAULT_TIMEOUT_MS`] unless the variable sets a shorter one.
pub fn timeout_ms(env: &Env) -> u64 {
    env.var(CALLBACK_TIMEOUT_MS)
        .ok()
        .and_then(|v| v.to_string().parse::<u64>().ok())
        .filter(|ms| (100..=DEFAULT_TIMEOUT_MS).contains(ms))
        .unwrap_or(DEFAULT_TIMEOUT_MS)
}

/// Sends one attempt of a delivery and says how it went. `at_ms` is the desk's clock (the test
/// clock on local Workers); the signature's timestamp is always the real time, because receivers
/// refuse messages whose timestamp is far from their own clock.
pub async fn attempt(
    env: &Env,
    endpoint: &Endpoint,
    delivery: &Delivery,
    at_ms: u64,
    replay: bool,
) -> (Attempt, Outcome) {
    let started = now_ms();
    let timeout = timeout_ms(env);
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

/// The binding emails go through (`[[send_email]] name = "EMAIL"` in `wrangler.toml`).
pub const EMAIL_BINDING: &str = "EMAIL";

/// Hands one email to the Email Service (the binding's structured form) and says how it went.
/// `at_ms` is the desk's clock. The binding can hang like any I/O, so it races the same
/// timeout as a webhook.
pub async fn mail(env: &Env, message: &MailMessage, at_ms: u64) -> (Attempt, MailOutcome) {
    let started = now_ms();
    let result = send_mail(env, message, timeout_ms(env)).await;
    let latency_ms = now_ms().saturating_sub(started);
    let attempt = |error: Option<String>| Attempt { at_ms, status: None, latency_ms, error, replay: false };
    match result {
        Ok(Some(())) => (attempt(None), MailOutcome::Sent),
        Ok(None) => (attempt(Some("no answer from the Email Service in time".into())), MailOutcome::Retry),
        Err(err) => {
            let text: String = err.to_string().chars().take(200).collect();
            let outcome = outcome_of_error(&text);
            (attempt(Some(text)), outcome)
        }
    }
}

async fn send_mail(env: &Env, message: &MailMessage, timeout_ms: u64) -> worker::Result<Option<()>> {
    let binding = env.send_email(EMAIL_BINDING)?;
    let from = EmailAddress::new(&message.from_name, &message.from);
    let headers = js_sys::Object::new();
    for (name, value) in &message.headers {
        js_sys::Reflect::set(&headers, &name.into(), &value.into())
            .map_err(|_| worker::Error::RustError("email header".into()))?;
    }
    let mut builder = SendEmailBuilder::builder_with_email_address_and_str(&from, &message.to, &message.subject)
        .text(&message.text)
        .html(&message.html)
        .headers(headers.unchecked_ref());
    if let Some(reply_to) = &message.reply_to {
        builder = builder.reply_to(reply_to);
    }
    let builder = builder.build();
    let sending = pin!(binding.send_with_builder(&builder));
    let timer = pin!(Delay::from(std::time::Duration::from_millis(timeout_ms)));
    match select(sending, timer).await {
        Either::Left((Ok(_), _)) => Ok(Some(())),
        Either::Left((Err(err), _)) => Err(worker::Error::from(err)),
        Either::Right(((), _)) => Ok(None),
    }
}
