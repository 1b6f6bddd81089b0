//! The HTTP API against the real local Worker: what a site owner's code and the widget see.

use crate::{Ctx, TestFn};
use anyhow::{Result, ensure};
use serde_json::json;
use tellus_tests::http;

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    submitted_feedback_is_read_back_by_the_owner,
    owner_entries_need_the_owner_key,
    bad_input_gets_problem_json_and_stores_nothing,
    a_replayed_idempotency_key_stores_once,
    copies_of_one_submission_sent_at_once_store_one_entry,
    an_accepted_submission_costs_at_most_2_reads_3_writes,
    the_honeypot_answers_like_success_and_stores_nothing,
    unknown_paths_and_methods_get_problem_json,
    site_creation_needs_the_operator_token,
    the_self_serve_page_creates_a_site_and_shows_the_key_once,
    a_receipt_the_store_cannot_read_is_a_server_error_never_a_404,
];

/// A customer's receipt whose stored entry cannot be read (here: a record that does not decode)
/// is answered 500, which the widget retries later, never 404, which would make the widget
/// forget the receipt for good; the cause is logged. (Before, any failure to load the entry was
/// a 404.) An unknown receipt and a wrong token stay 404.
fn a_receipt_the_store_cannot_read_is_a_server_error_never_a_404(_ctx: &Ctx) -> Result<()> {
    use tellus_tests::{paths, seed};
    const SITE: &str = "receipt-site";
    let dir = paths::root().join(format!("target/e2e-receipt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let persist = dir.join("kv");
    let today = seed::today()?;
    let port = tellus_tests::worker_process::free_port()?;
    let origin = format!("http://127.0.0.1:{port}");
    let mut good = seed::entries(SITE, today, 1).remove(0);
    good.receipt_token = "the-customers-token".into();
    seed::put_site_and_entries(&persist, &dir, SITE, "tlk_receipt-owner", &origin, today, &[good.clone()])?;
    let broken_id = tellus_core::ids::entry_id(good.created_ms + 1, [7; 10]);
    let broken_key = tellus_core::keys::entry(SITE, &broken_id).ok_or_else(|| anyhow::anyhow!("key"))?;
    seed::put_items(&persist, &dir, &[json!({"key": broken_key, "value": "{\"id\": \"half a recor"})])?;
    let log = paths::artifacts().join("wrangler-receipt.log");
    let worker = tellus_tests::worker_process::LocalWorker::start(tellus_tests::worker_process::Options {
        port,
        persist_dir: persist,
        own_process_group: true,
        expose_kv_ops: false,
        log_kv_writes: false,
        log: Some(log.clone()),
    })?;
    let receipt = |id: &str, token: &str| {
        http::get(&worker.url(&format!("/v1/sites/{SITE}/receipts/{id}?token={token}")), &[("origin", origin.as_str())])
    };
    let broken = receipt(&broken_id, "any")?;
    ensure!(broken.status == 500, "an unreadable record: {} {}", broken.status, broken.body);
    ensure!(broken.json()["type"] == "/problems/internal", "{}", broken.body);
    ensure!(receipt(&good.id, "the-customers-token")?.status == 200, "the good receipt");
    ensure!(receipt(&good.id, "wrong")?.status == 404, "a wrong token");
    let unknown = tellus_core::ids::entry_id(good.created_ms + 2, [8; 10]);
    ensure!(receipt(&unknown, "any")?.status == 404, "an unknown receipt");
    let logged = tellus_tests::poll("the cause in the log", std::time::Duration::from_secs(10), || {
        std::fs::read_to_string(&log).ok().filter(|text| text.contains("internal error: json")).map(|_| ())
    });
    ensure!(logged.is_ok(), "the cause was not logged");
    drop(worker);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A customer's rating and comment are stored, and the owner reads exactly that back.
fn submitted_feedback_is_read_back_by_the_owner(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let answer =
        ctx.submit(&site, &json!({"rating": 2, "comment": "The parcel came late", "touchpoint": {"page": "/orders"}}))?;
    ensure!(answer.status == 201, "submit: {} {}", answer.status, answer.body);
    let id = answer.json()["id"].as_str().unwrap_or_default().to_owned();
    ensure!(id.len() == 26, "entry id {id:?}");
    ensure!(answer.json()["kind"] == "failure" && answer.json()["status"] == "open", "{}", answer.body);

    let entries = ctx.entries(&site)?;
    ensure!(entries.len() == 1, "{entries:?}");
    let entry = &entries[0];
    ensure!(entry["id"] == id.as_str());
    ensure!(entry["rating"] == 2 && entry["comment"] == "The parcel came late", "{entry}");
    ensure!(entry["touchpoint"]["page"] == "/orders", "{entry}");
    Ok(())
}

/// Without the site's owner key (or with another site's), entries are refused with 401.
fn owner_entries_need_the_owner_key(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let other = ctx.create_site(json!({}))?;
    let url = ctx.url(&format!("/v1/sites/{}/entries", site.id));
    let wrong = format!("Bearer {}", other.owner_key);
    for headers in [
        vec![],
        vec![("authorization", "Bearer tlk_nope")],
        vec![("authorization", wrong.as_str())],
        vec![("authorization", "Basic xyz")],
    ] {
        let answer = http::get(&url, &headers)?;
        ensure!(answer.status == 401, "{headers:?}: {} {}", answer.status, answer.body);
        ensure!(answer.header("content-type") == Some("application/problem+json"));
        ensure!(answer.json()["type"] == "/problems/unauthorized", "{}", answer.body);
    }
    // An unknown site answers exactly like a wrong key: nothing reveals which sites exist.
    let unknown = http::get(&ctx.url("/v1/sites/nosuchsite/entries"), &[("authorization", "Bearer tlk_nope")])?;
    ensure!(unknown.status == 401 && unknown.body == http::get(&url, &[("authorization", "Bearer tlk_nope")])?.body);
    Ok(())
}

/// Every kind of bad input gets its 4xx problem+json (never a 500) and nothing is stored.
fn bad_input_gets_problem_json_and_stores_nothing(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let feedback = ctx.url(&format!("/v1/sites/{}/feedback", site.id));
    let origin = ("origin", ctx.worker.base_url.as_str());
    let json_type = ("content-type", "application/json");
    let big = format!(r#"{{"rating":3,"comment":"{}"}}"#, "x".repeat(20_000));
    type Case<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, Vec<u8>, u16, &'a str);
    let cases: Vec<Case> = vec![
        ("malformed JSON", feedback.clone(), vec![json_type, origin], b"{\"rating\":".to_vec(), 400, "malformed-body"),
        (
            "bad UTF-8",
            feedback.clone(),
            vec![json_type, origin],
            b"{\"rating\":3,\"comment\":\"\xff\"}".to_vec(),
            400,
            "malformed-body",
        ),
        ("not an object", feedback.clone(), vec![json_type, origin], b"[3]".to_vec(), 400, "malformed-body"),
        ("rating 0", feedback.clone(), vec![json_type, origin], br#"{"rating":0}"#.to_vec(), 422, "validation-failed"),
        ("rating 6", feedback.clone(), vec![json_type, origin], br#"{"rating":6}"#.to_vec(), 422, "validation-failed"),
        (
            "unknown field",
            feedback.clone(),
            vec![json_type, origin],
            br#"{"rating":3,"stars":3}"#.to_vec(),
            422,
            "validation-failed",
        ),
        ("oversized body", feedback.clone(), vec![json_type, origin], big.into_bytes(), 413, "payload-too-large"),
        (
            "wrong content type",
            feedback.clone(),
            vec![("content-type", "text/plain"), origin],
            br#"{"rating":3}"#.to_vec(),
            415,
            "unsupported-media-type",
        ),
        (
            "origin not allowed",
            feedback.clone(),
            vec![json_type, ("origin", "https://evil.example")],
            br#"{"rating":3}"#.to_vec(),
            403,
            "origin-not-allowed",
        ),
        (
            "unknown site",
            ctx.url("/v1/sites/nosuchsite/feedback"),
            vec![json_type, origin],
            br#"{"rating":3}"#.to_vec(),
            404,
            "not-found",
        ),
        (
            "path traversal in id",
            ctx.url("/v1/sites/..%2F..%2Fetc/feedback"),
            vec![json_type, origin],
            br#"{"rating":3}"#.to_vec(),
            404,
            "not-found",
        ),
    ];
    for (what, url, headers, body, status, slug) in cases {
        let answer = http::send("POST", &url, &headers, Some(&body))?;
        ensure!(answer.status == status, "{what}: expected {status}, got {} {}", answer.status, answer.body);
        ensure!(answer.header("content-type") == Some("application/problem+json"), "{what}: {:?}", answer.headers);
        let problem = answer.json();
        ensure!(problem["type"] == format!("/problems/{slug}").as_str(), "{what}: {problem}");
        ensure!(
            problem["status"] == status && problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{what}: {problem}"
        );
    }
    let rating = http::post_json(&feedback, &[origin], &json!({"rating": 6, "comment": 5}))?.json();
    let fields: Vec<&str> =
        rating["errors"].as_array().into_iter().flatten().filter_map(|e| e["field"].as_str()).collect();
    ensure!(fields == ["rating", "comment"], "every bad field is listed: {fields:?}");
    ensure!(ctx.entries(&site)?.is_empty(), "nothing may be stored after bad input");
    Ok(())
}

/// A retry with the same idempotency key returns the first entry's id and stores nothing new.
fn a_replayed_idempotency_key_stores_once(ctx: &Ctx) -> Result<()> {
    // The widget's keys carry their time (a replay is found by reading the entry); other keys
    // are remembered in an `idem:` record.
    for key in [widget_key(1), "retry-key-0001".to_owned()] {
        let site = ctx.create_site(json!({}))?;
        let body = json!({"rating": 5, "comment": "Lovely", "idempotency_key": key});
        let first = ctx.submit(&site, &body)?;
        let second = ctx.submit(&site, &body)?;
        ensure!(first.status == 201 && second.status == 200, "{key}: {} {}", first.status, second.status);
        ensure!(first.json()["id"] == second.json()["id"] && second.json()["duplicate"] == true, "{key}");
        let token = first.json()["receipt_token"].as_str().unwrap_or_default().to_owned();
        ensure!(!token.is_empty() && second.json()["receipt_token"] == token.as_str(), "{key}: the same receipt");
        ensure!(ctx.entries(&site)?.len() == 1, "{key}");
    }
    Ok(())
}

/// Eight copies of one submission (as from tabs sending the same saved entry) released at the
/// same moment: every copy is answered with the same entry, and one entry is stored.
fn copies_of_one_submission_sent_at_once_store_one_entry(ctx: &Ctx) -> Result<()> {
    const COPIES: usize = 8;
    let site = ctx.create_site(json!({}))?;
    let body = json!({"rating": 2, "comment": "Sent twice", "idempotency_key": widget_key(4)});
    let start = std::sync::Barrier::new(COPIES);
    let answers: Vec<Result<tellus_tests::http::Answer>> = std::thread::scope(|scope| {
        let sends: Vec<_> = (0..COPIES)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    ctx.submit(&site, &body)
                })
            })
            .collect();
        sends.into_iter().map(|s| s.join().unwrap_or_else(|_| Err(anyhow::anyhow!("sender panicked")))).collect()
    });
    let mut ids = std::collections::BTreeSet::new();
    for answer in answers {
        let answer = answer?;
        ensure!(answer.status == 201 || answer.status == 200, "{} {}", answer.status, answer.body);
        ids.insert(answer.json()["id"].as_str().unwrap_or_default().to_owned());
    }
    ensure!(ids.len() == 1, "every copy names one entry: {ids:?}");
    let entries = ctx.entries(&site)?;
    ensure!(entries.len() == 1 && ids.contains(entries[0]["id"].as_str().unwrap_or_default()), "{entries:?}");
    Ok(())
}

/// An idempotency key as the widget makes it: a ULID of the customer's clock and random bits.
fn widget_key(seed: u8) -> String {
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64);
    tellus_core::ids::entry_id(now_ms.unwrap_or(0), [seed; 10])
}

/// Storing an entry costs at most 2 KV reads (the site; the entry a replay would have made) and
/// 1 write (the entry), plus one call to the site's desk, with the widget's idempotency key or
/// without one; a key without a time costs a 2nd write, its `idem:` record. What the desk does
/// (rows read and written) is counted in the same header.
fn an_accepted_submission_costs_at_most_2_reads_3_writes(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    for (body, max_writes) in [
        (json!({"rating": 1, "dimensions": ["reliability"], "idempotency_key": widget_key(2)}), 1),
        (json!({"rating": 1, "dimensions": ["reliability"]}), 1),
        (json!({"rating": 5, "idempotency_key": widget_key(3)}), 1),
        (json!({"rating": 3, "idempotency_key": "a-key-without-a-time"}), 2),
    ] {
        let answer = ctx.submit(&site, &body)?;
        ensure!(answer.status == 201, "{}", answer.body);
        let (reads, writes) = (answer.kv_ops("reads"), answer.kv_ops("writes"));
        let (desk, rows) = (answer.kv_ops("do_requests"), answer.kv_ops("do_rows_written"));
        ensure!(
            reads.is_some_and(|n| n <= 2)
                && writes == Some(max_writes)
                && desk == Some(1)
                && rows.is_some_and(|n| n > 0),
            "{body}: {:?}",
            answer.header("x-tellus-kv-ops")
        );
        ensure!(answer.kv_ops("lists") == Some(0) && answer.kv_ops("deletes") == Some(0), "{body}");
    }
    Ok(())
}

/// A bot that fills the hidden field is answered like a person and leaves no trace.
fn the_honeypot_answers_like_success_and_stores_nothing(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let answer = ctx.submit(&site, &json!({"rating": 5, "website": "http://spam.example"}))?;
    ensure!(answer.status == 201 && answer.json()["id"].as_str().is_some(), "{}", answer.body);
    ensure!(ctx.entries(&site)?.is_empty());
    Ok(())
}

/// Unknown addresses get 404 and wrong methods 405 with an Allow header, both as problem+json.
fn unknown_paths_and_methods_get_problem_json(ctx: &Ctx) -> Result<()> {
    let missing = http::get(&ctx.url("/v1/nothing-here"), &[])?;
    ensure!(missing.status == 404 && missing.json()["type"] == "/problems/not-found", "{}", missing.body);
    let wrong = http::send("DELETE", &ctx.url("/v1/sites"), &[], None)?;
    ensure!(wrong.status == 405 && wrong.header("allow") == Some("POST"), "{} {:?}", wrong.status, wrong.headers);
    ensure!(wrong.header("content-type") == Some("application/problem+json"));
    Ok(())
}

/// Without open sign-up, only the operator can create sites; the owner key is shown once.
fn site_creation_needs_the_operator_token(ctx: &Ctx) -> Result<()> {
    let body = json!({"name": "Shop", "allowed_origins": ["https://shop.example"]});
    let refused = http::post_json(&ctx.url("/v1/sites"), &[], &body)?;
    ensure!(refused.status == 401, "{} {}", refused.status, refused.body);
    let bad = http::post_json(
        &ctx.url("/v1/sites"),
        &[("authorization", &format!("Bearer {}", tellus_tests::worker_process::ADMIN_TOKEN))],
        &json!({"name": "", "allowed_origins": ["not an origin"], "theme_color": "#ffff00"}),
    )?;
    ensure!(bad.status == 422, "{}", bad.body);
    let errors = bad.json()["errors"].clone();
    let fields: Vec<&str> = errors.as_array().into_iter().flatten().filter_map(|e| e["field"].as_str()).collect();
    ensure!(["name", "allowed_origins[0]", "theme_color"].iter().all(|f| fields.contains(f)), "{fields:?}");
    let site = ctx.create_site(json!({}))?;
    ensure!(site.owner_key.starts_with("tlk_") && site.owner_key.len() > 40);
    Ok(())
}

fn form_post(ctx: &Ctx, fields: &[(&str, &str)]) -> Result<http::Answer> {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", form_encode(v))).collect();
    http::send(
        "POST",
        &ctx.url("/new"),
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(body.join("&").as_bytes()),
    )
}

fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b' ' => "+".to_owned(),
            b if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// A person creates a site with the plain HTML form: mistakes are shown next to their fields
/// with what was typed kept, the operator token is required, and success shows the script tag
/// and the owner key, which works on the owner API.
fn the_self_serve_page_creates_a_site_and_shows_the_key_once(ctx: &Ctx) -> Result<()> {
    let form = http::get(&ctx.url("/new"), &[])?;
    ensure!(form.status == 200 && form.body.contains("<form method=\"post\" action=\"/new\">"), "{}", form.body);
    ensure!(form.header("content-security-policy").is_some_and(|csp| csp.contains("default-src 'none'")));

    let wrong =
        form_post(ctx, &[("name", "Shop"), ("allowed_origins", "https://shop.example"), ("operator_token", "nope")])?;
    ensure!(wrong.status == 401 && wrong.body.contains("operator token"), "{} {}", wrong.status, wrong.body);

    let token = tellus_tests::worker_process::ADMIN_TOKEN;
    let bad = form_post(
        ctx,
        &[
            ("name", "<b>Shop</b>"),
            ("allowed_origins", "not-a-url"),
            ("theme_color", "#ffff00"),
            ("operator_token", token),
        ],
    )?;
    ensure!(bad.status == 422, "{} {}", bad.status, bad.body);
    ensure!(
        bad.body.contains("id=\"allowed_origins-error\"") && bad.body.contains("id=\"theme_color-error\""),
        "{}",
        bad.body
    );
    ensure!(
        bad.body.contains("&lt;b&gt;Shop&lt;/b&gt;") && !bad.body.contains("<b>Shop"),
        "typed text is kept, escaped"
    );

    let good = form_post(
        ctx,
        &[
            ("name", "Form shop"),
            ("allowed_origins", "https://shop.example\nhttps://www.shop.example"),
            ("scale", "nps"),
            ("theme_color", "#0b5d1e"),
            ("operator_token", token),
        ],
    )?;
    ensure!(good.status == 201, "{} {}", good.status, good.body);
    let key = between(&good.body, "data-owner-key>", "<").unwrap_or_default();
    let id = between(&good.body, "data-site-id>", "<").unwrap_or_default();
    ensure!(key.starts_with("tlk_") && good.body.contains(&format!("data-site=\"{id}\"")), "{}", good.body);
    let settings = http::get(&ctx.url(&format!("/v1/sites/{id}")), &[("authorization", &format!("Bearer {key}"))])?;
    ensure!(settings.status == 200, "{}", settings.body);
    let json = settings.json();
    ensure!(
        json["settings"]["scale"] == "nps" && json["settings"]["allowed_origins"][1] == "https://www.shop.example",
        "{json}"
    );
    ensure!(!settings.body.contains(key), "the key is never shown again");
    Ok(())
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}
