//! What tellus costs as Cloudflare bills it, counted from a local Worker's own counters: the
//! `x-tellus-kv-ops` header of every answer (KV reads, writes, deletes and lists billed per key;
//! desk calls as Durable Object requests with the SQLite rows they read and wrote) and the desk's
//! `tellus-desk-ops` log lines for the work no answer carries (an attempt finishing after the
//! answer; an alarm invocation). Shared by `cargo xtask bench` (the cost table) and the e2e
//! `costs::` tests (workload (b) within the free plan, idle sites costing nothing).
//!
//! Billing rules applied here (Cloudflare's pricing pages, 2026; see `PLATFORM-NOTES.md` and
//! `BENCHMARKS.md`):
//! - every HTTP request the Worker answers is one Worker request (static assets are free and are
//!   not counted);
//! - every call from the Worker to a desk is one Durable Object request, and so is every alarm
//!   invocation ("Requests … includes HTTP requests, RPC sessions, WebSocket messages, and alarm
//!   invocations");
//! - an attempt the desk starts inside an invocation (with `waitUntil`) is part of that
//!   invocation: it adds rows, KV reads and duration, not a request; its outbound `fetch` is a
//!   subrequest, which is limited per invocation but not billed.
//!
//! The local test clock is an instrument, not a cost: `POST /v1/test/sites/{site}/run` fires a
//! desk's alarm early, and it is counted as the one alarm invocation production would have made
//! (its answer also carries a status call, measured on its own right after and taken off).

use crate::http::{self, Answer};
use crate::receiver::Receiver;
use crate::worker_process::ADMIN_TOKEN;
use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tellus_core::protocol::{DESK_OPS_LOG, HEADER_KV_OPS, HEADER_TEST_NOW_OFFSET};

/// One kind of billed operation: the cost table's columns, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    KvReads,
    KvWrites,
    KvDeletes,
    KvLists,
    DoRequests,
    DoRowsRead,
    DoRowsWritten,
    Requests,
}

impl Col {
    pub const ALL: [Col; 8] = [
        Col::KvReads,
        Col::KvWrites,
        Col::KvDeletes,
        Col::KvLists,
        Col::DoRequests,
        Col::DoRowsRead,
        Col::DoRowsWritten,
        Col::Requests,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Col::KvReads => "KV reads",
            Col::KvWrites => "KV writes",
            Col::KvDeletes => "KV deletes",
            Col::KvLists => "KV lists",
            Col::DoRequests => "DO requests",
            Col::DoRowsRead => "DO rows read",
            Col::DoRowsWritten => "DO rows written",
            Col::Requests => "Worker requests",
        }
    }

    /// The counter's name in `x-tellus-kv-ops` (Worker requests are not in the header: each
    /// answer is one).
    fn header_key(self) -> Option<&'static str> {
        match self {
            Col::KvReads => Some("reads"),
            Col::KvWrites => Some("writes"),
            Col::KvDeletes => Some("deletes"),
            Col::KvLists => Some("lists"),
            Col::DoRequests => Some("do_requests"),
            Col::DoRowsRead => Some("do_rows_read"),
            Col::DoRowsWritten => Some("do_rows_written"),
            Col::Requests => None,
        }
    }
}

/// Billed operations, one count per [`Col`]. Counts are `f64` so that per-day figures derived
/// from per-action costs can be fractional; measured ones are always whole.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Ops(pub [f64; 8]);

impl Ops {
    pub fn get(&self, col: Col) -> f64 {
        self.0[col as usize]
    }

    pub fn set(&mut self, col: Col, value: f64) {
        self.0[col as usize] = value;
    }

    pub fn plus(&self, other: &Ops) -> Ops {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a += b;
        }
        out
    }

    /// `self - other`; `None` if any count would be negative.
    pub fn minus(&self, other: &Ops) -> Option<Ops> {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a -= b;
            if *a < 0.0 {
                return None;
            }
        }
        Some(out)
    }

    pub fn times(&self, factor: f64) -> Ops {
        Ops(self.0.map(|v| v * factor))
    }

    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|v| *v == 0.0)
    }

    /// The counters of one `x-tellus-kv-ops` value. Every counter must be there: a renamed or
    /// missing one is an error, never a silent zero.
    pub fn of_header(value: &str) -> Result<Ops> {
        let mut ops = Ops::default();
        for col in Col::ALL {
            let Some(key) = col.header_key() else { continue };
            let found = value
                .split(';')
                .find_map(|part| part.strip_prefix(key)?.strip_prefix('=')?.parse::<u32>().ok())
                .with_context(|| format!("`{key}` missing from {HEADER_KV_OPS}: {value}"))?;
            ops.set(col, f64::from(found));
        }
        Ok(ops)
    }

    /// One answer of the Worker: its counters and one Worker request.
    pub fn of_answer(answer: &Answer) -> Result<Ops> {
        let header = answer.header(HEADER_KV_OPS).with_context(|| {
            format!("no {HEADER_KV_OPS} header (is the Worker running with EXPOSE_KV_OPS=1?): {}", answer.status)
        })?;
        let mut ops = Ops::of_header(header)?;
        ops.set(Col::Requests, 1.0);
        Ok(ops)
    }
}

