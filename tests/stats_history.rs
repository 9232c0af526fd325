//! Streaks, the routine strength score, the heatmap, the pain trend, the
//! seek-help rule on both sides of each boundary, and keeping the index
//! current.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use rebalance::core::model::{Entry, Outcome, ReminderKind};
use rebalance::core::stats::{
    LogIndex, SeekHelpReason, least_squares, pain_trend, routine_heatmap, routine_streaks,
    routine_strength_series, seek_help, strength_half_life_days, week_figures,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn plus(day: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        day + Days::new(n as u64)
    } else {
        day - Days::new((-n) as u64)
    }
}

/// A routine entry at 18:00 UTC (offset 0) on `day`.
fn routine(day: NaiveDate, outcome: Outcome, secs: u32, pain: Option<u8>) -> Entry {
    let at = Utc.from_utc_datetime(&day.and_hms_opt(18, 0, 0).unwrap());
    let mut e = Entry::new(ReminderKind::Routine, outcome, at, 0);
    e.duration_s = secs;
    e.pain = pain;
    e
}

fn done(day: NaiveDate) -> Entry {
    routine(day, Outcome::Completed, 600, None)
}

fn index_of(days: &[NaiveDate]) -> LogIndex {
    LogIndex::from_entries(&days.iter().map(|d| done(*d)).collect::<Vec<_>>())
}

const START: fn() -> NaiveDate = || date(2025, 1, 6);

#[test]
fn streaks_survive_gaps_up_to_the_target_and_break_beyond() {
    let s = START();
    // Runs: [0, 2, 4] (gaps of 2), then a gap of 3 breaks it: [7, 9].
    let index = index_of(&[s, plus(s, 2), plus(s, 4), plus(s, 7), plus(s, 9)]);
    let on = |n| routine_streaks(&index, plus(s, n), 2);
    assert_eq!(on(4).current, 3);
    assert_eq!(on(9).current, 2);
    assert_eq!(on(9).best, 3);
    // Two days after the last session the streak is still alive (due today);
    // three days after, it is broken.
    assert_eq!(on(11).current, 2);
    assert_eq!(on(12).current, 0);
    assert_eq!(on(12).best, 3);
    assert_eq!(on(12).last_session, Some(plus(s, 9)));
    // Sessions after the reference day do not count.
    assert_eq!(on(3).current, 2);
    assert_eq!(on(3).best, 2);
    // The same log against an every-third-day target is one streak.
    assert_eq!(routine_streaks(&index, plus(s, 9), 3).current, 5);
    // A daily target breaks on every gap of two.
    assert_eq!(routine_streaks(&index, plus(s, 9), 1).best, 1);
}

#[test]
fn partial_sessions_keep_a_streak_and_skips_do_not() {
    let s = START();
    let index = LogIndex::from_entries(&[
        done(s),
        routine(plus(s, 2), Outcome::Partial, 300, None),
        routine(plus(s, 4), Outcome::Skipped, 0, None),
        routine(plus(s, 4), Outcome::Missed, 0, None),
        done(plus(s, 6)),
        // A second session the same day does not lengthen the streak.
        done(plus(s, 6)),
    ]);
    let streaks = routine_streaks(&index, plus(s, 6), 2);
    assert_eq!(streaks.current, 1, "the skip left a gap of four days");
    assert_eq!(
        streaks.best, 2,
        "the partial session extended the first run"
    );
}

#[test]
fn strength_follows_the_smoothing_formula() {
    let s = START();
    // Daily target: m = 0.5^(1/13); a lone session moves the score by 1 - m.
    let m1 = 0.5f64.powf(1.0 / 13.0);
    let series = routine_strength_series(&index_of(&[s]), s, plus(s, 2), 1);
    assert_eq!(series.len(), 3);
    assert!((series[0].score - (1.0 - m1)).abs() < 1e-12);
    assert!((series[1].score - (1.0 - m1) * m1).abs() < 1e-12);
    assert!((series[2].score - (1.0 - m1) * m1 * m1).abs() < 1e-12);

    // Every other day: m = 0.5^(sqrt(1/2)/13); one session is half the
    // target of two in the last four days, for four days.
    let m2 = 0.5f64.powf(0.5f64.sqrt() / 13.0);
    let series = routine_strength_series(&index_of(&[s]), s, plus(s, 5), 2);
    let mut expected = 0.0;
    for (n, point) in series.iter().enumerate() {
        let value = if n < 4 { 0.5 } else { 0.0 };
        expected = expected * m2 + value * (1.0 - m2);
        assert!((point.score - expected).abs() < 1e-12, "day {n}");
    }
    assert!((strength_half_life_days(2) - 13.0 * 2f64.sqrt()).abs() < 1e-12);
}

