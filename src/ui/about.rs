//! About and safety: what Rebalance is for, that it is not medical advice,
//! and when to see a professional.

use egui::{RichText, Ui};

use crate::ui::widgets;

/// What Rebalance does, in one paragraph (also on the welcome).
pub const WHAT_IT_DOES: &str = "It helps in three small ways: quick posture checks to notice how \
     you sit and stand, regular breaks to walk and stretch, and a short guided routine every \
     other day that wakes up the muscles sitting switches off (glutes, core, hamstrings) and \
     lengthens the ones it tightens.";

/// The heading of the safety note.
pub const NOT_MEDICAL_ADVICE_TITLE: &str = "Not medical advice";

/// What Rebalance does not do (also on the welcome).
pub const NOT_MEDICAL_ADVICE: &str = "Rebalance reminds and informs; it does not diagnose or \
     treat. A physiotherapist or trainer can assess which pattern you actually have, and you \
     can record it in Settings so routines lean toward it.";

/// When pain needs care at once (also on the welcome).
pub const URGENT_CARE: &str = "Sudden severe pain, loss of bladder or bowel control, or \
     numbness in the groin needs urgent medical care.";

/// Draws the About view.
pub fn show(ui: &mut Ui) {
    widgets::page(ui, "about", |ui| {
        widgets::title(
            ui,
            "About Rebalance",
            Some(concat!("Version ", env!("CARGO_PKG_VERSION"))),
        );
        widgets::card(ui, |ui| {
            ui.label(
                "Rebalance is for people whose back pain comes from muscle imbalance: \
                 long hours of sitting, always favouring one side, or training some \
                 muscles and neglecting others.",
            );
            ui.label(WHAT_IT_DOES);
            ui.label(
                "Corrective work takes weeks. Slow, controlled repetitions count; fast, \
                 sloppy ones do not. Sit-ups and toe touches are left out on purpose.",
            );
        });
        widgets::section(ui, NOT_MEDICAL_ADVICE_TITLE);
        widgets::card(ui, |ui| {
            ui.label(NOT_MEDICAL_ADVICE);
        });
        widgets::section(ui, "When to see a professional");
        widgets::card(ui, |ui| {
            for line in [
                "The pain has not improved after a few weeks of regular corrective work.",
                "The pain spreads, or moves into a buttock or down a leg.",
                "The pain becomes sharp or shooting, or comes with numbness or tingling.",
                "An exercise makes it clearly worse: stop that exercise.",
            ] {
                ui.label(format!("•  {line}"));
            }
            ui.add_space(6.0);
            ui.label(
                RichText::new(
                    "Then see a physical therapist or a sports medicine doctor. If you log \
                     pain with your routines, the Week view tells you when the figures \
                     point that way.",
                )
                .strong(),
            );
            widgets::field_error(ui, URGENT_CARE);
        });
        widgets::section(ui, "Your data");
        widgets::card(ui, |ui| {
            ui.label(
                "Everything stays on this computer: the log is a local database and the \
                 app opens no network connection. Export it any time with \
                 `rebalance export`.",
            );
        });
    });
}
