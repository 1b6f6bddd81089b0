//! The Worker's configuration, read once per invocation (a request, or a desk's call or alarm)
//! from its variables, whose names are in `tellus_core::protocol` (the test harness sets them). Production sets only
//! `OPEN_SIGNUP` (and the `ADMIN_TOKEN` secret); the others exist for local Workers.

use tellus_core::callbacks::DEFAULT_TIMEOUT_MS;
use worker::Env;

pub use tellus_core::protocol::{
    ALLOW_LOOPBACK_CALLBACKS, ALLOW_TEST_CLOCK, CALLBACK_TIMEOUT_MS, EXPOSE_KV_OPS, LOG_KV_WRITES, MAIL_FROM,
    OPEN_SIGNUP, PUBLIC_URL,
};

/// What the variables say, read once.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub open_signup: bool,
    pub expose_ops: bool,
    pub log_kv_writes: bool,
    pub test_clock: bool,
    pub loopback_callbacks: bool,
    pub callback_timeout_ms: u64,
    /// The sender of every email (empty: no email is made).
    pub mail_from: String,
    /// The public origin links are written with (empty: the origin a request reached).
    pub public_url: String,
}

impl Config {
    pub fn from_env(env: &Env) -> Config {
        let is = |name: &str, value: &str| env.var(name).map(|v| v.to_string() == value).unwrap_or(false);
        let text = |name: &str| env.var(name).map(|v| v.to_string().trim().to_owned()).unwrap_or_default();
        Config {
            open_signup: is(OPEN_SIGNUP, "true"),
            expose_ops: is(EXPOSE_KV_OPS, "1"),
            log_kv_writes: is(LOG_KV_WRITES, "1"),
            test_clock: is(ALLOW_TEST_CLOCK, "1"),
            loopback_callbacks: is(ALLOW_LOOPBACK_CALLBACKS, "1"),
            callback_timeout_ms: env
                .var(CALLBACK_TIMEOUT_MS)
                .ok()
                .and_then(|v| v.to_string().parse::<u64>().ok())
                .filter(|ms| (100..=DEFAULT_TIMEOUT_MS).contains(ms))
                .unwrap_or(DEFAULT_TIMEOUT_MS),
            mail_from: text(MAIL_FROM),
            public_url: text(PUBLIC_URL),
        }
    }
}
