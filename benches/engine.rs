//! One step of the reminder engine, as the daemon takes it every idle poll,
//! from a realistic mid-afternoon state: a posture check showing, a move
//! break snoozed, a routine due in the evening, local time in Berlin.

use chrono::{DateTime, TimeDelta, TimeZone};
use chrono_tz::Europe::Berlin;
use chrono_tz::Tz;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

use rebalance::core::model::{Answer, ReminderKind};
use rebalance::core::schedule::{IDLE_POLL, Schedule};
use rebalance::core::settings::Settings;

/// A Monday in Berlin at `h:m`.
fn monday(h: u32, m: u32) -> DateTime<Tz> {
    Berlin
        .with_ymd_and_hms(2025, 3, 3, h, m, 0)
        .single()
        .unwrap()
}

/// Drives a schedule through a working morning the way the daemon would,
/// answering most reminders and snoozing one, and returns it at `until`.
fn mid_afternoon(s: &Settings, until: DateTime<Tz>) -> (Schedule, DateTime<Tz>) {
    let mut now = monday(8, 30);
    let mut sched = Schedule::new(now.to_utc());
    let poll = TimeDelta::from_std(IDLE_POLL).unwrap();
    let mut answered = 0;
    while now < until {
        sched.advance(s, &now, Duration::from_secs(5));
        let showing: Vec<(ReminderKind, bool)> = sched
            .pending()
            .iter()
            .map(|p| (p.kind, p.can_snooze))
            .collect();
        for (kind, can_snooze) in showing {
            answered += 1;
            let answer = match (kind, answered % 4) {
                (ReminderKind::MoveBreak, _) if can_snooze => Answer::Snooze,
                (ReminderKind::MoveBreak, _) => Answer::Done,
                (_, 0) => Answer::FixedIt,
                _ => Answer::AllGood,
            };
            sched.answer(s, kind, answer, &now).unwrap();
        }
        now += poll;
    }
    // Leave the next posture check showing, as it often is.
    sched.trigger(s, ReminderKind::PostureCheck, &now);
    (sched, now)
}

fn engine_step(c: &mut Criterion) {
    let s = Settings::default();
    let (sched, now) = mid_afternoon(&s, monday(14, 10));
    let next = now + TimeDelta::from_std(IDLE_POLL).unwrap();

    c.bench_function("advance: one idle-poll step", |b| {
        b.iter_batched(
            || sched.clone(),
            |mut sched| {
                let events = sched.advance(&s, black_box(&next), Duration::from_secs(3));
                (sched, events)
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("next_deadline", |b| {
        b.iter(|| sched.next_deadline(&s, black_box(&next)))
    });
    c.bench_function("state to JSON and back", |b| {
        b.iter(|| {
            let json = serde_json::to_string(black_box(&sched)).unwrap();
            serde_json::from_str::<Schedule>(&json).unwrap()
        })
    });
}

criterion_group!(benches, engine_step);
criterion_main!(benches);
