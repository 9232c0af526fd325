//! The built-in exercise catalogue and routines, and user routines.
//!
//! Exercises are fixed data shipped with the app; routines are ordered lists
//! of exercise ids with a dose each. Built-in routines have stable ids
//! ("mini", "desk_reset", ...); user routines are plain data kept by the
//! store and checked with [`Catalog::validate_routine`] before saving.

mod exercises;
mod routines;
mod validate;

use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::core::model::{ExerciseDone, FieldError};
use crate::core::settings::{ImbalancePattern, RoutineSettings};

pub use validate::{
    HOLD_SECONDS, MAX_ID_CHARS, MAX_NAME_CHARS, MAX_STEPS, MAX_SUMMARY_CHARS, REPS, SETS,
};

/// Id of the every-other-day maintenance routine, the reminder's default.
pub const MINI_ROUTINE: &str = "mini";
/// Id of the two-minute reset offered with move breaks.
pub const DESK_RESET_ROUTINE: &str = "desk_reset";
/// Id of the routine for weak glutes and tight hip flexors.
pub const GLUTES_HIP_FLEXORS_ROUTINE: &str = "glutes_hip_flexors";
/// Id of the routine for a dominant lower back and a weak core.
pub const CORE_STABILITY_ROUTINE: &str = "core_stability";
/// Id of the routine for overactive quads and underused hamstrings.
pub const QUADS_HAMSTRINGS_ROUTINE: &str = "quads_hamstrings";
/// Id of the full corrective session (release, activate, re-educate).
pub const FULL_SESSION_ROUTINE: &str = "full_session";

/// Seconds one repetition is assumed to take when estimating a routine.
pub const SECONDS_PER_REP: u64 = 3;
/// Seconds of rest assumed between two sets.
pub const REST_BETWEEN_SETS_S: u64 = 15;

/// How much of an exercise to do: counted repetitions or a timed hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dose {
    /// `sets` sets of `reps` repetitions.
    Reps {
        /// Number of sets.
        sets: u32,
        /// Repetitions in each set.
        reps: u32,
    },
    /// `sets` holds of `seconds` each.
    Hold {
        /// Number of holds.
        sets: u32,
        /// Length of each hold in seconds.
        seconds: u32,
    },
}

impl Dose {
    /// Number of sets, whatever the kind of dose.
    pub fn sets(self) -> u32 {
        match self {
            Self::Reps { sets, .. } | Self::Hold { sets, .. } => sets,
        }
    }

    /// Time the work takes on one side, rests between sets included.
    pub fn one_side_time(self) -> Duration {
        let (sets, set_s) = match self {
            Self::Reps { sets, reps } => (u64::from(sets), u64::from(reps) * SECONDS_PER_REP),
            Self::Hold { sets, seconds } => (u64::from(sets), u64::from(seconds)),
        };
        let rests = sets.saturating_sub(1) * REST_BETWEEN_SETS_S;
        Duration::from_secs(sets * set_s + rests)
    }

    /// A short human description: "2 × 10" or "2 × 30 s", with "each side"
    /// when `per_side` is set.
    pub fn describe(self, per_side: bool) -> String {
        let base = match self {
            Self::Reps { sets, reps } => format!("{sets} × {reps}"),
            Self::Hold { sets, seconds } => format!("{sets} × {seconds} s"),
        };
        if per_side {
            format!("{base} each side")
        } else {
            base
        }
    }

    /// The log record of this dose done in full for `exercise`.
    pub fn done(self, exercise: &str, per_side: bool) -> ExerciseDone {
        let (sets, reps, hold_s) = match self {
            Self::Reps { sets, reps } => (sets, reps, 0),
            Self::Hold { sets, seconds } => (sets, 0, seconds),
        };
        ExerciseDone {
            exercise: exercise.to_owned(),
            sets,
            reps,
            hold_s,
            per_side,
        }
    }
}

