//! Everything the week view, the `stats` command and the report show for
//! one week, computed together.

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::{CHART_WEEKS, shift, week_days};
use super::counts::{Change, DayFigures, KindTotals, Metric};
use super::heatmap::{HeatmapDay, routine_heatmap};
use super::index::LogIndex;
use super::pain::{PainTrend, pain_trend};
use super::seek_help::{SeekHelp, seek_help};
use super::streak::{Streaks, routine_streaks};
use super::strength::{StrengthPoint, routine_strength_series};
use crate::core::model::Entry;

/// One week's figures with the history charts that end with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekFigures {
    /// First day of the week.
    pub start: NaiveDate,
    /// The reference day for streaks, strength, pain and seek-help: the
    /// week's last day, or today while the week is still running.
    pub as_of: NaiveDate,
    /// The routine target the streaks and strength were measured against.
    pub every_days: u32,
    /// The seven days, in order.
    pub days: Vec<DayFigures>,
    /// This week's totals.
    pub totals: KindTotals,
    /// The previous week's totals.
    pub previous: KindTotals,
    /// Routine streaks as of `as_of`.
    pub streaks: Streaks,
    /// The routine strength score on `as_of` (0 to 1).
    pub strength: f64,
    /// The daily strength score over the charted weeks, up to `as_of`.
    pub strength_series: Vec<StrengthPoint>,
    /// Routine work per day over the charted weeks (rows of seven days,
    /// starting on the week's first weekday).
    pub heatmap: Vec<HeatmapDay>,
    /// Pain over the charted weeks and its recent trend.
    pub pain: PainTrend,
    /// Set when the figures say a professional should have a look.
    pub seek_help: Option<SeekHelp>,
}

impl WeekFigures {
    /// The week's last day.
    pub fn end(&self) -> NaiveDate {
        shift(self.start, 6)
    }

    /// First day of the charted history (the strength, heatmap and pain
    /// charts cover [`CHART_WEEKS`] weeks ending with this one).
    pub fn history_start(&self) -> NaiveDate {
        shift(self.start, -7 * (i64::from(CHART_WEEKS) - 1))
    }

    /// The headline figures against the previous week.
    pub fn changes(&self) -> Vec<Change> {
        Metric::ALL
            .into_iter()
            .map(|metric| Change {
                metric,
                current: self.totals.metric(metric),
                previous: self.previous.metric(metric),
            })
            .collect()
    }

    /// Whether nothing at all was logged this week.
    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }
}

impl LogIndex {
    /// The figures for the week starting on `week_start` (already aligned to
    /// the user's first day of the week, see
    /// [`week_start`](super::week_start)), with streaks and strength measured
    /// against a routine every `every_days` days.
    ///
    /// Reads at most the charted weeks and the strength warm-up from the
    /// index, plus one step per routine day for the streaks.
    pub fn week_figures(
        &self,
        week_start: NaiveDate,
        today: NaiveDate,
        every_days: u32,
    ) -> WeekFigures {
        let every_days = every_days.max(1);
        let days: Vec<DayFigures> = week_days(week_start).iter().map(|d| self.day(*d)).collect();
        let previous_days = week_days(shift(week_start, -7)).map(|d| self.day(d));
        let end = shift(week_start, 6);
        let as_of = end.min(today);
        let history_start = shift(week_start, -7 * (i64::from(CHART_WEEKS) - 1));

        let strength_series = routine_strength_series(self, history_start, as_of, every_days);
        let strength = strength_series.last().map(|p| p.score).unwrap_or(0.0);
        WeekFigures {
            start: week_start,
            as_of,
            every_days,
            totals: KindTotals::of_days(&days),
            previous: KindTotals::of_days(&previous_days),
            days,
            streaks: routine_streaks(self, as_of, every_days),
            strength,
            strength_series,
            heatmap: routine_heatmap(self, history_start, end, as_of),
            pain: pain_trend(self, history_start, CHART_WEEKS, as_of),
            seek_help: seek_help(self, as_of),
        }
    }
}

/// The figures for one week straight from log entries (which must include
/// the previous week and, for exact streaks and strength, the history
/// before). Folds the entries into a [`LogIndex`] first; to look at several
/// weeks, build the index once and call [`LogIndex::week_figures`].
pub fn week_figures(
    entries: &[Entry],
    week_start: NaiveDate,
    today: NaiveDate,
    every_days: u32,
) -> WeekFigures {
    LogIndex::from_entries(entries).week_figures(week_start, today, every_days)
}
