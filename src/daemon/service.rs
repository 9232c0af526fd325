//! The service loop, a thin shell around [`step`]: one task on a
//! current-thread runtime sleeps until the engine's next deadline (or the
//! next idle check), a request, a notification action, a tray command, a
//! sleep signal or a termination signal; turns what happened into an
//! [`Input`] with the time from the [`Clock`]; and carries out the
//! [`Effect`]s the step returns against the platform, the store and the
//! windows.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Local, Utc};
use tokio::sync::mpsc;

use crate::core::model::ReminderKind;
use crate::core::reminder_notice::Notice;
use crate::core::schedule::Pending;
use crate::core::settings::Settings;
use crate::daemon::clock::Clock;
use crate::daemon::describe;
use crate::daemon::launch::Windows;
use crate::daemon::platform_link::{Platform, TrayCommands};
use crate::daemon::status_watch::StatusWatchers;
use crate::daemon::step::{self, DaemonState, Effect, Input, step};
use crate::ipc::server::Incoming;
use crate::ipc::{Feature, Request, Response, StatusReport};
use crate::platform::notifications::{NotificationEvent, NotificationEvents};
use crate::platform::resident;
use crate::platform::service_signals::{ServiceSignal, ServiceSignals};
use crate::platform::sleep::{SleepEvent, SleepSignals};
use crate::platform::tray::TrayCommand;
use crate::platform::wake_timer::WakeTimer;
use crate::store::Store;
use crate::store::settings_file::save_settings;

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

/// Whether the loop goes on after handling something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// Everything the running daemon holds: the decisions' state and what the
/// effects act on.
pub struct Service {
    state: DaemonState,
    store: Store,
    /// Where settings applied through the daemon are written.
    config_file: PathBuf,
    /// What was last written for each state key, to write only changes.
    saved: BTreeMap<&'static str, String>,
    /// When the schedule was last written.
    schedule_saved_at: Option<Instant>,
    platform: Platform,
    windows: Windows,
    /// Status watches held until the status changes (a shell concern).
    watchers: StatusWatchers,
    clock: Box<dyn Clock>,
}

