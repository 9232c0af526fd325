//! The guided routine: one exercise at a time with its purpose and cues, a
//! large rep counter or hold timer, Back / Next / Skip / Pause, and a finish
//! screen with an optional pain score and note.

use chrono::{DateTime, Utc};
use egui::{Align, Key, Layout, RichText, TextEdit, Ui};

use crate::core::catalog::{Catalog, Dose, Routine};
use crate::core::figure::{self, Pace};
use crate::core::settings::Settings;
use crate::ui::actions::Action;
use crate::ui::figure_view::{self, Frame};
use crate::ui::routine_guide::{Guide, GuideStep, SECONDS_PER_REP, SetView, Side, Target};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets;

/// A routine session under way: the step machine plus what the user typed
/// on the finish screen.
#[derive(Debug, Clone)]
pub struct RoutineSession {
    /// The step machine.
    pub guide: Guide,
    /// The routine's display name.
    pub name: String,
    /// Pain 0-10 if the user picked one.
    pub pain: Option<u8>,
    /// The user's note.
    pub note: String,
}

impl RoutineSession {
    /// A session over `routine`, its exercises looked up in `catalog`.
    pub fn new(catalog: &Catalog, routine: &Routine) -> Self {
        Self {
            guide: Guide::new(routine.id.clone(), guide_steps(catalog, routine)),
            name: routine.name.clone(),
            pain: None,
            note: String::new(),
        }
    }
}

/// The guide's steps for `routine`: names, cues and doses from the catalogue.
pub fn guide_steps(catalog: &Catalog, routine: &Routine) -> Vec<GuideStep> {
    routine
        .steps
        .iter()
        .map(|step| {
            let exercise = catalog.exercise(&step.exercise);
            let (sets, target) = match step.dose {
                Dose::Reps { sets, reps } => (sets, Target::Reps(reps)),
                Dose::Hold { sets, seconds } => (sets, Target::Hold(seconds)),
            };
            GuideStep {
                exercise: step.exercise.clone(),
                name: exercise.map_or_else(|| step.exercise.clone(), |e| e.name.clone()),
                purpose: exercise.map(|e| e.purpose.clone()).unwrap_or_default(),
                cues: exercise.map(|e| e.cues.clone()).unwrap_or_default(),
                quality_cue: exercise.map_or_else(
                    || "Slow down and move with intention: sloppy reps do not count.".to_owned(),
                    |e| e.quality_cue.clone(),
                ),
                sets: sets.max(1),
                target,
                per_side: exercise.is_some_and(|e| e.per_side),
            }
        })
        .collect()
}

/// The button marking a set done; Enter does the same.
const SET_DONE: &str = "Set done (Enter)";

/// Draws the routine view: the chooser, the current exercise, or the
/// finish screen.
pub fn show(
    ui: &mut Ui,
    session: Option<&mut RoutineSession>,
    catalog: &Catalog,
    settings: &Settings,
    now: DateTime<Utc>,
    actions: &mut Vec<Action>,
) {
    let Some(session) = session else {
        chooser(ui, catalog, settings, actions);
        return;
    };
    session.guide.tick(now);
    if session.guide.is_finished() {
        finish_screen(ui, session, now, actions);
        return;
    }
    keyboard(ui, &mut session.guide, now);
    let Some(view) = session.guide.view(now) else {
        return;
    };
    let Some(step) = session.guide.current().cloned() else {
        return;
    };
    let reduce_motion = settings.appearance.reduce_motion;
    widgets::page(ui, "routine", |ui| {
        exercise_screen(ui, session, &step, &view, now, reduce_motion);
    });
}

fn chooser(ui: &mut Ui, catalog: &Catalog, settings: &Settings, actions: &mut Vec<Action>) {
    widgets::page(ui, "routine-chooser", |ui| {
        widgets::title(
            ui,
            "Corrective routine",
            Some("Guided, one exercise at a time. Pick a routine to start."),
        );
        let offered = catalog.reminder_routine(&settings.routine).id.clone();
        for routine in catalog.routines() {
            widgets::card(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        let mut name = RichText::new(&routine.name).strong().size(17.0);
                        if routine.id == offered {
                            name = RichText::new(format!(
                                "{}  ·  offered by the reminder",
                                routine.name
                            ))
                            .strong()
                            .size(17.0);
                        }
                        ui.label(name);
                        let minutes = catalog.estimated_duration(routine).as_secs().div_ceil(60);
                        widgets::muted(
                            ui,
                            format!(
                                "{} exercises · about {minutes} min. {}",
                                routine.steps.len(),
                                routine.summary
                            ),
                        );
                    });
                });
                let start = widgets::primary(ui, "Start");
                widgets::accessible_label(ui, &start, &format!("Start {}", routine.name));
                if start.clicked() {
                    actions.push(Action::StartRoutine(routine.id.clone()));
                }
            });
            ui.add_space(6.0);
        }
    });
}

