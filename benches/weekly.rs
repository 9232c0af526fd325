//! How long one week's figures take over a 10-year log (about 150,000
//! entries), the design target being under 2 ms; and the one-off costs
//! around it: folding the whole log into the per-day index (done when the
//! week view opens) and refreshing one day after a new answer.

use std::hint::black_box;

use chrono::{Datelike, Days, NaiveDate, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use criterion::{Criterion, criterion_group, criterion_main};
use rebalance::core::model::{Entry, Outcome, ReminderKind};
use rebalance::core::settings::Settings;
use rebalance::core::stats::{LogIndex, week_figures, week_start};
use rebalance::store::Store;
use rebalance::ui::week::WeekView;

/// A small deterministic generator (xorshift64*), so every run times the
/// same log.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn local(
    tz: Tz,
    day: NaiveDate,
    minute_of_day: u32,
    kind: ReminderKind,
    outcome: Outcome,
) -> Entry {
    let naive = day
        .and_hms_opt(minute_of_day / 60, minute_of_day % 60, 0)
        .expect("valid time");
    // Times skipped by the spring DST change are moved an hour on.
    let at = tz
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .expect("a valid local time");
    Entry::new(
        kind,
        outcome,
        at.with_timezone(&Utc),
        at.offset().fix().local_minus_utc(),
    )
}

/// Ten years of a desk worker's log in Berlin: posture checks every 15
/// minutes and a move break every hour on working days (with snoozes,
/// skips, misses and natural breaks), a little use on weekends, and the
/// routine every other day with a pain score.
fn ten_year_log() -> Vec<Entry> {
    let tz = chrono_tz::Europe::Berlin;
    let mut rng = Rng(0x5eed_cafe_f00d_u64);
    let first = NaiveDate::from_ymd_opt(2015, 1, 5).expect("valid date");
    let mut entries = Vec::with_capacity(160_000);
    for n in 0..3653u64 {
        let day = first + Days::new(n);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let (from, to, step) = if weekend {
            (600, 720, 30)
        } else {
            (540, 1080, 15)
        };
        for minute in (from..to).step_by(step) {
            if rng.chance(25) {
                entries.push(local(
                    tz,
                    day,
                    minute,
                    ReminderKind::PostureCheck,
                    Outcome::Snoozed,
                ));
            }
            let outcome = match rng.next() % 20 {
                0..=10 => Outcome::AllGood,
                11..=15 => Outcome::Fixed,
                16..=17 => Outcome::Skipped,
                _ => Outcome::Missed,
            };
            entries.push(local(
                tz,
                day,
                minute + 2,
                ReminderKind::PostureCheck,
                outcome,
            ));
            if minute % 60 == 0 {
                let outcome = match rng.next() % 10 {
                    0..=4 => Outcome::Taken,
                    5..=6 => Outcome::Natural,
                    7..=8 => Outcome::Skipped,
                    _ => Outcome::Missed,
                };
                let mut e = local(tz, day, minute + 7, ReminderKind::MoveBreak, outcome);
                e.duration_s = if outcome.is_done() { 300 } else { 0 };
                entries.push(e);
            }
        }
        if n % 2 == 0 {
            let outcome = match rng.next() % 10 {
                0..=6 => Outcome::Completed,
                7 => Outcome::Partial,
                8 => Outcome::Skipped,
                _ => Outcome::Missed,
            };
            let mut e = local(
                tz,
                day,
                18 * 60 + (rng.next() % 240) as u32,
                ReminderKind::Routine,
                outcome,
            );
            if outcome.is_done() {
                e.duration_s = 480 + (rng.next() % 600) as u32;
                e.pain = Some((rng.next() % 8) as u8);
                e.routine = Some("mini".to_owned());
            }
            entries.push(e);
        }
    }
    entries
}

fn weekly(c: &mut Criterion) {
    let entries = ten_year_log();
    let first = entries.first().map(|e| e.local_date()).expect("entries");
    let last = entries.last().map(|e| e.local_date()).expect("entries");
    println!(
        "generated log: {} entries, {first} to {last}",
        entries.len()
    );

    let index = LogIndex::from_entries(&entries);
    let today = last;
    let this_week = week_start(today, Weekday::Mon);
    // A week in the middle, around the autumn DST change.
    let past_week = week_start(
        NaiveDate::from_ymd_opt(2020, 10, 25).expect("valid date"),
        Weekday::Mon,
    );

    c.bench_function("week figures, this week, from the index", |b| {
        b.iter(|| black_box(index.week_figures(black_box(this_week), today, 2)))
    });
    c.bench_function("week figures, a 2020 week, from the index", |b| {
        b.iter(|| black_box(index.week_figures(black_box(past_week), today, 2)))
    });
    c.bench_function("fold the 10-year log into the index", |b| {
        b.iter(|| black_box(LogIndex::from_entries(black_box(&entries))))
    });
    let todays: Vec<Entry> = entries
        .iter()
        .filter(|e| e.local_date() == today)
        .cloned()
        .collect();
    c.bench_function("refresh one day in the index", |b| {
        let mut index = index.clone();
        b.iter(|| index.replace_days(today, today, black_box(&todays)))
    });
    let mut group = c.benchmark_group("slow path");
    group.sample_size(10);
    group.bench_function("week figures straight from all entries", |b| {
        b.iter(|| black_box(week_figures(black_box(&entries), this_week, today, 2)))
    });
    // What the week view pays when it opens or after the whole log
    // changed: every entry read from SQLite, then folded.
    let mut store = Store::open_in_memory().expect("an in-memory log");
    store
        .import_entries(&entries)
        .expect("the generated log imports");
    let (from, to) = (
        NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"),
        NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date"),
    );
    group.bench_function("read the whole log from SQLite and fold it", |b| {
        b.iter(|| {
            let all = store.entries_on_days(from, to).expect("the log reads");
            black_box(LogIndex::from_entries(&all))
        })
    });
    group.finish();
}

/// One frame of the week view over the same log: layout and tessellation
/// of every chart, as the window does each time it repaints. The log was
/// folded on the first frame; frames after it only draw.
fn week_view_frame(c: &mut Criterion) {
    let entries = ten_year_log();
    let today = entries.last().map(|e| e.local_date()).expect("entries");
    let settings = Settings::default();
    let ctx = egui::Context::default();
    let mut view = WeekView::new();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1100.0, 900.0),
        )),
        ..Default::default()
    };
    let frame = |view: &mut WeekView| {
        let output = ctx.run_ui(input(), |ui| {
            view.show(ui, entries.as_slice(), today, &settings);
        });
        ctx.tessellate(output.shapes, output.pixels_per_point)
    };
    for _ in 0..3 {
        black_box(frame(&mut view));
    }
    c.bench_function("week view frame (layout and tessellation)", |b| {
        b.iter(|| black_box(frame(&mut view)))
    });
}

criterion_group!(benches, weekly, week_view_frame);
criterion_main!(benches);
