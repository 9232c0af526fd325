//! Checks on user routines, reported field by field.

use std::ops::RangeInclusive;

use super::{Catalog, Dose, Routine};
use crate::core::model::FieldError;

/// Longest routine id, in characters.
pub const MAX_ID_CHARS: usize = 40;
/// Longest routine name, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// Longest routine summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 300;
/// Most steps a routine may have.
pub const MAX_STEPS: usize = 20;
/// Allowed sets per step.
pub const SETS: RangeInclusive<u32> = 1..=10;
/// Allowed repetitions per set.
pub const REPS: RangeInclusive<u32> = 1..=50;
/// Allowed hold length per set, in seconds.
pub const HOLD_SECONDS: RangeInclusive<u32> = 5..=300;

pub(super) fn validate_routine(catalog: &Catalog, r: &Routine) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    check_id(catalog, r, &mut errors);
    check_name(r, &mut errors);
    if r.summary.chars().count() > MAX_SUMMARY_CHARS {
        errors.push(FieldError::new(
            "summary",
            format!("is too long; at most {MAX_SUMMARY_CHARS} characters"),
        ));
    }
    if r.builtin {
        errors.push(FieldError::new(
            "builtin",
            "a routine you make cannot be marked built-in",
        ));
    }
    check_steps(catalog, r, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_id(catalog: &Catalog, r: &Routine, errors: &mut Vec<FieldError>) {
    let id = r.id.as_str();
    if id.is_empty() {
        errors.push(FieldError::new("id", "must not be empty"));
    } else if id.chars().count() > MAX_ID_CHARS {
        errors.push(FieldError::new(
            "id",
            format!("is too long; at most {MAX_ID_CHARS} characters"),
        ));
    } else if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        errors.push(FieldError::new(
            "id",
            format!("\"{id}\" may use only lowercase letters a-z, digits, '_' and '-'"),
        ));
    } else if catalog.routines.iter().any(|b| b.builtin && b.id == id) {
        errors.push(FieldError::new(
            "id",
            format!("\"{id}\" is the id of a built-in routine; choose another"),
        ));
    }
}

fn check_name(r: &Routine, errors: &mut Vec<FieldError>) {
    let name = r.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "must not be empty"));
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new(
            "name",
            format!("is too long; at most {MAX_NAME_CHARS} characters"),
        ));
    }
}

fn check_steps(catalog: &Catalog, r: &Routine, errors: &mut Vec<FieldError>) {
    if r.steps.is_empty() || r.steps.len() > MAX_STEPS {
        errors.push(FieldError::new(
            "steps",
            format!(
                "has {} exercises; a routine has 1 to {MAX_STEPS}",
                r.steps.len()
            ),
        ));
    }
    for (i, step) in r.steps.iter().enumerate() {
        if catalog.exercise(&step.exercise).is_none() {
            errors.push(FieldError::new(
                format!("steps[{i}].exercise"),
                format!("\"{}\" is not an exercise in the catalogue", step.exercise),
            ));
        }
        let (sets, amount, amount_name, range, unit) = match step.dose {
            Dose::Reps { sets, reps } => (sets, reps, "reps", REPS, " repetitions"),
            Dose::Hold { sets, seconds } => (sets, seconds, "seconds", HOLD_SECONDS, " seconds"),
        };
        FieldError::check_range(
            errors,
            &format!("steps[{i}].dose.sets"),
            sets,
            &SETS,
            u32::to_string,
            " sets",
        );
        FieldError::check_range(
            errors,
            &format!("steps[{i}].dose.{amount_name}"),
            amount,
            &range,
            u32::to_string,
            unit,
        );
    }
}
