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

/// Why the engine refused a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// There is no reminder of this kind waiting for an answer.
    #[error("no {} reminder is waiting for an answer", .0.label().to_lowercase())]
    NothingPending(ReminderKind),
    /// The reminder was already snoozed as often as allowed in a row.
    #[error(
        "the {} reminder was snoozed as often as allowed; answer it or skip it",
        .0.label().to_lowercase()
    )]
    SnoozeLimit(ReminderKind),
}

/// The reminder state machine; see the module documentation for its rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pending: Vec<Pending>,
    paused: Option<Option<DateTime<Utc>>>,
}

impl Schedule {
    /// A fresh schedule whose timers start at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        let _ = now;
        todo!()
    }

    /// Moves the clock to `now`, with the user idle for `idle`; returns what
    /// happened since the last call.
    pub fn advance<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        now: &DateTime<Tz>,
        idle: Duration,
    ) -> Vec<ScheduleEvent> {
        let _ = (s, now, idle);
        todo!()
    }

    /// Records the user's answer to the pending reminder of `kind`.
    pub fn answer<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        kind: ReminderKind,
        answer: Answer,
        now: &DateTime<Tz>,
    ) -> Result<Vec<ScheduleEvent>, ScheduleError> {
        let _ = (s, kind, answer, now);
        todo!()
    }

    /// The user began the break or routine of `kind`: it no longer expires.
    pub fn start(&mut self, kind: ReminderKind, now: DateTime<Utc>) -> Result<(), ScheduleError> {
        let _ = (kind, now);
        todo!()
    }

    /// Fires a reminder of `kind` now, as if it were due.
    pub fn trigger<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        kind: ReminderKind,
        now: &DateTime<Tz>,
    ) -> Vec<ScheduleEvent> {
        let _ = (s, kind, now);
        todo!()
    }

    /// Pauses all reminders for `length`.
    pub fn pause<Tz: TimeZone>(
        &mut self,
        length: PauseLength,
        now: &DateTime<Tz>,
    ) -> Vec<ScheduleEvent> {
        let _ = (length, now);
        todo!()
    }

    /// Ends a pause; timers restart from `now`.
    pub fn resume<Tz: TimeZone>(&mut self, s: &Settings, now: &DateTime<Tz>) -> Vec<ScheduleEvent> {
        let _ = (s, now);
        todo!()
    }

    /// When [`Schedule::advance`] must be called next at the latest.
    pub fn next_deadline<Tz: TimeZone>(
        &self,
        s: &Settings,
        now: &DateTime<Tz>,
    ) -> Option<DateTime<Utc>> {
        let _ = (s, now);
        todo!()
    }

    /// When the next reminder of `kind` is expected, for countdowns.
    pub fn next_due<Tz: TimeZone>(
        &self,
        s: &Settings,
        kind: ReminderKind,
        now: &DateTime<Tz>,
    ) -> Option<DateTime<Utc>> {
        let _ = (s, kind, now);
        todo!()
    }

    /// The reminders waiting for an answer, at most one per kind.
    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }

    /// `None` while running; `Some(None)` when paused until resumed;
    /// `Some(Some(t))` when paused until `t`.
    pub fn paused_until(&self) -> Option<Option<DateTime<Utc>>> {
        self.paused
    }

    /// How often the daemon must sample idle time now; `None` when it need not.
    pub fn idle_check_interval(&self, s: &Settings) -> Option<Duration> {
        let _ = s;
        todo!()
    }
}
