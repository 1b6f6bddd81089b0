//! Reads a Chromium trace (Trace Event Format, as chromedriver collects it) of one page: the
//! renderer's main thread, its top-level tasks, and where their time went.
//!
//! Each task's time is split by what ran inside it, attributing every event's *self* time (its
//! duration less that of the events nested in it) to a phase: compiling code (JavaScript and
//! WebAssembly), instantiating WebAssembly, running script (which is where a widget's first
//! render happens: Yew's in the wasm, Preact's or plain DOM calls in JS), style recalculation,
//! layout, paint and compositing on the main thread, garbage collection, HTML parsing. Events
//! with no phase of their own (a task, a timer firing, an event dispatch) pass their self time to
//! the nearest enclosing event that has one, and a task's own overhead is `other`.

use anyhow::{Context, Result};
use serde_json::Value;

/// The phases a task's time is split into, in the order reported.
pub const PHASES: [Phase; 9] = [
    Phase::Compile,
    Phase::Instantiate,
    Phase::Script,
    Phase::Style,
    Phase::Layout,
    Phase::Paint,
    Phase::Gc,
    Phase::Parse,
    Phase::Other,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Compile,
    Instantiate,
    Script,
    Style,
    Layout,
    Paint,
    Gc,
    Parse,
    Other,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Compile => "compile",
            Phase::Instantiate => "instantiate",
            Phase::Script => "script",
            Phase::Style => "style",
            Phase::Layout => "layout",
            Phase::Paint => "paint",
            Phase::Gc => "GC",
            Phase::Parse => "parse HTML",
            Phase::Other => "other",
        }
    }

    /// The phase an event's own time belongs to, by its name; `None` for the events that only
    /// wrap others (tasks, timers, event dispatch, frames).
    fn of(name: &str) -> Option<Phase> {
        let lower = name.to_ascii_lowercase();
        if lower.contains("instantiate") {
            return Some(Phase::Instantiate);
        }
        if lower.contains("compile") || lower.contains("parseonbackground") || lower == "v8.parsefunction" {
            return Some(Phase::Compile);
        }
        if lower.contains("gc") && (lower.starts_with("v8.gc") || lower.ends_with("gc") || lower.starts_with("blinkgc"))
        {
            return Some(Phase::Gc);
        }
        match name {
            "FunctionCall" | "EvaluateScript" | "v8.evaluateModule" | "v8.run" | "V8.Execute" | "v8.callFunction"
            | "RunMicrotasks" | "v8.runMicrotasks" => Some(Phase::Script),
            "UpdateLayoutTree" | "RecalculateStyles" | "ParseAuthorStyleSheet" | "StyleRecalc" => Some(Phase::Style),
            "Layout" | "UpdateLayout" => Some(Phase::Layout),
            "Paint" | "PrePaint" | "Layerize" | "UpdateLayer" | "UpdateLayerTree" | "CompositeLayers" | "Commit"
            | "PaintImage" | "Decode Image" => Some(Phase::Paint),
            "ParseHTML" => Some(Phase::Parse),
            _ => None,
        }
    }
}

/// An event with a duration on the main thread (microseconds of the trace clock).
#[derive(Clone, Debug)]
struct Span {
    name: String,
    start: f64,
    end: f64,
}

/// One top-level task of the main thread and its time per phase (milliseconds).
#[derive(Clone, Debug)]
pub struct Task {
    pub start_us: f64,
    pub end_us: f64,
    pub phases: [f64; PHASES.len()],
}

impl Task {
    pub fn ms(&self) -> f64 {
        (self.end_us - self.start_us) / 1_000.0
    }
}

/// The page's main thread in one trace.
pub struct MainThread {
    pub tasks: Vec<Task>,
    /// Timestamps (µs) of the page's User Timing marks, by name.
    marks: Vec<(String, f64)>,
}

