//! The owner's settings and alert endpoints, changed from the page in Chromium and read back
//! through the API: every site setting the API has, a theme colour refused with the contrast
//! explained, the owner key rotated (shown once, the old one dead), and an endpoint added (its
//! secret shown once), tested with "send a test alert" through the real delivery path, its
//! events changed and removed.

use crate::summary_page::{browser_signed_in, notice_after};
use crate::{Ctx, TestFn};
use anyhow::{Result, ensure};
use serde_json::json;
use std::time::Duration;
use tellus_tests::receiver::{Receiver, Reply};
use tellus_tests::webdriver::Session;
use tellus_tests::{http, paths, poll};

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    every_setting_changed_on_the_page_reads_back_through_the_api,
    an_endpoint_is_added_tested_changed_and_removed_from_the_page,
    telegram_and_email_endpoints_are_added_from_the_page_in_their_language,
];

/// Replaces an input's or textarea's value the way a person would: select all, type anew.
fn retype(browser: &Session, selector: &str, text: &str) -> Result<()> {
    browser.execute("document.querySelector(arguments[0]).value = '';", vec![json!(selector)])?;
    browser.type_text(&browser.find(selector)?, text)
}

/// Sets an `<input type=color>` (WebDriver cannot type into a colour picker).
fn set_value(browser: &Session, selector: &str, value: &str) -> Result<()> {
    browser
        .execute("document.querySelector(arguments[0]).value = arguments[1];", vec![json!(selector), json!(value)])?;
    Ok(())
}

/// The owner changes every setting on the settings page and saves; `GET /v1/sites/{site}`
/// answers each new value. A yellow theme colour is refused with core's contrast message next
/// to the field, everything typed kept; rotating the key shows a new one that opens the API
/// while the old one no longer does.
fn every_setting_changed_on_the_page_reads_back_through_the_api(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = browser_signed_in(ctx, &site)?;
    browser.goto(&ctx.url(&format!("/s/{}/settings", site.id)))?;
    retype(&browser, "#name", "Corner café")?;
    retype(&browser, "#allowed_origins", "https://cafe.example\nhttps://www.cafe.example")?;
    browser.execute("document.querySelector('#scale').value = 'nps';", vec![])?;
    retype(&browser, "#failure_threshold", "5")?;
    retype(&browser, "#acknowledge_minutes", "30")?;
    retype(&browser, "#fix_minutes", "600")?;
    retype(&browser, "#review_link_0_id", "google")?;
    retype(&browser, "#review_link_0_label", "Google reviews")?;
    retype(&browser, "#review_link_0_url", "https://g.example/cafe")?;
    set_value(&browser, "#theme_color", "#224466")?;
    retype(&browser, "#retention_days", "200")?;
    browser.click(&browser.find("[data-action=save-settings]")?)?;
    notice_after(&browser, "saved")?;

    let auth = format!("Bearer {}", site.owner_key);
    let read = http::get(&ctx.url(&format!("/v1/sites/{}", site.id)), &[("authorization", &auth)])?;
    ensure!(read.status == 200, "{}", read.body);
    let settings = &read.json()["settings"];
    let expected = json!({
        "name": "Corner café",
        "allowed_origins": ["https://cafe.example", "https://www.cafe.example"],
        "scale": "nps",
        "failure_threshold": 5,
        "sla": {"acknowledge_minutes": 30, "fix_minutes": 600},
        "review_links": [{"id": "google", "label": "Google reviews", "url": "https://g.example/cafe"}],
        "theme_color": "#224466",
        "retention_days": 200,
    });
    ensure!(settings == &expected, "read back: {settings:#}");

    // A colour white text cannot be read on: refused with the API's message, the form kept.
    set_value(&browser, "#theme_color", "#ffff00")?;
    retype(&browser, "#name", "Corner café & bar")?;
    browser.click(&browser.find("[data-action=save-settings]")?)?;
    let message = browser.text(&browser.find("#theme_color-error")?)?;
    ensure!(message.contains("contrast with white text") && message.contains("4.5:1"), "{message}");
    let hint = browser.text(&browser.find("#theme-contrast")?)?;
    ensure!(hint.contains("1.07:1"), "the contrast is explained with this colour's ratio: {hint}");
    let kept = browser.execute("return document.querySelector('#name').value;", vec![])?;
    ensure!(kept == "Corner café & bar", "what was typed is kept: {kept}");
    browser.screenshot(&paths::artifacts().join("settings-refused.png"))?;
    let unchanged = http::get(&ctx.url(&format!("/v1/sites/{}", site.id)), &[("authorization", &auth)])?;
    ensure!(unchanged.json()["settings"] == expected, "nothing saved from a refused form");

    // A new owner key, shown once; the old one stops working.
    browser.goto(&ctx.url(&format!("/s/{}/settings", site.id)))?;
    browser.click(&browser.find("#h-rotate ~ form input[name=confirm]")?)?;
    browser.click(&browser.find("[data-action=rotate-key]")?)?;
    let key = browser.text(&browser.find("[data-new-key]")?)?;
    ensure!(key.starts_with("tlk_"), "{key}");
    let old = http::get(&ctx.url(&format!("/v1/sites/{}", site.id)), &[("authorization", &auth)])?;
    ensure!(old.status == 401, "the old key: {}", old.status);
    let new = http::get(&ctx.url(&format!("/v1/sites/{}", site.id)), &[("authorization", &format!("Bearer {key}"))])?;
    ensure!(new.status == 200, "the new key: {}", new.status);
    Ok(())
}

