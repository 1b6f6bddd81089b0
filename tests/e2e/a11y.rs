//! Languages and accessibility in a real Chromium: axe-core (pinned in `package.json`) finds no
//! WCAG 2.2 AA violation in any state of the widget or on the owner's pages (inbox, a case, the
//! summary, alerts, settings), in English and in Arabic; the whole tell-us flow works with the keyboard alone; every language is shown (a
//! screenshot each) and Arabic reads right to left with its values intact; the widget and the
//! owner's pages reflow to 320 CSS pixels and to 200% zoom without sideways scrolling.

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use std::time::Duration;
use tellus_tests::webdriver::Session;
use tellus_tests::{paths, poll};

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    axe_finds_nothing_in_any_widget_state_in_english_and_arabic,
    axe_finds_nothing_on_the_inbox_a_case_the_summary_alerts_and_settings_in_english_and_arabic,
    the_whole_flow_works_with_the_keyboard_alone,
    every_language_is_shown_and_arabic_reads_right_to_left,
    without_data_lang_the_browser_language_is_spoken,
    the_widget_reflows_to_320_px_and_200_percent_zoom_in_english_and_arabic,
    the_owner_pages_reflow_to_320_px_and_200_percent_zoom_in_english_and_arabic,
];

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const SPACE: &str = "\u{E00D}";
const ARROW_RIGHT: &str = "\u{E014}";
const ESCAPE: &str = "\u{E00C}";

/// The element focused inside the widget's shadow root, described by its `data-tellus`,
/// `data-rating`, "launcher" or tag name (`null` when focus is not in the widget).
const FOCUSED: &str = "const root = document.querySelector('tellus-widget')?.shadowRoot;
const el = root && root.activeElement; if (!el) return null;
if (el.dataset.rating) return 'rating-' + el.dataset.rating;
if (el.className == 'launcher') return 'launcher';
return el.dataset.tellus || el.tagName.toLowerCase();";

fn focused(browser: &Session) -> Result<String> {
    Ok(browser.execute(FOCUSED, vec![])?.as_str().unwrap_or("outside").to_owned())
}

/// Presses Tab until `target` has focus, at most `limit` times; every stop on the way must be
/// inside the widget (so focus never escapes the open dialog).
fn tab_to(browser: &Session, target: &str, limit: usize, inside: bool) -> Result<()> {
    let mut path = Vec::new();
    for _ in 0..limit {
        browser.keys(TAB)?;
        let now = focused(browser)?;
        if now == target {
            return Ok(());
        }
        ensure!(!inside || now != "outside", "focus left the dialog after {path:?}");
        path.push(now);
    }
    bail!("Tab never reached {target}; it went {path:?}")
}

/// The demo page with the widget in `lang` (`None`: no `data-lang`).
fn open_demo(ctx: &Ctx, site: &TestSite, lang: Option<&str>) -> Result<Session> {
    let browser = ctx.driver.session()?;
    let query = lang.map(|lang| format!("&lang={lang}")).unwrap_or_default();
    browser.goto(&ctx.url(&format!("/demo?site={}{query}", site.id)))?;
    browser.find(".launcher")?;
    Ok(browser)
}

/// Clicks the launcher and waits until the question is there and the opening animation ended
/// (axe measures contrast on what is painted).
fn open_dialog(browser: &Session) -> Result<()> {
    browser.click(&browser.find(".launcher")?)?;
    browser.find("[data-rating='1']")?;
    settled(browser)
}

/// Waits until no animation runs in the widget.
fn settled(browser: &Session) -> Result<()> {
    let script = "const root = document.querySelector('tellus-widget').shadowRoot;
return root.getAnimations().every(a => a.playState !== 'running');";
    poll("the widget's animations to end", Duration::from_secs(5), || {
        browser.execute(script, vec![]).ok()?.as_bool().filter(|done| *done).map(drop)
    })
}

