//! The operating system's requests to a background service, the same on
//! every platform; each platform's `service_signals` listens for them.

/// One request from the operating system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceSignal {
    /// Asked to stop: SIGTERM on Unix; on Windows the console closing,
    /// log-off or shutdown, after which Windows ends the process shortly.
    Terminate,
    /// Interrupted from a terminal (SIGINT, Ctrl+C, Ctrl+Break).
    Interrupt,
    /// The terminal went away (SIGHUP); a service is not tied to one. Never
    /// sent on Windows, where a console that goes away ends its processes
    /// (a [`ServiceSignal::Terminate`]).
    Hangup,
}
