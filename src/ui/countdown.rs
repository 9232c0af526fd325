//! The Today view's countdowns in whole clock minutes, and when their text
//! changes next, so an open window repaints once a minute (at the turn of
//! the clock minute, for every countdown at once) instead of every second.
//! Pure: the time is an input.

use chrono::{DateTime, Utc};

/// A minute in milliseconds.
const MINUTE_MS: i64 = 60_000;

/// `a / b` rounded towards positive infinity, for a positive `b`.
fn ceil_div(a: i64, b: i64) -> i64 {
    if a > 0 { (a + b - 1) / b } else { a / b }
}

/// A countdown in minutes, rounded up: "in 29 min", "in 1 h 5 min",
/// "in 2 h", and "now" once it is due. The last minute reads "in 1 min";
/// seconds are never shown.
pub fn minutes_text(seconds_left: i64) -> String {
    if seconds_left <= 0 {
        return "now".to_owned();
    }
    let minutes = ceil_div(seconds_left, 60);
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("in {m} min"),
        (h, 0) => format!("in {h} h"),
        (h, m) => format!("in {h} h {m} min"),
    }
}

/// The clock minute `at` falls in, counted from the epoch.
fn clock_minute(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis().div_euclid(MINUTE_MS)
}

/// The countdown to `due` as shown at `now`: the clock minutes from now to
/// the deadline, as a clock on the wall would count them ("at 10:30, in 29
/// min" from any time in 10:01), and "in 1 min" within the deadline's own
/// minute. Every countdown on screen so changes at the same moment, the
/// turn of the clock minute, and the window draws one frame a minute for
/// all of them.
pub fn text_at(due: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if due <= now {
        return "now".to_owned();
    }
    let minutes = (clock_minute(due) - clock_minute(now)).max(1);
    minutes_text(minutes * 60)
}

/// When the text of the countdown to `due` changes next after `now`: the
/// turn of the clock minute while two or more minutes are shown, else `due`
/// itself ("in 1 min" turns "now"); `None` once it is due.
pub fn next_change(due: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if due <= now {
        return None;
    }
    if clock_minute(due) - clock_minute(now) >= 2 {
        let next_minute = (clock_minute(now) + 1) * MINUTE_MS;
        return DateTime::<Utc>::from_timestamp_millis(next_minute);
    }
    Some(due)
}

/// The earliest moment after `now` at which any of the countdowns to
/// `deadlines` reads differently; `None` when none will change.
pub fn next_text_change(
    deadlines: impl IntoIterator<Item = DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    deadlines
        .into_iter()
        .filter_map(|due| next_change(due, now))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_741_082_400, 0).unwrap() + Duration::seconds(seconds)
    }

    #[test]
    fn countdowns_read_in_whole_minutes() {
        assert_eq!(minutes_text(0), "now");
        assert_eq!(minutes_text(-5), "now");
        assert_eq!(minutes_text(1), "in 1 min");
        assert_eq!(minutes_text(59), "in 1 min");
        assert_eq!(minutes_text(60), "in 1 min");
        assert_eq!(minutes_text(61), "in 2 min");
        assert_eq!(minutes_text(29 * 60), "in 29 min");
        assert_eq!(minutes_text(3600), "in 1 h");
        assert_eq!(minutes_text(3600 + 1), "in 1 h 1 min");
        assert_eq!(minutes_text(12 * 3600 + 11 * 60), "in 12 h 11 min");
    }

    #[test]
    fn the_text_counts_clock_minutes_and_changes_at_the_turn_of_the_minute() {
        // t(0) is the start of a clock minute; the deadline falls 29 clock
        // minutes on, 30 s into its minute.
        let due = t(29 * 60 + 30);
        assert_eq!(text_at(due, t(0)), "in 29 min");
        assert_eq!(next_change(due, t(0)), Some(t(60)));
        assert_eq!(text_at(due, t(59)), "in 29 min");
        assert_eq!(text_at(due, t(60)), "in 28 min");
        // Exactly on a boundary, the next change is a full minute later.
        assert_eq!(next_change(due, t(60)), Some(t(120)));
        // Within the deadline's own minute it reads "in 1 min" until due.
        assert_eq!(text_at(due, t(29 * 60)), "in 1 min");
        assert_eq!(next_change(due, t(28 * 60)), Some(due));
    }

    #[test]
    fn several_countdowns_change_together_once_a_minute() {
        let deadlines = [t(10 * 60 + 5), t(20 * 60 + 40), t(33 * 60 + 59)];
        let mut now = t(7);
        let mut changes = Vec::new();
        while let Some(next) = next_text_change(deadlines, now) {
            if next > t(9 * 60) {
                break;
            }
            changes.push(next);
            now = next;
        }
        let minutes: Vec<DateTime<Utc>> = (1..=9).map(|m| t(m * 60)).collect();
        assert_eq!(changes, minutes, "one frame a minute for all three");
    }

    #[test]
    fn the_last_change_is_the_deadline_and_then_nothing() {
        let due = t(45);
        assert_eq!(next_change(due, t(0)), Some(due));
        assert_eq!(text_at(due, due), "now");
        assert_eq!(next_change(due, due), None);
        assert_eq!(next_change(due, t(100)), None);
    }

    #[test]
    fn sub_second_offsets_round_up_like_the_text() {
        let now = t(0) + Duration::milliseconds(250);
        let due = t(120);
        // 119.75 s left: "in 2 min", turns "in 1 min" at t(60).
        assert_eq!(text_at(due, now), "in 2 min");
        assert_eq!(next_change(due, now), Some(t(60)));
        assert_eq!(text_at(due, t(60) - Duration::milliseconds(1)), "in 2 min");
        assert_eq!(text_at(due, t(60)), "in 1 min");
    }

    #[test]
    fn the_nearest_countdown_decides_and_due_ones_are_left_out() {
        let now = t(0);
        let deadlines = [t(3 * 3600 + 10), t(-5), t(42)];
        assert_eq!(next_text_change(deadlines, now), Some(t(42)));
        let deadlines = [t(3 * 3600 + 10), t(-5), t(600 + 42)];
        assert_eq!(next_text_change(deadlines, now), Some(t(60)));
        assert_eq!(next_text_change([t(-1), t(0)], now), None);
        assert_eq!(next_text_change([], now), None);
    }

    #[test]
    fn following_the_changes_visits_every_minute_once() {
        let due = t(5 * 60 + 17);
        let mut now = t(0);
        let mut texts = vec![text_at(due, now)];
        while let Some(next) = next_change(due, now) {
            assert!(next > now);
            now = next;
            texts.push(text_at(due, now));
        }
        assert_eq!(
            texts,
            [
                "in 5 min", "in 4 min", "in 3 min", "in 2 min", "in 1 min", "now"
            ]
        );
    }
}
