//! Short human sentences about the daemon's state, shared by the tray
//! tooltip and `rebalance status`: "Posture check in 12 min, break in 34 min".

use chrono::{DateTime, Local, Utc};

use crate::core::model::ReminderKind;
use crate::ipc::{Pause, StatusReport};

/// "now", "in 1 min", "in 12 min", "in 2 h 5 min": how long until `at`,
/// rounded up to the minute so a reminder is never announced early.
pub fn until(now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    let seconds = (at - now).num_seconds();
    if seconds <= 0 {
        return "now".to_owned();
    }
    let minutes = (seconds + 59) / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("in {m} min"),
        (h, 0) => format!("in {h} h"),
        (h, m) => format!("in {h} h {m} min"),
    }
}

/// The local wall-clock time of `at` ("14:30"), with the weekday when it is
/// not today ("Tue 18:00").
pub fn clock(now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    let local_now = now.with_timezone(&Local);
    let local_at = at.with_timezone(&Local);
    if local_at.date_naive() == local_now.date_naive() {
        local_at.format("%H:%M").to_string()
    } else {
        local_at.format("%a %H:%M").to_string()
    }
}

/// The name a reminder goes by in running text ("posture check", "break",
/// "routine").
pub fn short_name(kind: ReminderKind) -> &'static str {
    match kind {
        ReminderKind::PostureCheck => "posture check",
        ReminderKind::MoveBreak => "break",
        ReminderKind::Routine => "routine",
    }
}

/// What the pause means, for a person: "Paused until 14:30", "Paused until
/// you resume"; `None` when reminders run.
pub fn pause_line(report: &StatusReport) -> Option<String> {
    match report.pause {
        Pause::Running => None,
        Pause::UntilResumed => Some("Paused until you resume".to_owned()),
        Pause::Until(until) => Some(format!("Paused until {}", clock(report.at, until))),
    }
}

/// The tray tooltip: the pause, else what holds reminders back, else what
/// waits for an answer and what comes next, e.g. "Posture check in 12 min,
/// break in 34 min".
pub fn tooltip(report: &StatusReport) -> String {
    if let Some(line) = pause_line(report).or_else(|| report.holding_line()) {
        return format!("Rebalance: {line}");
    }
    let mut parts: Vec<String> = report
        .pending
        .iter()
        .map(|p| format!("{} waiting", short_name(p.kind)))
        .collect();
    for (kind, next) in &report.next {
        if report.pending_of(*kind).is_some() {
            continue;
        }
        if let Some(at) = next {
            // The routine is far off; its time of day says more than a count.
            let when = match kind {
                ReminderKind::Routine => format!("at {}", clock(report.at, *at)),
                _ => until(report.at, *at),
            };
            parts.push(format!("{} {when}", short_name(*kind)));
        }
    }
    if parts.is_empty() {
        return "Rebalance: no reminders scheduled".to_owned();
    }
    let mut text = parts.join(", ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schedule::Pending;
    use crate::ipc::TodayCounts;
    use chrono::{Duration, TimeZone};
    use std::collections::BTreeMap;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 4, 10, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn report() -> StatusReport {
        StatusReport {
            at: at(0),
            revision: 0,
            pause: crate::ipc::Pause::Running,
            next: BTreeMap::from([
                (ReminderKind::PostureCheck, Some(at(12))),
                (ReminderKind::MoveBreak, Some(at(34))),
                (ReminderKind::Routine, None),
            ]),
            pending: Vec::new(),
            today: TodayCounts::default(),
            degraded: Vec::new(),
            settings_warning: None,
            idle_source: "none".to_owned(),
            holding: None,
            test_answer: None,
        }
    }

    #[test]
    fn minutes_round_up_and_hours_show() {
        assert_eq!(until(at(0), at(0)), "now");
        assert_eq!(until(at(0), at(0) + Duration::seconds(1)), "in 1 min");
        assert_eq!(until(at(0), at(12)), "in 12 min");
        assert_eq!(until(at(0), at(60)), "in 1 h");
        assert_eq!(until(at(0), at(125)), "in 2 h 5 min");
        assert_eq!(until(at(5), at(0)), "now");
    }

    #[test]
    fn the_tooltip_names_what_comes_next() {
        assert_eq!(
            tooltip(&report()),
            "Posture check in 12 min, break in 34 min"
        );
    }

    #[test]
    fn the_tooltip_puts_a_waiting_reminder_first() {
        let mut r = report();
        r.pending.push(Pending {
            kind: ReminderKind::MoveBreak,
            due_at: at(-1),
            shown_at: at(-1),
            snoozes: 0,
            can_snooze: true,
            started_at: None,
            held: None,
        });
        assert_eq!(tooltip(&r), "Break waiting, posture check in 12 min");
    }

    #[test]
    fn the_tooltip_says_paused() {
        let mut r = report();
        r.pause = Pause::UntilResumed;
        assert_eq!(tooltip(&r), "Rebalance: Paused until you resume");
    }

    #[test]
    fn the_tooltip_says_what_holds_reminders_back() {
        let mut r = report();
        r.holding = Some(crate::core::busy::BusyReason::Call);
        assert_eq!(tooltip(&r), "Rebalance: Holding reminders: in a call");
        r.holding = Some(crate::core::busy::BusyReason::App("zoom".to_owned()));
        assert_eq!(tooltip(&r), "Rebalance: Holding reminders: zoom is running");
    }

    #[test]
    fn nothing_scheduled_is_said_plainly() {
        let mut r = report();
        r.next.clear();
        assert_eq!(tooltip(&r), "Rebalance: no reminders scheduled");
    }
}
