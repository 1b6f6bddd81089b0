//! A saved entry and more than one tab: the widget in every tab of the customer's browser sends
//! what was saved while offline, so two tabs can send the same entry at the same moment, and a
//! tab can be closed while its copy is in flight. Either way the entry is stored exactly once,
//! and nothing is lost.
//!
//! To make "at the same moment" real rather than likely, each tab gets a script before any of
//! its own (`Page.addScriptToEvaluateOnNewDocument`) that holds its feedback requests until the
//! test raises a flag in the shared localStorage; both tabs then let go within milliseconds.

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Result, ensure};
use serde_json::json;
use std::time::Duration;
use tellus_tests::poll;
use tellus_tests::webdriver::Session;

pub const TESTS: &[(&str, TestFn)] =
    crate::tests![two_tabs_sending_the_saved_entry_at_once_store_it_once, a_tab_closed_while_sending_loses_nothing,];

/// Holds every feedback POST of the page (counted in `window.__tellusHeld`) until
/// `localStorage['tellus-test-go']` is set, then sends it (counted in `window.__tellusSent`).
const HOLD_FEEDBACK: &str = "(() => {
  const send = window.fetch.bind(window);
  window.__tellusHeld = 0;
  window.__tellusSent = 0;
  window.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.includes('/feedback')) return send(input, init);
    window.__tellusHeld += 1;
    return new Promise((resolve, reject) => {
      const tick = () => {
        if (localStorage.getItem('tellus-test-go')) {
          window.__tellusSent += 1;
          send(input, init).then(resolve, reject);
        } else {
          setTimeout(tick, 2);
        }
      };
      tick();
    });
  };
})();";

fn demo_url(ctx: &Ctx, site: &TestSite) -> String {
    ctx.url(&format!("/demo?site={}", site.id))
}

/// Saves a failure while the Worker is unreachable; returns the saved storage line.
fn save_offline(ctx: &Ctx, browser: &Session, site: &TestSite, comment: &str) -> Result<String> {
    browser.goto(&demo_url(ctx, site))?;
    browser.click(&browser.find(".launcher")?)?;
    browser.click(&browser.find("[name=tl-rating][data-rating='1']")?)?;
    browser.find("[data-tellus=tell-us]")?;
    browser.cdp("Network.enable", json!({}))?;
    browser.cdp("Network.setBlockedURLs", json!({ "urls": ["*/v1/*"] }))?;
    browser.type_text(&browser.find("[data-tellus=comment]")?, comment)?;
    browser.click(&browser.find("[data-tellus=send]")?)?;
    browser.find("[data-tellus=queued]")?;
    browser.cdp("Network.setBlockedURLs", json!({ "urls": [] }))?;
    let saved = browser.execute("return localStorage.getItem('tellus') || '';", vec![])?;
    let saved = saved.as_str().unwrap_or_default().to_owned();
    ensure!(saved.starts_with("q\t") && saved.contains("idempotency_key"), "saved with its key: {saved:?}");
    ensure!(ctx.entries(site)?.is_empty(), "nothing reached the Worker yet");
    Ok(saved)
}

/// Whether the widget's storage still holds a saved entry (a line of kind `q`; a receipt's
/// entry id may contain "q\t" too).
pub fn has_queued(storage: &str) -> bool {
    storage.lines().any(|line| line.starts_with("q\t"))
}

fn storage(browser: &Session) -> Result<String> {
    Ok(browser.execute("return localStorage.getItem('tellus') || '';", vec![])?.as_str().unwrap_or_default().to_owned())
}

/// Waits until the current tab holds a copy of the saved entry.
fn held(browser: &Session) -> Result<()> {
    poll("the tab to hold its copy of the saved entry", Duration::from_secs(15), || {
        let held = browser.execute("return window.__tellusHeld || 0;", vec![]).ok()?;
        (held.as_u64()? >= 1).then_some(())
    })
}

fn sent(browser: &Session) -> Result<u64> {
    Ok(browser.execute("return window.__tellusSent || 0;", vec![])?.as_u64().unwrap_or(0))
}

/// Two tabs load with the same saved entry; both hold their copy until released together. One
/// entry is stored, both tabs sent it, the queue is empty, and the failure's receipt is kept
/// for the return visit whichever copy was answered first.
fn two_tabs_sending_the_saved_entry_at_once_store_it_once(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = ctx.driver.session()?;
    save_offline(ctx, &browser, &site, "Sent from two tabs")?;

    let first = browser.window_handles()?.first().cloned().unwrap_or_default();
    let second = browser.new_tab()?;
    for handle in [&first, &second] {
        browser.switch_to(handle)?;
        browser.cdp("Page.enable", json!({}))?;
        browser.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": HOLD_FEEDBACK }))?;
        browser.goto(&demo_url(ctx, &site))?;
        // The loader found the saved entry and the app is holding its copy.
        held(&browser)?;
    }
    browser.execute("localStorage.setItem('tellus-test-go', '1');", vec![])?;

    for handle in [&first, &second] {
        browser.switch_to(handle)?;
        poll("the tab to send its copy", Duration::from_secs(15), || (sent(&browser).ok()? >= 1).then_some(()))?;
    }
    let entries = poll("the entry to arrive", Duration::from_secs(15), || {
        ctx.entries(&site).ok().filter(|entries| !entries.is_empty())
    })?;
    ensure!(entries.len() == 1 && entries[0]["comment"] == "Sent from two tabs", "{entries:?}");
    let kept =
        poll("the queue to empty", Duration::from_secs(15), || storage(&browser).ok().filter(|s| !has_queued(s)))
            .map_err(|err| {
                let left = storage(&browser).unwrap_or_default();
                let counts = browser.execute("return [window.__tellusHeld, window.__tellusSent];", vec![]);
                anyhow::anyhow!("{err}; storage {left:?}; held/sent in this tab {counts:?}")
            })?;
    ensure!(kept.starts_with("r\t") && kept.contains(entries[0]["id"].as_str().unwrap_or_default()), "{kept:?}");
    ensure!(ctx.entries(&site)?.len() == 1, "still one entry once both copies were answered");
    Ok(())
}

/// A tab starts sending the saved entry and is closed before the copy is answered (held in the
/// page, so it may never have left). The entry stays saved; the next page sends it; it is
/// stored once.
fn a_tab_closed_while_sending_loses_nothing(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = ctx.driver.session()?;
    let saved = save_offline(ctx, &browser, &site, "Closed mid-send")?;

    let first = browser.window_handles()?.first().cloned().unwrap_or_default();
    // A second tab on the same origin, without the widget, to look at the storage afterwards.
    let second = browser.new_tab()?;
    browser.switch_to(&second)?;
    browser.goto(&ctx.url("/v1/health"))?;
    browser.switch_to(&first)?;
    browser.cdp("Page.enable", json!({}))?;
    browser.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": HOLD_FEEDBACK }))?;
    browser.refresh()?;
    held(&browser)?;
    browser.close_window()?;
    browser.switch_to(&second)?;
    ensure!(storage(&browser)? == saved, "closing the tab left the entry saved");
    ensure!(ctx.entries(&site)?.is_empty(), "the held copy never left");

    browser.goto(&demo_url(ctx, &site))?;
    let entries = poll("the saved entry to arrive", Duration::from_secs(15), || {
        ctx.entries(&site).ok().filter(|entries| !entries.is_empty())
    })?;
    ensure!(entries.len() == 1 && entries[0]["comment"] == "Closed mid-send", "{entries:?}");
    poll("the queue to empty", Duration::from_secs(15), || storage(&browser).ok().filter(|s| !has_queued(s)))?;
    Ok(())
}
