//! The tellus core: every rule and number of the product, with no I/O.
//!
//! The widget and the Worker are thin shells around this crate. Time and randomness are passed
//! in by the caller, so everything here is deterministic and tested natively.
//!
//! The modules, in the order a reader meets them (ARCHITECTURE.md's code map says the same):
//! - the domain: [`entry`] (what a customer told us, the failure rule), [`submission`] (the
//!   widget's entry, parsed once), [`site`] (an owner's settings), [`summary`] (rollups and the
//!   period figures), [`callbacks`] (webhooks: signing, retries, escalation, payloads);
//! - [`limits`] (every size limit and default), [`time`] (civil dates, the one timestamp
//!   format), [`export`] (the CSV export);
//! - [`input`]: parsing raw input once (JSON fields, web addresses);
//! - [`storage`]: the KV key layout, the ids inside it, the owner's entry filter;
//! - [`http`]: the wire types, problem responses, owner keys, page sessions and forms;
//! - [`i18n`]: the six languages ([`i18n::Lang`]) and every word and number format per language;
//! - the owner's pages' rules and data: [`inbox`] (the inbox and case view; the HTML is the
//!   `tellus-page` crate), [`html`] (escaping, for the HTML core still writes);
//! - after the customer has left: [`followup`] (the customer's follow-up email, the receipt page,
//!   the hosted feedback page) and [`mail`] (the one email message type and its retry rule).

pub mod callbacks;
pub mod entry;
pub mod export;
pub mod followup;
pub mod html;
pub mod http;
pub mod i18n;
pub mod inbox;
pub mod input;
pub mod limits;
pub mod mail;
pub mod site;
pub mod storage;
pub mod submission;
pub mod summary;
pub mod time;

// The flat paths of the tree before it had folders, kept so the Worker, the widget, the xtask,
// the tests and the modules not yet moved need no edit. New code names the folders.
pub use http::{auth, problem, protocol, session, wire};
pub use i18n::page as page_strings;
pub use i18n::widget as widget_strings;
pub use i18n::{locale, plural};
pub use input::fields as validation;
pub use storage::{ids, keys};

/// Old paths of what `owner.rs` held: the entry filter (now [`storage::filter`]), the owner's
/// action bodies ([`input::fields::parse_text_body`]), the CSV export ([`export`]) and the civil
/// dates ([`time`]).
pub mod owner {
    pub use crate::export::{CSV_HEADER, csv_cell, csv_row};
    pub use crate::input::fields::parse_text_body;
    pub use crate::storage::filter::EntryFilter;
    pub use crate::time::{civil, days_from_civil, iso_date as civil_from_days, parse_iso_date as parse_date};
}
