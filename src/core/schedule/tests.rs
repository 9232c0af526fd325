//! Rule-by-rule tests of the reminder engine, driven the way the daemon
//! drives it: wake at the next deadline or the next idle sample, advance.

use super::*;
use chrono::{NaiveTime, TimeDelta, Weekday};
use chrono_tz::Europe::Berlin;
use chrono_tz::Tz;

use ReminderKind::{MoveBreak, PostureCheck, Routine};

mod hold;

/// A moment in March 2025, Berlin time (3 March is a Monday; clocks go
/// forward on Sunday 30 March).
fn t(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Berlin
        .with_ymd_and_hms(2025, 3, day, h, m, 0)
        .single()
        .unwrap()
        .to_utc()
}

fn local(t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&Berlin)
}

fn mins(n: i64) -> TimeDelta {
    TimeDelta::minutes(n)
}

/// The engine plus a fake user and a fake daemon loop.
struct Sim {
    s: Settings,
    sched: Schedule,
    now: DateTime<Utc>,
    /// Stretches the user is away from the keyboard: `[from, to)`.
    away: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Everything the engine said, with the time it said it.
    log: Vec<(DateTime<Utc>, ScheduleEvent)>,
    /// Busy spells (a call, full screen): `[from, to)`.
    busy: Vec<(DateTime<Utc>, DateTime<Utc>, crate::core::busy::BusyReason)>,
    /// How often the busy signals were read, as the daemon would.
    busy_reads: usize,
}

impl Sim {
    fn new(start: DateTime<Utc>) -> Self {
        Self::with(Settings::default(), start)
    }

    fn with(s: Settings, start: DateTime<Utc>) -> Self {
        let mut sim = Self {
            s,
            sched: Schedule::new(start),
            now: start,
            away: Vec::new(),
            log: Vec::new(),
            busy: Vec::new(),
            busy_reads: 0,
        };
        sim.tick(start);
        sim
    }

    fn idle_at(&self, t: DateTime<Utc>) -> Duration {
        self.away
            .iter()
            .find(|(from, to)| *from <= t && t < *to)
            .map_or(Duration::ZERO, |(from, _)| elapsed(*from, t))
    }

    /// One `advance` at `at`.
    fn tick(&mut self, at: DateTime<Utc>) -> Vec<ScheduleEvent> {
        self.now = at;
        let idle = self.idle_at(at);
        if self.sched.wants_busy_check(&self.s, &local(at)) {
            self.busy_reads += 1;
            let reading = self
                .busy
                .iter()
                .find(|(from, to, _)| *from <= at && at < *to)
                .map(|(_, _, reason)| reason.clone());
            self.sched.set_busy(reading, at);
        }
        let events = self.sched.advance(&self.s, &local(at), idle);
        self.record(&events);
        events
    }

    fn record(&mut self, events: &[ScheduleEvent]) {
        for e in events {
            self.log.push((self.now, e.clone()));
        }
    }

    /// Runs the daemon loop up to and including `end`; returns what happened.
    fn run_until(&mut self, end: DateTime<Utc>) -> Vec<(DateTime<Utc>, ScheduleEvent)> {
        let first = self.log.len();
        let mut same_instant = 0;
        loop {
            let deadline = self.sched.next_deadline(&self.s, &local(self.now));
            if let Some(d) = deadline {
                assert!(d >= self.now, "deadline {d} before now {}", self.now);
            }
            let poll = self
                .sched
                .idle_check_interval(&self.s)
                .map(|p| after(self.now, p));
            let wake = [deadline, poll].into_iter().flatten().min();
            match wake {
                Some(w) if w <= end => {
                    same_instant = if w == self.now { same_instant + 1 } else { 0 };
                    assert!(same_instant < 3, "busy loop at {w}");
                    self.tick(w);
                }
                _ => {
                    self.tick(end);
                    break;
                }
            }
        }
        self.log[first..].to_vec()
    }

    fn answer(&mut self, kind: ReminderKind, a: Answer) -> Vec<ScheduleEvent> {
        let events = self
            .sched
            .answer(&self.s, kind, a, &local(self.now))
            .unwrap();
        self.record(&events);
        events
    }
}

fn dues(log: &[(DateTime<Utc>, ScheduleEvent)]) -> Vec<(DateTime<Utc>, ReminderKind)> {
    log.iter()
        .filter_map(|(at, e)| match e {
            ScheduleEvent::Due(p) => Some((*at, p.kind)),
            _ => None,
        })
        .collect()
}

fn resolved(
    log: &[(DateTime<Utc>, ScheduleEvent)],
) -> Vec<(ReminderKind, Outcome, DateTime<Utc>, u32)> {
    log.iter()
        .filter_map(|(_, e)| match e {
            ScheduleEvent::Resolved {
                kind,
                outcome,
                at,
                duration_s,
                ..
            } => Some((*kind, *outcome, *at, *duration_s)),
            _ => None,
        })
        .collect()
}

