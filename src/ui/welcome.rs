//! The welcome shown on a first start: what Rebalance does and does not do,
//! the few settings worth choosing before the first reminder, and a test
//! reminder to see that answering one works. Every step can be skipped; the
//! fields are the Settings view's own, so names, ranges and messages match.

use egui::{RichText, Ui};

use crate::core::model::{Answer, ReminderKind};
use crate::core::settings::Settings;
use crate::ipc::StatusReport;
use crate::ui::actions::Action;
use crate::ui::settings_view::{self, SettingsForm};
use crate::ui::{about, theme, today, widgets};

/// State key in the log's database: set once the welcome was shown, so it
/// is not shown again (even when no settings were saved from it).
pub const WELCOME_SHOWN_KEY: &str = "ui.welcome_shown";

/// The button sending the test reminder.
pub const SEND_TEST: &str = "Send a test reminder";
/// The button leaving the welcome at once.
pub const SKIP_WELCOME: &str = "Skip the welcome";
/// The button leaving a step without saving what was changed in it.
pub const SKIP_STEP: &str = "Skip this step";
/// The button saving a step and going on.
pub const NEXT: &str = "Next";
/// The button going back one step.
pub const BACK: &str = "Back";
/// The last step's button.
pub const FINISH: &str = "Finish";

/// The welcome's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// What it does and does not do.
    About,
    /// Working days and hours.
    Hours,
    /// How often posture checks and breaks come.
    Reminders,
    /// The imbalance pattern, if a professional named one.
    Pattern,
    /// Start at login.
    Startup,
    /// The test reminder.
    Test,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 6] = [
        Step::About,
        Step::Hours,
        Step::Reminders,
        Step::Pattern,
        Step::Startup,
        Step::Test,
    ];

    fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    fn next(self) -> Option<Step> {
        Self::ALL.get(self.index() + 1).copied()
    }

    fn previous(self) -> Option<Step> {
        self.index().checked_sub(1).map(|i| Self::ALL[i])
    }

    fn title(self) -> &'static str {
        match self {
            Step::About => "Welcome to Rebalance",
            Step::Hours => "When you work",
            Step::Reminders => "How often reminders come",
            Step::Pattern => "Your imbalance pattern (optional)",
            Step::Startup => "Start at login",
            Step::Test => "Try a reminder",
        }
    }
}

/// Where the test reminder stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TestReminder {
    /// Not sent yet.
    #[default]
    NotSent,
    /// Sent; waiting for the answer given on it.
    Sent,
    /// The daemon could not show it; why.
    Failed(String),
}

/// The welcome's step and test reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WelcomeState {
    /// The step shown.
    pub step: Step,
    /// The test reminder.
    pub test: TestReminder,
}

impl Default for WelcomeState {
    fn default() -> Self {
        Self {
            step: Step::About,
            test: TestReminder::NotSent,
        }
    }
}

/// What the welcome reads besides its own state.
pub struct WelcomeContext<'a> {
    /// The settings in force.
    pub saved: &'a Settings,
    /// The daemon's last status, when it answered.
    pub status: Option<&'a StatusReport>,
    /// Why the daemon did not answer.
    pub daemon_error: Option<&'a str>,
}

/// Draws the welcome.
pub fn show(
    ui: &mut Ui,
    welcome: &mut WelcomeState,
    form: &mut SettingsForm,
    context: &WelcomeContext<'_>,
    actions: &mut Vec<Action>,
) {
    widgets::page(ui, "welcome", |ui| {
        let step = welcome.step;
        ui.horizontal_wrapped(|ui| {
            widgets::muted(
                ui,
                format!("Step {} of {}", step.index() + 1, Step::ALL.len()),
            );
            if ui.button(SKIP_WELCOME).clicked() {
                actions.push(Action::FinishWelcome);
            }
        });
        widgets::title(ui, step.title(), None);
        match step {
            Step::About => about_step(ui),
            Step::Hours => {
                settings_view::group(ui, settings_view::WORKING_HOURS_GROUP, |ui| {
                    settings_view::working_hours_fields(ui, form);
                });
            }
            Step::Reminders => {
                settings_view::group(ui, settings_view::POSTURE_GROUP, |ui| {
                    settings_view::posture_fields(ui, form);
                });
                settings_view::group(ui, settings_view::BREAK_GROUP, |ui| {
                    settings_view::break_fields(ui, form);
                });
            }
            Step::Pattern => widgets::card(ui, |ui| {
                ui.label(
                    "If a physiotherapist or trainer told you which muscles are weak \
                     or tight, the routines can lean toward that. If not, leave it: \
                     the balanced routines suit most people who sit a lot.",
                );
                settings_view::pattern_choice(ui, form);
            }),
            Step::Startup => {
                settings_view::group(ui, settings_view::STARTUP_GROUP, |ui| {
                    widgets::muted(
                        ui,
                        "Reminders only come while Rebalance runs in the background. \
                         It starts at login only if you tick this.",
                    );
                    settings_view::startup_fields(ui, form);
                });
            }
            Step::Test => test_step(ui, welcome, context, actions),
        }
        ui.add_space(theme::SECTION_GAP);
        footer(ui, welcome, form, context.saved, actions);
    });
}

