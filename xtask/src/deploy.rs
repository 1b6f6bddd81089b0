//! `wrangler deploy --dry-run`: the deployment as Cloudflare would receive it, checked on every
//! `cargo xtask test` so every commit stays deployable. It bundles the Worker with its assets,
//! reads every binding and the Durable Object migrations from `worker/wrangler.toml`, and stops
//! before uploading (no account, no network). We fail when the bundle is over the free plan's
//! limit or a binding the code needs is missing.

use crate::root;
use anyhow::{Context, Result, bail};
use std::process::Command;

/// Workers Free's limit on the compressed Worker bundle (3 MB gzip).
const FREE_PLAN_BUNDLE_GZIP_KIB: f64 = 3.0 * 1024.0;

/// Bindings the Worker's code reads, as wrangler lists them.
const REQUIRED_BINDINGS: &[&str] = &[
    "env.DESK (Desk)",
    "env.TELLUS",
    "env.EMAIL",
    "env.PUBLIC_LIMITER",
    "env.ASSETS",
    "env.MAIL_FROM",
    "env.PUBLIC_URL",
];

pub fn dry_run() -> Result<()> {
    let out_dir = root().join("target/deploy-dry-run");
    let output = Command::new("node")
        .arg(root().join("node_modules/wrangler/bin/wrangler.js"))
        .args(["deploy", "--dry-run", "--outdir"])
        .arg(&out_dir)
        .current_dir(root().join("worker"))
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("NO_COLOR", "1")
        .output()
        .context("running wrangler deploy --dry-run")?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        bail!("wrangler deploy --dry-run failed:\n{text}");
    }
    let gzip_kib = text
        .lines()
        .find_map(|line| line.split_once("gzip:").map(|(_, rest)| rest.trim()))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .with_context(|| format!("no 'gzip:' size in wrangler's output:\n{text}"))?;
    let missing: Vec<&&str> = REQUIRED_BINDINGS.iter().filter(|b| !text.contains(**b)).collect();
    if !missing.is_empty() {
        bail!("wrangler deploy --dry-run lists no {missing:?}:\n{text}");
    }
    println!(
        "    deployable: bundle {gzip_kib:.1} KiB gzip (free plan limit {FREE_PLAN_BUNDLE_GZIP_KIB:.0}), bindings {REQUIRED_BINDINGS:?}"
    );
    if gzip_kib > FREE_PLAN_BUNDLE_GZIP_KIB {
        bail!("the Worker bundle is {gzip_kib:.1} KiB gzip, over the free plan's {FREE_PLAN_BUNDLE_GZIP_KIB:.0} KiB");
    }
    Ok(())
}
