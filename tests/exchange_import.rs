//! Import into a real database: export then import gives the same weekly
//! figures, a damaged file changes nothing, importing twice adds nothing.

mod exchange_support;

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate, Weekday};
use rebalance::core::model::Entry;
use rebalance::core::stats::{LogIndex, week_start};
use rebalance::exchange::{Format, ImportError, export, import_file};
use rebalance::store::Store;

use exchange_support::{all_entries, synthetic_log};

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 8).expect("date")
}

/// Count and a checksum of every stored entry, ids included.
fn fingerprint(store: &Store) -> (usize, u64) {
    let entries = all_entries(store);
    let mut hasher = DefaultHasher::new();
    format!("{entries:?}").hash(&mut hasher);
    (entries.len(), hasher.finish())
}

fn filled_store(dir: &Path, rows: usize) -> Store {
    let mut store = Store::open(&dir.join("log.db")).expect("open log");
    store
        .import_entries(&synthetic_log(first_day(), rows, 7))
        .expect("seed log");
    store
}

fn write_export(store: &Store, format: Format, path: &Path) {
    let mut bytes = Vec::new();
    export(&all_entries(store), format, &mut bytes).expect("export");
    std::fs::write(path, bytes).expect("write export");
}

#[test]
fn an_export_imported_into_an_empty_log_gives_the_same_weekly_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = filled_store(dir.path(), 9_000);
    let original_index = LogIndex::from_entries(&all_entries(&original));
    let last_day = original_index.last_day().expect("log not empty");
    for format in [Format::Csv, Format::Jsonl] {
        let file = dir.path().join(format!("log.{}", format.extension()));
        write_export(&original, format, &file);
        let mut copy = Store::open(&dir.path().join(format!("copy-{format:?}.db"))).expect("open");
        let counts = import_file(&mut copy, &file).expect("import");
        assert_eq!(counts.added, all_entries(&original).len());
        assert_eq!(counts.duplicates, 0);

        let copy_index = LogIndex::from_entries(&all_entries(&copy));
        let mut weeks = 0;
        for first_weekday in [Weekday::Mon, Weekday::Sun] {
            let mut start = week_start(first_day(), first_weekday);
            while start <= last_day {
                assert_eq!(
                    copy_index.week_figures(start, last_day, 2),
                    original_index.week_figures(start, last_day, 2),
                    "{format:?}, week of {start}"
                );
                start = start + Days::new(7);
                weeks += 1;
            }
        }
        assert!(weeks > 60, "the log spans many weeks ({weeks})");
        // Entry for entry, apart from the ids the database gave them.
        let strip = |entries: Vec<Entry>| -> Vec<Entry> {
            entries
                .into_iter()
                .map(|mut e| {
                    e.id = None;
                    e
                })
                .collect()
        };
        assert_eq!(strip(all_entries(&copy)), strip(all_entries(&original)));
    }
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = filled_store(dir.path(), 2_000);
    for format in [Format::Csv, Format::Jsonl] {
        let file = dir.path().join(format!("log.{}", format.extension()));
        write_export(&source, format, &file);
        let mut target = Store::open(&dir.path().join(format!("t-{format:?}.db"))).expect("open");
        let first = import_file(&mut target, &file).expect("first import");
        assert_eq!(first.added, all_entries(&source).len());
        let before = fingerprint(&target);
        let second = import_file(&mut target, &file).expect("second import");
        assert_eq!((second.added, second.duplicates), (0, first.added));
        assert_eq!(fingerprint(&target), before);
    }
    // Importing a log's own export into it adds nothing either.
    let mut source = source;
    let before = fingerprint(&source);
    let file = dir.path().join("own.csv");
    write_export(&source, Format::Csv, &file);
    let counts = import_file(&mut source, &file).expect("import own export");
    assert_eq!(counts.added, 0);
    assert_eq!(fingerprint(&source), before);
}

const HEADER: &str = "timestamp,kind,outcome,duration_s,routine,pain,note,due,exercises\n";

fn good_rows(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "2024-05-{:02}T18:10:00+02:00,routine,completed,600,mini,3,new entry {i},,glute_bridge:2x10\n",
                i % 28 + 1
            )
        })
        .collect()
}

/// Imports `bytes` from `name` into a log already holding entries and
/// checks it is refused at `line`/`field` with the log unchanged.
fn assert_refused(name: &str, bytes: &[u8], line: usize, field: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = filled_store(dir.path(), 500);
    let before = fingerprint(&store);
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write file");
    match import_file(&mut store, &path) {
        Err(ImportError::Invalid { problems, .. }) => assert!(
            problems.iter().any(|p| p.line == line && p.field == field),
            "{name}: wanted line {line}, field {field}; got {problems:#?}"
        ),
        other => panic!("{name}: expected a refusal, got {other:?}"),
    }
    assert_eq!(fingerprint(&store), before, "{name}: the log changed");
    drop(store);
    let reopened = Store::open(&dir.path().join("log.db")).expect("reopen");
    assert_eq!(fingerprint(&reopened), before, "{name}: the file changed");
}

