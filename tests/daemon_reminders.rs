//! The real daemon binary on a private session bus with a recording
//! notification server: a reminder shows with its buttons, a button press
//! reaches the engine and the log, pause withdraws and stops reminders, a
//! second daemon is refused, bad requests do no harm, quit stops it.

// Talks to the daemon over its Unix socket; on Windows scripts/e2e-windows.sh drives the daemon through the pipe.
#![cfg(unix)]

mod daemon_common;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use chrono::{Duration as ChronoDuration, Utc};
use daemon_common::{Harness, describe, wait_until};
use rebalance::core::model::{Outcome, ReminderKind};
use rebalance::ipc::Response;
use rebalance::store::Store;

fn logged(harness: &Harness, kind: ReminderKind, outcome: Outcome) -> usize {
    let store = Store::open(&harness.db_file()).expect("open the log");
    let now = Utc::now();
    store
        .entries_between(now - ChronoDuration::days(1), now + ChronoDuration::days(1))
        .expect("read the log")
        .iter()
        .filter(|e| e.kind == kind && e.outcome == outcome)
        .count()
}

#[test]
fn a_posture_check_is_shown_answered_and_logged() {
    let Some(harness) = Harness::start(true) else {
        return;
    };
    let server = harness.notifications.as_ref().unwrap();

    let out = harness.run(&["check"]);
    assert!(out.status.success(), "{}", describe(&out));
    let call = server.wait_for_call(1);
    assert_eq!(call.app_name, "Rebalance");
    assert!(
        !call.summary.is_empty() && !call.body.is_empty(),
        "{call:?}"
    );
    assert_eq!(
        call.action_keys(),
        ["default", "all_good", "fixed_it", "snooze"],
        "{call:?}"
    );
    for label in ["All good", "Fixed it", "Snooze"] {
        assert!(call.actions.iter().any(|a| a == label), "{call:?}");
    }
    assert!(call.hints.iter().any(|h| h == "category"), "{call:?}");

    let status = harness.status();
    let pending = status
        .pending_of(ReminderKind::PostureCheck)
        .expect("the check waits for an answer");
    assert!(pending.can_snooze);

    server.press(call.id, "all_good");
    wait_until("the answer in the log", || {
        (logged(&harness, ReminderKind::PostureCheck, Outcome::AllGood) == 1).then_some(())
    });
    // The answered notification is withdrawn and the engine has moved on.
    wait_until("the notification to be withdrawn", || {
        server.closed().contains(&call.id).then_some(())
    });
    let status = harness.status();
    assert!(status.pending.is_empty(), "{status:?}");
    assert_eq!(
        status
            .today
            .count(ReminderKind::PostureCheck, Outcome::AllGood),
        1
    );
    let next = status.next[&ReminderKind::PostureCheck].expect("a next check");
    assert!(next > status.at, "the next check is ahead: {status:?}");
}

