//! `cargo xtask dev`: the whole product running locally, with a demo site that survives restarts.

use crate::{build, install, root};
use anyhow::{Context, Result};
use serde_json::{Value, json};
use tellus_tests::http;
use tellus_tests::worker_process::{ADMIN_TOKEN, LocalWorker, Options};

/// The local port; `TELLUS_PORT` overrides it.
const DEFAULT_PORT: u16 = 8787;

pub fn run() -> Result<()> {
    install::ensure_build_tools()?;
    build::all()?;
    let port = std::env::var("TELLUS_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(DEFAULT_PORT);
    let state = root().join(".wrangler/state");
    println!("\n==> starting the Worker on http://127.0.0.1:{port} (KV persisted in {})", state.display());
    let mut worker = LocalWorker::start(Options {
        port,
        persist_dir: state.clone(),
        own_process_group: false,
        expose_kv_ops: true,
        log_kv_writes: false,
        log: None,
    })?;
    let demo = ensure_demo_site(&worker, &state.join("tellus-demo-site.json"))?;
    let id = demo["id"].as_str().unwrap_or_default();
    let key = demo["owner_key"].as_str().unwrap_or_default();
    let base = &worker.base_url;
    println!(
        "\n  tellus is running.\n\n  Demo host page:   {base}/demo?site={id}\n  Landing page:     {base}/\n  \
         Demo site id:     {id}\n  Demo owner key:   {key}\n\n  Read the stored entries:\n    \
         curl -H 'Authorization: Bearer {key}' {base}/v1/sites/{id}/entries\n\n  \
         Create another site (operator token of this local Worker):\n    \
         curl -H 'Authorization: Bearer {ADMIN_TOKEN}' -H 'Content-Type: application/json' \\\n      \
         -d '{{\"name\":\"My shop\",\"allowed_origins\":[\"{base}\"]}}' {base}/v1/sites\n\n  Ctrl-C stops it; data is kept for the next start.\n"
    );
    worker.wait()
}

/// Reuses the demo site recorded next to the KV state, or creates one.
fn ensure_demo_site(worker: &LocalWorker, record: &std::path::Path) -> Result<Value> {
    if let Ok(text) = std::fs::read_to_string(record)
        && let Ok(demo) = serde_json::from_str::<Value>(&text)
    {
        let id = demo["id"].as_str().unwrap_or_default();
        let config = http::get(&worker.url(&format!("/v1/sites/{id}/config")), &[])?;
        if config.status == 200 {
            return Ok(demo);
        }
    }
    let base = &worker.base_url;
    let body = json!({
        "name": "Demo shop",
        "allowed_origins": [base, base.replace("127.0.0.1", "localhost")],
        "review_links": [{"id": "google", "label": "Google", "url": "https://www.google.com/search?q=demo+shop+reviews"}]
    });
    let auth = format!("Bearer {ADMIN_TOKEN}");
    let answer = http::post_json(&worker.url("/v1/sites"), &[("authorization", &auth)], &body)?;
    anyhow::ensure!(answer.status == 201, "creating the demo site failed: {} {}", answer.status, answer.body);
    let created = answer.json();
    let demo = json!({ "id": created["id"], "owner_key": created["owner_key"] });
    std::fs::create_dir_all(record.parent().context("state dir")?)?;
    std::fs::write(record, serde_json::to_string_pretty(&demo)?)?;
    Ok(demo)
}
