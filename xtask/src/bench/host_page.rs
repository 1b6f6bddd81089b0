//! Host-page cost in headless Chromium with 4× CPU throttling (`--throttle N` changes it for a
//! `--host-page` run), tellus side by side with two
//! peers: `www/bench.html` plain, with the tellus script tag, with Sentry's feedback widget
//! (`@sentry/browser` + `feedbackIntegration`) and with Feedback Fin, each built by the bench
//! from its pinned npm package (`www/bench-peers/`, bundled with esbuild) and served from the
//! local Worker, never a CDN. Variants are loaded in turn, each in a fresh browser session (cold
//! cache, fresh profile), so all see the same noise.
//!
//! - Page load: script and task time from the DevTools `Performance.getMetrics` counters
//!   (deltas over the load); long tasks from a buffered `PerformanceObserver` (`www/bench.js`).
//! - First open: a Chromium trace of the whole session (chromedriver's performance log, see
//!   [`Session::trace_events`]). The customer moves the pointer onto the launcher, the page
//!   finishes what that started (tellus fetches, compiles and instantiates its app on hover;
//!   the peers do nothing), then they click (press and release as two input events, see
//!   [`click`]); the main thread's tasks from the click to the first
//!   frame with the dialog's first control (User Timing marks set by `bench.js`) are split by
//!   phase ([`trace`]). The same is measured for tellus with the click right after the pointer
//!   arrives (no time to prepare), and the download is read from Resource Timing. The tasks
//!   that ran the bench's own commands (each marks `bench-command`) are left out of every
//!   figure: they are the measurement's, not any widget's.
//! - With `--host-page`, each first open's trace is kept (`target/bench/traces/`, the renderer's
//!   events from the click on), to read what the tasks after the click are made of.

use super::Plan;
use super::report::{Report, Row, Stat, fmt};
use super::trace::{MainThread, PHASES, Split, Task};
use crate::{root, run_cmd, sizes};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use tellus_tests::http;
use tellus_tests::webdriver::{Chromedriver, Session};
use tellus_tests::worker_process::{ADMIN_TOKEN, LocalWorker};

/// A long task blocks for its time beyond 50 ms (the Total Blocking Time definition).
const LONG_TASK_MS: f64 = 50.0;
/// What the trace records: the DevTools timeline (tasks, script, style, layout, paint), V8's
/// compile and WebAssembly events, and the page's User Timing marks.
const TRACE_CATEGORIES: &str = "devtools.timeline,disabled-by-default-devtools.timeline,toplevel,v8,v8.wasm,\
                                disabled-by-default-v8.compile,blink.user_timing,loading";
/// Added with `--profile`: V8's sampling profiler, to see which functions a task runs. It costs
/// main-thread time itself, so the figures of a profiled run are not comparable with others.
const PROFILE_CATEGORIES: &str = ",disabled-by-default-devtools.timeline.stack,disabled-by-default-v8.cpu_profiler";
/// The peers, by the name `www/bench-peers/{name}.js` and `?peer={name}` use.
const PEERS: [&str; 2] = ["sentry", "feedbackfin"];

/// A figure of a page load: its name and how to read it.
type Measure = (&'static str, fn(&Load) -> f64);

/// One page the bench loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    Plain,
    Tellus,
    Sentry,
    Feedbackfin,
}

impl Variant {
    const ALL: [Variant; 4] = [Variant::Plain, Variant::Tellus, Variant::Sentry, Variant::Feedbackfin];

