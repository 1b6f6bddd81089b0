//! How the product's records are named and found in Workers KV: the key layout ([`keys`]), the
//! identifiers inside the keys ([`ids`]) and the owner's filters over a listed page of entries
//! ([`filter`]). Pure: the Worker's store does the reading and writing.

pub mod filter;
pub mod ids;
pub mod keys;
