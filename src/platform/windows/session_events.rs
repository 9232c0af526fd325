//! The session's lock and the machine's sleep, from a hidden window on a
//! thread of its own: Windows tells a window when the session locks or
//! unlocks (`WM_WTSSESSION_CHANGE`, once registered) and when the machine
//! suspends or resumes (`WM_POWERBROADCAST`). The window is top-level but
//! never shown: message-only windows do not get the power broadcast.

use std::cell::RefCell;
use std::ffi::OsStr;
use std::io;
use std::ptr;
use std::sync::{Arc, Mutex, PoisonError, mpsc as std_mpsc};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::System::RemoteDesktop::{
    NOTIFY_FOR_THIS_SESSION, WTSRegisterSessionNotification,
};
use windows_sys::Win32::System::StationsAndDesktops::{
    CloseDesktop, DESKTOP_SWITCHDESKTOP, OpenInputDesktop,
};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DispatchMessageW, GetMessageW, MSG, PBT_APMRESUMEAUTOMATIC,
    PBT_APMSUSPEND, RegisterClassW, TranslateMessage, WM_POWERBROADCAST, WM_WTSSESSION_CHANGE,
    WNDCLASSW, WTS_SESSION_LOCK, WTS_SESSION_UNLOCK,
};

use super::security::wide;
use crate::platform::desktop::SleepEvent;

/// How long starting the window thread may take.
const START_TIMEOUT: Duration = Duration::from_secs(3);

/// When the session locked, if it is locked now; shared with the idle
/// monitor.
#[derive(Debug, Default)]
pub struct LockState {
    locked_since: Mutex<Option<Instant>>,
}

impl LockState {
    /// How long the session has been locked; `None` when it is not.
    pub fn locked_for(&self) -> Option<Duration> {
        self.locked_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .map(|since| since.elapsed())
    }

    fn set_locked(&self, locked: bool) {
        let mut since = self
            .locked_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match (locked, *since) {
            (true, None) => *since = Some(Instant::now()),
            (false, _) => *since = None,
            (true, Some(_)) => {}
        }
    }
}

/// The running hidden window: the lock state, and the sleep events until
/// someone takes them.
#[derive(Debug)]
pub struct SessionEvents {
    /// Whether, and since when, the session is locked.
    pub lock: Arc<LockState>,
    sleep: Mutex<Option<UnboundedReceiver<SleepEvent>>>,
}

impl SessionEvents {
    /// Takes the stream of suspend and resume events (once).
    pub fn take_sleep_events(&self) -> Option<UnboundedReceiver<SleepEvent>> {
        self.sleep
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// What the window procedure updates, owned by the window's thread.
struct WindowState {
    lock: Arc<LockState>,
    sleep: UnboundedSender<SleepEvent>,
}

thread_local! {
    static WINDOW_STATE: RefCell<Option<WindowState>> = const { RefCell::new(None) };
}

/// Whether the session is locked right now: the input desktop is then the
/// secure one, which a user process cannot open.
fn locked_now() -> bool {
    // SAFETY: plain call; a desktop handle we get is closed at once.
    unsafe {
        let desktop = OpenInputDesktop(0, 0, DESKTOP_SWITCHDESKTOP);
        if desktop.is_null() {
            return true;
        }
        CloseDesktop(desktop);
        false
    }
}

/// Starts the hidden window on its own thread.
pub fn start() -> io::Result<SessionEvents> {
    let lock = Arc::new(LockState::default());
    lock.set_locked(locked_now());
    let (sleep_tx, sleep_rx) = unbounded_channel();
    let (ready_tx, ready_rx) = std_mpsc::channel();
    let thread_lock = lock.clone();
    std::thread::Builder::new()
        .name("session-events".to_owned())
        .spawn(move || run_window(thread_lock, sleep_tx, ready_tx))?;
    match ready_rx.recv_timeout(START_TIMEOUT) {
        Ok(Ok(())) => Ok(SessionEvents {
            lock,
            sleep: Mutex::new(Some(sleep_rx)),
        }),
        Ok(Err(err)) => Err(err),
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the session window did not start",
        )),
    }
}

