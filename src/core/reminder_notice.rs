//! What a reminder says and which answers it offers, defined once: the
//! notification (on every platform), the small reminder window and the
//! Today view all read their wording and buttons from here.

use std::time::Duration;

use crate::core::catalog::Catalog;
use crate::core::model::{Answer, ReminderKind};
use crate::core::prompts::PromptRotation;
use crate::core::schedule::Pending;
use crate::core::settings::Settings;

/// The test reminder's title (see `Request::TestReminder`).
pub const TEST_TITLE: &str = "Rebalance: a test reminder";
/// The test reminder's body.
pub const TEST_BODY: &str = "This is how reminders look. Answer with a button: the window shows the answer arrived. Test answers are not logged.";

/// The title of the routine reminder.
pub const ROUTINE_TITLE: &str = "Time for your corrective routine";

/// The title and body of a reminder of `kind`: the next posture prompt or
/// break suggestion from `rotation` (`seed` varies the choice), or the
/// routine the settings offer from `catalog` with its length.
pub fn reminder_text(
    kind: ReminderKind,
    rotation: &mut PromptRotation,
    seed: u64,
    catalog: &Catalog,
    settings: &Settings,
) -> (String, String) {
    match kind {
        ReminderKind::PostureCheck => {
            let prompt = rotation.next_posture(seed);
            (prompt.title.to_owned(), prompt.body.to_owned())
        }
        ReminderKind::MoveBreak => {
            let suggestion = rotation.next_break(seed);
            (suggestion.title.to_owned(), suggestion.body.to_owned())
        }
        ReminderKind::Routine => {
            let routine = catalog.reminder_routine(&settings.routine);
            let minutes = catalog.estimated_duration(routine).as_secs().div_ceil(60);
            (
                ROUTINE_TITLE.to_owned(),
                format!("{}, about {minutes} min. {}", routine.name, routine.summary),
            )
        }
    }
}

/// The answer buttons of a reminder of `kind`, in display order, the main
/// one first (without the click on the body). `can_snooze`: the snooze
/// limit is not reached; `snooze`: the configured length, shown on the
/// move break's button.
pub fn reminder_buttons(
    kind: ReminderKind,
    can_snooze: bool,
    snooze: Duration,
) -> Vec<NoticeButton> {
    use NoticeAction::{Answer as A, Start};
    let mut buttons = Vec::new();
    match kind {
        ReminderKind::PostureCheck => {
            buttons.push(NoticeButton::new(A(Answer::AllGood), "All good"));
            buttons.push(NoticeButton::new(A(Answer::FixedIt), "Fixed it"));
            if can_snooze {
                buttons.push(NoticeButton::new(A(Answer::Snooze), "Snooze"));
            }
        }
        ReminderKind::MoveBreak => {
            buttons.push(NoticeButton::new(Start, "Start break"));
            if can_snooze {
                buttons.push(NoticeButton::new(
                    A(Answer::Snooze),
                    format!("Snooze {}", short_duration(snooze)),
                ));
            }
            buttons.push(NoticeButton::new(A(Answer::Skip), "Skip"));
        }
        ReminderKind::Routine => {
            buttons.push(NoticeButton::new(Start, "Start routine"));
            if can_snooze {
                buttons.push(NoticeButton::new(A(Answer::Snooze), "Later"));
            }
            buttons.push(NoticeButton::new(A(Answer::Skip), "Skip today"));
        }
    }
    buttons
}

/// What the user chose on a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeAction {
    /// An answer to the reminder (all good, fixed it, snooze, skip...).
    Answer(Answer),
    /// Start the break or routine now (opens its window).
    Start,
    /// The body was clicked: open the matching window.
    Open,
}

impl NoticeAction {
    /// The action key sent to and received from the server.
    pub fn key(self) -> &'static str {
        match self {
            Self::Answer(Answer::AllGood) => "all_good",
            Self::Answer(Answer::FixedIt) => "fixed_it",
            Self::Answer(Answer::Done) => "done",
            Self::Answer(Answer::Snooze) => "snooze",
            Self::Answer(Answer::Skip) => "skip",
            Self::Start => "start",
            // The specification's key for clicking the notification itself.
            Self::Open => "default",
        }
    }

    /// Maps an action key back; `None` for a key we never sent.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "all_good" => Self::Answer(Answer::AllGood),
            "fixed_it" => Self::Answer(Answer::FixedIt),
            "done" => Self::Answer(Answer::Done),
            "snooze" => Self::Answer(Answer::Snooze),
            "skip" => Self::Answer(Answer::Skip),
            "start" => Self::Start,
            "default" => Self::Open,
            _ => return None,
        })
    }
}

/// One button on a notification: what it does and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeButton {
    /// What choosing it means.
    pub action: NoticeAction,
    /// Its label ("Snooze 5 min").
    pub label: String,
}