impl Service {
    /// Builds the service from loaded parts, restoring the saved engine
    /// state (or starting fresh when there is none or it is unreadable).
    pub fn new(
        settings: Settings,
        settings_warning: Option<String>,
        store: Store,
        config_file: PathBuf,
        platform: Platform,
        clock: Box<dyn Clock>,
    ) -> Service {
        if let Some(warning) = &settings_warning {
            tracing::warn!("settings: {warning}");
        }
        let state = DaemonState::new(
            settings,
            settings_warning,
            restore(&store, SCHEDULE_KEY),
            restore(&store, PROMPTS_KEY),
            restore(&store, NOTIFICATIONS_KEY),
            clock.now().to_utc(),
        );
        Service {
            state,
            store,
            config_file,
            saved: BTreeMap::new(),
            schedule_saved_at: None,
            platform,
            windows: Windows::default(),
            watchers: StatusWatchers::new(clock.now().to_utc()),
            clock,
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
            let now = self.clock.now();
            let (deadline, idle_check) = self.state.next_wake(&now);
            let delay = wake_delay(now.to_utc(), deadline, idle_check, timer.longest_sleep());
            let wake_at = now.to_utc() + delay;
            // A held status watch is answered at its limit.
            let wake_at = self
                .watchers
                .next_limit()
                .map_or(wake_at, |at| wake_at.min(at));
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
                event = next_notification(&mut notifications) => match event {
                    Some(event) => self.apply(Input::Notification(event)).await,
                    None => {
                        tracing::warn!("the session bus connection closed; notifications stop");
                        notifications = None;
                        self.platform.set_degraded(Feature::Notifications, "the session bus connection closed; reminders open a small window instead");
                        Flow::Continue
                    }
                },
                command = next_tray(&mut tray) => match command {
                    Some(command) => self.apply(Input::Tray(command)).await,
                    None => {
                        tray = None;
                        Flow::Continue
                    }
                },
                event = next_sleep(&mut sleep) => match event {
                    Some(going_to_sleep) => self.apply(Input::Sleep(going_to_sleep)).await,
                    None => {
                        sleep = None;
                        Flow::Continue
                    }
                },
                signal = signals.recv() => match signal {
                    ServiceSignal::Terminate => {
                        tracing::info!("terminated");
                        self.apply(Input::Stop).await
                    }
                    ServiceSignal::Interrupt => {
                        tracing::info!("interrupted");
                        self.apply(Input::Stop).await
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
            self.answer_watchers();
        }
        self.shutdown().await;
        Ok(())
    }

    /// Samples idle time (and the busy signals when a reminder is about to
    /// come out or is held), steps the engine to now and acts on it.
    /// `eager`: something happened besides time passing, so every change is
    /// saved now.
    async fn wake(&mut self, eager: bool) {
        self.windows.reap();
        let idle = self.platform.idle_time().await;
        let now = self.clock.now();
        let busy = if self.state.wants_busy_check(&now) {
            Some(self.platform.busy_reason(&self.state.settings.hold).await)
        } else {
            None
        };
        let decision = step(&mut self.state, Input::Wake { idle, busy }, now);
        let eager = eager || !decision.effects.is_empty();
        self.carry_out(decision.effects, now).await;
        self.refresh(eager).await;
    }

    /// Steps an input that needs no reply and carries out its effects.
    async fn apply(&mut self, input: Input) -> Flow {
        let now = self.clock.now();
        let decision = step(&mut self.state, input, now);
        self.carry_out(decision.effects, now).await
    }

    async fn handle_incoming(&mut self, incoming: Incoming) -> Flow {
        let Incoming { request, reply } = incoming;
        if let Request::WatchStatus { known } = request {
            // Held here rather than decided by the step: see status_watch.
            self.wake(false).await;
            let now = self.clock.now();
            let report = self.status_now(&now);
            self.watchers.hold(known, reply, report, now.to_utc());
            return Flow::Continue;
        }
        if request == Request::Status {
            // Bring the engine up to date so the report is current.
            self.wake(false).await;
        }
        let now = self.clock.now();
        let decision = step(&mut self.state, Input::Request(request), now);
        let (writes, rest): (Vec<Effect>, Vec<Effect>) =
            decision.effects.into_iter().partition(Effect::before_reply);
        // What the client is told was done is on disk before it is told: the
        // engine's state first (an answered reminder never comes back after a
        // crash), then the log. A write that fails is reported instead.
        if self.save(SCHEDULE_KEY, serde_json::to_string(&self.state.schedule)) {
            self.schedule_saved_at = Some(Instant::now());
        }
        let mut failure = None;
        for effect in writes {
            let done = match effect {
                Effect::ShowTest(notice) => self.show_test(&notice, now).await,
                write => self.write(write),
            };
            if let Err(message) = done {
                failure.get_or_insert(message);
            }
        }
        let reply_to_send = match (failure, decision.reply) {
            (Some(message), _) => Response::error(message),
            (None, Some(Response::Status(report))) => {
                Response::Status(self.watchers.stamp(self.complete(report)))
            }
            (None, Some(reply)) => reply,
            (None, None) => Response::Ok,
        };
        // Reply before showing or withdrawing notifications, so a slow
        // notification server never makes a client wait. The client may
        // have gone; nothing to do about that.
        let _ = reply.send(reply_to_send);
        self.carry_out(rest, now).await
    }

    /// Carries out effects in order, stepping the outcome of each reminder
    /// shown back in (which may add effects, such as the reminder window).
    async fn carry_out(&mut self, effects: Vec<Effect>, now: DateTime<Local>) -> Flow {
        let mut queue = VecDeque::from(effects);
        let mut flow = Flow::Continue;
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Show(pending) => {
                    let outcome = self.show(&pending, now).await;
                    queue.extend(step(&mut self.state, outcome, now).effects);
                }
                Effect::ShowTest(notice) => {
                    if let Err(message) = self.show_test(&notice, now).await {
                        tracing::warn!("{message}");
                    }
                }
                Effect::CloseNotification(id) => self.platform.close_notification(id).await,
                Effect::OpenPrompt(kind) => {
                    if let Err(err) = self.windows.open_prompt(kind) {
                        tracing::error!("cannot open the reminder window: {err}");
                    }
                }
                Effect::ClosePrompt(kind) => self.windows.close_prompt(kind),
                Effect::OpenWindow { view, activation } => {
                    if let Err(err) = self.windows.open_main(view, activation) {
                        tracing::error!("cannot open the window: {err}");
                    }
                }
                Effect::Quit => flow = Flow::Quit,
                write => {
                    // Nobody waits for a reply here: failures are logged.
                    if let Err(message) = self.write(write) {
                        tracing::error!("{message}");
                    }
                }
            }
        }
        flow
    }

