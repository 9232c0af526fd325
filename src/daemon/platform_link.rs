//! The real desktop behind the seams: on Linux one session-bus connection
//! shared by notifications, idle queries and the busy signals, the tray
//! item, logind's sleep signals; on Windows toasts, the tray icon and a
//! hidden window that reports locks and suspends. Each event source gets a
//! small task that forwards what it says onto the one desktop-events
//! channel the service loop reads. Connecting never fails: each missing
//! piece is recorded as degraded.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::daemon::desktop::{Desktop, DesktopParts, PROMPT_WINDOW_INSTEAD};
use crate::ipc::Feature;
use crate::platform::busy::BusyProbe;
use crate::platform::idle::IdleMonitor;
use crate::platform::notifications::Notifier;
use crate::platform::seams::{self, DesktopEvent, DesktopEventSender, Tray};
use crate::platform::service_signals::{ServiceSignal, ServiceSignals};
use crate::platform::sleep::SleepSignals;
use crate::platform::tray::{TrayState, start_tray};

/// How long connecting to the session bus or registering the tray may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The login entry for this program, through the platform's autostart.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginEntry;

impl seams::Autostart for LoginEntry {
    fn set(&self, enabled: bool) -> Result<(), String> {
        let exe = std::env::current_exe().map_err(|err| err.to_string())?;
        crate::platform::autostart::set_autostart(enabled, &exe).map_err(|err| err.to_string())
    }
}

/// Connects to what the Linux session offers; its events go to `tx`.
#[cfg(unix)]
pub async fn connect(tx: DesktopEventSender) -> Desktop {
    use crate::platform::notifications::notification_events;
    use crate::platform::sleep::sleep_signals;

    let mut degraded = BTreeMap::new();
    let session = match tokio::time::timeout(CONNECT_TIMEOUT, zbus::Connection::session()).await {
        Ok(Ok(conn)) => Some(conn),
        Ok(Err(err)) => {
            degraded.insert(
                Feature::SessionBus,
                format!("unavailable ({err}); no notifications, tray or desktop idle detection"),
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

    let mut notifier: Option<Box<dyn seams::Notifier>> = None;
    if let Some(conn) = &session {
        // Subscribe before the first notification so no early click is missed.
        match notification_events(conn).await {
            Ok(mut stream) => {
                let tx = tx.clone();
                tokio::spawn(async move {
                    while let Some(event) = stream.next().await {
                        if tx.send(DesktopEvent::Notification(event)).is_err() {
                            return;
                        }
                    }
                    let _ = tx.send(DesktopEvent::NotificationsLost(
                        "the session bus connection closed".to_owned(),
                    ));
                });
            }
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
                notifier = Some(Box::new(n));
            }
            Err(err) => {
                degraded.insert(
                    Feature::Notifications,
                    format!("unavailable ({err}); {PROMPT_WINDOW_INSTEAD}"),
                );
            }
        }
    }

    let tray = match &session {
        Some(_) => start_tray_or_degrade(&tx, &mut degraded).await,
        None => None,
    };
    let idle = IdleMonitor::detect(session.as_ref()).await;
    let busy = BusyProbe::new(session.clone());
    match sleep_signals().await {
        Some(signals) => forward_sleep(signals, tx.clone()),
        None => {
            degraded.insert(
                Feature::Suspend,
                "no logind sleep signal; a resume is noticed from the clock within a minute"
                    .to_owned(),
            );
        }
    }

    Desktop::new(DesktopParts {
        notifier,
        tray,
        tray_state: TrayState::default(),
        idle: Box::new(idle),
        busy: Box::new(busy),
        autostart: Box::new(LoginEntry),
        degraded,
    })
}

/// Connects to what Windows offers: the toast notifier, the tray icon and
/// the hidden window that reports locks and suspends; their events go to
/// `tx`. No toast service (as under Wine) means the prompt window.
#[cfg(windows)]
pub async fn connect(tx: DesktopEventSender) -> Desktop {
    use crate::platform::sleep::sleep_signals;

    let mut degraded = BTreeMap::new();
    let notifier: Option<Box<dyn seams::Notifier>> = match Notifier::connect().await {
        Ok((notifier, mut stream)) => {
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Some(event) = stream.next().await {
                    if tx.send(DesktopEvent::Notification(event)).is_err() {
                        return;
                    }
                }
            });
            Some(Box::new(notifier))
        }
        Err(err) => {
            degraded.insert(
                Feature::Notifications,
                format!("{err}; {PROMPT_WINDOW_INSTEAD}"),
            );
            None
        }
    };

    let tray = start_tray_or_degrade(&tx, &mut degraded).await;

    let idle = match crate::platform::session_events::start() {
        Ok(session) => {
            if let Some(signals) = sleep_signals(&session) {
                forward_sleep(signals, tx.clone());
            }
            IdleMonitor::new(Some(session.lock.clone()))
        }
        Err(err) => {
            degraded.insert(
                Feature::Suspend,
                format!(
                    "no power notifications ({err}); a resume is noticed from the clock \
                     within a minute, and a locked screen from input idle time"
                ),
            );
            IdleMonitor::new(None)
        }
    };

    Desktop::new(DesktopParts {
        notifier,
        tray,
        tray_state: TrayState::default(),
        idle: Box::new(idle),
        busy: Box::new(BusyProbe::new()),
        autostart: Box::new(LoginEntry),
        degraded,
    })
}

/// Forwards the system's requests to stop as [`DesktopEvent::Stop`]. A
/// hangup is not one: the service is not tied to a terminal. From the
/// moment this returns, those signals no longer end the process by default.
pub fn forward_service_signals(tx: DesktopEventSender) -> std::io::Result<()> {
    let mut signals = ServiceSignals::listen()?;
    tokio::spawn(async move {
        loop {
            match signals.recv().await {
                ServiceSignal::Terminate => tracing::info!("terminated"),
                ServiceSignal::Interrupt => tracing::info!("interrupted"),
                ServiceSignal::Hangup => continue,
            }
            if tx.send(DesktopEvent::Stop).is_err() {
                return;
            }
        }
    });
    Ok(())
}

fn forward_sleep(mut signals: SleepSignals, tx: DesktopEventSender) {
    tokio::spawn(async move {
        while let Some(event) = signals.next().await {
            if tx.send(DesktopEvent::Sleep(event)).is_err() {
                return;
            }
        }
    });
}

/// Starts the tray icon, its menu forwarding onto `tx`; a tray that cannot
/// start, or does not in time, is recorded as degraded.
async fn start_tray_or_degrade(
    tx: &DesktopEventSender,
    degraded: &mut BTreeMap<Feature, String>,
) -> Option<Box<dyn Tray>> {
    let (commands_tx, mut commands) = mpsc::unbounded_channel();
    match tokio::time::timeout(
        CONNECT_TIMEOUT,
        start_tray(TrayState::default(), commands_tx),
    )
    .await
    {
        Ok(Ok(handle)) => {
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Some(command) = commands.recv().await {
                    if tx.send(DesktopEvent::Tray(command)).is_err() {
                        return;
                    }
                }
            });
            Some(Box::new(handle))
        }
        Ok(Err(err)) => {
            degraded.insert(
                Feature::Tray,
                format!("{err}; use the window or the command line"),
            );
            None
        }
        Err(_) => {
            degraded.insert(
                Feature::Tray,
                "publishing the tray item timed out; use the window or the command line".to_owned(),
            );
            None
        }
    }
}
