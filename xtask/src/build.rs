//! Release builds of the widget (WASM app + loader), the static site and the Worker.
//!
//! Output: `target/site/` is what Workers Static Assets serves (`tellus.js`, `w/` with the app,
//! and everything in `www/`); `worker/build/` is the Worker bundle wrangler runs.

use crate::install::cargo_bin;
use crate::{root, run_cmd, sizes};
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use tellus_core::widget_strings;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// wasm-opt's size passes, repeated until they stop shrinking the module (`--converge`: 142
/// bytes brotli more than one round; `-Os` and `-O3` came out within 60 bytes of `-Oz`).
/// `--flatten --rereloop` first rebuilds each function's control flow from scratch, which `-Oz`
/// then folds tighter (246 bytes brotli); `--gufa` and `--generate-global-effects` did not pay.
///
/// Two facts of our module let `-Oz` do more: `--zero-filled-memory` (the memory is the module's
/// own, not imported, so it starts zeroed and zero bytes of data segments need not be written)
/// and `--low-memory-unused` (addresses below 1,024 are never used: rustc's wasm32 target puts
/// the stack first, growing down from 1 MiB, and data above it, so an offset can be folded into
/// a load or store's constant). Together with a last `-Oz` after the names are shortened:
/// measured below (`docs/widget-size.md`). `--traps-never-happen` would shrink it further but
/// turns every panic (an `unreachable` trap with `immediate-abort`) into undefined behaviour; not
/// taken.
const WASM_OPT_FLAGS: &[&str] =
    &["--low-memory-unused", "--zero-filled-memory", "--flatten", "--rereloop", "-Oz", "--converge"];
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
    site()?;
    worker()?;
    sizes::report(&site_dir())
}

/// Builds what a browser is served (the static files, the widget app, the loader) and prints
/// the sizes, and the Worker only if it was never built: for `cargo xtask bench --host-page`,
/// which measures widget work (after changing the Worker, `cargo xtask build` rebuilds it).
pub fn site_and_missing_worker() -> Result<()> {
    site()?;
    if !root().join("worker/build/index.js").exists() {
        worker()?;
    }
    sizes::report(&site_dir())
}

fn site() -> Result<()> {
    let site = site_dir();
    std::fs::create_dir_all(site.join("w"))?;
    copy_www(&site)?;
    widget_app(&site)?;
    loader(&site)
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

/// Where the widget is compiled: its own target directory, because it is built with the nightly
/// toolchain and its own RUSTFLAGS, which would otherwise evict the stable artifacts (Worker,
/// tests, clippy) from `target/` on every build, and those from it.
pub fn widget_target_dir() -> PathBuf {
    root().join("target/widget")
}

/// The Yew app: cargo (nightly, std rebuilt for size) → wasm-bindgen (`--target web`) →
/// wasm-opt -Oz → minified glue.
fn widget_app(site: &Path) -> Result<()> {
    println!("\n==> building the widget app (release, {WASM_TARGET}, nightly with -Zbuild-std)");
    // Rebuilding std with the app lets LTO drop what the app never calls, and the
    // `immediate-abort` panic strategy drops panic messages, locations and formatting from
    // every panic path (measured: 12.6 KB brotli of 90.9 KB). `cargo` here is rustup's proxy:
    // `+nightly` picks the toolchain `install::ensure_nightly_for_widget` put in place.
    let mut build = Command::new("cargo");
    build
        .args(["+nightly", "build", "--release", "--locked", "--target", WASM_TARGET, "-p", "tellus-widget"])
        .arg("-Zbuild-std=std,panic_abort")
        .env("RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort")
        .env("CARGO_TARGET_DIR", widget_target_dir())
        .current_dir(root());
    run_cmd(build)?;
    let out = site.join("w");
    let mut bindgen = Command::new(cargo_bin("wasm-bindgen"));
    bindgen
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&out)
        .arg(widget_target_dir().join(WASM_TARGET).join("release/tellus_widget.wasm"));
    run_cmd(bindgen)?;
    let wasm = out.join("tellus_widget_bg.wasm");
    let mut opt = Command::new(node_bin("wasm-opt"));
    opt.args(WASM_OPT_FLAGS).args(WASM_FEATURES).arg(&wasm).arg("-o").arg(&wasm);
    run_cmd(opt)?;
    let glue = out.join("tellus_widget.js");
    short_names(&wasm, &glue)?;
    minify_module(&glue, &glue)?;
    // V8's explicit compile hint (Chrome 136+; other engines read a comment): every function
    // of the glue is compiled eagerly, off the main thread while the file streams in, instead
    // of lazily on the main thread the first time each runs, which they all do on the first
    // open. Measured (`cargo xtask bench --host-page`, a click as the pointer arrives, 7 runs):
    // JavaScript compilation on the main thread 30–34 ms → 2–8 ms, for 21 bytes of brotli.
    let minified = std::fs::read_to_string(&glue)?;
    std::fs::write(&glue, format!("//# allFunctionsCalledOnLoad\n{minified}"))?;
    string_tables(&out)
}