    fn name(self) -> &'static str {
        match self {
            Variant::Plain => "plain page",
            Variant::Tellus => "tellus",
            Variant::Sentry => "Sentry feedback",
            Variant::Feedbackfin => "Feedback Fin",
        }
    }

    fn url(self, worker: &LocalWorker, site: &str) -> String {
        match self {
            Variant::Plain => worker.url("/bench"),
            Variant::Tellus => worker.url(&format!("/bench?site={site}")),
            Variant::Sentry => worker.url("/bench?peer=sentry"),
            Variant::Feedbackfin => worker.url("/bench?peer=feedbackfin"),
        }
    }

    /// A file name for it.
    fn slug(self) -> &'static str {
        match self {
            Variant::Plain => "plain",
            Variant::Tellus => "tellus",
            Variant::Sentry => "sentry",
            Variant::Feedbackfin => "feedbackfin",
        }
    }

    /// The launcher's selector (in the page or the widget's open shadow root).
    fn launcher(self) -> Option<&'static str> {
        match self {
            Variant::Plain => None,
            Variant::Tellus => Some(".launcher"),
            Variant::Sentry => Some(".widget__actor"),
            Variant::Feedbackfin => Some("[data-feedbackfin-button]"),
        }
    }
}

/// How the customer reaches the launcher before the click.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Approach {
    /// The pointer rests on the launcher until the page is quiet, then clicks.
    Hover,
    /// The click comes the moment the pointer arrives.
    Straight,
}

/// What one page load measured (milliseconds).
#[derive(Debug, Default, Clone)]
struct Load {
    script_ms: f64,
    task_ms: f64,
    tbt_ms: f64,
    longest_task_ms: f64,
    open: Option<FirstOpen>,
}

/// The first opening of a widget's dialog.
#[derive(Debug, Default, Clone)]
struct FirstOpen {
    /// Main-thread tasks from the click to the interactive dialog, by phase (trace).
    click: Split,
    /// The longest main-thread task from the click until the page was quiet again.
    longest_after_click_ms: f64,
    /// Main-thread tasks from the pointer's arrival to the click (trace).
    hover: Split,
    /// Click event to the first frame with the dialog's first control (wall time).
    wall_ms: f64,
    /// Fetched from the pointer's arrival on: wall time from the first request to the last
    /// byte, and the bytes (encoded body sizes).
    download_ms: f64,
    download_bytes: f64,
}

/// Bundles each peer from its npm package into `target/site/bench-peers/` (before the Worker
/// starts: static assets added later are not served) and returns their sizes.
pub fn build_peers(site: &Path) -> Result<Vec<(&'static str, sizes::Sizes)>> {
    let out = site.join("bench-peers");
    std::fs::create_dir_all(&out)?;
    let mut built = Vec::new();
    for peer in PEERS {
        let bundle = out.join(format!("{peer}.js"));
        let mut esbuild = Command::new(root().join("node_modules/.bin/esbuild"));
        esbuild
            .arg(root().join(format!("www/bench-peers/{peer}.js")))
            .args(["--bundle", "--minify", "--format=iife", "--target=es2020", "--log-level=warning"])
            .arg("--define:process.env.NODE_ENV=\"production\"")
            .arg(format!("--outfile={}", bundle.display()));
        run_cmd(esbuild).with_context(|| format!("bundling the {peer} peer (npm ci installs it)"))?;
        built.push((peer, sizes::measure(&std::fs::read(&bundle)?)?));
    }
    Ok(built)
}