impl MainThread {
    /// Finds the page's renderer main thread (the thread that recorded `anchor_mark`, a
    /// `performance.mark`) and reads its tasks.
    pub fn read(events: &[Value], anchor_mark: &str) -> Result<MainThread> {
        let is_mark = |e: &Value| e["cat"].as_str().is_some_and(|c| c.contains("blink.user_timing"));
        let anchor = events
            .iter()
            .find(|e| is_mark(e) && e["name"] == anchor_mark)
            .with_context(|| format!("no User Timing mark {anchor_mark} in the trace"))?;
        let (pid, tid) = (anchor["pid"].clone(), anchor["tid"].clone());
        let marks = events
            .iter()
            .filter(|e| is_mark(e) && e["pid"] == pid)
            .filter_map(|e| Some((e["name"].as_str()?.to_owned(), e["ts"].as_f64()?)))
            .collect();
        let spans = spans(events.iter().filter(|e| e["pid"] == pid && e["tid"] == tid));
        Ok(MainThread { tasks: tasks(spans), marks })
    }

    /// The time of a User Timing mark (µs), the first one if it was set more than once.
    pub fn mark(&self, name: &str) -> Option<f64> {
        self.marks_named(name).next()
    }

    /// The times (µs) of every User Timing mark called `name`, in the trace's order.
    pub fn marks_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = f64> + 'a {
        self.marks.iter().filter(move |(mark, _)| mark == name).map(|(_, ts)| *ts)
    }

    /// The tasks that ran between two moments: those that end after `from` and start before
    /// `to`, each counted whole (the task that handles the click starts just before its mark).
    pub fn between(&self, from: f64, to: f64) -> Vec<&Task> {
        self.tasks.iter().filter(|task| task.end_us > from && task.start_us < to).collect()
    }
}

/// Time per phase and in all, and the longest task, of some tasks (milliseconds).
#[derive(Clone, Debug, Default)]
pub struct Split {
    pub total_ms: f64,
    pub longest_ms: f64,
    pub phases: [f64; PHASES.len()],
}

impl Split {
    pub fn of(tasks: &[&Task]) -> Split {
        let mut split = Split::default();
        for task in tasks {
            split.total_ms += task.ms();
            split.longest_ms = split.longest_ms.max(task.ms());
            for (sum, ms) in split.phases.iter_mut().zip(task.phases) {
                *sum += ms;
            }
        }
        split
    }

    pub fn phase(&self, phase: Phase) -> f64 {
        PHASES.iter().position(|p| *p == phase).map(|i| self.phases[i]).unwrap_or_default()
    }
}

/// Complete events (`X`) and matched begin/end pairs (`B`/`E`) of one thread, as spans.
fn spans<'a>(events: impl Iterator<Item = &'a Value>) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut open: Vec<(String, f64)> = Vec::new();
    for event in events {
        let (Some(name), Some(ts)) = (event["name"].as_str(), event["ts"].as_f64()) else {
            continue;
        };
        match event["ph"].as_str() {
            Some("X") => {
                let dur = event["dur"].as_f64().unwrap_or_default();
                spans.push(Span { name: name.to_owned(), start: ts, end: ts + dur });
            }
            Some("B") => open.push((name.to_owned(), ts)),
            Some("E") => {
                if let Some(at) = open.iter().rposition(|(open_name, _)| open_name == name) {
                    let (name, start) = open.remove(at);
                    spans.push(Span { name, start, end: ts });
                }
            }
            _ => {}
        }
    }
    // Parents before their children: by start, then the longer first.
    spans.sort_by(|a, b| a.start.total_cmp(&b.start).then(b.end.total_cmp(&a.end)));
    spans
}

/// Whether a span is a top-level task of the thread's scheduler.
fn is_task(name: &str) -> bool {
    matches!(name, "RunTask" | "ThreadControllerImpl::RunTask")
}