/// The module the glue gives the wasm its imports under, as wasm-bindgen names it.
const GLUE_MODULE: &str = "./tellus_widget_bg.js";

/// Renames the wasm's imports, exports and import module to a letter or two
/// (`wasm-opt --minify-imports-and-exports-and-modules`) and the glue to match. wasm-bindgen
/// names each of the ~120 imports after its JS function plus a 16-digit hash, written once in
/// the wasm and once in the glue: hashes are noise to brotli (measured: 2.2 KB of the wasm's
/// brotli and 1.1 KB of the glue's). The glue is rewritten token by token, before esbuild: an
/// import's name is an object key, written once; an export is read as `wasm.NAME`. Anything
/// else (another count, another module string) stops the build rather than ship a mismatch.
fn short_names(wasm: &Path, glue: &Path) -> Result<()> {
    let mut opt = Command::new(node_bin("wasm-opt"));
    // The last pass over the module also drops the two custom sections no browser reads (which
    // tools built it, which features it uses): 222 bytes of brotli.
    opt.args(["--minify-imports-and-exports-and-modules", "--strip-producers", "--strip-target-features"])
        // Shorter names change what `-Oz` finds worth inlining and merging: one more round.
        .args(["--low-memory-unused", "--zero-filled-memory", "-Oz"])
        .args(WASM_FEATURES)
        .arg(wasm)
        .arg("-o")
        .arg(wasm);
    let output = opt.output().context("running wasm-opt")?;
    anyhow::ensure!(output.status.success(), "wasm-opt --minify-imports-and-exports-and-modules failed");
    // wasm-opt prints the mapping: {"imports": [[module, old, new], …], "exports": [[old, new], …]}.
    let mapping: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("reading wasm-opt's mapping of minified names")?;
    let pairs = |key: &str, old: usize, new: usize| -> Result<HashMap<String, String>> {
        let list = mapping[key].as_array().with_context(|| format!("no {key} in wasm-opt's mapping"))?;
        list.iter()
            .map(|entry| match (entry[old].as_str(), entry[new].as_str()) {
                (Some(old), Some(new)) => Ok((old.to_owned(), new.to_owned())),
                _ => anyhow::bail!("unexpected entry in wasm-opt's mapping: {entry}"),
            })
            .collect()
    };
    let imports = pairs("imports", 1, 2)?;
    let exports = pairs("exports", 0, 1)?;
    let modules = mapping["imports"].as_array().into_iter().flatten().filter_map(|entry| entry[0].as_str());
    anyhow::ensure!(modules.into_iter().all(|module| module == GLUE_MODULE), "the wasm imports from another module");
    let module = first_import_module(&std::fs::read(wasm)?).context("reading the minified wasm's import module")?;

    let source = std::fs::read_to_string(glue)?;
    let quoted_module = format!("\"{GLUE_MODULE}\"");
    anyhow::ensure!(source.matches(&quoted_module).count() == 1, "the glue names {GLUE_MODULE} other than once");
    let source = source.replace(&quoted_module, &format!("\"{module}\""));
    let (renamed, import_uses) = rename_tokens(&source, &imports, &exports);
    if let Some((name, uses)) =
        imports.keys().map(|name| (name, import_uses.get(name).copied().unwrap_or(0))).find(|(_, uses)| *uses != 1)
    {
        anyhow::bail!("the glue names import {name} {uses} times, not once");
    }
    std::fs::write(glue, renamed)?;
    Ok(())
}

