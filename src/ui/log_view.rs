//! The log, day by day: sessions and reminders with their outcomes; edit or
//! delete an entry (with undo) and add one that was missed.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use egui::{ComboBox, RichText, TextEdit, Ui};

use crate::core::catalog::Catalog;
use crate::core::model::{Entry, FieldError, Outcome, ReminderKind};
use crate::core::text_format::{format_clock, parse_clock};
use crate::store::{Store, StoreError};
use crate::ui::actions::{Action, LogAction};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets;

/// An entry being edited or added, as the texts the user types.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryDraft {
    /// The stored entry being edited; `None` when adding.
    pub original: Option<Entry>,
    /// What it is about.
    pub kind: ReminderKind,
    /// How it ended.
    pub outcome: Outcome,
    /// Local time "HH:MM" on the shown day.
    pub time: String,
    /// Length in minutes, as typed.
    pub minutes: String,
    /// Routine id, for sessions.
    pub routine: Option<String>,
    /// Pain 0-10.
    pub pain: Option<u8>,
    /// Note.
    pub note: String,
    /// Problems found when saving, by field ("time", "minutes").
    pub errors: Vec<FieldError>,
}

impl EntryDraft {
    /// A draft of a stored entry.
    pub fn edit(entry: &Entry) -> Self {
        Self {
            original: Some(entry.clone()),
            kind: entry.kind,
            outcome: entry.outcome,
            time: format_clock(entry.local_at().time()),
            minutes: minutes_text(entry.duration_s),
            routine: entry.routine.clone(),
            pain: entry.pain,
            note: entry.note.clone(),
            errors: Vec::new(),
        }
    }

    /// A draft for a routine session done at `time` but not logged.
    pub fn new_session(time: NaiveTime, routine: &str) -> Self {
        Self {
            original: None,
            kind: ReminderKind::Routine,
            outcome: Outcome::Completed,
            time: format_clock(time),
            minutes: "10".to_owned(),
            routine: Some(routine.to_owned()),
            pain: None,
            note: String::new(),
            errors: Vec::new(),
        }
    }

    /// The entry this draft describes on local `day`, or what is wrong.
    /// New entries take `offset`; edited ones keep their own.
    pub fn to_entry(&self, day: NaiveDate, offset: FixedOffset) -> Result<Entry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let time = parse_clock(&self.time).map_err(|m| errors.push(FieldError::new("time", m)));
        let minutes = self.minutes.trim();
        let duration_s = if minutes.is_empty() {
            Ok(0)
        } else {
            match minutes.parse::<u32>() {
                Ok(m) if m <= 24 * 60 => Ok(m * 60),
                _ => {
                    errors.push(FieldError::new(
                        "minutes",
                        "write whole minutes from 0 to 1440, like \"10\"",
                    ));
                    Err(())
                }
            }
        };
        if !self.outcome.fits(self.kind) {
            errors.push(FieldError::new(
                "outcome",
                format!("{} cannot be {}", self.kind.label(), self.outcome.label()),
            ));
        }
        let (Ok(time), Ok(duration_s), true) = (time, duration_s, errors.is_empty()) else {
            return Err(errors);
        };
        let offset = self
            .original
            .as_ref()
            .and_then(|e| FixedOffset::east_opt(e.utc_offset_s))
            .unwrap_or(offset);
        let at: DateTime<Utc> = match offset.from_local_datetime(&day.and_time(time)).single() {
            Some(local) => local.with_timezone(&Utc),
            None => return Err(vec![FieldError::new("time", "this time does not exist")]),
        };
        let mut entry = match &self.original {
            Some(original) => original.clone(),
            None => Entry::new(self.kind, self.outcome, at, offset.local_minus_utc()),
        };
        entry.kind = self.kind;
        entry.outcome = self.outcome;
        entry.at = at;
        entry.duration_s = duration_s;
        entry.routine = if self.kind == ReminderKind::Routine {
            self.routine.clone()
        } else {
            None
        };
        entry.pain = self.pain;
        entry.note = self.note.trim().to_owned();
        Ok(entry)
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

fn minutes_text(seconds: u32) -> String {
    if seconds == 0 {
        String::new()
    } else {
        seconds.div_ceil(60).to_string()
    }
}

/// The log view's state: the day shown, its entries, and any edit.
#[derive(Debug, Clone, PartialEq)]
pub struct LogState {
    /// The local day shown.
    pub day: NaiveDate,
    /// Its entries, oldest first.
    pub entries: Vec<Entry>,
    /// The entry being edited.
    pub editing: Option<EntryDraft>,
    /// The entry being added.
    pub adding: Option<EntryDraft>,
    /// The last deleted entry, kept for Undo.
    pub deleted: Option<Entry>,
}

impl LogState {
    /// The log on `day`, not read yet.
    pub fn new(day: NaiveDate) -> Self {
        Self {
            day,
            entries: Vec::new(),
            editing: None,
            adding: None,
            deleted: None,
        }
    }

