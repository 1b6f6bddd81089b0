//! Callbacks end to end: a real local Worker sends signed webhooks to a real receiver on
//! 127.0.0.1; signatures are checked with the official `standardwebhooks` library (npm); time
//! is driven by the Worker's test clock and by triggering the cron (`/__scheduled`), never by
//! waiting minutes.
//!
//! The test clock is one offset for the whole Worker, so these tests take turns (a lock), and
//! each asserts what it sees without depending on how many cron runs happened in between.

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;
use tellus_tests::http::{self, Answer};
use tellus_tests::paths;
use tellus_tests::receiver::{Received, Receiver, Reply};
use tellus_tests::worker_process::{ADMIN_TOKEN, LOCAL_CALLBACK_TIMEOUT_MS, LocalWorker, Options, free_port};

pub const TESTS: &[(&str, TestFn)] = &[
    (
        "callbacks::a_failure_arrives_signed_and_verifies_with_the_official_library",
        a_failure_arrives_signed_and_verifies_with_the_official_library,
    ),
    (
        "callbacks::registration_is_validated_and_the_secret_is_shown_once",
        registration_is_validated_and_the_secret_is_shown_once,
    ),
    (
        "callbacks::a_receiver_failing_three_times_gets_the_same_message_a_fourth_time",
        a_receiver_failing_three_times_gets_the_same_message_a_fourth_time,
    ),
    (
        "callbacks::a_delivery_survives_the_receiver_down_and_the_worker_restarting",
        a_delivery_survives_the_receiver_down_and_the_worker_restarting,
    ),
    ("callbacks::an_overdue_failure_fires_and_stops_once_fixed", an_overdue_failure_fires_and_stops_once_fixed),
    ("callbacks::a_fix_cancels_a_scheduled_retry_of_the_report", a_fix_cancels_a_scheduled_retry_of_the_report),
    (
        "callbacks::a_410_disables_the_endpoint_until_a_replay_succeeds",
        a_410_disables_the_endpoint_until_a_replay_succeeds,
    ),
    ("callbacks::a_slow_receiver_counts_as_a_failed_attempt", a_slow_receiver_counts_as_a_failed_attempt),
    ("callbacks::praise_goes_only_to_endpoints_subscribed_to_it", praise_goes_only_to_endpoints_subscribed_to_it),
    (
        "callbacks::a_delivery_out_of_retries_marks_the_endpoint_failing",
        a_delivery_out_of_retries_marks_the_endpoint_failing,
    ),
    (
        "callbacks::a_redirect_is_a_failed_attempt_and_is_not_followed",
        a_redirect_is_a_failed_attempt_and_is_not_followed,
    ),
    ("callbacks::retry_after_from_a_busy_receiver_is_honoured", retry_after_from_a_busy_receiver_is_honoured),
    (
        "callbacks::a_slow_receiver_does_not_hold_up_the_other_endpoints",
        a_slow_receiver_does_not_hold_up_the_other_endpoints,
    ),
    (
        "callbacks::a_report_and_a_fix_survive_the_worker_stopping_right_after_answering",
        a_report_and_a_fix_survive_the_worker_stopping_right_after_answering,
    ),
];

/// The test clock is shared by the whole Worker: tests that move it or depend on it take turns.
static CLOCK: Mutex<()> = Mutex::new(());

fn take_clock() -> std::sync::MutexGuard<'static, ()> {
    CLOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

const FAILURE: &str = "failure.reported";

fn owner(base: &str, site: &TestSite, method: &str, path: &str, body: Option<Value>) -> Result<Answer> {
    let auth = format!("Bearer {}", site.owner_key);
    let url = format!("{base}/v1/sites/{}{path}", site.id);
    match body {
        Some(body) => {
            let bytes = serde_json::to_vec(&body)?;
            http::send(method, &url, &[("authorization", &auth), ("content-type", "application/json")], Some(&bytes))
        }
        None => http::send(method, &url, &[("authorization", &auth)], None),
    }
}

/// Registers an endpoint; returns its id and secret.
fn register(base: &str, site: &TestSite, url: &str, events: &[&str], format: &str) -> Result<(String, String)> {
    let answer =
        owner(base, site, "POST", "/callbacks", Some(json!({ "url": url, "events": events, "format": format })))?;
    ensure!(answer.status == 201, "register: {} {}", answer.status, answer.body);
    let json = answer.json();
    Ok((json["id"].as_str().unwrap_or_default().into(), json["secret"].as_str().unwrap_or_default().into()))
}