fn run_window(
    lock: Arc<LockState>,
    sleep: UnboundedSender<SleepEvent>,
    ready: std_mpsc::Sender<io::Result<()>>,
) {
    let class_name = wide(OsStr::new("RebalanceSessionEvents"));
    // SAFETY: the null name asks for this executable's own module.
    let instance = unsafe { GetModuleHandleW(ptr::null()) };
    // SAFETY: WNDCLASSW is plain data; zero is "none" for every field.
    let mut class: WNDCLASSW = unsafe { std::mem::zeroed() };
    class.lpfnWndProc = Some(window_proc);
    class.hInstance = instance;
    class.lpszClassName = class_name.as_ptr();
    // SAFETY: `class` and the name it points to outlive the call. A class
    // already registered (a second start in one process) shows in
    // CreateWindowExW's result instead.
    unsafe { RegisterClassW(&class) };
    WINDOW_STATE.with(|state| *state.borrow_mut() = Some(WindowState { lock, sleep }));
    // SAFETY: the class name is NUL-terminated; no parent makes it a
    // top-level window, style 0 keeps it hidden.
    let window = unsafe {
        CreateWindowExW(
            0,
            class_name.as_ptr(),
            class_name.as_ptr(),
            0,
            0,
            0,
            0,
            0,
            ptr::null_mut(),
            ptr::null_mut(),
            instance,
            ptr::null(),
        )
    };
    if window.is_null() {
        let err = io::Error::last_os_error();
        // No error code: the session has no desktop to make windows on.
        let err = if err.raw_os_error() == Some(0) {
            io::Error::other("this session has no desktop for a window")
        } else {
            err
        };
        let _ = ready.send(Err(err));
        return;
    }
    // SAFETY: `window` is ours. Without this registration only the lock
    // is missed; suspend and resume still arrive.
    if unsafe { WTSRegisterSessionNotification(window, NOTIFY_FOR_THIS_SESSION) } == 0 {
        tracing::info!(
            "no session lock notifications ({}); a locked screen is noticed from input idle time",
            io::Error::last_os_error()
        );
    }
    let _ = ready.send(Ok(()));
    // SAFETY: MSG is plain data, filled by GetMessageW.
    let mut message: MSG = unsafe { std::mem::zeroed() };
    // SAFETY: standard message loop on the window's own thread; it ends
    // with the process.
    while unsafe { GetMessageW(&mut message, ptr::null_mut(), 0, 0) } > 0 {
        unsafe {
            TranslateMessage(&message);
            DispatchMessageW(&message);
        }
    }
}

/// What a session or power message means for us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SessionChange {
    Locked(bool),
    Sleep(SleepEvent),
}

/// The meaning of window message `message` with `wparam`, if it is one we
/// follow. Resume is taken from the automatic resume, which comes on every
/// wake (with or without a user at the keyboard).
fn session_change(message: u32, wparam: WPARAM) -> Option<SessionChange> {
    let code = u32::try_from(wparam).ok()?;
    match (message, code) {
        (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) => Some(SessionChange::Locked(true)),
        (WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK) => Some(SessionChange::Locked(false)),
        (WM_POWERBROADCAST, PBT_APMSUSPEND) => Some(SessionChange::Sleep(SleepEvent::Suspending)),
        (WM_POWERBROADCAST, PBT_APMRESUMEAUTOMATIC) => {
            Some(SessionChange::Sleep(SleepEvent::Resumed))
        }
        _ => None,
    }
}

unsafe extern "system" fn window_proc(
    window: HWND,
    message: u32,
    wparam: WPARAM,
    lparam: LPARAM,
) -> LRESULT {
    if let Some(change) = session_change(message, wparam) {
        WINDOW_STATE.with(|state| {
            if let Some(state) = state.borrow().as_ref() {
                match change {
                    SessionChange::Locked(locked) => state.lock.set_locked(locked),
                    SessionChange::Sleep(event) => {
                        let _ = state.sleep.send(event);
                    }
                }
            }
        });
        if message == WM_POWERBROADCAST {
            // TRUE: the broadcast is handled.
            return 1;
        }
    }
    // SAFETY: the default handling for everything else.
    unsafe { DefWindowProcW(window, message, wparam, lparam) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_power_and_other_messages_are_told_apart() {
        assert_eq!(
            session_change(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK as WPARAM),
            Some(SessionChange::Locked(true))
        );
        assert_eq!(
            session_change(WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK as WPARAM),
            Some(SessionChange::Locked(false))
        );
        assert_eq!(
            session_change(WM_POWERBROADCAST, PBT_APMSUSPEND as WPARAM),
            Some(SessionChange::Sleep(SleepEvent::Suspending))
        );
        assert_eq!(
            session_change(WM_POWERBROADCAST, PBT_APMRESUMEAUTOMATIC as WPARAM),
            Some(SessionChange::Sleep(SleepEvent::Resumed))
        );
        // PBT_APMRESUMESUSPEND follows the automatic resume: not a second one.
        assert_eq!(session_change(WM_POWERBROADCAST, 7), None);
        assert_eq!(
            session_change(WM_WTSSESSION_CHANGE, 1),
            None,
            "console connect"
        );
    }

    #[test]
    fn a_lock_is_timed_from_its_start_and_cleared_by_unlock() {
        let lock = LockState::default();
        assert_eq!(lock.locked_for(), None);
        lock.set_locked(true);
        let first = lock.locked_for().expect("locked");
        lock.set_locked(true);
        assert!(
            lock.locked_for().expect("still locked") >= first,
            "not restarted"
        );
        lock.set_locked(false);
        assert_eq!(lock.locked_for(), None);
    }
}