/// On the alerts page the owner adds a Standard Webhooks endpoint (the secret is shown once),
/// sends a test alert (the receiver gets a signed sample failure and the log shows it
/// delivered), chooses other events, and removes the endpoint; the API agrees each time.
fn an_endpoint_is_added_tested_changed_and_removed_from_the_page(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let receiver = Receiver::start_answering(Reply::status(200))?;
    let browser = browser_signed_in(ctx, &site)?;
    browser.goto(&ctx.url(&format!("/s/{}/alerts", site.id)))?;
    browser.type_text(&browser.find("#ep-url")?, &receiver.url("/hooks/page"))?;
    browser.type_text(&browser.find("#ep-description")?, "Front desk")?;
    browser.click(&browser.find("[data-action=add-endpoint]")?)?;
    let secret = browser.text(&browser.find("[data-secret] code")?)?;
    ensure!(secret.starts_with("whsec_"), "the secret is shown once: {secret}");
    let auth = format!("Bearer {}", site.owner_key);
    let listed = http::get(&ctx.url(&format!("/v1/sites/{}/callbacks", site.id)), &[("authorization", &auth)])?;
    let endpoint = listed.json()["endpoints"][0].clone();
    ensure!(endpoint["url"] == receiver.url("/hooks/page").as_str(), "{endpoint}");
    ensure!(endpoint["events"] == json!(["failure.reported", "failure.overdue"]), "{endpoint}");
    let id = endpoint["id"].as_str().unwrap_or_default().to_owned();

    browser.goto(&ctx.url(&format!("/s/{}/alerts", site.id)))?;
    browser.click(&browser.find(&format!("#ep-{id} [data-action=test]"))?)?;
    let test =
        poll("the test alert at the receiver", Duration::from_secs(20), || receiver.received().into_iter().next())?;
    ensure!(test.header("webhook-signature").is_some_and(|s| s.starts_with("v1,")), "signed like any delivery");
    ensure!(test.json()["type"] == "failure.reported", "{}", test.body);
    ensure!(test.json()["data"]["comment"].as_str().is_some_and(|c| c.contains("test alert")), "{}", test.body);
    poll("the test delivery in the log", Duration::from_secs(15), || {
        browser.find(&format!("#ep-{id} tr[data-state=delivered]")).ok()
    })?;
    let log =
        http::get(&ctx.url(&format!("/v1/sites/{}/callbacks/{id}/deliveries", site.id)), &[("authorization", &auth)])?;
    ensure!(log.json()["deliveries"][0]["state"] == "delivered", "recorded like any delivery: {}", log.body);
    browser.screenshot(&paths::artifacts().join("alerts-page.png"))?;

    // Praise only, from now on.
    for (i, wanted) in [false, false, false, true].into_iter().enumerate() {
        let selector = format!("#ev-{id}-{i}");
        let checked = browser.execute("return document.querySelector(arguments[0]).checked;", vec![json!(selector)])?;
        if checked != wanted {
            browser.click(&browser.find(&selector)?)?;
        }
    }
    browser.click(&browser.find(&format!("#ep-{id} [data-action=events]"))?)?;
    notice_after(&browser, "events")?;
    let listed = http::get(&ctx.url(&format!("/v1/sites/{}/callbacks", site.id)), &[("authorization", &auth)])?;
    ensure!(listed.json()["endpoints"][0]["events"] == json!(["praise.received"]), "{}", listed.body);

    browser.click(&browser.find(&format!("#ep-{id} input[name=confirm]"))?)?;
    browser.click(&browser.find(&format!("#ep-{id} [data-action=remove]"))?)?;
    notice_after(&browser, "removed")?;
    let listed = http::get(&ctx.url(&format!("/v1/sites/{}/callbacks", site.id)), &[("authorization", &auth)])?;
    ensure!(listed.json()["endpoints"] == json!([]), "{}", listed.body);
    Ok(())
}

