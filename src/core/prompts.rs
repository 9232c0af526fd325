//! Posture-check prompts and move-break suggestions, and the rotation that
//! picks the next one without repeating the last.
//!
//! Choice is driven by a seed the caller passes in (the daemon may use the
//! time or a counter), so this module reads no randomness and stays
//! deterministic under test.

use serde::{Deserialize, Serialize};

/// A posture-check prompt: a habit to notice right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prompt {
    /// Short notification title.
    pub title: &'static str,
    /// One or two sentences: what to check and how to fix it.
    pub body: &'static str,
}

/// A move-break suggestion: a walk or one stretch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakSuggestion {
    /// Short title.
    pub title: &'static str,
    /// What to do during the break.
    pub body: &'static str,
    /// Catalogue id of the stretch to show, if the suggestion is one.
    pub exercise: Option<&'static str>,
}

/// Every posture-check prompt, one habit each.
pub const POSTURE_PROMPTS: &[Prompt] = &[
    Prompt {
        title: "Weight on one leg?",
        body: "If you're standing, check your feet: spread your weight evenly over both.",
    },
    Prompt {
        title: "Slouching?",
        body: "Sit back in the chair, let your ribs stack over your hips and lengthen through the top of your head.",
    },
    Prompt {
        title: "Pelvis tucked under?",
        body: "Roll forward onto your sit bones so your lower back keeps its gentle curve.",
    },
    Prompt {
        title: "Legs crossed?",
        body: "Uncross them and put both feet flat, or at least switch to the other leg this time.",
    },
    Prompt {
        title: "Bag on the same shoulder?",
        body: "Next time you carry it, use the other shoulder, or both straps.",
    },
    Prompt {
        title: "Sitting for a while?",
        body: "If you've been sitting a long time, stand up for a minute or take a short walk.",
    },
    Prompt {
        title: "Twisted to the screen?",
        body: "Face your screen square on, so you're not sitting rotated to one side.",
    },
];

/// Every move-break suggestion: walks, and one stretch each.
pub const BREAK_SUGGESTIONS: &[BreakSuggestion] = &[
    BreakSuggestion {
        title: "Take a short walk",
        body: "Walk for a few minutes: to the window, down the corridor, up and down the stairs.",
        exercise: None,
    },
    BreakSuggestion {
        title: "Walk and refill",
        body: "Walk to fill your water glass and take the long way back.",
        exercise: None,
    },
    BreakSuggestion {
        title: "Open the front of the hips",
        body: "Stand up and do a standing hip flexor stretch on each side, then walk a little.",
        exercise: Some("standing_hip_flexor_stretch"),
    },
    BreakSuggestion {
        title: "Stand up with your glutes",
        body: "A few slow sit-to-stands: hips and glutes do the work, not your back.",
        exercise: Some("sit_to_stand"),
    },
    BreakSuggestion {
        title: "Wake up your glutes",
        body: "Stand tall and give your glutes a few firm squeezes, then walk around.",
        exercise: Some("standing_glute_squeeze"),
    },
    BreakSuggestion {
        title: "Open your chest",
        body: "Find a door frame and do a gentle chest stretch, then walk for the rest of the break.",
        exercise: Some("doorway_chest_stretch"),
    },
];

/// Remembers the last prompt and suggestion shown so the next differs.
/// Saved with the daemon's state, so a restart does not repeat either.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PromptRotation {
    /// Index of the last posture prompt shown.
    last_posture: Option<usize>,
    /// Index of the last move-break suggestion shown.
    last_break: Option<usize>,
}

impl PromptRotation {
    /// A rotation that has shown nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next posture-check prompt, chosen by `seed`, never the one
    /// returned last time.
    pub fn next_posture(&mut self, seed: u64) -> &'static Prompt {
        let index = pick(POSTURE_PROMPTS.len(), self.last_posture, seed);
        self.last_posture = Some(index);
        &POSTURE_PROMPTS[index]
    }

    /// The next move-break suggestion, chosen by `seed`, never the one
    /// returned last time.
    pub fn next_break(&mut self, seed: u64) -> &'static BreakSuggestion {
        let index = pick(BREAK_SUGGESTIONS.len(), self.last_break, seed);
        self.last_break = Some(index);
        &BREAK_SUGGESTIONS[index]
    }
}

/// An index below `len` chosen by `seed` among those other than `last`.
/// `len` must be at least 2 for the no-repeat rule to hold; a `last` out of
/// range (from a state saved by a build with a longer list) is ignored.
fn pick(len: usize, last: Option<usize>, seed: u64) -> usize {
    let seed = mix(seed);
    let len_u64 = len as u64;
    match last {
        Some(last) if last < len && len > 1 => {
            // Choose among the other len - 1 entries, then skip over `last`.
            let index = (seed % (len_u64 - 1)) as usize;
            if index >= last { index + 1 } else { index }
        }
        _ => (seed % len_u64) as usize,
    }
}

/// Scrambles the seed (splitmix64's finaliser) so that regular seeds, such
/// as due times on whole minutes, still spread over every entry.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_the_same_prompt_or_suggestion_twice_in_a_row(seeds in prop::collection::vec(any::<u64>(), 1..200)) {
            let mut rotation = PromptRotation::new();
            let (mut last_prompt, mut last_break) = (None, None);
            for seed in seeds {
                let prompt = rotation.next_posture(seed);
                let suggestion = rotation.next_break(seed);
                prop_assert_ne!(Some(prompt), last_prompt);
                prop_assert_ne!(Some(suggestion), last_break);
                (last_prompt, last_break) = (Some(prompt), Some(suggestion));
            }
        }

        #[test]
        fn the_rule_survives_saving_and_restoring(first in any::<u64>(), second in any::<u64>()) {
            let mut rotation = PromptRotation::new();
            let shown = rotation.next_posture(first);
            let json = serde_json::to_string(&rotation).expect("serialises");
            let mut restored: PromptRotation = serde_json::from_str(&json).expect("parses");
            prop_assert_ne!(restored.next_posture(second), shown);
        }
    }

    #[test]
    fn every_prompt_comes_up_even_with_regular_seeds() {
        // Due times on whole half hours, as a daemon might pass them.
        let mut rotation = PromptRotation::new();
        let mut seen = vec![false; POSTURE_PROMPTS.len()];
        for seed in 0..200u64 {
            let prompt = rotation.next_posture(1_700_000_000 + seed * 1800);
            let index = POSTURE_PROMPTS
                .iter()
                .position(|p| p == prompt)
                .expect("comes from the list");
            seen[index] = true;
        }
        assert!(seen.iter().all(|s| *s), "some prompt never shown: {seen:?}");
    }

    #[test]
    fn the_same_seeds_give_the_same_sequence() {
        let run = || {
            let mut rotation = PromptRotation::new();
            (0..20u64)
                .map(|seed| rotation.next_break(seed).title)
                .collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn prompts_cover_the_habits_to_notice() {
        let text: String = POSTURE_PROMPTS
            .iter()
            .map(|p| format!("{} {} ", p.title, p.body).to_lowercase())
            .collect();
        for habit in [
            "one leg", "slouch", "tucked", "cross", "shoulder", "sitting",
        ] {
            assert!(text.contains(habit), "no prompt about {habit}");
        }
    }

    #[test]
    fn a_saved_index_beyond_the_list_is_ignored() {
        let mut rotation: PromptRotation =
            serde_json::from_str(r#"{"last_posture": 999, "last_break": 999}"#).expect("parses");
        rotation.next_posture(5);
        rotation.next_break(5);
    }
}