fn exercise_screen(
    ui: &mut Ui,
    session: &mut RoutineSession,
    step: &GuideStep,
    view: &SetView,
    now: DateTime<Utc>,
    reduce_motion: bool,
) {
    widgets::muted(
        ui,
        format!(
            "{}  ·  exercise {} of {}",
            session.name,
            view.exercise_index + 1,
            view.exercise_count
        ),
    );
    ui.heading(RichText::new(&step.name).strong().size(26.0));
    if !step.purpose.is_empty() {
        widgets::muted(ui, &step.purpose);
    }
    ui.add_space(theme::SECTION_GAP / 2.0);

    let Some(demo) = figure::demo(&step.exercise) else {
        counter_card(ui, session, view, now);
        return cues_and_moves(ui, session, step, now);
    };
    // The figure beside the counter, as large as the width allows while the
    // counter keeps room for its two buttons.
    let width = ui.available_width();
    let side = (width * 0.4).clamp(FIGURE_MIN, FIGURE_MAX);
    let size = figure_view::box_size(demo, side, width - COUNTER_MIN_WIDTH);
    ui.horizontal_top(|ui| {
        let frame = if view.ready {
            let key = format!("{}-{}-{:?}", step.exercise, view.set, view.side);
            let hovered = figure_view::pointer_over_next(ui, size);
            figure_view::preview(ui, &key, demo, now, hovered, reduce_motion)
        } else {
            Frame::in_set(
                demo,
                pace(step.target),
                session.guide.set_elapsed_ms(now),
                view.running,
                reduce_motion,
            )
        };
        figure_view::show(
            ui,
            demo,
            frame,
            view.side == Some(Side::Right),
            size,
            &format!("Figure showing {}", step.name),
        );
        ui.vertical(|ui| counter_card(ui, session, view, now));
    });
    cues_and_moves(ui, session, step, now);
}

/// Smallest and largest side of the figure beside the counter.
const FIGURE_MIN: f32 = 170.0;
const FIGURE_MAX: f32 = 340.0;
/// The width the counter beside the figure keeps for its two buttons when
/// a wide figure (one lying down) grows into the room left.
const COUNTER_MIN_WIDTH: f32 = 340.0;

/// How the figure is paced for a set's target.
fn pace(target: Target) -> Pace {
    Pace::of(match target {
        Target::Reps(reps) => Dose::Reps { sets: 1, reps },
        Target::Hold(seconds) => Dose::Hold { sets: 1, seconds },
    })
}

fn counter_card(ui: &mut Ui, session: &mut RoutineSession, view: &SetView, now: DateTime<Utc>) {
    let palette = Palette::of(ui);
    widgets::card(ui, |ui| {
        ui.with_layout(Layout::top_down(Align::Center), |ui| {
            if let Some(text) = &view.announcement {
                ui.label(
                    RichText::new(text)
                        .size(20.0)
                        .strong()
                        .color(palette.accent),
                );
            }
            let mut where_ = format!("Set {} of {}", view.set, view.sets);
            if let Some(side) = view.side {
                where_ = format!("{where_}  ·  {}", side.label());
            }
            ui.label(RichText::new(where_).size(18.0).strong());
            let (number, caption) = if view.is_hold {
                (
                    widgets::clock_text(i64::from(view.target - view.done)),
                    format!("hold for {} s", view.target),
                )
            } else {
                (
                    format!("{} / {}", view.done, view.target),
                    format!("reps, about {SECONDS_PER_REP} seconds each"),
                )
            };
            widgets::huge_number(ui, &number);
            widgets::muted(ui, caption);
            let label = if view.running {
                "Pause (Space)"
            } else if view.ready {
                "Start set (Space)"
            } else {
                "Resume (Space)"
            };
            widgets::centered_row(ui, &[label, SET_DONE], |ui| {
                if widgets::primary(ui, label).clicked() {
                    session.guide.toggle(now);
                }
                if widgets::secondary(ui, SET_DONE).clicked() {
                    session.guide.complete_set(now);
                }
            });
        });
    });
}

