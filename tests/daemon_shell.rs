//! The daemon's service loop, run for real against fakes of its seams: a
//! desktop whose notifications, tray, idle time and busy signals the test
//! controls, windows that are recorded, and a clock the test moves. The
//! store is a real SQLite file and the settings file a real file. These are
//! the reliability drills that need no real desktop (the notification
//! server going away and coming back, a tray host appearing late, clock
//! jumps, suspend, a stop from the system, a restart), in milliseconds.

mod daemon_fakes;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, Local, TimeZone, Utc};
use tokio::sync::{mpsc, oneshot};

use daemon_fakes::{
    FakeClock, FakeWindows, SharedScreen, all_day_settings as settings, fake_desktop,
};
use rebalance::core::busy::BusyReason;
use rebalance::core::model::{Answer, Outcome, ReminderKind};
use rebalance::core::reminder_notice::NoticeAction;
use rebalance::core::settings::Settings;
use rebalance::daemon::service::Service;
use rebalance::ipc::server::Incoming;
use rebalance::ipc::{Feature, Request, Response, StatusReport};
use rebalance::platform::desktop::{SleepEvent, TrayCommand};
use rebalance::platform::notifications::NotificationEvent;
use rebalance::platform::seams::DesktopEvent;
use rebalance::store::Store;
use rebalance::store::settings_file::load_settings;

const POSTURE: ReminderKind = ReminderKind::PostureCheck;
const BREAK: ReminderKind = ReminderKind::MoveBreak;

/// 10:00 local on a Tuesday.
fn start_time() -> DateTime<Local> {
    Local.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap()
}

/// The test's side of a running service.
struct Control {
    requests: mpsc::Sender<Incoming>,
    events: mpsc::UnboundedSender<DesktopEvent>,
    clock: FakeClock,
    screen: SharedScreen,
    db: PathBuf,
}

impl Control {
    /// Sends a request on the control channel and waits for the reply.
    async fn ask(&self, request: Request) -> Response {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Incoming { request, reply })
            .await
            .expect("the service takes requests");
        answer.await.expect("the service replies")
    }

    async fn status(&self) -> StatusReport {
        match self.ask(Request::Status).await {
            Response::Status(report) => report,
            other => panic!("expected a status, got {other:?}"),
        }
    }

    /// Sends a desktop event and waits until the service has handled it
    /// (it handles one thing at a time, so a ping answered means done).
    async fn tell(&self, event: DesktopEvent) {
        self.events.send(event).expect("the service listens");
        assert_eq!(self.ask(Request::Ping).await, Response::Ok);
    }

    /// Lets `minutes` pass a minute at a time with the user at the desk,
    /// the service looking at each.
    async fn wait_minutes(&self, minutes: i64) {
        for _ in 0..minutes {
            self.clock.advance_minutes(1);
            self.status().await;
        }
    }

    /// Sets the clock `minutes` ahead (or back) in one jump.
    async fn jump_minutes(&self, minutes: i64) -> StatusReport {
        self.clock.advance_minutes(minutes);
        self.status().await
    }

    fn answer(&self, kind: ReminderKind, answer: Answer) -> DesktopEvent {
        DesktopEvent::Notification(NotificationEvent::ActionInvoked {
            id: self.screen.borrow().last_id(kind),
            action: NoticeAction::Answer(answer),
        })
    }

    fn kinds_shown(&self) -> Vec<ReminderKind> {
        self.screen.borrow().kinds_shown()
    }

    /// What the log file holds, read through a connection of its own.
    fn logged(&self) -> Vec<(ReminderKind, Outcome)> {
        logged(&self.db)
    }
}

fn logged(db: &Path) -> Vec<(ReminderKind, Outcome)> {
    let store = Store::open(db).expect("the log opens");
    let far = chrono::Duration::days(3650);
    store
        .entries_between(Utc::now() - far, Utc::now() + far)
        .expect("the log reads")
        .into_iter()
        .map(|e| (e.kind, e.outcome))
        .collect()
}

/// A service with its own folder, screen and clock.
struct Rig {
    dir: tempfile::TempDir,
    screen: SharedScreen,
    clock: FakeClock,
    settings: Settings,
    degraded: BTreeMap<Feature, String>,
}

