//! The emails wrangler's local `send_email` binding recorded: it sends nothing, logs From, To
//! and Subject and writes the text and HTML bodies to files whose paths it logs. Read back from
//! the shared e2e Worker's log.

use crate::poll;
use anyhow::{Context, Result};
use std::time::Duration;

/// One email as wrangler's local binding recorded it: the logged header lines and the bodies
/// read back from the files it wrote.
#[derive(Debug)]
pub struct Recorded {
    pub from: String,
    pub subject: String,
    /// Every header line the binding logged (`Reply-To: …` among them), as written.
    pub lines: Vec<String>,
    pub text: String,
    pub html: String,
}

/// Text without ANSI colour codes (the binding colours its log line).
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Every email the local binding recorded to `to`, oldest first, from the Worker's log.
pub fn recorded_to(to: &str) -> Result<Vec<Recorded>> {
    let log = plain(&std::fs::read_to_string(crate::paths::artifacts().join("wrangler-e2e.log")).unwrap_or_default());
    let mut found = Vec::new();
    for block in log.split("send_email binding called with MessageBuilder:").skip(1) {
        let lines: Vec<&str> = block.lines().map(str::trim).take(12).collect();
        let field = |name: &str| lines.iter().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_owned());
        if field("To:").as_deref() != Some(to) {
            continue;
        }
        let read = |name: &str| -> Result<String> {
            let path = field(name).with_context(|| format!("no {name} file logged"))?;
            std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))
        };
        found.push(Recorded {
            lines: lines.iter().map(|l| (*l).to_owned()).collect(),
            from: field("From:").unwrap_or_default(),
            subject: field("Subject:").unwrap_or_default(),
            text: read("Text:")?,
            html: read("HTML:")?,
        });
    }
    Ok(found)
}

/// Waits until `n` emails to `to` are recorded.
pub fn recorded(to: &str, n: usize) -> Result<Vec<Recorded>> {
    poll(&format!("{n} emails to {to} in the log"), Duration::from_secs(20), || {
        recorded_to(to).ok().filter(|found| found.len() >= n)
    })
}
