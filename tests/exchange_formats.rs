//! The CSV and JSON Lines formats: what export writes, that import reads it
//! back exactly, and that every kind of damaged file is refused with the
//! line and field at fault.

use chrono::{DateTime, TimeZone, Utc};
use rebalance::core::model::{Entry, ExerciseDone, Outcome, ReminderKind};
use rebalance::exchange::{Format, ImportProblem, export, parse_import, parse_import_as};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("test time")
        .with_timezone(&Utc)
}

fn sample_log() -> Vec<Entry> {
    let mut check = Entry::new(
        ReminderKind::PostureCheck,
        Outcome::Fixed,
        at("2024-03-04T09:30:00+01:00"),
        3600,
    );
    check.due_at = Some(at("2024-03-04T09:29:00+01:00"));
    let mut walk = Entry::new(
        ReminderKind::MoveBreak,
        Outcome::Natural,
        Utc.with_ymd_and_hms(2024, 3, 31, 0, 59, 30).unwrap() + chrono::Duration::milliseconds(250),
        7200,
    );
    walk.duration_s = 412;
    let mut session = Entry::new(
        ReminderKind::Routine,
        Outcome::Completed,
        at("2024-03-05T18:20:00-05:00"),
        -5 * 3600,
    );
    session.duration_s = 540;
    session.routine = Some("mini".to_owned());
    session.pain = Some(4);
    session.note = "left side, \"tight\" after the drive,\nbetter later; 100%".to_owned();
    session.due_at = Some(at("2024-03-05T18:00:00-05:00"));
    session.exercises = vec![
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
    let skipped = Entry::new(
        ReminderKind::Routine,
        Outcome::Skipped,
        at("2024-03-07T18:05:00+00:00"),
        0,
    );
    vec![check, walk, session, skipped]
}

fn exported(format: Format, entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let written = export(entries, format, &mut out).expect("export to memory");
    assert_eq!(written, entries.len());
    out
}

fn problems(bytes: &[u8]) -> Vec<ImportProblem> {
    match parse_import(bytes) {
        Ok(entries) => panic!("accepted a bad file: {entries:?}"),
        Err(problems) => problems,
    }
}

fn assert_one_problem(bytes: &[u8], line: usize, field: &str, words: &str) {
    let found = problems(bytes);
    assert!(
        found
            .iter()
            .any(|p| p.line == line && p.field == field && p.message.contains(words)),
        "wanted line {line}, field {field}, \"{words}\"; got {found:#?}"
    );
}

const HEADER: &str = "timestamp,kind,outcome,duration_s,routine,pain,note,due,exercises\n";
const GOOD_ROW: &str = "2024-03-04T09:30:00+01:00,posture_check,all_good,0,,,,,\n";

#[test]
fn csv_has_the_documented_header_and_rows() {
    let text = String::from_utf8(exported(Format::Csv, &sample_log())).expect("utf-8");
    let mut lines = text.lines();
    // Export adds the optional last column; imports may leave it out.
    assert_eq!(
        lines.next().map(str::to_owned),
        Some(format!("{},held_s", HEADER.trim_end()))
    );
    assert_eq!(
        lines.next(),
        Some("2024-03-04T09:30:00+01:00,posture_check,fixed,0,,,,2024-03-04T09:29:00+01:00,,0")
    );
    assert_eq!(
        lines.next(),
        Some("2024-03-31T02:59:30.250+02:00,move_break,natural,412,,,,,,0")
    );
    assert!(text.contains(
        "2024-03-05T18:20:00-05:00,routine,completed,540,mini,4,\"left side, \"\"tight\"\" after the drive,\nbetter later; 100%\",2024-03-05T18:00:00-05:00,glute_bridge:2x10;bird_dog:2x8s/side,0\n"
    ));
}

#[test]
fn jsonl_has_one_object_per_line_with_the_same_names() {
    let text = String::from_utf8(exported(Format::Jsonl, &sample_log())).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0],
        r#"{"timestamp":"2024-03-04T09:30:00+01:00","kind":"posture_check","outcome":"fixed","duration_s":0,"routine":null,"pain":null,"note":"","due":"2024-03-04T09:29:00+01:00","exercises":[],"held_s":0}"#
    );
    let session: serde_json::Value = serde_json::from_str(lines[2]).expect("json");
    assert_eq!(session["pain"], 4);
    assert_eq!(session["exercises"][1]["exercise"], "bird_dog");
    assert_eq!(session["exercises"][1]["hold_s"], 8);
    assert_eq!(session["exercises"][1]["per_side"], true);
}

#[test]
fn both_formats_read_back_exactly_what_was_written() {
    let log = sample_log();
    for format in [Format::Csv, Format::Jsonl] {
        let bytes = exported(format, &log);
        assert_eq!(Format::sniff(&bytes), format);
        assert_eq!(parse_import(&bytes).as_ref(), Ok(&log), "{format:?}");
        assert_eq!(parse_import_as(&bytes, format).as_ref(), Ok(&log));
    }
}