/// The thread's top-level tasks, each with its time split by phase.
fn tasks(spans: Vec<Span>) -> Vec<Task> {
    let mut tasks = Vec::new();
    let mut at = 0;
    while at < spans.len() {
        if !is_task(&spans[at].name) {
            at += 1;
            continue;
        }
        let task = &spans[at];
        let mut phases = [0.0; PHASES.len()];
        // Every span inside this task (nested tasks included: their time is the task's).
        let mut inside = at + 1;
        while inside < spans.len() && spans[inside].start < task.end {
            inside += 1;
        }
        attribute(&spans[at..inside], &mut phases);
        tasks.push(Task { start_us: task.start, end_us: task.end, phases });
        at = inside;
    }
    tasks
}

/// Adds each span's self time (ms) to its phase, or to the nearest enclosing span's that has
/// one, or to `other`. `spans` starts with the task and is sorted parents first.
fn attribute(spans: &[Span], phases: &mut [f64; PHASES.len()]) {
    // The enclosing spans: (end, phase it passes its time to, index).
    let mut stack: Vec<(f64, Phase, usize)> = Vec::new();
    let mut child_time = vec![0.0_f64; spans.len()];
    let mut phase_of = vec![Phase::Other; spans.len()];
    for (index, span) in spans.iter().enumerate() {
        while stack.last().is_some_and(|(end, _, _)| *end <= span.start) {
            stack.pop();
        }
        let inherited = stack.last().map(|(_, phase, _)| *phase).unwrap_or(Phase::Other);
        let phase = Phase::of(&span.name).unwrap_or(inherited);
        if let Some((_, _, parent)) = stack.last() {
            // Clipped to the parent: a child that outlives its parent is an artefact of B/E
            // pairing and must not make the parent's self time negative.
            let parent_end = spans[*parent].end;
            child_time[*parent] += span.end.min(parent_end) - span.start;
        }
        phase_of[index] = phase;
        stack.push((span.end, phase, index));
    }
    for (index, span) in spans.iter().enumerate() {
        let own = (span.end - span.start - child_time[index]).max(0.0) / 1_000.0;
        if let Some(slot) = PHASES.iter().position(|p| *p == phase_of[index]) {
            phases[slot] += own;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn x(name: &str, ts: f64, dur: f64) -> Value {
        json!({"name": name, "ph": "X", "ts": ts, "dur": dur, "pid": 1, "tid": 7, "cat": "devtools.timeline"})
    }

    /// A task's time is split by what ran in it: nested script passes only its self time, the
    /// compile inside it counts as compile, a wrapper (TimerFire) passes its time on, and the
    /// task's own overhead is `other`; another thread's events do not count.
    #[test]
    fn a_task_is_split_by_self_time() {
        let events = vec![
            json!({"name": "bench-click", "ph": "R", "ts": 1_000.0, "pid": 1, "tid": 7, "cat": "blink.user_timing"}),
            x("RunTask", 1_000.0, 10_000.0),
            x("TimerFire", 1_500.0, 8_000.0),
            x("FunctionCall", 1_500.0, 8_000.0),
            x("v8.compile", 2_000.0, 1_000.0),
            x("UpdateLayoutTree", 9_600.0, 400.0),
            json!({"name": "RunTask", "ph": "X", "ts": 1_000.0, "dur": 99_000.0, "pid": 1, "tid": 8}),
            x("RunTask", 20_000.0, 2_000.0),
            x("Layout", 20_000.0, 2_000.0),
        ];
        let thread = MainThread::read(&events, "bench-click").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(thread.tasks.len(), 2);
        let first = Split::of(&thread.between(1_000.0, 5_000.0));
        assert_eq!(first.total_ms, 10.0);
        assert_eq!(first.phase(Phase::Script), 7.0);
        assert_eq!(first.phase(Phase::Compile), 1.0);
        assert_eq!(first.phase(Phase::Style), 0.4);
        assert!((first.phase(Phase::Other) - 1.6).abs() < 1e-9, "{first:?}");
        let both = Split::of(&thread.between(0.0, 30_000.0));
        assert_eq!((both.total_ms, both.longest_ms, both.phase(Phase::Layout)), (12.0, 10.0, 2.0));
        assert_eq!(thread.mark("bench-click"), Some(1_000.0));
    }
}
