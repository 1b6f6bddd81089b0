//! The records in Workers KV, typed: sites and entries. Reads answer `Option` (absence is not an
//! error); only handlers turn `None` into 404, and a store or decoding failure stays an internal
//! error, logged and answered 5xx, never shown as "not found". Everything a site's desk keeps
//! (endpoints, deliveries, the failure index, aggregates) is in `crate::desk`, not here.

pub mod entries;
pub mod sites;
