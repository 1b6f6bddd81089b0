//! KV work per submission, per owner summary view and per cron tick, at 1,000 and (full run)
//! 100,000 seeded entries, each data set in a fresh local KV seeded directly
//! (`tellus_tests::seed`) before its Worker starts.
//!
//! Requests report their KV operations in `x-tellus-kv-ops` (`EXPOSE_KV_OPS=1`). The cron
//! (`GET /__scheduled`) reports none, so for it the table gives the ticks needed to roll up the
//! 90 seeded days and the wall time per tick.

use super::Plan;
use super::report::{Report, Row, Stat};
use anyhow::{Context, Result, bail};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};
use tellus_tests::http::{self, Answer};
use tellus_tests::seed;
use tellus_tests::worker_process::{LocalWorker, Options, free_port};

const SITE: &str = "bench-site";
const OWNER_KEY: &str = "tlk_bench-owner-key";
const ORIGIN: &str = "https://bench.example";
/// Most cron ticks to wait for the rollups (each covers up to 60 days).
const MAX_TICKS: usize = 30;
const ROLLUP_DEADLINE: Duration = Duration::from_secs(300);

/// The Worker's log prefix for a cron tick's KV counts (`worker/src/lib.rs`).
const CRON_KV_OPS_LOG: &str = "tellus-cron-kv-ops";

fn ops(answer: &Answer) -> String {
    let n = |kind| answer.kv_ops(kind).map(|n| n.to_string()).unwrap_or_else(|| "?".into());
    format!("{} reads · {} writes · {} lists", n("reads"), n("writes"), n("lists"))
}

fn ops_json(answer: &Answer) -> serde_json::Value {
    json!({"reads": answer.kv_ops("reads"), "writes": answer.kv_ops("writes"), "lists": answer.kv_ops("lists"), "deletes": answer.kv_ops("deletes")})
}

pub fn measure(plan: &Plan, out_dir: &Path, report: &mut Report) -> Result<()> {
    for &count in plan.kv_entries {
        measure_one(count, out_dir, report).with_context(|| format!("KV work at {count} entries"))?;
    }
    Ok(())
}

