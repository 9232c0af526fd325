//! Settings: every setting, grouped, durations typed as text with the
//! validation message beside the field. Valid changes are saved and applied
//! when a field is left; invalid ones are not saved.

use std::collections::BTreeMap;

use chrono::Weekday;
use egui::{ComboBox, RichText, TextEdit, Ui};

use crate::core::catalog::Catalog;
use crate::core::model::FieldError;
use crate::core::settings::{ImbalancePattern, Settings, Theme};
use crate::core::text_format::{format_clock, format_duration, parse_clock, parse_duration};
use crate::ipc::StatusReport;
use crate::ui::actions::{Action, View};
use crate::ui::theme;
use crate::ui::widgets;

/// Text fields holding a duration, by dotted field path.
const DURATION_FIELDS: [&str; 8] = [
    "posture.interval",
    "move_break.interval",
    "move_break.duration",
    "reminders.snooze",
    "reminders.expire_after",
    "reminders.quiet_after_break",
    "hold.grace",
    "hold.limit",
];

/// The text field listing programs that hold reminders back, comma separated.
const HOLD_APPS_FIELD: &str = "hold.apps";

/// Text fields holding a clock time, by dotted field path.
const CLOCK_FIELDS: [&str; 3] = ["routine.at", "working_hours.start", "working_hours.end"];

/// The settings form: a working copy, the texts typed into text fields, and
/// the problems found.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsForm {
    /// The working copy; text fields are parsed into it when checked.
    pub draft: Settings,
    /// What is typed in each text field, by field path.
    pub texts: BTreeMap<&'static str, String>,
    /// Problems found, by field path.
    pub errors: Vec<FieldError>,
}

impl SettingsForm {
    /// A form showing `settings`.
    pub fn from_settings(settings: &Settings) -> Self {
        let mut texts = BTreeMap::new();
        texts.insert(
            "posture.interval",
            format_duration(settings.posture.interval),
        );
        texts.insert(
            "move_break.interval",
            format_duration(settings.move_break.interval),
        );
        texts.insert(
            "move_break.duration",
            format_duration(settings.move_break.duration),
        );
        texts.insert(
            "reminders.snooze",
            format_duration(settings.reminders.snooze),
        );
        texts.insert(
            "reminders.expire_after",
            format_duration(settings.reminders.expire_after),
        );
        texts.insert(
            "reminders.quiet_after_break",
            format_duration(settings.reminders.quiet_after_break),
        );
        texts.insert("hold.grace", format_duration(settings.hold.grace));
        texts.insert("hold.limit", format_duration(settings.hold.limit));
        texts.insert(HOLD_APPS_FIELD, settings.hold.apps.join(", "));
        texts.insert(
            "routine.every_days",
            settings.routine.every_days.to_string(),
        );
        texts.insert("routine.at", format_clock(settings.routine.at));
        texts.insert(
            "working_hours.start",
            format_clock(settings.working_hours.start),
        );
        texts.insert(
            "working_hours.end",
            format_clock(settings.working_hours.end),
        );
        Self {
            draft: settings.clone(),
            texts,
            errors: Vec::new(),
        }
    }

    /// Shows `errors` (from a refused save) beside their fields.
    pub fn set_errors(&mut self, errors: Vec<FieldError>) {
        self.errors = errors;
    }

