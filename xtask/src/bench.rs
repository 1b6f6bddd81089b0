//! `cargo xtask bench [--quick]`: what tellus costs a host page, a Worker and an owner,
//! measured the same way every time on the real runtimes (release builds, workerd through
//! `wrangler dev`, headless Chromium), printed as a table and written to `BENCHMARKS.md` plus
//! raw JSON under `target/bench/`.
//!
//! Every figure is the median of several runs with their min and max; comparisons are ratios
//! taken in the same run, because the machine may be shared and noisy. `--quick` runs each
//! measurement once, with small counts and 1,000 seeded entries only: `cargo xtask test` runs
//! it last so the bench cannot rot. Only the full run writes `BENCHMARKS.md`.
//!
//! `--host-page` measures only the host page and the first open (bytes, peers, the Chromium
//! part), for work on the widget (it rebuilds the Worker only if it was never built): it writes
//! `target/bench/host-page-latest-*.json` and each load's first-open trace under
//! `target/bench/traces/`, never `BENCHMARKS.md`. `--throttle N` sets its CPU throttling
//! (default 4×, the figure `BENCHMARKS.md` reports; 1 is none); `--profile` adds V8's sampling
//! profiler to the traces (which slows what it measures).

mod core_paths;
mod costs;
mod host_page;
mod report;
mod trace;
mod worker_load;

use crate::{build, install, root, sizes};
use anyhow::{Context, Result, bail};
use report::{Report, Row};
use serde_json::json;
use tellus_core::widget_strings;
use tellus_tests::paths;
use tellus_tests::worker_process::{LocalWorker, Options, free_port};

/// How much to measure.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub quick: bool,
    /// Browser page loads per variant.
    pub page_runs: usize,
    /// Rounds of the load test (each: trivial route, config, feedback).
    pub load_rounds: usize,
    /// Requests per route per round.
    pub load_requests: usize,
    /// Seeded data sets for the KV measurements.
    pub kv_entries: &'static [u64],
    /// Only the host page and the first open (`--host-page`), their traces kept.
    pub host_page_only: bool,
    /// Chromium's CPU throttling rate for the host page (`--throttle N`; 4 unless told).
    pub throttling: u32,
    /// V8's sampling profiler in the host page's traces (`--profile`, with `--host-page`).
    pub profile: bool,
}

impl Plan {
    pub fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                quick,
                page_runs: 1,
                load_rounds: 1,
                load_requests: 20,
                kv_entries: &[1_000],
                host_page_only: false,
                throttling: 4,
                profile: false,
            }
        } else {
            // `TELLUS_BENCH_ENTRIES=1000` leaves out the 100,000-entry data set (seeding it takes
            // some 6 minutes on a quiet machine, far longer on a loaded one).
            let kv_entries: &'static [u64] = match std::env::var("TELLUS_BENCH_ENTRIES").as_deref() {
                Ok("1000") => &[1_000],
                _ => &[1_000, 100_000],
            };
            Plan {
                quick,
                page_runs: 7,
                load_rounds: 3,
                load_requests: 300,
                kv_entries,
                host_page_only: false,
                throttling: 4,
                profile: false,
            }
        }
    }

    /// The plan `cargo xtask bench` was asked for: `--quick`, `--host-page`, `--throttle N`.
    pub fn from_args(args: &[String]) -> Result<Plan> {
        let mut plan = Plan::new(args.iter().any(|a| a == "--quick"));
        let mut at = 0;
        while at < args.len() {
            match args[at].as_str() {
                "--quick" => {}
                "--host-page" => plan.host_page_only = true,
                "--profile" => plan.profile = true,
                "--throttle" => {
                    at += 1;
                    plan.throttling = args
                        .get(at)
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n >= 1)
                        .context("--throttle takes a whole number, 1 or more (1: no throttling)")?;
                }
                other => bail!("cargo xtask bench: unknown argument {other}"),
            }
            at += 1;
        }
        if (plan.throttling != 4 || plan.profile) && !plan.host_page_only {
            bail!("--throttle and --profile are for --host-page only: BENCHMARKS.md reports 4× throttling, unprofiled");
        }
        Ok(plan)
    }
}

