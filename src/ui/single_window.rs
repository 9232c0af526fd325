//! One main window per user: the first window listens on a private socket
//! in the runtime folder; a later start hands the wanted view to it, which
//! switches to that view and comes to the front, and exits.
//!
//! The protocol is one line each way: `open` or `open <view>`, answered by
//! `ok`.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::ipc::server::lock_path;
use crate::platform::files;
use crate::platform::local_socket::{LocalListener, LocalStream, bind_owner_only, peer_uid};
use crate::platform::paths::current_uid;
use crate::ui::actions::View;

/// The window's socket file name, next to the daemon's in the runtime folder.
pub const WINDOW_SOCKET_NAME: &str = "window.sock";

/// Longest request line accepted; real ones are a few bytes.
const MAX_LINE: u64 = 256;

/// How long either side waits for the other's line.
const LINE_TIMEOUT: Duration = Duration::from_secs(3);

/// How long a start waits for another window that is starting at the same
/// moment to begin listening.
const STARTING_WAIT: Duration = Duration::from_secs(5);

/// The window socket inside `runtime_dir`.
pub fn window_socket(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join(WINDOW_SOCKET_NAME)
}

/// What trying to become the window found.
#[derive(Debug)]
pub enum Claim {
    /// No window was open: this process opens it and must serve requests.
    First(WindowServer),
    /// A window was open; it received the request and came to the front.
    AlreadyOpen,
}

/// Becomes the only window, or hands `view` to the open one.
///
/// A socket that answers means a window is open; one that does not is a
/// leftover of a window that died and is replaced. A lock file next to the
/// socket settles two windows starting at once.
pub fn claim(socket: &Path, view: Option<View>) -> io::Result<Claim> {
    let lock_path = lock_path(socket);
    let lock = files::owner_only(OpenOptions::new().create(true).truncate(false).write(true))
        .open(&lock_path)
        .map_err(|err| with_path(err, &lock_path))?;
    let started = Instant::now();
    loop {
        if forward(socket, view).is_ok() {
            return Ok(Claim::AlreadyOpen);
        }
        if files::try_lock_exclusive(&lock).map_err(|err| with_path(err, &lock_path))? {
            break;
        }
        // Another window holds the lock but does not answer yet: it is
        // starting. Wait for it rather than open a second window.
        if started.elapsed() >= STARTING_WAIT {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "another window holds {} but does not answer",
                    lock_path.display()
                ),
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // We hold the lock, so whatever socket file is there is stale.
    match std::fs::remove_file(socket) {
        Ok(()) => tracing::info!(socket = %socket.display(), "removed a stale window socket"),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(with_path(err, socket)),
    }
    let listener = bind_owner_only(socket).map_err(|err| with_path(err, socket))?;
    Ok(Claim::First(WindowServer {
        listener,
        path: socket.to_path_buf(),
        lock,
    }))
}

/// Sends one open request to the window listening on `socket` and waits
/// for its `ok`.
pub fn forward(socket: &Path, view: Option<View>) -> io::Result<()> {
    let mut stream = LocalStream::connect(socket)?;
    stream.set_read_timeout(Some(LINE_TIMEOUT))?;
    stream.set_write_timeout(Some(LINE_TIMEOUT))?;
    stream.write_all(request_line(view).as_bytes())?;
    let mut reply = String::new();
    BufReader::new(stream.take(MAX_LINE)).read_line(&mut reply)?;
    if reply.trim_end() == "ok" {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the open window replied {reply:?}"),
        ))
    }
}

/// The request line asking for `view` (or only to come forward).
fn request_line(view: Option<View>) -> String {
    match view {
        Some(view) => format!("open {}\n", view.label().to_ascii_lowercase()),
        None => "open\n".to_owned(),
    }
}

/// Reads a request line: `Some(view)` for a well-formed one (the view
/// itself is `None` when absent or unknown: just come forward).
fn parse_request(line: &str) -> Option<Option<View>> {
    let mut words = line.split_whitespace();
    if words.next() != Some("open") {
        return None;
    }
    let view = words.next().and_then(View::parse);
    Some(view)
}

/// The bound window socket plus the lock that makes this window the only
/// one; call [`WindowServer::serve`] to answer requests.
#[derive(Debug)]
pub struct WindowServer {
    listener: LocalListener,
    path: PathBuf,
    lock: File,
}

impl WindowServer {
    /// Answers open requests on a thread: each lands in the returned
    /// [`OpenRequests`], then `wake` runs (the window passes its repaint
    /// request, so it handles the request at once).
    pub fn serve(self, wake: impl Fn() + Send + 'static) -> io::Result<OpenRequests> {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let listener = self.listener;
        std::thread::Builder::new()
            .name("window-socket".to_owned())
            .spawn(move || {
                for stream in listener.incoming() {
                    if thread_stop.load(Ordering::SeqCst) {
                        return;
                    }
                    match stream {
                        Ok(stream) => {
                            if let Err(err) = answer(stream, &tx, &wake) {
                                tracing::debug!("an open request failed: {err}");
                            }
                        }
                        Err(err) => {
                            tracing::warn!("accepting on the window socket failed: {err}");
                            std::thread::sleep(Duration::from_millis(200));
                        }
                    }
                }
            })?;
        Ok(OpenRequests {
            rx,
            path: self.path,
            stop,
            _lock: self.lock,
        })
    }
}

