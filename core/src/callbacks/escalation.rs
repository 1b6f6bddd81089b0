//! Escalation: the overdue schedule of an unfixed failure, and where a failure stands against
//! its SLA.

use crate::entry::{Entry, Status};
use crate::site::Sla;
use serde::{Deserialize, Serialize};

/// Which SLA clock an escalation step measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlaClock {
    Acknowledge,
    Fix,
}

/// One step of the overdue escalation of a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscalationStep {
    /// 0-based position in the schedule (part of the queue key and of the message id).
    pub step: u32,
    pub clock: SlaClock,
    /// How many times the SLA target has passed (1, 2, 4, 8, then 16, 24, … for fixing).
    pub multiple: u32,
    pub due_ms: u64,
}

impl EscalationStep {
    /// Whether this step fires for a failure in this state: never once fixed; an acknowledge
    /// step only while unacknowledged; a fix step while unfixed.
    pub fn applies(&self, status: Option<Status>) -> bool {
        matches!((status, self.clock), (Some(Status::Open), _) | (Some(Status::Acknowledged), SlaClock::Fix))
    }
}

/// Steps past this are not scheduled (with a one-minute fix SLA that is still 12 hours of
/// escalation; with the default of one day, more than a year).
const MAX_ESCALATION_STEPS: u32 = 100;

/// The overdue escalation schedule of a failure created at `created_ms`: the acknowledge SLA at
/// 1×, 2×, 4×, 8×, and the fix SLA at 1×, 2×, 4×, 8×, then every further 8×, merged in time
/// order. When both clocks fall due at the same moment only the fix step is kept (it fires in
/// every state the acknowledge step would).
pub fn escalation_schedule(created_ms: u64, sla: Sla) -> impl Iterator<Item = EscalationStep> {
    let ack_ms = u64::from(sla.acknowledge_minutes) * 60_000;
    let fix_ms = u64::from(sla.fix_minutes) * 60_000;
    let ack = [1u32, 2, 4, 8].into_iter().map(move |m| (SlaClock::Acknowledge, m, created_ms + ack_ms * u64::from(m)));
    let fix_multiple = |i: u32| if i < 4 { 1u32 << i } else { 8 * (i - 2) };
    let fix = (0..MAX_ESCALATION_STEPS)
        .map(fix_multiple)
        .map(move |m| (SlaClock::Fix, m, created_ms + fix_ms * u64::from(m)));
    let mut ack = ack.peekable();
    let mut fix = fix.peekable();
    let mut step = 0u32;
    std::iter::from_fn(move || {
        if step >= MAX_ESCALATION_STEPS {
            return None;
        }
        let next = match (ack.peek().copied(), fix.peek().copied()) {
            (Some(a), Some(f)) if a.2 < f.2 => ack.next(),
            (Some(a), Some(f)) if a.2 == f.2 => {
                ack.next();
                fix.next()
            }
            (_, Some(_)) => fix.next(),
            (Some(_), None) => ack.next(),
            (None, None) => None,
        }?;
        let out = EscalationStep { step, clock: next.0, multiple: next.1, due_ms: next.2 };
        step += 1;
        Some(out)
    })
}

/// For an alarm at `now_ms` that found step `from` due, for a failure in `status`: the latest
/// step due by now that applies (the one to fire: after a long pause one overdue callback says
/// how late it is, not eight in a row), and the first step after now that applies (the one to
/// schedule). Steps that cannot apply in `status` (an acknowledge step once acknowledged) are
/// neither fired nor scheduled, so they wake nothing.
pub fn escalation_catch_up(
    created_ms: u64,
    sla: Sla,
    from: u32,
    now_ms: u64,
    status: Option<Status>,
) -> (Option<EscalationStep>, Option<EscalationStep>) {
    let mut current = None;
    for step in escalation_schedule(created_ms, sla).skip(from as usize).filter(|s| s.applies(status)) {
        if step.due_ms > now_ms {
            return (current, Some(step));
        }
        current = Some(step);
    }
    (current, None)
}

/// The first step from `from` on that applies to a failure in `status`: where its escalation
/// stands after a change (an acknowledgement skips the remaining acknowledge steps).
pub fn next_applicable_step(created_ms: u64, sla: Sla, from: u32, status: Option<Status>) -> Option<EscalationStep> {
    escalation_schedule(created_ms, sla).skip(from as usize).find(|s| s.applies(status))
}

/// Where a failure stands against its SLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Not a failure: no SLA applies.
    None,
    OnTime,
    AcknowledgeOverdue,
    FixOverdue,
    FixedOnTime,
    FixedLate,
}

impl SlaState {
    /// The name in answers and in the page's markup.
    pub fn as_str(self) -> &'static str {
        match self {
            SlaState::None => "none",
            SlaState::OnTime => "on_time",
            SlaState::AcknowledgeOverdue => "acknowledge_overdue",
            SlaState::FixOverdue => "fix_overdue",
            SlaState::FixedOnTime => "fixed_on_time",
            SlaState::FixedLate => "fixed_late",
        }
    }

    /// Whether a deadline has passed and the failure is still not fixed.
    pub fn is_overdue(self) -> bool {
        matches!(self, SlaState::AcknowledgeOverdue | SlaState::FixOverdue)
    }
}

/// Where a failure stands against its SLA at `now_ms`.
pub fn sla_state(entry: &Entry, sla: Sla, now_ms: u64) -> SlaState {
    sla_state_of(entry.created_ms, entry.status, entry.fixed_ms, sla, now_ms)
}

