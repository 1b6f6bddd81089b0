//! Callbacks end to end: a real local Worker sends signed webhooks to a real receiver on
//! 127.0.0.1; signatures are checked with the official `standardwebhooks` library (npm). Time is
//! each site's own test clock: requests carry its offset, and the site's desk runs what is due
//! when the test fires its alarm early (`POST /v1/test/sites/{site}/run`), never by waiting
//! minutes. Sites do not share a clock, so these tests run side by side.

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use std::cell::Cell;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tellus_core::protocol::{HEADER_TEST_HOLD_SENDS, HEADER_TEST_NOW_OFFSET};
use tellus_tests::http::{self, Answer};
use tellus_tests::paths;
use tellus_tests::receiver::{Received, Receiver, Reply};
use tellus_tests::worker_process::{ADMIN_TOKEN, LOCAL_CALLBACK_TIMEOUT_MS, LocalWorker, Options, free_port};

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    a_failure_arrives_signed_and_verifies_with_the_official_library,
    registration_is_validated_and_the_secret_is_shown_once,
    a_receiver_failing_three_times_gets_the_same_message_a_fourth_time,
    a_delivery_survives_the_receiver_down_and_the_worker_restarting,
    an_overdue_failure_fires_and_stops_once_fixed,
    a_fix_cancels_a_scheduled_retry_of_the_report,
    a_410_disables_the_endpoint_until_a_replay_succeeds,
    a_slow_receiver_counts_as_a_failed_attempt,
    praise_goes_only_to_endpoints_subscribed_to_it,
    a_delivery_out_of_retries_marks_the_endpoint_failing,
    a_redirect_is_a_failed_attempt_and_is_not_followed,
    retry_after_from_a_busy_receiver_is_honoured,
    a_slow_receiver_does_not_hold_up_the_other_endpoints,
    a_failure_answered_just_before_the_worker_is_killed_arrives_after_the_restart,
    healthy_endpoints_of_twenty_sites_never_wait_behind_dead_ones,
];

const FAILURE: &str = "failure.reported";

fn owner(base: &str, site: &TestSite, method: &str, path: &str, body: Option<Value>) -> Result<Answer> {
    owner_with(base, site, method, path, body, &[])
}

