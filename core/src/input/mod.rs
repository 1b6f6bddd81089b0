//! Parse, don't validate: what turns raw input into validated values, once, at the boundary.
//!
//! [`fields`] reads a JSON body (strictly: duplicate keys are refused) and walks its fields,
//! collecting every bad one; [`url`] holds the web addresses an owner gives us and the policy of
//! which we take. The domain's own `parse` functions (`Submission::parse`,
//! `SiteSettings::parse`) are built from these.

pub mod fields;
pub mod url;
