//! A case's history as one timeline, oldest first: received, acknowledged, each assignment,
//! each note, the reply, the fix, the new rating and every callback delivery about the entry.

use crate::callbacks::DeliveryView;
use crate::entry::Entry;

/// One moment of a case.
#[derive(Debug, Clone)]
pub enum HistoryItem<'a> {
    Received,
    Acknowledged,
    /// Handed to a teammate; an empty name is "handed back to nobody".
    Assigned(&'a str),
    Note(&'a str),
    Replied(&'a str),
    /// Fixed, with the note of what was done (may be empty).
    Fixed(&'a str),
    Rerated(u8),
    /// A callback delivery to the endpoint at this address.
    Delivery(&'a str, &'a DeliveryView),
}

/// The timeline of `entry` with the deliveries about it (`(endpoint address, delivery)`), in
/// time order; of two things at the same moment, the one the life cycle puts first comes first.
pub fn history<'a>(entry: &'a Entry, deliveries: &'a [(String, DeliveryView)]) -> Vec<(u64, HistoryItem<'a>)> {
    let mut items = vec![(entry.created_ms, HistoryItem::Received)];
    if let Some(at) = entry.acknowledged_ms {
        items.push((at, HistoryItem::Acknowledged));
    }
    items.extend(entry.assignments.iter().map(|a| (a.at_ms, HistoryItem::Assigned(a.name.as_str()))));
    items.extend(entry.notes.iter().map(|n| (n.at_ms, HistoryItem::Note(n.text.as_str()))));
    if let Some(reply) = &entry.reply {
        items.push((reply.at_ms, HistoryItem::Replied(reply.text.as_str())));
    }
    if let Some(at) = entry.fixed_ms {
        items.push((at, HistoryItem::Fixed(entry.fix_note.as_str())));
    }
    if let Some(rerating) = entry.rerating {
        items.push((rerating.at_ms, HistoryItem::Rerated(rerating.rating)));
    }
    for (url, delivery) in deliveries {
        let at = crate::time::parse_timestamp(&delivery.created_at).unwrap_or(entry.created_ms);
        items.push((at, HistoryItem::Delivery(url.as_str(), delivery)));
    }
    // A stable sort keeps the order above among equal times (received before its deliveries).
    items.sort_by_key(|(at, _)| *at);
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::fixtures::entry;
    use crate::callbacks::{DeliveryState, EventType};

    #[test]
    fn the_timeline_runs_from_received_to_rerated_with_every_delivery() {
        let mut entry = entry();
        let t0 = entry.created_ms;
        entry.assign(t0 + 1_000, "Kadri").unwrap();
        entry.acknowledge(t0 + 2_000).unwrap();
        entry.add_note(t0 + 3_000, "Called, no answer".into()).unwrap();
        entry.reply(t0 + 4_000, "Sorry!".into());
        entry.fix(t0 + 5_000, "Refunded".into()).unwrap();
        entry.rerate(t0 + 6_000, 4).unwrap();
        let delivery = DeliveryView {
            id: "msg_1".into(),
            event: EventType::FailureReported,
            entry_id: entry.id.clone(),
            state: DeliveryState::Delivered,
            attempts: 1,
            last_status: Some(200),
            latency_ms: Some(12),
            last_attempt_at: None,
            next_attempt_at: None,
            created_at: crate::time::timestamp(t0),
        };
        let deliveries = vec![("https://hooks.example/x".to_owned(), delivery)];
        let items: Vec<String> = history(&entry, &deliveries)
            .into_iter()
            .map(|(_, item)| match item {
                HistoryItem::Delivery(url, d) => format!("Delivery({url}, {})", d.id),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            items,
            [
                "Received",
                "Delivery(https://hooks.example/x, msg_1)",
                "Assigned(\"Kadri\")",
                "Acknowledged",
                "Note(\"Called, no answer\")",
                "Replied(\"Sorry!\")",
                "Fixed(\"Refunded\")",
                "Rerated(4)",
            ]
        );
    }
}
