//! What the window depends on from outside, behind small interfaces so the
//! window can be built in tests without a daemon or a real clock: the link to
//! the daemon, the clock, and starting the background service.

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Local, Utc};

use crate::ipc::protocol::WATCH_HOLD_LIMIT;
use crate::ipc::{Client, Request, Response};
use crate::platform::process::spawn_detached;

/// How long the window waits for the daemon; it is local and answers in
/// milliseconds, so a slow reply means it is stuck and the window moves on.
const LINK_TIMEOUT: Duration = Duration::from_secs(2);

/// How long the status watch's line waits for a reply: longer than the
/// daemon holds a watch, so a held watch is not taken for a stuck daemon.
const WATCH_TIMEOUT: Duration = WATCH_HOLD_LIMIT.saturating_add(Duration::from_secs(30));

/// The window's line to the background service.
pub trait DaemonLink: Send {
    /// Sends one request and returns the reply, or a plain-words reason why
    /// no reply came (for instance the daemon is not running).
    fn request(&mut self, request: &Request) -> Result<Response, String>;

    /// A separate line to the same daemon for the status watch, which holds
    /// its connection for minutes and so must never share this one (nor the
    /// lock around it). `None`, the default, when there is no daemon behind
    /// this link to watch: the window then fetches the status only at start
    /// and after its own requests.
    fn watch_link(&self) -> Option<Box<dyn DaemonLink>> {
        None
    }
}

/// The real link: the blocking IPC client over the daemon's socket,
/// reconnecting when the daemon restarted.
pub struct SocketLink {
    socket: PathBuf,
    client: Option<Client>,
    /// How long a reply may take.
    timeout: Duration,
}

impl SocketLink {
    /// A link to the daemon listening at `socket`; nothing is connected yet.
    pub fn new(socket: PathBuf) -> Self {
        Self {
            socket,
            client: None,
            timeout: LINK_TIMEOUT,
        }
    }
}

