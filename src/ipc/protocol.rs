//! The request and reply types exchanged with the daemon, one JSON object per
//! line. Both ends use these types, so the wire format is defined here only.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

use crate::core::busy::BusyReason;
use crate::core::model::{Answer, Entry, Outcome, ReminderKind};
use crate::core::schedule::{PauseLength, Pending};
use crate::core::settings::Settings;
use crate::core::view::View;

/// The longest request line the daemon reads, in bytes; longer ones are
/// refused with an [`Response::Error`].
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// The longest reply line a client reads, in bytes.
pub const MAX_REPLY_BYTES: usize = 4 * 1024 * 1024;

/// The longest the daemon holds a [`Request::WatchStatus`] before answering
/// it with an unchanged status. A client waiting on a watch reads with a
/// timeout above this; below it, the watch loops.
pub const WATCH_HOLD_LIMIT: Duration = Duration::from_secs(300);

/// What a client asks the daemon to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum Request {
    /// Is the daemon alive? Answered with [`Response::Ok`].
    Ping,
    /// The daemon's current state, answered with [`Response::Status`].
    Status,
    /// The daemon's state once it differs from what the client has: answered
    /// at once with [`Response::Status`] when the status's
    /// [`revision`](StatusReport::revision) is not `known` (or `known` is
    /// `None`), else held until what the status shows changes, or until
    /// [`WATCH_HOLD_LIMIT`] passes, then answered with the status as it is.
    /// It ties up its connection while held, so a client keeps a connection
    /// of its own for it. The service shell holds the reply; the pure step
    /// never sees a watch.
    WatchStatus {
        /// The revision the client last received; `None` for a first ask.
        known: Option<u64>,
    },
    /// Pause every reminder.
    Pause {
        /// For how long.
        length: PauseLength,
    },
    /// End a pause.
    Resume,
    /// Fire a reminder now, exactly as if it had fallen due.
    Trigger {
        /// Which reminder.
        kind: ReminderKind,
    },
    /// Answer a pending reminder.
    Answer {
        /// Which one; `None` picks the pending reminder (the oldest one if
        /// several are pending).
        kind: Option<ReminderKind>,
        /// The answer.
        answer: Answer,
    },
    /// The user began the break or routine of a pending reminder, so it no
    /// longer expires; the window answers it when it ends.
    Start {
        /// Which reminder.
        kind: ReminderKind,
    },
    /// Log an entry made outside a reminder's buttons (a finished routine
    /// with its exercises, a break taken from the window). When a reminder of
    /// the same kind is pending, this entry answers it and is logged in place
    /// of the plain one the reminder would have produced.
    Record {
        /// The entry to log; its `id` is ignored.
        entry: Entry,
    },
    /// Use these settings from now on: the daemon writes them to the
    /// settings file and changes the login entry when asked.
    ApplySettings {
        /// The new settings; refused unless valid.
        settings: Settings,
    },
    /// Show a test reminder: a real notification with a posture check's
    /// buttons, so the user sees that answering works. Its answer is kept
    /// for [`StatusReport::test_answer`] and never logged or counted; it
    /// touches no schedule. Refused with the reason when no notification
    /// server shows it.
    TestReminder,
    /// Open the window, on the given view.
    Open {
        /// The view to show first; `None` for the default.
        view: Option<View>,
    },
    /// Stop the daemon.
    Quit,
}

/// The daemon's reply to one [`Request`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "response", rename_all = "snake_case")]
pub enum Response {
    /// Done.
    Ok,
    /// The reply to [`Request::Status`].
    Status(StatusReport),
    /// The request was refused or failed; `message` says why, in plain words.
    Error {
        /// What went wrong.
        message: String,
    },
}

impl Response {
    /// An error reply with `message`.
    pub fn error(message: impl Into<String>) -> Self {
        Self::Error {
            message: message.into(),
        }
    }
}

/// A snapshot of the daemon's state, for `rebalance status` and the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    /// When the snapshot was taken (the daemon's clock).
    pub at: DateTime<Utc>,
    /// Grows whenever what the status shows changes (see
    /// [`StatusReport::what_it_shows`]), so a client can tell a change
    /// without comparing; see [`Request::WatchStatus`]. It starts from the
    /// daemon's start time, so a restarted daemon does not repeat an old
    /// one's revisions. 0 from a daemon too old to count.
    #[serde(default)]
    pub revision: u64,
    /// Whether reminders are paused, and until when. In JSON: `paused`
    /// (true or false) and, while paused, `paused_until` (`null` until
    /// resumed, else a timestamp).
    #[serde(flatten)]
    pub pause: Pause,
    /// When each reminder kind next falls due (`None`: disabled, paused or
    /// outside working hours with nothing scheduled).
    pub next: BTreeMap<ReminderKind, Option<DateTime<Utc>>>,
    /// Reminders waiting for an answer, oldest first.
    pub pending: Vec<Pending>,
    /// What was logged today.
    pub today: TodayCounts,
    /// Desktop features that are missing, each with why in plain words.
    pub degraded: Vec<Degraded>,
    /// The warning given when the settings file could not be used as is.
    pub settings_warning: Option<String>,
    /// Where idle time comes from ("x11-screensaver", "none", ...).
    pub idle_source: String,
    /// What reminders are being held back for (a call, full screen), if
    /// anything. Absent in JSON when nothing holds them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holding: Option<BusyReason>,
    /// The answer given to the last test reminder (see
    /// [`Request::TestReminder`]), once one came. Absent in JSON until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_answer: Option<Answer>,
}

