//! The whole customer journey in a real Chromium on the demo host page against the real local
//! Worker: tell us, tell others, honest delivery while offline, the return visit after a fix,
//! and a hostile host page.

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Result, ensure};
use serde_json::{Value, json};
use std::time::Duration;
use tellus_tests::http::{self, Answer};
use tellus_tests::paths;
use tellus_tests::poll;
use tellus_tests::webdriver::Session;

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    tell_us_stores_what_went_wrong_the_touchpoint_and_the_consented_contact,
    without_consent_no_contact_leaves_the_browser,
    tell_others_opens_the_review_link_counts_the_click_and_is_offered_to_everyone,
    the_invitation_to_tell_others_is_identical_for_every_rating,
    web_share_is_offered_where_the_browser_has_it,
    offline_the_entry_is_saved_and_arrives_exactly_once_on_the_next_visit,
    a_return_visit_shows_the_badge_the_reply_and_stores_the_rerating,
    refused_storage_keeps_the_offline_entry_in_memory_and_sends_it_on_reopen,
    a_hostile_host_page_still_renders_and_submits,
    the_launcher_speaks_the_customers_language_and_leaves_the_bottom_centre_free,
    an_app_that_cannot_load_says_so_in_the_customers_language_and_the_next_click_retries,
];

/// Reads properties of the first element matching a selector inside the widget's shadow root:
/// `[value, checked, className]`, or null when there is none.
const PROPS: &str = "const host = document.querySelector('tellus-widget');
const el = host && host.shadowRoot.querySelector(arguments[0]);
return el ? [el.value === undefined ? null : el.value, !!el.checked, el.className] : null;";

/// The `data-tellus` names of the two paths, in the order shown.
const PATH_ORDER: &str = "const host = document.querySelector('tellus-widget');
return [...host.shadowRoot.querySelectorAll('section.path')].map(s => [s.dataset.tellus, s.className]);";

fn open_demo(ctx: &Ctx, site: &TestSite, extra_query: &str) -> Result<Session> {
    let browser = ctx.driver.session()?;
    browser.goto(&ctx.url(&format!("/demo?site={}{extra_query}", site.id)))?;
    Ok(browser)
}

fn open_dialog(browser: &Session) -> Result<()> {
    browser.click(&browser.find(".launcher")?)?;
    browser.find("[data-tellus=dialog]")?;
    Ok(())
}

pub(crate) fn rate(browser: &Session, rating: u8) -> Result<()> {
    browser.click(&browser.find(&format!("[name=tl-rating][data-rating='{rating}']"))?)
}

fn props(browser: &Session, selector: &str) -> Result<Value> {
    browser.execute(PROPS, vec![json!(selector)])
}

/// Sends, waits for the thank-you and returns the id of the stored entry it names.
pub(crate) fn send_and_confirm(browser: &Session) -> Result<String> {
    browser.click(&browser.find("[data-tellus=send]")?)?;
    let thanks = browser.find("[data-tellus=thanks]")?;
    let id = browser.attribute(&thanks, "data-entry-id")?.unwrap_or_default();
    ensure!(id.len() == 26, "the confirmation names the stored entry: {id:?}");
    Ok(id)
}

fn owner(ctx: &Ctx, site: &TestSite, method: &str, path: &str, body: Option<Value>) -> Result<Answer> {
    let auth = format!("Bearer {}", site.owner_key);
    let url = ctx.url(&format!("/v1/sites/{}{path}", site.id));
    let bytes = body.map(|body| serde_json::to_vec(&body)).transpose()?;
    http::send(method, &url, &[("authorization", &auth), ("content-type", "application/json")], bytes.as_deref())
}

fn stored_entry(ctx: &Ctx, site: &TestSite, id: &str) -> Result<Value> {
    let answer = owner(ctx, site, "GET", &format!("/entries/{id}"), None)?;
    ensure!(answer.status == 200, "entry {id}: {} {}", answer.status, answer.body);
    Ok(answer.json())
}

