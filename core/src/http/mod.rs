//! The HTTP boundary, as pure types and rules: the `/v1` wire types ([`wire`]), the API's
//! problem responses ([`problem`]), owner keys and bearer tokens ([`auth`]), and the owner
//! page's sessions, cookies and forms ([`session`]), the names of the local test protocol and
//! the operation counts the Worker and its harness share ([`protocol`]), and the route table
//! ([`routes`]: which addresses exist, with which methods). The Worker does the I/O.

pub mod auth;
pub mod problem;
pub mod protocol;
pub mod routes;
pub mod session;
pub mod wire;
