//! The service loop: one task on a current-thread runtime that sleeps until
//! the engine's next deadline (or the next idle check), a request, a
//! notification action, a tray command, a sleep signal or a termination
//! signal, then advances the engine and acts on what it says.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Local, TimeZone, Utc};
use tokio::sync::mpsc;

use crate::core::catalog::Catalog;
use crate::core::model::{Answer, Entry, Outcome, ReminderKind};
use crate::core::prompts::PromptRotation;
use crate::core::schedule::{Pending, Schedule, ScheduleEvent};
use crate::core::settings::Settings;
use crate::daemon::describe;
use crate::daemon::launch::{self, Windows};
use crate::daemon::platform_link::{Platform, TrayCommands};
use crate::ipc::server::Incoming;
use crate::ipc::{Request, Response, StatusReport, TodayCounts};
use crate::platform::notifications::{
    NoticeAction, NotificationEvent, NotificationEvents, notice_for,
};
use crate::platform::resident;
use crate::platform::service_signals::{ServiceSignal, ServiceSignals};
use crate::platform::sleep::{SleepEvent, SleepSignals};
use crate::platform::tray::TrayCommand;
use crate::platform::wake_timer::WakeTimer;
use crate::store::{Store, StoreError, validate_entry};

/// The test reminder's title and body (see [`Request::TestReminder`]).
const TEST_TITLE: &str = "Rebalance: a test reminder";
const TEST_BODY: &str = "This is how reminders look. Answer with a button: the window shows the answer arrived. Test answers are not logged.";

/// State keys in the store.
const SCHEDULE_KEY: &str = "schedule";
const PROMPTS_KEY: &str = "prompts";
const NOTIFICATIONS_KEY: &str = "notifications";

/// The shortest the loop sleeps, so a deadline the engine keeps in the past
/// can never turn into a busy loop.
pub const MIN_SLEEP: Duration = Duration::from_secs(1);

/// How often the engine's clock bookkeeping alone (its last-seen time, an
/// idle spell in progress) is written to the store. Anything the user would
/// notice (a reminder shown or resolved, an answer, a pause) is written at
/// once; this only bounds what a crash can lose, without an fsync at every
/// idle check.
pub const BOOKKEEPING_SAVE: Duration = Duration::from_secs(60);

