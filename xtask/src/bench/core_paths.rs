//! Core hot paths, timed natively by criterion (`core/benches/hot_paths.rs`), read back from
//! criterion's per-sample data so the table shows median, min and max per call.

use super::Plan;
use super::report::{Report, Row, Stat, fmt};
use crate::{cargo, root, run_cmd};
use anyhow::{Context, Result};
use serde_json::{Value, json};

/// The benchmarks in `hot_paths.rs` and what each stands for.
const BENCHES: &[(&str, &str)] = &[
    ("validate_submission", "validate a submission (`Submission::parse`)"),
    ("summary_90_rollups", "summary from 90 daily rollups (`summarize`)"),
    ("sign_callback", "sign a 1 KB callback (HMAC-SHA256, `signature_header`)"),
];
/// Cloudflare's free plan: CPU time per invocation.
const FREE_PLAN_CPU_MS: f64 = 10.0;

pub fn measure(plan: &Plan, report: &mut Report) -> Result<()> {
    let mut args = vec!["bench", "-p", "tellus-core", "--bench", "hot_paths", "--locked", "--"];
    if plan.quick {
        // The minimum criterion accepts: 10 samples, a fraction of a second each.
        args.extend(["--warm-up-time", "0.1", "--measurement-time", "0.2", "--sample-size", "10"]);
    } else {
        args.extend(["--warm-up-time", "1", "--measurement-time", "3", "--sample-size", "30"]);
    }
    args.push("--noplot");
    run_cmd(cargo(&args))?;
    for (id, what) in BENCHES {
        let path = root().join("target/criterion").join(id).join("new/sample.json");
        let sample: Value =
            serde_json::from_slice(&std::fs::read(&path).with_context(|| format!("{}", path.display()))?)?;
        let iters = sample["iters"].as_array().cloned().unwrap_or_default();
        let times = sample["times"].as_array().cloned().unwrap_or_default();
        // Per-call time of each sample, in microseconds (criterion records nanoseconds).
        let per_call: Vec<f64> =
            iters.iter().zip(&times).filter_map(|(n, t)| Some(t.as_f64()? / n.as_f64()?.max(1.0) / 1_000.0)).collect();
        let stat = Stat::of(&per_call);
        let share = stat.map(|s| s.median / 1_000.0 / FREE_PLAN_CPU_MS * 100.0).unwrap_or_default();
        report.push(Row::stat(
            "Core hot paths (native)",
            what,
            stat,
            "µs",
            &format!("{}% of the free plan's 10 ms CPU", fmt(share)),
        ));
        report.raw["core"][*id] = json!({ "per_call_us": per_call, "stat": Stat::json(stat) });
    }
    Ok(())
}
