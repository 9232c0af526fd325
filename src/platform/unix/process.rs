//! Starting Rebalance's own helper processes (the daemon, the window, the
//! fallback prompt) so that they outlive the process that started them.

use std::io;
use std::process::{Child, Command, Stdio};

/// Spawns `command` in a new session with no standard streams, so it goes on
/// after its parent exits and no terminal signal reaches it.
pub fn spawn_detached(command: &mut Command) -> io::Result<Child> {
    use std::os::unix::process::CommandExt;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setsid is async-signal-safe and touches no memory of ours.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.spawn()
}

/// Asks the child process `pid` to close (SIGTERM), so it exits cleanly;
/// the caller still reaps it. Best effort: a pid that is gone is ignored.
pub fn terminate(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill has no memory effects; the caller passes a child of
        // its own not yet reaped, so the pid cannot have been reused.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
}
