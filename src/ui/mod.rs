//! The egui window: one file per view.
pub mod week;
