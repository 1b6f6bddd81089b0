//! The `/v1` wire types: what goes over HTTP, kept apart from the domain types so the API can
//! stay stable while storage changes.

use crate::entry::{Assignment, Contact, Dimension, Entry, Kind, Note, Reply, Rerating, Scale, Status, Touchpoint};
use crate::site::{ReviewLink, Site, SiteSettings};
use serde::{Deserialize, Serialize};

/// Answer to `POST /v1/sites`: the owner key appears here and nowhere else, ever.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatedSite {
    pub id: String,
    pub owner_key: String,
    pub settings: SiteSettings,
}

/// Answer to `GET /v1/sites/{site}/config`: what the widget needs, nothing secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SiteConfig {
    pub id: String,
    pub name: String,
    pub scale: Scale,
    pub failure_threshold: u8,
    pub review_links: Vec<ReviewLink>,
    pub theme_color: String,
}

impl SiteConfig {
    pub fn of(site: &Site) -> SiteConfig {
        let settings = &site.settings;
        SiteConfig {
            id: site.id.clone(),
            name: settings.name.clone(),
            scale: settings.scale,
            failure_threshold: settings.failure_threshold,
            review_links: settings.review_links.clone(),
            theme_color: settings.theme_color.clone(),
        }
    }
}

/// The body the widget posts. Validation is done by [`crate::submission::Submission::parse`];
/// this type only builds the JSON on the client side.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FeedbackRequest {
    pub rating: u8,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Dimension>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<Touchpoint>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub consent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lang: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub idempotency_key: String,
}

/// Answer to a stored (201) or replayed (200) submission.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    /// Secret the browser keeps to read this entry's status later. A replay of an idempotency
    /// key answers it again (it derives from the key, which only the sender holds), so a
    /// browser whose first answer was lost still keeps its receipt.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub receipt_token: String,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// True when this answers a replay of an idempotency key already stored.
    pub duplicate: bool,
}

/// One entry as the owner sees it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OwnerEntry {
    pub id: String,
    pub created_ms: u64,
    pub scale: Scale,
    pub rating: u8,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    pub comment: String,
    pub dimensions: Vec<Dimension>,
    pub touchpoint: Touchpoint,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    pub lang: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fix_note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rerating: Option<Rerating>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assignments: Vec<Assignment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

impl OwnerEntry {
    pub fn of(entry: Entry) -> OwnerEntry {
        OwnerEntry {
            id: entry.id,
            created_ms: entry.created_ms,
            scale: entry.scale,
            rating: entry.rating,
            kind: entry.kind,
            status: entry.status,
            comment: entry.comment,
            dimensions: entry.dimensions,
            touchpoint: entry.touchpoint,
            contact: entry.contact,
            lang: entry.lang,
            acknowledged_ms: entry.acknowledged_ms,
            fixed_ms: entry.fixed_ms,
            fix_note: entry.fix_note,
            reply: entry.reply,
            rerating: entry.rerating,
            assignee: entry.assignee,
            assignments: entry.assignments,
            notes: entry.notes,
        }
    }
}

/// Answer to `GET /v1/sites/{site}/receipts/{id}?token=`: what the customer may know about
/// their own entry on a return visit. Nothing else of the entry is revealed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReceiptStatus {
    pub id: String,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    /// True when the failure is fixed and the customer has not rated again yet.
    pub can_rerate: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rerating: Option<Rerating>,
}

impl ReceiptStatus {
    pub fn of(entry: &Entry) -> ReceiptStatus {
        ReceiptStatus {
            id: entry.id.clone(),
            kind: entry.kind,
            status: entry.status,
            reply: entry.reply.clone(),
            can_rerate: entry.status == Some(Status::Fixed) && entry.rerating.is_none(),
            rerating: entry.rerating,
        }
    }
}

/// A page of `GET /v1/sites/{site}/entries`, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntriesPage {
    pub entries: Vec<OwnerEntry>,
    /// Pass as `?cursor=` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}
