//! The owner's pages at `/s/{site}` against the real local Worker: a real Chromium signs in with
//! the owner key, reads summary numbers that match a data set computed here independently, and
//! works a failure from the inbox through its case page: acknowledge, reply and fix with the
//! page's own forms; plain HTTP
//! checks who may see what (no cookie, garbage, another site's, expired, logged out), CSRF, the
//! strict headers, and that customer text is escaped.

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use std::time::Duration;
use tellus_tests::http::{self, Answer};
use tellus_tests::paths;
use tellus_tests::receiver::{Receiver, Reply};

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    an_owner_signs_in_reads_the_numbers_and_fixes_a_failure_in_chromium,
    no_owner_data_without_a_valid_session,
    forms_without_the_csrf_token_are_refused,
    customer_text_is_escaped_on_the_page,
    owner_pages_carry_strict_headers,
    a_refused_request_is_explained_in_the_owners_language,
    callback_health_shows_a_failed_delivery_and_replays_it,
    each_answer_keeps_its_language_and_the_page_shows_the_mix_in_the_readers_language,
];

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/// A marker only the owner may ever see.
const SECRET_COMMENT: &str = "The waiter spilled soup on me (owner eyes only)";

pub(crate) fn submitted(ctx: &Ctx, site: &TestSite, body: Value) -> Result<(String, String)> {
    let answer = ctx.submit(site, &body)?;
    ensure!(answer.status == 201, "submit: {} {}", answer.status, answer.body);
    let json = answer.json();
    Ok((json["id"].as_str().unwrap_or_default().into(), json["receipt_token"].as_str().unwrap_or_default().into()))
}

pub(crate) fn form_post(
    ctx: &Ctx,
    path: &str,
    cookie: Option<&str>,
    body: &str,
    extra: &[(&str, &str)],
) -> Result<Answer> {
    let origin = ctx.worker.base_url.clone();
    let mut headers = vec![("content-type", "application/x-www-form-urlencoded"), ("origin", origin.as_str())];
    if let Some(cookie) = cookie {
        headers.push(("cookie", cookie));
    }
    headers.extend_from_slice(extra);
    http::send("POST", &ctx.url(path), &headers, Some(body.as_bytes()))
}

pub(crate) fn get_page(ctx: &Ctx, path: &str, cookie: Option<&str>, extra: &[(&str, &str)]) -> Result<Answer> {
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if let Some(cookie) = cookie {
        headers.push(("cookie", cookie));
    }
    headers.extend_from_slice(extra);
    http::get(&ctx.url(path), &headers)
}

/// Signs in over HTTP and answers the `name=value` of the session cookie.
pub(crate) fn sign_in(ctx: &Ctx, site: &TestSite) -> Result<String> {
    let answer = form_post(ctx, &format!("/s/{}/login", site.id), None, &format!("key={}", site.owner_key), &[])?;
    ensure!(answer.status == 303, "login: {} {}", answer.status, answer.body);
    let set_cookie = answer.header("set-cookie").context("login sets a cookie")?;
    Ok(set_cookie.split(';').next().unwrap_or_default().to_owned())
}

