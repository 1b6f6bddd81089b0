//! Seeding a fresh local KV directly (not through the API) with a site and many entries over
//! 90 days, through `wrangler kv bulk put --local`. Used by the scale test and by
//! `cargo xtask bench`. Seeding runs at about 3.5 ms a key, so 100,000 entries take some 6
//! minutes; it must happen before the Worker starts on the same persist directory.

use crate::paths;
use anyhow::{Context, Result, ensure};
use std::path::Path;
use std::process::Command;
use tellus_core::auth::hash_secret;
use tellus_core::entry::{Dimension, Entry, Kind, Scale, Status, Touchpoint, classify};
use tellus_core::ids::entry_id;
use tellus_core::keys;
use tellus_core::site::{Site, SiteSettings};

/// The seeded entries span this many days, ending yesterday.
pub const DAYS: u64 = 90;
/// Items per `wrangler kv bulk put` call: wrangler's local bulk put fails on very large files,
/// and 20,000 items are about 10 MB.
const CHUNK: usize = 20_000;

/// The seeded data set, generated deterministically so callers can compute the expected
/// numbers on their own: ratings cycle 1–5, every 7th entry names a dimension, two of three
/// failures are fixed (acknowledged after 30 minutes, fixed after 5 hours).
pub fn entries(site: &str, today: u64, count: u64) -> Vec<Entry> {
    let settings_scale = Scale::Csat;
    (0..count)
        .map(|i| {
            let day = today - DAYS + (i % DAYS);
            let created_ms = day * 86_400_000 + ((i / DAYS) * 60_000) % 80_000_000 + 1_000;
            let rating = (i % 5 + 1) as u8;
            let dimensions = if i % 7 == 0 { vec![Dimension::Responsiveness] } else { Vec::new() };
            let kind = classify(settings_scale, 2, rating, &dimensions);
            let fixed = kind == Kind::Failure && i % 3 != 0;
            let mut random = [0u8; 10];
            random[..8].copy_from_slice(&i.to_be_bytes());
            Entry {
                status: (kind == Kind::Failure).then_some(if fixed { Status::Fixed } else { Status::Open }),
                comment: format!("seeded entry {i}"),
                dimensions,
                touchpoint: Touchpoint { page: Some(format!("/page/{}", i % 40)), ..Touchpoint::default() },
                acknowledged_ms: fixed.then_some(created_ms + 30 * 60_000),
                fixed_ms: fixed.then_some(created_ms + 5 * 3_600_000),
                ..Entry::new(entry_id(created_ms, random), site.into(), created_ms, settings_scale, rating, kind)
            }
        })
        .collect()
}

/// Writes the site (created before the first seeded day, owner key `owner_key`, one allowed
/// origin) and its entries into the local KV at `persist`. `work_dir` holds the temporary bulk
/// files. The site's desk learns of them from [`import_into_desk`] once the Worker runs.
pub fn put_site_and_entries(
    persist: &Path,
    work_dir: &Path,
    site_id: &str,
    owner_key: &str,
    allowed_origin: &str,
    today: u64,
    entries: &[Entry],
) -> Result<()> {
    let settings_json = serde_json::json!({"name": "Seeded shop", "allowed_origins": [allowed_origin]});
    let settings =
        SiteSettings::parse(settings_json.to_string().as_bytes()).map_err(|e| anyhow::anyhow!("settings: {e:?}"))?;
    let site = Site {
        id: site_id.into(),
        created_ms: (today - DAYS - 1) * 86_400_000,
        owner_key_hash: hash_secret(owner_key),
        settings,
    };
    let mut items = Vec::with_capacity(entries.len() + 1);
    items.push(serde_json::json!({"key": keys::site(site_id), "value": serde_json::to_string(&site)?}));
    for entry in entries {
        let key = keys::entry(site_id, &entry.id).context("entry key")?;
        items.push(serde_json::json!({"key": key, "value": serde_json::to_string(entry)?, "metadata": entry.meta()}));
    }
    put_items(persist, work_dir, &items)
}

