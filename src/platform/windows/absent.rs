//! The seams Windows has no implementation for yet: toast notifications and
//! the tray icon. Each starts with a plain-words error, so the daemon
//! records the feature as degraded and goes on: reminders open the small
//! prompt window, and the window and the command line are the way in. The
//! handle types have no values, so the methods the daemon calls on them are
//! the contract a real notifier or tray fills in.

/// Showing reminders: no notifier on Windows yet.
pub mod notifications {
    pub use crate::platform::notice::{
        CloseReason, Notice, NoticeAction, NoticeButton, NotificationEvent, notice_for,
    };

    /// Why reminders cannot be shown as notifications.
    #[derive(Debug, thiserror::Error)]
    pub enum NotifyError {
        /// This build has no Windows notifier.
        #[error("no toast service yet")]
        Unavailable,
    }

    /// Shows and withdraws reminders. No value exists: the daemon never
    /// gets one and uses the prompt window.
    #[derive(Debug)]
    pub enum Notifier {}

    impl Notifier {
        /// Always fails: there is no notifier to start.
        pub async fn new() -> Result<Notifier, NotifyError> {
            Err(NotifyError::Unavailable)
        }

        /// Shows `notice`, returning the id its events will carry.
        pub async fn show(&self, _notice: &Notice) -> Result<u32, NotifyError> {
            match *self {}
        }

        /// Withdraws notification `id`.
        pub async fn close(&self, _id: u32) -> Result<(), NotifyError> {
            match *self {}
        }
    }

    /// The choices made on shown notifications. No value exists.
    #[derive(Debug)]
    pub enum NotificationEvents {}

    impl NotificationEvents {
        /// The next event; `None` once the source is gone.
        pub async fn next(&mut self) -> Option<NotificationEvent> {
            match *self {}
        }
    }

    /// Always fails: there are no notification events to listen to.
    pub async fn notification_events() -> Result<NotificationEvents, NotifyError> {
        Err(NotifyError::Unavailable)
    }
}

/// The tray icon: none on Windows yet.
pub mod tray {
    use tokio::sync::mpsc::UnboundedSender;

    pub use crate::platform::desktop::{TrayCommand, TrayState};

    /// Why there is no tray icon.
    #[derive(Debug, thiserror::Error)]
    pub enum TrayError {
        /// This build has no Windows tray icon.
        #[error("no tray icon yet")]
        Unavailable,
    }

    /// The running tray icon. No value exists.
    #[derive(Debug)]
    pub enum TrayHandle {}

    impl TrayHandle {
        /// Shows `state`; false if the tray has stopped.
        pub async fn update(&self, _state: TrayState) -> bool {
            match *self {}
        }

        /// Whether the icon is on screen.
        pub fn is_shown(&self) -> bool {
            match *self {}
        }

        /// Removes the icon.
        pub async fn shutdown(&self) {
            match *self {}
        }
    }

    /// Always fails: there is no tray icon to show.
    pub async fn start_tray(
        _initial: TrayState,
        _commands: UnboundedSender<TrayCommand>,
    ) -> Result<TrayHandle, TrayError> {
        Err(TrayError::Unavailable)
    }
}
