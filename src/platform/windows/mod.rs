//! The Windows implementation of the seams that differ between operating
//! systems, under the same module names and signatures as `platform/unix`.

pub mod autostart;
pub mod files;
pub mod local_socket;
pub mod process;
pub mod resident;
mod security;
pub mod service_signals;
pub mod wake_timer;
