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
