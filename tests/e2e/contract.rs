//! `openapi.yaml` is kept true: every route the Worker serves is documented and every documented
//! operation answers, with a documented status and a body that validates against its schema.

use crate::{Ctx, TestFn};
use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;
use tellus_tests::http::{self, Answer};
use tellus_tests::receiver::{Receiver, Reply};
use tellus_tests::schema;
use tellus_tests::worker_process::ADMIN_TOKEN;
use tellus_tests::{paths, poll};

pub const TESTS: &[(&str, TestFn)] = &[
    ("contract::every_route_is_documented_and_every_documented_route_exists", every_route_is_documented),
    ("contract::every_operation_answers_as_documented", every_operation_answers_as_documented),
];

fn document() -> Result<Value> {
    let text = std::fs::read_to_string(paths::root().join("openapi.yaml"))?;
    serde_yaml::from_str(&text).context("openapi.yaml is not valid YAML")
}

const METHODS: [&str; 5] = ["get", "post", "patch", "delete", "options"];

/// `(METHOD, /v1/sites/{}/…)` for every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if item.get(method).is_some() {
                out.insert((method.to_uppercase(), normalise(path)));
            }
        }
    }
    out
}

fn normalise(path: &str) -> String {
    path.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/")
}

/// The routes `worker/src/lib.rs` matches: each `["v1", …] =>` arm with the methods its
/// `MethodNotAllowed(…)` names (and the action names of the entry-action arm).
fn served() -> Result<BTreeSet<(String, String)>> {
    let source = std::fs::read_to_string(paths::root().join("worker/src/lib.rs"))?;
    let lines: Vec<&str> = source.lines().collect();
    let mut out = BTreeSet::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if !trimmed.starts_with("[\"v1\"") || !trimmed.contains("] =>") {
            continue;
        }
        let inside = &trimmed[1..trimmed.find(']').context("pattern")?];
        let segments: Vec<&str> = inside.split(", ").collect();
        if segments.get(1) == Some(&"\"test\"") {
            continue; // test-only, absent unless ALLOW_TEST_CLOCK=1
        }
        let mut actions = Vec::new();
        let mut allowed = None;
        for next in &lines[i + 1..] {
            let next = next.trim();
            if let Some(start) = next.find("MethodNotAllowed(\"") {
                let rest = &next[start + "MethodNotAllowed(\"".len()..];
                allowed = rest.split('"').next().map(str::to_owned);
                break;
            }
            if let Some(name) = next.strip_prefix('"').and_then(|n| n.split('"').next())
                && next.contains("=> entries::Action")
            {
                actions.push(name.to_owned());
            }
        }
        let allowed = allowed.with_context(|| format!("no MethodNotAllowed after {trimmed}"))?;
        let paths: Vec<String> = if segments.last() == Some(&"action") {
            actions.iter().map(|a| path_of(&segments[..segments.len() - 1], Some(a))).collect()
        } else {
            vec![path_of(&segments, None)]
        };
        for path in paths {
            for method in allowed.split(", ") {
                out.insert((method.to_owned(), path.clone()));
            }
        }
    }
    Ok(out)
}

fn path_of(segments: &[&str], tail: Option<&str>) -> String {
    let mut parts: Vec<String> = segments
        .iter()
        .map(|s| if s.starts_with('"') { s.trim_matches('"').to_owned() } else { "{}".to_owned() })
        .collect();
    parts.extend(tail.map(str::to_owned));
    format!("/{}", parts.join("/"))
}

/// The document and the router list the same operations.
fn every_route_is_documented(_ctx: &Ctx) -> Result<()> {
    let doc = document()?;
    let documented = documented(&doc);
    let served = served()?;
    ensure!(served.len() > 20, "found only {} routes in worker/src/lib.rs: {served:?}", served.len());
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let phantom: Vec<_> = documented.difference(&served).collect();
    ensure!(undocumented.is_empty(), "served but not in openapi.yaml: {undocumented:?}");
    ensure!(phantom.is_empty(), "in openapi.yaml but not served: {phantom:?}");
    Ok(())
}

/// The live state the operations are exercised on.
struct Fixture {
    site: String,
    owner_key: String,
    entry: String,
    token: String,
    endpoint: String,
    delivery: String,
}

fn fixture(ctx: &Ctx, receiver: &Receiver) -> Result<Fixture> {
    let site =
        ctx.create_site(json!({"review_links": [{"id": "google", "label": "Google", "url": "https://g.example/r"}]}))?;
    let auth = format!("Bearer {}", site.owner_key);
    let created = http::post_json(
        &ctx.url(&format!("/v1/sites/{}/callbacks", site.id)),
        &[("authorization", &auth)],
        &json!({"url": receiver.url("/hook"), "events": ["failure.reported"]}),
    )?;
    ensure!(created.status == 201, "endpoint: {}", created.body);
    let endpoint = created.json()["id"].as_str().unwrap_or_default().to_owned();
    let submitted = ctx.submit(&site, &json!({"rating": 1, "comment": "contract"}))?;
    ensure!(submitted.status == 201, "{}", submitted.body);
    let entry = submitted.json()["id"].as_str().unwrap_or_default().to_owned();
    let token = submitted.json()["receipt_token"].as_str().unwrap_or_default().to_owned();
    let log = ctx.url(&format!("/v1/sites/{}/callbacks/{endpoint}/deliveries", site.id));
    let delivery = poll("a delivery to be logged", Duration::from_secs(20), || {
        let page = http::get(&log, &[("authorization", &auth)]).ok()?.json();
        page["deliveries"][0]["id"].as_str().map(str::to_owned)
    })?;
    Ok(Fixture { site: site.id, owner_key: site.owner_key, entry, token, endpoint, delivery })
}

