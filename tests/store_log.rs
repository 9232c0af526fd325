//! The log as the views use it: writing, correcting, undoing and reading
//! entries by day, summaries, imports, pauses and saved state.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use rebalance::core::catalog::Catalog;
use rebalance::core::model::{Entry, ExerciseDone, Outcome, ReminderKind};
use rebalance::store::{Store, StoreError};

/// An entry at a local wall-clock time with a whole-hour UTC offset.
fn entry_at(kind: ReminderKind, outcome: Outcome, local: &str, offset_h: i32) -> Entry {
    let offset = FixedOffset::east_opt(offset_h * 3600).expect("test offset");
    let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("test time");
    let at = offset
        .from_local_datetime(&naive)
        .single()
        .expect("fixed offsets are unambiguous")
        .with_timezone(&Utc);
    Entry::new(kind, outcome, at, offset_h * 3600)
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

fn session(local: &str, offset_h: i32) -> Entry {
    let mut e = entry_at(ReminderKind::Routine, Outcome::Completed, local, offset_h);
    e.duration_s = 9 * 60 + 20;
    e.routine = Some("mini".into());
    e.pain = Some(4);
    e.note = "left hip tight".into();
    e.due_at = Some(e.at - Duration::minutes(12));
    e.held_s = 7 * 60;
    e.exercises = vec![
        ExerciseDone {
            exercise: "glute_bridge".into(),
            sets: 2,
            reps: 12,
            hold_s: 0,
            per_side: false,
        },
        ExerciseDone {
            exercise: "bird_dog".into(),
            sets: 2,
            reps: 8,
            hold_s: 0,
            per_side: true,
        },
    ];
    e
}

fn store() -> Store {
    Store::open_in_memory().expect("in-memory store")
}

#[test]
fn an_entry_comes_back_exactly_as_written() {
    let mut s = store();
    let e = session("2024-05-02 18:40", 2);
    let id = s.add_entry(&e).expect("add");
    let back = s.entry(id).expect("read").expect("present");
    assert_eq!(back, Entry { id: Some(id), ..e });
    assert_eq!(s.entry(id + 1).expect("read"), None);
}

#[test]
fn days_follow_the_local_time_the_entry_was_made_in() {
    let mut s = store();
    // 23:30 in Berlin summer time is 21:30 UTC on the same day; 00:30 in
    // Tokyo on the 3rd is 15:30 UTC on the 2nd.
    let late = s
        .add_entry(&entry_at(
            ReminderKind::PostureCheck,
            Outcome::AllGood,
            "2024-05-02 23:30",
            2,
        ))
        .expect("add");
    let tokyo = s
        .add_entry(&entry_at(
            ReminderKind::MoveBreak,
            Outcome::Taken,
            "2024-05-03 00:30",
            9,
        ))
        .expect("add");
    let ids = |es: Vec<Entry>| es.into_iter().filter_map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s
            .entries_on_days(day("2024-05-02"), day("2024-05-02"))
            .expect("q")),
        vec![late]
    );
    assert_eq!(
        ids(s
            .entries_on_days(day("2024-05-03"), day("2024-05-03"))
            .expect("q")),
        vec![tokyo]
    );
    // Both days inclusive, oldest first (Tokyo's entry happened earlier in UTC).
    assert_eq!(
        ids(s
            .entries_on_days(day("2024-05-02"), day("2024-05-03"))
            .expect("q")),
        vec![tokyo, late]
    );
    assert!(
        s.entries_on_days(day("2024-05-04"), day("2024-05-10"))
            .expect("q")
            .is_empty()
    );
}

#[test]
fn entries_between_includes_the_start_and_excludes_the_end() {
    let mut s = store();
    let start = Utc
        .with_ymd_and_hms(2024, 1, 8, 0, 0, 0)
        .single()
        .expect("time");
    let mut ids = Vec::new();
    for minutes in [-1, 0, 30, 60] {
        let e = Entry::new(
            ReminderKind::PostureCheck,
            Outcome::Fixed,
            start + Duration::minutes(minutes),
            0,
        );
        ids.push(s.add_entry(&e).expect("add"));
    }
    let got: Vec<_> = s
        .entries_between(start, start + Duration::minutes(60))
        .expect("q")
        .into_iter()
        .filter_map(|e| e.id)
        .collect();
    assert_eq!(got, ids[1..3].to_vec());
}

