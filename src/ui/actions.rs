//! What the user asked for: the views return these, the window applies them.

use chrono::NaiveDate;

use crate::core::catalog::Routine;
use crate::core::model::{Answer, Entry, EntryId, ReminderKind};
use crate::core::schedule::PauseLength;
use crate::core::settings::Settings;

/// The window's views, in the order of the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// Countdowns, today's progress and quick actions.
    Today,
    /// The move break countdown.
    Break,
    /// The guided routine.
    Routine,
    /// The log, day by day.
    Log,
    /// Built-in and custom routines.
    Routines,
    /// Charts of the week.
    Week,
    /// Every setting.
    Settings,
    /// What the app is for, and safety.
    About,
    /// The first-start welcome (no tab: shown once, or from Settings).
    Welcome,
}

impl View {
    /// The views shown as tabs, in order.
    pub const TABS: [View; 8] = [
        View::Today,
        View::Break,
        View::Routine,
        View::Log,
        View::Routines,
        View::Week,
        View::Settings,
        View::About,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            View::Today => "Today",
            View::Break => "Break",
            View::Routine => "Routine",
            View::Log => "Log",
            View::Routines => "Routines",
            View::Week => "Week",
            View::Settings => "Settings",
            View::About => "About",
            View::Welcome => "Welcome",
        }
    }

    /// The view named on the command line or by the daemon ("break",
    /// "routine", ...); unknown names give `None`.
    pub fn parse(name: &str) -> Option<View> {
        let name = name.trim().to_ascii_lowercase();
        let name = match name.as_str() {
            "move_break" | "move-break" => "break",
            "routines_edit" => "routines",
            "about_safety" | "safety" => "about",
            other => other,
        };
        View::TABS
            .into_iter()
            .chain([View::Welcome])
            .find(|v| v.label().eq_ignore_ascii_case(name))
    }
}

/// A change the user made in the log view.
#[derive(Debug, Clone, PartialEq)]
pub enum LogAction {
    /// Show another day.
    ShowDay(NaiveDate),
    /// Save an edited entry.
    Update(Entry),
    /// Delete an entry (it can be undone).
    Delete(EntryId),
    /// Put the last deleted entry back.
    Undo,
    /// Add a session or reminder that was not logged.
    Add(Entry),
}

/// A change the user made in the routines view.
#[derive(Debug, Clone, PartialEq)]
pub enum RoutineAction {
    /// Save a custom routine (new or edited); it is validated first.
    Save(Routine),
    /// Delete a custom routine.
    Delete(String),
    /// Offer this routine with the routine reminder.
    Choose(String),
}

/// Everything a view can ask the window to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show another view.
    Go(View),
    /// Pause reminders.
    Pause(PauseLength),
    /// Resume reminders.
    Resume,
    /// Ask for a posture check now.
    CheckPostureNow,
    /// Answer a pending reminder from the window.
    Answer(ReminderKind, Answer),
    /// Begin a move break now (or the one that is pending).
    StartBreak,
    /// Start or pause the break countdown (Space).
    ToggleBreakTimer,
    /// End the break with this answer: done (early), snooze or skip.
    EndBreak(Answer),
    /// Close the break view (Esc).
    CloseBreak,
    /// Begin the guided routine with this id.
    StartRoutine(String),
    /// Save the finished or abandoned routine session with its pain score
    /// and note.
    SaveRoutine {
        /// Pain 0-10, if the user gave one.
        pain: Option<u8>,
        /// Free text.
        note: String,
    },
    /// Drop the routine session without logging it (nothing was started).
    DiscardRoutine,
    /// Start the background service.
    StartService,
    /// A log change.
    Log(LogAction),
    /// A routine change.
    Routines(RoutineAction),
    /// Save and apply these settings.
    SaveSettings(Box<Settings>),
    /// Ask the daemon to show a test reminder (from the welcome).
    SendTestReminder,
    /// Leave the welcome for Today.
    FinishWelcome,
}
