//! The log file itself: creating, reopening, upgrading an older format, and
//! refusing files that are not ours or are newer, without touching them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use rebalance::core::model::{Entry, ExerciseDone, Outcome, ReminderKind};
use rebalance::store::schema::{APPLICATION_ID, LATEST_VERSION, MIGRATIONS};
use rebalance::store::{Store, StoreError};
use rusqlite::Connection;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

/// Every file in `dir` with its size and an FNV-1a checksum of its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (usize, u64)> {
    fs::read_dir(dir)
        .expect("list folder")
        .map(|f| {
            let path = f.expect("folder entry").path();
            let bytes = if path.is_dir() {
                Vec::new()
            } else {
                fs::read(&path).expect("read file")
            };
            let checksum = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            (path, (bytes.len(), checksum))
        })
        .collect()
}

/// Opening `path` must fail and leave the folder byte-for-byte as it was.
fn refused_untouched(path: &Path) -> StoreError {
    let folder = path.parent().expect("file in a folder");
    let before = snapshot(folder);
    let err = match Store::open(path) {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(e) => e,
    };
    assert_eq!(snapshot(folder), before, "{} was modified", path.display());
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "the message names the file: {err}"
    );
    err
}

fn posture(day: u32) -> Entry {
    let at = Utc
        .with_ymd_and_hms(2023, 11, day, 10, 0, 0)
        .single()
        .expect("time");
    Entry::new(ReminderKind::PostureCheck, Outcome::AllGood, at, 3600)
}

#[test]
fn random_bytes_and_text_files_are_refused_and_left_alone() {
    let d = dir();
    let random = d.path().join("random.db");
    // A fixed pseudo-random sequence, long enough to look like pages.
    let mut x: u32 = 0x9E37_79B9;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    fs::write(&random, &bytes).expect("write");
    assert!(matches!(
        refused_untouched(&random),
        StoreError::NotRebalance { .. }
    ));

    let text = d.path().join("notes.db");
    fs::write(&text, "shopping: oats, eggs\n".repeat(200)).expect("write");
    let err = refused_untouched(&text);
    assert!(err.to_string().contains("not an SQLite database"), "{err}");

    // The header alone, without the rest of a database.
    let short = d.path().join("short.db");
    fs::write(&short, b"SQLite format 3\0 and then nothing useful").expect("write");
    assert!(matches!(
        refused_untouched(&short),
        StoreError::NotRebalance { .. }
    ));

    let folder = d.path().join("folder.db");
    fs::create_dir(&folder).expect("mkdir");
    assert!(matches!(
        Store::open(&folder),
        Err(StoreError::NotRebalance { .. })
    ));
}

#[test]
fn another_programs_sqlite_database_is_refused_and_left_alone() {
    let d = dir();
    let plain = d.path().join("contacts.db");
    {
        let c = Connection::open(&plain).expect("create");
        c.execute_batch(
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT);
             INSERT INTO contacts (name) VALUES ('Ada'), ('Grace');",
        )
        .expect("fill");
    }
    let err = refused_untouched(&plain);
    assert!(err.to_string().contains("another program"), "{err}");

    let marked = d.path().join("marked.db");
    {
        let c = Connection::open(&marked).expect("create");
        c.execute_batch(
            "PRAGMA application_id = 1234; PRAGMA user_version = 7; CREATE TABLE t (x);",
        )
        .expect("fill");
    }
    assert!(matches!(
        refused_untouched(&marked),
        StoreError::NotRebalance { .. }
    ));

    let wal = d.path().join("wal.db");
    {
        let c = Connection::open(&wal).expect("create");
        c.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .expect("fill");
    }
    assert!(matches!(
        refused_untouched(&wal),
        StoreError::NotRebalance { .. }
    ));
}

#[test]
fn a_log_from_a_newer_version_is_refused_and_left_alone() {
    let d = dir();
    let path = d.path().join("rebalance.db");
    {
        let mut s = Store::open(&path).expect("create");
        s.add_entry(&posture(3)).expect("add");
    }
    {
        let c = Connection::open(&path).expect("open");
        c.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .expect("bump");
    }
    match refused_untouched(&path) {
        StoreError::TooNew {
            found, supported, ..
        } => {
            assert_eq!((found, supported), (LATEST_VERSION + 1, LATEST_VERSION));
        }
        other => panic!("expected TooNew, got {other}"),
    }
}

