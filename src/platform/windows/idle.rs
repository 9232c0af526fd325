//! How long the user has been away from the keyboard and mouse, for natural
//! breaks: `GetLastInputInfo` against the tick count, and a locked session
//! counted as idle since it locked (from the session window's lock
//! notifications).

use std::sync::Arc;
use std::time::Duration;

use windows_sys::Win32::System::SystemInformation::GetTickCount;
use windows_sys::Win32::UI::Input::KeyboardAndMouse::{GetLastInputInfo, LASTINPUTINFO};

use super::session_events::LockState;

/// Samples the user's idle time.
#[derive(Debug)]
pub struct IdleMonitor {
    lock: Option<Arc<LockState>>,
}

/// Milliseconds between the last input at tick `last_input` and tick `now`;
/// the 32-bit tick count wraps every 49.7 days, so the difference wraps too.
fn idle_ms(now: u32, last_input: u32) -> u32 {
    now.wrapping_sub(last_input)
}

impl IdleMonitor {
    /// The monitor for this session; `lock` is the session window's lock
    /// state, when it started.
    pub fn new(lock: Option<Arc<LockState>>) -> IdleMonitor {
        IdleMonitor { lock }
    }

    /// How long since the last keyboard or mouse input in this session; a
    /// locked session counts as idle since it locked. `None` when the
    /// system does not say.
    pub async fn idle_time(&mut self) -> Option<Duration> {
        let mut info = LASTINPUTINFO {
            cbSize: size_of::<LASTINPUTINFO>() as u32,
            dwTime: 0,
        };
        // SAFETY: `info` is valid for the write and carries its size.
        let input = (unsafe { GetLastInputInfo(&mut info) } != 0).then(|| {
            // SAFETY: no preconditions.
            let now = unsafe { GetTickCount() };
            Duration::from_millis(idle_ms(now, info.dwTime).into())
        });
        let locked = self.lock.as_ref().and_then(|lock| lock.locked_for());
        match (input, locked) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// A name for the source, for the status and Settings display.
    pub fn source_name(&self) -> &'static str {
        if self.lock.is_some() {
            "Windows input idle time and session lock"
        } else {
            "Windows input idle time"
        }
    }

    /// Whether a source of idle information exists: always, on Windows.
    pub fn has_source(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_time_survives_the_tick_count_wrapping() {
        assert_eq!(idle_ms(5_000, 2_000), 3_000);
        assert_eq!(idle_ms(1_000, u32::MAX - 999), 2_000);
        assert_eq!(idle_ms(7, 7), 0);
    }

    #[test]
    fn an_unlocked_session_reports_input_idle_time() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut monitor = IdleMonitor::new(Some(Arc::new(LockState::default())));
        let idle = runtime.block_on(monitor.idle_time());
        assert!(idle.is_some(), "GetLastInputInfo answers");
    }
}
