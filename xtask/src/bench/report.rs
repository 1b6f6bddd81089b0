//! The bench's results: statistics over runs, the rows of the table, the machine they were
//! measured on, and the two renderings (terminal table and `BENCHMARKS.md`).

use super::Plan;
use serde_json::{Value, json};
use std::time::Duration;

/// Median, min and max of some runs.
#[derive(Clone, Copy, Debug)]
pub struct Stat {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub runs: usize,
}

impl Stat {
    /// `None` when there are no values.
    pub fn of(values: &[f64]) -> Option<Stat> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
        Some(Stat { median, min: sorted[0], max: sorted[n - 1], runs: n })
    }

    pub fn json(stat: Option<Stat>) -> Value {
        stat.map(|s| json!({"median": s.median, "min": s.min, "max": s.max, "runs": s.runs})).unwrap_or(Value::Null)
    }
}

/// One line of the table.
#[derive(Clone, Debug)]
pub struct Row {
    pub section: String,
    pub what: String,
    pub value: String,
    /// `min – max (n runs)`, empty for deterministic facts.
    pub range: String,
    pub note: String,
}

impl Row {
    /// A deterministic figure (bytes, counts): no range.
    pub fn fact(section: &str, what: &str, value: &str, note: &str) -> Row {
        Row { section: section.into(), what: what.into(), value: value.into(), range: String::new(), note: note.into() }
    }

    /// A measured figure: the median as the value, min–max as the range.
    pub fn stat(section: &str, what: &str, stat: Option<Stat>, unit: &str, note: &str) -> Row {
        let (value, range) = match stat {
            Some(s) => (
                format!("{} {unit}", fmt(s.median)),
                format!("{} – {} ({} run{})", fmt(s.min), fmt(s.max), s.runs, if s.runs == 1 { "" } else { "s" }),
            ),
            None => ("n/a".into(), String::new()),
        };
        Row { section: section.into(), what: what.into(), value, range, note: note.into() }
    }
}

/// A number with precision that suits its size.
pub fn fmt(value: f64) -> String {
    let abs = value.abs();
    if abs >= 100.0 {
        format!("{value:.0}")
    } else if abs >= 10.0 {
        format!("{value:.1}")
    } else if abs >= 0.1 || abs == 0.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.4}")
    }
}

/// Everything one run measured.
pub struct Report {
    pub rows: Vec<Row>,
    /// Whole Markdown sections after the table (the cost tables, `costs.rs`).
    pub sections: Vec<String>,
    pub machine: Value,
    pub raw: Value,
}

fn first_line_with(text: &str, prefix: &str) -> Option<String> {
    text.lines().find(|l| l.starts_with(prefix)).and_then(|l| l.split(':').nth(1)).map(|v| v.trim().to_owned())
}

impl Report {
    pub fn new(plan: Plan) -> Report {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_gb = first_line_with(&meminfo, "MemTotal")
            .and_then(|v| v.trim_end_matches("kB").trim().parse::<f64>().ok())
            .map(|kb| format!("{:.1} GB", kb / 1_048_576.0))
            .unwrap_or_else(|| "unknown".into());
        let output = |program: &str, args: &[&str]| crate::output_of(program, args).map(|s| s.trim().to_owned());
        let machine = json!({
            "cpu": first_line_with(&cpuinfo, "model name").unwrap_or_else(|| "unknown".into()),
            "nproc": output("nproc", &[]).unwrap_or_default(),
            "memory": mem_gb,
            "load_average_at_start": std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().take(3).collect::<Vec<_>>().join(" "),
            "date": output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default(),
            "commit": output("git", &["-C", &crate::root().to_string_lossy(), "rev-parse", "--short", "HEAD"]).unwrap_or_default(),
            "chromium": output(tellus_tests::webdriver::CHROMIUM, &["--version"]).unwrap_or_default(),
            "command": if plan.quick { "cargo xtask bench --quick" } else { "cargo xtask bench" },
        });
        Report { rows: Vec::new(), sections: Vec::new(), machine, raw: json!({}) }
    }

    pub fn rows_json(&self) -> Value {
        self.rows
            .iter()
            .map(|r| json!({"section": r.section, "what": r.what, "value": r.value, "range": r.range, "note": r.note}))
            .collect()
    }

    pub fn push(&mut self, row: Row) {
        println!("    {:<52} {:>16}  {}", row.what, row.value, row.range);
        self.rows.push(row);
    }

