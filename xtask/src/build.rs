//! Release builds of the widget (WASM app + loader), the static site and the Worker.
//!
//! Output: `target/site/` is what Workers Static Assets serves (`tellus.js`, `w/` with the app,
//! and everything in `www/`); `worker/build/` is the Worker bundle wrangler runs.

use crate::install::cargo_bin;
use crate::{cargo, root, run_cmd, sizes};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// wasm-opt features: what rustc's wasm32 target emits by default, nothing newer.
const WASM_FEATURES: &[&str] = &[
    "--enable-mutable-globals",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-bulk-memory",
    "--enable-multivalue",
    "--enable-reference-types",
];

pub fn site_dir() -> PathBuf {
    root().join("target/site")
}

fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

/// Builds everything and prints the sizes (failing if a budget is exceeded).
pub fn all() -> Result<()> {
    let site = site_dir();
    std::fs::create_dir_all(site.join("w"))?;
    copy_www(&site)?;
    widget_app(&site)?;
    loader(&site)?;
    worker()?;
    sizes::report(&site)
}

fn copy_www(site: &Path) -> Result<()> {
    for entry in std::fs::read_dir(root().join("www"))? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), site.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// The Yew app: cargo → wasm-bindgen (`--target web`) → wasm-opt -Oz → minified glue.
fn widget_app(site: &Path) -> Result<()> {
    println!("\n==> building the widget app (release, {WASM_TARGET})");
    run_cmd(cargo(&["build", "--release", "--locked", "--target", WASM_TARGET, "-p", "tellus-widget"]))?;
    let out = site.join("w");
    let mut bindgen = Command::new(cargo_bin("wasm-bindgen"));
    bindgen
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&out)
        .arg(root().join("target").join(WASM_TARGET).join("release/tellus_widget.wasm"));
    run_cmd(bindgen)?;
    let wasm = out.join("tellus_widget_bg.wasm");
    let mut opt = Command::new(node_bin("wasm-opt"));
    opt.arg("-Oz").args(WASM_FEATURES).arg(&wasm).arg("-o").arg(&wasm);
    run_cmd(opt)?;
    let glue = out.join("tellus_widget.js");
    minify_js(&glue, &glue, "esm")
}

fn minify_js(input: &Path, output: &Path, format: &str) -> Result<()> {
    let mut cmd = Command::new(node_bin("esbuild"));
    cmd.arg(input)
        .args(["--minify", "--target=es2020", "--log-level=warning", "--allow-overwrite"])
        .arg(format!("--format={format}"))
        .arg(format!("--outfile={}", output.display()));
    run_cmd(cmd)
}

/// The loader: `widget/loader.js` with `widget/widget.css` embedded, minified to `tellus.js`.
fn loader(site: &Path) -> Result<()> {
    println!("\n==> building the loader");
    let widget = root().join("widget");
    let css_out = root().join("target/widget.min.css");
    let mut css = Command::new(node_bin("esbuild"));
    css.arg(widget.join("widget.css"))
        .args(["--minify", "--log-level=warning"])
        .arg(format!("--outfile={}", css_out.display()));
    run_cmd(css)?;
    let css = std::fs::read_to_string(&css_out)?.trim().to_owned();
    let css_literal = serde_json::to_string(&css)?;
    let source = std::fs::read_to_string(widget.join("loader.js")).context("reading widget/loader.js")?;
    let with_css = if source.contains("\"__TELLUS_CSS__\"") {
        source.replace("\"__TELLUS_CSS__\"", &css_literal)
    } else if source.contains("'__TELLUS_CSS__'") {
        source.replace("'__TELLUS_CSS__'", &css_literal)
    } else {
        anyhow::bail!("widget/loader.js has no '__TELLUS_CSS__' placeholder for the stylesheet");
    };
    let staged = root().join("target/loader.with-css.js");
    std::fs::write(&staged, with_css)?;
    minify_js(&staged, &site.join("tellus.js"), "iife")
}

/// The Worker bundle, through worker-build with local tools (it would otherwise download them).
fn worker() -> Result<()> {
    println!("\n==> building the Worker (release)");
    let mut cmd = Command::new(cargo_bin("worker-build"));
    cmd.arg("--release")
        .current_dir(root().join("worker"))
        .env("WASM_BINDGEN_BIN", cargo_bin("wasm-bindgen"))
        .env("WASM_OPT_BIN", node_bin("wasm-opt"))
        .env("ESBUILD_BIN", node_bin("esbuild"));
    run_cmd(cmd)
}
