//! The reminder engine: a pure state machine. It is given the time and how
//! long the user has been idle, and answers with what happens and when it
//! next needs to be woken. No I/O, no clock reads, no threads; its state is
//! plain serde data so a restart resumes where it was.
//!
//! The rules, briefly:
//! - **Timers.** Posture checks and move breaks fall due one interval after
//!   their timer started: at creation, at the last answer or expiry, at the
//!   end of a natural break, at a resume, or at the start of the working day,
//!   whichever is latest. They fire only inside working hours (local time),
//!   so nothing left over from yesterday is due at 09:00:00.
//! - **Routine.** Due at its local clock time every `every_days` days counted
//!   from the last completed routine (an early session moves the next one);
//!   after a skip or a miss it is offered again the next day. The first one
//!   is offered on the first day the engine runs, or the day after when it
//!   starts after the routine's time. It ignores working hours, and a
//!   routine owed from an earlier day comes at today's time, never at once.
//! - **Answers.** Done, all good and fixed it close a reminder and restart
//!   its timer. A snooze is logged (a routine's "Later" is not: the log has
//!   no such outcome) and the reminder comes back after the snooze length,
//!   at most `max_snoozes` times in a row. A reminder nobody answers is
//!   closed as missed `expire_after` after it was last shown, unless the
//!   user started it (a break or routine in progress). A snoozed posture
//!   check or move break that would come back after working hours is missed.
//! - **One at a time.** At most one reminder per kind is pending (shown or
//!   snoozed). A posture check waits while a move break is shown or snoozed,
//!   and for `quiet_after_break` after a break (taken, natural, or a
//!   completed routine, which also restarts the move-break timer).
//! - **Pause.** Pending reminders are withdrawn without being logged: the
//!   user put reminders aside, they did not decline that one, and logging it
//!   would count against them. Nothing fires until the pause ends; timers
//!   restart then.
//! - **Idle.** While the user has been idle for a minute (or the break length
//!   if shorter) nothing fires; a reminder that falls due waits for them.
//!   An idle spell of at least the break length that began while move breaks
//!   were running is a natural break, logged once when the user comes back
//!   (the length is known then, and a move break shown meanwhile is closed
//!   by it), and it restarts both interval timers.
//! - **Clock jumps.** A forward jump longer than a break (suspend, a stopped
//!   daemon) is an idle spell of its own: timers restart, reminders that
//!   would have expired meanwhile are closed once, nothing stale is shown,
//!   and if move breaks were running when it began it is one natural break.
//!   The daemon samples idle time every [`IDLE_POLL`] while those timers
//!   run, so only a real gap looks like one. A backward jump pulls every
//!   stored instant back to the new time; all durations saturate at zero.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::core::model::{Answer, Outcome, ReminderKind};
use crate::core::settings::Settings;

mod calendar;
mod hold;
#[cfg(test)]
mod tests;

pub use hold::{BUSY_RECHECK, Held};

use calendar::{
    after, before, elapsed, in_working_hours, interval_due, local_date, local_instant,
    next_midnight, seconds_between, working_span,
};

/// A reminder that has fallen due and waits for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// What it is about.
    pub kind: ReminderKind,
    /// When it first fell due (kept across snoozes).
    pub due_at: DateTime<Utc>,
    /// When it was last shown (due time, or the end of the last snooze).
    pub shown_at: DateTime<Utc>,
    /// Snoozes used so far in a row.
    pub snoozes: u32,
    /// Whether another snooze is allowed.
    pub can_snooze: bool,
    /// Set once the user started the break or routine; it no longer expires.
    pub started_at: Option<DateTime<Utc>>,
    /// Set when a busy spell held it back before it was shown.
    #[serde(default)]
    pub held: Option<Held>,
}

