//! The log folded into per-day aggregates, so a week's figures read a
//! bounded number of days instead of the whole log.

use chrono::{NaiveDate, Timelike};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::counts::DayFigures;
use crate::core::model::{Entry, Outcome, ReminderKind};

const KINDS: usize = ReminderKind::ALL.len();
const OUTCOMES: usize = Outcome::ALL.len();

fn kind_slot(kind: ReminderKind) -> usize {
    match kind {
        ReminderKind::PostureCheck => 0,
        ReminderKind::MoveBreak => 1,
        ReminderKind::Routine => 2,
    }
}

fn outcome_slot(outcome: Outcome) -> usize {
    match outcome {
        Outcome::AllGood => 0,
        Outcome::Fixed => 1,
        Outcome::Taken => 2,
        Outcome::Natural => 3,
        Outcome::Completed => 4,
        Outcome::Partial => 5,
        Outcome::Snoozed => 6,
        Outcome::Skipped => 7,
        Outcome::Missed => 8,
    }
}

/// Whether an entry is routine work that counts: a completed or partial
/// session. A partial session counts because showing up on a bad day and
/// doing part of the routine is the habit the streak is meant to reward.
pub(crate) fn is_session(entry: &Entry) -> bool {
    entry.kind == ReminderKind::Routine && entry.outcome.is_done()
}

/// What one local day holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DayRecord {
    counts: [[u32; OUTCOMES]; KINDS],
    /// Seconds of completed or partial routine sessions.
    pub(crate) routine_seconds: u64,
    /// Completed or partial routine sessions.
    pub(crate) sessions: u32,
    /// Pain scores logged that day, as (local second of the day, score),
    /// in time order.
    pub(crate) pains: Vec<(u32, u8)>,
}

impl DayRecord {
    fn add(&mut self, entry: &Entry) {
        self.counts[kind_slot(entry.kind)][outcome_slot(entry.outcome)] += 1;
        if is_session(entry) {
            self.sessions += 1;
            self.routine_seconds += u64::from(entry.duration_s);
        }
        if let Some(pain) = entry.pain {
            let key = (second_of_day(entry), pain);
            let at = self.pains.partition_point(|p| *p <= key);
            self.pains.insert(at, key);
        }
    }

    fn remove(&mut self, entry: &Entry) {
        let slot = &mut self.counts[kind_slot(entry.kind)][outcome_slot(entry.outcome)];
        *slot = slot.saturating_sub(1);
        if is_session(entry) {
            self.sessions = self.sessions.saturating_sub(1);
            self.routine_seconds = self
                .routine_seconds
                .saturating_sub(u64::from(entry.duration_s));
        }
        if let Some(pain) = entry.pain {
            let key = (second_of_day(entry), pain);
            if let Some(at) = self.pains.iter().position(|p| *p == key) {
                self.pains.remove(at);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.counts.iter().flatten().all(|&n| n == 0) && self.pains.is_empty()
    }

    /// Routine minutes of the day, rounded to the nearest minute.
    pub(crate) fn routine_minutes(&self) -> u32 {
        u32::try_from(self.routine_seconds.saturating_add(30) / 60).unwrap_or(u32::MAX)
    }

    fn figures(&self, date: NaiveDate) -> DayFigures {
        let mut day = DayFigures::empty(date);
        for kind in ReminderKind::ALL {
            let row = &self.counts[kind_slot(kind)];
            let counts = day.counts.entry(kind).or_default();
            for outcome in Outcome::ALL {
                let n = row[outcome_slot(outcome)];
                // Outcomes that do not fit the kind only appear if logged.
                if n > 0 || outcome.fits(kind) {
                    counts.insert(outcome, n);
                }
            }
        }
        day.routine_minutes = self.routine_minutes();
        day.routine_sessions = self.sessions;
        day
    }
}

fn second_of_day(entry: &Entry) -> u32 {
    entry.local_at().time().num_seconds_from_midnight()
}

/// The log folded into per-day aggregates: counts per kind and outcome,
/// routine minutes and sessions, and pain scores, keyed by local day.
///
/// Build it once from the whole log ([`LogIndex::from_entries`], one pass),
/// then keep it current with [`LogIndex::insert`], [`LogIndex::remove`] or
/// [`LogIndex::replace_days`]; its size grows with the number of days, not
/// the number of entries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogIndex {
    days: BTreeMap<NaiveDate, DayRecord>,
}

impl LogIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Folds `entries` (any order) into an index.
    pub fn from_entries(entries: &[Entry]) -> Self {
        let mut index = Self::new();
        for entry in entries {
            index.insert(entry);
        }
        index
    }

    /// Adds one entry to its local day.
    pub fn insert(&mut self, entry: &Entry) {
        self.days.entry(entry.local_date()).or_default().add(entry);
    }

    /// Takes back one entry added before (for an edit or a delete).
    pub fn remove(&mut self, entry: &Entry) {
        let date = entry.local_date();
        if let Some(day) = self.days.get_mut(&date) {
            day.remove(entry);
            if day.is_empty() {
                self.days.remove(&date);
            }
        }
    }

    /// Forgets the days `first..=last` and refills them from `entries`;
    /// entries of other days are ignored. This is how a view refreshes the
    /// days it knows changed without reloading the log.
    pub fn replace_days(&mut self, first: NaiveDate, last: NaiveDate, entries: &[Entry]) {
        if first > last {
            return;
        }
        let stale: Vec<NaiveDate> = self.days.range(first..=last).map(|(d, _)| *d).collect();
        for date in stale {
            self.days.remove(&date);
        }
        for entry in entries {
            if (first..=last).contains(&entry.local_date()) {
                self.insert(entry);
            }
        }
    }

    /// Whether nothing is logged at all.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// The first local day with anything logged.
    pub fn first_day(&self) -> Option<NaiveDate> {
        self.days.keys().next().copied()
    }

    /// The last local day with anything logged.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.days.keys().next_back().copied()
    }

    /// The figures of one local day (all zero when nothing was logged).
    pub fn day(&self, date: NaiveDate) -> DayFigures {
        self.days
            .get(&date)
            .map(|d| d.figures(date))
            .unwrap_or_else(|| DayFigures::empty(date))
    }

    /// Days with anything logged, within `range`, in order.
    pub(crate) fn records(
        &self,
        range: RangeInclusive<NaiveDate>,
    ) -> impl DoubleEndedIterator<Item = (NaiveDate, &DayRecord)> {
        let valid = range.start() <= range.end();
        let range = if valid {
            range
        } else {
            NaiveDate::MAX..=NaiveDate::MAX
        };
        self.days
            .range(range)
            .filter(move |_| valid)
            .map(|(d, r)| (*d, r))
    }

    /// Days with at least one completed or partial routine session, within
    /// `range`, in order.
    pub fn routine_days(
        &self,
        range: RangeInclusive<NaiveDate>,
    ) -> impl DoubleEndedIterator<Item = NaiveDate> {
        self.records(range)
            .filter(|(_, r)| r.sessions > 0)
            .map(|(d, _)| d)
    }
}