impl StatusReport {
    /// "Holding reminders: in a call" while a busy spell holds them back;
    /// shown by status, the tray tooltip and the Today view.
    pub fn holding_line(&self) -> Option<String> {
        self.holding
            .as_ref()
            .map(|reason| format!("Holding reminders: {}", reason.label()))
    }

    /// The pending reminder of `kind`, if any.
    pub fn pending_of(&self, kind: ReminderKind) -> Option<&Pending> {
        self.pending.iter().find(|p| p.kind == kind)
    }

    /// The report without what changes with every look: the time it was
    /// taken and the revision are cleared, and a next-due time that has
    /// come (a pending reminder is due "now", which moves with `at`) is set
    /// to the epoch. Two reports that show the same compare equal.
    pub fn what_it_shows(&self) -> StatusReport {
        let mut shown = self.clone();
        for due in shown.next.values_mut().flatten() {
            if *due <= self.at {
                *due = DateTime::<Utc>::UNIX_EPOCH;
            }
        }
        shown.at = DateTime::<Utc>::UNIX_EPOCH;
        shown.revision = 0;
        shown
    }
}

/// Counts of today's log entries, per kind and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TodayCounts {
    /// The local day counted.
    pub date: NaiveDate,
    /// Number of entries per kind and outcome; absent means zero.
    pub counts: BTreeMap<ReminderKind, BTreeMap<Outcome, u32>>,
    /// Minutes spent in corrective routines.
    pub routine_minutes: u32,
}

impl TodayCounts {
    /// How many entries of `kind` ended with `outcome`.
    pub fn count(&self, kind: ReminderKind, outcome: Outcome) -> u32 {
        self.counts
            .get(&kind)
            .and_then(|by_outcome| by_outcome.get(&outcome))
            .copied()
            .unwrap_or(0)
    }

    /// How many reminders of `kind` were acted on (done, not snoozed,
    /// skipped or missed).
    pub fn done(&self, kind: ReminderKind) -> u32 {
        self.counts.get(&kind).map_or(0, |by_outcome| {
            by_outcome
                .iter()
                .filter(|(outcome, _)| outcome.is_done())
                .map(|(_, n)| n)
                .sum()
        })
    }
}

/// Serde adapter keeping the three pause states apart in JSON, where a plain
/// `Option<Option<T>>` would write both `None` and `Some(None)` as `null`.
/// Whether reminders are paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(into = "PauseFields", from = "PauseFields")]
pub enum Pause {
    /// Reminders run.
    #[default]
    Running,
    /// Paused until the user resumes them.
    UntilResumed,
    /// Paused until this time.
    Until(DateTime<Utc>),
}

impl Pause {
    /// Whether reminders are paused now.
    pub fn is_paused(self) -> bool {
        self != Pause::Running
    }

    /// The engine's form: `None` running, `Some(None)` until resumed,
    /// `Some(Some(t))` until `t`.
    pub fn from_until(until: Option<Option<DateTime<Utc>>>) -> Pause {
        match until {
            None => Pause::Running,
            Some(None) => Pause::UntilResumed,
            Some(Some(at)) => Pause::Until(at),
        }
    }
}

/// How [`Pause`] looks in JSON, as `status --json` has always shown it.
#[derive(Serialize, Deserialize)]
struct PauseFields {
    paused: bool,
    /// Absent while running, `null` until resumed, a timestamp otherwise.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "pause_until_json"
    )]
    paused_until: Option<Option<DateTime<Utc>>>,
}

impl From<Pause> for PauseFields {
    fn from(pause: Pause) -> Self {
        let paused_until = match pause {
            Pause::Running => None,
            Pause::UntilResumed => Some(None),
            Pause::Until(at) => Some(Some(at)),
        };
        PauseFields {
            paused: pause.is_paused(),
            paused_until,
        }
    }
}

impl From<PauseFields> for Pause {
    fn from(fields: PauseFields) -> Self {
        match fields.paused_until {
            Some(until) => Pause::from_until(Some(until)),
            // An older reply with `paused` alone.
            None if fields.paused => Pause::UntilResumed,
            None => Pause::Running,
        }
    }
}

/// A desktop feature the daemon can run without.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// The session bus every D-Bus service comes through.
    SessionBus,
    /// Notifications with buttons.
    Notifications,
    /// The tray icon.
    Tray,
    /// Idle time (and natural breaks).
    Idle,
    /// The system's suspend and resume signals.
    Suspend,
}

