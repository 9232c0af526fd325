//! Holding reminders back at the wrong moment. The daemon reads its busy
//! signals only when [`Schedule::wants_busy_check`] says a reminder is about
//! to come out or is being held, and reports them with
//! [`Schedule::set_busy`]. A reminder that falls due while busy waits until
//! the spell ends, then a grace more, and never longer than the limit after
//! it fell due (then it is shown quietly). Held reminders are ordinary due
//! reminders that have not been shown yet, so at most one of each kind
//! comes out after a spell, and the move break, fired first, keeps a
//! posture check due at the same time waiting behind it.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

use super::Schedule;
use super::calendar::{after, seconds_between};
use crate::core::busy::BusyReason;
use crate::core::model::ReminderKind;
use crate::core::settings::Settings;

/// How often the daemon reads the busy signals again while it holds a
/// reminder back: soon enough that the grace starts within half a minute
/// of the call's end, rare enough to cost nothing.
pub const BUSY_RECHECK: Duration = Duration::from_secs(30);

/// A busy spell in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct BusySpell {
    /// What the user is busy with (the latest reading).
    pub reason: BusyReason,
    /// When the spell was first seen.
    pub since: DateTime<Utc>,
}

/// The last busy spell that ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct EndedSpell {
    /// What it was.
    pub reason: BusyReason,
    /// When it was first seen.
    pub since: DateTime<Utc>,
    /// When it was seen to be over.
    pub ended: DateTime<Utc>,
}

/// What a reminder shown after a hold carries with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    /// What held it back.
    pub reason: BusyReason,
    /// How long the busy spell had lasted when it came out, in seconds,
    /// from the first reading that found it (the signals are read only once
    /// a reminder is due, so an earlier start is not seen).
    pub spell_s: u32,
    /// How long the reminder itself waited after falling due, in seconds.
    pub waited_s: u32,
    /// Shown while still busy because the limit was reached: without sound.
    pub quiet: bool,
}

impl Held {
    /// The line a reminder shown after a long spell carries, e.g. "You've
    /// been in a call for 1 h 40 min": only a move break, and only after a
    /// spell longer than the break interval, when the break matters most.
    pub fn long_spell_line(&self, kind: ReminderKind, break_interval: Duration) -> Option<String> {
        let long = u64::from(self.spell_s) > break_interval.as_secs();
        (kind == ReminderKind::MoveBreak && long).then(|| {
            let minutes = self.spell_s.div_ceil(60);
            let length = match (minutes / 60, minutes % 60) {
                (0, m) => format!("{m} min"),
                (h, 0) => format!("{h} h"),
                (h, m) => format!("{h} h {m} min"),
            };
            format!("{} for {length}.", self.reason.spell_phrase())
        })
    }
}

impl Schedule {
    /// Reports the busy signals read at `now`: `Some` starts or continues a
    /// spell, `None` ends one. A call or a video says the user is there:
    /// the quiet keyboard before it was no natural break.
    pub fn set_busy(&mut self, busy: Option<BusyReason>, now: DateTime<Utc>) {
        if busy.as_ref().is_some_and(BusyReason::means_present) {
            self.idle = None;
        }
        self.busy = match (self.busy.take(), busy) {
            (None, reason) => reason.map(|reason| BusySpell { reason, since: now }),
            (Some(spell), Some(reason)) => Some(BusySpell {
                reason,
                since: spell.since,
            }),
            (Some(spell), None) => {
                self.busy_ended = Some(EndedSpell {
                    reason: spell.reason,
                    since: spell.since,
                    ended: now.max(spell.since),
                });
                None
            }
        };
    }

    /// Whether the spell in progress shows the user is at the computer, so
    /// idle time does not count (see [`BusyReason::means_present`]).
    pub(super) fn present_while_busy(&self) -> bool {
        self.busy
            .as_ref()
            .is_some_and(|spell| spell.reason.means_present())
    }

    /// What reminders are being held back for right now, if anything.
    pub fn holding(&self) -> Option<&BusyReason> {
        self.busy.as_ref().map(|spell| &spell.reason)
    }

    /// Whether the busy signals should be read before the next
    /// [`Schedule::advance`] at `now`: one is being held (to see the spell
    /// end), the clock went back, or the engine's next deadline has come,
    /// so something may come out in that advance (a reminder due, back from
    /// a snooze, or freed by an expiry or the end of a pause). Idle samples
    /// in between do not read them. User-started reminders never ask.
    pub fn wants_busy_check<Tz: TimeZone>(&self, s: &Settings, now: &DateTime<Tz>) -> bool {
        // A clock set back rewrites the stored instants in that advance, so
        // what comes out cannot be told before it: read then too.
        self.busy.is_some()
            || now.to_utc() < self.last_seen
            || self
                .next_deadline(s, now)
                .is_some_and(|deadline| deadline <= now.to_utc())
    }

    /// When a reminder that fell due at `due` may come out, if it must wait:
    /// the next reading of the busy signals while busy (or the limit, if
    /// sooner), the end of the grace after a spell it fell due in.
    pub(super) fn held_until(
        &self,
        s: &Settings,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let limit_at = after(due, s.hold.limit);
        if now >= limit_at {
            return None;
        }
        if self.busy.is_some() {
            return Some(after(now, BUSY_RECHECK).min(limit_at));
        }
        let ended = self.busy_ended.as_ref()?;
        let out = after(ended.ended, s.hold.grace).min(limit_at);
        (due <= ended.ended && now < out).then_some(out)
    }

    /// What a reminder due at `due` and shown at `now` says of the spell
    /// that held it back, if one did.
    pub(super) fn held_note(&self, due: DateTime<Utc>, now: DateTime<Utc>) -> Option<Held> {
        let waited_s = seconds_between(due, now);
        if let Some(spell) = &self.busy {
            return Some(Held {
                reason: spell.reason.clone(),
                spell_s: seconds_between(spell.since, now),
                waited_s,
                quiet: true,
            });
        }
        let ended = self.busy_ended.as_ref()?;
        (due <= ended.ended).then(|| Held {
            reason: ended.reason.clone(),
            spell_s: seconds_between(ended.since, ended.ended),
            waited_s,
            quiet: false,
        })
    }

    /// The clock went back to `now`: no spell starts or ends in the future.
    pub(super) fn pull_back_busy(&mut self, now: DateTime<Utc>) {
        if let Some(spell) = &mut self.busy {
            spell.since = spell.since.min(now);
        }
        if let Some(ended) = &mut self.busy_ended {
            ended.since = ended.since.min(now);
            ended.ended = ended.ended.min(now);
        }
    }
}
