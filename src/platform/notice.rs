//! A reminder as a notification, on every platform: what the notification
//! service reports back about it. The reminder's text and buttons are
//! defined once in `core::reminder_notice` and re-exported here, so each
//! platform's notifier shows a [`Notice`] its own way.

pub use crate::core::reminder_notice::{Notice, NoticeAction, NoticeButton, notice_for};

/// Why a notification closed, as the specification numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// It timed out.
    Expired,
    /// The user dismissed it.
    Dismissed,
    /// A `CloseNotification` call (ours) closed it.
    Closed,
    /// Any other code.
    Other(u32),
}

impl From<u32> for CloseReason {
    fn from(code: u32) -> Self {
        match code {
            1 => Self::Expired,
            2 => Self::Dismissed,
            3 => Self::Closed,
            other => Self::Other(other),
        }
    }
}

/// A signal from the notification server about one of the notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotificationEvent {
    /// The user chose `action` on notification `id`.
    ActionInvoked {
        /// The notification's id, as returned by the notifier's `show`.
        id: u32,
        /// What was chosen.
        action: NoticeAction,
    },
    /// Notification `id` went away.
    Closed {
        /// The notification's id.
        id: u32,
        /// Why.
        reason: CloseReason,
    },
    /// An XDG activation token for the window about to be opened for `id`
    /// (sent just before `ActionInvoked`), so it may take focus on Wayland.
    ActivationToken {
        /// The notification's id.
        id: u32,
        /// The token, to pass on as `XDG_ACTIVATION_TOKEN`.
        token: String,
    },
}

#[cfg(test)]
pub(crate) mod tests {
    pub(crate) use crate::core::reminder_notice::tests::pending;
}
