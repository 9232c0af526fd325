//! Chart colours: the Okabe-Ito palette, which stays distinguishable for
//! the common forms of colour blindness, with the shades chosen per theme
//! so every series keeps its contrast on light and dark backgrounds.

use egui::Color32;

use crate::core::model::Outcome;

const ORANGE: Color32 = Color32::from_rgb(230, 159, 0);
const SKY_BLUE: Color32 = Color32::from_rgb(86, 180, 233);
const BLUISH_GREEN: Color32 = Color32::from_rgb(0, 158, 115);
const BLUE: Color32 = Color32::from_rgb(0, 114, 178);
const VERMILLION: Color32 = Color32::from_rgb(213, 94, 0);
const REDDISH_PURPLE: Color32 = Color32::from_rgb(204, 121, 167);

/// The colours of one theme.
#[derive(Debug, Clone, Copy)]
pub(super) struct Palette {
    /// Done as asked: all good, taken.
    pub done: Color32,
    /// Done another way: fixed it, natural break.
    pub other_done: Color32,
    /// Declined.
    pub skipped: Color32,
    /// Nobody answered.
    pub missed: Color32,
    /// Routine work (minutes, sessions, strength, heatmap).
    pub routine: Color32,
    /// Pain scores and their weekly mean.
    pub pain: Color32,
    /// The pain trend line.
    pub trend: Color32,
    /// An empty heatmap cell.
    pub empty_cell: Color32,
    /// Background the heatmap shades blend from.
    pub background: Color32,
}

impl Palette {
    /// The palette for the current theme.
    pub fn for_visuals(visuals: &egui::Visuals) -> Self {
        let dark = visuals.dark_mode;
        Self {
            done: BLUISH_GREEN,
            other_done: SKY_BLUE,
            skipped: ORANGE,
            missed: VERMILLION,
            // Okabe-Ito blue is too dark on a dark background.
            routine: if dark { SKY_BLUE } else { BLUE },
            pain: if dark { REDDISH_PURPLE } else { VERMILLION },
            trend: visuals.strong_text_color(),
            empty_cell: visuals
                .faint_bg_color
                .lerp_to_gamma(visuals.weak_text_color(), 0.15),
            background: visuals.extreme_bg_color,
        }
    }

    /// The colour of an outcome in the per-day bars.
    pub fn outcome(&self, outcome: Outcome) -> Color32 {
        match outcome {
            Outcome::AllGood | Outcome::Taken | Outcome::Completed => self.done,
            Outcome::Fixed | Outcome::Natural | Outcome::Partial => self.other_done,
            Outcome::Skipped | Outcome::Snoozed => self.skipped,
            Outcome::Missed => self.missed,
        }
    }

    /// A heatmap cell shade for `share` (0..=1) of the busiest day.
    pub fn routine_shade(&self, share: f32) -> Color32 {
        self.background
            .lerp_to_gamma(self.routine, 0.35 + 0.65 * share.clamp(0.0, 1.0))
    }
}