pub(crate) fn csrf_of(html: &str) -> Result<String> {
    let start =
        html.find(r#"name="csrf" value=""#).context("the page has a CSRF field")? + r#"name="csrf" value=""#.len();
    let end = html[start..].find('"').context("CSRF value ends")?;
    Ok(html[start..start + end].to_owned())
}

/// What a page without a session may contain: the login form and nothing of the owner's.
fn ensure_login_only(answer: &Answer, what: &str) -> Result<()> {
    ensure!(answer.status == 200 || answer.status == 401 || answer.status == 303, "{what}: status {}", answer.status);
    ensure!(!answer.body.contains(SECRET_COMMENT), "{what}: the owner's data leaked");
    ensure!(!answer.body.contains("data-figure"), "{what}: numbers leaked");
    if answer.status != 303 {
        ensure!(answer.body.contains(r#"name="key""#), "{what}: the login form is shown: {}", answer.body);
    }
    Ok(())
}

/// Waits for the page a form's redirect lands on (`done={done}` in its address) to show its
/// notice: a notice still on the page the click left does not count.
pub(crate) fn notice_after(browser: &tellus_tests::webdriver::Session, done: &str) -> Result<String> {
    let wanted = format!("done={done}");
    tellus_tests::poll(&format!("the {done} notice"), Duration::from_secs(20), || {
        let search = browser.execute("return location.search;", vec![]).ok()?;
        search.as_str()?.contains(&wanted).then_some(())?;
        browser.text(&browser.find(".notice").ok()?).ok()
    })
}

/// A Chromium session signed in through the login form; on failure the error shows where the
/// browser ended up.
pub(crate) fn browser_signed_in(ctx: &Ctx, site: &TestSite) -> Result<tellus_tests::webdriver::Session> {
    let browser = ctx.driver.session()?;
    browser.goto(&ctx.url(&format!("/s/{}", site.id)))?;
    browser.type_text(&browser.find("#owner-key")?, &site.owner_key)?;
    browser.click(&browser.find("[data-action=login]")?)?;
    let signed_in = tellus_tests::poll("the summary page after login", Duration::from_secs(15), || {
        (browser.count("[data-figure]").ok()? > 0).then_some(())
    });
    if signed_in.is_err() {
        let where_now = browser.execute("return location.href + '\\n' + document.body.innerText;", vec![])?;
        anyhow::bail!("login in Chromium did not reach the page; it shows: {where_now}");
    }
    Ok(browser)
}

fn owner_get(ctx: &Ctx, site: &TestSite, path: &str) -> Result<Value> {
    let auth = format!("Bearer {}", site.owner_key);
    let answer = http::get(&ctx.url(&format!("/v1/sites/{}{path}", site.id)), &[("authorization", &auth)])?;
    ensure!(answer.status == 200, "{path}: {} {}", answer.status, answer.body);
    Ok(answer.json())
}

/// The owner opens the page in Chromium, signs in with the key, sees the headline numbers of six
/// answers (computed here from the ratings), acknowledges a failure, replies and fixes it with a
/// note using the page's buttons; the customer's receipt then shows the reply and the fix. The
/// page is screenshotted at desktop and phone widths and fits the phone without side-scrolling.
fn an_owner_signs_in_reads_the_numbers_and_fixes_a_failure_in_chromium(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let ratings = [5u8, 4, 4, 3, 2, 1];
    let mut failure = (String::new(), String::new());
    for rating in ratings {
        let body = if rating == 1 {
            json!({"rating": 1, "comment": "Nobody answered the phone", "dimensions": ["responsiveness"],
                   "touchpoint": {"page": "/checkout"}, "consent": true,
                   "contact": {"name": "Mari", "email": "mari@example.com", "channel": "email"}})
        } else {
            json!({"rating": rating, "touchpoint": {"page": "/menu"}})
        };
        let ids = submitted(ctx, &site, body)?;
        if rating == 1 {
            failure = ids;
        }
    }
    let (failure_id, token) = failure;
    // The expected numbers, computed independently of the Worker: CSAT = share of 4s and 5s;
    // failures = ratings at or below the default threshold of 2.
    let responses = ratings.len();
    let satisfied = ratings.iter().filter(|r| **r >= 4).count();
    let csat = (satisfied as f64 * 100.0 / responses as f64).round() as u32;
    let failures = ratings.iter().filter(|r| **r <= 2).count();

    let browser = browser_signed_in(ctx, &site)?;
    browser.goto(&ctx.url(&format!("/s/{}/summary", site.id)))?;
    browser.find("[data-figure=responses]")?;

    let figure =
        |name: &str| -> Result<String> { browser.text(&browser.find(&format!("[data-figure={name}] .value"))?) };
    ensure!(figure("responses")? == responses.to_string(), "responses: {}", figure("responses")?);
    let shown_csat = figure("csat")?;
    ensure!(shown_csat.starts_with(&csat.to_string()), "CSAT {csat} expected, page says {shown_csat}");
    ensure!(figure("failures")? == failures.to_string(), "failures: {}", figure("failures")?);
    ensure!(figure("open")? == failures.to_string(), "open: {}", figure("open")?);
    ensure!(browser.count("svg[role=img]")? >= 4, "four charts with text alternatives");
    browser.screenshot(&paths::artifacts().join("summary-desktop.png"))?;

    // The inbox lists the failure on one line; its case page shows everything the customer gave.
    browser.click(&browser.find("[data-section=inbox]")?)?;
    let line = browser.text(&browser.find(&format!("#entry-{failure_id}"))?)?;
    for expected in ["Nobody answered the phone", "/checkout", "Slow", "1\u{202f}/\u{202f}5"] {
        ensure!(line.contains(expected), "the inbox line shows {expected:?}: {line}");
    }
    browser.screenshot(&paths::artifacts().join("inbox-desktop.png"))?;
    browser.click(&browser.find(&format!("#entry-{failure_id} .case-link"))?)?;
    let card = browser.text(&browser.find(&format!("#entry-{failure_id}"))?)?;
    for expected in ["Nobody answered the phone", "/checkout", "mari@example.com", "It was slow", "1\u{202f}/\u{202f}5"]
    {
        ensure!(card.contains(expected), "the case shows {expected:?}: {card}");
    }

    // Acknowledge, then reply, then fix with a note: real clicks on the page's forms.
    browser.click(&browser.find("[data-action=acknowledge]")?)?;
    tellus_tests::poll("the failure to show as acknowledged", Duration::from_secs(15), || {
        let el = browser.find(&format!("#entry-{failure_id}[data-status=acknowledged]")).ok()?;
        Some(el)
    })?;
    let reply = "So sorry: we call you back today.";
    browser.type_text(&browser.find("#reply")?, reply)?;
    browser.click(&browser.find("[data-action=reply]")?)?;
    browser.find("[data-history=replied] [data-field=reply]")?;
    let note = "Phone line repaired";
    browser.type_text(&browser.find("#fix-note")?, note)?;
    browser.click(&browser.find("[data-action=fix]")?)?;
    tellus_tests::poll("the case to show as fixed", Duration::from_secs(15), || {
        browser.find(&format!("#entry-{failure_id}[data-status=fixed]")).ok()
    })?;
    browser.screenshot(&paths::artifacts().join("case-desktop.png"))?;
    browser.goto(&ctx.url(&format!("/s/{}/summary", site.id)))?;
    ensure!(figure("open")? == (failures - 1).to_string(), "one failure left open");

    let entry = owner_get(ctx, &site, &format!("/entries/{failure_id}"))?;
    ensure!(entry["status"] == "fixed" && entry["fix_note"] == note && entry["reply"]["text"] == reply, "{entry}");
    ensure!(entry["acknowledged_ms"].as_u64() < entry["fixed_ms"].as_u64(), "acknowledged before fixed: {entry}");
    // What the widget shows on the customer's next visit comes from the receipt.
    let receipt = http::get(
        &ctx.url(&format!("/v1/sites/{}/receipts/{failure_id}?token={token}", site.id)),
        &[("origin", ctx.worker.base_url.as_str())],
    )?
    .json();
    ensure!(receipt["status"] == "fixed" && receipt["reply"]["text"] == reply, "{receipt}");

    // Phone width: the same page, nothing wider than the screen.
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true}),
    )?;
    browser.goto(&ctx.url(&format!("/s/{}/summary?days=7", site.id)))?;
    browser.find("[data-figure=responses]")?;
    let overflow = browser.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![])?;
    ensure!(overflow.as_i64().unwrap_or(1) <= 0, "the page scrolls sideways on a phone by {overflow} px");
    browser.screenshot(&paths::artifacts().join("summary-phone.png"))?;

    // Printable: Chromium prints it (the print stylesheet drops the forms) to a PDF artifact.
    browser.cdp("Emulation.clearDeviceMetricsOverride", json!({}))?;
    let pdf = browser.cdp("Page.printToPDF", json!({"printBackground": false}))?;
    let pdf =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, pdf["data"].as_str().unwrap_or_default())?;
    ensure!(pdf.starts_with(b"%PDF"), "the page prints");
    std::fs::write(paths::artifacts().join("summary-print.pdf"), pdf)?;
    Ok(())
}