    /// Reads the shown day's entries from the log.
    pub fn reload(&mut self, store: &Store) -> Result<(), StoreError> {
        self.entries = store.entries_on_days(self.day, self.day)?;
        Ok(())
    }

    /// Closes the edit and add forms.
    pub fn close_editors(&mut self) {
        self.editing = None;
        self.adding = None;
    }
}

/// Draws the log view.
pub fn show(
    ui: &mut Ui,
    state: &mut LogState,
    catalog: &Catalog,
    now: DateTime<FixedOffset>,
    actions: &mut Vec<Action>,
) {
    widgets::page(ui, "log", |ui| {
        widgets::title(ui, "Log", None);
        day_navigation(ui, state.day, now.date_naive(), actions);
        if let Some(deleted) = &state.deleted {
            let text = format!(
                "Deleted {} at {}.",
                deleted.kind.label().to_lowercase(),
                deleted.local_at().format("%H:%M")
            );
            if widgets::banner(ui, &text, None, Some("Undo")) {
                actions.push(Action::Log(LogAction::Undo));
            }
        }
        ui.add_space(theme::SECTION_GAP / 2.0);
        let entries = state.entries.clone();
        widgets::card(ui, |ui| {
            if entries.is_empty() {
                widgets::muted(ui, "Nothing logged on this day.");
            }
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    ui.separator();
                }
                let editing_this = state
                    .editing
                    .as_ref()
                    .is_some_and(|d| d.original.as_ref().and_then(|o| o.id) == entry.id);
                if !editing_this {
                    entry_row(ui, entry, catalog, state, actions);
                    continue;
                }
                if let Some(draft) = state.editing.as_mut() {
                    let day = state.day;
                    match editor(ui, draft, catalog, day, now, "Save changes") {
                        Some(EditorResult::Save(entry)) => {
                            actions.push(Action::Log(LogAction::Update(entry)))
                        }
                        Some(EditorResult::Cancel) => state.editing = None,
                        None => {}
                    }
                }
            }
        });
        ui.add_space(theme::SECTION_GAP);
        match state.adding.as_mut() {
            Some(draft) => {
                widgets::section(ui, "Add a missed session or reminder");
                let day = state.day;
                if let Some(done) = editor(ui, draft, catalog, day, now, "Add to log") {
                    match done {
                        EditorResult::Save(entry) => {
                            actions.push(Action::Log(LogAction::Add(entry)))
                        }
                        EditorResult::Cancel => state.adding = None,
                    }
                }
            }
            None => {
                if widgets::secondary(ui, "Add a missed session").clicked() {
                    let time = if state.day == now.date_naive() {
                        now.time()
                    } else {
                        NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default()
                    };
                    let routine = catalog.routines().first().map_or("mini", |r| r.id.as_str());
                    state.adding = Some(EntryDraft::new_session(time, routine));
                    state.editing = None;
                }
            }
        }
    });
}

fn day_navigation(ui: &mut Ui, day: NaiveDate, today: NaiveDate, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let previous = widgets::secondary(ui, "‹");
        widgets::accessible_label(ui, &previous, "Previous day");
        if previous.clicked()
            && let Some(d) = day.checked_sub_days(Days::new(1))
        {
            actions.push(Action::Log(LogAction::ShowDay(d)));
        }
        let label = if day == today {
            format!("Today, {}", day.format("%A %-d %B"))
        } else {
            day.format("%A %-d %B %Y").to_string()
        };
        ui.label(RichText::new(label).size(17.0).strong());
        let next = ui.add_enabled(
            day < today,
            egui::Button::new("›").min_size(egui::vec2(0.0, 34.0)),
        );
        widgets::accessible_label(ui, &next, "Next day");
        if next.clicked()
            && let Some(d) = day.checked_add_days(Days::new(1))
        {
            actions.push(Action::Log(LogAction::ShowDay(d)));
        }
        if day != today && widgets::secondary(ui, "Today").clicked() {
            actions.push(Action::Log(LogAction::ShowDay(today)));
        }
    });
}

