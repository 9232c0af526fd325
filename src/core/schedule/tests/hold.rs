//! Holding reminders back during a call, a full-screen window or
//! do-not-disturb: the spell's end, the grace, the limit, long spells,
//! clock jumps and pauses while holding.

use super::*;
use crate::core::busy::BusyReason;

fn call(sim: &mut Sim, from: DateTime<Utc>, to: DateTime<Utc>) {
    sim.busy.push((from, to, BusyReason::Call));
}

/// Office settings with a long limit, so only the spell's end matters.
fn patient() -> Settings {
    let mut s = office_only();
    s.hold.limit = Duration::from_secs(4 * 3600);
    s
}

fn shown_between(
    log: &[(DateTime<Utc>, ScheduleEvent)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, ReminderKind)> {
    dues(log)
        .into_iter()
        .filter(|(at, _)| from <= *at && *at < to)
        .collect()
}

#[test]
fn a_check_due_in_a_call_waits_for_its_end_and_the_grace() {
    let mut sim = Sim::with(patient(), t(3, 8, 50));
    call(&mut sim, t(3, 9, 20), t(3, 9, 45));
    let log = sim.run_until(t(3, 9, 59));
    assert!(shown_between(&log, t(3, 9, 20), t(3, 9, 45)).is_empty());
    let checks = due_of(&log, PostureCheck);
    assert_eq!(checks.len(), 1, "one check after the call: {log:?}");
    let shown = sim
        .log
        .iter()
        .find(|(_, e)| matches!(e, ScheduleEvent::Due(p) if p.kind == PostureCheck))
        .map(|(at, _)| *at)
        .expect("shown");
    // Seen over within one reading, then the grace.
    assert!(shown >= t(3, 9, 46), "{shown}");
    assert!(
        shown <= t(3, 9, 46) + TimeDelta::seconds(BUSY_RECHECK.as_secs() as i64),
        "{shown}"
    );
    let held = checks[0].held.clone().expect("held");
    assert_eq!(held.reason, BusyReason::Call);
    assert!(!held.quiet);
    assert_eq!(checks[0].due_at, t(3, 9, 30), "it keeps its due time");
    assert!(held.waited_s >= 16 * 60, "{held:?}");
}

#[test]
fn the_grace_is_measured_from_the_end_of_the_spell() {
    let mut s = patient();
    s.hold.grace = Duration::from_secs(5 * 60);
    let mut sim = Sim::with(s, t(3, 8, 50));
    call(&mut sim, t(3, 9, 20), t(3, 9, 40));
    let log = sim.run_until(t(3, 9, 44));
    assert!(due_of(&log, PostureCheck).is_empty(), "still in the grace");
    let log = sim.run_until(t(3, 9, 46));
    assert_eq!(due_of(&log, PostureCheck).len(), 1);
}

#[test]
fn the_limit_shows_a_held_reminder_quietly_while_still_busy() {
    let mut s = office_only();
    s.hold.limit = Duration::from_secs(20 * 60);
    let mut sim = Sim::with(s, t(3, 8, 50));
    call(&mut sim, t(3, 9, 0), t(3, 12, 0));
    let log = sim.run_until(t(3, 9, 51));
    assert_eq!(dues(&log), vec![(t(3, 9, 50), PostureCheck)]);
    let held = due_of(&log, PostureCheck)[0].held.clone().expect("held");
    assert!(held.quiet, "shown without sound while the call goes on");
    assert_eq!(held.waited_s, 20 * 60);
}

#[test]
fn a_long_call_ends_with_one_move_break_first_saying_how_long() {
    let mut sim = Sim::with(patient(), t(3, 8, 50));
    call(&mut sim, t(3, 9, 10), t(3, 10, 50));
    let log = sim.run_until(t(3, 11, 0));
    let shown = dues(&log);
    assert_eq!(shown.len(), 1, "only the move break comes out: {shown:?}");
    assert_eq!(shown[0].1, MoveBreak);
    assert!(shown[0].0 >= t(3, 10, 51));
    let held = due_of(&log, MoveBreak)[0].held.clone().expect("held");
    assert_eq!(
        held.long_spell_line(MoveBreak, sim.s.move_break.interval)
            .as_deref(),
        Some("You've been in a call for 1 h 20 min.")
    );
    assert_eq!(
        held.long_spell_line(PostureCheck, sim.s.move_break.interval),
        None
    );
    // Counted from the first reading, when the check fell due at 09:30
    // (the working day's timers start at 09:00).
    assert_eq!(held.spell_s / 60, 80, "1 h 20 min seen in the call");
    // The posture check waited behind the break and comes after it, once.
    sim.answer(MoveBreak, Answer::Done);
    let log = sim.run_until(t(3, 11, 30));
    assert_eq!(due_of(&log, PostureCheck).len(), 1);
    assert_eq!(due_of(&log, MoveBreak).len(), 0);
}

#[test]
fn a_reminder_asked_for_during_a_call_shows_at_once() {
    let mut sim = Sim::with(patient(), t(3, 8, 50));
    call(&mut sim, t(3, 9, 20), t(3, 11, 0));
    sim.run_until(t(3, 9, 35));
    assert_eq!(sim.sched.holding(), Some(&BusyReason::Call));
    let events = sim.sched.trigger(&sim.s, MoveBreak, &local(sim.now));
    assert!(matches!(&events[..], [ScheduleEvent::Due(p)] if p.kind == MoveBreak));
}

#[test]
fn the_signals_are_read_only_when_a_reminder_is_due_or_held() {
    let mut sim = Sim::with(office_only(), t(3, 8, 50));
    sim.run_until(t(3, 9, 29));
    assert_eq!(sim.busy_reads, 0, "nothing due yet, nothing read");
    let log = sim.run_until(t(3, 17, 0));
    // Every reading is at a deadline where something came out or expired,
    // never at the idle samples in between (over 1,300 of them here).
    let changes = dues(&log).len() + resolved(&log).len();
    assert!(sim.busy_reads <= changes, "{} > {changes}", sim.busy_reads);
    assert_eq!(sim.sched.holding(), None);
}

#[test]
fn a_suspend_during_a_hold_brings_no_burst() {
    let mut sim = Sim::with(patient(), t(3, 8, 50));
    call(&mut sim, t(3, 9, 20), t(3, 13, 0));
    sim.run_until(t(3, 10, 5));
    assert_eq!(sim.sched.holding(), Some(&BusyReason::Call));
    // The lid closes at 10:05 and opens at 14:00, after the call.
    let log = sim.run_until(t(3, 10, 5));
    assert!(dues(&log).is_empty());
    sim.tick(t(3, 14, 0));
    let log = sim.run_until(t(3, 14, 5));
    assert!(dues(&log).len() <= 1, "no burst: {log:?}");
    assert_eq!(sim.sched.holding(), None);
}

#[test]
fn a_clock_set_back_during_a_hold_keeps_deadlines_ahead() {
    let mut sim = Sim::with(patient(), t(3, 8, 50));
    call(&mut sim, t(3, 9, 0), t(3, 10, 0));
    sim.run_until(t(3, 9, 40));
    sim.tick(t(3, 9, 10));
    // run_until asserts that no deadline lies in the past and there is no
    // busy loop.
    let log = sim.run_until(t(3, 10, 10));
    assert!(shown_between(&log, t(3, 9, 0), t(3, 10, 0)).is_empty());
    // One reminder after the call: the move break, now due too, goes first
    // and the posture check waits behind it.
    assert_eq!(dues(&log), vec![(t(3, 10, 1), MoveBreak)], "{log:?}");
}

#[test]
fn a_pause_during_a_hold_shows_nothing_until_resumed() {
    let mut sim = Sim::with(patient(), t(3, 8, 50));
    call(&mut sim, t(3, 9, 20), t(3, 9, 40));
    sim.run_until(t(3, 9, 35));
    let events = sim
        .sched
        .pause(PauseLength::For(Duration::from_secs(3600)), &local(sim.now));
    sim.record(&events);
    let log = sim.run_until(t(3, 10, 30));
    assert!(dues(&log).is_empty(), "paused: {log:?}");
    let log = sim.run_until(t(3, 11, 10));
    // After the pause the timers restart: the check comes one interval later.
    assert_eq!(dues(&log), vec![(t(3, 11, 5), PostureCheck)]);
    assert!(due_of(&log, PostureCheck)[0].held.is_none());
}

#[test]
fn the_routine_waits_for_a_full_screen_video_too() {
    let mut s = Settings::default();
    s.posture.enabled = false;
    s.move_break.enabled = false;
    let mut sim = Sim::with(s, t(3, 17, 0));
    sim.busy
        .push((t(3, 17, 50), t(3, 18, 20), BusyReason::FullScreen));
    let log = sim.run_until(t(3, 18, 30));
    let routines = due_of(&log, Routine);
    assert_eq!(routines.len(), 1);
    assert_eq!(routines[0].due_at, t(3, 18, 0));
    assert_eq!(
        routines[0].held.as_ref().map(|h| h.reason.clone()),
        Some(BusyReason::FullScreen)
    );
    assert!(dues(&log)[0].0 >= t(3, 18, 21));
}

#[test]
fn a_held_state_survives_a_restart() {
    let mut sim = Sim::with(patient(), t(3, 8, 50));
    call(&mut sim, t(3, 9, 20), t(3, 10, 0));
    sim.run_until(t(3, 9, 35));
    let saved = serde_json::to_string(&sim.sched).expect("save");
    let restored: Schedule = serde_json::from_str(&saved).expect("restore");
    assert_eq!(restored, sim.sched);
    assert_eq!(restored.holding(), Some(&BusyReason::Call));
    // A state saved before holding existed still loads.
    let mut old: serde_json::Value = serde_json::from_str(&saved).expect("json");
    let map = old.as_object_mut().expect("object");
    map.remove("busy");
    map.remove("busy_ended");
    let old: Schedule = serde_json::from_value(old).expect("old state loads");
    assert_eq!(old.holding(), None);
}

#[test]
fn a_check_due_after_a_resume_waits_for_a_listed_app() {
    let mut s = Settings::default();
    s.posture.interval = Duration::from_secs(60);
    s.move_break.enabled = false;
    s.routine.enabled = false;
    s.working_hours.days = vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    s.working_hours.start = NaiveTime::from_hms_opt(0, 0, 0).unwrap();
    s.working_hours.end = NaiveTime::from_hms_opt(23, 59, 0).unwrap();
    s.hold.grace = Duration::ZERO;
    let mut sim = Sim::with(s, t(3, 10, 0));
    let events = sim
        .sched
        .pause(PauseLength::For(Duration::from_secs(3600)), &local(sim.now));
    sim.record(&events);
    sim.run_until(t(3, 10, 1));
    sim.busy.push((
        t(3, 10, 0),
        t(3, 10, 4),
        BusyReason::App("rb-fake-call".into()),
    ));
    sim.now = t(3, 10, 2);
    let events = sim.sched.resume(&sim.s, &local(sim.now));
    sim.record(&events);
    let log = sim.run_until(t(3, 10, 3) + TimeDelta::seconds(20));
    assert!(dues(&log).is_empty(), "{log:?}");
    assert_eq!(
        sim.sched.holding(),
        Some(&BusyReason::App("rb-fake-call".into()))
    );
    let log = sim.run_until(t(3, 10, 5));
    assert_eq!(due_of(&log, PostureCheck).len(), 1, "{log:?}");
}

#[test]
fn a_still_user_in_a_long_call_gets_one_move_break_after_it_not_a_natural_break() {
    let mut sim = Sim::with(patient(), t(3, 8, 50));
    // Two hours of a video call without touching the keyboard.
    call(&mut sim, t(3, 9, 10), t(3, 11, 10));
    sim.away.push((t(3, 9, 10), t(3, 11, 10)));
    let log = sim.run_until(t(3, 11, 30));
    let natural: Vec<_> = resolved(&log)
        .into_iter()
        .filter(|(_, outcome, ..)| *outcome == Outcome::Natural)
        .collect();
    assert!(natural.is_empty(), "a call is no break: {natural:?}");
    let shown = dues(&log);
    assert!(
        shown.iter().all(|(at, _)| *at >= t(3, 11, 10)),
        "nothing during the call: {shown:?}"
    );
    assert_eq!(due_of(&log, MoveBreak).len(), 1, "{log:?}");
}

#[test]
fn do_not_disturb_at_an_empty_desk_still_counts_as_away() {
    let mut sim = Sim::with(patient(), t(3, 8, 50));
    sim.busy
        .push((t(3, 9, 10), t(3, 11, 10), BusyReason::DoNotDisturb));
    sim.away.push((t(3, 9, 10), t(3, 10, 30)));
    let log = sim.run_until(t(3, 10, 40));
    assert!(
        resolved(&log)
            .iter()
            .any(|(kind, outcome, ..)| (*kind, *outcome) == (MoveBreak, Outcome::Natural)),
        "{log:?}"
    );
}
