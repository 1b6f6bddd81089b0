//! Scale: 100,000 entries over 90 days, seeded straight into a fresh local KV with
//! `wrangler kv bulk put` (not through the API) and handed to the site's desk, then summarised.
//! The summary reads one desk row per day and lists no KV, whatever the number of entries or
//! of open failures; the owner's page adds a bounded few operations.

use crate::{Ctx, TestFn};
use anyhow::{Result, ensure};
use tellus_core::entry::{Entry, Kind, Status};
use tellus_core::keys;
use tellus_tests::seed::{self, DAYS};
use tellus_tests::worker_process::{LocalWorker, Options, free_port};
use tellus_tests::{http, paths};

pub const TESTS: &[(&str, TestFn)] = crate::tests![a_summary_reads_days_not_entries];

/// Entries seeded: 100,000 in CI (`CI` set, as `.ci/run` runs), 10,000 on a developer's machine,
/// or `TELLUS_SCALE_ENTRIES`. Seeding runs at about 3.5 ms a key through wrangler's local KV, so
/// 100,000 entries cost some 6 minutes: worth it once per CI run, not on every local run.
fn entry_count() -> u64 {
    match std::env::var("TELLUS_SCALE_ENTRIES").ok().and_then(|n| n.parse().ok()) {
        Some(n) => n,
        None if std::env::var_os("CI").is_some() => 100_000,
        None => 10_000,
    }
}
const SITE: &str = "scale-site";
const OWNER_KEY: &str = "tlk_scale-test-owner-key";

fn a_summary_reads_days_not_entries(_ctx: &Ctx) -> Result<()> {
    let count = entry_count();
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as u64;
    let today = keys::day_of(now_ms);
    let dir = paths::root().join(format!("target/e2e-scale-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let persist = dir.join("kv");

    let entries = seed::entries(SITE, today, count);
    seed::put_site_and_entries(&persist, &dir, SITE, OWNER_KEY, "https://scale.example", today, &entries)?;

    let worker = LocalWorker::start(Options {
        port: free_port()?,
        persist_dir: persist,
        own_process_group: true,
        expose_kv_ops: true,
        log_kv_writes: false,
        log: Some(paths::artifacts().join("wrangler-scale.log")),
    })?;
    seed::import_into_desk(&worker.base_url, SITE, &entries)?;
    let summary_url = worker.url(&format!("/v1/sites/{SITE}/summary?days=90"));
    let auth = [("authorization", "Bearer tlk_scale-test-owner-key")];
    let expected_open = entries.iter().filter(|e| e.status == Some(Status::Open)).count();

    let summary = http::get(&summary_url, &auth)?;
    ensure!(summary.status == 200, "summary: {} {}", summary.status, summary.body);
    let (reads, lists) = (summary.kv_ops("reads").unwrap_or(u32::MAX), summary.kv_ops("lists").unwrap_or(u32::MAX));
    let (desk, rows) =
        (summary.kv_ops("do_requests").unwrap_or(u32::MAX), summary.kv_ops("do_rows_read").unwrap_or(u32::MAX));
    println!(
        "summary of {count} entries over {DAYS} days: {reads} KV reads, {lists} lists, {desk} desk request, {rows} rows read"
    );
    ensure!(
        reads == 1 && lists == 0 && desk == 1,
        "the summary reads the site and asks its desk: {:?}",
        summary.header("x-tellus-kv-ops")
    );
    // One row per day kept (each counts its open failures) and a constant few: O(days).
    ensure!(u64::from(rows) <= DAYS + 10, "the summary read {rows} rows");
    ensure!(u64::from(rows) < count / 5, "the summary read {rows} rows for {count} entries");

    let json = summary.json();
    let window_start = today - 89;
    let in_window: Vec<&Entry> = entries.iter().filter(|e| keys::day_of(e.created_ms) >= window_start).collect();
    let expected_failures = in_window.iter().filter(|e| e.kind == Kind::Failure).count();
    let satisfied = in_window.iter().filter(|e| e.rating >= 4).count() as f64 * 100.0 / in_window.len() as f64;
    ensure!(json["current"]["responses"] == in_window.len() as u64, "responses: {}", json["current"]["responses"]);
    ensure!(json["current"]["failures"] == expected_failures as u64, "failures: {}", json["current"]["failures"]);
    ensure!(json["open_failures"] == expected_open as u64, "open: {}", json["open_failures"]);
    let csat = json["current"]["csat_percent"].as_f64().unwrap_or_default();
    ensure!((csat - satisfied).abs() < 0.001, "csat {csat} vs {satisfied}");
    ensure!(json["current"]["median_fix_minutes"] == 300, "{}", json["current"]["median_fix_minutes"]);
    ensure!(json["previous"]["responses"] == (entries.len() - in_window.len()) as u64);

    // The owner fixes an open failure of a closed day: the count drops at once (its day is
    // recounted in the same call).
    let old_open = entries
        .iter()
        .find(|e| e.status == Some(Status::Open) && keys::day_of(e.created_ms) + 9 <= today)
        .ok_or_else(|| anyhow::anyhow!("no open failure a week or more ago"))?;
    let fixed = http::send("POST", &worker.url(&format!("/v1/sites/{SITE}/entries/{}/fix", old_open.id)), &auth, None)?;
    ensure!(fixed.status == 200, "fix: {} {}", fixed.status, fixed.body);
    let after = http::get(&summary_url, &auth)?;
    ensure!(
        after.json()["open_failures"] == (expected_open - 1) as u64,
        "open after a fix: {}",
        after.json()["open_failures"]
    );
    ensure!(
        after.json()["current"]["failures"] == json["current"]["failures"],
        "a fix does not change the count of failures"
    );

    // The owner's inbox on the same data: the session's two reads and one desk request (the
    // inbox is a query over the desk's index; no KV list, no entry read).
    let login = http::send(
        "POST",
        &worker.url(&format!("/s/{SITE}/login")),
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(format!("key={OWNER_KEY}").as_bytes()),
    )?;
    ensure!(login.status == 303, "page login: {} {}", login.status, login.body);
    let cookie = login.header("set-cookie").and_then(|c| c.split(';').next()).unwrap_or_default().to_owned();
    for path in [format!("/s/{SITE}"), format!("/s/{SITE}?tab=praise&period=30"), format!("/s/{SITE}/summary?days=90")]
    {
        let page = http::get(&worker.url(&path), &[("cookie", &cookie)])?;
        ensure!(page.status == 200 && page.body.contains("data-figure="), "{path}: {}", page.status);
        let (reads, lists) = (page.kv_ops("reads").unwrap_or(u32::MAX), page.kv_ops("lists").unwrap_or(u32::MAX));
        println!(
            "{path} over {count} entries: {reads} reads, {lists} lists, {:?} rows read",
            page.kv_ops("do_rows_read")
        );
        ensure!(reads == 2 && lists == 0, "{path} did {reads} reads and {lists} lists");
        ensure!(page.kv_ops("do_requests") == Some(1), "{path}: {:?}", page.header("x-tellus-kv-ops"));
    }
    drop(worker);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
