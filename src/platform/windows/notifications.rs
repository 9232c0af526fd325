//! Reminders as Windows toast notifications, through the WinRT toast API
//! (`Windows.UI.Notifications`) of the windows crate.
//!
//! notify-rust's Windows backend (tauri-winrt-notification) shows buttons
//! and reports clicks, but a toast it shows cannot be replaced or withdrawn
//! (no tag or group), cannot be given an expiry, does not say whether the
//! toast service is there or switched off for the app, and hands back each
//! toast's clicks on a channel of its own that a thread must wait on. The
//! daemon needs all of that, so it speaks to the toast API itself.
//!
//! The toast XML comes from [`crate::platform::toast_xml`] (pure and tested on
//! every platform). Clicks and closes arrive on thread-pool threads and are
//! passed as [`NotificationEvent`]s into one channel the service loop
//! reads, like the freedesktop signals on Linux.
//!
//! A toast lives only as long as the daemon that showed it: it is withdrawn
//! when its reminder is answered elsewhere or the daemon stops, it expires
//! on its own after [`TOAST_LIFETIME`] and at reboot, and a daemon starting
//! clears any its predecessor left behind (after a crash). So a click from
//! the Action Center never lands on a daemon that is gone.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use windows::Data::Xml::Dom::XmlDocument;
use windows::Foundation::{DateTime, IReference, PropertyValue, TypedEventHandler};
use windows::UI::Notifications::{
    NotificationSetting, ToastActivatedEventArgs, ToastDismissedEventArgs, ToastFailedEventArgs,
    ToastNotification, ToastNotificationManager, ToastNotifier,
};
use windows::core::{HSTRING, IInspectable, Interface};

use super::app_id;
pub use crate::platform::notice::{
    CloseReason, Notice, NoticeAction, NoticeButton, NotificationEvent, notice_for,
};
use crate::platform::paths::AppPaths;
use crate::platform::toast_xml::{
    APP_USER_MODEL_ID, TOAST_GROUP, dismissal_close_reason, parse_activation, toast_tag, toast_xml,
    windows_ticks,
};

/// How long a toast may stay in the Action Center at most, so one left by
/// a daemon that died does not linger for days.
pub const TOAST_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// Why toasts cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// There is no toast service (an older or stripped Windows, or Wine).
    #[error("no toast notification service ({0})")]
    NoService(windows::core::Error),
    /// Toasts are switched off for the app or for the user.
    #[error("toast notifications are {0}")]
    Disabled(&'static str),
    /// The service refused this toast.
    #[error("the toast notification service refused the reminder: {0}")]
    Refused(windows::core::Error),
}

/// What a notifier setting other than `Enabled` means, in words.
fn disabled_reason(setting: NotificationSetting) -> Option<&'static str> {
    match setting {
        NotificationSetting::Enabled => None,
        NotificationSetting::DisabledForApplication => {
            Some("switched off for Rebalance in Windows Settings (System, Notifications)")
        }
        NotificationSetting::DisabledForUser => {
            Some("switched off for this user in Windows Settings (System, Notifications)")
        }
        NotificationSetting::DisabledByGroupPolicy => Some("switched off by group policy"),
        NotificationSetting::DisabledByManifest => Some("switched off by the app's manifest"),
        _ => Some("switched off"),
    }
}

/// Shows and withdraws reminder toasts under the app's own identity.
pub struct Notifier {
    notifier: ToastNotifier,
    aumid: HSTRING,
    group: HSTRING,
    events: UnboundedSender<NotificationEvent>,
    next_id: AtomicU32,
    /// The toasts on screen or in the Action Center, held so their click
    /// handlers stay registered for as long as they can be clicked.
    live: Arc<Mutex<HashMap<u32, ToastNotification>>>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier")
            .field("aumid", &APP_USER_MODEL_ID)
            .finish()
    }
}

/// The clicks and closes of our toasts, for the service loop.
#[derive(Debug)]
pub struct NotificationEvents {
    rx: UnboundedReceiver<NotificationEvent>,
}

impl NotificationEvents {
    /// The next event; `None` once the notifier is gone.
    pub async fn next(&mut self) -> Option<NotificationEvent> {
        self.rx.recv().await
    }
}

impl Notifier {
    /// Registers the app's identity for the current user (name and an icon
    /// written into `icon_dir`), opens the toast notifier and checks that
    /// toasts are switched on. Clears toasts an earlier daemon left.
    pub fn connect_with_icon_in(
        icon_dir: &Path,
    ) -> Result<(Notifier, NotificationEvents), NotifyError> {
        if let Err(err) = app_id::register(icon_dir) {
            // Toasts still show, under the bare id and without the icon.
            tracing::warn!("cannot register the app's name and icon for toasts: {err}");
        }
        let aumid = HSTRING::from(APP_USER_MODEL_ID);
        let notifier = ToastNotificationManager::CreateToastNotifierWithId(&aumid)
            .map_err(NotifyError::NoService)?;
        let (events, rx) = unbounded_channel();
        let toasts = Notifier {
            notifier,
            aumid,
            group: HSTRING::from(TOAST_GROUP),
            events,
            next_id: AtomicU32::new(first_id()),
            live: Arc::default(),
        };
        toasts.check_enabled()?;
        toasts.withdraw_all();
        Ok((toasts, NotificationEvents { rx }))
    }

    /// Opens the notifier as [`Notifier::connect_with_icon_in`] does, with
    /// the icon in the app's data folder (`%LOCALAPPDATA%\Rebalance`).
    /// Async like the freedesktop side, so the daemon starts either the
    /// same way.
    pub async fn connect() -> Result<(Notifier, NotificationEvents), NotifyError> {
        let dir = AppPaths::from_env()
            .map(|paths| paths.data_dir)
            .unwrap_or_else(|_| std::env::temp_dir());
        Self::connect_with_icon_in(&dir)
    }

