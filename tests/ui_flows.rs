//! The window's main flows, driven headless through egui_kittest with a real
//! log in a temporary folder, a fake daemon at the IPC edge and a clock the
//! test moves by hand.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};

use rebalance::core::busy::BusyReason;
use rebalance::core::catalog::Catalog;
use rebalance::core::model::{Answer, Entry, Outcome, ReminderKind};
use rebalance::core::schedule::Pending;
use rebalance::core::settings::{Settings, Theme};
use rebalance::ipc::{Request, Response, StatusReport, TodayCounts};
use rebalance::store::Store;
use rebalance::store::settings_file::save_settings;
use rebalance::ui::actions::{Action, View};
use rebalance::ui::app::App;
use rebalance::ui::prompt::PromptApp;
use rebalance::ui::services::{Clock, DaemonLink, Deps, ServiceStarter};
use rebalance::ui::welcome::{self, WELCOME_SHOWN_KEY};
use rebalance::ui::{about, settings_view, today};

/// What the fake daemon knows and what it was asked.
#[derive(Default)]
struct FakeState {
    running: bool,
    pending: Vec<Pending>,
    requests: Vec<Request>,
    /// What the daemon says holds reminders back.
    holding: Option<BusyReason>,
    /// The answer the user gave the test reminder, once given.
    test_answer: Option<Answer>,
}

/// A daemon that answers from memory, or is not running at all.
#[derive(Clone, Default)]
struct FakeDaemon(Arc<Mutex<FakeState>>);

impl FakeDaemon {
    fn running(pending: Vec<Pending>) -> Self {
        Self(Arc::new(Mutex::new(FakeState {
            running: true,
            pending,
            requests: Vec::new(),
            holding: None,
            test_answer: None,
        })))
    }

    /// Requests received, Status polls left out.
    fn requests(&self) -> Vec<Request> {
        let state = self.0.lock().unwrap();
        state
            .requests
            .iter()
            .filter(|r| **r != Request::Status)
            .cloned()
            .collect()
    }
}

impl DaemonLink for FakeDaemon {
    fn request(&mut self, request: &Request) -> Result<Response, String> {
        let mut state = self.0.lock().unwrap();
        state.requests.push(request.clone());
        if !state.running {
            return Err("Rebalance is not running".to_owned());
        }
        Ok(match request {
            Request::Status => Response::Status(StatusReport {
                at: now().with_timezone(&Utc),
                revision: 0,
                pause: rebalance::ipc::Pause::Running,
                next: ReminderKind::ALL
                    .into_iter()
                    .map(|k| (k, Some(now().with_timezone(&Utc) + Duration::minutes(20))))
                    .collect(),
                pending: state.pending.clone(),
                today: TodayCounts {
                    date: now().date_naive(),
                    counts: BTreeMap::new(),
                    routine_minutes: 0,
                },
                degraded: vec![rebalance::ipc::Degraded {
                    feature: rebalance::ipc::Feature::Idle,
                    reason: "no idle source on this desktop".to_owned(),
                }],
                settings_warning: None,
                idle_source: "none".to_owned(),
                holding: state.holding.clone(),
                test_answer: state.test_answer,
            }),
            Request::Answer { kind, .. } => {
                state.pending.retain(|p| Some(p.kind) != *kind);
                Response::Ok
            }
            _ => Response::Ok,
        })
    }
}

/// A clock the test moves.
#[derive(Clone)]
struct FakeClock(Arc<Mutex<DateTime<FixedOffset>>>);

impl FakeClock {
    fn advance(&self, seconds: i64) {
        let mut t = self.0.lock().unwrap();
        *t += Duration::seconds(seconds);
    }

    fn advance_ms(&self, ms: i64) {
        let mut t = self.0.lock().unwrap();
        *t += Duration::milliseconds(ms);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.0.lock().unwrap()
    }
}

#[derive(Clone, Default)]
struct FakeStarter(Arc<Mutex<u32>>);

impl ServiceStarter for FakeStarter {
    fn start(&mut self) -> Result<(), String> {
        *self.0.lock().unwrap() += 1;
        Ok(())
    }
}

fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(3600)
        .unwrap()
        .with_ymd_and_hms(2025, 3, 4, 11, 0, 0)
        .unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

struct World {
    _dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
    daemon: FakeDaemon,
    clock: FakeClock,
    starter: FakeStarter,
}

impl World {
    /// A returning user's world: the welcome was shown before.
    fn new(daemon: FakeDaemon) -> Self {
        let world = Self::first_start(daemon);
        Store::open(&world.db)
            .unwrap()
            .save_state(WELCOME_SHOWN_KEY, "true")
            .unwrap();
        world
    }

