//! Pacing: which pose the figure is in at a given moment of a set, eased in
//! and out between the keyframes.

use std::f32::consts::TAU;

use super::body::Pose;
use super::demos::Demo;
use crate::core::catalog::{Dose, SECONDS_PER_REP};

/// How long easing into a held position takes.
const EASE_IN_MS: u64 = 2_500;
/// One slow sway between the working and the hold keyframe while holding.
const SWAY_MS: u64 = 4_000;
/// One demonstration repetition while nothing is counted (a preview).
pub const PREVIEW_CYCLE_MS: u64 = 4_000;

/// How the figure moves through its keyframes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Repetitions: start, working position, hold, back to start, once per
    /// `cycle_ms`.
    Reps {
        /// Length of one repetition.
        cycle_ms: u64,
    },
    /// A held position: ease into the working position, then sway slowly
    /// between it and the hold keyframe.
    Hold,
}

impl Pace {
    /// The pace the guide counts a dose at: one repetition every
    /// [`SECONDS_PER_REP`], or the hold timer.
    pub fn of(dose: Dose) -> Self {
        match dose {
            Dose::Reps { .. } => Self::Reps {
                cycle_ms: SECONDS_PER_REP * 1000,
            },
            Dose::Hold { .. } => Self::Hold,
        }
    }

    /// A looping demonstration for when no set runs.
    pub const PREVIEW: Self = Self::Reps {
        cycle_ms: PREVIEW_CYCLE_MS,
    };
}

/// Smooth start and stop: 0 to 1 with zero speed at both ends.
fn ease(t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The pose `elapsed_ms` into a set of `demo` moved at `pace`.
pub fn pose_at(demo: &Demo, pace: Pace, elapsed_ms: u64) -> Pose {
    match pace {
        Pace::Reps { cycle_ms } => {
            let cycle = cycle_ms.max(1);
            let u = (elapsed_ms % cycle) as f32 / cycle as f32;
            if u < 0.4 {
                demo.start.lerp(&demo.work, ease(u / 0.4))
            } else if u < 0.6 {
                demo.work.lerp(&demo.hold, ease((u - 0.4) / 0.2))
            } else {
                demo.hold.lerp(&demo.start, ease((u - 0.6) / 0.4))
            }
        }
        Pace::Hold => {
            if elapsed_ms < EASE_IN_MS {
                demo.start
                    .lerp(&demo.work, ease(elapsed_ms as f32 / EASE_IN_MS as f32))
            } else {
                let u = ((elapsed_ms - EASE_IN_MS) % SWAY_MS) as f32 / SWAY_MS as f32;
                demo.work.lerp(&demo.hold, (1.0 - (u * TAU).cos()) / 2.0)
            }
        }
    }
}
