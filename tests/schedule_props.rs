//! Property tests of the reminder engine: random settings, time zones and
//! sequences of time steps (with forward and backward clock jumps), idle
//! spells and user actions, checked against the rules a user would notice.

use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use std::time::Duration;

use rebalance::core::busy::BusyReason;
use rebalance::core::model::{Answer, ReminderKind};
use rebalance::core::schedule::{AWAY_AFTER, PauseLength, Schedule, ScheduleError, ScheduleEvent};
use rebalance::core::settings::{Settings, WorkingHours};

/// Zones with DST in either hemisphere, a 30-minute DST shift, and none.
const ZONES: [Tz; 4] = [
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::UTC,
];

const KINDS: [ReminderKind; 3] = ReminderKind::ALL;

#[derive(Debug, Clone)]
enum Op {
    /// Let this many seconds pass, then one `advance` (a long wait is a
    /// gap the daemon did not see: a suspend).
    Wait(u32),
    /// Run the daemon loop for this many wake-ups.
    Daemon(u8),
    /// Set the clock by this many seconds (either way), then `advance`.
    Jump(i64),
    /// The user leaves the keyboard.
    Away,
    /// The user comes back.
    Back,
    Answer(ReminderKind, Answer),
    /// Answer whatever is showing (the `n`th, wrapping), as a user would.
    AnswerShown(usize, Answer),
    Start(ReminderKind),
    Trigger(ReminderKind),
    Pause(PauseLength),
    Resume,
    RoutineDone,
    /// Save and restore the state, as a daemon restart does.
    Restart,
    /// A call starts (or goes on).
    Busy,
    /// The call ends.
    NotBusy,
}

fn kind() -> impl Strategy<Value = ReminderKind> {
    prop::sample::select(KINDS.to_vec())
}

fn answer() -> impl Strategy<Value = Answer> {
    prop::sample::select(vec![
        Answer::AllGood,
        Answer::FixedIt,
        Answer::Done,
        Answer::Snooze,
        Answer::Snooze,
        Answer::Skip,
    ])
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1u32..1_800).prop_map(Op::Wait),
        4 => (1u8..120).prop_map(Op::Daemon),
        1 => (-3 * 86_400i64..3 * 86_400).prop_map(Op::Jump),
        1 => Just(Op::Away),
        1 => Just(Op::Back),
        1 => (kind(), answer()).prop_map(|(k, a)| Op::Answer(k, a)),
        4 => (0usize..3, answer()).prop_map(|(n, a)| Op::AnswerShown(n, a)),
        1 => kind().prop_map(Op::Start),
        1 => kind().prop_map(Op::Trigger),
        1 => prop_oneof![
            (1u64..240).prop_map(|m| PauseLength::For(Duration::from_secs(m * 60))),
            Just(PauseLength::UntilTomorrow),
            Just(PauseLength::UntilResumed),
        ]
        .prop_map(Op::Pause),
        1 => Just(Op::Resume),
        1 => Just(Op::RoutineDone),
        1 => Just(Op::Restart),
        2 => Just(Op::Busy),
        2 => Just(Op::NotBusy),
    ]
}

/// Whole hours away from the 02:00-03:59 band where DST changes happen, so
/// the test's own reading of working hours needs no DST rules.
fn clock_hour() -> impl Strategy<Value = u32> {
    prop::sample::select(vec![0u32, 1, 4, 6, 8, 9, 12, 15, 17, 18, 20, 22, 23])
}

fn minutes(range: std::ops::Range<u64>) -> impl Strategy<Value = Duration> {
    range.prop_map(|m| Duration::from_secs(m * 60))
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        (any::<bool>(), any::<bool>(), any::<bool>()),
        (minutes(1..40), minutes(1..60), minutes(1..15)),
        (1u32..4, clock_hour()),
        (minutes(1..15), 0u32..4, minutes(1..20), minutes(0..10)),
        (prop::bits::u8::masked(0x7f), clock_hour(), clock_hour()),
    )
        .prop_map(
            |(
                (posture_on, move_on, routine_on),
                (posture, move_every, move_length),
                (every_days, routine_hour),
                (snooze, max_snoozes, expire, quiet),
                (day_bits, start, end),
            )| {
                let mut s = Settings::default();
                s.posture.enabled = posture_on;
                s.posture.interval = posture;
                s.move_break.enabled = move_on;
                s.move_break.interval = move_every;
                s.move_break.duration = move_length;
                s.routine.enabled = routine_on;
                s.routine.every_days = every_days;
                s.routine.at = NaiveTime::from_hms_opt(routine_hour, 0, 0).unwrap();
                s.reminders.snooze = snooze;
                s.reminders.max_snoozes = max_snoozes;
                s.reminders.expire_after = expire;
                s.reminders.quiet_after_break = quiet;
                let mut days = Vec::new();
                let mut day = Weekday::Mon;
                for bit in 0..7 {
                    if day_bits & (1 << bit) != 0 {
                        days.push(day);
                    }
                    day = day.succ();
                }
                s.working_hours = WorkingHours {
                    days,
                    start: NaiveTime::from_hms_opt(start, 0, 0).unwrap(),
                    end: NaiveTime::from_hms_opt(end, 0, 0).unwrap(),
                };
                s
            },
        )
}

