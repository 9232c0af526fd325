//! The daemon's decisions as one pure step: every input (a request from the
//! control channel, a tray command, a notification action or close, the
//! outcome of showing a reminder, time passing with its idle and busy
//! readings, a sleep or resume, a stop) goes through [`step`] with the
//! time it happened, which updates [`DaemonState`] and returns the reply
//! and the [`Effect`]s to carry out. No I/O happens here: the service loop
//! (`daemon::service`) reads the clock and the desktop, and runs the
//! effects against the platform and the store.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Local, TimeZone, Utc};

use crate::core::busy::BusyReason;
use crate::core::catalog::{Catalog, Routine};
use crate::core::model::{Answer, Entry, Outcome, ReminderKind};
use crate::core::prompts::PromptRotation;
use crate::core::reminder_notice::{
    Notice, NoticeAction, TEST_BODY, TEST_TITLE, notice_for, reminder_text,
};
use crate::core::schedule::{Pending, Schedule, ScheduleEvent};
use crate::core::settings::Settings;
use crate::core::view::View;
use crate::ipc::{Pause, Request, Response, StatusReport, TodayCounts};
use crate::platform::notifications::NotificationEvent;
use crate::platform::tray::TrayCommand;
use crate::store::validate_entry;

/// Everything the daemon decides with, kept between steps.
#[derive(Debug, Clone)]
pub struct DaemonState {
    /// The settings in force.
    pub settings: Settings,
    /// A problem with the settings file, shown until valid settings replace it.
    pub settings_warning: Option<String>,
    /// The reminder engine.
    pub schedule: Schedule,
    /// Which posture prompt and break suggestion come next.
    pub rotation: PromptRotation,
    /// Notification id shown for each kind, so a re-sent reminder replaces
    /// it and an action on it finds its reminder (kept across restarts).
    pub shown: BTreeMap<ReminderKind, u32>,
    /// The activation token of the notification last clicked, passed on to
    /// the window it opens.
    pub activation: Option<String>,
    /// The test reminder on screen, by notification id.
    pub test_notice: Option<u32>,
    /// The answer to the last test reminder; never logged.
    pub test_answer: Option<Answer>,
}

/// One thing that happened, for [`step`].
#[derive(Debug, Clone, PartialEq)]
// One input exists at a time and is moved once: boxing the request (which
// may carry all the settings) would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Input {
    /// Time passed (the timer fired) or the loop woke for another reason:
    /// the engine catches up with `now`. `idle` is the user's idle time;
    /// `busy` is a fresh reading of the busy signals when
    /// [`DaemonState::wants_busy_check`] asked for one, else `None`.
    Wake {
        /// How long the user has been idle.
        idle: Duration,
        /// `Some(reading)` when the busy signals were read for this wake.
        busy: Option<Option<BusyReason>>,
    },
    /// A request from the control channel.
    Request(Request),
    /// A command from the tray menu.
    Tray(TrayCommand),
    /// An action on, or the closing of, one of our notifications.
    Notification(NotificationEvent),
    /// A reminder asked for by [`Effect::Show`] is on screen as `id`.
    Shown {
        /// Which reminder.
        kind: ReminderKind,
        /// Its notification id.
        id: u32,
    },
    /// The test reminder asked for by [`Effect::ShowTest`] is on screen as
    /// `id`.
    TestShown {
        /// Its notification id.
        id: u32,
    },
    /// A reminder asked for by [`Effect::Show`] could not be shown as a
    /// notification.
    ShowFailed {
        /// Which reminder.
        kind: ReminderKind,
    },
    /// The system is going to sleep (`true`) or woke up (`false`).
    Sleep(bool),
    /// The system asked the service to stop (a signal, a logoff).
    Stop,
}

