//! The owner's inbox at the desk: its columns of the `entries` table, one page of a view (the
//! filters and order run in SQLite over the `kind, status, created_ms` index, so a view reads
//! the rows of its tab, not every entry), a case's deliveries, the remembered teammates and the
//! endpoints' health for the alerts page. Nothing here reads KV.

use super::db::{Db, Value, int, text};
use super::{DeskResult, endpoints};
use serde::Deserialize;
use std::collections::BTreeSet;
use tellus_core::callbacks::{DeliveryView, EndpointStatus};
use tellus_core::entry::{Dimension, Entry, EntryMeta, Kind, Status};
use tellus_core::inbox::{
    AssigneeFilter, CaseParts, EndpointHealth, InboxPage, InboxQuery, InboxRow, SlaFilter, StatusFilter, Strip, Tab,
    excerpt, lang_key, remember_teammate,
};
use tellus_core::limits::INBOX_PAGE_SIZE;
use tellus_core::site::Site;

/// The inbox columns of `entries`, in the order [`columns`] binds them.
pub const COLUMNS: &str = "kind, status, rating, dims, page, agent, lang, assignee, excerpt";
pub const PLACEHOLDERS: &str = "?, ?, ?, ?, ?, ?, ?, ?, ?";

fn opt_text(value: Option<&str>) -> Value {
    match value {
        Some(v) if !v.is_empty() => text(v),
        _ => Value::Null,
    }
}

/// An entry's inbox columns (see [`COLUMNS`]).
pub fn columns(entry: &Entry) -> Vec<Value> {
    let meta = entry.meta();
    vec![
        text(meta.k.to_string()),
        text(meta.s.to_string()),
        int(u64::from(meta.r)),
        int(u64::from(meta.d)),
        opt_text(entry.touchpoint.page.as_deref()),
        opt_text(entry.touchpoint.agent.as_deref()),
        text(lang_key(&entry.lang)),
        opt_text(entry.assignee.as_deref()),
        opt_text(Some(&excerpt(&entry.comment))),
    ]
}

/// Writes an entry's inbox columns when they changed (an assignment, an acknowledgement).
pub fn refresh(db: &Db<'_>, entry: &Entry) -> DeskResult<()> {
    let values = columns(entry);
    let names: Vec<&str> = COLUMNS.split(", ").collect();
    let set = names.iter().map(|n| format!("{n} = ?")).collect::<Vec<_>>().join(", ");
    let differs = names.iter().map(|n| format!("{n} IS NOT ?")).collect::<Vec<_>>().join(" OR ");
    let mut bindings = values.clone();
    bindings.push(text(&entry.id));
    bindings.extend(values);
    db.run(&format!("UPDATE entries SET {set} WHERE entry = ? AND ({differs})"), bindings)?;
    Ok(())
}

const META_TEAMMATES: &str = "teammates";

/// The site's remembered teammates, most recently used first.
pub fn teammates(inner: &super::Inner, db: &Db<'_>) -> DeskResult<Vec<String>> {
    Ok(inner.meta(db, META_TEAMMATES)?.unwrap_or_default())
}

/// Remembers the name an entry was just assigned to.
pub fn remember_assignee(inner: &super::Inner, db: &Db<'_>, entry: &Entry) -> DeskResult<()> {
    let Some(name) = entry.assignee.as_deref() else { return Ok(()) };
    let known = teammates(inner, db)?;
    if let Some(list) = remember_teammate(&known, name) {
        inner.set_meta(db, META_TEAMMATES, &list)?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct Line {
    entry: String,
    created_ms: u64,
    meta: String,
    page: Option<String>,
    agent: Option<String>,
    assignee: Option<String>,
    excerpt: Option<String>,
    lang: Option<String>,
}

impl Line {
    fn row(self) -> DeskResult<InboxRow> {
        let meta: EntryMeta = serde_json::from_str(&self.meta)?;
        let kind = match meta.k {
            'f' => Kind::Failure,
            'p' => Kind::Praise,
            _ => Kind::Neutral,
        };
        let status = match meta.s {
            'o' => Some(Status::Open),
            'a' => Some(Status::Acknowledged),
            'x' => Some(Status::Fixed),
            _ => None,
        };
        Ok(InboxRow {
            id: self.entry,
            created_ms: self.created_ms,
            kind,
            status,
            rating: meta.r,
            dimensions: Dimension::ALL.into_iter().filter(|d| meta.d & d.bit() != 0).collect(),
            page: self.page.unwrap_or_default(),
            agent: self.agent.unwrap_or_default(),
            assignee: self.assignee.unwrap_or_default(),
            excerpt: self.excerpt.unwrap_or_default(),
            lang: self.lang.unwrap_or_default(),
            acknowledged_ms: meta.a,
            fixed_ms: meta.x,
        })
    }
}

/// A `WHERE` clause and its bindings, built up condition by condition.
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    bindings: Vec<Value>,
}

impl Conditions {
    fn add(&mut self, clause: impl Into<String>, bindings: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.into());
        self.bindings.extend(bindings);
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() { "1".to_owned() } else { self.clauses.join(" AND ") }
    }
}

