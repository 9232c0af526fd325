//! The service loop, a thin shell around [`step`]: it sleeps on the
//! [`Clock`] until the engine's next deadline (or the next idle check), a
//! request on the control channel or an event from the desktop; turns what
//! happened into an [`Input`] with the time from the clock; and carries out
//! the [`Effect`]s the step returns against the desktop's seams, the
//! windows, the store and the settings file.

use std::collections::VecDeque;
use std::path::PathBuf;

use chrono::{DateTime, Local};
use tokio::sync::mpsc;

use crate::core::model::ReminderKind;
use crate::core::reminder_notice::Notice;
use crate::core::schedule::Pending;
use crate::core::settings::Settings;
use crate::daemon::clock::wake_delay;
use crate::daemon::describe;
use crate::daemon::desktop::{Desktop, PROMPT_WINDOW_INSTEAD};
use crate::daemon::launch::WindowLauncher;
use crate::daemon::saved_state::{self, SavedState};
use crate::daemon::status_watch::StatusWatchers;
use crate::daemon::step::{self, DaemonState, Effect, Input, step};
use crate::ipc::server::Incoming;
use crate::ipc::{Feature, Request, Response, StatusReport};
use crate::platform::desktop::SleepEvent;
use crate::platform::resident;
use crate::platform::seams::{Clock, DesktopEvent, DesktopEvents};
use crate::store::Store;
use crate::store::settings_file::save_settings;

/// Whether the loop goes on after handling something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// What woke the loop.
// One exists at a time and is moved once: boxing the request buys nothing.
#[allow(clippy::large_enum_variant)]
enum Wake {
    Timer,
    Request(Option<Incoming>),
    Desktop(Option<DesktopEvent>),
}

