//! Suspend and resume from the power notifications the session window
//! receives (`PBT_APMSUSPEND`, `PBT_APMRESUMEAUTOMATIC`).

use tokio::sync::mpsc::UnboundedReceiver;

pub use crate::platform::desktop::SleepEvent;

use super::session_events::SessionEvents;

/// The stream of [`SleepEvent`]s.
#[derive(Debug)]
pub struct SleepSignals {
    events: UnboundedReceiver<SleepEvent>,
}

impl SleepSignals {
    /// The next event; `None` once the session window is gone.
    pub async fn next(&mut self) -> Option<SleepEvent> {
        self.events.recv().await
    }
}

/// The suspend and resume events of `session`; `None` when they were taken
/// already.
pub fn sleep_signals(session: &SessionEvents) -> Option<SleepSignals> {
    session
        .take_sleep_events()
        .map(|events| SleepSignals { events })
}
