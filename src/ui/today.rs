//! Today: what comes next with live countdowns, today's progress, quick
//! actions, pause and resume, and a banner for anything that does not work.

use std::time::Duration;

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use crate::core::model::ReminderKind;
use crate::core::reminder_notice::{NoticeAction, reminder_buttons};
use crate::core::schedule::PauseLength;
use crate::ipc::{Pause, StatusReport, TodayCounts};
use crate::store::DaySummary;
use crate::ui::actions::{Action, View};
use crate::ui::app::AppState;
use crate::ui::countdown;
use crate::ui::theme::{self, Palette};
use crate::ui::widgets;

/// The button starting the background service when it is not running.
pub const START_SERVICE: &str = "Start background service";

/// Today's progress at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Posture checks answered (all good or fixed).
    pub checks: u32,
    /// Breaks taken, natural ones included.
    pub breaks: u32,
    /// Routine sessions done, partial ones included.
    pub routines: u32,
    /// Minutes spent in routines.
    pub routine_minutes: u32,
}

impl Progress {
    /// Progress from the daemon's counts.
    pub fn from_counts(counts: &TodayCounts) -> Self {
        Self {
            checks: counts.done(ReminderKind::PostureCheck),
            breaks: counts.done(ReminderKind::MoveBreak),
            routines: counts.done(ReminderKind::Routine),
            routine_minutes: counts.routine_minutes,
        }
    }

    /// Progress from the log's day summary.
    pub fn from_summary(summary: &DaySummary) -> Self {
        Self {
            checks: summary.done(ReminderKind::PostureCheck),
            breaks: summary.done(ReminderKind::MoveBreak),
            routines: summary.done(ReminderKind::Routine),
            routine_minutes: summary.routine_minutes,
        }
    }
}

/// The narrowest a countdown card gets before the cards go one row down.
const COUNTDOWN_MIN_WIDTH: f32 = 210.0;

/// The pause lengths offered, with their labels.
const PAUSES: [(&str, PauseLength); 3] = [
    ("30 min", PauseLength::For(Duration::from_secs(30 * 60))),
    ("1 hour", PauseLength::For(Duration::from_secs(60 * 60))),
    ("Until tomorrow", PauseLength::UntilTomorrow),
];

/// Draws the Today view.
pub fn show(ui: &mut Ui, state: &AppState, now: DateTime<Utc>, actions: &mut Vec<Action>) {
    widgets::page(ui, "today", |ui| {
        let date = state.today.format("%A %-d %B").to_string();
        widgets::title(ui, "Today", Some(&date));
        banners(ui, state, actions);
        match &state.status {
            Some(status) => {
                let routine = state.catalog.reminder_routine(&state.settings.routine);
                if let Some(line) = status.holding_line() {
                    widgets::muted(ui, format!("{line}. They come out once it is over."));
                }
                pending(
                    ui,
                    status,
                    &routine.id,
                    state.settings.reminders.snooze,
                    actions,
                );
                countdowns(ui, status, state, now);
                ui.add_space(theme::SECTION_GAP);
                progress(ui, Progress::from_counts(&status.today));
                ui.add_space(theme::SECTION_GAP);
                quick_actions(ui, state, true, actions);
                ui.add_space(theme::SECTION_GAP);
                pause_controls(ui, status, actions);
            }
            None => {
                progress(ui, state.local_progress);
                ui.add_space(theme::SECTION_GAP);
                quick_actions(ui, state, false, actions);
            }
        }
    });
}