/// How long to sleep before the next wake: until the engine's deadline or the
/// next idle check, whichever comes first, within [`MIN_SLEEP`, `longest`].
pub fn wake_delay(
    now: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
    idle_check: Option<Duration>,
    longest: Duration,
) -> Duration {
    let mut delay = longest;
    if let Some(deadline) = deadline {
        // A few ms late means the engine sees the deadline as reached.
        let until = (deadline - now).to_std().unwrap_or(Duration::ZERO) + Duration::from_millis(5);
        delay = delay.min(until);
    }
    if let Some(interval) = idle_check {
        delay = delay.min(interval);
    }
    delay.max(MIN_SLEEP)
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
fn offset_at(at: DateTime<Utc>) -> i32 {
    Local
        .from_utc_datetime(&at.naive_utc())
        .offset()
        .local_minus_utc()
}

/// Whether the loop goes on after handling something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// A request's reply and the effects to carry out after sending it.
struct Handled {
    reply: Response,
    events: Vec<ScheduleEvent>,
    /// An entry from the window to log (see [`Request::Record`]).
    recorded: Option<Entry>,
    /// A window to open, on this view.
    open: Option<Option<String>>,
}

impl Handled {
    fn reply(reply: Response) -> Self {
        Handled {
            reply,
            events: Vec::new(),
            recorded: None,
            open: None,
        }
    }

    fn refused(message: impl Into<String>) -> Self {
        Self::reply(Response::error(message))
    }
}

/// Everything the running daemon holds.
pub struct Service {
    settings: Settings,
    settings_warning: Option<String>,
    store: Store,
    schedule: Schedule,
    rotation: PromptRotation,
    /// Notification id shown for each kind, so a re-sent reminder replaces
    /// it and an action on it finds its reminder (kept across restarts).
    shown: BTreeMap<ReminderKind, u32>,
    /// What was last written for each state key, to write only changes.
    saved: BTreeMap<&'static str, String>,
    /// When the schedule was last written.
    schedule_saved_at: Option<Instant>,
    platform: Platform,
    windows: Windows,
    /// The activation token of the notification last clicked, passed on to
    /// the window it opens.
    activation: Option<String>,
    /// The test reminder on screen, by notification id.
    test_notice: Option<u32>,
    /// The answer to the last test reminder; never logged.
    test_answer: Option<Answer>,
}

impl Service {
    /// Builds the service from loaded parts, restoring the saved engine
    /// state (or starting fresh when there is none or it is unreadable).
    pub fn new(
        settings: Settings,
        settings_warning: Option<String>,
        store: Store,
        platform: Platform,
    ) -> Service {
        let now = Utc::now();
        let schedule = restore(&store, SCHEDULE_KEY).unwrap_or_else(|| Schedule::new(now));
        let rotation = restore(&store, PROMPTS_KEY).unwrap_or_default();
        let shown = restore(&store, NOTIFICATIONS_KEY).unwrap_or_default();
        if let Some(warning) = &settings_warning {
            tracing::warn!("settings: {warning}");
        }
        Service {
            settings,
            settings_warning,
            store,
            schedule,
            rotation,
            shown,
            saved: BTreeMap::new(),
            schedule_saved_at: None,
            platform,
            windows: Windows::default(),
            activation: None,
            test_notice: None,
            test_answer: None,
        }
    }

    /// Runs until asked to quit or terminated by a signal, then withdraws
    /// its notifications and saves its state.
    pub async fn run(
        mut self,
        mut requests: mpsc::Receiver<Incoming>,
        mut notifications: Option<NotificationEvents>,
        mut tray: Option<TrayCommands>,
        mut sleep: Option<SleepSignals>,
    ) -> anyhow::Result<()> {
        let mut signals = ServiceSignals::listen()?;
        tracing::info!("Rebalance daemon running");
        let mut timer = WakeTimer::on_wall_clock();
        self.wake(true).await;
        resident::release_startup_code();
        loop {
            let now = Local::now();
            let delay = wake_delay(
                now.with_timezone(&Utc),
                self.schedule.next_deadline(&self.settings, &now),
                self.schedule.idle_check_interval(&self.settings),
                timer.longest_sleep(),
            );
            let wake_at = now.with_timezone(&Utc) + delay;
            let mut timed_out = false;
            let flow = tokio::select! {
                _ = timer.sleep_until(wake_at) => {
                    timed_out = true;
                    Flow::Continue
                }
                incoming = requests.recv() => match incoming {
                    Some(incoming) => self.handle_incoming(incoming).await,
                    None => Flow::Quit,
                },
                event = next_notification(&mut notifications) => {
                    match event {
                        Some(event) => self.handle_notification(event).await,
                        None => {
                            tracing::warn!("the session bus connection closed; notifications stop");
                            notifications = None;
                            self.platform.set_degraded("notifications", "the session bus connection closed; reminders open a small window instead");
                        }
                    }
                    Flow::Continue
                }
                command = next_tray(&mut tray) => match command {
                    Some(command) => self.handle_tray(command).await,
                    None => {
                        tray = None;
                        Flow::Continue
                    }
                },
                event = next_sleep(&mut sleep) => {
                    match event {
                        Some(going_to_sleep) => self.handle_sleep(going_to_sleep),
                        None => sleep = None,
                    }
                    Flow::Continue
                }
                signal = signals.recv() => match signal {
                    ServiceSignal::Terminate => {
                        tracing::info!("terminated");
                        Flow::Quit
                    }
                    ServiceSignal::Interrupt => {
                        tracing::info!("interrupted");
                        Flow::Quit
                    }
                    // A hangup must not end the service: it is not tied to a
                    // terminal.
                    ServiceSignal::Hangup => Flow::Continue,
                },
            };
            if flow == Flow::Quit {
                break;
            }
            // Anything but the timer came from the user or the desktop:
            // its effects are saved at once.
            self.wake(!timed_out).await;
        }
        self.shutdown().await;
        Ok(())
    }

    /// Samples idle time, advances the engine to now and acts on its events.
    /// `eager`: something happened besides time passing, so every change is
    /// saved now.
    async fn wake(&mut self, eager: bool) {
        self.windows.reap();
        let idle = self.platform.idle_time().await;
        let now = Local::now();
        if self.schedule.wants_busy_check(&self.settings, &now) {
            // Read only when a reminder is about to come out or is held.
            let busy = self.platform.busy_reason(&self.settings.hold).await;
            if busy.as_ref() != self.schedule.holding() {
                tracing::info!(?busy, "busy signals changed");
            }
            self.schedule.set_busy(busy, now.to_utc());
        }
        let events = self.schedule.advance(&self.settings, &now, idle);
        let eager = eager || !events.is_empty();
        self.act(events, None).await;
        self.refresh(eager).await;
    }

    /// Saves what changed and updates the tray.
    async fn refresh(&mut self, eager: bool) {
        let bookkeeping_due = self
            .schedule_saved_at
            .is_none_or(|at| at.elapsed() >= BOOKKEEPING_SAVE);
        // Bookkeeping alone need not wait for the disk.
        if (eager || bookkeeping_due)
            && self.save_as(SCHEDULE_KEY, serde_json::to_string(&self.schedule), eager)
        {
            self.schedule_saved_at = Some(Instant::now());
        }
        self.save(PROMPTS_KEY, serde_json::to_string(&self.rotation));
        self.save(NOTIFICATIONS_KEY, serde_json::to_string(&self.shown));
        let report = self.report(false);
        self.platform
            .update_tray(describe::tooltip(&report), report.paused)
            .await;
    }

    /// Writes `json` under `key` if it changed; true when it is stored.
    fn save(&mut self, key: &'static str, json: serde_json::Result<String>) -> bool {
        self.save_as(key, json, true)
    }

    /// [`Service::save`]; `durable`: the commit waits for the disk.
    fn save_as(
        &mut self,
        key: &'static str,
        json: serde_json::Result<String>,
        durable: bool,
    ) -> bool {
        let json = match json {
            Ok(json) => json,
            Err(err) => {
                tracing::error!("cannot encode the {key} state: {err}");
                return false;
            }
        };
        if self.saved.get(key) == Some(&json) {
            return true;
        }
        let stored = if durable {
            self.store.save_state(key, &json)
        } else {
            self.store.save_state_unsynced(key, &json)
        };
        match stored {
            Ok(()) => {
                self.saved.insert(key, json);
                true
            }
            Err(err) => {
                tracing::error!("cannot save the {key} state: {err}");
                false
            }
        }
    }

    /// Acts on the engine's events. `recorded` is an entry from the window
    /// that takes the place of the plain entry for its kind's resolution.
    async fn act(&mut self, events: Vec<ScheduleEvent>, recorded: Option<Entry>) {
        // Failures are logged inside; nobody waits for a reply here.
        let _ = self.record(&events, recorded);
        self.display(events).await;
    }

    /// Writes what the events put in the log (answers, pauses) and the entry
    /// from the window. Every write is tried; the first failure is returned.
    fn record(
        &mut self,
        events: &[ScheduleEvent],
        mut recorded: Option<Entry>,
    ) -> Result<(), StoreError> {
        let mut written = Ok(());
        for event in events {
            let result = match *event {
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
                    self.log(&entry)
                }
                ScheduleEvent::Paused { until } => {
                    let now = Utc::now();
                    tracing::info!(?until, "reminders paused");
                    self.store
                        .record_pause(now, until, offset_at(now))
                        .inspect_err(|err| tracing::error!("cannot log the pause: {err}"))
                }
                ScheduleEvent::Resumed => {
                    tracing::info!("reminders resumed");
                    self.store
                        .record_resume(Utc::now())
                        .inspect_err(|err| tracing::error!("cannot log the resume: {err}"))
                }
                ScheduleEvent::Due(_) | ScheduleEvent::Withdrawn { .. } => Ok(()),
            };
            written = written.and(result);
        }
        if let Some(entry) = recorded {
            written = written.and(self.log(&entry));
        }
        written
    }

    /// Shows the reminders that fell due and takes resolved or withdrawn
    /// ones off the screen.
    async fn display(&mut self, events: Vec<ScheduleEvent>) {
        for event in events {
            match event {
                ScheduleEvent::Due(pending) => self.show(&pending).await,
                ScheduleEvent::Resolved { kind, .. } | ScheduleEvent::Withdrawn { kind, .. } => {
                    self.withdraw(kind).await;
                }
                ScheduleEvent::Paused { .. } | ScheduleEvent::Resumed => {}
            }
        }
    }

    fn log(&mut self, entry: &Entry) -> Result<(), StoreError> {
        tracing::info!(
            kind = entry.kind.as_str(),
            outcome = entry.outcome.as_str(),
            "logged"
        );
        self.store
            .add_entry(entry)
            .map(drop)
            .inspect_err(|err| tracing::error!("cannot write to the log: {err}"))
    }

    /// The title and body a reminder is shown with, rotating through the
    /// catalogue's prompts.
    fn prompt_text(&mut self, kind: ReminderKind) -> (String, String) {
        let seed = Utc::now().timestamp().unsigned_abs();
        match kind {
            ReminderKind::PostureCheck => {
                let prompt = self.rotation.next_posture(seed);
                (prompt.title.to_owned(), prompt.body.to_owned())
            }
            ReminderKind::MoveBreak => {
                let suggestion = self.rotation.next_break(seed);
                (suggestion.title.to_owned(), suggestion.body.to_owned())
            }
            ReminderKind::Routine => {
                let user = self.store.user_routines().unwrap_or_else(|err| {
                    tracing::warn!("cannot read your own routines: {err}");
                    Vec::new()
                });
                let catalog = Catalog::with_user_routines(user);
                let routine = catalog.reminder_routine(&self.settings.routine);
                let minutes = catalog.estimated_duration(routine).as_secs().div_ceil(60);
                (
                    "Time for your corrective routine".to_owned(),
                    format!("{}, about {minutes} min. {}", routine.name, routine.summary),
                )
            }
        }
    }

    /// Shows a due reminder as a notification, or in the reminder window
    /// when no notification server takes it.
    async fn show(&mut self, pending: &Pending) {
        let kind = pending.kind;
        tracing::info!(kind = kind.as_str(), "reminder due");
        let (title, mut body) = self.prompt_text(kind);
        let mut sound = self.settings.notifications.sound;
        if let Some(held) = &pending.held {
            tracing::info!(
                kind = kind.as_str(),
                waited_s = held.waited_s,
                "held back until now"
            );
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
        match self.platform.notify(&notice).await {
            Ok(id) => {
                self.shown.insert(kind, id);
            }
            Err(reason) => {
                tracing::warn!("{reason}; showing the reminder window instead");
                if let Err(err) = self.windows.open_prompt(kind) {
                    tracing::error!("cannot open the reminder window: {err}");
                }
            }
        }
    }

    /// Shows the test reminder (see [`Request::TestReminder`]): a posture
    /// check's buttons, no snooze, no schedule or log behind it.
    async fn show_test(&mut self) -> Response {
        let now = Utc::now();
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
            self.settings.reminders.snooze,
            self.settings.notifications.sound,
        );
        notice.replaces = self.test_notice;
        self.test_answer = None;
        match self.platform.notify(&notice).await {
            Ok(id) => {
                tracing::info!("test reminder shown");
                self.test_notice = Some(id);
                Response::Ok
            }
            Err(reason) => Response::error(format!(
                "no notification was shown ({reason}); reminders will come in a small Rebalance window instead"
            )),
        }
    }

    /// Takes a resolved reminder off the screen.
    async fn withdraw(&mut self, kind: ReminderKind) {
        if let Some(id) = self.shown.remove(&kind) {
            self.platform.close_notification(id).await;
        }
        self.windows.close_prompt(kind);
    }

    fn open_window(&mut self, view: Option<&str>) {
        let token = self.activation.take();
        if let Err(err) = self.windows.open_main(view, token) {
            tracing::error!("cannot open the window: {err}");
        }
    }

    async fn handle_incoming(&mut self, incoming: Incoming) -> Flow {
        let Incoming { request, reply } = incoming;
        let quit = request == Request::Quit;
        if request == Request::Status {
            // Bring the engine up to date so the report is current.
            self.wake(false).await;
            let _ = reply.send(Response::Status(self.report(true)));
            return Flow::Continue;
        }
        if request == Request::TestReminder {
            let _ = reply.send(self.show_test().await);
            return Flow::Continue;
        }
        let outcome = self.handle_request(request);
        // What the client is told was done is on disk before it is told: the
        // engine's state first (an answered reminder never comes back after a
        // crash), then the log. A log write that fails is reported instead.
        if self.save(SCHEDULE_KEY, serde_json::to_string(&self.schedule)) {
            self.schedule_saved_at = Some(Instant::now());
        }
        let reply_to_send = match self.record(&outcome.events, outcome.recorded) {
            Ok(()) => outcome.reply,
            Err(err) => Response::error(format!(
                "this was not saved, the log could not be written: {err}"
            )),
        };
        // Reply before showing or withdrawing notifications, so a slow
        // notification server never makes a client wait. The client may
        // have gone; nothing to do about that.
        let _ = reply.send(reply_to_send);
        self.display(outcome.events).await;
        if let Some(view) = outcome.open {
            self.open_window(view.as_deref());
        }
        if quit { Flow::Quit } else { Flow::Continue }
    }

    /// Applies a request to the engine; the effects are carried out by the
    /// caller after replying.
    fn handle_request(&mut self, request: Request) -> Handled {
        let now = Local::now();
        let events = match request {
            Request::Ping | Request::Status | Request::TestReminder | Request::Quit => Vec::new(),
            Request::Pause { length } => self.schedule.pause(length, &now),
            Request::Resume => self.schedule.resume(&self.settings, &now),
            Request::Trigger { kind } => self.schedule.trigger(&self.settings, kind, &now),
            Request::Answer { kind, answer } => {
                let Some(kind) = kind.or_else(|| self.oldest_pending()) else {
                    return Handled::refused("nothing is waiting for an answer");
                };
                match self.schedule.answer(&self.settings, kind, answer, &now) {
                    Ok(events) => events,
                    Err(err) => return Handled::refused(err.to_string()),
                }
            }
            Request::Start { kind } => match self.schedule.start(kind, now.with_timezone(&Utc)) {
                Ok(()) => Vec::new(),
                Err(err) => return Handled::refused(err.to_string()),
            },
            Request::Record { mut entry } => {
                entry.id = None;
                // Refused before it answers a reminder: once the reply says
                // Ok, the entry must be one the log will take.
                if let Err(why) = validate_entry(&entry) {
                    return Handled::refused(format!("entry not logged: {why}"));
                }
                let pending = self.schedule.pending().iter().any(|p| p.kind == entry.kind);
                let events = if entry.kind == ReminderKind::Routine && entry.outcome.is_done() {
                    // A session counts for the routine schedule even when no
                    // reminder asked for it.
                    self.schedule.routine_done(&now)
                } else {
                    match answer_for(entry.outcome).filter(|_| pending) {
                        Some(answer) => self
                            .schedule
                            .answer(&self.settings, entry.kind, answer, &now)
                            .unwrap_or_else(|err| {
                                tracing::info!(
                                    "the recorded entry does not close its reminder: {err}"
                                );
                                Vec::new()
                            }),
                        None => Vec::new(),
                    }
                };
                return Handled {
                    reply: Response::Ok,
                    events,
                    recorded: Some(entry),
                    open: None,
                };
            }
            Request::ApplySettings { settings } => {
                return Handled::reply(self.apply_settings(settings));
            }
            Request::Open { view } => {
                return Handled {
                    reply: Response::Ok,
                    events: Vec::new(),
                    recorded: None,
                    open: Some(view),
                };
            }
        };
        Handled {
            reply: Response::Ok,
            events,
            recorded: None,
            open: None,
        }
    }

    fn apply_settings(&mut self, settings: Settings) -> Response {
        if let Err(problems) = settings.validate() {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Response::error(format!("settings refused: {}", list.join("; ")));
        }
        let autostart_changed = settings.startup.autostart != self.settings.startup.autostart;
        self.settings = settings;
        // The file was just written from valid settings: an old warning about
        // it no longer holds.
        self.settings_warning = None;
        tracing::info!("settings applied");
        if autostart_changed
            && let Err(err) = self.platform.set_autostart(self.settings.startup.autostart)
        {
            return Response::error(format!(
                "settings applied, but the login entry could not be changed: {err}"
            ));
        }
        Response::Ok
    }

    fn oldest_pending(&self) -> Option<ReminderKind> {
        self.schedule
            .pending()
            .iter()
            .min_by_key(|p| p.due_at)
            .map(|p| p.kind)
    }

    async fn handle_notification(&mut self, event: NotificationEvent) {
        match event {
            NotificationEvent::ActionInvoked { id, action } if Some(id) == self.test_notice => {
                tracing::info!(action = action.key(), "test reminder answered");
                match action {
                    NoticeAction::Answer(answer) => {
                        self.test_answer = Some(answer);
                        self.test_notice = None;
                        self.platform.close_notification(id).await;
                    }
                    NoticeAction::Start | NoticeAction::Open => self.open_window(None),
                }
            }
            NotificationEvent::ActionInvoked { id, action } => {
                let Some(kind) = self.kind_shown_as(id) else {
                    tracing::debug!("action on notification {id}, which is not ours");
                    return;
                };
                let now = Local::now();
                tracing::info!(
                    kind = kind.as_str(),
                    action = action.key(),
                    "notification action"
                );
                match action {
                    NoticeAction::Answer(answer) => {
                        match self.schedule.answer(&self.settings, kind, answer, &now) {
                            Ok(events) => self.act(events, None).await,
                            Err(err) => tracing::info!("{err}"),
                        }
                    }
                    NoticeAction::Start => {
                        if let Err(err) = self.schedule.start(kind, now.with_timezone(&Utc)) {
                            tracing::info!("{err}");
                        }
                        self.open_window(Some(launch::view_for(kind)));
                    }
                    NoticeAction::Open => self.open_window(Some(launch::view_for(kind))),
                }
            }
            NotificationEvent::Closed { id, reason } => {
                if let Some(kind) = self.kind_shown_as(id) {
                    tracing::debug!(kind = kind.as_str(), ?reason, "notification closed");
                    self.shown.remove(&kind);
                }
            }
            NotificationEvent::ActivationToken { id, token } => {
                if self.kind_shown_as(id).is_some() {
                    self.activation = Some(token);
                }
            }
        }
    }

    fn kind_shown_as(&self, id: u32) -> Option<ReminderKind> {
        self.shown
            .iter()
            .find(|(_, shown)| **shown == id)
            .map(|(kind, _)| *kind)
    }

    async fn handle_tray(&mut self, command: TrayCommand) -> Flow {
        let now = Local::now();
        let events = match command {
            TrayCommand::Open => {
                self.open_window(None);
                Vec::new()
            }
            TrayCommand::Trigger(kind) => self.schedule.trigger(&self.settings, kind, &now),
            TrayCommand::Pause(length) => self.schedule.pause(length, &now),
            TrayCommand::Resume => self.schedule.resume(&self.settings, &now),
            TrayCommand::Quit => return Flow::Quit,
        };
        self.act(events, None).await;
        Flow::Continue
    }

    fn handle_sleep(&mut self, going_to_sleep: bool) {
        if going_to_sleep {
            tracing::info!("the system is going to sleep");
        } else {
            // The wake that follows this event advances the engine, whose
            // rules turn the time asleep into a natural break.
            tracing::info!("the system woke up");
        }
    }

    /// A snapshot of the state for clients; `with_today` adds today's
    /// counts from the log (the tray tooltip does without that query).
    fn report(&self, with_today: bool) -> StatusReport {
        let now = Local::now();
        let at = now.with_timezone(&Utc);
        let next = ReminderKind::ALL
            .into_iter()
            .map(|kind| (kind, self.schedule.next_due(&self.settings, kind, &now)))
            .collect();
        let mut pending = self.schedule.pending().to_vec();
        pending.sort_by_key(|p| p.due_at);
        let date = now.date_naive();
        let mut today = TodayCounts {
            date,
            ..TodayCounts::default()
        };
        match self
            .store
            .day_summary(date)
            .map(|s| Some(s).filter(|_| with_today))
        {
            Ok(None) => {}
            Ok(Some(summary)) => {
                for ((kind, outcome), count) in summary.counts {
                    today.counts.entry(kind).or_default().insert(outcome, count);
                }
                today.routine_minutes = summary.routine_minutes;
            }
            Err(err) => tracing::error!("cannot read today's log: {err}"),
        }
        let paused_until = self.schedule.paused_until();
        StatusReport {
            at,
            paused: paused_until.is_some(),
            paused_until,
            next,
            pending,
            today,
            degraded: self.platform.degraded(),
            settings_warning: self.settings_warning.clone(),
            idle_source: self.platform.idle_source().to_owned(),
            holding: self.schedule.holding().cloned(),
            test_answer: self.test_answer,
        }
    }

    async fn shutdown(&mut self) {
        tracing::info!("stopping");
        let shown: Vec<u32> = std::mem::take(&mut self.shown).into_values().collect();
        for id in shown {
            self.platform.close_notification(id).await;
        }
        self.windows.close_prompts();
        self.platform.shutdown().await;
        self.save(SCHEDULE_KEY, serde_json::to_string(&self.schedule));
        self.save(PROMPTS_KEY, serde_json::to_string(&self.rotation));
        self.save(NOTIFICATIONS_KEY, serde_json::to_string(&self.shown));
        // Let connection tasks write the reply to a quit request before the
        // runtime goes away.
        for _ in 0..8 {
            tokio::task::yield_now().await;
        }
    }
}

