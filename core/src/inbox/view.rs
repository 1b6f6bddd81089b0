//! What the site's desk answers for the owner's pages: an inbox page (its lines, the tab
//! counts, the figures of the unfixed failures), a case's deliveries, each endpoint's health.

use crate::callbacks::{DeliveryView, EndpointView, SlaState, sla_state_of};
use crate::entry::{Dimension, Kind, Status};
use crate::site::Sla;
use serde::{Deserialize, Serialize};

/// One line of the inbox: the facts the desk keeps of an entry, no more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRow {
    pub id: String,
    pub created_ms: u64,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    pub rating: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Dimension>,
    /// The touchpoint page, agent and assignee; empty when there is none.
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub agent: String,
    #[serde(default)]
    pub assignee: String,
    /// The start of the comment, on one line ([`super::excerpt`]).
    #[serde(default)]
    pub excerpt: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_ms: Option<u64>,
}

impl InboxRow {
    /// Where the line stands against the site's SLA now.
    pub fn sla_state(&self, sla: Sla, now_ms: u64) -> SlaState {
        sla_state_of(self.created_ms, self.status, self.fixed_ms, sla, now_ms)
    }

    /// The deadline an unfixed failure is racing: acknowledging while open, fixing once
    /// acknowledged (the inbox's order, overdue first).
    pub fn deadline_ms(&self, sla: Sla) -> Option<u64> {
        let minutes = match self.status {
            Some(Status::Open) => sla.acknowledge_minutes,
            Some(Status::Acknowledged) => sla.fix_minutes,
            _ => return None,
        };
        Some(self.created_ms + u64::from(minutes) * 60_000)
    }
}

/// The figures of every unfixed failure, whatever the view's filters: what needs doing now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strip {
    pub unfixed: u64,
    /// Past either deadline.
    pub overdue: u64,
    /// Acknowledged, not fixed yet.
    pub acknowledged: u64,
    /// With nobody assigned.
    pub unassigned: u64,
}

/// One inbox page as the desk answers it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct InboxPage {
    pub rows: Vec<InboxRow>,
    /// Lines matching the view on its tab (all pages).
    pub matching: u64,
    /// Each tab's count under the view's shared filters (touchpoint, agent, assignee, language,
    /// period; status, SLA and dimension apply to failures only).
    pub failures: u64,
    pub praise: u64,
    pub strip: Strip,
    /// The site's remembered teammates, most recently used first.
    pub teammates: Vec<String>,
    /// Touchpoints and agents of the unfixed failures, for the filters' suggestions.
    pub touchpoints: Vec<String>,
    pub agents: Vec<String>,
    /// Endpoints that are failing or disabled (the inbox warns that alerts may not arrive).
    pub unhealthy_endpoints: u64,
}

/// What a case view reads from the desk besides the entry itself.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CaseParts {
    /// Every delivery about the entry, oldest first, with its endpoint's address.
    pub deliveries: Vec<(String, DeliveryView)>,
    pub teammates: Vec<String>,
}

/// One callback endpoint with its recent deliveries (the alerts page).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndpointHealth {
    pub view: EndpointView,
    /// The newest deliveries, newest first.
    pub recent: Vec<DeliveryView>,
}

impl EndpointHealth {
    pub fn last(&self) -> Option<&DeliveryView> {
        self.recent.first()
    }

    pub fn failed(&self) -> impl Iterator<Item = &DeliveryView> {
        self.recent.iter().filter(|d| d.state == crate::callbacks::DeliveryState::Failed)
    }
}
