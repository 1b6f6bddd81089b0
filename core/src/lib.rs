//! The tellus core: every rule and number of the product, with no I/O.
//!
//! The widget and the Worker are thin shells around this crate. Time and randomness are passed
//! in by the caller, so everything here is deterministic and tested natively.

pub mod auth;
pub mod callbacks;
pub mod charts;
pub mod entry;
pub mod html;
pub mod i18n;
pub mod ids;
pub mod input;
pub mod keys;
pub mod limits;
pub mod owner;
pub mod owner_page;
pub mod problem;
pub mod session;
pub mod site;
pub mod submission;
pub mod summary;
pub mod time;
pub mod wire;

// Old paths, kept for the Worker, the widget, the xtask and the modules not yet moved.
pub use i18n::page as page_strings;
pub use i18n::widget as widget_strings;
pub use i18n::{locale, plural};
pub use input::fields as validation;