/// Everything the running daemon holds: the decisions' state and what the
/// effects act on.
pub struct Service {
    state: DaemonState,
    store: Store,
    /// Where settings applied through the daemon are written.
    config_file: PathBuf,
    saved: SavedState,
    desktop: Desktop,
    windows: Box<dyn WindowLauncher>,
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
        desktop: Desktop,
        windows: Box<dyn WindowLauncher>,
        clock: Box<dyn Clock>,
    ) -> Service {
        if let Some(warning) = &settings_warning {
            tracing::warn!("settings: {warning}");
        }
        let restored = saved_state::restore(&store);
        let state = DaemonState::new(
            settings,
            settings_warning,
            restored.schedule,
            restored.rotation,
            restored.shown,
            clock.now().to_utc(),
        );
        Service {
            state,
            store,
            config_file,
            saved: SavedState::default(),
            desktop,
            windows,
            watchers: StatusWatchers::new(clock.now().to_utc()),
            clock,
        }
    }

    /// Runs until asked to quit (by a request, the tray or the system),
    /// then withdraws its notifications and saves its state.
    pub async fn run(mut self, mut requests: mpsc::Receiver<Incoming>, events: DesktopEvents) {
        tracing::info!("Rebalance daemon running");
        let mut events = Some(events);
        self.wake(true).await;
        resident::release_startup_code();
        loop {
            let now = self.clock.now();
            let (deadline, idle_check) = self.state.next_wake(&now);
            let delay = wake_delay(
                now.to_utc(),
                deadline,
                idle_check,
                self.clock.longest_sleep(),
            );
            let wake_at = now.to_utc() + delay;
            // A held status watch is answered at its limit.
            let wake_at = self
                .watchers
                .next_limit()
                .map_or(wake_at, |at| wake_at.min(at));
            let woke = tokio::select! {
                () = self.clock.sleep_until(wake_at) => Wake::Timer,
                incoming = requests.recv() => Wake::Request(incoming),
                event = next_event(&mut events) => Wake::Desktop(event),
            };
            let flow = match woke {
                Wake::Timer => {
                    self.wake(false).await;
                    continue;
                }
                Wake::Request(Some(incoming)) => self.handle_incoming(incoming).await,
                Wake::Request(None) => Flow::Quit,
                Wake::Desktop(Some(event)) => self.handle_desktop(event).await,
                Wake::Desktop(None) => {
                    events = None;
                    Flow::Continue
                }
            };
            if flow == Flow::Quit {
                break;
            }
            // It came from the user or the desktop: its effects are saved
            // at once.
            self.wake(true).await;
        }
        self.shutdown().await;
    }

    /// Samples idle time (and the busy signals when a reminder is about to
    /// come out or is held), steps the engine to now and acts on it.
    /// `eager`: something happened besides time passing, so every change is
    /// saved now.
    async fn wake(&mut self, eager: bool) {
        self.windows.reap();
        let idle = self.desktop.idle_time().await;
        let now = self.clock.now();
        let busy = if self.state.wants_busy_check(&now) {
            Some(self.desktop.busy_reason(&self.state.settings.hold).await)
        } else {
            None
        };
        let decision = step(&mut self.state, Input::Wake { idle, busy }, now);
        let eager = eager || !decision.effects.is_empty();
        self.carry_out(decision.effects, now).await;
        self.saved.save_changes(&mut self.store, &self.state, eager);
        let mut report = self.state.report(&self.clock.now());
        report.degraded = self.desktop.degraded();
        self.desktop
            .update_tray(describe::tooltip(&report), report.pause.is_paused())
            .await;
        self.answer_watchers();
    }

    async fn handle_desktop(&mut self, event: DesktopEvent) -> Flow {
        let input = match event {
            DesktopEvent::Notification(event) => Input::Notification(event),
            DesktopEvent::NotificationsLost(reason) => {
                tracing::warn!("{reason}; notifications stop");
                self.desktop.set_degraded(
                    Feature::Notifications,
                    format!("{reason}; {PROMPT_WINDOW_INSTEAD}"),
                );
                return Flow::Continue;
            }
            DesktopEvent::Tray(command) => Input::Tray(command),
            DesktopEvent::Sleep(event) => Input::Sleep(event == SleepEvent::Suspending),
            DesktopEvent::Stop => Input::Stop,
        };
        let now = self.clock.now();
        let decision = step(&mut self.state, input, now);
        self.carry_out(decision.effects, now).await.0
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
        let (first, rest): (Vec<Effect>, Vec<Effect>) =
            decision.effects.into_iter().partition(Effect::before_reply);
        // What the client is told was done is on disk before it is told: the
        // engine's state first (an answered reminder never comes back after a
        // crash), then the log. A write that fails is reported instead.
        self.saved.save_schedule(&mut self.store, &self.state);
        let (_, failure) = self.carry_out(first, now).await;
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
        self.carry_out(rest, now).await.0
    }

    /// Carries out effects in order, stepping the outcome of each reminder
    /// shown back in (which may add effects, such as the reminder window).
    /// Returns whether to go on, and the first failure in the user's words
    /// (each is logged).
    async fn carry_out(
        &mut self,
        effects: Vec<Effect>,
        now: DateTime<Local>,
    ) -> (Flow, Option<String>) {
        let mut queue = VecDeque::from(effects);
        let mut flow = Flow::Continue;
        let mut failure = None;
        while let Some(effect) = queue.pop_front() {
            let done = match effect {
                Effect::Show(pending) => {
                    let outcome = self.show(&pending, now).await;
                    queue.extend(step(&mut self.state, outcome, now).effects);
                    Ok(())
                }
                Effect::ShowTest(notice) => self.show_test(&notice, now).await,
                Effect::CloseNotification(id) => {
                    self.desktop.close_notification(id).await;
                    Ok(())
                }
                Effect::OpenPrompt(kind) => self
                    .windows
                    .open_prompt(kind)
                    .map_err(|err| format!("cannot open the reminder window: {err}")),
                Effect::ClosePrompt(kind) => {
                    self.windows.close_prompt(kind);
                    Ok(())
                }
                Effect::OpenWindow { view, activation } => self
                    .windows
                    .open_main(view, activation)
                    .map_err(|err| format!("cannot open the window: {err}")),
                Effect::Quit => {
                    flow = Flow::Quit;
                    Ok(())
                }
                write => self.write(write),
            };
            if let Err(message) = done {
                tracing::error!("{message}");
                failure.get_or_insert(message);
            }
        }
        (flow, failure)
    }

    /// Carries out an effect that writes to the log, the settings file or
    /// the login entry; on failure, the message for the user.
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
            Effect::SetAutostart(enabled) => self.desktop.set_autostart(enabled).map_err(|err| {
                format!("settings applied, but the login entry could not be changed: {err}")
            }),
            other => Err(format!("internal error: {other:?} is not a write")),
        }
    }

    /// Shows the test reminder; on failure, what the user is told.
    async fn show_test(&mut self, notice: &Notice, now: DateTime<Local>) -> Result<(), String> {
        match self.desktop.notify(notice).await {
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
        match self.desktop.notify(&notice).await {
            Ok(id) => Input::Shown { kind, id },
            Err(reason) => {
                tracing::warn!("{reason}; showing the reminder window instead");
                Input::ShowFailed { kind }
            }
        }
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
        report.degraded = self.desktop.degraded();
        report.idle_source = self.desktop.idle_source().to_owned();
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

    async fn shutdown(&mut self) {
        tracing::info!("stopping");
        let shown: Vec<u32> = std::mem::take(&mut self.state.shown)
            .into_values()
            .collect();
        for id in shown {
            self.desktop.close_notification(id).await;
        }
        self.windows.close_prompts();
        self.desktop.shutdown().await;
        self.saved.save_changes(&mut self.store, &self.state, true);
        // Let connection tasks write the reply to a quit request before the
        // runtime goes away.
        for _ in 0..8 {
            tokio::task::yield_now().await;
        }
    }
}

async fn next_event(events: &mut Option<DesktopEvents>) -> Option<DesktopEvent> {
    match events {
        Some(events) => events.recv().await,
        None => std::future::pending().await,
    }
}
