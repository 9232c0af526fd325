//! The move break: a countdown for the break's length with one suggested
//! stretch or a walk, and Done early, Snooze, Skip.

use std::time::Duration;

use chrono::{DateTime, Utc};
use egui::{Align, Key, Layout, RichText, Ui};

use crate::core::catalog::Catalog;
use crate::core::figure::{self, Pace};
use crate::core::model::Answer;
use crate::core::prompts::BreakSuggestion;
use crate::core::settings::Settings;
use crate::ipc::StatusReport;
use crate::ui::actions::Action;
use crate::ui::figure_view::{self, Frame};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets;

/// A break counted down as data, driven by the time passed in.
#[derive(Debug, Clone)]
pub struct BreakSession {
    length_ms: i64,
    suggestion: &'static BreakSuggestion,
    /// `Some(can_snooze)` when the break answers a pending reminder.
    reminder: Option<bool>,
    running_since: Option<DateTime<Utc>>,
    banked_ms: i64,
}

impl BreakSession {
    /// A break of `length` started at `now`, showing `suggestion`;
    /// `reminder` is `Some(can_snooze)` when a reminder is answered by it.
    pub fn new(
        length: Duration,
        suggestion: &'static BreakSuggestion,
        reminder: Option<bool>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            length_ms: i64::try_from(length.as_millis()).unwrap_or(i64::MAX),
            suggestion,
            reminder,
            running_since: Some(now),
            banked_ms: 0,
        }
    }

    /// The stretch or walk suggested for this break.
    pub fn suggestion(&self) -> &'static BreakSuggestion {
        self.suggestion
    }

    /// Whether the break answers a pending reminder of the daemon.
    pub fn from_reminder(&self) -> bool {
        self.reminder.is_some()
    }

    /// Whether Snooze is offered.
    pub fn can_snooze(&self) -> bool {
        self.reminder == Some(true)
    }

    /// Milliseconds of break so far (paces the suggested exercise's figure).
    pub fn elapsed_ms(&self, now: DateTime<Utc>) -> i64 {
        let running = self
            .running_since
            .map_or(0, |since| (now - since).num_milliseconds().max(0));
        self.banked_ms + running
    }

    /// Seconds of break so far, capped at its length.
    pub fn elapsed_s(&self, now: DateTime<Utc>) -> u32 {
        let ms = self.elapsed_ms(now).min(self.length_ms);
        u32::try_from(ms / 1000).unwrap_or(u32::MAX)
    }

    /// Seconds left, rounded up so the display reaches 0:00 exactly at the end.
    pub fn remaining_s(&self, now: DateTime<Utc>) -> i64 {
        let left = (self.length_ms - self.elapsed_ms(now)).max(0);
        (left + 999) / 1000
    }

    /// Whether the countdown ran out.
    pub fn is_over(&self, now: DateTime<Utc>) -> bool {
        self.elapsed_ms(now) >= self.length_ms
    }

    /// Whether the countdown runs.
    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    /// Pauses or resumes the countdown (Space).
    pub fn toggle(&mut self, now: DateTime<Utc>) {
        match self.running_since.take() {
            Some(since) => self.banked_ms += (now - since).num_milliseconds().max(0),
            None => self.running_since = Some(now),
        }
    }

    /// Whether closing the break now should log it as taken: the countdown
    /// ran out, or at least a minute of it was spent away.
    pub fn counts_as_taken(&self, now: DateTime<Utc>) -> bool {
        self.is_over(now) || self.elapsed_ms(now) >= 60_000
    }

    /// How long until the display changes, while it runs.
    pub fn next_tick(&self, now: DateTime<Utc>) -> Option<Duration> {
        if !self.is_running() || self.is_over(now) {
            return None;
        }
        let to_next = 1000 - (self.length_ms - self.elapsed_ms(now)).rem_euclid(1000);
        let ms = if to_next == 0 { 1000 } else { to_next };
        Some(Duration::from_millis(ms.unsigned_abs()))
    }
}

/// The parts of the window's state the break view reads besides the break.
pub struct BreakContext<'a> {
    /// The daemon's last status, for a break that is due.
    pub status: &'a Option<StatusReport>,
    /// The exercises, for the suggested one's pace.
    pub catalog: &'a Catalog,
    /// The settings (reduce motion).
    pub settings: &'a Settings,
}

