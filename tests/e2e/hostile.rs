//! Attacks on the real local Worker: a corpus of malformed and hostile requests (none may get a
//! 5xx, each gets a problem+json, nothing is stored), and the access matrix of every owner route
//! (refused alike whether the site exists or not, revealing nothing).

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Result, ensure};
use serde_json::json;
use tellus_tests::http::{self, Answer};

/// A request whose headers are the point: what, its headers, its body and the status expected.
type HeaderCase<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [u8], u16);
pub const TESTS: &[(&str, TestFn)] = crate::tests![
    contact_details_go_only_to_endpoints_subscribed_to_failures,
    a_corpus_of_bad_requests_never_gets_a_5xx_or_stores_anything,
    every_owner_route_refuses_bad_credentials_alike,
    contact_details_and_secrets_never_reach_public_answers,
];

fn is_problem(answer: &Answer) -> bool {
    answer.header("content-type") == Some("application/problem+json")
        && answer.json()["type"].as_str().is_some_and(|t| t.starts_with("/problems/"))
}

/// Bodies, headers, methods and ids of every bad shape; the inputs tried are counted in the output.
fn a_corpus_of_bad_requests_never_gets_a_5xx_or_stores_anything(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let origin = ctx.worker.base_url.clone();
    let feedback = ctx.url(&format!("/v1/sites/{}/feedback", site.id));
    let deep = format!("{{\"rating\":{}3{}}}", "[".repeat(5_000), "]".repeat(5_000));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("truncated", br#"{"rating": 3, "comm"#.to_vec()),
        ("invalid UTF-8", b"{\"rating\":3,\"comment\":\"\xc3\x28\"}".to_vec()),
        ("UTF-16", "{\"rating\":3}".encode_utf16().flat_map(u16::to_le_bytes).collect()),
        ("deeply nested", deep.into_bytes()),
        ("number out of range", br#"{"rating": 1e400}"#.to_vec()),
        ("huge integer", br#"{"rating": 123456789012345678901234567890}"#.to_vec()),
        ("negative", br#"{"rating": -1}"#.to_vec()),
        ("duplicate keys", br#"{"rating": 1, "rating": 5}"#.to_vec()),
        ("null rating", br#"{"rating": null}"#.to_vec()),
        ("array", b"[1,2,3]".to_vec()),
        ("string", b"\"rating\"".to_vec()),
        ("trailing garbage", br#"{"rating":3} {"rating":4}"#.to_vec()),
        ("BOM", b"\xef\xbb\xbf{\"rating\":3}".to_vec()),
        ("NUL in comment", b"{\"rating\":3,\"comment\":\"a\\u0000b\"}".to_vec()),
        ("bidi override", "{\"rating\":3,\"comment\":\"\\u202egnp.exe\"}".as_bytes().to_vec()),
        ("prototype pollution", br#"{"rating":3,"__proto__":{"admin":true}}"#.to_vec()),
        (
            "just over the size limit",
            format!("{{\"rating\":3,\"comment\":\"{}\"}}", "x".repeat(16 * 1024)).into_bytes(),
        ),
        ("a megabyte", vec![b'x'; 1024 * 1024]),
    ];
    let mut tried = 0;
    for (i, (what, body)) in bodies.iter().enumerate() {
        // Its own client address, so the rate limiter does not answer in its place.
        let client = format!("198.51.100.{}", 100 + i);
        let headers = [("content-type", "application/json"), ("origin", &origin), ("cf-connecting-ip", &client)];
        let answer = match http::send("POST", &feedback, &headers, Some(body)) {
            Ok(answer) => answer,
            // A body far over the cap is refused from its Content-Length, before it is read;
            // the answer and the close can reach the client while it is still writing, which
            // it reports as a broken connection. That is a refusal too (and the listing below
            // shows nothing was stored).
            Err(_) if body.len() > 64 * 1024 => {
                tried += 1;
                continue;
            }
            Err(err) => return Err(err),
        };
        tried += 1;
        ensure!(
            (400..500).contains(&answer.status) && answer.status != 429 && is_problem(&answer),
            "{what}: {} {}",
            answer.status,
            answer.body
        );
    }

    // Each case its own client address: the rate limiter (the first check) would otherwise
    // answer 429 after the bodies above and hide what these cases are about. Each case says
    // which refusal it expects; the huge header carries an invalid rating, so what is checked is
    // that 40 KB of header neither breaks the Worker nor gets past validation.
    let long_header = "x".repeat(40 * 1024);
    let valid = br#"{"rating":3}"#.as_slice();
    let header_cases: Vec<HeaderCase> = vec![
        ("no content type", vec![("origin", &origin)], valid, 415),
        (
            "form content type",
            vec![("content-type", "application/x-www-form-urlencoded"), ("origin", &origin)],
            valid,
            415,
        ),
        ("multipart", vec![("content-type", "multipart/form-data; boundary=x"), ("origin", &origin)], valid, 415),
        ("origin null", vec![("content-type", "application/json"), ("origin", "null")], valid, 403),
        (
            "origin lookalike",
            vec![("content-type", "application/json"), ("origin", "http://127.0.0.1.evil.example")],
            valid,
            403,
        ),
        (
            "huge header",
            vec![("content-type", "application/json"), ("x-filler", &long_header)],
            br#"{"rating":99}"#,
            422,
        ),
    ];
    for (i, (what, headers, body, expected)) in header_cases.into_iter().enumerate() {
        let client = format!("198.51.100.{i}");
        let mut headers = headers;
        headers.push(("cf-connecting-ip", &client));
        let answer = match http::send("POST", &feedback, &headers, Some(body)) {
            Ok(answer) => answer,
            // The runtime may refuse an oversized request at the protocol level (connection
            // closed); that is a refusal too, just not one of ours.
            Err(_) => continue,
        };
        tried += 1;
        ensure!(answer.status == expected && is_problem(&answer), "{what}: {} {}", answer.status, answer.body);
    }

    let ids = [
        "..",
        "..%2F..%2Fsite",
        "%00",
        "a%0d%0aset-cookie:x",
        "A-UPPER",
        "x".repeat(300).as_str(),
        "site:abc",
        "e%3Aabc",
        "%F0%9F%98%80",
        "' OR 1=1 --",
        "<script>",
    ]
    .map(str::to_owned);
    for id in &ids {
        for (method, path) in [
            ("GET", format!("/v1/sites/{id}/config")),
            ("POST", format!("/v1/sites/{id}/feedback")),
            ("GET", format!("/v1/sites/{}/receipts/{id}?token=x", site.id)),
            ("GET", format!("/v1/sites/{}/entries/{id}", site.id)),
        ] {
            let answer = http::send(
                method,
                &ctx.url(&path),
                &[("content-type", "application/json"), ("authorization", "Bearer tlk_x")],
                Some(b"{\"rating\":3}"),
            )?;
            tried += 1;
            ensure!(
                (400..500).contains(&answer.status) && is_problem(&answer),
                "{method} {path}: {} {}",
                answer.status,
                answer.body
            );
        }
    }

    for method in ["PUT", "DELETE", "PATCH", "TRACE"] {
        let answer = http::send(method, &feedback, &[("origin", &origin)], None)?;
        tried += 1;
        ensure!(answer.status == 405 || (400..500).contains(&answer.status), "{method}: {}", answer.status);
    }

    let auth = format!("Bearer {}", site.owner_key);
    let injections = [
        "https://hooks.example/x\r\nX-Injected: 1",
        "https://hooks.example/%0d%0aX-Injected:%201",
        "http://hooks.example/plain-http",
        "javascript:alert(1)",
        "https://user:pass@hooks.example/",
        "file:///etc/passwd",
    ];
    let own = ctx.worker.base_url.replace("http://", "https://");
    for url in injections
        .iter()
        .map(|u| u.to_string())
        .chain([format!("{own}/v1/health"), format!("{}/v1/health", ctx.worker.base_url)])
    {
        let answer = http::post_json(
            &ctx.url(&format!("/v1/sites/{}/callbacks", site.id)),
            &[("authorization", &auth)],
            &json!({"url": url}),
        )?;
        tried += 1;
        ensure!(answer.status == 422 && is_problem(&answer), "callback URL {url:?}: {} {}", answer.status, answer.body);
    }
    ensure!(ctx.entries(&site)?.is_empty(), "nothing may be stored after hostile input");
    let endpoints =
        http::get(&ctx.url(&format!("/v1/sites/{}/callbacks", site.id)), &[("authorization", &auth)])?.json();
    ensure!(endpoints["endpoints"].as_array().is_some_and(Vec::is_empty), "{endpoints}");
    println!("hostile corpus: {tried} requests, no 5xx, nothing stored");
    Ok(())
}

/// For every owner route: no credential, a malformed one, another site's, a rotated one — all
/// refused with the same status and body whether the site exists or not.
fn every_owner_route_refuses_bad_credentials_alike(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let other = ctx.create_site(json!({}))?;
    let entry = ctx.submit(&site, &json!({"rating": 1}))?.json()["id"].as_str().unwrap_or_default().to_owned();
    let rotated = TestSite { id: site.id.clone(), owner_key: site.owner_key.clone() };
    let fresh = http::send(
        "POST",
        &ctx.url(&format!("/v1/sites/{}/owner-key", site.id)),
        &[("authorization", &format!("Bearer {}", site.owner_key))],
        None,
    )?;
    ensure!(fresh.status == 200);
    let routes = |id: &str| {
        vec![
            ("GET", format!("/v1/sites/{id}")),
            ("PATCH", format!("/v1/sites/{id}")),
            ("POST", format!("/v1/sites/{id}/owner-key")),
            ("GET", format!("/v1/sites/{id}/entries")),
            ("GET", format!("/v1/sites/{id}/entries/{entry}")),
            ("DELETE", format!("/v1/sites/{id}/entries/{entry}")),
            ("POST", format!("/v1/sites/{id}/entries/{entry}/acknowledge")),
            ("POST", format!("/v1/sites/{id}/entries/{entry}/fix")),
            ("POST", format!("/v1/sites/{id}/entries/{entry}/reply")),
            ("GET", format!("/v1/sites/{id}/export")),
            ("GET", format!("/v1/sites/{id}/summary")),
            ("GET", format!("/v1/sites/{id}/callbacks")),
            ("POST", format!("/v1/sites/{id}/callbacks")),
        ]
    };
    let credentials = [
        ("none", None),
        ("malformed", Some("Bearer".to_owned())),
        ("basic", Some("Basic dXNlcjpwYXNz".to_owned())),
        ("another site's", Some(format!("Bearer {}", other.owner_key))),
        ("rotated", Some(format!("Bearer {}", rotated.owner_key))),
        ("operator token", Some(format!("Bearer {}", tellus_tests::worker_process::ADMIN_TOKEN))),
    ];
    let mut checked = 0;
    for (what, credential) in &credentials {
        for ((method, path), (_, ghost_path)) in routes(&site.id).into_iter().zip(routes("nosuchsite0")) {
            let mut headers = vec![("content-type", "application/json")];
            if let Some(credential) = credential {
                headers.push(("authorization", credential.as_str()));
            }
            let real = http::send(method, &ctx.url(&path), &headers, Some(b"{\"text\":\"x\"}"))?;
            let ghost = http::send(method, &ctx.url(&ghost_path), &headers, Some(b"{\"text\":\"x\"}"))?;
            checked += 1;
            ensure!(real.status == 401 && is_problem(&real), "{what} {method} {path}: {} {}", real.status, real.body);
            ensure!(real.status == ghost.status && real.body == ghost.body, "{what} {method} {path}: existence leaks");
        }
    }
    // Nothing changed: the entry is still open and still there.
    let key = fresh.json()["owner_key"].as_str().unwrap_or_default().to_owned();
    let stored = http::get(
        &ctx.url(&format!("/v1/sites/{}/entries/{entry}", site.id)),
        &[("authorization", &format!("Bearer {key}"))],
    )?;
    ensure!(stored.status == 200 && stored.json()["status"] == "open", "{}", stored.body);
    println!("access matrix: {checked} refused requests checked");
    Ok(())
}

/// Contact details appear only in owner answers; the owner key only when created or rotated.
fn contact_details_and_secrets_never_reach_public_answers(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let answer = ctx.submit(&site, &json!({"rating": 1, "consent": true, "contact": {"name": "Mari Maasikas", "email": "mari@example.com", "phone": "+372 5555 5555"}}))?;
    ensure!(answer.status == 201);
    let id = answer.json()["id"].as_str().unwrap_or_default().to_owned();
    let token = answer.json()["receipt_token"].as_str().unwrap_or_default().to_owned();
    let origin = ctx.worker.base_url.clone();
    let public = [
        answer.body.clone(),
        http::get(&ctx.url(&format!("/v1/sites/{}/config", site.id)), &[("origin", &origin)])?.body,
        http::get(&ctx.url(&format!("/v1/sites/{}/receipts/{id}?token={token}", site.id)), &[("origin", &origin)])?
            .body,
        ctx.submit(&site, &json!({"rating": 1, "contact": {"email": "mari@example.com"}}))?.body,
    ];
    for body in &public {
        for secret in ["Mari", "mari@example.com", "5555", &site.owner_key, "owner_key_hash"] {
            ensure!(!body.contains(secret), "a public answer shows {secret:?}: {body}");
        }
    }
    let log = std::fs::read_to_string(tellus_tests::paths::artifacts().join("wrangler-e2e.log")).unwrap_or_default();
    ensure!(
        !log.contains("mari@example.com") && !log.contains(&site.owner_key),
        "the Worker log shows contact details or keys"
    );
    Ok(())
}

/// Consented contact details go with failure callbacks only: an endpoint subscribed to praise
/// alone never sees them, even from a happy customer who left them; one subscribed to failures
/// does (so the owner can call back).
fn contact_details_go_only_to_endpoints_subscribed_to_failures(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let receiver = tellus_tests::receiver::Receiver::start(Vec::new())?;
    let auth = format!("Bearer {}", site.owner_key);
    for (path, event) in [("/praise", "praise.received"), ("/failures", "failure.reported")] {
        let registered = http::post_json(
            &ctx.url(&format!("/v1/sites/{}/callbacks", site.id)),
            &[("authorization", &auth)],
            &json!({"url": receiver.url(path), "events": [event]}),
        )?;
        ensure!(registered.status == 201, "{}", registered.body);
    }
    let contact = json!({"name": "Mari Maasikas", "email": "mari@example.com", "phone": "+372 5555 5555"});
    for rating in [5, 1] {
        let answer = ctx.submit(&site, &json!({"rating": rating, "consent": true, "contact": contact}))?;
        ensure!(answer.status == 201, "{}", answer.body);
    }
    let received = tellus_tests::poll("both callbacks", std::time::Duration::from_secs(20), || {
        let got = receiver.received();
        (got.len() >= 2).then_some(got)
    })?;
    for request in &received {
        let shows_contact = request.body.contains("mari@example.com") || request.body.contains("5555");
        match request.path.as_str() {
            "/praise" => ensure!(!shows_contact, "a praise-only endpoint got contact details: {}", request.body),
            _ => ensure!(shows_contact, "the failure endpoint gets the consented contact: {}", request.body),
        }
    }
    Ok(())
}
