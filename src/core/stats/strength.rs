//! The routine strength score: a habit score in the manner of Loop Habit
//! Tracker, an exponentially smoothed measure of how well the every-N-days
//! target has been met, that a single missed session dents but never resets.

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::shift;
use super::index::LogIndex;

/// The strength score on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StrengthPoint {
    /// The local day.
    pub date: NaiveDate,
    /// Between 0 (no routine lately) and 1 (target met for a long time).
    pub score: f64,
}

/// Days for the score to lose half its value once sessions stop:
/// 13 * sqrt(every_days) (18.4 days for every other day).
pub fn strength_half_life_days(every_days: u32) -> f64 {
    13.0 * f64::from(every_days.max(1)).sqrt()
}

/// How many half-lives before the first charted day the computation
/// starts; what happened earlier weighs less than 0.5^10 (0.1 %).
const WARMUP_HALF_LIVES: f64 = 10.0;

/// The daily strength score from `first` to `last` (inclusive).
///
/// Each day the score moves toward that day's value by a factor
/// m = 0.5^(sqrt(1 / every_days) / 13): score = score * m + value * (1 - m).
/// As in Loop, the day's value is how much of the target the recent window
/// holds rather than whether that very day had a session (which would
/// leave a perfect every-other-day record at about 50 %): for a target of
/// every N > 1 days, the value is min(1, sessions in the last 2N days / 2)
/// (the window is doubled to smooth irregular schedules); for a daily
/// target, 1 on a routine day. The score starts at 0 before the first
/// session and, to keep the cost bounded, at most ten half-lives before
/// `first`.
pub fn routine_strength_series(
    index: &LogIndex,
    first: NaiveDate,
    last: NaiveDate,
    every_days: u32,
) -> Vec<StrengthPoint> {
    if first > last {
        return Vec::new();
    }
    let every = every_days.max(1);
    let (window, needed) = if every == 1 {
        (1i64, 1.0)
    } else {
        (2 * i64::from(every), 2.0)
    };
    let multiplier = 0.5f64.powf((1.0 / f64::from(every)).sqrt() / 13.0);
    let warmup = (WARMUP_HALF_LIVES * strength_half_life_days(every)).ceil() as i64;

    let first_session = index.routine_days(NaiveDate::MIN..=last).next();
    let Some(first_session) = first_session else {
        return days(first, last)
            .map(|date| StrengthPoint { date, score: 0.0 })
            .collect();
    };
    let start = first_session.max(shift(first, -warmup)).min(first);
    // Session days from the start of the first rolling window on.
    let lead = shift(start, 1 - window);
    let span = (last - lead).num_days() as usize + 1;
    let mut session = vec![false; span];
    for day in index.routine_days(lead..=last) {
        session[(day - lead).num_days() as usize] = true;
    }

    let mut in_window: u32 = session[..(window - 1) as usize]
        .iter()
        .filter(|s| **s)
        .count() as u32;
    let mut score = 0.0;
    let mut out = Vec::with_capacity((last - first).num_days() as usize + 1);
    for date in days(start, last) {
        let at = (date - lead).num_days() as usize;
        if session[at] {
            in_window += 1;
        }
        let value = (f64::from(in_window) / needed).min(1.0);
        score = score * multiplier + value * (1.0 - multiplier);
        if date >= first {
            out.push(StrengthPoint { date, score });
        }
        // Slide: the oldest day of this window leaves before tomorrow.
        let oldest = at + 1 - window as usize;
        if session[oldest] {
            in_window -= 1;
        }
    }
    out
}

fn days(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |d| *d <= last)
}