fn banners(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let mut any = false;
    if state.status.is_none() {
        let text = "The background service is not running, so no reminders will come. \
                    You can still take a break, do a routine and edit the log here.";
        if widgets::banner(ui, text, state.daemon_error.as_deref(), Some(START_SERVICE)) {
            actions.push(Action::StartService);
        }
        any = true;
    }
    for problem in state.status.iter().flat_map(|s| &s.degraded) {
        if let Some(title) = problem.feature.banner_title() {
            widgets::banner(ui, title, Some(&sentence(&problem.reason)), None);
            any = true;
        }
    }
    let warning = match &state.status {
        Some(status) => status.settings_warning.as_ref(),
        None => state.settings_warning.as_ref(),
    };
    if let Some(warning) = warning {
        if widgets::banner(
            ui,
            "The settings file had a problem.",
            Some(warning),
            Some("Open settings"),
        ) {
            actions.push(Action::Go(View::Settings));
        }
        any = true;
    }
    if let Some(err) = &state.store_error {
        widgets::banner(ui, "The log could not be opened.", Some(err), None);
        any = true;
    }
    if any {
        ui.add_space(theme::SECTION_GAP / 2.0);
    }
}

/// `text` with a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut text: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// The reminders waiting for an answer, with the same buttons as their
/// notification; a routine reminder starts `routine_id`. `snooze` is the
/// configured snooze length.
fn pending(
    ui: &mut Ui,
    status: &StatusReport,
    routine_id: &str,
    snooze: Duration,
    actions: &mut Vec<Action>,
) {
    for p in &status.pending {
        widgets::card(ui, |ui| {
            ui.label(RichText::new(format!("{} is waiting", p.kind.label())).strong());
            ui.horizontal_wrapped(|ui| {
                let buttons = reminder_buttons(p.kind, p.can_snooze, snooze);
                for (i, button) in buttons.iter().enumerate() {
                    let clicked = if i == 0 {
                        widgets::primary(ui, &button.label).clicked()
                    } else {
                        widgets::secondary(ui, &button.label).clicked()
                    };
                    if clicked {
                        actions.push(match button.action {
                            NoticeAction::Answer(answer) => Action::Answer(p.kind, answer),
                            NoticeAction::Start if p.kind == ReminderKind::Routine => {
                                Action::StartRoutine(routine_id.to_owned())
                            }
                            NoticeAction::Start => Action::StartBreak,
                            NoticeAction::Open => Action::Go(View::for_reminder(p.kind)),
                        });
                    }
                }
            });
        });
        ui.add_space(6.0);
    }
}

fn countdowns(ui: &mut Ui, status: &StatusReport, state: &AppState, now: DateTime<Utc>) {
    let palette = Palette::of(ui);
    // Three cards side by side, two and one as the window narrows, so the
    // longest countdown ("in 18 h 36 min") always fits its card.
    widgets::reflow(ui, ReminderKind::ALL.len(), COUNTDOWN_MIN_WIDTH, |ui, i| {
        let kind = ReminderKind::ALL[i];
        widgets::card(ui, |ui| {
            ui.label(RichText::new(next_label(kind)).color(palette.muted));
            let (big, small) = countdown_text(status, state, kind, now);
            ui.label(
                RichText::new(big)
                    .size(theme::CARD_NUMBER)
                    .strong()
                    .color(palette.accent),
            );
            ui.label(RichText::new(small).color(palette.muted).small());
        });
    });
}

fn next_label(kind: ReminderKind) -> &'static str {
    match kind {
        ReminderKind::PostureCheck => "Next posture check",
        ReminderKind::MoveBreak => "Next move break",
        ReminderKind::Routine => "Next routine",
    }
}

/// The deadline a kind's card counts down to, when it shows a countdown
/// (not waiting, not turned off, not paused, inside working hours).
fn counting_to(
    status: &StatusReport,
    state: &AppState,
    kind: ReminderKind,
) -> Option<DateTime<Utc>> {
    let enabled = match kind {
        ReminderKind::PostureCheck => state.settings.posture.enabled,
        ReminderKind::MoveBreak => state.settings.move_break.enabled,
        ReminderKind::Routine => state.settings.routine.enabled,
    };
    if status.pending_of(kind).is_some() || !enabled || status.pause.is_paused() {
        return None;
    }
    status.next.get(&kind).copied().flatten()
}

