//! Calendar heatmap data: routine work per day over the charted weeks.

use chrono::NaiveDate;
use serde::Serialize;

use super::index::LogIndex;

/// One cell of the routine calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HeatmapDay {
    /// The local day.
    pub date: NaiveDate,
    /// Minutes of routine work, rounded.
    pub minutes: u32,
    /// Completed or partial sessions.
    pub sessions: u32,
    /// The day is after the reference day (nothing to show yet).
    pub future: bool,
}

/// One cell per day from `first` to `last` (inclusive); days after `as_of`
/// are marked as future.
pub fn routine_heatmap(
    index: &LogIndex,
    first: NaiveDate,
    last: NaiveDate,
    as_of: NaiveDate,
) -> Vec<HeatmapDay> {
    let mut cells: Vec<HeatmapDay> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|date| HeatmapDay {
            date,
            minutes: 0,
            sessions: 0,
            future: date > as_of,
        })
        .collect();
    for (date, record) in index.records(first..=last) {
        let cell = &mut cells[(date - first).num_days() as usize];
        cell.minutes = record.routine_minutes();
        cell.sessions = record.sessions;
    }
    cells
}