    /// A first start: no settings file, an empty log.
    fn first_start(daemon: FakeDaemon) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            db: dir.path().join("log.sqlite"),
            config: dir.path().join("settings.toml"),
            _dir: dir,
            daemon,
            clock: FakeClock(Arc::new(Mutex::new(now()))),
            starter: FakeStarter::default(),
        }
    }

    fn deps(&self) -> Deps {
        Deps {
            db_file: self.db.clone(),
            config_file: self.config.clone(),
            reports_dir: self._dir.path().join("reports"),
            link: Box::new(self.daemon.clone()),
            clock: Box::new(self.clock.clone()),
            starter: Box::new(self.starter.clone()),
        }
    }

    fn app(&self, view: Option<View>) -> Harness<'static, App> {
        let app = App::new(self.deps(), view);
        let mut harness = Harness::builder()
            .with_size([900.0, 900.0])
            .build_ui_state(|ui, app: &mut App| app.show(ui), app);
        harness.run();
        harness
    }

    fn saved_settings(&self) -> Settings {
        rebalance::store::settings_file::load_settings(&self.config).settings
    }

    fn entries_today(&self) -> Vec<Entry> {
        Store::open(&self.db)
            .unwrap()
            .entries_on_days(today(), today())
            .unwrap()
    }
}

/// Clicks the control named `label` (a heading with the same text is not a
/// control).
fn click(harness: &mut Harness<'_, App>, label: &str) {
    let nodes: Vec<_> = harness
        .get_all_by_label(label)
        .filter(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .collect();
    assert_eq!(nodes.len(), 1, "one control named {label:?}");
    nodes[0].click();
    harness.run();
}

fn mini_name() -> String {
    Catalog::builtin().routine("mini").unwrap().name.clone()
}

/// Clicks "Set done" until the finish screen shows, moving the clock on.
fn do_every_set(harness: &mut Harness<'_, App>, clock: &FakeClock) {
    for _ in 0..200 {
        if harness.query_by_label("Save to log").is_some() {
            return;
        }
        clock.advance(20);
        click(harness, "Set done (Enter)");
    }
    panic!("the routine never reached its finish screen");
}

#[test]
fn the_mini_routine_done_end_to_end_is_in_the_log_with_its_pain_score() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(None);
    click(&mut harness, "Routine");
    click(&mut harness, &format!("Start {}", mini_name()));
    let steps = Catalog::builtin().routine("mini").unwrap().steps.len();

    // The counter runs with Space, and pauses again.
    harness.key_press(egui::Key::Space);
    harness.run();
    assert!(harness.query_by_label("Pause (Space)").is_some());
    harness.key_press(egui::Key::Space);
    harness.run();

    do_every_set(&mut harness, &world.clock);
    assert!(harness.query_by_label("Routine complete").is_some());
    click(&mut harness, "Pain 3");
    harness.get_by_label("How did it feel?").click();
    harness
        .get_by_label("How did it feel?")
        .type_text("felt steady");
    harness.run();
    click(&mut harness, "Save to log");

    let entries = world.entries_today();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let session = &entries[0];
    assert_eq!(session.kind, ReminderKind::Routine);
    assert_eq!(session.outcome, Outcome::Completed);
    assert_eq!(session.pain, Some(3));
    assert_eq!(session.note, "felt steady");
    assert_eq!(session.routine.as_deref(), Some("mini"));
    assert_eq!(session.exercises.len(), steps);
    assert!(session.duration_s > 0);

    // And the log view shows it.
    click(&mut harness, "Log");
    assert!(harness.query_by_label_contains("pain 3/10").is_some());
}

#[test]
fn a_routine_left_midway_is_saved_as_partial() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(Some(View::Routine));
    // Two sides or two sets: at least one full set of the first exercise.
    for _ in 0..2 {
        world.clock.advance(30);
        click(&mut harness, "Set done (Enter)");
    }
    harness.state_mut().leave();

    let entries = world.entries_today();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].outcome, Outcome::Partial);
    let catalog = Catalog::builtin();
    let first = &catalog.routine("mini").unwrap().steps[0];
    assert_eq!(entries[0].exercises.len(), 1);
    assert_eq!(entries[0].exercises[0].exercise, first.exercise);
    assert_eq!(entries[0].duration_s, 30);
}

#[test]
fn a_routine_never_started_is_not_logged() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(Some(View::Routine));
    harness.state_mut().leave();
    assert!(world.entries_today().is_empty());
}

#[test]
fn with_a_daemon_the_finished_routine_is_recorded_through_it() {
    let world = World::new(FakeDaemon::running(Vec::new()));
    let mut harness = world.app(Some(View::Routine));
    do_every_set(&mut harness, &world.clock);
    click(&mut harness, "Save to log");
    let recorded: Vec<_> = world
        .daemon
        .requests()
        .into_iter()
        .filter_map(|r| match r {
            Request::Record { entry } => Some(entry),
            _ => None,
        })
        .collect();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].outcome, Outcome::Completed);
}

fn pending_break() -> Pending {
    let due = now().with_timezone(&Utc) - Duration::minutes(1);
    Pending {
        kind: ReminderKind::MoveBreak,
        due_at: due,
        shown_at: due,
        snoozes: 0,
        can_snooze: true,
        started_at: None,
        held: None,
    }
}