fn ms(minutes: u32) -> u64 {
    u64::from(minutes) * 60_000
}

/// The conditions every tab shares: touchpoint, agent, assignee, language, period.
fn shared(query: &InboxQuery, now_ms: u64) -> Conditions {
    let mut c = Conditions::default();
    if let Some(page) = &query.touchpoint {
        c.add("page = ?", [text(page)]);
    }
    if let Some(agent) = &query.agent {
        c.add("agent = ? COLLATE NOCASE", [text(agent)]);
    }
    match &query.assignee {
        Some(AssigneeFilter::Nobody) => c.add("assignee IS NULL", []),
        Some(AssigneeFilter::Named(name)) => c.add("assignee = ? COLLATE NOCASE", [text(name)]),
        None => {}
    }
    if let Some(lang) = &query.lang {
        c.add("lang = ?", [text(lang)]);
    }
    if let Some(days) = query.period {
        c.add("created_ms >= ?", [int(now_ms.saturating_sub(u64::from(days) * 86_400_000))]);
    }
    c
}

fn statuses(codes: &[&str]) -> (String, Vec<Value>) {
    (format!("status IN ({})", vec!["?"; codes.len()].join(", ")), codes.iter().map(|c| text(*c)).collect())
}

/// The statuses the failures tab keeps. An SLA filter is about unfixed failures: with one, a
/// status filter that keeps fixed failures keeps the unfixed ones only.
fn failure_codes(query: &InboxQuery) -> &'static [&'static str] {
    match (query.sla, query.status) {
        (SlaFilter::Any, status) => status.codes(),
        (_, StatusFilter::Open | StatusFilter::Acknowledged) => query.status.codes(),
        _ => StatusFilter::Unfixed.codes(),
    }
}

/// The failures tab's conditions, for the statuses `codes`.
fn failures(query: &InboxQuery, sla: tellus_core::site::Sla, now_ms: u64, codes: &[&str]) -> Conditions {
    let mut c = shared(query, now_ms);
    c.add("kind = 'f'", []);
    let (clause, bindings) = statuses(codes);
    c.add(clause, bindings);
    let fix_before = int(now_ms.saturating_sub(ms(sla.fix_minutes)));
    let ack_before = int(now_ms.saturating_sub(ms(sla.acknowledge_minutes)));
    match query.sla {
        SlaFilter::Any => {}
        SlaFilter::Overdue => c.add("(created_ms < ? OR (status = 'o' AND created_ms < ?))", [fix_before, ack_before]),
        SlaFilter::FixOverdue => c.add("created_ms < ?", [fix_before]),
        SlaFilter::AcknowledgeOverdue => {
            c.add("status = 'o' AND created_ms < ? AND created_ms >= ?", [ack_before, fix_before])
        }
        SlaFilter::OnTime => c.add("created_ms >= ? AND (status != 'o' OR created_ms >= ?)", [fix_before, ack_before]),
    }
    if let Some(dimension) = query.dimension {
        c.add("(dims & ?) != 0", [int(u64::from(dimension.bit()))]);
    }
    c
}

fn count(db: &Db<'_>, c: &Conditions) -> DeskResult<u64> {
    #[derive(Deserialize)]
    struct Count {
        n: u64,
    }
    let row: Option<Count> =
        db.row(&format!("SELECT COUNT(*) AS n FROM entries WHERE {}", c.sql()), c.bindings.clone())?;
    Ok(row.map_or(0, |r| r.n))
}

const LINE_COLUMNS: &str = "entry, created_ms, meta, page, agent, assignee, excerpt, lang";

/// The site's totals from its daily aggregates (one row a day kept): what a view without
/// filters counts, in O(days) rows instead of one row per entry.
#[derive(Deserialize, Default)]
struct Totals {
    failures: Option<u64>,
    praise: Option<u64>,
    open: Option<u64>,
    acknowledged: Option<u64>,
    fixed: Option<u64>,
}