/// Formats a count for a table: whole numbers with thousands separators, fractions with one
/// decimal.
pub fn count(value: f64) -> String {
    let rounded = if (value - value.round()).abs() < 0.05 { value.round() } else { (value * 10.0).round() / 10.0 };
    let whole = rounded.trunc() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    let fraction = ((rounded - rounded.trunc()) * 10.0).round() as u64;
    if fraction > 0 {
        out.push_str(&format!(".{fraction}"));
    }
    out
}

/// The Workers free plan's daily quotas (reset 00:00 UTC; past one, calls of that kind fail).
pub const FREE_DAILY: [(Col, f64); 8] = [
    (Col::KvReads, 100_000.0),
    (Col::KvWrites, 1_000.0),
    (Col::KvDeletes, 1_000.0),
    (Col::KvLists, 1_000.0),
    (Col::DoRequests, 100_000.0),
    (Col::DoRowsRead, 5_000_000.0),
    (Col::DoRowsWritten, 100_000.0),
    (Col::Requests, 100_000.0),
];

/// Durable Object duration on the free plan, per day.
pub const FREE_DURATION_GB_S_DAILY: f64 = 13_000.0;
/// The memory a Durable Object is billed for (128 MB, counted as 0.128 GB in Cloudflare's own
/// examples).
pub const DO_MEMORY_GB: f64 = 0.128;
/// The Worker's receiver timeout in production: the longest an attempt keeps its desk active.
pub const ATTEMPT_TIMEOUT_S: f64 = 15.0;

/// One line of the paid plan's price list: what a month includes and the price beyond it.
#[derive(Clone, Copy, Debug)]
pub struct Price {
    pub col: Col,
    pub included_per_month: f64,
    pub usd_per_million: f64,
}

/// The Workers paid plan, per month.
pub const PAID_MONTHLY: [Price; 8] = [
    Price { col: Col::KvReads, included_per_month: 10_000_000.0, usd_per_million: 0.50 },
    Price { col: Col::KvWrites, included_per_month: 1_000_000.0, usd_per_million: 5.00 },
    Price { col: Col::KvDeletes, included_per_month: 1_000_000.0, usd_per_million: 5.00 },
    Price { col: Col::KvLists, included_per_month: 1_000_000.0, usd_per_million: 5.00 },
    Price { col: Col::DoRequests, included_per_month: 1_000_000.0, usd_per_million: 0.15 },
    Price { col: Col::DoRowsRead, included_per_month: 25_000_000_000.0, usd_per_million: 0.001 },
    Price { col: Col::DoRowsWritten, included_per_month: 50_000_000.0, usd_per_million: 1.00 },
    Price { col: Col::Requests, included_per_month: 10_000_000.0, usd_per_million: 0.30 },
];
pub const PAID_BASE_USD: f64 = 5.0;
pub const PAID_DURATION_INCLUDED_GB_S: f64 = 400_000.0;
pub const PAID_DURATION_USD_PER_MILLION_GB_S: f64 = 12.50;

/// One free quota's use in a day.
#[derive(Clone, Copy, Debug)]
pub struct QuotaUse {
    pub col: Col,
    pub used: f64,
    pub quota: f64,
}

impl QuotaUse {
    pub fn share(&self) -> f64 {
        self.used / self.quota
    }

    pub fn headroom(&self) -> f64 {
        1.0 - self.share()
    }
}

/// Each free daily quota's use by a day's operations.
pub fn free_plan_use(daily: &Ops) -> Vec<QuotaUse> {
    FREE_DAILY.iter().map(|&(col, quota)| QuotaUse { col, used: daily.get(col), quota }).collect()
}

/// The paid plan's price of a month: the base plus each line beyond what is included (storage
/// not included). Answers the total and each line's price.
pub fn paid_month_usd(monthly: &Ops, duration_gb_s: f64) -> (f64, Vec<(Col, f64)>) {
    let lines: Vec<(Col, f64)> = PAID_MONTHLY
        .iter()
        .map(|p| (p.col, (monthly.get(p.col) - p.included_per_month).max(0.0) / 1e6 * p.usd_per_million))
        .collect();
    let duration = (duration_gb_s - PAID_DURATION_INCLUDED_GB_S).max(0.0) / 1e6 * PAID_DURATION_USD_PER_MILLION_GB_S;
    let total = PAID_BASE_USD + duration + lines.iter().map(|(_, usd)| usd).sum::<f64>();
    (total, lines)
}

