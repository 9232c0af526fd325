//! The tray item (StatusNotifierItem through ksni): an icon that shows
//! whether reminders are paused, a tooltip with what comes next, and a menu
//! whose choices are sent to the daemon as [`TrayCommand`]s.
//!
//! Without a StatusNotifierWatcher on the bus the item waits: it registers
//! by itself as soon as a watcher appears, and the daemon runs meanwhile.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ksni::menu::{StandardItem, SubMenu};
use ksni::{MenuItem, OfflineReason, TrayMethods};
use tokio::sync::mpsc::UnboundedSender;

use super::icon_theme;
pub use crate::platform::desktop::{TrayCommand, TrayState};
use crate::platform::tray_model::{MenuEntry, icon_rgba, tray_menu};

/// How long a tray update may take before it is given up.
const UPDATE_TIMEOUT: Duration = Duration::from_secs(3);
/// Pixmap sizes offered to the tray host, which picks the closest.
const PIXMAP_SIZES: [i32; 4] = [16, 22, 32, 48];

/// Why the tray item could not be started.
#[derive(Debug, thiserror::Error)]
pub enum TrayError {
    /// No session bus, or the item could not be published on it.
    #[error("cannot show a tray icon: {0}")]
    Unavailable(#[from] ksni::Error),
}

/// The running tray item.
pub struct TrayHandle {
    handle: ksni::Handle<RebalanceTray>,
    watcher_online: Arc<AtomicBool>,
}

impl std::fmt::Debug for TrayHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrayHandle")
            .field("shown", &self.is_shown())
            .finish()
    }
}

impl TrayHandle {
    /// Shows `state`. Returns false if the tray service has stopped or did
    /// not take the update in time.
    pub async fn update(&self, state: TrayState) -> bool {
        let apply = self.handle.update(move |tray| tray.state = state);
        matches!(
            tokio::time::timeout(UPDATE_TIMEOUT, apply).await,
            Ok(Some(()))
        )
    }

    /// Whether a tray host (StatusNotifierWatcher) has the item; false while
    /// waiting for one to appear.
    pub fn is_shown(&self) -> bool {
        self.watcher_online.load(Ordering::Acquire)
    }

    /// Removes the item from the bus.
    pub async fn shutdown(&self) {
        let _ = tokio::time::timeout(UPDATE_TIMEOUT, self.handle.shutdown()).await;
    }
}

/// Publishes the tray item on the session bus. With no tray host running it
/// still returns a handle (not shown yet, see [`TrayHandle::is_shown`]) that
/// registers when a host appears; only a missing session bus is an error.
pub async fn start_tray(
    initial: TrayState,
    tx: UnboundedSender<TrayCommand>,
) -> Result<TrayHandle, TrayError> {
    let watcher_online = Arc::new(AtomicBool::new(true));
    let tray = RebalanceTray {
        state: initial,
        tx,
        watcher_online: watcher_online.clone(),
        warned: AtomicBool::new(false),
        icon_name: if icon_theme::installed("rebalance") {
            "rebalance"
        } else {
            ""
        },
    };
    let handle = tray.assume_sni_available(true).spawn().await?;
    Ok(TrayHandle {
        handle,
        watcher_online,
    })
}

/// The ksni side: state plus the channel menu choices go to.
struct RebalanceTray {
    state: TrayState,
    tx: UnboundedSender<TrayCommand>,
    watcher_online: Arc<AtomicBool>,
    /// Whether the missing-watcher warning was logged already.
    warned: AtomicBool,
    /// The themed icon name when installed; empty makes hosts use the pixmap.
    icon_name: &'static str,
}

impl RebalanceTray {
    fn send(&self, command: TrayCommand) {
        // The receiver is gone only while the daemon shuts down.
        let _ = self.tx.send(command);
    }
}

/// The ksni form of one entry of the shared tray menu.
fn menu_item(entry: MenuEntry) -> MenuItem<RebalanceTray> {
    match entry {
        MenuEntry::Item { label, command } => StandardItem {
            label: label.into(),
            activate: Box::new(move |tray: &mut RebalanceTray| tray.send(command)),
            ..Default::default()
        }
        .into(),
        MenuEntry::Separator => MenuItem::Separator,
        MenuEntry::Submenu { label, entries } => SubMenu {
            label: label.into(),
            submenu: entries.into_iter().map(menu_item).collect(),
            ..Default::default()
        }
        .into(),
    }
}

impl ksni::Tray for RebalanceTray {
    fn id(&self) -> String {
        "rebalance".into()
    }

    fn title(&self) -> String {
        crate::platform::APP_NAME.into()
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        self.send(TrayCommand::Open);
    }