/// The test clock's offset (ms).
fn offset(base: &str) -> Result<u64> {
    let answer = http::get(&format!("{base}/v1/test/clock"), &[])?;
    ensure!(answer.status == 200, "test clock: {} {}", answer.status, answer.body);
    Ok(answer.json()["offset_ms"].as_u64().unwrap_or(0))
}

fn advance(base: &str, ms: u64) -> Result<u64> {
    let answer = http::post_json(&format!("{base}/v1/test/clock"), &[], &json!({ "advance_ms": ms }))?;
    ensure!(answer.status == 200, "advance: {} {}", answer.status, answer.body);
    Ok(answer.json()["offset_ms"].as_u64().unwrap_or(0))
}

/// Runs the cron once (wrangler dev `--test-scheduled`).
fn run_cron(base: &str) -> Result<()> {
    let answer = http::get(&format!("{base}/__scheduled?cron=*+*+*+*+*"), &[])?;
    ensure!(answer.status == 200, "cron: {} {}", answer.status, answer.body);
    Ok(())
}

/// Submits feedback at the test clock's current time.
fn submit_at(base: &str, site: &TestSite, offset_ms: u64, body: &Value) -> Result<String> {
    let offset = offset_ms.to_string();
    let answer = http::post_json(
        &format!("{base}/v1/sites/{}/feedback", site.id),
        &[("origin", base), ("x-tellus-test-now-offset-ms", &offset)],
        body,
    )?;
    ensure!(answer.status == 201, "submit: {} {}", answer.status, answer.body);
    Ok(answer.json()["id"].as_str().unwrap_or_default().into())
}

fn deliveries(base: &str, site: &TestSite, endpoint: &str) -> Result<Vec<Value>> {
    let answer = owner(base, site, "GET", &format!("/callbacks/{endpoint}/deliveries"), None)?;
    ensure!(answer.status == 200, "deliveries: {} {}", answer.status, answer.body);
    Ok(answer.json()["deliveries"].as_array().cloned().unwrap_or_default())
}

fn endpoint_status(base: &str, site: &TestSite, endpoint: &str) -> Result<String> {
    let answer = owner(base, site, "GET", "/callbacks", None)?;
    let endpoints = answer.json()["endpoints"].as_array().cloned().unwrap_or_default();
    let found = endpoints.iter().find(|e| e["id"] == endpoint).context("endpoint listed")?;
    Ok(found["status"].as_str().unwrap_or_default().into())
}

/// Waits until the receiver has at least `n` requests.
fn wait_received(receiver: &Receiver, n: usize, what: &str) -> Result<Vec<Received>> {
    tellus_tests::poll(what, Duration::from_secs(20), || {
        let got = receiver.received();
        (got.len() >= n).then_some(got)
    })
}