#[test]
fn snoozing_a_pending_break_from_the_break_view_tells_the_daemon() {
    let world = World::new(FakeDaemon::running(vec![pending_break()]));
    let mut harness = world.app(None);
    click(&mut harness, "Start break");
    assert!(harness.query_by_label("Time left").is_some());
    click(&mut harness, "Snooze");
    let requests = world.daemon.requests();
    assert_eq!(
        requests,
        vec![
            Request::Start {
                kind: ReminderKind::MoveBreak
            },
            Request::Answer {
                kind: Some(ReminderKind::MoveBreak),
                answer: Answer::Snooze
            }
        ]
    );
    assert!(world.entries_today().is_empty(), "the daemon logs it");
}

#[test]
fn skipping_a_break_without_a_daemon_writes_the_log_itself() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(None);
    assert!(
        harness
            .query_by_label_contains("background service is not running")
            .is_some()
    );
    click(&mut harness, "Take a break now");
    assert!(
        harness.query_by_label("Snooze").is_none(),
        "nothing to snooze"
    );
    world.clock.advance(40);
    click(&mut harness, "Skip");
    let entries = world.entries_today();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].kind, entries[0].outcome),
        (ReminderKind::MoveBreak, Outcome::Skipped)
    );
}

#[test]
fn the_break_countdown_runs_and_space_pauses_it() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(Some(View::Break));
    world.clock.advance(65);
    harness.run();
    assert!(harness.query_by_label("3:55").is_some());
    harness.key_press(egui::Key::Space);
    harness.run();
    world.clock.advance(100);
    harness.run();
    assert!(harness.query_by_label("3:55").is_some(), "paused");
    world.clock.advance(1000);
    harness.key_press(egui::Key::Space);
    harness.run();
    world.clock.advance(300);
    harness.run();
    click(&mut harness, "Done");
    let entries = world.entries_today();
    assert_eq!(entries[0].outcome, Outcome::Taken);
    assert_eq!(entries[0].duration_s, 300);
}

#[test]
fn without_a_daemon_the_window_offers_to_start_it() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(None);
    click(&mut harness, "Start background service");
    assert_eq!(*world.starter.0.lock().unwrap(), 1);
}

fn replace_text(harness: &mut Harness<'_, App>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run();
}

#[test]
fn an_invalid_interval_shows_its_message_and_nothing_is_saved() {
    let world = World::new(FakeDaemon::running(Vec::new()));
    let mut harness = world.app(Some(View::Settings));
    let before = std::fs::read_to_string(&world.config).unwrap_or_default();
    replace_text(&mut harness, "Check every", "soon");
    assert!(
        harness
            .query_by_label_contains("is not a duration")
            .is_some()
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    let after = std::fs::read_to_string(&world.config).unwrap_or_default();
    assert_eq!(before, after, "nothing saved");
    assert!(
        !world
            .daemon
            .requests()
            .iter()
            .any(|r| matches!(r, Request::ApplySettings { .. }))
    );

    replace_text(&mut harness, "Check every", "45m");
    assert!(
        harness
            .query_by_label_contains("is not a duration")
            .is_none()
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    // The running daemon owns the file: the window asks it to apply them.
    assert!(world.daemon.requests().iter().any(|r| matches!(
        r,
        Request::ApplySettings { settings } if settings.posture.interval.as_secs() == 45 * 60
    )));
    let after = std::fs::read_to_string(&world.config).unwrap_or_default();
    assert_eq!(before, after, "the window left the file to the daemon");
    assert!(harness.query_by_label("Settings saved.").is_some());
}

#[test]
fn without_a_daemon_the_window_saves_the_settings_itself() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(Some(View::Settings));
    replace_text(&mut harness, "Check every", "45m");
    harness.key_press(egui::Key::Enter);
    harness.run();
    let saved = std::fs::read_to_string(&world.config).unwrap();
    assert!(saved.contains("45m"), "{saved}");
    assert!(world.daemon.requests().is_empty());
}

#[test]
fn a_log_entry_can_be_edited_deleted_and_restored() {
    let world = World::new(FakeDaemon::default());
    let at = now().with_timezone(&Utc) - Duration::hours(1); // 10:00 local
    let id = Store::open(&world.db)
        .unwrap()
        .add_entry(&Entry::new(
            ReminderKind::PostureCheck,
            Outcome::AllGood,
            at,
            3600,
        ))
        .unwrap();
    let mut harness = world.app(Some(View::Log));
    click(&mut harness, "Edit posture check at 10:00");
    replace_text(&mut harness, "Time", "10:30");
    click(&mut harness, "Save changes");
    let edited = world.entries_today();
    assert_eq!(edited.len(), 1);
    assert_eq!(edited[0].id, Some(id));
    assert_eq!(edited[0].local_at().format("%H:%M").to_string(), "10:30");

    click(&mut harness, "Delete posture check at 10:30");
    assert!(world.entries_today().is_empty());
    click(&mut harness, "Undo");
    let restored = world.entries_today();
    assert_eq!(restored, edited);
    assert!(
        harness
            .query_by_label("Edit posture check at 10:30")
            .is_some()
    );
}

#[test]
fn a_missed_session_can_be_added_afterwards() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(Some(View::Log));
    click(&mut harness, "Previous day");
    click(&mut harness, "Add a missed session");
    replace_text(&mut harness, "Time", "19:15");
    click(&mut harness, "Add to log");
    let yesterday = today().pred_opt().unwrap();
    let entries = Store::open(&world.db)
        .unwrap()
        .entries_on_days(yesterday, yesterday)
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].kind, ReminderKind::Routine);
    assert_eq!(entries[0].local_at().format("%H:%M").to_string(), "19:15");
}

