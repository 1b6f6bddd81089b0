//! `cargo xtask fuzz [--seconds N]`: runs every cargo-fuzz target (libFuzzer, nightly) for a
//! bounded time. `cargo xtask test` runs it briefly so the targets cannot rot; longer runs are
//! for developers. Crashes land in `fuzz/artifacts/` and fail the command.

use crate::install::cargo_bin;
use crate::{output_of, root, run_cmd};
use anyhow::{Result, bail};
use std::process::Command;

pub const CARGO_FUZZ_VERSION: &str = "0.13.2";
pub const TARGETS: [&str; 2] = ["submission", "site_settings"];

/// Nightly (installed on this kind of machine) and cargo-fuzz at the pinned version.
pub fn ensure_tools() -> Result<()> {
    let toolchains = output_of("rustup", &["toolchain", "list"]).unwrap_or_default();
    if !toolchains.lines().any(|line| line.starts_with("nightly")) {
        println!("==> installing the nightly toolchain (cargo-fuzz needs it)");
        let mut cmd = Command::new("rustup");
        cmd.args(["toolchain", "install", "nightly", "--profile", "minimal"]);
        run_cmd(cmd)?;
    }
    let version = output_of(&cargo_bin("cargo-fuzz").to_string_lossy(), &["--version"]).unwrap_or_default();
    if !version.contains(CARGO_FUZZ_VERSION) {
        println!("==> installing cargo-fuzz {CARGO_FUZZ_VERSION} from crates.io");
        let mut cmd = Command::new("cargo");
        cmd.args(["install", "--locked", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION]);
        run_cmd(cmd)?;
    }
    Ok(())
}

/// Runs each target for `seconds`.
pub fn run(seconds: u32) -> Result<()> {
    ensure_tools()?;
    for target in TARGETS {
        println!("\n==> fuzzing {target} for {seconds} s");
        let corpus = root().join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        let mut cmd = Command::new("cargo");
        cmd.args(["+nightly", "fuzz", "run", target])
            .arg(&corpus)
            .args(["--", &format!("-max_total_time={seconds}"), "-max_len=4096"])
            .current_dir(root().join("fuzz"));
        if run_cmd(cmd).is_err() {
            bail!("fuzz target {target} found a crash: see fuzz/artifacts/{target}/");
        }
    }
    Ok(())
}

/// `--seconds N` from the command line, or the default.
pub fn seconds_arg(args: &[String], default: u32) -> Result<u32> {
    match args.iter().position(|a| a == "--seconds") {
        None => Ok(default),
        Some(i) => match args.get(i + 1).and_then(|n| n.parse().ok()) {
            Some(n) if n > 0 => Ok(n),
            _ => bail!("--seconds takes a whole number of seconds"),
        },
    }
}
