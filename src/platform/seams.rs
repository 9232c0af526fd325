//! The seams between the daemon and the desktop: small traits the service
//! loop acts through, each implemented once per platform (`linux/`,
//! `windows/`) and by fakes in the tests, so every rule of the running
//! service can be exercised without a bus, a display or a wall clock.
//!
//! What the desktop says (an action on a notification, a tray choice, the
//! machine going to sleep, a request to stop) comes in the other way, as
//! [`DesktopEvent`]s on one channel; requests from the window and the
//! command line come on the control channel (`ipc::server`, a socket or
//! named pipe private to the user, whose peer is checked before anything is
//! read). The futures here are not `Send`: the daemon runs on one thread.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, Local, Utc};
use tokio::sync::mpsc;

use crate::core::busy::BusyReason;
use crate::core::settings::HoldSettings;
use crate::platform::desktop::{SleepEvent, TrayCommand, TrayState};
use crate::platform::notice::{Notice, NotificationEvent};

/// A future a seam returns, borrowed from the seam for `'a`.
pub type SeamFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Shows reminders as notifications with their answer buttons.
pub trait Notifier {
    /// Shows `notice` (replacing `notice.replaces` when set) and returns the
    /// id its [`NotificationEvent`]s will carry, or why it could not.
    fn show<'a>(&'a self, notice: &'a Notice) -> SeamFuture<'a, Result<u32, String>>;

    /// Takes notification `id` off the screen.
    fn close(&self, id: u32) -> SeamFuture<'_, Result<(), String>>;

    /// Takes every notification of ours away when the service stops (on
    /// Windows also out of the Action Center, where a toast outlives its
    /// program); where notifications die with their sender, nothing to do.
    fn withdraw_all(&self) {}
}

/// The tray icon: its tooltip and paused look; its menu sends
/// [`DesktopEvent::Tray`].
pub trait Tray {
    /// Shows `state`; false when the tray did not take it.
    fn update(&self, state: TrayState) -> SeamFuture<'_, bool>;

    /// Whether a tray host shows the icon now (false while waiting for one).
    fn is_shown(&self) -> bool;

    /// Takes the icon away.
    fn shutdown(&self) -> SeamFuture<'_, ()>;
}

/// How long the user has been away from keyboard and mouse.
pub trait IdleSource {
    /// The idle time (a locked screen counts as idle since it locked);
    /// `None` when it cannot be told right now.
    fn idle_time(&mut self) -> SeamFuture<'_, Option<Duration>>;

    /// Where the idle time comes from, in words for the status.
    fn source_name(&self) -> &'static str;

    /// Whether there is any source at all; without one, timers run on the
    /// clock alone.
    fn has_source(&self) -> bool;
}

/// What makes this the wrong moment for a reminder: a call, a full-screen
/// window, do not disturb, a presentation, an app on the user's list.
pub trait BusySignals {
    /// The first signal found among those `hold` switches on; `None` when
    /// nothing (or nothing readable) says the user is busy.
    fn read<'a>(&'a self, hold: &'a HoldSettings) -> SeamFuture<'a, Option<BusyReason>>;
}

/// The login entry that starts the daemon.
pub trait Autostart {
    /// Adds (`true`) or removes the entry; on failure, why.
    fn set(&self, enabled: bool) -> Result<(), String>;
}

/// The time, read in this one place, and the alarm the service loop
/// sleeps on.
pub trait Clock {
    /// The current local time.
    fn now(&self) -> DateTime<Local>;

    /// Returns at `at`, or earlier when the clock is set (so a jump is seen
    /// at once); a wake that comes early is harmless, the loop looks again.
    fn sleep_until(&mut self, at: DateTime<Utc>) -> SeamFuture<'_, ()>;

    /// The longest the loop may sleep in one go with this alarm.
    fn longest_sleep(&self) -> Duration;
}

/// Something the desktop tells the service.
#[derive(Debug, Clone, PartialEq)]
pub enum DesktopEvent {
    /// An action on, or the closing of, one of our notifications.
    Notification(NotificationEvent),
    /// The notifications' event source ended (the bus connection closed):
    /// reminders fall back to the small window from now on.
    NotificationsLost(String),
    /// A choice in the tray menu.
    Tray(TrayCommand),
    /// The machine is going to sleep or woke up.
    Sleep(SleepEvent),
    /// The system asked the service to stop (a signal, a logoff).
    Stop,
}

/// The service's end of the desktop's events.
pub type DesktopEvents = mpsc::UnboundedReceiver<DesktopEvent>;

/// Where a platform sends its [`DesktopEvent`]s.
pub type DesktopEventSender = mpsc::UnboundedSender<DesktopEvent>;
