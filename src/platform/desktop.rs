//! What the daemon and each platform's desktop side exchange, the same on
//! every platform: what the tray shows, what is chosen in it, and the
//! machine going to sleep and waking.

use crate::core::model::ReminderKind;
use crate::core::schedule::PauseLength;

/// What the tray shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrayState {
    /// The tooltip ("Posture check in 12 min, break in 34 min").
    pub tooltip: String,
    /// Whether reminders are paused: a grey icon and a Resume item.
    pub paused: bool,
}

/// A choice made in the tray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayCommand {
    /// Open the window (menu item or a click on the icon).
    Open,
    /// Fire this reminder now.
    Trigger(ReminderKind),
    /// Pause reminders.
    Pause(PauseLength),
    /// Resume reminders.
    Resume,
    /// Stop the daemon.
    Quit,
}

/// The machine is about to sleep or has just woken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SleepEvent {
    /// The machine is going to sleep now.
    Suspending,
    /// The machine woke up.
    Resumed,
}
