//! The numbers behind the report, computed from the log before any markup
//! is written: per-week adherence and routine work, exercises done, and
//! pain scores with their line of best fit.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use crate::core::catalog::Catalog;
use crate::core::model::{Entry, ReminderKind};
use crate::core::settings::Settings;
use crate::core::stats::{
    DayFigures, KindTotals, LogIndex, PainPoint, Streaks, least_squares, pain_trend,
    routine_streaks, week_start,
};

/// The longest period a report covers: ten years of weeks.
pub const MAX_REPORT_WEEKS: u32 = 522;

/// One week of the report.
#[derive(Debug, Clone)]
pub struct ReportWeek {
    /// First day of the week.
    pub start: NaiveDate,
    /// Counts for the days of the week up to the report's last day.
    pub totals: KindTotals,
    /// Pain scores logged that week.
    pub pain_scores: u32,
    /// Their mean, when there are some.
    pub pain_mean: Option<f64>,
}

/// How often one exercise was done in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseTally {
    /// Catalogue id.
    pub id: String,
    /// Name shown to people (the id when the catalogue does not know it).
    pub name: String,
    /// Sessions that included it.
    pub sessions: u32,
    /// Sets done in all.
    pub sets: u32,
    /// Repetitions done in all (sets x reps, both sides counted once).
    pub reps: u32,
    /// Seconds held in all (sets x hold).
    pub hold_s: u32,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct ReportFigures {
    /// First day of the period (a week start).
    pub first: NaiveDate,
    /// Last day of the period.
    pub last: NaiveDate,
    /// The day the report was made.
    pub generated: NaiveDate,
    /// The weeks, oldest first.
    pub weeks: Vec<ReportWeek>,
    /// All weeks added together.
    pub totals: KindTotals,
    /// Routine streaks on the last day.
    pub streaks: Streaks,
    /// Exercises done in completed or partial sessions, most frequent first.
    pub exercises: Vec<ExerciseTally>,
    /// Every pain score in the period, in time order.
    pub pain_points: Vec<PainPoint>,
    /// The least-squares line through the scores as `(slope, intercept)` in
    /// pain points per day since `first`.
    pub pain_fit: Option<(f64, f64)>,
}

impl ReportFigures {
    /// Figures for the `weeks` weeks ending with the one holding `last`
    /// (weeks start on the user's first day of the week), up to `last`,
    /// made on `generated`. `entries` should hold the whole log so streaks
    /// are right; only the period is shown.
    pub fn compute(
        entries: &[Entry],
        weeks: u32,
        last: NaiveDate,
        generated: NaiveDate,
        settings: &Settings,
    ) -> Self {
        let weeks = weeks.clamp(1, MAX_REPORT_WEEKS);
        let index = LogIndex::from_entries(entries);
        let last_start = week_start(last, settings.appearance.first_day_of_week);
        let first = last_start
            .checked_sub_days(Days::new(7 * u64::from(weeks - 1)))
            .unwrap_or(last_start);
        let pain = pain_trend(&index, first, weeks, last);
        let days: Vec<DayFigures> = first
            .iter_days()
            .take_while(|day| *day <= last)
            .map(|day| index.day(day))
            .collect();
        let report_weeks: Vec<ReportWeek> = pain
            .weeks
            .iter()
            .zip(days.chunks(7))
            .map(|(week, week_days)| ReportWeek {
                start: week.start,
                totals: KindTotals::of_days(week_days),
                pain_scores: week.pain_scores,
                pain_mean: week.pain_mean,
            })
            .collect();
        let xy: Vec<(f64, f64)> = pain
            .points
            .iter()
            .map(|p| (p.days_since(first), f64::from(p.pain)))
            .collect();
        Self {
            first,
            last,
            generated,
            weeks: report_weeks,
            totals: KindTotals::of_days(&days),
            streaks: routine_streaks(&index, last, settings.routine.every_days),
            exercises: tally_exercises(entries, first, last),
            pain_fit: least_squares(&xy),
            pain_points: pain.points,
        }
    }

    /// Whether nothing was logged in the period.
    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }

    /// Days from the first to the last day, inclusive.
    pub fn span_days(&self) -> i64 {
        (self.last - self.first).num_days() + 1
    }
}

/// Counts exercises of completed or partial sessions between `first` and
/// `last` (local days, inclusive).
fn tally_exercises(entries: &[Entry], first: NaiveDate, last: NaiveDate) -> Vec<ExerciseTally> {
    let catalog = Catalog::builtin();
    let mut by_id: HashMap<&str, ExerciseTally> = HashMap::new();
    let sessions = entries.iter().filter(|e| {
        e.kind == ReminderKind::Routine
            && e.outcome.is_done()
            && (first..=last).contains(&e.local_date())
    });
    for entry in sessions {
        let mut seen_in_session: Vec<&str> = Vec::new();
        for done in &entry.exercises {
            let tally = by_id
                .entry(done.exercise.as_str())
                .or_insert_with(|| ExerciseTally {
                    id: done.exercise.clone(),
                    name: catalog
                        .exercise(&done.exercise)
                        .map_or_else(|| done.exercise.clone(), |e| e.name.clone()),
                    sessions: 0,
                    sets: 0,
                    reps: 0,
                    hold_s: 0,
                });
            if !seen_in_session.contains(&done.exercise.as_str()) {
                tally.sessions += 1;
                seen_in_session.push(&done.exercise);
            }
            tally.sets = tally.sets.saturating_add(done.sets);
            tally.reps = tally
                .reps
                .saturating_add(done.sets.saturating_mul(done.reps));
            tally.hold_s = tally
                .hold_s
                .saturating_add(done.sets.saturating_mul(done.hold_s));
        }
    }
    let mut list: Vec<ExerciseTally> = by_id.into_values().collect();
    list.sort_by(|a, b| {
        b.sessions
            .cmp(&a.sessions)
            .then_with(|| a.name.cmp(&b.name))
    });
    list
}