#[test]
fn every_view_draws_with_named_controls() {
    let world = World::new(FakeDaemon::running(vec![pending_break()]));
    let mut harness = world.app(None);
    for view in View::TABS {
        click(&mut harness, view.label());
        harness.check_accessibility();
    }
    // Narrow and at 200 % scale the views still draw.
    harness.set_size(egui::vec2(420.0, 600.0));
    harness.set_pixels_per_point(2.0);
    for view in View::TABS {
        click(&mut harness, view.label());
    }
}

#[test]
fn the_week_view_writes_a_report_for_a_therapist() {
    let world = World::new(FakeDaemon::default());
    let mut session = Entry::new(
        ReminderKind::Routine,
        Outcome::Completed,
        now().with_timezone(&Utc) - Duration::hours(2),
        3600,
    );
    session.routine = Some("mini".to_owned());
    session.pain = Some(4);
    Store::open(&world.db).unwrap().add_entry(&session).unwrap();
    let mut harness = world.app(Some(View::Week));
    click(&mut harness, "Report for your therapist…");
    let report = world
        ._dir
        .path()
        .join("reports")
        .join(format!("rebalance-report-{}.html", today()));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("<html"), "{html}");
    assert!(harness.query_by_label_contains("written to").is_some());
}

#[test]
fn a_builtin_routine_is_duplicated_edited_and_offered_by_the_reminder() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(Some(View::Routines));
    click(&mut harness, "Duplicate to customise");
    replace_text(&mut harness, "Name", " ");
    click(&mut harness, "Save routine");
    assert!(harness.query_by_label("must not be empty").is_some());
    let store = || Store::open(&world.db).unwrap();
    assert!(store().user_routines().unwrap().is_empty(), "nothing saved");

    replace_text(&mut harness, "Name", "Evening mini");
    click(&mut harness, "Move step 2 up");
    click(&mut harness, "Remove step 3");
    click(&mut harness, "Save routine");
    let saved = store().user_routines().unwrap();
    assert_eq!(saved.len(), 1);
    let mini = Catalog::builtin().routine("mini").unwrap().clone();
    assert_eq!(saved[0].name, "Evening mini");
    assert_eq!(
        saved[0].steps,
        vec![mini.steps[1].clone(), mini.steps[0].clone()]
    );

    click(&mut harness, "Use for the reminder");
    let settings = std::fs::read_to_string(&world.config).unwrap();
    assert!(settings.contains(&saved[0].id), "{settings}");
    assert!(
        harness
            .query_by_label("Offered by the routine reminder")
            .is_some()
    );
}

#[test]
fn pausing_and_checking_posture_from_today_ask_the_daemon() {
    let world = World::new(FakeDaemon::running(Vec::new()));
    let mut harness = world.app(None);
    click(&mut harness, "30 min");
    click(&mut harness, "Check posture now");
    assert_eq!(
        world.daemon.requests(),
        vec![
            Request::Pause {
                length: rebalance::core::schedule::PauseLength::For(
                    std::time::Duration::from_secs(30 * 60)
                )
            },
            Request::Trigger {
                kind: ReminderKind::PostureCheck
            }
        ]
    );
}

#[test]
fn the_prompt_window_answers_a_posture_check_and_closes() {
    let due = now().with_timezone(&Utc);
    let world = World::new(FakeDaemon::running(vec![Pending {
        kind: ReminderKind::PostureCheck,
        due_at: due,
        shown_at: due,
        snoozes: 3,
        can_snooze: false,
        started_at: None,
        held: None,
    }]));
    let prompt = PromptApp::new(world.deps(), ReminderKind::PostureCheck, 1);
    let mut harness = Harness::builder()
        .with_size([440.0, 250.0])
        .build_ui_state(|ui, p: &mut PromptApp| p.show(ui), prompt);
    harness.run();
    assert!(
        harness.query_by_label("Snooze").is_none(),
        "no snoozes left"
    );
    harness.get_by_label("Fixed it").click();
    harness.run();
    assert!(harness.state().closed);
    assert_eq!(
        world.daemon.requests(),
        vec![Request::Answer {
            kind: Some(ReminderKind::PostureCheck),
            answer: Answer::FixedIt
        }]
    );
}

