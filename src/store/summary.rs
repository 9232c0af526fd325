//! One day's counts, for the today view and the daemon's status.

use std::collections::BTreeMap;

use crate::core::model::{Outcome, ReminderKind};

/// How one local day went: entries counted per kind and outcome, and the
/// minutes of corrective work done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DaySummary {
    /// Number of entries per (kind, outcome); absent pairs are zero.
    pub counts: BTreeMap<(ReminderKind, Outcome), u32>,
    /// Minutes of routine sessions (completed or partial), rounded to the nearest minute.
    pub routine_minutes: u32,
}

impl DaySummary {
    /// Entries of `kind` that ended with `outcome`.
    pub fn count(&self, kind: ReminderKind, outcome: Outcome) -> u32 {
        self.counts.get(&(kind, outcome)).copied().unwrap_or(0)
    }

    /// Entries of `kind` the user acted on (see [`Outcome::is_done`]).
    pub fn done(&self, kind: ReminderKind) -> u32 {
        self.counts
            .iter()
            .filter(|((k, o), _)| *k == kind && o.is_done())
            .map(|(_, n)| n)
            .sum()
    }

    /// All entries of `kind`, whatever their outcome.
    pub fn total(&self, kind: ReminderKind) -> u32 {
        self.counts
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|(_, n)| n)
            .sum()
    }
}