/// Something to do in the world after a step. Effects that write (the log,
/// the settings file, the login entry) come before the others, in order, so
/// a reply can wait for them.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Add an entry to the log.
    Log(Entry),
    /// Log that reminders were paused at `at`, until `until` (`None`: until
    /// resumed).
    LogPause {
        /// When the pause began.
        at: DateTime<Utc>,
        /// When it ends by itself.
        until: Option<DateTime<Utc>>,
    },
    /// Log that reminders were resumed at `at`.
    LogResume {
        /// When.
        at: DateTime<Utc>,
    },
    /// Write these settings to the settings file (they are valid).
    WriteSettings(Box<Settings>),
    /// Add (`true`) or remove the login entry that starts the daemon.
    SetAutostart(bool),
    /// Show this reminder as a notification (built with
    /// [`DaemonState::notice`]), then report back with [`Input::Shown`] or
    /// [`Input::ShowFailed`].
    Show(Pending),
    /// Show the test reminder (see [`Request::TestReminder`]) before the
    /// reply, then report back with [`Input::TestShown`]; the reply says so
    /// when it could not be shown.
    ShowTest(Box<Notice>),
    /// Take notification `id` off the screen.
    CloseNotification(u32),
    /// Open the small reminder window for `kind` (no notification service).
    OpenPrompt(ReminderKind),
    /// Close the reminder window for `kind`, if one is open.
    ClosePrompt(ReminderKind),
    /// Open the main window on `view`, passing the activation token along.
    OpenWindow {
        /// The view to show first; `None` for the default.
        view: Option<View>,
        /// The token from the notification clicked, so the window may take
        /// focus.
        activation: Option<String>,
    },
    /// Stop the service (after the reply is sent).
    Quit,
}

impl Effect {
    /// Whether the reply to a request depends on the effect (a write, or
    /// the test reminder shown), so it runs before the reply is sent.
    pub fn before_reply(&self) -> bool {
        matches!(
            self,
            Effect::Log(_)
                | Effect::LogPause { .. }
                | Effect::LogResume { .. }
                | Effect::WriteSettings(_)
                | Effect::SetAutostart(_)
                | Effect::ShowTest(_)
        )
    }
}

/// What one step decided.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    /// The reply to a request; `None` for other inputs.
    pub reply: Option<Response>,
    /// What to do, writes first.
    pub effects: Vec<Effect>,
}

impl DaemonState {
    /// A fresh state at `now`, or the saved engine, rotation and shown
    /// notifications where they could be restored.
    pub fn new(
        settings: Settings,
        settings_warning: Option<String>,
        schedule: Option<Schedule>,
        rotation: Option<PromptRotation>,
        shown: Option<BTreeMap<ReminderKind, u32>>,
        now: DateTime<Utc>,
    ) -> DaemonState {
        DaemonState {
            settings,
            settings_warning,
            schedule: schedule.unwrap_or_else(|| Schedule::new(now)),
            rotation: rotation.unwrap_or_default(),
            shown: shown.unwrap_or_default(),
            activation: None,
            test_notice: None,
            test_answer: None,
        }
    }

    /// Whether the next wake should read the busy signals: only when a
    /// reminder is about to come out or is being held.
    pub fn wants_busy_check(&self, now: &DateTime<Local>) -> bool {
        self.schedule.wants_busy_check(&self.settings, now)
    }

    /// How long the loop may sleep before `now` needs another look: until
    /// the engine's next deadline or the next idle check.
    pub fn next_wake(&self, now: &DateTime<Local>) -> (Option<DateTime<Utc>>, Option<Duration>) {
        (
            self.schedule.next_deadline(&self.settings, now),
            self.schedule.idle_check_interval(&self.settings),
        )
    }

    /// The notification for a reminder that fell due: its prompt (rotating
    /// through the catalogue's, or the routine the settings offer among
    /// `user_routines` and the built-in ones), buttons and sound.
    pub fn notice(
        &mut self,
        pending: &Pending,
        user_routines: Vec<Routine>,
        now: DateTime<Utc>,
    ) -> Notice {
        let kind = pending.kind;
        let catalog = Catalog::with_user_routines(user_routines);
        let (title, mut body) = reminder_text(
            kind,
            &mut self.rotation,
            now.timestamp().unsigned_abs(),
            &catalog,
            &self.settings,
        );
        let mut sound = self.settings.notifications.sound;
        if let Some(held) = &pending.held {
            if let Some(line) = held.long_spell_line(kind, self.settings.move_break.interval) {
                body = format!("{line} {body}");
            }
            // Shown at the limit while the user is still busy: no sound.
            sound &= !held.quiet;
        }
        let mut notice = notice_for(
            pending,
            &title,
            &body,
            self.settings.reminders.snooze,
            sound,
        );
        notice.replaces = self.shown.get(&kind).copied();
        notice
    }

