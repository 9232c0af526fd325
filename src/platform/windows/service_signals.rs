//! The requests Windows sends a background process to stop: Ctrl+C or
//! Ctrl+Break in its console, the console closing, the user logging off and
//! the system shutting down.

use std::io;

use tokio::signal::windows::{
    CtrlBreak, CtrlC, CtrlClose, CtrlLogoff, CtrlShutdown, ctrl_break, ctrl_c, ctrl_close,
    ctrl_logoff, ctrl_shutdown,
};

/// One request from the operating system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceSignal {
    /// Asked to stop: the console closing, log-off or shutdown. Windows ends
    /// the process shortly after, so the service must stop now.
    Terminate,
    /// Interrupted from a console (Ctrl+C, Ctrl+Break).
    Interrupt,
    /// Never sent on Windows: a console that goes away ends its processes,
    /// which is a [`ServiceSignal::Terminate`]. Kept so the service's
    /// handling is the same on every platform.
    Hangup,
}

/// The service's subscription to [`ServiceSignal`]s; from the moment it is
/// made they no longer end the process by default.
#[derive(Debug)]
pub struct ServiceSignals {
    ctrl_c: CtrlC,
    ctrl_break: CtrlBreak,
    close: CtrlClose,
    logoff: CtrlLogoff,
    shutdown: CtrlShutdown,
}

impl ServiceSignals {
    /// Starts listening. Must be called inside the runtime.
    pub fn listen() -> io::Result<ServiceSignals> {
        Ok(ServiceSignals {
            ctrl_c: ctrl_c()?,
            ctrl_break: ctrl_break()?,
            close: ctrl_close()?,
            logoff: ctrl_logoff()?,
            shutdown: ctrl_shutdown()?,
        })
    }

    /// Waits for the next request. Safe to cancel (in `select!`).
    pub async fn recv(&mut self) -> ServiceSignal {
        tokio::select! {
            _ = self.ctrl_c.recv() => ServiceSignal::Interrupt,
            _ = self.ctrl_break.recv() => ServiceSignal::Interrupt,
            _ = self.close.recv() => ServiceSignal::Terminate,
            _ = self.logoff.recv() => ServiceSignal::Terminate,
            _ = self.shutdown.recv() => ServiceSignal::Terminate,
        }
    }
}
