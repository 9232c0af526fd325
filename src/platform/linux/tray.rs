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
use crate::core::model::ReminderKind;
use crate::core::schedule::PauseLength;
pub use crate::platform::desktop::{TrayCommand, TrayState};

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

fn item(label: &str, command: TrayCommand) -> MenuItem<RebalanceTray> {
    StandardItem {
        label: label.into(),
        activate: Box::new(move |tray: &mut RebalanceTray| tray.send(command)),
        ..Default::default()
    }
    .into()
}

impl ksni::Tray for RebalanceTray {
    fn id(&self) -> String {
        "rebalance".into()
    }

    fn title(&self) -> String {
        "Rebalance".into()
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
            title: "Rebalance".into(),
            description: self.state.tooltip.clone(),
            icon_name: String::new(),
            icon_pixmap: Vec::new(),
        }
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        let mut menu = vec![
            item("Open Rebalance", TrayCommand::Open),
            MenuItem::Separator,
            item(
                "Take a break now",
                TrayCommand::Trigger(ReminderKind::MoveBreak),
            ),
            item(
                "Check posture now",
                TrayCommand::Trigger(ReminderKind::PostureCheck),
            ),
            item("Start routine", TrayCommand::Trigger(ReminderKind::Routine)),
            MenuItem::Separator,
        ];
        if self.state.paused {
            menu.push(item("Resume", TrayCommand::Resume));
        } else {
            menu.push(
                SubMenu {
                    label: "Pause".into(),
                    submenu: vec![
                        item(
                            "30 minutes",
                            TrayCommand::Pause(PauseLength::For(Duration::from_secs(30 * 60))),
                        ),
                        item(
                            "1 hour",
                            TrayCommand::Pause(PauseLength::For(Duration::from_secs(60 * 60))),
                        ),
                        item(
                            "Until tomorrow",
                            TrayCommand::Pause(PauseLength::UntilTomorrow),
                        ),
                    ],
                    ..Default::default()
                }
                .into(),
            );
        }
        menu.push(MenuItem::Separator);
        menu.push(item("Quit", TrayCommand::Quit));
        menu
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

/// Draws the tray icon at `size` pixels: a teal disc with three white
/// vertebrae, or, when paused, a grey disc with a white pause sign. ARGB32,
/// big-endian, as the StatusNotifierItem specification wants; drawn here so
/// the icon shows without any icon theme installed.
pub fn tray_pixmap(size: i32, paused: bool) -> ksni::Icon {
    const SUB: i32 = 4; // 4x4 samples per pixel smooth the edges.
    let n = size.max(1);
    let mut data = Vec::with_capacity((n * n * 4) as usize);
    for y in 0..n {
        for x in 0..n {
            let mut acc = [0.0f32; 4]; // alpha-weighted r, g, b and alpha
            for sy in 0..SUB {
                for sx in 0..SUB {
                    let u = (x as f32 + (sx as f32 + 0.5) / SUB as f32) / n as f32;
                    let v = (y as f32 + (sy as f32 + 0.5) / SUB as f32) / n as f32;
                    if let Some([r, g, b]) = icon_colour(u, v, paused) {
                        acc[0] += r;
                        acc[1] += g;
                        acc[2] += b;
                        acc[3] += 1.0;
                    }
                }
            }
            let samples = (SUB * SUB) as f32;
            let alpha = acc[3] / samples;
            let channel = |c: f32| {
                if acc[3] > 0.0 {
                    (c / acc[3] * 255.0).round() as u8
                } else {
                    0
                }
            };
            data.extend_from_slice(&[
                (alpha * 255.0).round() as u8,
                channel(acc[0]),
                channel(acc[1]),
                channel(acc[2]),
            ]);
        }
    }
    ksni::Icon {
        width: n,
        height: n,
        data,
    }
}

/// The colour at (u, v) in the unit square, `None` where transparent.
fn icon_colour(u: f32, v: f32, paused: bool) -> Option<[f32; 3]> {
    const TEAL: [f32; 3] = [0.16, 0.60, 0.55];
    const GREY: [f32; 3] = [0.50, 0.50, 0.50];
    const WHITE: [f32; 3] = [1.0, 1.0, 1.0];
    let (dx, dy) = (u - 0.5, v - 0.5);
    if dx * dx + dy * dy > 0.48 * 0.48 {
        return None;
    }
    let white = if paused {
        // Two upright bars.
        rounded_rect(u, v, 0.36, 0.5, 0.07, 0.22, 0.03)
            || rounded_rect(u, v, 0.64, 0.5, 0.07, 0.22, 0.03)
    } else {
        // Three stacked vertebrae, narrowing upwards like a spine.
        rounded_rect(u, v, 0.5, 0.30, 0.13, 0.065, 0.05)
            || rounded_rect(u, v, 0.5, 0.50, 0.17, 0.07, 0.05)
            || rounded_rect(u, v, 0.5, 0.71, 0.21, 0.075, 0.05)
    };
    Some(if white {
        WHITE
    } else if paused {
        GREY
    } else {
        TEAL
    })
}

/// Whether (u, v) lies in the rectangle centred at (cx, cy) with half sizes
/// (hw, hh) and corner radius r.
fn rounded_rect(u: f32, v: f32, cx: f32, cy: f32, hw: f32, hh: f32, r: f32) -> bool {
    let qx = ((u - cx).abs() - (hw - r)).max(0.0);
    let qy = ((v - cy).abs() - (hh - r)).max(0.0);
    (u - cx).abs() <= hw && (v - cy).abs() <= hh && qx * qx + qy * qy <= r * r
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn paused_icon_looks_different() {
        for size in PIXMAP_SIZES {
            assert_ne!(
                tray_pixmap(size, false).data,
                tray_pixmap(size, true).data,
                "{size}px"
            );
        }
        let paused = tray_pixmap(32, true);
        // Grey, and the gap between the pause bars shows the disc.
        assert_eq!(pixel(&paused, 16, 16), [255, 128, 128, 128]);
        assert_eq!(pixel(&paused, 11, 16), [255, 255, 255, 255]);
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
    fn menu_offers_pause_or_resume_by_state() {
        use ksni::Tray;
        let (running, _rx) = tray(false);
        assert_eq!(
            labels(&running.menu()),
            [
                "Open Rebalance",
                "-",
                "Take a break now",
                "Check posture now",
                "Start routine",
                "-",
                "Pause >",
                "-",
                "Quit"
            ]
        );
        let (paused, _rx) = tray(true);
        assert!(labels(&paused.menu()).contains(&"Resume".to_owned()));
        assert!(!labels(&paused.menu()).contains(&"Pause >".to_owned()));
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
