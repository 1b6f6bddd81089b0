//! Where things are in the repository, wherever the harness is started from.

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

/// The Worker crate, where `wrangler.toml` is.
pub fn worker_dir() -> PathBuf {
    root().join("worker")
}

/// The wrangler entry point installed by `npm ci`.
pub fn wrangler_js() -> PathBuf {
    root().join("node_modules/wrangler/bin/wrangler.js")
}

/// Test artifacts (screenshots, logs).
pub fn artifacts() -> PathBuf {
    root().join("target/artifacts")
}
