//! Fuzz targets for importing the log (CSV and JSON Lines): arbitrary bytes
//! and damaged exports never panic or hang, every refusal is explained by
//! line and field, a refused file leaves the log exactly as it was, and
//! whatever the parser accepts the log accepts too.

use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use rebalance::core::model::Entry;
use rebalance::exchange::csv_format::COLUMNS;
use rebalance::exchange::{
    Format, ImportError, ImportProblem, export, import_file, parse_import, parse_import_as,
};
use rebalance::store::Store;
use serde_json::Value;

use crate::support::{
    Bytes, Cost, Damage, Verdict, apply_json_edits, arbitrary_bytes, damage, entries, fuzz,
    sample_entries, special_json, within,
};

type Parsed = Result<Vec<Entry>, Vec<ImportProblem>>;

fn exported(entries: &[Entry], format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    export(entries, format, &mut out).expect("export to memory");
    out
}

fn parse_within(bytes: &[u8], format: Option<Format>) -> Result<Parsed, TestCaseError> {
    let bytes = bytes.to_vec();
    within("parse_import", move || match format {
        Some(format) => parse_import_as(&bytes, format),
        None => parse_import(&bytes),
    })
}

/// A refusal must point at a real line, name a field and say something;
/// an acceptance must survive being exported and read again unchanged.
fn check_parsed(bytes: &[u8], parsed: &Parsed) -> Result<Verdict, TestCaseError> {
    match parsed {
        Err(problems) => {
            prop_assert!(!problems.is_empty(), "refused without a reason");
            let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
            for problem in problems {
                prop_assert!(
                    (1..=lines).contains(&problem.line),
                    "problem on line {} of a {lines}-line file: {problem}",
                    problem.line
                );
                prop_assert!(!problem.field.is_empty(), "no field named: {problem}");
                prop_assert!(
                    problem.message.trim().len() >= 5,
                    "no explanation: {problem}"
                );
            }
        }
        Ok(entries) => {
            for format in [Format::Csv, Format::Jsonl] {
                let again = parse_import(&exported(entries, format));
                prop_assert_eq!(
                    again.as_ref(),
                    Ok(entries),
                    "accepted entries change when exported as {:?} and read again",
                    format
                );
            }
        }
    }
    Ok(Verdict::from(parsed))
}

#[test]
fn arbitrary_bytes_are_refused_with_reasons_or_read() {
    fuzz(
        "import_arbitrary_bytes",
        Cost::Cheap,
        arbitrary_bytes(),
        |Bytes(bytes)| {
            let verdict = check_parsed(&bytes, &parse_within(&bytes, None)?)?;
            for format in [Format::Csv, Format::Jsonl] {
                check_parsed(&bytes, &parse_within(&bytes, Some(format))?)?;
            }
            Ok(verdict)
        },
    );
}

/// CSV rows as a JSON list of lists of cells, so the JSON edits apply.
fn csv_as_json(bytes: &[u8]) -> Value {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    Value::Array(
        reader
            .records()
            .map(|row| {
                Value::Array(
                    row.expect("an export is valid CSV")
                        .iter()
                        .map(Value::from)
                        .collect(),
                )
            })
            .collect(),
    )
}

fn cell_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn json_as_csv(rows: &Value) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let rows = match rows {
        Value::Array(rows) => rows.clone(),
        other => vec![other.clone()],
    };
    for row in rows {
        let cells: Vec<String> = match &row {
            Value::Array(cells) => cells.iter().map(cell_text).collect(),
            other => vec![cell_text(other)],
        };
        if cells.is_empty() {
            // The csv writer refuses an empty record; an empty line is what it means.
            writer.write_record([""]).expect("write to memory");
        } else {
            writer.write_record(&cells).expect("write to memory");
        }
    }
    writer.into_inner().expect("flush to memory")
}

fn jsonl_as_json(bytes: &[u8]) -> Value {
    Value::Array(
        bytes
            .split(|b| *b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| serde_json::from_slice(line).expect("an export is valid JSON"))
            .collect(),
    )
}

fn json_as_jsonl(lines: &Value) -> Vec<u8> {
    let lines = match lines {
        Value::Array(lines) => lines.clone(),
        other => vec![other.clone()],
    };
    let mut out = Vec::new();
    for line in lines {
        out.extend(line.to_string().bytes());
        out.push(b'\n');
    }
    out
}