/// Draws the break view, or the offer to start one.
pub fn show(
    ui: &mut Ui,
    session: Option<&BreakSession>,
    context: &BreakContext<'_>,
    now: DateTime<Utc>,
    actions: &mut Vec<Action>,
) {
    let status = context.status;
    let Some(session) = session else {
        widgets::page(ui, "break-offer", |ui| {
            widgets::title(
                ui,
                "Move break",
                Some("A few minutes away from the screen: walk, stretch, breathe."),
            );
            let waiting = status.as_ref().is_some_and(|s| {
                s.pending_of(crate::core::model::ReminderKind::MoveBreak)
                    .is_some()
            });
            if waiting {
                widgets::muted(ui, "A break is due now.");
            }
            if widgets::primary(ui, "Start a break").clicked() {
                actions.push(Action::StartBreak);
            }
        });
        return;
    };
    keyboard(ui, actions);
    widgets::page(ui, "break", |ui| {
        let palette = Palette::of(ui);
        widgets::title(ui, "Move break", None);
        widgets::card(ui, |ui| {
            ui.with_layout(Layout::top_down(Align::Center), |ui| {
                let over = session.is_over(now);
                let caption = if over {
                    "Time is up. Well done."
                } else if session.is_running() {
                    "Time left"
                } else {
                    "Paused"
                };
                ui.label(RichText::new(caption).color(palette.muted));
                widgets::huge_number(ui, &widgets::clock_text(session.remaining_s(now)))
                    .on_hover_text("Time left in the break");
                if !over {
                    let label = if session.is_running() {
                        "Pause (Space)"
                    } else {
                        "Resume (Space)"
                    };
                    if widgets::secondary(ui, label).clicked() {
                        actions.push(Action::ToggleBreakTimer);
                    }
                }
            });
        });
        ui.add_space(theme::SECTION_GAP);
        let suggestion = session.suggestion();
        widgets::section(ui, "Try this");
        widgets::card(ui, |ui| {
            ui.horizontal_top(|ui| {
                suggestion_figure(ui, session, context, now);
                ui.vertical(|ui| {
                    ui.label(RichText::new(suggestion.title).strong().size(17.0));
                    ui.label(suggestion.body);
                });
            });
        });
        ui.add_space(theme::SECTION_GAP);
        ui.horizontal_wrapped(|ui| {
            let done = if session.is_over(now) {
                "Done"
            } else {
                "Done early"
            };
            if widgets::primary(ui, done).clicked() {
                actions.push(Action::EndBreak(Answer::Done));
            }
            if session.can_snooze() && widgets::secondary(ui, "Snooze").clicked() {
                actions.push(Action::EndBreak(Answer::Snooze));
            }
            if widgets::secondary(ui, "Skip").clicked() {
                actions.push(Action::EndBreak(Answer::Skip));
            }
        });
        widgets::muted(ui, "Space pauses the countdown, Esc closes the break.");
    });
}

/// Side of the suggested stretch's figure (standing; one lying down gets a
/// wider, lower box).
const FIGURE_SIZE: f32 = 150.0;
/// How long into the break the figure moves by itself.
const FIGURE_PLAYS_MS: u64 = 30_000;

/// The suggested exercise moving at its own pace while the break runs.
fn suggestion_figure(
    ui: &mut Ui,
    session: &BreakSession,
    context: &BreakContext<'_>,
    now: DateTime<Utc>,
) {
    let Some(id) = session.suggestion().exercise else {
        return;
    };
    let (Some(demo), Some(exercise)) = (figure::demo(id), context.catalog.exercise(id)) else {
        return;
    };
    // The stretch plays for the first part of the break, while the user
    // takes it in, then rests; pointing at it plays it again.
    let elapsed = u64::try_from(session.elapsed_ms(now)).unwrap_or(0);
    let reduce_motion = context.settings.appearance.reduce_motion;
    let size = figure_view::box_size(demo, FIGURE_SIZE, ui.available_width());
    let frame = if elapsed > FIGURE_PLAYS_MS {
        figure_view::on_hover(ui, demo, size, reduce_motion)
    } else {
        let running = session.is_running() && !session.is_over(now);
        Frame::in_set(
            demo,
            Pace::of(exercise.dose),
            elapsed,
            running,
            reduce_motion,
        )
    };
    figure_view::show(
        ui,
        demo,
        frame,
        false,
        size,
        &format!("Figure showing {}", exercise.name),
    );
}

fn keyboard(ui: &Ui, actions: &mut Vec<Action>) {
    // A focused control (a text field, or a button reached with Tab) gets
    // the keys itself.
    if ui.ctx().memory(|m| m.focused().is_some()) {
        return;
    }
    let (space, esc) = ui
        .ctx()
        .input(|i| (i.key_pressed(Key::Space), i.key_pressed(Key::Escape)));
    if space {
        actions.push(Action::ToggleBreakTimer);
    }
    if esc {
        actions.push(Action::CloseBreak);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    static WALK: BreakSuggestion = BreakSuggestion {
        title: "Walk",
        body: "Walk around.",
        exercise: None,
    };

    #[test]
    fn countdown_pauses_and_ends() {
        let t0 = Utc.with_ymd_and_hms(2025, 3, 4, 10, 0, 0).unwrap();
        let at = |s: i64| t0 + chrono::Duration::seconds(s);
        let mut b = BreakSession::new(Duration::from_secs(300), &WALK, Some(true), t0);
        assert_eq!(b.remaining_s(at(10)), 290);
        b.toggle(at(10));
        assert_eq!(b.remaining_s(at(200)), 290);
        assert_eq!(b.next_tick(at(200)), None);
        b.toggle(at(200));
        assert!(!b.is_over(at(400)));
        assert!(b.is_over(at(490)));
        assert_eq!(b.elapsed_s(at(1000)), 300);
        assert!(b.can_snooze());
        assert!(!b.counts_as_taken(at(230)));
        assert!(b.counts_as_taken(at(300)));
    }
}