fn due_of(log: &[(DateTime<Utc>, ScheduleEvent)], kind: ReminderKind) -> Vec<Pending> {
    log.iter()
        .filter_map(|(_, e)| match e {
            ScheduleEvent::Due(p) if p.kind == kind => Some(p.clone()),
            _ => None,
        })
        .collect()
}

/// The events for a reminder of `kind` due at `due_at` taken back unlogged.
fn withdrawn(kind: ReminderKind, due_at: DateTime<Utc>) -> Vec<ScheduleEvent> {
    vec![ScheduleEvent::Withdrawn { kind, due_at }]
}

fn office_only() -> Settings {
    let mut s = Settings::default();
    s.routine.enabled = false;
    s
}

#[test]
fn posture_and_move_break_fire_at_their_default_intervals() {
    let mut sim = Sim::with(office_only(), t(3, 8, 50));
    let log = sim.run_until(t(3, 9, 31));
    assert_eq!(dues(&log), vec![(t(3, 9, 30), PostureCheck)]);
    sim.answer(PostureCheck, Answer::AllGood);
    let log = sim.run_until(t(3, 10, 0));
    assert_eq!(dues(&log), vec![(t(3, 10, 0), MoveBreak)]);
}

#[test]
fn the_working_day_starts_fresh() {
    // Last posture check answered on Friday at 17:55: nothing is due at
    // Monday 09:00:00 just because the interval passed over the weekend.
    let mut sim = Sim::with(office_only(), t(7, 17, 20));
    sim.run_until(t(7, 17, 50));
    sim.now = t(7, 17, 55);
    sim.answer(PostureCheck, Answer::AllGood);
    let log = sim.run_until(t(10, 10, 0));
    assert_eq!(
        dues(&log),
        vec![(t(10, 9, 30), PostureCheck), (t(10, 10, 0), MoveBreak)]
    );
}

#[test]
fn nothing_fires_outside_working_hours_but_the_routine_does() {
    // Saturday 1 March; the engine started on Friday evening.
    let mut sim = Sim::new(t(1, 7, 0));
    let log = sim.run_until(t(2, 23, 0));
    assert_eq!(
        dues(&log),
        // Nobody answered on Saturday, so it is offered again on Sunday.
        vec![(t(1, 18, 0), Routine), (t(2, 18, 0), Routine)],
        "only the routine fires on a weekend"
    );
    // A working day ends at 18:00: a check due at 18:10 waits for Monday.
    let mut sim = Sim::with(office_only(), t(3, 17, 40));
    let log = sim.run_until(t(3, 23, 0));
    assert!(dues(&log).is_empty(), "{log:?}");
}

#[test]
fn disabled_kinds_never_fire() {
    let mut s = Settings::default();
    s.posture.enabled = false;
    let mut sim = Sim::with(s, t(3, 8, 0));
    let log = sim.run_until(t(3, 17, 0));
    assert!(dues(&log).iter().all(|(_, k)| *k != PostureCheck));
    assert!(dues(&log).iter().any(|(_, k)| *k == MoveBreak));

    let mut s = Settings::default();
    s.posture.enabled = false;
    s.move_break.enabled = false;
    s.routine.enabled = false;
    let mut sim = Sim::with(s, t(3, 8, 0));
    let log = sim.run_until(t(5, 8, 0));
    assert!(log.is_empty());
    assert_eq!(sim.sched.next_deadline(&sim.s, &local(sim.now)), None);
    assert_eq!(sim.sched.idle_check_interval(&sim.s), None);
}

#[test]
fn snoozes_come_back_until_the_limit_then_only_answers_remain() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.run_until(t(3, 9, 31));
    for round in 1..=3 {
        let events = sim.answer(PostureCheck, Answer::Snooze);
        assert_eq!(
            resolved(
                &events
                    .iter()
                    .map(|e| (sim.now, e.clone()))
                    .collect::<Vec<_>>()
            ),
            vec![(PostureCheck, Outcome::Snoozed, sim.now, 0)]
        );
        assert!(
            sim.sched.pending().is_empty(),
            "a snoozed reminder is put away"
        );
        let back_at = sim.now + mins(5);
        let log = sim.run_until(back_at);
        let shown = due_of(&log, PostureCheck);
        assert_eq!(shown.len(), 1, "round {round}: {log:?}");
        assert_eq!(shown[0].due_at, t(3, 9, 30), "due time is kept");
        assert_eq!(shown[0].shown_at, back_at);
        assert_eq!(shown[0].snoozes, round);
        assert_eq!(shown[0].can_snooze, round < 3);
    }
    let refused = sim
        .sched
        .answer(&sim.s, PostureCheck, Answer::Snooze, &local(sim.now));
    assert_eq!(refused, Err(ScheduleError::SnoozeLimit(PostureCheck)));
    assert_eq!(
        sim.sched.pending().len(),
        1,
        "a refused snooze loses nothing"
    );
    let events = sim.answer(PostureCheck, Answer::Skip);
    assert!(matches!(
        events[..],
        [ScheduleEvent::Resolved {
            outcome: Outcome::Skipped,
            ..
        }]
    ));
}

