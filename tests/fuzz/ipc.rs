//! Fuzz targets for the daemon's socket: request lines of arbitrary bytes,
//! damaged requests and lines around the size cap, first decoded alone and
//! then sent to a real server. Every line gets exactly the reply the
//! protocol promises (a valid request reaches the handler unchanged, anything
//! else an error), an oversized line gets an error and a closed connection,
//! and the server goes on serving the next client, even while others hold
//! half-written lines open.

use std::io::{self, BufRead, BufReader, Write};
use std::net::Shutdown;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;
use std::thread;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rebalance::ipc::protocol::MAX_REQUEST_BYTES;
use rebalance::ipc::server::SocketServer;
use rebalance::ipc::{Client, Request, Response};
use tokio::sync::{mpsc, oneshot};

use crate::support::{
    Bytes, Cost, Damage, Verdict, apply_json_edits, arbitrary_bytes, damage, fuzz, request,
    sample_requests, special_json, within,
};

/// How the daemon decodes one request line.
fn decode(line: &[u8]) -> Result<Request, serde_json::Error> {
    serde_json::from_slice(line)
}

fn wire(request: &Request) -> Vec<u8> {
    serde_json::to_vec(request).expect("requests serialize")
}

fn damaged(request: &Request, damage: &Damage) -> Vec<u8> {
    damage.apply(&wire(request), |edits| {
        let value = serde_json::to_value(request).expect("requests serialize");
        apply_json_edits(&value, edits, &special_json())
            .to_string()
            .into_bytes()
    })
}

fn damaged_request() -> impl Strategy<Value = Bytes> {
    let seeds = prop_oneof![proptest::sample::select(sample_requests()), request()];
    (seeds, damage()).prop_map(|(request, damage)| Bytes(damaged(&request, &damage)))
}

#[test]
fn request_lines_decode_or_are_refused_with_a_reason() {
    let lines = prop_oneof![arbitrary_bytes(), damaged_request()];
    fuzz("ipc_decode", Cost::Cheap, lines, |Bytes(line)| {
        let decoded = {
            let line = line.clone();
            within("decoding a request", move || decode(&line))?
        };
        match &decoded {
            // A decoded request means the same once sent again.
            Ok(request) => {
                let again = decode(&wire(request)).ok();
                prop_assert_eq!(again.as_ref(), Some(request));
            }
            Err(err) => prop_assert!(err.to_string().len() >= 5, "no explanation: {err}"),
        }
        Ok(Verdict::from(&decoded))
    });
}

#[test]
fn every_request_survives_the_wire_on_one_line() {
    fuzz("ipc_round_trip", Cost::Cheap, request(), |request| {
        let line = wire(&request);
        prop_assert!(!line.contains(&b'\n'), "a request line holds a line break");
        prop_assert!(line.len() <= MAX_REQUEST_BYTES, "{} bytes", line.len());
        prop_assert_eq!(decode(&line).ok(), Some(request));
        Ok(Verdict::Accepted)
    });
}

/// A server on its own thread whose handler passes every request on to the
/// test and answers `Ok`.
struct Server {
    socket: PathBuf,
    seen: std_mpsc::Receiver<Request>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let socket = dir.path().join("rebalance.sock");
        let server = SocketServer::bind(&socket).expect("bind the socket");
        let (seen_tx, seen) = std_mpsc::channel();
        let (stop, mut stopped) = oneshot::channel::<()>();
        let thread = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let (tx, mut rx) = mpsc::channel(8);
                let _handle = server.spawn(tx).expect("serve");
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        Some(incoming) = rx.recv() => {
                            let _ = seen_tx.send(incoming.request);
                            let _ = incoming.reply.send(Response::Ok);
                        }
                    }
                }
            });
        });
        Server {
            socket,
            seen,
            stop: Some(stop),
            thread: Some(thread),
            _dir: dir,
        }
    }

    fn answers_a_ping(&self) -> bool {
        Client::connect_with_timeout(&self.socket, Duration::from_secs(20))
            .and_then(|mut client| client.request(&Request::Ping))
            .is_ok_and(|reply| reply == Response::Ok)
            && self.seen.recv_timeout(Duration::from_secs(20)).ok() == Some(Request::Ping)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One line of a session, sent with its line break.
// A few hundred short-lived values per case: the size of a settings
// request does not matter here.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
enum Piece {
    Request(Request),
    Damaged(Bytes),
    Garbage(Bytes),
    /// A ping padded with spaces (still valid JSON) to this many bytes.
    PaddedPing(usize),
    /// This many bytes of `x`, no JSON at all.
    Run(usize),
}

impl Piece {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Piece::Request(request) => wire(request),
            Piece::Damaged(Bytes(b)) | Piece::Garbage(Bytes(b)) => b.clone(),
            Piece::PaddedPing(len) => {
                let mut line = wire(&Request::Ping);
                line.resize((*len).max(line.len()), b' ');
                line
            }
            Piece::Run(len) => vec![b'x'; *len],
        }
    }
}

