//! An answer the log cannot take (a full disk, a locked or damaged file) is
//! reported to the command line as not saved, never acknowledged; once the
//! log takes writes again, answers are acknowledged and logged.

// The daemon harness (tests/daemon_common) runs the daemon on a private D-Bus session bus.
#![cfg(unix)]

mod daemon_common;

use daemon_common::{Harness, describe, wait_until};

/// Rows in the log with this outcome, read directly.
fn logged(db: &rusqlite::Connection, outcome: &str) -> i64 {
    db.query_row(
        "SELECT count(*) FROM entries WHERE outcome = ?1",
        [outcome],
        |r| r.get(0),
    )
    .expect("count")
}

#[test]
fn an_answer_the_log_cannot_take_is_reported_not_acknowledged() {
    let Some(harness) = Harness::start(true) else {
        return;
    };
    let server = harness.notifications.as_ref().unwrap();
    assert!(harness.run(&["check"]).status.success());
    server.wait_for_call(1);

    // The log refuses new entries, the way a full disk would.
    let db = rusqlite::Connection::open(harness.db_file()).expect("open the log");
    db.execute_batch(
        "CREATE TRIGGER refuse_entries BEFORE INSERT ON entries \
         BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
    )
    .expect("trigger");
    let out = harness.run(&["skip"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not saved"), "{}", describe(&out));
    assert!(stderr.contains("disk is full"), "{}", describe(&out));
    assert_eq!(logged(&db, "skipped"), 0);

    db.execute_batch("DROP TRIGGER refuse_entries;")
        .expect("drop trigger");
    assert!(harness.run(&["check"]).status.success());
    server.wait_for_call(2);
    let out = harness.run(&["skip"]);
    assert!(out.status.success(), "{}", describe(&out));
    wait_until("the skip in the log", || {
        (logged(&db, "skipped") == 1).then_some(())
    });
}
