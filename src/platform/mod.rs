//! Desktop integration: notifications, tray, idle and lock detection,
//! suspend signals, autostart, file locations and the operating-system
//! primitives the rest of the crate uses. `libc`, `std::os::unix`, `/proc`,
//! `windows-sys` and every other OS API stay inside this folder: `linux/`
//! (the desktop over D-Bus and X11), `unix/` (the POSIX primitives) and
//! `windows/` (both, for Windows), each re-exported below under the same
//! names. What every platform shares lives here: [`notice`] (a reminder's
//! text and buttons), [`desktop`] (tray state and commands, sleep events),
//! [`service_signal`], [`paths`] and [`windows_text`] (pure text the Windows side builds,
//! tested everywhere).
//!
//! The daemon acts on the desktop only through the traits in [`seams`]
//! (`Notifier`, `Tray`, `IdleSource`, `BusySignals`, `Autostart`, `Clock`)
//! and hears from it through [`seams::DesktopEvent`]s; `seam_impls.rs`
//! puts each platform's types behind those traits, and
//! `daemon::platform_link` connects them and forwards their events.
//!
//! A new platform must provide, behind the same names:
//! - notifications: [`Notifier`] (`show(&Notice) -> Result<u32, _>`, the id
//!   its events carry, and `close(id)`) and its [`NotificationEvents`]
//!   stream of [`NotificationEvent`]s (an action on, or the closing of, a
//!   shown id): on Linux from `notification_events` on the session bus, on
//!   Windows opened together by `Notifier::connect`. Without one,
//!   `daemon::platform_link` records notifications as degraded and
//!   reminders open the small prompt window;
//! - tray: [`start_tray`] and [`TrayHandle`], or a clean "no tray" error so
//!   the window is the way in; a handle has `update(TrayState) -> bool`,
//!   `is_shown()` and `shutdown()`, and the menu sends [`TrayCommand`]s on
//!   the channel `start_tray` is given;
//! - idle: [`IdleMonitor`], the user's idle time and whether the screen is
//!   locked;
//! - sleep and lock: [`sleep_signals`], suspend and resume events;
//! - busy signals: [`BusyProbe`], what makes this the wrong moment for a
//!   reminder (among those the hold settings switch on);
//! - the control channel and its peer check: [`local_socket`], a listener
//!   only the user can reach at a socket path (on Windows a named pipe
//!   derived from it), blocking and async streams (`into_async`, `accept`,
//!   `split`), and the [`local_socket::UserId`] of the peer;
//! - autostart: [`set_autostart`] and [`autostart_enabled`];
//! - paths: [`AppPaths`], the data, settings, log and runtime folders, and
//!   [`paths::current_uid`];
//! - file permissions: [`files`], owner-only files and folders, the check
//!   for looser ones, whether a folder is writable, and the single-instance
//!   lock;
//! - process helpers: [`process`], starting a detached helper and asking a
//!   child to close; [`service_signals`], the system's requests to stop;
//!   [`resident`], giving back start-up memory (may do nothing);
//!   [`wake_timer`], a timer on the wall clock (may fall back to the
//!   runtime's own).

pub mod desktop;
mod file_lock;
pub mod notice;
pub mod paths;
mod seam_impls;
pub mod seams;
pub mod service_signal;
pub mod toast_xml;
pub mod tray_model;
pub mod windows_text;

/// The application's name as the desktop shows it (notifications, tray).
pub const APP_NAME: &str = "Rebalance";

#[cfg(unix)]
mod linux;
#[cfg(unix)]
pub use linux::{autostart, busy, idle, notifications, sleep, tray};
#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::{files, local_socket, process, resident, service_signals, wake_timer};

#[cfg(windows)]
mod windows;
// Where Windows has no toast service (or toasts are switched off), its
// notifier fails to start with a plain reason, so the daemon records it as
// degraded and reminders use the prompt window.
#[cfg(windows)]
pub use windows::{
    autostart, busy, files, idle, local_socket, notifications, process, resident, service_signals,
    session_events, sleep, tray, wake_timer,
};

pub use autostart::{AutostartError, autostart_enabled, set_autostart};
pub use busy::BusyProbe;
pub use desktop::{SleepEvent, TrayCommand, TrayState};
pub use idle::IdleMonitor;
pub use notice::{Notice, NoticeAction, NoticeButton, NotificationEvent, notice_for};
#[cfg(unix)]
pub use notifications::notification_events;
pub use notifications::{NotificationEvents, Notifier, NotifyError};
pub use paths::{AppPaths, PathsError};
pub use sleep::{SleepSignals, sleep_signals};
pub use tray::{TrayError, TrayHandle, start_tray};

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::Utc;

    use super::wake_timer::WakeTimer;

    #[test]
    fn a_time_already_past_fires_at_once() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut timer = WakeTimer::on_wall_clock();
            let past = Utc::now() - chrono::Duration::hours(1);
            // Bounded so a timer that never fires fails instead of hanging.
            tokio::time::timeout(Duration::from_secs(30), timer.sleep_until(past))
                .await
                .expect("the timer fired");
        });
    }
}
