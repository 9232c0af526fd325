//! What the window depends on from outside, behind small interfaces so the
//! window can be built in tests without a daemon or a real clock: the link to
//! the daemon, the clock, and starting the background service.

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Local, Utc};

use crate::ipc::{Client, Request, Response};
use crate::platform::process::spawn_detached;

/// How long the window waits for the daemon; it is local and answers in
/// milliseconds, so a slow reply means it is stuck and the window moves on.
const LINK_TIMEOUT: Duration = Duration::from_secs(2);

/// The window's line to the background service.
pub trait DaemonLink: Send {
    /// Sends one request and returns the reply, or a plain-words reason why
    /// no reply came (for instance the daemon is not running).
    fn request(&mut self, request: &Request) -> Result<Response, String>;
}

/// The real link: the blocking IPC client over the daemon's socket,
/// reconnecting when the daemon restarted.
pub struct SocketLink {
    socket: PathBuf,
    client: Option<Client>,
}

impl SocketLink {
    /// A link to the daemon listening at `socket`; nothing is connected yet.
    pub fn new(socket: PathBuf) -> Self {
        Self {
            socket,
            client: None,
        }
    }
}

impl DaemonLink for SocketLink {
    fn request(&mut self, request: &Request) -> Result<Response, String> {
        // A kept connection may have been closed by a daemon restart: retry
        // once on a fresh one before giving up.
        for attempt in 0..2 {
            if self.client.is_none() {
                let client = Client::connect_with_timeout(&self.socket, LINK_TIMEOUT)
                    .map_err(|err| err.to_string())?;
                self.client = Some(client);
            }
            let Some(client) = self.client.as_mut() else {
                break;
            };
            match client.request(request) {
                Ok(response) => return Ok(response),
                Err(err) => {
                    self.client = None;
                    if attempt == 1 {
                        return Err(err.to_string());
                    }
                }
            }
        }
        Err("the daemon did not answer".to_owned())
    }
}

/// A link shared between the window and the thread polling the status.
pub type SharedLink = Arc<Mutex<Box<dyn DaemonLink>>>;

/// Sends `request` over a shared link (a panic elsewhere while it was held
/// does not make the link unusable).
pub fn send_shared(link: &SharedLink, request: &Request) -> Result<Response, String> {
    let mut guard = link
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    guard.request(request)
}

/// How often the daemon is asked, in the background, whether anything
/// changed while the Today view is shown. A check costs a local round trip
/// and no frame: the window repaints only when the answer differs, so an
/// answer given from a notification shows up within this time.
pub const STATUS_CHECK_EVERY: Duration = Duration::from_secs(2);

/// Asks the daemon for its status on a worker thread while switched on, so
/// a slow reply never holds up a frame. Only a reply that differs from the
/// last one (a new pending reminder, a moved deadline, a logged answer) is
/// handed over and wakes the window; the countdowns' own minute ticks are
/// scheduled by the window (see [`crate::ui::countdown`]).
pub struct StatusPoller {
    switch: mpsc::Sender<bool>,
    replies: mpsc::Receiver<Result<Response, String>>,
    active: bool,
}

impl StatusPoller {
    /// Starts the worker, switched off; it ends when the poller is dropped.
    pub fn start(link: SharedLink, ctx: egui::Context) -> Self {
        let (switch, switch_rx) = mpsc::channel::<bool>();
        let (reply_tx, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("status-poller".to_owned())
            .spawn(move || {
                poll_loop(&link, &switch_rx, &reply_tx, STATUS_CHECK_EVERY, || {
                    ctx.request_repaint();
                });
            })
            .map_err(|err| tracing::warn!("no status poller thread: {err}"))
            .ok();
        Self {
            switch,
            replies,
            active: false,
        }
    }

    /// Switches polling on (a first request goes out at once and its reply
    /// is always handed over) or off.
    pub fn set_active(&mut self, active: bool) {
        if active != self.active && self.switch.send(active).is_ok() {
            self.active = active;
        }
    }

    /// Whether it polls.
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// The latest reply, if one came since the last call.
    pub fn take(&mut self) -> Option<Result<Response, String>> {
        self.replies.try_iter().last()
    }
}

/// A reply with the daemon's own timestamp left out, so two replies that
/// would show the same compare equal.
fn what_it_shows(reply: &Result<Response, String>) -> Result<Response, String> {
    match reply {
        Ok(Response::Status(report)) => {
            let mut report = report.clone();
            report.at = DateTime::<Utc>::UNIX_EPOCH;
            Ok(Response::Status(report))
        }
        other => other.clone(),
    }
}

/// The worker: while switched on, asks every `every`; hands a reply over and
/// calls `wake` when it is the first since switching on or differs from the
/// last one handed over.
fn poll_loop(
    link: &SharedLink,
    switch: &mpsc::Receiver<bool>,
    replies: &mpsc::Sender<Result<Response, String>>,
    every: Duration,
    wake: impl Fn(),
) {
    let mut active = false;
    let mut last: Option<Result<Response, String>> = None;
    let mut wait = every;
    loop {
        let message = if active {
            match switch.recv_timeout(wait) {
                Ok(on) => Some(on),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match switch.recv() {
                Ok(on) => Some(on),
                Err(mpsc::RecvError) => return,
            }
        };
        if let Some(on) = message {
            active = on;
            // Whatever comes after a switch is news to the window.
            last = None;
            if !active {
                continue;
            }
        }
        let started = std::time::Instant::now();
        let reply = send_shared(link, &Request::Status);
        let shown = what_it_shows(&reply);
        if last.as_ref() != Some(&shown) {
            last = Some(shown);
            if replies.send(reply).is_err() {
                return;
            }
            wake();
        }
        // Keep a steady rhythm whatever the reply took.
        wait = every.saturating_sub(started.elapsed());
    }
}

/// Where the window reads the time from.
pub trait Clock {
    /// The current time with the local UTC offset.
    fn now(&self) -> DateTime<FixedOffset>;

    /// The current time in UTC.
    fn now_utc(&self) -> DateTime<Utc> {
        self.now().with_timezone(&Utc)
    }
}

/// The system clock in the local time zone.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        Local::now().fixed_offset()
    }
}