/// Writes raw key/value items (and their metadata, if any) into the local KV at `persist`, as
/// `wrangler kv bulk put` takes them: `{"key", "value", "metadata"?}`.
pub fn put_items(persist: &Path, work_dir: &Path, items: &[serde_json::Value]) -> Result<()> {
    std::fs::create_dir_all(work_dir)?;
    let bulk = work_dir.join("bulk.json");
    for chunk in items.chunks(CHUNK) {
        std::fs::write(&bulk, serde_json::to_vec(chunk)?)?;
        let seeded = Command::new("node")
            .arg(paths::wrangler_js())
            .args(["kv", "bulk", "put"])
            .arg(&bulk)
            .args(["--binding", "TELLUS", "--local", "--persist-to"])
            .arg(persist)
            .current_dir(paths::worker_dir())
            .env("WRANGLER_SEND_METRICS", "false")
            .output()?;
        ensure!(seeded.status.success(), "bulk put failed: {}", String::from_utf8_lossy(&seeded.stderr));
    }
    let _ = std::fs::remove_file(&bulk);
    Ok(())
}

/// Entries handed to the site's desk per import request.
const IMPORT_CHUNK: usize = 5_000;

/// Hands the seeded entries to the site's desk through the local-only import route, as if each
/// had been stored through the API (nothing is sent).
pub fn import_into_desk(base_url: &str, site_id: &str, entries: &[Entry]) -> Result<()> {
    import(base_url, site_id, entries, IMPORT_CHUNK, false)
}

/// Sends `entries` to the import route in chunks. An import is idempotent (the desk ignores
/// what it has; KV puts of the same entry write the same value), so a chunk the local runtime
/// answers with its own 503 ("Your worker restarted mid-request", seen when the machine is
/// overloaded) is sent again, at most twice more.
fn import(base_url: &str, site_id: &str, entries: &[Entry], chunk_size: usize, kv: bool) -> Result<()> {
    let url = format!("{base_url}/v1/test/sites/{site_id}/import");
    for chunk in entries.chunks(chunk_size) {
        let body = serde_json::json!({ "entries": chunk, "kv": kv });
        let mut answer = crate::http::post_json(&url, &[], &body)?;
        for _ in 0..2 {
            if answer.status != 503 || !answer.body.contains("restarted mid-request") {
                break;
            }
            answer = crate::http::post_json(&url, &[], &body)?;
        }
        ensure!(answer.status == 200, "import: {} {}", answer.status, answer.body);
    }
    Ok(())
}

/// `count` open failures for the inbox tests, created one every `spacing_ms` back from
/// `now_ms` (the newest first): touchpoint `/tp/{i % 10}`, agent `Agent {i % 7}`, every 5th in
/// Estonian; the `special` first ones on `/special-checkout` instead.
pub fn open_failures_for_inbox(site: &str, now_ms: u64, count: u64, spacing_ms: u64, special: u64) -> Vec<Entry> {
    (0..count)
        .map(|i| {
            let created_ms = now_ms - 60_000 - i * spacing_ms;
            let mut random = [7u8; 10];
            random[..8].copy_from_slice(&i.to_be_bytes());
            let page = if i < special { "/special-checkout".to_owned() } else { format!("/tp/{}", i % 10) };
            Entry {
                status: Some(Status::Open),
                comment: format!("Seeded failure number {i}"),
                dimensions: vec![Dimension::Responsiveness],
                touchpoint: Touchpoint {
                    page: Some(page),
                    agent: Some(format!("Agent {}", i % 7)),
                    ..Touchpoint::default()
                },
                lang: if i % 5 == 0 { "et".into() } else { "en".into() },
                receipt_token: "seeded-token".into(),
                ..Entry::new(
                    entry_id(created_ms, random),
                    site.into(),
                    created_ms,
                    Scale::Csat,
                    1 + (i % 2) as u8,
                    Kind::Failure,
                )
            }
        })
        .collect()
}

/// Writes entries into the running Worker's KV and hands them to the site's desk, through the
/// local-only import route with `"kv": true`.
pub fn import_into_kv_and_desk(base_url: &str, site_id: &str, entries: &[Entry]) -> Result<()> {
    import(base_url, site_id, entries, 250, true)
}

/// Today's day number (days since the Unix epoch) by the machine's clock.
pub fn today() -> Result<u64> {
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as u64;
    Ok(keys::day_of(now_ms))
}

/// How many of `entries` are open failures.
pub fn open_failures(entries: &[Entry]) -> usize {
    entries.iter().filter(|e| e.status == Some(Status::Open)).count()
}
