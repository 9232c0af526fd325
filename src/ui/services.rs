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

/// How often the status is asked for while the Today view is shown.
pub const STATUS_EVERY: Duration = Duration::from_secs(1);

/// Asks the daemon for its status on a worker thread, once a second while
/// switched on, so a slow reply never holds up a frame. Each reply wakes the
/// window: the replies are what repaint the Today view's countdowns, one
/// frame a second.
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
            .spawn(move || poll_loop(&link, &ctx, &switch_rx, &reply_tx))
            .map_err(|err| tracing::warn!("no status poller thread: {err}"))
            .ok();
        Self {
            switch,
            replies,
            active: false,
        }
    }

    /// Switches polling on (a first request goes out at once) or off.
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

fn poll_loop(
    link: &SharedLink,
    ctx: &egui::Context,
    switch: &mpsc::Receiver<bool>,
    replies: &mpsc::Sender<Result<Response, String>>,
) {
    let mut active = false;
    let mut wait = STATUS_EVERY;
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
            if !active {
                continue;
            }
        }
        let started = std::time::Instant::now();
        if replies.send(send_shared(link, &Request::Status)).is_err() {
            return;
        }
        ctx.request_repaint();
        // Keep a steady rhythm whatever the reply took.
        wait = STATUS_EVERY.saturating_sub(started.elapsed());
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