impl Feature {
    /// Its name in running text ("session bus").
    pub fn name(self) -> &'static str {
        match self {
            Feature::SessionBus => "session bus",
            Feature::Notifications => "notifications",
            Feature::Tray => "tray",
            Feature::Idle => "idle",
            Feature::Suspend => "suspend",
        }
    }

    /// The title of the window's banner when it is missing; `None` when
    /// there is nothing for the user to do (a resume is still noticed from
    /// the clock without suspend signals).
    pub fn banner_title(self) -> Option<&'static str> {
        match self {
            Feature::SessionBus => Some("No session bus"),
            Feature::Notifications => Some("Notifications unavailable"),
            Feature::Tray => Some("No tray icon"),
            Feature::Idle => Some("No idle detection"),
            Feature::Suspend => None,
        }
    }
}

/// A missing feature and why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Degraded {
    /// What is missing.
    pub feature: Feature,
    /// Why, and what happens instead.
    pub reason: String,
}

impl std::fmt::Display for Feature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for Degraded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.feature, self.reason)
    }
}

mod pause_until_json {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<Option<DateTime<Utc>>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        // `None` is skipped by `skip_serializing_if`; this writes the rest.
        value.flatten().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<DateTime<Utc>>>, D::Error> {
        // Called only when the field is present: present means paused.
        Option::<DateTime<Utc>>::deserialize(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::time::Duration;

    fn report(paused_until: Option<Option<DateTime<Utc>>>) -> StatusReport {
        StatusReport {
            at: Utc.with_ymd_and_hms(2025, 3, 4, 10, 0, 0).unwrap(),
            revision: 7,
            pause: Pause::from_until(paused_until),
            next: BTreeMap::new(),
            pending: Vec::new(),
            today: TodayCounts::default(),
            degraded: Vec::new(),
            settings_warning: None,
            idle_source: "none".to_owned(),
            holding: None,
            test_answer: None,
        }
    }

    #[test]
    fn the_three_pause_states_survive_json() {
        let until = Utc.with_ymd_and_hms(2025, 3, 4, 11, 0, 0).unwrap();
        for state in [None, Some(None), Some(Some(until))] {
            let json = serde_json::to_string(&Response::Status(report(state))).unwrap();
            let back: Response = serde_json::from_str(&json).unwrap();
            assert_eq!(back, Response::Status(report(state)), "{json}");
        }
    }

    #[test]
    fn requests_are_tagged_snake_case() {
        let json = serde_json::to_string(&Request::Pause {
            length: PauseLength::For(Duration::from_secs(3600)),
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"request":"pause","length":{"for":"for","value":"1h"}}"#
        );
        let back: Request =
            serde_json::from_str(r#"{"request":"trigger","kind":"move_break"}"#).unwrap();
        assert_eq!(
            back,
            Request::Trigger {
                kind: ReminderKind::MoveBreak
            }
        );
    }

    #[test]
    fn a_reply_without_a_revision_still_parses() {
        let json = serde_json::to_string(&Response::Status(report(None))).unwrap();
        let old = json.replace(r#""revision":7,"#, "");
        assert_ne!(old, json, "the revision was in the reply");
        let Response::Status(back) = serde_json::from_str(&old).unwrap() else {
            panic!("a status reply");
        };
        assert_eq!(back.revision, 0);
    }

    #[test]
    fn a_watch_is_tagged_snake_case() {
        let json = serde_json::to_string(&Request::WatchStatus { known: Some(3) }).unwrap();
        assert_eq!(json, r#"{"request":"watch_status","known":3}"#);
    }

    #[test]
    fn what_a_report_shows_leaves_out_its_time_and_due_times_that_came() {
        let mut early = report(None);
        let due = early.at + chrono::Duration::minutes(20);
        early
            .next
            .insert(ReminderKind::PostureCheck, Some(early.at));
        early.next.insert(ReminderKind::MoveBreak, Some(due));
        early.next.insert(ReminderKind::Routine, None);
        let mut later = early.clone();
        later.at += chrono::Duration::seconds(30);
        later.revision += 1;
        // A pending check is due "now", whatever now is.
        later
            .next
            .insert(ReminderKind::PostureCheck, Some(later.at));
        assert_eq!(early.what_it_shows(), later.what_it_shows());
        later.next.insert(
            ReminderKind::MoveBreak,
            Some(due + chrono::Duration::minutes(1)),
        );
        assert_ne!(early.what_it_shows(), later.what_it_shows());
    }

    #[test]
    fn today_counts_sum_only_done_outcomes() {
        let mut today = TodayCounts::default();
        let posture = today.counts.entry(ReminderKind::PostureCheck).or_default();
        posture.insert(Outcome::AllGood, 2);
        posture.insert(Outcome::Fixed, 1);
        posture.insert(Outcome::Snoozed, 4);
        assert_eq!(today.done(ReminderKind::PostureCheck), 3);
        assert_eq!(today.count(ReminderKind::PostureCheck, Outcome::Snoozed), 4);
        assert_eq!(today.done(ReminderKind::Routine), 0);
    }
}
