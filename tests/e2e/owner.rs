//! Owner actions against the real local Worker: the life cycle of a failure, erasure, export,
//! settings, key rotation, and the customer's receipt on a return visit.

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Result, ensure};
use serde_json::{Value, json};
use tellus_tests::http::{self, Answer};

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    a_failure_is_acknowledged_fixed_and_rerated,
    delete_erases_the_entry_and_its_contact,
    filters_and_cursor_paging_find_every_entry_once,
    export_is_spreadsheet_safe,
    settings_update_is_validated_and_rotation_retires_the_old_key,
    tell_others_clicks_are_accepted_for_known_targets_only,
    the_rate_limit_trips_and_recovers,
];

fn owner(ctx: &Ctx, site: &TestSite, method: &str, path: &str, body: Option<Value>) -> Result<Answer> {
    let auth = format!("Bearer {}", site.owner_key);
    let url = ctx.url(&format!("/v1/sites/{}{path}", site.id));
    match body {
        Some(body) => {
            let bytes = serde_json::to_vec(&body)?;
            http::send(method, &url, &[("authorization", &auth), ("content-type", "application/json")], Some(&bytes))
        }
        None => http::send(method, &url, &[("authorization", &auth)], None),
    }
}

fn submitted(ctx: &Ctx, site: &TestSite, body: Value) -> Result<(String, String)> {
    let answer = ctx.submit(site, &body)?;
    ensure!(answer.status == 201, "{}", answer.body);
    let json = answer.json();
    Ok((json["id"].as_str().unwrap_or_default().into(), json["receipt_token"].as_str().unwrap_or_default().into()))
}

/// The owner acknowledges and fixes a failure with a note and replies; the customer's receipt
/// shows the reply and asks for a new rating, which is stored once against the entry.
fn a_failure_is_acknowledged_fixed_and_rerated(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let (id, token) = submitted(ctx, &site, json!({"rating": 1, "comment": "Cold food"}))?;
    let receipt_url = ctx.url(&format!("/v1/sites/{}/receipts/{id}?token={token}", site.id));
    let origin = [("origin", ctx.worker.base_url.as_str())];
    ensure!(http::get(&receipt_url, &origin)?.json()["status"] == "open");
    ensure!(http::get(&ctx.url(&format!("/v1/sites/{}/receipts/{id}?token=wrong", site.id)), &origin)?.status == 404);

    let ack = owner(ctx, &site, "POST", &format!("/entries/{id}/acknowledge"), None)?;
    ensure!(ack.status == 200 && ack.json()["status"] == "acknowledged", "{}", ack.body);
    let rerate_url = ctx.url(&format!("/v1/sites/{}/receipts/{id}/rerate", site.id));
    let early = http::post_json(&rerate_url, &origin, &json!({"token": token, "rating": 5}))?;
    ensure!(early.status == 409, "re-rating before the fix: {} {}", early.status, early.body);

    let fix = owner(ctx, &site, "POST", &format!("/entries/{id}/fix"), Some(json!({"note": "Refunded and new chef"})))?;
    ensure!(
        fix.status == 200 && fix.json()["status"] == "fixed" && fix.json()["fix_note"] == "Refunded and new chef",
        "{}",
        fix.body
    );
    let again = owner(ctx, &site, "POST", &format!("/entries/{id}/fix"), None)?;
    ensure!(again.status == 409 && again.json()["type"] == "/problems/conflict", "{}", again.body);
    let reply =
        owner(ctx, &site, "POST", &format!("/entries/{id}/reply"), Some(json!({"text": "Sorry! Dinner is on us."})))?;
    ensure!(reply.status == 200, "{}", reply.body);
    let empty_reply = owner(ctx, &site, "POST", &format!("/entries/{id}/reply"), Some(json!({"text": ""})))?;
    ensure!(empty_reply.status == 422, "{}", empty_reply.body);

    let receipt = http::get(&receipt_url, &origin)?.json();
    ensure!(receipt["status"] == "fixed" && receipt["can_rerate"] == true, "{receipt}");
    ensure!(receipt["reply"]["text"] == "Sorry! Dinner is on us.", "{receipt}");
    ensure!(
        receipt.get("comment").is_none() && receipt.get("contact").is_none(),
        "the receipt reveals nothing else: {receipt}"
    );

    let rerated = http::post_json(&rerate_url, &origin, &json!({"token": token, "rating": 5}))?;
    ensure!(rerated.status == 200 && rerated.json()["rerating"]["rating"] == 5, "{}", rerated.body);
    let twice = http::post_json(&rerate_url, &origin, &json!({"token": token, "rating": 4}))?;
    ensure!(twice.status == 409, "{}", twice.body);
    let stored = owner(ctx, &site, "GET", &format!("/entries/{id}"), None)?.json();
    ensure!(
        stored["rerating"]["rating"] == 5 && stored["acknowledged_ms"].as_u64() <= stored["fixed_ms"].as_u64(),
        "{stored}"
    );
    Ok(())
}

