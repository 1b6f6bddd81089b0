//! One attempt of a delivery: the HTTP request its message is (signed per Standard Webhooks for
//! the `standard` format; a chat platform's body otherwise), with redirects not followed, raced
//! against the receiver's timeout. Its outcome is classified by core (`outcome_for`, which reads
//! the start of the answer's body for what chat platforms say there); or one email handed to
//! the Email Service binding ([`mail`]). Nothing here decides what happens next.

use crate::config::Config;
use crate::http::now_ms;
use futures_util::future::{Either, select};
use std::pin::pin;
use tellus_core::callbacks::{
    Attempt, Delivery, Endpoint, HttpRequest, MAX_ANSWER_BODY_BYTES, Message, Outcome, outcome_for, signature_header,
};
use tellus_core::mail::{MailMessage, MailOutcome, outcome_of_error};
use wasm_bindgen::JsCast;
use worker::{
    AbortController, Delay, EmailAddress, Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
    SendEmailBuilder,
};

/// Sends one attempt of a delivery and says how it went. `at_ms` is the desk's clock (the test
/// clock on local Workers); the signature's timestamp is always the real time, because receivers
/// refuse messages whose timestamp is far from their own clock.
pub async fn attempt(
    env: &Env,
    config: &Config,
    site_name: &str,
    endpoint: &Endpoint,
    delivery: &Delivery,
    at_ms: u64,
    replay: bool,
) -> (Attempt, Outcome) {
    let started = now_ms();
    let timeout = config.callback_timeout_ms;
    let result = match &delivery.message {
        Message::Http(request) => post(endpoint, &delivery.id, request, started / 1000, timeout).await,
        Message::Email(alert) => {
            // An owner alert by email goes the way a customer's follow-up does, from the
            // deployment's sender under the site's name.
            let message = MailMessage {
                from_name: site_name.to_owned(),
                from: config.mail_from.clone(),
                to: alert.to.clone(),
                reply_to: alert.reply_to.clone(),
                subject: alert.subject.clone(),
                text: alert.text.clone(),
                html: alert.html.clone(),
                headers: Vec::new(),
            };
            let (mut attempt, outcome) = mail(env, config, &message, at_ms).await;
            attempt.replay = replay;
            let outcome = match outcome {
                MailOutcome::Sent => Outcome::Delivered,
                // The address cannot be mailed (not a verified destination on the free plan, or
                // suppressed): like a receiver that says it is gone, the endpoint is disabled with
                // the reason, until a replay succeeds.
                MailOutcome::Refused => Outcome::Gone,
                MailOutcome::Retry => Outcome::Retry { retry_after_secs: None },
            };
            return (attempt, outcome);
        }
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

/// The binding emails go through (`[[send_email]] name = "EMAIL"` in `wrangler.toml`).
pub const EMAIL_BINDING: &str = "EMAIL";

/// Hands one email to the Email Service (the binding's structured form) and says how it went.
/// `at_ms` is the desk's clock. The binding can hang like any I/O, so it races the same
/// timeout as a webhook.
pub async fn mail(env: &Env, config: &Config, message: &MailMessage, at_ms: u64) -> (Attempt, MailOutcome) {
    let started = now_ms();
    if message.from.is_empty() {
        let error = format!("no sender address: set the Worker variable {}", crate::config::MAIL_FROM);
        return (Attempt { at_ms, status: None, latency_ms: 0, error: Some(error), replay: false }, MailOutcome::Retry);
    }
    let result = send_mail(env, message, config.callback_timeout_ms).await;
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
