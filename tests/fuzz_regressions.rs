//! Inputs the fuzz targets (tests/fuzz) found mishandled, each pinned as a
//! named test, plus inputs known to break parsers of their kind.

// The daemon harness runs the daemon on a private D-Bus session.
#[cfg(unix)]
#[path = "daemon_common/mod.rs"]
mod daemon_common;

use std::time::Duration;

use chrono::{TimeZone, Utc};
use rebalance::core::model::{Entry, Outcome, ReminderKind};
use rebalance::core::settings::Settings;
use rebalance::core::text_format::{format_duration, parse_duration};
use rebalance::exchange::{Format, export, parse_import, parse_import_as};
use rebalance::ipc::Request;
use rebalance::store::settings_file::{parse_settings, settings_to_toml};

#[cfg(unix)]
use daemon_common::{Harness, describe};

/// Found by `import_damaged_exports`: a JSON Lines object with an empty key
/// was refused with a blank field name ("line 1, field : is not a known
/// field"). The empty key is now shown as `""`.
#[test]
fn an_empty_json_key_is_named_in_the_problem() {
    let line = br#"{"":"2024-03-04T09:30:00+01:00","timestamp":"2024-03-04T09:31:00+01:00","kind":"posture_check","outcome":"fixed"}"#;
    let problems = parse_import(line).expect_err("an unknown key is refused");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, r#""""#);
    assert!(
        problems[0]
            .to_string()
            .starts_with(r#"line 1, field "": is not a known field"#),
        "{}",
        problems[0]
    );

    let line = br#"{"timestamp":"2024-03-04T18:20:00+01:00","kind":"routine","outcome":"completed","exercises":[{"exercise":"glute_bridge","":2}]}"#;
    let problems = parse_import(line).expect_err("an unknown key is refused");
    assert_eq!(problems[0].field, r#"exercises[0]."""#, "{problems:?}");
}

/// Found by `duration_text`: a fraction of a second was dropped when a
/// duration was written ("500ms" became "0m", "1m500ms" became "1m"), so a
/// hand-written settings value changed when the settings were saved.
#[test]
fn a_fraction_of_a_second_survives_being_written() {
    for (duration, text) in [
        (Duration::from_nanos(1), "1ns"),
        (Duration::from_millis(500), "500ms"),
        (Duration::from_millis(60_500), "1m500ms"),
        (Duration::new(3_605, 1_002_003), "1h5s1ms2us3ns"),
    ] {
        assert_eq!(format_duration(duration), text);
        assert_eq!(parse_duration(text), Ok(duration));
    }
    let file = "[reminders]\nquiet_after_break = \"1m500ms\"\n";
    let settings = parse_settings(file.as_bytes()).expect("valid settings");
    assert_eq!(
        settings.reminders.quiet_after_break,
        Duration::from_millis(60_500)
    );
    let saved = settings_to_toml(&settings).expect("serialize");
    assert!(saved.contains("quiet_after_break = \"1m500ms\""), "{saved}");
    assert_eq!(parse_settings(saved.as_bytes()), Ok(settings));
}

/// Found by `import_round_trip`: an entry whose UTC offset has seconds
/// (old local mean time, Amsterdam's +00:19:32) was exported as its local
/// time at +00:19:32 beside the offset rounded to +00:20, so importing the
/// file moved it by 28 s. The time is now written at the offset cut to
/// whole minutes, which RFC 3339 can hold, and the instant stays exact.
#[test]
fn an_offset_with_seconds_keeps_the_instant_through_an_export() {
    let at = Utc
        .with_ymd_and_hms(1900, 3, 4, 10, 0, 0)
        .single()
        .expect("valid time");
    let entry = Entry::new(ReminderKind::PostureCheck, Outcome::Fixed, at, 19 * 60 + 32);
    for format in [Format::Csv, Format::Jsonl] {
        let mut bytes = Vec::new();
        export(std::slice::from_ref(&entry), format, &mut bytes).expect("export");
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert!(text.contains("1900-03-04T10:19:00+00:19"), "{text}");
        let back = parse_import_as(&bytes, format).expect("reads back");
        assert_eq!(back[0].at, at, "{format:?}: the instant moved");
        assert_eq!(back[0].utc_offset_s, 19 * 60);
    }
}

/// Found by `import_damaged_exports`: a due time is exported in the entry's
/// own offset, so one given in another offset could move to the year 0
/// (or 10000) when written back; the file was accepted but its export could
/// not be imported. Such a due time is now refused, naming the year.
#[test]
fn a_due_time_outside_the_years_at_the_entrys_offset_is_refused() {
    let line = br#"{"due":"0001-01-01T00:00:00+23:59","kind":"posture_check","outcome":"all_good","timestamp":"1970-01-01T00:00:00+00:00"}"#;
    let problems = parse_import(line).expect_err("the due time cannot be written back");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].line, problems[0].field.as_str()), (1, "due"));
    assert!(problems[0].message.contains("year 0"), "{}", problems[0]);

    let csv = "timestamp,kind,outcome,duration_s,routine,pain,note,due\n\
               9999-12-31T00:00:00+23:59,posture_check,all_good,0,,,,9999-12-31T00:00:00-23:59\n";
    let problems = parse_import(csv.as_bytes()).expect_err("the due time cannot be written back");
    assert_eq!((problems[0].line, problems[0].field.as_str()), (2, "due"));
    assert!(
        problems[0].message.contains("year 10000"),
        "{}",
        problems[0]
    );

    // The same due time beside a timestamp in its own offset is fine.
    let line = br#"{"due":"0001-01-01T00:00:00+23:59","kind":"posture_check","outcome":"all_good","timestamp":"0001-01-01T00:10:00+23:59"}"#;
    let entries = parse_import(line).expect("a due time in range");
    let mut exported = Vec::new();
    export(&entries, Format::Jsonl, &mut exported).expect("export");
    assert_eq!(parse_import(&exported), Ok(entries));
}

