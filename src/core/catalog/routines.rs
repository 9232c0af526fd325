//! The built-in routines. Their ids are stable: settings and the log refer
//! to them.

use super::{
    CORE_STABILITY_ROUTINE as CORE_STABILITY, DESK_RESET_ROUTINE, Dose,
    FULL_SESSION_ROUTINE as FULL_SESSION, GLUTES_HIP_FLEXORS_ROUTINE as GLUTES_HIP_FLEXORS,
    MINI_ROUTINE, QUADS_HAMSTRINGS_ROUTINE as QUADS_HAMSTRINGS, Routine, RoutineStep,
};

struct Spec {
    id: &'static str,
    name: &'static str,
    summary: &'static str,
    steps: &'static [(&'static str, Dose)],
}

const fn reps(sets: u32, reps: u32) -> Dose {
    Dose::Reps { sets, reps }
}

const fn hold(sets: u32, seconds: u32) -> Dose {
    Dose::Hold { sets, seconds }
}

const SPECS: &[Spec] = &[
    Spec {
        id: MINI_ROUTINE,
        name: "Mini routine",
        summary: "A few minutes every other day to keep what you have built: bridges, bird dogs and slow deep squats.",
        steps: &[
            ("glute_bridge", reps(2, 10)),
            ("bird_dog", reps(2, 6)),
            ("deep_squat", reps(2, 6)),
        ],
    },
    Spec {
        id: DESK_RESET_ROUTINE,
        name: "Desk reset",
        summary: "Two minutes beside your desk to undo some of the sitting.",
        steps: &[
            ("standing_hip_flexor_stretch", hold(1, 20)),
            ("sit_to_stand", reps(1, 8)),
            ("standing_glute_squeeze", reps(1, 8)),
            ("doorway_chest_stretch", hold(1, 30)),
        ],
    },
    Spec {
        id: GLUTES_HIP_FLEXORS,
        name: "Glutes and hip flexors",
        summary: "Release and lengthen the front of the hips, then wake up the glutes and use them.",
        steps: &[
            ("foam_roll_hip_flexors", hold(1, 45)),
            ("wall_hip_flexor_stretch", hold(2, 30)),
            ("glute_bridge", reps(3, 12)),
            ("lateral_band_walk", reps(2, 10)),
            ("split_squat", reps(2, 8)),
        ],
    },
    Spec {
        id: CORE_STABILITY,
        name: "Core stability",
        summary: "Give an overworked lower back a rest by training the core without loading the spine.",
        steps: &[
            ("foam_roll_upper_back", hold(1, 60)),
            ("foam_roll_glutes", hold(1, 45)),
            ("dead_bug", reps(3, 8)),
            ("bird_dog", reps(3, 8)),
            ("side_plank_knees", hold(2, 20)),
            ("glute_bridge", reps(2, 12)),
        ],
    },
    Spec {
        id: QUADS_HAMSTRINGS,
        name: "Quads and hamstrings",
        summary: "Calm busy quads, then teach the hamstrings and glutes to share the work through the hip hinge.",
        steps: &[
            ("foam_roll_quads", hold(1, 60)),
            ("glute_bridge", reps(2, 12)),
            ("hip_hinge", reps(3, 10)),
            ("split_squat", reps(2, 8)),
        ],
    },
    Spec {
        id: FULL_SESSION,
        name: "Full corrective session",
        summary: "The whole sequence: release overactive muscles, lengthen, activate the underused ones, then re-educate movement.",
        steps: &[
            ("foam_roll_quads", hold(1, 45)),
            ("foam_roll_hip_flexors", hold(1, 45)),
            ("foam_roll_glutes", hold(1, 45)),
            ("foam_roll_upper_back", hold(1, 45)),
            ("wall_hip_flexor_stretch", hold(2, 30)),
            ("glute_bridge", reps(2, 12)),
            ("dead_bug", reps(2, 8)),
            ("bird_dog", reps(2, 8)),
            ("lateral_band_walk", reps(2, 10)),
            ("hip_hinge", reps(2, 10)),
            ("split_squat", reps(2, 8)),
            ("deep_squat", reps(2, 8)),
        ],
    },
];

/// The built-in routines, the mini routine first.
pub(super) fn builtin_routines() -> Vec<Routine> {
    SPECS
        .iter()
        .map(|s| Routine {
            id: s.id.to_owned(),
            name: s.name.to_owned(),
            summary: s.summary.to_owned(),
            builtin: true,
            steps: s
                .steps
                .iter()
                .map(|(exercise, dose)| RoutineStep {
                    exercise: (*exercise).to_owned(),
                    dose: *dose,
                })
                .collect(),
        })
        .collect()
}
