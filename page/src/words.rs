//! How the pages say things: durations in words with each language's plural forms, moments,
//! numbers, and the names of statuses, SLA states, dimensions and delivery states.

use tellus_core::callbacks::{DeliveryState, DeliveryView, EndpointStatus, SlaState};
use tellus_core::entry::{Dimension, Status};
use tellus_core::page_strings::PageStrings;

pub use tellus_core::i18n::page::duration;

/// The largest unit only (`3 days`, `5 hours`): an inbox line's age.
pub fn age(minutes: u64, s: &PageStrings) -> String {
    match minutes {
        m if m >= 1_440 => s.count(s.days, m / 1_440),
        m if m >= 60 => s.count(s.hours, m / 60),
        m => s.count(s.minutes, m),
    }
}

/// A moment as the language writes a date and time, in UTC.
pub fn when(ms: u64, s: &PageStrings) -> String {
    s.locale().date_time_utc(ms)
}

/// A delivery's timestamp (`2026-11-23T09:05:00.000Z`) as a moment; as written if unreadable.
pub fn when_text(timestamp: &str, s: &PageStrings) -> String {
    tellus_core::time::parse_timestamp(timestamp).map_or_else(|| timestamp.to_owned(), |ms| when(ms, s))
}

pub fn integer(n: impl Into<i128>, s: &PageStrings) -> String {
    s.locale().integer(n)
}

pub fn percent(value: Option<f64>, s: &PageStrings) -> String {
    value.map_or_else(|| s.no_data.to_owned(), |v| s.locale().percent(v))
}

pub fn signed(value: Option<f64>, s: &PageStrings) -> String {
    value.map_or_else(|| s.no_data.to_owned(), |v| s.locale().signed(v))
}

pub fn minutes_text(value: Option<u32>, s: &PageStrings) -> String {
    value.map_or_else(|| s.no_data.to_owned(), |m| duration(u64::from(m), s))
}

pub fn dimension_name(dimension: Dimension, s: &PageStrings) -> &'static str {
    let index = Dimension::ALL.iter().position(|d| *d == dimension).unwrap_or(0);
    s.dimension_names[index]
}

/// A dimension's short name, for an inbox line.
pub fn dimension_short(dimension: Dimension, s: &PageStrings) -> &'static str {
    let index = Dimension::ALL.iter().position(|d| *d == dimension).unwrap_or(0);
    s.dimension_short[index]
}

pub fn status_name(status: Option<Status>, s: &PageStrings) -> &'static str {
    match status {
        Some(Status::Open) => s.status_open,
        Some(Status::Acknowledged) => s.status_acknowledged,
        Some(Status::Fixed) => s.status_fixed,
        None => s.status_praise,
    }
}

/// An SLA state in words and the class that colours it.
pub fn sla_name(state: SlaState, s: &PageStrings) -> (&'static str, &'static str) {
    match state {
        SlaState::FixOverdue => (s.sla_fix_overdue, "late"),
        SlaState::AcknowledgeOverdue => (s.sla_ack_overdue, "late"),
        SlaState::OnTime => (s.sla_on_time, "ok"),
        SlaState::FixedOnTime => (s.sla_fixed_on_time, "ok"),
        SlaState::FixedLate => (s.sla_fixed_late, "done-late"),
        SlaState::None => ("", "none"),
    }
}

pub fn delivery_state(state: DeliveryState, s: &PageStrings) -> &'static str {
    let index = match state {
        DeliveryState::Pending => 0,
        DeliveryState::Delivered => 1,
        DeliveryState::Failed => 2,
        DeliveryState::Cancelled => 3,
    };
    s.delivery_states[index]
}

/// An endpoint's status in the page's language.
pub fn endpoint_status(status: EndpointStatus, s: &PageStrings) -> &'static str {
    let index = EndpointStatus::ALL.iter().position(|known| *known == status).unwrap_or(0);
    s.endpoint_statuses[index]
}

/// A delivery as `failure.reported failed (HTTP 410), 3 attempts`; the event type stays as it
/// is, because it is the name the owner subscribes to.
pub fn delivery_text(delivery: &DeliveryView, s: &PageStrings) -> String {
    let mut text = format!("{} {}", delivery.event.as_str(), delivery_state(delivery.state, s));
    if let Some(status) = delivery.last_status {
        text.push_str(&format!(" (HTTP {status})"));
    }
    text.push_str(&format!(", {}", s.count(s.attempts, u64::from(delivery.attempts))));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use tellus_core::page_strings::{AR, EN, FI, PL, RU};

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(45, &EN), "45 minutes");
        assert_eq!(duration(1, &EN), "1 minute");
        assert_eq!(duration(120, &EN), "2 hours");
        assert_eq!(duration(200, &EN), "3 hours 20 minutes");
        assert_eq!(duration(3 * 1_440 + 60, &EN), "3 days 1 hour");
        assert_eq!(duration(2 * 1_440, &EN), "2 days");
        // Each number takes its own plural form.
        assert_eq!(duration(21 * 60 + 5, &RU), "21 час 5 минут");
        assert_eq!(duration(2 * 1_440 + 22 * 60, &RU), "2 дня 22 часа");
        assert_eq!(duration(12 * 60 + 22, &PL), "12 godzin 22 minuty");
        assert_eq!(duration(1_440 + 2 * 60, &AR), "يوم واحد وساعتان");
        assert_eq!(duration(11 * 1_440 + 3 * 60, &AR), "11 يومًا و3 ساعات");
        assert_eq!(duration(30, &FI), "30 minuuttia");
        assert_eq!(age(3 * 1_440 + 600, &EN), "3 days");
        assert_eq!(age(59, &RU), "59 минут");
    }
}
