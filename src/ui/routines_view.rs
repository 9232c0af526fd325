//! Routines: the built-in ones (read-only, duplicate to customise) and the
//! user's own (create, edit, reorder, delete); choose the one the reminder
//! offers.

use egui::{ComboBox, DragValue, RichText, TextEdit, Ui};

use crate::core::catalog::{Catalog, Dose, HOLD_SECONDS, REPS, Routine, RoutineStep, SETS};
use crate::core::figure;
use crate::core::model::FieldError;
use crate::core::settings::Settings;
use crate::ui::actions::{Action, RoutineAction};
use crate::ui::figure_view;
use crate::ui::theme::{self, Palette};
use crate::ui::widgets;

/// The routines view's state: which routine is shown and the one being
/// edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoutinesState {
    /// Id of the routine shown.
    pub selected: Option<String>,
    /// The routine being edited or created, not saved yet.
    pub draft: Option<Routine>,
    /// Problems found when saving the draft.
    pub errors: Vec<FieldError>,
    /// Id of a routine waiting for the delete to be confirmed.
    pub confirm_delete: Option<String>,
}

impl RoutinesState {
    /// Leaves the editor after `id` was saved, showing it.
    pub fn finish_editing(&mut self, id: &str) {
        self.draft = None;
        self.errors.clear();
        self.selected = Some(id.to_owned());
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field || e.field.starts_with(&format!("{field}.")))
            .map(|e| e.message.as_str())
    }
}

/// Draws the routines view.
pub fn show(
    ui: &mut Ui,
    state: &mut RoutinesState,
    catalog: &Catalog,
    settings: &Settings,
    actions: &mut Vec<Action>,
) {
    widgets::page(ui, "routines", |ui| {
        widgets::title(
            ui,
            "Routines",
            Some("Built-in routines are fixed; duplicate one to make it your own."),
        );
        if state.draft.is_some() {
            editor(ui, state, catalog, actions);
            return;
        }
        ui.horizontal_wrapped(|ui| {
            for routine in catalog.routines() {
                let selected = state.selected.as_deref() == Some(routine.id.as_str());
                let text = if routine.builtin {
                    routine.name.clone()
                } else {
                    format!("{} (mine)", routine.name)
                };
                if ui.selectable_label(selected, text).clicked() {
                    state.selected = Some(routine.id.clone());
                    state.confirm_delete = None;
                }
            }
            if widgets::secondary(ui, "+ New routine").clicked() {
                state.draft = Some(Routine {
                    id: catalog.fresh_routine_id("my routine"),
                    name: "My routine".to_owned(),
                    summary: String::new(),
                    builtin: false,
                    steps: Vec::new(),
                });
                state.errors.clear();
            }
        });
        ui.add_space(theme::SECTION_GAP / 2.0);
        let shown = state
            .selected
            .as_deref()
            .and_then(|id| catalog.routine(id))
            .or_else(|| catalog.routines().first());
        if let Some(routine) = shown {
            details(ui, state, routine, catalog, settings, actions);
        }
    });
}

/// Side of the small figure beside each step.
const THUMBNAIL: f32 = 44.0;

