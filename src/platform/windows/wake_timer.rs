//! The service loop's alarm clock on Windows: the runtime's own timer.
//!
//! Linux arms a timerfd on the real-time clock. Windows has no timer the
//! runtime can wait on that also reports a change of the system clock, so
//! the loop sleeps on the runtime's monotonic timer and wakes at least once
//! a minute (see [`WakeTimer::longest_sleep`]); the engine then reads the
//! wall clock and sees a resume or a clock jump within that minute, as it
//! does on Linux without a timerfd. A suspend and resume also arrive from
//! the power notifications (see `platform::sleep`).

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Sleeps until a wall-clock time.
#[derive(Debug)]
pub struct WakeTimer;

impl WakeTimer {
    /// The runtime's timer. Must be called inside the runtime.
    pub fn on_wall_clock() -> WakeTimer {
        WakeTimer
    }

    /// The longest the loop should sleep: short enough to notice a clock
    /// jump within a minute.
    pub fn longest_sleep(&self) -> Duration {
        Duration::from_secs(60)
    }

    /// Returns at `at` (wall clock, as far as the monotonic clock can tell).
    pub async fn sleep_until(&mut self, at: DateTime<Utc>) {
        let delay = (at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_already_past_fires_at_once() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut timer = WakeTimer::on_wall_clock();
            let past = Utc::now() - chrono::Duration::hours(1);
            tokio::time::timeout(Duration::from_secs(30), timer.sleep_until(past))
                .await
                .expect("the timer fired");
        });
    }
}