#[test]
fn a_log_made_by_the_first_format_is_upgraded_with_its_data() {
    let d = dir();
    let path = d.path().join("rebalance.db");
    {
        // What a build that only knew the first migration left behind.
        let c = Connection::open(&path).expect("create");
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .expect("mark");
        c.pragma_update(None, "journal_mode", "wal").expect("wal");
        c.execute_batch(MIGRATIONS[0]).expect("schema 1");
        c.pragma_update(None, "user_version", 1).expect("version");
        c.execute_batch(
            "INSERT INTO entries (kind, outcome, at_ms, utc_offset_s, local_day, due_ms, duration_s, routine, pain, note)
                VALUES ('routine', 'completed', 1700000000000, 3600, '2023-11-14', 1699999000000, 540, 'mini', 3, 'ok');
             INSERT INTO session_exercises (entry_id, position, exercise, sets, reps, hold_s, per_side)
                VALUES (1, 0, 'glute_bridge', 2, 12, 0, 0), (1, 1, 'bird_dog', 2, 8, 0, 1);
             INSERT INTO entries (kind, outcome, at_ms, utc_offset_s, local_day, duration_s, note)
                VALUES ('move_break', 'natural', 1700003600000, 3600, '2023-11-14', 300, '');
             INSERT INTO state (key, json) VALUES ('schedule', '{\"v\":1}');",
        )
        .expect("fill");
    }
    let mut s = Store::open(&path).expect("upgrade");
    let day = chrono::NaiveDate::from_ymd_opt(2023, 11, 14).expect("date");
    let entries = s.entries_on_days(day, day).expect("read");
    assert_eq!(entries.len(), 2);
    let session = &entries[0];
    assert_eq!(session.at.timestamp_millis(), 1_700_000_000_000);
    assert_eq!((session.pain, session.duration_s), (Some(3), 540));
    assert_eq!(
        session.exercises[1],
        ExerciseDone {
            exercise: "bird_dog".into(),
            sets: 2,
            reps: 8,
            hold_s: 0,
            per_side: true
        }
    );
    assert_eq!(entries[1].outcome, Outcome::Natural);
    assert_eq!(
        s.load_state("schedule").expect("state").as_deref(),
        Some(r#"{"v":1}"#)
    );
    // The upgraded log keeps working: new ids follow the old ones.
    assert_eq!(s.add_entry(&posture(15)).expect("add"), 3);
    drop(s);

    let c = Connection::open(&path).expect("inspect");
    let version: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(version, LATEST_VERSION);
    let index: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'entries_by_time'",
            [],
            |r| r.get(0),
        )
        .expect("schema");
    assert_eq!(index, 1, "migration 2 added its index");
}

#[test]
fn a_new_log_is_marked_as_ours_in_wal_mode_and_keeps_its_data() {
    let d = dir();
    let path = d.path().join("rebalance.db");
    let id = Store::open(&path)
        .expect("create")
        .add_entry(&posture(3))
        .expect("add");
    let s = Store::open(&path).expect("reopen");
    assert_eq!(
        s.entry(id).expect("read"),
        Some(Entry {
            id: Some(id),
            ..posture(3)
        })
    );
    let c = Connection::open(&path).expect("inspect");
    let app: i32 = c
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .expect("id");
    let mode: String = c
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .expect("mode");
    assert_eq!((app, mode.as_str()), (APPLICATION_ID, "wal"));
}

#[test]
fn empty_files_and_blank_databases_become_logs() {
    let d = dir();
    let empty = d.path().join("empty.db");
    fs::write(&empty, b"").expect("touch");
    Store::open(&empty)
        .expect("an empty file is a new log")
        .add_entry(&posture(3))
        .expect("add");

    let blank = d.path().join("blank.db");
    Connection::open(&blank)
        .and_then(|c| c.execute_batch("CREATE TABLE scratch (x); DROP TABLE scratch;"))
        .expect("blank database");
    assert!(fs::metadata(&blank).expect("size").len() > 0);
    Store::open(&blank).expect("a database with no tables is a new log");
}

#[test]
fn the_window_and_the_daemon_share_one_file() {
    let d = dir();
    let path = d.path().join("rebalance.db");
    let mut daemon = Store::open(&path).expect("daemon opens");
    let mut window = Store::open(&path).expect("window opens");
    let id = daemon.add_entry(&posture(3)).expect("daemon writes");
    let mut seen = window.entry(id).expect("window reads").expect("present");
    seen.note = "corrected in the window".into();
    window.update_entry(&seen).expect("window writes");
    assert_eq!(daemon.entry(id).expect("daemon reads"), Some(seen));
}

#[test]
fn a_missing_folder_is_reported_with_the_path() {
    let d = dir();
    let path = d.path().join("no-such-folder").join("rebalance.db");
    let err = Store::open(&path).expect_err("no folder, no log");
    assert!(err.to_string().contains("no-such-folder"), "{err}");
}