/// `entries` exported in `format`, then damaged. Field edits apply to the
/// JSON Lines read as a list of objects, and to CSV rows read as a list of
/// lists of cells.
fn damaged(entries: &[Entry], format: Format, damage: &Damage) -> Vec<u8> {
    let valid = exported(entries, format);
    damage.apply(&valid, |edits| match format {
        Format::Csv => json_as_csv(&apply_json_edits(
            &csv_as_json(&valid),
            edits,
            &special_json(),
        )),
        Format::Jsonl => json_as_jsonl(&apply_json_edits(
            &jsonl_as_json(&valid),
            edits,
            &special_json(),
        )),
    })
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Csv), Just(Format::Jsonl)]
}

/// A damaged export: the format it was written in and its bytes.
fn damaged_export() -> impl Strategy<Value = (Format, Bytes)> {
    let seeds = prop_oneof![1 => Just(sample_entries()), 1 => entries(4)];
    (seeds, format(), damage())
        .prop_map(|(entries, format, damage)| (format, Bytes(damaged(&entries, format, &damage))))
}

#[test]
fn damaged_exports_are_refused_with_reasons_or_read() {
    fuzz(
        "import_damaged_exports",
        Cost::Cheap,
        damaged_export(),
        |(format, Bytes(bytes))| {
            check_parsed(&bytes, &parse_within(&bytes, None)?)?;
            check_parsed(&bytes, &parse_within(&bytes, Some(format))?)
        },
    );
}

/// What an entry becomes through an export: the same, except that an
/// offset with seconds (which RFC 3339 cannot write) is cut to whole
/// minutes, the instant staying exact.
fn as_exported(entry: &Entry) -> Entry {
    let mut entry = entry.clone();
    entry.utc_offset_s = entry.utc_offset_s / 60 * 60;
    entry
}

#[test]
fn an_export_reads_back_as_the_same_entries() {
    fuzz(
        "import_round_trip",
        Cost::Cheap,
        (entries(6), format()),
        |(entries, format)| {
            let bytes = exported(&entries, format);
            let expected: Vec<Entry> = entries.iter().map(as_exported).collect();
            prop_assert_eq!(parse_within(&bytes, Some(format))?, Ok(expected.clone()));
            // The format is also recognised from the content alone.
            if !entries.is_empty() {
                prop_assert_eq!(parse_within(&bytes, None)?, Ok(expected));
            }
            Ok(Verdict::Accepted)
        },
    );
}

#[test]
fn csv_columns_in_any_order_read_the_same() {
    let columns = proptest::collection::vec(any::<Index>(), COLUMNS.len());
    fuzz(
        "import_csv_column_order",
        Cost::Cheap,
        (entries(4), columns),
        |(entries, order)| {
            let Value::Array(mut rows) = csv_as_json(&exported(&entries, Format::Csv)) else {
                unreachable!("csv_as_json gives a list");
            };
            // The same random permutation of the columns on every row.
            let mut permutation: Vec<usize> = (0..COLUMNS.len()).collect();
            for (i, pick) in order.iter().enumerate() {
                let j = i + pick.index(COLUMNS.len() - i);
                permutation.swap(i, j);
            }
            for row in &mut rows {
                if let Value::Array(cells) = row {
                    *cells = permutation.iter().map(|&i| cells[i].clone()).collect();
                }
            }
            let bytes = json_as_csv(&Value::Array(rows));
            let expected: Vec<Entry> = entries.iter().map(as_exported).collect();
            prop_assert_eq!(parse_within(&bytes, Some(Format::Csv))?, Ok(expected));
            Ok(Verdict::Accepted)
        },
    );
}

/// A value each field refuses, as written in a CSV cell and in JSON.
fn refused_value(field: &str) -> (&'static str, Value) {
    match field {
        "timestamp" => ("yesterday", Value::from("yesterday")),
        "kind" => ("nap", Value::from("nap")),
        "outcome" => ("done", Value::from("done")),
        "duration_s" | "held_s" => ("-5", Value::from(-5)),
        "pain" => ("11", Value::from(11)),
        "due" => ("soon", Value::from("soon")),
        "exercises" => ("squats", Value::from("squats")),
        // Any text is a valid note or routine; in JSON a number is not.
        _ => ("", Value::from(5)),
    }
}

