//! The vocabulary shared by every part of the app: reminder kinds, outcomes,
//! answers and the log entry. Plain data, no behaviour beyond naming.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The three things Rebalance reminds the user of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// A quick "how are you sitting or standing?" prompt.
    PostureCheck,
    /// A walk or stretch break of a few minutes.
    MoveBreak,
    /// The guided corrective routine, every other day by default.
    Routine,
}

impl ReminderKind {
    /// Every kind, in display order.
    pub const ALL: [ReminderKind; 3] = [Self::PostureCheck, Self::MoveBreak, Self::Routine];

    /// The stable machine name used in files, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PostureCheck => "posture_check",
            Self::MoveBreak => "move_break",
            Self::Routine => "routine",
        }
    }

    /// Parses the machine name written by [`ReminderKind::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// A short human label ("Posture check").
    pub fn label(self) -> &'static str {
        match self {
            Self::PostureCheck => "Posture check",
            Self::MoveBreak => "Move break",
            Self::Routine => "Routine",
        }
    }

    /// The outcomes a log entry of this kind may have, in display order.
    pub fn outcomes(self) -> &'static [Outcome] {
        use Outcome::*;
        match self {
            Self::PostureCheck => &[AllGood, Fixed, Snoozed, Skipped, Missed],
            Self::MoveBreak => &[Taken, Natural, Snoozed, Skipped, Missed],
            Self::Routine => &[Completed, Partial, Skipped, Missed],
        }
    }
}

/// How a reminder or session ended, as written to the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Posture check: the user was already sitting or standing well.
    AllGood,
    /// Posture check: the user noticed something and corrected it.
    Fixed,
    /// Move break: taken when prompted.
    Taken,
    /// Move break: the user stepped away on their own (idle or suspend).
    Natural,
    /// Routine: every exercise done.
    Completed,
    /// Routine: started but left before the end.
    Partial,
    /// Put off for a few minutes; the reminder comes back.
    Snoozed,
    /// Declined this time.
    Skipped,
    /// Nobody answered before the reminder expired.
    Missed,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 9] = [
        Self::AllGood,
        Self::Fixed,
        Self::Taken,
        Self::Natural,
        Self::Completed,
        Self::Partial,
        Self::Snoozed,
        Self::Skipped,
        Self::Missed,
    ];

    /// The stable machine name used in files, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AllGood => "all_good",
            Self::Fixed => "fixed",
            Self::Taken => "taken",
            Self::Natural => "natural",
            Self::Completed => "completed",
            Self::Partial => "partial",
            Self::Snoozed => "snoozed",
            Self::Skipped => "skipped",
            Self::Missed => "missed",
        }
    }

    /// Parses the machine name written by [`Outcome::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// A short human label ("All good").
    pub fn label(self) -> &'static str {
        match self {
            Self::AllGood => "All good",
            Self::Fixed => "Fixed it",
            Self::Taken => "Taken",
            Self::Natural => "Natural break",
            Self::Completed => "Completed",
            Self::Partial => "Partial",
            Self::Snoozed => "Snoozed",
            Self::Skipped => "Skipped",
            Self::Missed => "Missed",
        }
    }

    /// Whether this outcome may be logged for `kind`.
    pub fn fits(self, kind: ReminderKind) -> bool {
        kind.outcomes().contains(&self)
    }

    /// Whether the reminder was acted on (counts toward adherence).
    pub fn is_done(self) -> bool {
        matches!(
            self,
            Self::AllGood
                | Self::Fixed
                | Self::Taken
                | Self::Natural
                | Self::Completed
                | Self::Partial
        )
    }

    /// Whether this closes a reminder; a snooze does not, the reminder comes back.
    pub fn is_final(self) -> bool {
        self != Self::Snoozed
    }
}

/// What the user answered to a pending reminder, from a notification, the
/// tray, the window or the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Posture check: sitting or standing well already.
    AllGood,
    /// Posture check: corrected something.
    FixedIt,
    /// Move break or routine: done (a posture check counts it as all good).
    Done,
    /// Come back in a few minutes.
    Snooze,
    /// Not this time.
    Skip,
}

