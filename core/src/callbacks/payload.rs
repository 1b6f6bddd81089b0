//! What an event is about ([`EventContext`]), and the Standard Webhooks payload. The bodies of
//! the other formats are in [`super::render`].

use super::escalation::{EscalationStep, sla_state};
use super::{EventType, iso8601};
use crate::entry::{Entry, Kind};
use crate::site::Site;
use serde_json::{Value, json};

/// Largest request body a receiver gets (the comment caps it long before this).
pub const MAX_PAYLOAD_BYTES: usize = 32 * 1024;

/// Everything a message is built from. Rendering is a function of these alone (time is
/// `now_ms`, never the clock), so a delivery's body is fixed when it is created.
pub struct EventContext<'a> {
    pub event: EventType,
    pub entry: &'a Entry,
    pub site: &'a Site,
    /// The tellus origin the owner's summary page is served from, e.g. `https://tellus.example`.
    pub origin: &'a str,
    pub now_ms: u64,
    /// The escalation step, for `failure.overdue`.
    pub overdue: Option<EscalationStep>,
    /// The teammate the failure is assigned to, when it is.
    pub assignee: Option<&'a str>,
}

impl EventContext<'_> {
    /// The link to the entry's case page (its whole story and every action).
    pub fn link(&self) -> String {
        format!("{}/s/{}/entries/{}", self.origin.trim_end_matches('/'), self.site.id, self.entry.id)
    }

    /// The customer's consented contact details, for failure events only: they exist so the
    /// owner can call a customer back about a failure, so they only go to endpoints subscribed
    /// to failures (never with `praise.received`, even if a happy customer left them). Every
    /// format takes the contact from here.
    pub fn contact(&self) -> Option<&crate::entry::Contact> {
        self.entry.contact.as_ref().filter(|_| self.event != EventType::PraiseReceived)
    }

    /// The Standard Webhooks payload: `{type, timestamp, data}`.
    pub fn payload(&self) -> Value {
        let entry = self.entry;
        let sla = self.site.settings.sla;
        let mut data = json!({
            "entry_id": entry.id,
            "site": { "id": self.site.id, "name": self.site.settings.name },
            "kind": entry.kind,
            "status": entry.status,
            "scale": entry.scale,
            "rating": entry.rating,
            "dimensions": entry.dimensions,
            "comment": entry.comment,
            "touchpoint": entry.touchpoint,
            "lang": entry.lang,
            "created_at": iso8601(entry.created_ms),
            "age_seconds": self.now_ms.saturating_sub(entry.created_ms) / 1000,
            "link": self.link(),
        });
        if let Some(map) = data.as_object_mut() {
            // Contact details exist only when the customer consented; they are passed on so the
            // owner can call back, and only then.
            if let Some(contact) = self.contact() {
                map.insert("contact".into(), json!(contact));
            }
            if entry.kind == Kind::Failure {
                map.insert(
                    "sla".into(),
                    json!({
                        "acknowledge_minutes": sla.acknowledge_minutes,
                        "fix_minutes": sla.fix_minutes,
                        "acknowledge_by": iso8601(entry.created_ms + u64::from(sla.acknowledge_minutes) * 60_000),
                        "fix_by": iso8601(entry.created_ms + u64::from(sla.fix_minutes) * 60_000),
                        "acknowledged_at": entry.acknowledged_ms.map(iso8601),
                        "fixed_at": entry.fixed_ms.map(iso8601),
                        "state": sla_state(entry, sla, self.now_ms),
                    }),
                );
            }
            if let Some(assignee) = self.assignee {
                map.insert("assignee".into(), json!(assignee));
            }
            if let Some(step) = self.overdue {
                map.insert("overdue".into(), json!({ "clock": step.clock, "multiple": step.multiple }));
            }
            if self.event == EventType::FailureFixed && !entry.fix_note.is_empty() {
                map.insert("fix_note".into(), json!(entry.fix_note));
            }
            if let Some(assignee) = self.assignee {
                map.insert("assignee".into(), json!(assignee));
            }
        }
        json!({ "type": self.event.as_str(), "timestamp": iso8601(self.now_ms), "data": data })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::fixtures::{entry, site};

    #[test]
    fn the_payload_carries_what_the_owner_needs_to_call_back() {
        let (site, entry) = (site(), entry());
        let ctx = EventContext {
            event: EventType::FailureReported,
            entry: &entry,
            site: &site,
            origin: "https://tellus.example/",
            now_ms: entry.created_ms + 61 * 60_000,
            overdue: None,
            assignee: None,
        };
        assert!(ctx.payload()["data"].get("assignee").is_none(), "no assignee, no field");
        let assigned = EventContext { assignee: Some("Kadri"), ..ctx };
        assert_eq!(assigned.payload()["data"]["assignee"], "Kadri");
        let ctx = EventContext { assignee: None, ..assigned };
        let payload = ctx.payload();
        assert_eq!(payload["type"], "failure.reported");
        assert_eq!(payload["timestamp"], "2023-11-14T23:14:20.000Z");
        let data = &payload["data"];
        assert_eq!(data["entry_id"], entry.id);
        assert_eq!(data["site"]["id"], "site1");
        assert_eq!(data["rating"], 1);
        assert_eq!(data["dimensions"][0], "reliability");
        assert_eq!(data["touchpoint"]["page"], "/checkout");
        assert_eq!(data["contact"]["email"], "ann@example.com");
        assert_eq!(data["age_seconds"], 3660);
        assert_eq!(data["sla"]["state"], "acknowledge_overdue");
        assert_eq!(data["link"], "https://tellus.example/s/site1/entries/01jd0000000000000000000000");
        assert!(!payload.to_string().contains("secret-token"), "the receipt token stays private");

        let praise = EventContext { event: EventType::PraiseReceived, ..ctx };
        assert!(praise.payload()["data"].get("contact").is_none(), "contact goes with failures only");

        let mut no_contact = entry.clone();
        no_contact.contact = None;
        let ctx = EventContext { entry: &no_contact, ..ctx };
        assert!(ctx.payload()["data"].get("contact").is_none());
        assert!(ctx.payload()["data"].get("assignee").is_none(), "no assignee, no field");
        let assigned = EventContext { assignee: Some("Kadri"), ..ctx };
        assert_eq!(assigned.payload()["data"]["assignee"], "Kadri");
    }
}
