//! `openapi.yaml` is kept true: the operations it lists are the route table's (`tellus_core::
//! http::routes`), every documented operation answers with a documented status and a body that
//! validates against its schema, and the limits it states are the API's: a request the document
//! allows is never refused as invalid, and one just past a documented limit is refused. The
//! route table's 405s and the pages' headers are checked on the live Worker too.

use crate::{Ctx, TestFn};
use anyhow::{Context, Result, bail, ensure};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tellus_core::http::routes::{self, Method, ROUTES, Surface};
use tellus_tests::http::{self, Answer};
use tellus_tests::receiver::{Receiver, Reply};
use tellus_tests::schema;
use tellus_tests::worker_process::ADMIN_TOKEN;
use tellus_tests::{paths, poll};

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    every_route_is_documented_and_every_documented_route_exists,
    every_operation_answers_as_documented,
    every_example_and_boundary_answers_as_documented,
    every_path_refuses_other_methods_with_its_allow,
    html_pages_share_their_headers_and_form_rules,
];

fn document() -> Result<Value> {
    let text = std::fs::read_to_string(paths::root().join("openapi.yaml"))?;
    serde_yaml::from_str(&text).context("openapi.yaml is not valid YAML")
}

const METHODS: [&str; 5] = ["get", "post", "patch", "delete", "options"];

/// `(METHOD, /v1/sites/{site}/…)` for every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if item.get(method).is_some() {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// `(METHOD, path)` for every `/v1` route of the table (the test protocol is not the API).
fn served() -> BTreeSet<(String, String)> {
    ROUTES
        .iter()
        .filter(|spec| spec.surface() == Surface::Api)
        .map(|spec| (spec.method.as_str().to_owned(), spec.path()))
        .collect()
}

/// The document and the route table list the same operations, with the same parameter names,
/// and the document uses only what the schema checker implements.
fn every_route_is_documented_and_every_documented_route_exists(_ctx: &Ctx) -> Result<()> {
    let doc = document()?;
    let unsupported = schema::unsupported(&doc);
    ensure!(unsupported.is_empty(), "the schema checker cannot read: {unsupported:#?}");
    let documented = documented(&doc);
    let served = served();
    ensure!(served.len() > 20, "found only {} API routes in the table: {served:?}", served.len());
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

fn fixture(ctx: &Ctx, receiver: &Receiver, settings: Value) -> Result<Fixture> {
    let site = ctx.create_site(settings)?;
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

/// Destructive operations last, key rotation at the very end; a fix before the re-rating it
/// allows; the settings change after everything that reads them.
fn order(method: &str, path: &str) -> u8 {
    match (method, path) {
        (_, p) if p.ends_with("/owner-key") => 5,
        ("delete", _) => 4,
        ("patch", _) => 3,
        (_, p) if p.ends_with("/rerate") => 2,
        _ => 1,
    }
}

/// The documented example of an operation's JSON body, with the live receipt token where the
/// example can only show a placeholder.
fn example_body(op: &Value, fx: &Fixture) -> Option<Value> {
    let mut body = op.pointer("/requestBody/content/application~1json/example")?.clone();
    if let Some(token) = body.get_mut("token") {
        *token = Value::String(fx.token.clone());
    }
    Some(body)
}

/// A distinct client address per public write, so the rate limiter never answers in the
/// contract's place (the address is only a header; nothing is sent anywhere but the Worker).
fn next_client() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("2001:db8::c:{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Every documented operation, called on live data with its documented example, answers with a
/// documented status and a body that validates against the documented schema; owner operations
/// refuse a missing key with a documented 401.
fn every_operation_answers_as_documented(ctx: &Ctx) -> Result<()> {
    let doc = document()?;
    let receiver = Receiver::start(vec![Reply::status(500); 50])?;
    let mut fx = fixture(
        ctx,
        &receiver,
        json!({"review_links": [{"id": "google", "label": "Google", "url": "https://g.example/r"}]}),
    )?;
    let mut operations = operations(&doc);
    operations.sort_by_key(|(method, path, _)| (order(method, path), path.clone(), method.clone()));
    let mut checked = 0;
    for (method, path, op) in operations {
        let url = ctx.url(&format!("{}{}", live_path(&path, &fx), receipt_query(&path, &fx)));
        let security = security_of(&op);
        let auth = auth_for(security.as_deref(), &fx);
        let body = example_body(&op, &fx);
        let what = format!("{} {path}", method.to_uppercase());
        let answer = send(ctx, &method, &url, auth.as_deref(), body.as_ref())?;
        conforms(&doc, &op, &answer, &what)?;
        if body.is_some() {
            ensure!((200..300).contains(&answer.status), "{what}: the documented example is refused: {}", answer.body);
        }
        if security.is_some() {
            let refused = send(ctx, &method, &url, None, body.as_ref())?;
            ensure!(refused.status == 401, "{what} without a key: {}", refused.status);
            conforms(&doc, &op, &refused, &format!("{what} without a key"))?;
        }
        if path.ends_with("/owner-key") && answer.status == 200 {
            fx.owner_key = answer.json()["owner_key"].as_str().unwrap_or_default().to_owned();
        }
        checked += 1;
    }
    ensure!(checked > 20, "only {checked} operations checked");
    Ok(())
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let mut op = op.clone();
                // Path-level parameters apply to every operation under the path.
                let mut parameters: Vec<Value> = item["parameters"].as_array().cloned().unwrap_or_default();
                parameters.extend(op["parameters"].as_array().cloned().unwrap_or_default());
                op["parameters"] = Value::Array(parameters);
                operations.push((method.to_owned(), path.clone(), op));
            }
        }
    }
    operations
}

