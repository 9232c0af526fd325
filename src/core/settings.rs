//! The settings model: every user-facing setting with its default, written
//! to TOML. Loading, saving and validation live here too; the file I/O is in
//! `crate::store::settings_file` so this module stays pure.

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::core::text_format::{clock_text, duration_text};

mod validate;

pub use validate::{
    BREAK_DURATION, EVERY_DAYS, EXPIRE_AFTER, HOLD_APPS, HOLD_GRACE, HOLD_LIMIT, INTERVAL,
    MAX_SNOOZES, QUIET_AFTER_BREAK, SNOOZE,
};

/// The settings file format version written by this build.
pub const SETTINGS_VERSION: u32 = 1;

/// Every setting, as stored in `settings.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// File format version; newer files are refused with a clear message.
    pub version: u32,
    /// Posture check reminders.
    pub posture: PostureSettings,
    /// Walk/stretch break reminders.
    pub move_break: MoveBreakSettings,
    /// The corrective routine reminder.
    pub routine: RoutineSettings,
    /// Snooze, expiry and spacing rules shared by all reminders.
    pub reminders: ReminderSettings,
    /// When posture checks and move breaks may fire.
    pub working_hours: WorkingHours,
    /// How reminders are shown.
    pub notifications: NotificationSettings,
    /// When reminders wait for a better moment.
    pub hold: HoldSettings,
    /// Start at login.
    pub startup: StartupSettings,
    /// Look of the window and the week view.
    pub appearance: AppearanceSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: SETTINGS_VERSION,
            posture: PostureSettings::default(),
            move_break: MoveBreakSettings::default(),
            routine: RoutineSettings::default(),
            reminders: ReminderSettings::default(),
            working_hours: WorkingHours::default(),
            notifications: NotificationSettings::default(),
            hold: HoldSettings::default(),
            startup: StartupSettings::default(),
            appearance: AppearanceSettings::default(),
        }
    }
}

/// Posture check reminders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostureSettings {
    /// Whether posture checks are offered at all.
    pub enabled: bool,
    /// Time between checks (default 30 min).
    #[serde(with = "duration_text")]
    pub interval: Duration,
}

impl Default for PostureSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            interval: Duration::from_secs(30 * 60),
        }
    }
}

/// Walk/stretch break reminders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MoveBreakSettings {
    /// Whether move breaks are offered at all.
    pub enabled: bool,
    /// Time between breaks (default 60 min).
    #[serde(with = "duration_text")]
    pub interval: Duration,
    /// Length of a break; being idle this long counts as a natural break
    /// (default 5 min).
    #[serde(with = "duration_text")]
    pub duration: Duration,
}

impl Default for MoveBreakSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            interval: Duration::from_secs(60 * 60),
            duration: Duration::from_secs(5 * 60),
        }
    }
}

/// The imbalance pattern a professional found; routines lean toward it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImbalancePattern {
    /// Weak glutes, tight hip flexors.
    GlutesHipFlexors,
    /// Overactive quads, underused hamstrings.
    QuadsHamstrings,
    /// Dominant lower back, weak core.
    LowerBackCore,
}

/// The corrective routine reminder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoutineSettings {
    /// Whether the routine is offered at all.
    pub enabled: bool,
    /// Offer it every N days (default 2: every other day).
    pub every_days: u32,
    /// Local time of day it is offered (default 18:00).
    #[serde(with = "clock_text")]
    pub at: NaiveTime,
    /// Id of the routine the reminder offers (default "mini").
    pub routine: String,
    /// The pattern the user was told they have, if any.
    pub pattern: Option<ImbalancePattern>,
}

impl Default for RoutineSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            every_days: 2,
            at: NaiveTime::from_hms_opt(18, 0, 0).expect("18:00 is a valid time"),
            routine: "mini".to_owned(),
            pattern: None,
        }
    }
}

/// Snooze, expiry and spacing rules shared by all reminders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReminderSettings {
    /// How long a snooze lasts (default 5 min).
    #[serde(with = "duration_text")]
    pub snooze: Duration,
    /// Snoozes allowed in a row before only done and skip remain (default 3).
    pub max_snoozes: u32,
    /// An unanswered reminder is logged as missed after this (default 10 min).
    #[serde(with = "duration_text")]
    pub expire_after: Duration,
    /// No posture check this soon after a move break (default 5 min).
    #[serde(with = "duration_text")]
    pub quiet_after_break: Duration,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            snooze: Duration::from_secs(5 * 60),
            max_snoozes: 3,
            expire_after: Duration::from_secs(10 * 60),
            quiet_after_break: Duration::from_secs(5 * 60),
        }
    }
}

/// When posture checks and move breaks may fire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkingHours {
    /// Days reminders fire on (default Monday to Friday).
    pub days: Vec<Weekday>,
    /// Local start of the working day (default 09:00).
    #[serde(with = "clock_text")]
    pub start: NaiveTime,
    /// Local end of the working day (default 18:00).
    #[serde(with = "clock_text")]
    pub end: NaiveTime,
}

impl Default for WorkingHours {
    fn default() -> Self {
        Self {
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            start: NaiveTime::from_hms_opt(9, 0, 0).expect("09:00 is a valid time"),
            end: NaiveTime::from_hms_opt(18, 0, 0).expect("18:00 is a valid time"),
        }
    }
}

/// How reminders are shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationSettings {
    /// Ask the notification server to play its sound.
    pub sound: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        Self { sound: true }
    }
}

/// Which moments hold a posture check, move break or routine back, and for
/// how long. A held reminder comes out once, a grace after the busy spell
/// ends, and never later than the limit after it fell due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HoldSettings {
    /// Hold back during a call (microphone or camera in use).
    pub calls: bool,
    /// Hold back while a full-screen window is focused.
    pub full_screen: bool,
    /// Hold back while the desktop's do-not-disturb is on.
    pub do_not_disturb: bool,
    /// Hold back while an app keeps the screen awake (presentations, videos).
    pub presentations: bool,
    /// Hold back while one of these programs runs (process names, e.g. "zoom").
    pub apps: Vec<String>,
    /// Wait this long after the busy spell ends (default 1 min).
    #[serde(with = "duration_text")]
    pub grace: Duration,
    /// Show a held reminder anyway, quietly, this long after it fell due
    /// (default 60 min).
    #[serde(with = "duration_text")]
    pub limit: Duration,
}

impl Default for HoldSettings {
    fn default() -> Self {
        Self {
            calls: true,
            full_screen: true,
            do_not_disturb: true,
            presentations: true,
            apps: Vec::new(),
            grace: Duration::from_secs(60),
            limit: Duration::from_secs(60 * 60),
        }
    }
}

/// Start at login.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StartupSettings {
    /// Add an autostart entry so the reminders run after login.
    pub autostart: bool,
}

/// Light, dark, or follow the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the desktop's preference.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// Look of the window and the week view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppearanceSettings {
    /// Colour theme.
    pub theme: Theme,
    /// First day of the week in the week view (default Monday).
    pub first_day_of_week: Weekday,
    /// Show the exercise figures still, in their working position, instead
    /// of moving (default off).
    pub reduce_motion: bool,
}

impl Default for AppearanceSettings {
    fn default() -> Self {
        Self {
            theme: Theme::System,
            first_day_of_week: Weekday::Mon,
            reduce_motion: false,
        }
    }
}