impl Rig {
    fn new() -> Rig {
        Rig {
            dir: tempfile::tempdir().expect("a temporary folder"),
            screen: SharedScreen::default(),
            clock: FakeClock::at(start_time()),
            settings: settings(),
            degraded: BTreeMap::new(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("log.db")
    }

    fn config_file(&self) -> PathBuf {
        self.dir.path().join("settings.toml")
    }

    /// Runs the service until `script` ends (which closes the control
    /// channel, as the last client of a stopping daemon would) or the
    /// service quits by itself.
    fn run<F, Fut>(&self, script: F)
    where
        F: FnOnce(Control) -> Fut,
        Fut: Future<Output = ()>,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let store = Store::open(&self.db()).expect("the log opens");
            let (requests_tx, requests) = mpsc::channel(16);
            let (events_tx, events) = mpsc::unbounded_channel();
            let service = Service::new(
                self.settings.clone(),
                None,
                store,
                self.config_file(),
                fake_desktop(&self.screen, self.degraded.clone()),
                Box::new(FakeWindows(self.screen.clone())),
                Box::new(self.clock.clone()),
            );
            let control = Control {
                requests: requests_tx,
                events: events_tx,
                clock: self.clock.clone(),
                screen: self.screen.clone(),
                db: self.db(),
            };
            // Bounded so a service that never ends fails the test.
            let both = async { tokio::join!(service.run(requests, events), script(control)) };
            tokio::time::timeout(Duration::from_secs(60), both)
                .await
                .expect("the service and the test script end");
        });
    }
}

#[test]
fn a_check_falls_due_is_answered_from_its_notification_and_lands_in_the_log() {
    let rig = Rig::new();
    rig.run(|c| async move {
        c.wait_minutes(29).await;
        assert!(c.kinds_shown().is_empty(), "nothing before the interval");
        c.wait_minutes(1).await;
        assert_eq!(c.kinds_shown(), [POSTURE]);
        let notice = c.screen.borrow().shown[0].1.clone();
        let labels: Vec<&str> = notice.actions.iter().map(|b| b.label.as_str()).collect();
        assert!(
            labels.contains(&"All good") && labels.contains(&"Fixed it"),
            "{labels:?}"
        );

        c.tell(c.answer(POSTURE, Answer::AllGood)).await;
        assert_eq!(c.logged(), [(POSTURE, Outcome::AllGood)]);
        let id = c.screen.borrow().last_id(POSTURE);
        assert!(
            c.screen.borrow().closed.contains(&id),
            "taken off the screen"
        );
        assert!(c.status().await.pending.is_empty());
    });
}

#[test]
fn without_a_notification_server_the_small_window_asks_until_the_server_returns() {
    let rig = Rig::new();
    rig.screen.borrow_mut().notifications_fail = true;
    rig.run(|c| async move {
        c.ask(Request::Trigger { kind: POSTURE }).await;
        assert!(
            c.screen.borrow().prompts.contains(&POSTURE),
            "the reminder window opened"
        );
        let status = c.status().await;
        let degraded = status
            .degraded
            .iter()
            .find(|d| d.feature == Feature::Notifications)
            .expect("status says notifications are missing");
        assert!(
            degraded.reason.contains("small window"),
            "{}",
            degraded.reason
        );

        c.ask(Request::Answer {
            kind: None,
            answer: Answer::Skip,
        })
        .await;
        assert!(
            c.screen.borrow().prompts.is_empty(),
            "answered elsewhere, so it closed"
        );

        c.screen.borrow_mut().notifications_fail = false;
        c.ask(Request::Trigger { kind: POSTURE }).await;
        assert_eq!(c.kinds_shown(), [POSTURE], "a notification again");
        assert!(
            c.screen.borrow().prompts.is_empty(),
            "and no window this time"
        );
        let status = c.status().await;
        assert!(
            status
                .degraded
                .iter()
                .all(|d| d.feature != Feature::Notifications)
        );
        c.tell(c.answer(POSTURE, Answer::AllGood)).await;
        assert_eq!(
            c.logged(),
            [(POSTURE, Outcome::Skipped), (POSTURE, Outcome::AllGood)]
        );
    });
}

#[test]
fn the_notifications_source_closing_sends_reminders_to_the_small_window_from_then_on() {
    let rig = Rig::new();
    rig.run(|c| async move {
        c.tell(DesktopEvent::NotificationsLost(
            "the session bus connection closed".into(),
        ))
        .await;
        let status = c.status().await;
        assert!(
            status
                .degraded
                .iter()
                .any(|d| d.feature == Feature::Notifications
                    && d.reason.starts_with("the session bus connection closed"))
        );
    });
}

