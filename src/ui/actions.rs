//! What the user asked for: the views return these, the window applies them.

use chrono::NaiveDate;

use crate::core::catalog::Routine;
use crate::core::model::{Answer, Entry, EntryId, ReminderKind};
use crate::core::schedule::PauseLength;
use crate::core::settings::Settings;

pub use crate::core::view::View;

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
