//! Nothing acknowledged is lost: a writer killed with SIGKILL in the middle
//! of its work leaves every entry it reported as stored, in a sound file.
//!
//! The test runs its own binary again as the writer (the ignored test
//! below, selected with `--exact --ignored`), reads the ids it prints after
//! each successful `add_entry`, kills it, and inspects the database.

// Kills the writer with SIGKILL and reads its Unix exit signal.
#![cfg(unix)]

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use rebalance::core::model::{Entry, ExerciseDone, Outcome, ReminderKind};
use rebalance::store::Store;
use rusqlite::Connection;

/// Set in the writer's environment to the database path.
const WRITER_DB: &str = "REBALANCE_CRASH_WRITER_DB";
const WRITER_TEST: &str = "writer_until_killed";
/// Prefix of the writer's acknowledgement lines, to tell them from libtest's.
const ACK: &str = "stored ";
/// Acknowledgements to wait for before killing the writer.
const ACKS_BEFORE_KILL: usize = 150;

/// The `n`-th entry the writer stores: a session with exercises, so each
/// write spans several rows.
fn nth_entry(n: u64) -> Entry {
    let start = Utc
        .with_ymd_and_hms(2024, 1, 1, 8, 0, 0)
        .single()
        .expect("time");
    let mut e = Entry::new(
        ReminderKind::Routine,
        Outcome::Completed,
        start + chrono::Duration::minutes(n as i64 * 7),
        3600,
    );
    e.duration_s = 300 + (n % 200) as u32;
    e.note = format!("session {n}");
    e.exercises = (0..3)
        .map(|i| ExerciseDone {
            exercise: format!("exercise_{i}"),
            sets: 2,
            reps: 10 + i,
            hold_s: 0,
            per_side: i == 1,
        })
        .collect();
    e
}

#[test]
#[ignore = "the writer half of every_acknowledged_write_survives_sigkill; it runs as a child"]
fn writer_until_killed() {
    let path = std::env::var_os(WRITER_DB).expect("run by the crash test, which sets the path");
    let mut store = Store::open(Path::new(&path)).expect("writer opens the log");
    let mut out = std::io::stdout().lock();
    for n in 0.. {
        let id = store.add_entry(&nth_entry(n)).expect("write");
        writeln!(out, "{ACK}{n} {id}").expect("stdout");
        out.flush().expect("stdout");
    }
}

#[test]
fn every_acknowledged_write_survives_sigkill() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("rebalance.db");
    let stderr_path = dir.path().join("writer-stderr.txt");
    let exe = std::env::current_exe().expect("own test binary");
    let mut child = Command::new(exe)
        .args([
            WRITER_TEST,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER_DB, &db)
        .stdout(Stdio::piped())
        .stderr(File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("start the writer");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut acknowledged: Vec<(u64, i64)> = Vec::new();
    let mut killed = false;
    // Only a guard against a writer that hangs; not a timing assertion.
    let give_up = Instant::now() + Duration::from_secs(60);
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read writer output");
        if let Some(ack) = line.strip_prefix(ACK) {
            let (n, id) = ack.split_once(' ').expect("\"n id\"");
            acknowledged.push((n.parse().expect("n"), id.parse().expect("id")));
        }
        if !killed && (acknowledged.len() >= ACKS_BEFORE_KILL || Instant::now() > give_up) {
            // std's kill sends SIGKILL on Unix: no destructors, no flush.
            child.kill().expect("SIGKILL the writer");
            killed = true;
        }
    }
    let status = child.wait().expect("reap the writer");
    let writer_stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    assert!(
        killed && acknowledged.len() >= ACKS_BEFORE_KILL && status.signal() == Some(libc::SIGKILL),
        "the writer stopped early ({status}, {} writes):\n{writer_stderr}",
        acknowledged.len()
    );

    let conn = Connection::open(&db).expect("open after the crash");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity check");
    assert_eq!(check, "ok");
    let foreign_key_problems: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("foreign key check");
    assert_eq!(foreign_key_problems, 0);
    drop(conn);

    let store = Store::open(&db).expect("reopen the log");
    for &(n, id) in &acknowledged {
        let stored = store
            .entry(id)
            .expect("read")
            .unwrap_or_else(|| panic!("entry {id} was lost"));
        assert_eq!(
            stored,
            Entry {
                id: Some(id),
                ..nth_entry(n)
            }
        );
    }
}
