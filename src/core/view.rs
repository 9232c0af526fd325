//! The window's views, named once: the navigation bar, `--view` on the
//! command line and the daemon's "open the window on ..." request all use
//! [`View`].

use serde::{Deserialize, Serialize};

use crate::core::model::ReminderKind;

/// The window's views, in the order of the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Countdowns, today's progress and quick actions.
    Today,
    /// The move break countdown.
    #[value(alias = "move-break", alias = "move_break")]
    Break,
    /// The guided routine.
    Routine,
    /// The log, day by day.
    Log,
    /// Built-in and custom routines.
    Routines,
    /// Charts of the week.
    Week,
    /// Every setting.
    Settings,
    /// What the app is for, and safety.
    #[value(alias = "safety")]
    About,
    /// The first-start welcome (no tab: shown once, or from Settings).
    Welcome,
}

impl View {
    /// The views shown as tabs, in order.
    pub const TABS: [View; 8] = [
        View::Today,
        View::Break,
        View::Routine,
        View::Log,
        View::Routines,
        View::Week,
        View::Settings,
        View::About,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            View::Today => "Today",
            View::Break => "Break",
            View::Routine => "Routine",
            View::Log => "Log",
            View::Routines => "Routines",
            View::Week => "Week",
            View::Settings => "Settings",
            View::About => "About",
            View::Welcome => "Welcome",
        }
    }

    /// The view named on the command line or by another window ("break",
    /// "routine", ...); unknown names give `None`.
    pub fn parse(name: &str) -> Option<View> {
        let name = name.trim().to_ascii_lowercase();
        let name = match name.as_str() {
            "move_break" | "move-break" => "break",
            "routines_edit" => "routines",
            "about_safety" | "safety" => "about",
            other => other,
        };
        View::TABS
            .into_iter()
            .chain([View::Welcome])
            .find(|v| v.label().eq_ignore_ascii_case(name))
    }

    /// The name `parse` and `--view` take ("today", "break", ...).
    pub fn name(self) -> &'static str {
        match self {
            View::Today => "today",
            View::Break => "break",
            View::Routine => "routine",
            View::Log => "log",
            View::Routines => "routines",
            View::Week => "week",
            View::Settings => "settings",
            View::About => "about",
            View::Welcome => "welcome",
        }
    }

    /// The view that belongs to a reminder: its break countdown, its guided
    /// routine, or Today for a posture check.
    pub fn for_reminder(kind: ReminderKind) -> View {
        match kind {
            ReminderKind::PostureCheck => View::Today,
            ReminderKind::MoveBreak => View::Break,
            ReminderKind::Routine => View::Routine,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_is_found_by_its_name_and_label() {
        for view in View::TABS.into_iter().chain([View::Welcome]) {
            assert_eq!(View::parse(view.name()), Some(view));
            assert_eq!(View::parse(view.label()), Some(view));
            let json = serde_json::to_string(&view).expect("encode");
            assert_eq!(json, format!("\"{}\"", view.name()));
        }
        assert_eq!(View::parse("move-break"), Some(View::Break));
        assert_eq!(View::parse("nonsense"), None);
    }
}