fn measure_one(count: u64, out_dir: &Path, report: &mut Report) -> Result<()> {
    let section = "KV work per operation";
    let label = if count >= 1_000 { format!("{},{:03}", count / 1_000, count % 1_000) } else { count.to_string() };
    let today = seed::today()?;
    let dir = out_dir.join(format!("kv-{count}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let persist = dir.join("kv");
    let entries = seed::entries(SITE, today, count);
    let open = seed::open_failures(&entries);
    let seeding = Instant::now();
    seed::put_site_and_entries(&persist, &dir, SITE, OWNER_KEY, ORIGIN, today, &entries)?;
    println!("    seeded {label} entries in {:.0?}", seeding.elapsed());
    drop(entries);

    let log = tellus_tests::paths::artifacts().join(format!("wrangler-bench-kv-{count}.log"));
    let worker = LocalWorker::start(Options {
        port: free_port()?,
        persist_dir: persist,
        own_process_group: true,
        expose_kv_ops: true,
        log_kv_writes: false,
        log: Some(log.clone()),
    })?;
    // The Worker logs each cron tick's KV counts (it has no response header to put them in).
    let cron_ops_lines = || -> Vec<String> {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once(CRON_KV_OPS_LOG).map(|(_, rest)| rest.trim().replace(';', " · ")))
            .collect()
    };
    let next_cron_ops = |seen: usize| -> Result<String> {
        tellus_tests::poll("the cron tick's KV counts in the log", std::time::Duration::from_secs(10), || {
            cron_ops_lines().get(seen).cloned()
        })
    };
    let summary_url = worker.url(&format!("/v1/sites/{SITE}/summary?days=90"));
    let auth = format!("Bearer {OWNER_KEY}");
    let summary = || -> Result<(Answer, f64)> {
        let started = Instant::now();
        let answer = http::get(&summary_url, &[("authorization", &auth)])?;
        if answer.status != 200 {
            bail!("summary: {} {}", answer.status, answer.body);
        }
        Ok((answer, started.elapsed().as_secs_f64() * 1_000.0))
    };

    // Before any rollup: the summary computes days live from the entries' list metadata.
    let (before, before_ms) = summary()?;
    report.push(Row::fact(
        section,
        &format!("owner summary (90 days), {label} entries, before the cron"),
        &ops(&before),
        &format!("days not rolled up yet are computed live ({before_ms:.0} ms)"),
    ));

    // Tick the cron until every closed day is rolled up (bounded in ticks and time).
    // Rolled up: the rollup keys, the dirty days, today's entries and clicks.
    let rolled_up_lists = 4;
    let cron = worker.url("/__scheduled?cron=*+*+*+*+*");
    let tick = || -> Result<f64> {
        let started = Instant::now();
        let answer = http::get(&cron, &[])?;
        if answer.status != 200 {
            bail!("cron: {} {}", answer.status, answer.body);
        }
        Ok(started.elapsed().as_secs_f64() * 1_000.0)
    };
    let deadline = Instant::now() + ROLLUP_DEADLINE;
    let mut catch_up_ms = Vec::new();
    let mut catch_up_ops = Vec::new();
    let after = loop {
        if catch_up_ms.len() >= MAX_TICKS || Instant::now() >= deadline {
            bail!("rollups did not cover 90 days after {} ticks", catch_up_ms.len());
        }
        let seen = cron_ops_lines().len();
        catch_up_ms.push(tick()?);
        catch_up_ops.push(next_cron_ops(seen)?);
        let (answer, _) = summary()?;
        if answer.kv_ops("lists").is_some_and(|n| n <= rolled_up_lists) {
            break answer;
        }
    };
    let seen = cron_ops_lines().len();
    let steady_ms: Vec<f64> = (0..3).map(|_| tick()).collect::<Result<_>>()?;
    let steady_ops = next_cron_ops(seen + 2)?;
    let after_ms: Vec<f64> = (0..3).map(|_| summary().map(|(_, ms)| ms)).collect::<Result<_>>()?;
    report.push(Row::fact(
        section,
        &format!("owner summary (90 days), {label} entries, rolled up"),
        &ops(&after),
        &format!("{open} open failures, counted from the rollup keys' metadata (no index pages)"),
    ));
    report.push(Row::stat(
        section,
        &format!("owner summary latency, {label} entries, rolled up"),
        Stat::of(&after_ms),
        "ms",
        "",
    ));
    report.push(Row::fact(
        section,
        &format!("cron ticks to roll up 90 days, {label} entries"),
        &catch_up_ms.len().to_string(),
        "a tick rolls up at most 60 days",
    ));
    for (i, ops) in catch_up_ops.iter().enumerate() {
        report.push(Row::fact(
            section,
            &format!("cron tick {} KV work while catching up, {label} entries", i + 1),
            ops,
            "from the Worker's log line (EXPOSE_KV_OPS)",
        ));
    }
    report.push(Row::fact(
        section,
        &format!("cron tick KV work when caught up, {label} entries"),
        &steady_ops,
        "site list and read, rollup mark, dirty-day list, callback queue page",
    ));
    report.push(Row::stat(
        section,
        &format!("cron tick while catching up, {label} entries"),
        Stat::of(&catch_up_ms),
        "ms",
        "wall time of `/__scheduled`",
    ));
    report.push(Row::stat(
        section,
        &format!("cron tick when caught up, {label} entries"),
        Stat::of(&steady_ms),
        "ms",
        "wall time of `/__scheduled`",
    ));

    // Submissions of a failure, the most expensive accepted kind: with a key as the widget makes
    // it (a ULID: a replay is found by reading the entry), and with a key without a time (an
    // `idem:` record).
    let feedback_url = worker.url(&format!("/v1/sites/{SITE}/feedback"));
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as u64;
    let kinds = [
        (
            "widget key",
            tellus_core::ids::entry_id(now_ms, [count as u8; 10]),
            "site + entry; promise, entry, open-failure index",
        ),
        (
            "key without a time",
            format!("bench-{count}-key"),
            "site + idem record; promise, entry, open-failure index, idem record",
        ),
    ];
    let mut submissions = Vec::new();
    for (kind, key, note) in kinds {
        let body = json!({"rating": 1, "comment": "bench", "lang": "en", "idempotency_key": key});
        let answer = http::post_json(&feedback_url, &[("origin", ORIGIN)], &body)?;
        if answer.status != 201 {
            bail!("feedback: {} {}", answer.status, answer.body);
        }
        report.push(Row::fact(section, &format!("submission (failure, {kind}), {label} entries"), &ops(&answer), note));
        submissions.push(answer);
    }
    report.raw["kv"][count.to_string()] = json!({
        "summary_before_rollups": ops_json(&before),
        "summary_rolled_up": ops_json(&after),
        "summary_rolled_up_ms": after_ms,
        "catch_up_tick_ms": catch_up_ms,
        "catch_up_tick_kv_ops": catch_up_ops,
        "steady_tick_kv_ops": steady_ops,
        "steady_tick_ms": steady_ms,
        "submissions": submissions.iter().map(ops_json).collect::<Vec<_>>(),
    });
    drop(worker);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
