//! Desktop integration: notifications, tray, idle and lock detection, autostart, paths.

mod icon_theme;
pub mod notifications;
pub mod paths;
pub mod tray;

pub use notifications::{
    Notice, NoticeAction, NoticeButton, NotificationEvent, NotificationEvents, Notifier,
    NotifyError, notice_for, notification_events,
};
pub use paths::{AppPaths, PathsError};
pub use tray::{TrayCommand, TrayError, TrayHandle, TrayState, start_tray};