#[test]
fn the_snooze_limit_holds_at_zero_and_while_snoozed() {
    let mut s = office_only();
    s.reminders.max_snoozes = 0;
    let mut sim = Sim::with(s, t(3, 9, 0));
    let log = sim.run_until(t(3, 9, 31));
    assert!(!due_of(&log, PostureCheck)[0].can_snooze);
    let refused = sim
        .sched
        .answer(&sim.s, PostureCheck, Answer::Snooze, &local(sim.now));
    assert_eq!(refused, Err(ScheduleError::SnoozeLimit(PostureCheck)));

    // Snoozing again while snoozed counts too, and a refusal keeps it put away.
    let mut s = office_only();
    s.reminders.max_snoozes = 1;
    let mut sim = Sim::with(s, t(3, 9, 0));
    sim.run_until(t(3, 9, 31));
    sim.answer(PostureCheck, Answer::Snooze);
    let refused = sim
        .sched
        .answer(&sim.s, PostureCheck, Answer::Snooze, &local(sim.now));
    assert_eq!(refused, Err(ScheduleError::SnoozeLimit(PostureCheck)));
    assert!(sim.sched.pending().is_empty());
    let log = sim.run_until(t(3, 9, 36));
    assert_eq!(dues(&log), vec![(t(3, 9, 36), PostureCheck)]);
}

#[test]
fn unanswered_reminders_expire_as_missed_from_when_last_shown() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    let log = sim.run_until(t(3, 9, 45));
    assert_eq!(
        resolved(&log),
        vec![(PostureCheck, Outcome::Missed, t(3, 9, 40), 0)]
    );
    // The timer restarts from the expiry.
    let log = sim.run_until(t(3, 10, 10));
    assert_eq!(dues(&log).last(), Some(&(t(3, 10, 10), PostureCheck)));

    // A snoozed reminder expires counting from when it came back.
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.run_until(t(3, 9, 35));
    sim.answer(PostureCheck, Answer::Snooze);
    let log = sim.run_until(t(3, 9, 55));
    assert_eq!(
        resolved(&log),
        vec![(PostureCheck, Outcome::Missed, t(3, 9, 50), 0)]
    );
}

#[test]
fn a_started_break_does_not_expire_and_logs_its_length() {
    let mut s = office_only();
    s.posture.enabled = false;
    let mut sim = Sim::with(s, t(3, 9, 0));
    sim.run_until(t(3, 10, 1));
    sim.sched.start(MoveBreak, t(3, 10, 1)).unwrap();
    let log = sim.run_until(t(3, 10, 40));
    assert!(resolved(&log).is_empty(), "{log:?}");
    assert_eq!(sim.sched.pending().len(), 1);
    sim.now = t(3, 10, 40);
    let events = sim.answer(MoveBreak, Answer::Done);
    assert_eq!(
        resolved(&events.into_iter().map(|e| (sim.now, e)).collect::<Vec<_>>()),
        vec![(MoveBreak, Outcome::Taken, t(3, 10, 40), 39 * 60)]
    );
    assert_eq!(
        sim.sched.start(MoveBreak, sim.now),
        Err(ScheduleError::NothingPending(MoveBreak))
    );
}

#[test]
fn an_answer_restarts_the_timer_from_the_answer() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.run_until(t(3, 9, 37));
    sim.answer(PostureCheck, Answer::FixedIt);
    assert_eq!(
        sim.sched.next_due(&sim.s, PostureCheck, &local(sim.now)),
        Some(t(3, 10, 7))
    );
    let err = sim
        .sched
        .answer(&sim.s, PostureCheck, Answer::Done, &local(sim.now));
    assert_eq!(err, Err(ScheduleError::NothingPending(PostureCheck)));
    assert_eq!(
        err.unwrap_err().to_string(),
        "no posture check reminder is waiting for an answer"
    );
}

#[test]
fn answers_log_the_outcome_their_kind_uses() {
    let mut sim = Sim::new(t(3, 9, 0));
    sim.run_until(t(3, 9, 30));
    let e = sim.answer(PostureCheck, Answer::Done);
    assert!(matches!(
        e[..],
        [ScheduleEvent::Resolved {
            outcome: Outcome::AllGood,
            ..
        }]
    ));
    sim.run_until(t(3, 10, 0));
    let e = sim.answer(MoveBreak, Answer::Done);
    assert!(matches!(
        e[..],
        [ScheduleEvent::Resolved {
            outcome: Outcome::Taken,
            duration_s: 300,
            ..
        }]
    ));
    sim.run_until(t(3, 18, 0));
    let e = sim.answer(Routine, Answer::Done);
    assert!(matches!(
        e[..],
        [ScheduleEvent::Resolved {
            outcome: Outcome::Completed,
            ..
        }]
    ));
}