/// Injects axe-core into the page (WebDriver's execute is not subject to the page's CSP).
fn inject_axe(browser: &Session) -> Result<()> {
    let path = paths::root().join("node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path).with_context(|| format!("{} (run npm install)", path.display()))?;
    browser.execute(&format!("{source}\nreturn typeof window.axe;"), vec![])?;
    let loaded = browser.execute("return typeof window.axe;", vec![])?;
    ensure!(loaded == "object", "axe-core did not load: {loaded}");
    Ok(())
}

/// Runs axe's WCAG 2.0/2.1/2.2 A and AA rules on the whole page (open shadow roots included)
/// and fails with every violation, its nodes and what to fix.
pub(crate) fn axe_clean(browser: &Session, what: &str) -> Result<()> {
    if browser.execute("return typeof window.axe;", vec![])? != "object" {
        inject_axe(browser)?;
    }
    let start = "window.__axe = null;
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
  .then(r => { window.__axe = JSON.stringify(r.violations.map(v => ({ id: v.id, help: v.help,
      nodes: v.nodes.map(n => ({ target: n.target, summary: n.failureSummary })) }))); },
        e => { window.__axe = JSON.stringify({ error: String(e) }); });";
    browser.execute(start, vec![])?;
    let raw = poll(&format!("axe on {what}"), Duration::from_secs(30), || {
        browser.execute("return window.__axe;", vec![]).ok()?.as_str().map(str::to_owned)
    })?;
    let violations: Value = serde_json::from_str(&raw)?;
    ensure!(violations.as_array().is_some_and(Vec::is_empty), "axe on {what}: {violations:#}");
    Ok(())
}

/// What axe-core sees in every state a customer meets: the closed launcher, the open dialog,
/// the dialog after a low rating (the tell-us path with its checkboxes and contact form), after
/// a high rating, the confirmation and the saved-offline state; in English and in Arabic.
fn axe_finds_nothing_in_any_widget_state_in_english_and_arabic(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    for lang in ["en", "ar"] {
        let browser = open_demo(ctx, &site, Some(lang))?;
        axe_clean(&browser, &format!("{lang}: closed launcher"))?;
        open_dialog(&browser)?;
        axe_clean(&browser, &format!("{lang}: open dialog"))?;
        browser.click(&browser.find("[data-rating='2']")?)?;
        browser.find("[data-tellus=comment]")?;
        if let Ok(consent) = browser.find("[data-tellus=consent]") {
            browser.click(&consent)?;
        }
        settled(&browser)?;
        axe_clean(&browser, &format!("{lang}: after a low rating"))?;
        browser.click(&browser.find("[data-rating='5']")?)?;
        settled(&browser)?;
        axe_clean(&browser, &format!("{lang}: after a high rating"))?;
        browser.click(&browser.find("[data-tellus=send]")?)?;
        browser.find("[data-tellus=thanks]")?;
        settled(&browser)?;
        axe_clean(&browser, &format!("{lang}: confirmation"))?;

        // Offline: the entry is saved for later, and the dialog says so.
        browser.click(&browser.find("[data-tellus=dialog] .primary")?)?;
        browser.cdp("Network.enable", json!({}))?;
        browser.cdp("Network.setBlockedURLs", json!({ "urls": ["*/v1/*"] }))?;
        browser.click(&browser.find(".launcher")?)?;
        browser.click(&browser.find("[data-rating='3']")?)?;
        browser.click(&browser.find("[data-tellus=send]")?)?;
        browser.find("[data-tellus=queued]")?;
        settled(&browser)?;
        axe_clean(&browser, &format!("{lang}: saved offline"))?;
        browser.cdp("Network.setBlockedURLs", json!({ "urls": [] }))?;
    }
    Ok(())
}

/// Has the browser ask for `accept_language` (header and `navigator.languages`).
fn speak(browser: &Session, accept_language: &str) -> Result<()> {
    let agent = browser.execute("return navigator.userAgent;", vec![])?;
    browser.cdp(
        "Emulation.setUserAgentOverride",
        json!({ "userAgent": agent.as_str().unwrap_or_default(), "acceptLanguage": accept_language }),
    )?;
    Ok(())
}

/// The owner's pages, signed in through the form, have no WCAG 2.2 AA violation in English or
/// in Arabic (chosen from the browser's languages): the inbox (both tabs, a filtered view), a
/// case with its history, the summary, the alerts page with an endpoint and its log, the
/// settings, and the settings refused with an error at a field.
fn axe_finds_nothing_on_the_inbox_a_case_the_summary_alerts_and_settings_in_english_and_arabic(
    ctx: &Ctx,
) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let mut failure = String::new();
    for rating in [1, 4, 5] {
        let answer = ctx.submit(
            &site,
            &json!({ "rating": rating, "comment": "Fine", "lang": "en", "touchpoint": {"page": "/menu", "agent": "Mari"} }),
        )?;
        ensure!(answer.status == 201, "seed entry: {} {}", answer.status, answer.body);
        if rating == 1 {
            failure = answer.json()["id"].as_str().unwrap_or_default().to_owned();
        }
    }
    let auth = format!("Bearer {}", site.owner_key);
    let registered = tellus_tests::http::post_json(
        &ctx.url(&format!("/v1/sites/{}/callbacks", site.id)),
        &[("authorization", &auth)],
        &json!({"url": "http://127.0.0.1:9/nothing-listens", "events": ["failure.reported"]}),
    )?;
    ensure!(registered.status == 201, "register: {}", registered.body);
    for lang in ["en", "ar"] {
        let browser = ctx.driver.session()?;
        browser.goto(&ctx.url("/robots.txt"))?;
        speak(&browser, lang)?;
        browser.goto(&ctx.url(&format!("/s/{}", site.id)))?;
        axe_clean(&browser, &format!("{lang}: login page"))?;
        browser.type_text(&browser.find("#owner-key")?, &site.owner_key)?;
        browser.click(&browser.find("[data-action=login]")?)?;
        poll("the summary page after login", Duration::from_secs(15), || {
            (browser.count("[data-figure]").ok()? > 0).then_some(())
        })?;
        let page_lang = browser.execute("return document.documentElement.lang;", vec![])?;
        ensure!(page_lang == lang, "the inbox speaks {page_lang}, not {lang}");
        axe_clean(&browser, &format!("{lang}: inbox"))?;
        let pages = [
            ("praise tab", "?tab=praise".to_owned(), "ol.inbox"),
            ("filtered inbox", "?touchpoint=%2Fnothing&sla=overdue".to_owned(), ".result-count"),
            ("case", format!("/entries/{failure}"), "[data-history]"),
            ("summary", "/summary".to_owned(), "[data-figure=responses]"),
            ("alerts", "/alerts".to_owned(), "[data-endpoint]"),
            ("settings", "/settings".to_owned(), "#theme_color"),
        ];
        for (what, path, ready) in pages {
            browser.goto(&ctx.url(&format!("/s/{}{path}", site.id)))?;
            browser.find(ready)?;
            axe_clean(&browser, &format!("{lang}: {what}"))?;
        }
        browser.execute("document.querySelector('#theme_color').value = '#ffff00';", vec![])?;
        browser.click(&browser.find("[data-action=save-settings]")?)?;
        browser.find("#theme_color-error")?;
        axe_clean(&browser, &format!("{lang}: settings refused"))?;
    }
    Ok(())
}