/// Without a valid session the page is only the login form: no cookie, a garbage cookie, another
/// site's session, a wrong key, an expired session (test clock), after logout, and after the
/// owner key was rotated. Actions and exports without a session go to the login page.
fn no_owner_data_without_a_valid_session(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let other = ctx.create_site(json!({}))?;
    let (id, _) = submitted(ctx, &site, json!({"rating": 1, "comment": SECRET_COMMENT}))?;
    let page = format!("/s/{}", site.id);

    ensure_login_only(&get_page(ctx, &page, None, &[])?, "no cookie")?;
    let garbage = format!("tellus_session=tls_{}", "A".repeat(43));
    ensure_login_only(&get_page(ctx, &page, Some(&garbage), &[])?, "garbage cookie")?;
    ensure_login_only(&get_page(ctx, &page, Some("tellus_session=<script>"), &[])?, "malformed cookie")?;
    let other_cookie = sign_in(ctx, &other)?;
    ensure_login_only(&get_page(ctx, &page, Some(&other_cookie), &[])?, "another site's cookie")?;

    let wrong = form_post(ctx, &format!("{page}/login"), None, &format!("key={}", other.owner_key), &[])?;
    ensure!(wrong.status == 401 && wrong.body.contains("role=\"alert\""), "wrong key: {} {}", wrong.status, wrong.body);
    ensure!(wrong.header("set-cookie").is_none(), "no cookie for a wrong key");
    ensure_login_only(&wrong, "wrong key")?;

    let cookie = sign_in(ctx, &site)?;
    let signed_in = get_page(ctx, &page, Some(&cookie), &[])?;
    ensure!(signed_in.status == 200 && signed_in.body.contains(SECRET_COMMENT), "signed in: {}", signed_in.status);
    let expired = get_page(ctx, &page, Some(&cookie), &[("x-tellus-test-now-offset-ms", "43300000")])?;
    ensure_login_only(&expired, "expired session")?;

    // Actions and exports without a session: to the login page, nothing done.
    let act = form_post(ctx, &format!("{page}/entries/{id}/acknowledge"), None, "csrf=x", &[])?;
    ensure!(
        act.status == 303 && act.header("location") == Some(page.as_str()),
        "action: {} {:?}",
        act.status,
        act.headers
    );
    let act = form_post(ctx, &format!("{page}/entries/{id}/acknowledge"), Some(&other_cookie), "csrf=x", &[])?;
    ensure!(act.status == 303, "action with another site's cookie: {}", act.status);
    let export = get_page(ctx, &format!("{page}/export.csv"), Some(&other_cookie), &[])?;
    ensure!(export.status == 303 && !export.body.contains(SECRET_COMMENT), "export: {}", export.status);
    ensure!(owner_get(ctx, &site, &format!("/entries/{id}"))?["status"] == "open", "nothing was acknowledged");

    // With the session, exports work from a plain link.
    let csv = get_page(ctx, &format!("{page}/export.csv?days=7"), Some(&cookie), &[])?;
    ensure!(csv.status == 200 && csv.body.contains(SECRET_COMMENT), "csv export: {} {}", csv.status, csv.body);
    ensure!(csv.header("content-type").is_some_and(|t| t.starts_with("text/csv")), "{:?}", csv.headers);
    let exported = get_page(ctx, &format!("{page}/export.json?days=90"), Some(&cookie), &[])?;
    ensure!(exported.json()["entries"][0]["comment"] == SECRET_COMMENT, "json export: {}", exported.body);

    // Logout ends the session on the server, not just in the browser.
    let csrf = csrf_of(&signed_in.body)?;
    let logout = form_post(ctx, &format!("{page}/logout"), Some(&cookie), &format!("csrf={csrf}"), &[])?;
    ensure!(logout.status == 303, "logout: {} {}", logout.status, logout.body);
    ensure!(logout.header("set-cookie").is_some_and(|c| c.contains("Max-Age=0")), "{:?}", logout.headers);
    ensure_login_only(&get_page(ctx, &page, Some(&cookie), &[])?, "after logout")?;

    // Rotating the owner key ends every session opened with the old key.
    let cookie = sign_in(ctx, &site)?;
    ensure!(get_page(ctx, &page, Some(&cookie), &[])?.body.contains(SECRET_COMMENT));
    let auth = format!("Bearer {}", site.owner_key);
    let rotated =
        http::send("POST", &ctx.url(&format!("/v1/sites/{}/owner-key", site.id)), &[("authorization", &auth)], None)?;
    ensure!(rotated.status == 200, "rotate: {}", rotated.body);
    ensure_login_only(&get_page(ctx, &page, Some(&cookie), &[])?, "after key rotation")?;
    Ok(())
}