    /// The settings the form describes, or every problem with it.
    pub fn build(&self) -> Result<Settings, Vec<FieldError>> {
        let mut s = self.draft.clone();
        let mut errors = Vec::new();
        let text = |field: &str| self.texts.get(field).map(String::as_str).unwrap_or("");
        match text("routine.every_days").trim().parse::<u32>() {
            Ok(days) => s.routine.every_days = days,
            Err(_) => errors.push(FieldError::new(
                "routine.every_days",
                "write a whole number of days, like \"2\"",
            )),
        }
        for field in DURATION_FIELDS {
            match parse_duration(text(field)) {
                Ok(value) => {
                    let slot = match field {
                        "posture.interval" => &mut s.posture.interval,
                        "move_break.interval" => &mut s.move_break.interval,
                        "move_break.duration" => &mut s.move_break.duration,
                        "reminders.snooze" => &mut s.reminders.snooze,
                        "reminders.expire_after" => &mut s.reminders.expire_after,
                        "hold.grace" => &mut s.hold.grace,
                        "hold.limit" => &mut s.hold.limit,
                        _ => &mut s.reminders.quiet_after_break,
                    };
                    *slot = value;
                }
                Err(message) => errors.push(FieldError::new(field, message)),
            }
        }
        for field in CLOCK_FIELDS {
            match parse_clock(text(field)) {
                Ok(value) => {
                    let slot = match field {
                        "routine.at" => &mut s.routine.at,
                        "working_hours.start" => &mut s.working_hours.start,
                        _ => &mut s.working_hours.end,
                    };
                    *slot = value;
                }
                Err(message) => errors.push(FieldError::new(field, message)),
            }
        }
        s.hold.apps = text(HOLD_APPS_FIELD)
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        s.validate()?;
        Ok(s)
    }

    /// Checks the form, keeping the messages; returns the settings when
    /// valid.
    pub fn check(&mut self) -> Option<Settings> {
        match self.build() {
            Ok(s) => {
                self.errors.clear();
                Some(s)
            }
            Err(errors) => {
                self.errors = errors;
                None
            }
        }
    }

    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field || e.field.starts_with(&format!("{field}.")))
            .map(|e| e.message.as_str())
    }
}

/// Field paths shown by the form, to place messages that name none of them.
const SHOWN_PREFIXES: [&str; 8] = [
    "posture",
    "move_break",
    "routine",
    "reminders",
    "working_hours",
    "notifications",
    "startup",
    "appearance",
];

/// Draws the settings view.
pub fn show(
    ui: &mut Ui,
    form: &mut SettingsForm,
    saved: &Settings,
    catalog: &Catalog,
    status: Option<&StatusReport>,
    actions: &mut Vec<Action>,
) {
    let mut commit = false;
    widgets::page(ui, "settings", |ui| {
        widgets::title(
            ui,
            "Settings",
            Some("Changes are checked as you type and saved when you leave a field."),
        );
        for e in &form.errors {
            if !SHOWN_PREFIXES.iter().any(|p| e.field.starts_with(p)) {
                widgets::field_error(ui, &e.to_string());
            }
        }

        group(ui, POSTURE_GROUP, |ui| commit |= posture_fields(ui, form));
        group(ui, BREAK_GROUP, |ui| commit |= break_fields(ui, form));
        group(ui, "Corrective routine", |ui| {
            commit |= check(ui, &mut form.draft.routine.enabled, "Offer the routine");
            commit |= text_field(
                ui,
                form,
                "routine.every_days",
                "Every how many days",
                "e.g. 2",
            );
            commit |= text_field(ui, form, "routine.at", "Offered at", "e.g. 18:00");
            commit |= routine_choice(ui, form, catalog);
            commit |= pattern_choice(ui, form);
        });
        group(ui, WORKING_HOURS_GROUP, |ui| {
            commit |= working_hours_fields(ui, form)
        });
        group(ui, "Reminders and notifications", |ui| {
            commit |= check(ui, &mut form.draft.notifications.sound, "Play a sound");
            commit |= text_field(ui, form, "reminders.snooze", "Snooze for", "e.g. 5m");
            commit |= drag_field(ui, form, "Snoozes in a row", 0..=10);
            commit |= text_field(
                ui,
                form,
                "reminders.expire_after",
                "Missed after",
                "e.g. 10m",
            );
            commit |= text_field(
                ui,
                form,
                "reminders.quiet_after_break",
                "Quiet after a break",
                "e.g. 5m",
            );
        });
        group(ui, "Wait for a better moment", |ui| {
            ui.label("Posture checks, breaks and the routine wait while you are:");
            let hold = &mut form.draft.hold;
            commit |= check(
                ui,
                &mut hold.calls,
                "In a call (microphone or camera in use)",
            );
            commit |= check(ui, &mut hold.full_screen, "In a full-screen window");
            commit |= check(ui, &mut hold.do_not_disturb, "On do not disturb");
            commit |= check(
                ui,
                &mut hold.presentations,
                "Presenting or watching (an app keeps the screen awake)",
            );
            commit |= text_field(ui, form, HOLD_APPS_FIELD, "Or running", "e.g. zoom, obs");
            commit |= text_field(ui, form, "hold.grace", "Then wait", "e.g. 1m");
            commit |= text_field(ui, form, "hold.limit", "But at most", "e.g. 1h");
        });
        group(ui, STARTUP_GROUP, |ui| commit |= startup_fields(ui, form));
        group(ui, "Appearance", |ui| {
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("Theme");
                for (value, text) in [
                    (Theme::System, "Follow the system"),
                    (Theme::Light, "Light"),
                    (Theme::Dark, "Dark"),
                ] {
                    commit |= ui
                        .radio_value(&mut form.draft.appearance.theme, value, text)
                        .labelled_by(label.id)
                        .changed();
                }
            });
            commit |= first_day(ui, form);
            commit |= check(
                ui,
                &mut form.draft.appearance.reduce_motion,
                "Reduce motion: show the exercise figures still",
            );
        });
        if let Some(status) = status {
            group(ui, "System", |ui| {
                widgets::muted(ui, format!("Idle detection: {}", status.idle_source));
                if status.degraded.is_empty() {
                    widgets::muted(ui, "Notifications and the tray work.");
                }
                for problem in &status.degraded {
                    widgets::muted(ui, problem.to_string());
                }
            });
        }
        ui.add_space(theme::SECTION_GAP);
        if widgets::secondary(ui, SHOW_WELCOME).clicked() {
            actions.push(Action::Go(View::Welcome));
        }
        if widgets::secondary(ui, "Reset to defaults").clicked() {
            let defaults = Settings::default();
            *form = SettingsForm::from_settings(&defaults);
            actions.push(Action::SaveSettings(Box::new(defaults)));
        }
    });
    if commit {
        save_if_changed(form, saved, actions);
    }
}