#[test]
fn a_perfect_record_approaches_full_strength_and_one_miss_only_dents_it() {
    let s = START();
    let mut days: Vec<NaiveDate> = (0..150).map(|n| plus(s, 2 * n)).collect();
    let perfect = routine_strength_series(&index_of(&days), plus(s, 280), plus(s, 299), 2);
    assert!(perfect.iter().all(|p| p.score > 0.99), "{perfect:?}");

    // Drop the session on day 280.
    days.retain(|d| *d != plus(s, 280));
    let index = index_of(&days);
    let dented = routine_strength_series(&index, plus(s, 276), plus(s, 299), 2);
    let lowest = dented.iter().map(|p| p.score).fold(1.0, f64::min);
    assert!(lowest < 0.99, "the miss shows: {lowest}");
    assert!(lowest > 0.9, "one miss is a dip, not a reset: {lowest}");
    assert!(dented.last().unwrap().score > lowest, "it recovers");
    // The streak, by contrast, starts again.
    assert_eq!(routine_streaks(&index, plus(s, 298), 2).current, 9);
    assert_eq!(routine_streaks(&index, plus(s, 298), 2).best, 140);
}

#[test]
fn strength_from_a_bounded_window_matches_the_full_history() {
    let s = START();
    // Three years of irregular sessions.
    let days: Vec<NaiveDate> = (0..1100)
        .filter(|n| n % 3 == 0 || n % 7 == 1)
        .map(|n| plus(s, n))
        .collect();
    let index = index_of(&days);
    let full = routine_strength_series(&index, s, plus(s, 1099), 2);
    let window = routine_strength_series(&index, plus(s, 1000), plus(s, 1099), 2);
    assert_eq!(window.len(), 100);
    for (w, f) in window.iter().zip(&full[1000..]) {
        assert_eq!(w.date, f.date);
        assert!((w.score - f.score).abs() < 0.002, "{w:?} vs {f:?}");
    }
}

#[test]
fn heatmap_marks_routine_days_and_the_future() {
    let s = START();
    let index = LogIndex::from_entries(&[
        routine(plus(s, 1), Outcome::Completed, 720, None),
        routine(plus(s, 1), Outcome::Partial, 150, None),
        routine(plus(s, 3), Outcome::Skipped, 0, None),
    ]);
    let cells = routine_heatmap(&index, s, plus(s, 13), plus(s, 9));
    assert_eq!(cells.len(), 14);
    assert_eq!(
        (cells[1].sessions, cells[1].minutes),
        (2, 15),
        "870 s round to 15 min"
    );
    assert_eq!(
        cells[3].sessions, 0,
        "a skipped session is not a routine day"
    );
    assert!(!cells[9].future && cells[10].future);
}

#[test]
fn least_squares_finds_the_line() {
    let (slope, intercept) = least_squares(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).unwrap();
    assert!((slope - 2.0).abs() < 1e-12 && (intercept - 1.0).abs() < 1e-12);
    assert_eq!(least_squares(&[(1.0, 1.0), (1.0, 3.0)]), None);
    assert_eq!(least_squares(&[(1.0, 1.0)]), None);
}