/// Lengths around the cap, where an off-by-one would show.
fn near_the_cap() -> impl Strategy<Value = usize> {
    prop_oneof![
        (MAX_REQUEST_BYTES - 2)..=(MAX_REQUEST_BYTES + 2),
        Just(MAX_REQUEST_BYTES * 3),
    ]
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        3 => request().prop_map(Piece::Request),
        3 => damaged_request().prop_map(Piece::Damaged),
        2 => proptest::collection::vec(any::<u8>(), 0..200)
            .prop_map(|mut b| {
                // A line break would split it into two lines.
                b.retain(|byte| *byte != b'\n');
                Piece::Garbage(Bytes(b))
            }),
        1 => near_the_cap().prop_map(Piece::PaddedPing),
        1 => near_the_cap().prop_map(Piece::Run),
    ]
}

/// What one client sends: whole lines, then maybe the start of another
/// before it closes its end.
#[derive(Debug, Clone)]
struct Session {
    lines: Vec<Piece>,
    unfinished: Option<Piece>,
}

fn session() -> impl Strategy<Value = Session> {
    (
        proptest::collection::vec(piece(), 0..6),
        proptest::option::of(piece()),
    )
        .prop_map(|(lines, unfinished)| Session { lines, unfinished })
}

/// What the server must do with one line.
#[derive(Debug, Clone, PartialEq)]
enum Expected {
    Handled(Box<Request>),
    Malformed,
    TooLong,
}

fn expected(line: &[u8]) -> Expected {
    if line.len() > MAX_REQUEST_BYTES {
        return Expected::TooLong;
    }
    match decode(line) {
        Ok(request) => Expected::Handled(Box::new(request)),
        Err(_) => Expected::Malformed,
    }
}

impl Session {
    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for piece in &self.lines {
            out.extend(piece.bytes());
            out.push(b'\n');
        }
        if let Some(piece) = &self.unfinished {
            out.extend(piece.bytes());
        }
        out
    }

    /// The replies due, in order, for the lines as the server splits them
    /// (a damaged piece may hold a line break); none after an oversized
    /// line, because the server closes the connection.
    fn expected(&self) -> Vec<Expected> {
        let bytes = self.bytes();
        let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
        // After the last line break: an unfinished line, or nothing.
        if lines.last().is_some_and(|rest| rest.is_empty()) {
            lines.pop();
        }
        let mut out = Vec::new();
        for line in lines {
            let due = expected(line);
            out.push(due.clone());
            if due == Expected::TooLong {
                break;
            }
        }
        out
    }
}

/// Sends `bytes` from a writer thread, closes the writing end, and reads
/// reply lines until the server closes. A reset after the replies counts as
/// a close: the server may close with unread input when it refuses a line.
fn exchange(socket: &Path, bytes: Vec<u8>) -> io::Result<Vec<String>> {
    let stream = UnixStream::connect(socket)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut writer = stream.try_clone()?;
    let sender = thread::spawn(move || {
        // The server stops reading after an oversized line; what it did
        // not read may fail to send.
        let _ = writer.write_all(&bytes);
        let _ = writer.shutdown(Shutdown::Write);
    });
    let mut replies = Vec::new();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => replies.push(line),
            Err(err) if err.kind() == io::ErrorKind::ConnectionReset => break,
            Err(err) => return Err(err),
        }
    }
    let _ = sender.join();
    Ok(replies)
}

fn check_reply(reply: &str, due: &Expected) -> Result<(), TestCaseError> {
    prop_assert!(
        reply.ends_with('\n'),
        "a reply without its line break: {reply:?}"
    );
    let reply: Response = serde_json::from_str(reply)
        .map_err(|err| TestCaseError::fail(format!("unreadable reply {reply:?}: {err}")))?;
    match (due, &reply) {
        (Expected::Handled(_), Response::Ok) => {}
        (Expected::Malformed, Response::Error { message }) => {
            prop_assert!(message.starts_with("malformed request"), "{message}");
        }
        (Expected::TooLong, Response::Error { message }) => {
            prop_assert!(message.contains("longer than"), "{message}");
        }
        _ => prop_assert!(false, "expected {due:?}, got {reply:?}"),
    }
    Ok(())
}

