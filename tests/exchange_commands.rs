//! The data commands over a real database: the shape of `stats --json`,
//! the text table, export's date range, and the self-contained report.

mod exchange_support;

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use rebalance::cli::data::{DataContext, ExportArgs, StatsArgs, export_entries, write_stats};
use rebalance::core::model::{Entry, ExerciseDone, Outcome, ReminderKind};
use rebalance::core::settings::Settings;
use rebalance::exchange::report::{render_report, render_report_ending};
use rebalance::store::Store;
use serde_json::{Value, json};

fn entry(kind: ReminderKind, outcome: Outcome, local: &str) -> Entry {
    let at = DateTime::parse_from_rfc3339(local).expect("test time");
    Entry::new(
        kind,
        outcome,
        at.with_timezone(&Utc),
        at.offset().local_minus_utc(),
    )
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// ISO week 2024-W10 (Monday 4 to Sunday 10 March) and its edges.
fn known_log() -> Vec<Entry> {
    use Outcome::*;
    use ReminderKind::*;
    let mut session = entry(Routine, Completed, "2024-03-05T18:20:00+01:00");
    session.duration_s = 540;
    session.pain = Some(4);
    session.routine = Some("mini".to_owned());
    let mut walk = entry(MoveBreak, Taken, "2024-03-04T11:00:00+01:00");
    walk.duration_s = 300;
    vec![
        entry(PostureCheck, AllGood, "2024-03-04T09:30:00+01:00"),
        entry(PostureCheck, Fixed, "2024-03-04T10:00:00+01:00"),
        walk,
        session,
        // Saturday evening in New York is already Sunday in UTC: it stays Saturday.
        entry(PostureCheck, Skipped, "2024-03-09T22:30:00-05:00"),
        entry(PostureCheck, Missed, "2024-03-10T23:30:00+01:00"),
        // Monday 00:30 local is Sunday in UTC: it belongs to the next week.
        entry(MoveBreak, Skipped, "2024-03-11T00:30:00+01:00"),
        // The Sunday before belongs to the week before.
        entry(Routine, Missed, "2024-03-03T18:30:00+01:00"),
    ]
}

fn context(dir: &Path, entries: &[Entry], first_day: Weekday) -> DataContext {
    let db_path = dir.join("log.db");
    let mut store = Store::open(&db_path).expect("open log");
    store.import_entries(entries).expect("fill log");
    let mut settings = Settings::default();
    settings.appearance.first_day_of_week = first_day;
    DataContext { db_path, settings }
}

fn stats_output(args: &StatsArgs, ctx: &DataContext, today: NaiveDate) -> String {
    let mut out = Vec::new();
    write_stats(args, ctx, today, &mut out).expect("stats");
    String::from_utf8(out).expect("utf-8")
}

fn outcome_keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .expect("an object of outcomes")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

#[test]
fn stats_json_has_seven_days_with_every_outcome_counted() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Weeks start on Sunday in the settings; an ISO week still means Monday-Sunday.
    let ctx = context(dir.path(), &known_log(), Weekday::Sun);
    let args = StatsArgs {
        week: Some(day(2024, 3, 4)),
        json: true,
    };
    let text = stats_output(&args, &ctx, day(2024, 3, 20));
    let json: Value = serde_json::from_str(&text).expect("valid JSON");
    // Keys come in the documented order, outcomes in display order.
    let at = |key: &str| text.find(key).unwrap_or_else(|| panic!("no {key}"));
    assert!(at("\"start\"") < at("\"days\"") && at("\"days\"") < at("\"totals\""));
    assert!(at("\"posture_check\"") < at("\"move_break\""));
    assert!(at("\"all_good\"") < at("\"fixed\"") && at("\"fixed\"") < at("\"missed\""));

    assert_eq!(json["start"], "2024-03-04");
    assert_eq!(json["end"], "2024-03-10");
    assert_eq!(json["iso_week"], "2024-W10");
    let days = json["days"].as_array().expect("days");
    let dates: Vec<&str> = days
        .iter()
        .map(|d| d["date"].as_str().expect("date"))
        .collect();
    assert_eq!(
        dates,
        [
            "2024-03-04",
            "2024-03-05",
            "2024-03-06",
            "2024-03-07",
            "2024-03-08",
            "2024-03-09",
            "2024-03-10"
        ]
    );
    for d in days {
        for kind in ReminderKind::ALL {
            let mut wanted: Vec<String> = kind
                .outcomes()
                .iter()
                .map(|o| o.as_str().to_owned())
                .collect();
            wanted.sort();
            assert_eq!(
                outcome_keys(&d[kind.as_str()]),
                wanted,
                "{} {}",
                d["date"],
                kind.as_str()
            );
        }
        assert!(d["routine_minutes"].is_u64());
    }
    assert_eq!(
        days[0]["posture_check"],
        json!({"all_good": 1, "fixed": 1, "snoozed": 0, "skipped": 0, "missed": 0})
    );
    assert_eq!(
        days[0]["move_break"],
        json!({"taken": 1, "natural": 0, "snoozed": 0, "skipped": 0, "missed": 0})
    );
    assert_eq!(
        days[1]["routine"],
        json!({"completed": 1, "partial": 0, "skipped": 0, "missed": 0})
    );
    assert_eq!(days[1]["routine_minutes"], 9);
    assert_eq!(days[2]["posture_check"]["all_good"], 0);
    assert_eq!(days[5]["posture_check"]["skipped"], 1);
    assert_eq!(days[6]["posture_check"]["missed"], 1);
    assert_eq!(days[6]["move_break"]["skipped"], 0);

    assert_eq!(json["totals"]["posture_check"]["all_good"], 1);
    assert_eq!(json["totals"]["routine_minutes"], 9);
    assert_eq!(json["previous"]["routine"]["missed"], 1);
    let posture = json["adherence"]["posture_check"].as_f64().expect("rate");
    assert!((posture - 0.5).abs() < 1e-9, "2 done of 4 due: {posture}");
    assert_eq!(json["adherence"]["move_break"], 1.0);
    assert_eq!(json["streaks"]["last_session"], "2024-03-05");
    assert_eq!(json["pain"]["scores"], 1);
    assert_eq!(json["pain"]["mean"], 4.0);
}