/// Verifies a received callback with the official `standardwebhooks` library; returns the payload.
fn verify(secret: &str, received: &Received) -> Result<Value> {
    let headers: serde_json::Map<String, Value> = ["webhook-id", "webhook-timestamp", "webhook-signature"]
        .iter()
        .map(|name| (name.to_string(), Value::String(received.header(name).unwrap_or_default().into())))
        .collect();
    let input = json!({ "secret": secret, "headers": headers, "body": received.body });
    let mut child = Command::new("node")
        .arg(paths::root().join("tests/scripts/verify-webhook.mjs"))
        .current_dir(paths::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running node")?;
    child.stdin.take().context("stdin")?.write_all(input.to_string().as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("standardwebhooks refused it: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// A failure with consented contact details reaches the owner's endpoint at once, signed per
/// Standard Webhooks: the official library verifies it, and the payload has what the owner needs
/// to call the customer back. After a secret rotation, receivers on either secret verify it.
fn a_failure_arrives_signed_and_verifies_with_the_official_library(ctx: &Ctx) -> Result<()> {
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(Vec::new())?;
    let site = ctx.create_site(json!({}))?;
    let (endpoint, secret) = register(base, &site, &receiver.url("/hooks/tellus"), &[FAILURE], "standard")?;
    ensure!(secret.starts_with("whsec_") && secret.len() == 6 + 32, "{secret}");

    let answer = ctx.submit(
        &site,
        &json!({
            "rating": 1, "comment": "Waited 40 minutes", "dimensions": ["responsiveness"],
            "touchpoint": {"page": "/checkout", "order": "A-17"},
            "consent": true, "contact": {"name": "Ann", "email": "ann@example.com", "channel": "email"}
        }),
    )?;
    ensure!(answer.status == 201, "{}", answer.body);
    ensure!(answer.kv_ops("writes").is_some_and(|n| n <= 3), "the callback is not on the customer's request");
    let id = answer.json()["id"].as_str().unwrap_or_default().to_owned();

    let got = wait_received(&receiver, 1, "the failure.reported callback")?;
    let request = &got[0];
    ensure!(request.method == "POST" && request.path == "/hooks/tellus", "{request:?}");
    ensure!(request.header("content-type") == Some("application/json"), "{request:?}");
    let payload = verify(&secret, request)?;
    ensure!(payload["type"] == FAILURE, "{payload}");
    let data = &payload["data"];
    ensure!(data["entry_id"] == id.as_str() && data["site"]["id"] == site.id.as_str(), "{payload}");
    ensure!(data["rating"] == 1 && data["dimensions"][0] == "responsiveness", "{payload}");
    ensure!(data["comment"] == "Waited 40 minutes" && data["touchpoint"]["order"] == "A-17", "{payload}");
    ensure!(data["contact"]["email"] == "ann@example.com", "{payload}");
    ensure!(data["sla"]["state"] == "on_time" && data["age_seconds"].is_u64(), "{payload}");
    ensure!(data["link"].as_str().is_some_and(|l| l.ends_with(&format!("/s/{}#entry-{id}", site.id))), "{payload}");
    ensure!(!request.body.contains("receipt_token"), "the receipt token stays private");
    let wrong = "whsec_".to_owned() + &"A".repeat(32);
    ensure!(verify(&wrong, request).is_err(), "a wrong secret must not verify");

    // Rotation: both signatures go out for a day, so receivers on either secret accept.
    let rotated = owner(base, &site, "POST", &format!("/callbacks/{endpoint}/secret"), None)?;
    ensure!(rotated.status == 200, "{}", rotated.body);
    let new_secret = rotated.json()["secret"].as_str().unwrap_or_default().to_owned();
    ensure!(new_secret != secret && rotated.json()["previous_secret_valid_until"].is_string(), "{}", rotated.body);
    ctx.submit(&site, &json!({"rating": 2}))?;
    let got = wait_received(&receiver, 2, "the callback after rotation")?;
    let signature = got[1].header("webhook-signature").unwrap_or_default();
    ensure!(signature.split(' ').filter(|s| s.starts_with("v1,")).count() == 2, "{signature}");
    verify(&new_secret, &got[1])?;
    verify(&secret, &got[1])?;
    Ok(())
}

/// Registering an endpoint lists every bad field; the secret appears only in the answer to the
/// registration; a plain-http or tellus-itself URL is refused; deleting works once.
fn registration_is_validated_and_the_secret_is_shown_once(ctx: &Ctx) -> Result<()> {
    let base = ctx.worker.base_url.as_str();
    let site = ctx.create_site(json!({}))?;
    let bad = owner(
        base,
        &site,
        "POST",
        "/callbacks",
        Some(json!({"url": "ftp://x", "events": ["failure.reported", "nope"], "format": "fax", "colour": 1})),
    )?;
    ensure!(bad.status == 422 && bad.header("content-type") == Some("application/problem+json"), "{}", bad.body);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(String::from))
        .collect();
    ensure!(fields == ["url", "events[1]", "format", "colour"], "{fields:?}");
    for url in ["http://hooks.example/x", &format!("{base}/v1/health")] {
        let refused = owner(base, &site, "POST", "/callbacks", Some(json!({"url": url, "events": [FAILURE]})))?;
        ensure!(refused.status == 422, "{url}: {} {}", refused.status, refused.body);
    }
    let stranger = http::post_json(
        &ctx.url(&format!("/v1/sites/{}/callbacks", site.id)),
        &[("authorization", "Bearer tlk_wrong")],
        &json!({"url": "https://hooks.example", "events": [FAILURE]}),
    )?;
    ensure!(stranger.status == 401, "{}", stranger.body);

    let (endpoint, _) = register(base, &site, "https://hooks.example/tellus", &[FAILURE, "praise.received"], "slack")?;
    let listed = owner(base, &site, "GET", "/callbacks", None)?;
    ensure!(listed.status == 200 && !listed.body.contains("whsec_"), "{}", listed.body);
    let first = &listed.json()["endpoints"][0];
    ensure!(first["id"] == endpoint.as_str() && first["status"] == "active" && first["format"] == "slack", "{first}");
    ensure!(owner(base, &site, "DELETE", &format!("/callbacks/{endpoint}"), None)?.status == 204);
    ensure!(owner(base, &site, "DELETE", &format!("/callbacks/{endpoint}"), None)?.status == 404);
    Ok(())
}

/// A receiver that answers 500 three times gets the same message (same `webhook-id`, same body)
/// a fourth time and accepts it; the owner's log shows one delivery with four attempts.
fn a_receiver_failing_three_times_gets_the_same_message_a_fourth_time(ctx: &Ctx) -> Result<()> {
    let _clock = take_clock();
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(vec![Reply::status(500), Reply::status(500), Reply::status(500)])?;
    let site = ctx.create_site(json!({}))?;
    let (endpoint, secret) = register(base, &site, &receiver.url("/h"), &[FAILURE], "standard")?;
    submit_at(base, &site, offset(base)?, &json!({"rating": 1, "comment": "Broken"}))?;
    wait_received(&receiver, 1, "the first attempt")?;

    // The schedule waits 1 m, 5 m, 30 m (plus up to 10 % jitter); each step moves past the next.
    for (n, step_ms) in [(2, 70_000), (3, 340_000), (4, 2_000_000)] {
        tellus_tests::poll(&format!("attempt {n}"), Duration::from_secs(30), || {
            if receiver.received().len() >= n {
                return Some(());
            }
            let _ = advance(base, step_ms).and_then(|_| run_cron(base));
            None
        })?;
    }
    let got = wait_received(&receiver, 4, "four attempts")?;
    ensure!(got.len() == 4, "exactly four requests, got {}", got.len());
    let statuses: Vec<u16> = got.iter().map(|r| r.answered).collect();
    ensure!(statuses == [500, 500, 500, 200], "{statuses:?}");
    let first_id = got[0].header("webhook-id").unwrap_or_default();
    ensure!(first_id.starts_with("msg_") && got.iter().all(|r| r.header("webhook-id") == Some(first_id)));
    ensure!(got.iter().all(|r| r.body == got[0].body), "every retry sends the same body");
    verify(&secret, &got[3])?;

    let log = tellus_tests::poll("the log to show delivered", Duration::from_secs(10), || {
        let log = deliveries(base, &site, &endpoint).ok()?;
        (log.len() == 1 && log[0]["state"] == "delivered").then_some(log)
    })?;
    ensure!(log[0]["id"] == first_id && log[0]["attempts"] == 4 && log[0]["last_status"] == 200, "{:?}", log);
    ensure!(log[0]["latency_ms"].is_u64() && log[0]["next_attempt_at"].is_null(), "{:?}", log);
    let detail = owner(base, &site, "GET", &format!("/callbacks/{endpoint}/deliveries/{first_id}"), None)?.json();
    let attempts: Vec<u64> =
        detail["attempt_log"].as_array().into_iter().flatten().filter_map(|a| a["status"].as_u64()).collect();
    ensure!(attempts == [500, 500, 500, 200], "{detail}");
    Ok(())
}

/// The receiver is down when the failure arrives, then the Worker restarts (a second process on
/// the same stored state), then the receiver comes back: the cron delivers the message.
fn a_delivery_survives_the_receiver_down_and_the_worker_restarting(_ctx: &Ctx) -> Result<()> {
    let persist_dir = std::env::temp_dir().join(format!("tellus-e2e-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&persist_dir);
    let start = |log: &str| -> Result<LocalWorker> {
        LocalWorker::start(Options {
            port: free_port()?,
            persist_dir: persist_dir.clone(),
            own_process_group: true,
            expose_kv_ops: false,
            log_kv_writes: false,
            log: Some(paths::artifacts().join(log)),
        })
    };
    let mut receiver = Receiver::start(Vec::new())?;
    let url = receiver.url("/down-then-up");
    receiver.stop();

    let mut first = start("wrangler-restart-1.log")?;
    let base = first.base_url.clone();
    let answer = http::post_json(
        &format!("{base}/v1/sites"),
        &[("authorization", &format!("Bearer {ADMIN_TOKEN}"))],
        &json!({"name": "Restart shop", "allowed_origins": [base]}),
    )?;
    ensure!(answer.status == 201, "{}", answer.body);
    let site = TestSite {
        id: answer.json()["id"].as_str().unwrap_or_default().into(),
        owner_key: answer.json()["owner_key"].as_str().unwrap_or_default().into(),
    };
    let (endpoint, secret) = register(&base, &site, &url, &[FAILURE], "standard")?;
    submit_at(&base, &site, 0, &json!({"rating": 1, "comment": "Nobody answered the phone"}))?;
    let log = tellus_tests::poll("the failed first attempt", Duration::from_secs(20), || {
        let log = deliveries(&base, &site, &endpoint).ok()?;
        (log.len() == 1 && log[0]["attempts"] == 1).then_some(log)
    })?;
    ensure!(log[0]["state"] == "pending" && log[0]["next_attempt_at"].is_string(), "{log:?}");
    first.stop();

    let second = start("wrangler-restart-2.log")?;
    let base = second.base_url.clone();
    let receiver = receiver.restart()?;
    advance(&base, 2 * 60_000)?;
    run_cron(&base)?;
    let got = wait_received(&receiver, 1, "the delivery after the restart")?;
    let payload = verify(&secret, &got[0])?;
    ensure!(payload["data"]["comment"] == "Nobody answered the phone", "{payload}");
    let log = deliveries(&base, &site, &endpoint)?;
    ensure!(log[0]["state"] == "delivered" && log[0]["attempts"] == 2, "{log:?}");
    drop(second);
    let _ = std::fs::remove_dir_all(&persist_dir);
    Ok(())
}

/// A failure nobody acknowledges fires `failure.overdue` once its acknowledge SLA has passed;
/// once fixed, `failure.fixed` arrives and no overdue callback follows, however late it gets.
fn an_overdue_failure_fires_and_stops_once_fixed(ctx: &Ctx) -> Result<()> {
    let _clock = take_clock();
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(Vec::new())?;
    let site = ctx.create_site(json!({"sla": {"acknowledge_minutes": 1, "fix_minutes": 10}}))?;
    register(base, &site, &receiver.url("/overdue"), &["failure.overdue", "failure.fixed"], "standard")?;
    let id = submit_at(base, &site, offset(base)?, &json!({"rating": 1}))?;

    advance(base, 65_000)?;
    run_cron(base)?;
    let got = wait_received(&receiver, 1, "failure.overdue")?;
    let overdue = got[0].json();
    ensure!(overdue["type"] == "failure.overdue" && overdue["data"]["entry_id"] == id.as_str(), "{overdue}");
    ensure!(overdue["data"]["overdue"] == json!({"clock": "acknowledge", "multiple": 1}), "{overdue}");
    ensure!(overdue["data"]["sla"]["state"] == "acknowledge_overdue", "{overdue}");

    let fixed = owner(base, &site, "POST", &format!("/entries/{id}/fix"), Some(json!({"note": "Called back"})))?;
    ensure!(fixed.status == 200, "{}", fixed.body);
    let got = wait_received(&receiver, 2, "failure.fixed")?;
    ensure!(got[1].json()["type"] == "failure.fixed" && got[1].json()["data"]["fix_note"] == "Called back");

    // Well past 8× both SLAs: the escalation has ended.
    for _ in 0..3 {
        advance(base, 30 * 60_000)?;
        run_cron(base)?;
    }
    let types: Vec<String> =
        receiver.received().iter().map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned()).collect();
    ensure!(types == ["failure.overdue", "failure.fixed"], "{types:?}");
    Ok(())
}

/// The report of a failure failed once and has a retry scheduled; the owner fixes it in the
/// meantime: the retry is cancelled, never sent.
fn a_fix_cancels_a_scheduled_retry_of_the_report(ctx: &Ctx) -> Result<()> {
    let _clock = take_clock();
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(vec![Reply::status(503)])?;
    let site = ctx.create_site(json!({}))?;
    let (endpoint, _) = register(base, &site, &receiver.url("/r"), &[FAILURE], "standard")?;
    let id = submit_at(base, &site, offset(base)?, &json!({"rating": 2}))?;
    wait_received(&receiver, 1, "the first attempt")?;
    let fixed = owner(base, &site, "POST", &format!("/entries/{id}/fix"), None)?;
    ensure!(fixed.status == 200, "{}", fixed.body);
    let log = tellus_tests::poll("the delivery to be cancelled", Duration::from_secs(20), || {
        let _ = advance(base, 2 * 60_000).and_then(|_| run_cron(base));
        let log = deliveries(base, &site, &endpoint).ok()?;
        (log.len() == 1 && log[0]["state"] == "cancelled").then_some(log)
    })?;
    ensure!(log[0]["attempts"] == 1, "{log:?}");
    ensure!(receiver.received().len() == 1, "the retry was never sent");
    Ok(())
}

/// A receiver that answers 410 Gone disables its endpoint: later events skip it (another
/// endpoint still gets them). A replay that succeeds makes it active again.
fn a_410_disables_the_endpoint_until_a_replay_succeeds(ctx: &Ctx) -> Result<()> {
    let base = ctx.worker.base_url.as_str();
    let gone = Receiver::start(vec![Reply::status(410)])?;
    let witness = Receiver::start(Vec::new())?;
    let site = ctx.create_site(json!({}))?;
    let (endpoint, _) = register(base, &site, &gone.url("/gone"), &[FAILURE], "standard")?;
    register(base, &site, &witness.url("/witness"), &[FAILURE], "standard")?;
    ctx.submit(&site, &json!({"rating": 1}))?;
    wait_received(&witness, 1, "the first failure at the witness")?;
    ensure!(gone.received().len() == 1 && gone.received()[0].answered == 410);
    tellus_tests::poll("the endpoint to be disabled", Duration::from_secs(10), || {
        (endpoint_status(base, &site, &endpoint).ok()? == "disabled").then_some(())
    })?;

    ctx.submit(&site, &json!({"rating": 1}))?;
    wait_received(&witness, 2, "the second failure at the witness")?;
    ensure!(gone.received().len() == 1, "a disabled endpoint gets nothing");

    let log = deliveries(base, &site, &endpoint)?;
    ensure!(log.len() == 1 && log[0]["state"] == "failed" && log[0]["last_status"] == 410, "{log:?}");
    let id = log[0]["id"].as_str().unwrap_or_default();
    let replayed = owner(base, &site, "POST", &format!("/callbacks/{endpoint}/deliveries/{id}/replay"), None)?;
    ensure!(replayed.status == 200 && replayed.json()["state"] == "delivered", "{}", replayed.body);
    ensure!(replayed.json()["attempt_log"][1]["replay"] == true, "{}", replayed.body);
    ensure!(gone.received().len() == 2 && gone.received()[1].header("webhook-id") == Some(id));
    ensure!(endpoint_status(base, &site, &endpoint)? == "active");
    let again = owner(base, &site, "POST", &format!("/callbacks/{endpoint}/deliveries/{id}/replay"), None)?;
    ensure!(again.status == 409, "only failed deliveries are replayed: {}", again.body);
    Ok(())
}

/// A receiver slower than the timeout counts as a failed attempt, with a retry scheduled.
fn a_slow_receiver_counts_as_a_failed_attempt(ctx: &Ctx) -> Result<()> {
    let _clock = take_clock(); // no cron run may retry it while we look
    let base = ctx.worker.base_url.as_str();
    let slow = Duration::from_millis(LOCAL_CALLBACK_TIMEOUT_MS + 3_000);
    let receiver = Receiver::start(vec![Reply::slow(200, slow)])?;
    let site = ctx.create_site(json!({}))?;
    let (endpoint, _) = register(base, &site, &receiver.url("/slow"), &[FAILURE], "standard")?;
    ctx.submit(&site, &json!({"rating": 1}))?;
    let log = tellus_tests::poll("the timed-out attempt in the log", Duration::from_secs(30), || {
        let log = deliveries(base, &site, &endpoint).ok()?;
        (log.len() == 1 && log[0]["attempts"] == 1).then_some(log)
    })?;
    ensure!(log[0]["state"] == "pending" && log[0]["next_attempt_at"].is_string(), "{log:?}");
    ensure!(log[0]["last_status"].is_null(), "{log:?}");
    let id = log[0]["id"].as_str().unwrap_or_default();
    let detail = owner(base, &site, "GET", &format!("/callbacks/{endpoint}/deliveries/{id}"), None)?.json();
    let error = detail["attempt_log"][0]["error"].as_str().unwrap_or_default();
    ensure!(error.contains("no answer within"), "{detail}");
    Ok(())
}

/// Praise reaches only the endpoints subscribed to `praise.received`; failures only theirs.
fn praise_goes_only_to_endpoints_subscribed_to_it(ctx: &Ctx) -> Result<()> {
    let base = ctx.worker.base_url.as_str();
    let praise = Receiver::start(Vec::new())?;
    let failures = Receiver::start(Vec::new())?;
    let site = ctx.create_site(json!({}))?;
    let (_, praise_secret) = register(base, &site, &praise.url("/praise"), &["praise.received"], "slack")?;
    register(base, &site, &failures.url("/failures"), &[FAILURE], "standard")?;
    ctx.submit(&site, &json!({"rating": 5, "comment": "Lovely staff"}))?;
    let got = wait_received(&praise, 1, "praise.received")?;
    let text = got[0].json()["text"].as_str().unwrap_or_default().to_owned();
    ensure!(text.contains("Praise") && text.contains("Lovely staff") && text.contains("Open the entry"), "{text}");
    verify(&praise_secret, &got[0])?;
    ctx.submit(&site, &json!({"rating": 1}))?;
    let got = wait_received(&failures, 1, "failure.reported")?;
    ensure!(got[0].json()["type"] == FAILURE, "{}", got[0].body);
    ctx.submit(&site, &json!({"rating": 3}))?; // neutral: nobody hears about it
    ctx.submit(&site, &json!({"rating": 2}))?;
    wait_received(&failures, 2, "the second failure")?;
    ensure!(praise.received().len() == 1 && failures.received().len() == 2);
    Ok(())
}

/// A receiver that never accepts gets 13 attempts over more than three days of (test) time;
/// then the delivery is failed and the endpoint is marked failing for the owner to see.
fn a_delivery_out_of_retries_marks_the_endpoint_failing(ctx: &Ctx) -> Result<()> {
    let _clock = take_clock();
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(vec![Reply::status(500); 20])?;
    let site = ctx.create_site(json!({}))?;
    let (endpoint, _) = register(base, &site, &receiver.url("/never"), &[FAILURE], "standard")?;
    submit_at(base, &site, offset(base)?, &json!({"rating": 1}))?;
    wait_received(&receiver, 1, "the first attempt")?;
    let log = tellus_tests::poll("the delivery to run out of retries", Duration::from_secs(60), || {
        let log = deliveries(base, &site, &endpoint).ok()?;
        if log.first().is_some_and(|d| d["state"] == "failed") {
            return Some(log);
        }
        // Longer than the longest wait (10 h + 10 % jitter): one attempt per cron run.
        let _ = advance(base, 11 * 3_600_000).and_then(|_| run_cron(base));
        None
    })?;
    ensure!(log[0]["attempts"] == 13 && log[0]["next_attempt_at"].is_null(), "{log:?}");
    ensure!(receiver.received().len() == 13, "{} requests", receiver.received().len());
    ensure!(endpoint_status(base, &site, &endpoint)? == "failing");
    Ok(())
}

/// A receiver that answers with a redirect is not followed there: the attempt counts as failed
/// and is retried at the same address.
fn a_redirect_is_a_failed_attempt_and_is_not_followed(ctx: &Ctx) -> Result<()> {
    let _clock = take_clock(); // no cron run may retry it while we look
    let base = ctx.worker.base_url.as_str();
    let elsewhere = Receiver::start(Vec::new())?;
    let redirect = Reply { headers: vec![("location".into(), elsewhere.url("/x"))], ..Reply::status(302) };
    let receiver = Receiver::start(vec![redirect])?;
    let site = ctx.create_site(json!({}))?;
    let (endpoint, _) = register(base, &site, &receiver.url("/moved"), &[FAILURE], "standard")?;
    ctx.submit(&site, &json!({"rating": 1}))?;
    let log = tellus_tests::poll("the redirected attempt in the log", Duration::from_secs(20), || {
        let log = deliveries(base, &site, &endpoint).ok()?;
        (log.len() == 1 && log[0]["attempts"] == 1).then_some(log)
    })?;
    ensure!(log[0]["last_status"] == 302 && log[0]["state"] == "pending", "{log:?}");
    ensure!(elsewhere.received().is_empty(), "the redirect was followed");
    Ok(())
}

/// A busy receiver (429 with `Retry-After: 7200`) is left alone for two hours, not retried after
/// the usual minute.
fn retry_after_from_a_busy_receiver_is_honoured(ctx: &Ctx) -> Result<()> {
    let _clock = take_clock();
    let base = ctx.worker.base_url.as_str();
    // Two hours, as delta-seconds and as an HTTP date (made by `date`, in the C locale).
    let in_two_hours = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() + 7_200;
    let date = Command::new("date")
        .env("LC_ALL", "C")
        .args(["-u", "-d", &format!("@{in_two_hours}"), "+%a, %d %b %Y %H:%M:%S GMT"])
        .output()?;
    let date = String::from_utf8(date.stdout)?.trim().to_owned();
    for retry_after in ["7200".to_owned(), date] {
        let busy = Reply { headers: vec![("retry-after".into(), retry_after.clone())], ..Reply::status(429) };
        let receiver = Receiver::start(vec![busy])?;
        let site = ctx.create_site(json!({}))?;
        register(base, &site, &receiver.url("/busy"), &[FAILURE], "standard")?;
        submit_at(base, &site, offset(base)?, &json!({"rating": 1}))?;
        wait_received(&receiver, 1, "the first attempt")?;
        advance(base, 30 * 60_000)?;
        run_cron(base)?;
        ensure!(receiver.received().len() == 1, "retried before Retry-After: {retry_after} passed");
        advance(base, 95 * 60_000)?;
        run_cron(base)?;
        let got = wait_received(&receiver, 2, "the attempt after Retry-After")?;
        ensure!(got[1].answered == 200 && got[1].header("webhook-id") == got[0].header("webhook-id"));
    }
    Ok(())
}

/// The Worker answers a customer (and later the owner's fix) and stops before its work after
/// the answer runs (the test header drops that work, as a restart would). The promise it wrote
/// before the entry makes the cron send `failure.reported` and `failure.fixed` anyway, once
/// each, and the failure is listed open until fixed.
fn a_report_and_a_fix_survive_the_worker_stopping_right_after_answering(ctx: &Ctx) -> Result<()> {
    let _clock = take_clock();
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(Vec::new())?;
    let site = ctx.create_site(json!({}))?;
    register(base, &site, &receiver.url("/promised"), &[FAILURE, "failure.fixed"], "standard")?;
    let drop = ("x-tellus-test-drop-deferred", "1");
    let offset_now = offset(base)?.to_string();
    let answer = http::post_json(
        &format!("{base}/v1/sites/{}/feedback", site.id),
        &[("origin", base), ("x-tellus-test-now-offset-ms", &offset_now), drop],
        &json!({"rating": 1, "comment": "Nobody came"}),
    )?;
    ensure!(answer.status == 201, "{}", answer.body);
    let id = answer.json()["id"].as_str().unwrap_or_default().to_owned();
    let open = owner(base, &site, "GET", "/entries?status=open", None)?;
    ensure!(open.json()["entries"].as_array().is_some_and(|e| e.len() == 1), "{}", open.body);

    // Past the promise's lease: the cron does what the stopped invocation did not.
    let reported = tellus_tests::poll("the recovered failure.reported", Duration::from_secs(20), || {
        let _ = advance(base, 3 * 60_000).and_then(|_| run_cron(base));
        let got = receiver.received();
        (!got.is_empty()).then_some(got)
    })?;
    ensure!(reported[0].json()["type"] == FAILURE && reported[0].json()["data"]["entry_id"] == id.as_str());

    let auth = format!("Bearer {}", site.owner_key);
    let fixed = http::send(
        "POST",
        &format!("{base}/v1/sites/{}/entries/{id}/fix", site.id),
        &[("authorization", auth.as_str()), drop],
        None,
    )?;
    ensure!(fixed.status == 200, "{}", fixed.body);
    let got = tellus_tests::poll("the recovered failure.fixed", Duration::from_secs(20), || {
        let _ = advance(base, 3 * 60_000).and_then(|_| run_cron(base));
        let got = receiver.received();
        (got.len() >= 2).then_some(got)
    })?;
    ensure!(got[1].json()["type"] == "failure.fixed" && got[1].json()["data"]["entry_id"] == id.as_str());

    // Done once: more cron runs send nothing more.
    for _ in 0..3 {
        advance(base, 3 * 60_000)?;
        run_cron(base)?;
    }
    let types: Vec<String> =
        receiver.received().iter().map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned()).collect();
    ensure!(types == [FAILURE, "failure.fixed"], "{types:?}");
    Ok(())
}

/// One event, two endpoints: the first registered answers slowly (within the timeout), the
/// second at once. The second gets its callback while the first is still answering (its
/// attempt is not recorded yet), so one slow receiver does not hold up the others.
fn a_slow_receiver_does_not_hold_up_the_other_endpoints(ctx: &Ctx) -> Result<()> {
    let base = ctx.worker.base_url.as_str();
    let slow_reply = Duration::from_millis(LOCAL_CALLBACK_TIMEOUT_MS * 2 / 3);
    let slow = Receiver::start(vec![Reply::slow(200, slow_reply)])?;
    let fast = Receiver::start(Vec::new())?;
    let site = ctx.create_site(json!({}))?;
    let (slow_endpoint, _) = register(base, &site, &slow.url("/slow"), &[FAILURE], "standard")?;
    register(base, &site, &fast.url("/fast"), &[FAILURE], "standard")?;
    let answer = ctx.submit(&site, &json!({"rating": 1}))?;
    ensure!(answer.status == 201, "{}", answer.body);
    wait_received(&fast, 1, "the fast endpoint's callback")?;
    let slow_log = deliveries(base, &site, &slow_endpoint)?;
    ensure!(slow_log.is_empty(), "the fast endpoint waited for the slow one: {slow_log:?}");
    let slow_log = tellus_tests::poll("the slow endpoint's attempt", Duration::from_secs(20), || {
        deliveries(base, &site, &slow_endpoint).ok().filter(|log| !log.is_empty())
    })?;
    ensure!(slow_log[0]["state"] == "delivered", "{slow_log:?}");
    Ok(())
}
