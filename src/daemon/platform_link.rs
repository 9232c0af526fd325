//! The daemon's hold on the desktop: notifications, the tray, idle time,
//! the busy signals, sleep signals and autostart. On Linux one session-bus
//! connection is shared by notifications and idle queries; on Windows a
//! hidden window reports locks and suspends. Every missing piece degrades
//! to a plain-words entry in the status (logged once) instead of stopping
//! the service.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::core::busy::BusyReason;
use crate::core::settings::HoldSettings;
use crate::ipc::{Degraded, Feature};
use crate::platform::busy::BusyProbe;
use crate::platform::idle::IdleMonitor;
#[cfg(unix)]
use crate::platform::notifications::notification_events;
use crate::platform::notifications::{Notice, NotificationEvents, Notifier};
use crate::platform::sleep::{SleepSignals, sleep_signals};
use crate::platform::tray::{TrayCommand, TrayHandle, TrayState, start_tray};

/// How long connecting to the session bus or registering the tray may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// What status and the log say when no tray host shows the icon.
const NO_TRAY_HOST: &str = "no StatusNotifierWatcher on the session bus, so no tray icon; use the window or the command line";

/// What follows the reason notifications are missing.
const PROMPT_WINDOW_INSTEAD: &str = "reminders open a small window instead";

/// Commands from the tray menu.
pub type TrayCommands = mpsc::UnboundedReceiver<TrayCommand>;

/// The desktop services the daemon found, and the ones it did not.
pub struct Platform {
    notifier: Option<Notifier>,
    tray: Option<TrayHandle>,
    /// What the tray shows now, so unchanged states are not re-sent.
    tray_state: TrayState,
    idle: IdleMonitor,
    busy: BusyProbe,
    degraded: BTreeMap<Feature, String>,
}

/// The event sources that come with a [`Platform`], for the service loop.
pub struct PlatformEvents {
    /// Actions on and closing of notifications.
    pub notifications: Option<NotificationEvents>,
    /// Tray menu commands.
    pub tray: Option<TrayCommands>,
    /// Suspend and resume.
    pub sleep: Option<SleepSignals>,
}

impl Platform {
    /// Connects to what the session offers. Never fails: each missing
    /// piece is recorded as degraded.
    #[cfg(unix)]
    pub async fn connect(initial_tooltip: String, paused: bool) -> (Platform, PlatformEvents) {
        let mut degraded = BTreeMap::new();
        let session = match tokio::time::timeout(CONNECT_TIMEOUT, zbus::Connection::session()).await
        {
            Ok(Ok(conn)) => Some(conn),
            Ok(Err(err)) => {
                degraded.insert(
                    Feature::SessionBus,
                    format!(
                        "unavailable ({err}); no notifications, tray or desktop idle detection"
                    ),
                );
                None
            }
            Err(_) => {
                degraded.insert(
                    Feature::SessionBus,
                    "did not answer; no notifications, tray or desktop idle detection".to_owned(),
                );
                None
            }
        };

        let mut notifications = None;
        let mut notifier = None;
        if let Some(conn) = &session {
            // Subscribe before the first notification so no early click is missed.
            match notification_events(conn).await {
                Ok(events) => notifications = Some(events),
                Err(err) => tracing::warn!("cannot listen to notification actions: {err}"),
            }
            match Notifier::new(conn).await {
                Ok(n) => {
                    if !n.server_available().await {
                        degraded.insert(
                            Feature::Notifications,
                            format!("no notification server; {PROMPT_WINDOW_INSTEAD}"),
                        );
                    }
                    notifier = Some(n);
                }
                Err(err) => {
                    degraded.insert(
                        Feature::Notifications,
                        format!("unavailable ({err}); {PROMPT_WINDOW_INSTEAD}"),
                    );
                }
            }
        }

        let initial = TrayState {
            tooltip: initial_tooltip,
            paused,
        };
        let (tray, tray_rx) = if session.is_none() {
            (None, None)
        } else {
            start_tray_or_degrade(&initial, &mut degraded).await
        };

        let idle = IdleMonitor::detect(session.as_ref()).await;
        let busy = BusyProbe::new(session.clone());

        let sleep = match sleep_signals().await {
            Some(signals) => Some(signals),
            None => {
                degraded.insert(
                    Feature::Suspend,
                    "no logind sleep signal; a resume is noticed from the clock within a minute"
                        .to_owned(),
                );
                None
            }
        };

        Self::assemble(
            Platform {
                notifier,
                tray,
                tray_state: initial,
                idle,
                busy,
                degraded,
            },
            PlatformEvents {
                notifications,
                tray: tray_rx,
                sleep,
            },
        )
    }

