//! Host-page cost in headless Chromium with 4× CPU throttling: `www/bench.html` without and
//! with the tellus script tag, loaded alternately in fresh browser sessions (cold cache), then
//! the main-thread time from a click on the launcher to an interactive dialog.
//!
//! Script and task time come from the DevTools `Performance.getMetrics` counters (deltas over
//! the page load); long tasks from a buffered `PerformanceObserver` that `www/bench.js` starts.

use super::Plan;
use super::report::{Report, Row, Stat, fmt};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tellus_tests::http;
use tellus_tests::webdriver::{Chromedriver, Session};
use tellus_tests::worker_process::{ADMIN_TOKEN, LocalWorker};

const THROTTLING: u32 = 4;
/// A long task blocks for its time beyond 50 ms (the Total Blocking Time definition).
const LONG_TASK_MS: f64 = 50.0;

/// A figure of a page load: its name and how to read it.
type Measure = (&'static str, fn(&Load) -> f64);

/// What one page load measured (milliseconds).
#[derive(Debug, Default, Clone)]
struct Load {
    script_ms: f64,
    task_ms: f64,
    tbt_ms: f64,
    longest_task_ms: f64,
    /// With tellus only: click → interactive dialog.
    click_main_thread_ms: Option<f64>,
    click_script_ms: Option<f64>,
    click_wall_ms: Option<f64>,
}

pub fn measure(plan: &Plan, worker: &LocalWorker, report: &mut Report) -> Result<()> {
    let site = create_site(worker)?;
    let driver = Chromedriver::start()?;
    let plain_url = worker.url("/bench");
    let tellus_url = worker.url(&format!("/bench?site={site}"));
    let (mut plain, mut with) = (Vec::new(), Vec::new());
    if !plan.quick {
        // Discarded: the first sessions pay for starting the browser and warming the Worker.
        load(&driver, &plain_url, false)?;
        load(&driver, &tellus_url, true)?;
    }
    // Alternate the variants so both see the same noise.
    for run in 0..plan.page_runs {
        plain.push(load(&driver, &plain_url, false).with_context(|| format!("plain page, run {run}"))?);
        with.push(load(&driver, &tellus_url, true).with_context(|| format!("page with tellus, run {run}"))?);
        println!("    page run {} of {} done", run + 1, plan.page_runs);
    }
    let stat = |loads: &[Load], f: fn(&Load) -> f64| Stat::of(&loads.iter().map(f).collect::<Vec<_>>());
    let ratio = |f: fn(&Load) -> f64| {
        let (p, w) = (stat(&plain, f), stat(&with, f));
        match (p, w) {
            (Some(p), Some(w)) if p.median > 0.0 => format!("{}× the plain page", fmt(w.median / p.median)),
            _ => String::new(),
        }
    };
    let section = "Host page (Chromium, 4× CPU throttling)";
    let measures: [Measure; 4] = [
        ("script time during load", |l| l.script_ms),
        ("main-thread task time during load", |l| l.task_ms),
        ("Total Blocking Time", |l| l.tbt_ms),
        ("longest task during load", |l| l.longest_task_ms),
    ];
    for (what, f) in measures {
        report.push(Row::stat(section, &format!("{what}, plain page"), stat(&plain, f), "ms", ""));
        report.push(Row::stat(section, &format!("{what}, with tellus"), stat(&with, f), "ms", &ratio(f)));
    }
    let clicks = |f: fn(&Load) -> Option<f64>| Stat::of(&with.iter().filter_map(f).collect::<Vec<_>>());
    report.push(Row::stat(
        section,
        "launcher hover + click → interactive dialog, main-thread time",
        clicks(|l| l.click_main_thread_ms),
        "ms",
        "from before the pointer moves onto the launcher (hover starts the app fetch) until the rating buttons exist",
    ));
    report.push(Row::stat(
        section,
        "launcher hover + click → interactive dialog, of which script",
        clicks(|l| l.click_script_ms),
        "ms",
        "",
    ));
    report.push(Row::stat(
        section,
        "launcher click event → interactive dialog, wall time",
        clicks(|l| l.click_wall_ms),
        "ms",
        "the app fetch started on hover, just before; cold cache, loopback",
    ));
    let as_json = |loads: &[Load]| {
        loads
            .iter()
            .map(|l| {
                json!({"script_ms": l.script_ms, "task_ms": l.task_ms, "tbt_ms": l.tbt_ms,
                       "longest_task_ms": l.longest_task_ms, "click_main_thread_ms": l.click_main_thread_ms,
                       "click_script_ms": l.click_script_ms, "click_wall_ms": l.click_wall_ms})
            })
            .collect::<Vec<_>>()
    };
    report.raw["host_page"] = json!({ "plain": as_json(&plain), "with_tellus": as_json(&with) });
    Ok(())
}

/// A site whose allowed origin is the local Worker (the bench page's origin).
fn create_site(worker: &LocalWorker) -> Result<String> {
    let auth = format!("Bearer {ADMIN_TOKEN}");
    let body = json!({ "name": "Benchmark shop", "allowed_origins": [worker.base_url] });
    let answer = http::post_json(&worker.url("/v1/sites"), &[("authorization", &auth)], &body)?;
    if answer.status != 201 {
        bail!("creating the bench site failed: {} {}", answer.status, answer.body);
    }
    answer.json()["id"].as_str().map(str::to_owned).context("no site id in the answer")
}

/// `ScriptDuration` and `TaskDuration` so far (milliseconds).
fn counters(session: &Session) -> Result<(f64, f64)> {
    let metrics = session.cdp("Performance.getMetrics", json!({}))?;
    let find = |name: &str| {
        metrics["metrics"]
            .as_array()
            .and_then(|all| all.iter().find(|m| m["name"] == name))
            .and_then(|m| m["value"].as_f64())
            .map(|secs| secs * 1_000.0)
            .with_context(|| format!("no {name} in Performance.getMetrics"))
    };
    Ok((find("ScriptDuration")?, find("TaskDuration")?))
}

/// Evaluates a JS promise in the page and returns its value (no polling from outside, so the
/// measurement adds no tasks of its own while it waits).
fn await_in_page(session: &Session, expression: &str) -> Result<Value> {
    let answer = session
        .cdp("Runtime.evaluate", json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }))?;
    if let Some(exception) = answer.get("exceptionDetails") {
        bail!("page script failed: {exception}");
    }
    Ok(answer["result"]["value"].clone())
}