/// Reads one request from `stream`, queues it, wakes the window, replies.
fn answer(stream: LocalStream, tx: &mpsc::Sender<OpenRequest>, wake: &impl Fn()) -> io::Result<()> {
    if peer_uid(&stream)? != current_uid() {
        tracing::warn!("refused a window request from another user");
        return Ok(());
    }
    stream.set_read_timeout(Some(LINE_TIMEOUT))?;
    stream.set_write_timeout(Some(LINE_TIMEOUT))?;
    let mut line = String::new();
    BufReader::new((&stream).take(MAX_LINE)).read_line(&mut line)?;
    let Some(view) = parse_request(&line) else {
        return (&stream).write_all(b"error: unknown request\n");
    };
    // The window is gone when the receiver is; the requester then opens
    // its own, so it must not hear "ok".
    if tx.send(OpenRequest { view }).is_err() {
        return Ok(());
    }
    wake();
    (&stream).write_all(b"ok\n")
}

/// A later start asking the open window to come forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenRequest {
    /// The view to switch to; `None` keeps the current one.
    pub view: Option<View>,
}

/// Requests received by the serving window. Dropping it stops serving and
/// removes the socket, so the next start opens a window of its own.
#[derive(Debug)]
pub struct OpenRequests {
    rx: mpsc::Receiver<OpenRequest>,
    path: PathBuf,
    stop: Arc<AtomicBool>,
    _lock: File,
}

impl OpenRequests {
    /// The next request not yet handled, without waiting.
    pub fn try_next(&self) -> Option<OpenRequest> {
        self.rx.try_recv().ok()
    }
}

impl Drop for OpenRequests {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so it sees the stop flag and ends.
        let _ = LocalStream::connect(&self.path);
        // The lock is still held here, so the file is ours to remove.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Brings the window to the front: shown, not minimized, focused.
pub fn raise(ctx: &egui::Context) {
    ctx.send_viewport_cmd(egui::ViewportCommand::Visible(true));
    ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
    ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
}

fn with_path(err: io::Error, path: &Path) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(socket: &Path) -> OpenRequests {
        match claim(socket, None).expect("claim") {
            Claim::First(server) => server.serve(|| {}).expect("serve"),
            Claim::AlreadyOpen => panic!("no window was open"),
        }
    }

    #[test]
    fn a_second_start_hands_its_view_to_the_open_window() {
        let dir = tempfile::tempdir().unwrap();
        let socket = window_socket(dir.path());
        let requests = first(&socket);
        assert!(!files::open_to_others(&socket), "owner-only socket");

        let second = claim(&socket, Some(View::Break)).unwrap();
        assert!(matches!(second, Claim::AlreadyOpen), "{second:?}");
        assert_eq!(
            requests.try_next(),
            Some(OpenRequest {
                view: Some(View::Break)
            })
        );

        let third = claim(&socket, None).unwrap();
        assert!(matches!(third, Claim::AlreadyOpen));
        assert_eq!(requests.try_next(), Some(OpenRequest { view: None }));
        assert_eq!(requests.try_next(), None);
    }

    /// Only a Unix socket leaves a file behind; a pipe goes with its
    /// last handle.
    #[cfg(unix)]
    #[test]
    fn a_stale_socket_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let socket = window_socket(dir.path());
        // A window that died leaves its socket file behind, nobody listening.
        drop(LocalListener::bind(&socket).unwrap());
        assert!(socket.exists());

        let requests = first(&socket);
        assert!(matches!(
            claim(&socket, Some(View::Routine)).unwrap(),
            Claim::AlreadyOpen
        ));
        assert_eq!(
            requests.try_next(),
            Some(OpenRequest {
                view: Some(View::Routine)
            })
        );
    }

    #[test]
    fn a_closed_window_lets_the_next_start_open_one() {
        let dir = tempfile::tempdir().unwrap();
        let socket = window_socket(dir.path());
        drop(first(&socket));
        assert!(!socket.exists(), "socket removed on close");
        let again = first(&socket);
        assert!(matches!(claim(&socket, None).unwrap(), Claim::AlreadyOpen));
        assert_eq!(again.try_next(), Some(OpenRequest { view: None }));
    }

    #[test]
    fn request_lines_round_trip_and_junk_is_refused() {
        for view in View::TABS {
            assert_eq!(parse_request(&request_line(Some(view))), Some(Some(view)));
        }
        assert_eq!(parse_request(&request_line(None)), Some(None));
        assert_eq!(parse_request("open nonsense\n"), Some(None));
        assert_eq!(parse_request("close\n"), None);
        assert_eq!(parse_request(""), None);
    }
}