    /// The engine's part of the status: next reminders, pending ones, the
    /// pause and what holds reminders back. The service adds today's
    /// figures from the log and what the desktop lacks.
    pub fn report(&self, now: &DateTime<Local>) -> StatusReport {
        let at = now.with_timezone(&Utc);
        let next = ReminderKind::ALL
            .into_iter()
            .map(|kind| (kind, self.schedule.next_due(&self.settings, kind, now)))
            .collect();
        let mut pending = self.schedule.pending().to_vec();
        pending.sort_by_key(|p| p.due_at);
        let paused_until = self.schedule.paused_until();
        StatusReport {
            at,
            revision: 0,
            pause: Pause::from_until(paused_until),
            next,
            pending,
            today: TodayCounts {
                date: now.date_naive(),
                ..TodayCounts::default()
            },
            degraded: Vec::new(),
            settings_warning: self.settings_warning.clone(),
            idle_source: String::new(),
            holding: self.schedule.holding().cloned(),
            test_answer: self.test_answer,
        }
    }

    fn oldest_pending(&self) -> Option<ReminderKind> {
        self.schedule
            .pending()
            .iter()
            .min_by_key(|p| p.due_at)
            .map(|p| p.kind)
    }

    fn kind_shown_as(&self, id: u32) -> Option<ReminderKind> {
        self.shown
            .iter()
            .find(|(_, shown)| **shown == id)
            .map(|(kind, _)| *kind)
    }

    fn open_window(&mut self, view: Option<View>) -> Effect {
        Effect::OpenWindow {
            view,
            activation: self.activation.take(),
        }
    }
}

/// The answer that closes a pending reminder the way `outcome` says, for an
/// entry recorded from the window.
pub fn answer_for(outcome: Outcome) -> Option<Answer> {
    match outcome {
        Outcome::AllGood => Some(Answer::AllGood),
        Outcome::Fixed => Some(Answer::FixedIt),
        Outcome::Taken | Outcome::Natural | Outcome::Completed | Outcome::Partial => {
            Some(Answer::Done)
        }
        Outcome::Snoozed => Some(Answer::Snooze),
        Outcome::Skipped => Some(Answer::Skip),
        Outcome::Missed => None,
    }
}

/// The local UTC offset, in seconds, in force at `at`.
pub fn offset_at(at: DateTime<Utc>) -> i32 {
    Local
        .from_utc_datetime(&at.naive_utc())
        .offset()
        .local_minus_utc()
}

/// Decides what `input`, happening at `now`, does to `state`.
pub fn step(state: &mut DaemonState, input: Input, now: DateTime<Local>) -> Decision {
    let mut decision = Decision::default();
    match input {
        Input::Wake { idle, busy } => {
            if let Some(busy) = busy {
                if busy.as_ref() != state.schedule.holding() {
                    tracing::info!(?busy, "busy signals changed");
                }
                state.schedule.set_busy(busy, now.to_utc());
            }
            let events = state.schedule.advance(&state.settings, &now, idle);
            carry_out(state, events, None, now, &mut decision.effects);
        }
        Input::Request(request) => {
            let reply = handle_request(state, request, now, &mut decision.effects);
            decision.reply = Some(reply);
        }
        Input::Tray(command) => {
            let events = match command {
                TrayCommand::Open => {
                    decision.effects.push(state.open_window(None));
                    Vec::new()
                }
                TrayCommand::Trigger(kind) => state.schedule.trigger(&state.settings, kind, &now),
                TrayCommand::Pause(length) => state.schedule.pause(length, &now),
                TrayCommand::Resume => state.schedule.resume(&state.settings, &now),
                TrayCommand::Quit => {
                    decision.effects.push(Effect::Quit);
                    Vec::new()
                }
            };
            carry_out(state, events, None, now, &mut decision.effects);
        }
        Input::Notification(event) => notification(state, event, now, &mut decision.effects),
        Input::Shown { kind, id } => {
            state.shown.insert(kind, id);
        }
        Input::TestShown { id } => {
            tracing::info!("test reminder shown");
            state.test_notice = Some(id);
        }
        Input::ShowFailed { kind } => {
            // Still waiting for an answer: the small window asks instead.
            if state.schedule.pending().iter().any(|p| p.kind == kind) {
                decision.effects.push(Effect::OpenPrompt(kind));
            }
        }
        Input::Sleep(going_to_sleep) => {
            // The wake that follows a resume advances the engine, whose rules
            // turn the time asleep into a natural break.
            if going_to_sleep {
                tracing::info!("the system is going to sleep");
            } else {
                tracing::info!("the system woke up");
            }
        }
        Input::Stop => decision.effects.push(Effect::Quit),
    }
    decision
}