impl Answer {
    /// The outcome this answer logs for `kind`.
    pub fn outcome_for(self, kind: ReminderKind) -> Outcome {
        match (self, kind) {
            (Self::Snooze, _) => Outcome::Snoozed,
            (Self::Skip, _) => Outcome::Skipped,
            (Self::FixedIt, ReminderKind::PostureCheck) => Outcome::Fixed,
            (_, ReminderKind::PostureCheck) => Outcome::AllGood,
            (_, ReminderKind::MoveBreak) => Outcome::Taken,
            (_, ReminderKind::Routine) => Outcome::Completed,
        }
    }
}

/// One exercise as done within a logged routine session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ExerciseDone {
    /// Catalogue id of the exercise ("glute_bridge").
    pub exercise: String,
    /// Sets completed.
    pub sets: u32,
    /// Repetitions per set (0 for a timed hold).
    pub reps: u32,
    /// Seconds held per set (0 for a rep-counted exercise).
    pub hold_s: u32,
    /// Whether it was done on both sides.
    pub per_side: bool,
}

/// Identifier of a stored log entry.
pub type EntryId = i64;

/// One row of the durable log: a reminder's outcome, a natural break, or a
/// corrective session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Database id; `None` until stored.
    pub id: Option<EntryId>,
    /// What it was about.
    pub kind: ReminderKind,
    /// How it ended.
    pub outcome: Outcome,
    /// When it happened (answered, finished, or expired), in UTC.
    pub at: DateTime<Utc>,
    /// The local UTC offset in seconds at `at`, kept so days stay right
    /// across travel and DST.
    pub utc_offset_s: i32,
    /// When the reminder fell due, if it came from one.
    pub due_at: Option<DateTime<Utc>>,
    /// Length of the break or session, in seconds.
    pub duration_s: u32,
    /// How long a busy spell (a call, full screen) held the reminder back
    /// before it was shown, in seconds; 0 when it was not held.
    pub held_s: u32,
    /// Routine id for sessions ("mini").
    pub routine: Option<String>,
    /// Pain score 0-10 logged with a session.
    pub pain: Option<u8>,
    /// Free text the user added.
    pub note: String,
    /// Exercises done in a session, in order.
    pub exercises: Vec<ExerciseDone>,
}

impl Entry {
    /// A new, unstored entry with no details.
    pub fn new(kind: ReminderKind, outcome: Outcome, at: DateTime<Utc>, utc_offset_s: i32) -> Self {
        Self {
            id: None,
            kind,
            outcome,
            at,
            utc_offset_s,
            due_at: None,
            duration_s: 0,
            held_s: 0,
            routine: None,
            pain: None,
            note: String::new(),
            exercises: Vec::new(),
        }
    }

    /// `at` in the local time the user had when it happened.
    pub fn local_at(&self) -> DateTime<FixedOffset> {
        let offset = FixedOffset::east_opt(self.utc_offset_s)
            .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset is valid"));
        self.at.with_timezone(&offset)
    }

    /// The local calendar day it belongs to.
    pub fn local_date(&self) -> NaiveDate {
        self.local_at().date_naive()
    }
}

/// A validation problem tied to one field, for messages shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Dotted path of the field ("posture.interval", "steps[2].dose").
    pub field: String,
    /// What is wrong and what is allowed, in plain words.
    pub message: String,
}

impl FieldError {
    /// A problem with `field`, explained by `message`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Pushes a problem onto `errors` unless `value` lies in `range`, and
    /// tells whether it did. The message reads "0m is out of range; allowed
    /// 1m to 8h", each bound written by `show`, with `unit` after the last.
    pub fn check_range<T: PartialOrd>(
        errors: &mut Vec<FieldError>,
        field: &str,
        value: T,
        range: &std::ops::RangeInclusive<T>,
        show: impl Fn(&T) -> String,
        unit: &str,
    ) -> bool {
        let ok = range.contains(&value);
        if !ok {
            errors.push(Self::new(
                field,
                format!(
                    "{} is out of range; allowed {} to {}{unit}",
                    show(&value),
                    show(range.start()),
                    show(range.end())
                ),
            ));
        }
        ok
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