    /// Connects to what Windows offers: the toast notifier, the tray icon
    /// and the hidden window that reports locks and suspends. Never fails:
    /// each missing piece is recorded as degraded (no toast service, as
    /// under Wine, means the prompt window).
    #[cfg(windows)]
    pub async fn connect(initial_tooltip: String, paused: bool) -> (Platform, PlatformEvents) {
        let mut degraded = BTreeMap::new();
        let (notifier, notifications) = match Notifier::connect().await {
            Ok((notifier, events)) => (Some(notifier), Some(events)),
            Err(err) => {
                degraded.insert(
                    Feature::Notifications,
                    format!("{err}; {PROMPT_WINDOW_INSTEAD}"),
                );
                (None, None)
            }
        };

        let initial = TrayState {
            tooltip: initial_tooltip,
            paused,
        };
        let (tray, tray_rx) = start_tray_or_degrade(&initial, &mut degraded).await;

        let (idle, sleep) = match crate::platform::session_events::start() {
            Ok(session) => (
                IdleMonitor::new(Some(session.lock.clone())),
                sleep_signals(&session),
            ),
            Err(err) => {
                degraded.insert(
                    Feature::Suspend,
                    format!(
                        "no power notifications ({err}); a resume is noticed from the clock \
                         within a minute, and a locked screen from input idle time"
                    ),
                );
                (IdleMonitor::new(None), None)
            }
        };

        Self::assemble(
            Platform {
                notifier,
                tray,
                tray_state: initial,
                idle,
                busy: BusyProbe::new(),
                degraded,
            },
            PlatformEvents {
                notifications,
                tray: tray_rx,
                sleep,
            },
        )
    }

    /// Records a missing idle source and logs what is missing and what works.
    fn assemble(mut platform: Platform, events: PlatformEvents) -> (Platform, PlatformEvents) {
        if !platform.idle.has_source() {
            platform.degraded.insert(
                Feature::Idle,
                "no idle time source; timers run on the clock and natural breaks are not noticed"
                    .to_owned(),
            );
        }
        for (feature, reason) in &platform.degraded {
            tracing::warn!("{feature}: {reason}");
        }
        tracing::info!(idle = platform.idle.source_name(), "desktop services ready");
        (platform, events)
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
            Err(err) => {
                let reason = err.to_string();
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

    /// Takes the tray item off the bus (and, on Windows, every toast off
    /// the screen and out of the Action Center).
    pub async fn shutdown(&mut self) {
        #[cfg(windows)]
        if let Some(notifier) = &self.notifier {
            notifier.withdraw_all();
        }
        if let Some(tray) = self.tray.take() {
            tray.shutdown().await;
        }
    }

    /// Adds or removes the login entry that starts the daemon.
    pub fn set_autostart(&self, enabled: bool) -> Result<(), String> {
        let exe: PathBuf = std::env::current_exe().map_err(|err| err.to_string())?;
        crate::platform::autostart::set_autostart(enabled, &exe).map_err(|err| err.to_string())
    }
}

/// Starts the tray icon; a tray that cannot start, or does not in time, is
/// recorded as degraded.
async fn start_tray_or_degrade(
    initial: &TrayState,
    degraded: &mut BTreeMap<Feature, String>,
) -> (Option<TrayHandle>, Option<TrayCommands>) {
    let (tx, rx) = mpsc::unbounded_channel();
    match tokio::time::timeout(CONNECT_TIMEOUT, start_tray(initial.clone(), tx)).await {
        Ok(Ok(handle)) => (Some(handle), Some(rx)),
        Ok(Err(err)) => {
            degraded.insert(
                Feature::Tray,
                format!("{err}; use the window or the command line"),
            );
            (None, None)
        }
        Err(_) => {
            degraded.insert(
                Feature::Tray,
                "publishing the tray item timed out; use the window or the command line".to_owned(),
            );
            (None, None)
        }
    }
}