#[test]
fn a_missed_session_added_afterwards_shows_on_its_own_day() {
    let mut s = store();
    s.add_entry(&entry_at(
        ReminderKind::PostureCheck,
        Outcome::AllGood,
        "2024-05-06 10:00",
        2,
    ))
    .expect("add");
    // Logged on the 6th for a session done on the evening of the 4th.
    let id = s.add_entry(&session("2024-05-04 19:15", 2)).expect("add");
    let on_4th = s
        .entries_on_days(day("2024-05-04"), day("2024-05-04"))
        .expect("q");
    assert_eq!(on_4th.len(), 1);
    assert_eq!(on_4th[0].id, Some(id));
    let summary = s.day_summary(day("2024-05-04")).expect("summary");
    assert_eq!(summary.count(ReminderKind::Routine, Outcome::Completed), 1);
    assert_eq!(summary.routine_minutes, 9);
    assert_eq!(
        s.day_summary(day("2024-05-05"))
            .expect("summary")
            .total(ReminderKind::Routine),
        0
    );
}

#[test]
fn a_corrected_entry_replaces_the_old_one_with_its_exercises() {
    let mut s = store();
    let id = s.add_entry(&session("2024-05-02 18:40", 2)).expect("add");
    let mut fixed = s.entry(id).expect("read").expect("present");
    fixed.outcome = Outcome::Partial;
    fixed.pain = None;
    fixed.note = "stopped after bridges".into();
    fixed.exercises.truncate(1);
    fixed.at -= Duration::days(1);
    s.update_entry(&fixed).expect("update");
    assert_eq!(s.entry(id).expect("read"), Some(fixed.clone()));
    assert!(
        s.entries_on_days(day("2024-05-02"), day("2024-05-02"))
            .expect("q")
            .is_empty()
    );
    assert_eq!(
        s.entries_on_days(day("2024-05-01"), day("2024-05-01"))
            .expect("q"),
        vec![fixed.clone()]
    );

    let missing = Entry {
        id: Some(id + 100),
        ..fixed
    };
    assert!(matches!(s.update_entry(&missing), Err(StoreError::NotFound(n)) if n == id + 100));
}

#[test]
fn a_deleted_entry_can_be_restored_with_its_id_even_after_newer_entries() {
    let mut s = store();
    let first = s.add_entry(&session("2024-05-02 18:40", 2)).expect("add");
    let last = s.add_entry(&session("2024-05-03 18:40", 2)).expect("add");
    let deleted = s.delete_entry(last).expect("delete");
    assert_eq!(deleted.id, Some(last));
    assert_eq!(deleted.exercises.len(), 2);
    assert_eq!(s.entry(last).expect("read"), None);
    // The daemon logs something while the undo bar is showing: it must not
    // take the deleted entry's id.
    let newer = s
        .add_entry(&entry_at(
            ReminderKind::PostureCheck,
            Outcome::AllGood,
            "2024-05-03 19:00",
            2,
        ))
        .expect("add");
    assert_ne!(newer, last);
    assert_eq!(s.restore_entry(&deleted).expect("restore"), last);
    assert_eq!(s.entry(last).expect("read"), Some(deleted.clone()));
    assert!(matches!(
        s.restore_entry(&deleted),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.delete_entry(newer + 1),
        Err(StoreError::NotFound(_))
    ));
    assert!(s.entry(first).expect("read").is_some());
}

#[test]
fn entries_that_make_no_sense_are_refused_with_a_reason() {
    let mut s = store();
    let wrong_outcome = entry_at(
        ReminderKind::PostureCheck,
        Outcome::Taken,
        "2024-05-02 10:00",
        0,
    );
    let err = s.add_entry(&wrong_outcome).expect_err("refused");
    assert!(err.to_string().contains("posture check"), "{err}");
    let mut too_painful = session("2024-05-02 10:00", 0);
    too_painful.pain = Some(11);
    let err = s.add_entry(&too_painful).expect_err("refused");
    assert!(err.to_string().contains("between 0 and 10"), "{err}");
    let mut bad_offset = session("2024-05-02 10:00", 0);
    bad_offset.utc_offset_s = 90_000;
    assert!(matches!(
        s.add_entry(&bad_offset),
        Err(StoreError::Invalid(_))
    ));
    assert!(
        s.entries_on_days(day("2024-05-01"), day("2024-05-03"))
            .expect("q")
            .is_empty()
    );
}