/// Where an exercise sits in the corrective sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Calm overactive muscles (foam rolling) before activation.
    Inhibit,
    /// Wake up underused muscles.
    Activate,
    /// Practise functional movement patterns with control.
    Reeducate,
    /// Lengthen a tight muscle.
    Stretch,
}

impl Phase {
    /// A short human label ("Release", "Activate", ...).
    pub fn label(self) -> &'static str {
        match self {
            Self::Inhibit => "Release",
            Self::Activate => "Activate",
            Self::Reeducate => "Re-educate",
            Self::Stretch => "Stretch",
        }
    }

    /// Position in a full session: release and lengthen first, then
    /// activate, then re-educate.
    pub fn session_order(self) -> u8 {
        match self {
            Self::Inhibit => 0,
            Self::Stretch => 1,
            Self::Activate => 2,
            Self::Reeducate => 3,
        }
    }
}

/// One exercise of the built-in catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exercise {
    /// Stable id used in routines and the log ("glute_bridge").
    pub id: String,
    /// Display name ("Glute bridge").
    pub name: String,
    /// The imbalance patterns it helps with.
    pub patterns: Vec<ImbalancePattern>,
    /// Where it sits in the corrective sequence.
    pub phase: Phase,
    /// What it is for, in one sentence.
    pub purpose: String,
    /// Three to five short cues for doing it well.
    pub cues: Vec<String>,
    /// The usual dose when a routine does not say otherwise.
    pub dose: Dose,
    /// Whether the dose is done on each side in turn.
    pub per_side: bool,
    /// The reminder that quality beats quantity, worded for this exercise.
    pub quality_cue: String,
}

impl Exercise {
    /// Whether it targets `pattern`.
    pub fn targets(&self, pattern: ImbalancePattern) -> bool {
        self.patterns.contains(&pattern)
    }
}

/// One step of a routine: an exercise and how much of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutineStep {
    /// Catalogue id of the exercise.
    pub exercise: String,
    /// How much of it to do in this routine.
    pub dose: Dose,
}

/// An ordered list of exercises, built in or made by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routine {
    /// Stable id ("mini"); lowercase letters, digits, '_' and '-'.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One or two sentences on what it is for.
    #[serde(default)]
    pub summary: String,
    /// Whether it ships with the app (built-ins cannot be edited, only
    /// duplicated).
    #[serde(default)]
    pub builtin: bool,
    /// The exercises in order.
    pub steps: Vec<RoutineStep>,
}

