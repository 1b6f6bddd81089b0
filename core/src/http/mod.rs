//! The HTTP boundary, as pure types and rules: the `/v1` wire types ([`wire`]), the API's
//! problem responses ([`problem`]), owner keys and bearer tokens ([`auth`]), and the owner
//! page's sessions, cookies and forms ([`session`]). The Worker does the I/O.

pub mod auth;
pub mod problem;
pub mod session;
pub mod wire;