fn owner_with(
    base: &str,
    site: &TestSite,
    method: &str,
    path: &str,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Result<Answer> {
    let auth = format!("Bearer {}", site.owner_key);
    let url = format!("{base}/v1/sites/{}{path}", site.id);
    let mut headers: Vec<(&str, &str)> = vec![("authorization", &auth)];
    headers.extend_from_slice(extra);
    match body {
        Some(body) => {
            let bytes = serde_json::to_vec(&body)?;
            headers.push(("content-type", "application/json"));
            http::send(method, &url, &headers, Some(&bytes))
        }
        None => http::send(method, &url, &headers, None),
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

/// One site's test clock: every request of the test carries its offset, and the site's desk
/// runs its own alarms on the largest offset it has seen.
pub struct Clock<'a> {
    base: &'a str,
    site: &'a TestSite,
    offset_ms: Cell<u64>,
}

impl<'a> Clock<'a> {
    pub fn new(base: &'a str, site: &'a TestSite) -> Clock<'a> {
        Clock { base, site, offset_ms: Cell::new(0) }
    }

    pub fn advance(&self, ms: u64) {
        self.offset_ms.set(self.offset_ms.get() + ms);
    }

    fn offset(&self) -> String {
        self.offset_ms.get().to_string()
    }

    /// Fires the site's desk's alarm now (at the clock's time) and waits for the attempts it
    /// starts; answers the desk's state.
    pub fn run(&self) -> Result<Value> {
        let offset = self.offset();
        let answer = http::send(
            "POST",
            &format!("{}/v1/test/sites/{}/run", self.base, self.site.id),
            &[(HEADER_TEST_NOW_OFFSET, &offset)],
            None,
        )?;
        ensure!(answer.status == 200, "run: {} {}", answer.status, answer.body);
        Ok(answer.json())
    }

    /// Moves the clock on and runs what became due.
    pub fn advance_and_run(&self, ms: u64) -> Result<Value> {
        self.advance(ms);
        self.run()
    }

    /// Submits feedback at the clock's time; answers the entry id.
    pub fn submit(&self, body: &Value) -> Result<String> {
        let offset = self.offset();
        let answer = http::post_json(
            &format!("{}/v1/sites/{}/feedback", self.base, self.site.id),
            &[("origin", self.base), (HEADER_TEST_NOW_OFFSET, &offset)],
            body,
        )?;
        ensure!(answer.status == 201, "submit: {} {}", answer.status, answer.body);
        Ok(answer.json()["id"].as_str().unwrap_or_default().into())
    }

    /// An owner request at the clock's time.
    pub fn owner(&self, method: &str, path: &str, body: Option<Value>) -> Result<Answer> {
        let offset = self.offset();
        owner_with(self.base, self.site, method, path, body, &[(HEADER_TEST_NOW_OFFSET, &offset)])
    }
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

/// The event types a receiver got, in order.
fn types(receiver: &Receiver) -> Vec<String> {
    receiver.received().iter().map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned()).collect()
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

/// A Worker of the test's own on a persist directory of its own (for tests that stop, kill
/// and restart it); `port` 0 picks a free one.
fn own_worker(persist_dir: &std::path::Path, port: u16, log: &str) -> Result<LocalWorker> {
    LocalWorker::start(Options {
        port: if port == 0 { free_port()? } else { port },
        persist_dir: persist_dir.to_owned(),
        own_process_group: true,
        expose_kv_ops: false,
        log_kv_writes: false,
        log: Some(paths::artifacts().join(log)),
    })
}

fn create_site_on(base: &str, name: &str) -> Result<TestSite> {
    let answer = http::post_json(
        &format!("{base}/v1/sites"),
        &[("authorization", &format!("Bearer {ADMIN_TOKEN}"))],
        &json!({"name": name, "allowed_origins": [base]}),
    )?;
    ensure!(answer.status == 201, "{}", answer.body);
    Ok(TestSite {
        id: answer.json()["id"].as_str().unwrap_or_default().into(),
        owner_key: answer.json()["owner_key"].as_str().unwrap_or_default().into(),
    })
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
    // The customer's request writes the entry and hands the work to the site's desk; the callback
    // goes out from the desk, not on the customer's time.
    ensure!(
        answer.kv_ops("writes") == Some(1) && answer.kv_ops("do_requests") == Some(1),
        "{:?}",
        answer.header("x-tellus-kv-ops")
    );
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
    ensure!(data["link"].as_str().is_some_and(|l| l.ends_with(&format!("/s/{}/entries/{id}", site.id))), "{payload}");
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
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(vec![Reply::status(500), Reply::status(500), Reply::status(500)])?;
    let site = ctx.create_site(json!({}))?;
    let clock = Clock::new(base, &site);
    let (endpoint, secret) = register(base, &site, &receiver.url("/h"), &[FAILURE], "standard")?;
    clock.submit(&json!({"rating": 1, "comment": "Broken"}))?;
    wait_received(&receiver, 1, "the first attempt")?;

    // The schedule waits 1 m, 5 m, 30 m (plus up to 10 % jitter); each step moves past the next.
    for (n, step_ms) in [(2, 70_000), (3, 340_000), (4, 2_000_000)] {
        clock.advance_and_run(step_ms)?;
        wait_received(&receiver, n, &format!("attempt {n}"))?;
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
/// the same stored state), then the receiver comes back: the site's desk delivers the message.
fn a_delivery_survives_the_receiver_down_and_the_worker_restarting(_ctx: &Ctx) -> Result<()> {
    let persist_dir = std::env::temp_dir().join(format!("tellus-e2e-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&persist_dir);
    let mut receiver = Receiver::start(Vec::new())?;
    let url = receiver.url("/down-then-up");
    receiver.stop();

    let mut first = own_worker(&persist_dir, 0, "wrangler-restart-1.log")?;
    let base = first.base_url.clone();
    let site = create_site_on(&base, "Restart shop")?;
    let (endpoint, secret) = register(&base, &site, &url, &[FAILURE], "standard")?;
    Clock::new(&base, &site).submit(&json!({"rating": 1, "comment": "Nobody answered the phone"}))?;
    let log = tellus_tests::poll("the failed first attempt", Duration::from_secs(20), || {
        let log = deliveries(&base, &site, &endpoint).ok()?;
        (log.len() == 1 && log[0]["attempts"] == 1).then_some(log)
    })?;
    ensure!(log[0]["state"] == "pending" && log[0]["next_attempt_at"].is_string(), "{log:?}");
    first.stop();

    let second = own_worker(&persist_dir, 0, "wrangler-restart-2.log")?;
    let base = second.base_url.clone();
    let receiver = receiver.restart()?;
    Clock::new(&base, &site).advance_and_run(2 * 60_000)?;
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
/// once fixed, `failure.fixed` arrives and no overdue callback follows, however late it gets,
/// and the site's desk has nothing left to do.
fn an_overdue_failure_fires_and_stops_once_fixed(ctx: &Ctx) -> Result<()> {
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(Vec::new())?;
    let site = ctx.create_site(json!({"sla": {"acknowledge_minutes": 1, "fix_minutes": 10}}))?;
    let clock = Clock::new(base, &site);
    register(base, &site, &receiver.url("/overdue"), &["failure.overdue", "failure.fixed"], "standard")?;
    let id = clock.submit(&json!({"rating": 1}))?;

    clock.advance_and_run(65_000)?;
    let got = wait_received(&receiver, 1, "failure.overdue")?;
    let overdue = got[0].json();
    ensure!(overdue["type"] == "failure.overdue" && overdue["data"]["entry_id"] == id.as_str(), "{overdue}");
    ensure!(overdue["data"]["overdue"] == json!({"clock": "acknowledge", "multiple": 1}), "{overdue}");
    ensure!(overdue["data"]["sla"]["state"] == "acknowledge_overdue", "{overdue}");

    let fixed = clock.owner("POST", &format!("/entries/{id}/fix"), Some(json!({"note": "Called back"})))?;
    ensure!(fixed.status == 200, "{}", fixed.body);
    let got = wait_received(&receiver, 2, "failure.fixed")?;
    ensure!(got[1].json()["type"] == "failure.fixed" && got[1].json()["data"]["fix_note"] == "Called back");

    // Well past 8× both SLAs: the escalation has ended.
    let mut desk = Value::Null;
    for _ in 0..3 {
        desk = clock.advance_and_run(30 * 60_000)?;
    }
    ensure!(types(&receiver) == ["failure.overdue", "failure.fixed"], "{:?}", types(&receiver));
    ensure!(desk["unfixed"] == 0 && desk["pending"] == 0, "the desk holds nothing due: {desk}");
    Ok(())
}

/// The report of a failure failed once and has a retry scheduled; the owner fixes it in the
/// meantime: the retry is cancelled at once, never sent.
fn a_fix_cancels_a_scheduled_retry_of_the_report(ctx: &Ctx) -> Result<()> {
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(vec![Reply::status(503)])?;
    let site = ctx.create_site(json!({}))?;
    let clock = Clock::new(base, &site);
    let (endpoint, _) = register(base, &site, &receiver.url("/r"), &[FAILURE], "standard")?;
    let id = clock.submit(&json!({"rating": 2}))?;
    wait_received(&receiver, 1, "the first attempt")?;
    tellus_tests::poll("the first attempt to be recorded", Duration::from_secs(10), || {
        deliveries(base, &site, &endpoint).ok().filter(|log| log.first().is_some_and(|d| d["attempts"] == 1))
    })?;
    let fixed = clock.owner("POST", &format!("/entries/{id}/fix"), None)?;
    ensure!(fixed.status == 200, "{}", fixed.body);
    let log = deliveries(base, &site, &endpoint)?;
    ensure!(log.len() == 1 && log[0]["state"] == "cancelled" && log[0]["attempts"] == 1, "{log:?}");
    clock.advance_and_run(10 * 60_000)?;
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
    ensure!(praise_secret.is_empty(), "a Slack endpoint is not signed, so it gets no secret");
    register(base, &site, &failures.url("/failures"), &[FAILURE], "standard")?;
    ctx.submit(&site, &json!({"rating": 5, "comment": "Lovely staff"}))?;
    let got = wait_received(&praise, 1, "praise.received")?;
    let message = got[0].json();
    let text = message["text"].as_str().unwrap_or_default().to_owned();
    ensure!(text.contains("Praise") && text.contains("Lovely staff"), "{text}");
    ensure!(message["blocks"].as_array().is_some_and(|b| !b.is_empty()), "Block Kit: {message}");
    ensure!(got[0].header("webhook-signature").is_none(), "chat formats are not signed");
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
    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(vec![Reply::status(500); 20])?;
    let site = ctx.create_site(json!({}))?;
    let clock = Clock::new(base, &site);
    let (endpoint, _) = register(base, &site, &receiver.url("/never"), &[FAILURE], "standard")?;
    clock.submit(&json!({"rating": 1}))?;
    wait_received(&receiver, 1, "the first attempt")?;
    let log = tellus_tests::poll("the delivery to run out of retries", Duration::from_secs(60), || {
        let log = deliveries(base, &site, &endpoint).ok()?;
        if log.first().is_some_and(|d| d["state"] == "failed") {
            return Some(log);
        }
        // Longer than the longest wait (10 h + 10 % jitter): one attempt per run.
        let _ = clock.advance_and_run(11 * 3_600_000);
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
        let clock = Clock::new(base, &site);
        let (endpoint, _) = register(base, &site, &receiver.url("/busy"), &[FAILURE], "standard")?;
        clock.submit(&json!({"rating": 1}))?;
        wait_received(&receiver, 1, "the first attempt")?;
        tellus_tests::poll("the first attempt to be recorded", Duration::from_secs(10), || {
            deliveries(base, &site, &endpoint).ok().filter(|log| log.first().is_some_and(|d| d["attempts"] == 1))
        })?;
        clock.advance_and_run(30 * 60_000)?;
        ensure!(receiver.received().len() == 1, "retried before Retry-After: {retry_after} passed");
        clock.advance_and_run(95 * 60_000)?;
        let got = wait_received(&receiver, 2, "the attempt after Retry-After")?;
        ensure!(got[1].answered == 200 && got[1].header("webhook-id") == got[0].header("webhook-id"));
    }
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
    ensure!(
        slow_log.len() == 1 && slow_log[0]["attempts"] == 0,
        "the fast endpoint waited for the slow one: {slow_log:?}"
    );
    let slow_log = tellus_tests::poll("the slow endpoint's attempt", Duration::from_secs(20), || {
        deliveries(base, &site, &slow_endpoint).ok().filter(|log| log.first().is_some_and(|d| d["attempts"] == 1))
    })?;
    ensure!(slow_log[0]["state"] == "delivered", "{slow_log:?}");
    Ok(())
}

/// The Worker answers a customer's failure and is killed at once (SIGKILL, as a crash would),
/// twice: once with the desk's first attempts held back (so nothing was sent before the kill),
/// once as it happens. Started again on the same state, the site's desk delivers on its own
/// alarm: each endpoint gets the report, and every copy it gets carries one `webhook-id`. A fix
/// answered just before a kill is delivered the same way.
fn a_failure_answered_just_before_the_worker_is_killed_arrives_after_the_restart(_ctx: &Ctx) -> Result<()> {
    let persist_dir = std::env::temp_dir().join(format!("tellus-e2e-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&persist_dir);
    let receivers = [Receiver::start(Vec::new())?, Receiver::start(Vec::new())?];
    // The same port each time: the site allows the Worker's own origin.
    let port = free_port()?;
    let mut worker = own_worker(&persist_dir, port, "wrangler-kill-1.log")?;
    let site = create_site_on(&worker.base_url.clone(), "Killed shop")?;
    for (i, receiver) in receivers.iter().enumerate() {
        let base = worker.base_url.clone();
        register(&base, &site, &receiver.url(&format!("/k{i}")), &[FAILURE, "failure.fixed"], "standard")?;
    }
    let mut ids = Vec::new();
    for (round, hold) in [(1, true), (2, false), (3, false)] {
        let base = worker.base_url.clone();
        let answer = if round < 3 {
            let mut headers = vec![("origin", base.as_str())];
            if hold {
                headers.push((HEADER_TEST_HOLD_SENDS, "1"));
            }
            let answer = http::post_json(
                &format!("{base}/v1/sites/{}/feedback", site.id),
                &headers,
                &json!({"rating": 1, "comment": format!("round {round}")}),
            )?;
            ids.push(answer.json()["id"].as_str().unwrap_or_default().to_owned());
            answer
        } else {
            owner(&base, &site, "POST", &format!("/entries/{}/fix", ids[0]), None)?
        };
        ensure!(matches!(answer.status, 200 | 201), "round {round}: {} {}", answer.status, answer.body);
        worker.kill();
        if hold {
            ensure!(receivers.iter().all(|r| r.received().is_empty()), "held attempts went out before the kill");
        }
        worker = own_worker(&persist_dir, port, &format!("wrangler-kill-{}.log", round + 1))?;
        let expected = round.min(2) + usize::from(round == 3);
        for receiver in &receivers {
            // The alarm fires on its own; an attempt cut off mid-flight is retried when its lease
            // ends (the receiver timeout plus 30 s).
            tellus_tests::poll(
                &format!("round {round}'s callback after the restart"),
                Duration::from_secs(90),
                || {
                    let ids: std::collections::BTreeSet<String> =
                        receiver.received().iter().filter_map(|r| r.header("webhook-id").map(str::to_owned)).collect();
                    (ids.len() >= expected).then_some(())
                },
            )?;
        }
    }
    for receiver in &receivers {
        let got = receiver.received();
        let mut by_id: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        for r in &got {
            let entry = r.json()["data"]["entry_id"].as_str().unwrap_or_default().to_owned();
            let kind = r.json()["type"].as_str().unwrap_or_default().to_owned();
            by_id
                .entry(r.header("webhook-id").unwrap_or_default().to_owned())
                .or_default()
                .push(format!("{kind} {entry}"));
        }
        // Three messages (two reports and a fix), each under one id however often it came.
        ensure!(by_id.len() == 3, "{by_id:?}");
        ensure!(by_id.values().all(|copies| copies.iter().all(|c| c == &copies[0])), "{by_id:?}");
        let kinds: std::collections::BTreeSet<&str> =
            by_id.values().map(|copies| copies[0].split(' ').next().unwrap_or_default()).collect();
        ensure!(kinds == [FAILURE, "failure.fixed"].into_iter().collect(), "{kinds:?}");
    }
    drop(worker);
    let _ = std::fs::remove_dir_all(&persist_dir);
    Ok(())
}

/// Twenty sites, each with a healthy endpoint and one that never answers (its requests are held
/// until long after the Worker's timeout), get ten failures each, 200 in all. Every healthy
/// delivery arrives while each site's dead endpoint is still on its first or second attempt:
/// no healthy delivery waits behind a dead one's timeouts, in its own site or another.
fn healthy_endpoints_of_twenty_sites_never_wait_behind_dead_ones(ctx: &Ctx) -> Result<()> {
    let base = ctx.worker.base_url.as_str();
    let healthy = Receiver::start(Vec::new())?;
    // "Never answers": held until long after the Worker's timeout (3 s locally) has given up.
    let dead = Receiver::start_answering(Reply::slow(200, Duration::from_millis(LOCAL_CALLBACK_TIMEOUT_MS * 4)))?;
    let sites: Vec<TestSite> = (0..20).map(|_| ctx.create_site(json!({}))).collect::<Result<_>>()?;
    for (i, site) in sites.iter().enumerate() {
        register(base, site, &dead.url(&format!("/dead/{i}")), &[FAILURE], "standard")?;
        register(base, site, &healthy.url(&format!("/ok/{i}")), &[FAILURE], "standard")?;
    }
    let started = Instant::now();
    // Four customers' browsers at a time, each sending a site's ten failures: a steady load the
    // local Worker serves, not a stampede on the test machine.
    let mut sent_at: Vec<Vec<(String, Instant)>> = Vec::new();
    for batch in sites.chunks(4) {
        std::thread::scope(|scope| -> Result<()> {
            let handles: Vec<_> = batch
                .iter()
                .map(|site| {
                    scope.spawn(move || -> Result<Vec<(String, Instant)>> {
                        let mut sent = Vec::new();
                        for n in 0..10 {
                            let at = Instant::now();
                            let answer = ctx.submit(site, &json!({"rating": 1, "comment": format!("failure {n}")}))?;
                            ensure!(answer.status == 201, "{}", answer.body);
                            sent.push((answer.json()["id"].as_str().unwrap_or_default().to_owned(), at));
                        }
                        Ok(sent)
                    })
                })
                .collect();
            for handle in handles {
                sent_at.push(handle.join().map_err(|_| anyhow::anyhow!("a submitting thread panicked"))??);
            }
            Ok(())
        })?;
    }
    let got = tellus_tests::poll("200 healthy deliveries", Duration::from_secs(60), || {
        let got = healthy.received();
        (got.len() >= 200).then_some(got)
    })?;
    ensure!(got.len() == 200, "{} healthy deliveries", got.len());
    let timeout = Duration::from_millis(LOCAL_CALLBACK_TIMEOUT_MS);
    let mut latencies = Vec::new();
    for (i, sent) in sent_at.iter().enumerate() {
        let ours: Vec<&Received> = got.iter().filter(|r| r.path == format!("/ok/{i}")).collect();
        ensure!(ours.len() == 10, "site {i}: {} healthy deliveries", ours.len());
        for (id, at) in sent {
            let arrived = ours.iter().find(|r| r.json()["data"]["entry_id"] == id.as_str()).context("delivered")?;
            latencies.push(arrived.at.saturating_duration_since(*at).as_millis());
        }
        // A dead endpoint has one attempt in flight at a time, each ending only at the Worker's
        // timeout: had the healthy deliveries waited behind it, the tenth would have come after
        // nine timeouts. So count the dead attempts started before this site's last healthy
        // delivery: no more than the site's submissions took to send allow, plus two.
        let last_healthy = ours.iter().map(|r| r.at).max().unwrap_or(started);
        let span = sent.last().map_or(Duration::ZERO, |(_, at)| at.saturating_duration_since(sent[0].1));
        let allowed = 2 + (span.as_millis() / timeout.as_millis()) as usize;
        let dead_before =
            dead.received().iter().filter(|r| r.path == format!("/dead/{i}") && r.at <= last_healthy).count();
        ensure!(
            dead_before <= allowed,
            "site {i}: {dead_before} dead attempts before its last healthy one (allowed {allowed})"
        );
    }
    latencies.sort_unstable();
    println!(
        "healthy deliveries, submission to arrival: median {} ms, 90th percentile {} ms, max {} ms (200 deliveries, 20 sites)",
        latencies[latencies.len() / 2],
        latencies[latencies.len() * 9 / 10],
        latencies[latencies.len() - 1]
    );
    Ok(())
}
