//! One attempt of a delivery: the HTTP request its message is (signed per Standard Webhooks for
//! the `standard` format; a chat platform's body otherwise), with redirects not followed, raced
//! against the receiver's timeout. Its outcome is classified by core (`outcome_for`, which reads
//! the start of the answer's body for what chat platforms say there); nothing here decides what
//! happens next.

use crate::config::Config;
use crate::http::now_ms;
use futures_util::future::{Either, select};
use std::pin::pin;
use tellus_core::callbacks::{
    Attempt, Delivery, Endpoint, HttpRequest, MAX_ANSWER_BODY_BYTES, Message, Outcome, outcome_for, signature_header,
};
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
    let result = match &delivery.message {
        Message::Http(request) => post(endpoint, &delivery.id, request, started / 1000, timeout).await,
        Message::Email(_) => Err(worker::Error::RustError(
            "email alerts go out through the Email Service binding, which this Worker has not been given".into(),
        )),
    };
    let latency_ms = now_ms().saturating_sub(started);
    let attempt = |status: Option<u16>, error: Option<String>| Attempt { at_ms, status, latency_ms, error, replay };
    match result {
        Ok(Some(answer)) => {
            let outcome =
                outcome_for(endpoint.format, answer.status, answer.retry_after.as_deref(), &answer.body, now_ms());
            (attempt(Some(answer.status), None), outcome)
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

/// What a receiver answered: its status, `Retry-After`, and the start of its body.
struct Answer {
    status: u16,
    retry_after: Option<String>,
    body: String,
}

/// The HTTP exchange: `Ok(Some(answer))`, or `Ok(None)` when the receiver did not answer in time
/// (the request is then aborted).
async fn post(
    endpoint: &Endpoint,
    message_id: &str,
    request: &HttpRequest,
    timestamp_secs: u64,
    timeout_ms: u64,
) -> worker::Result<Option<Answer>> {
    let headers = Headers::new();
    headers.set("content-type", &request.content_type)?;
    headers.set("user-agent", "tellus-webhooks/1")?;
    if request.signed {
        let signature = signature_header(
            &endpoint.signing_secrets(timestamp_secs * 1000),
            message_id,
            timestamp_secs,
            &request.body,
        );
        headers.set("webhook-id", message_id)?;
        headers.set("webhook-timestamp", &timestamp_secs.to_string())?;
        headers.set("webhook-signature", &signature)?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(wasm_bindgen::JsValue::from_str(&request.body)))
        .with_redirect(RequestRedirect::Manual);
    let outgoing = Request::new_with_init(&request.url, &init)?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let exchange = async {
        let mut res = Fetch::Request(outgoing).send_with_signal(&signal).await?;
        let status = res.status_code();
        let retry_after = res.headers().get("retry-after").ok().flatten();
        // Chat platforms say "gone" or "wait this long" in the body; the start of it is enough.
        let body = match res.text().await {
            Ok(mut text) => {
                let cut = (0..=MAX_ANSWER_BODY_BYTES.min(text.len())).rev().find(|i| text.is_char_boundary(*i));
                text.truncate(cut.unwrap_or(0));
                text
            }
            Err(_) => String::new(),
        };
        Ok::<_, worker::Error>(Answer { status, retry_after, body })
    };
    let exchange = pin!(exchange);
    let timer = pin!(Delay::from(std::time::Duration::from_millis(timeout_ms)));
    match select(exchange, timer).await {
        Either::Left((Ok(answer), _)) => Ok(Some(answer)),
        Either::Left((Err(err), _)) => Err(err),
        Either::Right(((), _)) => {
            controller.abort();
            Ok(None)
        }
    }
}
