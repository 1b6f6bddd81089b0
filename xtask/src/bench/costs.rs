//! The cost table: billed operations per action, measured on a fresh local Worker from its own
//! counters (`tellus_tests::costs`: the `x-tellus-kv-ops` header of every answer, and the
//! desks' log lines for attempts finishing after an answer and for alarm invocations), then per
//! day for the model workloads next to the free plan's daily quotas and, for the larger ones, the
//! paid plan's monthly price. The summary and the owner's page are measured at scale too, on a
//! site of 1,000 (and, in the full run, 100,000) entries seeded straight into KV and imported
//! into its desk.
//!
//! Workload (b) is derived from the per-action costs in every run, and the full run also replays
//! it end to end (as the e2e test `costs::workload_b_…` does), so the two can be compared.

use super::Plan;
use super::report::{Report, Row, Stat};
use anyhow::{Context, Result, bail, ensure};
use serde_json::json;
use std::path::Path;
use std::time::Instant;
use tellus_core::callbacks::escalation_schedule;
use tellus_core::site::Sla;
use tellus_tests::costs::{
    self, ALL_EVENTS, ATTEMPT_TIMEOUT_S, B_ACK_AFTER_MS, B_FIX_AFTER_MS, B_SUBMISSIONS, Col, DAY_MS, DO_MEMORY_GB,
    FREE_DURATION_GB_S_DAILY, HOUR_MS, MINUTE_MS, Ops, Shop,
};
use tellus_tests::receiver::{Receiver, Reply};
use tellus_tests::worker_process::{LocalWorker, Options, free_port};
use tellus_tests::{http, paths, seed};

/// One measured action: its billed operations, the wall time of its calls that reached a desk
/// and the attempts it made (for the duration bound).
#[derive(Clone, Debug)]
struct Action {
    what: String,
    ops: Ops,
    desk_s: f64,
    attempts: f64,
    note: String,
}

impl Action {
    /// Durable Object GB-s, bounded above: the desk's calls for as long as the requests took, and
    /// every attempt for the full production timeout.
    fn duration_gb_s(&self) -> f64 {
        DO_MEMORY_GB * (self.desk_s + self.attempts * ATTEMPT_TIMEOUT_S)
    }

    fn times(&self, factor: f64) -> Cost {
        Cost { ops: self.ops.times(factor), gb_s: self.duration_gb_s() * factor }
    }
}

/// Operations plus the duration bound.
#[derive(Clone, Copy, Debug, Default)]
struct Cost {
    ops: Ops,
    gb_s: f64,
}

impl Cost {
    fn plus(self, other: Cost) -> Cost {
        Cost { ops: self.ops.plus(&other.ops), gb_s: self.gb_s + other.gb_s }
    }

    fn times(self, factor: f64) -> Cost {
        Cost { ops: self.ops.times(factor), gb_s: self.gb_s * factor }
    }
}

/// Runs `act` on `shop` and answers what it cost.
fn measured(shop: &mut Shop, what: &str, note: &str, act: impl FnOnce(&mut Shop) -> Result<()>) -> Result<Action> {
    let (ops, wall, attempts) = (shop.total, shop.desk_wall_ms, shop.attempts);
    act(shop).with_context(|| what.to_owned())?;
    let ops = shop.total.minus(&ops).context("counts only grow")?;
    Ok(Action {
        what: what.to_owned(),
        ops,
        desk_s: (shop.desk_wall_ms - wall) / 1_000.0,
        attempts: (shop.attempts - attempts) as f64,
        note: note.to_owned(),
    })
}