/// Applies a request to the engine and returns the reply; writes come
/// first in `effects`.
fn handle_request(
    state: &mut DaemonState,
    request: Request,
    now: DateTime<Local>,
    effects: &mut Vec<Effect>,
) -> Response {
    let mut recorded = None;
    let events = match request {
        Request::Ping => Vec::new(),
        Request::TestReminder => {
            effects.push(Effect::ShowTest(Box::new(test_notice(state, now))));
            state.test_answer = None;
            Vec::new()
        }
        // The service steps a wake first, so the report is current. A watch
        // is held by the shell (daemon::status_watch); should one reach the
        // step, it is answered at once like a plain status.
        Request::Status | Request::WatchStatus { .. } => {
            return Response::Status(state.report(&now));
        }
        Request::Quit => {
            effects.push(Effect::Quit);
            Vec::new()
        }
        Request::Pause { length } => state.schedule.pause(length, &now),
        Request::Resume => state.schedule.resume(&state.settings, &now),
        Request::Trigger { kind } => state.schedule.trigger(&state.settings, kind, &now),
        Request::Answer { kind, answer } => {
            let Some(kind) = kind.or_else(|| state.oldest_pending()) else {
                return Response::error("nothing is waiting for an answer");
            };
            match state.schedule.answer(&state.settings, kind, answer, &now) {
                Ok(events) => events,
                Err(err) => return Response::error(err.to_string()),
            }
        }
        Request::Start { kind } => match state.schedule.start(kind, now.to_utc()) {
            Ok(()) => Vec::new(),
            Err(err) => return Response::error(err.to_string()),
        },
        Request::Record { mut entry } => {
            entry.id = None;
            // Refused before it answers a reminder: once the reply says Ok,
            // the entry must be one the log will take.
            if let Err(why) = validate_entry(&entry) {
                return Response::error(format!("entry not logged: {why}"));
            }
            let pending = state
                .schedule
                .pending()
                .iter()
                .any(|p| p.kind == entry.kind);
            let events = if entry.kind == ReminderKind::Routine && entry.outcome.is_done() {
                // A session counts for the routine schedule even when no
                // reminder asked for it.
                state.schedule.routine_done(&now)
            } else {
                match answer_for(entry.outcome).filter(|_| pending) {
                    Some(answer) => state
                        .schedule
                        .answer(&state.settings, entry.kind, answer, &now)
                        .unwrap_or_else(|err| {
                            tracing::info!("the recorded entry does not close its reminder: {err}");
                            Vec::new()
                        }),
                    None => Vec::new(),
                }
            };
            recorded = Some(entry);
            events
        }
        Request::ApplySettings { settings } => {
            return apply_settings(state, settings, effects);
        }
        Request::Open { view } => {
            effects.push(state.open_window(view));
            Vec::new()
        }
    };
    carry_out(state, events, recorded, now, effects);
    Response::Ok
}

/// The test reminder: a posture check's buttons, no snooze, no schedule or
/// log behind it; it replaces the previous test reminder on screen.
fn test_notice(state: &DaemonState, now: DateTime<Local>) -> Notice {
    let now = now.to_utc();
    let pending = Pending {
        kind: ReminderKind::PostureCheck,
        due_at: now,
        shown_at: now,
        snoozes: 0,
        can_snooze: false,
        started_at: None,
        held: None,
    };
    let mut notice = notice_for(
        &pending,
        TEST_TITLE,
        TEST_BODY,
        state.settings.reminders.snooze,
        state.settings.notifications.sound,
    );
    notice.replaces = state.test_notice;
    notice
}

/// Takes valid settings into use: written to the file, the login entry
/// changed when asked, the engine running on them from now on.
fn apply_settings(
    state: &mut DaemonState,
    settings: Settings,
    effects: &mut Vec<Effect>,
) -> Response {
    if let Err(problems) = settings.validate() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Response::error(format!("settings refused: {}", list.join("; ")));
    }
    let autostart_changed = settings.startup.autostart != state.settings.startup.autostart;
    effects.push(Effect::WriteSettings(Box::new(settings.clone())));
    if autostart_changed {
        effects.push(Effect::SetAutostart(settings.startup.autostart));
    }
    state.settings = settings;
    // Valid settings are being written: an old warning about the file no
    // longer holds.
    state.settings_warning = None;
    tracing::info!("settings applied");
    Response::Ok
}