fn totals(db: &Db<'_>) -> DeskResult<Totals> {
    Ok(db
        .row(
            "SELECT SUM(json_extract(rollup, '$.failures')) AS failures, SUM(json_extract(rollup, '$.praise')) AS praise,
                SUM(json_extract(rollup, '$.open')) AS open, SUM(json_extract(rollup, '$.acknowledged')) AS acknowledged,
                SUM(json_extract(rollup, '$.fixed')) AS fixed FROM days",
            Vec::new(),
        )?
        .unwrap_or_default())
}

/// Lines matching `c` in an order the inbox index serves (`created_ms` up or down), `limit` of
/// them after `offset`: SQLite walks the index in that order and stops, so a page reads about
/// as many rows as it skips and shows.
fn ordered(db: &Db<'_>, c: &Conditions, order: &str, offset: u64, limit: u64) -> DeskResult<Vec<Line>> {
    let mut bindings = c.bindings.clone();
    bindings.extend([int(limit), int(offset)]);
    Ok(db.rows(
        &format!("SELECT {LINE_COLUMNS} FROM entries WHERE {} ORDER BY created_ms {order} LIMIT ? OFFSET ?", c.sql()),
        bindings,
    )?)
}

/// The failures tab's page. Unfixed failures come by the deadline each races, overdue first:
/// an open one's is its creation plus the acknowledge target, an acknowledged one's its creation
/// plus the fix target, so each status is one index-ordered stream and the page is their merge.
/// Fixed failures come newest first, after the unfixed ones.
fn failure_lines(db: &Db<'_>, query: &InboxQuery, sla: tellus_core::site::Sla, now_ms: u64) -> DeskResult<Vec<Line>> {
    let (offset, size) = (query.offset(), u64::from(INBOX_PAGE_SIZE));
    let codes = failure_codes(query);
    let unfixed: Vec<&str> = codes.iter().copied().filter(|c| *c != "x").collect();
    let deadline = |code: &str, created_ms: u64| {
        created_ms + if code == "o" { ms(sla.acknowledge_minutes) } else { ms(sla.fix_minutes) }
    };
    let mut merged: Vec<(u64, Line)> = Vec::new();
    let mut unfixed_total = 0;
    for code in &unfixed {
        let c = failures(query, sla, now_ms, &[code]);
        let lines = ordered(db, &c, "ASC", 0, offset + size)?;
        merged.extend(lines.into_iter().map(|l| (deadline(code, l.created_ms), l)));
        if codes.contains(&"x") {
            unfixed_total += count(db, &c)?;
        }
    }
    merged.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.entry.cmp(&b.1.entry)));
    let mut lines: Vec<Line> = merged.into_iter().skip(offset as usize).take(size as usize).map(|(_, l)| l).collect();
    if codes.contains(&"x") && (lines.len() as u64) < size {
        // The fixed failures follow the unfixed ones: skip what earlier pages showed of them.
        let skip = offset.saturating_sub(unfixed_total);
        let c = failures(query, sla, now_ms, &["x"]);
        lines.extend(ordered(db, &c, "DESC", skip, size - lines.len() as u64)?);
    }
    Ok(lines)
}

