//! Routine streaks against the every-N-days target.

use chrono::NaiveDate;
use serde::Serialize;

use super::index::LogIndex;

/// Current and best routine streak, counted in routine days (a second
/// session on the same day does not lengthen a streak).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Streaks {
    /// Routine days in the streak still alive on the reference day: the
    /// last session was at most `every_days` days before it. 0 when broken.
    pub current: u32,
    /// The longest streak up to the reference day.
    pub best: u32,
    /// The last routine day up to the reference day.
    pub last_session: Option<NaiveDate>,
}

/// Streaks as of `as_of`: consecutive routine days (completed or partial
/// sessions) stay one streak while each gap between them is at most
/// `every_days` days. A partial session keeps the streak alive: doing part
/// of the routine on a bad day is the habit being built, and a streak that
/// broke on it would teach skipping instead.
///
/// Costs one step per routine day up to `as_of`, never one per entry.
pub fn routine_streaks(index: &LogIndex, as_of: NaiveDate, every_days: u32) -> Streaks {
    let every = i64::from(every_days.max(1));
    let mut run = 0u32;
    let mut best = 0u32;
    let mut last: Option<NaiveDate> = None;
    for day in index.routine_days(NaiveDate::MIN..=as_of) {
        run = match last {
            Some(prev) if (day - prev).num_days() <= every => run + 1,
            _ => 1,
        };
        best = best.max(run);
        last = Some(day);
    }
    let alive = last.is_some_and(|l| (as_of - l).num_days() <= every);
    Streaks {
        current: if alive { run } else { 0 },
        best,
        last_session: last,
    }
}