fn entry_row(
    ui: &mut Ui,
    entry: &Entry,
    catalog: &Catalog,
    state: &mut LogState,
    actions: &mut Vec<Action>,
) {
    let palette = Palette::of(ui);
    ui.horizontal(|ui| {
        ui.add_sized(
            [52.0, 22.0],
            egui::Label::new(RichText::new(entry.local_at().format("%H:%M").to_string()).strong()),
        );
        ui.vertical(|ui| {
            let color = if entry.outcome.is_done() {
                palette.good
            } else {
                palette.muted
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(entry.kind.label()).strong());
                ui.label(RichText::new(entry.outcome.label()).color(color));
            });
            let details = details(entry, catalog);
            if !details.is_empty() {
                widgets::muted(ui, details);
            }
            if !entry.note.is_empty() {
                ui.label(RichText::new(format!("“{}”", entry.note)).italics());
            }
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let Some(id) = entry.id else {
                return;
            };
            let time = entry.local_at().format("%H:%M").to_string();
            let what = entry.kind.label().to_lowercase();
            if row_button(ui, "Delete", &format!("Delete {what} at {time}")) {
                actions.push(Action::Log(LogAction::Delete(id)));
            }
            if row_button(ui, "Edit", &format!("Edit {what} at {time}")) {
                state.editing = Some(EntryDraft::edit(entry));
                state.adding = None;
            }
        });
    });
}

/// A small button in an entry's row, named for screen readers with the
/// entry it acts on; true when clicked.
fn row_button(ui: &mut Ui, text: &str, name: &str) -> bool {
    let response = ui.button(text);
    widgets::accessible_label(ui, &response, name);
    response.clicked()
}

/// "Mini routine · 12 min · pain 3/10 · 3 exercises · held 25 min"
fn details(entry: &Entry, catalog: &Catalog) -> String {
    let mut parts = Vec::new();
    if let Some(id) = &entry.routine {
        parts.push(catalog.routine(id).map_or(id.clone(), |r| r.name.clone()));
    }
    if entry.duration_s > 0 {
        parts.push(if entry.duration_s < 60 {
            format!("{} s", entry.duration_s)
        } else {
            format!("{} min", entry.duration_s.div_ceil(60))
        });
    }
    if !entry.exercises.is_empty() {
        parts.push(format!("{} exercises", entry.exercises.len()));
    }
    if let Some(pain) = entry.pain {
        parts.push(format!("pain {pain}/10"));
    }
    if entry.held_s > 0 {
        // Waited for a call or a full-screen window to end.
        parts.push(format!("held {} min", entry.held_s.div_ceil(60)));
    }
    parts.join("  ·  ")
}

enum EditorResult {
    Save(Entry),
    Cancel,
}

