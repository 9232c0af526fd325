//! The wall clock, read in this one place so the daemon's decisions take
//! the time as input, and the alarm the service loop sleeps on.

use std::time::Duration;

use chrono::{DateTime, Local, Utc};

use crate::platform::seams::{Clock, SeamFuture};
use crate::platform::wake_timer::WakeTimer;

/// The system's wall clock, with a timer on the same clock (so a suspend or
/// a clock being set wakes the loop at once).
#[derive(Debug)]
pub struct SystemClock {
    timer: WakeTimer,
}

impl SystemClock {
    /// The clock and its timer. Must be called inside the runtime.
    pub fn start() -> SystemClock {
        SystemClock {
            timer: WakeTimer::on_wall_clock(),
        }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Local> {
        Local::now()
    }

    fn sleep_until(&mut self, at: DateTime<Utc>) -> SeamFuture<'_, ()> {
        Box::pin(self.timer.sleep_until(at))
    }

    fn longest_sleep(&self) -> Duration {
        self.timer.longest_sleep()
    }
}