/// A signed-in owner's browser can be made to post by another website; such posts lack the
/// page's CSRF token (or come from another origin) and are refused with 403, changing nothing.
fn forms_without_the_csrf_token_are_refused(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let (id, _) = submitted(ctx, &site, json!({"rating": 1, "comment": SECRET_COMMENT}))?;
    let cookie = sign_in(ctx, &site)?;
    let page = get_page(ctx, &format!("/s/{}", site.id), Some(&cookie), &[])?;
    let csrf = csrf_of(&page.body)?;
    let action = format!("/s/{}/entries/{id}/acknowledge", site.id);

    let missing = form_post(ctx, &action, Some(&cookie), "days=7", &[])?;
    ensure!(
        missing.status == 403 && !missing.body.contains(SECRET_COMMENT),
        "no token: {} {}",
        missing.status,
        missing.body
    );
    let wrong = form_post(ctx, &action, Some(&cookie), &format!("csrf={}x", &csrf[..csrf.len() - 1]), &[])?;
    ensure!(wrong.status == 403, "wrong token: {}", wrong.status);
    let evil = http::send(
        "POST",
        &ctx.url(&action),
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", &cookie),
            ("origin", "https://evil.example"),
        ],
        Some(format!("csrf={csrf}").as_bytes()),
    )?;
    ensure!(evil.status == 403, "another origin: {}", evil.status);
    let delete = form_post(ctx, &format!("/s/{}/entries/{id}/delete", site.id), Some(&cookie), "confirm=yes", &[])?;
    ensure!(delete.status == 403, "delete without token: {}", delete.status);
    ensure!(owner_get(ctx, &site, &format!("/entries/{id}"))?["status"] == "open", "nothing changed");

    let ok = form_post(ctx, &action, Some(&cookie), &format!("csrf={csrf}&from=%3Fperiod%3D7"), &[])?;
    ensure!(ok.status == 303, "with the token: {} {}", ok.status, ok.body);
    let location = ok.header("location").unwrap_or_default();
    ensure!(
        location == format!("/s/{}/entries/{id}?done=acknowledged&from=%3Fperiod%3D7", site.id),
        "back to the case, keeping the inbox view it came from: {location}"
    );
    ensure!(owner_get(ctx, &site, &format!("/entries/{id}"))?["status"] == "acknowledged");
    // Delete needs the explicit confirmation box, then erases.
    let unconfirmed =
        form_post(ctx, &format!("/s/{}/entries/{id}/delete", site.id), Some(&cookie), &format!("csrf={csrf}"), &[])?;
    ensure!(unconfirmed.status == 422, "delete without confirmation: {}", unconfirmed.status);
    let erased = form_post(
        ctx,
        &format!("/s/{}/entries/{id}/delete", site.id),
        Some(&cookie),
        &format!("csrf={csrf}&confirm=yes"),
        &[],
    )?;
    ensure!(erased.status == 303, "delete: {} {}", erased.status, erased.body);
    ensure!(ctx.entries(&site)?.is_empty(), "the entry is erased");
    Ok(())
}

