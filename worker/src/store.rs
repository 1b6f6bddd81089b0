//! Workers KV behind a small layer, so handlers read as business steps: typed reads answer
//! `Option` (absence is not an error; only handlers turn it into 404), and every operation is
//! counted as Cloudflare bills it (a bulk read of N keys is N reads), together with the calls to
//! the site's desk and the rows the desk reports, so tests and the bench can assert what an
//! action costs.

use crate::error::ApiResult;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use worker::kv::KvStore;

/// One key from a list, with its metadata.
pub struct Listed {
    pub name: String,
    pub metadata: Option<Value>,
}

/// A page of a list; `cursor` is `None` on the last page.
pub struct ListPage {
    pub keys: Vec<Listed>,
    pub cursor: Option<String>,
}

/// How a value is written.
#[derive(Default)]
pub struct Put<'a> {
    pub metadata: Option<&'a Value>,
    /// Seconds until KV deletes the key (at least 60).
    pub ttl_secs: Option<u64>,
    /// Absolute expiry (seconds since the epoch); kept when a key is rewritten.
    pub expires_at_secs: Option<u64>,
}

#[allow(async_fn_in_trait)] // single-threaded wasm: the futures need not be Send
pub trait Store {
    async fn get(&self, key: &str) -> ApiResult<Option<String>>;
    async fn get_many(&self, keys: &[String]) -> ApiResult<Vec<Option<String>>>;
    async fn put(&self, key: &str, value: &str, options: Put<'_>) -> ApiResult<()>;
    async fn list(&self, prefix: &str, cursor: Option<String>, limit: u64) -> ApiResult<ListPage>;
    async fn delete(&self, key: &str) -> ApiResult<()>;
}

/// Billed operation counts of one invocation.
#[derive(Default)]
pub struct OpCounts {
    pub reads: Cell<u32>,
    pub writes: Cell<u32>,
    pub lists: Cell<u32>,
    pub deletes: Cell<u32>,
    /// Calls to sites' desks (each a billed Durable Object request).
    pub do_requests: Cell<u32>,
    pub do_rows_read: Cell<u32>,
    pub do_rows_written: Cell<u32>,
}

impl OpCounts {
    fn bump(cell: &Cell<u32>, by: u32) {
        cell.set(cell.get().saturating_add(by));
    }

    pub fn count_desk_request(&self) {
        Self::bump(&self.do_requests, 1);
    }

    /// Adds what a desk reported (`read=3;written=5;kv_reads=1`): its rows, and the KV reads it
    /// made itself, which are billed like ours.
    pub fn add_desk_rows(&self, header: &str) {
        for part in header.split(';') {
            let Some((name, value)) = part.split_once('=') else { continue };
            let Ok(value) = value.parse::<u32>() else { continue };
            match name {
                "read" => Self::bump(&self.do_rows_read, value),
                "written" => Self::bump(&self.do_rows_written, value),
                "kv_reads" => Self::bump(&self.reads, value),
                _ => {}
            }
        }
    }

    /// `reads=2;writes=1;lists=0;deletes=0;do_requests=1;do_rows_read=4;do_rows_written=6`, for
    /// the `x-tellus-kv-ops` header.
    pub fn header_value(&self) -> String {
        format!(
            "reads={};writes={};lists={};deletes={};do_requests={};do_rows_read={};do_rows_written={}",
            self.reads.get(),
            self.writes.get(),
            self.lists.get(),
            self.deletes.get(),
            self.do_requests.get(),
            self.do_rows_read.get(),
            self.do_rows_written.get()
        )
    }
}

pub use tellus_core::protocol::KV_WRITE_LOG;

/// KV takes about one write a second per key (a delete is a write too).
const KEY_WRITE_SPACING_MS: u64 = 1_000;

/// Workers KV, counted, and paced per key: an invocation that writes a key it already wrote
/// less than a second ago (a due-queue key put and then deleted once a fast receiver answered)
/// waits out the rest of that second first. The wait is wall time, not CPU time.
pub struct Kv {
    kv: KvStore,
    pub ops: OpCounts,
    log_writes: bool,
    written: RefCell<HashMap<String, u64>>,
}

impl Kv {
    /// `log_writes` logs every write and delete with its key (tests and the bench only).
    pub fn new(kv: KvStore, log_writes: bool) -> Self {
        Kv { kv, ops: OpCounts::default(), log_writes, written: RefCell::default() }
    }