/// Reads a saved state value; `None` when absent or unreadable (logged).
fn restore<T: serde::de::DeserializeOwned>(store: &Store, key: &str) -> Option<T> {
    match store.load_state(key) {
        Ok(Some(json)) => match serde_json::from_str(&json) {
            Ok(value) => Some(value),
            Err(err) => {
                tracing::warn!("the saved {key} state is unreadable, starting afresh: {err}");
                None
            }
        },
        Ok(None) => None,
        Err(err) => {
            tracing::warn!("cannot read the saved {key} state: {err}");
            None
        }
    }
}

async fn next_notification(events: &mut Option<NotificationEvents>) -> Option<NotificationEvent> {
    match events {
        Some(events) => events.next().await,
        None => std::future::pending().await,
    }
}

async fn next_tray(commands: &mut Option<TrayCommands>) -> Option<TrayCommand> {
    match commands {
        Some(commands) => commands.recv().await,
        None => std::future::pending().await,
    }
}

async fn next_sleep(events: &mut Option<SleepSignals>) -> Option<bool> {
    match events {
        Some(events) => Some(events.next().await? == SleepEvent::Suspending),
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONGEST: Duration = Duration::from_secs(600);

    fn t(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 4, 10, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
    }

    #[test]
    fn the_loop_sleeps_until_the_deadline() {
        let delay = wake_delay(t(0), Some(t(30)), None, LONGEST);
        assert!(delay >= Duration::from_secs(30) && delay < Duration::from_secs(31));
    }

    #[test]
    fn an_idle_check_comes_first_when_sooner() {
        assert_eq!(
            wake_delay(t(0), Some(t(300)), Some(Duration::from_secs(20)), LONGEST),
            Duration::from_secs(20)
        );
    }

    #[test]
    fn with_nothing_to_wait_for_it_still_wakes_now_and_then() {
        assert_eq!(wake_delay(t(0), None, None, LONGEST), LONGEST);
        assert_eq!(wake_delay(t(0), Some(t(3600)), None, LONGEST), LONGEST);
    }

    #[test]
    fn a_deadline_in_the_past_never_makes_a_busy_loop() {
        assert_eq!(wake_delay(t(10), Some(t(0)), None, LONGEST), MIN_SLEEP);
        assert_eq!(
            wake_delay(t(0), None, Some(Duration::ZERO), LONGEST),
            MIN_SLEEP,
            "a zero idle interval is clamped too"
        );
    }

    #[test]
    fn recorded_outcomes_map_to_the_answer_that_closes_the_reminder() {
        assert_eq!(answer_for(Outcome::Completed), Some(Answer::Done));
        assert_eq!(answer_for(Outcome::Partial), Some(Answer::Done));
        assert_eq!(answer_for(Outcome::Fixed), Some(Answer::FixedIt));
        assert_eq!(answer_for(Outcome::Skipped), Some(Answer::Skip));
        assert_eq!(answer_for(Outcome::Missed), None);
    }
}
