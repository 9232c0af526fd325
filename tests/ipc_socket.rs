//! The IPC layer through a real Unix socket: every request round-trips to an
//! in-process server with a fake handler; malformed and oversized lines get
//! an error reply without taking the server down; a second server is refused;
//! a stale socket file is replaced.

// The Unix socket's file modes and stale socket files; the named pipe has no socket file.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;
use std::thread;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use rebalance::core::model::{Answer, Entry, Outcome, ReminderKind};
use rebalance::core::schedule::PauseLength;
use rebalance::core::settings::Settings;
use rebalance::ipc::protocol::MAX_REQUEST_BYTES;
use rebalance::ipc::server::{BindError, SocketServer};
use rebalance::ipc::{Client, IpcError, Request, Response, StatusReport, TodayCounts};
use tokio::sync::{mpsc, oneshot};

/// A server on its own thread whose handler records each request and answers
/// `Status` with a fixed report and anything else with `Ok`.
struct FakeDaemon {
    socket: PathBuf,
    seen: std_mpsc::Receiver<Request>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

fn fixed_report() -> StatusReport {
    StatusReport {
        at: Utc.with_ymd_and_hms(2025, 3, 4, 10, 0, 0).unwrap(),
        revision: 0,
        pause: rebalance::ipc::Pause::Running,
        next: BTreeMap::from([(ReminderKind::PostureCheck, None)]),
        pending: Vec::new(),
        today: TodayCounts::default(),
        degraded: vec![rebalance::ipc::Degraded {
            feature: rebalance::ipc::Feature::Tray,
            reason: "no StatusNotifierWatcher".to_owned(),
        }],
        settings_warning: None,
        idle_source: "none".to_owned(),
        holding: None,
        test_answer: None,
    }
}

impl FakeDaemon {
    fn start() -> FakeDaemon {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("rebalance.sock");
        let server = SocketServer::bind(&socket).unwrap();
        let (seen_tx, seen) = std_mpsc::channel();
        let (stop, mut stopped) = oneshot::channel::<()>();
        let thread = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let (tx, mut rx) = mpsc::channel(8);
                let _handle = server.spawn(tx).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        Some(incoming) = rx.recv() => {
                            let reply = match incoming.request {
                                Request::Status => Response::Status(fixed_report()),
                                _ => Response::Ok,
                            };
                            seen_tx.send(incoming.request).unwrap();
                            let _ = incoming.reply.send(reply);
                        }
                    }
                }
            });
        });
        FakeDaemon {
            socket,
            seen,
            stop: Some(stop),
            thread: Some(thread),
            _dir: dir,
        }
    }
}

impl Drop for FakeDaemon {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn every_request() -> Vec<Request> {
    vec![
        Request::Ping,
        Request::Status,
        Request::WatchStatus { known: None },
        Request::WatchStatus { known: Some(42) },
        Request::Pause {
            length: PauseLength::For(Duration::from_secs(3600)),
        },
        Request::Pause {
            length: PauseLength::UntilTomorrow,
        },
        Request::Pause {
            length: PauseLength::UntilResumed,
        },
        Request::Resume,
        Request::Trigger {
            kind: ReminderKind::Routine,
        },
        Request::Answer {
            kind: None,
            answer: Answer::Snooze,
        },
        Request::Answer {
            kind: Some(ReminderKind::PostureCheck),
            answer: Answer::FixedIt,
        },
        Request::Start {
            kind: ReminderKind::MoveBreak,
        },
        Request::Record {
            entry: Entry::new(
                ReminderKind::Routine,
                Outcome::Completed,
                Utc.with_ymd_and_hms(2025, 3, 4, 18, 20, 0).unwrap(),
                3600,
            ),
        },
        Request::ApplySettings {
            settings: Settings::default(),
        },
        Request::Open {
            view: Some(rebalance::core::view::View::Break),
        },
        Request::Open { view: None },
        Request::Quit,
    ]
}

#[test]
fn every_request_reaches_the_handler_unchanged_and_gets_its_reply() {
    let daemon = FakeDaemon::start();
    let mut client = Client::connect(&daemon.socket).unwrap();
    for request in every_request() {
        let reply = client.request(&request).unwrap();
        let expected = match request {
            Request::Status => Response::Status(fixed_report()),
            _ => Response::Ok,
        };
        assert_eq!(reply, expected, "reply to {request:?}");
        let seen = daemon.seen.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(seen, request);
    }
}

#[test]
fn the_socket_is_private_to_its_owner() {
    let daemon = FakeDaemon::start();
    let mode = std::fs::metadata(&daemon.socket)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

fn raw_exchange(socket: &Path, bytes: &[u8]) -> String {
    let mut stream = UnixStream::connect(socket).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(bytes).unwrap();
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).unwrap();
    line
}

#[test]
fn malformed_requests_get_an_error_and_the_server_goes_on() {
    let daemon = FakeDaemon::start();
    for bad in [
        &b"this is not json\n"[..],
        b"{\"request\":\"dance\"}\n",
        b"{\"request\":\"trigger\",\"kind\":\"nap\"}\n",
        b"\xff\xfe\n",
        b"\n",
    ] {
        let reply: Response = serde_json::from_str(&raw_exchange(&daemon.socket, bad)).unwrap();
        match reply {
            Response::Error { message } => assert!(message.contains("malformed"), "{message}"),
            other => panic!("expected an error for {bad:?}, got {other:?}"),
        }
    }
    assert_eq!(
        Client::connect(&daemon.socket)
            .unwrap()
            .request(&Request::Ping)
            .unwrap(),
        Response::Ok
    );
    assert!(
        daemon.seen.try_recv().is_ok(),
        "only the ping reached the handler"
    );
    assert!(daemon.seen.try_recv().is_err());
}

#[test]
fn an_oversized_request_gets_an_error_and_the_server_goes_on() {
    let daemon = FakeDaemon::start();
    let mut huge = vec![b'x'; MAX_REQUEST_BYTES * 3];
    huge.push(b'\n');
    let reply: Response = serde_json::from_str(&raw_exchange(&daemon.socket, &huge)).unwrap();
    match reply {
        Response::Error { message } => assert!(message.contains("longer than"), "{message}"),
        other => panic!("expected an error, got {other:?}"),
    }
    let mut client = Client::connect(&daemon.socket).unwrap();
    assert_eq!(client.request(&Request::Ping).unwrap(), Response::Ok);
}

#[test]
fn a_second_server_on_the_same_socket_is_refused() {
    let daemon = FakeDaemon::start();
    match SocketServer::bind(&daemon.socket) {
        Err(BindError::AlreadyRunning { socket }) => assert_eq!(socket, daemon.socket),
        other => panic!("expected AlreadyRunning, got {other:?}"),
    }
    // The refused attempt must not have disturbed the running one.
    let mut client = Client::connect(&daemon.socket).unwrap();
    assert_eq!(client.request(&Request::Ping).unwrap(), Response::Ok);
}

#[test]
fn a_stale_socket_file_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("rebalance.sock");
    // A socket file nobody listens on, as a crashed daemon leaves behind.
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    assert!(socket.exists());
    assert!(matches!(
        Client::connect(&socket),
        Err(IpcError::NotRunning { .. })
    ));
    let server = SocketServer::bind(&socket).unwrap();
    assert_eq!(server.path(), socket);
}

#[test]
fn no_socket_means_not_running() {
    let dir = tempfile::tempdir().unwrap();
    let err = Client::connect(&dir.path().join("absent.sock")).unwrap_err();
    assert!(matches!(err, IpcError::NotRunning { .. }), "{err:?}");
}