#[test]
fn at_most_one_reminder_per_kind() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.run_until(t(3, 9, 31));
    let events = sim.sched.trigger(&sim.s, PostureCheck, &local(sim.now));
    assert!(matches!(&events[..], [ScheduleEvent::Due(p)] if p.due_at == t(3, 9, 30)));
    assert_eq!(sim.sched.pending().len(), 1);
    // Snoozed counts as pending too: the timer does not add a second one.
    sim.answer(PostureCheck, Answer::Snooze);
    let log = sim.run_until(t(3, 9, 34));
    assert!(dues(&log).is_empty());
}

#[test]
fn trigger_fires_even_when_paused_or_off_hours() {
    let mut sim = Sim::new(t(1, 12, 0));
    sim.sched.pause(PauseLength::UntilResumed, &local(sim.now));
    let events = sim.sched.trigger(&sim.s, MoveBreak, &local(sim.now));
    assert!(
        matches!(&events[..], [ScheduleEvent::Due(p)] if p.kind == MoveBreak && p.snoozes == 0)
    );
    assert_eq!(sim.sched.paused_until(), Some(None));
}

#[test]
fn a_timed_pause_withdraws_pending_reminders_and_holds_everything() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.run_until(t(3, 9, 31));
    let events = sim.sched.pause(
        PauseLength::For(Duration::from_secs(2 * 3600)),
        &local(sim.now),
    );
    assert_eq!(
        events,
        vec![
            ScheduleEvent::Withdrawn {
                kind: PostureCheck,
                due_at: t(3, 9, 30)
            },
            ScheduleEvent::Paused {
                until: Some(t(3, 11, 31))
            },
        ]
    );
    assert!(sim.sched.pending().is_empty());
    assert_eq!(sim.sched.idle_check_interval(&sim.s), None);
    assert_eq!(
        sim.sched.next_deadline(&sim.s, &local(sim.now)),
        Some(t(3, 11, 31))
    );
    assert_eq!(
        sim.sched.next_due(&sim.s, PostureCheck, &local(sim.now)),
        Some(t(3, 12, 1))
    );
    let log = sim.run_until(t(3, 12, 1));
    assert_eq!(log[0], (t(3, 11, 31), ScheduleEvent::Resumed));
    // Timers restart from the end of the pause.
    assert_eq!(dues(&log), vec![(t(3, 12, 1), PostureCheck)]);
    assert!(
        resolved(&log).is_empty(),
        "withdrawn reminders are not logged"
    );
}

#[test]
fn pause_until_tomorrow_ends_at_local_midnight() {
    // Saturday 29 March: the next midnight is the DST day, still +01:00.
    let mut sim = Sim::new(t(29, 15, 0));
    let events = sim.sched.pause(PauseLength::UntilTomorrow, &local(sim.now));
    let midnight = t(30, 0, 0);
    assert_eq!(
        events,
        vec![ScheduleEvent::Paused {
            until: Some(midnight)
        }]
    );
    assert_eq!(
        midnight,
        Utc.with_ymd_and_hms(2025, 3, 29, 23, 0, 0).unwrap()
    );
    let log = sim.run_until(t(29, 23, 59));
    assert!(dues(&log).is_empty(), "the 18:00 routine waits: {log:?}");
    let log = sim.run_until(t(30, 0, 1));
    assert_eq!(log[0], (midnight, ScheduleEvent::Resumed));
}

#[test]
fn pause_until_resumed_sleeps_until_resumed() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.sched.pause(PauseLength::UntilResumed, &local(sim.now));
    assert_eq!(sim.sched.paused_until(), Some(None));
    assert_eq!(sim.sched.next_deadline(&sim.s, &local(sim.now)), None);
    let json = serde_json::to_string(&sim.sched).unwrap();
    let restored: Schedule = serde_json::from_str(&json).unwrap();
    assert_eq!(
        restored.paused_until(),
        Some(None),
        "survives a restart: {json}"
    );
    assert_eq!(
        sim.sched.next_due(&sim.s, PostureCheck, &local(sim.now)),
        None
    );
    let log = sim.run_until(t(3, 15, 0));
    assert!(log.is_empty());
    assert_eq!(
        sim.sched.resume(&sim.s, &local(sim.now)),
        vec![ScheduleEvent::Resumed]
    );
    assert!(sim.sched.resume(&sim.s, &local(sim.now)).is_empty());
    assert_eq!(sim.sched.paused_until(), None);
    let log = sim.run_until(t(3, 15, 30));
    assert_eq!(dues(&log), vec![(t(3, 15, 30), PostureCheck)]);
}

