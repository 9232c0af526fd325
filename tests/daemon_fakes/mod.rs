//! Fakes for the daemon's seams, for running the real service loop in a
//! test: a desktop whose notifier, tray, idle time, busy signals and login
//! entry the test controls and reads back, windows that are only recorded,
//! and a clock the test moves. Each fake is as small as its trait allows;
//! the service, the step, the store and the settings file are the real ones.

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, Local, NaiveTime, Utc, Weekday};
use tokio::sync::Notify;

use rebalance::core::busy::BusyReason;
use rebalance::core::model::ReminderKind;
use rebalance::core::reminder_notice::Notice;
use rebalance::core::settings::{HoldSettings, Settings};
use rebalance::core::view::View;
use rebalance::daemon::desktop::{Desktop, DesktopParts};
use rebalance::daemon::launch::WindowLauncher;
use rebalance::ipc::Feature;
use rebalance::platform::desktop::TrayState;
use rebalance::platform::seams::{
    Autostart, BusySignals, Clock, IdleSource, Notifier, SeamFuture, Tray,
};

/// Reminders all day, every day: posture every 30 min, breaks every 50,
/// snooze 10 min twice, unanswered reminders expire after 15 min.
pub fn all_day_settings() -> Settings {
    let mut s = Settings::default();
    s.working_hours.days = vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    s.working_hours.start = NaiveTime::from_hms_opt(0, 0, 0).unwrap();
    s.working_hours.end = NaiveTime::from_hms_opt(23, 59, 0).unwrap();
    s.posture.interval = Duration::from_secs(30 * 60);
    s.move_break.interval = Duration::from_secs(50 * 60);
    s.routine.enabled = false;
    s.reminders.snooze = Duration::from_secs(10 * 60);
    s.reminders.max_snoozes = 2;
    s.reminders.expire_after = Duration::from_secs(15 * 60);
    s
}

/// What the fake desktop shows and is told; shared by the fakes and the test.
#[derive(Debug, Default)]
pub struct Screen {
    /// Every notice shown, with the id it got.
    pub shown: Vec<(u32, Notice)>,
    /// The ids taken off the screen.
    pub closed: Vec<u32>,
    /// While true, showing a notification fails (no notification server).
    pub notifications_fail: bool,
    /// Every state the tray was given.
    pub tray: Vec<TrayState>,
    /// Whether a tray host shows the icon.
    pub tray_shown: bool,
    /// The reminder windows open now.
    pub prompts: BTreeSet<ReminderKind>,
    /// Every main window opened, with its view.
    pub windows: Vec<Option<View>>,
    /// The user's idle time.
    pub idle: Duration,
    /// What the busy signals say.
    pub busy: Option<BusyReason>,
    /// The login entry, once set.
    pub autostart: Option<bool>,
    /// While set, changing the login entry fails with this reason.
    pub autostart_fails: Option<String>,
    /// Whether everything was withdrawn at the end.
    pub withdrawn: bool,
}

impl Screen {
    /// The kinds shown as notifications, in order.
    pub fn kinds_shown(&self) -> Vec<ReminderKind> {
        self.shown.iter().map(|(_, notice)| notice.kind).collect()
    }

    /// The id of the last notification shown for `kind`.
    pub fn last_id(&self, kind: ReminderKind) -> u32 {
        self.shown
            .iter()
            .rev()
            .find(|(_, n)| n.kind == kind)
            .map(|(id, _)| *id)
            .expect("a notification of that kind was shown")
    }
}

/// A handle on the fake desktop's [`Screen`].
pub type SharedScreen = Rc<RefCell<Screen>>;

struct FakeNotifier(SharedScreen);

impl Notifier for FakeNotifier {
    fn show<'a>(&'a self, notice: &'a Notice) -> SeamFuture<'a, Result<u32, String>> {
        Box::pin(async move {
            let mut screen = self.0.borrow_mut();
            if screen.notifications_fail {
                return Err("no notification server".to_owned());
            }
            let id = notice.replaces.unwrap_or(screen.shown.len() as u32 + 1);
            screen.shown.push((id, notice.clone()));
            Ok(id)
        })
    }

    fn close(&self, id: u32) -> SeamFuture<'_, Result<(), String>> {
        self.0.borrow_mut().closed.push(id);
        Box::pin(async { Ok(()) })
    }

    fn withdraw_all(&self) {
        self.0.borrow_mut().withdrawn = true;
    }
}