/// How long to pause reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "for", content = "value")]
pub enum PauseLength {
    /// For a fixed duration from now.
    For(#[serde(with = "crate::core::text_format::duration_text")] Duration),
    /// Until the start of the next local day.
    UntilTomorrow,
    /// Until explicitly resumed.
    UntilResumed,
}

/// Something the caller must act on: show, log, or close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScheduleEvent {
    /// A reminder fell due (or came back after a snooze): show it.
    Due(Pending),
    /// A reminder was closed with this outcome: log it and withdraw its
    /// notification. A snooze is logged too (`Outcome::Snoozed`) and the
    /// reminder comes back later with another `Due`.
    Resolved {
        /// What it was about.
        kind: ReminderKind,
        /// How it ended.
        outcome: Outcome,
        /// When it fell due, if it came from a reminder.
        due_at: Option<DateTime<Utc>>,
        /// When it ended.
        at: DateTime<Utc>,
        /// Length of the break (natural or taken), else 0.
        duration_s: u32,
        /// How long a busy spell held it back before it was shown, in
        /// seconds (0: not held).
        held_s: u32,
    },
    /// Reminders were paused until the given time (`None`: until resumed).
    Paused {
        /// When they resume by themselves.
        until: Option<DateTime<Utc>>,
    },
    /// Reminders run again.
    Resumed,
    /// A reminder was taken back without an outcome (paused, its kind was
    /// switched off, the routine was logged from the window or put off with
    /// "Later"): close its notification, log nothing.
    Withdrawn {
        /// What it was about.
        kind: ReminderKind,
        /// When it fell due.
        due_at: DateTime<Utc>,
    },
}

/// Why the engine refused a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// There is no reminder of this kind waiting for an answer.
    #[error("no {} reminder is waiting for an answer", .0.label().to_lowercase())]
    NothingPending(ReminderKind),
    /// The reminder was already snoozed as often as allowed in a row.
    #[error(
        "the {} reminder was snoozed as often as allowed; answer it or skip it",
        .0.label().to_lowercase()
    )]
    SnoozeLimit(ReminderKind),
}

/// How often the daemon samples idle time while it matters.
pub const IDLE_POLL: Duration = Duration::from_secs(20);

/// Idle this long (or the break length, if shorter) and the user counts as
/// away: nothing fires until they are back. Long enough that reading a page
/// without touching anything does not hold reminders back, short enough
/// that nothing pops up at an empty desk.
pub const AWAY_AFTER: Duration = Duration::from_secs(60);

/// Shortest interval the engine runs a timer at, whatever the settings say,
/// so a zero interval cannot make it fire on every step.
const MIN_INTERVAL: Duration = Duration::from_secs(60);

/// A stretch of idleness the engine is watching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct IdleSpell {
    /// When the user was last active before it.
    start: DateTime<Utc>,
    /// If it began while move breaks were running: the end of that working
    /// span, where a natural break's logged length stops. `None`: it does
    /// not count as a break (paused, switched off, outside working hours).
    counts_until: Option<DateTime<Utc>>,
}

/// How long a pause in force lasts. (Its own type because serde writes the
/// `Option<Option<_>>` of [`Schedule::paused_until`] as `null` both ways.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Pause {
    /// Until the user resumes.
    UntilResumed,
    /// Until this time.
    Until(DateTime<Utc>),
}

/// The reminder state machine; see the module documentation for its rules.
///
/// Every method takes the current time; the time zone of `now` decides local
/// days, working hours and the routine's clock time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// When the engine first ran (for the first routine).
    created: DateTime<Utc>,
    /// The `now` of the last call that moved the clock.
    last_seen: DateTime<Utc>,
    /// Whether `last_seen` fell inside working hours.
    in_hours: bool,
    /// Reminders shown and waiting for an answer, by kind.
    pending: Vec<Pending>,
    /// Snoozed reminders; their `shown_at` is when they come back.
    snoozed: Vec<Pending>,
    /// Set while paused.
    paused: Option<Pause>,
    /// When the posture-check timer last started.
    posture_since: DateTime<Utc>,
    /// When the move-break timer last started.
    move_since: DateTime<Utc>,
    /// When the last break (taken, natural, or a completed routine) ended.
    last_break: Option<DateTime<Utc>>,
    /// Local day of the last completed routine.
    routine_completed: Option<NaiveDate>,
    /// Local day a routine reminder was last skipped or missed.
    routine_declined: Option<NaiveDate>,
    /// The idle spell in progress, if the user is away.
    idle: Option<IdleSpell>,
    /// The busy spell holding reminders back, if any.
    #[serde(default)]
    busy: Option<hold::BusySpell>,
    /// The last busy spell that ended; what fell due in it comes out a
    /// grace after its end.
    #[serde(default)]
    busy_ended: Option<hold::EndedSpell>,
}

/// Whether reminders of `kind` are switched on.
fn enabled(s: &Settings, kind: ReminderKind) -> bool {
    match kind {
        ReminderKind::PostureCheck => s.posture.enabled,
        ReminderKind::MoveBreak => s.move_break.enabled,
        ReminderKind::Routine => s.routine.enabled,
    }
}

/// Whether `kind` keeps to working hours.
fn keeps_working_hours(kind: ReminderKind) -> bool {
    kind != ReminderKind::Routine
}