#[test]
fn routine_every_other_day_at_its_time_and_moved_by_early_sessions() {
    // Monday 3 March, started in the morning: first routine today at 18:00,
    // outside working hours.
    let mut sim = Sim::new(t(3, 8, 0));
    sim.s.posture.enabled = false;
    sim.s.move_break.enabled = false;
    let log = sim.run_until(t(3, 18, 1));
    assert_eq!(dues(&log), vec![(t(3, 18, 0), Routine)]);
    sim.answer(Routine, Answer::Done);
    assert_eq!(
        sim.sched.next_due(&sim.s, Routine, &local(sim.now)),
        Some(t(5, 18, 0))
    );
    // Done early from the window on Tuesday: the next one is Thursday.
    sim.run_until(t(4, 12, 0));
    assert!(sim.sched.routine_done(&local(sim.now)).is_empty());
    let log = sim.run_until(t(6, 18, 5));
    assert_eq!(dues(&log), vec![(t(6, 18, 0), Routine)]);
    // A session logged while the reminder is open withdraws it.
    let events = sim.sched.routine_done(&local(sim.now));
    assert_eq!(events, withdrawn(Routine, t(6, 18, 0)));
    // A skip offers it again the next day.
    let log = sim.run_until(t(8, 18, 1));
    assert_eq!(dues(&log), vec![(t(8, 18, 0), Routine)]);
    sim.answer(Routine, Answer::Skip);
    let log = sim.run_until(t(9, 18, 1));
    assert_eq!(dues(&log), vec![(t(9, 18, 0), Routine)]);
}

#[test]
fn routine_later_puts_it_off_without_a_log_entry() {
    let mut sim = Sim::new(t(3, 17, 0));
    sim.run_until(t(3, 18, 1));
    let events = sim.answer(Routine, Answer::Snooze);
    assert_eq!(events, withdrawn(Routine, t(3, 18, 0)));
    let log = sim.run_until(t(3, 18, 6));
    let back = due_of(&log, Routine);
    assert_eq!(back.len(), 1);
    assert_eq!((back[0].shown_at, back[0].snoozes), (t(3, 18, 6), 1));
}

#[test]
fn routine_started_after_its_time_begins_the_next_day() {
    let mut sim = Sim::new(t(3, 20, 0));
    let log = sim.run_until(t(4, 18, 0));
    assert_eq!(dues(&log).last(), Some(&(t(4, 18, 0), Routine)));
    assert!(
        dues(&log[..log.len() - 1])
            .iter()
            .all(|(_, k)| *k != Routine)
    );
}

#[test]
fn a_routine_owed_from_an_earlier_day_comes_at_todays_time() {
    // Offline from Monday noon to Wednesday 10:00: the Monday routine is not
    // shown at once on Wednesday morning, but at 18:00.
    let mut sim = Sim::new(t(3, 12, 0));
    sim.s.posture.enabled = false;
    sim.s.move_break.enabled = false;
    sim.tick(t(5, 10, 0));
    let log = sim.run_until(t(5, 18, 0));
    assert_eq!(dues(&log), vec![(t(5, 18, 0), Routine)]);
}

#[test]
fn routine_keeps_its_local_time_across_dst() {
    let mut s = Settings::default();
    s.posture.enabled = false;
    s.move_break.enabled = false;
    s.routine.every_days = 1;
    let mut sim = Sim::with(s, t(29, 9, 0));
    let log = sim.run_until(t(29, 18, 1));
    assert_eq!(dues(&log), vec![(t(29, 18, 0), Routine)]);
    sim.answer(Routine, Answer::Done);
    let log = sim.run_until(t(30, 18, 1));
    let shown = dues(&log);
    assert_eq!(shown, vec![(t(30, 18, 0), Routine)]);
    // 18:00 was 17:00 UTC before the change and 16:00 UTC after it.
    assert_eq!(
        t(29, 18, 0),
        Utc.with_ymd_and_hms(2025, 3, 29, 17, 0, 0).unwrap()
    );
    assert_eq!(
        shown[0].0,
        Utc.with_ymd_and_hms(2025, 3, 30, 16, 0, 0).unwrap()
    );

    // A routine time the change skips (02:30) comes at 03:30.
    sim.s.routine.at = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
    let mut sim2 = Sim::with(sim.s.clone(), t(29, 9, 0));
    sim2.answer_if_due(Routine);
    let log = sim2.run_until(t(30, 4, 0));
    assert_eq!(dues(&log), vec![(t(30, 3, 30), Routine)]);
}

impl Sim {
    /// Answers a reminder of `kind` if one is showing (test set-up helper).
    fn answer_if_due(&mut self, kind: ReminderKind) {
        if self.sched.pending().iter().any(|p| p.kind == kind) {
            self.answer(kind, Answer::Done);
        }
    }
}

