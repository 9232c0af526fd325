//! Pure, deterministic logic: no I/O, no clock reads, no threads. Time comes
//! in as an argument.

pub mod busy;
pub mod catalog;
pub mod figure;
pub mod model;
pub mod prompts;
pub mod reminder_notice;
pub mod schedule;
pub mod settings;
pub mod stats;
pub mod text_format;
pub mod view;
