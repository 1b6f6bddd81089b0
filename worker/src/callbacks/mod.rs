//! Callbacks (webhooks), the Worker's side: the owner's API for endpoints and the delivery log
//! ([`api`]) and the local-only test support ([`test_support`]). Every rule and number is in
//! `tellus_core::callbacks`; what is sent, when, and the record of each attempt live in the
//! site's desk (`crate::desk`), which runs them on its alarm. See ARCHITECTURE.md, "Callbacks".

pub mod api;
pub mod test_support;
