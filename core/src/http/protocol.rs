//! Names the Worker and its test harness (`tests/`, `cargo xtask bench`) must agree on: headers
//! and log lines of the local test protocol and of the operation counts. The Worker is
//! wasm-only, so the native harness cannot import its constants; both import these.

/// Response header with the billed operations a request caused (only with `EXPOSE_KV_OPS=1`):
/// `reads=2;writes=1;lists=0;deletes=0;do_requests=1;do_rows_read=4;do_rows_written=6`.
pub const HEADER_KV_OPS: &str = "x-tellus-kv-ops";

/// Request header that shifts a request's clock by this many ms (only with `ALLOW_TEST_CLOCK=1`,
/// i.e. on local Workers; ignored in production).
pub const HEADER_TEST_NOW_OFFSET: &str = "x-tellus-test-now-offset-ms";

/// Request header (test clock only) that makes the site's desk leave a new entry's first
/// attempts to its alarm, as if it stopped right after answering.
pub const HEADER_TEST_HOLD_SENDS: &str = "x-tellus-test-hold-sends";

/// Log line prefix of the work a site's desk did outside any response (alarms, attempts that
/// finished after the answer), with its rows (only with `EXPOSE_KV_OPS=1`):
/// `tellus-desk-ops {site} {alarm|attempt} read=3;written=5;kv_reads=0`.
pub const DESK_OPS_LOG: &str = "tellus-desk-ops";

/// Log line prefix of one KV write or delete (only with `LOG_KV_WRITES=1`):
/// `tellus-kv-write {ms} {key}`.
pub const KV_WRITE_LOG: &str = "tellus-kv-write";

// The Worker's variables (`wrangler.toml` `[vars]`, or `--var` on local Workers).

/// `"true"` lets anyone create a site without the operator token (self-serve sign-up).
pub const OPEN_SIGNUP: &str = "OPEN_SIGNUP";
/// `"1"`: every answer carries `x-tellus-kv-ops`, and the desks log their own work (tests, bench).
pub const EXPOSE_KV_OPS: &str = "EXPOSE_KV_OPS";
/// `"1"`: every KV write and delete is logged with its key (the soak counts writes per key).
pub const LOG_KV_WRITES: &str = "LOG_KV_WRITES";
/// `"1"`: the local test protocol (see the Worker's `callbacks::test_support`). Never set in production.
pub const ALLOW_TEST_CLOCK: &str = "ALLOW_TEST_CLOCK";
/// `"1"`: callback endpoints may be `http://127.0.0.1` or `localhost` (local Workers only).
pub const ALLOW_LOOPBACK_CALLBACKS: &str = "ALLOW_LOOPBACK_CALLBACKS";
/// The receiver timeout in ms (default 15,000; local Workers shorten it).
pub const CALLBACK_TIMEOUT_MS: &str = "CALLBACK_TIMEOUT_MS";
/// The sender address of every email (an address of a domain the Cloudflare account has
/// onboarded to Email Service). Unset or empty: no email is made.
pub const MAIL_FROM: &str = "MAIL_FROM";
/// The public origin of the tellus host for links in emails and QR codes
/// (`https://feedback.example`); without it, the origin the request reached.
pub const PUBLIC_URL: &str = "PUBLIC_URL";
