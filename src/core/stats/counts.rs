//! Counts of outcomes per kind, for one day or a whole week, and the
//! adherence and week-over-week change read from them.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

use crate::core::model::{Outcome, ReminderKind};

/// How many entries ended with each outcome.
pub type OutcomeCounts = BTreeMap<Outcome, u32>;

/// Outcome counts for each reminder kind.
pub type KindCounts = BTreeMap<ReminderKind, OutcomeCounts>;

/// Counts with every kind and each of its outcomes present at zero, so
/// tables and JSON always have the same shape.
pub fn empty_counts() -> KindCounts {
    ReminderKind::ALL
        .into_iter()
        .map(|kind| (kind, kind.outcomes().iter().map(|&o| (o, 0)).collect()))
        .collect()
}

/// Share of due reminders that were acted on: done / (done + skipped +
/// missed). Snoozes are left out because a snoozed reminder comes back and
/// ends in one of the other outcomes; natural breaks count as done. `None`
/// when nothing was due.
pub fn adherence(counts: &OutcomeCounts) -> Option<f64> {
    let done = done_in(counts);
    let due = due_in(counts);
    (due > 0).then(|| f64::from(done) / f64::from(due))
}

fn done_in(counts: &OutcomeCounts) -> u32 {
    counts
        .iter()
        .filter(|(o, _)| o.is_done())
        .map(|(_, n)| n)
        .sum()
}

fn due_in(counts: &OutcomeCounts) -> u32 {
    counts
        .iter()
        .filter(|(o, _)| o.is_final())
        .map(|(_, n)| n)
        .sum()
}

fn count_in(counts: &KindCounts, kind: ReminderKind, outcome: Outcome) -> u32 {
    counts
        .get(&kind)
        .and_then(|c| c.get(&outcome))
        .copied()
        .unwrap_or(0)
}

/// The figures of one local day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayFigures {
    /// The local calendar day.
    pub date: NaiveDate,
    /// Outcome counts per kind; every kind and outcome is present, at zero
    /// when nothing happened. Written flat in JSON (`"posture_check": {..}`).
    #[serde(flatten)]
    pub counts: KindCounts,
    /// Minutes of completed or partial routine sessions, rounded.
    pub routine_minutes: u32,
    /// Completed or partial routine sessions.
    pub routine_sessions: u32,
}

impl DayFigures {
    /// A day with nothing logged.
    pub fn empty(date: NaiveDate) -> Self {
        Self {
            date,
            counts: empty_counts(),
            routine_minutes: 0,
            routine_sessions: 0,
        }
    }

    /// How many entries of `kind` ended with `outcome`.
    pub fn count(&self, kind: ReminderKind, outcome: Outcome) -> u32 {
        count_in(&self.counts, kind, outcome)
    }

    /// Entries of `kind` that were acted on (all good, fixed, taken,
    /// natural, completed, partial).
    pub fn done(&self, kind: ReminderKind) -> u32 {
        self.counts.get(&kind).map(done_in).unwrap_or(0)
    }

    /// Whether nothing at all was logged that day.
    pub fn is_empty(&self) -> bool {
        self.counts.values().all(|c| c.values().all(|&n| n == 0))
    }
}

/// Outcome counts and routine minutes summed over several days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindTotals {
    /// Outcome counts per kind; every kind and outcome present.
    pub counts: KindCounts,
    /// Minutes of routine work (the sum of each day's rounded minutes).
    pub routine_minutes: u32,
}

impl Default for KindTotals {
    fn default() -> Self {
        Self {
            counts: empty_counts(),
            routine_minutes: 0,
        }
    }
}

impl KindTotals {
    /// Sums the given days.
    pub fn of_days<'a>(days: impl IntoIterator<Item = &'a DayFigures>) -> Self {
        let mut totals = Self::default();
        for day in days {
            totals.add_day(day);
        }
        totals
    }

    /// Adds one day's figures.
    pub fn add_day(&mut self, day: &DayFigures) {
        for (kind, counts) in &day.counts {
            let into = self.counts.entry(*kind).or_default();
            for (outcome, n) in counts {
                *into.entry(*outcome).or_insert(0) += n;
            }
        }
        self.routine_minutes += day.routine_minutes;
    }

    /// How many entries of `kind` ended with `outcome`.
    pub fn count(&self, kind: ReminderKind, outcome: Outcome) -> u32 {
        count_in(&self.counts, kind, outcome)
    }

    /// Entries of `kind` that were acted on.
    pub fn done(&self, kind: ReminderKind) -> u32 {
        self.counts.get(&kind).map(done_in).unwrap_or(0)
    }

    /// Entries of `kind` that were due: done, skipped or missed (not snoozed).
    pub fn due(&self, kind: ReminderKind) -> u32 {
        self.counts.get(&kind).map(due_in).unwrap_or(0)
    }

    /// [`adherence`] for `kind`.
    pub fn adherence(&self, kind: ReminderKind) -> Option<f64> {
        self.counts.get(&kind).and_then(adherence)
    }

    /// Completed or partial routine sessions.
    pub fn routine_sessions(&self) -> u32 {
        self.done(ReminderKind::Routine)
    }

    /// The value of a headline figure.
    pub fn metric(&self, metric: Metric) -> u32 {
        match metric {
            Metric::PostureChecksAnswered => self.done(ReminderKind::PostureCheck),
            Metric::BreaksTaken => self.done(ReminderKind::MoveBreak),
            Metric::RoutineSessions => self.routine_sessions(),
            Metric::RoutineMinutes => self.routine_minutes,
        }
    }

    /// Whether nothing at all was logged.
    pub fn is_empty(&self) -> bool {
        self.counts.values().all(|c| c.values().all(|&n| n == 0))
    }
}

/// A headline figure compared week over week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Posture checks answered "all good" or "fixed it".
    PostureChecksAnswered,
    /// Move breaks taken, prompted or natural.
    BreaksTaken,
    /// Completed or partial routine sessions.
    RoutineSessions,
    /// Minutes of routine work.
    RoutineMinutes,
}

impl Metric {
    /// Every headline figure, in display order.
    pub const ALL: [Metric; 4] = [
        Self::PostureChecksAnswered,
        Self::BreaksTaken,
        Self::RoutineSessions,
        Self::RoutineMinutes,
    ];

    /// A short human label ("Breaks taken").
    pub fn label(self) -> &'static str {
        match self {
            Self::PostureChecksAnswered => "Posture checks answered",
            Self::BreaksTaken => "Breaks taken",
            Self::RoutineSessions => "Routine sessions",
            Self::RoutineMinutes => "Routine minutes",
        }
    }
}

/// One headline figure this week against the week before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Which figure.
    pub metric: Metric,
    /// This week's value.
    pub current: u32,
    /// The previous week's value.
    pub previous: u32,
}

impl Change {
    /// `current - previous`.
    pub fn delta(&self) -> i64 {
        i64::from(self.current) - i64::from(self.previous)
    }

    /// The change in percent of the previous week; `None` when the previous
    /// week had none (a percentage of zero means nothing).
    pub fn percent(&self) -> Option<f64> {
        (self.previous > 0).then(|| self.delta() as f64 * 100.0 / f64::from(self.previous))
    }
}
