//! Costs end to end, counted from the Worker's own counters (`x-tellus-kv-ops` on every answer,
//! the desks' `tellus-desk-ops` log lines for work after an answer and for alarms; see
//! `tellus_tests::costs`): workload (b) fits the free plan with at least 30% headroom on every
//! quota, and idle sites cost nothing.

use crate::{Ctx, TestFn};
use anyhow::{Context, Result, ensure};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tellus_tests::costs::{
    self, ALL_EVENTS, ATTEMPT_TIMEOUT_S, B_SUBMISSIONS, Col, DAY_MS, DeskLog, FREE_DURATION_GB_S_DAILY, Ops, Shop,
    real_now_ms,
};
use tellus_tests::paths;
use tellus_tests::receiver::Receiver;

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    workload_b_fits_the_free_plan_with_30_percent_headroom_on_every_quota,
    fifty_idle_sites_cost_nothing_over_a_simulated_day,
];

/// The shared Worker's log (`main.rs` starts it with this file as its output).
fn log_path() -> PathBuf {
    paths::artifacts().join("wrangler-e2e.log")
}

/// The most of a free daily quota workload (b) may use.
const MAX_SHARE: f64 = 0.70;

/// Workload (b) — one site, 200 submissions in a day (a third each failure, praise, neutral),
/// one endpoint, every failure acknowledged after 30 minutes and fixed after 5 hours, the owner
/// signing in and opening the owner page (the inbox) five times — replayed on the real Worker with a
/// loopback receiver as the endpoint, the desk's alarms run when due on the test clock, and the
/// day's later work (escalation checks, the delivery log's expiry after 30 days, the entries'
/// after the retention) included. Every free daily quota's use, summed from the Worker's own
/// counters, stays within 70% (at least 30% headroom), and so does the Durable Object duration
/// even if every attempt took the full 15 s timeout. Each quota's use is printed.
fn workload_b_fits_the_free_plan_with_30_percent_headroom_on_every_quota(ctx: &Ctx) -> Result<()> {
    let run = costs::replay_workload_b(&ctx.worker.base_url, &log_path())?;
    let failures = B_SUBMISSIONS.div_ceil(3);
    let praise = (B_SUBMISSIONS + 1) / 3;
    // Not vacuous: the day's requests are all counted (config + preflight + POST per submission,
    // an acknowledgement and a fix per failure, a login and five page views), every entry was
    // written, and every delivery was attempted once.
    let requests = (3 * B_SUBMISSIONS + 2 * failures + 1 + 5) as f64;
    ensure!(
        run.ops.get(Col::Requests) == requests,
        "{} Worker requests counted, {requests} made",
        run.ops.get(Col::Requests)
    );
    ensure!(run.ops.get(Col::KvWrites) >= B_SUBMISSIONS as f64, "{:?}", run.ops);
    ensure!(run.deliveries == 2 * failures + praise && run.attempts == run.deliveries, "{run:?}");
    ensure!(run.ops.get(Col::DoRequests) >= (B_SUBMISSIONS + 2 * failures + 5 + run.alarms) as f64, "{run:?}");

    println!("workload (b), one day, against the free plan's daily quotas:");
    let mut over = Vec::new();
    for quota in costs::free_plan_use(&run.ops) {
        println!(
            "  {:<16} {:>9} of {:>9}  use {:>5.1}%  headroom {:>5.1}%",
            quota.col.name(),
            costs::count(quota.used),
            costs::count(quota.quota),
            100.0 * quota.share(),
            100.0 * quota.headroom()
        );
        if quota.share() > MAX_SHARE {
            over.push(quota.col.name());
        }
    }
    let worst = run.duration_gb_s(ATTEMPT_TIMEOUT_S);
    let duration_share = worst / FREE_DURATION_GB_S_DAILY;
    println!(
        "  {:<16} {:>9} of {:>9}  use {:>5.1}%  headroom {:>5.1}%  (upper bound: {:.1} s of desk calls, {} attempts at {ATTEMPT_TIMEOUT_S} s, 128 MB)",
        "DO GB-s",
        costs::count(worst),
        costs::count(FREE_DURATION_GB_S_DAILY),
        100.0 * duration_share,
        100.0 * (1.0 - duration_share),
        run.desk_wall_s,
        run.attempts
    );
    println!("  ({} alarm invocations, {} deliveries)", run.alarms, run.deliveries);
    if duration_share > MAX_SHARE {
        over.push("DO duration");
    }
    ensure!(over.is_empty(), "over {:.0}% of the free plan's daily quota: {over:?}", 100.0 * MAX_SHARE);
    Ok(())
}

const IDLE_SITES: usize = 50;
/// The real-time window watched for invocations of the idle sites.
const WINDOW: Duration = Duration::from_secs(5);

