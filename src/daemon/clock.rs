//! The wall clock, read in this one place so the daemon's decisions take
//! the time as input.

use chrono::{DateTime, Local};

/// Where the service gets the time from.
pub trait Clock {
    /// The current local time.
    fn now(&self) -> DateTime<Local>;
}

/// The system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Local> {
        Local::now()
    }
}
