//! The service loop's alarm clock: a wall-clock timer that wakes the daemon
//! once at the time asked for.
//!
//! The runtime's own timers run on the monotonic clock, which stands still
//! while the machine sleeps, and reach long deadlines in several hops through
//! their timer wheel (three wake-ups for one deadline a minute away). A
//! Linux timerfd on the real-time clock, armed for an absolute time, fires
//! once, fires at once after a resume when its time passed during sleep, and
//! also fires when the clock is set, so the engine sees every jump. Where no
//! timerfd can be made, the runtime's timer is used with a shorter longest
//! sleep (see [`WakeTimer::longest_sleep`]).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;

/// Sleeps until a wall-clock time.
#[derive(Debug)]
pub struct WakeTimer {
    fd: Option<AsyncFd<OwnedFd>>,
}

impl WakeTimer {
    /// A timer on the real-time clock, or the runtime's monotonic timer if
    /// none can be made. Must be called inside the runtime.
    pub fn on_wall_clock() -> WakeTimer {
        let fd = match realtime_timerfd() {
            Ok(fd) => Some(fd),
            Err(err) => {
                tracing::info!("no wall-clock timer ({err}); using the monotonic one");
                None
            }
        };
        WakeTimer { fd }
    }

    /// The longest the loop should sleep with this timer: a safety net only
    /// with a wall-clock timer; with the monotonic one, short enough to
    /// notice a resume from suspend within a minute.
    pub fn longest_sleep(&self) -> Duration {
        if self.fd.is_some() {
            Duration::from_secs(10 * 60)
        } else {
            Duration::from_secs(60)
        }
    }

    /// Returns at `at` (wall clock), after a resume past it, or when the
    /// system clock is set.
    pub async fn sleep_until(&mut self, at: DateTime<Utc>) {
        let Some(fd) = &self.fd else {
            let delay = (at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
            tokio::time::sleep(delay).await;
            return;
        };
        if let Err(err) = arm(fd.get_ref(), at) {
            tracing::warn!("cannot set the wake-up timer: {err}");
            tokio::time::sleep(Duration::from_secs(1)).await;
            return;
        }
        loop {
            let Ok(mut ready) = fd.readable().await else {
                tokio::time::sleep(Duration::from_secs(1)).await;
                return;
            };
            match ready.try_io(|inner| read_expirations(inner.get_ref())) {
                // Expired, or cancelled because the clock was set: either
                // way it is time to look at the clock again.
                Ok(_) => return,
                Err(_would_block) => continue,
            }
        }
    }
}

fn realtime_timerfd() -> io::Result<AsyncFd<OwnedFd>> {
    // SAFETY: plain system call; the descriptor is checked and then owned.
    let raw = unsafe {
        libc::timerfd_create(libc::CLOCK_REALTIME, libc::TFD_NONBLOCK | libc::TFD_CLOEXEC)
    };
    if raw < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `raw` is a fresh descriptor that nothing else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    // SAFETY: the OwnedFd keeps the descriptor open and unchanged for as
    // long as the AsyncFd owns it.
    unsafe { AsyncFd::register_with_interest(fd, Interest::READABLE) }
        .map_err(|err| io::Error::other(err.to_string()))
}

/// Arms the timer for the absolute time `at`; a time already past fires at
/// once.
fn arm(fd: &OwnedFd, at: DateTime<Utc>) -> io::Result<()> {
    // An all-zero value would disarm the timer instead of firing it.
    let seconds = at.timestamp().max(1);
    let spec = libc::itimerspec {
        it_interval: libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        },
        it_value: libc::timespec {
            tv_sec: seconds as libc::time_t,
            tv_nsec: libc::c_long::from(at.timestamp_subsec_nanos().min(999_999_999) as i32),
        },
    };
    // SAFETY: the descriptor is a timerfd we own; `spec` outlives the call
    // and the old value is not asked for.
    let rc = unsafe {
        libc::timerfd_settime(
            fd.as_raw_fd(),
            libc::TFD_TIMER_ABSTIME | libc::TFD_TIMER_CANCEL_ON_SET,
            &spec,
            std::ptr::null_mut(),
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Reads the expiration count. `ECANCELED` (the clock was set) counts as a
/// wake like an expiry; only "not yet" is `WouldBlock`.
fn read_expirations(fd: &OwnedFd) -> io::Result<()> {
    let mut count = [0u8; 8];
    // SAFETY: reading 8 bytes into an 8-byte buffer we own.
    let n = unsafe { libc::read(fd.as_raw_fd(), count.as_mut_ptr().cast(), count.len()) };
    if n >= 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    if err.kind() == io::ErrorKind::WouldBlock {
        Err(err)
    } else {
        Ok(())
    }
}