/// Whether local time `t` is inside the working hours, read directly from
/// the settings (a night shift belongs to the day it started).
fn in_hours(hours: &WorkingHours, t: DateTime<Tz>) -> bool {
    let (day, clock) = (t.weekday(), t.time());
    if hours.start < hours.end {
        hours.days.contains(&day) && hours.start <= clock && clock < hours.end
    } else {
        (hours.days.contains(&day) && clock >= hours.start)
            || (hours.days.contains(&day.pred()) && clock < hours.end)
    }
}

/// The engine, a fake user and a fake daemon, checking every answer.
struct Run {
    s: Settings,
    tz: Tz,
    sched: Schedule,
    now: DateTime<Utc>,
    away_since: Option<DateTime<Utc>>,
    /// When the clock last moved for the engine (advance or resume).
    last_moved: DateTime<Utc>,
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
    /// Whether the user is in a call now.
    busy: bool,
}

impl Run {
    fn local(&self) -> DateTime<Tz> {
        self.now.with_timezone(&self.tz)
    }

    fn idle(&self) -> Duration {
        self.away_since.map_or(Duration::ZERO, |since| {
            (self.now - since).to_std().unwrap_or_default()
        })
    }

    fn set_clock(&mut self, t: DateTime<Utc>) {
        self.now = t;
        self.earliest = self.earliest.min(t);
        self.latest = self.latest.max(t);
        if let Some(since) = self.away_since {
            self.away_since = Some(since.min(t));
        }
    }

    fn advance(&mut self) -> Result<(), TestCaseError> {
        let paused_before = self.sched.paused_until();
        let idle = self.idle();
        let gap = (self.now - self.last_moved).to_std().unwrap_or_default();
        if self.sched.wants_busy_check(&self.s, &self.local()) {
            let reading = self.busy.then_some(BusyReason::Call);
            self.sched.set_busy(reading, self.now);
        }
        let events = self.sched.advance(&self.s, &self.local(), idle);
        self.last_moved = self.now;
        let still_paused = match paused_before {
            None => false,
            Some(None) => true,
            Some(Some(until)) => until > self.now,
        };
        // In a call the user is there, however still the keyboard.
        let in_call = self.sched.holding().is_some_and(BusyReason::means_present);
        let away = idle >= AWAY_AFTER.min(self.s.move_break.duration) && !in_call;
        for e in &events {
            self.check_event(e)?;
            if let ScheduleEvent::Due(p) = e {
                let interval_kind = p.kind != ReminderKind::Routine;
                prop_assert!(!still_paused, "fired while paused: {e:?}");
                prop_assert!(!away, "fired while the user was away: {e:?}");
                prop_assert!(self.enabled(p.kind), "disabled kind fired: {e:?}");
                prop_assert_eq!(p.shown_at, self.now);
                if self.busy {
                    // Only the limit lets a reminder out during a call, and
                    // then without sound.
                    prop_assert!(
                        p.held.as_ref().is_some_and(
                            |h| h.quiet && u64::from(h.waited_s) >= self.s.hold.limit.as_secs()
                        ),
                        "shown during a call before the limit: {e:?}"
                    );
                }
                if interval_kind {
                    prop_assert!(
                        in_hours(&self.s.working_hours, self.local()),
                        "fired outside working hours at {}: {e:?}",
                        self.local()
                    );
                    if gap > self.s.move_break.duration && paused_before.is_none() {
                        prop_assert!(p.snoozes > 0, "stale reminder after a gap: {e:?}");
                    }
                }
            }
        }
        for kind in KINDS {
            let fired = events
                .iter()
                .filter(|e| matches!(e, ScheduleEvent::Due(p) if p.kind == kind))
                .count();
            prop_assert!(fired <= 1, "a burst of {kind:?}: {events:?}");
        }
        Ok(())
    }

    /// Seconds between the earliest and latest clock readings so far.
    fn span_s(&self) -> u64 {
        u64::try_from((self.latest - self.earliest).num_seconds()).unwrap_or(0)
    }

    fn enabled(&self, kind: ReminderKind) -> bool {
        match kind {
            ReminderKind::PostureCheck => self.s.posture.enabled,
            ReminderKind::MoveBreak => self.s.move_break.enabled,
            ReminderKind::Routine => self.s.routine.enabled,
        }
    }