fn live_path(path: &str, fx: &Fixture) -> String {
    path.replace("{site}", &fx.site)
        .replace("{entry}", &fx.entry)
        .replace("{endpoint}", &fx.endpoint)
        .replace("{delivery}", &fx.delivery)
}

fn receipt_query(path: &str, fx: &Fixture) -> String {
    if path.ends_with("/receipts/{entry}") { format!("?token={}", fx.token) } else { String::new() }
}

fn security_of(op: &Value) -> Option<String> {
    op["security"][0].as_object().and_then(|s| s.keys().next().cloned())
}

fn auth_for(security: Option<&str>, fx: &Fixture) -> Option<String> {
    match security {
        Some("owner") => Some(format!("Bearer {}", fx.owner_key)),
        Some("operator") => Some(format!("Bearer {ADMIN_TOKEN}")),
        _ => None,
    }
}

/// One call as the widget (origin, client address) or the owner's code (bearer key) makes it.
fn send(ctx: &Ctx, method: &str, url: &str, auth: Option<&str>, body: Option<&Value>) -> Result<Answer> {
    let bytes = body.map(serde_json::to_vec).transpose()?;
    send_raw(ctx, method, url, auth, bytes.as_deref(), "application/json")
}

fn send_raw(
    ctx: &Ctx,
    method: &str,
    url: &str,
    auth: Option<&str>,
    body: Option<&[u8]>,
    content_type: &str,
) -> Result<Answer> {
    let origin = ctx.worker.base_url.clone();
    let client = next_client();
    let mut headers: Vec<(&str, &str)> = vec![("origin", origin.as_str()), ("cf-connecting-ip", client.as_str())];
    if let Some(auth) = auth {
        headers.push(("authorization", auth));
    }
    if body.is_some() {
        headers.push(("content-type", content_type));
    }
    http::send(&method.to_uppercase(), url, &headers, body)
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

/// One value the boundary check sends: what it changes, and the value (the document's checker
/// says whether it is allowed).
struct Case {
    what: String,
    value: Value,
}

/// A `$ref` with its sibling keywords, as one map (enough to read the limits from; the checker
/// applies both exactly).
fn flatten(schema: &Value, doc: &Value) -> Map<String, Value> {
    let mut map = schema.as_object().cloned().unwrap_or_default();
    if let Some(target) = map.remove("$ref").and_then(|r| r.as_str().and_then(|r| doc.pointer(&r[1..])).cloned()) {
        let mut merged = flatten(&target, doc);
        merged.extend(map);
        return merged;
    }
    map
}

/// `base` grown or cut to `chars` characters by repeating `filler` at one place (its end, its
/// start or after `://`), or `None` when no such place keeps it valid at that length.
fn resized(base: &str, chars: usize, schema: &Value, doc: &Value) -> Option<(String, String)> {
    let current = base.chars().count();
    for filler in ['x', '-', '0', 'a'] {
        for place in ["end", "start", "host"] {
            let make = |n: usize| -> Option<String> {
                if n < current {
                    return (place == "end").then(|| base.chars().take(n).collect());
                }
                let pad: String = std::iter::repeat_n(filler, n - current).collect();
                match place {
                    "end" => Some(format!("{base}{pad}")),
                    "start" => Some(format!("{pad}{base}")),
                    _ => base.split_once("://").map(|(scheme, rest)| format!("{scheme}://{pad}{rest}")),
                }
            };
            if let (Some(at), Some(past)) = (make(chars), make(chars + 1))
                && schema::check(&Value::String(at.clone()), schema, doc).is_empty()
            {
                return Some((at, past));
            }
        }
    }
    None
}

/// Strings tried against a pattern: those the document refuses become refused cases.
const PATTERN_PROBES: [&str; 7] = ["", " ", "a\u{202e}b", "\u{1}", "a b", "?", "https://user@example.com/"];

/// The boundary values of one schema around `base` (a valid value, when there is one).
fn values(schema: &Value, base: Option<&Value>, doc: &Value, at: &str) -> Vec<Case> {
    let map = flatten(schema, doc);
    let mut cases = Vec::new();
    let mut add = |what: String, value: Value| cases.push(Case { what: format!("{at} {what}"), value });
    if map.get("type") == Some(&json!("boolean")) {
        add("= true".into(), json!(true));
        add("= false".into(), json!(false));
    }
    if let Some(options) = map.get("enum").and_then(Value::as_array) {
        for option in options {
            add(format!("= {option}"), option.clone());
        }
        add("not in the enum".into(), json!("not-one-of-them"));
    }
    if let Some(min) = map.get("minimum").and_then(Value::as_i64) {
        add(format!("= minimum {min}"), json!(min));
        add(format!("= minimum - 1 ({})", min - 1), json!(min - 1));
    }
    if let Some(max) = map.get("maximum").and_then(Value::as_i64) {
        add(format!("= maximum {max}"), json!(max));
        add(format!("= maximum + 1 ({})", max + 1), json!(max + 1));
    }
    let base_text = base.and_then(Value::as_str).map(str::to_owned).or_else(|| {
        (map.get("type") == Some(&json!("string")) && !map.contains_key("pattern") && !map.contains_key("format"))
            .then(|| "x".to_owned())
    });
    if let Some(text) = &base_text {
        if let Some(max) = map.get("maxLength").and_then(Value::as_u64)
            && let Some((at_max, past)) = resized(text, max as usize, schema, doc)
        {
            add(format!("of maxLength {max}"), json!(at_max));
            add(format!("one past maxLength {max}"), json!(past));
        }
        if let Some(min) = map.get("minLength").and_then(Value::as_u64).filter(|m| *m > 0)
            && let Some((at_min, _)) = resized(text, min as usize, schema, doc)
        {
            add(format!("of minLength {min}"), json!(at_min));
            let short: String = at_min.chars().take(min as usize - 1).collect();
            add(format!("one short of minLength {min}"), json!(short));
        }
    }
    if map.contains_key("pattern") || map.contains_key("format") {
        for probe in PATTERN_PROBES {
            if !schema::check(&json!(probe), schema, doc).is_empty() {
                add(format!("= {probe:?} (against the pattern)"), json!(probe));
            }
        }
    }
    if map.get("type") == Some(&json!("array"))
        && let Some(item) = base.and_then(|b| b.get(0))
    {
        let item_schema = map.get("items").cloned().unwrap_or(json!({}));
        let list = |n: u64| -> Value { Value::Array((0..n).map(|i| distinct(item, i)).collect()) };
        if let Some(min) = map.get("minItems").and_then(Value::as_u64) {
            add(format!("with minItems {min}"), list(min));
            if min > 0 {
                add(format!("one short of minItems {min}"), list(min - 1));
            }
        }
        if let Some(max) = map.get("maxItems").and_then(Value::as_u64) {
            add(format!("with maxItems {max}"), list(max));
            add(format!("one past maxItems {max}"), list(max + 1));
        }
        for case in values(&item_schema, Some(item), doc, &format!("{at}[0]")) {
            cases.push(Case { what: case.what, value: Value::Array(vec![case.value]) });
        }
    }
    if let (Some(properties), Some(Value::Object(object))) = (map.get("properties").and_then(Value::as_object), base) {
        for case in object_cases(&map, properties, object, doc, at) {
            cases.push(case);
        }
    }
    cases
}

/// The cases of an object: each required field left out, an unknown field, and each field's
/// boundaries with the others as in `object`.
fn object_cases(
    map: &Map<String, Value>,
    properties: &Map<String, Value>,
    object: &Map<String, Value>,
    doc: &Value,
    at: &str,
) -> Vec<Case> {
    let mut cases = Vec::new();
    for name in map.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        let mut without = object.clone();
        without.remove(name);
        cases.push(Case { what: format!("{at} without {name}"), value: Value::Object(without) });
    }
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        let mut extra = object.clone();
        extra.insert("not_a_field".into(), json!(1));
        cases.push(Case { what: format!("{at} with an unknown field"), value: Value::Object(extra) });
    }
    for (name, property) in properties {
        for case in values(property, object.get(name), doc, &format!("{at}.{name}")) {
            let mut changed = object.clone();
            changed.insert(name.clone(), case.value);
            cases.push(Case { what: case.what, value: Value::Object(changed) });
        }
    }
    cases
}

