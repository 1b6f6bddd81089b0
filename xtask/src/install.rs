//! Installs what the build and the tests need, skipping whatever is already there at the right
//! version, so the second run costs nothing. Only package registries are used (crates.io, npm,
//! Debian): nothing downloads a prebuilt binary from elsewhere.

use crate::{cargo, output_of, root, run_cmd};
use anyhow::{Result, bail};
use std::path::PathBuf;
use std::process::Command;

pub const WASM_BINDGEN_VERSION: &str = "0.2.129";
pub const WORKER_BUILD_VERSION: &str = "0.8.7";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Rust target, wasm-bindgen CLI, worker-build, npm packages.
pub fn ensure_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_nightly_for_widget()?;
    ensure_cargo_tool(
        "wasm-bindgen",
        &format!("wasm-bindgen {WASM_BINDGEN_VERSION}"),
        &["wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION, "--no-default-features", "--bin", "wasm-bindgen"],
    )?;
    ensure_cargo_tool("worker-build", WORKER_BUILD_VERSION, &["worker-build", "--version", WORKER_BUILD_VERSION])?;
    ensure_npm_packages()?;
    if !std::path::Path::new("/usr/bin/brotli").exists() {
        ensure_debian_packages(&["brotli"])?;
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    println!("==> installing the {WASM_TARGET} Rust target");
    let mut cmd = Command::new("rustup");
    cmd.args(["target", "add", WASM_TARGET]);
    run_cmd(cmd)
}

/// The widget is built with nightly's `-Zbuild-std` (see `build::widget_app`), which needs the
/// nightly toolchain and its standard library's source (`rust-src`); both come from rustup.
fn ensure_nightly_for_widget() -> Result<()> {
    let toolchains = output_of("rustup", &["toolchain", "list"]).unwrap_or_default();
    if !toolchains.lines().any(|line| line.starts_with("nightly")) {
        println!("==> installing the nightly toolchain (the widget is built with -Zbuild-std)");
        let mut cmd = Command::new("rustup");
        cmd.args(["toolchain", "install", "nightly", "--profile", "minimal"]);
        run_cmd(cmd)?;
    }
    let components =
        output_of("rustup", &["component", "list", "--toolchain", "nightly", "--installed"]).unwrap_or_default();
    if components.lines().any(|line| line.trim() == "rust-src") {
        return Ok(());
    }
    println!("==> adding rust-src to the nightly toolchain");
    let mut cmd = Command::new("rustup");
    cmd.args(["component", "add", "rust-src", "--toolchain", "nightly"]);
    run_cmd(cmd)
}

/// Path of a binary `cargo install` put in place.
pub fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin").join(name)
}

fn ensure_cargo_tool(bin: &str, expected_version: &str, install_args: &[&str]) -> Result<()> {
    let path = cargo_bin(bin);
    let version = output_of(&path.to_string_lossy(), &["--version"]).unwrap_or_default();
    if version.contains(expected_version) {
        return Ok(());
    }
    println!("==> installing {bin} ({expected_version}) from crates.io; the first time takes minutes");
    let mut args = vec!["install", "--locked"];
    args.extend_from_slice(install_args);
    run_cmd(cargo(&args))
}

fn ensure_npm_packages() -> Result<()> {
    let root = root();
    let marker = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (std::fs::metadata(&marker), std::fs::metadata(&lock)) {
        (Ok(m), Ok(l)) => m.modified()? >= l.modified()?,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    println!("==> npm ci (wrangler, binaryen, esbuild, terser)");
    let mut cmd = Command::new("npm");
    cmd.args(["ci", "--no-audit", "--no-fund"]).current_dir(&root);
    run_cmd(cmd)
}

/// Debian's Chromium and chromedriver, and the compressors the size report uses.
pub fn ensure_browser() -> Result<()> {
    let have = |p: &str| std::path::Path::new(p).exists();
    if have(tellus_tests::webdriver::CHROMIUM) && have(tellus_tests::webdriver::CHROMEDRIVER) && have("/usr/bin/brotli")
    {
        return Ok(());
    }
    ensure_debian_packages(&["chromium", "chromium-driver", "brotli"])
}

/// Installs Debian packages with apt-get (as root, or through sudo).
pub fn ensure_debian_packages(packages: &[&str]) -> Result<()> {
    println!("==> apt-get install {}", packages.join(" "));
    let is_root = output_of("id", &["-u"]).is_some_and(|id| id.trim() == "0");
    let apt = |args: &[&str]| {
        let mut cmd = if is_root { Command::new("apt-get") } else { Command::new("sudo") };
        if !is_root {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run_cmd(apt(&["update", "-q"]))?;
    let mut args = vec!["install", "-y", "-q"];
    args.extend_from_slice(packages);
    if run_cmd(apt(&args)).is_err() {
        bail!("could not install {}: run as root or with sudo", packages.join(" "));
    }
    Ok(())
}
