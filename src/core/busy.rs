//! What makes a moment the wrong one for a reminder: a call, a full-screen
//! window, the desktop's do-not-disturb, a presentation or video holding the
//! screen awake, or an app on the user's list. The detectors live in
//! `platform`; this is the value they report and the words shown for it.

use serde::{Deserialize, Serialize};

/// Why reminders are being held back right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "app")]
pub enum BusyReason {
    /// A microphone capture stream or a camera is in use.
    Call,
    /// The focused window covers the whole screen.
    FullScreen,
    /// The desktop's do-not-disturb is on.
    DoNotDisturb,
    /// An app keeps the screen awake (a presentation or a video).
    Presentation,
    /// An app on the user's list is running; its name as listed.
    App(String),
}

impl BusyReason {
    /// The words after "Holding reminders: ", e.g. "in a call".
    pub fn label(&self) -> String {
        match self {
            BusyReason::Call => "in a call".to_owned(),
            BusyReason::FullScreen => "full screen".to_owned(),
            BusyReason::DoNotDisturb => "do not disturb".to_owned(),
            BusyReason::Presentation => "presentation".to_owned(),
            BusyReason::App(name) => format!("{name} is running"),
        }
    }

    /// Whether it shows the user is at the computer even without touching
    /// it: in a call, watching or presenting. Do not disturb does not: it
    /// may be left on at an empty desk.
    pub fn means_present(&self) -> bool {
        !matches!(self, BusyReason::DoNotDisturb)
    }

    /// How a line about a long spell of it starts, e.g. "You've been in a
    /// call" (followed by " for 1 h 40 min").
    pub fn spell_phrase(&self) -> String {
        match self {
            BusyReason::Call => "You've been in a call".to_owned(),
            BusyReason::FullScreen => "You've been in a full-screen window".to_owned(),
            BusyReason::DoNotDisturb => "Do not disturb has been on".to_owned(),
            BusyReason::Presentation => "You've been presenting or watching".to_owned(),
            BusyReason::App(name) => format!("You've been in {name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_as_plain_words() {
        assert_eq!(BusyReason::Call.label(), "in a call");
        assert_eq!(BusyReason::App("zoom".into()).label(), "zoom is running");
        assert_eq!(
            BusyReason::App("obs".into()).spell_phrase(),
            "You've been in obs"
        );
    }

    #[test]
    fn reasons_round_trip_through_json() {
        for reason in [BusyReason::Call, BusyReason::App("zoom".into())] {
            let text = serde_json::to_string(&reason).expect("json");
            assert_eq!(
                serde_json::from_str::<BusyReason>(&text).expect("back"),
                reason
            );
        }
    }
}
