//! `rebalance status` for people: a few aligned lines.

use std::fmt::Write;

use crate::core::model::{Outcome, ReminderKind};
use crate::daemon::describe;
use crate::ipc::StatusReport;

/// The status as printed by `rebalance status`.
pub fn render(report: &StatusReport) -> String {
    let mut out = String::new();
    let state = describe::pause_line(report)
        .or_else(|| report.holding_line())
        .unwrap_or_else(|| "Reminders are on".to_owned());
    let _ = writeln!(out, "Rebalance is running. {state}.");

    let _ = writeln!(out, "Next:");
    for kind in ReminderKind::ALL {
        let when = match report.next.get(&kind).copied().flatten() {
            _ if report.pending_of(kind).is_some() => "waiting for your answer".to_owned(),
            Some(at) => format!(
                "{} ({})",
                describe::until(report.at, at),
                describe::clock(report.at, at)
            ),
            None => "not scheduled".to_owned(),
        };
        let _ = writeln!(out, "  {:<14} {when}", kind.label());
    }

    for pending in &report.pending {
        let mut line = format!(
            "Waiting: {} (due {}",
            pending.kind.label(),
            describe::clock(report.at, pending.due_at)
        );
        if pending.snoozes > 0 {
            let _ = write!(line, ", snoozed {}×", pending.snoozes);
        }
        if pending.started_at.is_some() {
            line.push_str(", started");
        }
        line.push(')');
        let _ = writeln!(out, "{line}");
    }

    let _ = writeln!(out, "Today:");
    for kind in ReminderKind::ALL {
        let parts: Vec<String> = kind
            .outcomes()
            .iter()
            .filter_map(|&outcome| {
                let n = report.today.count(kind, outcome);
                (n > 0).then(|| format!("{n} {}", outcome_word(outcome)))
            })
            .collect();
        let mut line = if parts.is_empty() {
            "nothing yet".to_owned()
        } else {
            parts.join(", ")
        };
        if kind == ReminderKind::Routine && report.today.routine_minutes > 0 {
            let _ = write!(line, " ({} min)", report.today.routine_minutes);
        }
        let _ = writeln!(out, "  {:<14} {line}", kind.label());
    }

    if let Some(warning) = &report.settings_warning {
        let _ = writeln!(out, "Settings: {warning}");
    }
    for degraded in &report.degraded {
        let _ = writeln!(out, "Degraded: {degraded}");
    }
    let _ = writeln!(out, "Idle detection: {}", report.idle_source);
    out
}

fn outcome_word(outcome: Outcome) -> String {
    outcome.label().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schedule::Pending;
    use crate::ipc::TodayCounts;
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use std::collections::BTreeMap;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 4, 10, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn the_status_says_what_comes_and_what_was_done() {
        let mut today = TodayCounts::default();
        let posture = today.counts.entry(ReminderKind::PostureCheck).or_default();
        posture.insert(Outcome::AllGood, 2);
        posture.insert(Outcome::Missed, 1);
        let report = StatusReport {
            at: at(0),
            revision: 0,
            pause: crate::ipc::Pause::Running,
            next: BTreeMap::from([
                (ReminderKind::PostureCheck, Some(at(12))),
                (ReminderKind::MoveBreak, Some(at(-1))),
                (ReminderKind::Routine, None),
            ]),
            pending: vec![Pending {
                kind: ReminderKind::MoveBreak,
                due_at: at(-3),
                shown_at: at(-3),
                snoozes: 1,
                can_snooze: true,
                started_at: None,
                held: None,
            }],
            today,
            degraded: vec![crate::ipc::Degraded {
                feature: crate::ipc::Feature::Tray,
                reason: "no StatusNotifierWatcher".to_owned(),
            }],
            settings_warning: None,
            idle_source: "none".to_owned(),
            holding: None,
            test_answer: None,
        };
        let text = render(&report);
        assert!(text.contains("Reminders are on"), "{text}");
        assert!(text.contains("Posture check  in 12 min"), "{text}");
        assert!(
            text.contains("Move break     waiting for your answer"),
            "{text}"
        );
        assert!(text.contains("Routine        not scheduled"), "{text}");
        assert!(text.contains("snoozed 1×"), "{text}");
        assert!(text.contains("2 all good, 1 missed"), "{text}");
        assert!(
            text.contains("Degraded: tray: no StatusNotifierWatcher"),
            "{text}"
        );
    }

    #[test]
    fn a_pause_is_shown_first() {
        let report = StatusReport {
            at: at(0),
            revision: 0,
            pause: crate::ipc::Pause::UntilResumed,
            next: BTreeMap::new(),
            pending: Vec::new(),
            today: TodayCounts::default(),
            degraded: Vec::new(),
            settings_warning: Some("settings.toml was unreadable".to_owned()),
            idle_source: "x11".to_owned(),
            holding: None,
            test_answer: None,
        };
        let text = render(&report);
        assert!(
            text.starts_with("Rebalance is running. Paused until you resume."),
            "{text}"
        );
        assert!(text.contains("Settings: settings.toml was unreadable"));
    }

    #[test]
    fn a_hold_is_said_in_the_first_line() {
        let report = StatusReport {
            at: at(0),
            revision: 0,
            pause: crate::ipc::Pause::Running,
            next: BTreeMap::new(),
            pending: Vec::new(),
            today: TodayCounts::default(),
            degraded: Vec::new(),
            settings_warning: None,
            idle_source: "x11".to_owned(),
            holding: Some(crate::core::busy::BusyReason::FullScreen),
            test_answer: None,
        };
        let text = render(&report);
        assert!(
            text.starts_with("Rebalance is running. Holding reminders: full screen."),
            "{text}"
        );
        let json = serde_json::to_value(&report).expect("json");
        assert_eq!(json["holding"]["reason"], "full_screen");
    }
}