/// The `i`-th copy of a list item, with its `id` made unique (review links' ids must be).
fn distinct(item: &Value, i: u64) -> Value {
    let mut item = item.clone();
    if i > 0
        && let Some(Value::String(id)) = item.get_mut("id")
    {
        id.push_str(&format!("-{i}"));
    }
    item
}

/// What the API may answer to a request the document allows: anything documented but a refusal
/// of the request itself (a state it meets, such as 404, 409 or 429, is fine).
const REFUSALS: [u16; 4] = [400, 413, 415, 422];

/// Each operation's documented example and every documented limit of its body and query, one
/// at a time: on the limit the API does not refuse the request, one past it the API refuses it
/// (with a documented 4xx), and every answer is documented and validates. Bodies in another
/// media type (415) and unreadable bodies (400) get documented answers too.
fn every_example_and_boundary_answers_as_documented(ctx: &Ctx) -> Result<()> {
    let doc = document()?;
    let receiver = Receiver::start(vec![Reply::status(200); 200])?;
    // An NPS site, so the document's rating bounds (0–10) are the site's.
    let links = json!([{"id": "google", "label": "Google", "url": "https://g.example/r"}]);
    let fx = fixture(ctx, &receiver, json!({"scale": "nps", "review_links": links}))?;
    let auth_owner = format!("Bearer {}", fx.owner_key);
    let mut operations = operations(&doc);
    operations.sort_by_key(|(method, path, _)| (order(method, path), path.clone(), method.clone()));
    let (mut allowed_sent, mut refused_sent) = (0, 0);
    for (method, path, op) in operations {
        if matches!(method.as_str(), "delete" | "options") || path.ends_with("/owner-key") {
            continue;
        }
        let security = security_of(&op);
        let auth = auth_for(security.as_deref(), &fx);
        let base_url = ctx.url(&live_path(&path, &fx));
        let name = format!("{} {path}", method.to_uppercase());
        let mut check = |what: &str, query: &str, body: Option<&Value>, allowed: bool| -> Result<()> {
            let url = format!("{base_url}{query}");
            let answer = send(ctx, &method, &url, auth.as_deref(), body)?;
            let what = format!("{name} {what}");
            conforms(&doc, &op, &answer, &what)?;
            if allowed {
                ensure!(
                    !REFUSALS.contains(&answer.status),
                    "{what}: the document allows it, the API refused: {}",
                    answer.body
                );
                allowed_sent += 1;
            } else {
                ensure!(
                    (400..500).contains(&answer.status),
                    "{what}: the document refuses it, the API answered {}: {}",
                    answer.status,
                    answer.body
                );
                refused_sent += 1;
            }
            // A registered endpoint is removed again: a site has at most 10.
            if path.ends_with("/callbacks")
                && answer.status == 201
                && let Some(id) = answer.json()["id"].as_str()
            {
                let gone = http::send("DELETE", &format!("{base_url}/{id}"), &[("authorization", &auth_owner)], None)?;
                ensure!(gone.status == 204, "removing {id}: {}", gone.status);
            }
            Ok(())
        };
        let receipt = receipt_query(&path, &fx);
        // The body: its example, and each limit of its schema.
        let body_schema = op.pointer("/requestBody/content/application~1json/schema").cloned();
        if let (Some(schema), Some(example)) = (&body_schema, example_body(&op, &fx)) {
            let errors = schema::check(&example, schema, &doc);
            ensure!(errors.is_empty(), "{name}: the documented example breaks its schema: {errors:?}");
            check("(the documented example)", &receipt, Some(&example), true)?;
            for case in values(schema, Some(&example), &doc, "body") {
                let allowed = schema::check(&case.value, schema, &doc).is_empty();
                check(&case.what, &receipt, Some(&case.value), allowed)?;
            }
            let url = format!("{base_url}{receipt}");
            let text = send_raw(ctx, &method, &url, auth.as_deref(), Some(b"rating=5"), "text/plain")?;
            ensure!(text.status == 415, "{name} as text/plain: {} {}", text.status, text.body);
            conforms(&doc, &op, &text, &format!("{name} as text/plain"))?;
            let broken = send_raw(ctx, &method, &url, auth.as_deref(), Some(b"{\"rating\":"), "application/json")?;
            ensure!(broken.status == 400, "{name} with broken JSON: {} {}", broken.status, broken.body);
            conforms(&doc, &op, &broken, &format!("{name} with broken JSON"))?;
        }
        // The query: each parameter's limits, one at a time.
        for parameter in op["parameters"].as_array().into_iter().flatten() {
            let parameter = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => doc.pointer(&reference[1..]).cloned().unwrap_or_default(),
                None => parameter.clone(),
            };
            if parameter["in"] != "query" || parameter["name"] == "token" && receipt.is_empty() {
                continue;
            }
            let parameter_name = parameter["name"].as_str().unwrap_or_default();
            let schema = &parameter["schema"];
            let base = match parameter_name {
                "from" | "to" => Some(json!("1970-01-01")),
                "token" => Some(json!(fx.token)),
                _ => None,
            };
            let documented =
                base.iter().map(|value| Case { what: format!("{parameter_name} = {value}"), value: value.clone() });
            for case in documented.chain(values(schema, base.as_ref(), &doc, parameter_name)) {
                let text = match &case.value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                let mut pairs: Vec<String> = receipt
                    .trim_start_matches('?')
                    .split('&')
                    .filter(|p| !p.is_empty() && !p.starts_with(&format!("{parameter_name}=")))
                    .map(str::to_owned)
                    .collect();
                pairs.push(format!("{parameter_name}={}", http::encode_query(&text)));
                let allowed = schema::check(&case.value, schema, &doc).is_empty();
                // A cursor the document allows is one from a previous page; only those are sent.
                if parameter_name == "cursor" && allowed {
                    continue;
                }
                check(&case.what, &format!("?{}", pairs.join("&")), None, allowed)?;
            }
        }
    }
    ensure!(
        allowed_sent > 80 && refused_sent > 80,
        "only {allowed_sent} allowed and {refused_sent} refused cases sent"
    );
    eprintln!("contract: {allowed_sent} allowed and {refused_sent} refused cases answered as documented");
    Ok(())
}