fn details(
    ui: &mut Ui,
    state: &mut RoutinesState,
    routine: &Routine,
    catalog: &Catalog,
    settings: &Settings,
    actions: &mut Vec<Action>,
) {
    let palette = Palette::of(ui);
    widgets::card(ui, |ui| {
        ui.label(RichText::new(&routine.name).strong().size(19.0));
        let minutes = catalog.estimated_duration(routine).as_secs().div_ceil(60);
        let kind = if routine.builtin {
            "Built in"
        } else {
            "Your routine"
        };
        widgets::muted(ui, format!("{kind} · about {minutes} min"));
        if !routine.summary.is_empty() {
            ui.label(&routine.summary);
        }
        ui.add_space(6.0);
        for (i, step) in routine.steps.iter().enumerate() {
            let exercise = catalog.exercise(&step.exercise);
            let name = exercise.map_or(step.exercise.as_str(), |e| e.name.as_str());
            let per_side = exercise.is_some_and(|e| e.per_side);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{}.", i + 1)).color(palette.muted));
                if let Some(demo) = figure::demo(&step.exercise) {
                    let reduce_motion = settings.appearance.reduce_motion;
                    let size = figure_view::box_size(demo, THUMBNAIL, 2.0 * THUMBNAIL);
                    let frame = figure_view::on_hover(ui, demo, size, reduce_motion);
                    figure_view::show(
                        ui,
                        demo,
                        frame,
                        false,
                        size,
                        &format!("Figure showing {name}"),
                    );
                }
                ui.label(RichText::new(name).strong());
                ui.label(RichText::new(step.dose.describe(per_side)).color(palette.muted));
            });
        }
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            if settings.routine.routine == routine.id {
                ui.label(RichText::new("Offered by the routine reminder").color(palette.good));
            } else if widgets::primary(ui, "Use for the reminder").clicked() {
                actions.push(Action::Routines(RoutineAction::Choose(routine.id.clone())));
            }
            if widgets::secondary(ui, "Start now").clicked() {
                actions.push(Action::StartRoutine(routine.id.clone()));
            }
            if routine.builtin {
                if widgets::secondary(ui, "Duplicate to customise").clicked() {
                    state.draft = catalog.duplicate_routine(&routine.id);
                    state.errors.clear();
                }
            } else {
                if widgets::secondary(ui, "Edit").clicked() {
                    state.draft = Some(routine.clone());
                    state.errors.clear();
                }
                if state.confirm_delete.as_deref() == Some(routine.id.as_str()) {
                    if widgets::primary(ui, "Yes, delete it").clicked() {
                        actions.push(Action::Routines(RoutineAction::Delete(routine.id.clone())));
                        state.confirm_delete = None;
                    }
                    if widgets::secondary(ui, "Keep it").clicked() {
                        state.confirm_delete = None;
                    }
                } else if widgets::secondary(ui, "Delete").clicked() {
                    state.confirm_delete = Some(routine.id.clone());
                }
            }
        });
    });
}

