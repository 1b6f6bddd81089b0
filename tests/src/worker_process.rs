//! A real local Worker: `wrangler dev --local` (workerd with on-disk KV) on a free loopback port.
//!
//! The Worker must already be built (`cargo xtask` builds before it starts anything: a wrangler
//! `[build]` step would build twice, and assets added after start are not served).

use crate::http;
use crate::paths;
use anyhow::{Context, Result, bail};
use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tellus_core::protocol::{
    ALLOW_LOOPBACK_CALLBACKS, ALLOW_TEST_CLOCK, CALLBACK_TIMEOUT_MS, EXPOSE_KV_OPS, LOG_KV_WRITES, MAIL_FROM,
};

/// Operator token the test and dev Workers accept for `POST /v1/sites`.
pub const ADMIN_TOKEN: &str = "local-admin-token";

/// The sender address of local Workers' emails (wrangler writes them to files, sends nothing).
pub const LOCAL_MAIL_FROM: &str = "feedback@tellus.test";

/// Receiver timeout of local Workers (production: 15 s).
pub const LOCAL_CALLBACK_TIMEOUT_MS: u64 = 3_000;

/// How to start a Worker.
pub struct Options {
    pub port: u16,
    pub persist_dir: PathBuf,
    /// Own process group: the harness can stop wrangler and workerd together. `cargo xtask dev`
    /// leaves this off so Ctrl-C in the terminal reaches them directly.
    pub own_process_group: bool,
    pub expose_kv_ops: bool,
    /// Log every KV write and delete with its key (`LOG_KV_WRITES=1`; the soak counts them).
    pub log_kv_writes: bool,
    pub log: Option<PathBuf>,
}

/// A running local Worker; dropping it stops wrangler and workerd.
pub struct LocalWorker {
    pub base_url: String,
    pub port: u16,
    pub persist_dir: PathBuf,
    child: Option<Child>,
    own_process_group: bool,
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Checks that the build outputs the Worker serves exist.
pub fn check_built() -> Result<()> {
    let root = paths::root();
    for file in ["worker/build/worker/shim.mjs", "target/site/tellus.js", "node_modules/wrangler/bin/wrangler.js"] {
        if !root.join(file).exists() {
            bail!("{file} is missing: run `cargo xtask test` (it installs and builds everything first)");
        }
    }
    Ok(())
}

impl LocalWorker {
    /// Starts a Worker and waits until it answers `GET /v1/health`.
    pub fn start(options: Options) -> Result<LocalWorker> {
        check_built()?;
        let mut cmd = Command::new("node");
        cmd.arg(paths::wrangler_js())
            .args(["dev", "--local", "--ip", "127.0.0.1", "--port", &options.port.to_string()])
            .args(["--test-scheduled", "--show-interactive-dev-session=false", "--persist-to"])
            .arg(&options.persist_dir)
            .args(["--var", &format!("ADMIN_TOKEN:{ADMIN_TOKEN}")])
            // Local Workers only (dev and tests): callbacks may go to a receiver on loopback,
            // the test clock can be moved, and a receiver gets a short timeout so the timeout
            // test takes seconds. Production sets none of these.
            .args(["--var", &format!("{ALLOW_LOOPBACK_CALLBACKS}:1"), "--var", &format!("{ALLOW_TEST_CLOCK}:1")])
            .args(["--var", &format!("{CALLBACK_TIMEOUT_MS}:{LOCAL_CALLBACK_TIMEOUT_MS}")])
            // The customer's follow-up emails: locally wrangler only writes them to files.
            .args(["--var", &format!("{MAIL_FROM}:{LOCAL_MAIL_FROM}")])
            .current_dir(paths::worker_dir())
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        if options.expose_kv_ops {
            cmd.args(["--var", &format!("{EXPOSE_KV_OPS}:1")]);
        }
        if options.log_kv_writes {
            cmd.args(["--var", &format!("{LOG_KV_WRITES}:1")]);
        }
        match &options.log {
            Some(path) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                let file = File::create(path)?;
                cmd.stdout(file.try_clone()?).stderr(file);
            }
            None => {
                cmd.stdout(Stdio::inherit()).stderr(Stdio::inherit());
            }
        }
        if options.own_process_group {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let child = cmd.spawn().context("starting wrangler dev (is Node installed?)")?;
        let mut worker = LocalWorker {
            base_url: format!("http://127.0.0.1:{}", options.port),
            port: options.port,
            persist_dir: options.persist_dir,
            child: Some(child),
            own_process_group: options.own_process_group,
        };
        worker.wait_ready(options.log.as_deref())?;
        Ok(worker)
    }

    fn wait_ready(&mut self, log: Option<&Path>) -> Result<()> {
        let health = format!("{}/v1/health", self.base_url);
        let ready = crate::poll("the local Worker to answer", Duration::from_secs(90), || {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                return Some(Err(status));
            }
            match http::get(&health, &[]) {
                Ok(answer) if answer.status == 200 => Some(Ok(())),
                _ => None,
            }
        });
        let log_hint = log.map(|p| format!(" (log: {})", p.display())).unwrap_or_default();
        match ready {
            Ok(Ok(())) => Ok(()),
            Ok(Err(status)) => {
                bail!("wrangler dev exited with {status} before answering{log_hint}")
            }
            Err(err) => bail!("{err}{log_hint}"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Waits for wrangler to exit on its own (used by `cargo xtask dev` until Ctrl-C).
    pub fn wait(&mut self) -> Result<()> {
        if let Some(mut child) = self.child.take() {
            child.wait()?;
        }
        Ok(())
    }

    /// Kills wrangler and workerd at once (SIGKILL to the process group), as a crash or a lost
    /// machine would: nothing gets to finish what it was doing.
    pub fn kill(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        let target = if self.own_process_group { format!("-{}", child.id()) } else { child.id().to_string() };
        let _ = Command::new("kill").args(["-s", "KILL", "--", &target]).stderr(Stdio::null()).status();
        let _ = child.kill();
        let _ = crate::poll("wrangler to be killed", Duration::from_secs(10), || child.try_wait().ok().flatten());
    }

    /// Stops wrangler and workerd: SIGTERM to the process group (or wrangler alone), SIGKILL if
    /// they are still there after 10 s. Never waits without a deadline.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        let target = if self.own_process_group { format!("-{}", child.id()) } else { child.id().to_string() };
        let signal = |name: &str| {
            let _ = Command::new("kill").args(["-s", name, "--", &target]).stderr(Stdio::null()).status();
        };
        signal("TERM");
        let deadline = Duration::from_secs(10);
        if crate::poll("wrangler to stop", deadline, || child.try_wait().ok().flatten()).is_err() {
            signal("KILL");
            let _ = child.kill();
            let _ = crate::poll("wrangler to be killed", deadline, || child.try_wait().ok().flatten());
        }
    }
}

impl Drop for LocalWorker {
    fn drop(&mut self) {
        self.stop();
    }
}