/// Idle this long and the user counts as away.
fn away_after(s: &Settings) -> Duration {
    AWAY_AFTER.min(s.move_break.duration)
}

/// How long `p` was held back before it was first shown, in seconds.
fn held_s(p: &Pending) -> u32 {
    p.held.as_ref().map_or(0, |held| held.waited_s)
}

/// Removes and returns the reminder of `kind` from `list`.
fn take(list: &mut Vec<Pending>, kind: ReminderKind) -> Option<Pending> {
    let at = list.iter().position(|p| p.kind == kind)?;
    Some(list.remove(at))
}

/// Adds `p` to `list`, keeping display order.
fn put(list: &mut Vec<Pending>, p: Pending) {
    list.push(p);
    list.sort_by_key(|p| p.kind);
}

impl Schedule {
    /// A fresh schedule whose timers start at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            created: now,
            last_seen: now,
            in_hours: false,
            pending: Vec::new(),
            snoozed: Vec::new(),
            paused: None,
            posture_since: now,
            move_since: now,
            last_break: None,
            routine_completed: None,
            routine_declined: None,
            idle: None,
            busy: None,
            busy_ended: None,
        }
    }

    /// Moves the clock to `now`, with the user idle for `idle`, and returns
    /// what happened: reminders due or back from a snooze, reminders expired,
    /// a natural break, the end of a timed pause. Call it by
    /// [`Schedule::next_deadline`], and every [`Schedule::idle_check_interval`].
    pub fn advance<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        now: &DateTime<Tz>,
        idle: Duration,
    ) -> Vec<ScheduleEvent> {
        let tz = now.timezone();
        let now = now.to_utc();
        // In a call or watching a video the user is there, however still.
        let idle = if self.present_while_busy() {
            Duration::ZERO
        } else {
            idle
        };
        let mut events = Vec::new();
        if now < self.last_seen {
            self.pull_back(s, now);
            self.pull_back_busy(now);
        }
        let long_gap = elapsed(self.last_seen, now) > s.move_break.duration;
        if long_gap && self.paused.is_none() {
            // Suspended or not running: the gap is an idle spell of its own.
            // It restarts the timers either way, and is logged as a break
            // only if move breaks were running when it began.
            let start = self.idle.map_or(self.last_seen, |spell| spell.start);
            let counts_until = match self.idle {
                Some(spell) => spell.counts_until,
                None => self.break_counts_until(s, &tz, self.last_seen),
            };
            self.idle = Some(IdleSpell {
                start: start.min(self.last_seen),
                counts_until,
            });
        }
        self.end_timed_pause(now, &mut events);
        self.track_idle(s, &tz, now, idle, &mut events);
        self.expire(s, &tz, now, long_gap, &mut events);
        self.bring_back_snoozed(s, &tz, now, &mut events);
        self.fire_due(s, &tz, now, &mut events);
        self.last_seen = now;
        self.in_hours = in_working_hours(&tz, &s.working_hours, now);
        events
    }

    /// Records the user's answer to the reminder of `kind` (shown, snoozed
    /// or started). A snooze is refused once the limit is reached.
    pub fn answer<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        kind: ReminderKind,
        answer: Answer,
        now: &DateTime<Tz>,
    ) -> Result<Vec<ScheduleEvent>, ScheduleError> {
        let tz = now.timezone();
        let now = now.to_utc();
        let snoozes_used = self
            .pending
            .iter()
            .chain(&self.snoozed)
            .find(|p| p.kind == kind)
            .ok_or(ScheduleError::NothingPending(kind))?
            .snoozes;
        if answer == Answer::Snooze && snoozes_used >= s.reminders.max_snoozes {
            return Err(ScheduleError::SnoozeLimit(kind));
        }
        let p = self
            .take_open(kind)
            .ok_or(ScheduleError::NothingPending(kind))?;
        if answer == Answer::Snooze {
            let snoozes = p.snoozes + 1;
            let held_s = held_s(&p);
            put(
                &mut self.snoozed,
                Pending {
                    shown_at: after(now, s.reminders.snooze),
                    snoozes,
                    can_snooze: snoozes < s.reminders.max_snoozes,
                    started_at: None,
                    ..p
                },
            );
            // The log has no snoozed routine ("Later" just puts it off), so
            // that one only closes its notification.
            let event = if Outcome::Snoozed.fits(kind) {
                ScheduleEvent::Resolved {
                    kind,
                    outcome: Outcome::Snoozed,
                    due_at: Some(p.due_at),
                    at: now,
                    duration_s: 0,
                    held_s,
                }
            } else {
                ScheduleEvent::Withdrawn {
                    kind,
                    due_at: p.due_at,
                }
            };
            return Ok(vec![event]);
        }
        let outcome = answer.outcome_for(kind);
        let duration_s = match (kind, p.started_at) {
            (ReminderKind::PostureCheck, _) => 0,
            (_, Some(started)) => seconds_between(started, now),
            (ReminderKind::MoveBreak, None) => {
                u32::try_from(s.move_break.duration.as_secs()).unwrap_or(u32::MAX)
            }
            (ReminderKind::Routine, None) => 0,
        };
        self.restart_after(&tz, kind, outcome, now);
        Ok(vec![ScheduleEvent::Resolved {
            kind,
            outcome,
            due_at: Some(p.due_at),
            at: now.max(p.due_at),
            duration_s,
            held_s: held_s(&p),
        }])
    }

    /// The user began the break or routine of `kind`: it stays open until
    /// answered and no longer expires. A snoozed reminder is brought back.
    pub fn start(&mut self, kind: ReminderKind, now: DateTime<Utc>) -> Result<(), ScheduleError> {
        let p = take(&mut self.pending, kind)
            .or_else(|| take(&mut self.snoozed, kind).map(|p| Pending { shown_at: now, ..p }))
            .ok_or(ScheduleError::NothingPending(kind))?;
        put(
            &mut self.pending,
            Pending {
                started_at: Some(p.started_at.unwrap_or(now)),
                ..p
            },
        );
        Ok(())
    }

    /// Fires a reminder of `kind` now, as if it were due, whatever the
    /// hours, pause or idle state: the user asked for it. One already
    /// pending is shown again instead.
    pub fn trigger<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        kind: ReminderKind,
        now: &DateTime<Tz>,
    ) -> Vec<ScheduleEvent> {
        let now = now.to_utc();
        let shown = match self.take_open(kind) {
            Some(p) => self.show(Pending { shown_at: now, ..p }),
            None => self.show_new(s, kind, now, now, None),
        };
        vec![shown]
    }

    /// Pauses all reminders for `length`, withdrawing pending ones (see the
    /// module documentation for why they are not logged).
    pub fn pause<Tz: TimeZone>(
        &mut self,
        length: PauseLength,
        now: &DateTime<Tz>,
    ) -> Vec<ScheduleEvent> {
        let tz = now.timezone();
        let now = now.to_utc();
        let until = match length {
            PauseLength::For(d) => Some(after(now, d)),
            PauseLength::UntilTomorrow => Some(next_midnight(&tz, now)),
            PauseLength::UntilResumed => None,
        };
        let mut events: Vec<ScheduleEvent> = self
            .pending
            .drain(..)
            .chain(self.snoozed.drain(..))
            .map(|p| ScheduleEvent::Withdrawn {
                kind: p.kind,
                due_at: p.due_at,
            })
            .collect();
        self.paused = Some(until.map_or(Pause::UntilResumed, Pause::Until));
        self.idle = None;
        events.push(ScheduleEvent::Paused { until });
        events
    }

    /// Ends a pause; the interval timers restart from `now`. Does nothing
    /// when not paused.
    pub fn resume<Tz: TimeZone>(&mut self, s: &Settings, now: &DateTime<Tz>) -> Vec<ScheduleEvent> {
        let tz = now.timezone();
        let now = now.to_utc();
        if self.paused.is_none() {
            return Vec::new();
        }
        self.resume_at(now);
        // The pause is over, not a gap in the clock: no natural break.
        self.last_seen = self.last_seen.max(now);
        self.in_hours = in_working_hours(&tz, &s.working_hours, now);
        vec![ScheduleEvent::Resumed]
    }

    /// A corrective session was logged (from the window): the routine counts
    /// as done today, so the next one is `every_days` from today; a routine
    /// reminder still open is withdrawn (the session is the log entry), and
    /// the session counts as a break.
    pub fn routine_done<Tz: TimeZone>(&mut self, now: &DateTime<Tz>) -> Vec<ScheduleEvent> {
        let tz = now.timezone();
        let now = now.to_utc();
        self.restart_after(&tz, ReminderKind::Routine, Outcome::Completed, now);
        self.take_open(ReminderKind::Routine)
            .map(|p| ScheduleEvent::Withdrawn {
                kind: p.kind,
                due_at: p.due_at,
            })
            .into_iter()
            .collect()
    }

    /// When [`Schedule::advance`] must be called next at the latest: never
    /// before `now` (`now` itself when something is due), `None` only when
    /// nothing can fire until the user acts (all switched off, or paused
    /// until resumed with nothing pending).
    pub fn next_deadline<Tz: TimeZone>(
        &self,
        s: &Settings,
        now: &DateTime<Tz>,
    ) -> Option<DateTime<Utc>> {
        let tz = now.timezone();
        let now = now.to_utc();
        let mut times: Vec<DateTime<Utc>> = self
            .pending
            .iter()
            .filter(|p| p.started_at.is_none())
            .map(|p| after(p.shown_at, s.reminders.expire_after))
            .collect();
        match self.paused {
            Some(Pause::Until(until)) => times.push(until),
            Some(Pause::UntilResumed) => {}
            None => {
                for p in &self.snoozed {
                    if !self.held_back_by_move_break(p.kind) {
                        let back = self.comes_back_at(s, p);
                        times.push(self.held_until(s, back, now).unwrap_or(back));
                    }
                }
                for kind in ReminderKind::ALL {
                    if let Some(t) = self.due_time(s, &tz, kind, now) {
                        times.push(self.held_until(s, t, now).unwrap_or(t));
                    }
                }
                let intervals_on = s.posture.enabled || s.move_break.enabled;
                if intervals_on
                    && let Some(span) = working_span(&tz, &s.working_hours, now)
                    && span.start > now
                {
                    // Wake when the working day begins to start watching idle time.
                    times.push(span.start);
                }
            }
        }
        let earliest = times.into_iter().min()?;
        if earliest <= now && self.idle.is_some() {
            // Held back until the user is back: look again at the next idle sample.
            return Some(after(self.last_seen, IDLE_POLL).max(now));
        }
        Some(earliest.max(now))
    }

    /// When the next reminder of `kind` is expected, for countdowns: `now`
    /// when one is showing or overdue; `None` when switched off or paused
    /// until resumed. A snoozed reminder gives the time it comes back.
    pub fn next_due<Tz: TimeZone>(
        &self,
        s: &Settings,
        kind: ReminderKind,
        now: &DateTime<Tz>,
    ) -> Option<DateTime<Utc>> {
        let tz = now.timezone();
        let now = now.to_utc();
        if self.pending.iter().any(|p| p.kind == kind) {
            return Some(now);
        }
        let resumes = match self.paused {
            None => now,
            Some(Pause::UntilResumed) => return None,
            Some(Pause::Until(until)) => until.max(now),
        };
        if let Some(p) = self.snoozed.iter().find(|p| p.kind == kind) {
            return Some(self.comes_back_at(s, p).max(resumes));
        }
        if !enabled(s, kind) {
            return None;
        }
        let mut view = self.clone();
        if resumes > now {
            view.resume_at(resumes);
        }
        view.due_time(s, &tz, kind, resumes).map(|t| t.max(resumes))
    }

    /// The reminders shown and waiting for an answer, at most one per kind,
    /// in display order. Snoozed ones are not listed until they come back.
    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }

    /// `None` while running; `Some(None)` when paused until resumed;
    /// `Some(Some(t))` when paused until `t`.
    pub fn paused_until(&self) -> Option<Option<DateTime<Utc>>> {
        self.paused.map(|pause| match pause {
            Pause::UntilResumed => None,
            Pause::Until(until) => Some(until),
        })
    }

    /// How often the daemon must sample idle time and call
    /// [`Schedule::advance`] now: every [`IDLE_POLL`] while posture or
    /// move-break timers run (to notice natural breaks) or while the user is
    /// away (to notice their return); `None` when paused, switched off or
    /// outside working hours, when sleeping until the next deadline is enough.
    pub fn idle_check_interval(&self, s: &Settings) -> Option<Duration> {
        if self.paused.is_some() {
            return None;
        }
        let intervals_on = s.posture.enabled || s.move_break.enabled;
        let any_on = intervals_on || s.routine.enabled;
        let watching = (intervals_on && self.in_hours) || self.idle.is_some();
        (any_on && watching).then_some(IDLE_POLL)
    }

    /// Removes and returns the reminder of `kind`, shown or snoozed.
    fn take_open(&mut self, kind: ReminderKind) -> Option<Pending> {
        take(&mut self.pending, kind).or_else(|| take(&mut self.snoozed, kind))
    }

    /// Shows `p`: it joins the pending list and the caller is told.
    fn show(&mut self, p: Pending) -> ScheduleEvent {
        put(&mut self.pending, p.clone());
        ScheduleEvent::Due(p)
    }

    /// Shows a fresh reminder of `kind` that fell due at `due`, with what
    /// held it back, if anything did.
    fn show_new(
        &mut self,
        s: &Settings,
        kind: ReminderKind,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
        held: Option<Held>,
    ) -> ScheduleEvent {
        self.show(Pending {
            kind,
            due_at: due,
            shown_at: now,
            snoozes: 0,
            can_snooze: s.reminders.max_snoozes > 0,
            started_at: None,
            held,
        })
    }

    /// For an idle spell beginning at `t`: the end of the working span when
    /// it would count as a break, `None` when it would not.
    fn break_counts_until<Tz: TimeZone>(
        &self,
        s: &Settings,
        tz: &Tz,
        t: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        if self.paused.is_some() || !s.move_break.enabled {
            return None;
        }
        working_span(tz, &s.working_hours, t)
            .filter(|span| span.contains(t))
            .map(|span| span.end)
    }

    /// The clock went back to `now`: pull every stored instant back so no
    /// wait grows and no duration turns negative.
    fn pull_back(&mut self, s: &Settings, now: DateTime<Utc>) {
        self.created = self.created.min(now);
        self.posture_since = self.posture_since.min(now);
        self.move_since = self.move_since.min(now);
        self.last_break = self.last_break.map(|t| t.min(now));
        for p in &mut self.pending {
            p.due_at = p.due_at.min(now);
            p.shown_at = p.shown_at.min(now);
            p.started_at = p.started_at.map(|t| t.min(now));
        }
        for p in &mut self.snoozed {
            p.due_at = p.due_at.min(now);
            p.shown_at = p.shown_at.min(after(now, s.reminders.snooze));
        }
        if let Some(spell) = &mut self.idle {
            spell.start = spell.start.min(now);
        }
        self.last_seen = now;
    }

    /// Ends a pause whose time is up.
    fn end_timed_pause(&mut self, now: DateTime<Utc>, events: &mut Vec<ScheduleEvent>) {
        if let Some(Pause::Until(until)) = self.paused
            && until <= now
        {
            self.resume_at(now);
            events.push(ScheduleEvent::Resumed);
        }
    }

    /// Runs again from `t`, timers restarted.
    fn resume_at(&mut self, t: DateTime<Utc>) {
        self.paused = None;
        self.idle = None;
        self.posture_since = t;
        self.move_since = t;
    }

    /// Follows the user's idleness: opens a spell when they go away, and when
    /// they come back after at least a break's length, logs the natural break
    /// and restarts the interval timers.
    fn track_idle<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        tz: &Tz,
        now: DateTime<Utc>,
        idle: Duration,
        events: &mut Vec<ScheduleEvent>,
    ) {
        if self.paused.is_some() {
            self.idle = None;
            return;
        }
        let last_active = before(now, idle);
        if idle >= away_after(s) {
            // Samples of one spell all point at the same start; keep the
            // earliest so a spell opened by a clock jump is not split.
            let spell = match self.idle {
                Some(spell) => IdleSpell {
                    start: spell.start.min(last_active),
                    ..spell
                },
                None => IdleSpell {
                    start: last_active,
                    counts_until: self.break_counts_until(s, tz, last_active),
                },
            };
            self.idle = Some(spell);
            return;
        }
        let Some(spell) = self.idle.take() else {
            return;
        };
        let back = last_active.max(spell.start);
        if elapsed(spell.start, back) < s.move_break.duration {
            return;
        }
        self.posture_since = back;
        self.move_since = back;
        let Some(limit) = spell.counts_until else {
            return;
        };
        self.last_break = Some(back);
        // The logged break stops where the working day did.
        let at = back.min(limit);
        let open = self.take_open(ReminderKind::MoveBreak);
        events.push(match open {
            Some(p) => {
                let at = at.max(p.due_at);
                let (outcome, from) = match p.started_at {
                    Some(started) => (Outcome::Taken, started.min(spell.start)),
                    None => (Outcome::Natural, spell.start),
                };
                ScheduleEvent::Resolved {
                    kind: ReminderKind::MoveBreak,
                    outcome,
                    due_at: Some(p.due_at),
                    at,
                    duration_s: seconds_between(from, at),
                    held_s: held_s(&p),
                }
            }
            None => ScheduleEvent::Resolved {
                kind: ReminderKind::MoveBreak,
                outcome: Outcome::Natural,
                due_at: None,
                at,
                duration_s: seconds_between(spell.start, at),
                held_s: 0,
            },
        });
    }

    /// Closes reminders nobody answered in time as missed. A move break is
    /// kept open while the user has been away since before it expired: if
    /// that turns out to be a break, the break closes it. After a long gap,
    /// snoozed reminders that would have come back and expired meanwhile
    /// are closed too, rather than shown stale.
    fn expire<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        tz: &Tz,
        now: DateTime<Utc>,
        long_gap: bool,
        events: &mut Vec<ScheduleEvent>,
    ) {
        let expire_after = s.reminders.expire_after;
        let spell = self.idle;
        let away_since_before = |p: &Pending, t: DateTime<Utc>| {
            p.kind == ReminderKind::MoveBreak
                && spell.is_some_and(|sp| sp.counts_until.is_some() && sp.start <= t)
        };
        let mut missed = Vec::new();
        for (list, is_snoozed) in [(&mut self.pending, false), (&mut self.snoozed, true)] {
            if is_snoozed && !long_gap {
                continue;
            }
            list.retain(|p| {
                let expires = after(p.shown_at, expire_after);
                let lapsed = p.started_at.is_none() && expires <= now;
                if lapsed && !away_since_before(p, expires) {
                    missed.push((p.clone(), expires));
                    false
                } else {
                    true
                }
            });
        }
        for (p, at) in missed {
            self.miss(tz, p, at, events);
        }
    }

    /// Logs `p` as missed at `at` and restarts its timer from there.
    fn miss<Tz: TimeZone>(
        &mut self,
        tz: &Tz,
        p: Pending,
        at: DateTime<Utc>,
        events: &mut Vec<ScheduleEvent>,
    ) {
        let at = at.max(p.due_at);
        self.restart_after(tz, p.kind, Outcome::Missed, at);
        events.push(ScheduleEvent::Resolved {
            kind: p.kind,
            outcome: Outcome::Missed,
            due_at: Some(p.due_at),
            at,
            duration_s: 0,
            held_s: held_s(&p),
        });
    }

    /// When the snoozed reminder `p` may come back: the end of its snooze,
    /// and for a posture check not within the quiet time after a break.
    fn comes_back_at(&self, s: &Settings, p: &Pending) -> DateTime<Utc> {
        match (p.kind, self.quiet_until(s)) {
            (ReminderKind::PostureCheck, Some(quiet)) => p.shown_at.max(quiet),
            _ => p.shown_at,
        }
    }

    /// Shows snoozed reminders whose snooze is over, when they may fire. One
    /// that keeps to working hours and comes back after they ended is closed
    /// as missed; one whose kind was switched off is withdrawn.
    fn bring_back_snoozed<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        tz: &Tz,
        now: DateTime<Utc>,
        events: &mut Vec<ScheduleEvent>,
    ) {
        if self.paused.is_some() {
            return;
        }
        let in_hours = in_working_hours(tz, &s.working_hours, now);
        let back: Vec<Pending> = self
            .snoozed
            .iter()
            .filter(|p| self.comes_back_at(s, p) <= now)
            .cloned()
            .collect();
        for p in back {
            if !enabled(s, p.kind) {
                take(&mut self.snoozed, p.kind);
                events.push(ScheduleEvent::Withdrawn {
                    kind: p.kind,
                    due_at: p.due_at,
                });
            } else if keeps_working_hours(p.kind) && !in_hours {
                take(&mut self.snoozed, p.kind);
                let at = p.shown_at;
                self.miss(tz, p, at, events);
            } else if self.may_fire(s, p.kind, now) {
                let back = self.comes_back_at(s, &p);
                if self.held_until(s, back, now).is_some() {
                    continue;
                }
                take(&mut self.snoozed, p.kind);
                let held = self.held_note(back, now);
                events.push(self.show(Pending {
                    shown_at: now,
                    held,
                    ..p
                }));
            }
        }
    }

    /// Fires each kind whose time has come. Move breaks go first so a posture
    /// check due at the same moment waits behind the break.
    fn fire_due<Tz: TimeZone>(
        &mut self,
        s: &Settings,
        tz: &Tz,
        now: DateTime<Utc>,
        events: &mut Vec<ScheduleEvent>,
    ) {
        for kind in [
            ReminderKind::MoveBreak,
            ReminderKind::PostureCheck,
            ReminderKind::Routine,
        ] {
            if !self.may_fire(s, kind, now) {
                continue;
            }
            if let Some(due) = self.due_time(s, tz, kind, now)
                && due <= now
                && self.held_until(s, due, now).is_none()
            {
                let held = self.held_note(due, now);
                events.push(self.show_new(s, kind, due, now, held));
            }
        }
    }

    /// Whether a reminder of `kind` may be shown now: running, the user at
    /// the computer, and a posture check not held back by a move break.
    fn may_fire(&self, s: &Settings, kind: ReminderKind, now: DateTime<Utc>) -> bool {
        if self.paused.is_some() || self.idle.is_some() {
            return false;
        }
        kind != ReminderKind::PostureCheck
            || (!self.held_back_by_move_break(kind)
                && self.quiet_until(s).is_none_or(|quiet| quiet <= now))
    }

    /// Whether `kind` is a posture check waiting for a move break that is
    /// shown or snoozed (not yet started) to be dealt with.
    fn held_back_by_move_break(&self, kind: ReminderKind) -> bool {
        kind == ReminderKind::PostureCheck
            && (self
                .snoozed
                .iter()
                .any(|p| p.kind == ReminderKind::MoveBreak)
                || self
                    .pending
                    .iter()
                    .any(|p| p.kind == ReminderKind::MoveBreak && p.started_at.is_none()))
    }

    /// The end of the quiet time after the last break.
    fn quiet_until(&self, s: &Settings) -> Option<DateTime<Utc>> {
        self.last_break
            .map(|t| after(t, s.reminders.quiet_after_break))
    }

    /// When a new reminder of `kind` falls due (possibly before `now`:
    /// overdue); `None` when switched off, already pending, held back by a
    /// move break, or it cannot fall due at all.
    fn due_time<Tz: TimeZone>(
        &self,
        s: &Settings,
        tz: &Tz,
        kind: ReminderKind,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let open = self
            .pending
            .iter()
            .chain(&self.snoozed)
            .any(|p| p.kind == kind);
        if !enabled(s, kind) || open || self.held_back_by_move_break(kind) {
            return None;
        }
        let hours = &s.working_hours;
        match kind {
            ReminderKind::PostureCheck => interval_due(
                tz,
                hours,
                self.posture_since,
                s.posture.interval.max(MIN_INTERVAL),
                self.quiet_until(s),
                now,
            ),
            ReminderKind::MoveBreak => interval_due(
                tz,
                hours,
                self.move_since,
                s.move_break.interval.max(MIN_INTERVAL),
                None,
                now,
            ),
            ReminderKind::Routine => Some(self.routine_due(s, tz, now)),
        }
    }

    /// When the routine is next offered: at its local time on the later of
    /// the first day, `every_days` after the last completed one, the day
    /// after the last declined one, and today.
    fn routine_due<Tz: TimeZone>(
        &self,
        s: &Settings,
        tz: &Tz,
        now: DateTime<Utc>,
    ) -> DateTime<Utc> {
        let at = s.routine.at;
        let mut day = local_date(tz, self.created);
        if local_instant(tz, day, at) < self.created {
            day = day.succ_opt().unwrap_or(day);
        }
        let every = chrono::Days::new(u64::from(s.routine.every_days.max(1)));
        if let Some(done) = self.routine_completed {
            day = day.max(done.checked_add_days(every).unwrap_or(NaiveDate::MAX));
        }
        if let Some(declined) = self.routine_declined {
            day = day.max(declined.succ_opt().unwrap_or(declined));
        }
        day = day.max(local_date(tz, now));
        local_instant(tz, day, at)
    }

    /// Restarts the timer of `kind` after it closed with `outcome` at `at`.
    /// A break taken or a routine completed also starts the quiet time
    /// before the next posture check.
    fn restart_after<Tz: TimeZone>(
        &mut self,
        tz: &Tz,
        kind: ReminderKind,
        outcome: Outcome,
        at: DateTime<Utc>,
    ) {
        // Timers only move forward: a reminder that lapsed during a suspend
        // must not pull back a timer the wake-up already restarted.
        let took_break = |me: &mut Self| {
            me.move_since = me.move_since.max(at);
            me.last_break = me.last_break.max(Some(at));
        };
        match kind {
            ReminderKind::PostureCheck => self.posture_since = self.posture_since.max(at),
            ReminderKind::MoveBreak if outcome.is_done() => took_break(self),
            ReminderKind::MoveBreak => self.move_since = self.move_since.max(at),
            ReminderKind::Routine => {
                let day = local_date(tz, at);
                if outcome.is_done() {
                    self.routine_completed = self.routine_completed.max(Some(day));
                    took_break(self);
                } else {
                    self.routine_declined = self.routine_declined.max(Some(day));
                }
            }
        }
    }
}