/// Starts the background service when it is not running.
pub trait ServiceStarter {
    /// Launches the daemon, detached from the window.
    fn start(&mut self) -> Result<(), String>;
}

/// Starts `<this executable> daemon` as a detached process.
#[derive(Debug, Clone, Copy, Default)]
pub struct DaemonProcess;

impl ServiceStarter for DaemonProcess {
    fn start(&mut self) -> Result<(), String> {
        let exe = std::env::current_exe()
            .map_err(|err| format!("could not find the program to start: {err}"))?;
        // The child is not waited for: it is the long-running daemon, and
        // setsid detaches it; the window exits without reaping it.
        spawn_detached(Command::new(exe).arg("daemon"))
            .map(drop)
            .map_err(|err| format!("could not start the background service: {err}"))
    }
}

/// Everything the window needs from outside, injected so tests can swap any
/// part.
pub struct Deps {
    /// The SQLite log.
    pub db_file: PathBuf,
    /// The settings file.
    pub config_file: PathBuf,
    /// Where reports for a therapist are written.
    pub reports_dir: PathBuf,
    /// The line to the daemon.
    pub link: Box<dyn DaemonLink>,
    /// The clock.
    pub clock: Box<dyn Clock>,
    /// How to start the daemon when it is not running.
    pub starter: Box<dyn ServiceStarter>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A daemon whose status changes only when the test says so, and which
    /// stamps every reply with a new time as the real one does.
    struct Scripted {
        asked: Arc<AtomicUsize>,
        version: Arc<AtomicUsize>,
    }

    impl DaemonLink for Scripted {
        fn request(&mut self, _request: &Request) -> Result<Response, String> {
            let asked = self.asked.fetch_add(1, Ordering::SeqCst);
            let version = self.version.load(Ordering::SeqCst);
            let mut report = crate::ipc::StatusReport {
                at: DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::seconds(asked as i64),
                revision: 0,
                pause: crate::ipc::Pause::Running,
                next: std::collections::BTreeMap::new(),
                pending: Vec::new(),
                today: crate::ipc::TodayCounts::default(),
                degraded: Vec::new(),
                settings_warning: None,
                idle_source: "none".to_owned(),
                holding: None,
                test_answer: None,
            };
            report.today.routine_minutes = version as u32;
            Ok(Response::Status(report))
        }
    }

    #[test]
    fn only_a_changed_status_is_handed_over_and_wakes_the_window() {
        let asked = Arc::new(AtomicUsize::new(0));
        let version = Arc::new(AtomicUsize::new(0));
        let link: SharedLink = Arc::new(Mutex::new(Box::new(Scripted {
            asked: asked.clone(),
            version: version.clone(),
        })));
        let wakes = Arc::new(AtomicUsize::new(0));
        let (switch, switch_rx) = mpsc::channel();
        let (reply_tx, replies) = mpsc::channel();
        let thread_wakes = wakes.clone();
        let worker = std::thread::spawn(move || {
            poll_loop(
                &link,
                &switch_rx,
                &reply_tx,
                Duration::from_millis(5),
                || {
                    thread_wakes.fetch_add(1, Ordering::SeqCst);
                },
            );
        });
        let wait_for_asks = |n: usize| {
            let start = asked.load(Ordering::SeqCst);
            while asked.load(Ordering::SeqCst) < start + n {
                std::thread::yield_now();
            }
        };
        switch.send(true).unwrap();
        wait_for_asks(5);
        assert_eq!(wakes.load(Ordering::SeqCst), 1, "the first reply only");
        version.store(1, Ordering::SeqCst);
        wait_for_asks(5);
        assert_eq!(wakes.load(Ordering::SeqCst), 2, "and the changed one");
        // Switching off and on again hands the next reply over.
        switch.send(false).unwrap();
        switch.send(true).unwrap();
        wait_for_asks(3);
        assert_eq!(wakes.load(Ordering::SeqCst), 3);
        drop(switch);
        worker.join().unwrap();
        assert_eq!(replies.try_iter().count(), 3);
    }
}