#[test]
fn working_hours_keep_their_local_time_across_dst() {
    let mut s = office_only();
    s.working_hours.days = vec![Weekday::Fri, Weekday::Sun, Weekday::Mon];
    let mut sim = Sim::with(s, t(28, 8, 0));
    let log = sim.run_until(t(28, 9, 30));
    assert_eq!(dues(&log), vec![(t(28, 9, 30), PostureCheck)]);
    assert_eq!(
        t(28, 9, 30),
        Utc.with_ymd_and_hms(2025, 3, 28, 8, 30, 0).unwrap()
    );
    sim.answer(PostureCheck, Answer::AllGood);
    // Sunday is the change day itself; Monday is a full CEST day.
    let log = sim.run_until(t(30, 9, 30));
    assert_eq!(dues(&log).last(), Some(&(t(30, 9, 30), PostureCheck)));
    assert_eq!(
        t(30, 9, 30),
        Utc.with_ymd_and_hms(2025, 3, 30, 7, 30, 0).unwrap()
    );
    // Every check on Friday and Sunday fell inside 09:00-18:00 local.
    for (at, _) in dues(&sim.log) {
        let hour = local(at).time();
        assert!(hour >= NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        assert!(hour < NaiveTime::from_hms_opt(18, 0, 0).unwrap());
    }
}

#[test]
fn idle_for_a_break_length_is_a_natural_break_logged_once() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.away.push((t(3, 9, 10), t(3, 9, 20)));
    let log = sim.run_until(t(3, 9, 40));
    let natural: Vec<_> = resolved(&log)
        .into_iter()
        .filter(|r| r.1 == Outcome::Natural)
        .collect();
    assert_eq!(
        natural,
        vec![(MoveBreak, Outcome::Natural, t(3, 9, 20), 600)]
    );
    // Both timers restarted when the user came back.
    assert_eq!(
        sim.sched.next_due(&sim.s, MoveBreak, &local(sim.now)),
        Some(t(3, 10, 20))
    );
    assert_eq!(
        sim.sched.next_due(&sim.s, PostureCheck, &local(sim.now)),
        Some(t(3, 9, 50))
    );
}

#[test]
fn a_short_absence_holds_reminders_until_the_user_is_back() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.away.push((t(3, 9, 27), t(3, 9, 31)));
    let log = sim.run_until(t(3, 9, 35));
    let shown = dues(&log);
    assert_eq!(shown.len(), 1);
    let (at, kind) = shown[0];
    assert_eq!(kind, PostureCheck);
    assert!(at >= t(3, 9, 31) && at <= t(3, 9, 31) + IDLE_POLL, "{at}");
    assert_eq!(due_of(&log, PostureCheck)[0].due_at, t(3, 9, 30));
    assert!(resolved(&log).is_empty(), "4 minutes is no break");
    // While away, the deadline is the next idle sample, never the past.
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.away.push((t(3, 9, 27), t(3, 9, 33)));
    sim.run_until(t(3, 9, 30));
    let deadline = sim.sched.next_deadline(&sim.s, &local(sim.now)).unwrap();
    assert_eq!(deadline, t(3, 9, 30) + IDLE_POLL);
}

#[test]
fn a_natural_break_closes_a_shown_move_break_and_a_started_one_is_taken() {
    let mut s = office_only();
    s.posture.enabled = false;
    let mut sim = Sim::with(s.clone(), t(3, 9, 0));
    sim.away.push((t(3, 10, 2), t(3, 10, 30)));
    let log = sim.run_until(t(3, 10, 31));
    assert_eq!(dues(&log), vec![(t(3, 10, 0), MoveBreak)]);
    assert_eq!(
        resolved(&log),
        vec![(MoveBreak, Outcome::Natural, t(3, 10, 30), 28 * 60)],
        "one entry: the break that answered the reminder"
    );

    let mut sim = Sim::with(s, t(3, 9, 0));
    sim.run_until(t(3, 10, 1));
    sim.sched.start(MoveBreak, t(3, 10, 1)).unwrap();
    sim.away.push((t(3, 10, 2), t(3, 10, 9)));
    let log = sim.run_until(t(3, 10, 10));
    assert_eq!(
        resolved(&log),
        vec![(MoveBreak, Outcome::Taken, t(3, 10, 9), 8 * 60)]
    );
}

#[test]
fn a_natural_break_stops_at_the_end_of_the_working_day() {
    let mut sim = Sim::with(office_only(), t(3, 17, 35));
    sim.away.push((t(3, 17, 50), t(4, 8, 30)));
    let log = sim.run_until(t(4, 9, 0));
    assert_eq!(
        resolved(&log),
        vec![(MoveBreak, Outcome::Natural, t(3, 18, 0), 600)]
    );
    // An absence that began after hours is no break.
    let mut sim = Sim::with(office_only(), t(3, 18, 30));
    sim.away.push((t(3, 19, 0), t(4, 9, 15)));
    let log = sim.run_until(t(4, 9, 20));
    assert!(resolved(&log).is_empty(), "{log:?}");
}

#[test]
fn no_posture_check_right_after_a_break() {
    let mut s = office_only();
    s.reminders.quiet_after_break = Duration::from_secs(5 * 60);
    let mut sim = Sim::with(s, t(3, 9, 0));
    sim.run_until(t(3, 9, 35));
    sim.answer(PostureCheck, Answer::AllGood); // next check due 10:05
    let log = sim.run_until(t(3, 10, 3));
    assert_eq!(dues(&log), vec![(t(3, 10, 0), MoveBreak)]);
    sim.answer(MoveBreak, Answer::Done); // break ends 10:03
    let log = sim.run_until(t(3, 10, 10));
    assert_eq!(dues(&log), vec![(t(3, 10, 8), PostureCheck)]);
}

