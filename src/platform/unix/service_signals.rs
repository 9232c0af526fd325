//! The requests the operating system sends a background service: stop
//! (terminate, interrupt) and hang up.

use std::io;

use tokio::signal::unix::{Signal, SignalKind, signal};

pub use crate::platform::service_signal::ServiceSignal;

/// The service's subscription to [`ServiceSignal`]s; from the moment it is
/// made they no longer end the process by default.
#[derive(Debug)]
pub struct ServiceSignals {
    terminate: Signal,
    interrupt: Signal,
    hangup: Signal,
}

impl ServiceSignals {
    /// Starts listening. Must be called inside the runtime.
    pub fn listen() -> io::Result<ServiceSignals> {
        Ok(ServiceSignals {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    /// Waits for the next request. Safe to cancel (in `select!`).
    pub async fn recv(&mut self) -> ServiceSignal {
        tokio::select! {
            _ = self.terminate.recv() => ServiceSignal::Terminate,
            _ = self.interrupt.recv() => ServiceSignal::Interrupt,
            _ = self.hangup.recv() => ServiceSignal::Hangup,
        }
    }
}
