//! The window's state and the small top-level struct that draws the current
//! view and applies what the user asked for: requests to the daemon and
//! writes to the log.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};

use crate::core::catalog::Catalog;
use crate::core::model::{Answer, Entry, ReminderKind};
use crate::core::prompts::PromptRotation;
use crate::core::settings::Settings;
use crate::exchange::report::render_report_ending;
use crate::ipc::{Request, Response, StatusReport};
use crate::platform::autostart::set_autostart;
use crate::store::Store;
use crate::store::settings_file::{load_settings, save_settings};
use crate::ui::actions::{Action, LogAction, RoutineAction, View};
use crate::ui::log_view::LogState;
use crate::ui::move_break::BreakSession;
use crate::ui::routine_view::RoutineSession;
use crate::ui::routines_view::RoutinesState;
use crate::ui::services::{Clock, Deps, ServiceStarter, SharedLink, StatusPoller, send_shared};
use crate::ui::settings_view::SettingsForm;
use crate::ui::single_window::{self, OpenRequests};
use crate::ui::today::Progress;
use crate::ui::week::{WeekAction, WeekView};
use crate::ui::welcome::{self, WelcomeContext, WelcomeState};
use crate::ui::{about, log_view, move_break, routine_view, routines_view, settings_view, theme};
use crate::ui::{countdown, today, widgets};

/// Weeks covered by a report written from the week view.
const REPORT_WEEKS: u32 = 12;

/// How long after a countdown's text changes its frame is drawn, so a timer
/// that fires a little early never draws the old text again.
const REPAINT_SLACK: std::time::Duration = std::time::Duration::from_millis(20);

/// State key remembering that the week view's seek-help note was dismissed.
const SEEK_HELP_DISMISSED: &str = "ui.seek_help_dismissed";

/// A short message shown under the tabs after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub is_error: bool,
}

/// Everything the window shows, in one place.
pub struct AppState {
    /// The view shown now.
    pub view: View,
    /// The settings in force (as saved).
    pub settings: Settings,
    /// Why the settings file could not be used as is, if so.
    pub settings_warning: Option<String>,
    /// Exercises and routines, built-in and the user's.
    pub catalog: Catalog,
    /// The log, when it could be opened.
    pub store: Option<Store>,
    /// Why the log could not be opened.
    pub store_error: Option<String>,
    /// The daemon's last status, when it answered.
    pub status: Option<StatusReport>,
    /// Why the daemon did not answer, when it did not.
    pub daemon_error: Option<String>,
    /// The local day today, from the clock.
    pub today: NaiveDate,
    /// Today's progress read from the log (used without a daemon).
    pub local_progress: Progress,
    /// The move break under way.
    pub move_break: Option<BreakSession>,
    /// The guided routine under way.
    pub routine: Option<RoutineSession>,
    /// The log view's day, entries and edits.
    pub log: LogState,
    /// The routines view's selection and editor.
    pub routines: RoutinesState,
    /// The settings form's texts and messages.
    pub settings_form: SettingsForm,
    /// The last message to show.
    pub notice: Option<Notice>,
    /// Break suggestions, never the same twice in a row.
    pub rotation: PromptRotation,
    /// The week view; it reads the log itself when told it changed.
    pub week: WeekView,
    /// The first-start welcome's step and test reminder.
    pub welcome: WelcomeState,
}

/// The window: injected dependencies plus state.
pub struct App {
    config_file: PathBuf,
    reports_dir: PathBuf,
    link: SharedLink,
    clock: Box<dyn Clock>,
    starter: Box<dyn ServiceStarter>,
    /// Created on the first frame, when the egui context is known.
    poller: Option<StatusPoller>,
    /// What is shown; public so tests can look.
    pub state: AppState,
    style_theme: Option<crate::core::settings::Theme>,
    /// Later starts asking this window to show a view and come forward.
    open_requests: Option<OpenRequests>,
}