/// Every path of the route table answers any other method, `QUERY` included (which must not be
/// served as GET), with 405 and exactly the table's `Allow`, written as that part of the site
/// writes its errors: a problem on the API, an HTML page on the owner's page and the sign-up
/// form. A path the table does not have is 404.
fn every_path_refuses_other_methods_with_its_allow(ctx: &Ctx) -> Result<()> {
    let options = routes::Options { test_protocol: true };
    let mut seen = BTreeSet::new();
    for spec in ROUTES {
        let path = spec.path().replace("{site}", "contract-site").replace(['{', '}'], "");
        if !seen.insert(path.clone()) {
            continue;
        }
        let segments = routes::segments(&path);
        let allow = routes::allow(&segments, options);
        let refused = Method::ALL.into_iter().filter(|m| !allow.contains(*m)).map(Method::as_str);
        for method in refused.chain(["QUERY", "PUT"]) {
            let answer = http::send(method, &ctx.url(&path), &[], None)?;
            let what = format!("{method} {path}");
            ensure!(answer.status == 405, "{what}: {} {}", answer.status, answer.body);
            ensure!(
                answer.header("allow") == Some(allow.header_value().as_str()),
                "{what}: allow {:?}",
                answer.header("allow")
            );
            let content_type = answer.header("content-type").unwrap_or_default();
            match spec.surface() {
                Surface::Api | Surface::TestProtocol => {
                    ensure!(content_type == "application/problem+json", "{what}: {content_type}");
                    ensure!(answer.json()["type"] == "/problems/method-not-allowed", "{what}: {}", answer.body);
                }
                Surface::OwnerPage | Surface::Page if path != "/demo" => {
                    ensure!(content_type.starts_with("text/html"), "{what}: {content_type}");
                    ensure!(answer.header("x-content-type-options") == Some("nosniff"), "{what}: {:?}", answer.headers);
                }
                _ => {}
            }
        }
    }
    ensure!(seen.len() > 30, "only {} paths", seen.len());
    for missing in ["/v1/sites/contract-site/nothing", "/v1/health/", "/s/contract-site/entries/x/archive"] {
        let answer = http::send("QUERY", &ctx.url(missing), &[], None)?;
        ensure!(answer.status == 404, "QUERY {missing}: {}", answer.status);
    }
    Ok(())
}