    /// Adds a Markdown section (printed now, and written after the table).
    pub fn push_section(&mut self, markdown: String) {
        println!("\n{markdown}");
        self.sections.push(markdown);
    }

    pub fn finish(&mut self, elapsed: Duration) {
        self.machine["duration"] = json!(format!("{:.0} s", elapsed.as_secs_f64()));
        self.machine["load_average_at_end"] = json!(
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
    }

    /// The table as Markdown (readable in a terminal too).
    pub fn table(&self) -> String {
        let mut out = String::from("| | measure | median | min – max | note |\n|---|---|---|---|---|\n");
        let mut last = "";
        for row in &self.rows {
            let section = if row.section == last { "" } else { row.section.as_str() };
            last = &row.section;
            out.push_str(&format!("| {section} | {} | {} | {} | {} |\n", row.what, row.value, row.range, row.note));
        }
        out
    }

    /// `BENCHMARKS.md`: how it was measured, the table, the machine.
    pub fn markdown(&self, table: &str) -> String {
        let m = &self.machine;
        let s = |key: &str| m[key].as_str().unwrap_or_default().to_owned();
        format!(
            "# Benchmarks\n\n\
             What tellus costs a host page, a Worker and an owner, measured by `{command}` on {date} \
             (commit `{commit}`, {duration}). Regenerate with the same command; raw numbers land in \
             `target/bench/`.\n\n\
             How: release builds; the Worker is the real one in workerd (`wrangler dev --local`, a fresh \
             KV); the browser is headless {chromium} with 4× CPU throttling. Each figure is the median \
             of several runs, with min and max; ratios compare runs taken side by side in the same \
             session, so they survive a noisy machine better than absolute figures do. Latencies are \
             loopback, through wrangler's local proxy: compare them with each other (the trivial \
             route is the baseline), not with production.\n\n\
             {table}\n\
             {sections}\n\
             ## Machine\n\n\
             - CPU: {cpu} ({nproc} cores seen by `nproc`), memory {memory}\n\
             - Load average at start {load_start}, at end {load_end}{shared}\n\n\
             ## Notes\n\n\
             - Core hot paths run natively (x86-64) through criterion as a stand-in for the Worker's \
             CPU per request, built with the workspace's size-tuned release profile (`opt-level = \"z\"`, \
             as shipped). In workerd they run as WebAssembly, which is slower than native code; even \
             10× slower, each stays under 1 ms of the free plan's 10 ms.\n\
             {cost_notes}\
             - Host-page figures come from `www/bench.html` (served as a static asset) plain, with the \
             tellus script tag, and with each peer's bundle, added by `www/bench.js`, which every \
             variant loads. The peers are built by the bench from their pinned npm packages \
             (`www/bench-peers/`, esbuild) and served from the local Worker, never from a CDN. \
             The dialog is found interactive in an animation frame after the click, never inside \
             the click's task (the check's forced style pass would count as the widget's), by \
             functions already run once at load (none is compiled on the click). The bench's own \
             commands to the page (where to click, waiting for the dialog and for a quiet page, \
             what was downloaded) mark themselves, and the tasks that ran them are counted for no \
             widget.\n",
            sections = self.sections.join("\n"),
            cost_notes = super::costs::NOTES,
            command = s("command"),
            date = s("date"),
            commit = s("commit"),
            duration = s("duration"),
            chromium = s("chromium"),
            cpu = s("cpu"),
            nproc = s("nproc"),
            memory = s("memory"),
            load_start = s("load_average_at_start"),
            load_end = s("load_average_at_end"),
            shared = shared_note(&s("load_average_at_start"), &s("nproc")),
        )
    }
}

/// What the one-minute load average at the start (`load`, as `/proc/loadavg` has it) says about
/// the run, given the number of cores: above it, other work shared the machine.
fn shared_note(load: &str, cores: &str) -> &'static str {
    let busy = load.split_whitespace().next().and_then(|l| l.parse::<f64>().ok());
    match (busy, cores.trim().parse::<f64>()) {
        (Some(busy), Ok(cores)) if busy <= cores => {
            ": nothing else heavy ran beside the bench (its own Worker and browser make most of that load)."
        }
        _ => ": the machine was shared with other work while this ran, so absolute times are pessimistic.",
    }
}