    fn check_event(&self, e: &ScheduleEvent) -> Result<(), TestCaseError> {
        let max = self.s.reminders.max_snoozes;
        match e {
            ScheduleEvent::Due(p) => {
                prop_assert!(p.due_at <= p.shown_at && p.shown_at <= self.now, "{e:?}");
                prop_assert!(p.snoozes <= max, "{e:?}");
                prop_assert_eq!(p.can_snooze, p.snoozes < max);
            }
            ScheduleEvent::Resolved {
                kind,
                outcome,
                due_at,
                at,
                duration_s,
                held_s,
            } => {
                prop_assert!(outcome.fits(*kind), "{e:?}");
                // Held no longer than the limit, and never before it fell due.
                prop_assert!(
                    u64::from(*held_s) <= self.s.hold.limit.as_secs().max(self.span_s()),
                    "held too long: {e:?}"
                );
                prop_assert!(*at <= self.now, "logged in the future: {e:?}");
                prop_assert!(due_at.is_none_or(|d| d <= *at), "ended before due: {e:?}");
                let span = (self.latest - self.earliest).num_seconds();
                let bound = span.max(self.s.move_break.duration.as_secs() as i64);
                prop_assert!(i64::from(*duration_s) <= bound, "absurd length: {e:?}");
            }
            ScheduleEvent::Paused { until } => {
                prop_assert!(until.is_none_or(|u| u >= self.now), "{e:?}");
            }
            ScheduleEvent::Resumed | ScheduleEvent::Withdrawn { .. } => {}
        }
        Ok(())
    }