impl NoticeButton {
    /// A button doing `action`, labelled `label`.
    pub fn new(action: NoticeAction, label: impl Into<String>) -> Self {
        Self {
            action,
            label: label.into(),
        }
    }
}

/// A reminder ready to be shown as a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What it is about.
    pub kind: ReminderKind,
    /// The summary line.
    pub title: String,
    /// The body text (plain text; escaped for servers that read markup).
    pub body: String,
    /// Buttons in display order; the click on the body (`Open`) comes first.
    pub actions: Vec<NoticeButton>,
    /// The id of the notification this one replaces (a re-sent reminder).
    pub replaces: Option<u32>,
    /// Whether to ask for the notification sound.
    pub sound: bool,
}

impl Notice {
    /// The flat `[key, label, key, label, ...]` list of a freedesktop
    /// Notify call.
    pub fn action_list(&self) -> Vec<String> {
        self.actions
            .iter()
            .flat_map(|b| [b.action.key().to_owned(), b.label.clone()])
            .collect()
    }
}

/// Builds the notification for a pending reminder, with the buttons of its
/// kind. `snooze` is the configured snooze length, shown on the move-break
/// button. The caller sets [`Notice::replaces`] when re-sending.
pub fn notice_for(
    pending: &Pending,
    prompt_title: &str,
    prompt_body: &str,
    snooze: Duration,
    sound: bool,
) -> Notice {
    let mut actions = vec![NoticeButton::new(NoticeAction::Open, "Open")];
    actions.extend(reminder_buttons(pending.kind, pending.can_snooze, snooze));
    Notice {
        kind: pending.kind,
        title: prompt_title.to_owned(),
        body: prompt_body.to_owned(),
        actions,
        replaces: None,
        sound,
    }
}

/// "5 min", "90 s", "1 h 30 min": short enough for a button.
pub fn short_duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    /// A reminder shown now, for tests of the notices made from it.
    pub(crate) fn pending(kind: ReminderKind, can_snooze: bool) -> Pending {
        let at = Utc.with_ymd_and_hms(2024, 3, 4, 10, 0, 0).unwrap();
        Pending {
            kind,
            due_at: at,
            shown_at: at,
            snoozes: 0,
            can_snooze,
            started_at: None,
            held: None,
        }
    }

    fn labels(n: &Notice) -> Vec<&str> {
        n.actions.iter().map(|b| b.label.as_str()).collect()
    }

    #[test]
    fn every_action_key_maps_back_to_its_action() {
        let all = [
            NoticeAction::Answer(Answer::AllGood),
            NoticeAction::Answer(Answer::FixedIt),
            NoticeAction::Answer(Answer::Done),
            NoticeAction::Answer(Answer::Snooze),
            NoticeAction::Answer(Answer::Skip),
            NoticeAction::Start,
            NoticeAction::Open,
        ];
        for a in all {
            assert_eq!(NoticeAction::from_key(a.key()), Some(a));
        }
        assert_eq!(NoticeAction::from_key("inline-reply"), None);
    }

    #[test]
    fn buttons_follow_the_kind_and_the_snooze_allowance() {
        let five = Duration::from_secs(300);
        let posture = notice_for(
            &pending(ReminderKind::PostureCheck, true),
            "t",
            "b",
            five,
            true,
        );
        assert_eq!(labels(&posture), ["Open", "All good", "Fixed it", "Snooze"]);
        let no_snooze = notice_for(
            &pending(ReminderKind::PostureCheck, false),
            "t",
            "b",
            five,
            true,
        );
        assert_eq!(labels(&no_snooze), ["Open", "All good", "Fixed it"]);
        let brk = notice_for(
            &pending(ReminderKind::MoveBreak, true),
            "t",
            "b",
            Duration::from_secs(600),
            true,
        );
        assert_eq!(
            labels(&brk),
            ["Open", "Start break", "Snooze 10 min", "Skip"]
        );
        let routine = notice_for(&pending(ReminderKind::Routine, true), "t", "b", five, false);
        assert_eq!(
            labels(&routine),
            ["Open", "Start routine", "Later", "Skip today"]
        );
        assert_eq!(
            routine.action_list(),
            [
                "default",
                "Open",
                "start",
                "Start routine",
                "snooze",
                "Later",
                "skip",
                "Skip today"
            ]
        );
    }

    #[test]
    fn short_durations_read_naturally() {
        assert_eq!(short_duration(Duration::from_secs(300)), "5 min");
        assert_eq!(short_duration(Duration::from_secs(90)), "1 min 30 s");
        assert_eq!(short_duration(Duration::from_secs(5400)), "1 h 30 min");
        assert_eq!(short_duration(Duration::ZERO), "0 s");
    }
}