#[test]
fn the_day_summary_counts_each_kind_and_outcome_and_routine_minutes() {
    let mut s = store();
    let d = "2024-05-02";
    for (kind, outcome) in [
        (ReminderKind::PostureCheck, Outcome::AllGood),
        (ReminderKind::PostureCheck, Outcome::AllGood),
        (ReminderKind::PostureCheck, Outcome::Fixed),
        (ReminderKind::PostureCheck, Outcome::Missed),
        (ReminderKind::MoveBreak, Outcome::Natural),
        (ReminderKind::MoveBreak, Outcome::Skipped),
    ] {
        s.add_entry(&entry_at(kind, outcome, &format!("{d} 11:00"), 1))
            .expect("add");
    }
    let mut partial = session(&format!("{d} 18:00"), 1);
    partial.outcome = Outcome::Partial;
    partial.duration_s = 4 * 60 + 40;
    s.add_entry(&partial).expect("add");
    s.add_entry(&session(&format!("{d} 20:00"), 1))
        .expect("add");
    let mut skipped = session(&format!("{d} 21:00"), 1);
    skipped.outcome = Outcome::Skipped;
    skipped.duration_s = 600;
    s.add_entry(&skipped).expect("add");

    let sum = s.day_summary(day(d)).expect("summary");
    assert_eq!(sum.count(ReminderKind::PostureCheck, Outcome::AllGood), 2);
    assert_eq!(sum.done(ReminderKind::PostureCheck), 3);
    assert_eq!(sum.total(ReminderKind::PostureCheck), 4);
    assert_eq!(sum.done(ReminderKind::MoveBreak), 1);
    assert_eq!(sum.count(ReminderKind::Routine, Outcome::Skipped), 1);
    // 4:40 + 9:20 of work; the skipped session's time does not count.
    assert_eq!(sum.routine_minutes, 14);
    let nested = sum.by_kind();
    assert_eq!(nested[&ReminderKind::PostureCheck][&Outcome::Missed], 1);
    assert_eq!(nested[&ReminderKind::MoveBreak].len(), 2);
    assert_eq!(
        s.day_summary(day("2024-05-03")).expect("summary"),
        Default::default()
    );
}

#[test]
fn import_adds_new_entries_once_and_skips_exact_duplicates() {
    let mut s = store();
    let kept = session("2024-05-02 18:40", 2);
    s.add_entry(&kept).expect("add");
    let posture = entry_at(
        ReminderKind::PostureCheck,
        Outcome::Fixed,
        "2024-05-02 10:00",
        2,
    );
    let mut other_exercises = kept.clone();
    other_exercises.exercises[1].reps = 10;
    let mut other_note = kept.clone();
    other_note.note.push('!');
    let batch = vec![
        Entry {
            id: Some(999),
            ..kept.clone()
        },
        posture.clone(),
        posture.clone(),
        other_exercises.clone(),
        other_note.clone(),
    ];
    let counts = s.import_entries(&batch).expect("import");
    assert_eq!((counts.added, counts.duplicates), (3, 2));
    let again = s.import_entries(&batch).expect("import again");
    assert_eq!((again.added, again.duplicates), (0, 5));
    let stored = s
        .entries_on_days(day("2024-05-02"), day("2024-05-02"))
        .expect("q");
    assert_eq!(stored.len(), 4);
    let without_ids: Vec<Entry> = stored
        .into_iter()
        .map(|e| Entry { id: None, ..e })
        .collect();
    for e in [&kept, &posture, &other_exercises, &other_note] {
        assert!(without_ids.contains(e), "missing {e:?}");
    }
}

