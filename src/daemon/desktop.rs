//! The desktop as the service loop sees it: the notifier, the tray, idle
//! time, the busy signals and the login entry, each behind its seam
//! ([`crate::platform::seams`]), and the list of what is missing. Every
//! missing piece degrades to a plain-words entry in the status (logged
//! once) instead of stopping the service.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::core::busy::BusyReason;
use crate::core::settings::HoldSettings;
use crate::ipc::{Degraded, Feature};
use crate::platform::desktop::TrayState;
use crate::platform::notice::Notice;
use crate::platform::seams::{Autostart, BusySignals, IdleSource, Notifier, Tray};

/// What status and the log say when no tray host shows the icon.
const NO_TRAY_HOST: &str = "no StatusNotifierWatcher on the session bus, so no tray icon; use the window or the command line";

/// What follows the reason notifications are missing.
pub const PROMPT_WINDOW_INSTEAD: &str = "reminders open a small window instead";

/// The desktop services found, and the ones that are missing.
pub struct Desktop {
    notifier: Option<Box<dyn Notifier>>,
    tray: Option<Box<dyn Tray>>,
    /// What the tray shows now, so unchanged states are not re-sent.
    tray_state: TrayState,
    idle: Box<dyn IdleSource>,
    busy: Box<dyn BusySignals>,
    autostart: Box<dyn Autostart>,
    degraded: BTreeMap<Feature, String>,
}

/// The parts a [`Desktop`] is made of; `None` where a service is missing,
/// with its reason in `degraded`.
pub struct DesktopParts {
    /// Shows reminders as notifications.
    pub notifier: Option<Box<dyn Notifier>>,
    /// The tray icon.
    pub tray: Option<Box<dyn Tray>>,
    /// What the tray showed when it started.
    pub tray_state: TrayState,
    /// Idle time.
    pub idle: Box<dyn IdleSource>,
    /// What makes it the wrong moment.
    pub busy: Box<dyn BusySignals>,
    /// The login entry.
    pub autostart: Box<dyn Autostart>,
    /// What is missing, and why, found while connecting.
    pub degraded: BTreeMap<Feature, String>,
}

impl Desktop {
    /// Puts the parts together, recording a missing idle source, and logs
    /// what is missing and what works.
    pub fn new(parts: DesktopParts) -> Desktop {
        let mut desktop = Desktop {
            notifier: parts.notifier,
            tray: parts.tray,
            tray_state: parts.tray_state,
            idle: parts.idle,
            busy: parts.busy,
            autostart: parts.autostart,
            degraded: parts.degraded,
        };
        if !desktop.idle.has_source() {
            desktop.degraded.insert(
                Feature::Idle,
                "no idle time source; timers run on the clock and natural breaks are not noticed"
                    .to_owned(),
            );
        }
        for (feature, reason) in &desktop.degraded {
            tracing::warn!("{feature}: {reason}");
        }
        tracing::info!(idle = desktop.idle.source_name(), "desktop services ready");
        desktop
    }

    /// Records a missing feature, logging it the first time it is seen.
    pub fn set_degraded(&mut self, feature: Feature, reason: impl Into<String>) {
        let reason = reason.into();
        if self.degraded.get(&feature) != Some(&reason) {
            tracing::warn!("{feature}: {reason}");
            self.degraded.insert(feature, reason);
        }
    }

    fn clear_degraded(&mut self, feature: Feature) {
        if self.degraded.remove(&feature).is_some() {
            tracing::info!("{feature}: available again");
        }
    }

    /// The missing features, each with why.
    pub fn degraded(&self) -> Vec<Degraded> {
        let mut list: Vec<Degraded> = self
            .degraded
            .iter()
            .map(|(feature, reason)| Degraded {
                feature: *feature,
                reason: reason.clone(),
            })
            .collect();
        if self.tray.as_ref().is_some_and(|tray| !tray.is_shown()) {
            list.push(Degraded {
                feature: Feature::Tray,
                reason: NO_TRAY_HOST.to_owned(),
            });
        }
        list.sort();
        list
    }

    /// Where idle time comes from.
    pub fn idle_source(&self) -> &'static str {
        self.idle.source_name()
    }

    /// What the user is busy with right now, among the signals `hold`
    /// switches on; `None` when nothing (or nothing readable) says so.
    pub async fn busy_reason(&self, hold: &HoldSettings) -> Option<BusyReason> {
        self.busy.read(hold).await
    }

    /// How long the user has been idle; zero when it cannot be told.
    pub async fn idle_time(&mut self) -> Duration {
        self.idle.idle_time().await.unwrap_or(Duration::ZERO)
    }

    /// Shows `notice`; on failure says why, and marks notifications degraded
    /// so the caller falls back to the reminder window.
    pub async fn notify(&mut self, notice: &Notice) -> Result<u32, String> {
        let Some(notifier) = &self.notifier else {
            return Err("no notification service".to_owned());
        };
        match notifier.show(notice).await {
            Ok(id) => {
                self.clear_degraded(Feature::Notifications);
                Ok(id)
            }
            Err(reason) => {
                self.set_degraded(
                    Feature::Notifications,
                    format!("{reason}; {PROMPT_WINDOW_INSTEAD}"),
                );
                Err(reason)
            }
        }
    }

    /// Withdraws notification `id`; failures only matter to the log.
    pub async fn close_notification(&mut self, id: u32) {
        if let Some(notifier) = &self.notifier
            && let Err(err) = notifier.close(id).await
        {
            tracing::debug!("closing notification {id}: {err}");
        }
    }

    /// Shows the new tooltip and paused state on the tray icon, only when
    /// they changed. (The tray logs a missing host itself, once.)
    pub async fn update_tray(&mut self, tooltip: String, paused: bool) {
        let Some(tray) = &self.tray else {
            return;
        };
        let state = TrayState { tooltip, paused };
        if state != self.tray_state && tray.update(state.clone()).await {
            self.tray_state = state;
        }
    }

    /// Takes the tray icon and every notification of ours away.
    pub async fn shutdown(&mut self) {
        if let Some(notifier) = &self.notifier {
            notifier.withdraw_all();
        }
        if let Some(tray) = self.tray.take() {
            tray.shutdown().await;
        }
    }

    /// Adds or removes the login entry that starts the daemon.
    pub fn set_autostart(&self, enabled: bool) -> Result<(), String> {
        self.autostart.set(enabled)
    }
}