/// `traces`: where to keep each first open's trace (`None`: nowhere).
pub fn measure(plan: &Plan, worker: &LocalWorker, traces: Option<&Path>, report: &mut Report) -> Result<()> {
    let site = create_site(worker)?;
    if let Some(dir) = traces {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir)?;
    }
    let throttling = plan.throttling;
    let categories =
        if plan.profile { format!("{TRACE_CATEGORIES}{PROFILE_CATEGORIES}") } else { TRACE_CATEGORIES.to_owned() };
    let driver = Chromedriver::start()?;
    // Each run: every variant loaded once (the widgets opened after a hover), and tellus once
    // more, opened by a click that comes with the pointer.
    let runs: Vec<(Variant, Approach)> =
        Variant::ALL.iter().map(|v| (*v, Approach::Hover)).chain([(Variant::Tellus, Approach::Straight)]).collect();
    if !plan.quick {
        // Discarded: the first sessions pay for starting the browser and warming the Worker.
        for (variant, approach) in &runs {
            load(&driver, &categories, variant.url(worker, &site), *variant, *approach, throttling, None)
                .with_context(|| format!("{} ({approach:?}), warm-up", variant.name()))?;
        }
    }
    let mut loads: Vec<(Variant, Approach, Vec<Load>)> = runs.iter().map(|(v, a)| (*v, *a, Vec::new())).collect();
    for run in 0..plan.page_runs {
        for (variant, approach, results) in &mut loads {
            let trace = traces.map(|dir| dir.join(format!("{}-{approach:?}-{run}.json", variant.slug())));
            let load = load(
                &driver,
                &categories,
                variant.url(worker, &site),
                *variant,
                *approach,
                throttling,
                trace.as_deref(),
            )
            .with_context(|| format!("{} ({approach:?}), run {run}", variant.name()))?;
            results.push(load);
        }
        println!("    page run {} of {} done", run + 1, plan.page_runs);
    }
    let of = |variant: Variant, approach: Approach| {
        loads.iter().find(|(v, a, _)| *v == variant && *a == approach).map(|(_, _, l)| l.as_slice()).unwrap_or(&[])
    };
    page_load_rows(report, throttling, &|variant| of(variant, Approach::Hover));
    first_open_rows(report, throttling, &of);
    report.raw["host_page"] = json!(
        loads
            .iter()
            .map(|(variant, approach, results)| json!({
                "variant": variant.name(), "approach": format!("{approach:?}"),
                "loads": results.iter().map(load_json).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>()
    );
    Ok(())
}

fn stat(loads: &[Load], f: impl Fn(&Load) -> Option<f64>) -> Option<Stat> {
    Stat::of(&loads.iter().filter_map(f).collect::<Vec<_>>())
}

fn median(loads: &[Load], f: impl Fn(&Load) -> Option<f64>) -> Option<f64> {
    stat(loads, f).map(|s| s.median)
}

/// Load figures of every variant, each widget against the plain page.
fn page_load_rows<'a>(report: &mut Report, throttling: u32, of: &dyn Fn(Variant) -> &'a [Load]) {
    let section = &format!("Host page load (Chromium, {throttling}× CPU throttling)");
    let measures: [Measure; 4] = [
        ("script time during load", |l| l.script_ms),
        ("main-thread task time during load", |l| l.task_ms),
        ("Total Blocking Time", |l| l.tbt_ms),
        ("longest task during load", |l| l.longest_task_ms),
    ];
    for (what, f) in measures {
        let plain = median(of(Variant::Plain), |l| Some(f(l)));
        for variant in Variant::ALL {
            let this = stat(of(variant), |l| Some(f(l)));
            let note = match (plain, this) {
                (Some(p), Some(t)) if variant != Variant::Plain && p > 0.0 => {
                    format!("{}× the plain page", fmt(t.median / p))
                }
                _ => String::new(),
            };
            report.push(Row::stat(section, &format!("{what}, {}", variant.name()), this, "ms", &note));
        }
    }
}

/// The first-open figures: key rows with the targets, and the side-by-side table by phase.
fn first_open_rows<'a>(report: &mut Report, throttling: u32, of: &dyn Fn(Variant, Approach) -> &'a [Load]) {
    let section = &format!("First open (Chromium trace, {throttling}× CPU throttling)");
    let click = |l: &Load| l.open.as_ref().map(|o| o.click.total_ms);
    let tellus = of(Variant::Tellus, Approach::Hover);
    let (sentry, fin) = (of(Variant::Sentry, Approach::Hover), of(Variant::Feedbackfin, Approach::Hover));
    for variant in [Variant::Tellus, Variant::Sentry, Variant::Feedbackfin] {
        report.push(Row::stat(
            section,
            &format!("click → interactive dialog, main-thread time, {}", variant.name()),
            stat(of(variant, Approach::Hover), click),
            "ms",
            if variant == Variant::Tellus {
                "after the pointer rested on the launcher (the app was fetched, compiled and instantiated on hover)"
            } else {
                ""
            },
        ));
    }
    let ratio = |against: &[Load]| match (median(tellus, click), median(against, click)) {
        (Some(t), Some(a)) if a > 0.0 => Some(t / a),
        _ => None,
    };
    let verdict = |ratio: Option<f64>, target: f64| match ratio {
        Some(r) => (
            format!("{}×", fmt(r)),
            format!("target ≤ {}×: {}", fmt(target), if r <= target { "met" } else { "not met" }),
        ),
        None => ("n/a".into(), String::new()),
    };
    let (value, note) = verdict(ratio(sentry), 0.8);
    report.push(Row::fact(section, "tellus ÷ Sentry feedback, click → interactive main-thread time", &value, &note));
    let (value, note) = verdict(ratio(fin), 1.0);
    report.push(Row::fact(section, "tellus ÷ Feedback Fin, click → interactive main-thread time", &value, &note));
    let longest = stat(tellus, |l| l.open.as_ref().map(|o| o.longest_after_click_ms));
    let met = longest.map(|s| {
        if s.max <= LONG_TASK_MS {
            "met in every run"
        } else if s.median <= LONG_TASK_MS {
            "met by the median"
        } else {
            "not met"
        }
    });
    report.push(Row::stat(
        section,
        "longest task after the click, tellus",
        longest,
        "ms",
        &format!("target ≤ 50 ms: {}", met.unwrap_or("n/a")),
    ));
    report.push(Row::stat(
        section,
        "pointer on the launcher → click, main-thread time, tellus",
        stat(tellus, |l| l.open.as_ref().map(|o| o.hover.total_ms)),
        "ms",
        "the work interest starts: fetch, compile and instantiate the app (the peers did theirs at page load)",
    ));
    let straight = of(Variant::Tellus, Approach::Straight);
    report.push(Row::stat(
        section,
        "click the moment the pointer arrives → interactive dialog, main-thread time, tellus",
        stat(straight, click),
        "ms",
        "no time to prepare: the fetch, compile and instantiation fall after the click",
    ));
    report.push(Row::stat(
        section,
        "click event → interactive dialog, wall time, tellus",
        stat(tellus, |l| l.open.as_ref().map(|o| o.wall_ms)),
        "ms",
        "cold cache, loopback",
    ));

    let mut table = format!(
        "## First open, side by side\n\n\
         Main-thread time from the click to the first frame with the dialog's first control \
         (medians over the runs, milliseconds, {throttling}× CPU throttling), split by phase from the \
         Chromium trace: *compile* is JavaScript and WebAssembly compilation on the main thread, \
         *script* is running it (the dialog's first render happens here), *style* is style \
         recalculation, *layout*, *paint* (paint, pre-paint, layerize and commit on the main \
         thread), *GC*, and *other* the tasks' own overhead. The longest task runs until the page \
         is quiet after the dialog appeared. *Before the click* is the main-thread work from the \
         pointer's arrival on the launcher to the click, with what was downloaded then.\n\n\
         | widget | click → interactive |",
    );
    for phase in PHASES {
        table.push_str(&format!(" {} |", phase.label()));
    }
    table.push_str(
        " longest task after the click | wall time | before the click | downloaded on hover and click |\n|---|",
    );
    table.push_str(&"---|".repeat(PHASES.len() + 5));
    table.push('\n');
    let rows = [
        ("tellus (pointer rests, then clicks)", tellus),
        ("tellus (clicks as the pointer arrives)", straight),
        ("Sentry feedback (`@sentry/browser` + `feedbackIntegration`)", sentry),
        ("Feedback Fin", fin),
    ];
    for (name, loads) in rows {
        let cell = |f: &dyn Fn(&FirstOpen) -> f64| {
            median(loads, |l| l.open.as_ref().map(f)).map(fmt).unwrap_or_else(|| "n/a".into())
        };
        table.push_str(&format!("| {name} | **{}** |", cell(&|o| o.click.total_ms)));
        for phase in PHASES {
            table.push_str(&format!(" {} |", cell(&|o| o.click.phase(phase))));
        }
        let bytes = median(loads, |l| l.open.as_ref().map(|o| o.download_bytes)).unwrap_or_default();
        table.push_str(&format!(
            " {} | {} | {} | {} in {} ms |\n",
            cell(&|o| o.longest_after_click_ms),
            cell(&|o| o.wall_ms),
            cell(&|o| o.hover.total_ms),
            if bytes > 0.0 { format!("{:.1} KB", bytes / 1_000.0) } else { "nothing".into() },
            cell(&|o| o.download_ms),
        ));
    }
    report.sections.push(table);
}

