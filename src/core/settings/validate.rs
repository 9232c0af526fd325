//! Range checks on every setting, reported field by field in the words the
//! settings file uses ("posture.interval", "1m to 8h").

use std::ops::RangeInclusive;
use std::time::Duration;

use super::{SETTINGS_VERSION, Settings};
use crate::core::model::FieldError;
use crate::core::text_format::{format_clock, format_duration};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// Allowed time between two reminders of the same kind.
pub const INTERVAL: RangeInclusive<Duration> = MINUTE..=Duration::from_secs(8 * 3600);
/// Allowed length of a move break.
pub const BREAK_DURATION: RangeInclusive<Duration> = MINUTE..=Duration::from_secs(30 * 60);
/// Allowed length of a snooze.
pub const SNOOZE: RangeInclusive<Duration> = MINUTE..=HOUR;
/// Allowed number of snoozes in a row.
pub const MAX_SNOOZES: RangeInclusive<u32> = 0..=10;
/// Allowed time before an unanswered reminder counts as missed.
pub const EXPIRE_AFTER: RangeInclusive<Duration> = MINUTE..=Duration::from_secs(2 * 3600);
/// Allowed quiet spell for posture checks after a move break.
pub const QUIET_AFTER_BREAK: RangeInclusive<Duration> =
    Duration::ZERO..=Duration::from_secs(30 * 60);
/// Allowed wait after a busy spell before a held reminder comes out.
pub const HOLD_GRACE: RangeInclusive<Duration> = Duration::ZERO..=Duration::from_secs(15 * 60);
/// Allowed longest hold, from the time a reminder fell due.
pub const HOLD_LIMIT: RangeInclusive<Duration> =
    Duration::from_secs(5 * 60)..=Duration::from_secs(4 * 3600);
/// Most programs the hold list may name, and the longest name.
pub const HOLD_APPS: usize = 20;
const HOLD_APP_NAME: usize = 64;

/// Allowed spacing of the routine, in days.
pub const EVERY_DAYS: RangeInclusive<u32> = 1..=14;

impl Settings {
    /// Checks every setting against its allowed range. All problems are
    /// returned at once, each naming its field and what is allowed.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.version > SETTINGS_VERSION {
            errors.push(FieldError::new(
                "version",
                format!(
                    "{} is newer than this version of Rebalance understands (up to {SETTINGS_VERSION}); update Rebalance to use this file",
                    self.version
                ),
            ));
        }
        duration_in(
            "posture.interval",
            self.posture.interval,
            INTERVAL,
            &mut errors,
        );
        duration_in(
            "move_break.interval",
            self.move_break.interval,
            INTERVAL,
            &mut errors,
        );
        let break_ok = duration_in(
            "move_break.duration",
            self.move_break.duration,
            BREAK_DURATION,
            &mut errors,
        );
        if break_ok && self.move_break.duration >= self.move_break.interval {
            errors.push(FieldError::new(
                "move_break.duration",
                format!(
                    "{} must be shorter than move_break.interval ({})",
                    format_duration(self.move_break.duration),
                    format_duration(self.move_break.interval)
                ),
            ));
        }
        duration_in(
            "reminders.snooze",
            self.reminders.snooze,
            SNOOZE,
            &mut errors,
        );
        count_in(
            "reminders.max_snoozes",
            self.reminders.max_snoozes,
            MAX_SNOOZES,
            "",
            &mut errors,
        );
        duration_in(
            "reminders.expire_after",
            self.reminders.expire_after,
            EXPIRE_AFTER,
            &mut errors,
        );
        duration_in(
            "reminders.quiet_after_break",
            self.reminders.quiet_after_break,
            QUIET_AFTER_BREAK,
            &mut errors,
        );
        count_in(
            "routine.every_days",
            self.routine.every_days,
            EVERY_DAYS,
            " days",
            &mut errors,
        );
        if self.routine.routine.trim().is_empty() {
            errors.push(FieldError::new(
                "routine.routine",
                "must name a routine, for example \"mini\"",
            ));
        }
        self.validate_hold(&mut errors);
        let hours = &self.working_hours;
        if hours.days.is_empty() {
            errors.push(FieldError::new(
                "working_hours.days",
                "must list at least one day, for example [\"Mon\", \"Tue\"]",
            ));
        }
        if hours.start >= hours.end {
            errors.push(FieldError::new(
                "working_hours.end",
                format!(
                    "{} must be later than working_hours.start ({})",
                    format_clock(hours.end),
                    format_clock(hours.start)
                ),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

impl Settings {
    /// The hold-back rules: grace and limit in range, the grace shorter
    /// than the limit, and app names that a process can have.
    fn validate_hold(&self, errors: &mut Vec<FieldError>) {
        let hold = &self.hold;
        let grace_ok = duration_in("hold.grace", hold.grace, HOLD_GRACE, errors);
        let limit_ok = duration_in("hold.limit", hold.limit, HOLD_LIMIT, errors);
        if grace_ok && limit_ok && hold.grace >= hold.limit {
            errors.push(FieldError::new(
                "hold.grace",
                format!(
                    "{} must be shorter than hold.limit ({})",
                    format_duration(hold.grace),
                    format_duration(hold.limit)
                ),
            ));
        }
        if hold.apps.len() > HOLD_APPS {
            errors.push(FieldError::new(
                "hold.apps",
                format!(
                    "lists {} programs; at most {HOLD_APPS} are allowed",
                    hold.apps.len()
                ),
            ));
        }
        for app in &hold.apps {
            let name = app.trim();
            if name.is_empty()
                || name.len() > HOLD_APP_NAME
                || name.contains('/')
                || name.contains('\\')
            {
                errors.push(FieldError::new(
                    "hold.apps",
                    format!(
                        "\"{app}\" is not a program name; write it as the process is called, like \"zoom\" or \"obs\" (up to {HOLD_APP_NAME} characters, no folders)"
                    ),
                ));
            }
        }
    }
}

/// Checks a duration setting, writing the bounds as the file does ("8h").
fn duration_in(
    field: &str,
    value: Duration,
    range: RangeInclusive<Duration>,
    errors: &mut Vec<FieldError>,
) -> bool {
    FieldError::check_range(errors, field, value, &range, |d| format_duration(*d), "")
}

/// Checks a count setting; `unit` follows the upper bound (" days").
fn count_in(
    field: &str,
    value: u32,
    range: RangeInclusive<u32>,
    unit: &str,
    errors: &mut Vec<FieldError>,
) {
    FieldError::check_range(errors, field, value, &range, u32::to_string, unit);
}