/// The deadlines the Today view counts down to, so the window knows when
/// its text next changes (see [`crate::ui::countdown::next_text_change`]).
pub fn shown_deadlines(state: &AppState) -> Vec<DateTime<Utc>> {
    let Some(status) = &state.status else {
        return Vec::new();
    };
    ReminderKind::ALL
        .into_iter()
        .filter_map(|kind| counting_to(status, state, kind))
        .collect()
}

/// The big text and the line under it for one kind's card.
fn countdown_text(
    status: &StatusReport,
    state: &AppState,
    kind: ReminderKind,
    now: DateTime<Utc>,
) -> (String, String) {
    if status.pending_of(kind).is_some() {
        return ("Now".to_owned(), "Waiting for you".to_owned());
    }
    let enabled = match kind {
        ReminderKind::PostureCheck => state.settings.posture.enabled,
        ReminderKind::MoveBreak => state.settings.move_break.enabled,
        ReminderKind::Routine => state.settings.routine.enabled,
    };
    if !enabled {
        return ("Off".to_owned(), "Turned off in settings".to_owned());
    }
    if status.pause.is_paused() {
        return ("Paused".to_owned(), String::new());
    }
    match counting_to(status, state, kind) {
        Some(due) => {
            let left = (due - now).num_seconds();
            let local = due.with_timezone(&chrono::Local);
            let when = if left < 20 * 3600 {
                format!("at {}", local.format("%H:%M"))
            } else {
                format!("on {}", local.format("%a %-d %b, %H:%M"))
            };
            // Whole minutes: the card changes once a minute, not every second.
            (countdown::text_at(due, now), when)
        }
        None => ("—".to_owned(), "Outside working hours".to_owned()),
    }
}

fn progress(ui: &mut Ui, p: Progress) {
    widgets::section(ui, "Progress today");
    widgets::card(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            stat(ui, p.checks.to_string(), "posture checks answered");
            ui.add_space(24.0);
            stat(ui, p.breaks.to_string(), "breaks taken");
            ui.add_space(24.0);
            let routine = if p.routines > 0 {
                format!("Done ({} min)", p.routine_minutes)
            } else {
                "Not yet".to_owned()
            };
            stat(ui, routine, "routine");
        });
    });
}

fn stat(ui: &mut Ui, value: String, label: &str) {
    let palette = Palette::of(ui);
    ui.vertical(|ui| {
        ui.label(RichText::new(value).size(theme::CARD_NUMBER).strong());
        ui.label(RichText::new(label).color(palette.muted));
    });
}

fn quick_actions(ui: &mut Ui, state: &AppState, daemon: bool, actions: &mut Vec<Action>) {
    widgets::section(ui, "Right now");
    ui.horizontal_wrapped(|ui| {
        if widgets::primary(ui, "Take a break now").clicked() {
            actions.push(Action::StartBreak);
        }
        if daemon && widgets::secondary(ui, "Check posture now").clicked() {
            actions.push(Action::CheckPostureNow);
        }
        let routine = state.catalog.reminder_routine(&state.settings.routine);
        if widgets::secondary(ui, &format!("Start the routine ({})", routine.name)).clicked() {
            actions.push(Action::StartRoutine(routine.id.clone()));
        }
    });
}

fn pause_controls(ui: &mut Ui, status: &StatusReport, actions: &mut Vec<Action>) {
    widgets::section(ui, "Pause reminders");
    ui.horizontal_wrapped(|ui| match status.pause {
        Pause::UntilResumed | Pause::Until(_) => {
            let text = match status.pause {
                Pause::Until(t) => format!(
                    "Paused until {}.",
                    t.with_timezone(&chrono::Local).format("%H:%M")
                ),
                _ => "Paused until you resume.".to_owned(),
            };
            ui.label(text);
            if widgets::primary(ui, "Resume").clicked() {
                actions.push(Action::Resume);
            }
        }
        Pause::Running => {
            for (label, length) in PAUSES {
                if widgets::secondary(ui, label)
                    .on_hover_text(format!("Pause reminders: {label}"))
                    .clicked()
                {
                    actions.push(Action::Pause(length));
                }
            }
        }
    });
}