    fn check_state(&self) -> Result<(), TestCaseError> {
        let pending = self.sched.pending();
        for kind in KINDS {
            let n = pending.iter().filter(|p| p.kind == kind).count();
            prop_assert!(n <= 1, "{n} pending {kind:?}");
        }
        for p in pending {
            prop_assert!(p.snoozes <= self.s.reminders.max_snoozes, "{p:?}");
            prop_assert!(p.due_at <= p.shown_at && p.shown_at <= self.latest, "{p:?}");
        }
        let paused = self.sched.paused_until();
        let poll = self.sched.idle_check_interval(&self.s);
        if paused.is_some() {
            prop_assert_eq!(poll, None);
        }
        if let Some(p) = poll {
            prop_assert!((15..=30).contains(&p.as_secs()), "{p:?}");
        }
        match self.sched.next_deadline(&self.s, &self.local()) {
            Some(d) => prop_assert!(d >= self.now, "deadline {d} before now {}", self.now),
            None => {
                let nothing_can_fire = paused == Some(None)
                    || KINDS.iter().all(|k| {
                        !self.can_ever_fire(*k)
                            || pending
                                .iter()
                                .any(|p| p.kind == *k && p.started_at.is_some())
                    });
                prop_assert!(nothing_can_fire, "no deadline though something can fire");
                prop_assert!(pending.iter().all(|p| p.started_at.is_some()));
            }
        }
        let json = serde_json::to_string(&self.sched).unwrap();
        let back: Schedule = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &self.sched);
        Ok(())
    }

    /// Whether `kind` is switched on and has somewhere to fire.
    fn can_ever_fire(&self, kind: ReminderKind) -> bool {
        self.enabled(kind)
            && (kind == ReminderKind::Routine || !self.s.working_hours.days.is_empty())
    }

    fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
        match op {
            Op::Wait(secs) => {
                self.set_clock(self.now + TimeDelta::seconds(i64::from(*secs)));
                self.advance()?;
            }
            Op::Jump(secs) => {
                self.set_clock(self.now + TimeDelta::seconds(*secs));
                self.advance()?;
            }
            Op::Daemon(wakes) => {
                for _ in 0..*wakes {
                    let deadline = self.sched.next_deadline(&self.s, &self.local());
                    let poll = self
                        .sched
                        .idle_check_interval(&self.s)
                        .map(|p| self.now + TimeDelta::from_std(p).unwrap());
                    let Some(wake) = [deadline, poll].into_iter().flatten().min() else {
                        break;
                    };
                    prop_assert!(wake >= self.now);
                    self.set_clock(wake);
                    self.advance()?;
                    let again = self.sched.next_deadline(&self.s, &self.local());
                    prop_assert!(
                        again.is_none_or(|d| d > self.now),
                        "busy loop: deadline {again:?} right after advancing to it"
                    );
                }
            }
            Op::Away => {
                if self.away_since.is_none() {
                    self.away_since = Some(self.now);
                }
            }
            Op::Back => self.away_since = None,
            Op::AnswerShown(n, answer) => {
                let shown = self.sched.pending();
                if !shown.is_empty() {
                    let kind = shown[n % shown.len()].kind;
                    return self.apply(&Op::Answer(kind, *answer));
                }
            }
            Op::Answer(kind, answer) => {
                let shown = self
                    .sched
                    .pending()
                    .iter()
                    .find(|p| p.kind == *kind)
                    .cloned();
                let result = self.sched.answer(&self.s, *kind, *answer, &self.local());
                match (&result, &shown) {
                    (Err(ScheduleError::SnoozeLimit(k)), Some(p)) => {
                        prop_assert_eq!(k, kind);
                        prop_assert_eq!(*answer, Answer::Snooze);
                        prop_assert!(p.snoozes >= self.s.reminders.max_snoozes && !p.can_snooze);
                        let kept = self.sched.pending().iter().any(|q| q.kind == *kind);
                        prop_assert!(kept, "a refused snooze loses the reminder");
                    }
                    (Err(e), Some(p)) => prop_assert!(false, "{e} with {p:?} showing"),
                    (Ok(events), _) => {
                        if let Some(p) = &shown
                            && *answer == Answer::Snooze
                        {
                            prop_assert!(p.snoozes < self.s.reminders.max_snoozes);
                        }
                        let outcome = answer.outcome_for(*kind);
                        let logged = match &events[..] {
                            [
                                ScheduleEvent::Resolved {
                                    kind: k,
                                    outcome: o,
                                    ..
                                },
                            ] => k == kind && *o == outcome,
                            // A routine's "Later" has no log outcome.
                            [ScheduleEvent::Withdrawn { kind: k, .. }] => {
                                k == kind && !outcome.fits(*kind)
                            }
                            _ => false,
                        };
                        prop_assert!(logged, "{answer:?} gave {events:?}");
                        for e in events {
                            self.check_event(e)?;
                        }
                        // Answered or snoozed: either way no longer showing.
                        let still = self.sched.pending().iter().any(|p| p.kind == *kind);
                        prop_assert!(!still, "{kind:?} still showing after {answer:?}");
                    }
                    (Err(_), None) => {}
                }
            }
            Op::Start(kind) => {
                let open = self.sched.pending().iter().any(|p| p.kind == *kind);
                let started = self.sched.start(*kind, self.now);
                if open {
                    prop_assert!(started.is_ok());
                }
            }
            Op::Trigger(kind) => {
                let events = self.sched.trigger(&self.s, *kind, &self.local());
                let shown = matches!(&events[..], [ScheduleEvent::Due(p)] if p.kind == *kind);
                prop_assert!(shown, "{events:?}");
                for e in &events {
                    self.check_event(e)?;
                }
            }
            Op::Pause(length) => {
                let events = self.sched.pause(*length, &self.local());
                prop_assert!(self.sched.pending().is_empty());
                let announced = matches!(events.last(), Some(ScheduleEvent::Paused { .. }));
                prop_assert!(announced, "{events:?}");
                for e in &events {
                    self.check_event(e)?;
                }
            }
            Op::Resume => {
                if !self.sched.resume(&self.s, &self.local()).is_empty() {
                    self.last_moved = self.last_moved.max(self.now);
                }
                prop_assert_eq!(self.sched.paused_until(), None);
            }
            Op::RoutineDone => {
                let events = self.sched.routine_done(&self.local());
                prop_assert!(
                    !self
                        .sched
                        .pending()
                        .iter()
                        .any(|p| p.kind == ReminderKind::Routine)
                );
                for e in &events {
                    let withdrawn = matches!(
                        e,
                        ScheduleEvent::Withdrawn {
                            kind: ReminderKind::Routine,
                            ..
                        }
                    );
                    prop_assert!(withdrawn, "{e:?}");
                }
            }
            Op::Restart => {
                let json = serde_json::to_string(&self.sched).unwrap();
                self.sched = serde_json::from_str(&json).unwrap();
            }
            Op::Busy => self.busy = true,
            Op::NotBusy => self.busy = false,
        }
        self.check_state()
    }
}

proptest! {
    #[test]
    fn the_rules_hold_over_random_days(
        s in settings(),
        zone in prop::sample::select(ZONES.to_vec()),
        start_day in 0i64..366,
        start_minute in 0i64..1440,
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
            + TimeDelta::days(start_day)
            + TimeDelta::minutes(start_minute);
        let mut run = Run {
            s,
            tz: zone,
            sched: Schedule::new(start),
            now: start,
            away_since: None,
            last_moved: start,
            earliest: start,
            latest: start,
            busy: false,
        };
        run.advance()?;
        run.check_state()?;
        for op in &ops {
            run.apply(op)?;
        }
    }
}
