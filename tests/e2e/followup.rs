//! After the customer has left, end to end on the real local Worker and Chromium: the follow-up
//! emails recorded by wrangler's local `send_email` binding (it sends nothing: it logs From, To
//! and Subject and writes the text and HTML bodies to files, whose paths it logs), the hosted
//! receipt page they link to, unsubscribing, the hosted feedback page at 320 px in English and
//! Arabic, and the summary page's QR codes, decoded from what Chromium paints.

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use std::time::Duration;
use tellus_tests::http::{self, Answer};
use tellus_tests::mailbox::{recorded, recorded_to};
use tellus_tests::webdriver::Session;
use tellus_tests::worker_process::LOCAL_MAIL_FROM;
use tellus_tests::{paths, poll};

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    a_consenting_customer_gets_the_reply_and_the_fix_by_email_and_rerates_once_from_a_link,
    a_customer_without_consent_or_an_email_address_gets_no_email,
    a_wrong_or_missing_token_shows_nothing_of_the_entry,
    unsubscribing_stops_further_emails_about_that_entry,
    the_hosted_page_submits_with_its_touchpoint_at_320_px_in_english_and_arabic,
    the_summary_page_qr_code_decodes_to_the_touchpoints_hosted_page,
    axe_finds_nothing_on_the_receipt_and_hosted_pages_in_english_and_arabic,
];

fn owner(ctx: &Ctx, site: &TestSite, method: &str, path: &str, body: Option<Value>) -> Result<Answer> {
    let auth = format!("Bearer {}", site.owner_key);
    let url = ctx.url(&format!("/v1/sites/{}{path}", site.id));
    let bytes = body.map(|body| serde_json::to_vec(&body)).transpose()?;
    http::send(method, &url, &[("authorization", &auth), ("content-type", "application/json")], bytes.as_deref())
}

fn owner_ok(ctx: &Ctx, site: &TestSite, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
    let answer = owner(ctx, site, method, path, body)?;
    ensure!(answer.status == 200, "{method} {path}: {} {}", answer.status, answer.body);
    Ok(answer.json())
}

/// A failure with the customer's consent and email address; answers its id and receipt token.
fn failure_with_contact(ctx: &Ctx, site: &TestSite, lang: &str, contact: Option<Value>) -> Result<(String, String)> {
    let mut body = json!({ "rating": 1, "comment": "The soup was cold", "lang": lang });
    if let Some(contact) = contact {
        body["consent"] = json!(true);
        body["contact"] = contact;
    }
    let answer = ctx.submit(site, &body)?;
    ensure!(answer.status == 201, "submit: {} {}", answer.status, answer.body);
    let json = answer.json();
    Ok((json["id"].as_str().unwrap_or_default().into(), json["receipt_token"].as_str().unwrap_or_default().into()))
}

/// The emails the site's desk holds (the test protocol's view: id, kind, state, message).
fn desk_mails(ctx: &Ctx, site: &TestSite) -> Result<Vec<Value>> {
    let answer = http::get(&ctx.url(&format!("/v1/test/sites/{}/desk", site.id)), &[])?;
    ensure!(answer.status == 200, "desk: {} {}", answer.status, answer.body);
    Ok(answer.json()["mails"].as_array().cloned().unwrap_or_default())
}

/// Waits until the desk has handed `n` emails to the binding.
fn sent_mails(ctx: &Ctx, site: &TestSite, n: usize) -> Result<Vec<Value>> {
    poll(&format!("{n} emails sent"), Duration::from_secs(20), || {
        let mails = desk_mails(ctx, site).ok()?;
        (mails.iter().filter(|m| m["state"] == "delivered").count() >= n).then_some(mails)
    })
}

/// The rating link for `rating` in an email's text.
fn rating_link(text: &str, rating: u8) -> Result<String> {
    let wanted = format!("?rating={rating}");
    text.split_whitespace()
        .find(|word| word.starts_with("http") && word.ends_with(&wanted))
        .map(str::to_owned)
        .with_context(|| format!("no link for rating {rating} in: {text}"))
}