/// Fifty sites, each with an endpoint, get a failure that is delivered and then fixed (and the
/// fix delivered): once that settles, a simulated day costs 0 KV operations and 0 Durable Object
/// requests.
///
/// The runtime's alarms run in real time, so a simulated day cannot be waited out; instead the
/// test shows that nothing can run in that day, and that nothing ran while it watched:
/// - the only ways the Worker or a desk is invoked without a request are a cron trigger and a
///   desk's alarm. `worker/wrangler.toml` configures no cron trigger, and every idle desk reports
///   no alarm due within the next day (the next is the delivery log's expiry, 29 days on). A
///   control site with a failure left unfixed reports an alarm within the hour, so the check can
///   fail.
/// - the desks log every alarm and every attempt (`tellus-desk-ops`): the log shows the activity
///   of all fifty sites (so it is being read), and then no line for any of them over a real-time
///   window.
/// - each desk's alarm fired early at the end of the simulated day finds nothing to do: no KV
///   read, nothing sent, nothing pending.
///
/// So the day's counted operations — the requests made (none) plus the desks' invocations
/// logged (none) — are all zero.
fn fifty_idle_sites_cost_nothing_over_a_simulated_day(ctx: &Ctx) -> Result<()> {
    let toml = std::fs::read_to_string(paths::worker_dir().join("wrangler.toml"))?;
    let crons: Vec<&str> = toml
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| line.starts_with("[triggers]") || line.starts_with("crons"))
        .collect();
    ensure!(crons.is_empty(), "wrangler.toml configures a cron trigger: {crons:?}");

    let base = ctx.worker.base_url.as_str();
    let receiver = Receiver::start(Vec::new())?;
    let shops: Vec<Shop> =
        (0..IDLE_SITES).map(|i| Shop::create(base, &log_path(), &format!("Idle shop {i}"))).collect::<Result<_>>()?;
    // Five at a time: each site's activity is independent.
    let shops: Vec<Shop> = std::thread::scope(|scope| -> Result<Vec<Shop>> {
        let handles: Vec<_> = split(shops, 5)
            .into_iter()
            .map(|mut group| {
                let receiver = &receiver;
                scope.spawn(move || -> Result<Vec<Shop>> {
                    for shop in &mut group {
                        shop.register(&receiver.url(&format!("/idle/{}", shop.site)), &ALL_EVENTS)?;
                        let (id, _) = shop.submit(1, "the card reader was broken")?;
                        shop.settle(1)?;
                        shop.owner_action(&id, "fix")?;
                        shop.settle(2)?;
                    }
                    Ok(group)
                })
            })
            .collect();
        let mut all = Vec::new();
        for handle in handles {
            all.extend(handle.join().map_err(|_| anyhow::anyhow!("an activity thread panicked"))??);
        }
        Ok(all)
    })?;
    ensure!(receiver.received().len() == 2 * IDLE_SITES, "{} callbacks", receiver.received().len());
    ensure!(shops.iter().all(|shop| shop.attempts == 2), "every site's attempts are in the log");

    // The control: a failure nobody acknowledges has its escalation step within the hour.
    let mut control = Shop::create(base, &log_path(), "Busy shop")?;
    control.submit(1, "nobody answers")?;
    let control_alarm = control.status()?.alarm_ms.context("the control site's desk has an alarm")?;
    ensure!(control_alarm < real_now_ms() + DAY_MS, "the control's escalation step is due within the day");

    let day_ends = real_now_ms() + DAY_MS;
    let mut log = DeskLog::new(&log_path())?;
    for shop in &shops {
        let status = shop.status()?;
        ensure!(status.pending == 0 && status.unfixed == 0, "site {} still holds work: {status:?}", shop.site);
        ensure!(
            status.alarm_ms.is_none_or(|at| at > day_ends),
            "site {}'s desk has an alarm within the day: {status:?}",
            shop.site
        );
    }

    let ids: std::collections::BTreeSet<&str> = shops.iter().map(|shop| shop.site.as_str()).collect();
    let window_ends = Instant::now() + WINDOW;
    // A bounded observation window (not a wait for something to happen): every 200 ms the log
    // is read for lines of the idle sites.
    let mut day = Ops::default();
    while Instant::now() < window_ends {
        log.refresh()?;
        let ours: Vec<_> = log.lines.iter().filter(|line| ids.contains(line.site.as_str())).collect();
        for line in &ours {
            day = day.plus(&line.ops);
        }
        ensure!(ours.is_empty(), "idle sites were invoked: {ours:?}");
        std::thread::park_timeout(Duration::from_millis(200));
    }
    ensure!(day.is_zero(), "{day:?}");

    // At the end of the simulated day, each desk's alarm fired early finds nothing due.
    let before = receiver.received().len();
    for mut shop in shops {
        shop.set_offset(DAY_MS)?;
        let alarm = shop.fire_alarm()?;
        let kv = [Col::KvReads, Col::KvWrites, Col::KvDeletes, Col::KvLists].map(|col| alarm.get(col));
        ensure!(kv == [0.0; 4], "site {}: the day's end found KV work: {alarm:?}", shop.site);
        let status = shop.status()?;
        ensure!(status.pending == 0 && status.unfixed == 0, "site {}: {status:?}", shop.site);
    }
    ensure!(receiver.received().len() == before, "nothing is sent at the end of an idle day");
    println!("{IDLE_SITES} idle sites over a simulated day: 0 KV operations, 0 Durable Object requests");
    Ok(())
}

/// `items` in `parts` groups of (nearly) equal size, in order.
fn split<T>(items: Vec<T>, parts: usize) -> Vec<Vec<T>> {
    let size = items.len().div_ceil(parts.max(1));
    let mut groups: Vec<Vec<T>> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some(group) if group.len() < size => group.push(item),
            _ => groups.push(vec![item]),
        }
    }
    groups
}