/// Parsers that recurse on nesting can overflow the stack, which aborts the
/// process instead of returning an error.
#[test]
fn deeply_nested_input_is_refused_not_a_stack_overflow() {
    for depth in [200, 10_000, 100_000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let line = format!("{{\"timestamp\":{nested}}}\n");
        assert!(parse_import_as(line.as_bytes(), Format::Jsonl).is_err());
        let request = format!("{{\"request\":\"open\",\"view\":{nested}}}");
        assert!(serde_json::from_str::<Request>(&request).is_err());
        let toml = format!("version = {nested}\n");
        assert!(parse_settings(toml.as_bytes()).is_err(), "array {depth}");
        let inline = format!("posture = {}{}\n", "{a=".repeat(depth), "}".repeat(depth));
        assert!(parse_settings(inline.as_bytes()).is_err(), "table {depth}");
        // Unknown keys may be ignored or refused; what matters is an answer.
        let dotted = format!("{} = 1\n", vec!["a"; depth].join("."));
        let _ = parse_settings(dotted.as_bytes());
        let headers = format!("[{}]\n", vec!["a"; depth].join("."));
        let _ = parse_settings(headers.as_bytes());
    }
}

/// Numbers beyond every integer type, and durations beyond `u64` seconds,
/// must be refused with a reason rather than wrap or panic.
#[test]
fn numbers_too_large_for_any_type_are_refused() {
    assert!(parse_duration("584942417355y").is_err());
    assert!(parse_duration("99999999999999999999999h").is_err());
    let line = br#"{"timestamp":"2024-03-04T09:30:00+01:00","kind":"move_break","outcome":"taken","duration_s":18446744073709551616}"#;
    assert!(parse_import(line).is_err());
    let file = "[posture]\ninterval = \"584942417355y\"\n";
    assert!(parse_settings(file.as_bytes()).is_err());
    let file = "version = 99999999999999999999\n";
    assert!(parse_settings(file.as_bytes()).is_err());
    assert_eq!(
        parse_settings(b"version = 1\n"),
        Ok(Settings::default()),
        "the control case reads"
    );
}

/// Found by reading what `ipc_decode` accepts: a request that decodes may
/// still carry an entry the log refuses (here a pain score of 11). The
/// daemon answered `Ok`, closed the pending reminder with it, and then
/// failed to write it, so the answer was acknowledged and lost. It is now
/// refused before anything changes.
// The daemon harness (tests/daemon_common) runs the daemon on a private D-Bus session bus.
#[cfg(unix)]
#[test]
fn a_recorded_entry_the_log_refuses_is_refused_before_it_closes_a_reminder() {
    use rebalance::ipc::{Response, client};
    use rebalance::store::Store;
    let Some(harness) = Harness::start(true) else {
        return;
    };
    let server = harness
        .notifications
        .as_ref()
        .expect("a notification server");
    let out = harness.run(&["check"]);
    assert!(out.status.success(), "{}", describe(&out));
    server.wait_for_call(1);
    assert!(
        harness
            .status()
            .pending_of(ReminderKind::PostureCheck)
            .is_some()
    );

    let mut entry = Entry::new(ReminderKind::PostureCheck, Outcome::AllGood, Utc::now(), 0);
    entry.pain = Some(11);
    let reply = client::send(
        &harness.socket(),
        &Request::Record {
            entry: entry.clone(),
        },
    )
    .expect("a reply");
    match reply {
        Response::Error { message } => assert!(message.contains("pain"), "{message}"),
        other => panic!("an entry the log refuses was acknowledged: {other:?}"),
    }
    assert!(
        harness
            .status()
            .pending_of(ReminderKind::PostureCheck)
            .is_some(),
        "the refused entry closed the reminder"
    );

    entry.pain = None;
    let reply = client::send(&harness.socket(), &Request::Record { entry }).expect("a reply");
    assert_eq!(reply, Response::Ok);
    assert!(
        harness
            .status()
            .pending_of(ReminderKind::PostureCheck)
            .is_none()
    );
    let store = Store::open(&harness.db_file()).expect("open the log");
    let now = Utc::now();
    let logged = store
        .entries_between(
            now - chrono::Duration::days(1),
            now + chrono::Duration::days(1),
        )
        .expect("read the log");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].pain, None);
}
