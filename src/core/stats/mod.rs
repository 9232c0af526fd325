//! Weekly figures, streaks, adherence, routine strength, the pain trend and
//! the seek-help signal, computed from log entries.
//!
//! Pure, deterministic logic: no I/O, no clock reads, no threads. "Today" and
//! the week come in as arguments. Every entry belongs to its own local day
//! ([`Entry::local_date`](crate::core::model::Entry::local_date), from the
//! offset stored with it), which keeps days right across travel and DST.
//!
//! The log is first folded into a [`LogIndex`] of per-day aggregates, in one
//! pass. A week's figures then read only a bounded number of days from it
//! (the 12 charted weeks plus the strength score's warm-up), and the streaks
//! walk routine days, never entries, so looking at a week costs the same
//! whatever the size of the log.

mod calendar;
mod counts;
mod figures;
mod heatmap;
mod index;
mod pain;
mod seek_help;
mod streak;
mod strength;

pub use calendar::{CHART_WEEKS, RECENT_DAYS, week_days, week_start};
pub use counts::{
    Change, DayFigures, KindCounts, KindTotals, Metric, OutcomeCounts, adherence, empty_counts,
};
pub use figures::{WeekFigures, week_figures};
pub use heatmap::{HeatmapDay, routine_heatmap};
pub use index::LogIndex;
pub use pain::{PainFit, PainPoint, PainTrend, WeekPain, least_squares, pain_trend};
pub use seek_help::{
    HIGH_PAIN_MEAN, MIN_ROUTINE_DAYS, MIN_ROUTINE_WEEKS, NOTABLE_PAIN_MEAN, SeekHelp,
    SeekHelpFigures, SeekHelpReason, seek_help,
};
pub use streak::{Streaks, routine_streaks};
pub use strength::{StrengthPoint, routine_strength_series, strength_half_life_days};