/// Asks to save the form's settings when they are valid and differ from
/// `saved`; invalid ones keep their messages beside the fields. Returns
/// whether the form is valid.
pub fn save_if_changed(
    form: &mut SettingsForm,
    saved: &Settings,
    actions: &mut Vec<Action>,
) -> bool {
    match form.check() {
        Some(settings) => {
            if &settings != saved {
                actions.push(Action::SaveSettings(Box::new(settings)));
            }
            true
        }
        None => false,
    }
}

/// The button that opens the first-start welcome again.
pub const SHOW_WELCOME: &str = "Show the welcome again";

/// Group titles shared with the welcome.
pub const POSTURE_GROUP: &str = "Posture checks";
/// See [`POSTURE_GROUP`].
pub const BREAK_GROUP: &str = "Move breaks";
/// See [`POSTURE_GROUP`].
pub const WORKING_HOURS_GROUP: &str = "Working hours";
/// See [`POSTURE_GROUP`].
pub const STARTUP_GROUP: &str = "Startup";

/// The posture check fields; true when one was left (time to save).
pub fn posture_fields(ui: &mut Ui, form: &mut SettingsForm) -> bool {
    let mut commit = check(
        ui,
        &mut form.draft.posture.enabled,
        "Remind me to check my posture",
    );
    commit |= text_field(ui, form, "posture.interval", "Check every", "e.g. 30m");
    commit
}

/// The move break fields; true when one was left.
pub fn break_fields(ui: &mut Ui, form: &mut SettingsForm) -> bool {
    let mut commit = check(
        ui,
        &mut form.draft.move_break.enabled,
        "Remind me to take breaks",
    );
    commit |= text_field(ui, form, "move_break.interval", "Break every", "e.g. 1h");
    commit |= text_field(ui, form, "move_break.duration", "Break length", "e.g. 5m");
    widgets::muted(
        ui,
        "Being away from the computer this long counts as a break.",
    );
    commit
}