#[test]
fn an_import_with_one_bad_entry_changes_nothing() {
    let mut s = store();
    s.add_entry(&session("2024-05-01 18:40", 2)).expect("add");
    let mut bad = session("2024-05-03 18:40", 2);
    bad.pain = Some(12);
    let batch = vec![session("2024-05-02 18:40", 2), bad];
    let err = s.import_entries(&batch).expect_err("refused");
    assert!(err.to_string().contains("entry 2 of the import"), "{err}");
    assert_eq!(
        s.entries_on_days(day("2024-05-01"), day("2024-05-31"))
            .expect("q")
            .len(),
        1
    );
}

#[test]
fn pauses_are_recorded_and_resuming_ends_the_current_one() {
    let mut s = store();
    let t0 = Utc
        .with_ymd_and_hms(2024, 5, 2, 9, 0, 0)
        .single()
        .expect("time");
    s.record_pause(t0, Some(t0 + Duration::hours(1)), 7200)
        .expect("pause");
    // A second pause while the first holds ends the first.
    let t1 = t0 + Duration::minutes(20);
    s.record_pause(t1, None, 7200).expect("pause");
    s.record_resume(t1 + Duration::minutes(5)).expect("resume");
    // Nothing is paused now: resuming again changes nothing.
    s.record_resume(t1 + Duration::minutes(50)).expect("resume");
    let pauses = s.pauses_between(t0, t0 + Duration::days(1)).expect("q");
    assert_eq!(pauses.len(), 2);
    assert_eq!(pauses[0].end(), Some(t1));
    assert_eq!(pauses[1].until, None);
    assert_eq!(pauses[1].end(), Some(t1 + Duration::minutes(5)));
    assert!(matches!(
        s.record_pause(t1, Some(t1), 0),
        Err(StoreError::Invalid(_))
    ));
}

#[test]
fn state_is_saved_replaced_and_must_be_json() {
    let mut s = store();
    assert_eq!(s.load_state("schedule").expect("load"), None);
    s.save_state("schedule", r#"{"v":1}"#).expect("save");
    s.save_state("schedule", r#"{"v":2}"#).expect("save");
    assert_eq!(
        s.load_state("schedule").expect("load").as_deref(),
        Some(r#"{"v":2}"#)
    );
    assert!(matches!(
        s.save_state("schedule", "{oops"),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        s.load_state("schedule").expect("load").as_deref(),
        Some(r#"{"v":2}"#)
    );
}

#[test]
fn user_routines_keep_their_order_when_edited() {
    let mut s = store();
    let catalog = Catalog::builtin();
    let first_id = catalog.routines()[0].id.clone();
    let mut a = catalog.duplicate_routine(&first_id).expect("copy");
    a.id = "mine_a".into();
    let mut b = a.clone();
    b.id = "mine_b".into();
    b.name = "Evening".into();
    s.save_user_routine(&a).expect("save");
    s.save_user_routine(&b).expect("save");
    a.name = "Morning".into();
    a.steps.pop();
    s.save_user_routine(&a).expect("save");
    assert_eq!(s.user_routines().expect("load"), vec![a.clone(), b.clone()]);
    s.delete_user_routine("mine_a").expect("delete");
    s.delete_user_routine("mine_a")
        .expect("deleting twice is harmless");
    assert_eq!(s.user_routines().expect("load"), vec![b]);
}

#[test]
fn times_before_and_after_a_dst_change_land_on_their_local_days() {
    let mut s = store();
    // Europe/Berlin: +01:00 until 2024-03-31 02:00, +02:00 after.
    let before = entry_at(
        ReminderKind::MoveBreak,
        Outcome::Taken,
        "2024-03-30 23:50",
        1,
    );
    let after = entry_at(
        ReminderKind::MoveBreak,
        Outcome::Taken,
        "2024-03-31 00:10",
        2,
    );
    s.add_entry(&before).expect("add");
    s.add_entry(&after).expect("add");
    let on = |d| {
        s.day_summary(day(d))
            .expect("summary")
            .done(ReminderKind::MoveBreak)
    };
    assert_eq!((on("2024-03-30"), on("2024-03-31")), (1, 1));
    let at: DateTime<Utc> = after.at;
    assert_eq!(
        s.entries_between(at, at + Duration::seconds(1)).expect("q")[0].utc_offset_s,
        7200
    );
}