#[test]
fn a_posture_check_waits_behind_a_move_break_due_with_it() {
    let mut s = office_only();
    s.posture.interval = Duration::from_secs(60 * 60);
    let mut sim = Sim::with(s, t(3, 9, 0));
    let log = sim.run_until(t(3, 10, 2));
    assert_eq!(dues(&log), vec![(t(3, 10, 0), MoveBreak)]);
    sim.answer(MoveBreak, Answer::Skip); // no break: no quiet time
    let log = sim.run_until(t(3, 10, 2));
    assert_eq!(dues(&log), vec![(t(3, 10, 2), PostureCheck)]);
}

#[test]
fn a_completed_routine_counts_as_a_break() {
    let mut sim = Sim::new(t(3, 9, 0));
    sim.run_until(t(3, 9, 40));
    sim.sched.routine_done(&local(sim.now));
    assert_eq!(
        sim.sched.next_due(&sim.s, MoveBreak, &local(sim.now)),
        Some(t(3, 10, 40))
    );
    assert_eq!(
        sim.sched.next_due(&sim.s, Routine, &local(sim.now)),
        Some(t(5, 18, 0))
    );
}

#[test]
fn suspend_is_one_natural_break_with_no_burst_of_stale_reminders() {
    let mut s = office_only();
    s.move_break.interval = Duration::from_secs(2 * 3600);
    let mut sim = Sim::with(s, t(3, 9, 0));
    sim.run_until(t(3, 9, 31));
    sim.answer(PostureCheck, Answer::AllGood);
    sim.run_until(t(3, 10, 1));
    assert_eq!(sim.sched.pending().len(), 1);
    // Lid closed at 10:01, opened at 11:30: the posture check shown at 10:01
    // would have expired at 10:11, the move break was due at 11:00.
    let events = sim.tick(t(3, 11, 30));
    let log: Vec<_> = events.iter().map(|e| (sim.now, e.clone())).collect();
    assert!(dues(&log).is_empty(), "no burst: {events:?}");
    assert_eq!(
        resolved(&log),
        vec![
            (MoveBreak, Outcome::Natural, t(3, 11, 30), 89 * 60),
            (PostureCheck, Outcome::Missed, t(3, 10, 11), 0),
        ]
    );
    assert!(sim.sched.pending().is_empty());
    assert_eq!(
        sim.sched.next_due(&sim.s, MoveBreak, &local(sim.now)),
        Some(t(3, 13, 30))
    );
    let log = sim.run_until(t(3, 12, 0));
    assert_eq!(dues(&log), vec![(t(3, 12, 0), PostureCheck)]);
}

#[test]
fn a_move_break_shown_before_a_suspend_is_closed_by_it() {
    let mut s = office_only();
    s.posture.enabled = false;
    let mut sim = Sim::with(s, t(3, 9, 0));
    sim.run_until(t(3, 10, 1));
    let events = sim.tick(t(3, 11, 30));
    assert_eq!(
        events,
        vec![ScheduleEvent::Resolved {
            kind: MoveBreak,
            outcome: Outcome::Natural,
            due_at: Some(t(3, 10, 0)),
            at: t(3, 11, 30),
            duration_s: 89 * 60,
            held_s: 0,
        }]
    );
}

#[test]
fn waking_after_hours_gives_no_burst_either() {
    // Suspended at 19:00, woken at 11:00 the next day: the 09:30 check and
    // the 10:00 break are not shown at once, and the night is no break.
    let mut sim = Sim::with(office_only(), t(3, 19, 0));
    let events = sim.tick(t(4, 11, 0));
    assert!(events.is_empty(), "{events:?}");
    let log = sim.run_until(t(4, 12, 0));
    assert_eq!(
        dues(&log),
        vec![(t(4, 11, 30), PostureCheck), (t(4, 12, 0), MoveBreak)]
    );
}

#[test]
fn a_jump_while_already_idle_is_still_one_break() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.away.push((t(3, 9, 10), t(3, 11, 0)));
    sim.run_until(t(3, 9, 20));
    // Suspended from 9:20 to 10:50, the user comes back at 11:00.
    sim.now = t(3, 10, 50);
    let log = sim.run_until(t(3, 11, 5));
    assert_eq!(
        resolved(&log),
        vec![(MoveBreak, Outcome::Natural, t(3, 11, 0), 110 * 60)]
    );
}

#[test]
fn snoozed_reminders_that_lapsed_during_a_suspend_are_closed_once() {
    let mut s = office_only();
    s.move_break.enabled = false;
    let mut sim = Sim::with(s, t(3, 9, 0));
    sim.run_until(t(3, 9, 31));
    sim.answer(PostureCheck, Answer::Snooze);
    let events = sim.tick(t(3, 11, 0));
    assert_eq!(
        events,
        vec![ScheduleEvent::Resolved {
            kind: PostureCheck,
            outcome: Outcome::Missed,
            due_at: Some(t(3, 9, 30)),
            at: t(3, 9, 46),
            duration_s: 0,
            held_s: 0,
        }]
    );
    assert!(sim.tick(t(3, 11, 1)).is_empty());
    assert_eq!(
        sim.sched.next_due(&sim.s, PostureCheck, &local(sim.now)),
        Some(t(3, 11, 30))
    );
}