/// Markup a customer types is shown as text: the page's HTML holds only escaped forms, and in
/// Chromium no element is created from it. Bidirectional overrides never get stored at all.
fn customer_text_is_escaped_on_the_page(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let hostile = r#"<script>alert(1)</script> "><img src=x onerror=alert(1)>"#;
    submitted(
        ctx,
        &site,
        json!({"rating": 1, "comment": hostile, "touchpoint": {"page": "\"><img src=x onerror=alert(2)>"},
               "consent": true, "contact": {"name": "<b>Bob</b>", "email": "bob@example.com"}}),
    )?;
    submitted(ctx, &site, json!({"rating": 5, "comment": "<script>alert(3)</script> great"}))?;
    let rtl = ctx.submit(&site, &json!({"rating": 1, "comment": "txt.exe\u{202e}fdp"}))?;
    ensure!(rtl.status == 422, "a bidi override is refused: {} {}", rtl.status, rtl.body);

    let cookie = sign_in(ctx, &site)?;
    let inbox = get_page(ctx, &format!("/s/{}", site.id), Some(&cookie), &[])?;
    let praise = get_page(ctx, &format!("/s/{}?tab=praise", site.id), Some(&cookie), &[])?;
    let failure_id = ctx
        .entries(&site)?
        .iter()
        .find(|e| e["kind"] == "failure")
        .and_then(|e| e["id"].as_str().map(str::to_owned))
        .context("the failure")?;
    let case = get_page(ctx, &format!("/s/{}/entries/{failure_id}", site.id), Some(&cookie), &[])?;
    for (what, page, escaped) in [
        ("inbox", &inbox, "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        ("case", &case, "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        ("case", &case, "&lt;b&gt;Bob&lt;/b&gt;"),
        ("praise", &praise, "&lt;script&gt;alert(3)&lt;/script&gt; great"),
    ] {
        ensure!(page.status == 200, "{what}: {}", page.status);
        for raw in ["<script", "<img", "<b>Bob", "onerror=alert(2)>"] {
            ensure!(!page.body.contains(raw), "{what}: raw {raw:?} in the page");
        }
        ensure!(page.body.contains(escaped), "{what}: escaped {escaped:?} missing");
        ensure!(!page.body.contains('\u{202e}'));
    }

    // In the browser the text is text: no image or script element came from it.
    let browser = browser_signed_in(ctx, &site)?;
    browser.goto(&ctx.url(&format!("/s/{}/entries/{failure_id}", site.id)))?;
    let comment = browser.text(&browser.find("[data-field=comment]")?)?;
    ensure!(comment == hostile, "the comment reads as typed: {comment:?}");
    ensure!(browser.count("img")? == 0 && browser.count("script")? == 0, "no element from customer text");
    Ok(())
}

/// Every owner page, redirect and error carries the strict headers; the session cookie is
/// HttpOnly, Secure, SameSite=Strict, scoped to the site's page and expiring in 12 hours; the
/// stylesheet the CSP allows is served.
fn owner_pages_carry_strict_headers(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let page = format!("/s/{}", site.id);
    let login = form_post(ctx, &format!("{page}/login"), None, &format!("key={}", site.owner_key), &[])?;
    let cookie_header = login.header("set-cookie").unwrap_or_default().to_owned();
    for part in ["HttpOnly", "Secure", "SameSite=Strict", &format!("Path={page};"), "Max-Age=43200"] {
        ensure!(cookie_header.contains(part), "cookie lacks {part}: {cookie_header}");
    }
    let cookie = cookie_header.split(';').next().unwrap_or_default().to_owned();
    let answers = [
        ("login page", get_page(ctx, &page, None, &[])?),
        ("login redirect", login),
        ("wrong key", form_post(ctx, &format!("{page}/login"), None, "key=nope", &[])?),
        ("summary page", get_page(ctx, &format!("{page}/summary?days=7"), Some(&cookie), &[])?),
        ("inbox", get_page(ctx, &page, Some(&cookie), &[])?),
        ("settings", get_page(ctx, &format!("{page}/settings"), Some(&cookie), &[])?),
        ("alerts", get_page(ctx, &format!("{page}/alerts"), Some(&cookie), &[])?),
        ("csrf refusal", form_post(ctx, &format!("{page}/logout"), Some(&cookie), "", &[])?),
        ("unknown path", get_page(ctx, &format!("{page}/nothing"), Some(&cookie), &[])?),
        ("export", get_page(ctx, &format!("{page}/export.csv"), Some(&cookie), &[])?),
    ];
    for (what, answer) in &answers {
        ensure!(answer.header("content-security-policy") == Some(CSP), "{what}: CSP {:?}", answer.headers);
        ensure!(answer.header("x-frame-options") == Some("DENY"), "{what}: {:?}", answer.headers);
        ensure!(answer.header("referrer-policy") == Some("no-referrer"), "{what}: {:?}", answer.headers);
        ensure!(answer.header("cache-control") == Some("no-store"), "{what}: {:?}", answer.headers);
    }
    ensure!(answers[3].1.status == 200 && answers[3].1.body.contains("data-period=\"7\" aria-current=\"page\""));
    for (what, answer) in &answers[3..7] {
        ensure!(answer.status == 200 && !answer.body.contains("style="), "{what}: no inline style under this CSP");
        ensure!(answer.header("x-content-type-options") == Some("nosniff"), "{what}: {:?}", answer.headers);
    }
    // The page follows the browser's language; Arabic is laid out right to left.
    let arabic = get_page(ctx, &page, None, &[("accept-language", "ar-EG,ar;q=0.9,en;q=0.5")])?;
    ensure!(arabic.body.contains(r#"<html lang="ar" dir="rtl">"#), "Arabic page: {}", arabic.body);
    let finnish = get_page(ctx, &format!("{page}/summary?days=30"), Some(&cookie), &[("accept-language", "fi")])?;
    ensure!(finnish.body.contains(r#"lang="fi""#) && finnish.body.contains("Viimeiset 30 päivää"), "Finnish page");
    let css = http::get(&ctx.url("/summary.css"), &[])?;
    ensure!(
        css.status == 200 && css.header("content-type").is_some_and(|t| t.starts_with("text/css")),
        "{:?}",
        css.headers
    );
    ensure!(css.body.contains("@media print"), "printable");
    Ok(())
}

/// A receiver that answers 410 disables its endpoint: the page shows the endpoint as disabled,
/// the failure's callback as failed, and a "Send again" button; once the receiver is back, that
/// button delivers the same message and the endpoint is active again.
fn callback_health_shows_a_failed_delivery_and_replays_it(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let receiver = Receiver::start(vec![Reply::status(410)])?;
    let auth = format!("Bearer {}", site.owner_key);
    let registered = http::post_json(
        &ctx.url(&format!("/v1/sites/{}/callbacks", site.id)),
        &[("authorization", &auth)],
        &json!({"url": receiver.url("/hooks/tellus"), "events": ["failure.reported"], "format": "standard"}),
    )?;
    ensure!(registered.status == 201, "register: {} {}", registered.status, registered.body);
    let (id, _) = submitted(ctx, &site, json!({"rating": 1, "comment": "Broken link in the email"}))?;
    let cookie = sign_in(ctx, &site)?;
    let page = format!("/s/{}/alerts", site.id);

    let html = tellus_tests::poll("the failed delivery on the page", Duration::from_secs(20), || {
        let answer = get_page(ctx, &page, Some(&cookie), &[]).ok()?;
        answer.body.contains("data-action=\"replay\"").then_some(answer.body)
    })?;
    ensure!(html.contains("data-field=\"endpoint-status\">disabled<"), "the endpoint shows as disabled");
    let inbox = get_page(ctx, &format!("/s/{}", site.id), Some(&cookie), &[])?;
    ensure!(inbox.body.contains("data-warning=\"endpoints\""), "the inbox warns that alerts may not arrive");
    let case = get_page(ctx, &format!("/s/{}/entries/{id}", site.id), Some(&cookie), &[])?;
    ensure!(case.body.contains("failure.reported failed (HTTP 410)"), "the case's history shows the delivery");
    let end = html.find("/replay\"").context("replay form")? + "/replay".len();
    let start = html[..end].rfind("action=\"").context("replay action")? + "action=\"".len();
    let action = html[start..end].to_owned();
    let replayed = form_post(ctx, &action, Some(&cookie), &format!("csrf={}", csrf_of(&html)?), &[])?;
    ensure!(replayed.status == 303, "replay: {} {}", replayed.status, replayed.body);
    ensure!(receiver.received().len() == 2, "the receiver got the message again: {}", receiver.received().len());
    let after = get_page(ctx, &page, Some(&cookie), &[])?;
    ensure!(after.body.contains("data-field=\"endpoint-status\">active<"), "the endpoint is active again");
    ensure!(!after.body.contains("data-action=\"replay\""), "nothing left to replay");
    let inbox = get_page(ctx, &format!("/s/{}", site.id), Some(&cookie), &[])?;
    ensure!(inbox.body.contains(&format!("id=\"entry-{id}\"")), "the failure is still to fix");
    Ok(())
}

/// Each answer keeps the language its customer used (stored with the entry, counted in the
/// summary by primary subtag; no `lang` means English). The page lists that mix by name, count
/// and share in the reader's own language, and writes its counted words and numbers by that
/// language's rules: Russian says "Последние 7 дней" and "40 %", Arabic "آخر 7 أيام".
fn each_answer_keeps_its_language_and_the_page_shows_the_mix_in_the_readers_language(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let answers = [(5, Some("et")), (4, Some("et-EE")), (1, Some("ru")), (3, Some("ar")), (5, None)];
    for (rating, lang) in answers {
        let mut body = json!({ "rating": rating });
        if let Some(lang) = lang {
            body["lang"] = json!(lang);
        }
        submitted(ctx, &site, body)?;
    }
    let entries = owner_get(ctx, &site, "/entries")?;
    let mut stored: Vec<&str> =
        entries["entries"].as_array().into_iter().flatten().filter_map(|e| e["lang"].as_str()).collect();
    stored.sort_unstable();
    ensure!(stored == ["ar", "en", "et", "et-EE", "ru"], "each entry keeps its language: {stored:?}");
    let summary = owner_get(ctx, &site, "/summary?days=7")?;
    let langs = &summary["current"]["langs"];
    ensure!(langs == &json!({"ar": 1, "en": 1, "et": 2, "ru": 1}), "the summary counts the mix: {langs}");

    let cookie = sign_in(ctx, &site)?;
    let page = format!("/s/{}/summary", site.id);
    let expectations = [
        ("en", r#"<tr data-lang="et"><th scope="row">Estonian (et)</th><td>2</td><td>40%</td></tr>"#, "Last 7 days"),
        (
            "ru",
            "<tr data-lang=\"et\"><th scope=\"row\">эстонский (et)</th><td>2</td><td>40\u{a0}%</td></tr>",
            "Последние 7 дней",
        ),
        (
            "pl",
            r#"<tr data-lang="ru"><th scope="row">rosyjski (ru)</th><td>1</td><td>20%</td></tr>"#,
            "Ostatnie 30 dni",
        ),
        (
            "ar",
            "<tr data-lang=\"ar\"><th scope=\"row\">العربية (ar)</th><td>1</td><td>20\u{200e}%\u{200e}</td></tr>",
            "آخر 7 أيام",
        ),
    ];
    for (lang, row, period) in expectations {
        let answer = get_page(ctx, &page, Some(&cookie), &[("accept-language", lang)])?;
        ensure!(answer.status == 200, "{lang}: {}", answer.status);
        ensure!(answer.body.contains(row), "{lang}: the language mix row {row:?} in {}", answer.body);
        ensure!(answer.body.contains(period), "{lang}: {period:?} in the page");
        for code in ["en", "et", "ru", "ar"] {
            ensure!(answer.body.contains(&format!(r#"data-lang="{code}""#)), "{lang}: a row for {code}");
        }
    }
    Ok(())
}

/// A request the page cannot handle (a wrong method, a login that is not a form) gets an error
/// page in the owner's language, not the API's English detail.
fn a_refused_request_is_explained_in_the_owners_language(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let russian = ("accept-language", "ru-RU,ru;q=0.9");
    let wrong_method = http::send("DELETE", &ctx.url(&format!("/s/{}", site.id)), &[russian], None)?;
    ensure!(wrong_method.status == 405 && wrong_method.header("allow").is_some(), "{}", wrong_method.status);
    let text = tellus_core::page_strings::RU.error_request;
    ensure!(wrong_method.body.contains(text), "405 page: {}", wrong_method.body);
    let not_a_form = http::send(
        "POST",
        &ctx.url(&format!("/s/{}/login", site.id)),
        &[russian, ("content-type", "application/json")],
        Some(b"{}"),
    )?;
    ensure!(
        not_a_form.status == 415 && not_a_form.body.contains(text),
        "415 page: {} {}",
        not_a_form.status,
        not_a_form.body
    );
    ensure!(!not_a_form.body.contains("application/x-www-form-urlencoded"), "no English API detail");
    Ok(())
}
