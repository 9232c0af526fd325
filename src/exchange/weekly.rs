//! The weekly figures as the `stats` command prints them: a JSON document
//! for scripts and a small table for people.
//!
//! # JSON (`rebalance stats --json`)
//! ```text
//! {
//!   "start": "2024-03-04", "end": "2024-03-10",   first and last local day
//!   "iso_week": "2024-W10",                        null unless the week starts on a Monday
//!   "as_of": "2024-03-07",                         reference day: the week's end, or today
//!   "days": [                                      seven objects, in order
//!     { "date": "2024-03-04",
//!       "posture_check": {"all_good": 3, "fixed": 1, "snoozed": 0, "skipped": 0, "missed": 1},
//!       "move_break": {"taken": 2, "natural": 1, "snoozed": 0, "skipped": 1, "missed": 0},
//!       "routine": {"completed": 1, "partial": 0, "skipped": 0, "missed": 0},
//!       "routine_minutes": 9, "routine_sessions": 1 }, ...],
//!   "totals":   { same keys as a day, without "date" },
//!   "previous": { the same, for the week before },
//!   "adherence": {"posture_check": 0.8, "move_break": 0.75, "routine": null},
//!   "streaks": {"current": 3, "best": 7, "last_session": "2024-03-06", "every_days": 2},
//!   "strength": 0.62,
//!   "pain": {"scores": 2, "mean": 3.5, "trend_per_week": -0.4},
//!   "seek_help": null
//! }
//! ```
//! Every kind lists all of its outcomes, zeros included, so the shape never
//! changes. Adherence is done / (done + skipped + missed), snoozes left out,
//! `null` when nothing was due. `routine_minutes` counts completed and
//! partial sessions. `pain.mean` is this week's mean score;
//! `pain.trend_per_week` is the least-squares slope over the last five
//! weeks (negative: easing), `null` without enough scores. `seek_help`,
//! when set, is `{"reason": "no_improvement" | "high_pain", "message": ...}`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use crate::core::model::ReminderKind;
use crate::core::stats::{DayFigures, KindCounts, KindTotals, SeekHelpReason, WeekFigures};

/// Totals written flat, like a day: kind objects beside the minutes.
#[derive(Serialize)]
struct FlatTotals<'a> {
    #[serde(flatten)]
    counts: &'a KindCounts,
    routine_minutes: u32,
    routine_sessions: u32,
}

impl<'a> FlatTotals<'a> {
    fn of(totals: &'a KindTotals) -> Self {
        Self {
            counts: &totals.counts,
            routine_minutes: totals.routine_minutes,
            routine_sessions: totals.routine_sessions(),
        }
    }
}

/// The ISO week name ("2024-W10") of a week starting on a Monday.
pub fn iso_week_name(start: NaiveDate) -> Option<String> {
    (start.weekday() == Weekday::Mon).then(|| {
        let week = start.iso_week();
        format!("{}-W{:02}", week.year(), week.week())
    })
}

/// Parses an ISO week ("2024-W10", case-insensitive) into its Monday.
pub fn parse_iso_week(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let hint = "write the week like 2024-W10";
    let (year, week) = text
        .split_once(['W', 'w'])
        .ok_or_else(|| format!("\"{text}\" is not an ISO week; {hint}"))?;
    let year: i32 = year
        .strip_suffix('-')
        .unwrap_or(year)
        .parse()
        .map_err(|_| format!("\"{text}\" has no year; {hint}"))?;
    let week: u32 = week
        .parse()
        .map_err(|_| format!("\"{text}\" has no week number; {hint}"))?;
    NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
        .ok_or_else(|| format!("{year} has no week {week}; ISO years have 52 or 53 weeks"))
}

/// The JSON document described in the module docs; serializing it keeps
/// the keys in the documented order.
#[derive(Serialize)]
pub struct StatsDocument<'a> {
    start: NaiveDate,
    end: NaiveDate,
    iso_week: Option<String>,
    as_of: NaiveDate,
    days: &'a [DayFigures],
    totals: FlatTotals<'a>,
    previous: FlatTotals<'a>,
    adherence: BTreeMap<ReminderKind, Option<f64>>,
    streaks: StreaksJson,
    strength: f64,
    pain: PainJson,
    seek_help: Option<SeekHelpJson>,
}

#[derive(Serialize)]
struct StreaksJson {
    current: u32,
    best: u32,
    last_session: Option<NaiveDate>,
    every_days: u32,
}

#[derive(Serialize)]
struct PainJson {
    scores: u32,
    mean: Option<f64>,
    trend_per_week: Option<f64>,
}

#[derive(Serialize)]
struct SeekHelpJson {
    reason: SeekHelpReason,
    message: String,
}