/// Without a mouse: Tab reaches the launcher, Enter opens the dialog with focus inside, the
/// arrow keys move through the rating radios, Space chooses, Tab reaches the comment, typing
/// fills it, Enter on Send sends, Esc closes and focus is back on the launcher. The owner
/// receives exactly what was chosen.
fn the_whole_flow_works_with_the_keyboard_alone(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = open_demo(ctx, &site, None)?;
    tab_to(&browser, "launcher", 6, false)?;
    browser.keys(ENTER)?;
    browser.find("[data-rating='1']")?;
    // Focus moves in in a task of its own right after the key's (which it would make long):
    // wait for it to leave the launcher, then see where it went.
    let opened = poll("focus to leave the launcher", Duration::from_secs(5), || {
        focused(&browser).ok().filter(|now| now != "launcher")
    })?;
    ensure!(opened == "dialog", "focus moves into the dialog on open, not to {opened}");

    tab_to(&browser, "rating-1", 3, true)?;
    browser.keys(&ARROW_RIGHT.repeat(3))?;
    let on = focused(&browser)?;
    ensure!(on == "rating-4", "three arrows from 1 land on 4, not {on}");
    browser.keys(SPACE)?;
    let checked = browser.execute(
        "return document.querySelector('tellus-widget').shadowRoot.querySelector('input[type=radio]:checked')?.dataset.rating;",
        vec![],
    )?;
    ensure!(checked == "4", "4 is chosen: {checked}");
    let name = browser.attribute(&browser.find("[data-rating='4']")?, "aria-label")?;
    ensure!(name.as_deref() == Some("4 of 5, Good"), "the option says its place and word: {name:?}");

    tab_to(&browser, "comment", 12, true)?;
    let comment = "Typed without a mouse";
    browser.keys(comment)?;
    tab_to(&browser, "send", 12, true)?;
    browser.keys(ENTER)?;
    let thanks = browser.find("[data-tellus=thanks]")?;
    let entry_id = browser.attribute(&thanks, "data-entry-id")?.unwrap_or_default();
    let after_send = focused(&browser)?;
    ensure!(after_send != "outside", "focus stays in the dialog after sending");

    browser.keys(ESCAPE)?;
    poll("the dialog to close", Duration::from_secs(5), || {
        (browser.count("[data-tellus=dialog]").ok()? == 0).then_some(())
    })?;
    let back = focused(&browser)?;
    ensure!(back == "launcher", "Esc gives focus back to the launcher, not {back}");

    let entries = ctx.entries(&site)?;
    let stored = entries.iter().find(|entry| entry["id"] == entry_id.as_str());
    ensure!(
        stored.is_some_and(|entry| entry["rating"] == 4 && entry["comment"] == comment && entry["lang"] == "en"),
        "entry {entry_id} as typed in {entries:?}"
    );
    Ok(())
}

