//! The owner's inbox at a thousand open failures, against the real local Worker and Chromium:
//! the first page fits a desktop screen's scroll (under 2,500 px at 1280 px wide), filtering by
//! touchpoint and by "overdue" finds exactly the seeded ones, bulk acknowledge changes exactly
//! the twenty ticked, and a teammate assigned on a case shows in the list and in the next
//! alert's body. A page view's work is counted: the session's two KV reads and one desk call,
//! whatever the number of failures.

use crate::summary_page::{browser_signed_in, get_page, sign_in};
use crate::{Ctx, TestFn};
use anyhow::{Context, Result, ensure};
use serde_json::json;
use std::time::Duration;
use tellus_tests::receiver::{Receiver, Reply};
use tellus_tests::webdriver::Session;
use tellus_tests::{http, paths, poll, seed};

pub const TESTS: &[(&str, TestFn)] = crate::tests![a_thousand_open_failures_are_worked_from_one_short_page];

/// Open failures seeded; one every ten minutes back from now, so the six newest are within the
/// default acknowledge SLA of an hour (with nine minutes to spare) and the rest are overdue.
const SEEDED: u64 = 1_000;
const SPACING_MS: u64 = 10 * 60_000;
const ON_TIME: u64 = 6;
/// The newest ones are on this touchpoint.
const SPECIAL: u64 = 12;

fn lines(browser: &Session) -> Result<Vec<String>> {
    let ids = browser
        .execute("return [...document.querySelectorAll('ol.inbox > li')].map(li => li.dataset.entryId);", vec![])?;
    Ok(ids.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect())
}

fn text_of(browser: &Session, selector: &str) -> Result<String> {
    browser.text(&browser.find(selector)?)
}

/// Waits for the inbox to show `expected` in its result count ("12 matches").
fn wait_for_count(browser: &Session, expected: &str) -> Result<()> {
    poll(&format!("the inbox to say {expected:?}"), Duration::from_secs(15), || {
        let text = browser.text(&browser.find(".result-count").ok()?).ok()?;
        (text == expected).then_some(())
    })
    .with_context(|| format!("result count: {:?}", text_of(browser, ".result-count")))
}

fn owner_entry(ctx: &Ctx, site: &crate::TestSite, id: &str) -> Result<serde_json::Value> {
    let auth = format!("Bearer {}", site.owner_key);
    let answer = http::get(&ctx.url(&format!("/v1/sites/{}/entries/{id}", site.id)), &[("authorization", &auth)])?;
    ensure!(answer.status == 200, "entry {id}: {} {}", answer.status, answer.body);
    Ok(answer.json())
}

