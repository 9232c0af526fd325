//! The Unix implementation of the seams that differ between operating
//! systems. `platform/mod.rs` re-exports each module under the same name on
//! every platform, so a Windows folder can stand beside this one.

pub mod files;
pub mod local_socket;
pub mod process;
pub mod resident;
pub mod service_signals;
pub mod wake_timer;
