//! `cargo xtask`: the project's two set-up commands and their helpers.
//!
//! - `cargo xtask dev`: install what is missing, build everything, start the Worker locally with
//!   a demo site, print the URLs; Ctrl-C stops it.
//! - `cargo xtask test`: install what is missing, build, then fmt, clippy, native tests, and the
//!   end-to-end suite (real Worker, real Chromium).
//! - `cargo xtask build`: install and build only (prints the sizes).
//! - `cargo xtask bench [--quick]`: measure what tellus costs (see `bench.rs`); writes `BENCHMARKS.md`.
//!   `cargo xtask bench --host-page [--quick] [--throttle N] [--profile]` measures only the host page and
//!   the first open (and keeps their traces), for widget work; it writes no `BENCHMARKS.md`.
//! - `cargo xtask soak`: the load-with-faults run at full size (2,000 submissions).
//! - `cargo xtask fuzz [--seconds N]`: run the cargo-fuzz targets (nightly) for N seconds each.

mod bench;
mod build;
mod deploy;
mod dev;
mod fuzz;
mod install;
mod sizes;

use anyhow::{Result, bail};
use std::path::Path;
use std::process::Command;

fn main() {
    if let Err(err) = run() {
        eprintln!("xtask: {err:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dev") => dev::run(),
        Some("test") => test(),
        Some("bench") => bench::run(bench::Plan::from_args(&args[1..])?, true),
        Some("build") => {
            install::ensure_build_tools()?;
            build::all()
        }
        Some("soak") => soak(),
        Some("fuzz") => fuzz::run(fuzz::seconds_arg(&args, 60)?),
        _ => bail!(
            "usage: cargo xtask <dev|test|build|bench [--quick] [--host-page [--throttle N] [--profile]]|soak|fuzz [--seconds N]>"
        ),
    }
}

/// Seconds each fuzz target runs inside `cargo xtask test`.
const FUZZ_SMOKE_SECONDS: u32 = 10;

/// Every check, in order of cost, stopping at the first failure.
fn test() -> Result<()> {
    let started = std::time::Instant::now();
    install::ensure_build_tools()?;
    install::ensure_browser()?;
    step("cargo fmt --check", cargo(&["fmt", "--all", "--check"]))?;
    step("cargo fmt --check (fuzz targets)", cargo(&["fmt", "--check", "--manifest-path", "fuzz/Cargo.toml"]))?;
    step("clippy (native crates)", cargo(&["clippy", "--all-targets", "--locked", "--", "-D", "warnings"]))?;
    step(
        "clippy (wasm crates)",
        cargo(&[
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "tellus-widget",
            "-p",
            "tellus-worker",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // Core runs every target (unit tests and the hostile-input proptests); the widget's reducer
    // and storage format and the harness's own helpers run natively as unit tests.
    step(
        "native tests: core and the owner pages",
        cargo(&["test", "-p", "tellus-core", "-p", "tellus-page", "--locked"]),
    )?;
    step(
        "native tests: widget and harness",
        cargo(&["test", "-p", "tellus-widget", "-p", "tellus-tests", "--lib", "--locked"]),
    )?;
    build::all()?;
    println!("\n==> wrangler deploy --dry-run (bundle, bindings, migrations)");
    deploy::dry_run()?;
    step(
        "end-to-end tests (local Worker + Chromium)",
        cargo(&["test", "-p", "tellus-tests", "--test", "e2e", "--locked"]),
    )?;
    // A short run per target keeps the fuzz targets building and catches shallow crashes;
    // `cargo xtask fuzz --seconds N` runs longer.
    fuzz::run(FUZZ_SMOKE_SECONDS)?;
    // One quick iteration of every measurement, so `cargo xtask bench` cannot rot.
    println!("\n==> bench --quick (smoke run of cargo xtask bench)");
    bench::run(bench::Plan::new(true), false)?;
    println!("\nall checks passed in {:.0?}", started.elapsed());
    Ok(())
}

/// The long load-with-faults run: 2,000 submissions (CI runs 300 inside the e2e suite).
fn soak() -> Result<()> {
    install::ensure_build_tools()?;
    build::all()?;
    let mut cmd = cargo(&["test", "-p", "tellus-tests", "--test", "e2e", "--locked", "--", "soak::", "--nocapture"]);
    cmd.env("TELLUS_SOAK_SUBMISSIONS", "2000");
    step("soak: 2,000 submissions with a flapping receiver and a Worker restart", cmd)
}

fn step(name: &str, cmd: Command) -> Result<()> {
    println!("\n==> {name}");
    run_cmd(cmd)
}

/// A `cargo` command in the workspace root.
pub fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).current_dir(root());
    cmd
}

/// Runs a command, failing with its name if it fails.
pub fn run_cmd(mut cmd: Command) -> Result<()> {
    let status = cmd.status().map_err(|err| anyhow::anyhow!("could not run {cmd:?}: {err}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// Runs a command and returns its stdout, or `None` if it cannot run or fails.
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn root() -> std::path::PathBuf {
    tellus_tests::paths::root()
}

pub fn exists(path: &Path) -> bool {
    path.exists()
}