/// Each language's dialog, opened from `data-lang`: its `lang` attribute, its own words for
/// Send, a screenshot (`target/artifacts/widget-<lang>.png`). In Arabic the dialog's computed
/// direction is right to left, the rating options run from 1 on the right to 5 on the left,
/// and choosing the rightmost stores a 1 with the language `ar`.
fn every_language_is_shown_and_arabic_reads_right_to_left(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let send_words =
        [("en", "Send"), ("et", "Saada"), ("fi", "Lähetä"), ("pl", "Wyślij"), ("ru", "Отправить"), ("ar", "إرسال")];
    for (lang, send) in send_words {
        let browser = open_demo(ctx, &site, Some(lang))?;
        open_dialog(&browser)?;
        let dialog = browser.find("[data-tellus=dialog]")?;
        ensure!(browser.attribute(&dialog, "lang")?.as_deref() == Some(lang), "{lang}: the dialog's lang");
        let button = browser.text(&browser.find("[data-tellus=send]")?)?;
        ensure!(button == send, "{lang}: Send reads {button:?}");
        let launcher = browser.text(&browser.find(".launcher")?)?;
        ensure!(lang == "en" || launcher != "Feedback", "{lang}: the launcher is relabelled: {launcher}");
        browser.screenshot(&paths::artifacts().join(format!("widget-{lang}.png")))?;

        let direction = browser.execute(
            "return getComputedStyle(document.querySelector('tellus-widget').shadowRoot.querySelector('[data-tellus=dialog]')).direction;",
            vec![],
        )?;
        let expected = if lang == "ar" { "rtl" } else { "ltr" };
        ensure!(direction == expected, "{lang}: direction {direction}");
        let xs = browser.execute(
            "return [...document.querySelector('tellus-widget').shadowRoot.querySelectorAll('[data-rating]')]
               .sort((a, b) => a.dataset.rating - b.dataset.rating)
               .map(input => input.closest('label').getBoundingClientRect().x);",
            vec![],
        )?;
        let xs: Vec<f64> = xs.as_array().map(|xs| xs.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
        ensure!(xs.len() == 5, "{lang}: five options: {xs:?}");
        let descending = xs.windows(2).all(|pair| pair[0] > pair[1]);
        let ascending = xs.windows(2).all(|pair| pair[0] < pair[1]);
        ensure!(if lang == "ar" { descending } else { ascending }, "{lang}: options 1..5 at x {xs:?}");

        if lang == "ar" {
            let rightmost = browser.execute(
                "const labels = [...document.querySelector('tellus-widget').shadowRoot.querySelectorAll('label.choice')];
                 labels.sort((a, b) => b.getBoundingClientRect().x - a.getBoundingClientRect().x);
                 return labels[0].querySelector('input').dataset.rating;",
                vec![],
            )?;
            ensure!(rightmost == "1", "the rightmost option is 1: {rightmost}");
            browser.click(&browser.find("[data-rating='1']")?)?;
            browser.click(&browser.find("[data-tellus=send]")?)?;
            let thanks = browser.find("[data-tellus=thanks]")?;
            let entry_id = browser.attribute(&thanks, "data-entry-id")?.unwrap_or_default();
            let entries = ctx.entries(&site)?;
            let stored = entries.iter().find(|entry| entry["id"] == entry_id.as_str());
            ensure!(
                stored.is_some_and(|entry| entry["rating"] == 1 && entry["lang"] == "ar"),
                "the Arabic 1 is stored as a 1 in ar: {entries:?}"
            );
        }
    }
    Ok(())
}

/// A page without `data-lang` speaks the browser's first language we have (here Finnish after
/// an unsupported German), and the entry carries `fi`.
fn without_data_lang_the_browser_language_is_spoken(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let browser = ctx.driver.session()?;
    browser.goto(&ctx.url("/robots.txt"))?;
    speak(&browser, "de-DE,fi-FI,en")?;
    browser.goto(&ctx.url(&format!("/demo?site={}", site.id)))?;
    open_dialog(&browser)?;
    let button = browser.text(&browser.find("[data-tellus=send]")?)?;
    ensure!(button == "Lähetä", "Send in Finnish: {button:?}");
    browser.click(&browser.find("[data-rating='5']")?)?;
    browser.click(&browser.find("[data-tellus=send]")?)?;
    let thanks = browser.find("[data-tellus=thanks]")?;
    let entry_id = browser.attribute(&thanks, "data-entry-id")?.unwrap_or_default();
    let entries = ctx.entries(&site)?;
    ensure!(
        entries.iter().any(|entry| entry["id"] == entry_id.as_str() && entry["lang"] == "fi"),
        "the entry carries fi: {entries:?}"
    );
    Ok(())
}

/// The two narrow screens WCAG 2.2 asks for (1.4.4 resize text, 1.4.10 reflow): 320 CSS pixels
/// wide (a 1280 px window at 400%, or a small phone), and a 1280×900 window at 200% zoom, which
/// is 640×450 CSS pixels at device scale 2.
const NARROW: [(&str, u32, u32, u32); 2] = [("320px", 320, 640, 1), ("zoom200", 640, 450, 2)];

/// Lays the page out as on a screen `width`×`height` CSS pixels at device scale `scale`
/// (desktop mode, so the page's viewport meta cannot zoom out to hide an overflow).
pub(crate) fn narrow(browser: &Session, width: u32, height: u32, scale: u32) -> Result<()> {
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": width, "height": height, "deviceScaleFactor": scale, "mobile": false}),
    )?;
    Ok(())
}