#[test]
fn snooze_and_skip_from_the_command_line() {
    let Some(harness) = Harness::start(true) else {
        return;
    };
    let server = harness.notifications.as_ref().unwrap();

    let out = harness.run(&["snooze"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Nothing is waiting"),
        "{}",
        describe(&out)
    );

    assert!(harness.run(&["check"]).status.success());
    let first = server.wait_for_call(1);
    let out = harness.run(&["snooze", "posture"]);
    assert!(out.status.success(), "{}", describe(&out));
    wait_until("the snooze in the log", || {
        (logged(&harness, ReminderKind::PostureCheck, Outcome::Snoozed) == 1).then_some(())
    });
    wait_until("the snoozed notification to be withdrawn", || {
        server.closed().contains(&first.id).then_some(())
    });
    let out = harness.run(&["skip", "break"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("No break is waiting"));
}

#[test]
fn pause_withdraws_the_reminder_and_status_says_paused() {
    let Some(harness) = Harness::start(true) else {
        return;
    };
    let server = harness.notifications.as_ref().unwrap();
    assert!(harness.run(&["check"]).status.success());
    let call = server.wait_for_call(1);

    let out = harness.run(&["pause", "1h"]);
    assert!(out.status.success(), "{}", describe(&out));
    wait_until("the pending check to be withdrawn", || {
        server.closed().contains(&call.id).then_some(())
    });
    let status = harness.status();
    assert!(status.pause.is_paused(), "{status:?}");
    let rebalance::ipc::Pause::Until(until) = status.pause else {
        panic!("paused until a time: {status:?}")
    };
    let ahead = until - status.at;
    assert!(
        ahead > ChronoDuration::minutes(59) && ahead <= ChronoDuration::minutes(60),
        "{ahead}"
    );
    assert!(status.pending.is_empty(), "{status:?}");
    for (kind, next) in &status.next {
        if let Some(next) = next {
            assert!(*next >= until, "{kind:?} is due during the pause");
        }
    }
    // Withdrawing is not answering: nothing is logged against the user.
    assert_eq!(
        logged(&harness, ReminderKind::PostureCheck, Outcome::Missed),
        0
    );

    let out = harness.run(&["resume"]);
    assert!(out.status.success(), "{}", describe(&out));
    assert!(!harness.status().pause.is_paused());
}

#[test]
fn a_second_daemon_is_refused_and_quit_stops_the_first() {
    let Some(mut harness) = Harness::start(true) else {
        return;
    };
    let out = harness.run(&["daemon"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already running"),
        "{}",
        describe(&out)
    );
    // The refused one left the running one alone.
    assert!(!harness.status().pause.is_paused());

    let out = harness.run(&["quit"]);
    assert!(out.status.success(), "{}", describe(&out));
    assert_eq!(
        harness.wait_for_exit(),
        Some(0),
        "{}",
        harness.daemon_stderr()
    );
    assert!(!harness.socket().exists(), "the socket is removed");

    let out = harness.run(&["status"]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Rebalance is not running"));
}

#[test]
fn the_system_asking_it_to_stop_withdraws_the_reminder_and_ends_the_daemon_cleanly() {
    let Some(mut harness) = Harness::start(true) else {
        return;
    };
    let out = harness.run(&["check"]);
    assert!(out.status.success(), "{}", describe(&out));
    let notifications = harness
        .notifications
        .as_ref()
        .expect("a notification server");
    let shown = notifications.wait_for_call(1);

    harness.terminate();
    assert_eq!(
        harness.wait_for_exit(),
        Some(0),
        "{}",
        harness.daemon_stderr()
    );
    let notifications = harness
        .notifications
        .as_ref()
        .expect("a notification server");
    assert!(
        notifications.closed().contains(&shown.id),
        "the reminder is taken off the screen"
    );
    assert!(!harness.socket().exists(), "the socket is removed");
}

#[test]
fn bad_requests_get_an_error_and_the_daemon_goes_on() {
    let Some(harness) = Harness::start(true) else {
        return;
    };
    let exchange = |bytes: &[u8]| -> Response {
        let mut stream = UnixStream::connect(harness.socket()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(bytes).unwrap();
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    };
    assert!(matches!(
        exchange(b"{\"request\":\"explode\"}\n"),
        Response::Error { .. }
    ));
    let mut huge = vec![b'['; 200 * 1024];
    huge.push(b'\n');
    assert!(matches!(exchange(&huge), Response::Error { .. }));
    assert_eq!(exchange(b"{\"request\":\"ping\"}\n"), Response::Ok);
    assert!(!harness.status().pause.is_paused());
}

#[test]
fn without_a_notification_server_the_status_says_so() {
    let Some(harness) = Harness::start(false) else {
        return;
    };
    let status = harness.status();
    assert!(
        status
            .degraded
            .iter()
            .any(|d| d.feature == rebalance::ipc::Feature::Notifications),
        "{status:?}"
    );
    // The reminder still fires; it goes to the fallback window (which
    // cannot open here, without a display) rather than nowhere.
    let out = harness.run(&["check"]);
    assert!(out.status.success(), "{}", describe(&out));
    wait_until("the fallback in the log", || {
        std::fs::read_to_string(harness.log_file())
            .unwrap_or_default()
            .contains("showing the reminder window instead")
            .then_some(())
    });
    assert!(
        harness
            .status()
            .pending_of(ReminderKind::PostureCheck)
            .is_some()
    );
}

/// Sends one request to the daemon and reads its reply.
fn ask(harness: &Harness, request: &rebalance::ipc::Request) -> Response {
    let mut stream = UnixStream::connect(harness.socket()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut line = serde_json::to_string(request).unwrap();
    line.push('\n');
    stream.write_all(line.as_bytes()).unwrap();
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply).unwrap();
    serde_json::from_str(&reply).unwrap()
}

#[test]
fn a_test_reminder_is_answered_without_a_trace_in_the_log_or_schedule() {
    let Some(harness) = Harness::start(true) else {
        return;
    };
    let server = harness.notifications.as_ref().unwrap();
    let before = harness.status();
    assert_eq!(
        ask(&harness, &rebalance::ipc::Request::TestReminder),
        Response::Ok
    );
    let call = server.wait_for_call(1);
    assert_eq!(
        call.action_keys(),
        ["default", "all_good", "fixed_it"],
        "a posture check's buttons, no snooze: {call:?}"
    );
    assert!(call.summary.contains("test"), "{call:?}");
    assert_eq!(harness.status().test_answer, None);

    server.press(call.id, "fixed_it");
    let status = wait_until("the test answer in the status", || {
        let status = harness.status();
        status.test_answer.is_some().then_some(status)
    });
    assert_eq!(
        status.test_answer,
        Some(rebalance::core::model::Answer::FixedIt)
    );
    wait_until("the test notification to be withdrawn", || {
        server.closed().contains(&call.id).then_some(())
    });
    assert_eq!(
        logged(&harness, ReminderKind::PostureCheck, Outcome::Fixed),
        0
    );
    assert!(status.pending.is_empty(), "{status:?}");
    assert_eq!(status.today, before.today);
    assert_eq!(status.next, before.next, "the schedule did not move");
}

#[test]
fn without_a_notification_server_the_test_reminder_says_why() {
    let Some(harness) = Harness::start(false) else {
        return;
    };
    let reply = ask(&harness, &rebalance::ipc::Request::TestReminder);
    let Response::Error { message } = reply else {
        panic!("refused, with the reason: {reply:?}");
    };
    assert!(message.contains("small Rebalance window"), "{message}");
}

/// Sends `request` on `stream` without waiting for the reply.
fn send_line(stream: &mut UnixStream, request: &rebalance::ipc::Request) {
    let mut line = serde_json::to_string(request).unwrap();
    line.push('\n');
    stream.write_all(line.as_bytes()).unwrap();
}

#[test]
fn a_status_watch_is_held_until_a_reminder_falls_due() {
    let Some(harness) = Harness::start(true) else {
        return;
    };
    let stream = UnixStream::connect(harness.socket()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut read_status = |within: Duration| -> Result<rebalance::ipc::StatusReport, String> {
        reader.get_ref().set_read_timeout(Some(within)).unwrap();
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .map_err(|err| format!("no reply within {within:?}: {err}"))?;
        match serde_json::from_str(&line) {
            Ok(Response::Status(report)) => Ok(report),
            other => Err(format!("not a status: {other:?} from {line:?}")),
        }
    };

    // A first watch is answered at once.
    send_line(
        &mut writer,
        &rebalance::ipc::Request::WatchStatus { known: None },
    );
    let first = read_status(Duration::from_secs(10)).expect("a first status");
    assert!(first.pending.is_empty(), "{first:?}");

    // With that revision, nothing is said while nothing changes.
    send_line(
        &mut writer,
        &rebalance::ipc::Request::WatchStatus {
            known: Some(first.revision),
        },
    );
    let held = read_status(Duration::from_millis(1500));
    assert!(held.is_err(), "answered with nothing new: {held:?}");

    // A reminder falling due answers the held watch.
    let out = harness.run(&["check"]);
    assert!(out.status.success(), "{}", describe(&out));
    let changed = read_status(Duration::from_secs(2)).expect("the watch answered");
    assert!(
        changed.pending_of(ReminderKind::PostureCheck).is_some(),
        "{changed:?}"
    );
    assert!(changed.revision > first.revision, "{changed:?}");
    // The plain status says the same, with the same revision.
    assert_eq!(harness.status().revision, changed.revision);
}