pub fn measure(plan: &Plan, out_dir: &Path, report: &mut Report) -> Result<()> {
    let dir = out_dir.join(format!("costs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let log = paths::artifacts().join("wrangler-bench-costs.log");
    let worker = LocalWorker::start(Options {
        port: free_port()?,
        persist_dir: dir.clone(),
        own_process_group: true,
        expose_kv_ops: true,
        log_kv_writes: false,
        log: Some(log.clone()),
    })?;
    let mut actions = per_action(&worker.base_url, &log)?;
    let replayed = if plan.quick {
        None
    } else {
        println!("    replaying workload (b): a day of one site, 200 submissions");
        let started = Instant::now();
        let run = costs::replay_workload_b(&worker.base_url, &log)?;
        println!("    replayed in {:.0?}", started.elapsed());
        Some(run)
    };
    drop(worker);
    let _ = std::fs::remove_dir_all(&dir);

    let mut scale_page = None;
    for &count in plan.kv_entries {
        let (summary, page, summary_page) =
            at_scale(count, out_dir, report).with_context(|| format!("at {count} entries"))?;
        scale_page.get_or_insert(page.clone());
        actions.push(summary);
        actions.push(page);
        actions.push(summary_page);
    }
    let scale_page = scale_page.context("at least one seeded data set")?;

    report.raw["costs"]["actions"] = actions
        .iter()
        .map(|a| json!({"what": a.what, "ops": a.ops.0, "desk_s": a.desk_s, "attempts": a.attempts}))
        .collect();
    report.push_section(action_table(&actions));
    let find = |what: &str| -> Result<Action> {
        actions.iter().find(|a| a.what == what).cloned().with_context(|| format!("no measured action `{what}`"))
    };
    let model = Model {
        failure: find(FAILURE)?,
        praise: find(PRAISE)?,
        neutral: find(NEUTRAL)?,
        acknowledge: find(ACKNOWLEDGE)?,
        fix: find(FIX)?,
        check: find(CHECK)?,
        expiry: find(EXPIRY)?,
        retention: find(RETENTION)?,
        login: find(LOGIN)?,
        page_at_scale: scale_page,
    };
    let replayed_cost = replayed.as_ref().map(|run| Cost { ops: run.ops, gb_s: run.duration_gb_s(ATTEMPT_TIMEOUT_S) });
    if let Some(run) = &replayed {
        report.raw["costs"]["workload_b_replayed"] =
            json!({"ops": run.ops.0, "alarms": run.alarms, "attempts": run.attempts, "desk_s": run.desk_wall_s});
    }
    report.push_section(workload_tables(&model, replayed_cost));
    Ok(())
}

const FAILURE: &str = "submission, failure (1 endpoint)";
const PRAISE: &str = "submission, praise (1 endpoint)";
const NEUTRAL: &str = "submission, neutral";
const ACKNOWLEDGE: &str = "acknowledge (API)";
const FIX: &str = "fix (API)";
const CHECK: &str = "escalation step on the acknowledgement clock, failure acknowledged";
const EXPIRY: &str = "delivery log expiry, per delivery (alarm)";
const RETENTION: &str = "entry retention expiry, per entry";
const LOGIN: &str = "owner login (owner page)";
const PAGE: &str = "owner page view (the inbox, where sign-in lands)";

/// Every action once, on three sites of one endpoint each (a loopback receiver subscribed to
/// every event): the main one, one whose receiver fails the first attempt (the retry), and one
/// whose failure nobody answers (the escalation steps).
fn per_action(base: &str, log: &Path) -> Result<Vec<Action>> {
    let mut actions = Vec::new();
    let receiver = Receiver::start(Vec::new())?;
    let mut shop = Shop::create(base, log, "Costs: main")?;
    shop.register(&receiver.url("/main"), &ALL_EVENTS)?;
    let mut failure = (String::new(), String::new());
    let widget = "the widget's config GET, CORS preflight and POST";
    actions.push(measured(&mut shop, FAILURE, &format!("{widget}; then its first attempt"), |s| {
        failure = s.submit(1, "The card reader was broken")?;
        s.settle(1)
    })?);
    actions.push(measured(&mut shop, PRAISE, &format!("{widget}; then its first attempt"), |s| {
        s.submit(5, "Lovely staff")?;
        s.settle(2)
    })?);
    actions.push(measured(&mut shop, NEUTRAL, widget, |s| s.submit(3, "Fine").map(drop))?);
    actions.push(measured(&mut shop, "tell-others click", "preflight and POST", |s| s.click("share"))?);
    let (id, token) = failure;
    actions.push(measured(
        &mut shop,
        "receipt status (a returning customer's page load)",
        "the widget asks about the customer's last failure",
        |s| s.receipt_status(&id, &token),
    )?);
    actions.push(measured(&mut shop, ACKNOWLEDGE, "", |s| s.owner_action(&id, "acknowledge"))?);
    actions.push(measured(&mut shop, "reply (API)", "", |s| s.owner_action(&id, "reply"))?);
    actions.push(measured(&mut shop, FIX, "then the `failure.fixed` attempt", |s| {
        s.owner_action(&id, "fix")?;
        s.settle(3)
    })?);
    actions.push(measured(&mut shop, "re-rate", "preflight and POST", |s| s.rerate(&id, &token, 5))?);
    let mut cookie = String::new();
    actions.push(measured(&mut shop, LOGIN, "its 303 leads to a page view (next row)", |s| {
        cookie = s.login()?;
        Ok(())
    })?);
    actions.push(measured(&mut shop, PAGE, "3 entries, 1 endpoint", |s| s.page_view(&cookie))?);
    actions.push(measured(&mut shop, "summary API (30 days)", "", |s| s.summary(30))?);
    actions.push(measured(&mut shop, "export (CSV, one page)", "", |s| s.export())?);

    // The retry: the receiver refuses the first attempt; the alarm 1 minute later retries.
    let failing = Receiver::start(vec![Reply::status(500)])?;
    let mut retry = Shop::create(base, log, "Costs: retry")?;
    retry.register(&failing.url("/retry"), &ALL_EVENTS)?;
    retry.submit(1, "Cold coffee")?;
    retry.settle(1)?;
    let delivered = || failing.received().len();
    let alarms = retry.alarms;
    let mut action = measured(&mut retry, "delivery attempt (a retry, on the alarm)", "", |s| {
        s.follow_alarms(s.offset_ms() + 2 * MINUTE_MS, &delivered)
    })?;
    ensure!(retry.alarms == alarms + 1 && action.attempts == 1.0, "one alarm, one attempt: {action:?}");
    action.note = "one alarm invocation and its attempt".into();
    actions.push(action);

    // The escalation: a failure nobody acknowledges is overdue after 60 minutes (a callback);
    // once acknowledged, the next steps on the acknowledgement clock wake the desk and send
    // nothing.
    let overdue = Receiver::start(Vec::new())?;
    let mut late = Shop::create(base, log, "Costs: escalation")?;
    late.register(&overdue.url("/late"), &ALL_EVENTS)?;
    let (late_id, _) = late.submit(1, "Nobody came")?;
    late.settle(1)?;
    let delivered = || overdue.received().len();
    let mut action = measured(&mut late, "escalation step (alarm, `failure.overdue` sent)", "", |s| {
        s.follow_alarms(61 * MINUTE_MS, &delivered)
    })?;
    ensure!(action.attempts == 1.0 && action.ops.get(Col::DoRequests) == 1.0, "{action:?}");
    action.note = "one alarm invocation (it re-reads the entry from KV) and its attempt".into();
    actions.push(action);
    late.owner_action(&late_id, "acknowledge")?;
    // Acknowledged in time for the next step (2× the target): the desk does not wake for it.
    let action = measured(&mut late, CHECK, "nothing: an acknowledged failure's desk does not wake for it", |s| {
        s.follow_alarms(121 * MINUTE_MS, &delivered)
    })?;
    ensure!(action.attempts == 0.0 && action.ops.get(Col::DoRequests) == 0.0, "{action:?}");
    actions.push(action);

    // Expiry: the main site's delivery log after 30 days, its entries after the retention.
    let delivered = || receiver.received().len();
    let deliveries = receiver.received().len() as f64;
    let alarms = shop.alarms;
    let expiry = measured(&mut shop, EXPIRY, "", |s| s.follow_alarms(s.offset_ms() + 31 * DAY_MS, &delivered))?;
    let expiry_alarms = shop.alarms - alarms;
    actions.push(Action {
        ops: expiry.ops.times(1.0 / deliveries),
        desk_s: expiry.desk_s / deliveries,
        note: format!(
            "{expiry_alarms} alarms for {deliveries} deliveries (the log's expiry wakes the desk once a day at most)"
        ),
        ..expiry
    });
    let entries = 3.0;
    let retention = measured(&mut shop, RETENTION, "", |s| {
        let past = s.offset_ms() + (tellus_core::limits::DEFAULT_RETENTION_DAYS as u64 + 2) * DAY_MS;
        s.set_offset(past)?;
        s.fire_alarm().map(drop)
    })?;
    let mut per_entry = retention.ops.times(1.0 / entries);
    // The expired metadata goes in whatever run the desk makes next (in a steady state, one of
    // the day's own): rows, no request of its own.
    per_entry.set(Col::DoRequests, 0.0);
    actions.push(Action {
        ops: per_entry,
        desk_s: retention.desk_s / entries,
        note: "a run after the retention erases the entries' metadata and days; it rides on the day's other work"
            .into(),
        ..retention
    });
    Ok(actions)
}

/// The summary API, the owner's landing page (the inbox) and the summary page on a site of
/// `count` entries over 90 days, seeded straight into a fresh KV and imported into the site's
/// desk. Also pushes their latencies.
fn at_scale(count: u64, out_dir: &Path, report: &mut Report) -> Result<(Action, Action, Action)> {
    const SITE: &str = "bench-site";
    const OWNER_KEY: &str = "tlk_bench-owner-key";
    const ORIGIN: &str = "https://bench.example";
    let label = costs::count(count as f64);
    let today = seed::today()?;
    let dir = out_dir.join(format!("scale-{count}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let persist = dir.join("kv");
    let entries = seed::entries(SITE, today, count);
    let seeding = Instant::now();
    seed::put_site_and_entries(&persist, &dir, SITE, OWNER_KEY, ORIGIN, today, &entries)?;
    println!("    seeded {label} entries in {:.0?}", seeding.elapsed());
    let worker = LocalWorker::start(Options {
        port: free_port()?,
        persist_dir: persist,
        own_process_group: true,
        expose_kv_ops: true,
        log_kv_writes: false,
        log: Some(paths::artifacts().join(format!("wrangler-bench-scale-{count}.log"))),
    })?;
    seed::import_into_desk(&worker.base_url, SITE, &entries)?;
    drop(entries);

    let auth = format!("Bearer {OWNER_KEY}");
    let summary_url = worker.url(&format!("/v1/sites/{SITE}/summary?days=90"));
    let timed = |url: &str, headers: &[(&str, &str)]| -> Result<(http::Answer, f64)> {
        let started = Instant::now();
        let answer = http::get(url, headers)?;
        ensure!(answer.status == 200, "{url}: {} {}", answer.status, answer.body);
        Ok((answer, started.elapsed().as_secs_f64() * 1_000.0))
    };
    let (summary, summary_ms) = timed(&summary_url, &[("authorization", &auth)])?;
    let mut times = vec![summary_ms];
    for _ in 0..2 {
        times.push(timed(&summary_url, &[("authorization", &auth)])?.1);
    }
    report.push(Row::stat(
        "Summary at scale",
        &format!("summary API (90 days), {label} entries"),
        Stat::of(&times),
        "ms",
        "one desk row per day, whatever the number of entries",
    ));
    let login = http::send(
        "POST",
        &worker.url(&format!("/s/{SITE}/login")),
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(format!("key={OWNER_KEY}").as_bytes()),
    )?;
    if login.status != 303 {
        bail!("login: {} {}", login.status, login.body);
    }
    let cookie = login.header("set-cookie").and_then(|c| c.split(';').next()).unwrap_or_default().to_owned();
    let (page, page_ms) = timed(&worker.url(&format!("/s/{SITE}")), &[("cookie", &cookie)])?;
    report.push(Row::stat(
        "Summary at scale",
        &format!("owner page view (inbox), {label} entries"),
        Stat::of(&[page_ms]),
        "ms",
        "",
    ));
    let (summary_page, summary_page_ms) =
        timed(&worker.url(&format!("/s/{SITE}/summary?days=30")), &[("cookie", &cookie)])?;
    report.push(Row::stat(
        "Summary at scale",
        &format!("summary page view (30 days), {label} entries"),
        Stat::of(&[summary_page_ms]),
        "ms",
        "",
    ));
    let action = |what: String, answer: &http::Answer, ms: f64, note: &str| -> Result<Action> {
        Ok(Action { what, ops: Ops::of_answer(answer)?, desk_s: ms / 1_000.0, attempts: 0.0, note: note.into() })
    };
    let open = "seeded straight into KV and imported into the desk; no endpoint";
    let result = (
        action(format!("summary API (90 days), {label} entries"), &summary, summary_ms, open)?,
        action(format!("owner page view (inbox), {label} entries"), &page, page_ms, open)?,
        action(format!("summary page view (30 days), {label} entries"), &summary_page, summary_page_ms, open)?,
    );
    drop(worker);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(result)
}

fn header(first: &str, last: &[&str]) -> String {
    let mut names = vec![first.to_owned()];
    names.extend(Col::ALL.iter().map(|c| c.name().to_owned()));
    names.extend(last.iter().map(|s| (*s).to_owned()));
    format!("| {} |\n|{}\n", names.join(" | "), "---|".repeat(names.len()))
}

fn cells(ops: &Ops) -> String {
    Col::ALL.iter().map(|&c| costs::count(ops.get(c))).collect::<Vec<_>>().join(" | ")
}

fn action_table(actions: &[Action]) -> String {
    let mut out = String::from(
        "## Billed operations per action\n\n\
         Measured on a fresh local Worker from its own counters: each answer's `x-tellus-kv-ops` \
         plus the desk's `tellus-desk-ops` log lines for what finished after the answer (a first \
         attempt) and for alarm invocations (each one Durable Object request). A bulk KV read of N \
         keys is N reads. Every site has one endpoint, a loopback receiver subscribed to every event.\n\n",
    );
    out.push_str(&header("Action", &["note"]));
    for a in actions {
        out.push_str(&format!("| {} | {} | {} |\n", a.what, cells(&a.ops), a.note));
    }
    out
}

/// The per-action costs a workload is made of.
struct Model {
    failure: Action,
    praise: Action,
    neutral: Action,
    acknowledge: Action,
    fix: Action,
    check: Action,
    expiry: Action,
    retention: Action,
    login: Action,
    page_at_scale: Action,
}

/// Escalation steps a failure acknowledged after [`B_ACK_AFTER_MS`] and fixed after
/// [`B_FIX_AFTER_MS`] costs: the steps of core's schedule (default SLA) due before the fix.
fn checks_per_failure() -> f64 {
    escalation_schedule(0, Sla::default()).take_while(|step| step.due_ms < B_FIX_AFTER_MS).count() as f64
}

impl Model {
    /// A day of `failures`, `praise` and `neutral` submissions spread over `sites` sites, every
    /// failure acknowledged and fixed, each owner signing in once and viewing the page `views`
    /// times.
    fn day(&self, sites: f64, failures: f64, praise: f64, neutral: f64, views: f64) -> Cost {
        let failure = self
            .failure
            .times(1.0)
            .plus(self.acknowledge.times(1.0))
            .plus(self.fix.times(1.0))
            .plus(self.check.times(checks_per_failure()))
            .plus(self.expiry.times(2.0))
            .plus(self.retention.times(1.0));
        let praise_cost = self.praise.times(1.0).plus(self.expiry.times(1.0)).plus(self.retention.times(1.0));
        let neutral_cost = self.neutral.times(1.0).plus(self.retention.times(1.0));
        let owner = self.login.times(1.0).plus(self.page_at_scale.times(views));
        let mut day = failure
            .times(failures)
            .plus(praise_cost.times(praise))
            .plus(neutral_cost.times(neutral))
            .plus(owner.times(sites));
        // An acknowledgement or a fix recounts its entry's day from the desk's `entries` rows. The
        // measured rows are of a day of 3 entries; a day of E entries acted on evenly through it
        // reads about E / 2 more rows per action.
        let entries_per_site = (failures + praise + neutral) / sites;
        let recounts = 2.0 * failures;
        day.ops.set(Col::DoRowsRead, day.ops.get(Col::DoRowsRead) + recounts * entries_per_site / 2.0);
        day
    }
}

fn workload_tables(model: &Model, replayed: Option<Cost>) -> String {
    let kinds = |n: f64| (n / 3.0, n / 3.0, n / 3.0);
    let b_kinds = (0..B_SUBMISSIONS).fold((0.0, 0.0, 0.0), |(f, p, n), i| match costs::b_rating(i) {
        1 => (f + 1.0, p, n),
        5 => (f, p + 1.0, n),
        _ => (f, p, n + 1.0),
    });
    let b = model.day(1.0, b_kinds.0, b_kinds.1, b_kinds.2, 5.0);
    let (cf, cp, cn) = kinds(10_000.0 / 30.0);
    let c = model.day(100.0, cf, cp, cn, 1.0);
    let (df, dp, dn) = kinds(1_000_000.0 / 30.0);
    let d = model.day(100.0, df, dp, dn, 1.0);
    let quota = {
        let mut ops = Ops::default();
        for (col, per_day) in costs::FREE_DAILY {
            ops.set(col, per_day);
        }
        Cost { ops, gb_s: FREE_DURATION_GB_S_DAILY }
    };
    let gb = |cost: &Cost| costs::count(cost.gb_s);
    let row =
        |name: &str, cost: &Cost, price: &str| format!("| {name} | {} | {} | {price} |\n", cells(&cost.ops), gb(cost));
    let mut out = String::from(
        "\n## Per day, model workloads\n\n\
         (a) is measured by the e2e test `costs::fifty_idle_sites_cost_nothing_over_a_simulated_day`; \
         (b) is derived from the rows above and, in the full run, replayed end to end (as the e2e \
         test `costs::workload_b_fits_the_free_plan_with_30_percent_headroom_on_every_quota` does); \
         (c) and (d) are derived. DO GB-s is an upper bound (see the notes).\n\n",
    );
    out.push_str(&header("Workload, per day", &["DO GB-s (bound)", "paid plan, per month"]));
    out.push_str(&row("free plan's daily quota", &quota, ""));
    out.push_str(&row("(a) 1 site, idle", &Cost::default(), ""));
    out.push_str(&row("(b) 1 site, 200 submissions, derived", &b, ""));
    if let Some(replayed) = &replayed {
        out.push_str(&row("(b) 1 site, 200 submissions, replayed", replayed, ""));
    }
    for (name, cost) in [("(c) 100 sites, 10,000 submissions a month", c), ("(d) 100 sites, 1,000,000 a month", d)] {
        let (usd, lines) = costs::paid_month_usd(&cost.ops.times(30.0), cost.gb_s * 30.0);
        // The duration is an upper bound (every attempt at the 15 s timeout), so is the total.
        let (without_duration, _) = costs::paid_month_usd(&cost.ops.times(30.0), 0.0);
        let mut billed: Vec<String> = lines
            .iter()
            .filter(|(_, usd)| *usd >= 0.005)
            .map(|(col, usd)| format!("{} ${usd:.2}", col.name()))
            .collect();
        if usd - without_duration >= 0.005 {
            billed.push(format!("DO duration at most ${:.2}", usd - without_duration));
        }
        let detail = if billed.is_empty() { "all included".to_owned() } else { billed.join(", ") };
        out.push_str(&row(name, &cost, &format!("at most ${usd:.2} ({detail}; $5 base)")));
    }

    let (source, b_used) = match &replayed {
        Some(cost) => ("replayed", *cost),
        None => ("derived (the full run replays it)", b),
    };
    out.push_str(&format!(
        "\n### Workload (b) against the free plan ({source})\n\n| quota | use per day | free per day | use | headroom |\n|---|---|---|---|---|\n"
    ));
    for quota in costs::free_plan_use(&b_used.ops) {
        out.push_str(&format!(
            "| {} | {} | {} | {:.1}% | {:.1}% |\n",
            quota.col.name(),
            costs::count(quota.used),
            costs::count(quota.quota),
            100.0 * quota.share(),
            100.0 * quota.headroom()
        ));
    }
    let share = b_used.gb_s / FREE_DURATION_GB_S_DAILY;
    out.push_str(&format!(
        "| DO duration (GB-s, upper bound) | {:.1} | {} | {:.1}% | {:.1}% |\n",
        b_used.gb_s,
        costs::count(FREE_DURATION_GB_S_DAILY),
        100.0 * share,
        100.0 * (1.0 - share)
    ));
    out.push_str(&format!(
        "\nModel: submissions a third each failure (rating 1), praise (5) and neutral (3); every failure \
         acknowledged after {} minutes and fixed after {} hours through the API, so {} \
         steps of core's escalation schedule (default SLA of 60 minutes / 24 hours) fall before its \
         fix, each costing what the row above says, and no `failure.overdue`; every delivery succeeds at its first attempt; each delivery's log entry \
         expires after 30 days and each entry after the 365-day retention; (b) signs in once and \
         views the page 5 times, each site of (c) and (d) once a day (page cost measured on the \
         1,000-entry seeded site: the inbox, where sign-in lands, with its first page of failures). Per submission from the widget: \
         3 Worker requests. An acknowledgement or a fix recounts its day from the desk's rows: the \
         derived rows read add half a day's entries per action.\n",
        B_ACK_AFTER_MS / MINUTE_MS,
        B_FIX_AFTER_MS / HOUR_MS,
        checks_per_failure()
    ));
    out
}

/// The cost tables' notes in `BENCHMARKS.md` (each a Markdown bullet ending in a newline).
pub const NOTES: &str = "\
- Costs are counted as Cloudflare bills them, from the local Worker's own counters: every answer's \
`x-tellus-kv-ops` (a bulk KV read of N keys is N reads; each call to a site's desk is a Durable Object \
request, with the SQLite rows the desk reports) and the desk's `tellus-desk-ops` log lines for work no \
answer carries. An alarm invocation is one Durable Object request (Cloudflare's Durable Objects pricing: \
requests include \"HTTP requests, RPC sessions, WebSocket messages, and alarm invocations\"). An attempt the \
desk starts with `waitUntil` runs inside the invocation that started it: it adds rows, KV reads and \
duration, not a request; its outbound `fetch` is a subrequest (50 per invocation on the free plan; \
not billed).\n\
- Alarms are fired early through the local test route `POST /v1/test/sites/{site}/run` at the moment they \
are due on the site's test clock, and counted as the one alarm invocation production would make; the \
route's extra status call is measured alone right after, on the same state, and taken off. Local desks \
also read (and, when it moves, write) their test-clock offset: a row or two per call that production does \
not make, so rows are slightly overstated.\n\
- Worker requests are those the widget really sends (`widget/src/services.rs`): opening the dialog GETs \
the config (a simple request: no preflight); a submission, click or re-rating POSTs JSON, so the browser \
sends a CORS preflight first (each customer's browser has its own preflight cache). The loader, the app \
and its strings are static assets: free, and no Worker request. A customer who opens the dialog and sends \
nothing costs the config GET (1 request, 1 KV read), which the model leaves out.\n\
- DO duration is billed as wall-clock time while a desk is active (handling a call, or awaiting I/O such \
as an attempt's `fetch`); an idle desk that can hibernate is not billed. The bound given is the wall time \
of every counted request that reached a desk (it includes the Worker's own KV work) plus every attempt \
held for the full 15 s timeout, at 128 MB; receivers answering within a second would make the attempts' \
part fifteen times smaller. CPU time is not counted (the free plan limits it per invocation, 10 ms, and \
has no daily quota); neither is storage (KV and SQLite GB-months) nor KV expiry by TTL (no operation is \
made).\n\
- (c) and (d) assume 100 sites, 30 days a month, the same mix and owner behaviour as (b) but one login and \
one page view per site a day, and the page cost of the 1,000-entry seeded site; prices are the paid \
plan's ($5 base; beyond what is included: KV reads $0.50/M, KV writes, deletes and lists $5/M each, \
Worker requests $0.30/M, DO requests $0.15/M, rows read $0.001/M, rows written $1/M, duration $12.50/M \
GB-s), storage not priced.\n\
- Two costs the counters show: the delivery log's expiry wakes a desk once per delivery (its alarm is set \
29 days after the oldest delivery, and that run erases only deliveries at least 30 days old minus a day, \
i.e. the oldest), and an acknowledged failure still wakes its desk for each later step on the \
acknowledgement clock (3 alarms per failure in the model, nothing sent).\n";
