//! Settings validation (every rule at both edges) and the TOML the settings
//! file is written in.

use std::time::Duration;

use chrono::{NaiveTime, Weekday};
use rebalance::core::model::FieldError;
use rebalance::core::settings::{SETTINGS_VERSION, Settings};
use rebalance::store::settings_file::{parse_settings, settings_to_toml};

const MIN: u64 = 60;
const HOUR: u64 = 3600;

fn mins(n: u64) -> Duration {
    Duration::from_secs(n * MIN)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn with(change: impl FnOnce(&mut Settings)) -> Result<(), Vec<FieldError>> {
    let mut s = Settings::default();
    change(&mut s);
    s.validate()
}

/// Asserts the change is refused for exactly `field`, with a message that
/// contains `hint` (usually the allowed range).
fn refused(change: impl FnOnce(&mut Settings), field: &str, hint: &str) {
    let errors = with(change).expect_err("should be refused");
    let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(names, [field]);
    assert!(
        errors[0].message.contains(hint),
        "{field}: {:?} lacks {hint:?}",
        errors[0].message
    );
}

fn accepted(change: impl FnOnce(&mut Settings)) {
    assert_eq!(with(change), Ok(()));
}

/// Checks both edges of a range: `inside` values are accepted, `outside`
/// ones refused for `field` with `hint` in the message.
fn edges<T: Copy>(
    set: impl Fn(&mut Settings, T),
    field: &str,
    inside: [T; 2],
    outside: [T; 2],
    hint: &str,
) {
    for value in inside {
        accepted(|s| set(s, value));
    }
    for value in outside {
        refused(|s| set(s, value), field, hint);
    }
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

#[test]
fn the_defaults_are_valid() {
    assert_eq!(Settings::default().validate(), Ok(()));
}

#[test]
fn intervals_run_from_one_minute_to_eight_hours() {
    edges(
        |s, d| s.posture.interval = d,
        "posture.interval",
        [mins(1), mins(8 * 60)],
        [Duration::ZERO, secs(8 * HOUR + 1)],
        "allowed 1m to 8h",
    );
    accepted(|s| s.move_break.interval = mins(8 * 60));
    // A one-minute break needs an interval just above it.
    accepted(|s| {
        s.move_break.duration = mins(1);
        s.move_break.interval = secs(MIN + 1);
    });
    for (value, shown) in [
        (Duration::ZERO, "0m"),
        (secs(59), "59s"),
        (secs(8 * HOUR + 1), "8h1s"),
    ] {
        refused(
            |s| s.posture.interval = value,
            "posture.interval",
            &format!("{shown} is out of range; allowed 1m to 8h"),
        );
    }
    refused(
        |s| s.move_break.interval = secs(8 * HOUR + MIN),
        "move_break.interval",
        "allowed 1m to 8h",
    );
}

#[test]
fn a_break_lasts_one_to_thirty_minutes_and_less_than_its_interval() {
    edges(
        |s, d| s.move_break.duration = d,
        "move_break.duration",
        [mins(1), mins(30)],
        [secs(59), secs(30 * MIN + 1)],
        "allowed 1m to 30m",
    );
    accepted(|s| {
        s.move_break.interval = mins(11);
        s.move_break.duration = mins(10);
    });
    refused(
        |s| {
            s.move_break.interval = mins(10);
            s.move_break.duration = mins(10);
        },
        "move_break.duration",
        "shorter than move_break.interval (10m)",
    );
}

#[test]
fn snoozes_last_one_to_sixty_minutes_and_up_to_ten_in_a_row() {
    edges(
        |s, d| s.reminders.snooze = d,
        "reminders.snooze",
        [mins(1), mins(60)],
        [secs(59), mins(61)],
        "allowed 1m to 1h",
    );
    edges(
        |s, n| s.reminders.max_snoozes = n,
        "reminders.max_snoozes",
        [0, 10],
        [11, 99],
        "is out of range; allowed 0 to 10",
    );
}

#[test]
fn reminders_expire_after_one_minute_to_two_hours() {
    edges(
        |s, d| s.reminders.expire_after = d,
        "reminders.expire_after",
        [mins(1), mins(120)],
        [secs(59), mins(121)],
        "allowed 1m to 2h",
    );
}

#[test]
fn the_quiet_spell_after_a_break_is_zero_to_thirty_minutes() {
    edges(
        |s, d| s.reminders.quiet_after_break = d,
        "reminders.quiet_after_break",
        [Duration::ZERO, mins(30)],
        [secs(30 * MIN + 1), mins(31)],
        "allowed 0m to 30m",
    );
}

#[test]
fn the_routine_comes_every_one_to_fourteen_days_and_names_a_routine() {
    edges(
        |s, n| s.routine.every_days = n,
        "routine.every_days",
        [1, 14],
        [0, 15],
        "allowed 1 to 14 days",
    );
    accepted(|s| s.routine.routine = "x".to_owned());
    refused(
        |s| s.routine.routine = " ".to_owned(),
        "routine.routine",
        "must name a routine",
    );
}

#[test]
fn working_hours_need_a_day_and_a_start_before_the_end() {
    accepted(|s| s.working_hours.days = vec![Weekday::Sun]);
    refused(
        |s| s.working_hours.days.clear(),
        "working_hours.days",
        "at least one day",
    );
    accepted(|s| {
        s.working_hours.start = time(9, 0);
        s.working_hours.end = time(9, 1);
    });
    refused(
        |s| {
            s.working_hours.start = time(9, 0);
            s.working_hours.end = time(9, 0);
        },
        "working_hours.end",
        "09:00 must be later than working_hours.start (09:00)",
    );
    refused(
        |s| s.working_hours.end = time(8, 0),
        "working_hours.end",
        "later than working_hours.start",
    );
}

#[test]
fn a_newer_format_version_is_refused() {
    accepted(|s| s.version = SETTINGS_VERSION);
    refused(
        |s| s.version = SETTINGS_VERSION + 1,
        "version",
        "newer than this version of Rebalance",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let errors = with(|s| {
        s.posture.interval = Duration::ZERO;
        s.reminders.max_snoozes = 99;
        s.working_hours.days.clear();
    })
    .expect_err("three problems");
    let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        names,
        [
            "posture.interval",
            "reminders.max_snoozes",
            "working_hours.days"
        ]
    );
}

#[test]
fn the_defaults_round_trip_through_toml() {
    let text = settings_to_toml(&Settings::default()).expect("serialises");
    assert_eq!(parse_settings(text.as_bytes()), Ok(Settings::default()));
}

#[test]
fn the_file_writes_durations_and_times_the_way_people_do() {
    let mut s = Settings::default();
    s.move_break.interval = mins(90);
    let text = settings_to_toml(&s).expect("serialises");
    for line in [
        "interval = \"30m\"",
        "interval = \"1h30m\"",
        "duration = \"5m\"",
        "at = \"18:00\"",
        "start = \"09:00\"",
        "end = \"18:00\"",
        "routine = \"mini\"",
        "[move_break]",
        "version = 1",
    ] {
        assert!(
            text.lines().any(|l| l.trim() == line),
            "missing {line:?} in:\n{text}"
        );
    }
    assert!(text.contains("\"Mon\""), "{text}");
    assert!(text.starts_with('#'), "a header explains the forms");
    assert_eq!(parse_settings(text.as_bytes()).map(|p| p == s), Ok(true));
}

#[test]
fn a_hand_written_file_may_leave_settings_out() {
    let parsed = parse_settings(b"[posture]\ninterval = \"1h 15m\"\n").expect("valid");
    assert_eq!(parsed.posture.interval, mins(75));
    assert_eq!(parsed.move_break, Settings::default().move_break);
}

#[test]
fn a_bad_value_is_explained_with_its_field_and_line() {
    let problem =
        parse_settings(b"version = 1\n\n[posture]\nenabled = true\ninterval = \"soon\"\n")
            .expect_err("bad duration");
    assert!(
        problem.starts_with("posture.interval (line 5)"),
        "{problem}"
    );
    assert!(problem.contains("not a duration"), "{problem}");

    let problem = parse_settings(b"[move_break]\ninterval = \"0m\"\n").expect_err("zero");
    assert!(
        problem.contains("move_break.interval: 0m is out of range; allowed 1m to 8h"),
        "{problem}"
    );
}