#[test]
fn pain_trend_gives_points_weekly_means_and_slope_per_week() {
    let monday = date(2025, 6, 2);
    let entries = vec![
        routine(monday, Outcome::Completed, 600, Some(6)),
        routine(plus(monday, 2), Outcome::Completed, 600, Some(6)),
        routine(plus(monday, 7), Outcome::Completed, 600, Some(5)),
        routine(plus(monday, 14), Outcome::Completed, 600, Some(4)),
        routine(plus(monday, 16), Outcome::Partial, 300, Some(4)),
    ];
    let index = LogIndex::from_entries(&entries);
    let trend = pain_trend(&index, monday, 3, plus(monday, 20));
    assert_eq!(trend.points.len(), 5);
    assert_eq!(trend.weeks.len(), 3);
    assert_eq!(trend.weeks[0].pain_mean, Some(6.0));
    assert_eq!(trend.weeks[0].sessions, 2);
    assert_eq!(trend.weeks[1].pain_mean, Some(5.0));
    assert_eq!(trend.weeks[2].pain_scores, 2);
    assert_eq!(trend.weeks[2].minutes, 15);
    let fit = trend.fit.unwrap();
    assert_eq!(fit.scores, 5);
    // x (days): 0, 2, 7, 14, 16; y: 6, 6, 5, 4, 4 -> about -0.93 a week.
    let xy: Vec<(f64, f64)> = [(0.0, 6.0), (2.0, 6.0), (7.0, 5.0), (14.0, 4.0), (16.0, 4.0)]
        .iter()
        .map(|(x, y)| (x / 7.0, *y))
        .collect();
    let (slope, _) = least_squares(&xy).unwrap();
    assert!((fit.slope_per_week - slope).abs() < 1e-9);
    assert!(fit.slope_per_week < -0.9 && fit.slope_per_week > -1.0);
    assert!(fit.value_at_from > fit.value_at_to);

    // Nothing after the reference day is drawn or fitted.
    let earlier = pain_trend(&index, monday, 3, plus(monday, 7));
    assert_eq!(earlier.points.len(), 3);
    assert_eq!(earlier.weeks[2].sessions, 0);
}

/// A log with a session on each of `as_of - offset` days, with the pains given.
fn sessions(as_of: NaiveDate, days_back_and_pain: &[(i64, u8)]) -> LogIndex {
    LogIndex::from_entries(
        &days_back_and_pain
            .iter()
            .map(|&(back, pain)| routine(plus(as_of, -back), Outcome::Completed, 600, Some(pain)))
            .collect::<Vec<_>>(),
    )
}

const AS_OF: fn() -> NaiveDate = || date(2025, 6, 30);

#[test]
fn seek_help_after_three_regular_weeks_without_improvement() {
    let as_of = AS_OF();
    let flat = [(16, 5), (14, 5), (9, 5), (7, 5), (2, 5), (0, 5)];
    let help = seek_help(&sessions(as_of, &flat), as_of)
        .expect("six sessions over three weeks, pain flat");
    assert_eq!(help.reason, SeekHelpReason::NoImprovement);
    let f = help.figures;
    assert_eq!((f.routine_days, f.routine_weeks, f.pain_scores), (6, 3, 6));
    assert_eq!(
        (f.first_week_mean, f.last_week_mean),
        (Some(5.0), Some(5.0))
    );
    assert_eq!(f.slope_per_week, Some(0.0));
    assert_eq!(f.latest_mean, Some(5.0));
    assert_eq!(f.to, as_of);
    assert_eq!(f.from, plus(as_of, -34));
    assert!(help.message().contains("6 days"));
    assert!(help.message().contains("physical therapist"));
    assert!(
        help.figure_lines()
            .iter()
            .any(|l| l.contains("+0.00 points per week"))
    );

    // One session fewer: not yet regular.
    assert!(seek_help(&sessions(as_of, &flat[1..]), as_of).is_none());
    // Six sessions, but within two weeks only.
    let two_weeks = [(9, 5), (8, 5), (7, 5), (2, 5), (1, 5), (0, 5)];
    assert!(seek_help(&sessions(as_of, &two_weeks), as_of).is_none());
    // Pain going down: no note.
    let better = [(16, 6), (14, 6), (9, 5), (7, 5), (2, 4), (0, 4)];
    assert!(seek_help(&sessions(as_of, &better), as_of).is_none());
    // The same weeks a little later slide out of the five-week window.
    assert!(seek_help(&sessions(as_of, &flat), plus(as_of, 19)).is_none());
}

#[test]
fn seek_help_when_the_last_week_is_no_better_than_the_first() {
    let as_of = AS_OF();
    // The slope is negative (a bad middle week), but the last week's mean
    // (4) is not below the first's (4).
    let same_ends = [(16, 4), (14, 4), (13, 6), (9, 6), (7, 6), (2, 4), (0, 4)];
    let help = seek_help(&sessions(as_of, &same_ends), as_of).expect("last week not better");
    assert!(help.figures.slope_per_week.unwrap() < 0.0);
    assert_eq!(help.figures.last_week_mean, help.figures.first_week_mean);
    // One point lower in the last week: improved on both measures.
    let lower_end = [(16, 4), (14, 4), (13, 6), (9, 6), (7, 6), (2, 4), (0, 3)];
    assert!(seek_help(&sessions(as_of, &lower_end), as_of).is_none());
}