#[test]
fn a_tray_host_that_appears_late_is_noticed_and_the_tray_shows_what_comes_next() {
    let rig = Rig::new();
    rig.run(|c| async move {
        let status = c.status().await;
        assert!(
            status.degraded.iter().any(|d| d.feature == Feature::Tray),
            "no tray host yet: {:?}",
            status.degraded
        );
        c.screen.borrow_mut().tray_shown = true;
        let status = c.status().await;
        assert!(status.degraded.iter().all(|d| d.feature != Feature::Tray));
        let tooltip = c
            .screen
            .borrow()
            .tray
            .last()
            .expect("the tray was updated")
            .clone();
        assert!(
            tooltip.tooltip.contains("Posture check"),
            "{}",
            tooltip.tooltip
        );
        assert!(!tooltip.paused);

        c.tell(DesktopEvent::Tray(TrayCommand::Pause(
            rebalance::core::schedule::PauseLength::UntilResumed,
        )))
        .await;
        assert!(
            c.screen.borrow().tray.last().expect("updated").paused,
            "grey when paused"
        );
        c.tell(DesktopEvent::Tray(TrayCommand::Open)).await;
        assert_eq!(
            c.screen.borrow().windows,
            [None],
            "the window opened from the tray"
        );
    });
}

#[test]
fn a_clock_jumping_ahead_then_back_brings_no_burst_of_reminders() {
    let rig = Rig::new();
    rig.run(|c| async move {
        c.ask(Request::Trigger { kind: POSTURE }).await;
        let before = c.kinds_shown().len();

        let status = c.jump_minutes(3 * 60).await;
        let after_jump = c.kinds_shown()[before..].to_vec();
        let count = |kind| after_jump.iter().filter(|k| **k == kind).count();
        assert!(
            count(POSTURE) <= 1 && count(BREAK) <= 1,
            "no burst: {after_jump:?}"
        );
        let logged = c.logged();
        let natural = logged
            .iter()
            .filter(|e| **e == (BREAK, Outcome::Natural))
            .count();
        assert_eq!(natural, 1, "the gap is one natural break: {logged:?}");
        assert!(
            logged.iter().filter(|e| e.0 == POSTURE).count() <= 1,
            "{logged:?}"
        );
        assert!(
            status.next.values().flatten().all(|next| *next > status.at),
            "next times are ahead of the new time: {:?}",
            status.next
        );

        let shown_before_back = c.kinds_shown().len();
        let status = c.jump_minutes(-5 * 60).await;
        assert!(
            c.kinds_shown().len() - shown_before_back <= 2,
            "no burst going back"
        );
        let soonest = status.next.values().flatten().min().expect("a next time");
        let latest = status.next.values().flatten().max().expect("a next time");
        assert!(*soonest > status.at);
        assert!(
            *latest <= status.at + chrono::Duration::minutes(50),
            "next times come back near the new time: {:?}",
            status.next
        );
    });
}

#[test]
fn a_suspend_is_one_natural_break_and_no_reminder_burst_on_resume() {
    let rig = Rig::new();
    rig.run(|c| async move {
        c.wait_minutes(10).await;
        c.tell(DesktopEvent::Sleep(SleepEvent::Suspending)).await;
        c.clock.advance_minutes(2 * 60);
        c.tell(DesktopEvent::Sleep(SleepEvent::Resumed)).await;
        c.wait_minutes(1).await;
        assert_eq!(c.logged(), [(BREAK, Outcome::Natural)]);
        assert!(c.kinds_shown().len() <= 1, "{:?}", c.kinds_shown());
    });
}

#[test]
fn a_check_due_during_a_call_waits_for_the_call_to_end_and_comes_once() {
    let rig = Rig::new();
    rig.screen.borrow_mut().busy = Some(BusyReason::Call);
    rig.run(|c| async move {
        c.wait_minutes(35).await;
        assert!(c.kinds_shown().is_empty(), "held during the call");
        assert_eq!(c.status().await.holding, Some(BusyReason::Call));
        c.screen.borrow_mut().busy = None;
        c.wait_minutes(3).await;
        assert_eq!(
            c.kinds_shown(),
            [POSTURE],
            "once, after the call and its grace"
        );
    });
}

#[test]
fn a_stop_from_the_system_withdraws_everything_and_a_restart_resumes_the_schedule() {
    let rig = Rig::new();
    let next_break = Rc::new(Cell::new(None));
    let seen = next_break.clone();
    rig.run(|c| async move {
        c.ask(Request::Trigger { kind: POSTURE }).await;
        seen.set(c.status().await.next[&BREAK]);
        c.events
            .send(DesktopEvent::Stop)
            .expect("the service listens");
        // The service ends by itself, dropping its end of the channel.
        c.requests.closed().await;
    });
    let next_break = next_break.get();
    let screen = rig.screen.borrow();
    let id = screen.last_id(POSTURE);
    assert!(screen.closed.contains(&id), "its notification withdrawn");
    assert!(screen.withdrawn, "and everything else of ours");
    drop(screen);

    let restarted = Rig {
        dir: rig.dir,
        screen: SharedScreen::default(),
        clock: rig.clock,
        settings: settings(),
        degraded: BTreeMap::new(),
    };
    restarted.run(|c| async move {
        let status = c.status().await;
        assert_eq!(
            status.pending.iter().map(|p| p.kind).collect::<Vec<_>>(),
            [POSTURE],
            "the unanswered check is still waiting"
        );
        assert_eq!(status.next[&BREAK], next_break, "the break keeps its time");
        c.ask(Request::Answer {
            kind: None,
            answer: Answer::FixedIt,
        })
        .await;
        assert_eq!(c.logged(), [(POSTURE, Outcome::Fixed)]);
    });
}

