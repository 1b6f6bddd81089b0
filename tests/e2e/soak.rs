//! Load with faults: many customers submit at once (some replaying their idempotency key after a
//! lost answer) while the webhook receiver flaps (500s, slow answers, down) and the Worker is
//! restarted mid-run. Afterwards every accepted submission is stored exactly once, every
//! failure's `failure.reported` is delivered under one `webhook-id` however often it came (the
//! sites' desks are run on the test clock), no 5xx was answered except while the Worker was
//! down, and no KV key was written more than once a second while the load ran (from the
//! Worker's `tellus-kv-write` log lines). Two copies of one submission in flight at once are the
//! two-tab browser test's case (`widget`).
//!
//! CI runs a shortened form (`TELLUS_SOAK_SUBMISSIONS`, default 300); `cargo xtask soak` runs 2,000.

use crate::{Ctx, TestFn};
use anyhow::{Result, ensure};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tellus_tests::http;
use tellus_tests::receiver::{Receiver, Reply};
use tellus_tests::worker_process::{ADMIN_TOKEN, LocalWorker, Options, free_port};
use tellus_tests::{paths, poll};

pub const TESTS: &[(&str, TestFn)] = crate::tests![load_with_faults_loses_nothing_and_stores_nothing_twice];

const CLIENTS: usize = 6;