/// A customer on the checkout page (host code set the context and identified them) gives 1 of
/// 5: "tell us" comes first, "tell others" after it, as for every rating. They tick two "what went wrong" answers, write a
/// comment, agree to be called back, find their name and email already filled in, add a phone
/// number and prefer the phone. The owner sees all of it on the stored entry.
fn tell_us_stores_what_went_wrong_the_touchpoint_and_the_consented_contact(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = open_demo(ctx, &site, "")?;
    browser.find(".launcher")?;
    browser.execute(
        "tellus('context', {touchpoint: '/checkout', order: 'A-17', agent: 'Kati'});
         tellus('identify', {name: 'Mari Maasikas', email: 'mari@example.com'});",
        vec![],
    )?;
    open_dialog(&browser)?;
    rate(&browser, 1)?;
    browser.find("[data-tellus=tell-us]")?;
    let order = browser.execute(PATH_ORDER, vec![])?;
    ensure!(
        order == json!([["tell-us", "path"], ["tell-others", "path"]]),
        "tell us, then tell others, neither singled out: {order}"
    );

    browser.click(&browser.find("[data-dimension=reliability]")?)?;
    browser.click(&browser.find("[data-dimension=responsiveness]")?)?;
    let comment = "The parcel never came and nobody answered the phone";
    browser.type_text(&browser.find("[data-tellus=comment]")?, comment)?;
    browser.click(&browser.find("[data-tellus=consent]")?)?;
    let name = props(&browser, "[data-contact=name]")?;
    let email = props(&browser, "[data-contact=email]")?;
    ensure!(name[0] == "Mari Maasikas" && email[0] == "mari@example.com", "identify pre-fills: {name} {email}");
    browser.type_text(&browser.find("[data-contact=tel]")?, "+372 5555 1234")?;
    browser.click(&browser.find("[data-channel=phone]")?)?;
    browser.screenshot(&paths::artifacts().join("widget-tell-us.png"))?;
    let id = send_and_confirm(&browser)?;

    let entry = stored_entry(ctx, &site, &id)?;
    ensure!(entry["rating"] == 1 && entry["kind"] == "failure" && entry["comment"] == comment, "{entry}");
    ensure!(entry["dimensions"] == json!(["reliability", "responsiveness"]), "{entry}");
    ensure!(entry["touchpoint"] == json!({"page": "/checkout", "order": "A-17", "agent": "Kati"}), "{entry}");
    ensure!(
        entry["contact"]
            == json!({"name": "Mari Maasikas", "email": "mari@example.com", "phone": "+372 5555 1234", "channel": "phone"}),
        "{entry}"
    );
    Ok(())
}

/// A customer who was identified by the host, starts filling in the callback and then unticks
/// the consent box: the entry arrives without any contact details.
fn without_consent_no_contact_leaves_the_browser(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = open_demo(ctx, &site, "")?;
    browser.find(".launcher")?;
    browser.execute("tellus('identify', {name: 'Mari', email: 'mari@example.com'});", vec![])?;
    open_dialog(&browser)?;
    rate(&browser, 2)?;
    browser.click(&browser.find("[data-dimension=empathy]")?)?;
    let consent = browser.find("[data-tellus=consent]")?;
    browser.click(&consent)?;
    browser.type_text(&browser.find("[data-contact=tel]")?, "5555 1234")?;
    browser.click(&consent)?;
    let id = send_and_confirm(&browser)?;

    let entry = stored_entry(ctx, &site, &id)?;
    ensure!(entry["dimensions"] == json!(["empathy"]), "{entry}");
    ensure!(entry.get("contact").is_none(), "no consent, no contact: {entry}");
    Ok(())
}

