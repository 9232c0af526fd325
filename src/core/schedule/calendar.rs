//! Time arithmetic for the schedule: saturating instants and durations, local
//! days and clock times, and working-hour spans, all resolved to UTC instants
//! through the caller's time zone.

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Utc,
};
use std::time::Duration;

use crate::core::settings::WorkingHours;

/// `t + d`, saturating at the end of representable time instead of panicking
/// on absurd settings.
pub(super) fn after(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(d)
        .ok()
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `t - d`, saturating at the start of representable time.
pub(super) fn before(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(d)
        .ok()
        .and_then(|d| t.checked_sub_signed(d))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Time from `from` to `to`; zero when `to` is earlier (the clock went back).
pub(super) fn elapsed(from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
    Duration::from_secs(u64::try_from((to - from).num_seconds()).unwrap_or(0))
}

/// Whole seconds from `from` to `to`, clamped to `0..=u32::MAX`.
pub(super) fn seconds_between(from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
    u32::try_from(elapsed(from, to).as_secs()).unwrap_or(u32::MAX)
}

/// The local calendar day `t` falls on.
pub(super) fn local_date<Tz: TimeZone>(tz: &Tz, t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(tz).date_naive()
}

/// The instant the local clock shows `time` on `date`. A time that occurs
/// twice (clocks went back) gives the first; a time skipped by a DST change
/// is read with the offset in force before the change, so it lands as far
/// past the change as the time was past its start (02:30 becomes 03:30).
pub(super) fn local_instant<Tz: TimeZone>(
    tz: &Tz,
    date: NaiveDate,
    time: NaiveTime,
) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.to_utc(),
        LocalResult::Ambiguous(first, _) => first.to_utc(),
        LocalResult::None => {
            let probe = naive
                .checked_sub_signed(TimeDelta::days(1))
                .unwrap_or(NaiveDateTime::MIN);
            let offset = tz.offset_from_utc_datetime(&probe).fix();
            let utc = naive
                .checked_sub_signed(TimeDelta::seconds(i64::from(offset.local_minus_utc())))
                .unwrap_or(naive);
            Utc.from_utc_datetime(&utc)
        }
    }
}