fn submission_count() -> usize {
    std::env::var("TELLUS_SOAK_SUBMISSIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(300)
}

/// One customer's submission; a `replay` re-sends an earlier job's key and body once that one
/// was answered (a retry after a lost answer).
#[derive(Clone)]
struct Job {
    site: usize,
    key: String,
    rating: u8,
    replay: bool,
}

#[derive(Default)]
struct Outcome {
    /// Idempotency key → entry id, per answer.
    accepted: Vec<(usize, String, String)>,
    /// When each 5xx was seen.
    server_errors: Vec<(Instant, u16, String)>,
    refused: usize,
    connection_errors: usize,
    /// Submissions never accepted within the client's patience.
    gave_up: usize,
}

struct Site {
    id: String,
    key: String,
}

fn load_with_faults_loses_nothing_and_stores_nothing_twice(_ctx: &Ctx) -> Result<()> {
    let n = submission_count();
    let port = free_port()?;
    let persist = std::env::temp_dir().join(format!("tellus-soak-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&persist);
    let options = |log: &str| Options {
        port,
        persist_dir: persist.clone(),
        own_process_group: true,
        expose_kv_ops: true,
        log_kv_writes: true,
        log: Some(paths::artifacts().join(log)),
    };
    let mut worker = LocalWorker::start(options("wrangler-soak-1.log"))?;
    let base = worker.base_url.clone();

    // The receiver flaps from the start: errors, then slow answers (over the Worker's timeout).
    let mut script = vec![Reply::status(500); n / 10];
    script.extend(vec![Reply::slow(200, Duration::from_millis(3_500)); 3]);
    script.extend(vec![Reply::status(503); n / 20]);
    let mut receiver = Some(Receiver::start(script)?);
    let hook = receiver.as_ref().map(|r| r.url("/hook")).unwrap_or_default();

    // Enough sites that the per-client rate limit (20 per 10 s per site) is not the bottleneck.
    let n_sites = (n / 15).max(4);
    let mut sites = Vec::new();
    for i in 0..n_sites {
        let created = http::post_json(
            &format!("{base}/v1/sites"),
            &[("authorization", &format!("Bearer {ADMIN_TOKEN}"))],
            &json!({"name": format!("Soak {i}"), "allowed_origins": [base]}),
        )?;
        ensure!(created.status == 201, "{}", created.body);
        let site = Site {
            id: created.json()["id"].as_str().unwrap_or_default().to_owned(),
            key: created.json()["owner_key"].as_str().unwrap_or_default().to_owned(),
        };
        let endpoint = http::post_json(
            &format!("{base}/v1/sites/{}/callbacks", site.id),
            &[("authorization", &format!("Bearer {}", site.key))],
            &json!({"url": hook, "events": ["failure.reported"]}),
        )?;
        ensure!(endpoint.status == 201, "{}", endpoint.body);
        sites.push(site);
    }

    let mut jobs = VecDeque::new();
    for i in 0..n {
        let job = if i % 10 == 9 {
            // A replay of a submission sent a few moments earlier.
            let earlier: &Job = &jobs[i - 5];
            Job { replay: true, ..earlier.clone() }
        } else {
            // Keys as the widget makes them: a ULID from the customer's clock and random bits.
            let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as u64;
            let mut random = [0u8; 10];
            random[..8].copy_from_slice(&((std::process::id() as u64) << 32 | i as u64).to_be_bytes());
            Job {
                site: i % n_sites,
                key: tellus_core::ids::entry_id(now_ms, random),
                rating: (i % 5 + 1) as u8,
                replay: false,
            }
        };
        jobs.push_back(job);
    }
    let queue = Arc::new(Mutex::new(jobs));
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let taken = Arc::new(AtomicUsize::new(0));
    let site_ids: Arc<Vec<String>> = Arc::new(sites.iter().map(|s| s.id.clone()).collect());

    let started = Instant::now();
    let started_epoch_ms = epoch_ms();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (queue, outcome, taken, site_ids, base) =
                (Arc::clone(&queue), Arc::clone(&outcome), Arc::clone(&taken), Arc::clone(&site_ids), base.clone());
            std::thread::spawn(move || client(&queue, &outcome, &taken, &site_ids, &base))
        })
        .collect();

    // Faults while the load runs: the receiver goes down, the Worker restarts, the receiver
    // comes back.
    poll("a quarter of the load", Duration::from_secs(300), || (taken.load(Ordering::SeqCst) >= n / 4).then_some(()))?;
    if let Some(mut r) = receiver.take() {
        r.stop();
        receiver = Some(r);
    }
    poll("half of the load", Duration::from_secs(300), || (taken.load(Ordering::SeqCst) >= n / 2).then_some(()))?;
    let down_from = Instant::now();
    worker.stop();
    worker = LocalWorker::start(options("wrangler-soak-2.log"))?;
    let down_until = Instant::now();
    poll("three quarters of the load", Duration::from_secs(300), || {
        (taken.load(Ordering::SeqCst) >= 3 * n / 4).then_some(())
    })?;
    receiver = match receiver.take() {
        Some(r) => Some(r.restart()?),
        None => None,
    };
    for client in clients {
        let _ = client.join();
    }
    let load_time = started.elapsed();

    let outcome = match Arc::try_unwrap(outcome) {
        Ok(mutex) => mutex.into_inner().unwrap_or_default(),
        Err(_) => anyhow::bail!("clients still hold the outcome"),
    };

    ensure!(outcome.gave_up == 0, "{} submissions were never accepted", outcome.gave_up);
    // Exactly once: per key one id; per site the stored ids are exactly the accepted ones.
    let mut id_of_key: BTreeMap<String, String> = BTreeMap::new();
    for (_, key, id) in &outcome.accepted {
        let previous = id_of_key.insert(key.clone(), id.clone());
        ensure!(previous.is_none_or(|p| &p == id), "key {key} got two entry ids");
    }
    let unique_keys = id_of_key.len();
    let expected_ids: BTreeSet<&String> = id_of_key.values().collect();
    let mut stored = 0;
    let mut failures: BTreeSet<String> = BTreeSet::new();
    for site in &sites {
        let mut cursor: Option<String> = None;
        let mut seen = BTreeSet::new();
        loop {
            let query = cursor.as_deref().map(|c| format!("&cursor={}", http::encode_query(c))).unwrap_or_default();
            let page = http::get(
                &format!("{base}/v1/sites/{}/entries?limit=100{query}", site.id),
                &[("authorization", &format!("Bearer {}", site.key))],
            )?
            .json();
            for entry in page["entries"].as_array().into_iter().flatten() {
                let id = entry["id"].as_str().unwrap_or_default().to_owned();
                ensure!(expected_ids.contains(&id), "stored entry {id} was never accepted");
                if entry["kind"] == "failure" {
                    failures.insert(id.clone());
                }
                ensure!(seen.insert(id), "an entry is listed twice");
                stored += 1;
            }
            cursor = page["cursor"].as_str().map(str::to_owned);
            if cursor.is_none() {
                break;
            }
        }
    }
    ensure!(stored == unique_keys, "{unique_keys} submissions accepted, {stored} stored");

    // No 5xx except while the Worker was down (with a little slack for connections in flight).
    let slack = Duration::from_secs(5);
    let stray: Vec<_> = outcome
        .server_errors
        .iter()
        .filter(|(at, _, _)| *at + slack < down_from || *at > down_until + slack)
        .map(|(_, status, body)| format!("{status} {body}"))
        .collect();
    ensure!(stray.is_empty(), "5xx outside the restart: {stray:?}");

    // KV takes about one write a second per key: no key was written faster while the load ran.
    let load_end_epoch_ms = epoch_ms();
    let logs = ["wrangler-soak-1.log", "wrangler-soak-2.log"].map(|name| paths::artifacts().join(name));
    let writes = key_writes(&logs, started_epoch_ms, load_end_epoch_ms)?;
    ensure!(!writes.is_empty(), "no tellus-kv-write lines in {logs:?}");
    let too_fast: Vec<String> = writes
        .iter()
        .filter_map(|(key, times)| {
            let gap = times.windows(2).map(|w| w[1] - w[0]).min()?;
            (gap < 1_000).then(|| format!("{key}: {} writes, {gap} ms apart", times.len()))
        })
        .collect();
    ensure!(too_fast.is_empty(), "keys written more than once a second: {too_fast:?}");
    let most = writes.values().map(Vec::len).max().unwrap_or(0);

    // Every failure's report arrives: run each site's desk on its test clock until all are in.
    let receiver = receiver.ok_or_else(|| anyhow::anyhow!("receiver gone"))?;
    let delivered_ids = |received: &[tellus_tests::receiver::Received]| -> BTreeSet<String> {
        received
            .iter()
            .filter(|r| (200..300).contains(&r.answered))
            .filter_map(|r| r.json()["data"]["entry_id"].as_str().map(str::to_owned))
            .collect()
    };
    // Ten minutes of test time a round: every retry of the schedule (1 m, 5 m, 30 m, 2 h, …)
    // comes due within a few rounds, without racing through it faster than attempts are made.
    let mut offset_ms = 0u64;
    let delivered = poll("every failure.reported to be delivered", Duration::from_secs(240), || {
        offset_ms += 600_000;
        let offset = offset_ms.to_string();
        for site in &sites {
            let _ = http::send(
                "POST",
                &format!("{base}/v1/test/sites/{}/run", site.id),
                &[(tellus_core::protocol::HEADER_TEST_NOW_OFFSET, &offset)],
                None,
            );
        }
        let received = receiver.received();
        failures.is_subset(&delivered_ids(&received)).then_some(received)
    });
    let delivered = match delivered {
        Ok(received) => received,
        Err(err) => {
            let received = receiver.received();
            let missing = failures.difference(&delivered_ids(&received)).count();
            let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
            for r in &received {
                *statuses.entry(r.answered).or_default() += 1;
            }
            anyhow::bail!(
                "{err}: {missing} of {} failures undelivered; receiver answered {statuses:?}",
                failures.len()
            );
        }
    };
    let mut by_message: BTreeMap<String, usize> = BTreeMap::new();
    for r in delivered.iter().filter(|r| (200..300).contains(&r.answered)) {
        *by_message.entry(r.header("webhook-id").unwrap_or_default().to_owned()).or_default() += 1;
    }
    let redelivered = by_message.values().filter(|n| **n > 1).count();
    // Nothing twice under different ids: each failure's report came under one webhook-id.
    let mut ids_of_entry: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &delivered {
        if let Some(entry) = r.json()["data"]["entry_id"].as_str() {
            ids_of_entry
                .entry(entry.to_owned())
                .or_default()
                .insert(r.header("webhook-id").unwrap_or_default().to_owned());
        }
    }
    let twice: Vec<_> = ids_of_entry.iter().filter(|(_, ids)| ids.len() > 1).collect();
    ensure!(twice.is_empty(), "reports sent under more than one webhook-id: {twice:?}");
    println!(
        "soak: {n} submissions ({} replays) in {load_time:.1?} from {CLIENTS} clients to {n_sites} sites; \
         {unique_keys} accepted, {stored} stored; {} refused and retried (429), {} connection errors while down, \
         {} 5xx while down; {} failures, {} callback requests, {} delivered, {redelivered} delivered twice (same webhook-id); \
         {} KV keys written while loaded, at most {most} times each and never twice in a second",
        n / 10,
        outcome.refused,
        outcome.connection_errors,
        outcome.server_errors.len(),
        failures.len(),
        delivered.len(),
        by_message.len(),
        writes.len()
    );
    drop(worker);
    let _ = std::fs::remove_dir_all(&persist);
    Ok(())
}

fn epoch_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Every KV write and delete the Worker logged (`tellus-kv-write {ms} {key}`) between two
/// times, as key → sorted times.
fn key_writes(logs: &[std::path::PathBuf], from_ms: u64, to_ms: u64) -> Result<BTreeMap<String, Vec<u64>>> {
    let mut writes: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for log in logs {
        let text = std::fs::read_to_string(log)?;
        for line in text.lines() {
            let Some((_, rest)) = line.split_once("tellus-kv-write ") else { continue };
            let mut parts = rest.split_whitespace();
            let (Some(at), Some(key)) = (parts.next().and_then(|ms| ms.parse::<u64>().ok()), parts.next()) else {
                continue;
            };
            if (from_ms..=to_ms).contains(&at) {
                writes.entry(key.to_owned()).or_default().push(at);
            }
        }
    }
    for times in writes.values_mut() {
        times.sort_unstable();
    }
    Ok(writes)
}

/// A customer's browser: sends until the Worker confirms, keeping the idempotency key across
/// retries (as the widget's offline queue does).
fn client(queue: &Mutex<VecDeque<Job>>, outcome: &Mutex<Outcome>, taken: &AtomicUsize, sites: &[String], base: &str) {
    loop {
        let Some(job) = queue.lock().ok().and_then(|mut q| q.pop_front()) else { return };
        taken.fetch_add(1, Ordering::SeqCst);
        if job.replay {
            let answered = || outcome.lock().is_ok_and(|o| o.accepted.iter().any(|(_, key, _)| *key == job.key));
            let _ =
                poll("the original of a replay to be answered", Duration::from_secs(180), || answered().then_some(()));
        }
        let url = format!("{base}/v1/sites/{}/feedback", sites[job.site]);
        let body = json!({"rating": job.rating, "comment": "soak", "idempotency_key": job.key});
        let result = poll("the submission to be accepted", Duration::from_secs(180), || {
            match http::post_json(&url, &[("origin", base)], &body) {
                Ok(answer) if answer.status == 201 || answer.status == 200 => {
                    Some(answer.json()["id"].as_str().map(str::to_owned))
                }
                Ok(answer) if answer.status == 429 => {
                    if let Ok(mut o) = outcome.lock() {
                        o.refused += 1;
                    }
                    None
                }
                Ok(answer) => {
                    if answer.status >= 500
                        && let Ok(mut o) = outcome.lock()
                    {
                        o.server_errors.push((Instant::now(), answer.status, answer.body));
                    }
                    None
                }
                Err(_) => {
                    if let Ok(mut o) = outcome.lock() {
                        o.connection_errors += 1;
                    }
                    None
                }
            }
        });
        if let Ok(mut o) = outcome.lock() {
            match result {
                Ok(Some(id)) => o.accepted.push((job.site, job.key, id)),
                _ => o.gave_up += 1,
            }
        }
    }
}