/// An action on, or the closing of, a notification.
fn notification(
    state: &mut DaemonState,
    event: NotificationEvent,
    now: DateTime<Local>,
    effects: &mut Vec<Effect>,
) {
    match event {
        NotificationEvent::ActionInvoked { id, action } if Some(id) == state.test_notice => {
            tracing::info!(action = action.key(), "test reminder answered");
            match action {
                NoticeAction::Answer(answer) => {
                    state.test_answer = Some(answer);
                    state.test_notice = None;
                    effects.push(Effect::CloseNotification(id));
                }
                NoticeAction::Start | NoticeAction::Open => effects.push(state.open_window(None)),
            }
        }
        NotificationEvent::ActionInvoked { id, action } => {
            let Some(kind) = state.kind_shown_as(id) else {
                tracing::debug!("action on notification {id}, which is not ours");
                return;
            };
            tracing::info!(
                kind = kind.as_str(),
                action = action.key(),
                "notification action"
            );
            match action {
                NoticeAction::Answer(answer) => {
                    match state.schedule.answer(&state.settings, kind, answer, &now) {
                        Ok(events) => carry_out(state, events, None, now, effects),
                        Err(err) => tracing::info!("{err}"),
                    }
                }
                NoticeAction::Start => {
                    if let Err(err) = state.schedule.start(kind, now.to_utc()) {
                        tracing::info!("{err}");
                    }
                    effects.push(state.open_window(Some(View::for_reminder(kind))));
                }
                NoticeAction::Open => {
                    effects.push(state.open_window(Some(View::for_reminder(kind))))
                }
            }
        }
        NotificationEvent::Closed { id, reason } => {
            if let Some(kind) = state.kind_shown_as(id) {
                tracing::debug!(kind = kind.as_str(), ?reason, "notification closed");
                state.shown.remove(&kind);
            }
        }
        NotificationEvent::ActivationToken { id, token } => {
            if state.kind_shown_as(id).is_some() {
                state.activation = Some(token);
            }
        }
    }
}

/// Turns the engine's events into effects: what goes in the log first
/// (answers, pauses, and `recorded`, the entry from the window that takes
/// the place of the plain entry for its kind's resolution), then what
/// changes on screen.
fn carry_out(
    state: &mut DaemonState,
    events: Vec<ScheduleEvent>,
    mut recorded: Option<Entry>,
    now: DateTime<Local>,
    effects: &mut Vec<Effect>,
) {
    for event in &events {
        match *event {
            ScheduleEvent::Resolved {
                kind,
                outcome,
                due_at,
                at,
                duration_s,
                held_s,
            } => {
                let mut entry = match recorded.take_if(|e| e.kind == kind) {
                    Some(mut entry) => {
                        entry.due_at = entry.due_at.or(due_at);
                        entry
                    }
                    None => {
                        let mut entry = Entry::new(kind, outcome, at, offset_at(at));
                        entry.due_at = due_at;
                        entry.duration_s = duration_s;
                        entry
                    }
                };
                entry.held_s = held_s;
                effects.push(Effect::Log(entry));
            }
            ScheduleEvent::Paused { until } => {
                tracing::info!(?until, "reminders paused");
                effects.push(Effect::LogPause {
                    at: now.to_utc(),
                    until,
                });
            }
            ScheduleEvent::Resumed => {
                tracing::info!("reminders resumed");
                effects.push(Effect::LogResume { at: now.to_utc() });
            }
            ScheduleEvent::Due(_) | ScheduleEvent::Withdrawn { .. } => {}
        }
    }
    if let Some(entry) = recorded {
        effects.push(Effect::Log(entry));
    }
    for event in events {
        match event {
            ScheduleEvent::Due(pending) => {
                tracing::info!(kind = pending.kind.as_str(), "reminder due");
                effects.push(Effect::Show(pending));
            }
            ScheduleEvent::Resolved { kind, .. } | ScheduleEvent::Withdrawn { kind, .. } => {
                if let Some(id) = state.shown.remove(&kind) {
                    effects.push(Effect::CloseNotification(id));
                }
                effects.push(Effect::ClosePrompt(kind));
            }
            ScheduleEvent::Paused { .. } | ScheduleEvent::Resumed => {}
        }
    }
}
