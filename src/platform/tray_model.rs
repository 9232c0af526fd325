//! What the tray offers and looks like, on any platform: the menu (wording
//! and order defined once), the ids of the commands its items send, the
//! single-text tooltip and the icon's pixels. The StatusNotifierItem tray
//! on Linux and the notification-area icon on Windows both draw from here.

use std::time::Duration;

pub use super::desktop::{TrayCommand, TrayState};
use crate::core::model::ReminderKind;
use crate::core::schedule::PauseLength;

/// The prefix of a trigger item's id, followed by the kind's machine name.
const TRIGGER_ID: &str = "trigger:";
/// The prefix of a timed pause item's id, followed by whole seconds.
const PAUSE_FOR_ID: &str = "pause:";

impl TrayCommand {
    /// A stable text id for the menu item that sends this command (menu
    /// toolkits that report clicks by id, such as Windows menus, use it).
    pub fn id(self) -> String {
        match self {
            Self::Open => "open".to_owned(),
            Self::Trigger(kind) => format!("{TRIGGER_ID}{}", kind.as_str()),
            Self::Pause(PauseLength::For(length)) => {
                format!("{PAUSE_FOR_ID}{}", length.as_secs())
            }
            Self::Pause(PauseLength::UntilTomorrow) => "pause:tomorrow".to_owned(),
            Self::Pause(PauseLength::UntilResumed) => "pause:resumed".to_owned(),
            Self::Resume => "resume".to_owned(),
            Self::Quit => "quit".to_owned(),
        }
    }

    /// The command behind a menu item id; `None` for an id we never made.
    pub fn from_id(id: &str) -> Option<Self> {
        Some(match id {
            "open" => Self::Open,
            "resume" => Self::Resume,
            "quit" => Self::Quit,
            "pause:tomorrow" => Self::Pause(PauseLength::UntilTomorrow),
            "pause:resumed" => Self::Pause(PauseLength::UntilResumed),
            _ => {
                if let Some(kind) = id.strip_prefix(TRIGGER_ID) {
                    Self::Trigger(ReminderKind::parse(kind)?)
                } else {
                    let secs: u64 = id.strip_prefix(PAUSE_FOR_ID)?.parse().ok()?;
                    Self::Pause(PauseLength::For(Duration::from_secs(secs)))
                }
            }
        })
    }
}

/// One entry of the tray menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuEntry {
    /// An item that sends `command` when chosen.
    Item {
        /// What it says.
        label: &'static str,
        /// What choosing it sends.
        command: TrayCommand,
    },
    /// A line between groups.
    Separator,
    /// A submenu.
    Submenu {
        /// What it says.
        label: &'static str,
        /// Its entries.
        entries: Vec<MenuEntry>,
    },
}

fn item(label: &'static str, command: TrayCommand) -> MenuEntry {
    MenuEntry::Item { label, command }
}

