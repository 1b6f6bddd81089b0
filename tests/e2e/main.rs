//! End-to-end suite: one real local Worker (workerd through `wrangler dev`, KV persisted in a
//! fresh temporary directory) and one chromedriver for all tests, started here and stopped at
//! the end. Run through `cargo xtask test`, which installs and builds everything first.

#![allow(clippy::unwrap_used, clippy::expect_used)]

/// A module's tests, each registered under its function's own name (`module::function`, as
/// `cargo test` would call it), so a name is written once and cannot drift from its test.
macro_rules! tests {
    ($($test:ident),+ $(,)?) => {
        &[$((concat!(module_path!(), "::", stringify!($test)), $test as crate::TestFn)),+]
    };
}
pub(crate) use tests;

mod a11y;
mod alerts;
mod api;
mod browser;
mod callbacks;
mod contract;
mod costs;
mod followup;
mod hostile;
mod inbox;
mod owner;
mod owner_settings;
mod scale;
mod soak;
mod summary_page;
mod tabs;
mod widget;

use anyhow::Result;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{Value, json};
use std::sync::Arc;
use tellus_tests::http::{self, Answer};
use tellus_tests::paths;
use tellus_tests::webdriver::Chromedriver;
use tellus_tests::worker_process::{ADMIN_TOKEN, LocalWorker, Options, free_port};

/// What every test gets: the running Worker and the browser driver.
pub struct Ctx {
    pub worker: LocalWorker,
    pub driver: Chromedriver,
}

/// A site created for one test, so tests never see each other's entries.
pub struct TestSite {
    pub id: String,
    pub owner_key: String,
}

impl Ctx {
    pub fn url(&self, path: &str) -> String {
        self.worker.url(path)
    }

    /// Creates a site whose allowed origin is the local Worker; `extra` fields are merged in.
    pub fn create_site(&self, extra: Value) -> Result<TestSite> {
        let mut body = json!({ "name": "Test shop", "allowed_origins": [self.worker.base_url] });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let auth = format!("Bearer {ADMIN_TOKEN}");
        let answer = http::post_json(&self.url("/v1/sites"), &[("authorization", &auth)], &body)?;
        anyhow::ensure!(answer.status == 201, "site not created: {} {}", answer.status, answer.body);
        let json = answer.json();
        Ok(TestSite {
            id: json["id"].as_str().unwrap_or_default().to_owned(),
            owner_key: json["owner_key"].as_str().unwrap_or_default().to_owned(),
        })
    }

    /// Submits feedback as a browser on an allowed origin would.
    pub fn submit(&self, site: &TestSite, body: &Value) -> Result<Answer> {
        http::post_json(
            &self.url(&format!("/v1/sites/{}/feedback", site.id)),
            &[("origin", &self.worker.base_url)],
            body,
        )
    }

    /// Every entry of a site through the owner API.
    pub fn entries(&self, site: &TestSite) -> Result<Vec<Value>> {
        let auth = format!("Bearer {}", site.owner_key);
        let answer =
            http::get(&self.url(&format!("/v1/sites/{}/entries?limit=100", site.id)), &[("authorization", &auth)])?;
        anyhow::ensure!(answer.status == 200, "entries: {} {}", answer.status, answer.body);
        Ok(answer.json()["entries"].as_array().cloned().unwrap_or_default())
    }
}

type TestFn = fn(&Ctx) -> Result<()>;

fn main() {
    let args = Arguments::from_args();
    let tests: Vec<(&str, TestFn)> = api::TESTS
        .iter()
        .chain(owner::TESTS)
        .chain(browser::TESTS)
        .chain(scale::TESTS)
        .chain(soak::TESTS)
        .chain(callbacks::TESTS)
        .chain(alerts::TESTS)
        .chain(contract::TESTS)
        .chain(costs::TESTS)
        .chain(hostile::TESTS)
        .chain(widget::TESTS)
        .chain(tabs::TESTS)
        .chain(summary_page::TESTS)
        .chain(inbox::TESTS)
        .chain(owner_settings::TESTS)
        .chain(a11y::TESTS)
        .chain(followup::TESTS)
        .copied()
        .collect();
    let ctx = match start() {
        Ok(ctx) => Arc::new(ctx),
        Err(err) => {
            eprintln!("could not start the end-to-end environment: {err:#}");
            std::process::exit(2);
        }
    };
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            let ctx = Arc::clone(&ctx);
            // `module_path!()` starts with this binary's own name (`e2e::`), which says nothing.
            let name = name.split_once("::").map_or(name, |(_, within)| within);
            Trial::test(name, move || test(&ctx).map_err(|err| Failed::from(format!("{err:#}"))))
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    drop(ctx);
    conclusion.exit();
}

fn start() -> Result<Ctx> {
    let persist_dir = std::env::temp_dir().join(format!("tellus-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&persist_dir);
    let port = free_port()?;
    let worker = LocalWorker::start(Options {
        port,
        persist_dir,
        own_process_group: true,
        expose_kv_ops: true,
        log_kv_writes: false,
        log: Some(paths::artifacts().join("wrangler-e2e.log")),
    })?;
    let driver = Chromedriver::start()?;
    Ok(Ctx { worker, driver })
}
