//! The seek-help signal: when the log says a few weeks of regular routine
//! work have not eased the pain, or the latest scores are high, the user is
//! told plainly that a professional should have a look. Never a diagnosis.

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::{RECENT_DAYS, shift};
use super::index::LogIndex;
use super::pain::{fit, pain_points};

/// Routine days needed in the recent window to call the work regular.
pub const MIN_ROUTINE_DAYS: u32 = 6;
/// Distinct weeks of the recent window that must hold routine work.
pub const MIN_ROUTINE_WEEKS: u32 = 3;
/// Mean of the latest three scores at or above which pain counts as high,
/// whatever the routine record.
pub const HIGH_PAIN_MEAN: f64 = 7.0;
/// Mean of the latest three scores below which unchanged pain is mild
/// enough not to send anyone to a professional.
pub const NOTABLE_PAIN_MEAN: f64 = 3.0;
/// How many of the latest scores the "latest" mean takes.
const LATEST_SCORES: usize = 3;

/// Why the signal fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeekHelpReason {
    /// Regular routine work for three weeks or more, and pain has not gone down.
    NoImprovement,
    /// The latest pain scores are high.
    HighPain,
}

/// The numbers behind the signal, over the recent window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeekHelpFigures {
    /// First day of the window.
    pub from: NaiveDate,
    /// Last day of the window (the reference day).
    pub to: NaiveDate,
    /// Days with a completed or partial routine session.
    pub routine_days: u32,
    /// Weeks (seven-day blocks counted back from `to`) with routine work.
    pub routine_weeks: u32,
    /// Pain scores logged.
    pub pain_scores: u32,
    /// Mean pain in the earliest week with scores.
    pub first_week_mean: Option<f64>,
    /// Mean pain in the latest week with scores (another week than the first).
    pub last_week_mean: Option<f64>,
    /// Least-squares change in pain points per week.
    pub slope_per_week: Option<f64>,
    /// Mean of the latest three scores.
    pub latest_mean: Option<f64>,
}

/// A plain-words suggestion to see a professional, with its figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeekHelp {
    /// Which rule fired.
    pub reason: SeekHelpReason,
    /// The numbers that made it fire.
    pub figures: SeekHelpFigures,
}

impl SeekHelp {
    /// A one-line heading.
    pub fn headline(&self) -> &'static str {
        "It may be time to see a professional"
    }

    /// What the figures say and what to do, in plain words.
    pub fn message(&self) -> String {
        let f = &self.figures;
        let weeks = (f.to - f.from).num_days().div_euclid(7) + 1;
        let why = match self.reason {
            SeekHelpReason::HighPain => format!(
                "Your latest {LATEST_SCORES} pain scores average {:.1} out of 10.",
                f.latest_mean.unwrap_or_default()
            ),
            SeekHelpReason::NoImprovement => {
                let spread = if i64::from(f.routine_weeks) >= weeks {
                    format!("in each of the last {weeks} weeks")
                } else {
                    format!("in {} of the last {weeks} weeks", f.routine_weeks)
                };
                format!(
                    "You did your routine on {} days, {spread}, and your pain has \
                     not gone down.",
                    f.routine_days
                )
            }
        };
        format!(
            "{why} A physical therapist or a sports medicine doctor can check what \
             is behind it and adjust your exercises. If the pain spreads, or becomes \
             sharp or shooting, see one soon."
        )
    }

    /// The figures as short lines ("Routine days: 8 in 4 weeks").
    pub fn figure_lines(&self) -> Vec<String> {
        let f = &self.figures;
        let mut lines = vec![
            format!(
                "Period: {} to {}",
                f.from.format("%-d %b"),
                f.to.format("%-d %b %Y")
            ),
            format!(
                "Routine days: {} in {} weeks",
                f.routine_days, f.routine_weeks
            ),
            format!("Pain scores logged: {}", f.pain_scores),
        ];
        if let (Some(first), Some(last)) = (f.first_week_mean, f.last_week_mean) {
            lines.push(format!(
                "Average pain: {first:.1} in the first week, {last:.1} in the last"
            ));
        }
        if let Some(slope) = f.slope_per_week {
            lines.push(format!("Trend: {slope:+.2} points per week"));
        }
        if let Some(latest) = f.latest_mean {
            lines.push(format!(
                "Latest {LATEST_SCORES} scores average: {latest:.1} / 10"
            ));
        }
        lines
    }
}

/// The signal as of `as_of`, over the [`RECENT_DAYS`] days ending then.
///
/// It fires when either
/// - the mean of the latest three scores is at least [`HIGH_PAIN_MEAN`]; or
/// - the routine was regular (at least [`MIN_ROUTINE_DAYS`] routine days,
///   spread over at least [`MIN_ROUTINE_WEEKS`] of the five weeks), pain is
///   worth talking about (latest mean at least [`NOTABLE_PAIN_MEAN`]), and
///   it has not improved: the least-squares slope is zero or rising, or the
///   latest week's mean is not below the earliest week's.
pub fn seek_help(index: &LogIndex, as_of: NaiveDate) -> Option<SeekHelp> {
    let from = shift(as_of, 1 - i64::from(RECENT_DAYS));
    let block = |date: NaiveDate| ((as_of - date).num_days() / 7) as usize;
    let blocks = RECENT_DAYS.div_ceil(7) as usize;

    let mut routine_days = 0u32;
    let mut active = vec![false; blocks];
    for day in index.routine_days(from..=as_of) {
        routine_days += 1;
        active[block(day)] = true;
    }
    let routine_weeks = active.iter().filter(|a| **a).count() as u32;

    let points = pain_points(index, from, as_of);
    let mut sums = vec![(0u32, 0u32); blocks];
    for p in &points {
        let s = &mut sums[block(p.date)];
        s.0 += u32::from(p.pain);
        s.1 += 1;
    }
    let mean = |(sum, n): (u32, u32)| f64::from(sum) / f64::from(n);
    let oldest = sums.iter().rposition(|s| s.1 > 0);
    let newest = sums.iter().position(|s| s.1 > 0);
    let (first_week_mean, last_week_mean) = match (oldest, newest) {
        (Some(o), Some(n)) if o != n => (Some(mean(sums[o])), Some(mean(sums[n]))),
        _ => (None, None),
    };
    let slope_per_week = fit(&points, from, as_of).map(|f| f.slope_per_week);
    let latest_mean = (points.len() >= LATEST_SCORES).then(|| {
        let latest = &points[points.len() - LATEST_SCORES..];
        latest.iter().map(|p| f64::from(p.pain)).sum::<f64>() / LATEST_SCORES as f64
    });

    let figures = SeekHelpFigures {
        from,
        to: as_of,
        routine_days,
        routine_weeks,
        pain_scores: points.len() as u32,
        first_week_mean,
        last_week_mean,
        slope_per_week,
        latest_mean,
    };
    let latest = latest_mean?;
    if latest >= HIGH_PAIN_MEAN {
        return Some(SeekHelp {
            reason: SeekHelpReason::HighPain,
            figures,
        });
    }
    let regular = routine_days >= MIN_ROUTINE_DAYS && routine_weeks >= MIN_ROUTINE_WEEKS;
    let not_improved = slope_per_week.is_some_and(|s| s >= 0.0)
        || matches!((first_week_mean, last_week_mean), (Some(f), Some(l)) if l >= f);
    (regular && latest >= NOTABLE_PAIN_MEAN && not_improved).then_some(SeekHelp {
        reason: SeekHelpReason::NoImprovement,
        figures,
    })
}