fn recovery(ctx: &Ctx, site: &TestSite) -> Result<Value> {
    Ok(owner_ok(ctx, site, "GET", "/summary?days=7", None)?["current"]["recovery_percent"].clone())
}

/// A customer who ticked consent and left an address sends a failure in Estonian. The owner
/// replies, then fixes it: two emails are recorded, in Estonian, from the site's name, the first
/// with the reply, the second asking "how are we doing now?" with one link per rating and the
/// unsubscribe headers. Following the link for 4 opens the receipt page with 4 chosen (nothing
/// stored yet); confirming stores it against the original entry and the summary's recovery rate
/// moves; the same link again shows the rating given and stores no second one.
fn a_consenting_customer_gets_the_reply_and_the_fix_by_email_and_rerates_once_from_a_link(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({ "name": "Supi & Co" }))?;
    let address = format!("ada.{}@example.com", site.id);
    let contact = json!({ "name": "Ada", "email": address, "channel": "email" });
    let (id, _) = failure_with_contact(ctx, &site, "et-EE", Some(contact))?;
    ensure!(desk_mails(ctx, &site)?.is_empty(), "nothing is mailed for the failure itself");

    owner_ok(
        ctx,
        &site,
        "POST",
        &format!("/entries/{id}/reply"),
        Some(json!({ "text": "Vabandame! Uus supp tuleb." })),
    )?;
    sent_mails(ctx, &site, 1)?;
    owner_ok(ctx, &site, "POST", &format!("/entries/{id}/fix"), Some(json!({ "note": "new soup (internal)" })))?;
    let mails = sent_mails(ctx, &site, 2)?;
    ensure!(mails.len() == 2, "one email per event: {mails:#?}");
    // The same owner action again (a retried request) mails nothing new.
    let again = owner(ctx, &site, "POST", &format!("/entries/{id}/fix"), None)?;
    ensure!(again.status == 409, "fixing twice: {}", again.status);
    ensure!(desk_mails(ctx, &site)?.len() == 2, "a repeated fix made another email");

    let fixed = mails.iter().find(|m| m["kind"] == "customer.fixed").context("the fix's email")?;
    let headers = fixed["message"]["headers"].as_array().cloned().unwrap_or_default();
    let header =
        |name: &str| headers.iter().find(|h| h[0] == name).and_then(|h| h[1].as_str()).unwrap_or_default().to_owned();
    ensure!(header("List-Unsubscribe").starts_with('<') && header("List-Unsubscribe").ends_with("/unsubscribe>"));
    ensure!(header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click");

    let emails = recorded(&address, 2)?;
    let (reply, fix) = (&emails[0], &emails[1]);
    ensure!(reply.from.contains("Supi & Co") && reply.from.contains(LOCAL_MAIL_FROM), "from: {}", reply.from);
    ensure!(reply.subject == "Supi & Co vastas teie tagasisidele", "reply subject: {}", reply.subject);
    ensure!(reply.text.starts_with("Tere, Ada!"), "Estonian greeting: {}", reply.text);
    ensure!(reply.text.contains("> Vabandame! Uus supp tuleb."), "the reply is quoted: {}", reply.text);
    ensure!(!reply.text.contains("?rating="), "a reply asks for no rating");
    ensure!(fix.text.contains("Parandasime selle — kuidas meil nüüd läheb?"), "asks again in Estonian: {}", fix.text);
    ensure!(fix.text.contains("> Vabandame! Uus supp tuleb."), "the fix email carries the reply");
    ensure!(!fix.text.contains("internal"), "the fix note stays the owner's");
    ensure!(fix.html.contains(r#"<html lang="et" dir="ltr">"#) && fix.html.contains("Supi &amp; Co"));
    for rating in 1..=5 {
        let link = rating_link(&fix.text, rating)?;
        ensure!(fix.html.contains(&format!(r#"href="{link}""#)), "the HTML links {rating} too");
    }
    let link = rating_link(&fix.text, 4)?;
    ensure!(link.starts_with(&ctx.worker.base_url), "links go to this host: {link}");

    // A mail scanner following every link changes nothing.
    for rating in 1..=5 {
        ensure!(http::get(&rating_link(&fix.text, rating)?, &[])?.status == 200);
    }
    ensure!(
        owner_ok(ctx, &site, "GET", &format!("/entries/{id}"), None)?["rerating"].is_null(),
        "a GET stored a rating"
    );
    ensure!(recovery(ctx, &site)?.is_null(), "no recovery before a re-rating");

    let browser = ctx.driver.session()?;
    browser.goto(&link)?;
    browser.find("input[name=rating][value='4']")?;
    let checked =
        browser.execute("return document.querySelector(\"input[name=rating][value='4']\").checked;", vec![])?;
    ensure!(checked == true, "the link's rating is chosen");
    ensure!(browser.count("input[name=rating]:checked")? == 1);
    let lang = browser.execute("return document.documentElement.lang;", vec![])?;
    ensure!(lang == "et", "the page speaks Estonian: {lang}");
    browser.click(&browser.find("[data-action=confirm]")?)?;
    browser.find("[data-rerated]")?;
    let entry = owner_ok(ctx, &site, "GET", &format!("/entries/{id}"), None)?;
    ensure!(entry["rerating"]["rating"] == 4, "stored against the original entry: {entry}");
    let moved = poll("the recovery rate to move", Duration::from_secs(10), || {
        recovery(ctx, &site).ok().filter(|r| r.as_f64() == Some(100.0))
    });
    ensure!(moved.is_ok(), "recovery is {}", recovery(ctx, &site)?);

    // The same link again: the rating given, no form; a confirmation sent anyway stores nothing.
    browser.goto(&link)?;
    browser.find("[data-new-rating='4']")?;
    ensure!(browser.count("form.rerate")? == 0, "the form is gone once rated");
    let segment = link.split("/r/").nth(1).and_then(|s| s.split('?').next()).context("receipt segment")?;
    let second = form(ctx, &format!("/r/{segment}"), "rating=1")?;
    ensure!(second.status == 409, "a second confirmation: {} {}", second.status, second.body);
    let entry = owner_ok(ctx, &site, "GET", &format!("/entries/{id}"), None)?;
    ensure!(entry["rerating"]["rating"] == 4, "still the first re-rating: {entry}");
    Ok(())
}

/// A form POST as the customer's browser sends it from the page (same origin).
fn form(ctx: &Ctx, path: &str, body: &str) -> Result<Answer> {
    let origin = ctx.worker.base_url.clone();
    http::send(
        "POST",
        &ctx.url(path),
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", &origin),
            ("sec-fetch-site", "same-origin"),
        ],
        Some(body.as_bytes()),
    )
}

/// Customers who did not consent, gave only a phone, or asked to be called by phone get no
/// email when the owner replies to and fixes their failures; nothing is recorded for them.
fn a_customer_without_consent_or_an_email_address_gets_no_email(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let phone_only = json!({ "name": "Bo", "phone": "+372 555 1234" });
    let prefers_phone =
        json!({ "email": format!("cy.{}@example.com", site.id), "phone": "+372 555 9876", "channel": "phone" });
    for contact in [None, Some(phone_only), Some(prefers_phone)] {
        let (id, _) = failure_with_contact(ctx, &site, "en", contact)?;
        owner_ok(ctx, &site, "POST", &format!("/entries/{id}/reply"), Some(json!({ "text": "Sorry!" })))?;
        owner_ok(ctx, &site, "POST", &format!("/entries/{id}/fix"), None)?;
    }
    // The desk makes an email in the same call as the owner's action, so none exists now means
    // none will be sent.
    let mails = desk_mails(ctx, &site)?;
    ensure!(mails.is_empty(), "emails without consent: {mails:#?}");
    ensure!(recorded_to(&format!("cy.{}@example.com", site.id))?.is_empty(), "the binding was called");
    Ok(())
}

/// Someone with the address of another customer's receipt page but a wrong, shortened or no
/// token sees the same "nothing to show" page (404), under the owner pages' headers, with
/// nothing of the entry on it; a confirmation with a wrong token stores nothing.
fn a_wrong_or_missing_token_shows_nothing_of_the_entry(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({ "name": "Secret Soup Kitchen" }))?;
    let (id, token) = failure_with_contact(ctx, &site, "en", None)?;
    owner_ok(ctx, &site, "POST", &format!("/entries/{id}/reply"), Some(json!({ "text": "Private reply" })))?;
    owner_ok(ctx, &site, "POST", &format!("/entries/{id}/fix"), None)?;
    let good = format!("/r/{}.{id}.{token}", site.id);
    let right = http::get(&ctx.url(&good), &[])?;
    ensure!(right.status == 200 && right.body.contains("Private reply"), "the right token opens it: {}", right.status);
    let mut wrong_token = token.clone().into_bytes();
    wrong_token[0] = if wrong_token[0] == b'A' { b'B' } else { b'A' };
    let wrong_token = String::from_utf8(wrong_token)?;
    let bad = [
        format!("/r/{}.{id}.{wrong_token}", site.id),
        format!("/r/{}.{id}.{}", site.id, &token[..token.len() - 1]),
        format!("/r/{}.{id}", site.id),
        format!("/r/{}.{id}.", site.id),
        format!("/r/{id}"),
        format!("/r/{}.{id}.{wrong_token}/unsubscribe", site.id),
    ];
    for path in &bad {
        let answer = http::get(&ctx.url(path), &[])?;
        ensure!(answer.status == 404, "{path}: {}", answer.status);
        for secret in ["Private reply", "Secret Soup Kitchen", "cold", id.as_str(), "data-status"] {
            ensure!(!answer.body.contains(secret), "{path} shows {secret:?}");
        }
        ensure!(answer.header("content-security-policy").is_some_and(|csp| csp.contains("default-src 'none'")));
        ensure!(answer.header("referrer-policy") == Some("no-referrer"));
    }
    let csp = right.header("content-security-policy").unwrap_or_default();
    ensure!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "the receipt page runs no script: {csp}"
    );
    let forged = form(ctx, &format!("/r/{}.{id}.{wrong_token}", site.id), "rating=5")?;
    ensure!(forged.status == 404, "a forged confirmation: {}", forged.status);
    ensure!(owner_ok(ctx, &site, "GET", &format!("/entries/{id}"), None)?["rerating"].is_null());
    Ok(())
}

/// Opening the unsubscribe link (a GET, as a scanner would) changes nothing: the reply is still
/// mailed. The mail client's one-click POST (RFC 8058) then stops the emails about that entry:
/// the fix sends none, and the page says it is done.
fn unsubscribing_stops_further_emails_about_that_entry(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let address = format!("dee.{}@example.com", site.id);
    let (id, token) = failure_with_contact(ctx, &site, "en", Some(json!({ "email": address })))?;
    let unsubscribe = ctx.url(&format!("/r/{}.{id}.{token}/unsubscribe", site.id));
    let question = http::get(&unsubscribe, &[])?;
    ensure!(question.status == 200 && question.body.contains("data-action=\"unsubscribe\""), "{}", question.body);
    owner_ok(ctx, &site, "POST", &format!("/entries/{id}/reply"), Some(json!({ "text": "On it" })))?;
    sent_mails(ctx, &site, 1)?;
    let done = http::send(
        "POST",
        &unsubscribe,
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(b"List-Unsubscribe=One-Click"),
    )?;
    ensure!(done.status == 200 && done.body.contains("data-unsubscribed"), "one-click: {} {}", done.status, done.body);
    owner_ok(ctx, &site, "POST", &format!("/entries/{id}/fix"), None)?;
    let mails = desk_mails(ctx, &site)?;
    ensure!(mails.len() == 1 && mails[0]["kind"] == "customer.replied", "after unsubscribing: {mails:#?}");
    Ok(())
}

/// Opens the hosted feedback page of a touchpoint in `lang` on a 320 px wide screen; the dialog
/// opens by itself.
fn hosted(ctx: &Ctx, site: &TestSite, touchpoint: &str, lang: &str) -> Result<Session> {
    let browser = ctx.driver.session()?;
    crate::a11y::narrow(&browser, 320, 640, 1)?;
    browser.goto(&ctx.url(&format!("/f/{}?touchpoint={}&lang={lang}", site.id, http::encode_query(touchpoint))))?;
    browser.find("[data-tellus=dialog]")?;
    Ok(browser)
}

/// At a counter without a website, a customer scans the code and lands on the site's hosted
/// page on a 320 px phone, in English and in Arabic: the dialog is already open, fits the
/// screen, and sends an entry that carries the page's touchpoint and the language.
fn the_hosted_page_submits_with_its_touchpoint_at_320_px_in_english_and_arabic(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({ "name": "Kiosk" }))?;
    for lang in ["en", "ar"] {
        let touchpoint = format!("counter {lang}");
        let browser = hosted(ctx, &site, &touchpoint, lang)?;
        let heading = browser.text(&browser.find("h1")?)?;
        ensure!(heading.contains("Kiosk"), "the page names the site: {heading}");
        let dir = browser.execute("return document.documentElement.dir;", vec![])?;
        ensure!(dir == if lang == "ar" { "rtl" } else { "ltr" }, "{lang}: dir {dir}");
        let problems = crate::a11y::reflow_problems(&browser, "widget", &["[data-tellus=send]"])?;
        ensure!(problems.is_empty(), "{lang} at 320 px: {problems:#?}");
        crate::widget::rate(&browser, 4)?;
        let id = crate::widget::send_and_confirm(&browser)?;
        browser.screenshot(&paths::artifacts().join(format!("hosted-320px-{lang}.png")))?;
        let entry = owner_ok(ctx, &site, "GET", &format!("/entries/{id}"), None)?;
        ensure!(entry["touchpoint"]["page"] == touchpoint.as_str(), "{lang}: {entry}");
        ensure!(entry["lang"].as_str().is_some_and(|l| l.starts_with(lang)), "{lang}: {entry}");
    }
    Ok(())
}

/// Decodes the one QR code in a PNG.
fn decode_qr(png_bytes: &[u8]) -> Result<String> {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info()?;
    let mut buf = vec![0; reader.output_buffer_size().context("png size")?];
    let info = reader.next_frame(&mut buf)?;
    let channels = info.color_type.samples();
    let (width, height) = (info.width as usize, info.height as usize);
    let luma = |x: usize, y: usize| -> u8 {
        let i = (y * width + x) * channels;
        let px = &buf[i..i + channels.min(3)];
        (px.iter().map(|&v| u32::from(v)).sum::<u32>() / px.len() as u32) as u8
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
    let grids = image.detect_grids();
    let Some(grid) = grids.first() else { bail!("no QR code found in a {width}x{height} image") };
    let (_, content) = grid.decode()?;
    Ok(content)
}

/// The owner's summary page lists each touchpoint of the period with its hosted page's link and
/// a QR code; the code, as Chromium paints it, decodes (with `rqrr`) to that page's address,
/// and the printable page's larger code decodes to the same.
fn the_summary_page_qr_code_decodes_to_the_touchpoints_hosted_page(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let answer = ctx.submit(&site, &json!({ "rating": 5, "touchpoint": { "page": "till 2" } }))?;
    ensure!(answer.status == 201, "submit: {}", answer.body);
    let expected = format!("{}/f/{}?touchpoint=till+2", ctx.worker.base_url, site.id);
    let browser = crate::summary_page::browser_signed_in(ctx, &site)?;
    browser.goto(&ctx.url(&format!("/s/{}/summary", site.id)))?;
    // Screenshots at device scale 2, as a phone's camera sees a screen: two pixels a CSS pixel.
    crate::a11y::narrow(&browser, 1280, 900, 2)?;
    let link = browser.find("tr[data-touchpoint='till 2'] a[data-feedback-link]")?;
    ensure!(browser.attribute(&link, "href")?.as_deref() == Some(expected.as_str()), "the link");
    let code = browser.find("tr[data-touchpoint='till 2'] svg[data-qr]")?;
    let shot = browser.element_screenshot(&code)?;
    std::fs::create_dir_all(paths::artifacts())?;
    std::fs::write(paths::artifacts().join("summary-qr.png"), &shot)?;
    let decoded = decode_qr(&shot)?;
    ensure!(decoded == expected, "the code on the summary page reads {decoded:?}, not {expected:?}");
    let whole = browser.find("tr[data-touchpoint=''] svg[data-qr]")?;
    let decoded = decode_qr(&browser.element_screenshot(&whole)?)?;
    ensure!(decoded == format!("{}/f/{}", ctx.worker.base_url, site.id), "the whole site's code: {decoded}");

    browser.goto(&ctx.url(&format!("/s/{}/touchpoints?touchpoint=till%202", site.id)))?;
    let large = browser.find("svg[data-qr]")?;
    let decoded = decode_qr(&browser.element_screenshot(&large)?)?;
    ensure!(decoded == expected, "the printable code reads {decoded:?}");
    let page = http::get(&ctx.url(&format!("/s/{}/touchpoints", site.id)), &[])?;
    ensure!(page.status == 303, "the printable page needs the owner's session: {}", page.status);
    Ok(())
}

/// axe-core finds no WCAG 2.2 A/AA violation on the receipt page (with its re-rating form) and
/// on the hosted feedback page (with the dialog open), in English and in Arabic.
fn axe_finds_nothing_on_the_receipt_and_hosted_pages_in_english_and_arabic(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({ "name": "Axe Shop" }))?;
    for lang in ["en", "ar"] {
        let (id, token) = failure_with_contact(ctx, &site, lang, None)?;
        owner_ok(ctx, &site, "POST", &format!("/entries/{id}/reply"), Some(json!({ "text": "Sorry — fixed." })))?;
        owner_ok(ctx, &site, "POST", &format!("/entries/{id}/fix"), None)?;
        let browser = ctx.driver.session()?;
        browser.goto(&ctx.url(&format!("/r/{}.{id}.{token}?rating=3", site.id)))?;
        browser.find("form.rerate")?;
        crate::a11y::axe_clean(&browser, &format!("the receipt page ({lang})"))?;
        browser.goto(&ctx.url(&format!("/r/{}.{id}.{token}/unsubscribe", site.id)))?;
        browser.find("[data-action=unsubscribe]")?;
        crate::a11y::axe_clean(&browser, &format!("the unsubscribe page ({lang})"))?;
        let hosted = hosted(ctx, &site, "door", lang)?;
        poll("the dialog to settle", Duration::from_secs(5), || {
            hosted
                .execute(
                    "return document.querySelector('tellus-widget').shadowRoot.getAnimations().every(a => a.playState !== 'running');",
                    vec![],
                )
                .ok()?
                .as_bool()
                .filter(|done| *done)
        })?;
        crate::a11y::axe_clean(&hosted, &format!("the hosted feedback page ({lang})"))?;
    }
    Ok(())
}