#[test]
fn unchanged_mild_pain_is_not_a_reason() {
    let as_of = AS_OF();
    let at = |pain| {
        [
            (16, pain),
            (14, pain),
            (9, pain),
            (7, pain),
            (2, pain),
            (0, pain),
        ]
    };
    assert!(
        seek_help(&sessions(as_of, &at(3)), as_of).is_some(),
        "3/10 is worth a look"
    );
    assert!(
        seek_help(&sessions(as_of, &at(2)), as_of).is_none(),
        "2/10 is mild"
    );
}

#[test]
fn high_latest_scores_call_for_help_whatever_the_routine() {
    let as_of = AS_OF();
    let high = sessions(as_of, &[(4, 7), (2, 7), (0, 7)]);
    let help = seek_help(&high, as_of).expect("7/10 three times");
    assert_eq!(help.reason, SeekHelpReason::HighPain);
    assert_eq!(help.figures.latest_mean, Some(7.0));
    assert!(help.message().contains("7.0 out of 10"));
    // Just below the line.
    assert!(seek_help(&sessions(as_of, &[(4, 7), (2, 7), (0, 6)]), as_of).is_none());
    // Two scores are not enough to say "latest scores".
    assert!(seek_help(&sessions(as_of, &[(2, 9), (0, 9)]), as_of).is_none());
    // High scores from six weeks ago are history.
    assert!(seek_help(&sessions(as_of, &[(44, 9), (42, 9), (40, 9)]), as_of).is_none());
    // The latest three decide: 9, 9 then 2, 2, 2 is not high.
    let eased = sessions(as_of, &[(8, 9), (6, 9), (4, 2), (2, 2), (0, 2)]);
    assert!(seek_help(&eased, as_of).is_none());
}

#[test]
fn week_figures_carry_the_signal_as_of_the_week_end() {
    let as_of = AS_OF(); // a Monday
    let flat = [(16, 5), (14, 5), (9, 5), (7, 5), (2, 5), (0, 5)];
    let entries: Vec<Entry> = flat
        .iter()
        .map(|&(b, p)| routine(plus(as_of, -b), Outcome::Completed, 600, Some(p)))
        .collect();
    let this_week = week_figures(&entries, as_of, as_of, 2);
    assert_eq!(
        this_week.as_of, as_of,
        "a running week is measured up to today"
    );
    assert!(this_week.seek_help.is_some());
    // The week before ends on Sunday, before the last session: 5 sessions.
    let before = week_figures(&entries, plus(as_of, -7), as_of, 2);
    assert_eq!(before.as_of, plus(as_of, -1));
    assert!(before.seek_help.is_none());
    assert_eq!(this_week.heatmap.len(), 84);
    assert_eq!(this_week.strength_series.last().unwrap().date, as_of);
    assert_eq!(this_week.pain.weeks.len(), 12);
}

#[test]
fn the_index_stays_equal_to_a_fresh_fold_after_edits() {
    let s = START();
    let mut entries: Vec<Entry> = (0..30)
        .map(|n| {
            routine(
                plus(s, n),
                Outcome::Completed,
                60 * n as u32,
                Some((n % 10) as u8),
            )
        })
        .collect();
    let mut index = LogIndex::from_entries(&entries);
    let gone = entries.remove(7);
    index.remove(&gone);
    assert_eq!(index, LogIndex::from_entries(&entries));

    let mut changed = entries.clone();
    changed[10].outcome = Outcome::Skipped;
    changed.push(routine(plus(s, 12), Outcome::Partial, 90, Some(3)));
    index.replace_days(plus(s, 9), plus(s, 13), &changed);
    assert_eq!(index, LogIndex::from_entries(&changed));
    // Entries outside the range are ignored; an inverted range changes nothing.
    index.replace_days(plus(s, 13), plus(s, 9), &[]);
    assert_eq!(index, LogIndex::from_entries(&changed));
}