#[test]
fn a_damaged_file_is_refused_with_its_line_and_nothing_changes() {
    let rows = good_rows(5);
    let csv = |bad: &str| format!("{HEADER}{rows}{bad}{rows}").into_bytes();
    // The bad row is line 7: the header, then five good rows.
    assert_refused(
        "bad-time.csv",
        &csv("2024-05-06 18:10,routine,completed,600,mini,3,,,\n"),
        7,
        "timestamp",
    );
    assert_refused(
        "unknown-kind.csv",
        &csv("2024-05-06T18:10:00+02:00,stretching,completed,600,mini,3,,,\n"),
        7,
        "kind",
    );
    assert_refused(
        "wrong-outcome.csv",
        &csv("2024-05-06T18:10:00+02:00,routine,taken,600,mini,3,,,\n"),
        7,
        "outcome",
    );
    assert_refused(
        "pain-11.csv",
        &csv("2024-05-06T18:10:00+02:00,routine,completed,600,mini,11,,,\n"),
        7,
        "pain",
    );
    assert_refused(
        "negative.csv",
        &csv("2024-05-06T18:10:00+02:00,routine,completed,-600,mini,3,,,\n"),
        7,
        "duration_s",
    );
    assert_refused(
        "columns.csv",
        &csv("2024-05-06T18:10:00+02:00,routine,completed,600,mini,3,,,,\n"),
        7,
        "(row)",
    );
    let mut utf8 = format!("{HEADER}{rows}").into_bytes();
    utf8.extend_from_slice(
        b"2024-05-06T18:10:00+02:00,routine,completed,600,mini,3,ca\xFF\xFEf\xE9,,\n",
    );
    utf8.extend_from_slice(rows.as_bytes());
    assert_refused("utf8.csv", &utf8, 7, "note");
    assert_refused(
        "truncated.csv",
        format!("{HEADER}{rows}2024-05-06T18:10:00+02:00,routine,compl").as_bytes(),
        7,
        "(row)",
    );
    assert_refused("no-header.csv", rows.as_bytes(), 1, "header");

    let jsonl_row = r#"{"timestamp":"2024-05-01T18:10:00+02:00","kind":"routine","outcome":"completed","duration_s":600,"pain":2,"note":"json entry"}"#;
    let jsonl = |bad: &str| format!("{jsonl_row}\n{jsonl_row}\n{bad}\n{jsonl_row}\n").into_bytes();
    assert_refused(
        "pain.jsonl",
        &jsonl(
            r#"{"timestamp":"2024-05-01T18:10:00+02:00","kind":"routine","outcome":"completed","pain":11}"#,
        ),
        3,
        "pain",
    );
    assert_refused(
        "truncated.jsonl",
        format!("{jsonl_row}\n{jsonl_row}\n{{\"timestamp\":\"2024-05-01T18:1").as_bytes(),
        3,
        "(row)",
    );
    // No extension: the content says JSON Lines.
    assert_refused(
        "export-from-phone",
        &jsonl(r#"{"timestamp":"2024-05-01T18:10:00+02:00","kind":"nap","outcome":"completed"}"#),
        3,
        "kind",
    );
}

#[test]
fn a_good_file_without_the_extra_columns_is_added_in_one_go() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = filled_store(dir.path(), 100);
    let (count, _) = fingerprint(&store);
    let path = dir.path().join("paper-diary.csv");
    std::fs::write(
        &path,
        "timestamp,kind,outcome,duration_s,routine,pain,note\n\
         2024-06-03T18:30:00+02:00,routine,completed,720,mini,5,from my paper diary\n\
         2024-06-05T18:30:00+02:00,routine,partial,300,mini,6,\n\
         2024-06-05T18:30:00+02:00,routine,partial,300,mini,6,\n",
    )
    .expect("write");
    let counts = import_file(&mut store, &path).expect("import");
    assert_eq!((counts.added, counts.duplicates), (2, 1));
    assert_eq!(fingerprint(&store).0, count + 2);
    let june = store
        .entries_on_days(
            NaiveDate::from_ymd_opt(2024, 6, 3).expect("date"),
            NaiveDate::from_ymd_opt(2024, 6, 5).expect("date"),
        )
        .expect("read");
    assert!(
        june.iter()
            .any(|e| e.note == "from my paper diary" && e.pain == Some(5))
    );
}

#[test]
fn a_missing_file_is_reported_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("log.db")).expect("open");
    let missing = dir.path().join("nowhere.csv");
    let err = import_file(&mut store, &missing).expect_err("no file");
    assert!(err.to_string().contains("nowhere.csv"), "{err}");
}
