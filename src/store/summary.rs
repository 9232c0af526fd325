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

    /// The counts nested by kind, then outcome (the shape the status reply and
    /// `stats --json` use).
    pub fn by_kind(&self) -> BTreeMap<ReminderKind, BTreeMap<Outcome, u32>> {
        let mut nested: BTreeMap<ReminderKind, BTreeMap<Outcome, u32>> = BTreeMap::new();
        for (&(kind, outcome), &n) in &self.counts {
            nested.entry(kind).or_default().insert(outcome, n);
        }
        nested
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

/// Adds up one local day's entries.
pub(crate) fn day_summary(
    conn: &rusqlite::Connection,
    day: chrono::NaiveDate,
) -> Result<DaySummary, super::failure::Failure> {
    use super::failure::Failure;
    let mut statement = conn.prepare_cached(
        "SELECT kind, outcome, count(*), total(duration_s) FROM entries \
         WHERE local_day = ?1 GROUP BY kind, outcome",
    )?;
    let mut rows = statement.query([super::entries::day_key(day)])?;
    let mut summary = DaySummary::default();
    let mut routine_seconds = 0.0;
    while let Some(row) = rows.next()? {
        let kind_text = row.get_ref(0)?.as_str()?;
        let outcome_text = row.get_ref(1)?.as_str()?;
        let (Some(kind), Some(outcome)) =
            (ReminderKind::parse(kind_text), Outcome::parse(outcome_text))
        else {
            return Err(Failure::Corrupt(format!(
                "an entry on {day} has the kind \"{kind_text}\" and outcome \"{outcome_text}\""
            )));
        };
        let count: i64 = row.get(2)?;
        summary
            .counts
            .insert((kind, outcome), u32::try_from(count).unwrap_or(u32::MAX));
        if kind == ReminderKind::Routine && outcome.is_done() {
            routine_seconds += row.get::<_, f64>(3)?;
        }
    }
    summary.routine_minutes = (routine_seconds / 60.0).round() as u32;
    Ok(summary)
}