/// The tray menu: open, the three reminders on demand, pause (or resume
/// while paused) and quit.
pub fn tray_menu(paused: bool) -> Vec<MenuEntry> {
    let mut menu = vec![
        item("Open Rebalance", TrayCommand::Open),
        MenuEntry::Separator,
        item(
            "Take a break now",
            TrayCommand::Trigger(ReminderKind::MoveBreak),
        ),
        item(
            "Check posture now",
            TrayCommand::Trigger(ReminderKind::PostureCheck),
        ),
        item("Start routine", TrayCommand::Trigger(ReminderKind::Routine)),
        MenuEntry::Separator,
    ];
    if paused {
        menu.push(item("Resume", TrayCommand::Resume));
    } else {
        menu.push(MenuEntry::Submenu {
            label: "Pause",
            entries: vec![
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
        });
    }
    menu.push(MenuEntry::Separator);
    menu.push(item("Quit", TrayCommand::Quit));
    menu
}

/// The tooltip as a single text for trays that show one string (the
/// Windows notification area): the app's name, then what comes next, cut
/// with an ellipsis to at most `max_utf16` UTF-16 code units.
pub fn tooltip_text(state: &TrayState, max_utf16: usize) -> String {
    let full = if state.tooltip.is_empty() {
        super::APP_NAME.to_owned()
    } else {
        format!("{}\n{}", super::APP_NAME, state.tooltip)
    };
    if full.encode_utf16().count() <= max_utf16 {
        return full;
    }
    let mut cut = String::new();
    let mut units = 0;
    for c in full.chars() {
        // Keep one unit for the ellipsis.
        if units + c.len_utf16() + 1 > max_utf16 {
            break;
        }
        units += c.len_utf16();
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// Draws the tray icon at `size` pixels: a teal disc with three white
/// vertebrae, or, when paused, a grey disc with a white pause sign. RGBA,
/// 8 bits a channel, not premultiplied, rows from the top; drawn here so the
/// icon shows without any icon file or theme installed.
pub fn icon_rgba(size: u32, paused: bool) -> Vec<u8> {
    const SUB: u32 = 4; // 4x4 samples per pixel smooth the edges.
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
                channel(acc[0]),
                channel(acc[1]),
                channel(acc[2]),
                (alpha * 255.0).round() as u8,
            ]);
        }
    }
    data
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

    fn pixel(rgba: &[u8], size: u32, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * size + x) * 4) as usize;
        [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]
    }

    #[test]
    fn icon_is_a_disc_on_a_transparent_square() {
        let icon = icon_rgba(32, false);
        assert_eq!(icon.len(), 32 * 32 * 4);
        assert_eq!(pixel(&icon, 32, 0, 0)[3], 0, "corners are transparent");
        assert_eq!(pixel(&icon, 32, 31, 31)[3], 0);
        // Left of the spine, inside the disc: opaque teal.
        assert_eq!(pixel(&icon, 32, 6, 16), [41, 153, 140, 255]);
        // The middle vertebra is white.
        assert_eq!(pixel(&icon, 32, 16, 16), [255, 255, 255, 255]);
    }

    #[test]
    fn paused_icon_is_grey_with_a_pause_sign() {
        for size in [16, 22, 32, 48] {
            assert_ne!(icon_rgba(size, false), icon_rgba(size, true), "{size}px");
        }
        let paused = icon_rgba(32, true);
        // Grey, and the gap between the pause bars shows the disc.
        assert_eq!(pixel(&paused, 32, 16, 16), [128, 128, 128, 255]);
        assert_eq!(pixel(&paused, 32, 11, 16), [255, 255, 255, 255]);
    }

    #[test]
    fn single_text_tooltip_names_the_app_and_fits() {
        let state = TrayState {
            tooltip: "Posture check in 12 min".into(),
            paused: false,
        };
        assert_eq!(
            tooltip_text(&state, 127),
            "Rebalance\nPosture check in 12 min"
        );
        assert_eq!(tooltip_text(&TrayState::default(), 127), "Rebalance");
        let long = TrayState {
            tooltip: "é".repeat(200),
            paused: false,
        };
        let cut = tooltip_text(&long, 127);
        assert_eq!(cut.encode_utf16().count(), 127);
        assert!(
            cut.starts_with("Rebalance\né") && cut.ends_with('…'),
            "{cut}"
        );
    }

    fn labels(menu: &[MenuEntry]) -> Vec<String> {
        menu.iter()
            .map(|m| match m {
                MenuEntry::Item { label, .. } => (*label).to_owned(),
                MenuEntry::Submenu { label, .. } => format!("{label} >"),
                MenuEntry::Separator => "-".into(),
            })
            .collect()
    }

    #[test]
    fn menu_offers_pause_or_resume_by_state() {
        assert_eq!(
            labels(&tray_menu(false)),
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
        let paused = labels(&tray_menu(true));
        assert!(paused.contains(&"Resume".to_owned()));
        assert!(!paused.contains(&"Pause >".to_owned()));
    }

    fn commands(menu: &[MenuEntry]) -> Vec<TrayCommand> {
        menu.iter()
            .flat_map(|m| match m {
                MenuEntry::Item { command, .. } => vec![*command],
                MenuEntry::Submenu { entries, .. } => commands(entries),
                MenuEntry::Separator => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn every_menu_item_id_maps_back_to_its_command() {
        let mut all = commands(&tray_menu(false));
        all.extend(commands(&tray_menu(true)));
        all.push(TrayCommand::Pause(PauseLength::UntilResumed));
        assert!(all.len() >= 9, "{all:?}");
        for command in all {
            assert_eq!(
                TrayCommand::from_id(&command.id()),
                Some(command),
                "{command:?}"
            );
        }
        assert_eq!(
            TrayCommand::from_id("pause:3600"),
            Some(TrayCommand::Pause(PauseLength::For(Duration::from_secs(
                3600
            ))))
        );
        assert_eq!(
            TrayCommand::from_id("trigger:move_break"),
            Some(TrayCommand::Trigger(ReminderKind::MoveBreak))
        );
    }

    #[test]
    fn ids_we_never_made_map_to_nothing() {
        for id in [
            "",
            "pause:",
            "pause:soon",
            "trigger:nap",
            "trigger:",
            "1001",
        ] {
            assert_eq!(TrayCommand::from_id(id), None, "{id:?}");
        }
    }

    #[test]
    fn menu_ids_are_unique_within_a_menu() {
        for paused in [false, true] {
            let mut ids: Vec<String> = commands(&tray_menu(paused))
                .into_iter()
                .map(TrayCommand::id)
                .collect();
            let count = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), count, "paused: {paused}");
        }
    }
}
