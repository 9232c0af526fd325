//! The built-in exercises: the corrective sequence (release, stretch,
//! activate, re-educate) plus a few that fit beside a desk.

use super::{Dose, Exercise, Phase};
use crate::core::settings::ImbalancePattern::{
    self, GlutesHipFlexors as GLUTES, LowerBackCore as CORE, QuadsHamstrings as QUADS,
};

struct Spec {
    id: &'static str,
    name: &'static str,
    patterns: &'static [ImbalancePattern],
    phase: Phase,
    purpose: &'static str,
    cues: &'static [&'static str],
    dose: Dose,
    per_side: bool,
    quality_cue: &'static str,
}

const fn reps(sets: u32, reps: u32) -> Dose {
    Dose::Reps { sets, reps }
}

const fn hold(sets: u32, seconds: u32) -> Dose {
    Dose::Hold { sets, seconds }
}

const NEVER_LUMBAR: &str = "Never roll the lower back (lumbar spine) itself: keep the roller on muscle, above or below it.";

const SPECS: &[Spec] = &[
    // Release (inhibition) first: calm what is overactive.
    Spec {
        id: "foam_roll_quads",
        name: "Foam rolling: quads",
        patterns: &[QUADS, GLUTES],
        phase: Phase::Inhibit,
        purpose: "Calm overactive front-of-thigh muscles before waking up the ones behind.",
        cues: &[
            "Lie face down with the roller under one thigh, forearms on the floor",
            "Roll slowly from just above the knee to just below the hip",
            "Pause on a tender spot and breathe out until it eases",
            "Keep your belly gently braced so your lower back stays level",
        ],
        dose: hold(1, 60),
        per_side: true,
        quality_cue: "Roll slowly and pay attention to what you feel; racing over the muscle doesn't count.",
    },
    Spec {
        id: "foam_roll_hip_flexors",
        name: "Foam rolling: hip flexors",
        patterns: &[GLUTES],
        phase: Phase::Inhibit,
        purpose: "Ease the front of the hip that long sitting keeps short.",
        cues: &[
            "Face down, roller just below the bony front of one hip",
            "Angle your body slightly toward that side",
            "Make small, slow rolls of a few centimetres",
            "Breathe slowly; the pressure should ease, not sharpen",
        ],
        dose: hold(1, 45),
        per_side: true,
        quality_cue: "Small slow movements with full attention; quick sloppy rolling doesn't count.",
    },
    Spec {
        id: "foam_roll_glutes",
        name: "Foam rolling: glutes",
        patterns: &[CORE, GLUTES],
        phase: Phase::Inhibit,
        purpose: "Loosen tight tissue next to the lower back without pressing on the lumbar spine. Never roll the lumbar spine directly.",
        cues: &[
            "Sit on the roller, hands behind you for support",
            "Cross one ankle over the other knee and lean toward that side",
            "Roll slowly over the buttock, staying off the lower back",
            NEVER_LUMBAR,
        ],
        dose: hold(1, 45),
        per_side: true,
        quality_cue: "Go slowly and stay aware of where the roller is; careless rolling doesn't count.",
    },
    Spec {
        id: "foam_roll_upper_back",
        name: "Foam rolling: upper back",
        patterns: &[CORE],
        phase: Phase::Inhibit,
        purpose: "Loosen the mid and upper back so the lower back stops doing its work. Never roll the lumbar spine directly.",
        cues: &[
            "Lie back with the roller across your shoulder blades, knees bent",
            "Cross your arms over your chest and lift your hips slightly",
            "Roll between the shoulder blades and the bottom of the ribs",
            NEVER_LUMBAR,
        ],
        dose: hold(1, 60),
        per_side: false,
        quality_cue: "Move slowly and deliberately; rolling in a hurry doesn't count.",
    },
    // Lengthen what is tight.
    Spec {
        id: "wall_hip_flexor_stretch",
        name: "Wall hip flexor stretch",
        patterns: &[GLUTES],
        phase: Phase::Stretch,
        purpose: "Lengthen a tight psoas that pulls on the lower back.",
        cues: &[
            "Kneel on one knee with your back foot up against a wall",
            "Bring your trunk upright and tuck your tailbone slightly",
            "Squeeze the glute of the back leg until the front of that hip stretches",
            "Keep your ribs down; don't arch the lower back to go further",
        ],
        dose: hold(2, 30),
        per_side: true,
        quality_cue: "Ease in slowly and hold with intention; forcing or bouncing doesn't count.",
    },
    Spec {
        id: "standing_hip_flexor_stretch",
        name: "Standing hip flexor stretch",
        patterns: &[GLUTES],
        phase: Phase::Stretch,
        purpose: "Open the front of the hip after sitting, right beside your desk.",
        cues: &[
            "Step one foot back into a short split stance, hand on the desk if you like",
            "Tuck your tailbone and squeeze the back leg's glute",
            "Shift your hips forward a little until the front of the back hip stretches",
            "Stand tall; the lower back stays neutral",
        ],
        dose: hold(1, 20),
        per_side: true,
        quality_cue: "Move into it slowly and mean it; a lazy lean doesn't count.",
    },
    Spec {
        id: "doorway_chest_stretch",
        name: "Doorway chest stretch",
        patterns: &[CORE],
        phase: Phase::Stretch,
        purpose: "Open a chest that hunching over a keyboard keeps tight.",
        cues: &[
            "Hands on either side of a door frame, a little below shoulder height",
            "Step one foot through and lean gently forward",
            "Keep your chin tucked and your ribs down",
            "Stop at a mild stretch across the chest",
        ],
        dose: hold(1, 30),
        per_side: false,
        quality_cue: "Lean in slowly and breathe; yanking into the stretch doesn't count.",
    },
    // Wake up what is underused.
    Spec {
        id: "glute_bridge",
        name: "Glute bridge",
        patterns: &[GLUTES, QUADS],
        phase: Phase::Activate,
        purpose: "Activate and strengthen underused glutes.",
        cues: &[
            "Lie on your back, knees bent, feet flat and hip-width apart",
            "Brace your belly lightly, then push through your heels",
            "Lift until knees, hips and shoulders line up; squeeze the glutes at the top",
            "Lower one vertebra at a time",
        ],
        dose: reps(2, 12),
        per_side: false,
        quality_cue: "Slow down and feel your glutes do the lifting; rushed reps don't count.",
    },
    Spec {
        id: "lateral_band_walk",
        name: "Lateral band walk",
        patterns: &[GLUTES],
        phase: Phase::Activate,
        purpose: "Wake up the glute medius for a steadier hip.",
        cues: &[
            "Loop a band just above your knees or around your ankles",
            "Sit back into a quarter squat, chest up",
            "Step sideways with control, keeping tension on the band",
            "Keep your knees out and your toes pointing forward",
        ],
        dose: reps(2, 10),
        per_side: true,
        quality_cue: "Slow, controlled steps with steady tension; shuffling doesn't count.",
    },
    Spec {
        id: "dead_bug",
        name: "Dead bug",
        patterns: &[CORE],
        phase: Phase::Activate,
        purpose: "Train core control without loading the spine.",
        cues: &[
            "Lie on your back, arms to the ceiling, knees bent over hips",
            "Press your lower back gently into the floor",
            "Slowly lower the opposite arm and leg toward the floor",
            "Return and switch sides, breathing out as you reach",
        ],
        dose: reps(2, 8),
        per_side: true,
        quality_cue: "Move slowly enough to keep your back down; a rep where it lifts doesn't count.",
    },
    Spec {
        id: "bird_dog",
        name: "Bird dog",
        patterns: &[CORE],
        phase: Phase::Activate,
        purpose: "Build lumbar stability and coordination.",
        cues: &[
            "Start on hands and knees, hands under shoulders, knees under hips",
            "Reach one arm forward and the opposite leg back",
            "Keep your hips level, as if balancing a cup on your back",
            "Pause for a breath, then return under control",
        ],
        dose: reps(2, 8),
        per_side: true,
        quality_cue: "Slow and steady with a level back; wobbly rushed reps don't count.",
    },
    Spec {
        id: "side_plank_knees",
        name: "Side plank from the knees",
        patterns: &[CORE],
        phase: Phase::Activate,
        purpose: "Strengthen the side of the core without bending the spine.",
        cues: &[
            "Lie on your side, elbow under shoulder, knees bent",
            "Lift your hips so knees, hips and head line up",
            "Keep your top hip stacked over the bottom one",
            "Breathe steadily; lower before your form slips",
        ],
        dose: hold(2, 20),
        per_side: true,
        quality_cue: "Settle in slowly and hold with intent; a sagging hold doesn't count.",
    },
    Spec {
        id: "standing_glute_squeeze",
        name: "Standing glute squeeze",
        patterns: &[GLUTES],
        phase: Phase::Activate,
        purpose: "Remind sleepy glutes to work after a long sit.",
        cues: &[
            "Stand tall, feet hip-width apart, knees soft",
            "Squeeze both glutes firmly for two seconds",
            "Keep your lower back still; don't tip the pelvis forward",
            "Let go fully before the next squeeze",
        ],
        dose: reps(1, 8),
        per_side: false,
        quality_cue: "Slow, deliberate squeezes you can feel; half-hearted ones don't count.",
    },
    // Re-educate the movement patterns.
    Spec {
        id: "hip_hinge",
        name: "Hip hinge",
        patterns: &[QUADS, CORE],
        phase: Phase::Reeducate,
        purpose: "Relearn bending from the hips so hamstrings and glutes share the load.",
        cues: &[
            "Stand with feet hip-width apart, knees slightly bent",
            "Push your hips back as if closing a drawer behind you",
            "Keep your back long and neutral; feel the hamstrings lengthen",
            "Drive your hips forward to stand, squeezing the glutes",
        ],
        dose: reps(2, 10),
        per_side: false,
        quality_cue: "Slow down and own each hinge; reps with a rounded back don't count.",
    },
    Spec {
        id: "split_squat",
        name: "Split squat",
        patterns: &[QUADS, GLUTES],
        phase: Phase::Reeducate,
        purpose: "Build single-leg strength and hip control.",
        cues: &[
            "Take a long stride, back heel lifted",
            "Lower straight down until the back knee nears the floor",
            "Keep your front knee tracking over the middle of the foot",
            "Push through the front heel to rise",
        ],
        dose: reps(2, 8),
        per_side: true,
        quality_cue: "Slow and controlled down and up; bouncing reps don't count.",
    },
    Spec {
        id: "deep_squat",
        name: "Deep squat with control",
        patterns: &[GLUTES, QUADS, CORE],
        phase: Phase::Reeducate,
        purpose: "Practise a full squat with control through the hips, knees and trunk.",
        cues: &[
            "Feet a little wider than hips, toes slightly out",
            "Take three seconds to sit down between your heels",
            "Knees follow the toes; chest stays proud",
            "Go only as deep as you keep a neutral back, then stand smoothly",
        ],
        dose: reps(2, 8),
        per_side: false,
        quality_cue: "Slow on the way down, steady on the way up; dropping into it doesn't count.",
    },
    Spec {
        id: "sit_to_stand",
        name: "Sit to stand",
        patterns: &[GLUTES, QUADS],
        phase: Phase::Reeducate,
        purpose: "Stand up from your chair with your hips and glutes, not your lower back.",
        cues: &[
            "Sit near the front of the chair, feet flat under your knees",
            "Lean forward from the hips with a long back",
            "Push through your heels and squeeze the glutes to stand",
            "Sit back down slowly, hips first",
        ],
        dose: reps(1, 8),
        per_side: false,
        quality_cue: "Slowly and with control, both ways; plopping down doesn't count.",
    },
];

/// The built-in exercises, in session order.
pub(super) fn builtin_exercises() -> Vec<Exercise> {
    SPECS
        .iter()
        .map(|s| Exercise {
            id: s.id.to_owned(),
            name: s.name.to_owned(),
            patterns: s.patterns.to_vec(),
            phase: s.phase,
            purpose: s.purpose.to_owned(),
            cues: s.cues.iter().map(|c| (*c).to_owned()).collect(),
            dose: s.dose,
            per_side: s.per_side,
            quality_cue: s.quality_cue.to_owned(),
        })
        .collect()
}
