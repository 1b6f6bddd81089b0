//! A small, bounded HTTP load generator for `cargo xtask bench`: a fixed number of requests
//! over a fixed number of threads (each with one keep-alive connection), stopped early at a
//! deadline, recording every request's latency. Loopback only: it is pointed at a local Worker.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One request to send.
pub struct Request {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
}

/// What a run measured.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Requests that got any HTTP answer or failed at the transport.
    pub sent: usize,
    /// Answers by status; transport failures are counted under 0.
    pub statuses: BTreeMap<u16, usize>,
    /// Latencies (ms) of the answers with the expected status, sorted ascending.
    pub ok_latencies_ms: Vec<f64>,
    /// Wall time from the first request to the last answer.
    pub elapsed: Duration,
}

impl Outcome {
    /// Answers with the expected status per second of wall time.
    pub fn ok_per_sec(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 { self.ok_latencies_ms.len() as f64 / secs } else { 0.0 }
    }

    /// The `p`-th percentile (0–100) of the successful latencies, nearest rank; 0 when none.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let n = self.ok_latencies_ms.len();
        if n == 0 {
            return 0.0;
        }
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        self.ok_latencies_ms[rank.clamp(1, n) - 1]
    }
}

/// Sends `total` requests (`make(i)` builds the i-th) over `threads` threads, stopping early
/// when `time_limit` has passed. Latencies are kept for answers with status `ok_status`.
pub fn run(
    make: &(dyn Fn(usize) -> Request + Sync),
    total: usize,
    threads: usize,
    time_limit: Duration,
    ok_status: u16,
) -> Outcome {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(u16, f64)>> = Mutex::new(Vec::with_capacity(total));
    let started = Instant::now();
    let deadline = started + time_limit;
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                // One agent per thread: its connection is reused (keep-alive), as a load tool does.
                let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(20)).redirects(0).build();
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total || Instant::now() >= deadline {
                        break;
                    }
                    let request = make(i);
                    let sent_at = Instant::now();
                    let status = send(&agent, &request);
                    mine.push((status, sent_at.elapsed().as_secs_f64() * 1_000.0));
                }
                if let Ok(mut all) = results.lock() {
                    all.extend(mine);
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let all = results.into_inner().unwrap_or_default();
    let mut outcome = Outcome { sent: all.len(), elapsed, ..Outcome::default() };
    for (status, ms) in all {
        *outcome.statuses.entry(status).or_default() += 1;
        if status == ok_status {
            outcome.ok_latencies_ms.push(ms);
        }
    }
    outcome.ok_latencies_ms.sort_by(f64::total_cmp);
    outcome
}

/// Sends one request and reads the whole answer; 0 when the transport failed.
fn send(agent: &ureq::Agent, request: &Request) -> u16 {
    let mut req = agent.request(request.method, &request.url);
    for (name, value) in &request.headers {
        req = req.set(name, value);
    }
    let result = match &request.body {
        Some(body) => req.send_bytes(body),
        None => req.call(),
    };
    let res = match result {
        Ok(res) => res,
        Err(ureq::Error::Status(_, res)) => res,
        Err(_) => return 0,
    };
    let status = res.status();
    // Read the body so the connection can be reused.
    let _ = res.into_string();
    status
}