/// Erasure removes the entry with everything the customer wrote; a second delete is a 404.
fn delete_erases_the_entry_and_its_contact(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let (id, _) = submitted(
        ctx,
        &site,
        json!({"rating": 2, "consent": true, "contact": {"name": "Mari", "email": "mari@example.com", "channel": "email"}}),
    )?;
    let stored = owner(ctx, &site, "GET", &format!("/entries/{id}"), None)?.json();
    ensure!(stored["contact"]["email"] == "mari@example.com", "{stored}");
    ensure!(owner(ctx, &site, "DELETE", &format!("/entries/{id}"), None)?.status == 204);
    ensure!(owner(ctx, &site, "GET", &format!("/entries/{id}"), None)?.status == 404);
    ensure!(owner(ctx, &site, "DELETE", &format!("/entries/{id}"), None)?.status == 404);
    ensure!(ctx.entries(&site)?.is_empty());
    let export = owner(ctx, &site, "GET", "/export?format=csv", None)?;
    ensure!(!export.body.contains("mari@example.com"), "{}", export.body);
    Ok(())
}

/// Filters by kind and status, and paging with a cursor returns every entry exactly once.
fn filters_and_cursor_paging_find_every_entry_once(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let mut ids = Vec::new();
    for rating in [1, 5, 3, 2, 4, 5, 1] {
        ids.push(submitted(ctx, &site, json!({"rating": rating, "touchpoint": {"page": format!("/p{rating}")}}))?.0);
    }
    let failures = owner(ctx, &site, "GET", "/entries?kind=failure&limit=100", None)?.json();
    ensure!(failures["entries"].as_array().map(Vec::len) == Some(3), "{failures}");
    let praise = owner(ctx, &site, "GET", "/entries?kind=praise&touchpoint=/p5", None)?.json();
    ensure!(praise["entries"].as_array().map(Vec::len) == Some(2), "{praise}");

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let path = match &cursor {
            Some(c) => format!("/entries?limit=3&cursor={}", http::encode_query(c)),
            None => "/entries?limit=3".to_owned(),
        };
        let page = owner(ctx, &site, "GET", &path, None)?.json();
        for entry in page["entries"].as_array().into_iter().flatten() {
            seen.push(entry["id"].as_str().unwrap_or_default().to_owned());
        }
        cursor = page["cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    let mut newest_first = ids.clone();
    newest_first.reverse();
    ensure!(seen == newest_first, "paging returned {seen:?}, expected {newest_first:?}");

    let bad = owner(ctx, &site, "GET", "/entries?status=closed&limit=0&cursor=", None)?;
    ensure!(bad.status == 422 && bad.json()["errors"].as_array().map(Vec::len) == Some(3), "{}", bad.body);
    let today = tellus_core::owner::civil_from_days(
        (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() / 86_400) as i64,
    );
    let ranged = owner(ctx, &site, "GET", &format!("/entries?from={today}&to={today}&limit=100"), None)?.json();
    ensure!(ranged["entries"].as_array().map(Vec::len) == Some(7), "{ranged}");
    let old = owner(ctx, &site, "GET", "/entries?to=2020-01-01&limit=100", None)?.json();
    ensure!(old["entries"].as_array().is_some_and(Vec::is_empty), "{old}");
    Ok(())
}

/// The CSV export neutralises formulas; the JSON export carries the same entries.
fn export_is_spreadsheet_safe(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    submitted(ctx, &site, json!({"rating": 1, "comment": "=HYPERLINK(\"http://evil\",\"x\")"}))?;
    submitted(ctx, &site, json!({"rating": 5, "comment": "@SUM(A1) \"quoted\", fine"}))?;
    let csv = owner(ctx, &site, "GET", "/export?format=csv", None)?;
    ensure!(
        csv.status == 200 && csv.header("content-type").is_some_and(|t| t.starts_with("text/csv")),
        "{:?}",
        csv.headers
    );
    ensure!(csv.body.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""), "{}", csv.body);
    ensure!(csv.body.contains("\"'@SUM(A1) \"\"quoted\"\", fine\""), "{}", csv.body);
    ensure!(csv.body.lines().count() == 3, "{}", csv.body);
    let json = owner(ctx, &site, "GET", "/export?format=json", None)?.json();
    ensure!(json["entries"].as_array().map(Vec::len) == Some(2), "{json}");
    ensure!(owner(ctx, &site, "GET", "/export?format=xlsx", None)?.status == 422);
    Ok(())
}