/// What does not fit, as sentences (empty when all is well). `arguments[0]` is `widget` (the
/// open dialog in the widget's shadow root) or `page`; `arguments[1]` lists the selectors of the
/// key controls, each of which must be on screen once scrolled to, inside the viewport's width,
/// and not covered by anything else. Nothing may reach past the dialog (or the viewport), except
/// inside `.table-scroll`, the summary page's wide tables, which scroll on their own (WCAG 1.4.10
/// allows that for data tables).
const REFLOW_PROBLEMS: &str = r#"const [scope, selectors] = arguments;
const problems = [];
const html = document.documentElement;
const width = html.clientWidth, height = window.innerHeight;
const name = el => !el ? 'nothing' : el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '')
  + (el.dataset && el.dataset.tellus ? `[data-tellus=${el.dataset.tellus}]` : '')
  + ` "${(el.textContent || '').trim().slice(0, 30)}"`;
if (html.scrollWidth > width) {
  problems.push(`the page scrolls sideways: ${html.scrollWidth} px content in ${width} px`);
  const outside = [...document.querySelectorAll('body *')]
    .map(el => [el, el.getBoundingClientRect()]).filter(([, r]) => r.right > width + 0.5 || r.left < -0.5);
  for (const [el, r] of outside.slice(-3)) problems.push(`  beyond the viewport: ${name(el)} at x ${Math.round(r.left)}..${Math.round(r.right)}`);
  // Nothing's box is past the edge: then some content overflows its box (a long word).
  const spilling = [...document.querySelectorAll('body *')].filter(el => el.scrollWidth > el.clientWidth + 1
    && getComputedStyle(el).overflowX === 'visible' && !el.closest('.table-scroll'));
  for (const el of spilling.slice(-3)) problems.push(`  spills out of its box: ${name(el)} ${el.scrollWidth} in ${el.clientWidth}`);
  if (!outside.length && !spilling.length) problems.push(`  body ${document.body.scrollWidth} wide, margins ${getComputedStyle(document.body).margin}`);
}
const root = scope === 'widget' ? document.querySelector('tellus-widget').shadowRoot : document;
const frame = scope === 'widget' ? root.querySelector('[data-tellus=dialog]') : document.body;
if (!frame) return ['the dialog is not open'];
const box = scope === 'widget' ? frame.getBoundingClientRect() : { left: 0, right: width };
if (box.left < -0.5 || box.right > width + 0.5) problems.push(`${name(frame)} spans x ${box.left}..${box.right} of ${width}`);
if (scope === 'widget' && frame.scrollWidth > frame.clientWidth + 1) problems.push(`the dialog scrolls sideways: ${frame.scrollWidth} in ${frame.clientWidth}`);
for (const el of frame.querySelectorAll('*')) {
  if (el.closest('.table-scroll') || (el.closest('svg') && el.tagName.toLowerCase() !== 'svg')) continue;
  const r = el.getBoundingClientRect();
  if (r.width <= 1) continue;
  if (r.left < box.left - 0.5 || r.right > box.right + 0.5) problems.push(`${name(el)} reaches past the edge: x ${Math.round(r.left)}..${Math.round(r.right)} in ${Math.round(box.left)}..${Math.round(box.right)}`);
}
for (const selector of selectors) {
  const el = root.querySelector(selector);
  if (!el) { problems.push(`${selector} is missing`); continue; }
  el.scrollIntoView({ block: 'center', inline: 'nearest' });
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) { problems.push(`${selector} has no size`); continue; }
  if (r.left < -0.5 || r.right > width + 0.5 || r.top < -0.5 || r.bottom > height + 0.5) {
    problems.push(`${selector} is off screen once scrolled to: x ${r.left}..${r.right}, y ${r.top}..${r.bottom} in ${width}x${height}`);
    continue;
  }
  const hit = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (!hit || !(hit === el || el.contains(hit) || hit.contains(el))) problems.push(`${selector} is covered by ${name(hit)}`);
}
return problems;"#;

