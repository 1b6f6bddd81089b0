//! The tellus core: every rule and number of the product, with no I/O.
//!
//! The widget and the Worker are thin shells around this crate. Time and randomness are passed
//! in by the caller, so everything here is deterministic and tested natively.

pub mod auth;
pub mod callbacks;
pub mod charts;
pub mod entry;
pub mod html;
pub mod ids;
pub mod keys;
pub mod limits;
pub mod locale;
pub mod owner;
pub mod owner_page;
pub mod page_strings;
pub mod plural;
pub mod problem;
pub mod session;
pub mod site;
pub mod submission;
pub mod summary;
pub mod time;
pub mod validation;
pub mod widget_strings;
pub mod wire;