/// Destructive operations last, key rotation at the very end.
fn order(method: &str, path: &str) -> u8 {
    match (method, path) {
        (_, p) if p.ends_with("/owner-key") => 3,
        ("delete", _) => 2,
        _ => 1,
    }
}

fn sample_body(method: &str, path: &str, fx: &Fixture) -> Option<Value> {
    let body = match (method, path.rsplit('/').next().unwrap_or("")) {
        ("post", "sites") => json!({"name": "Contract shop", "allowed_origins": ["https://contract.example"]}),
        ("patch", "{site}") => json!({"name": "Renamed shop"}),
        ("post", "feedback") => json!({"rating": 5, "comment": "fine"}),
        ("post", "rerate") => json!({"token": fx.token, "rating": 5}),
        ("post", "clicks") => json!({"target": "google"}),
        ("post", "fix") => json!({"note": "done"}),
        ("post", "reply") => json!({"text": "Thank you"}),
        ("post", "assign") => json!({"assignee": "Kadri"}),
        ("post", "note") => json!({"text": "Called back"}),
        ("post", "callbacks") => json!({"url": "https://hooks.example/tellus"}),
        _ => return None,
    };
    Some(body)
}

/// Every documented operation, called on live data, answers with a documented status and a body
/// that validates against the documented schema; owner operations refuse a missing key with a
/// documented 401.
fn every_operation_answers_as_documented(ctx: &Ctx) -> Result<()> {
    let doc = document()?;
    let receiver = Receiver::start(vec![Reply::status(500); 50])?;
    let mut fx = fixture(ctx, &receiver)?;
    let mut operations: Vec<(String, String, Value)> = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                operations.push((method.to_owned(), path.clone(), op.clone()));
            }
        }
    }
    operations.sort_by_key(|(method, path, _)| (order(method, path), path.clone(), method.clone()));
    let origin = ctx.worker.base_url.clone();
    let mut checked = 0;
    for (method, path, op) in operations {
        let url_path = path
            .replace("{site}", &fx.site)
            .replace("{entry}", &fx.entry)
            .replace("{endpoint}", &fx.endpoint)
            .replace("{delivery}", &fx.delivery);
        let query = if path.contains("/receipts/{entry}") && !path.ends_with("rerate") {
            format!("?token={}", fx.token)
        } else {
            String::new()
        };
        let url = ctx.url(&format!("{url_path}{query}"));
        let security = op["security"][0].as_object().and_then(|s| s.keys().next().cloned());
        let auth = match security.as_deref() {
            Some("owner") => Some(format!("Bearer {}", fx.owner_key)),
            Some("operator") => Some(format!("Bearer {ADMIN_TOKEN}")),
            _ => None,
        };
        let body = sample_body(&method, &path, &fx);
        let call = |auth: Option<&str>| -> Result<Answer> {
            let mut headers: Vec<(&str, &str)> = vec![("origin", origin.as_str())];
            if let Some(auth) = auth {
                headers.push(("authorization", auth));
            }
            let bytes = body.as_ref().map(serde_json::to_vec).transpose()?;
            if bytes.is_some() {
                headers.push(("content-type", "application/json"));
            }
            http::send(&method.to_uppercase(), &url, &headers, bytes.as_deref())
        };
        let answer = call(auth.as_deref())?;
        conforms(&doc, &op, &answer, &format!("{} {path}", method.to_uppercase()))?;
        if security.is_some() {
            let refused = call(None)?;
            ensure!(refused.status == 401, "{} {path} without a key: {}", method.to_uppercase(), refused.status);
            conforms(&doc, &op, &refused, &format!("{} {path} without a key", method.to_uppercase()))?;
        }
        if path.ends_with("/owner-key") && answer.status == 200 {
            fx.owner_key = answer.json()["owner_key"].as_str().unwrap_or_default().to_owned();
        }
        checked += 1;
    }
    ensure!(checked > 20, "only {checked} operations checked");
    Ok(())
}

fn conforms(doc: &Value, op: &Value, answer: &Answer, what: &str) -> Result<()> {
    let status = answer.status.to_string();
    let Some(response) = op["responses"].get(&status) else {
        bail!("{what}: status {status} is not documented ({})", answer.body);
    };
    let response = match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => doc.pointer(reference.trim_start_matches('#')).context("response $ref")?,
        None => response,
    };
    let content_type = answer.header("content-type").unwrap_or("").split(';').next().unwrap_or("").trim().to_owned();
    let Some(content) = response.get("content") else {
        ensure!(answer.body.is_empty(), "{what}: undocumented body {}", answer.body);
        return Ok(());
    };
    let media =
        content.get(&content_type).with_context(|| format!("{what}: content type {content_type} is not documented"))?;
    if content_type.ends_with("json") {
        let errors = schema::check(&answer.json(), &media["schema"], doc);
        ensure!(errors.is_empty(), "{what}: {errors:?} in {}", answer.body);
    }
    Ok(())
}