#[test]
fn closing_the_window_during_a_break_logs_it_once_it_ran_a_while() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(Some(View::Break));
    world.clock.advance(20);
    harness.state_mut().leave();
    assert!(world.entries_today().is_empty(), "20 s is not a break");

    let mut harness = world.app(Some(View::Break));
    world.clock.advance(120);
    harness.key_press(egui::Key::Escape);
    harness.run();
    let entries = world.entries_today();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].outcome, entries[0].duration_s),
        (Outcome::Taken, 120)
    );
}

#[test]
fn a_break_already_started_from_its_notification_is_not_started_again() {
    let mut started = pending_break();
    started.started_at = Some(now().with_timezone(&Utc));
    let world = World::new(FakeDaemon::running(vec![started]));
    let mut harness = world.app(Some(View::Break));
    assert!(harness.query_by_label("Time left").is_some());
    click(&mut harness, "Done early");
    assert_eq!(
        world.daemon.requests(),
        vec![Request::Answer {
            kind: Some(ReminderKind::MoveBreak),
            answer: Answer::Done
        }]
    );
}

#[test]
fn an_answer_logged_by_the_daemon_shows_when_the_log_is_opened() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(Some(View::Today));
    click(&mut harness, "Log");
    assert!(
        harness
            .query_by_label("Edit posture check at 10:00")
            .is_none()
    );

    // The daemon writes an answer given in a notification while the window
    // is open on another view.
    click(&mut harness, "Today");
    let at = now().with_timezone(&Utc) - Duration::hours(1); // 10:00 local
    Store::open(&world.db)
        .unwrap()
        .add_entry(&Entry::new(
            ReminderKind::PostureCheck,
            Outcome::AllGood,
            at,
            3600,
        ))
        .unwrap();
    click(&mut harness, "Log");
    assert!(
        harness
            .query_by_label("Edit posture check at 10:00")
            .is_some(),
        "the log view shows what the daemon wrote"
    );
}

#[test]
fn today_says_what_holds_reminders_back() {
    let daemon = FakeDaemon::running(Vec::new());
    daemon.0.lock().unwrap().holding = Some(BusyReason::Call);
    let world = World::new(daemon);
    let harness = world.app(None);
    assert!(
        harness
            .query_by_label_contains("Holding reminders: in a call")
            .is_some(),
        "Today says a call holds reminders back"
    );
}

#[test]
fn today_counts_down_in_whole_minutes() {
    // The fake daemon's deadlines are 20 minutes after the test's start.
    let world = World::new(FakeDaemon::running(Vec::new()));
    let mut harness = world.app(None);
    assert_eq!(harness.get_all_by_label("in 20 min").count(), 3);
    // Half a minute on the text is the same; no seconds anywhere.
    world.clock.advance(30);
    harness.run();
    assert_eq!(harness.get_all_by_label("in 20 min").count(), 3);
    assert!(harness.query_by_label_contains(":30").is_none());
    assert!(harness.query_by_label_contains("19:30").is_none());
    assert!(harness.query_by_label_contains("in 30 s").is_none());
    // Past the minute it reads one less.
    world.clock.advance(31);
    harness.run();
    assert_eq!(harness.get_all_by_label("in 19 min").count(), 3);
}

/// Fails when two texts or controls on screen overlap, or one crosses the
/// window's left or right edge (pages scroll, so the bottom may run on).
fn assert_laid_out(harness: &Harness<'_, App>, what: &str) {
    use egui::accesskit::Role;
    let width = harness.ctx.content_rect().width();
    let nodes: Vec<(String, egui::Rect)> = harness
        .query_all_by(|node| {
            matches!(
                node.role(),
                Role::Label
                    | Role::Button
                    | Role::CheckBox
                    | Role::RadioButton
                    | Role::TextInput
                    | Role::ComboBox
                    | Role::SpinButton
                    | Role::Slider
                    | Role::Link
                    | Role::Image
            ) && node.bounding_box().is_some()
        })
        .map(|node| {
            let label = node
                .accesskit_node()
                .label()
                .or_else(|| node.accesskit_node().value())
                .unwrap_or_default();
            (label, node.rect())
        })
        .filter(|(label, rect)| !label.is_empty() && rect.area() > 0.0)
        .collect();
    assert!(nodes.len() > 5, "{what}: something is drawn");
    for (label, rect) in &nodes {
        assert!(
            rect.min.x >= -0.5 && rect.max.x <= width + 0.5,
            "{what}: {label:?} at {rect:?} crosses the window's edge ({width} wide)"
        );
    }
    for (i, (a, ra)) in nodes.iter().enumerate() {
        for (b, rb) in &nodes[i + 1..] {
            let overlap = ra.intersect(*rb);
            assert!(
                overlap.width() < 1.0 || overlap.height() < 1.0,
                "{what}: {a:?} at {ra:?} overlaps {b:?} at {rb:?}"
            );
        }
    }
}