/// [`REFLOW_PROBLEMS`] until there are none, for at most five seconds (layout can still be
/// settling right after a load on a busy machine); the problems of the last look otherwise.
pub(crate) fn reflow_problems(browser: &Session, scope: &str, selectors: &[&str]) -> Result<Vec<String>> {
    let mut last = Vec::new();
    let settled = poll("a layout that fits", Duration::from_secs(5), || {
        let found = browser.execute(REFLOW_PROBLEMS, vec![json!(scope), json!(selectors)]).ok()?;
        last = found
            .as_array()
            .map(|list| list.iter().filter_map(|p| p.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        last.is_empty().then_some(())
    });
    Ok(if settled.is_ok() { Vec::new() } else { last })
}

/// At 320 CSS pixels and at 200% zoom, in English and in Arabic: the launcher is on screen,
/// the open dialog fits the viewport's width (no sideways scrolling of the page or inside the
/// dialog, nothing reaching past its edge), and its close button, rating options and Send are
/// on screen and not covered, before and after a low rating opens the tell-us form; the
/// customer can still send. Screenshots: `target/artifacts/widget-<screen>-<lang>.png`.
fn the_widget_reflows_to_320_px_and_200_percent_zoom_in_english_and_arabic(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let mut problems = Vec::new();
    for (screen, width, height, scale) in NARROW {
        for lang in ["en", "ar"] {
            let browser = ctx.driver.session()?;
            narrow(&browser, width, height, scale)?;
            browser.goto(&ctx.url(&format!("/demo?site={}&lang={lang}", site.id)))?;
            browser.find(".launcher")?;
            let mut found = reflow_problems(&browser, "page", &[])?;
            let launcher = browser.execute(
                "const el = document.querySelector('tellus-widget').shadowRoot.querySelector('.launcher');
                 const r = el.getBoundingClientRect();
                 return r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth
                   && r.top >= 0 && r.bottom <= window.innerHeight;",
                vec![],
            )?;
            if launcher != true {
                found.push("the launcher is not fully on screen".into());
            }
            open_dialog(&browser)?;
            let question = [
                "[data-tellus=close]",
                "label:has([data-rating='1'])",
                "label:has([data-rating='5'])",
                "[data-tellus=send]",
            ];
            found.extend(reflow_problems(&browser, "widget", &question)?.into_iter().map(|p| format!("open: {p}")));
            browser.screenshot(&paths::artifacts().join(format!("widget-{screen}-{lang}.png")))?;

            browser.click(&browser.find("[data-rating='2']")?)?;
            browser.find("[data-tellus=comment]")?;
            settled(&browser)?;
            let tell_us = ["[data-tellus=comment]", "[data-tellus=consent]", "[data-tellus=send]"];
            found.extend(reflow_problems(&browser, "widget", &tell_us)?.into_iter().map(|p| format!("tell us: {p}")));
            browser.screenshot(&paths::artifacts().join(format!("widget-{screen}-{lang}-tell-us.png")))?;

            browser.type_text(&browser.find("[data-tellus=comment]")?, "Sent from a narrow screen")?;
            browser.click(&browser.find("[data-tellus=send]")?)?;
            browser.find("[data-tellus=thanks]")?;
            problems.extend(found.into_iter().map(|p| format!("{screen} {lang}: {p}")));
        }
    }
    ensure!(problems.is_empty(), "the widget does not reflow:\n{}", problems.join("\n"));
    Ok(())
}

/// Signs in to the summary page in Chromium with the browser speaking `lang`.
fn summary_signed_in(ctx: &Ctx, site: &TestSite, lang: &str) -> Result<Session> {
    let browser = ctx.driver.session()?;
    browser.goto(&ctx.url("/robots.txt"))?;
    speak(&browser, lang)?;
    browser.goto(&ctx.url(&format!("/s/{}", site.id)))?;
    browser.type_text(&browser.find("#owner-key")?, &site.owner_key)?;
    browser.click(&browser.find("[data-action=login]")?)?;
    poll("the summary page after login", Duration::from_secs(15), || {
        (browser.count("[data-figure]").ok()? > 0).then_some(())
    })?;
    Ok(browser)
}

/// At 320 CSS pixels and at 200% zoom, in English and in Arabic, with long customer text, a long
/// touchpoint and a contact: the login form, the inbox, a case, the summary and the settings do
/// not scroll sideways, nothing reaches past the viewport (except inside the wide tables' own
/// scroll boxes), and the key controls are on screen and not covered: the sections and sign-out,
/// a line's checkbox and link and the filter button; the case's acknowledge, assign, fix, reply
/// and delete; the period links and the export; the settings' save. Screenshots:
/// `target/artifacts/owner-<page>-<screen>-<lang>.png`.
fn the_owner_pages_reflow_to_320_px_and_200_percent_zoom_in_english_and_arabic(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let long_word = "Unbelievablylongcomplaintwithoutanyspacesatallthatmustwrap";
    let failure = ctx.submit(
        &site,
        &json!({"rating": 1, "comment": format!("The order never came. {long_word}"), "dimensions": ["reliability", "empathy"],
                "touchpoint": {"page": "/checkout/payment/confirmation/step-three?order=1234567890", "agent": "Mari"},
                "consent": true, "contact": {"name": "Mari Maasikas", "email": "mari.maasikas.long.address@example.com", "channel": "email"},
                "lang": "et"}),
    )?;
    ensure!(failure.status == 201, "seed failure: {} {}", failure.status, failure.body);
    let failure_id = failure.json()["id"].as_str().unwrap_or_default().to_owned();
    for (rating, lang) in [(5, "en"), (4, "ar"), (2, "ru")] {
        let answer = ctx.submit(&site, &json!({ "rating": rating, "comment": "Fine", "lang": lang }))?;
        ensure!(answer.status == 201, "seed entry: {} {}", answer.status, answer.body);
    }
    let pages: [(&str, String, Vec<String>); 4] = [
        (
            "inbox",
            String::new(),
            vec![
                "[data-section=summary]".into(),
                "[data-action=logout]".into(),
                "[data-figure=open]".into(),
                format!("[data-pick='{failure_id}']"),
                format!("#entry-{failure_id} .case-link"),
                "[data-action=filter]".into(),
            ],
        ),
        (
            "case",
            format!("/entries/{failure_id}"),
            vec![
                "[data-action=acknowledge]".into(),
                "[data-action=assign]".into(),
                "[data-action=fix]".into(),
                "#reply".into(),
                "[data-action=delete]".into(),
            ],
        ),
        (
            "summary",
            "/summary".into(),
            vec!["[data-period='30']".into(), "[data-figure=responses]".into(), "[data-export=csv]".into()],
        ),
        ("settings", "/settings".into(), vec!["#allowed_origins".into(), "[data-action=save-settings]".into()]),
    ];
    let mut problems = Vec::new();
    for (screen, width, height, scale) in NARROW {
        for lang in ["en", "ar"] {
            let browser = ctx.driver.session()?;
            narrow(&browser, width, height, scale)?;
            browser.goto(&ctx.url("/robots.txt"))?;
            speak(&browser, lang)?;
            browser.goto(&ctx.url(&format!("/s/{}", site.id)))?;
            browser.find("#owner-key")?;
            let login = reflow_problems(&browser, "page", &["#owner-key", "[data-action=login]"])?;
            problems.extend(login.into_iter().map(|p| format!("{screen} {lang} login: {p}")));
            drop(browser);

            let browser = summary_signed_in(ctx, &site, lang)?;
            narrow(&browser, width, height, scale)?;
            for (page, path, controls) in &pages {
                browser.goto(&ctx.url(&format!("/s/{}{path}", site.id)))?;
                browser.find("main h1")?;
                let controls: Vec<&str> = controls.iter().map(String::as_str).collect();
                let found = reflow_problems(&browser, "page", &controls)?;
                problems.extend(found.into_iter().map(|p| format!("{screen} {lang} {page}: {p}")));
                browser.execute("window.scrollTo(0, 0);", vec![])?;
                browser.screenshot(&paths::artifacts().join(format!("owner-{page}-{screen}-{lang}.png")))?;
            }
        }
    }
    ensure!(problems.is_empty(), "the owner's pages do not reflow:\n{}", problems.join("\n"));
    Ok(())
}