#[test]
fn an_empty_export_imports_as_nothing() {
    for format in [Format::Csv, Format::Jsonl] {
        let bytes = exported(format, &[]);
        assert_eq!(parse_import_as(&bytes, format), Ok(Vec::new()));
    }
}

#[test]
fn csv_without_the_extra_columns_in_any_order_is_accepted() {
    let file = "kind,timestamp,outcome,duration_s,routine,pain,note\r\n\
                routine,2024-03-05T18:20:00+01:00,partial,,mini,3,\r\n\
                \r\n\
                move_break,2024-03-05T10:00:00+01:00,taken,300,,,\r\n";
    let entries = parse_import(file.as_bytes()).expect("valid file");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].outcome, Outcome::Partial);
    assert_eq!(entries[0].duration_s, 0);
    assert_eq!(entries[0].pain, Some(3));
    assert_eq!(entries[0].utc_offset_s, 3600);
    assert_eq!(entries[1].duration_s, 300);
    assert!(entries[1].exercises.is_empty() && entries[1].due_at.is_none());
}

#[test]
fn jsonl_needs_only_timestamp_kind_and_outcome() {
    let file = "\u{feff}{\"timestamp\":\"2024-03-05T18:20:00Z\",\"kind\":\"routine\",\"outcome\":\"completed\",\"pain\":2}\n\n";
    let entries = parse_import(file.as_bytes()).expect("valid file");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].pain, Some(2));
    assert_eq!(entries[0].utc_offset_s, 0);
}

#[test]
fn csv_problems_name_line_and_field() {
    let bad_time =
        format!("{HEADER}{GOOD_ROW}2024-13-01T09:00:00+01:00,posture_check,all_good,0,,,,,\n");
    assert_one_problem(bad_time.as_bytes(), 3, "timestamp", "2024-13-01");

    let no_offset = format!("{HEADER}2024-03-01T09:00:00,posture_check,all_good,0,,,,,\n");
    assert_one_problem(no_offset.as_bytes(), 2, "timestamp", "offset");

    let unknown_kind =
        format!("{HEADER}{GOOD_ROW}{GOOD_ROW}2024-03-04T10:00:00+01:00,stretch,taken,0,,,,,\n");
    assert_one_problem(
        unknown_kind.as_bytes(),
        4,
        "kind",
        "\"stretch\" is not a kind",
    );

    let wrong_outcome = format!("{HEADER}2024-03-04T10:00:00+01:00,posture_check,taken,0,,,,,\n");
    assert_one_problem(wrong_outcome.as_bytes(), 2, "outcome", "all_good");

    let pain_11 =
        format!("{HEADER}{GOOD_ROW}2024-03-04T18:00:00+01:00,routine,completed,600,mini,11,,,\n");
    assert_one_problem(pain_11.as_bytes(), 3, "pain", "pain 11");

    let negative = format!("{HEADER}2024-03-04T10:00:00+01:00,move_break,taken,-30,,,,,\n");
    assert_one_problem(negative.as_bytes(), 2, "duration_s", "negative");

    let columns =
        format!("{HEADER}2024-03-04T10:00:00+01:00,move_break,taken,30,,,,,,extra\n{GOOD_ROW}");
    assert_one_problem(
        columns.as_bytes(),
        2,
        "(row)",
        "has 10 columns; the header has 9",
    );

    let exercises = format!(
        "{HEADER}2024-03-04T18:00:00+01:00,routine,completed,600,mini,,,,glute_bridge:two\n"
    );
    assert_one_problem(exercises.as_bytes(), 2, "exercises", "item 1");
}

#[test]
fn a_multi_line_note_does_not_shift_later_line_numbers() {
    let file = format!(
        "{HEADER}2024-03-04T18:00:00+01:00,routine,completed,600,mini,,\"one\ntwo\nthree\",,\n\n2024-03-04T19:00:00+01:00,routine,completed,600,mini,12,,,\n"
    );
    assert_one_problem(file.as_bytes(), 6, "pain", "pain 12");
}

#[test]
fn crlf_line_ends_keep_line_numbers_right() {
    let file = "timestamp,kind,outcome,duration_s,routine,pain,note\r\n\
                2024-03-04T09:30:00+01:00,posture_check,all_good,0,,,\r\n\
                2024-03-04T09:30:00+01:00,posture_check,all_good,0,,,\r\n\
                2024-03-04T09:30:00+01:00,posture_check,nope,0,,,\r\n";
    assert_one_problem(file.as_bytes(), 4, "outcome", "nope");
}

#[test]
fn every_problem_in_a_file_is_listed_not_just_the_first() {
    let file = format!(
        "{HEADER}2024-03-04T10:00:00+01:00,stretch,taken,0,,,,,\n{GOOD_ROW}2024-03-04T18:00:00+01:00,routine,completed,-1,mini,11,,,\n"
    );
    let found = problems(file.as_bytes());
    let places: Vec<(usize, &str)> = found.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(places, vec![(2, "kind"), (4, "duration_s"), (4, "pain")]);
    assert_eq!(
        found[0].to_string(),
        format!("line 2, field kind: {}", found[0].message)
    );
}