/// A fortnight of answers and breaks, and a routine every other day.
fn fortnight(world: &World) {
    let mut store = Store::open(&world.db).unwrap();
    let end = now().with_timezone(&Utc);
    for day in 0..14 {
        let at = end - Duration::days(day) - Duration::hours(1);
        let outcomes = [Outcome::AllGood, Outcome::Fixed, Outcome::Missed];
        for (i, outcome) in outcomes.into_iter().enumerate() {
            let when = at - Duration::minutes(30 * i as i64);
            store
                .add_entry(&Entry::new(ReminderKind::PostureCheck, outcome, when, 0))
                .unwrap();
        }
        store
            .add_entry(&Entry::new(
                ReminderKind::MoveBreak,
                Outcome::Taken,
                at,
                300,
            ))
            .unwrap();
        if day % 2 == 1 {
            let mut session = Entry::new(ReminderKind::Routine, Outcome::Completed, at, 540);
            session.routine = Some("mini".to_owned());
            session.pain = Some(4);
            store.add_entry(&session).unwrap();
        }
    }
}

#[test]
fn at_the_smallest_size_every_tab_is_reachable() {
    let world = World::new(FakeDaemon::running(Vec::new()));
    let mut harness = world.app(None);
    harness.set_size(egui::vec2(560.0, 480.0));
    harness.run();
    for view in View::TABS {
        let tabs: Vec<_> = harness
            .get_all_by_label(view.label())
            .filter(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
            .collect();
        let tab = &tabs[0];
        assert!(
            tab.rect().max.x <= 560.0 && tab.rect().max.y <= 480.0,
            "{} is on screen at {:?}",
            view.label(),
            tab.rect()
        );
    }
    click(&mut harness, "About");
    harness.get_by_label("Not medical advice");
    click(&mut harness, "Settings");
    assert_eq!(harness.state().state.view, View::Settings);
}

/// How much is in the log for a layout check.
#[derive(Debug, Clone, Copy)]
enum LogFill {
    Empty,
    /// A few answers today and one routine earlier in the week.
    Sparse,
    /// A fortnight of answers, breaks and routines.
    Full,
}

fn fill(world: &World, log: LogFill) {
    match log {
        LogFill::Empty => {}
        LogFill::Sparse => {
            let mut store = Store::open(&world.db).unwrap();
            let at = now().with_timezone(&Utc) - Duration::hours(1);
            for outcome in [Outcome::AllGood, Outcome::Missed] {
                store
                    .add_entry(&Entry::new(ReminderKind::PostureCheck, outcome, at, 0))
                    .unwrap();
            }
            let mut session = Entry::new(
                ReminderKind::Routine,
                Outcome::Partial,
                at - Duration::days(3),
                0,
            );
            session.routine = Some("mini".to_owned());
            session.duration_s = 240;
            store.add_entry(&session).unwrap();
        }
        LogFill::Full => fortnight(world),
    }
}

/// The views the layout check draws; the Routine view both before a
/// routine (its chooser) and during one (the guide).
#[derive(Debug, Clone, Copy)]
enum Screen {
    Tab(View),
    RoutineGuide,
    Welcome,
}

const SCREENS: [Screen; 10] = [
    Screen::Tab(View::Today),
    Screen::Tab(View::Break),
    Screen::Tab(View::Routine),
    Screen::RoutineGuide,
    Screen::Tab(View::Log),
    Screen::Tab(View::Routines),
    Screen::Tab(View::Settings),
    Screen::Tab(View::Week),
    Screen::Tab(View::About),
    Screen::Welcome,
];

/// Window sizes in logical points: the smallest, a 1366 x 768 laptop at
/// 125 %, full HD and QHD.
const SIZES: [(f32, f32); 4] = [
    (560.0, 480.0),
    (1093.0, 614.0),
    (1920.0, 1080.0),
    (2560.0, 1440.0),
];
const SCALES: [f32; 4] = [1.0, 1.25, 1.5, 2.0];

/// Opens the window on `screen` (welcome `step` for the welcome) at one
/// size and scale.
fn open_screen(
    world: &World,
    screen: Screen,
    step: welcome::Step,
    size: (f32, f32),
    scale: f32,
) -> Harness<'static, App> {
    let start = match screen {
        // Opened on the tab, the Break and Routine views start a session.
        Screen::Tab(View::Break) => Some(View::Break),
        Screen::Tab(View::Routine) => Some(View::Today),
        Screen::Tab(view) => Some(view),
        Screen::RoutineGuide => Some(View::Routine),
        Screen::Welcome => Some(View::Welcome),
    };
    let mut app = App::new(world.deps(), start);
    match screen {
        Screen::Tab(View::Routine) => app.apply(Action::Go(View::Routine)),
        Screen::Welcome => app.state.welcome.step = step,
        _ => {}
    }
    let mut harness = Harness::builder()
        .with_size([size.0, size.1])
        .with_pixels_per_point(scale)
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    harness.run();
    harness
}