/// A delighted customer (5 of 5) opens the site's review link in a new tab and is thanked once
/// the Worker counted the click; "tell us" is still offered above it. An unhappy customer gets
/// the very same choices in the same place, and copies the page's link (counted as well).
fn tell_others_opens_the_review_link_counts_the_click_and_is_offered_to_everyone(ctx: &Ctx) -> Result<()> {
    let review_url = ctx.url("/?review=google");
    let site = ctx.create_site(json!({
        "review_links": [{"id": "google", "label": "Review us on Google", "url": review_url}]
    }))?;
    let browser = open_demo(ctx, &site, "")?;
    open_dialog(&browser)?;
    rate(&browser, 5)?;
    let link = browser.find("[data-review=google]")?;
    let order = browser.execute(PATH_ORDER, vec![])?;
    ensure!(
        order == json!([["tell-us", "path"], ["tell-others", "path"]]),
        "a high rating changes nothing in the order, and still offers tell us: {order}"
    );
    ensure!(browser.attribute(&link, "href")?.as_deref() == Some(review_url.as_str()));
    ensure!(browser.attribute(&link, "target")?.as_deref() == Some("_blank"));
    ensure!(browser.attribute(&link, "rel")?.as_deref() == Some("noopener"));
    ensure!(browser.count("[data-tellus=shared]")? == 0, "no thanks before the click");
    ensure!(browser.count("[data-tellus=share]")? == 0, "no Share button where the browser cannot share");

    browser.click(&link)?;
    poll("the review link to open in a new tab", Duration::from_secs(10), || {
        browser.window_handles().ok().filter(|handles| handles.len() == 2)
    })?;
    browser.find("[data-tellus=shared]")?;
    let clicks = browser.execute(
        "return performance.getEntriesByType('resource')
           .filter(e => e.name.endsWith('/clicks')).map(e => e.responseStatus);",
        vec![],
    )?;
    ensure!(clicks == json!([204]), "one click POSTed and answered 204: {clicks}");
    browser.screenshot(&paths::artifacts().join("widget-tell-others.png"))?;

    // An unhappy customer on the same site.
    browser.refresh()?;
    open_dialog(&browser)?;
    rate(&browser, 1)?;
    browser.find("[data-review=google]")?;
    let order = browser.execute(PATH_ORDER, vec![])?;
    ensure!(
        order == json!([["tell-us", "path"], ["tell-others", "path"]]),
        "tell others is offered after a low rating, in the same place: {order}"
    );

    // Copy link puts the page's address on the clipboard, and is counted too.
    let origin = ctx.worker.base_url.clone();
    browser.cdp(
        "Browser.grantPermissions",
        json!({ "origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] }),
    )?;
    browser.click(&browser.find("[data-tellus=copy]")?)?;
    browser.find("[data-tellus=shared]")?;
    let copied = browser.execute("return navigator.clipboard.readText();", vec![])?;
    let page = browser.execute("return location.href;", vec![])?;
    ensure!(copied == page, "the page's address is copied: {copied} vs {page}");
    let clicks = browser.execute(
        "return performance.getEntriesByType('resource')
           .filter(e => e.name.endsWith('/clicks')).map(e => e.responseStatus);",
        vec![],
    )?;
    ensure!(clicks == json!([204]), "the copy was counted: {clicks}");
    Ok(())
}

/// The tell-others section as the customer meets it: `[its markup, element for element with
/// every attribute and word; its place among the dialog's sections (index, count); the look of
/// the section, its heading and each of its controls (computed styles that make something
/// prominent)]`.
const TELL_OTHERS: &str = "const root = document.querySelector('tellus-widget').shadowRoot;
const section = root.querySelector('[data-tellus=tell-others]');
if (!section) return null;
const sections = [...root.querySelectorAll('[data-tellus=dialog] section')];
const look = (el) => { const s = getComputedStyle(el);
  return [el.tagName, s.display, s.order, s.borderTopWidth, s.borderTopColor, s.backgroundColor, s.color,
          s.fontSize, s.fontWeight, s.padding, s.margin, s.outlineStyle, s.transform, s.opacity]; };
return [section.outerHTML, sections.indexOf(section), sections.length,
        [section, ...section.querySelectorAll('*')].map(look)];";

/// Review platforms and consumer law forbid inviting reviews by rating (Trustpilot "equally and
/// identically", Google, the FTC). A customer who gives 1 of 5 and one who gives 5 of 5 meet the
/// very same invitation to tell others: same elements and words, same place, same look; on an
/// NPS site, 0 and 10 likewise. "Tell us" stays offered to both.
fn the_invitation_to_tell_others_is_identical_for_every_rating(ctx: &Ctx) -> Result<()> {
    let links = json!([
        {"id": "google", "label": "Review us on Google", "url": ctx.url("/?review=google")},
        {"id": "trustpilot", "label": "Trustpilot", "url": ctx.url("/?review=trustpilot")}
    ]);
    for (scale, low, high) in [("csat", 1, 5), ("nps", 0, 10)] {
        let site = ctx.create_site(json!({ "scale": scale, "review_links": links }))?;
        let browser = open_demo(ctx, &site, "")?;
        open_dialog(&browser)?;
        let mut seen = Vec::new();
        for rating in [low, high, low] {
            rate(&browser, rating)?;
            browser.find("[data-review=trustpilot]")?;
            browser.find("[data-tellus=tell-us]")?;
            let section = browser.execute(TELL_OTHERS, vec![])?;
            ensure!(section[0].as_str().is_some_and(|html| html.contains("data-review=\"google\"")), "{section}");
            seen.push((rating, section));
        }
        browser.screenshot(&paths::artifacts().join(format!("widget-tell-others-{scale}-{high}.png")))?;
        let (first_rating, first) = &seen[0];
        for (rating, section) in &seen[1..] {
            ensure!(
                section == first,
                "{scale}: tell others after {rating} differs from after {first_rating}:\n{section}\nvs\n{first}"
            );
        }
        ensure!(first[1] == 1 && first[2] == 2, "{scale}: tell others second of two sections, after tell us: {first}");
    }
    Ok(())
}

/// Headless Chromium on Linux has no Web Share, so the page gets a stand-in before the dialog
/// opens: the Share button appears, hands over the page's title and address, and is counted.
/// Without it (every other test) no Share button is drawn.
fn web_share_is_offered_where_the_browser_has_it(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = open_demo(ctx, &site, "")?;
    browser.find(".launcher")?;
    browser.execute("navigator.share = async (data) => { window.sharedData = data; };", vec![])?;
    open_dialog(&browser)?;
    rate(&browser, 5)?;
    browser.click(&browser.find("[data-tellus=share]")?)?;
    browser.find("[data-tellus=shared]")?;
    let shared =
        browser.execute("return [window.sharedData.title, window.sharedData.url === location.href];", vec![])?;
    ensure!(shared == json!(["Test shop", true]), "the page is shared: {shared}");
    let clicks = browser.execute(
        "return performance.getEntriesByType('resource')
           .filter(e => e.name.endsWith('/clicks')).map(e => e.responseStatus);",
        vec![],
    )?;
    ensure!(clicks == json!([204]), "the share was counted: {clicks}");
    Ok(())
}

/// The customer loses the connection to the tellus host and sends: the widget says it saved the
/// entry, not "thank you", and nothing is stored. Back online, the next page load sends it; even
/// when the same saved entry is sent again, the owner has it exactly once.
fn offline_the_entry_is_saved_and_arrives_exactly_once_on_the_next_visit(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = open_demo(ctx, &site, "")?;
    open_dialog(&browser)?;
    rate(&browser, 2)?;
    browser.find("[data-tellus=tell-us]")?;
    browser.cdp("Network.enable", json!({}))?;
    browser.cdp("Network.setBlockedURLs", json!({ "urls": ["*/v1/*"] }))?;
    let comment = "Sent from a tunnel";
    browser.type_text(&browser.find("[data-tellus=comment]")?, comment)?;
    browser.click(&browser.find("[data-tellus=send]")?)?;
    browser.find("[data-tellus=queued]")?;
    ensure!(browser.count("[data-tellus=thanks]")? == 0, "no thank-you without the server");
    browser.screenshot(&paths::artifacts().join("widget-offline-saved.png"))?;
    ensure!(ctx.entries(&site)?.is_empty(), "nothing reached the Worker");
    let saved = browser.execute("return localStorage.getItem('tellus');", vec![])?;
    let saved = saved.as_str().unwrap_or_default().to_owned();
    ensure!(saved.starts_with("q\t") && saved.contains("idempotency_key"), "saved with its key: {saved:?}");

    browser.cdp("Network.setBlockedURLs", json!({ "urls": [] }))?;
    browser.refresh()?;
    let entries = poll("the saved entry to arrive", Duration::from_secs(15), || {
        ctx.entries(&site).ok().filter(|entries| !entries.is_empty())
    })?;
    ensure!(entries.len() == 1 && entries[0]["comment"] == comment, "{entries:?}");
    poll("the queue to empty", Duration::from_secs(10), || {
        let left = browser.execute("return localStorage.getItem('tellus') || '';", vec![]).ok()?;
        (!crate::tabs::has_queued(left.as_str()?)).then_some(())
    })?;

    // The same saved entry once more (as if the answer had been lost): still one entry.
    browser.execute("localStorage.setItem('tellus', arguments[0]);", vec![json!(saved)])?;
    browser.refresh()?;
    poll("the replay to be answered", Duration::from_secs(15), || {
        let left = browser.execute("return localStorage.getItem('tellus') || '';", vec![]).ok()?;
        (!crate::tabs::has_queued(left.as_str()?)).then_some(())
    })?;
    let entries = ctx.entries(&site)?;
    ensure!(entries.len() == 1, "the idempotency key kept it to one entry: {entries:?}");
    Ok(())
}

/// In a browser whose storage throws (a privacy mode), an entry sent while offline is still
/// "saved" (in memory, nothing written), and reopening the dialog once back online sends it.
fn refused_storage_keeps_the_offline_entry_in_memory_and_sends_it_on_reopen(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = open_demo(ctx, &site, "")?;
    browser.find(".launcher")?;
    browser.execute(
        "for (const m of ['getItem', 'setItem', 'removeItem']) {
           Storage.prototype[m] = function () { throw new DOMException('refused', 'SecurityError'); };
         }",
        vec![],
    )?;
    open_dialog(&browser)?;
    rate(&browser, 3)?;
    browser.find("[data-tellus=tell-us]")?;
    browser.cdp("Network.enable", json!({}))?;
    browser.cdp("Network.setBlockedURLs", json!({ "urls": ["*/v1/*"] }))?;
    browser.click(&browser.find("[data-tellus=send]")?)?;
    browser.find("[data-tellus=queued]")?;
    let written = browser.execute("return localStorage.tellus === undefined;", vec![])?;
    ensure!(written == true, "nothing could be written to storage");

    browser.cdp("Network.setBlockedURLs", json!({ "urls": [] }))?;
    browser.click(&browser.find("[data-tellus=close]")?)?;
    open_dialog(&browser)?;
    let entries = poll("the in-memory entry to arrive", Duration::from_secs(15), || {
        ctx.entries(&site).ok().filter(|entries| !entries.is_empty())
    })?;
    ensure!(entries.len() == 1 && entries[0]["rating"] == 3, "{entries:?}");
    Ok(())
}

/// A customer reports a failure. The owner acknowledges, replies and fixes it through the API.
/// On the customer's next visit the launcher has a badge; opening it shows the status, the
/// reply and "We fixed it — how are we doing now?"; their new rating is stored on the entry.
fn a_return_visit_shows_the_badge_the_reply_and_stores_the_rerating(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = open_demo(ctx, &site, "")?;
    open_dialog(&browser)?;
    rate(&browser, 1)?;
    browser.type_text(&browser.find("[data-tellus=comment]")?, "Cold soup")?;
    let id = send_and_confirm(&browser)?;

    let reply_text = "Sorry! We replaced the kitchen's heater.";
    for (path, body) in [
        ("acknowledge", None),
        ("reply", Some(json!({ "text": reply_text }))),
        ("fix", Some(json!({ "note": "new heater" }))),
    ] {
        let answer = owner(ctx, &site, "POST", &format!("/entries/{id}/{path}"), body)?;
        ensure!(answer.status == 200, "{path}: {} {}", answer.status, answer.body);
    }

    browser.refresh()?;
    browser.find("[data-tellus=badge]")?;
    let launcher = browser.find(".launcher")?;
    let label = browser.attribute(&launcher, "aria-label")?.unwrap_or_default();
    ensure!(label.contains("news"), "the launcher's name announces the news: {label:?}");
    browser.screenshot(&paths::artifacts().join("widget-return-badge.png"))?;

    open_dialog(&browser)?;
    let reply = browser.find("[data-tellus=reply]")?;
    ensure!(browser.text(&reply)?.contains(reply_text), "the reply is shown");
    let status = browser.text(&browser.find("[data-tellus=news-status]")?)?;
    ensure!(status.contains("fixed"), "the status is shown: {status:?}");
    poll("the badge to go once seen", Duration::from_secs(10), || {
        (browser.count("[data-tellus=badge]").ok()? == 0).then_some(())
    })?;
    browser.click(&browser.find("[name=tl-rerate][data-rating='4']")?)?;
    browser.screenshot(&paths::artifacts().join("widget-return-rerate.png"))?;
    browser.click(&browser.find("[data-tellus=rerate-send]")?)?;
    browser.find("[data-tellus=rerated]")?;

    let entry = stored_entry(ctx, &site, &id)?;
    ensure!(entry["rerating"]["rating"] == 4 && entry["status"] == "fixed", "{entry}");
    let left = browser.execute("return localStorage.getItem('tellus');", vec![])?;
    ensure!(left.is_null(), "nothing more to remember: {left}");
    Ok(())
}

/// A host page whose stylesheet unsets everything, hides every button, plays box-sizing and
/// z-index games and repeats the CSP in a meta tag: the widget still looks like itself, opens
/// and submits.
fn a_hostile_host_page_still_renders_and_submits(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = open_demo(ctx, &site, "&hostile=1")?;
    let host_button =
        browser.execute("return getComputedStyle(document.getElementById('host-button')).visibility;", vec![])?;
    ensure!(host_button == "hidden", "the hostile stylesheet is in force: {host_button}");
    let launcher = browser.execute(
        "const l = document.querySelector('tellus-widget').shadowRoot.querySelector('.launcher');
         const s = getComputedStyle(l);
         return [s.position, s.visibility, s.boxSizing, s.fontSize, l.getBoundingClientRect().width > 40];",
        vec![],
    )?;
    ensure!(launcher == json!(["fixed", "visible", "border-box", "15px", true]), "the launcher is intact: {launcher}");
    open_dialog(&browser)?;
    rate(&browser, 4)?;
    browser.type_text(&browser.find("[data-tellus=comment]")?, "Works anyway")?;
    browser.screenshot(&paths::artifacts().join("widget-hostile.png"))?;
    let id = send_and_confirm(&browser)?;
    let entry = stored_entry(ctx, &site, &id)?;
    ensure!(entry["comment"] == "Works anyway", "{entry}");
    Ok(())
}

/// Where the launcher is on a narrow screen: `[viewport width, launcher left, launcher right,
/// whether the point at the bottom centre of the page, level with the launcher, hits the
/// widget]`. With `arguments[0]` the launcher is put on the left, as `data-position="bottom-left"`
/// does (the demo page has the default, bottom right).
const LAUNCHER_PLACE: &str = "const host = document.querySelector('tellus-widget');
if (arguments[0]) host.shadowRoot.querySelector('.root').classList.add('left');
const box = host.shadowRoot.querySelector('.launcher').getBoundingClientRect();
const hit = document.elementFromPoint(innerWidth / 2, (box.top + box.bottom) / 2);
return [innerWidth, box.left, box.right, hit === host];";

/// The language the launcher's words are marked as (its own `lang` or its nearest ancestor's).
const LAUNCHER_LANG: &str = "const host = document.querySelector('tellus-widget');
return host.shadowRoot.querySelector('.launcher').closest('[lang]')?.lang;";

/// Before anything but the loader has loaded, the launcher already says "Feedback" in the
/// customer's language: the host's `data-lang`, else the browser's first language we speak. On
/// a phone 320 px wide the launcher, in every language and on either side, stays clear of the
/// bottom centre of the page, where hosts put their own buttons.
fn the_launcher_speaks_the_customers_language_and_leaves_the_bottom_centre_free(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = ctx.driver.session()?;
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 320, "height": 640, "deviceScaleFactor": 2, "mobile": true}),
    )?;
    let words = [
        ("en", "Feedback"),
        ("et", "Tagasiside"),
        ("fi", "Palaute"),
        ("pl", "Opinia"),
        ("ru", "Отзыв"),
        ("ar", "ملاحظاتك"),
    ];
    for (lang, word) in words {
        browser.goto(&ctx.url(&format!("/demo?site={}&lang={lang}", site.id)))?;
        let launcher = browser.find(".launcher")?;
        let name = browser.text(&launcher)?;
        ensure!(name == word, "{lang}: the launcher reads {name:?}, not {word:?}");
        let said_in = browser.execute(LAUNCHER_LANG, vec![])?;
        ensure!(said_in == lang, "{lang}: the launcher's language is {said_in}");
        ensure!(browser.attribute(&launcher, "aria-label")?.is_none(), "{lang}: its text is its name");
        for left in [false, true] {
            let place = browser.execute(LAUNCHER_PLACE, vec![json!(left)])?;
            let number = |i: usize| place[i].as_f64().unwrap_or(f64::NAN);
            let (width, from, to) = (number(0), number(1), number(2));
            ensure!(width == 320.0, "the page is 320 px wide: {place}");
            let clear = if left { to < width / 2.0 } else { from > width / 2.0 };
            ensure!(clear && place[3] == false, "{lang}, left {left}: the launcher covers the bottom centre: {place}");
        }
        let app = browser.resource_urls()?.into_iter().filter(|url| url.contains("/w/")).collect::<Vec<_>>();
        ensure!(app.is_empty(), "{lang}: the launcher's words need no app download: {app:?}");
        if lang == "ar" {
            browser.screenshot(&paths::artifacts().join("widget-launcher-320px-ar.png"))?;
        }
    }

    // No data-lang: the browser's languages decide, skipping those we have no words for.
    let agent = browser.execute("return navigator.userAgent;", vec![])?;
    browser.cdp(
        "Emulation.setUserAgentOverride",
        json!({ "userAgent": agent.as_str().unwrap_or_default(), "acceptLanguage": "de-DE,pl-PL,en" }),
    )?;
    browser.goto(&ctx.url(&format!("/demo?site={}", site.id)))?;
    let name = browser.text(&browser.find(".launcher")?)?;
    ensure!(name == "Opinia", "from navigator.languages, Polish: {name:?}");
    Ok(())
}