    /// Whether toasts are switched on right now (the user may switch them
    /// off at any time).
    pub fn check_enabled(&self) -> Result<(), NotifyError> {
        let setting = self.notifier.Setting().map_err(NotifyError::NoService)?;
        match disabled_reason(setting) {
            None => Ok(()),
            Some(reason) => Err(NotifyError::Disabled(reason)),
        }
    }

    /// Whether toasts can be shown now (async like the freedesktop
    /// notifier's, so the daemon calls either the same way).
    pub async fn server_available(&self) -> bool {
        self.check_enabled().is_ok()
    }

    /// Shows `notice` (replacing the toast of `notice.replaces`, if any)
    /// and returns its notification id. The toast API answers at once; this
    /// is async like the freedesktop notifier's `show`.
    pub async fn show(&self, notice: &Notice) -> Result<u32, NotifyError> {
        self.check_enabled()?;
        let id = notice
            .replaces
            .unwrap_or_else(|| self.next_id.fetch_add(1, Ordering::Relaxed));
        let toast = self.build(notice, id).map_err(NotifyError::Refused)?;
        self.notifier.Show(&toast).map_err(NotifyError::Refused)?;
        if let Ok(mut live) = self.live.lock() {
            live.insert(id, toast);
        }
        Ok(id)
    }

    fn build(&self, notice: &Notice, id: u32) -> windows::core::Result<ToastNotification> {
        let doc = XmlDocument::new()?;
        doc.LoadXml(&HSTRING::from(toast_xml(notice, id)))?;
        let toast = ToastNotification::CreateToastNotification(&doc)?;
        toast.SetTag(&HSTRING::from(toast_tag(id)))?;
        toast.SetGroup(&self.group)?;
        toast.SetExpirationTime(&expiry(SystemTime::now() + TOAST_LIFETIME)?)?;
        // Windows 10 1903 and later; an older one keeps it until it expires.
        let _ = toast.SetExpiresOnReboot(true);

        let tx = self.events.clone();
        toast.Activated(&TypedEventHandler::<ToastNotification, IInspectable>::new(
            move |_, args| {
                if let Some(args) = args.as_ref()
                    && let Ok(args) = args.cast::<ToastActivatedEventArgs>()
                {
                    let arguments = args.Arguments()?.to_string_lossy();
                    match parse_activation(&arguments) {
                        Some(activation) => {
                            let _ = tx.send(NotificationEvent::ActionInvoked {
                                id: activation.id,
                                action: activation.action,
                            });
                        }
                        None => tracing::debug!("ignoring toast activation {arguments:?}"),
                    }
                }
                Ok(())
            },
        ))?;

        let tx = self.events.clone();
        let live = self.live.clone();
        toast.Dismissed(&TypedEventHandler::<
            ToastNotification,
            ToastDismissedEventArgs,
        >::new(move |_, args| {
            if let Some(args) = args.as_ref()
                && let Some(reason) = dismissal_close_reason(args.Reason()?.0)
            {
                forget(&live, id);
                let _ = tx.send(NotificationEvent::Closed { id, reason });
            }
            Ok(())
        }))?;

        let tx = self.events.clone();
        let live = self.live.clone();
        toast.Failed(
            &TypedEventHandler::<ToastNotification, ToastFailedEventArgs>::new(move |_, args| {
                let code = args
                    .as_ref()
                    .and_then(|args| args.ErrorCode().ok())
                    .map_or(0, |code| code.0);
                tracing::warn!("the toast for reminder {id} failed to show (0x{code:08x})");
                forget(&live, id);
                let _ = tx.send(NotificationEvent::Closed {
                    id,
                    reason: CloseReason::Other(code.unsigned_abs()),
                });
                Ok(())
            }),
        )?;
        Ok(toast)
    }

    /// Withdraws the toast of notification `id`, from the screen and the
    /// Action Center.
    pub async fn close(&self, id: u32) -> Result<(), NotifyError> {
        forget(&self.live, id);
        ToastNotificationManager::History()
            .and_then(|history| {
                history.RemoveGroupedTagWithId(
                    &HSTRING::from(toast_tag(id)),
                    &self.group,
                    &self.aumid,
                )
            })
            .map_err(NotifyError::Refused)
    }

    /// Withdraws every toast of ours (at start-up and when the daemon stops).
    pub fn withdraw_all(&self) {
        if let Ok(mut live) = self.live.lock() {
            live.clear();
        }
        if let Err(err) =
            ToastNotificationManager::History().and_then(|history| history.ClearWithId(&self.aumid))
        {
            tracing::debug!("clearing earlier toasts: {err}");
        }
    }
}

/// Lets go of the toast of notification `id`.
fn forget(live: &Mutex<HashMap<u32, ToastNotification>>, id: u32) {
    if let Ok(mut live) = live.lock() {
        live.remove(&id);
    }
}

/// A WinRT expiry time for `at`.
fn expiry(at: SystemTime) -> windows::core::Result<IReference<DateTime>> {
    let unix_seconds = at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2));
    PropertyValue::CreateDateTime(DateTime {
        UniversalTime: windows_ticks(unix_seconds),
    })?
    .cast()
}

/// The first notification id of this daemon: the low bits of the clock's
/// seconds, so ids differ from those of an earlier run that the service
/// restored (a toast id is ours to choose, unlike a notification server's).
fn first_id() -> u32 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_secs());
    // Leave room below u32::MAX for the ids one run hands out.
    u32::try_from(secs % u64::from(u32::MAX / 2))
        .unwrap_or(1)
        .max(1)
}