/// The figures as the JSON document described in the module docs.
pub fn stats_document(figures: &WeekFigures) -> StatsDocument<'_> {
    let this_week = figures.pain.weeks.iter().find(|w| w.start == figures.start);
    StatsDocument {
        start: figures.start,
        end: figures.end(),
        iso_week: iso_week_name(figures.start),
        as_of: figures.as_of,
        days: &figures.days,
        totals: FlatTotals::of(&figures.totals),
        previous: FlatTotals::of(&figures.previous),
        adherence: ReminderKind::ALL
            .into_iter()
            .map(|kind| (kind, figures.totals.adherence(kind)))
            .collect(),
        streaks: StreaksJson {
            current: figures.streaks.current,
            best: figures.streaks.best,
            last_session: figures.streaks.last_session,
            every_days: figures.every_days,
        },
        strength: (figures.strength * 1000.0).round() / 1000.0,
        pain: PainJson {
            scores: this_week.map_or(0, |w| w.pain_scores),
            mean: this_week.and_then(|w| w.pain_mean),
            trend_per_week: figures.pain.fit.map(|f| f.slope_per_week),
        },
        seek_help: figures.seek_help.map(|help| SeekHelpJson {
            reason: help.reason,
            message: help.message(),
        }),
    }
}

/// The figures as a small table for a terminal.
pub fn stats_table(figures: &WeekFigures) -> String {
    let mut out = String::new();
    let iso = iso_week_name(figures.start)
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Week of {} to {}{iso}\n",
        figures.start.format("%a %-d %b %Y"),
        figures.end().format("%a %-d %b %Y")
    );
    let _ = write!(out, "{:<18}", "");
    for day in &figures.days {
        let _ = write!(out, "{:>7}", day.date.format("%a %d").to_string());
    }
    let _ = writeln!(out, "{:>8}", "Week");
    for kind in ReminderKind::ALL {
        let _ = writeln!(out, "{}", plural_label(kind));
        for &outcome in kind.outcomes() {
            let _ = write!(out, "  {:<16}", outcome.label().to_lowercase());
            for day in &figures.days {
                let _ = write!(out, "{:>7}", dash_for_zero(day.count(kind, outcome)));
            }
            let _ = writeln!(
                out,
                "{:>8}",
                dash_for_zero(figures.totals.count(kind, outcome))
            );
        }
    }
    let _ = write!(out, "  {:<16}", "minutes");
    for day in &figures.days {
        let _ = write!(out, "{:>7}", dash_for_zero(day.routine_minutes));
    }
    let _ = writeln!(
        out,
        "{:>8}\n",
        dash_for_zero(figures.totals.routine_minutes)
    );
    let rates: Vec<String> = ReminderKind::ALL
        .into_iter()
        .map(|kind| {
            let rate = figures
                .totals
                .adherence(kind)
                .map_or("nothing due".to_owned(), |r| format!("{:.0} %", r * 100.0));
            format!("{} {rate}", plural_label(kind).to_lowercase())
        })
        .collect();
    let _ = writeln!(out, "Adherence: {}", rates.join(", "));
    let _ = writeln!(
        out,
        "Routine streak: {} (best {}), target every {} day{}",
        days_text(figures.streaks.current),
        days_text(figures.streaks.best),
        figures.every_days,
        if figures.every_days == 1 { "" } else { "s" }
    );
    if let Some(help) = &figures.seek_help {
        let _ = writeln!(out, "\n{}: {}", help.headline(), help.message());
    }
    out
}

/// The kind's name in the plural, for table headings ("Move breaks").
pub(crate) fn plural_label(kind: ReminderKind) -> &'static str {
    match kind {
        ReminderKind::PostureCheck => "Posture checks",
        ReminderKind::MoveBreak => "Move breaks",
        ReminderKind::Routine => "Routines",
    }
}

fn days_text(n: u32) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

fn dash_for_zero(n: u32) -> String {
    if n == 0 {
        "·".to_owned()
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks_parse_to_their_monday() {
        let monday = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap();
        assert_eq!(parse_iso_week("2024-W10"), Ok(monday));
        assert_eq!(parse_iso_week("2024w10"), Ok(monday));
        assert_eq!(iso_week_name(monday).as_deref(), Some("2024-W10"));
        // ISO 2025-W01 starts in December 2024.
        assert_eq!(
            parse_iso_week("2025-W01"),
            Ok(NaiveDate::from_ymd_opt(2024, 12, 30).unwrap())
        );
        assert!(parse_iso_week("2023-W53").is_err());
        assert!(parse_iso_week("2024-10").is_err());
        assert!(parse_iso_week("W10").is_err());
        assert_eq!(iso_week_name(monday.succ_opt().unwrap()), None);
    }
}