/// One page of an inbox view, its tab counts and the figures of the unfixed failures.
pub fn page(inner: &super::Inner, db: &Db<'_>, site: &Site, query: &InboxQuery, now_ms: u64) -> DeskResult<InboxPage> {
    let sla = site.settings.sla;
    let failures_where = failures(query, sla, now_ms, failure_codes(query));
    let mut praise_where = shared(query, now_ms);
    // Praise is never a failure, so its status is always `-`: naming it lets SQLite read the
    // inbox index by time within praise.
    praise_where.add("kind = 'p' AND status = '-'", []);
    // Without filters, the counts are the daily aggregates' sums; with them, SQLite counts the
    // matching rows of the tab.
    let plain = query.touchpoint.is_none()
        && query.agent.is_none()
        && query.assignee.is_none()
        && query.lang.is_none()
        && query.period.is_none();
    let totals = totals(db)?;
    let sum = |v: Option<u64>| v.unwrap_or(0);
    let failures_count = if plain && query.sla == SlaFilter::Any && query.dimension.is_none() {
        match query.status {
            StatusFilter::Unfixed => sum(totals.open) + sum(totals.acknowledged),
            StatusFilter::Open => sum(totals.open),
            StatusFilter::Acknowledged => sum(totals.acknowledged),
            StatusFilter::Fixed => sum(totals.fixed),
            StatusFilter::Any => sum(totals.failures),
        }
    } else {
        count(db, &failures_where)?
    };
    let praise_count = if plain { sum(totals.praise) } else { count(db, &praise_where)? };
    let lines = match query.tab {
        Tab::Failures => failure_lines(db, query, sla, now_ms)?,
        Tab::Praise => ordered(db, &praise_where, "DESC", query.offset(), u64::from(INBOX_PAGE_SIZE))?,
    };
    let rows = lines.into_iter().map(Line::row).collect::<DeskResult<Vec<_>>>()?;

    // The unfixed failures, whatever the filters: the strip's figures and the suggestions.
    #[derive(Deserialize)]
    struct Unfixed {
        created_ms: u64,
        status: String,
        page: Option<String>,
        agent: Option<String>,
        assignee: Option<String>,
    }
    let unfixed: Vec<Unfixed> = db.rows(
        "SELECT created_ms, status, page, agent, assignee FROM entries WHERE kind = 'f' AND status IN ('o', 'a')",
        Vec::new(),
    )?;
    let mut strip = Strip::default();
    let (mut touchpoints, mut agents) = (BTreeSet::new(), BTreeSet::new());
    for row in &unfixed {
        strip.unfixed += 1;
        let open = row.status == "o";
        let overdue = row.created_ms + ms(sla.fix_minutes) < now_ms
            || (open && row.created_ms + ms(sla.acknowledge_minutes) < now_ms);
        strip.overdue += u64::from(overdue);
        strip.acknowledged += u64::from(!open);
        strip.unassigned += u64::from(row.assignee.is_none());
        touchpoints.extend(row.page.clone());
        agents.extend(row.agent.clone());
    }
    let unhealthy_endpoints =
        endpoints::all(db)?.iter().filter(|e| e.status() != EndpointStatus::Active).count() as u64;
    Ok(InboxPage {
        matching: if query.tab == Tab::Failures { failures_count } else { praise_count },
        failures: failures_count,
        praise: praise_count,
        rows,
        strip,
        teammates: teammates(inner, db)?,
        touchpoints: touchpoints.into_iter().take(100).collect(),
        agents: agents.into_iter().take(100).collect(),
        unhealthy_endpoints,
    })
}

use super::deliveries::{LOG_COLUMNS, Row as DeliveryRow};

/// A log row's endpoint and view (log rows are read without their message).
fn delivery_view(row: &DeliveryRow) -> DeskResult<(String, DeliveryView)> {
    Ok((row.endpoint().to_owned(), row.detail()?.summary))
}

/// A case's deliveries (oldest first, each with its endpoint's address, or its id if the
/// endpoint was removed since) and the remembered teammates.
pub fn case(inner: &super::Inner, db: &Db<'_>, entry_id: &str) -> DeskResult<CaseParts> {
    let rows: Vec<DeliveryRow> = db.rows(
        &format!("SELECT {LOG_COLUMNS} FROM deliveries WHERE entry = ? ORDER BY created_ms, id LIMIT 200"),
        vec![text(entry_id)],
    )?;
    let endpoints = endpoints::all(db)?;
    let mut deliveries = Vec::new();
    for row in rows {
        let (endpoint, view) = delivery_view(&row)?;
        let url = endpoints.iter().find(|e| e.id == endpoint).map_or(endpoint, |e| e.url.clone());
        deliveries.push((url, view));
    }
    Ok(CaseParts { deliveries, teammates: teammates(inner, db)? })
}

/// Newest deliveries shown per endpoint on the alerts page.
const RECENT_DELIVERIES: u64 = 20;

/// Every endpoint with its newest deliveries.
pub fn alerts(db: &Db<'_>) -> DeskResult<Vec<EndpointHealth>> {
    let mut health = Vec::new();
    for endpoint in endpoints::all(db)? {
        let rows: Vec<DeliveryRow> = db.rows(
            &format!(
                "SELECT {LOG_COLUMNS} FROM deliveries WHERE endpoint = ? ORDER BY created_ms DESC, id DESC LIMIT ?"
            ),
            vec![text(&endpoint.id), int(RECENT_DELIVERIES)],
        )?;
        let recent = rows.into_iter().map(|r| delivery_view(&r).map(|(_, v)| v)).collect::<DeskResult<Vec<_>>>()?;
        health.push(EndpointHealth { view: endpoint.view(), recent });
    }
    Ok(health)
}