/// Entry point of `cargo xtask bench`; `build` is false when the caller has just built.
pub fn run(plan: Plan, build: bool) -> Result<()> {
    let started = std::time::Instant::now();
    let quick = plan.quick;
    if build {
        install::ensure_build_tools()?;
        install::ensure_browser()?;
        if plan.host_page_only { build::site_and_missing_worker()? } else { build::all()? }
    }
    let out_dir = root().join("target/bench");
    std::fs::create_dir_all(&out_dir)?;
    let mut report = Report::new(plan);

    println!("\n==> bench: bytes");
    bytes(&mut report)?;

    println!("\n==> bench: the peers, bundled from their npm packages");
    peers(&mut report)?;

    if !plan.host_page_only {
        println!("\n==> bench: core hot paths (criterion, native)");
        core_paths::measure(&plan, &mut report)?;
    }

    println!("\n==> bench: starting a local Worker (fresh KV)");
    let persist = out_dir.join(format!("worker-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&persist);
    let worker = LocalWorker::start(Options {
        port: free_port()?,
        persist_dir: persist.clone(),
        own_process_group: true,
        expose_kv_ops: true,
        log_kv_writes: false,
        log: Some(paths::artifacts().join("wrangler-bench.log")),
    })?;
    println!("\n==> bench: host page in headless Chromium ({}× CPU throttling)", plan.throttling);
    let traces = plan.host_page_only.then(|| out_dir.join("traces"));
    host_page::measure(&plan, &worker, traces.as_deref(), &mut report)?;
    // Kept at once: on a loaded machine the later parts can take long, and these are the
    // figures the widget's work is judged by.
    for section in &report.sections {
        println!("\n{section}");
    }
    let host_page_json = serde_json::to_string_pretty(&report.raw["host_page"])?;
    std::fs::write(
        out_dir.join(format!(
            "host-page-latest-{}{}.json",
            if quick { "quick" } else { "full" },
            if plan.throttling == 4 { String::new() } else { format!("-throttle{}", plan.throttling) }
        )),
        host_page_json,
    )?;
    if plan.host_page_only {
        drop(worker);
        let _ = std::fs::remove_dir_all(&persist);
        println!("bench --host-page: done in {:.0?} (traces in target/bench/traces/)", started.elapsed());
        return Ok(());
    }
    println!("\n==> bench: Worker under load (loopback)");
    worker_load::measure(&plan, &worker, &mut report)?;
    drop(worker);
    let _ = std::fs::remove_dir_all(&persist);

    println!("\n==> bench: billed operations per action and per workload; summary at {:?} entries", plan.kv_entries);
    costs::measure(&plan, &out_dir, &mut report)?;

    report.finish(started.elapsed());
    let table = report.table();
    println!("\n{table}");
    let stamp = report.machine["date"].as_str().unwrap_or("run").replace([':', ' '], "-");
    let raw = json!({ "plan": format!("{plan:?}"), "machine": report.machine, "rows": report.rows_json(), "raw": report.raw });
    let json_text = serde_json::to_string_pretty(&raw)?;
    let kind = if quick { "quick" } else { "full" };
    std::fs::write(out_dir.join(format!("{kind}-{stamp}.json")), &json_text)?;
    std::fs::write(out_dir.join(format!("latest-{kind}.json")), &json_text)?;
    if quick {
        println!(
            "bench --quick: smoke run done in {:.0?} (BENCHMARKS.md is written by the full run)",
            started.elapsed()
        );
    } else {
        let markdown = report.markdown(&table);
        std::fs::write(root().join("BENCHMARKS.md"), markdown).context("writing BENCHMARKS.md")?;
        println!("wrote BENCHMARKS.md and target/bench/{kind}-{stamp}.json in {:.0?}", started.elapsed());
    }
    Ok(())
}

/// Bytes a host page, a customer and Cloudflare receive.
fn bytes(report: &mut Report) -> Result<()> {
    let site = build::site_dir();
    let read = |path: std::path::PathBuf| std::fs::read(&path).with_context(|| format!("reading {}", path.display()));
    let loader = sizes::measure(&read(site.join("tellus.js"))?)?;
    let mut app = read(site.join("w/tellus_widget_bg.wasm"))?;
    let wasm = sizes::measure(&app)?;
    let glue = sizes::measure(&read(site.join("w/tellus_widget.js"))?)?;
    app.clear();
    let worker_dir = root().join("worker/build");
    let worker_wasm = sizes::measure(&read(worker_dir.join("index_bg.wasm"))?)?;
    let mut worker_js = read(worker_dir.join("worker/shim.mjs"))?;
    worker_js.extend(read(worker_dir.join("index.js"))?);
    let worker_js = sizes::measure(&worker_js)?;
    let kb = |n: usize| format!("{:.1} KB", n as f64 / 1_000.0);
    let triple = |s: &sizes::Sizes| format!("{} raw · {} gzip · {} brotli", kb(s.raw), kb(s.gzip), kb(s.brotli));
    report.push(Row::fact("Bytes", "loader `tellus.js` (every page view)", &triple(&loader), "budget 1.5 KB gzip"));
    let app_total =
        sizes::Sizes { raw: wasm.raw + glue.raw, gzip: wasm.gzip + glue.gzip, brotli: wasm.brotli + glue.brotli };
    report.push(Row::fact(
        "Bytes",
        "app on first open (wasm + JS glue)",
        &triple(&app_total),
        &format!("wasm {} + glue {} brotli", kb(wasm.brotli), kb(glue.brotli)),
    ));
    let per_language = string_table_bytes();
    let listed: Vec<String> = per_language.iter().map(|(lang, bytes)| format!("{lang} {bytes} B")).collect();
    report.push(Row::fact(
        "Bytes",
        "per-language strings (UTF-8 text of each table)",
        &listed.join(" · "),
        "English compiled into the app; each other language is one fetch of `w/lang/{lang}.txt` on first open (`core/src/i18n/widget.rs`)",
    ));
    report.push(Row::fact(
        "Bytes",
        "Worker bundle (wasm + JS), gzip",
        &kb(worker_wasm.gzip + worker_js.gzip),
        &format!("free-plan limit 3 MB gzip; raw {}", kb(worker_wasm.raw + worker_js.raw)),
    ));
    report.raw["bytes"] = json!({
        "loader": [loader.raw, loader.gzip, loader.brotli],
        "app_wasm": [wasm.raw, wasm.gzip, wasm.brotli],
        "app_glue": [glue.raw, glue.gzip, glue.brotli],
        "worker_wasm": [worker_wasm.raw, worker_wasm.gzip, worker_wasm.brotli],
        "worker_js": [worker_js.raw, worker_js.gzip, worker_js.brotli],
    });
    Ok(())
}

/// Builds the peers the host-page bench compares tellus with, and reports their bytes.
fn peers(report: &mut Report) -> Result<()> {
    let kb = |n: usize| format!("{:.1} KB", n as f64 / 1_000.0);
    for (peer, size) in host_page::build_peers(&build::site_dir())? {
        let what = match peer {
            "sentry" => "peer: Sentry feedback (`@sentry/browser` + `feedbackIntegration`), loaded with the page",
            _ => "peer: Feedback Fin, loaded with the page",
        };
        let triple = format!("{} raw · {} gzip · {} brotli", kb(size.raw), kb(size.gzip), kb(size.brotli));
        report.push(Row::fact("Bytes", what, &triple, "bundled by the bench with esbuild from the pinned npm package"));
    }
    Ok(())
}

/// UTF-8 bytes of each language's widget table (`tellus_core::widget_strings`): what one
/// language's words cost before compression.
fn string_table_bytes() -> Vec<(String, usize)> {
    widget_strings::LANGS
        .into_iter()
        .map(|lang| (lang.to_owned(), widget_strings::table(lang).iter().map(|text| text.len()).sum()))
        .collect()
}