/// The sign-up form and the owner's page answer with the same strict headers (`nosniff`
/// included) and read forms alike: the media type in any case, a body over the limit refused
/// before it is stored, another media type refused with a page, not JSON.
fn html_pages_share_their_headers_and_form_rules(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let pages = [ctx.url("/new"), ctx.url(&format!("/s/{}", site.id))];
    let mut policies = Vec::new();
    for page in &pages {
        let answer = http::get(page, &[])?;
        ensure!(answer.status == 200, "{page}: {}", answer.status);
        for header in ["x-content-type-options", "x-frame-options", "referrer-policy", "cache-control"] {
            ensure!(answer.header(header).is_some(), "{page} lacks {header}");
        }
        policies.push(answer.header("content-security-policy").unwrap_or_default().to_owned());
    }
    ensure!(policies[0] == policies[1] && !policies[0].is_empty(), "{policies:?}");

    let form = "name=Shop&allowed_origins=https%3A%2F%2Fshop.example&operator_token=nope";
    let upper = http::send(
        "POST",
        &pages[0],
        &[("content-type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8")],
        Some(form.as_bytes()),
    )?;
    ensure!(upper.status == 401 && upper.body.contains("operator token"), "{} {}", upper.status, upper.body);
    let text = http::send("POST", &pages[0], &[("content-type", "text/plain")], Some(form.as_bytes()))?;
    ensure!(
        text.status == 415 && text.header("content-type").is_some_and(|t| t.starts_with("text/html")),
        "{} {:?}",
        text.status,
        text.headers
    );
    ensure!(text.header("x-content-type-options") == Some("nosniff"));
    let large = format!("{form}&filler={}", "x".repeat(17 * 1024));
    let too_large = http::send(
        "POST",
        &pages[0],
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(large.as_bytes()),
    )?;
    ensure!(too_large.status == 413 && too_large.body.contains("too large"), "{} {}", too_large.status, too_large.body);
    Ok(())
}