/// `source` with each import name (a whole token not read from `wasm.`) and each export read as
/// `wasm.NAME` renamed, and how often each import name was found.
fn rename_tokens(
    source: &str,
    imports: &HashMap<String, String>,
    exports: &HashMap<String, String>,
) -> (String, HashMap<String, usize>) {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(source.len());
    let mut uses = HashMap::new();
    let mut rest = source;
    while let Some(start) = rest.find(is_word) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let end = from.find(|c: char| !is_word(c)).unwrap_or(from.len());
        let (token, after) = from.split_at(end);
        let read_from_wasm = out.ends_with("wasm.") && !out[..out.len() - 5].ends_with(is_word);
        let renamed = if read_from_wasm {
            exports.get(token)
        } else {
            let renamed = imports.get(token);
            if renamed.is_some() {
                *uses.entry(token.to_owned()).or_insert(0) += 1;
            }
            renamed
        };
        out.push_str(renamed.map_or(token, String::as_str));
        rest = after;
    }
    out.push_str(rest);
    (out, uses)
}

/// The module name of the first import in a wasm binary (all of ours share one).
fn first_import_module(wasm: &[u8]) -> Option<String> {
    fn leb(bytes: &[u8], at: &mut usize) -> Option<usize> {
        let mut value = 0_usize;
        for shift in (0..35).step_by(7) {
            let byte = *bytes.get(*at)?;
            *at += 1;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
    let mut at = 8; // magic and version
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at)?;
        if id == 2 {
            let mut entry = at;
            leb(wasm, &mut entry)?; // the number of imports
            let len = leb(wasm, &mut entry)?;
            return String::from_utf8(wasm.get(entry..entry + len)?.to_vec()).ok();
        }
        at += size;
    }
    None
}

/// `w/lang/{lang}.txt` for every language, one string a line (`tellus_core::widget_strings`):
/// the app fetches its customer's.
fn string_tables(out: &Path) -> Result<()> {
    let dir = out.join("lang");
    std::fs::create_dir_all(&dir)?;
    for lang in widget_strings::LANGS {
        std::fs::write(dir.join(format!("{lang}.txt")), widget_strings::table_file(lang))?;
    }
    Ok(())
}

/// Minifies an ES module with esbuild (the app's glue; the loader goes through terser).
fn minify_module(input: &Path, output: &Path) -> Result<()> {
    let mut cmd = Command::new(node_bin("esbuild"));
    cmd.arg(input)
        .args(["--minify", "--target=es2020", "--format=esm", "--log-level=warning", "--allow-overwrite"])
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
    // terser, not esbuild: 22 bytes gzip smaller on this file. ASCII output: the Russian and
    // Arabic words as \u escapes gzip better here than as UTF-8. Two compress passes; the
    // file is an IIFE already, so nothing wraps it.
    let mut terser = Command::new(node_bin("terser"));
    terser
        .arg(&staged)
        .args(["--compress", "passes=2", "--mangle", "--ecma", "2020", "--format", "ascii_only=true", "--output"])
        .arg(site.join("tellus.js"));
    run_cmd(terser)
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