#[test]
fn a_truncated_last_line_is_called_cut_short() {
    let file = format!("{HEADER}{GOOD_ROW}2024-03-04T10:00:00+01:00,move_bre");
    assert_one_problem(file.as_bytes(), 3, "(row)", "cut short");

    let open_quote = format!(
        "{HEADER}{GOOD_ROW}2024-03-04T10:00:00+01:00,move_break,taken,0,,,\"never closed\n"
    );
    assert_one_problem(open_quote.as_bytes(), 3, "(row)", "cut short");

    let jsonl = "{\"timestamp\":\"2024-03-05T18:20:00Z\",\"kind\":\"routine\",\"outcome\":\"completed\"}\n{\"timestamp\":\"2024-03-06T18:";
    assert_one_problem(jsonl.as_bytes(), 2, "(row)", "cut short");
}

#[test]
fn invalid_utf8_is_refused_with_its_place() {
    let mut csv = format!("{HEADER}{GOOD_ROW}").into_bytes();
    csv.extend_from_slice(b"2024-03-04T18:00:00+01:00,routine,completed,600,mini,,caf\xE9,,\n");
    assert_one_problem(&csv, 3, "note", "UTF-8");

    let mut jsonl = b"{\"timestamp\":\"2024-03-05T18:20:00Z\",\"kind\":\"routine\",\"outcome\":\"completed\"}\n".to_vec();
    jsonl.extend_from_slice(b"{\"timestamp\":\"2024-03-05T18:20:00Z\",\"kind\":\"routine\",\"outcome\":\"completed\",\"note\":\"caf\xE9\"}\n");
    assert_one_problem(&jsonl, 2, "(row)", "UTF-8");
}

#[test]
fn a_missing_header_or_column_is_refused() {
    assert_one_problem(
        GOOD_ROW.repeat(3).as_bytes(),
        1,
        "header",
        "header row is missing",
    );

    let no_pain = "timestamp,kind,outcome,duration_s,routine,note\n2024-03-04T09:30:00+01:00,posture_check,all_good,0,,\n";
    assert_one_problem(no_pain.as_bytes(), 1, "pain", "missing from the header");

    let typo = "timestamp,kind,outcome,duration_s,routine,pain,note,pian\n";
    assert_one_problem(typo.as_bytes(), 1, "pian", "not a known column");

    let twice = "timestamp,kind,outcome,duration_s,routine,pain,note,kind\n";
    assert_one_problem(twice.as_bytes(), 1, "kind", "twice");
}

#[test]
fn jsonl_problems_name_line_and_key() {
    let good = "{\"timestamp\":\"2024-03-05T18:20:00+01:00\",\"kind\":\"routine\",\"outcome\":\"completed\"}\n";
    let cases: [(&str, &str, &str); 9] = [
        (
            r#"{"timestamp":"monday","kind":"routine","outcome":"completed"}"#,
            "timestamp",
            "monday",
        ),
        (
            r#"{"timestamp":"2024-03-05T18:20:00Z","kind":"nap","outcome":"completed"}"#,
            "kind",
            "nap",
        ),
        (
            r#"{"timestamp":"2024-03-05T18:20:00Z","kind":"move_break","outcome":"fixed"}"#,
            "outcome",
            "taken",
        ),
        (
            r#"{"timestamp":"2024-03-05T18:20:00Z","kind":"routine","outcome":"completed","pain":11}"#,
            "pain",
            "pain 11",
        ),
        (
            r#"{"timestamp":"2024-03-05T18:20:00Z","kind":"routine","outcome":"completed","duration_s":-4}"#,
            "duration_s",
            "negative",
        ),
        (
            r#"{"timestamp":"2024-03-05T18:20:00Z","kind":"routine","outcome":"completed","duration_s":"300"}"#,
            "duration_s",
            "whole number",
        ),
        (
            r#"{"timestamp":"2024-03-05T18:20:00Z","outcome":"completed"}"#,
            "kind",
            "missing",
        ),
        (
            r#"{"timestamp":"2024-03-05T18:20:00Z","kind":"routine","outcome":"completed","exercises":[{"exercise":"bird_dog","sets":-2}]}"#,
            "exercises[0].sets",
            "negative",
        ),
        (
            r#"["2024-03-05T18:20:00Z","routine","completed"]"#,
            "(row)",
            "JSON object",
        ),
    ];
    for (line, field, words) in cases {
        let file = format!("{good}\n{line}\n");
        assert_one_problem(file.as_bytes(), 3, field, words);
    }
    let unknown = "{\"timestamp\":\"2024-03-05T18:20:00Z\",\"kind\":\"routine\",\"outcome\":\"completed\",\"mood\":3}\n";
    assert_one_problem(unknown.as_bytes(), 1, "mood", "not a known field");
    assert_one_problem(b"{\"timestamp\": 12,}\n", 1, "(row)", "not valid JSON");
}

#[test]
fn blank_input_is_nothing_to_import() {
    assert_eq!(parse_import(b""), Ok(Vec::new()));
    assert_eq!(parse_import(b"\n  \n"), Ok(Vec::new()));
}
