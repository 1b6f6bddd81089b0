//! Byte sizes of what a host page downloads, measured after every release build. Sizes are
//! deterministic, so budgets are enforced here (CI fails above them).

use anyhow::{Result, bail};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Everything a host page downloads before any interaction (gzip bytes).
pub const LOADER_BUDGET_GZIP: usize = 1_500;
/// The WASM app and its JS glue plus the largest language file, what a customer fetches on first
/// open (brotli bytes). A ceiling just above what the build reaches, lowered as it shrinks,
/// never raised. Lowered from 92,000 when the app went from 90.9 KB to 69.1 KB, then to 64.7 KB,
/// 58.4 KB, 58.2 KB, and to 33.2 KB without Yew (each + 0.8–0.9 KB for the Russian strings);
/// `docs/widget-size.md` logs how.
pub const APP_BUDGET_BROTLI: usize = 34_200;

/// Raw, gzip -9 and brotli -q 11 sizes of some bytes.
pub struct Sizes {
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

fn compressed(program: &str, args: &[&str], bytes: &[u8]) -> Result<usize> {
    let mut child = Command::new(program).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    // Feed stdin from another thread while this one reads stdout: with inputs larger than a
    // pipe buffer (the Worker's wasm), writing everything first deadlocks.
    let out = std::thread::scope(|scope| {
        let stdin = child.stdin.take();
        let writer = scope.spawn(move || stdin.map(|mut pipe| pipe.write_all(bytes)).transpose());
        let out = child.wait_with_output();
        (writer.join(), out)
    });
    let (written, out) = out;
    written.map_err(|_| anyhow::anyhow!("writing to {program} panicked"))??;
    let out = out?;
    if !out.status.success() {
        bail!("{program} failed");
    }
    Ok(out.stdout.len())
}

pub fn measure(bytes: &[u8]) -> Result<Sizes> {
    Ok(Sizes {
        raw: bytes.len(),
        gzip: compressed("gzip", &["-9", "-c"], bytes)?,
        brotli: compressed("brotli", &["-q", "11", "-c"], bytes)?,
    })
}

/// Sum of sizes.
fn plus(a: &Sizes, b: &Sizes) -> Sizes {
    Sizes { raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }
}

/// The largest `w/lang/{lang}.txt` other than English (compiled into the app), with its language:
/// what a customer in another language fetches on first open besides the app.
pub fn largest_strings(site: &Path) -> Result<(String, Sizes)> {
    let mut largest = (String::new(), Sizes { raw: 0, gzip: 0, brotli: 0 });
    for entry in std::fs::read_dir(site.join("w/lang"))? {
        let path = entry?.path();
        let lang = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
        if lang == "en" {
            continue;
        }
        let sizes = measure(&std::fs::read(&path)?)?;
        if sizes.brotli > largest.1.brotli {
            largest = (lang, sizes);
        }
    }
    Ok(largest)
}

/// Prints the sizes of the loader and the app, and fails when a budget is exceeded.
pub fn report(site: &Path) -> Result<()> {
    let loader = measure(&std::fs::read(site.join("tellus.js"))?)?;
    let wasm = measure(&std::fs::read(site.join("w/tellus_widget_bg.wasm"))?)?;
    let glue = measure(&std::fs::read(site.join("w/tellus_widget.js"))?)?;
    let (lang, strings) = largest_strings(site)?;
    let app = plus(&wasm, &glue);
    let first_open = plus(&app, &strings);
    println!("\n==> sizes (bytes)            raw     gzip   brotli");
    let strings_name = format!("app strings ({lang}, largest)");
    for (name, s) in [
        ("loader tellus.js", &loader),
        ("app wasm", &wasm),
        ("app glue js", &glue),
        ("app total (English)", &app),
        (strings_name.as_str(), &strings),
        ("app first open, at most", &first_open),
    ] {
        println!("    {name:<28} {:>7}  {:>7}  {:>7}", s.raw, s.gzip, s.brotli);
    }
    println!("    budgets: loader ≤ {LOADER_BUDGET_GZIP} gzip, app first open ≤ {APP_BUDGET_BROTLI} brotli");
    if loader.gzip > LOADER_BUDGET_GZIP {
        bail!("the loader is {} bytes gzip, over its budget of {LOADER_BUDGET_GZIP}", loader.gzip);
    }
    if first_open.brotli > APP_BUDGET_BROTLI {
        bail!(
            "the app's first open is {} bytes brotli (with the {lang} strings), over its budget of {APP_BUDGET_BROTLI}",
            first_open.brotli
        );
    }
    Ok(())
}