/// The start of the local day after the one `t` falls on.
pub(super) fn next_midnight<Tz: TimeZone>(tz: &Tz, t: DateTime<Utc>) -> DateTime<Utc> {
    match local_date(tz, t).succ_opt() {
        Some(day) => local_instant(tz, day, NaiveTime::MIN),
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// A stretch of working time, `[start, end)`, made of one or more working
/// days' hours that follow each other without a break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    /// When it begins; timers start fresh here.
    pub start: DateTime<Utc>,
    /// When it ends.
    pub end: DateTime<Utc>,
}

impl Span {
    /// Whether `t` falls inside.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }
}

/// How far either side of a day contiguous working hours are merged; a week
/// covers any weekly pattern.
const MERGE_DAYS: usize = 7;

/// Working hours of one day: from `start` on `date` to `end` the same day,
/// or the next day when `end` is not after `start` (a night shift; equal
/// times mean round the clock).
fn day_window<Tz: TimeZone>(tz: &Tz, hours: &WorkingHours, date: NaiveDate) -> Option<Span> {
    if !hours.days.contains(&date.weekday()) {
        return None;
    }
    let start = local_instant(tz, date, hours.start);
    let end_date = if hours.end <= hours.start {
        date.succ_opt()?
    } else {
        date
    };
    let end = local_instant(tz, end_date, hours.end);
    (end > start).then_some(Span { start, end })
}

/// The working span that contains `t`, or else the first one after it;
/// `None` when no day is a working day.
pub(super) fn working_span<Tz: TimeZone>(
    tz: &Tz,
    hours: &WorkingHours,
    t: DateTime<Utc>,
) -> Option<Span> {
    // Start a day early: yesterday's night shift may still be running.
    let mut date = local_date(tz, t).pred_opt()?;
    for _ in 0..=MERGE_DAYS + 1 {
        if let Some(window) = day_window(tz, hours, date)
            && window.end > t
        {
            return Some(merge_neighbours(tz, hours, date, window));
        }
        date = date.succ_opt()?;
    }
    None
}

/// Grows `window` (the hours of `date`) by the neighbouring days' hours that
/// touch it, so round-the-clock schedules do not restart timers at midnight.
fn merge_neighbours<Tz: TimeZone>(
    tz: &Tz,
    hours: &WorkingHours,
    date: NaiveDate,
    window: Span,
) -> Span {
    let mut span = window;
    let mut earlier = date;
    for _ in 0..MERGE_DAYS {
        let Some(day) = earlier.pred_opt() else { break };
        earlier = day;
        match day_window(tz, hours, day) {
            Some(w) if w.end == span.start => span.start = w.start,
            _ => break,
        }
    }
    let mut later = date;
    for _ in 0..MERGE_DAYS {
        let Some(day) = later.succ_opt() else { break };
        later = day;
        match day_window(tz, hours, day) {
            Some(w) if w.start == span.end => span.end = w.end,
            _ => break,
        }
    }
    span
}

/// Whether `t` falls inside working hours.
pub(super) fn in_working_hours<Tz: TimeZone>(
    tz: &Tz,
    hours: &WorkingHours,
    t: DateTime<Utc>,
) -> bool {
    working_span(tz, hours, t).is_some_and(|span| span.contains(t))
}

/// How many working spans ahead an interval timer looks before giving up
/// (spans shorter than the interval never fire).
const SPANS_AHEAD: usize = 16;

/// When an interval timer started at `anchor` falls due, looking from the
/// working span around `now`: `interval` after the later of `anchor` and the
/// span's start (a working day starts fresh), but not before `not_before`,
/// and inside the span; else the same in the following spans. The result
/// may be before `now`: it is overdue within the current span.
pub(super) fn interval_due<Tz: TimeZone>(
    tz: &Tz,
    hours: &WorkingHours,
    anchor: DateTime<Utc>,
    interval: Duration,
    not_before: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let mut from = now;
    for _ in 0..SPANS_AHEAD {
        let span = working_span(tz, hours, from)?;
        let mut due = after(anchor.max(span.start), interval);
        if let Some(floor) = not_before {
            due = due.max(floor);
        }
        if due < span.end {
            return Some(due);
        }
        from = span.end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;
    use chrono_tz::Europe::Berlin;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn berlin(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Berlin
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap()
            .to_utc()
    }

    #[test]
    fn skipped_clock_time_moves_past_the_change() {
        // 2025-03-30 02:30 does not exist in Berlin; it reads as 03:30 CEST.
        let t = local_instant(&Berlin, date(2025, 3, 30), hm(2, 30));
        assert_eq!(t, berlin(2025, 3, 30, 3, 30));
    }

    #[test]
    fn repeated_clock_time_takes_the_first() {
        // 2025-10-26 02:30 happens twice in Berlin; the first is 00:30 UTC.
        let t = local_instant(&Berlin, date(2025, 10, 26), hm(2, 30));
        assert_eq!(t, Utc.with_ymd_and_hms(2025, 10, 26, 0, 30, 0).unwrap());
    }

    #[test]
    fn spans_follow_weekdays_and_merge_round_the_clock() {
        let office = WorkingHours::default();
        // Saturday noon: the next span is Monday 09:00-18:00.
        let span = working_span(&Berlin, &office, berlin(2025, 3, 29, 12, 0)).unwrap();
        assert_eq!(span.start, berlin(2025, 3, 31, 9, 0));
        assert_eq!(span.end, berlin(2025, 3, 31, 18, 0));

        let always = WorkingHours {
            days: std::iter::successors(Some(Weekday::Mon), |d| Some(d.succ()))
                .take(7)
                .collect(),
            start: hm(0, 0),
            end: hm(0, 0),
        };
        let t = berlin(2025, 3, 29, 12, 0);
        let span = working_span(&Berlin, &always, t).unwrap();
        assert!(span.contains(t));
        assert!(span.end - span.start >= TimeDelta::days(7));
    }

    #[test]
    fn night_shift_runs_past_midnight() {
        let night = WorkingHours {
            days: vec![Weekday::Mon],
            start: hm(22, 0),
            end: hm(6, 0),
        };
        // Tuesday 03:00 is inside Monday's shift.
        assert!(in_working_hours(&Berlin, &night, berlin(2025, 3, 4, 3, 0)));
        assert!(!in_working_hours(&Berlin, &night, berlin(2025, 3, 4, 7, 0)));
    }

    #[test]
    fn no_working_days_means_no_span() {
        let none = WorkingHours {
            days: Vec::new(),
            ..WorkingHours::default()
        };
        assert_eq!(
            working_span(&Berlin, &none, berlin(2025, 3, 3, 10, 0)),
            None
        );
    }

    #[test]
    fn saturating_maths_never_goes_negative() {
        let t = berlin(2025, 3, 3, 10, 0);
        let earlier = berlin(2025, 3, 3, 9, 0);
        assert_eq!(elapsed(t, earlier), Duration::ZERO);
        assert_eq!(seconds_between(t, earlier), 0);
        assert_eq!(after(t, Duration::MAX), DateTime::<Utc>::MAX_UTC);
        assert_eq!(before(t, Duration::MAX), DateTime::<Utc>::MIN_UTC);
    }
}
