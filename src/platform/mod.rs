//! Desktop integration: notifications, tray, idle and lock detection, autostart, paths.

pub mod notifications;
pub mod paths;

pub use notifications::{
    Notice, NoticeAction, NoticeButton, NotificationEvent, NotificationEvents, Notifier,
    NotifyError, notice_for, notification_events,
};
pub use paths::{AppPaths, PathsError};