#[test]
fn settings_applied_through_the_daemon_are_written_and_change_the_login_entry() {
    let rig = Rig::new();
    rig.run(|c| async move {
        let mut new = settings();
        new.posture.interval = Duration::from_secs(45 * 60);
        new.startup.autostart = true;
        let reply = c
            .ask(Request::ApplySettings {
                settings: new.clone(),
            })
            .await;
        assert_eq!(reply, Response::Ok);
        assert_eq!(c.screen.borrow().autostart, Some(true));
        let status = c.status().await;
        assert_eq!(
            status.next[&POSTURE],
            Some(status.at + chrono::Duration::minutes(45)),
            "the new interval is in force"
        );

        c.screen.borrow_mut().autostart_fails = Some("the folder is read-only".into());
        new.startup.autostart = false;
        match c.ask(Request::ApplySettings { settings: new }).await {
            Response::Error { message } => {
                assert!(
                    message.contains("login entry") && message.contains("read-only"),
                    "{message}"
                )
            }
            other => panic!("expected the failure, got {other:?}"),
        }
    });
    let written = load_settings(&rig.config_file());
    assert!(written.warning.is_none(), "{:?}", written.warning);
    assert_eq!(
        written.settings.posture.interval,
        Duration::from_secs(45 * 60)
    );
}

#[test]
fn a_window_entry_answers_the_pending_break_and_is_logged_in_its_place() {
    let rig = Rig::new();
    rig.run(|c| async move {
        c.ask(Request::Trigger { kind: BREAK }).await;
        let id = c.screen.borrow().last_id(BREAK);
        c.tell(DesktopEvent::Notification(
            NotificationEvent::ActionInvoked {
                id,
                action: NoticeAction::Start,
            },
        ))
        .await;
        assert_eq!(
            c.screen.borrow().windows,
            [Some(rebalance::core::view::View::Break)],
            "Start opens the break view"
        );
        let mut entry =
            rebalance::core::model::Entry::new(BREAK, Outcome::Taken, c.clock.now_utc(), 0);
        entry.duration_s = 300;
        assert_eq!(c.ask(Request::Record { entry }).await, Response::Ok);
        assert_eq!(c.logged(), [(BREAK, Outcome::Taken)]);
        assert!(c.status().await.pending.is_empty());
    });
}

#[test]
fn a_status_watch_is_held_until_the_status_changes_or_its_limit_passes() {
    let rig = Rig::new();
    rig.run(|c| async move {
        let watch = |known: u64| {
            let (reply, answer) = oneshot::channel();
            let incoming = Incoming {
                request: Request::WatchStatus { known: Some(known) },
                reply,
            };
            (incoming, answer)
        };
        let first = c.status().await;

        // With the current revision, the watch waits while nothing changes.
        let (incoming, mut answer) = watch(first.revision);
        c.requests.send(incoming).await.expect("taken");
        assert_eq!(c.ask(Request::Ping).await, Response::Ok);
        assert!(answer.try_recv().is_err(), "held");
        c.clock.advance_minutes(4);
        assert_eq!(c.ask(Request::Ping).await, Response::Ok);
        assert!(answer.try_recv().is_err(), "still held");

        // At its limit the loop wakes by itself and answers it unchanged.
        c.clock.advance_minutes(1);
        let Ok(Response::Status(same)) = answer.await else {
            panic!("a status at the limit");
        };
        assert_eq!(same.revision, first.revision);

        // A reminder falling due answers the next watch at once.
        let (incoming, answer) = watch(first.revision);
        c.requests.send(incoming).await.expect("taken");
        assert_eq!(
            c.ask(Request::Trigger { kind: POSTURE }).await,
            Response::Ok
        );
        let Ok(Response::Status(changed)) = answer.await else {
            panic!("a status on the change");
        };
        assert!(changed.pending_of(POSTURE).is_some(), "{changed:?}");
        assert!(changed.revision > first.revision);
    });
}
