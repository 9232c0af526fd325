//! Starting other processes of this program: the daemon from the command
//! line, and windows from the daemon. Each runs in its own session with no
//! standard streams, so closing a terminal or the daemon does not take it
//! along.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::core::model::ReminderKind;
use crate::core::view::View;
use crate::ipc::client;
use crate::platform::process::terminate;

/// How long `rebalance` waits for a freshly started daemon to answer.
pub const DAEMON_START_WAIT: Duration = Duration::from_secs(5);

/// A command running this same program with `args`.
pub fn self_command<I, S>(args: I) -> io::Result<Command>
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut command = Command::new(std::env::current_exe()?);
    command.args(args);
    Ok(command)
}

pub use crate::platform::process::spawn_detached;

/// Why the daemon could not be started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The program could not be run.
    #[error("could not start the background service: {0}")]
    Spawn(#[from] io::Error),
    /// It started but did not answer in time; its log says why.
    #[error(
        "the background service did not answer within {} s; see its log at {}",
        waited.as_secs(),
        log.display()
    )]
    NoAnswer {
        /// How long we waited.
        waited: Duration,
        /// Where the daemon logs.
        log: std::path::PathBuf,
    },
}

/// Starts `rebalance daemon` detached unless one answers on `socket`, and
/// waits until it does. Returns whether it had to start one.
pub fn ensure_daemon(socket: &Path, log_file: &Path) -> Result<bool, StartError> {
    if client::is_running(socket, Duration::from_secs(2)) {
        return Ok(false);
    }
    let mut child = spawn_detached(&mut self_command(["daemon"])?)?;
    let started = Instant::now();
    while started.elapsed() < DAEMON_START_WAIT {
        if client::is_running(socket, Duration::from_millis(500)) {
            return Ok(true);
        }
        // A daemon that exited at once (another one won the race, or it
        // failed): a race winner answers, a failure is reported below.
        if let Ok(Some(_)) = child.try_wait() {
            if client::is_running(socket, Duration::from_secs(1)) {
                return Ok(true);
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(StartError::NoAnswer {
        waited: started.elapsed(),
        log: log_file.to_path_buf(),
    })
}

/// The windows the daemon opens: the main window, and the small reminder
/// window that asks when no notification can. A seam of the service loop,
/// so tests see which windows it would open without starting processes.
pub trait WindowLauncher {
    /// Opens the main window on `view`, passing the activation token along.
    fn open_main(&mut self, view: Option<View>, activation: Option<String>) -> io::Result<()>;
    /// Opens the reminder window for `kind` unless one is open.
    fn open_prompt(&mut self, kind: ReminderKind) -> io::Result<()>;
    /// Closes the reminder window for `kind`, if one is open.
    fn close_prompt(&mut self, kind: ReminderKind);
    /// Closes every reminder window (the service is stopping).
    fn close_prompts(&mut self);
    /// Collects the windows that closed by themselves.
    fn reap(&mut self);
}

impl WindowLauncher for Windows {
    fn open_main(&mut self, view: Option<View>, activation: Option<String>) -> io::Result<()> {
        Windows::open_main(self, view, activation)
    }

    fn open_prompt(&mut self, kind: ReminderKind) -> io::Result<()> {
        Windows::open_prompt(self, kind)
    }

    fn close_prompt(&mut self, kind: ReminderKind) {
        Windows::close_prompt(self, kind);
    }

    fn close_prompts(&mut self) {
        Windows::close_prompts(self);
    }

    fn reap(&mut self) {
        Windows::reap(self);
    }
}

/// The windows the daemon started as processes of this program, reaped as
/// they exit; at most one reminder window per kind.
#[derive(Debug, Default)]
pub struct Windows {
    children: Vec<Child>,
    prompts: BTreeMap<ReminderKind, u32>,
}

impl Windows {
    /// Collects the exit status of windows that closed, so none lingers as
    /// a zombie.
    pub fn reap(&mut self) {
        self.children
            .retain_mut(|child| matches!(child.try_wait(), Ok(None)));
        let alive: Vec<u32> = self.children.iter().map(Child::id).collect();
        self.prompts.retain(|_, pid| alive.contains(pid));
    }

    /// Opens the main window on `view`. `activation` is the XDG activation
    /// token from the notification clicked, which lets the window take focus.
    pub fn open_main(&mut self, view: Option<View>, activation: Option<String>) -> io::Result<()> {
        self.reap();
        let mut args = vec!["window"];
        if let Some(view) = view {
            args.push("--view");
            args.push(view.name());
        }
        let mut command = self_command(args)?;
        if let Some(token) = activation {
            command.env("XDG_ACTIVATION_TOKEN", token);
        }
        self.children.push(spawn_detached(&mut command)?);
        Ok(())
    }

    /// Opens the small reminder window for `kind` unless one is open.
    pub fn open_prompt(&mut self, kind: ReminderKind) -> io::Result<()> {
        self.reap();
        if self.prompts.contains_key(&kind) {
            return Ok(());
        }
        let child = spawn_detached(&mut self_command(["prompt", "--kind", kind.as_str()])?)?;
        self.prompts.insert(kind, child.id());
        self.children.push(child);
        Ok(())
    }

    /// Closes the reminder window for `kind` (answered elsewhere).
    pub fn close_prompt(&mut self, kind: ReminderKind) {
        if let Some(pid) = self.prompts.remove(&kind) {
            terminate(pid);
        }
    }

    /// Closes every reminder window (the daemon is stopping, so their
    /// buttons would reach nobody).
    pub fn close_prompts(&mut self) {
        for (_, pid) in std::mem::take(&mut self.prompts) {
            terminate(pid);
        }
        self.reap();
    }
}