/// A settings change is validated like a new site (contrast included); rotating the owner key
/// makes the old key useless at once.
fn settings_update_is_validated_and_rotation_retires_the_old_key(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let low_contrast = owner(ctx, &site, "PATCH", "", Some(json!({"theme_color": "#ffdd00"})))?;
    ensure!(low_contrast.status == 422, "{}", low_contrast.body);
    ensure!(low_contrast.body.contains("contrast"), "the message names the problem: {}", low_contrast.body);
    let ok = owner(
        ctx,
        &site,
        "PATCH",
        "",
        Some(json!({"theme_color": "#0b5d1e", "scale": "nps", "sla": {"acknowledge_minutes": 30, "fix_minutes": 600}})),
    )?;
    ensure!(ok.status == 200 && ok.json()["settings"]["scale"] == "nps", "{}", ok.body);
    let config = http::get(&ctx.url(&format!("/v1/sites/{}/config", site.id)), &[])?.json();
    ensure!(config["theme_color"] == "#0b5d1e" && config["failure_threshold"] == 6, "{config}");
    ensure!(config.get("owner_key_hash").is_none() && !config.to_string().contains("allowed_origins"), "{config}");

    let rotated = owner(ctx, &site, "POST", "/owner-key", None)?;
    ensure!(rotated.status == 200, "{}", rotated.body);
    let new_key = rotated.json()["owner_key"].as_str().unwrap_or_default().to_owned();
    ensure!(new_key.starts_with("tlk_") && new_key != site.owner_key);
    let old = owner(ctx, &site, "GET", "/entries", None)?;
    ensure!(old.status == 401, "the rotated-out key must stop working: {}", old.status);
    let fresh = TestSite { id: site.id.clone(), owner_key: new_key };
    ensure!(owner(ctx, &fresh, "GET", "/entries", None)?.status == 200);
    Ok(())
}

/// Clicks on the site's review links, share and copy are counted (at the site's desk: no KV
/// write); other targets are refused.
fn tell_others_clicks_are_accepted_for_known_targets_only(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(
        json!({"review_links": [{"id": "google", "label": "Google", "url": "https://g.example/review"}]}),
    )?;
    let url = ctx.url(&format!("/v1/sites/{}/clicks", site.id));
    let origin = [("origin", ctx.worker.base_url.as_str())];
    for target in ["google", "share", "copy"] {
        let answer = http::post_json(&url, &origin, &json!({"target": target}))?;
        ensure!(
            answer.status == 204 && answer.kv_ops("writes") == Some(0) && answer.kv_ops("do_requests") == Some(1),
            "{target}: {} {:?}",
            answer.status,
            answer.headers
        );
    }
    let unknown = http::post_json(&url, &origin, &json!({"target": "yelp"}))?;
    ensure!(unknown.status == 422, "{}", unknown.body);
    Ok(())
}

/// One client sending too fast gets 429 with Retry-After, and is served again after waiting.
fn the_rate_limit_trips_and_recovers(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let mut refused = None;
    for n in 0..40 {
        let answer = ctx.submit(&site, &json!({"rating": 3}))?;
        if answer.status == 429 {
            refused = Some((n, answer));
            break;
        }
        ensure!(answer.status == 201, "{}", answer.body);
    }
    let Some((n, answer)) = refused else { anyhow::bail!("40 quick submissions were never limited") };
    ensure!(n >= 20, "limited after only {n}");
    ensure!(answer.header("retry-after").is_some_and(|s| s.parse::<u32>().is_ok()), "{:?}", answer.headers);
    ensure!(answer.json()["type"] == "/problems/rate-limited", "{}", answer.body);
    let stored = ctx.entries(&site)?.len();
    tellus_tests::poll("the limit to recover", std::time::Duration::from_secs(30), || {
        ctx.submit(&site, &json!({"rating": 3})).ok().filter(|a| a.status == 201)
    })?;
    ensure!(ctx.entries(&site)?.len() == stored + 1, "a refused request stores nothing");
    Ok(())
}