/// The loader's alert after a failed load: `[hidden, text, role, language, dir]`.
const LOAD_FAILURE: &str = "const p = document.querySelector('tellus-widget').shadowRoot.querySelector('.error');
return [p.hidden, p.textContent, p.getAttribute('role'), p.closest('[lang]')?.lang, p.dir];";

/// The app cannot be fetched (offline, or blocked by an extension): the click is answered by
/// an alert in the customer's language, from the loader alone. Once the app can be fetched
/// again, the next click opens the dialog and the alert goes.
fn an_app_that_cannot_load_says_so_in_the_customers_language_and_the_next_click_retries(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = ctx.driver.session()?;
    browser.cdp("Network.enable", json!({}))?;
    let words = [("en", "Couldn't load."), ("ru", "Не удалось загрузить."), ("ar", "تعذّر التحميل.")];
    for (lang, failure) in words {
        browser.cdp("Network.setBlockedURLs", json!({ "urls": ["*/w/*"] }))?;
        browser.goto(&ctx.url(&format!("/demo?site={}&lang={lang}", site.id)))?;
        browser.click(&browser.find(".launcher")?)?;
        let shown = poll("the failure to be shown", Duration::from_secs(10), || {
            let shown = browser.execute(LOAD_FAILURE, vec![]).ok()?;
            (shown[0] == false).then_some(shown)
        })?;
        ensure!(shown == json!([false, failure, "alert", lang, "auto"]), "{lang}: {shown}");
        ensure!(browser.count("[data-tellus=dialog]")? == 0, "{lang}: no dialog without the app");
        if lang == "ar" {
            browser.screenshot(&paths::artifacts().join("widget-load-failed-ar.png"))?;
        }

        browser.cdp("Network.setBlockedURLs", json!({ "urls": [] }))?;
        browser.click(&browser.find(".launcher")?)?;
        browser.find("[data-tellus=dialog]")?;
        let after = browser.execute(LOAD_FAILURE, vec![])?;
        ensure!(after[0] == true, "{lang}: the alert goes once the dialog opens: {after}");
    }
    Ok(())
}
