//! Keeps the daemon's resident set to what its loop uses.
//!
//! On Linux the daemon drops its start-up code pages by hand. Windows needs
//! nothing of the kind: its memory manager trims the working set of a
//! process that sits idle and counts shared, clean code pages as shareable,
//! not private, so this does nothing.

/// Does nothing on Windows (see the module comment).
pub fn release_startup_code() {}
