//! Calendar helpers: where a week starts and which days it holds.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// How many weeks the history charts (strength, heatmap, pain) cover.
pub const CHART_WEEKS: u32 = 12;

/// How many days count as "recent" for the pain trend and the seek-help
/// signal: five weeks, enough to see whether a few weeks of work helped.
pub const RECENT_DAYS: u32 = 35;

/// The first day of the week holding `day`, for weeks starting on `first_day`.
pub fn week_start(day: NaiveDate, first_day: Weekday) -> NaiveDate {
    let back = (7 + day.weekday().num_days_from_monday() - first_day.num_days_from_monday()) % 7;
    day.checked_sub_days(Days::new(u64::from(back)))
        .unwrap_or(day)
}

/// The seven days of the week starting on `start`.
pub fn week_days(start: NaiveDate) -> [NaiveDate; 7] {
    let mut days = [start; 7];
    for (offset, day) in days.iter_mut().enumerate() {
        *day = shift(start, offset as i64);
    }
    days
}

/// `day` moved by `days` (negative: back), saturating at the calendar's ends.
pub(crate) fn shift(day: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(if days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}
