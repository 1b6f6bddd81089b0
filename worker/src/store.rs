//! Storage behind a small trait, so handlers read as business steps. The one implementation is
//! Workers KV; it counts its operations so tests and the bench can assert how much KV work a
//! request does.

use crate::error::ApiResult;
use serde_json::Value;
use std::cell::Cell;
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

/// Operation counts of one request.
#[derive(Default)]
pub struct OpCounts {
    pub reads: Cell<u32>,
    pub writes: Cell<u32>,
    pub lists: Cell<u32>,
    pub deletes: Cell<u32>,
}

impl OpCounts {
    fn bump(cell: &Cell<u32>, by: u32) {
        cell.set(cell.get().saturating_add(by));
    }

    /// `reads=2;writes=3;lists=0;deletes=0`, for the `x-tellus-kv-ops` header.
    pub fn header_value(&self) -> String {
        format!(
            "reads={};writes={};lists={};deletes={}",
            self.reads.get(),
            self.writes.get(),
            self.lists.get(),
            self.deletes.get()
        )
    }
}

/// Workers KV, counted.
pub struct Kv {
    kv: KvStore,
    pub ops: OpCounts,
}

impl Kv {
    pub fn new(kv: KvStore) -> Self {
        Kv { kv, ops: OpCounts::default() }
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
            OpCounts::bump(&self.ops.reads, 1);
            let mut found = self.kv.get_bulk(chunk).text().await?;
            out.extend(chunk.iter().map(|key| found.remove(key).flatten()));
        }
        Ok(out)
    }

    async fn put(&self, key: &str, value: &str, options: Put<'_>) -> ApiResult<()> {
        OpCounts::bump(&self.ops.writes, 1);
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
        Ok(self.kv.delete(key).await?)
    }
}
