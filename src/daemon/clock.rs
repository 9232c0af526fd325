//! The wall clock, read in this one place so the daemon's decisions take
//! the time as input, the alarm the service loop sleeps on, and how long
//! it sleeps.

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

/// The shortest the loop sleeps, so a deadline the engine keeps in the past
/// can never turn into a busy loop.
pub const MIN_SLEEP: Duration = Duration::from_secs(1);

/// How long to sleep before the next wake: until the engine's deadline or the
/// next idle check, whichever comes first, within [`MIN_SLEEP`, `longest`].
pub fn wake_delay(
    now: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
    idle_check: Option<Duration>,
    longest: Duration,
) -> Duration {
    let mut delay = longest;
    if let Some(deadline) = deadline {
        // A few ms late means the engine sees the deadline as reached.
        let until = (deadline - now).to_std().unwrap_or(Duration::ZERO) + Duration::from_millis(5);
        delay = delay.min(until);
    }
    if let Some(interval) = idle_check {
        delay = delay.min(interval);
    }
    delay.max(MIN_SLEEP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const LONGEST: Duration = Duration::from_secs(600);

    fn t(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 4, 10, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
    }

    #[test]
    fn the_loop_sleeps_until_the_deadline() {
        let delay = wake_delay(t(0), Some(t(30)), None, LONGEST);
        assert!(delay >= Duration::from_secs(30) && delay < Duration::from_secs(31));
    }

    #[test]
    fn an_idle_check_comes_first_when_sooner() {
        assert_eq!(
            wake_delay(t(0), Some(t(300)), Some(Duration::from_secs(20)), LONGEST),
            Duration::from_secs(20)
        );
    }

    #[test]
    fn with_nothing_to_wait_for_it_still_wakes_now_and_then() {
        assert_eq!(wake_delay(t(0), None, None, LONGEST), LONGEST);
        assert_eq!(wake_delay(t(0), Some(t(3600)), None, LONGEST), LONGEST);
    }

    #[test]
    fn a_deadline_in_the_past_never_makes_a_busy_loop() {
        assert_eq!(wake_delay(t(10), Some(t(0)), None, LONGEST), MIN_SLEEP);
        assert_eq!(
            wake_delay(t(0), None, Some(Duration::ZERO), LONGEST),
            MIN_SLEEP,
            "a zero idle interval is clamped too"
        );
    }
}