    /// Waits until `key` may be written again, then notes (and with `log_writes` logs) the write.
    async fn before_write(&self, key: &str) {
        let last = self.written.borrow().get(key).copied();
        let wait = last.map_or(0, |at| (at + KEY_WRITE_SPACING_MS).saturating_sub(crate::http::now_ms()));
        if wait > 0 {
            worker::Delay::from(std::time::Duration::from_millis(wait)).await;
        }
        let now = crate::http::now_ms();
        self.written.borrow_mut().insert(key.to_owned(), now);
        if self.log_writes {
            worker::console_log!("{KV_WRITE_LOG} {now} {key}");
        }
    }
}

/// KV's bulk read takes at most this many keys.
const BULK_GET_MAX: usize = 100;

impl Store for Kv {
    async fn get(&self, key: &str) -> ApiResult<Option<String>> {
        OpCounts::bump(&self.ops.reads, 1);
        Ok(self.kv.get(key).text().await?)
    }

    async fn get_many(&self, keys: &[String]) -> ApiResult<Vec<Option<String>>> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(BULK_GET_MAX) {
            // Billed per key, though it is one operation toward the per-invocation limit.
            OpCounts::bump(&self.ops.reads, u32::try_from(chunk.len()).unwrap_or(u32::MAX));
            let mut found = self.kv.get_bulk(chunk).text().await?;
            out.extend(chunk.iter().map(|key| found.remove(key).flatten()));
        }
        Ok(out)
    }

    async fn put(&self, key: &str, value: &str, options: Put<'_>) -> ApiResult<()> {
        OpCounts::bump(&self.ops.writes, 1);
        self.before_write(key).await;
        let mut builder = self.kv.put(key, value)?;
        if let Some(metadata) = options.metadata {
            builder = builder.metadata(metadata)?;
        }
        if let Some(ttl) = options.ttl_secs {
            builder = builder.expiration_ttl(ttl.max(60));
        }
        if let Some(at) = options.expires_at_secs {
            builder = builder.expiration(at);
        }
        Ok(builder.execute().await?)
    }

    async fn list(&self, prefix: &str, cursor: Option<String>, limit: u64) -> ApiResult<ListPage> {
        OpCounts::bump(&self.ops.lists, 1);
        let mut builder = self.kv.list().prefix(prefix.to_owned()).limit(limit.clamp(1, 1000));
        if let Some(cursor) = cursor {
            builder = builder.cursor(cursor);
        }
        let res = builder.execute().await?;
        let cursor = if res.list_complete { None } else { res.cursor.filter(|c| !c.is_empty()) };
        Ok(ListPage {
            keys: res.keys.into_iter().map(|k| Listed { name: k.name, metadata: k.metadata }).collect(),
            cursor,
        })
    }

    async fn delete(&self, key: &str) -> ApiResult<()> {
        OpCounts::bump(&self.ops.deletes, 1);
        self.before_write(key).await;
        Ok(self.kv.delete(key).await?)
    }
}

impl Kv {
    /// Reads and decodes a JSON value; `None` when the key is absent. A value that does not
    /// decode is an internal error (logged by the handler), never absence.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, key: &str) -> ApiResult<Option<T>> {
        match self.get(key).await? {
            Some(text) => Ok(Some(serde_json::from_str(&text)?)),
            None => Ok(None),
        }
    }

    /// Encodes and writes a JSON value.
    pub async fn put_json<T: serde::Serialize>(&self, key: &str, value: &T, options: Put<'_>) -> ApiResult<()> {
        self.put(key, &serde_json::to_string(value)?, options).await
    }
}
