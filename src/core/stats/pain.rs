//! The pain trend: logged scores, weekly means beside routine sessions, and
//! the least-squares slope over recent weeks.

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::{RECENT_DAYS, shift};
use super::index::LogIndex;

/// One logged pain score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PainPoint {
    /// The local day it was logged.
    pub date: NaiveDate,
    /// Local time of day, in seconds after midnight.
    pub second_of_day: u32,
    /// Pain, 0 (none) to 10 (worst).
    pub pain: u8,
}

impl PainPoint {
    /// Days since `origin`, with the time of day as a fraction; the x
    /// position on a chart and in the trend fit.
    pub fn days_since(&self, origin: NaiveDate) -> f64 {
        (self.date - origin).num_days() as f64 + f64::from(self.second_of_day) / 86_400.0
    }
}

/// One week of the pain chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeekPain {
    /// First day of the week.
    pub start: NaiveDate,
    /// Completed or partial routine sessions that week.
    pub sessions: u32,
    /// Minutes of routine work that week.
    pub minutes: u32,
    /// Pain scores logged that week.
    pub pain_scores: u32,
    /// Their mean; `None` without scores.
    pub pain_mean: Option<f64>,
}

/// The least-squares line through the recent scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PainFit {
    /// First day of the fitted window.
    pub from: NaiveDate,
    /// Last day of the fitted window (the reference day).
    pub to: NaiveDate,
    /// Change in pain points per week; negative means pain is going down.
    pub slope_per_week: f64,
    /// The line's value at the start of `from`.
    pub value_at_from: f64,
    /// The line's value at the end of `to`.
    pub value_at_to: f64,
    /// Scores the line was fitted to.
    pub scores: u32,
}

/// Pain over the charted weeks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PainTrend {
    /// Every score up to the reference day, in time order.
    pub points: Vec<PainPoint>,
    /// One row per week, oldest first.
    pub weeks: Vec<WeekPain>,
    /// The trend over the last [`RECENT_DAYS`] days, when at least three
    /// scores on at least two days allow one.
    pub fit: Option<PainFit>,
}

/// Slope and intercept of the least-squares line through `(x, y)` points;
/// `None` with fewer than two points or when all x are equal.
pub fn least_squares(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if sxx <= f64::EPSILON {
        return None;
    }
    let slope = sxy / sxx;
    Some((slope, mean_y - slope * mean_x))
}

/// Pain scores logged from `first` to `as_of` (inclusive), in time order.
pub(crate) fn pain_points(index: &LogIndex, first: NaiveDate, as_of: NaiveDate) -> Vec<PainPoint> {
    index
        .records(first..=as_of)
        .flat_map(|(date, record)| {
            record
                .pains
                .iter()
                .map(move |&(second_of_day, pain)| PainPoint {
                    date,
                    second_of_day,
                    pain,
                })
        })
        .collect()
}

/// The least-squares trend through `points`, x in weeks.
pub(crate) fn fit(points: &[PainPoint], from: NaiveDate, to: NaiveDate) -> Option<PainFit> {
    let distinct_days = points.windows(2).filter(|w| w[0].date != w[1].date).count() + 1;
    if points.len() < 3 || distinct_days < 2 {
        return None;
    }
    let xy: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (p.days_since(from) / 7.0, f64::from(p.pain)))
        .collect();
    let (slope, intercept) = least_squares(&xy)?;
    let end = ((to - from).num_days() + 1) as f64 / 7.0;
    Some(PainFit {
        from,
        to,
        slope_per_week: slope,
        value_at_from: intercept,
        value_at_to: intercept + slope * end,
        scores: points.len() as u32,
    })
}

/// The pain chart's data for `weeks` weeks starting on `first_week`, with
/// nothing after `as_of`, and the trend over the [`RECENT_DAYS`] days
/// ending on `as_of`.
pub fn pain_trend(
    index: &LogIndex,
    first_week: NaiveDate,
    weeks: u32,
    as_of: NaiveDate,
) -> PainTrend {
    let last = shift(first_week, i64::from(weeks) * 7 - 1).min(as_of);
    let points = pain_points(index, first_week, last);
    let weeks = (0..weeks)
        .map(|w| {
            let start = shift(first_week, i64::from(w) * 7);
            let end = shift(start, 6).min(as_of);
            let mut row = WeekPain {
                start,
                sessions: 0,
                minutes: 0,
                pain_scores: 0,
                pain_mean: None,
            };
            let mut sum = 0u32;
            for (_, record) in index.records(start..=end) {
                row.sessions += record.sessions;
                row.minutes += record.routine_minutes();
                row.pain_scores += record.pains.len() as u32;
                sum += record.pains.iter().map(|p| u32::from(p.1)).sum::<u32>();
            }
            if row.pain_scores > 0 {
                row.pain_mean = Some(f64::from(sum) / f64::from(row.pain_scores));
            }
            row
        })
        .collect();
    let from = shift(as_of, 1 - i64::from(RECENT_DAYS));
    let recent = pain_points(index, from, as_of);
    PainTrend {
        points,
        weeks,
        fit: fit(&recent, from, as_of),
    }
}
