//! The desk's SQLite, counted: every statement adds the rows it read and wrote to the counts of
//! the invocation that ran it (Cloudflare bills Durable Objects by rows read and written).

use serde::de::DeserializeOwned;
use std::cell::Cell;
use worker::{SqlStorage, SqlStorageValue};

/// Rows read and written by one invocation of the desk (a call, an alarm, an attempt's task).
#[derive(Debug, Default)]
pub struct Rows {
    pub read: Cell<u64>,
    pub written: Cell<u64>,
    /// KV reads the desk made itself (a record checked before a retry or escalation step).
    pub kv_reads: Cell<u64>,
}

impl Rows {
    /// `read=3;written=5;kv_reads=0`, for the answer's header and the ops log.
    pub fn header_value(&self) -> String {
        format!("read={};written={};kv_reads={}", self.read.get(), self.written.get(), self.kv_reads.get())
    }
}

/// The desk's database with the counts of the invocation using it.
pub struct Db<'a> {
    sql: SqlStorage,
    rows: &'a Rows,
}

pub type Value = SqlStorageValue;

/// An integer column value (SQLite integers are 64-bit; times in ms fit easily).
pub fn int(n: u64) -> Value {
    Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

pub fn text(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

pub fn opt_int(n: Option<u64>) -> Value {
    n.map_or(Value::Null, int)
}

impl<'a> Db<'a> {
    pub fn new(sql: SqlStorage, rows: &'a Rows) -> Db<'a> {
        Db { sql, rows }
    }

    fn count(&self, cursor: &worker::SqlCursor) {
        self.rows.read.set(self.rows.read.get() + cursor.rows_read() as u64);
        self.rows.written.set(self.rows.written.get() + cursor.rows_written() as u64);
    }

    /// Runs a statement that returns no rows (or whose rows are not wanted).
    pub fn run(&self, query: &str, bindings: Vec<Value>) -> worker::Result<()> {
        let cursor = self.sql.exec(query, bindings)?;
        // Stepping through the cursor makes SQLite do the work and report its row counts.
        for row in cursor.clone() {
            row?;
        }
        self.count(&cursor);
        Ok(())
    }

    /// Runs a query and deserialises every row.
    pub fn rows<T: DeserializeOwned>(&self, query: &str, bindings: Vec<Value>) -> worker::Result<Vec<T>> {
        let cursor = self.sql.exec(query, bindings)?;
        let rows = cursor.to_array()?;
        self.count(&cursor);
        Ok(rows)
    }

    /// The first row of a query, if any.
    pub fn row<T: DeserializeOwned>(&self, query: &str, bindings: Vec<Value>) -> worker::Result<Option<T>> {
        Ok(self.rows(query, bindings)?.into_iter().next())
    }

    /// Rows changed by an `INSERT … ON CONFLICT DO NOTHING`, `UPDATE` or `DELETE`: whether it
    /// changed anything (SQLite's `changes()`, read in the same statement's cursor).
    pub fn changed(&self, query: &str, bindings: Vec<Value>) -> worker::Result<bool> {
        let cursor = self.sql.exec(query, bindings)?;
        for row in cursor.clone() {
            row?;
        }
        self.count(&cursor);
        Ok(cursor.rows_written() > 0)
    }
}