/// [`sla_state`] from the few facts it needs (the owner's inbox has these, not whole entries).
pub fn sla_state_of(created_ms: u64, status: Option<Status>, fixed_ms: Option<u64>, sla: Sla, now_ms: u64) -> SlaState {
    let ack_by = created_ms + u64::from(sla.acknowledge_minutes) * 60_000;
    let fix_by = created_ms + u64::from(sla.fix_minutes) * 60_000;
    match status {
        None => SlaState::None,
        Some(Status::Fixed) => {
            if fixed_ms.unwrap_or(u64::MAX) <= fix_by {
                SlaState::FixedOnTime
            } else {
                SlaState::FixedLate
            }
        }
        Some(_) if now_ms > fix_by => SlaState::FixOverdue,
        Some(Status::Open) if now_ms > ack_by => SlaState::AcknowledgeOverdue,
        Some(_) => SlaState::OnTime,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::fixtures::entry;

    #[test]
    fn escalation_runs_at_one_two_four_eight_times_the_sla_and_then_keeps_going() {
        let sla = Sla { acknowledge_minutes: 60, fix_minutes: 24 * 60 };
        let steps: Vec<(SlaClock, u32, u64)> =
            escalation_schedule(0, sla).take(10).map(|s| (s.clock, s.multiple, s.due_ms / 60_000)).collect();
        use SlaClock::{Acknowledge as A, Fix as F};
        assert_eq!(
            steps,
            vec![
                (A, 1, 60),
                (A, 2, 120),
                (A, 4, 240),
                (A, 8, 480),
                (F, 1, 1440),
                (F, 2, 2880),
                (F, 4, 5760),
                (F, 8, 11520),
                (F, 16, 23040),
                (F, 24, 34560)
            ]
        );
        // Equal due times collapse into the fix step.
        let same = Sla { acknowledge_minutes: 1, fix_minutes: 2 };
        let steps: Vec<(SlaClock, u32, u64)> =
            escalation_schedule(0, same).take(4).map(|s| (s.clock, s.multiple, s.due_ms / 60_000)).collect();
        assert_eq!(steps, vec![(A, 1, 1), (F, 1, 2), (F, 2, 4), (F, 4, 8)]);
        assert_eq!(escalation_schedule(0, same).count(), MAX_ESCALATION_STEPS as usize);
        assert_eq!(escalation_schedule(0, sla).nth(4).map(|s| s.clock), Some(F));
    }

    #[test]
    fn a_late_alarm_fires_one_overdue_step_and_schedules_the_next() {
        let sla = Sla { acknowledge_minutes: 60, fix_minutes: 24 * 60 };
        let open = Some(Status::Open);
        let (current, next) = escalation_catch_up(0, sla, 0, 300 * 60_000, open);
        assert_eq!(current.map(|s| s.multiple), Some(4));
        assert_eq!(next.map(|s| (s.multiple, s.step)), Some((8, 3)));
        let (current, next) = escalation_catch_up(0, sla, 0, 59 * 60_000, open);
        assert_eq!((current, next.map(|s| s.step)), (None, Some(0)));
    }

    #[test]
    fn an_acknowledged_failure_skips_the_acknowledge_steps() {
        let sla = Sla { acknowledge_minutes: 60, fix_minutes: 24 * 60 };
        let acknowledged = Some(Status::Acknowledged);
        // Acknowledged within the hour: the next step that can fire is the fix SLA at 1×, so the
        // alarm is not set for the acknowledge steps at 1, 2, 4 and 8 hours.
        let next = next_applicable_step(0, sla, 0, acknowledged);
        assert_eq!(next.map(|s| (s.clock, s.multiple, s.step)), Some((SlaClock::Fix, 1, 4)));
        let (current, next) = escalation_catch_up(0, sla, 1, 300 * 60_000, acknowledged);
        assert_eq!(current, None, "no acknowledge step fires once acknowledged");
        assert_eq!(next.map(|s| s.step), Some(4));
        assert_eq!(next_applicable_step(0, sla, 0, Some(Status::Fixed)), None, "a fixed failure has no step");
    }

    #[test]
    fn steps_apply_only_while_their_clock_runs() {
        let ack = EscalationStep { step: 0, clock: SlaClock::Acknowledge, multiple: 1, due_ms: 0 };
        let fix = EscalationStep { clock: SlaClock::Fix, ..ack };
        assert!(ack.applies(Some(Status::Open)));
        assert!(!ack.applies(Some(Status::Acknowledged)));
        assert!(fix.applies(Some(Status::Acknowledged)));
        assert!(!fix.applies(Some(Status::Fixed)));
        assert!(!fix.applies(None));
    }

    #[test]
    fn sla_state_follows_the_clocks() {
        let sla = Sla { acknowledge_minutes: 60, fix_minutes: 120 };
        let mut e = entry();
        let t0 = e.created_ms;
        assert_eq!(sla_state(&e, sla, t0 + 1), SlaState::OnTime);
        assert_eq!(sla_state(&e, sla, t0 + 61 * 60_000), SlaState::AcknowledgeOverdue);
        assert_eq!(sla_state(&e, sla, t0 + 121 * 60_000), SlaState::FixOverdue);
        e.fix(t0 + 30 * 60_000, String::new()).unwrap();
        assert_eq!(sla_state(&e, sla, t0 + 999 * 60_000), SlaState::FixedOnTime);
    }
}