/// What one desk log line reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// An attempt that finished inside an invocation already counted (no request of its own).
    Attempt,
    /// An alarm invocation: one billed Durable Object request.
    Alarm,
}

/// One `tellus-desk-ops {site} {attempt|alarm} read=N;written=M;kv_reads=K` line.
#[derive(Clone, Debug)]
pub struct DeskLine {
    pub site: String,
    pub work: Work,
    pub ops: Ops,
}

impl DeskLine {
    pub fn parse(line: &str) -> Option<DeskLine> {
        let (_, rest) = line.split_once(DESK_OPS_LOG)?;
        let mut parts = rest.trim_start_matches(' ').split(' ');
        let site = parts.next()?.to_owned();
        let work = match parts.next()? {
            "attempt" => Work::Attempt,
            "alarm" => Work::Alarm,
            _ => return None,
        };
        let rows = parts.next()?.trim();
        let mut ops = Ops::default();
        for (key, col) in [("read", Col::DoRowsRead), ("written", Col::DoRowsWritten), ("kv_reads", Col::KvReads)] {
            let value = rows.split(';').find_map(|p| p.strip_prefix(key)?.strip_prefix('=')?.parse::<u32>().ok())?;
            ops.set(col, f64::from(value));
        }
        if work == Work::Alarm {
            ops.set(Col::DoRequests, 1.0);
        }
        Some(DeskLine { site, work, ops })
    }
}

/// The desk lines a Worker's log gained since this reader was made (the log is the file
/// `wrangler dev` writes its output to).
pub struct DeskLog {
    path: PathBuf,
    consumed: u64,
    pub lines: Vec<DeskLine>,
}

impl DeskLog {
    /// Reads from the log's current end on: what was logged before is not ours.
    pub fn new(path: &Path) -> Result<DeskLog> {
        let consumed = std::fs::metadata(path).with_context(|| format!("the Worker's log {}", path.display()))?.len();
        Ok(DeskLog { path: path.to_owned(), consumed, lines: Vec::new() })
    }

    /// Takes in the complete lines written since the last call (a line still being written is
    /// left for the next).
    pub fn refresh(&mut self) -> Result<()> {
        let mut file = std::fs::File::open(&self.path)?;
        file.seek(SeekFrom::Start(self.consumed))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let Some(end) = bytes.iter().rposition(|b| *b == b'\n') else { return Ok(()) };
        let text = String::from_utf8_lossy(&bytes[..=end]);
        self.lines.extend(text.lines().filter_map(DeskLine::parse));
        self.consumed += end as u64 + 1;
        Ok(())
    }

    pub fn of_site<'a>(&'a self, site: &'a str) -> impl Iterator<Item = &'a DeskLine> + 'a {
        self.lines.iter().filter(move |line| line.site == site)
    }
}

/// A desk's state as the local test route reports it.
#[derive(Clone, Debug, Default)]
pub struct DeskStatus {
    pub alarm_ms: Option<u64>,
    pub pending: u64,
    pub unfixed: u64,
    pub endpoints: u64,
    pub test_offset_ms: u64,
}

impl DeskStatus {
    fn of(json: &Value) -> DeskStatus {
        DeskStatus {
            alarm_ms: json["alarm_ms"].as_u64(),
            pending: json["pending"].as_u64().unwrap_or_default(),
            unfixed: json["unfixed"].as_u64().unwrap_or_default(),
            endpoints: json["endpoints"].as_u64().unwrap_or_default(),
            test_offset_ms: json["test_offset_ms"].as_u64().unwrap_or_default(),
        }
    }
}

/// The real time in ms since the epoch.
pub fn real_now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default()
}

pub const MINUTE_MS: u64 = 60_000;
pub const HOUR_MS: u64 = 3_600_000;
pub const DAY_MS: u64 = 86_400_000;

/// Every callback event: the model endpoint subscribes to them all.
pub const ALL_EVENTS: [&str; 4] = ["failure.reported", "failure.overdue", "failure.fixed", "praise.received"];

/// Creates a site allowing `origin`; answers its id and owner key (set-up, not counted).
pub fn create_site(base: &str, name: &str, origin: &str) -> Result<(String, String)> {
    let answer = http::post_json(
        &format!("{base}/v1/sites"),
        &[("authorization", &format!("Bearer {ADMIN_TOKEN}"))],
        &json!({ "name": name, "allowed_origins": [origin] }),
    )?;
    ensure!(answer.status == 201, "site not created: {} {}", answer.status, answer.body);
    let json = answer.json();
    Ok((json["id"].as_str().unwrap_or_default().to_owned(), json["owner_key"].as_str().unwrap_or_default().to_owned()))
}