#[test]
fn a_real_server_answers_every_line_and_keeps_serving() {
    let server = Server::start();
    // A client that sent half a line and went quiet must not hold up others.
    let mut stalled = UnixStream::connect(&server.socket).expect("connect");
    stalled
        .write_all(br#"{"request":"pi"#)
        .expect("send half a line");
    fuzz("ipc_server", Cost::Costly, session(), |session| {
        let due = session.expected();
        let replies = exchange(&server.socket, session.bytes())
            .map_err(|err| TestCaseError::fail(format!("the exchange failed: {err}")))?;
        prop_assert_eq!(
            replies.len(),
            due.len(),
            "replies {:?} for lines due {:?}",
            replies,
            due
        );
        for (reply, due) in replies.iter().zip(&due) {
            check_reply(reply, due)?;
        }
        // Exactly the valid requests reached the handler, in order.
        for request in due.iter().filter_map(|d| match d {
            Expected::Handled(request) => Some(&**request),
            _ => None,
        }) {
            let seen = server.seen.recv_timeout(Duration::from_secs(20)).ok();
            prop_assert_eq!(seen.as_ref(), Some(request));
        }
        prop_assert!(server.seen.try_recv().is_err(), "the handler got more");
        prop_assert!(server.answers_a_ping(), "the server stopped serving");
        let handled = due.iter().any(|d| matches!(d, Expected::Handled(_)));
        Ok(if handled {
            Verdict::Accepted
        } else {
            Verdict::Refused
        })
    });
    // The stalled client is still connected and its request still waits.
    stalled.write_all(b"ng\"}\n").expect("finish the line");
    stalled
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut reply = String::new();
    BufReader::new(&stalled)
        .read_line(&mut reply)
        .expect("a reply to the finished line");
    assert_eq!(
        serde_json::from_str::<Response>(&reply).expect("a reply"),
        Response::Ok
    );
}

#[test]
fn many_half_written_lines_do_not_stop_the_server() {
    let server = Server::start();
    let mut stalled = Vec::new();
    for i in 0..64 {
        let mut stream = UnixStream::connect(&server.socket).expect("connect");
        // Half a request, a run near the cap without its end, or nothing.
        let half: Vec<u8> = match i % 3 {
            0 => br#"{"request":"trig"#.to_vec(),
            1 => vec![b' '; MAX_REQUEST_BYTES],
            _ => Vec::new(),
        };
        stream.write_all(&half).expect("send");
        stalled.push(stream);
    }
    assert!(server.answers_a_ping(), "the server stopped serving");
    // Closing them all mid-line: each half line is taken as a last request.
    for stream in &stalled {
        stream
            .shutdown(Shutdown::Write)
            .expect("close the writing end");
    }
    let mut malformed = 0;
    for stream in &stalled {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let mut reply = String::new();
        BufReader::new(stream).read_line(&mut reply).expect("read");
        if !reply.is_empty() {
            match serde_json::from_str::<Response>(&reply).expect("a reply") {
                Response::Error { message } => {
                    assert!(message.starts_with("malformed request"), "{message}");
                    malformed += 1;
                }
                other => panic!("expected an error, got {other:?}"),
            }
        }
    }
    // 22 cut-short requests and 21 lines of spaces; empty ones get no reply.
    assert_eq!(malformed, 43);
    assert!(server.seen.try_recv().is_err(), "no half line was handled");
    assert!(server.answers_a_ping(), "the server stopped serving");
}

#[test]
fn a_line_of_exactly_the_cap_is_served_and_one_byte_more_is_refused() {
    let server = Server::start();
    for (len, due) in [
        (
            MAX_REQUEST_BYTES,
            Expected::Handled(Box::new(Request::Ping)),
        ),
        (MAX_REQUEST_BYTES + 1, Expected::TooLong),
    ] {
        for ending in [&b"\n"[..], b""] {
            let mut bytes = Piece::PaddedPing(len).bytes();
            assert_eq!(bytes.len(), len);
            bytes.extend(ending);
            let replies = exchange(&server.socket, bytes).expect("exchange");
            assert_eq!(replies.len(), 1, "{len} bytes: {replies:?}");
            check_reply(&replies[0], &due).expect("the reply due");
        }
    }
    for _ in 0..2 {
        assert_eq!(server.seen.try_recv().ok(), Some(Request::Ping));
    }
    assert!(server.answers_a_ping());
}
