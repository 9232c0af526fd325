//! The egui window: one file per view.