fn about_step(ui: &mut Ui) {
    widgets::card(ui, |ui| {
        ui.label(
            "Rebalance is for back pain that comes from muscle imbalance: long hours \
             of sitting, favouring one side, training some muscles and neglecting others.",
        );
        ui.label(about::WHAT_IT_DOES);
    });
    widgets::section(ui, about::NOT_MEDICAL_ADVICE_TITLE);
    widgets::card(ui, |ui| {
        ui.label(about::NOT_MEDICAL_ADVICE);
        widgets::field_error(ui, about::URGENT_CARE);
    });
    ui.add_space(theme::SECTION_GAP / 2.0);
    widgets::muted(
        ui,
        "The next steps set when and how often reminders come; each can be skipped \
         and changed later in Settings.",
    );
}

fn test_step(
    ui: &mut Ui,
    welcome: &WelcomeState,
    context: &WelcomeContext<'_>,
    actions: &mut Vec<Action>,
) {
    widgets::card(ui, |ui| {
        ui.label(
            "A reminder is a desktop notification with buttons. Send a test one and \
             answer it with a button, as you would a real posture check. Test answers \
             are not logged.",
        );
        ui.add_space(6.0);
        let Some(status) = context.status else {
            if widgets::banner(
                ui,
                "The background service is not running; reminders come from it.",
                context.daemon_error,
                Some(today::START_SERVICE),
            ) {
                actions.push(Action::StartService);
            }
            return;
        };
        if widgets::primary(ui, SEND_TEST).clicked() {
            actions.push(Action::SendTestReminder);
        }
        match (&welcome.test, status.test_answer) {
            (TestReminder::Sent, Some(answer)) => {
                ui.label(
                    RichText::new(answered_line(answer))
                        .color(theme::Palette::of(ui).good)
                        .strong(),
                );
            }
            (TestReminder::Sent, None) => {
                widgets::muted(
                    ui,
                    "Sent. Answer it with one of its buttons; the answer shows here.",
                );
            }
            (TestReminder::Failed(why), _) => {
                widgets::field_error(ui, why);
            }
            (TestReminder::NotSent, _) => {}
        }
    });
}

/// What the welcome says once the test reminder was answered.
pub fn answered_line(answer: Answer) -> String {
    format!(
        "Answer received: {}. Answering reminders works.",
        answer.outcome_for(ReminderKind::PostureCheck).label()
    )
}

fn footer(
    ui: &mut Ui,
    welcome: &mut WelcomeState,
    form: &mut SettingsForm,
    saved: &Settings,
    actions: &mut Vec<Action>,
) {
    let step = welcome.step;
    ui.horizontal_wrapped(|ui| {
        if let Some(previous) = step.previous()
            && widgets::secondary(ui, BACK).clicked()
        {
            *form = SettingsForm::from_settings(saved);
            welcome.step = previous;
        }
        let has_fields = !matches!(step, Step::About | Step::Test);
        if has_fields && widgets::secondary(ui, SKIP_STEP).clicked() {
            // Drop what was changed here; earlier steps are saved already.
            *form = SettingsForm::from_settings(saved);
            go_on(welcome, actions);
        }
        let label = if step.next().is_some() { NEXT } else { FINISH };
        if widgets::primary(ui, label).clicked()
            && (!has_fields || settings_view::save_if_changed(form, saved, actions))
        {
            go_on(welcome, actions);
        }
    });
}

fn go_on(welcome: &mut WelcomeState, actions: &mut Vec<Action>) {
    match welcome.step.next() {
        Some(next) => welcome.step = next,
        None => actions.push(Action::FinishWelcome),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_run_in_order_and_the_last_one_finishes() {
        let mut welcome = WelcomeState::default();
        let mut actions = Vec::new();
        for expected in &Step::ALL[1..] {
            go_on(&mut welcome, &mut actions);
            assert_eq!(welcome.step, *expected);
        }
        assert!(actions.is_empty());
        go_on(&mut welcome, &mut actions);
        assert_eq!(actions, [Action::FinishWelcome]);
        assert_eq!(Step::About.previous(), None);
        assert_eq!(Step::Test.previous(), Some(Step::Startup));
    }
}