/// A site as its customers, its owner and its desk's alarms use it, every billed operation
/// counted into [`Shop::total`], on the site's own test clock.
///
/// Requests are shaped as the widget sends them (`widget/src/services.rs`): opening the dialog
/// fetches the config (a simple GET: no preflight); every POST carries JSON, so the browser
/// sends a CORS preflight first (each customer is a new browser, so its preflight cache is
/// empty). Each customer has its own client address, as the rate limiter sees it.
pub struct Shop {
    pub base: String,
    pub site: String,
    pub owner_key: String,
    /// Everything counted so far.
    pub total: Ops,
    /// Alarm invocations counted so far (fired early through the test route, or on their own).
    pub alarms: usize,
    /// Attempts seen in the desk's log so far.
    pub attempts: usize,
    /// Wall time of the counted calls that reached the desk (requests and alarm runs), in ms:
    /// an upper bound of the desk's active time outside attempts finishing after an answer.
    pub desk_wall_ms: f64,
    log: DeskLog,
    offset_ms: u64,
    /// The test clock's offset when the desk last set its alarm (alarms are set in real time,
    /// `due - offset`, so this turns the alarm back into the clock's time).
    armed_offset_ms: u64,
    customers: u64,
}

/// How long the desk's log may take to show work that has happened.
const LOG_DEADLINE: Duration = Duration::from_secs(30);

impl Shop {
    /// A new site on the Worker at `base` whose log is `log`, allowing `base` as its origin.
    pub fn create(base: &str, log: &Path, name: &str) -> Result<Shop> {
        let (site, owner_key) = create_site(base, name, base)?;
        Ok(Shop {
            base: base.to_owned(),
            site,
            owner_key,
            total: Ops::default(),
            alarms: 0,
            attempts: 0,
            desk_wall_ms: 0.0,
            log: DeskLog::new(log)?,
            offset_ms: 0,
            armed_offset_ms: 0,
            customers: 0,
        })
    }

    /// Moves the site's clock to `offset_ms` after the real time (it never goes back).
    pub fn set_offset(&mut self, offset_ms: u64) -> Result<()> {
        ensure!(offset_ms >= self.offset_ms, "the test clock only moves forward ({} -> {offset_ms})", self.offset_ms);
        self.offset_ms = offset_ms;
        Ok(())
    }

    pub fn offset_ms(&self) -> u64 {
        self.offset_ms
    }

