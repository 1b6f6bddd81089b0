//! A real Chromium on the demo host page, driven like a customer would use it.

use crate::{Ctx, TestFn};
use anyhow::{Result, ensure};
use serde_json::json;
use tellus_tests::paths;

pub const TESTS: &[(&str, TestFn)] = crate::tests![a_customer_rates_comments_and_sends_from_the_demo_page];

/// The customer clicks the launcher, picks 4 of 5, writes a comment and sends; the widget says
/// thanks only after the Worker stored it, and the owner finds that exact entry.
fn a_customer_rates_comments_and_sends_from_the_demo_page(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = ctx.driver.session()?;
    browser.goto(&ctx.url(&format!("/demo?site={}", site.id)))?;

    let launcher = browser.find(".launcher")?;
    let before = browser.resource_urls()?;
    ensure!(!before.iter().any(|url| url.ends_with(".wasm")), "the app must not load before interaction: {before:?}");

    browser.click(&launcher)?;
    browser.find("[data-tellus=dialog]")?;
    browser.click(&browser.find("[data-rating='4']")?)?;
    let comment = "Quick delivery, friendly staff";
    browser.type_text(&browser.find("[data-tellus=comment]")?, comment)?;
    browser.screenshot(&paths::artifacts().join("widget-open.png"))?;
    browser.click(&browser.find("[data-tellus=send]")?)?;

    let thanks = browser.find("[data-tellus=thanks]")?;
    let entry_id = browser.attribute(&thanks, "data-entry-id")?.unwrap_or_default();
    ensure!(entry_id.len() == 26, "the confirmation names the stored entry: {entry_id:?}");
    browser.screenshot(&paths::artifacts().join("widget-sent.png"))?;

    let entries = ctx.entries(&site)?;
    let stored = entries.iter().find(|e| e["id"] == entry_id.as_str());
    ensure!(
        stored.is_some_and(|e| e["rating"] == 4 && e["comment"] == comment),
        "entry {entry_id} not found as sent in {entries:?}"
    );
    Ok(())
}