#[test]
fn a_bad_field_is_reported_at_its_line_and_field() {
    let fields = proptest::sample::select(COLUMNS.to_vec());
    let input = (entries(5), any::<Index>(), fields, format());
    fuzz(
        "import_problem_position",
        Cost::Cheap,
        input.prop_filter("needs an entry", |(entries, ..)| !entries.is_empty()),
        |(entries, row, field, format)| {
            let row = row.index(entries.len());
            let column = COLUMNS.iter().position(|c| *c == field).expect("a column");
            let (cell, json) = refused_value(field);
            let (bytes, line) = match format {
                Format::Csv => {
                    if matches!(field, "note" | "routine") {
                        return Ok(Verdict::Accepted);
                    }
                    let Value::Array(mut rows) = csv_as_json(&exported(&entries, format)) else {
                        unreachable!("csv_as_json gives a list");
                    };
                    rows[row + 1][column] = Value::from(cell);
                    let bytes = json_as_csv(&Value::Array(rows));
                    // The csv crate's own count of the line the row starts on.
                    let mut reader = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .from_reader(&bytes[..]);
                    let mut record = csv::ByteRecord::new();
                    for _ in 0..=row + 1 {
                        reader.read_byte_record(&mut record).expect("valid CSV");
                    }
                    let line = record.position().expect("a position").line();
                    (bytes, usize::try_from(line).expect("small"))
                }
                Format::Jsonl => {
                    let Value::Array(mut lines) = jsonl_as_json(&exported(&entries, format)) else {
                        unreachable!("jsonl_as_json gives a list");
                    };
                    lines[row][field] = json;
                    (json_as_jsonl(&Value::Array(lines)), row + 1)
                }
            };
            let problems =
                parse_within(&bytes, Some(format))?.expect_err("a refused value was accepted");
            prop_assert!(
                problems.iter().any(|p| p.line == line && p.field == field),
                "expected a problem with {} on line {}, got {:?}",
                field,
                line,
                problems
            );
            prop_assert_eq!(problems.len(), 1, "{:?}", problems);
            Ok(Verdict::Refused)
        },
    );
}

fn all_entries(store: &Store) -> Vec<Entry> {
    store
        .entries_on_days(
            NaiveDate::from_ymd_opt(1, 1, 1).expect("date"),
            NaiveDate::from_ymd_opt(9999, 12, 31).expect("date"),
        )
        .expect("read the log")
}

/// Count and checksum of the whole log, ids included.
fn fingerprint(store: &Store) -> (usize, u64) {
    let entries = all_entries(store);
    let mut hasher = DefaultHasher::new();
    format!("{entries:?}").hash(&mut hasher);
    (entries.len(), hasher.finish())
}

#[test]
fn a_refused_import_leaves_the_log_unchanged_and_an_accepted_one_is_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let extensions = proptest::sample::select(vec!["csv", "jsonl", "txt"]);
    fuzz(
        "import_into_store",
        Cost::Costly,
        (damaged_export(), extensions),
        |((_, Bytes(bytes)), extension)| {
            let mut store = Store::open_in_memory().expect("open a log");
            store
                .import_entries(&sample_entries())
                .expect("seed the log");
            let before = fingerprint(&store);
            let file = dir.path().join(format!("import.{extension}"));
            std::fs::write(&file, &bytes).expect("write the file");
            let imported = import_file(&mut store, &file);
            match &imported {
                Err(ImportError::Invalid { problems, .. }) => {
                    prop_assert!(!problems.is_empty());
                    prop_assert_eq!(
                        fingerprint(&store),
                        before,
                        "a refused file changed the log"
                    );
                }
                Err(other) => {
                    // The parser accepted what the log refuses: the file
                    // should have been refused with a line and a field.
                    prop_assert!(
                        false,
                        "the log refused a file the parser accepted: {}",
                        other
                    );
                }
                Ok(counts) => {
                    let parsed = parse_import_as(
                        &bytes,
                        Format::from_path(&file).unwrap_or_else(|| Format::sniff(&bytes)),
                    )
                    .expect("import_file accepted it");
                    prop_assert_eq!(counts.added + counts.duplicates, parsed.len());
                    let (count, _) = fingerprint(&store);
                    prop_assert_eq!(count, before.0 + counts.added);
                    let after = fingerprint(&store);
                    let again = import_file(&mut store, &file).expect("the same file again");
                    prop_assert_eq!(again.added, 0, "importing twice added entries");
                    prop_assert_eq!(fingerprint(&store), after);
                }
            }
            Ok(Verdict::from(&imported))
        },
    );
}