    /// Registers an endpoint for `events` (set-up, not counted); answers its id.
    pub fn register(&self, url: &str, events: &[&str]) -> Result<String> {
        let answer = self.owner_call("POST", "/callbacks", Some(json!({ "url": url, "events": events })))?;
        ensure!(answer.status == 201, "register: {} {}", answer.status, answer.body);
        Ok(answer.json()["id"].as_str().unwrap_or_default().to_owned())
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request and counts it: its answer's counters, one Worker request, and its wall
    /// time if it reached the desk.
    fn counted(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Result<Answer> {
        let offset = self.offset_ms.to_string();
        let mut all: Vec<(&str, &str)> = vec![(HEADER_TEST_NOW_OFFSET, &offset)];
        all.extend_from_slice(headers);
        let started = Instant::now();
        let answer = http::send(method, &self.url(path), &all, body)?;
        let ms = started.elapsed().as_secs_f64() * 1_000.0;
        let ops = Ops::of_answer(&answer).with_context(|| format!("{method} {path}"))?;
        if ops.get(Col::DoRequests) > 0.0 {
            self.desk_wall_ms += ms;
        }
        self.total = self.total.plus(&ops);
        Ok(answer)
    }

    fn owner_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Answer> {
        let auth = format!("Bearer {}", self.owner_key);
        let url = self.url(&format!("/v1/sites/{}{path}", self.site));
        let offset = self.offset_ms.to_string();
        let mut headers = vec![("authorization", auth.as_str()), (HEADER_TEST_NOW_OFFSET, offset.as_str())];
        match body {
            Some(body) => {
                headers.push(("content-type", "application/json"));
                http::send(method, &url, &headers, Some(&serde_json::to_vec(&body)?))
            }
            None => http::send(method, &url, &headers, None),
        }
    }

    /// A public POST as the widget sends it: the preflight, then the JSON body.
    fn widget_post(&mut self, path: &str, body: &Value, client: &str) -> Result<Answer> {
        let origin = self.base.clone();
        let preflight = self.counted(
            "OPTIONS",
            path,
            &[
                ("origin", &origin),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type"),
            ],
            None,
        )?;
        ensure!(preflight.status == 204, "preflight {path}: {} {}", preflight.status, preflight.body);
        let bytes = serde_json::to_vec(body)?;
        self.counted(
            "POST",
            path,
            &[("origin", &origin), ("content-type", "application/json"), ("cf-connecting-ip", client)],
            Some(&bytes),
        )
    }

    fn next_client(&mut self) -> String {
        self.customers += 1;
        format!("customer-{}", self.customers)
    }

    /// A customer opens the dialog and sends a rating (1 failure, 3 neutral, 5 praise on the
    /// default CSAT scale): the config, the preflight, the POST. Answers the entry's id and
    /// receipt token.
    pub fn submit(&mut self, rating: u8, comment: &str) -> Result<(String, String)> {
        let origin = self.base.clone();
        let site = self.site.clone();
        let config = self.counted("GET", &format!("/v1/sites/{site}/config"), &[("origin", &origin)], None)?;
        ensure!(config.status == 200, "config: {} {}", config.status, config.body);
        let client = self.next_client();
        let body = json!({ "rating": rating, "comment": comment, "lang": "en" });
        let answer = self.widget_post(&format!("/v1/sites/{site}/feedback"), &body, &client)?;
        ensure!(answer.status == 201, "feedback: {} {}", answer.status, answer.body);
        self.armed_offset_ms = self.offset_ms;
        let json = answer.json();
        Ok((
            json["id"].as_str().unwrap_or_default().to_owned(),
            json["receipt_token"].as_str().unwrap_or_default().to_owned(),
        ))
    }

    /// A tell-others click (the preflight and the POST).
    pub fn click(&mut self, target: &str) -> Result<()> {
        let client = self.next_client();
        let path = format!("/v1/sites/{}/clicks", self.site);
        let answer = self.widget_post(&path, &json!({ "target": target }), &client)?;
        ensure!(answer.status == 204, "click: {} {}", answer.status, answer.body);
        Ok(())
    }

    /// A returning customer's page load asks about their last failure.
    pub fn receipt_status(&mut self, id: &str, token: &str) -> Result<()> {
        let origin = self.base.clone();
        let path = format!("/v1/sites/{}/receipts/{id}?token={}", self.site, http::encode_query(token));
        let answer = self.counted("GET", &path, &[("origin", &origin)], None)?;
        ensure!(answer.status == 200, "receipt: {} {}", answer.status, answer.body);
        Ok(())
    }

    /// The customer rates again after the fix (the preflight and the POST).
    pub fn rerate(&mut self, id: &str, token: &str, rating: u8) -> Result<()> {
        let client = self.next_client();
        let path = format!("/v1/sites/{}/receipts/{id}/rerate", self.site);
        let answer = self.widget_post(&path, &json!({ "token": token, "rating": rating }), &client)?;
        ensure!(answer.status == 200, "rerate: {} {}", answer.status, answer.body);
        self.armed_offset_ms = self.offset_ms;
        Ok(())
    }

    /// An owner action through the API: `acknowledge`, `fix` (no note) or `reply`.
    pub fn owner_action(&mut self, id: &str, action: &str) -> Result<()> {
        let auth = format!("Bearer {}", self.owner_key);
        let path = format!("/v1/sites/{}/entries/{id}/{action}", self.site);
        let answer = if action == "reply" {
            let body = serde_json::to_vec(&json!({ "text": "Thank you, we are on it." }))?;
            self.counted("POST", &path, &[("authorization", &auth), ("content-type", "application/json")], Some(&body))?
        } else {
            self.counted("POST", &path, &[("authorization", &auth)], None)?
        };
        ensure!(answer.status == 200, "{action}: {} {}", answer.status, answer.body);
        self.armed_offset_ms = self.offset_ms;
        Ok(())
    }

    /// The owner signs in on the owner page; answers the session cookie (`name=value`). The
    /// 303 leads to a page view, which the caller makes (and counts) with [`Shop::page_view`].
    pub fn login(&mut self) -> Result<String> {
        let body = format!("key={}", self.owner_key);
        let path = format!("/s/{}/login", self.site);
        let answer = self.counted(
            "POST",
            &path,
            &[("content-type", "application/x-www-form-urlencoded")],
            Some(body.as_bytes()),
        )?;
        ensure!(answer.status == 303, "login: {} {}", answer.status, answer.body);
        let cookie = answer.header("set-cookie").context("login sets a cookie")?;
        Ok(cookie.split(';').next().unwrap_or_default().to_owned())
    }

    /// The owner opens their page: the inbox, where sign-in lands.
    pub fn page_view(&mut self, cookie: &str) -> Result<()> {
        let path = format!("/s/{}", self.site);
        let answer = self.counted("GET", &path, &[("cookie", cookie)], None)?;
        ensure!(answer.status == 200 && answer.body.contains("data-figure"), "page view: {}", answer.status);
        Ok(())
    }

    /// The summary API for `days` days.
    pub fn summary(&mut self, days: u32) -> Result<()> {
        let auth = format!("Bearer {}", self.owner_key);
        let path = format!("/v1/sites/{}/summary?days={days}", self.site);
        let answer = self.counted("GET", &path, &[("authorization", &auth)], None)?;
        ensure!(answer.status == 200, "summary: {} {}", answer.status, answer.body);
        Ok(())
    }

    /// One export page (CSV, up to 1,000 entries).
    pub fn export(&mut self) -> Result<()> {
        let auth = format!("Bearer {}", self.owner_key);
        let path = format!("/v1/sites/{}/export?format=csv", self.site);
        let answer = self.counted("GET", &path, &[("authorization", &auth)], None)?;
        ensure!(answer.status == 200, "export: {} {}", answer.status, answer.body);
        Ok(())
    }

    /// The desk's state at the clock's time (an instrument: not counted).
    pub fn status(&self) -> Result<DeskStatus> {
        Ok(self.status_with_ops()?.0)
    }

    fn status_with_ops(&self) -> Result<(DeskStatus, Ops)> {
        let offset = self.offset_ms.to_string();
        let answer =
            http::get(&self.url(&format!("/v1/test/sites/{}/desk", self.site)), &[(HEADER_TEST_NOW_OFFSET, &offset)])?;
        ensure!(answer.status == 200, "desk status: {} {}", answer.status, answer.body);
        Ok((DeskStatus::of(&answer.json()), Ops::of_answer(&answer)?))
    }

    /// Fires the desk's alarm now (at the clock's time) and counts it as the one alarm
    /// invocation production would make: one Durable Object request and the rows and KV reads of
    /// the run, without the status call the route adds (measured alone right after, on the same
    /// state, and taken off). The attempts the run started have finished when it answers; their
    /// own lines are counted by [`Shop::settle`].
    pub fn fire_alarm(&mut self) -> Result<Ops> {
        let offset = self.offset_ms.to_string();
        let started = Instant::now();
        let run = http::send(
            "POST",
            &self.url(&format!("/v1/test/sites/{}/run", self.site)),
            &[(HEADER_TEST_NOW_OFFSET, &offset)],
            None,
        )?;
        let ms = started.elapsed().as_secs_f64() * 1_000.0;
        ensure!(run.status == 200, "run: {} {}", run.status, run.body);
        let with_status = Ops::of_answer(&run)?;
        let (_, status) = self.status_with_ops()?;
        ensure!(
            with_status.get(Col::DoRequests) == 2.0 && status.get(Col::DoRequests) == 1.0,
            "the run route makes two desk calls and the status route one: {with_status:?} {status:?}"
        );
        let mut alarm = with_status
            .minus(&status)
            .with_context(|| format!("the desk changed between the run and the status: {with_status:?} {status:?}"))?;
        alarm.set(Col::Requests, 0.0);
        alarm.set(Col::DoRequests, 1.0);
        self.total = self.total.plus(&alarm);
        self.alarms += 1;
        self.desk_wall_ms += ms;
        self.armed_offset_ms = self.offset_ms;
        Ok(alarm)
    }

    /// Waits until the desk's log shows `attempts` attempts in all for this site (each attempt
    /// logs one line when it has been recorded) and counts the lines that came: attempts, and
    /// alarms that fired on their own. More attempts than expected is an error.
    pub fn settle(&mut self, attempts: usize) -> Result<()> {
        let deadline = Instant::now() + LOG_DEADLINE;
        loop {
            self.take_log()?;
            if self.attempts >= attempts {
                ensure!(self.attempts == attempts, "{} attempts logged, {attempts} expected", self.attempts);
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!(
                    "after {LOG_DEADLINE:?}, {} of {attempts} attempts of site {} are in the log {}",
                    self.attempts,
                    self.site,
                    self.log.path.display()
                );
            }
            std::thread::park_timeout(Duration::from_millis(20));
        }
    }

    fn take_log(&mut self) -> Result<()> {
        let seen = self.log.lines.len();
        self.log.refresh()?;
        for line in self.log.lines[seen..].iter().filter(|l| l.site == self.site) {
            self.total = self.total.plus(&line.ops);
            match line.work {
                Work::Attempt => self.attempts += 1,
                Work::Alarm => self.alarms += 1,
            }
        }
        Ok(())
    }

    /// Plays the desk's alarms as production would run them until the clock reaches
    /// `until_offset_ms`: while the desk's alarm is due before then, the clock moves to it and
    /// the alarm is fired (and counted). `delivered` answers how many callbacks the endpoint has
    /// received, so the attempts an alarm starts can be awaited in the log.
    pub fn follow_alarms(&mut self, until_offset_ms: u64, delivered: &dyn Fn() -> usize) -> Result<()> {
        for _ in 0..MAX_ALARMS_FOLLOWED {
            let status = self.status()?;
            let Some(alarm_ms) = status.alarm_ms else { return Ok(()) };
            let now = real_now_ms();
            let due_offset = (alarm_ms + self.armed_offset_ms).saturating_sub(now);
            if due_offset >= until_offset_ms {
                return Ok(());
            }
            if alarm_ms <= now + 1_000 {
                // Due in real time: the runtime fires it on its own; its log line is counted.
                poll_log("the desk's own alarm to fire", || {
                    self.status().ok().filter(|s| s.alarm_ms != Some(alarm_ms)).map(drop)
                })?;
                self.take_log()?;
                continue;
            }
            self.set_offset(due_offset.max(self.offset_ms))?;
            self.fire_alarm()?;
            self.settle(delivered())?;
        }
        bail!("the desk of {} still had alarms due after {MAX_ALARMS_FOLLOWED}", self.site)
    }
}

/// Most alarms [`Shop::follow_alarms`] fires in one call (a bound on a desk that re-arms at once).
const MAX_ALARMS_FOLLOWED: usize = 2_000;

fn poll_log(what: &str, check: impl FnMut() -> Option<()>) -> Result<()> {
    crate::poll(what, LOG_DEADLINE, check)
}

/// What one replay of workload (b) counted.
#[derive(Clone, Debug)]
pub struct WorkloadRun {
    /// Every billed operation of the day's work (the work it causes later included).
    pub ops: Ops,
    pub submissions: usize,
    pub deliveries: usize,
    pub alarms: usize,
    pub attempts: usize,
    /// Desk active time outside attempts (upper bound, loopback), in seconds.
    pub desk_wall_s: f64,
}

impl WorkloadRun {
    /// Durable Object duration of the day, as an upper bound: the measured wall time of every
    /// call that reached the desk, plus every attempt held for `attempt_s` (the production
    /// timeout is the worst case), at 128 MB.
    pub fn duration_gb_s(&self, attempt_s: f64) -> f64 {
        DO_MEMORY_GB * (self.desk_wall_s + self.attempts as f64 * attempt_s)
    }
}

/// Submissions a day in workload (b).
pub const B_SUBMISSIONS: usize = 200;
/// When the owner acts on a failure (default SLA: acknowledge within 60 minutes, fix within a
/// day): the same times the seeded data set uses (`seed::entries`).
pub const B_ACK_AFTER_MS: u64 = 30 * MINUTE_MS;
pub const B_FIX_AFTER_MS: u64 = 5 * HOUR_MS;
/// The owner signs in at 08:30 (the redirect is the first page view) and opens the page again
/// at 11:00, 14:00, 17:00 and 20:00: five views within one 12-hour session.
pub const B_LOGIN_AT_MS: u64 = 8 * HOUR_MS + 30 * MINUTE_MS;
pub const B_PAGE_VIEWS_AT_MS: [u64; 4] = [11 * HOUR_MS, 14 * HOUR_MS, 17 * HOUR_MS, 20 * HOUR_MS];

/// The rating of submission `i` of workload (b): failure, praise, neutral in turn.
pub fn b_rating(i: usize) -> u8 {
    [1, 5, 3][i % 3]
}

#[derive(Clone, Debug)]
enum Event {
    Submit(usize),
    Acknowledge(usize),
    Fix(usize),
    Login,
    PageView,
}

/// Replays workload (b) on the Worker at `base` (its log at `log`): one new site with one
/// endpoint (a receiver on loopback, subscribed to every event), 200 submissions spread over a
/// day of test time (a third each failure, praise, neutral), each failure acknowledged after 30
/// minutes and fixed after 5 hours through the API, the owner signing in once and opening the
/// owner page (the inbox) five times. Between the events the desk's alarms run when they are due (the
/// escalation checks of the failures not fixed yet); after the day, the clock goes on until the
/// day's delivery log has expired (30 days) and then past the entries' retention (a year), so
/// the work the day causes later is counted too.
pub fn replay_workload_b(base: &str, log: &Path) -> Result<WorkloadRun> {
    let receiver = Receiver::start(Vec::new())?;
    let mut shop = Shop::create(base, log, "Workload b")?;
    shop.register(&receiver.url("/hooks"), &ALL_EVENTS)?;

    let spacing = DAY_MS / B_SUBMISSIONS as u64;
    let mut events: Vec<(u64, Event)> = Vec::new();
    for i in 0..B_SUBMISSIONS {
        let at = i as u64 * spacing;
        events.push((at, Event::Submit(i)));
        if b_rating(i) == 1 {
            events.push((at + B_ACK_AFTER_MS, Event::Acknowledge(i)));
            events.push((at + B_FIX_AFTER_MS, Event::Fix(i)));
        }
    }
    events.push((B_LOGIN_AT_MS, Event::Login));
    events.extend(B_PAGE_VIEWS_AT_MS.iter().map(|&at| (at, Event::PageView)));
    events.sort_by_key(|(at, _)| *at);

    let delivered = || receiver.received().len();
    let mut ids: Vec<String> = vec![String::new(); B_SUBMISSIONS];
    let mut deliveries = 0usize;
    let mut cookie = String::new();
    for (at, event) in events {
        shop.follow_alarms(at, &delivered)?;
        shop.set_offset(at.max(shop.offset_ms()))?;
        match event {
            Event::Submit(i) => {
                let rating = b_rating(i);
                ids[i] = shop.submit(rating, &format!("workload b, submission {i}"))?.0;
                if rating != 3 {
                    deliveries += 1;
                }
            }
            Event::Acknowledge(i) => shop.owner_action(&ids[i], "acknowledge")?,
            Event::Fix(i) => {
                shop.owner_action(&ids[i], "fix")?;
                deliveries += 1;
            }
            Event::Login => {
                cookie = shop.login()?;
                shop.page_view(&cookie)?;
            }
            Event::PageView => shop.page_view(&cookie)?,
        }
        shop.settle(deliveries)?;
    }
    // The day's delivery log expires after 30 days; the entries' records after the retention.
    let log_expired = shop.offset_ms() + 31 * DAY_MS;
    shop.follow_alarms(log_expired, &delivered)?;
    shop.set_offset(log_expired.max(shop.offset_ms()))?;
    let retention_passed = shop.offset_ms() + (tellus_core::limits::DEFAULT_RETENTION_DAYS as u64 + 2) * DAY_MS;
    shop.follow_alarms(retention_passed, &delivered)?;
    shop.set_offset(retention_passed)?;
    // The entries' metadata goes in whatever run the desk makes after they expire; in a steady
    // state that rides on a day's other work, here it is counted as one more alarm.
    shop.fire_alarm()?;
    shop.settle(deliveries)?;
    let status = shop.status()?;
    ensure!(status.pending == 0 && status.unfixed == 0, "the desk still holds work: {status:?}");
    ensure!(receiver.received().len() == deliveries, "{} callbacks for {deliveries} deliveries", delivered());
    Ok(WorkloadRun {
        ops: shop.total,
        submissions: B_SUBMISSIONS,
        deliveries,
        alarms: shop.alarms,
        attempts: shop.attempts,
        desk_wall_s: shop.desk_wall_ms / 1_000.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_gives_every_counter_and_a_missing_one_is_an_error() {
        let ops = Ops::of_header("reads=2;writes=1;lists=0;deletes=3;do_requests=1;do_rows_read=16;do_rows_written=9")
            .unwrap();
        assert_eq!(ops.0, [2.0, 1.0, 3.0, 0.0, 1.0, 16.0, 9.0, 0.0]);
        assert!(Ops::of_header("reads=2;writes=1;lists=0;deletes=3;do_requests=1;do_rows_read=16").is_err());
    }

    #[test]
    fn desk_lines_are_read_with_their_site_and_an_alarm_is_a_request() {
        let line = DeskLine::parse("  tellus-desk-ops abc123 alarm read=7;written=2;kv_reads=1").unwrap();
        assert_eq!((line.site.as_str(), line.work), ("abc123", Work::Alarm));
        assert_eq!(line.ops.0, [1.0, 0.0, 0.0, 0.0, 1.0, 7.0, 2.0, 0.0]);
        let attempt = DeskLine::parse("tellus-desk-ops abc123 attempt read=3;written=4;kv_reads=0");
        assert!(attempt.is_some_and(|a| a.work == Work::Attempt && a.ops.get(Col::DoRequests) == 0.0));
        assert!(DeskLine::parse("tellus-desk-ops abc123 nap read=1;written=1;kv_reads=0").is_none());
        assert!(DeskLine::parse("something else entirely").is_none());
    }

    #[test]
    fn counts_read_as_in_a_table() {
        assert_eq!(count(1_234_567.0), "1,234,567");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(66.666), "66.7");
        assert_eq!(count(0.0), "0");
    }

    #[test]
    fn the_paid_plan_charges_only_beyond_what_is_included() {
        let mut month = Ops::default();
        month.set(Col::KvWrites, 3_000_000.0);
        month.set(Col::KvReads, 5_000_000.0);
        let (total, lines) = paid_month_usd(&month, 0.0);
        assert!((total - 15.0).abs() < 1e-9, "{total}");
        assert!(lines.iter().any(|(col, usd)| *col == Col::KvWrites && (*usd - 10.0).abs() < 1e-9));
        let use_ = free_plan_use(&month);
        assert!(use_.iter().any(|u| u.col == Col::KvWrites && (u.share() - 3_000.0).abs() < 1e-9));
    }
}