fn editor(
    ui: &mut Ui,
    draft: &mut EntryDraft,
    catalog: &Catalog,
    day: NaiveDate,
    now: DateTime<FixedOffset>,
    save_label: &str,
) -> Option<EditorResult> {
    let mut result = None;
    widgets::card(ui, |ui| {
        egui::Grid::new("entry-editor")
            .num_columns(2)
            .spacing([14.0, 10.0])
            .show(ui, |ui| {
                let label = ui.label("What");
                if draft.original.is_none() {
                    ComboBox::from_id_salt("entry-kind")
                        .selected_text(draft.kind.label())
                        .show_ui(ui, |ui| {
                            for kind in ReminderKind::ALL {
                                ui.selectable_value(&mut draft.kind, kind, kind.label());
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if !draft.outcome.fits(draft.kind) {
                        draft.outcome = draft.kind.outcomes()[0];
                    }
                } else {
                    ui.label(draft.kind.label());
                }
                ui.end_row();

                let label = ui.label("Outcome");
                ComboBox::from_id_salt("entry-outcome")
                    .selected_text(draft.outcome.label())
                    .show_ui(ui, |ui| {
                        for &outcome in draft.kind.outcomes() {
                            ui.selectable_value(&mut draft.outcome, outcome, outcome.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label("Time");
                ui.horizontal(|ui| {
                    ui.add(TextEdit::singleline(&mut draft.time).desired_width(70.0))
                        .labelled_by(label.id);
                    if let Some(message) = draft.error("time") {
                        widgets::field_error(ui, message);
                    }
                });
                ui.end_row();

                let label = ui.label("Minutes");
                ui.horizontal(|ui| {
                    ui.add(TextEdit::singleline(&mut draft.minutes).desired_width(70.0))
                        .labelled_by(label.id);
                    if let Some(message) = draft.error("minutes") {
                        widgets::field_error(ui, message);
                    }
                });
                ui.end_row();

                if draft.kind == ReminderKind::Routine {
                    let label = ui.label("Routine");
                    let selected = draft
                        .routine
                        .as_deref()
                        .and_then(|id| catalog.routine(id))
                        .map_or_else(
                            || draft.routine.clone().unwrap_or_default(),
                            |r| r.name.clone(),
                        );
                    ComboBox::from_id_salt("entry-routine")
                        .selected_text(selected)
                        .show_ui(ui, |ui| {
                            for routine in catalog.routines() {
                                ui.selectable_value(
                                    &mut draft.routine,
                                    Some(routine.id.clone()),
                                    &routine.name,
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();

                    let label = ui.label("Pain (0-10)");
                    let mut has_pain = draft.pain.is_some();
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut has_pain, "Logged").labelled_by(label.id);
                        if has_pain {
                            let mut value = draft.pain.unwrap_or(0);
                            ui.add(egui::Slider::new(&mut value, 0..=10))
                                .labelled_by(label.id);
                            draft.pain = Some(value);
                        } else {
                            draft.pain = None;
                        }
                    });
                    ui.end_row();
                }

                let label = ui.label("Note");
                ui.add(TextEdit::singleline(&mut draft.note).desired_width(f32::INFINITY))
                    .labelled_by(label.id);
                ui.end_row();
            });
        if let Some(message) = draft.error("outcome") {
            widgets::field_error(ui, message);
        }
        ui.horizontal(|ui| {
            if widgets::primary(ui, save_label).clicked() {
                match draft.to_entry(day, *now.offset()) {
                    Ok(entry) => result = Some(EditorResult::Save(entry)),
                    Err(errors) => draft.errors = errors,
                }
            }
            if widgets::secondary(ui, "Cancel").clicked() {
                result = Some(EditorResult::Cancel);
            }
        });
    });
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_keeps_the_entry_and_its_offset() {
        let offset = FixedOffset::east_opt(3600).unwrap();
        let at = offset
            .with_ymd_and_hms(2025, 3, 4, 18, 5, 0)
            .unwrap()
            .with_timezone(&Utc);
        let mut entry = Entry::new(ReminderKind::Routine, Outcome::Partial, at, 3600);
        entry.id = Some(7);
        entry.duration_s = 600;
        let mut draft = EntryDraft::edit(&entry);
        assert_eq!(
            (draft.time.as_str(), draft.minutes.as_str()),
            ("18:05", "10")
        );
        draft.time = "19:30".to_owned();
        draft.outcome = Outcome::Completed;
        draft.pain = Some(4);
        let day = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        let edited = draft
            .to_entry(day, FixedOffset::east_opt(0).unwrap())
            .unwrap();
        assert_eq!(edited.id, Some(7));
        assert_eq!(edited.local_at().format("%H:%M").to_string(), "19:30");
        assert_eq!((edited.outcome, edited.pain), (Outcome::Completed, Some(4)));
    }

    #[test]
    fn a_held_reminder_says_how_long_it_waited() {
        let at = Utc.with_ymd_and_hms(2025, 3, 4, 10, 0, 0).unwrap();
        let mut entry = Entry::new(ReminderKind::MoveBreak, Outcome::Taken, at, 0);
        entry.duration_s = 300;
        let catalog = Catalog::builtin();
        assert_eq!(details(&entry, &catalog), "5 min");
        entry.held_s = 25 * 60 - 10;
        assert_eq!(details(&entry, &catalog), "5 min  ·  held 25 min");
    }

    #[test]
    fn bad_times_and_minutes_are_explained() {
        let mut draft = EntryDraft::new_session(NaiveTime::from_hms_opt(9, 0, 0).unwrap(), "mini");
        draft.time = "25:00".to_owned();
        draft.minutes = "ten".to_owned();
        let day = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        let errors = draft
            .to_entry(day, FixedOffset::east_opt(0).unwrap())
            .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["time", "minutes"]);
    }
}