/// The working days and hours; true when one was changed or left.
pub fn working_hours_fields(ui: &mut Ui, form: &mut SettingsForm) -> bool {
    widgets::muted(
        ui,
        "Posture checks and breaks only come on these days and hours.",
    );
    let mut commit = weekdays(ui, &mut form.draft.working_hours.days);
    if let Some(message) = form.error_for("working_hours.days") {
        widgets::field_error(ui, message);
    }
    commit |= text_field(ui, form, "working_hours.start", "From", "e.g. 09:00");
    commit |= text_field(ui, form, "working_hours.end", "Until", "e.g. 18:00");
    commit
}

/// Start at login (off unless chosen); true when changed.
pub fn startup_fields(ui: &mut Ui, form: &mut SettingsForm) -> bool {
    check(
        ui,
        &mut form.draft.startup.autostart,
        "Start Rebalance when I log in",
    )
}

/// Width of the label column, so fields line up within a group.
const LABEL_WIDTH: f32 = 170.0;

/// A field's label, left-aligned in a column of fixed width.
fn field_label(ui: &mut Ui, text: &str) -> egui::Response {
    let size = egui::vec2(LABEL_WIDTH, ui.spacing().interact_size.y);
    ui.allocate_ui_with_layout(
        size,
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_size(size);
            ui.label(text)
        },
    )
    .inner
}

/// A titled card of fields.
pub fn group(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui)) {
    widgets::section(ui, title);
    widgets::card(ui, add);
}

fn check(ui: &mut Ui, value: &mut bool, text: &str) -> bool {
    ui.checkbox(value, text).changed()
}

/// A labelled text field with its message beside it; true when the user
/// left it (focus lost or Enter), the moment to save.
fn text_field(
    ui: &mut Ui,
    form: &mut SettingsForm,
    field: &'static str,
    label: &str,
    hint: &str,
) -> bool {
    let mut left = false;
    ui.horizontal_wrapped(|ui| {
        let label = field_label(ui, label);
        let text = form.texts.entry(field).or_default();
        let response = ui
            .add(
                TextEdit::singleline(text)
                    .desired_width(110.0)
                    .hint_text(hint),
            )
            .labelled_by(label.id);
        if response.changed() {
            // Show the message while typing; save only when the field is left.
            let _ = form.check();
        }
        left = response.lost_focus();
        if let Some(message) = form.error_for(field) {
            widgets::field_error(ui, message);
        }
    });
    left
}

fn drag_field(
    ui: &mut Ui,
    form: &mut SettingsForm,
    label: &str,
    range: std::ops::RangeInclusive<u32>,
) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = field_label(ui, label);
        changed = ui
            .add(egui::DragValue::new(&mut form.draft.reminders.max_snoozes).range(range))
            .labelled_by(label.id)
            .changed();
        if let Some(message) = form.error_for("reminders.max_snoozes") {
            widgets::field_error(ui, message);
        }
    });
    changed
}

fn routine_choice(ui: &mut Ui, form: &mut SettingsForm, catalog: &Catalog) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = field_label(ui, "Routine offered");
        let current = catalog
            .routine(&form.draft.routine.routine)
            .map_or_else(|| form.draft.routine.routine.clone(), |r| r.name.clone());
        ComboBox::from_id_salt("settings-routine")
            .selected_text(current)
            .width(220.0)
            .show_ui(ui, |ui| {
                for routine in catalog.routines() {
                    changed |= ui
                        .selectable_value(
                            &mut form.draft.routine.routine,
                            routine.id.clone(),
                            &routine.name,
                        )
                        .changed();
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(message) = form.error_for("routine.routine") {
            widgets::field_error(ui, message);
        }
    });
    changed
}

fn pattern_label(pattern: Option<ImbalancePattern>) -> &'static str {
    match pattern {
        None => "Not assessed",
        Some(ImbalancePattern::GlutesHipFlexors) => "Weak glutes, tight hip flexors",
        Some(ImbalancePattern::QuadsHamstrings) => "Strong quads, underused hamstrings",
        Some(ImbalancePattern::LowerBackCore) => "Busy lower back, weak core",
    }
}