/// A thousand open failures are seeded into the site (KV and its desk). In Chromium at 1280 px
/// the inbox's first page is under 2,500 px tall and lists 25, most overdue first; the tab says
/// 1,000. Filtering by touchpoint lists the twelve on it; "overdue" counts 994. Twenty ticked
/// lines are acknowledged at once, exactly those. A case assigned to "Kadri Tamm" shows the
/// name on its line, and fixing it sends `failure.fixed` with `data.assignee`.
fn a_thousand_open_failures_are_worked_from_one_short_page(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let receiver = Receiver::start_answering(Reply::status(200))?;
    let auth = format!("Bearer {}", site.owner_key);
    let registered = http::post_json(
        &ctx.url(&format!("/v1/sites/{}/callbacks", site.id)),
        &[("authorization", &auth)],
        &json!({"url": receiver.url("/fixed"), "events": ["failure.fixed"], "format": "standard"}),
    )?;
    ensure!(registered.status == 201, "register: {} {}", registered.status, registered.body);
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as u64;
    let entries = seed::open_failures_for_inbox(&site.id, now_ms, SEEDED, SPACING_MS, SPECIAL);
    seed::import_into_kv_and_desk(&ctx.worker.base_url, &site.id, &entries)?;
    // The desk catches up with the 994 overdue failures' escalation steps (twenty an alarm run,
    // each checking its entry in KV) before the owner looks: a page view waits for a busy desk.
    poll("the desk to catch up with the escalation steps", Duration::from_secs(240), || {
        let status = http::get(&ctx.url(&format!("/v1/test/sites/{}/desk", site.id)), &[]).ok()?.json();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as u64;
        status["alarm_ms"].as_u64().is_none_or(|at| at > now + 5_000).then_some(())
    })?;

    // A page view's work, counted by the Worker: the session (site and session record) and one
    // desk call; no KV list, no entry read, whatever the number of failures.
    let cookie = sign_in(ctx, &site)?;
    let page = get_page(ctx, &format!("/s/{}", site.id), Some(&cookie), &[])?;
    ensure!(page.status == 200, "inbox: {} {}", page.status, page.body);
    let ops = |kind: &str| page.kv_ops(kind).unwrap_or(u32::MAX);
    println!(
        "inbox of {SEEDED} open failures: {} KV reads, {} lists, {} desk requests, {} rows read",
        ops("reads"),
        ops("lists"),
        ops("do_requests"),
        ops("do_rows_read")
    );
    ensure!(ops("reads") == 2 && ops("lists") == 0 && ops("do_requests") == 1, "{:?}", page.header("x-tellus-kv-ops"));

    let browser = browser_signed_in(ctx, &site)?;
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
    )?;
    browser.refresh()?;
    browser.find("ol.inbox")?;
    let height = browser.execute("return document.documentElement.scrollHeight;", vec![])?;
    println!("inbox first page at 1280 px: {height} px tall");
    browser.screenshot(&paths::artifacts().join("inbox-1000-desktop.png"))?;
    ensure!(height.as_u64().is_some_and(|h| h < 2_500), "the first page is {height} px tall");
    ensure!(text_of(&browser, "[data-count=failures]")? == "1,000", "the tab counts every open failure");
    ensure!(text_of(&browser, "[data-figure=open] .value")? == "1,000");
    let first_page = lines(&browser)?;
    ensure!(first_page.len() == 25, "one page of 25 lines: {}", first_page.len());
    // Most overdue first: the oldest failure leads.
    let oldest = entries.last().map(|e| e.id.clone()).unwrap_or_default();
    ensure!(first_page[0] == oldest, "the most overdue first: {} vs {oldest}", first_page[0]);

    // Filter by touchpoint with the page's own form.
    browser.type_text(&browser.find("#f-touchpoint")?, "/special-checkout")?;
    browser.click(&browser.find("[data-action=filter]")?)?;
    wait_for_count(&browser, &format!("{SPECIAL} matches"))?;
    let special: Vec<String> = entries.iter().take(SPECIAL as usize).map(|e| e.id.clone()).collect();
    let mut shown = lines(&browser)?;
    shown.sort();
    let mut expected = special.clone();
    expected.sort();
    ensure!(shown == expected, "the touchpoint's failures: {shown:?}");
    let url = browser.execute("return location.search;", vec![])?;
    ensure!(url.as_str().is_some_and(|q| q.contains("touchpoint=%2Fspecial-checkout")), "bookmarkable: {url}");

    // "Overdue": every failure past its deadline, and no other.
    browser.goto(&ctx.url(&format!("/s/{}?sla=overdue", site.id)))?;
    wait_for_count(&browser, &format!("{} matches", SEEDED - ON_TIME))?;
    let slas =
        browser.execute("return [...document.querySelectorAll('ol.inbox > li')].map(li => li.dataset.sla);", vec![])?;
    ensure!(
        slas.as_array().is_some_and(|l| l.iter().all(|s| s == "fix_overdue" || s == "acknowledge_overdue")),
        "{slas}"
    );
    browser.goto(&ctx.url(&format!("/s/{}?sla=on_time", site.id)))?;
    wait_for_count(&browser, &format!("{ON_TIME} matches"))?;

    // Bulk acknowledge: tick twenty of the first page's lines.
    browser.goto(&ctx.url(&format!("/s/{}", site.id)))?;
    browser.find("ol.inbox")?;
    let ticked: Vec<String> = first_page.iter().take(20).cloned().collect();
    for id in &ticked {
        browser.click(&browser.find(&format!("[data-pick='{id}']"))?)?;
    }
    browser.click(&browser.find("[data-action=bulk-acknowledge]")?)?;
    crate::summary_page::notice_after(&browser, "acknowledged")?;
    ensure!(text_of(&browser, "[data-figure=acknowledged] .value")? == "20", "twenty acknowledged");
    for id in &ticked {
        ensure!(owner_entry(ctx, &site, id)?["status"] == "acknowledged", "{id} acknowledged");
    }
    ensure!(owner_entry(ctx, &site, &first_page[20])?["status"] == "open", "the 21st is left open");
    browser.goto(&ctx.url(&format!("/s/{}?status=acknowledged", site.id)))?;
    wait_for_count(&browser, "20 matches")?;
    let mut acknowledged = lines(&browser)?;
    acknowledged.sort();
    let mut expected = ticked.clone();
    expected.sort();
    ensure!(acknowledged == expected, "exactly the ticked twenty");

    // Assign a case to a teammate on its page; the name shows in the list and in the next alert.
    let case = &special[0];
    browser.goto(&ctx.url(&format!("/s/{}?touchpoint=%2Fspecial-checkout", site.id)))?;
    browser.click(&browser.find(&format!("#entry-{case} .case-link"))?)?;
    browser.type_text(&browser.find("#assignee")?, "Kadri Tamm")?;
    browser.click(&browser.find("[data-action=assign]")?)?;
    poll("the assignment on the case", Duration::from_secs(15), || {
        let text = browser.text(&browser.find("dd[data-field=assignee]").ok()?).ok()?;
        (text == "Kadri Tamm").then_some(())
    })?;
    browser.screenshot(&paths::artifacts().join("inbox-case.png"))?;
    browser.click(&browser.find("[data-action=back]")?)?;
    let assignee = text_of(&browser, &format!("#entry-{case} [data-field=assignee]"))?;
    ensure!(assignee.contains("Kadri Tamm"), "the line shows who handles it: {assignee:?}");
    browser.goto(&ctx.url(&format!("/s/{}?assignee=kadri+tamm", site.id)))?;
    wait_for_count(&browser, "1 match")?;

    browser.goto(&ctx.url(&format!("/s/{}/entries/{case}", site.id)))?;
    browser.click(&browser.find("[data-action=fix]")?)?;
    let fixed = poll("failure.fixed at the receiver", Duration::from_secs(20), || {
        receiver.received().into_iter().find(|r| r.json()["type"] == "failure.fixed")
    })?;
    ensure!(fixed.json()["data"]["assignee"] == "Kadri Tamm", "the alert names the assignee: {}", fixed.body);
    ensure!(fixed.json()["data"]["entry_id"] == case.as_str(), "{}", fixed.body);
    Ok(())
}