struct FakeTray(SharedScreen);

impl Tray for FakeTray {
    fn update(&self, state: TrayState) -> SeamFuture<'_, bool> {
        self.0.borrow_mut().tray.push(state);
        Box::pin(async { true })
    }

    fn is_shown(&self) -> bool {
        self.0.borrow().tray_shown
    }

    fn shutdown(&self) -> SeamFuture<'_, ()> {
        Box::pin(async {})
    }
}

struct FakeIdle(SharedScreen);

impl IdleSource for FakeIdle {
    fn idle_time(&mut self) -> SeamFuture<'_, Option<Duration>> {
        let idle = self.0.borrow().idle;
        Box::pin(async move { Some(idle) })
    }

    fn source_name(&self) -> &'static str {
        "test idle source"
    }

    fn has_source(&self) -> bool {
        true
    }
}

struct FakeBusy(SharedScreen);

impl BusySignals for FakeBusy {
    fn read<'a>(&'a self, _hold: &'a HoldSettings) -> SeamFuture<'a, Option<BusyReason>> {
        let busy = self.0.borrow().busy.clone();
        Box::pin(async move { busy })
    }
}

struct FakeAutostart(SharedScreen);

impl Autostart for FakeAutostart {
    fn set(&self, enabled: bool) -> Result<(), String> {
        let mut screen = self.0.borrow_mut();
        if let Some(reason) = &screen.autostart_fails {
            return Err(reason.clone());
        }
        screen.autostart = Some(enabled);
        Ok(())
    }
}

/// A desktop made of fakes reading and writing `screen`; `degraded` is what
/// connecting found missing.
pub fn fake_desktop(screen: &SharedScreen, degraded: BTreeMap<Feature, String>) -> Desktop {
    Desktop::new(DesktopParts {
        notifier: Some(Box::new(FakeNotifier(screen.clone()))),
        tray: Some(Box::new(FakeTray(screen.clone()))),
        tray_state: TrayState::default(),
        idle: Box::new(FakeIdle(screen.clone())),
        busy: Box::new(FakeBusy(screen.clone())),
        autostart: Box::new(FakeAutostart(screen.clone())),
        degraded,
    })
}

/// Windows that are recorded on the [`Screen`], not opened.
pub struct FakeWindows(pub SharedScreen);

impl WindowLauncher for FakeWindows {
    fn open_main(&mut self, view: Option<View>, _activation: Option<String>) -> io::Result<()> {
        self.0.borrow_mut().windows.push(view);
        Ok(())
    }

    fn open_prompt(&mut self, kind: ReminderKind) -> io::Result<()> {
        self.0.borrow_mut().prompts.insert(kind);
        Ok(())
    }

    fn close_prompt(&mut self, kind: ReminderKind) {
        self.0.borrow_mut().prompts.remove(&kind);
    }

    fn close_prompts(&mut self) {
        self.0.borrow_mut().prompts.clear();
    }

    fn reap(&mut self) {}
}

/// A clock the test sets; setting it wakes the service's alarm, as a real
/// wall-clock timer wakes when the clock is set.
#[derive(Clone)]
pub struct FakeClock {
    now: Rc<RefCell<DateTime<Local>>>,
    changed: Rc<Notify>,
}

impl FakeClock {
    /// A clock showing `now`.
    pub fn at(now: DateTime<Local>) -> FakeClock {
        FakeClock {
            now: Rc::new(RefCell::new(now)),
            changed: Rc::new(Notify::new()),
        }
    }

    /// The time it shows, in UTC.
    pub fn now_utc(&self) -> DateTime<Utc> {
        self.now.borrow().to_utc()
    }

    /// Moves the clock by `minutes` (back when negative).
    pub fn advance_minutes(&self, minutes: i64) {
        let later = *self.now.borrow() + chrono::Duration::minutes(minutes);
        *self.now.borrow_mut() = later;
        self.changed.notify_waiters();
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Local> {
        *self.now.borrow()
    }

    fn sleep_until(&mut self, at: DateTime<Utc>) -> SeamFuture<'_, ()> {
        // Registered before the time is looked at, so a change in between
        // is not missed.
        let changed = self.changed.clone();
        let now = self.now.clone();
        Box::pin(async move {
            let notified = changed.notified();
            if *now.borrow() >= at {
                return;
            }
            notified.await;
        })
    }

    fn longest_sleep(&self) -> Duration {
        Duration::from_secs(600)
    }
}