impl App {
    /// Builds the window's state: reads the settings and the log and asks
    /// the daemon for its status once.
    pub fn new(deps: Deps, start_view: Option<View>) -> Self {
        let Deps {
            db_file,
            config_file,
            reports_dir,
            link,
            clock,
            starter,
        } = deps;
        let loaded = load_settings(&config_file);
        // A first start finds no settings file, which loading fills with the
        // defaults; so may a daemon started before the window.
        let settings_chosen = loaded.settings != Settings::default();
        let (store, store_error) = match Store::open(&db_file) {
            Ok(store) => (Some(store), None),
            Err(err) => (
                None,
                Some(format!(
                    "The log at {} could not be opened: {err}",
                    db_file.display()
                )),
            ),
        };
        let today = clock.now().date_naive();
        let settings_form = SettingsForm::from_settings(&loaded.settings);
        let mut state = AppState {
            view: start_view.unwrap_or(View::Today),
            settings: loaded.settings,
            settings_warning: loaded.warning,
            catalog: Catalog::builtin(),
            store,
            store_error,
            status: None,
            daemon_error: None,
            today,
            local_progress: Progress::default(),
            move_break: None,
            routine: None,
            log: LogState::new(today),
            routines: RoutinesState::default(),
            settings_form,
            notice: None,
            rotation: PromptRotation::default(),
            week: WeekView::new(),
            welcome: WelcomeState::default(),
        };
        state.routines.selected = Some(state.settings.routine.routine.clone());
        let mut app = Self {
            config_file,
            reports_dir,
            link: Arc::new(Mutex::new(link)),
            clock,
            starter,
            poller: None,
            state,
            style_theme: None,
            open_requests: None,
        };
        app.reload_catalog();
        app.reload_log();
        let dismissed = app
            .state
            .store
            .as_ref()
            .and_then(|store| store.load_state(SEEK_HELP_DISMISSED).ok().flatten())
            .is_some();
        app.state.week.set_seek_help_dismissed(dismissed);
        app.poll_status();
        // A settings file that had to be set aside is no first start: the
        // Today view's banner says what happened to it.
        let settings_trouble = app.state.settings_warning.is_some()
            || app
                .state
                .status
                .as_ref()
                .is_some_and(|status| status.settings_warning.is_some());
        if start_view.is_none() && !settings_chosen && !settings_trouble && app.first_start() {
            app.state.view = View::Welcome;
        }
        let view = app.state.view;
        app.open_view(view);
        app
    }

    /// Whether this is the very first start: nothing logged yet and the
    /// welcome never shown. Remembers that it is shown now, so closing the
    /// window (or skipping it) never brings it back by itself.
    fn first_start(&mut self) -> bool {
        let Some(store) = self.state.store.as_mut() else {
            return false;
        };
        let shown = store.load_state(welcome::WELCOME_SHOWN_KEY);
        let empty = store.has_no_entries();
        if !matches!((shown, empty), (Ok(None), Ok(true))) {
            return false;
        }
        if let Err(err) = store.save_state(welcome::WELCOME_SHOWN_KEY, "true") {
            // Shown anyway; it may come back on the next start.
            tracing::warn!("could not remember that the welcome was shown: {err}");
        }
        true
    }

    /// Makes this window answer later starts (see [`OpenRequests`]).
    pub fn with_open_requests(mut self, requests: OpenRequests) -> Self {
        self.open_requests = Some(requests);
        self
    }

    /// Shows `view` as if opened on it: Break and Routine start (or return
    /// to) the break countdown and the reminder's routine.
    pub fn open_view(&mut self, view: View) {
        match view {
            View::Break => self.apply(Action::StartBreak),
            View::Routine => {
                let id = self
                    .state
                    .catalog
                    .reminder_routine(&self.state.settings.routine)
                    .id
                    .clone();
                self.apply(Action::StartRoutine(id));
            }
            other => self.state.view = other,
        }
    }

    /// The current time from the injected clock.
    fn now(&self) -> DateTime<Utc> {
        self.clock.now_utc()
    }