#[test]
fn every_view_fits_every_size_scale_log_and_theme() {
    // Each view is drawn with each log and theme, at two of the four sizes
    // in turn; the scale turns with every round, so each view meets every
    // size and every scale.
    let mut worlds = Vec::new();
    for log in [LogFill::Empty, LogFill::Sparse, LogFill::Full] {
        for theme in [Theme::Light, Theme::Dark] {
            let world = World::new(FakeDaemon::running(vec![pending_break()]));
            fill(&world, log);
            let mut settings = Settings::default();
            settings.appearance.theme = theme;
            save_settings(&world.config, &settings).unwrap();
            worlds.push((log, theme, world));
        }
    }
    let mut round = 0;
    for screen in SCREENS {
        let (mut sizes, mut scales) = (Vec::new(), Vec::new());
        for (log, theme, world) in &worlds {
            let step = welcome::Step::ALL[round % welcome::Step::ALL.len()];
            // Every other size each round: each view still meets all four.
            for (i, size) in SIZES.into_iter().enumerate() {
                if i % 2 != round % 2 {
                    continue;
                }
                let scale = SCALES[(i + round / 2) % SCALES.len()];
                sizes.push(i);
                scales.push(scale.to_bits());
                let harness = open_screen(world, screen, step, size, scale);
                assert_laid_out(
                    &harness,
                    &format!(
                        "{screen:?} ({step:?}) with a {log:?} log, {theme:?}, at {} x {}, scale {scale}",
                        size.0, size.1
                    ),
                );
            }
            round += 1;
        }
        sizes.sort_unstable();
        sizes.dedup();
        scales.sort_unstable();
        scales.dedup();
        assert_eq!(
            (sizes.len(), scales.len()),
            (SIZES.len(), SCALES.len()),
            "{screen:?} meets every size and scale"
        );
    }
}

#[test]
fn a_first_start_shows_the_welcome_and_a_second_does_not() {
    let world = World::first_start(FakeDaemon::running(Vec::new()));
    let harness = world.app(None);
    assert_eq!(harness.state().state.view, View::Welcome);
    harness.get_by_label("Welcome to Rebalance");
    harness.get_by_label(about::NOT_MEDICAL_ADVICE);
    drop(harness);
    // Closed without choosing anything: default settings, still an empty
    // log, and yet the welcome is not shown again.
    assert_eq!(world.saved_settings(), Settings::default());
    let harness = world.app(None);
    assert_eq!(harness.state().state.view, View::Today);
}

#[test]
fn the_welcome_is_not_shown_to_someone_with_a_log() {
    let world = World::first_start(FakeDaemon::running(Vec::new()));
    fill(&world, LogFill::Sparse);
    assert_eq!(world.app(None).state().state.view, View::Today);
}

#[test]
fn the_welcome_is_not_shown_to_someone_who_chose_settings() {
    let world = World::first_start(FakeDaemon::running(Vec::new()));
    let mut settings = Settings::default();
    settings.posture.interval = std::time::Duration::from_secs(20 * 60);
    save_settings(&world.config, &settings).unwrap();
    assert_eq!(world.app(None).state().state.view, View::Today);
}

#[test]
fn a_settings_file_set_aside_opens_today_with_its_warning_not_the_welcome() {
    let world = World::first_start(FakeDaemon::default());
    std::fs::write(&world.config, [0xff, 0xfe, 0x00]).unwrap();
    let harness = world.app(None);
    assert_eq!(harness.state().state.view, View::Today);
    assert!(
        harness
            .query_by_label("The settings file had a problem.")
            .is_some()
    );
}

#[test]
fn the_welcome_and_each_step_can_be_skipped_without_saving() {
    let world = World::first_start(FakeDaemon::running(Vec::new()));
    let mut harness = world.app(None);
    click(&mut harness, welcome::NEXT);
    harness.get_by_label("When you work");
    replace_text(&mut harness, "From", "07:30");
    click(&mut harness, welcome::SKIP_STEP);
    harness.get_by_label("How often reminders come");
    assert_eq!(
        world.saved_settings(),
        Settings::default(),
        "a skipped step saves nothing"
    );
    click(&mut harness, welcome::BACK);
    assert_eq!(
        harness.get_by_label("From").value().as_deref(),
        Some("09:00"),
        "the skipped change is gone"
    );
    click(&mut harness, welcome::SKIP_WELCOME);
    assert_eq!(harness.state().state.view, View::Today);
    assert_eq!(world.saved_settings(), Settings::default());
    assert!(
        world.daemon.requests().is_empty(),
        "{:?}",
        world.daemon.requests()
    );
}