impl DaemonLink for SocketLink {
    fn request(&mut self, request: &Request) -> Result<Response, String> {
        // A kept connection may have been closed by a daemon restart: retry
        // once on a fresh one before giving up.
        for attempt in 0..2 {
            if self.client.is_none() {
                let client = Client::connect_with_timeout(&self.socket, self.timeout)
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

    fn watch_link(&self) -> Option<Box<dyn DaemonLink>> {
        Some(Box::new(SocketLink {
            socket: self.socket.clone(),
            client: None,
            timeout: WATCH_TIMEOUT,
        }))
    }
}

/// The window's link, shared between its views and dialogs.
pub type SharedLink = Arc<Mutex<Box<dyn DaemonLink>>>;

/// Sends `request` over a shared link (a panic elsewhere while it was held
/// does not make the link unusable).
pub fn send_shared(link: &SharedLink, request: &Request) -> Result<Response, String> {
    let mut guard = link
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    guard.request(request)
}

/// How long the status watch waits after the daemon could not be reached
/// (not running, restarting) before it asks again.
pub const RETRY_AFTER: Duration = Duration::from_secs(2);

/// The shortest time between two status watches. The daemon holds a watch
/// until its status changes, so watches follow each other quickly only while
/// it changes quickly; this bounds the traffic should it ever answer at once
/// over and over. No change is lost meanwhile: the next watch carries the
/// revision the window has, and a newer status is answered at once.
const MIN_GAP: Duration = Duration::from_millis(500);

/// Watches the daemon's status on a thread of its own while switched on, so
/// the window learns of a change (a reminder due, a notification answered, a
/// pause) when it happens, without asking on a timer and without ever holding
/// up a frame. The thread keeps a connection of its own for the watch, which
/// the daemon holds for minutes (see [`Request::WatchStatus`]). Only a reply
/// that shows something new is handed over and wakes the window; the
/// countdowns' own minute ticks are scheduled by the window (see
/// [`crate::ui::countdown`]).
pub struct StatusPoller {
    switch: mpsc::Sender<bool>,
    replies: mpsc::Receiver<Result<Response, String>>,
    active: bool,
}

impl StatusPoller {
    /// Starts the watcher, switched off, on a second line to the daemon
    /// behind `link` (none when the link has no daemon to watch). The thread
    /// ends when the poller is dropped, once a watch in flight comes back.
    pub fn start(link: &SharedLink, ctx: egui::Context) -> Self {
        let (switch, switch_rx) = mpsc::channel::<bool>();
        let (reply_tx, replies) = mpsc::channel();
        let watch = link
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .watch_link();
        if let Some(mut watch) = watch {
            let pace = Pace {
                retry_after: RETRY_AFTER,
                min_gap: MIN_GAP,
            };
            std::thread::Builder::new()
                .name("status-watch".to_owned())
                .spawn(move || {
                    watch_loop(watch.as_mut(), &switch_rx, &reply_tx, pace, || {
                        ctx.request_repaint();
                    });
                })
                .map_err(|err| tracing::warn!("no status watch thread: {err}"))
                .ok();
        }
        Self {
            switch,
            replies,
            active: false,
        }
    }

    /// Switches watching on (a first request goes out at once and its reply
    /// is always handed over) or off (no new watch goes out; one in flight
    /// is still handed over when it comes back).
    pub fn set_active(&mut self, active: bool) {
        if active != self.active && self.switch.send(active).is_ok() {
            self.active = active;
        }
    }

    /// Whether it watches.
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// The latest reply, if one came since the last call.
    pub fn take(&mut self) -> Option<Result<Response, String>> {
        self.replies.try_iter().last()
    }
}

/// The watcher's waits, shortened in tests.
#[derive(Debug, Clone, Copy)]
struct Pace {
    /// After a failure, before asking again.
    retry_after: Duration,
    /// The least time from one watch to the next.
    min_gap: Duration,
}

/// A reply as the window would show it: two replies that show the same
/// compare equal (see [`crate::ipc::StatusReport::what_it_shows`]).
fn what_it_shows(reply: &Result<Response, String>) -> Result<Response, String> {
    match reply {
        Ok(Response::Status(report)) => Ok(Response::Status(report.what_it_shows())),
        other => other.clone(),
    }
}

/// The watcher: while switched on, sends a watch with the revision it has
/// and, when the reply comes, at once the next one; hands a reply over and
/// calls `wake` when it is the first since switching on or shows something
/// new. It ends when the switch's sender is gone.
fn watch_loop(
    link: &mut dyn DaemonLink,
    switch: &mpsc::Receiver<bool>,
    replies: &mpsc::Sender<Result<Response, String>>,
    pace: Pace,
    wake: impl Fn(),
) {
    let mut active = false;
    let mut known: Option<u64> = None;
    let mut last: Option<Result<Response, String>> = None;
    let mut pause = Duration::ZERO;
    loop {
        // Wait out the pause, or while off until switched on, taking every
        // switch on the way.
        let mut until = Instant::now() + pause;
        loop {
            let on = if active {
                match switch.recv_timeout(until.saturating_duration_since(Instant::now())) {
                    Ok(on) => on,
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match switch.recv() {
                    Ok(on) => on,
                    Err(mpsc::RecvError) => return,
                }
            };
            if on && !active {
                // Whatever comes after switching on is news to the window,
                // and it is wanted now.
                known = None;
                last = None;
                until = Instant::now();
            }
            active = on;
        }
        let asked = Instant::now();
        let mut reply = link.request(&Request::WatchStatus { known });
        pause = match &reply {
            Ok(Response::Status(report)) => {
                known = Some(report.revision);
                pace.min_gap.saturating_sub(asked.elapsed())
            }
            Ok(_) => {
                // A daemon too old to watch refuses the request: ask it
                // plainly, at the retry pace.
                reply = link.request(&Request::Status);
                known = None;
                pace.retry_after
            }
            Err(_) => {
                known = None;
                pace.retry_after
            }
        };
        let shown = what_it_shows(&reply);
        if last.as_ref() != Some(&shown) {
            last = Some(shown);
            if replies.send(reply).is_err() {
                return;
            }
            wake();
        }
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

    /// Long enough for a request that is coming to come; a request not
    /// there by then was not sent on a tick.
    const PATIENCE: Duration = Duration::from_secs(5);
    const QUIET: Duration = Duration::from_millis(60);

    /// A daemon the test plays: each request is passed to the test, and the
    /// reply is whatever the test sends back, whenever it does.
    struct Scripted {
        asked: mpsc::Sender<Request>,
        answers: mpsc::Receiver<Result<Response, String>>,
    }

    impl DaemonLink for Scripted {
        fn request(&mut self, request: &Request) -> Result<Response, String> {
            self.asked
                .send(request.clone())
                .map_err(|_| "the test ended".to_owned())?;
            self.answers
                .recv()
                .unwrap_or_else(|_| Err("the test ended".to_owned()))
        }
    }

    /// A status at second `at` of revision `revision`, with `minutes` of
    /// routine logged today.
    fn status(at: i64, revision: u64, minutes: u32) -> Result<Response, String> {
        Ok(Response::Status(crate::ipc::StatusReport {
            at: DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::seconds(at),
            revision,
            pause: crate::ipc::Pause::Running,
            next: std::collections::BTreeMap::new(),
            pending: Vec::new(),
            today: crate::ipc::TodayCounts {
                routine_minutes: minutes,
                ..crate::ipc::TodayCounts::default()
            },
            degraded: Vec::new(),
            settings_warning: None,
            idle_source: "none".to_owned(),
            holding: None,
            test_answer: None,
        }))
    }

    fn watch(known: Option<u64>) -> Request {
        Request::WatchStatus { known }
    }

    /// A watcher thread on a [`Scripted`] daemon, and the test's ends of
    /// its channels.
    struct Rig {
        asked: mpsc::Receiver<Request>,
        answer: mpsc::Sender<Result<Response, String>>,
        switch: mpsc::Sender<bool>,
        replies: mpsc::Receiver<Result<Response, String>>,
        wakes: mpsc::Receiver<()>,
        worker: std::thread::JoinHandle<()>,
    }

    fn rig(pace: Pace) -> Rig {
        let (asked_tx, asked) = mpsc::channel();
        let (answer, answers) = mpsc::channel();
        let (switch, switch_rx) = mpsc::channel();
        let (reply_tx, replies) = mpsc::channel();
        let (woke, wakes) = mpsc::channel();
        let worker = std::thread::spawn(move || {
            let mut link = Scripted {
                asked: asked_tx,
                answers,
            };
            watch_loop(&mut link, &switch_rx, &reply_tx, pace, || {
                let _ = woke.send(());
            });
        });
        Rig {
            asked,
            answer,
            switch,
            replies,
            wakes,
            worker,
        }
    }

    #[test]
    fn it_asks_again_only_after_a_reply_and_wakes_the_window_only_on_change() {
        let Rig {
            asked,
            answer,
            switch,
            replies,
            wakes,
            worker,
        } = rig(Pace {
            retry_after: Duration::from_millis(20),
            min_gap: Duration::ZERO,
        });
        let next_ask = || asked.recv_timeout(PATIENCE).expect("a request");
        // The window is woken before the next request goes out, so after
        // one, the wakes so far are all in.
        let wakes_since = || wakes.try_iter().count();

        assert_eq!(asked.recv_timeout(QUIET).ok(), None, "nothing while off");
        switch.send(true).unwrap();
        assert_eq!(next_ask(), watch(None), "a first watch at once");
        answer.send(status(0, 7, 0)).unwrap();
        // The next watch goes out when the reply came, with its revision,
        // and is held: no other request while it is.
        assert_eq!(next_ask(), watch(Some(7)));
        assert_eq!(wakes_since(), 1, "the first reply is news");
        assert_eq!(asked.recv_timeout(QUIET).ok(), None, "no tick");

        // Answered at the hold limit with nothing new: not handed over.
        answer.send(status(300, 7, 0)).unwrap();
        assert_eq!(next_ask(), watch(Some(7)));
        assert_eq!(wakes_since(), 0);

        // The daemon says something changed.
        answer.send(status(301, 8, 5)).unwrap();
        assert_eq!(next_ask(), watch(Some(8)));
        assert_eq!(wakes_since(), 1);

        // The daemon went away: said, then asked again after a while, afresh.
        answer.send(Err("not running".to_owned())).unwrap();
        assert_eq!(next_ask(), watch(None));
        assert_eq!(wakes_since(), 1);

        // A daemon too old to watch is asked plainly instead.
        answer
            .send(Ok(Response::error("malformed request")))
            .unwrap();
        assert_eq!(next_ask(), Request::Status);
        answer.send(status(302, 0, 5)).unwrap();
        assert_eq!(next_ask(), watch(None));
        assert_eq!(wakes_since(), 1);

        // Switched off during a watch: its reply is still handed over, and
        // no new watch goes out.
        switch.send(false).unwrap();
        answer.send(status(303, 9, 6)).unwrap();
        assert!(wakes.recv_timeout(PATIENCE).is_ok());
        assert_eq!(asked.recv_timeout(QUIET).ok(), None, "off");
        // On again: a fresh watch at once, its reply handed over though
        // nothing changed.
        switch.send(true).unwrap();
        assert_eq!(next_ask(), watch(None));
        answer.send(status(304, 9, 6)).unwrap();
        assert_eq!(next_ask(), watch(Some(9)));
        assert_eq!(wakes_since(), 1);

        // Dropping the switch ends the thread once the watch comes back.
        drop(switch);
        answer.send(status(305, 9, 6)).unwrap();
        worker.join().unwrap();
        let handed: Vec<_> = replies.try_iter().collect();
        assert_eq!(handed.len(), 6);
        assert_eq!(handed.last(), Some(&status(304, 9, 6)));
    }

    #[test]
    fn watches_are_spaced_when_the_daemon_answers_at_once() {
        let Rig {
            asked,
            answer,
            switch,
            // Kept: the watcher ends when nobody takes its replies.
            replies: _replies,
            worker,
            ..
        } = rig(Pace {
            retry_after: Duration::from_secs(60),
            min_gap: Duration::from_millis(200),
        });
        switch.send(true).unwrap();
        assert_eq!(asked.recv_timeout(PATIENCE).ok(), Some(watch(None)));
        let answered = Instant::now();
        answer.send(status(0, 1, 0)).unwrap();
        assert_eq!(asked.recv_timeout(PATIENCE).ok(), Some(watch(Some(1))));
        assert!(answered.elapsed() >= Duration::from_millis(150));
        drop(switch);
        drop(answer);
        worker.join().unwrap();
    }

    #[test]
    fn the_watch_has_its_own_line_that_outwaits_a_held_watch() {
        let link = SocketLink::new(PathBuf::from("/nonexistent/rebalance.sock"));
        assert_eq!(link.timeout, LINK_TIMEOUT);
        assert!(WATCH_TIMEOUT > WATCH_HOLD_LIMIT);
        let Some(watch) = link.watch_link() else {
            panic!("a socket link can be watched");
        };
        drop(watch);
        struct Plain;
        impl DaemonLink for Plain {
            fn request(&mut self, _request: &Request) -> Result<Response, String> {
                Ok(Response::Ok)
            }
        }
        assert!(Plain.watch_link().is_none());
    }
}
