//! The Windows implementation of the seams that differ between operating
//! systems, under the same module names and signatures as `platform/unix` and
//! `platform/linux`, plus the hidden window ([`session_events`]) that
//! tells idle and sleep about locks and suspends.

mod app_id;
pub mod autostart;
pub mod busy;
pub mod files;
pub mod idle;
pub mod local_socket;
pub mod notifications;
pub mod process;
pub mod resident;
mod security;
pub mod service_signals;
pub mod session_events;
pub mod sleep;
pub mod tray;
pub mod wake_timer;