#[test]
fn values_chosen_in_the_welcome_are_checked_saved_and_applied() {
    let world = World::first_start(FakeDaemon::running(Vec::new()));
    let mut harness = world.app(None);
    click(&mut harness, welcome::NEXT);
    replace_text(&mut harness, "From", "08:30");
    click(&mut harness, welcome::NEXT);
    harness.get_by_label("How often reminders come");
    replace_text(&mut harness, "Check every", "soon");
    click(&mut harness, welcome::NEXT);
    assert!(
        harness
            .query_by_label_contains("is not a duration")
            .is_some(),
        "the Settings view's message"
    );
    harness.get_by_label("How often reminders come");
    replace_text(&mut harness, "Check every", "45m");
    click(&mut harness, welcome::NEXT);
    harness.get_by_label("Your imbalance pattern (optional)");

    // The running daemon owns the settings file: each step's values go to it.
    assert_eq!(world.saved_settings(), Settings::default());
    let applied: Vec<_> = world
        .daemon
        .requests()
        .into_iter()
        .filter_map(|r| match r {
            Request::ApplySettings { settings } => Some(settings),
            _ => None,
        })
        .collect();
    assert_eq!(applied.len(), 2, "each step's save goes to the daemon");
    assert_eq!(
        applied[1].working_hours.start.format("%H:%M").to_string(),
        "08:30"
    );
    assert_eq!(applied[1].posture.interval.as_secs(), 45 * 60);
}

/// Clicks Next until the welcome's test step shows.
fn to_the_test_step(harness: &mut Harness<'_, App>) {
    while harness.state().state.welcome.step != welcome::Step::Test {
        click(harness, welcome::NEXT);
    }
}

#[test]
fn the_test_reminder_is_asked_of_the_daemon_and_its_answer_shows() {
    let world = World::first_start(FakeDaemon::running(Vec::new()));
    let mut harness = world.app(None);
    to_the_test_step(&mut harness);
    click(&mut harness, welcome::SEND_TEST);
    assert_eq!(world.daemon.requests(), [Request::TestReminder]);
    harness.get_by_label_contains("answer shows here");
    // The user presses "Fixed it" on the notification; the window's next
    // status poll reads it.
    world.daemon.0.lock().unwrap().test_answer = Some(Answer::FixedIt);
    harness.state_mut().poll_status();
    harness.run();
    harness.get_by_label(&welcome::answered_line(Answer::FixedIt));
    assert!(
        world.entries_today().is_empty(),
        "a test answer is not logged"
    );
    click(&mut harness, welcome::FINISH);
    assert_eq!(harness.state().state.view, View::Today);
}

#[test]
fn without_a_daemon_the_test_step_offers_to_start_it() {
    let world = World::first_start(FakeDaemon::default());
    let mut harness = world.app(None);
    to_the_test_step(&mut harness);
    assert!(harness.query_by_label(welcome::SEND_TEST).is_none());
    click(&mut harness, today::START_SERVICE);
    assert_eq!(*world.starter.0.lock().unwrap(), 1);
}

#[test]
fn settings_shows_the_welcome_again() {
    let world = World::new(FakeDaemon::running(Vec::new()));
    let mut harness = world.app(Some(View::Settings));
    // Tall enough that the end of the page, where the button is, shows.
    harness.set_size(egui::vec2(900.0, 3000.0));
    harness.run();
    click(&mut harness, settings_view::SHOW_WELCOME);
    assert_eq!(harness.state().state.view, View::Welcome);
    harness.get_by_label("Welcome to Rebalance");
}

#[test]
fn the_routine_with_its_figure_fits_from_the_smallest_size_to_a_large_one() {
    let world = World::new(FakeDaemon::default());
    for (width, height) in [(560.0, 480.0), (860.0, 600.0), (1920.0, 1080.0)] {
        for scale in [1.0, 1.25, 2.0] {
            let app = App::new(world.deps(), Some(View::Routine));
            let mut harness = Harness::builder()
                .with_size([width, height])
                .with_pixels_per_point(scale)
                .build_ui_state(|ui, app: &mut App| app.show(ui), app);
            // Opened on the routine, the window starts the one the reminder
            // offers.
            harness.run();
            let what = format!("routine at {width} x {height}, scale {scale}");
            assert_laid_out(&harness, &format!("{what}, before the set"));
            // A fixed moment of a running set: a second and a half in.
            click(&mut harness, "Start set (Space)");
            world.clock.advance_ms(1500);
            harness.run();
            assert_laid_out(&harness, &format!("{what}, set running"));
            let figure = harness.get_by_label_contains("Figure showing").rect();
            let counter = harness.get_by_label("Pause (Space)").rect();
            assert!(
                figure.width() >= 170.0,
                "{what}: the figure is large: {figure:?}"
            );
            assert!(
                figure.max.x <= counter.min.x && figure.min.y < counter.max.y,
                "{what}: the figure {figure:?} is beside the counter {counter:?}"
            );
        }
    }
}

#[test]
fn the_routines_list_shows_a_small_figure_for_each_step() {
    let world = World::new(FakeDaemon::default());
    let mut harness = world.app(Some(View::Routines));
    harness.set_size(egui::vec2(560.0, 480.0));
    harness.run();
    let steps = Catalog::builtin().routines()[0].steps.len();
    let figures: Vec<_> = harness
        .query_all_by_label_contains("Figure showing")
        .filter(|n| n.accesskit_node().role() == egui::accesskit::Role::Image)
        .collect();
    assert_eq!(figures.len(), steps);
    assert_laid_out(&harness, "routines at 560 x 480");
}