#[test]
fn without_a_week_the_current_one_starts_on_the_chosen_day() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = context(dir.path(), &known_log(), Weekday::Sun);
    let args = StatsArgs {
        week: None,
        json: true,
    };
    let json: Value =
        serde_json::from_str(&stats_output(&args, &ctx, day(2024, 3, 6))).expect("valid JSON");
    assert_eq!(json["start"], "2024-03-03");
    assert_eq!(json["iso_week"], Value::Null);
    assert_eq!(json["days"][0]["routine"]["missed"], 1);
    assert_eq!(json["as_of"], "2024-03-06");
}

#[test]
fn stats_text_is_a_table_of_the_week() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = context(dir.path(), &known_log(), Weekday::Mon);
    let args = StatsArgs {
        week: Some(day(2024, 3, 4)),
        json: false,
    };
    let text = stats_output(&args, &ctx, day(2024, 3, 20));
    assert!(
        text.starts_with("Week of Mon 4 Mar 2024 to Sun 10 Mar 2024 (2024-W10)"),
        "{text}"
    );
    let row = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no row {label} in\n{text}"))
            .split_whitespace()
            .skip(label.split_whitespace().count())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(row("all good"), "1 · · · · · · 1");
    assert_eq!(row("minutes"), "· 9 · · · · · 9");
    assert!(text.contains("Adherence: posture checks 50 %"), "{text}");
}

#[test]
fn export_takes_local_days_inclusive() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = context(dir.path(), &known_log(), Weekday::Mon);
    let args = ExportArgs {
        format: None,
        from: Some(day(2024, 3, 9)),
        to: Some(day(2024, 3, 10)),
        output: None,
    };
    let picked = export_entries(&args, &ctx).expect("export");
    assert_eq!(picked.len(), 2, "{picked:#?}");
    assert!(picked.iter().all(|e| e.kind == ReminderKind::PostureCheck));
    let backwards = ExportArgs {
        from: Some(day(2024, 3, 10)),
        to: Some(day(2024, 3, 9)),
        ..args
    };
    assert!(export_entries(&backwards, &ctx).is_err());
}

fn report_log() -> Vec<Entry> {
    let mut log = exchange_support::synthetic_log(day(2024, 1, 1), 4_000, 11);
    let mut odd = entry(
        ReminderKind::Routine,
        Outcome::Completed,
        "2024-03-20T18:00:00+01:00",
    );
    odd.exercises = vec![ExerciseDone {
        exercise: "<b>my</b> \"own\" & <script>".to_owned(),
        sets: 1,
        reps: 5,
        hold_s: 0,
        per_side: false,
    }];
    log.push(odd);
    log
}

#[test]
fn the_report_is_one_self_contained_page_with_its_charts() {
    let settings = Settings::default();
    let today = day(2024, 3, 21);
    let html = render_report(&report_log(), 12, today, &settings);

    assert!(html.starts_with("<!DOCTYPE html>"));
    let poses = html.matches("<svg class=\"pose\"").count();
    assert_eq!(
        html.matches("<svg").count() - poses,
        4,
        "adherence, minutes, exercises, pain"
    );
    assert_eq!(
        poses, 6,
        "start and working position of the glute bridge, bird dog and deep squat, none for an unknown exercise"
    );
    assert!(html.contains("<title>Glute bridge: working position</title>"));
    assert_eq!(html.matches("</svg>").count(), 10);
    let lower = html.to_lowercase();
    for forbidden in [
        "<script", "src=", "href=", "url(", "@import", "<link", "<iframe", "<img",
    ] {
        assert!(!lower.contains(forbidden), "found {forbidden}");
    }
    assert!(html.contains("not a diagnosis"));
    assert!(html.contains("Period: <b>1 Jan 2024 to 21 Mar 2024</b> (12 weeks)"));
    assert!(html.contains("Generated on 21 Mar 2024"));
    assert!(html.contains("Glute bridge") && html.contains("Bird dog"));
    assert!(html.contains("&lt;b&gt;my&lt;/b&gt; &quot;own&quot; &amp; &lt;script&gt;"));
    assert!(html.contains("line of best fit"));
    assert!(html.contains("points per week"));
    assert!(html.contains("@page { size: A4"));
}

#[test]
fn a_report_can_end_with_a_past_week() {
    let html = render_report_ending(
        &report_log(),
        4,
        day(2024, 2, 18),
        day(2024, 3, 21),
        &Settings::default(),
    );
    assert!(html.contains("Period: <b>22 Jan 2024 to 18 Feb 2024</b> (4 weeks)"));
    assert!(html.contains("Generated on 21 Mar 2024"));
    assert!(
        !html.contains("19 Feb"),
        "nothing after the period is shown"
    );
}

#[test]
fn an_empty_report_says_so_and_draws_no_exercise_or_pain_chart() {
    let html = render_report(&[], 4, day(2024, 3, 21), &Settings::default());
    assert!(html.contains("Nothing was logged in this period."));
    assert!(html.contains("No exercises were logged"));
    assert!(html.contains("No pain scores were logged"));
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("Period: <b>26 Feb 2024 to 21 Mar 2024</b> (4 weeks)"));
}