/// One page load in a fresh session (cold cache, fresh profile).
fn load(driver: &Chromedriver, url: &str, with_tellus: bool) -> Result<Load> {
    let session = driver.session()?;
    session.cdp("Performance.enable", json!({}))?;
    session.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": THROTTLING }))?;
    let (script0, task0) = counters(&session)?;
    session.goto(url)?;
    // WebDriver returns after the load event; the tellus script (async) delays it, so the
    // loader has run. Wait for the launcher (bounded) and one more frame for its paint.
    let ready = if with_tellus {
        "new Promise((resolve) => { const t0 = performance.now(); (function check() {
           const h = document.querySelector('tellus-widget');
           if (h && h.shadowRoot && h.shadowRoot.querySelector('.launcher')) requestAnimationFrame(() => resolve(true));
           else if (performance.now() - t0 < 15000) requestAnimationFrame(check); else resolve(false); })(); })"
    } else {
        "new Promise((resolve) => requestAnimationFrame(() => resolve(true)))"
    };
    if await_in_page(&session, ready)? != json!(true) {
        bail!("the tellus launcher did not appear within 15 s");
    }
    let (script1, task1) = counters(&session)?;
    let tasks = await_in_page(&session, "Promise.resolve(window.__tellusBench && window.__tellusBench.longtasks)")?;
    let durations: Vec<f64> = tasks
        .as_array()
        .context("bench.js recorded no long tasks list")?
        .iter()
        .filter_map(|t| t[1].as_f64())
        .collect();
    let mut result = Load {
        script_ms: script1 - script0,
        task_ms: task1 - task0,
        tbt_ms: durations.iter().fold(0.0, |sum, d| sum + (d - LONG_TASK_MS).max(0.0)),
        longest_task_ms: durations.iter().copied().fold(0.0, f64::max),
        ..Load::default()
    };
    if with_tellus {
        let launcher = session.find(".launcher")?;
        let (script2, task2) = counters(&session)?;
        session.click(&launcher)?;
        let wall = await_in_page(
            &session,
            "new Promise((resolve) => { const t0 = performance.now(); (function check() {
               const b = window.__tellusBench;
               if (b.interactive) resolve(b.interactive - b.click);
               else if (performance.now() - t0 < 15000) setTimeout(check, 20); else resolve(null); })(); })",
        )?;
        let wall = wall.as_f64().context("the dialog did not become interactive within 15 s")?;
        let (script3, task3) = counters(&session)?;
        result.click_wall_ms = Some(wall);
        result.click_main_thread_ms = Some(task3 - task2);
        result.click_script_ms = Some(script3 - script2);
    }
    Ok(result)
}
