//! The log under a heavy 10-year history (about 150,000 entries): the week
//! and day queries the views run, plus the file size and the time a full
//! import takes, printed before the measurements.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use rebalance::core::model::{Entry, ExerciseDone, Outcome, ReminderKind};
use rebalance::store::Store;

const YEARS: i64 = 10;
const POSTURE_PER_DAY: i64 = 26;
const BREAKS_PER_DAY: i64 = 14;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2016, 1, 4).expect("date")
}

/// A busy user's decade: every day 26 posture checks and 14 move breaks with
/// a spread of outcomes, and a routine session with exercises, pain and
/// sometimes a note every other day. Offsets follow a summer-time pattern.
fn ten_year_log() -> Vec<Entry> {
    let posture = [
        Outcome::AllGood,
        Outcome::AllGood,
        Outcome::Fixed,
        Outcome::Snoozed,
        Outcome::Missed,
    ];
    let breaks = [
        Outcome::Taken,
        Outcome::Natural,
        Outcome::Taken,
        Outcome::Skipped,
        Outcome::Missed,
    ];
    let mut log = Vec::new();
    for d in 0..YEARS * 365 + YEARS / 4 {
        let day = first_day() + Duration::days(d);
        let offset_s = if (4..=10).contains(&chrono::Datelike::month(&day)) {
            7200
        } else {
            3600
        };
        let midnight = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
            - Duration::seconds(i64::from(offset_s));
        let at = |minutes: i64| midnight + Duration::minutes(minutes);
        for i in 0..POSTURE_PER_DAY {
            let outcome = posture[((d + i) % 5) as usize];
            let mut e = Entry::new(
                ReminderKind::PostureCheck,
                outcome,
                at(8 * 60 + i * 20),
                offset_s,
            );
            e.due_at = Some(e.at - Duration::seconds(40));
            log.push(e);
        }
        for i in 0..BREAKS_PER_DAY {
            let outcome = breaks[((d + i) % 5) as usize];
            let mut e = Entry::new(
                ReminderKind::MoveBreak,
                outcome,
                at(8 * 60 + 10 + i * 37),
                offset_s,
            );
            e.due_at = Some(e.at - Duration::seconds(90));
            e.duration_s = if outcome.is_done() { 300 } else { 0 };
            log.push(e);
        }
        if d % 2 == 0 {
            let mut e = Entry::new(
                ReminderKind::Routine,
                Outcome::Completed,
                at(18 * 60 + 25),
                offset_s,
            );
            e.due_at = Some(at(18 * 60));
            e.duration_s = 540 + (d % 120) as u32;
            e.routine = Some("mini".into());
            e.pain = Some((d % 7) as u8);
            if d % 10 == 0 {
                e.note = "lower back a little stiff after the drive".into();
            }
            e.exercises = [
                "glute_bridge",
                "bird_dog",
                "deep_squat",
                "hip_flexor_stretch",
            ]
            .iter()
            .map(|id| ExerciseDone {
                exercise: (*id).into(),
                sets: 2,
                reps: 10,
                hold_s: 0,
                per_side: *id == "bird_dog",
            })
            .collect();
            log.push(e);
        }
    }
    log
}

fn file_size(path: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(Path::new(&p)).map_or(0, |m| m.len())
        })
        .sum()
}

fn week_queries(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("rebalance.db");
    let log = ten_year_log();
    {
        let mut store = Store::open(&path).expect("create");
        let started = Instant::now();
        let counts = store.import_entries(&log).expect("import");
        eprintln!(
            "store: imported {} entries in one transaction in {:.2} s",
            counts.added,
            started.elapsed().as_secs_f64()
        );
        let started = Instant::now();
        let again = store.import_entries(&log).expect("import again");
        eprintln!(
            "store: re-importing the same {} entries (all duplicates: {}) took {:.2} s",
            log.len(),
            again.duplicates,
            started.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "store: 10-year log with {} entries: {:.1} MB on disk",
        log.len(),
        file_size(&path) as f64 / 1_000_000.0
    );

    let store = Store::open(&path).expect("reopen");
    // A week in the middle of the history.
    let monday = first_day() + Duration::weeks(260);
    let sunday = monday + Duration::days(6);
    let week = store.entries_on_days(monday, sunday).expect("week");
    eprintln!("store: one week holds {} entries", week.len());

    let mut group = c.benchmark_group("store_week_query");
    group.bench_function("entries_on_days_week", |b| {
        b.iter(|| {
            store
                .entries_on_days(black_box(monday), black_box(sunday))
                .expect("week")
        })
    });
    let from = Utc.from_utc_datetime(&monday.and_hms_opt(0, 0, 0).expect("midnight"));
    group.bench_function("entries_between_week", |b| {
        b.iter(|| {
            store
                .entries_between(black_box(from), black_box(from + Duration::weeks(1)))
                .expect("week")
        })
    });
    group.bench_function("day_summary", |b| {
        b.iter(|| store.day_summary(black_box(monday)).expect("day"))
    });
    group.finish();
}

criterion_group!(benches, week_queries);
criterion_main!(benches);