    /// Draws one frame and applies what the user did in it.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.style_theme != Some(self.state.settings.appearance.theme) {
            theme::install(&ctx, self.state.settings.appearance.theme);
            self.style_theme = Some(self.state.settings.appearance.theme);
        }
        if ctx.input(|i| i.viewport().close_requested()) {
            self.leave();
        }
        let now = self.now();
        let today = self.clock.now().date_naive();
        if today != self.state.today {
            // Midnight passed with the window open: today's figures start over.
            self.state.today = today;
            self.reload_log();
        }
        if let Some(reply) = self.poller.as_mut().and_then(StatusPoller::take) {
            self.take_status(reply);
        }
        // Fresh countdowns only while they are on screen; the welcome
        // waits for the daemon to start and for the test answer.
        let polled = matches!(self.state.view, View::Today | View::Welcome);
        if polled || self.poller.is_some() {
            let link = &self.link;
            self.poller
                .get_or_insert_with(|| StatusPoller::start(link, ctx.clone()))
                .set_active(polled);
        }

        let mut actions = Vec::new();
        egui::Panel::top("tabs")
            .frame(
                egui::Frame::new()
                    .fill(ui.visuals().panel_fill)
                    .inner_margin(egui::Margin::symmetric(16, 10)),
            )
            .show(ui, |ui| self.tabs(ui, &mut actions));
        egui::CentralPanel::default()
            .frame(egui::Frame::new().fill(ui.visuals().panel_fill))
            .show(ui, |ui| {
                if let Some(notice) = &self.state.notice {
                    notice_bar(ui, notice);
                }
                self.view(ui, now, &mut actions);
            });
        for action in actions {
            self.apply(action);
        }
        self.schedule_repaint(&ctx);
    }

    fn tabs(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                egui::RichText::new("Rebalance")
                    .size(18.0)
                    .strong()
                    .color(theme::Palette::of(ui).accent),
            );
            ui.add_space(12.0);
            for view in View::TABS {
                // A tab with a break or routine under way stands out.
                let busy = match view {
                    View::Break => self.state.move_break.is_some(),
                    View::Routine => self.state.routine.is_some(),
                    _ => false,
                };
                let mut text = egui::RichText::new(view.label());
                if busy {
                    text = text.strong().color(theme::Palette::of(ui).accent);
                }
                if ui.selectable_label(self.state.view == view, text).clicked() {
                    actions.push(Action::Go(view));
                }
            }
        });
    }

    fn view(&mut self, ui: &mut egui::Ui, now: DateTime<Utc>, actions: &mut Vec<Action>) {
        let local_now = self.clock.now();
        let s = &mut self.state;
        match s.view {
            View::Today => today::show(ui, s, now, actions),
            View::Break => {
                let context = move_break::BreakContext {
                    status: &s.status,
                    catalog: &s.catalog,
                    settings: &s.settings,
                };
                move_break::show(ui, s.move_break.as_ref(), &context, now, actions);
            }
            View::Routine => routine_view::show(
                ui,
                s.routine.as_mut(),
                &s.catalog,
                &s.settings,
                now,
                actions,
            ),
            View::Log => log_view::show(ui, &mut s.log, &s.catalog, local_now, actions),
            View::Routines => {
                routines_view::show(ui, &mut s.routines, &s.catalog, &s.settings, actions)
            }
            View::Week => self.week(ui, local_now.date_naive()),
            View::Settings => settings_view::show(
                ui,
                &mut s.settings_form,
                &s.settings,
                &s.catalog,
                s.status.as_ref(),
                actions,
            ),
            View::About => about::show(ui),
            View::Welcome => {
                let context = WelcomeContext {
                    saved: &s.settings,
                    status: s.status.as_ref(),
                    daemon_error: s.daemon_error.as_deref(),
                };
                welcome::show(ui, &mut s.welcome, &mut s.settings_form, &context, actions);
            }
        }
    }

    fn week(&mut self, ui: &mut egui::Ui, today: NaiveDate) {
        let s = &mut self.state;
        let Some(store) = &s.store else {
            widgets::page(ui, "week", |ui| {
                widgets::title(ui, "Week", None);
                widgets::muted(ui, s.store_error.clone().unwrap_or_default());
            });
            return;
        };
        let margin = egui::Margin::symmetric(theme::PAGE_MARGIN as i8, 12);
        let week_actions = egui::Frame::new()
            .inner_margin(margin)
            .show(ui, |ui| s.week.show(ui, store, today, &s.settings))
            .inner;
        for action in week_actions {
            match action {
                WeekAction::DismissSeekHelp => {
                    if let Some(store) = s.store.as_mut()
                        && let Err(err) = store.save_state(SEEK_HELP_DISMISSED, "true")
                    {
                        tracing::warn!("could not remember the dismissed note: {err}");
                    }
                }
                WeekAction::ExportReport { week_start } => {
                    self.export_report(week_start, today);
                    return;
                }
            }
        }
    }

    /// Writes the therapist report for the weeks up to the one starting on
    /// `week_start` into the reports folder, and says where.
    fn export_report(&mut self, week_start: NaiveDate, today: NaiveDate) {
        let last = week_start
            .checked_add_days(chrono::Days::new(6))
            .unwrap_or(week_start)
            .min(today);
        let Some(store) = self.state.store.as_ref() else {
            return;
        };
        // All history up to the report's last day, as `rebalance report`
        // reads it, so streaks started long ago count. (NaiveDate::MIN would
        // not do: the store compares days as text, and it sorts last.)
        let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(last);
        let written = store
            .entries_on_days(first, last)
            .map_err(|err| err.to_string())
            .and_then(|entries| {
                let html =
                    render_report_ending(&entries, REPORT_WEEKS, last, today, &self.state.settings);
                let path = self
                    .reports_dir
                    .join(format!("rebalance-report-{last}.html"));
                std::fs::create_dir_all(&self.reports_dir)
                    .and_then(|()| std::fs::write(&path, html))
                    .map(|()| path)
                    .map_err(|err| err.to_string())
            });
        match written {
            Ok(path) => self.info(format!(
                "Report for the {REPORT_WEEKS} weeks up to {last} written to {}.",
                path.display()
            )),
            Err(err) => self.error(format!("The report could not be written: {err}")),
        }
    }

    /// Asks for a repaint only when something on screen changes with time.
    fn schedule_repaint(&self, ctx: &egui::Context) {
        let now = self.now();
        let next = match self.state.view {
            // Countdowns read in minutes: the next frame is due when the
            // nearest one's text changes. The poller wakes the window itself
            // when the daemon's figures change.
            View::Today => countdown::next_text_change(today::shown_deadlines(&self.state), now)
                .and_then(|at| (at - now).to_std().ok())
                .map(|after| after + REPAINT_SLACK),
            View::Break => self
                .state
                .move_break
                .as_ref()
                .and_then(|b| b.next_tick(now)),
            View::Routine => self
                .state
                .routine
                .as_ref()
                .and_then(|r| r.guide.next_tick_ms(now))
                .map(|ms| std::time::Duration::from_millis(ms.max(20) as u64)),
            _ => None,
        };
        if let Some(after) = next {
            ctx.request_repaint_after(after);
        }
    }

    /// Asks the daemon for its status now and waits for it (at start and
    /// after the user's own requests).
    pub fn poll_status(&mut self) {
        let reply = send_shared(&self.link, &Request::Status);
        self.take_status(reply);
    }

    /// Keeps the daemon's status reply, or why there was none.
    fn take_status(&mut self, reply: Result<Response, String>) {
        match reply {
            Ok(Response::Status(report)) => {
                let log_moved = self
                    .state
                    .status
                    .as_ref()
                    .is_some_and(|old| old.today != report.today);
                self.state.status = Some(report);
                self.state.daemon_error = None;
                if log_moved {
                    // Something was logged elsewhere (a notification answer).
                    self.reload_log();
                }
            }
            Ok(Response::Error { message }) => {
                self.state.status = None;
                self.state.daemon_error = Some(message);
            }
            Ok(other) => {
                self.state.status = None;
                self.state.daemon_error = Some(format!("unexpected reply {other:?}"));
            }
            Err(err) => {
                self.state.status = None;
                self.state.daemon_error = Some(err);
            }
        }
    }

    /// Whether the daemon answered the last request.
    fn daemon_up(&self) -> bool {
        self.state.status.is_some()
    }

    /// Sends `request` to the daemon; a failure becomes the notice.
    fn send(&mut self, request: Request) -> bool {
        match send_shared(&self.link, &request) {
            Ok(Response::Error { message }) => {
                self.error(message);
                false
            }
            Ok(_) => true,
            Err(err) => {
                self.state.daemon_error = Some(err.clone());
                self.error(format!("The background service did not answer: {err}"));
                false
            }
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.state.notice = Some(Notice {
            text: text.into(),
            is_error: false,
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.state.notice = Some(Notice {
            text: text.into(),
            is_error: true,
        });
    }

    /// Logs `entry`: through the daemon when it runs (so its schedule knows
    /// the session or break happened), else straight into the log.
    fn record(&mut self, entry: Entry) -> bool {
        if self.daemon_up()
            && self.send(Request::Record {
                entry: entry.clone(),
            })
        {
            self.reload_log();
            return true;
        }
        let written = match self.state.store.as_mut() {
            Some(store) => store.add_entry(&entry).map_err(|err| err.to_string()),
            None => Err(self
                .state
                .store_error
                .clone()
                .unwrap_or_else(|| "the log is not open".to_owned())),
        };
        match written {
            Ok(_) => {
                self.reload_log();
                true
            }
            Err(err) => {
                self.error(format!("Could not save to the log: {err}"));
                false
            }
        }
    }

    fn reload_catalog(&mut self) {
        let user = match self.state.store.as_ref().map(Store::user_routines) {
            Some(Ok(user)) => user,
            Some(Err(err)) => {
                self.error(format!("Your own routines could not be read: {err}"));
                Vec::new()
            }
            None => Vec::new(),
        };
        self.state.catalog = Catalog::with_user_routines(user);
    }

    /// Reads the shown day and today's progress from the log again.
    fn reload_log(&mut self) {
        let today = self.clock.now().date_naive();
        let Some(store) = self.state.store.as_ref() else {
            return;
        };
        if let Err(err) = self.state.log.reload(store) {
            self.state.notice = Some(Notice {
                text: format!("The log could not be read: {err}"),
                is_error: true,
            });
        }
        if let Ok(summary) = store.day_summary(today) {
            self.state.local_progress = Progress::from_summary(&summary);
        }
        self.state.week.log_changed();
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        let now = self.now();
        match action {
            Action::Go(view) => {
                self.state.notice = None;
                self.state.view = view;
                if matches!(view, View::Today | View::Welcome) {
                    self.poll_status();
                }
                if view == View::Welcome {
                    self.state.welcome = WelcomeState::default();
                    self.state.settings_form = SettingsForm::from_settings(&self.state.settings);
                }
                if matches!(view, View::Log | View::Week) {
                    // The daemon writes answers given in notifications, so
                    // what this window last read may be out of date.
                    self.reload_log();
                }
            }
            Action::Pause(length) => {
                if self.send(Request::Pause { length }) {
                    self.info("Reminders paused.");
                }
                self.poll_status();
            }
            Action::Resume => {
                if self.send(Request::Resume) {
                    self.info("Reminders are back on.");
                }
                self.poll_status();
            }
            Action::CheckPostureNow => {
                if self.send(Request::Trigger {
                    kind: ReminderKind::PostureCheck,
                }) {
                    self.info("Posture check sent.");
                }
                self.poll_status();
            }
            Action::Answer(kind, answer) => {
                if self.send(Request::Answer {
                    kind: Some(kind),
                    answer,
                }) {
                    self.info(format!(
                        "{}: {}",
                        kind.label(),
                        answer.outcome_for(kind).label()
                    ));
                }
                self.poll_status();
            }
            Action::StartBreak => self.start_break(now),
            Action::ToggleBreakTimer => {
                if let Some(session) = self.state.move_break.as_mut() {
                    session.toggle(now);
                }
            }
            Action::EndBreak(answer) => self.end_break(answer, now),
            Action::CloseBreak => {
                let over = self
                    .state
                    .move_break
                    .as_ref()
                    .is_some_and(|b| b.counts_as_taken(now));
                if over {
                    self.end_break(Answer::Done, now);
                } else {
                    self.state.move_break = None;
                    self.state.view = View::Today;
                }
            }
            Action::StartRoutine(id) => self.start_routine(&id),
            Action::SaveRoutine { pain, note } => self.save_routine(pain, &note, now),
            Action::DiscardRoutine => {
                self.state.routine = None;
                self.state.view = View::Today;
            }
            Action::StartService => match self.starter.start() {
                Ok(()) => {
                    self.info("Starting the background service…");
                }
                Err(err) => self.error(err),
            },
            Action::Log(action) => self.apply_log(action),
            Action::Routines(action) => self.apply_routines(action),
            Action::SaveSettings(settings) => self.save_settings(*settings),
            Action::SendTestReminder => self.send_test_reminder(),
            Action::FinishWelcome => {
                self.state.settings_form = SettingsForm::from_settings(&self.state.settings);
                self.apply(Action::Go(View::Today));
            }
        }
    }

    /// Asks the daemon for a test reminder; the welcome shows its answer
    /// when the status reports it.
    fn send_test_reminder(&mut self) {
        use crate::ui::welcome::TestReminder;
        self.state.welcome.test = match send_shared(&self.link, &Request::TestReminder) {
            Ok(Response::Error { message }) => {
                TestReminder::Failed(format!("The test reminder was not shown: {message}."))
            }
            Ok(_) => TestReminder::Sent,
            Err(err) => {
                self.state.daemon_error = Some(err.clone());
                TestReminder::Failed(format!("The background service did not answer: {err}."))
            }
        };
        self.poll_status();
    }

    fn start_break(&mut self, now: DateTime<Utc>) {
        if self.state.move_break.is_some() {
            self.state.view = View::Break;
            return;
        }
        let pending = self
            .state
            .status
            .as_ref()
            .and_then(|s| s.pending_of(ReminderKind::MoveBreak))
            .cloned();
        // Started already when the notification's Start opened this window.
        if pending.as_ref().is_some_and(|p| p.started_at.is_none()) {
            self.send(Request::Start {
                kind: ReminderKind::MoveBreak,
            });
        }
        let seed = now.timestamp().unsigned_abs();
        let suggestion = self.state.rotation.next_break(seed);
        self.state.move_break = Some(BreakSession::new(
            self.state.settings.move_break.duration,
            suggestion,
            pending.map(|p| p.can_snooze),
            now,
        ));
        self.state.view = View::Break;
    }

    fn end_break(&mut self, answer: Answer, now: DateTime<Utc>) {
        let Some(session) = self.state.move_break.take() else {
            return;
        };
        let kind = ReminderKind::MoveBreak;
        let outcome = answer.outcome_for(kind);
        let done = if session.from_reminder() && self.daemon_up() {
            self.send(Request::Answer {
                kind: Some(kind),
                answer,
            })
        } else {
            let offset = self.clock.now().offset().local_minus_utc();
            let mut entry = Entry::new(kind, outcome, now, offset);
            entry.duration_s = session.elapsed_s(now);
            self.record(entry)
        };
        if done {
            self.info(format!("Move break: {}", outcome.label()));
            self.reload_log();
        }
        self.state.view = View::Today;
        self.poll_status();
    }

    fn start_routine(&mut self, id: &str) {
        if self.state.routine.is_some() {
            self.state.view = View::Routine;
            return;
        }
        let Some(routine) = self.state.catalog.routine(id) else {
            self.error(format!("There is no routine \"{id}\"."));
            return;
        };
        self.state.routine = Some(RoutineSession::new(&self.state.catalog, routine));
        if self
            .state
            .status
            .as_ref()
            .and_then(|s| s.pending_of(ReminderKind::Routine))
            .is_some_and(|p| p.started_at.is_none())
        {
            self.send(Request::Start {
                kind: ReminderKind::Routine,
            });
        }
        self.state.view = View::Routine;
    }

    fn save_routine(&mut self, pain: Option<u8>, note: &str, now: DateTime<Utc>) {
        let Some(session) = self.state.routine.take() else {
            return;
        };
        let offset = self.clock.now().offset().local_minus_utc();
        let entry = session.guide.to_entry(now, offset, pain, note);
        let outcome = entry.outcome;
        if self.record(entry) {
            self.info(format!("Routine saved to the log: {}", outcome.label()));
            self.state.view = View::Today;
            self.poll_status();
        } else {
            // Keep the session so nothing typed is lost; the message says why.
            self.state.routine = Some(session);
        }
    }

    /// Leaving the window: a routine under way is saved as partial (when it
    /// was started); a break is logged as taken when it ran long enough (as
    /// with Esc), else left to the daemon.
    pub fn leave(&mut self) {
        let now = self.now();
        if self.state.move_break.is_some() {
            self.apply(Action::CloseBreak);
        }
        let Some(session) = self.state.routine.as_ref() else {
            return;
        };
        if session.guide.has_started() {
            let pain = session.pain;
            let note = session.note.clone();
            self.save_routine(pain, &note, now);
        }
        self.state.routine = None;
    }

    fn apply_log(&mut self, action: LogAction) {
        let Some(store) = self.state.store.as_mut() else {
            self.error("The log is not open.");
            return;
        };
        let result = match action {
            LogAction::ShowDay(day) => {
                self.state.log.day = day;
                self.state.log.close_editors();
                Ok(None)
            }
            LogAction::Update(entry) => store
                .update_entry(&entry)
                .map(|()| Some("Entry saved.".to_owned())),
            LogAction::Delete(id) => store.delete_entry(id).map(|entry| {
                self.state.log.deleted = Some(entry);
                None
            }),
            LogAction::Undo => match self.state.log.deleted.take() {
                Some(entry) => store
                    .restore_entry(&entry)
                    .map(|_| Some("Entry restored.".to_owned())),
                None => Ok(None),
            },
            LogAction::Add(entry) => {
                let day = entry.local_date();
                store.add_entry(&entry).map(|_| {
                    self.state.log.day = day;
                    Some("Entry added.".to_owned())
                })
            }
        };
        match result {
            Ok(message) => {
                self.state.log.close_editors();
                if let Some(text) = message {
                    self.info(text);
                } else {
                    self.state.notice = None;
                }
            }
            Err(err) => self.error(format!("The log could not be changed: {err}")),
        }
        self.reload_log();
    }

    fn apply_routines(&mut self, action: RoutineAction) {
        match action {
            RoutineAction::Save(routine) => {
                if let Err(errors) = self.state.catalog.validate_routine(&routine) {
                    self.state.routines.errors = errors;
                    return;
                }
                let saved = match self.state.store.as_mut() {
                    Some(store) => store.save_user_routine(&routine).map_err(|e| e.to_string()),
                    None => Err("the log is not open".to_owned()),
                };
                match saved {
                    Ok(()) => {
                        self.state.routines.finish_editing(&routine.id);
                        self.reload_catalog();
                        self.info(format!("Saved \"{}\".", routine.name));
                    }
                    Err(err) => self.error(format!("Could not save the routine: {err}")),
                }
            }
            RoutineAction::Delete(id) => {
                let deleted = match self.state.store.as_mut() {
                    Some(store) => store.delete_user_routine(&id).map_err(|e| e.to_string()),
                    None => Err("the log is not open".to_owned()),
                };
                match deleted {
                    Ok(()) => {
                        self.state.routines.selected = None;
                        self.reload_catalog();
                        self.info("Routine deleted.");
                    }
                    Err(err) => self.error(format!("Could not delete the routine: {err}")),
                }
            }
            RoutineAction::Choose(id) => {
                let mut settings = self.state.settings.clone();
                settings.routine.routine = id;
                self.save_settings(settings);
            }
        }
    }

    /// Takes new settings into use. With the daemon running it owns the
    /// settings file and the login entry, so it is asked to apply them;
    /// without it the window writes them itself.
    fn save_settings(&mut self, settings: Settings) {
        if let Err(errors) = settings.validate() {
            self.state.settings_form.set_errors(errors);
            return;
        }
        if self.daemon_up() {
            if !self.send(Request::ApplySettings {
                settings: settings.clone(),
            }) {
                return;
            }
        } else if let Err(message) = self.save_settings_here(&settings) {
            self.error(message);
            return;
        }
        self.state.settings = settings.clone();
        self.state.settings_warning = None;
        self.state.settings_form = SettingsForm::from_settings(&settings);
        self.info("Settings saved.");
    }

    /// Writes the settings file and changes the login entry, for when no
    /// daemon runs to do it.
    fn save_settings_here(&self, settings: &Settings) -> Result<(), String> {
        save_settings(&self.config_file, settings)
            .map_err(|err| format!("Settings were not saved: {err}"))?;
        if settings.startup.autostart != self.state.settings.startup.autostart {
            std::env::current_exe()
                .map_err(|err| err.to_string())
                .and_then(|exe| {
                    set_autostart(settings.startup.autostart, &exe).map_err(|err| err.to_string())
                })
                .map_err(|err| format!("Start at login could not be changed: {err}"))?;
        }
        Ok(())
    }
}

impl eframe::App for App {
    // Runs even while the window is hidden or minimized, so a later start
    // can still bring it back.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        while let Some(request) = self.open_requests.as_ref().and_then(OpenRequests::try_next) {
            if let Some(view) = request.view {
                self.poll_status();
                self.open_view(view);
            }
            single_window::raise(ctx);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.leave();
    }
}

fn notice_bar(ui: &mut egui::Ui, notice: &Notice) {
    let palette = theme::Palette::of(ui);
    let color = if notice.is_error {
        palette.error
    } else {
        palette.good
    };
    egui::Frame::new()
        .inner_margin(egui::Margin::symmetric(24, 6))
        .show(ui, |ui| {
            ui.label(egui::RichText::new(&notice.text).color(color));
        });
}
