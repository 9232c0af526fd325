//! The reminder engine: a pure state machine. It is given the time and how
//! long the user has been idle, and answers with what happens and when it
//! next needs to be woken. No I/O, no clock reads, no threads; its state is
//! plain serde data so a restart resumes where it was.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::core::model::{Answer, Outcome, ReminderKind};
use crate::core::settings::Settings;

/// A reminder that has fallen due and waits for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// What it is about.
    pub kind: ReminderKind,
    /// When it first fell due (kept across snoozes).
    pub due_at: DateTime<Utc>,
    /// When it was last shown (due time, or the end of the last snooze).
    pub shown_at: DateTime<Utc>,
    /// Snoozes used so far in a row.
    pub snoozes: u32,
    /// Whether another snooze is allowed.
    pub can_snooze: bool,
    /// Set once the user started the break or routine; it no longer expires.
    pub started_at: Option<DateTime<Utc>>,
}

/// How long to pause reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "for", content = "value")]
pub enum PauseLength {
    /// For a fixed duration from now.
    For(#[serde(with = "crate::core::text_format::duration_text")] Duration),
    /// Until the start of the next local day.
    UntilTomorrow,
    /// Until explicitly resumed.
    UntilResumed,
}

/// Something the caller must act on: show, log, or close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScheduleEvent {
    /// A reminder fell due (or came back after a snooze): show it.
    Due(Pending),
    /// A reminder was closed with this outcome: log it and withdraw its
    /// notification. A snooze is logged too (`Outcome::Snoozed`) and the
    /// reminder comes back later with another `Due`.
    Resolved {
        /// What it was about.
        kind: ReminderKind,
        /// How it ended.
        outcome: Outcome,
        /// When it fell due, if it came from a reminder.
        due_at: Option<DateTime<Utc>>,
        /// When it ended.
        at: DateTime<Utc>,
        /// Length of the break (natural or taken), else 0.
        duration_s: u32,
    },
    /// Reminders were paused until the given time (`None`: until resumed).
    Paused {
        /// When they resume by themselves.
        until: Option<DateTime<Utc>>,
    },
    /// Reminders run again.
    Resumed,
}
