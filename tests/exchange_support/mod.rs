//! A realistic synthetic log for the exchange tests and benchmark: working
//! days of posture checks and move breaks, a routine every other evening
//! with exercises and pain scores, DST changes and a trip to another time
//! zone, and notes that need quoting.

#![allow(dead_code)]

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use rebalance::core::model::{Entry, ExerciseDone, Outcome, ReminderKind};
use rebalance::store::Store;

/// A small deterministic random source (xorshift), so runs repeat exactly.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.roll(items.len() as u64) as usize]
    }
}

/// The offset the user had on `day`: Central European time with its DST
/// switches, except for a yearly week in New York.
fn offset_on(day: NaiveDate) -> i32 {
    if day.month() == 10 && (10..17).contains(&day.day()) {
        return -4 * 3600;
    }
    let summer = (day.month() > 3 && day.month() < 10)
        || (day.month() == 3 && day.day() >= 31)
        || (day.month() == 10 && day.day() < 27);
    if summer { 7200 } else { 3600 }
}

const NOTES: [&str; 6] = [
    "",
    "",
    "tight on the left, better after",
    "did it slowly, \"quality reps\"",
    "stiff after the drive;\nfine later",
    "genou gauche un peu sensible — 痛い",
];

/// At least `rows` entries starting on `first`, oldest first.
pub fn synthetic_log(first: NaiveDate, rows: usize, seed: u64) -> Vec<Entry> {
    let mut dice = Dice(seed.max(1));
    let mut out = Vec::with_capacity(rows + 40);
    let mut day = first;
    while out.len() < rows {
        let offset = offset_on(day);
        let local = |hour: u32, minute: u32, second: u32| {
            let naive = day.and_hms_opt(hour, minute, second).expect("valid time");
            Utc.from_utc_datetime(&naive) - Duration::seconds(i64::from(offset))
        };
        let working = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if working {
            for slot in 0..16u32 {
                let due = local(9 + slot / 2, (slot % 2) * 30, 0);
                let outcome = dice.pick(&[
                    Outcome::AllGood,
                    Outcome::AllGood,
                    Outcome::Fixed,
                    Outcome::Snoozed,
                    Outcome::Skipped,
                    Outcome::Missed,
                ]);
                let mut e = Entry::new(
                    ReminderKind::PostureCheck,
                    outcome,
                    due + Duration::seconds(dice.roll(600) as i64),
                    offset,
                );
                e.due_at = Some(due);
                out.push(e);
            }
            for hour in [10u32, 11, 14, 15, 16] {
                let due = local(hour, 0, 0);
                let outcome = dice.pick(&[
                    Outcome::Taken,
                    Outcome::Taken,
                    Outcome::Natural,
                    Outcome::Snoozed,
                    Outcome::Skipped,
                    Outcome::Missed,
                ]);
                let mut e = Entry::new(
                    ReminderKind::MoveBreak,
                    outcome,
                    due + Duration::milliseconds(dice.roll(900_000) as i64),
                    offset,
                );
                e.due_at = (outcome != Outcome::Natural).then_some(due);
                if hour == 14 && outcome == Outcome::Taken {
                    // The afternoon call: held back until it ended.
                    e.held_s = 35 * 60;
                }
                if outcome.is_done() {
                    e.duration_s = 120 + dice.roll(300) as u32;
                }
                out.push(e);
            }
        }
        if day.num_days_from_ce() % 2 == 0 {
            let outcome = dice.pick(&[
                Outcome::Completed,
                Outcome::Completed,
                Outcome::Completed,
                Outcome::Partial,
                Outcome::Skipped,
                Outcome::Missed,
            ]);
            let due = local(18, 0, 0);
            let mut e = Entry::new(
                ReminderKind::Routine,
                outcome,
                local(18, 5 + dice.roll(50) as u32, dice.roll(60) as u32),
                offset,
            );
            e.due_at = Some(due);
            e.routine = Some("mini".to_owned());
            if outcome.is_done() {
                e.duration_s = 300 + dice.roll(600) as u32;
                e.pain = (dice.roll(3) > 0).then(|| dice.roll(8) as u8);
                e.note = NOTES[dice.roll(NOTES.len() as u64) as usize].to_owned();
                e.exercises = vec![
                    ExerciseDone {
                        exercise: "glute_bridge".to_owned(),
                        sets: 2,
                        reps: 10,
                        hold_s: 0,
                        per_side: false,
                    },
                    ExerciseDone {
                        exercise: "bird_dog".to_owned(),
                        sets: 2,
                        reps: 0,
                        hold_s: 8,
                        per_side: true,
                    },
                ];
                if outcome == Outcome::Completed {
                    e.exercises.push(ExerciseDone {
                        exercise: "deep_squat".to_owned(),
                        sets: 1,
                        reps: 8,
                        hold_s: 0,
                        per_side: false,
                    });
                }
            }
            out.push(e);
        }
        day = day.succ_opt().expect("inside the calendar");
    }
    out
}

/// Every entry in the log, oldest first.
pub fn all_entries(store: &Store) -> Vec<Entry> {
    store
        .entries_on_days(
            NaiveDate::from_ymd_opt(1, 1, 1).expect("date"),
            NaiveDate::from_ymd_opt(9999, 12, 31).expect("date"),
        )
        .expect("read log")
}