/// The imbalance pattern a professional named, if any; true when changed.
pub fn pattern_choice(ui: &mut Ui, form: &mut SettingsForm) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = field_label(ui, "My pattern");
        ComboBox::from_id_salt("settings-pattern")
            .selected_text(pattern_label(form.draft.routine.pattern))
            .width(260.0)
            .show_ui(ui, |ui| {
                for pattern in [
                    None,
                    Some(ImbalancePattern::GlutesHipFlexors),
                    Some(ImbalancePattern::QuadsHamstrings),
                    Some(ImbalancePattern::LowerBackCore),
                ] {
                    changed |= ui
                        .selectable_value(
                            &mut form.draft.routine.pattern,
                            pattern,
                            pattern_label(pattern),
                        )
                        .changed();
                }
            })
            .response
            .labelled_by(label.id);
    });
    widgets::muted(
        ui,
        "What a physiotherapist or trainer found, if you were assessed.",
    );
    changed
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn weekdays(ui: &mut Ui, days: &mut Vec<Weekday>) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        for day in WEEK {
            let mut on = days.contains(&day);
            let response = ui.toggle_value(&mut on, RichText::new(format!("{day}")));
            widgets::accessible_label(ui, &response, &format!("Working day {day}"));
            if response.changed() {
                changed = true;
                if on {
                    days.push(day);
                } else {
                    days.retain(|d| *d != day);
                }
                days.sort_by_key(|d| d.num_days_from_monday());
            }
        }
    });
    changed
}

fn first_day(ui: &mut Ui, form: &mut SettingsForm) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = field_label(ui, "Weeks start on");
        ComboBox::from_id_salt("settings-first-day")
            .selected_text(format!("{}", form.draft.appearance.first_day_of_week))
            .show_ui(ui, |ui| {
                for day in WEEK {
                    changed |= ui
                        .selectable_value(
                            &mut form.draft.appearance.first_day_of_week,
                            day,
                            format!("{day}"),
                        )
                        .changed();
                }
            })
            .response
            .labelled_by(label.id);
    });
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_durations_are_parsed_and_bad_ones_explained() {
        let mut form = SettingsForm::from_settings(&Settings::default());
        assert_eq!(form.build(), Ok(Settings::default()));
        form.texts.insert("posture.interval", "45m".to_owned());
        assert_eq!(form.build().unwrap().posture.interval.as_secs(), 45 * 60);
        form.texts.insert("posture.interval", "45".to_owned());
        let errors = form.build().unwrap_err();
        assert_eq!(errors[0].field, "posture.interval");
        assert!(errors[0].message.contains("45m"), "{}", errors[0].message);
        form.texts.insert("working_hours.end", "6pm".to_owned());
        assert_eq!(form.build().unwrap_err().len(), 2);
    }

    #[test]
    fn the_hold_list_is_typed_comma_separated_and_checked() {
        let mut form = SettingsForm::from_settings(&Settings::default());
        form.texts
            .insert(HOLD_APPS_FIELD, " zoom, ,obs ".to_owned());
        form.texts.insert("hold.limit", "2h".to_owned());
        let built = form.build().expect("valid");
        assert_eq!(built.hold.apps, ["zoom", "obs"]);
        assert_eq!(built.hold.limit.as_secs(), 2 * 3600);
        form.texts
            .insert(HOLD_APPS_FIELD, "/usr/bin/zoom".to_owned());
        let errors = form.build().unwrap_err();
        assert_eq!(errors[0].field, HOLD_APPS_FIELD);
        assert!(
            errors[0].message.contains("no folders"),
            "{}",
            errors[0].message
        );
        form.texts.insert(HOLD_APPS_FIELD, String::new());
        form.texts.insert("hold.grace", "2h".to_owned());
        let errors = form.build().unwrap_err();
        assert_eq!(errors[0].field, "hold.grace");
    }

    #[test]
    fn rules_across_fields_are_reported_on_the_field_to_fix() {
        let mut form = SettingsForm::from_settings(&Settings::default());
        form.texts.insert("move_break.duration", "2h".to_owned());
        assert!(form.check().is_none());
        assert!(form.error_for("move_break.duration").is_some());
        assert!(form.error_for("posture.interval").is_none());
        form.draft.working_hours.days.clear();
        form.texts.insert("move_break.duration", "5m".to_owned());
        assert!(form.check().is_none());
        assert!(form.error_for("working_hours.days").is_some());
    }
}