/// The exercises and routines the app knows: built-ins plus the user's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    exercises: Vec<Exercise>,
    routines: Vec<Routine>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Catalog {
    /// The built-in exercises and routines only.
    pub fn builtin() -> Catalog {
        Catalog {
            exercises: exercises::builtin_exercises(),
            routines: routines::builtin_routines(),
        }
    }

    /// The built-ins followed by the user's routines. A user routine whose
    /// id is already taken (by a built-in or an earlier user routine) is
    /// left out so ids stay unambiguous; saving such a routine is refused by
    /// [`Catalog::validate_routine`] in the first place.
    pub fn with_user_routines(user: Vec<Routine>) -> Catalog {
        let mut catalog = Catalog::builtin();
        for mut routine in user {
            if catalog.routine(&routine.id).is_none() {
                routine.builtin = false;
                catalog.routines.push(routine);
            }
        }
        catalog
    }

    /// Every exercise, grouped by phase in session order.
    pub fn exercises(&self) -> &[Exercise] {
        &self.exercises
    }

    /// The exercise with this id.
    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    /// Every routine: built-ins first, then the user's.
    pub fn routines(&self) -> &[Routine] {
        &self.routines
    }

    /// The routine with this id.
    pub fn routine(&self, id: &str) -> Option<&Routine> {
        self.routines.iter().find(|r| r.id == id)
    }

    /// The built-in routine that fits `pattern` best; the mini routine when
    /// no pattern is known.
    pub fn suggested_routine(&self, pattern: Option<ImbalancePattern>) -> &Routine {
        let id = match pattern {
            None => MINI_ROUTINE,
            Some(ImbalancePattern::GlutesHipFlexors) => GLUTES_HIP_FLEXORS_ROUTINE,
            Some(ImbalancePattern::QuadsHamstrings) => QUADS_HAMSTRINGS_ROUTINE,
            Some(ImbalancePattern::LowerBackCore) => CORE_STABILITY_ROUTINE,
        };
        self.builtin_routine(id)
    }

    /// The routine the routine reminder offers: the one chosen in settings,
    /// or, when that id is unknown (a deleted user routine), the one
    /// suggested for the user's pattern.
    pub fn reminder_routine(&self, settings: &RoutineSettings) -> &Routine {
        self.routine(&settings.routine)
            .unwrap_or_else(|| self.suggested_routine(settings.pattern))
    }

    /// The exercises targeting `pattern`, in catalogue order.
    pub fn exercises_for(&self, pattern: ImbalancePattern) -> impl Iterator<Item = &Exercise> {
        self.exercises.iter().filter(move |e| e.targets(pattern))
    }

    /// Checks a user routine before it is saved; every problem is reported
    /// with the field it concerns and what is allowed.
    pub fn validate_routine(&self, r: &Routine) -> Result<(), Vec<FieldError>> {
        validate::validate_routine(self, r)
    }

    /// An editable copy of the routine `id`: a fresh id, the name with
    /// " (copy)" added, not built in.
    pub fn duplicate_routine(&self, id: &str) -> Option<Routine> {
        let original = self.routine(id)?;
        let mut copy = original.clone();
        copy.builtin = false;
        copy.id = self.fresh_routine_id(&format!("{}_copy", original.id));
        copy.name = copy_name(&original.name);
        Some(copy)
    }

    /// An id made from `name` (lowercase, '_' between words) that no routine
    /// uses yet, for a routine the user creates.
    pub fn fresh_routine_id(&self, name: &str) -> String {
        let base = slug(name);
        let base = if base.is_empty() {
            "routine".to_owned()
        } else {
            base
        };
        if self.routine(&base).is_none() {
            return base;
        }
        (2..)
            .map(|n| format!("{base}_{n}"))
            .find(|candidate| self.routine(candidate).is_none())
            .unwrap_or(base)
    }

    /// How long the routine takes: about 3 s per repetition, holds as given,
    /// 15 s rest between sets, twice for exercises done on each side.
    /// Unknown exercises count once.
    pub fn estimated_duration(&self, r: &Routine) -> Duration {
        r.steps
            .iter()
            .map(|step| {
                let one_side = step.dose.one_side_time();
                if self.per_side(&step.exercise) {
                    one_side * 2
                } else {
                    one_side
                }
            })
            .sum()
    }

    /// The log records of a routine done in full, in order, for a session
    /// entry.
    pub fn planned_exercises(&self, r: &Routine) -> Vec<ExerciseDone> {
        r.steps
            .iter()
            .map(|step| {
                step.dose
                    .done(&step.exercise, self.per_side(&step.exercise))
            })
            .collect()
    }

    fn per_side(&self, exercise: &str) -> bool {
        self.exercise(exercise).is_some_and(|e| e.per_side)
    }

    fn builtin_routine(&self, id: &str) -> &Routine {
        self.routines
            .iter()
            .find(|r| r.builtin && r.id == id)
            .or_else(|| self.routines.first())
            .expect("the catalogue always holds the built-in routines")
    }
}

fn copy_name(name: &str) -> String {
    let suffix = " (copy)";
    let room = MAX_NAME_CHARS - suffix.chars().count();
    let kept: String = name.chars().take(room).collect();
    format!("{kept}{suffix}")
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out.chars().take(MAX_ID_CHARS - 3).collect()
}