/// The alerts page adds every format the API has, not only webhooks: a Telegram endpoint (bot
/// token and chat, alerts in Finnish) whose test alert reaches the Bot API's `sendMessage` in
/// Finnish, and an email endpoint. A field the chosen format does not use is refused by name,
/// with what was typed kept (the bot token excepted: a secret is never drawn back).
fn telegram_and_email_endpoints_are_added_from_the_page_in_their_language(ctx: &Ctx) -> Result<()> {
    const BOT_TOKEN: &str = "123456789:AAEpageTestTokenThatIsLongEnough_x1";
    let site = ctx.create_site(json!({}))?;
    let telegram = Receiver::start_answering(Reply::status(200))?;
    let auth = format!("Bearer {}", site.owner_key);
    let browser = browser_signed_in(ctx, &site)?;
    browser.goto(&ctx.url(&format!("/s/{}/alerts", site.id)))?;
    set_value(&browser, "#ep-format", "telegram")?;
    browser.type_text(&browser.find("#ep-url")?, &telegram.url(""))?;
    browser.type_text(&browser.find("#ep-bot-token")?, BOT_TOKEN)?;
    browser.type_text(&browser.find("#ep-chat-id")?, "-1001234567890")?;
    set_value(&browser, "#ep-lang", "fi")?;
    browser.click(&browser.find("[data-action=add-endpoint]")?)?;
    poll("the Telegram endpoint on the page", Duration::from_secs(15), || browser.find("[data-field=chat]").ok())?;
    let listed = http::get(&ctx.url(&format!("/v1/sites/{}/callbacks", site.id)), &[("authorization", &auth)])?;
    let endpoint = listed.json()["endpoints"][0].clone();
    ensure!(endpoint["format"] == "telegram" && endpoint["lang"] == "fi", "{endpoint}");
    ensure!(endpoint["chat_id"] == "-1001234567890" && endpoint["signed"] == false, "{endpoint}");
    ensure!(!listed.body.contains(BOT_TOKEN), "the bot token is never shown: {}", listed.body);
    let id = endpoint["id"].as_str().unwrap_or_default().to_owned();
    let meta = browser.text(&browser.find(&format!("#ep-{id} .meta"))?)?;
    ensure!(meta.contains("not signed") && meta.contains("(fi)"), "{meta}");

    browser.click(&browser.find(&format!("#ep-{id} [data-action=test]"))?)?;
    let test =
        poll("the test alert at the Bot API", Duration::from_secs(20), || telegram.received().into_iter().next())?;
    ensure!(test.path == format!("/bot{BOT_TOKEN}/sendMessage"), "{}", test.path);
    let chat = &test.json()["chat_id"];
    let chat = chat.as_i64().map(|n| n.to_string()).or_else(|| chat.as_str().map(str::to_owned));
    ensure!(chat.as_deref() == Some("-1001234567890"), "{}", test.body);
    ensure!(test.json()["text"].as_str().is_some_and(|t| t.contains("testihälytys")), "in Finnish: {}", test.body);

    // Email, with a webhook address left in the form by mistake: refused by name, kept.
    browser.goto(&ctx.url(&format!("/s/{}/alerts", site.id)))?;
    set_value(&browser, "#ep-format", "email")?;
    browser.type_text(&browser.find("#ep-email")?, "owner@shop.example")?;
    browser.type_text(&browser.find("#ep-url")?, "https://hooks.example/left-over")?;
    browser.click(&browser.find("[data-action=add-endpoint]")?)?;
    let refusal = poll("the url refused by name", Duration::from_secs(15), || browser.find("#ep-url-error").ok())?;
    ensure!(browser.text(&refusal)?.contains("not used by email"), "{}", browser.text(&refusal)?);
    let kept = browser.execute("return document.querySelector('#ep-email').value;", vec![])?;
    ensure!(kept == "owner@shop.example", "the address typed is kept: {kept}");
    set_value(&browser, "#ep-url", "")?;
    browser.click(&browser.find("[data-action=add-endpoint]")?)?;
    poll("the email endpoint listed", Duration::from_secs(15), || {
        let listed =
            http::get(&ctx.url(&format!("/v1/sites/{}/callbacks", site.id)), &[("authorization", &auth)]).ok()?;
        let endpoints = listed.json()["endpoints"].as_array().cloned().unwrap_or_default();
        endpoints.into_iter().find(|e| e["format"] == "email")
    })
    .and_then(|email| {
        ensure!(email["url"] == "mailto:owner@shop.example", "{email}");
        Ok(())
    })
}