fn load_json(load: &Load) -> Value {
    let split = |s: &Split| {
        let mut phases = serde_json::Map::new();
        for phase in PHASES {
            phases.insert(phase.label().into(), json!(s.phase(phase)));
        }
        json!({"total_ms": s.total_ms, "longest_ms": s.longest_ms, "phases": phases})
    };
    json!({
        "script_ms": load.script_ms, "task_ms": load.task_ms, "tbt_ms": load.tbt_ms,
        "longest_task_ms": load.longest_task_ms,
        "open": load.open.as_ref().map(|o| json!({
            "click": split(&o.click), "hover": split(&o.hover), "longest_after_click_ms": o.longest_after_click_ms,
            "wall_ms": o.wall_ms, "download_ms": o.download_ms, "download_bytes": o.download_bytes,
        })),
    })
}

/// Writes the events of the renderer that recorded `anchor_mark` from 50 ms before `from` (µs)
/// on: every thread of it (the main thread, the compositor, V8's background compilers), and
/// the whole sampling profile when there is one (`--profile`).
fn keep_trace(events: &[Value], anchor_mark: &str, from: f64, path: &Path) -> Result<()> {
    let pid = events
        .iter()
        .find(|e| e["name"] == anchor_mark && e["ph"] != "M")
        .map(|e| e["pid"].clone())
        .context("no renderer to keep the trace of")?;
    let kept: Vec<&Value> = events
        .iter()
        .filter(|e| {
            // The sampling profiler's chunks carry time deltas from its start: all are kept.
            let whole = e["ph"] == "M" || e["name"] == "Profile" || e["name"] == "ProfileChunk";
            e["pid"] == pid && (whole || e["ts"].as_f64().is_some_and(|ts| ts >= from - 50_000.0))
        })
        .collect();
    std::fs::write(path, serde_json::to_vec(&json!({ "traceEvents": kept }))?)
        .with_context(|| format!("writing {}", path.display()))
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

/// Waits (in the page, bounded) until the page has fetched nothing for 300 ms and is idle.
fn quiet(session: &Session) -> Result<()> {
    if await_in_page(session, "window.__tellusBench.quiet()").context("waiting for a quiet page")? != json!(true) {
        bail!("the page did not become quiet within 10 s");
    }
    Ok(())
}

/// One page load in a fresh traced session (cold cache, fresh profile), then the first open.
/// `trace`: where to keep the first open's trace, if anywhere.
fn load(
    driver: &Chromedriver,
    categories: &str,
    url: String,
    variant: Variant,
    approach: Approach,
    throttling: u32,
    trace: Option<&Path>,
) -> Result<Load> {
    let session = driver.traced_session(categories)?;
    session.cdp("Performance.enable", json!({}))?;
    session.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": throttling }))?;
    let (script0, task0) = counters(&session)?;
    session.goto(&url)?;
    // WebDriver returns after the load event; the widget's script (async) delays it. Wait for
    // the launcher (bounded) and one more frame for its paint.
    let ready = format!(
        "new Promise((resolve) => {{ const t0 = performance.now(); const sel = {};
           (function check() {{
             if (!sel || window.__tellusBench.find(sel)) requestAnimationFrame(() => resolve(true));
             else if (performance.now() - t0 < 15000) requestAnimationFrame(check); else resolve(false); }})(); }})",
        json!(variant.launcher())
    );
    if await_in_page(&session, &ready).context("waiting for the launcher")? != json!(true) {
        bail!("the {} launcher did not appear within 15 s", variant.name());
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
        open: None,
    };
    if let Some(selector) = variant.launcher() {
        result.open = Some(first_open(&session, selector, approach, trace)?);
    }
    Ok(result)
}