fn editor(ui: &mut Ui, state: &mut RoutinesState, catalog: &Catalog, actions: &mut Vec<Action>) {
    let errors = state.clone();
    let Some(draft) = state.draft.as_mut() else {
        return;
    };
    let mut cancel = false;
    widgets::card(ui, |ui| {
        egui::Grid::new("routine-fields")
            .num_columns(2)
            .spacing([14.0, 10.0])
            .show(ui, |ui| {
                let label = ui.label("Name");
                ui.vertical(|ui| {
                    ui.add(TextEdit::singleline(&mut draft.name).desired_width(280.0))
                        .labelled_by(label.id);
                    if let Some(m) = errors.error("name") {
                        widgets::field_error(ui, m);
                    }
                });
                ui.end_row();
                let label = ui.label("Summary");
                ui.vertical(|ui| {
                    ui.add(
                        TextEdit::multiline(&mut draft.summary)
                            .desired_rows(2)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                    if let Some(m) = errors.error("summary") {
                        widgets::field_error(ui, m);
                    }
                });
                ui.end_row();
            });
        if let Some(m) = errors.error("id") {
            widgets::field_error(ui, m);
        }
        widgets::section(ui, "Exercises");
        if let Some(m) = errors.error("steps").filter(|_| draft.steps.is_empty()) {
            widgets::field_error(ui, m);
        }
        let mut remove = None;
        let mut swap = None;
        let count = draft.steps.len();
        for (i, step) in draft.steps.iter_mut().enumerate() {
            step_row(ui, i, count, step, catalog, &mut remove, &mut swap);
            if let Some(m) = errors.error(&format!("steps[{i}]")) {
                widgets::field_error(ui, m);
            }
        }
        if let Some(i) = remove {
            draft.steps.remove(i);
        }
        if let Some((a, b)) = swap {
            draft.steps.swap(a, b);
        }
        ui.add_space(6.0);
        let label = ui.label("Add an exercise");
        let mut added: Option<String> = None;
        ComboBox::from_id_salt("add-exercise")
            .selected_text("Choose…")
            .width(260.0)
            .show_ui(ui, |ui| {
                for exercise in catalog.exercises() {
                    if ui.selectable_label(false, &exercise.name).clicked() {
                        added = Some(exercise.id.clone());
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(id) = added
            && let Some(exercise) = catalog.exercise(&id)
        {
            draft.steps.push(RoutineStep {
                exercise: id,
                dose: exercise.dose,
            });
        }
        ui.add_space(theme::SECTION_GAP);
        ui.horizontal(|ui| {
            if widgets::primary(ui, "Save routine").clicked() {
                actions.push(Action::Routines(RoutineAction::Save(draft.clone())));
            }
            if widgets::secondary(ui, "Cancel").clicked() {
                cancel = true;
            }
        });
    });
    if cancel {
        state.draft = None;
        state.errors.clear();
    }
}

fn step_row(
    ui: &mut Ui,
    i: usize,
    count: usize,
    step: &mut RoutineStep,
    catalog: &Catalog,
    remove: &mut Option<usize>,
    swap: &mut Option<(usize, usize)>,
) {
    ui.horizontal_wrapped(|ui| {
        let number = ui.label(format!("{}.", i + 1));
        let name = catalog
            .exercise(&step.exercise)
            .map_or_else(|| step.exercise.clone(), |e| e.name.clone());
        ComboBox::from_id_salt(("step-exercise", i))
            .selected_text(name)
            .width(190.0)
            .show_ui(ui, |ui| {
                for exercise in catalog.exercises() {
                    ui.selectable_value(&mut step.exercise, exercise.id.clone(), &exercise.name);
                }
            })
            .response
            .labelled_by(number.id);
        let is_hold = matches!(step.dose, Dose::Hold { .. });
        let mut hold = is_hold;
        let kind = ComboBox::from_id_salt(("step-dose", i))
            .selected_text(if hold { "hold" } else { "reps" })
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut hold, false, "reps");
                ui.selectable_value(&mut hold, true, "hold");
            })
            .response;
        widgets::accessible_label(ui, &kind, &format!("Step {} counted as", i + 1));
        if hold != is_hold {
            let sets = step.dose.sets();
            step.dose = if hold {
                Dose::Hold { sets, seconds: 30 }
            } else {
                Dose::Reps { sets, reps: 10 }
            };
        }
        match &mut step.dose {
            Dose::Reps { sets, reps } => {
                let r = ui.add(DragValue::new(sets).range(SETS).suffix(" sets"));
                widgets::accessible_label(ui, &r, &format!("Step {} sets", i + 1));
                ui.label("×");
                let r = ui.add(DragValue::new(reps).range(REPS).suffix(" reps"));
                widgets::accessible_label(ui, &r, &format!("Step {} reps", i + 1));
            }
            Dose::Hold { sets, seconds } => {
                let r = ui.add(DragValue::new(sets).range(SETS).suffix(" sets"));
                widgets::accessible_label(ui, &r, &format!("Step {} sets", i + 1));
                ui.label("×");
                let r = ui.add(DragValue::new(seconds).range(HOLD_SECONDS).suffix(" s"));
                widgets::accessible_label(ui, &r, &format!("Step {} seconds", i + 1));
            }
        }
        let up = ui.add_enabled(i > 0, egui::Button::new("Up"));
        widgets::accessible_label(ui, &up, &format!("Move step {} up", i + 1));
        if up.clicked() {
            *swap = Some((i - 1, i));
        }
        let down = ui.add_enabled(i + 1 < count, egui::Button::new("Down"));
        widgets::accessible_label(ui, &down, &format!("Move step {} down", i + 1));
        if down.clicked() {
            *swap = Some((i, i + 1));
        }
        let delete = ui.button("Remove");
        widgets::accessible_label(ui, &delete, &format!("Remove step {}", i + 1));
        if delete.clicked() {
            *remove = Some(i);
        }
    });
}
