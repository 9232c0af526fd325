//! Starting Rebalance's own helper processes (the daemon, the window, the
//! fallback prompt) so that they outlive the process that started them, and
//! closing them again.

use std::io;
use std::os::windows::process::CommandExt;
use std::process::{Child, Command, Stdio};

use windows_sys::Win32::Foundation::{CloseHandle, HWND, LPARAM};
use windows_sys::Win32::System::Threading::{
    CREATE_NEW_PROCESS_GROUP, DETACHED_PROCESS, OpenProcess, PROCESS_TERMINATE, TerminateProcess,
};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    EnumWindows, GetWindowThreadProcessId, PostMessageW, WM_CLOSE,
};
use windows_sys::core::BOOL;

/// Spawns `command` with no console and no standard streams, in a process
/// group of its own, so it goes on after its parent exits and no console
/// Ctrl+C reaches it.
pub fn spawn_detached(command: &mut Command) -> io::Result<Child> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
    command.spawn()
}

/// What [`close_windows_of`] looks for and found.
struct CloseRequest {
    pid: u32,
    posted: bool,
}

unsafe extern "system" fn close_if_owned(window: HWND, data: LPARAM) -> BOOL {
    // SAFETY: `data` is the `CloseRequest` that `close_windows_of` passes and
    // keeps alive for the whole enumeration.
    let request = unsafe { &mut *(data as *mut CloseRequest) };
    let mut owner = 0u32;
    // SAFETY: `window` comes from the enumeration; `owner` is valid.
    unsafe { GetWindowThreadProcessId(window, &mut owner) };
    // SAFETY: posting a message has no memory effects on our side.
    if owner == request.pid && unsafe { PostMessageW(window, WM_CLOSE, 0, 0) } != 0 {
        request.posted = true;
    }
    1
}

/// Asks every top-level window of process `pid` to close; whether any was
/// asked.
fn close_windows_of(pid: u32) -> bool {
    let mut request = CloseRequest { pid, posted: false };
    // SAFETY: the callback only reads the window list and `request`, which
    // outlives the call.
    unsafe {
        EnumWindows(
            Some(close_if_owned),
            &mut request as *mut CloseRequest as LPARAM,
        )
    };
    request.posted
}

/// Asks the child process `pid` to close: its windows get the same close
/// request as a click on their close box, so it exits cleanly. A child with
/// no window yet (still starting) is ended at once, the last resort. The
/// caller still reaps it. Best effort: a pid that is gone is ignored.
pub fn terminate(pid: u32) {
    if close_windows_of(pid) {
        return;
    }
    // SAFETY: plain calls; the handle is closed before returning. The caller
    // passes a child it has not reaped, so the pid cannot have been reused.
    unsafe {
        let process = OpenProcess(PROCESS_TERMINATE, 0, pid);
        if !process.is_null() {
            TerminateProcess(process, 1);
            CloseHandle(process);
        }
    }
}