/// Clicks the launcher as a person does: the button pressed, then released, two input events
/// that the page handles one after the other (each `Input.dispatchMouseEvent` returns once the
/// page has handled it), after moving the pointer there if `arrive`. WebDriver's element click
/// sends the pointer's move, press and release at once, and a renderer busy under throttling
/// handles them in one task, so the click's task would also hold the press and the focus it
/// moves to the launcher (25–40 ms of it, measured), which a person's press, some 100 ms before
/// the release, is not.
fn click(session: &Session, launcher: &str, arrive: bool) -> Result<()> {
    let centre = await_in_page(session, &format!("window.__tellusBench.centre({})", json!(launcher)))?;
    let (x, y) = (centre[0].as_f64(), centre[1].as_f64());
    let (Some(x), Some(y)) = (x, y) else { bail!("no launcher to click: {centre}") };
    let moved = json!({"type": "mouseMoved", "x": x, "y": y});
    let button = |kind: &str, buttons: u8| json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1});
    let events = [moved, button("mousePressed", 1), button("mouseReleased", 0)];
    for event in events.into_iter().skip(if arrive { 0 } else { 1 }) {
        session.cdp("Input.dispatchMouseEvent", event)?;
    }
    Ok(())
}

/// `tasks` but those that ran one of the bench's own commands (`bench.js` marks each at
/// `commands`, µs): they are the measurement's, no widget's.
fn without_commands<'a>(tasks: Vec<&'a Task>, commands: &[f64]) -> Vec<&'a Task> {
    tasks.into_iter().filter(|task| !commands.iter().any(|at| task.start_us <= *at && *at <= task.end_us)).collect()
}

