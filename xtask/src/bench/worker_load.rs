//! The Worker under load on loopback: requests per second and p50/p90/p99 latency for the
//! config `GET` and the feedback `POST`, each next to the trivial `GET /v1/health` of the same
//! Worker in the same round, so the ratio shows tellus's own cost on top of the runtime's.
//!
//! Load comes from `tellus_tests::load` (bounded count, bounded time, a few keep-alive
//! threads). Feedback is rate-limited per client and site (20 per 10 s), so each round spreads
//! its posts over fresh sites; only 201s count, and any 429 is reported.

use super::Plan;
use super::report::{Report, Row, Stat, fmt};
use anyhow::{Result, bail};
use serde_json::json;
use std::time::Duration;
use tellus_tests::http;
use tellus_tests::load::{self, Outcome, Request};
use tellus_tests::worker_process::{ADMIN_TOKEN, LocalWorker};

const THREADS: usize = 4;
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// Posts per site per round, under the limit of 20 per 10 s.
const POSTS_PER_SITE: usize = 15;

pub fn measure(plan: &Plan, worker: &LocalWorker, report: &mut Report) -> Result<()> {
    let origin = worker.base_url.clone();
    let config_site = create_sites(worker, 1)?.remove(0);
    let n = plan.load_requests;
    let mut rounds = Vec::new();
    for round in 0..plan.load_rounds {
        let sites = create_sites(worker, n.div_ceil(POSTS_PER_SITE))?;
        let health_url = worker.url("/v1/health");
        let health = || load::run(&|_| get(&health_url, None), n, THREADS, TIME_LIMIT, 200);
        let config_url = worker.url(&format!("/v1/sites/{config_site}/config"));
        let feedback = |i: usize| {
            let site = &sites[i % sites.len()];
            let body = json!({ "rating": i % 5 + 1, "comment": format!("bench entry {i}"), "lang": "en" });
            Request {
                method: "POST",
                url: worker.url(&format!("/v1/sites/{site}/feedback")),
                headers: vec![("origin", origin.clone()), ("content-type", "application/json".into())],
                body: Some(body.to_string().into_bytes()),
            }
        };
        // Trivial route before each measured route: each ratio compares neighbours in time.
        let health_a = health();
        let config = load::run(&|_| get(&config_url, Some(&origin)), n, THREADS, TIME_LIMIT, 200);
        let health_b = health();
        let posts = load::run(&feedback, n, THREADS, TIME_LIMIT, 201);
        for (name, outcome) in [("health", &health_a), ("config", &config), ("health", &health_b), ("feedback", &posts)]
        {
            if outcome.ok_latencies_ms.is_empty() {
                bail!("load round {round}: no successful {name} request ({:?})", outcome.statuses);
            }
        }
        println!(
            "    round {}: health {:.0}/s, config {:.0}/s, feedback {:.0}/s (statuses {:?})",
            round + 1,
            health_a.ok_per_sec(),
            config.ok_per_sec(),
            posts.ok_per_sec(),
            posts.statuses
        );
        rounds.push([health_a, config, health_b, posts]);
    }
    let section = "Worker under load (loopback, 4 connections)";
    let over = |f: &dyn Fn(&[Outcome; 4]) -> f64| Stat::of(&rounds.iter().map(f).collect::<Vec<_>>());
    let rps_note = |i: usize| {
        let ratio = over(&|r| r[i].ok_per_sec() / r[i - 1].ok_per_sec().max(f64::MIN_POSITIVE));
        ratio.map(|s| format!("{}× the trivial route's rate", fmt(s.median))).unwrap_or_default()
    };
    for (i, what) in [(1, "GET config"), (3, "POST feedback (201s)")] {
        report.push(Row::stat(
            section,
            &format!("GET /v1/health, requests/s (before {what})"),
            over(&|r| r[i - 1].ok_per_sec()),
            "req/s",
            "the trivial route: runtime and proxy cost",
        ));
        report.push(Row::stat(
            section,
            &format!("{what}, requests/s"),
            over(&|r| r[i].ok_per_sec()),
            "req/s",
            &rps_note(i),
        ));
        for p in [50.0, 90.0, 99.0] {
            let ratio = over(&|r| r[i].percentile_ms(p) / r[i - 1].percentile_ms(p).max(f64::MIN_POSITIVE));
            let note = ratio.map(|s| format!("{}× the trivial route's p{p}", fmt(s.median))).unwrap_or_default();
            report.push(Row::stat(
                section,
                &format!("{what}, p{p} latency"),
                over(&|r| r[i].percentile_ms(p)),
                "ms",
                &note,
            ));
        }
    }
    let refused: usize = rounds.iter().map(|r| r[3].statuses.get(&429).copied().unwrap_or(0)).sum();
    report.push(Row::fact(
        section,
        "feedback refused by the rate limiter (429)",
        &refused.to_string(),
        "posts are spread over sites to stay under 20 per 10 s",
    ));
    report.raw["load"] = rounds
        .iter()
        .map(|r| {
            let one = |o: &Outcome| {
                json!({"sent": o.sent, "ok_per_sec": o.ok_per_sec(), "elapsed_s": o.elapsed.as_secs_f64(),
                       "p50": o.percentile_ms(50.0), "p90": o.percentile_ms(90.0), "p99": o.percentile_ms(99.0),
                       "statuses": o.statuses.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>()})
            };
            json!({"health_before_config": one(&r[0]), "config": one(&r[1]), "health_before_feedback": one(&r[2]), "feedback": one(&r[3])})
        })
        .collect();
    Ok(())
}

fn get(url: &str, origin: Option<&str>) -> Request {
    Request {
        method: "GET",
        url: url.to_owned(),
        headers: origin.map(|o| vec![("origin", o.to_owned())]).unwrap_or_default(),
        body: None,
    }
}

/// Creates `count` sites that allow the Worker's own origin; returns their ids.
pub fn create_sites(worker: &LocalWorker, count: usize) -> Result<Vec<String>> {
    let auth = format!("Bearer {ADMIN_TOKEN}");
    let body = json!({ "name": "Load shop", "allowed_origins": [worker.base_url] });
    (0..count)
        .map(|_| {
            let answer = http::post_json(&worker.url("/v1/sites"), &[("authorization", &auth)], &body)?;
            if answer.status != 201 {
                bail!("creating a load site failed: {} {}", answer.status, answer.body);
            }
            answer.json()["id"].as_str().map(str::to_owned).ok_or_else(|| anyhow::anyhow!("no site id"))
        })
        .collect()
}
