//! The site's callback endpoints at its desk: one row each, health included, so the attempts
//! finishing at once update it one after another and never overwrite each other.

use super::db::{Db, text};
use super::{DeskError, DeskResult, deliveries};
use serde::Deserialize;
use tellus_core::callbacks::{Endpoint, EventType, MAX_ENDPOINTS_PER_SITE};

#[derive(Deserialize)]
struct Row {
    body: String,
}

/// Every endpoint, oldest first.
pub fn all(db: &Db<'_>) -> DeskResult<Vec<Endpoint>> {
    let rows: Vec<Row> = db.rows("SELECT body FROM endpoints", Vec::new())?;
    let mut endpoints = rows.iter().map(|r| serde_json::from_str(&r.body)).collect::<Result<Vec<Endpoint>, _>>()?;
    endpoints.sort_by(|a, b| a.created_ms.cmp(&b.created_ms).then_with(|| a.id.cmp(&b.id)));
    Ok(endpoints)
}

pub fn get(db: &Db<'_>, id: &str) -> DeskResult<Option<Endpoint>> {
    let row: Option<Row> = db.row("SELECT body FROM endpoints WHERE id = ?", vec![text(id)])?;
    Ok(row.map(|r| serde_json::from_str(&r.body)).transpose()?)
}

pub fn save(db: &Db<'_>, endpoint: &Endpoint) -> DeskResult<()> {
    db.run(
        "INSERT INTO endpoints (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
        vec![text(&endpoint.id), text(serde_json::to_string(endpoint)?)],
    )?;
    Ok(())
}

/// Registers an endpoint, at most [`MAX_ENDPOINTS_PER_SITE`] a site.
pub fn add(db: &Db<'_>, endpoint: &Endpoint) -> DeskResult<()> {
    if all(db)?.len() >= MAX_ENDPOINTS_PER_SITE {
        return Err(DeskError::Conflict(format!(
            "A site can have at most {MAX_ENDPOINTS_PER_SITE} callback endpoints; delete one first."
        )));
    }
    save(db, endpoint)
}

/// Removes an endpoint; its pending deliveries are cancelled at once, its log stays until it
/// expires.
pub fn remove(db: &Db<'_>, id: &str) -> DeskResult<()> {
    if !db.changed("DELETE FROM endpoints WHERE id = ?", vec![text(id)])? {
        return Err(DeskError::NotFound);
    }
    deliveries::cancel_for_endpoint(db, id)
}

/// Changes which events an endpoint gets (already checked: at least one, each known).
pub fn set_events(db: &Db<'_>, id: &str, events: Vec<EventType>) -> DeskResult<Endpoint> {
    let mut endpoint = get(db, id)?.ok_or(DeskError::NotFound)?;
    endpoint.events = events;
    save(db, &endpoint)?;
    Ok(endpoint)
}

/// Rotates an endpoint's secret; answers the endpoint as it is now.
pub fn rotate(db: &Db<'_>, id: &str, secret: String, now_ms: u64) -> DeskResult<Endpoint> {
    let mut endpoint = get(db, id)?.ok_or(DeskError::NotFound)?;
    endpoint.rotate(secret, now_ms);
    save(db, &endpoint)?;
    Ok(endpoint)
}
