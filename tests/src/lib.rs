//! The end-to-end harness: start a real local Worker (workerd through `wrangler dev`), talk to it
//! over loopback HTTP, and drive a real Chromium through chromedriver. Used by the `e2e` test
//! binary and by `cargo xtask dev`.

pub mod costs;
pub mod http;
pub mod load;
pub mod mailbox;
pub mod paths;
pub mod receiver;
pub mod schema;
pub mod seed;
pub mod webdriver;
pub mod worker_process;

/// Polls `check` until it returns `Some` or the deadline passes. Tests synchronise with this,
/// never with fixed sleeps.
pub fn poll<T>(what: &str, timeout: std::time::Duration, mut check: impl FnMut() -> Option<T>) -> anyhow::Result<T> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return Ok(value);
        }
        if std::time::Instant::now() >= deadline {
            anyhow::bail!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::park_timeout(std::time::Duration::from_millis(50));
    }
}