    fn icon_name(&self) -> String {
        if self.state.paused || self.icon_name.is_empty() {
            // The pixmap shows the paused state; a themed name would hide it.
            String::new()
        } else {
            self.icon_name.into()
        }
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        PIXMAP_SIZES
            .iter()
            .map(|&size| tray_pixmap(size, self.state.paused))
            .collect()
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip {
            title: crate::platform::APP_NAME.into(),
            description: self.state.tooltip.clone(),
            icon_name: String::new(),
            icon_pixmap: Vec::new(),
        }
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        tray_menu(self.state.paused)
            .into_iter()
            .map(menu_item)
            .collect()
    }

    fn watcher_online(&self) {
        self.watcher_online.store(true, Ordering::Release);
        tracing::info!("tray host appeared: the tray icon is shown");
    }

    fn watcher_offline(&self, reason: OfflineReason) -> bool {
        self.watcher_online.store(false, Ordering::Release);
        if !self.warned.swap(true, Ordering::AcqRel) {
            tracing::warn!(
                "no tray host (StatusNotifierWatcher) on the session bus ({reason:?}): \
                 running without a tray icon until one appears"
            );
        } else {
            tracing::debug!("tray host went away: {reason:?}");
        }
        // Keep the service: it registers again when a watcher appears.
        true
    }
}

/// The tray icon at `size` pixels (see [`icon_rgba`]) as ksni wants it:
/// ARGB32, big-endian, as the StatusNotifierItem specification says.
pub fn tray_pixmap(size: i32, paused: bool) -> ksni::Icon {
    let n = size.max(1);
    let data = icon_rgba(n.unsigned_abs(), paused)
        .chunks_exact(4)
        .flat_map(|p| [p[3], p[0], p[1], p[2]])
        .collect();
    ksni::Icon {
        width: n,
        height: n,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schedule::PauseLength;

    fn pixel(icon: &ksni::Icon, x: i32, y: i32) -> [u8; 4] {
        let i = ((y * icon.width + x) * 4) as usize;
        [
            icon.data[i],
            icon.data[i + 1],
            icon.data[i + 2],
            icon.data[i + 3],
        ]
    }

    #[test]
    fn pixmap_is_a_disc_on_a_transparent_square() {
        let icon = tray_pixmap(32, false);
        assert_eq!((icon.width, icon.height), (32, 32));
        assert_eq!(icon.data.len(), 32 * 32 * 4);
        assert_eq!(pixel(&icon, 0, 0)[0], 0, "corners are transparent");
        assert_eq!(pixel(&icon, 31, 31)[0], 0);
        // Left of the spine, inside the disc: opaque teal.
        assert_eq!(pixel(&icon, 6, 16), [255, 41, 153, 140]);
        // The middle vertebra is white.
        assert_eq!(pixel(&icon, 16, 16), [255, 255, 255, 255]);
    }

    fn labels(menu: &[MenuItem<RebalanceTray>]) -> Vec<String> {
        menu.iter()
            .map(|m| match m {
                MenuItem::Standard(s) => s.label.clone(),
                MenuItem::SubMenu(s) => format!("{} >", s.label),
                MenuItem::Separator => "-".into(),
                _ => "?".into(),
            })
            .collect()
    }

    fn tray(
        paused: bool,
    ) -> (
        RebalanceTray,
        tokio::sync::mpsc::UnboundedReceiver<TrayCommand>,
    ) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let tray = RebalanceTray {
            state: TrayState {
                tooltip: "Posture check in 12 min".into(),
                paused,
            },
            tx,
            watcher_online: Arc::new(AtomicBool::new(true)),
            warned: AtomicBool::new(false),
            icon_name: "",
        };
        (tray, rx)
    }

    #[test]
    fn ksni_menu_follows_the_shared_menu() {
        use ksni::Tray;
        let (running, _rx) = tray(false);
        let running = labels(&running.menu());
        assert_eq!(running.len(), tray_menu(false).len());
        assert_eq!(running[0], "Open Rebalance");
        assert_eq!(running[6], "Pause >");
        let (paused, _rx) = tray(true);
        assert_eq!(labels(&paused.menu())[6], "Resume");
    }

    #[test]
    fn menu_items_send_their_commands() {
        use ksni::Tray;
        let (mut running, mut rx) = tray(false);
        let menu = running.menu();
        let MenuItem::SubMenu(pause) = &menu[6] else {
            panic!("Pause is a submenu")
        };
        let MenuItem::Standard(hour) = &pause.submenu[1] else {
            panic!("1 hour is an item")
        };
        (hour.activate)(&mut running);
        assert_eq!(
            rx.try_recv().unwrap(),
            TrayCommand::Pause(PauseLength::For(Duration::from_secs(3600)))
        );
        running.activate(0, 0);
        assert_eq!(rx.try_recv().unwrap(), TrayCommand::Open);
    }
}