fn cues_and_moves(ui: &mut Ui, session: &mut RoutineSession, step: &GuideStep, now: DateTime<Utc>) {
    let palette = Palette::of(ui);
    ui.add_space(theme::SECTION_GAP / 2.0);
    widgets::card(ui, |ui| {
        ui.label(
            RichText::new(&step.quality_cue)
                .italics()
                .color(palette.accent),
        );
    });
    if !step.cues.is_empty() {
        widgets::section(ui, "How to do it");
        for cue in &step.cues {
            ui.label(format!("•  {cue}"));
        }
    }
    ui.add_space(theme::SECTION_GAP);
    ui.horizontal_wrapped(|ui| {
        let back = widgets::secondary(ui, "‹ Back");
        widgets::accessible_label(ui, &back, "Back");
        if back.clicked() {
            session.guide.back();
        }
        if widgets::secondary(ui, "Skip exercise").clicked() {
            session.guide.skip(now);
        }
        let next = widgets::primary(ui, "Next ›");
        widgets::accessible_label(ui, &next, "Next");
        if next.clicked() {
            session.guide.next(now);
        }
        ui.add_space(12.0);
        if widgets::secondary(ui, "End session").clicked() {
            session.guide.finish(now);
        }
    });
    widgets::muted(
        ui,
        "Space starts or pauses the counter, Enter marks the set done, the arrow keys move \
         between exercises.",
    );
}

fn finish_screen(
    ui: &mut Ui,
    session: &mut RoutineSession,
    now: DateTime<Utc>,
    actions: &mut Vec<Action>,
) {
    widgets::page(ui, "routine-finish", |ui| {
        let complete = session.guide.is_complete();
        let (title, subtitle) = if !session.guide.has_started() {
            (
                "Nothing done yet",
                "No set was started, so there is nothing to log. Go back to begin.",
            )
        } else if complete {
            (
                "Routine complete",
                "Well done. Slow, controlled reps are what make the difference.",
            )
        } else {
            (
                "Session ended",
                "It is logged as partial: every set you did still counts.",
            )
        };
        widgets::title(ui, title, Some(subtitle));
        widgets::card(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let duration = widgets::clock_text(i64::from(session.guide.duration_s(now)));
                figure(ui, duration, "duration");
                ui.add_space(24.0);
                figure(
                    ui,
                    format!(
                        "{} of {}",
                        session.guide.exercises_done(),
                        session.guide.steps().len()
                    ),
                    "exercises done",
                );
            });
        });
        widgets::section(ui, "Pain right now (optional)");
        widgets::muted(ui, "0 is none, 10 is the worst you can imagine.");
        pain_selector(ui, &mut session.pain);
        widgets::section(ui, "Note (optional)");
        let note_label = ui.label("How did it feel?");
        ui.add(
            TextEdit::multiline(&mut session.note)
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .hint_text("e.g. left side tighter than right"),
        )
        .labelled_by(note_label.id);
        ui.add_space(theme::SECTION_GAP);
        ui.horizontal_wrapped(|ui| {
            if session.guide.has_started() {
                if widgets::primary(ui, "Save to log").clicked() {
                    actions.push(Action::SaveRoutine {
                        pain: session.pain,
                        note: session.note.clone(),
                    });
                }
            } else if widgets::primary(ui, "Close").clicked() {
                actions.push(Action::DiscardRoutine);
            }
            if !complete && widgets::secondary(ui, "‹ Back to the exercises").clicked() {
                session.guide.back();
            }
        });
    });
}

fn figure(ui: &mut Ui, value: String, label: &str) {
    let muted = Palette::of(ui).muted;
    ui.vertical(|ui| {
        ui.label(RichText::new(value).size(theme::CARD_NUMBER).strong());
        ui.label(RichText::new(label).color(muted));
    });
}

/// Eleven buttons 0-10 and "No score"; the score can stay empty.
fn pain_selector(ui: &mut Ui, pain: &mut Option<u8>) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        for score in 0..=10u8 {
            let response = ui.add(
                egui::Button::selectable(*pain == Some(score), score.to_string())
                    .frame_when_inactive(true)
                    .min_size(egui::vec2(34.0, 34.0)),
            );
            widgets::accessible_label(ui, &response, &format!("Pain {score}"));
            if response.clicked() {
                *pain = Some(score);
            }
        }
        ui.add_space(8.0);
        if ui.selectable_label(pain.is_none(), "No score").clicked() {
            *pain = None;
        }
    });
}

fn keyboard(ui: &Ui, guide: &mut Guide, now: DateTime<Utc>) {
    // A focused control (a text field, or a button reached with Tab) gets
    // the keys itself.
    if ui.ctx().memory(|m| m.focused().is_some()) {
        return;
    }
    let (space, enter, left, right) = ui.ctx().input(|i| {
        (
            i.key_pressed(Key::Space),
            i.key_pressed(Key::Enter),
            i.key_pressed(Key::ArrowLeft),
            i.key_pressed(Key::ArrowRight),
        )
    });
    if enter {
        guide.complete_set(now);
    }
    if space {
        guide.toggle(now);
    }
    if left {
        guide.back();
    }
    if right {
        guide.next(now);
    }
}