/// Opens the widget as a customer would and reads the trace of it (kept at `trace`, if given).
fn first_open(session: &Session, launcher: &str, approach: Approach, trace: Option<&Path>) -> Result<FirstOpen> {
    if approach == Approach::Hover {
        session.hover(&session.find(launcher)?)?;
        quiet(session)?;
    }
    click(session, launcher, approach == Approach::Straight)?;
    let wall = await_in_page(session, "window.__tellusBench.opened()")?;
    let wall_ms = wall.as_f64().context("the dialog did not become interactive within 30 s")?;
    quiet(session)?;
    let fetched = await_in_page(session, "window.__tellusBench.fetched()")?;
    let events = session.trace_events()?;
    let thread = MainThread::read(&events, "bench-click")?;
    let click = thread.mark("bench-click").context("no click mark")?;
    let interactive = thread.mark("bench-interactive").context("no interactive mark in the trace")?;
    let hover = thread.mark("bench-hover").unwrap_or(click);
    if let Some(path) = trace {
        keep_trace(&events, "bench-click", click, path)?;
    }
    let commands: Vec<f64> = thread.marks_named("bench-command").collect();
    let widgets = |tasks| without_commands(tasks, &commands);
    let after_click = widgets(thread.between(click, f64::INFINITY));
    Ok(FirstOpen {
        click: Split::of(&widgets(thread.between(click, interactive))),
        longest_after_click_ms: after_click.iter().map(|task| task.ms()).fold(0.0, f64::max),
        // Tasks that end before the click's own task begins.
        hover: Split::of(
            &widgets(thread.between(hover, click)).into_iter().filter(|task| task.end_us <= click).collect::<Vec<_>>(),
        ),
        wall_ms,
        download_ms: fetched[0].as_f64().unwrap_or_default(),
        download_bytes: fetched[1].as_f64().unwrap_or_default(),
    })
}
