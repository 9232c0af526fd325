//! Weekly figures for a small fixed log, computed by hand, checked in two
//! time zones across their spring DST change, with weeks starting on Monday
//! and on Sunday.

use chrono::{DateTime, Days, NaiveDate, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use rebalance::core::model::{Entry, Outcome, ReminderKind};
use rebalance::core::stats::{LogIndex, Metric, week_figures, week_start};

use Outcome::*;
use ReminderKind::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An entry at a local wall-clock time in `tz` (the earlier one when the
/// time occurs twice), with the offset the app would store.
fn at(tz: Tz, day: NaiveDate, hh: u32, mm: u32, kind: ReminderKind, outcome: Outcome) -> Entry {
    let local = tz
        .from_local_datetime(&day.and_hms_opt(hh, mm, 0).unwrap())
        .earliest()
        .unwrap();
    let offset = local.offset().fix().local_minus_utc();
    Entry::new(kind, outcome, local.with_timezone(&Utc), offset)
}

fn session(
    tz: Tz,
    day: NaiveDate,
    hh: u32,
    mm: u32,
    outcome: Outcome,
    secs: u32,
    pain: Option<u8>,
) -> Entry {
    let mut e = at(tz, day, hh, mm, Routine, outcome);
    e.duration_s = secs;
    e.pain = pain;
    e.routine = Some("mini".into());
    e
}

/// The fixed log. `monday` starts the week whose Sunday is the zone's
/// spring-forward day; entries sit near midnight on both sides of it.
fn log(tz: Tz, monday: NaiveDate) -> Vec<Entry> {
    let d = |n: i64| {
        if n >= 0 {
            monday + Days::new(n as u64)
        } else {
            monday - Days::new((-n) as u64)
        }
    };
    vec![
        // Previous week.
        session(tz, d(-6), 18, 0, Completed, 600, Some(7)),
        session(tz, d(-4), 18, 0, Completed, 600, Some(7)),
        at(tz, d(-1), 23, 50, MoveBreak, Taken),
        // Monday, five minutes after midnight: still Monday locally.
        at(tz, d(0), 0, 5, PostureCheck, AllGood),
        at(tz, d(0), 10, 0, PostureCheck, Fixed),
        at(tz, d(0), 11, 0, MoveBreak, Taken),
        session(tz, d(0), 18, 0, Completed, 600, Some(6)),
        // Tuesday: a missed check, then one snoozed and answered.
        at(tz, d(1), 10, 0, PostureCheck, Missed),
        at(tz, d(1), 10, 30, PostureCheck, Snoozed),
        at(tz, d(1), 10, 35, PostureCheck, AllGood),
        at(tz, d(1), 14, 0, MoveBreak, Natural),
        at(tz, d(1), 15, 0, MoveBreak, Skipped),
        // Wednesday: a partial session of 7.5 minutes.
        session(tz, d(2), 18, 0, Partial, 450, Some(5)),
        // Friday.
        at(tz, d(4), 10, 0, MoveBreak, Missed),
        at(tz, d(4), 12, 0, PostureCheck, Skipped),
        // Saturday.
        session(tz, d(5), 18, 0, Skipped, 0, None),
        // Sunday, DST day: half past midnight before the change, and half
        // past eleven after it (15.5 minutes of routine).
        at(tz, d(6), 0, 30, PostureCheck, AllGood),
        session(tz, d(6), 23, 30, Completed, 930, Some(4)),
        // Next Monday, a quarter past midnight: not this week, although in
        // UTC it is still Sunday.
        at(tz, d(7), 0, 15, MoveBreak, Taken),
    ]
}

/// (zone, Monday of the week ending on its spring-forward Sunday)
fn zones() -> [(Tz, NaiveDate); 2] {
    [
        (chrono_tz::Europe::Berlin, date(2025, 3, 24)),
        (chrono_tz::America::New_York, date(2025, 3, 3)),
    ]
}

#[test]
fn the_fixed_log_is_split_into_local_days() {
    for (tz, monday) in zones() {
        // Sanity: the Sunday really is the DST change, and entries near
        // midnight really fall on another day in UTC (east of UTC the
        // early ones, west of it the late ones).
        let sunday = monday + Days::new(6);
        let early = tz
            .from_local_datetime(&sunday.and_hms_opt(0, 30, 0).unwrap())
            .unwrap();
        let late = tz
            .from_local_datetime(&sunday.and_hms_opt(23, 30, 0).unwrap())
            .unwrap();
        assert_ne!(early.offset().fix(), late.offset().fix(), "{tz}");
        let entries = log(tz, monday);
        let crossing = entries
            .iter()
            .filter(|e| e.at.date_naive() != e.local_date())
            .count();
        assert!(
            crossing >= 2,
            "{tz}: only {crossing} entries cross the UTC day line"
        );

        let f = week_figures(&entries, monday, date(2025, 12, 31), 2);
        assert_eq!(f.days.len(), 7);
        let dates: Vec<NaiveDate> = f.days.iter().map(|d| d.date).collect();
        assert_eq!(
            dates,
            (0..7).map(|n| monday + Days::new(n)).collect::<Vec<_>>()
        );

        let mon = &f.days[0];
        assert_eq!(
            mon.count(PostureCheck, AllGood),
            1,
            "{tz}: 00:05 stays on Monday"
        );
        assert_eq!(mon.count(PostureCheck, Fixed), 1);
        assert_eq!(
            mon.count(MoveBreak, Taken),
            1,
            "{tz}: Sunday 23:50 is last week"
        );
        assert_eq!(mon.count(Routine, Completed), 1);
        assert_eq!(mon.routine_minutes, 10);

        let tue = &f.days[1];
        assert_eq!(tue.count(PostureCheck, Missed), 1);
        assert_eq!(tue.count(PostureCheck, Snoozed), 1);
        assert_eq!(tue.count(PostureCheck, AllGood), 1);
        assert_eq!(tue.done(MoveBreak), 1);
        assert_eq!(tue.count(MoveBreak, Skipped), 1);

        assert_eq!(f.days[2].count(Routine, Partial), 1);
        assert_eq!(f.days[2].routine_minutes, 8, "7.5 minutes round to 8");
        assert!(f.days[3].is_empty());
        assert_eq!(f.days[5].count(Routine, Skipped), 1);
        assert_eq!(
            f.days[5].routine_minutes, 0,
            "a skipped session adds no minutes"
        );

        let sun = &f.days[6];
        assert_eq!(
            sun.count(PostureCheck, AllGood),
            1,
            "{tz}: 00:30 before the change"
        );
        assert_eq!(
            sun.count(Routine, Completed),
            1,
            "{tz}: 23:30 after the change"
        );
        assert_eq!(sun.routine_minutes, 16, "15.5 minutes round to 16");
        assert_eq!(
            sun.count(MoveBreak, Taken),
            0,
            "{tz}: next Monday's break is not Sunday's"
        );
    }
}

#[test]
fn totals_adherence_and_change_match_the_hand_count() {
    for (tz, monday) in zones() {
        let f = week_figures(&log(tz, monday), monday, date(2025, 12, 31), 2);
        let t = &f.totals;
        assert_eq!(t.count(PostureCheck, AllGood), 3);
        assert_eq!(t.count(PostureCheck, Fixed), 1);
        assert_eq!(t.count(PostureCheck, Snoozed), 1);
        // Snoozed is not due: 4 answered out of 4 + skipped + missed.
        assert_eq!(t.due(PostureCheck), 6);
        assert_eq!(t.adherence(PostureCheck), Some(4.0 / 6.0));
        // A natural break counts as taken.
        assert_eq!(t.done(MoveBreak), 2);
        assert_eq!(t.adherence(MoveBreak), Some(0.5));
        // Partial counts as done.
        assert_eq!(t.routine_sessions(), 3);
        assert_eq!(t.adherence(Routine), Some(0.75));
        assert_eq!(t.routine_minutes, 10 + 8 + 16);

        assert_eq!(f.previous.count(MoveBreak, Taken), 1);
        assert_eq!(f.previous.routine_sessions(), 2);
        assert_eq!(f.previous.routine_minutes, 20);
        assert_eq!(f.previous.adherence(PostureCheck), None, "nothing was due");

        let changes = f.changes();
        let change = |m: Metric| *changes.iter().find(|c| c.metric == m).unwrap();
        assert_eq!(change(Metric::PostureChecksAnswered).delta(), 4);
        assert_eq!(change(Metric::PostureChecksAnswered).percent(), None);
        assert_eq!(change(Metric::BreaksTaken).current, 2);
        assert_eq!(change(Metric::BreaksTaken).percent(), Some(100.0));
        assert_eq!(change(Metric::RoutineSessions).delta(), 1);
        assert_eq!(change(Metric::RoutineMinutes).delta(), 14);
        assert_eq!(change(Metric::RoutineMinutes).percent(), Some(70.0));
    }
}

#[test]
fn weeks_starting_on_sunday_move_the_boundary() {
    for (tz, monday) in zones() {
        let entries = log(tz, monday);
        let sunday_before = monday - Days::new(1);
        let start = week_start(monday + Days::new(3), Weekday::Sun);
        assert_eq!(start, sunday_before);
        let f = week_figures(&entries, start, date(2025, 12, 31), 2);
        assert_eq!(f.days[0].date, sunday_before);
        // Sunday 23:50's break now opens the week; the DST Sunday's
        // entries belong to the next one.
        assert_eq!(f.totals.done(MoveBreak), 3);
        assert_eq!(f.totals.count(PostureCheck, AllGood), 2);
        assert_eq!(f.totals.routine_sessions(), 2);
        assert_eq!(f.totals.routine_minutes, 18);
        assert_eq!(f.previous.routine_sessions(), 2);
    }
}

#[test]
fn week_start_for_both_first_days() {
    let sunday = date(2025, 3, 30);
    assert_eq!(week_start(sunday, Weekday::Mon), date(2025, 3, 24));
    assert_eq!(week_start(sunday, Weekday::Sun), sunday);
    assert_eq!(
        week_start(date(2025, 3, 24), Weekday::Sun),
        date(2025, 3, 23)
    );
    assert_eq!(
        week_start(date(2025, 3, 24), Weekday::Mon),
        date(2025, 3, 24)
    );
    // Across a year boundary.
    assert_eq!(
        week_start(date(2025, 1, 1), Weekday::Mon),
        date(2024, 12, 30)
    );
    assert_eq!(
        week_start(date(2025, 1, 1), Weekday::Sat),
        date(2024, 12, 28)
    );
}

#[test]
fn an_ambiguous_autumn_hour_and_travel_keep_their_own_days() {
    let berlin = chrono_tz::Europe::Berlin;
    let sunday = date(2025, 10, 26);
    // 02:30 happens twice on this Sunday; both belong to it.
    let twice = berlin.from_local_datetime(&sunday.and_hms_opt(2, 30, 0).unwrap());
    let (first, second) = match twice {
        chrono::LocalResult::Ambiguous(a, b) => (a, b),
        other => panic!("expected an ambiguous time, got {other:?}"),
    };
    let entry = |t: DateTime<Tz>, kind, outcome| {
        Entry::new(
            kind,
            outcome,
            t.with_timezone(&Utc),
            t.offset().fix().local_minus_utc(),
        )
    };
    let late = berlin
        .from_local_datetime(&date(2025, 10, 27).and_hms_opt(0, 10, 0).unwrap())
        .unwrap();
    let mut entries = vec![
        entry(first, PostureCheck, AllGood),
        entry(second, PostureCheck, Fixed),
        entry(late, PostureCheck, Missed),
    ];
    // A break logged in Los Angeles on Sunday evening, which is Monday in UTC.
    let la = chrono_tz::America::Los_Angeles
        .from_local_datetime(&sunday.and_hms_opt(20, 0, 0).unwrap())
        .unwrap();
    assert_eq!(la.with_timezone(&Utc).date_naive(), date(2025, 10, 27));
    entries.push(entry(la, MoveBreak, Taken));

    let index = LogIndex::from_entries(&entries);
    let day = index.day(sunday);
    assert_eq!(day.count(PostureCheck, AllGood), 1);
    assert_eq!(day.count(PostureCheck, Fixed), 1);
    assert_eq!(day.count(MoveBreak, Taken), 1);
    assert_eq!(day.count(PostureCheck, Missed), 0);
    assert_eq!(index.day(date(2025, 10, 27)).count(PostureCheck, Missed), 1);
}

#[test]
fn day_figures_serialise_flat_for_scripts() {
    let (tz, monday) = zones()[0];
    let f = week_figures(&log(tz, monday), monday, date(2025, 12, 31), 2);
    let json = serde_json::to_value(&f.days[0]).unwrap();
    assert_eq!(json["date"], "2025-03-24");
    assert_eq!(json["posture_check"]["all_good"], 1);
    assert_eq!(
        json["posture_check"]["missed"], 0,
        "zero counts are present"
    );
    assert_eq!(json["move_break"]["taken"], 1);
    assert_eq!(json["routine"]["completed"], 1);
    assert_eq!(json["routine_minutes"], 10);
    assert!(
        json["posture_check"].get("taken").is_none(),
        "only the kind's outcomes"
    );
}

#[test]
fn an_empty_log_gives_an_empty_week() {
    let monday = date(2025, 3, 24);
    let f = week_figures(&[], monday, monday, 2);
    assert!(f.is_empty());
    assert_eq!(f.days.len(), 7);
    assert_eq!(f.totals.adherence(PostureCheck), None);
    assert_eq!(f.streaks.current, 0);
    assert_eq!(f.strength, 0.0);
    assert!(f.seek_help.is_none());
    assert!(f.pain.points.is_empty() && f.pain.fit.is_none());
}
