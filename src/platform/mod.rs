//! Desktop integration: notifications, tray, idle and lock detection,
//! suspend signals, autostart, file locations and the operating-system
//! primitives the rest of the crate uses. `libc`, `std::os::unix`, `/proc`
//! and every other OS API stay inside this folder.
//!
//! A new platform must provide, behind the same names:
//! - notifications: [`Notifier`] and [`notification_events`], showing a
//!   reminder with its answer buttons and reporting actions and closes;
//! - tray: [`start_tray`] and [`TrayHandle`], or a clean "no tray" error so
//!   the window is the way in;
//! - idle: [`IdleMonitor`], the user's idle time and whether the screen is
//!   locked;
//! - sleep and lock: [`sleep_signals`], suspend and resume events;
//! - the control channel and its peer check: [`local_socket`], a listener
//!   only the user can reach, blocking and async streams, and the user id of
//!   the peer;
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

#[cfg(unix)]
pub mod autostart;
pub mod busy;
mod icon_theme;
pub mod idle;
pub mod notifications;
pub mod paths;
pub mod sleep;
pub mod tray;

mod file_lock;
pub mod windows_text;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::{files, local_socket, process, resident, service_signals, wake_timer};
#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::{autostart, files, local_socket, process, resident, service_signals, wake_timer};

pub use autostart::{AutostartError, autostart_enabled, set_autostart};
pub use busy::BusyProbe;
pub use idle::IdleMonitor;
pub use notifications::{
    Notice, NoticeAction, NoticeButton, NotificationEvent, NotificationEvents, Notifier,
    NotifyError, notice_for, notification_events,
};
pub use paths::{AppPaths, PathsError};
pub use sleep::{SleepEvent, SleepSignals, sleep_signals};
pub use tray::{TrayCommand, TrayError, TrayHandle, TrayState, start_tray};