    /// Carries out one of the effects that write; on failure, the message
    /// for the user.
    fn write(&mut self, effect: Effect) -> Result<(), String> {
        match effect {
            Effect::Log(entry) => {
                tracing::info!(
                    kind = entry.kind.as_str(),
                    outcome = entry.outcome.as_str(),
                    "logged"
                );
                self.store.add_entry(&entry).map(drop).map_err(|err| {
                    format!("this was not saved, the log could not be written: {err}")
                })
            }
            Effect::LogPause { at, until } => self
                .store
                .record_pause(at, until, step::offset_at(at))
                .map_err(|err| format!("the pause was not logged: {err}")),
            Effect::LogResume { at } => self
                .store
                .record_resume(at)
                .map_err(|err| format!("the resume was not logged: {err}")),
            Effect::WriteSettings(settings) => save_settings(&self.config_file, &settings)
                .map_err(|err| format!("the settings are in use but could not be saved: {err}")),
            Effect::SetAutostart(enabled) => self.platform.set_autostart(enabled).map_err(|err| {
                format!("settings applied, but the login entry could not be changed: {err}")
            }),
            other => {
                tracing::error!(?other, "not a write");
                Ok(())
            }
        }
    }

    /// Shows the test reminder; on failure, what the user is told.
    async fn show_test(&mut self, notice: &Notice, now: DateTime<Local>) -> Result<(), String> {
        match self.platform.notify(notice).await {
            Ok(id) => {
                step(&mut self.state, Input::TestShown { id }, now);
                Ok(())
            }
            Err(reason) => Err(format!(
                "no notification was shown ({reason}); reminders will come in a small Rebalance window instead"
            )),
        }
    }

    /// Shows a due reminder as a notification; says how it went.
    async fn show(&mut self, pending: &Pending, now: DateTime<Local>) -> Input {
        let kind = pending.kind;
        if let Some(held) = &pending.held {
            tracing::info!(
                kind = kind.as_str(),
                waited_s = held.waited_s,
                "held back until now"
            );
        }
        let user_routines = if kind == ReminderKind::Routine {
            self.store.user_routines().unwrap_or_else(|err| {
                tracing::warn!("cannot read your own routines: {err}");
                Vec::new()
            })
        } else {
            Vec::new()
        };
        let notice = self.state.notice(pending, user_routines, now.to_utc());
        match self.platform.notify(&notice).await {
            Ok(id) => Input::Shown { kind, id },
            Err(reason) => {
                tracing::warn!("{reason}; showing the reminder window instead");
                Input::ShowFailed { kind }
            }
        }
    }

    /// Saves what changed and updates the tray.
    async fn refresh(&mut self, eager: bool) {
        let bookkeeping_due = self
            .schedule_saved_at
            .is_none_or(|at| at.elapsed() >= BOOKKEEPING_SAVE);
        // Bookkeeping alone need not wait for the disk.
        if (eager || bookkeeping_due)
            && self.save_as(
                SCHEDULE_KEY,
                serde_json::to_string(&self.state.schedule),
                eager,
            )
        {
            self.schedule_saved_at = Some(Instant::now());
        }
        self.save(PROMPTS_KEY, serde_json::to_string(&self.state.rotation));
        self.save(NOTIFICATIONS_KEY, serde_json::to_string(&self.state.shown));
        let mut report = self.state.report(&self.clock.now());
        report.degraded = self.platform.degraded();
        self.platform
            .update_tray(describe::tooltip(&report), report.pause.is_paused())
            .await;
    }

    /// The completed status now, as a status request would get it.
    fn status_now(&self, now: &DateTime<Local>) -> StatusReport {
        self.complete(self.state.report(now))
    }

    /// Answers the held status watches the status is news to or whose limit
    /// passed. The report (which reads today's figures from the log) is
    /// built only while a watch waits.
    fn answer_watchers(&mut self) {
        if self.watchers.is_waiting() {
            let now = self.clock.now();
            let report = self.status_now(&now);
            self.watchers.update(report, now.to_utc());
        }
    }

    /// Adds to the engine's report what the desktop lacks and today's
    /// figures from the log.
    fn complete(&self, mut report: StatusReport) -> StatusReport {
        report.degraded = self.platform.degraded();
        report.idle_source = self.platform.idle_source().to_owned();
        match self.store.day_summary(report.today.date) {
            Ok(summary) => {
                for ((kind, outcome), count) in summary.counts {
                    report
                        .today
                        .counts
                        .entry(kind)
                        .or_default()
                        .insert(outcome, count);
                }
                report.today.routine_minutes = summary.routine_minutes;
            }
            Err(err) => tracing::error!("cannot read today's log: {err}"),
        }
        report
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

    async fn shutdown(&mut self) {
        tracing::info!("stopping");
        let shown: Vec<u32> = std::mem::take(&mut self.state.shown)
            .into_values()
            .collect();
        for id in shown {
            self.platform.close_notification(id).await;
        }
        self.windows.close_prompts();
        self.platform.shutdown().await;
        self.save(SCHEDULE_KEY, serde_json::to_string(&self.state.schedule));
        self.save(PROMPTS_KEY, serde_json::to_string(&self.state.rotation));
        self.save(NOTIFICATIONS_KEY, serde_json::to_string(&self.state.shown));
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
    use chrono::TimeZone;

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
}