#[test]
fn a_backward_jump_never_panics_nor_stretches_waits() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.run_until(t(3, 11, 31));
    sim.answer(PostureCheck, Answer::Snooze);
    let events = sim.tick(t(3, 8, 0));
    assert!(events.is_empty(), "{events:?}");
    let deadline = sim.sched.next_deadline(&sim.s, &local(sim.now)).unwrap();
    assert!(deadline >= sim.now);
    for p in sim.sched.pending() {
        assert!(p.due_at <= sim.now && p.shown_at <= sim.now);
    }
    // Working hours start 09:00: the posture timer restarts fresh then.
    let log = sim.run_until(t(3, 9, 40));
    for (at, e) in &log {
        if let ScheduleEvent::Resolved {
            due_at, at: when, ..
        } = e
        {
            assert!(due_at.is_none_or(|d| d <= *when), "{e:?} at {at}");
        }
    }
    // A jump back into the far past does not panic either.
    sim.tick(Utc.with_ymd_and_hms(1971, 1, 1, 0, 0, 0).unwrap());
    sim.tick(t(3, 10, 0));
}

#[test]
fn a_kind_switched_off_while_snoozed_is_withdrawn() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.run_until(t(3, 9, 31));
    sim.answer(PostureCheck, Answer::Snooze);
    sim.s.posture.enabled = false;
    let log = sim.run_until(t(3, 9, 40));
    assert_eq!(
        log,
        vec![(
            t(3, 9, 36),
            ScheduleEvent::Withdrawn {
                kind: PostureCheck,
                due_at: t(3, 9, 30)
            }
        )]
    );
}

#[test]
fn a_snooze_that_ends_after_hours_is_missed() {
    let mut sim = Sim::with(office_only(), t(3, 17, 20));
    sim.run_until(t(3, 17, 57));
    sim.answer(PostureCheck, Answer::Snooze);
    let log = sim.run_until(t(3, 20, 0));
    assert!(dues(&log).is_empty());
    assert_eq!(
        resolved(&log),
        vec![(PostureCheck, Outcome::Missed, t(3, 18, 2), 0)]
    );
}

#[test]
fn idle_is_sampled_only_while_it_matters() {
    let mut sim = Sim::with(office_only(), t(3, 10, 0));
    assert_eq!(sim.sched.idle_check_interval(&sim.s), Some(IDLE_POLL));
    assert!((15..=30).contains(&IDLE_POLL.as_secs()));
    sim.run_until(t(3, 19, 0));
    assert_eq!(sim.sched.idle_check_interval(&sim.s), None, "after hours");
    // But it wakes when the next working day begins.
    assert_eq!(
        sim.sched.next_deadline(&sim.s, &local(sim.now)),
        Some(t(4, 9, 0))
    );
    sim.run_until(t(4, 9, 0));
    assert_eq!(sim.sched.idle_check_interval(&sim.s), Some(IDLE_POLL));
    sim.sched.pause(PauseLength::UntilResumed, &local(sim.now));
    assert_eq!(sim.sched.idle_check_interval(&sim.s), None, "paused");
}

#[test]
fn next_deadline_is_now_when_something_is_due() {
    let mut sim = Sim::with(office_only(), t(3, 9, 0));
    sim.tick(t(3, 9, 10));
    // Asked later without an advance: the posture check is overdue.
    let later = local(t(3, 9, 45));
    assert_eq!(sim.sched.next_deadline(&sim.s, &later), Some(t(3, 9, 45)));
    assert_eq!(
        sim.sched.next_due(&sim.s, PostureCheck, &later),
        Some(t(3, 9, 45))
    );
}

#[test]
fn state_survives_a_restart_through_json() {
    let script = |sim: &mut Sim| {
        sim.away.push((t(3, 11, 0), t(3, 11, 12)));
        let mut log = sim.run_until(t(3, 10, 6));
        sim.answer(MoveBreak, Answer::Snooze);
        log.extend(sim.run_until(t(3, 10, 11)));
        sim.answer(MoveBreak, Answer::Done);
        log.extend(sim.run_until(t(3, 10, 17)));
        sim.answer(PostureCheck, Answer::FixedIt);
        log.extend(sim.run_until(t(3, 18, 30)));
        log
    };
    let mut straight = Sim::new(t(3, 9, 0));
    straight.run_until(t(3, 10, 5));
    let json = serde_json::to_string(&straight.sched).unwrap();
    let mut restored = Sim::new(t(3, 9, 0));
    restored.sched = serde_json::from_str(&json).unwrap();
    restored.now = straight.now;
    assert_eq!(restored.sched, straight.sched);
    let a = script(&mut straight);
    let b = script(&mut restored);
    assert!(dues(&a).contains(&(t(3, 10, 16), PostureCheck)));
    assert!(dues(&a).contains(&(t(3, 18, 0), Routine)));
    assert!(resolved(&a).iter().any(|r| r.1 == Outcome::Natural));
    assert_eq!(a, b);
    assert_eq!(straight.sched, restored.sched);
}
