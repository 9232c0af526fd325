//! Desktop integration: notifications, tray, idle and lock detection,
//! suspend signals, autostart and file locations.

pub mod autostart;
mod icon_theme;
pub mod idle;
pub mod notifications;
pub mod paths;
pub mod sleep;
pub mod tray;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::{files, local_socket, process, resident, service_signals, wake_timer};

pub use autostart::{AutostartError, autostart_enabled, set_autostart};
pub use idle::IdleMonitor;
pub use notifications::{
    Notice, NoticeAction, NoticeButton, NotificationEvent, NotificationEvents, Notifier,
    NotifyError, notice_for, notification_events,
};
pub use paths::{AppPaths, PathsError};
pub use sleep::{SleepEvent, SleepSignals, sleep_signals};
pub use tray::{TrayCommand, TrayError, TrayHandle, TrayState, start_tray};
