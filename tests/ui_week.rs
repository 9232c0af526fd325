//! The week view rendered headless through egui_kittest over a real
//! in-memory log: it shows the right totals for a known week, navigates
//! between weeks, reads the log only when told it changed, says what to do
//! when empty, and hands the seek-help dismissal back to the caller.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};

use rebalance::core::model::{Entry, Outcome, ReminderKind};
use rebalance::core::settings::Settings;
use rebalance::store::Store;
use rebalance::ui::week::{WeekAction, WeekView};

use Outcome::*;
use ReminderKind::*;

const CET: i32 = 3600;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An entry at `hh:mm` Berlin winter time on `day`.
fn at(day: NaiveDate, hh: u32, mm: u32, kind: ReminderKind, outcome: Outcome) -> Entry {
    let local = day.and_hms_opt(hh, mm, 0).unwrap();
    let utc = Utc.from_utc_datetime(&(local - chrono::Duration::seconds(i64::from(CET))));
    Entry::new(kind, outcome, utc, CET)
}

fn session(day: NaiveDate, outcome: Outcome, secs: u32, pain: u8) -> Entry {
    let mut e = at(day, 18, 0, Routine, outcome);
    e.duration_s = secs;
    e.pain = Some(pain);
    e
}

const MONDAY: fn() -> NaiveDate = || date(2025, 3, 24);

fn day(n: i64) -> NaiveDate {
    if n >= 0 {
        MONDAY() + Days::new(n as u64)
    } else {
        MONDAY() - Days::new((-n) as u64)
    }
}

/// The known week (Monday 24 March 2025 on), and a little of the one before.
fn known_log() -> Vec<Entry> {
    let mut log = Vec::new();
    let mut add = |d: i64, n: usize, kind, outcome| {
        for i in 0..n {
            log.push(at(day(d), 9 + i as u32, 30, kind, outcome));
        }
    };
    // Previous week: five breaks.
    add(-5, 5, MoveBreak, Taken);
    // Monday.
    add(0, 4, PostureCheck, AllGood);
    add(0, 2, PostureCheck, Fixed);
    add(0, 1, PostureCheck, Missed);
    add(0, 3, MoveBreak, Taken);
    add(0, 1, MoveBreak, Natural);
    add(0, 1, MoveBreak, Skipped);
    // Tuesday.
    add(1, 3, PostureCheck, AllGood);
    add(1, 2, MoveBreak, Taken);
    add(1, 1, MoveBreak, Natural);
    // Wednesday: a snooze (not due) and a skip.
    add(2, 1, PostureCheck, Snoozed);
    add(2, 1, PostureCheck, Skipped);
    log.push(session(day(-5), Completed, 600, 5));
    log.push(session(day(0), Completed, 900, 5));
    log.push(session(day(2), Partial, 300, 4));
    log
}

struct Page {
    view: WeekView,
    store: Store,
    today: NaiveDate,
    settings: Settings,
    actions: Vec<WeekAction>,
}

fn harness(entries: &[Entry], today: NaiveDate) -> Harness<'static, Page> {
    let mut store = Store::open_in_memory().unwrap();
    for e in entries {
        store.add_entry(e).unwrap();
    }
    let page = Page {
        view: WeekView::new(),
        store,
        today,
        settings: Settings::default(),
        actions: Vec::new(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 1600.0))
        .build_ui_state(
            |ui, page: &mut Page| {
                let actions = page.view.show(ui, &page.store, page.today, &page.settings);
                page.actions.extend(actions);
            },
            page,
        );
    harness.run();
    harness
}

#[test]
fn shows_the_totals_of_a_known_week() {
    let h = harness(&known_log(), day(3));
    h.get_by_label("Week of 24 Mar – 30 Mar 2025");
    h.get_by_label("Posture checks answered: 9");
    h.get_by_label("Breaks taken: 7");
    h.get_by_label("Routine sessions: 2");
    h.get_by_label("Routine minutes: 20");
    // Against the previous week's five breaks.
    h.get_by_label("+2 (+40 %)");
    // Adherence: 9 of 11 checks (the snooze is not due), 7 of 8 breaks.
    h.get_by_label("Posture check: 82 %");
    h.get_by_label("Move break: 88 %");
    h.get_by_label("Routine: 100 %");
    // Sessions on Wednesday 19, Monday 24 and Wednesday 26: a gap of five
    // days breaks the every-other-day streak.
    h.get_by_label("Current streak: 2 sessions");
    h.get_by_label("Best streak: 2 sessions");
    assert!(h.query_by_label("Nothing logged yet").is_none());
}

#[test]
fn navigates_to_the_previous_week_and_back() {
    let mut h = harness(&known_log(), day(3));
    assert!(h.get_by_label("Next week").accesskit_node().is_disabled());
    h.get_by_label("Previous week").click();
    h.run();
    h.get_by_label("Week of 17 Mar – 23 Mar 2025");
    h.get_by_label("Breaks taken: 5");
    h.get_by_label("Routine minutes: 10");
    h.get_by_label("This week").click();
    h.run();
    h.get_by_label("Breaks taken: 7");
}

#[test]
fn reads_the_log_again_only_when_told() {
    let mut h = harness(&known_log(), day(3));
    h.get_by_label("Breaks taken: 7");
    h.state_mut()
        .store
        .add_entry(&at(day(3), 15, 0, MoveBreak, Taken))
        .unwrap();
    h.run();
    // Frames draw from what was read; the new break is not there yet.
    h.get_by_label("Breaks taken: 7");
    h.state_mut().view.days_changed(day(3), day(3));
    h.run();
    h.get_by_label("Breaks taken: 8");
}

#[test]
fn an_empty_log_says_what_to_do() {
    let h = harness(&[], day(3));
    h.get_by_label("Nothing logged yet");
    assert!(h.query_by_label("Breaks taken: 0").is_none());
}

#[test]
fn an_empty_week_with_history_says_so() {
    let h = harness(&known_log(), day(10));
    h.get_by_label("Nothing was logged this week.");
    // The history still shows the sessions of the weeks before.
    h.get_by_label("Best streak: 2 sessions");
}

#[test]
fn the_seek_help_note_shows_its_figures_and_can_be_dismissed() {
    // Three weeks of regular sessions with pain stuck at 6.
    let today = day(20);
    let log: Vec<Entry> = [0, 2, 7, 9, 14, 16, 20]
        .into_iter()
        .map(|d| session(day(d), Completed, 600, 6))
        .collect();
    let mut h = harness(&log, today);
    h.get_by_label("It may be time to see a professional");
    h.get_by_label("Routine days: 7 in 3 weeks");
    h.get_by_label("Dismiss").click();
    h.run();
    assert_eq!(h.state().actions, vec![WeekAction::DismissSeekHelp]);
    assert!(
        h.query_by_label("It may be time to see a professional")
            .is_none()
    );
}

#[test]
fn the_report_button_asks_the_caller() {
    let mut h = harness(&known_log(), day(3));
    h.get_by_label("Report for your therapist…").click();
    h.run();
    assert_eq!(
        h.state().actions,
        vec![WeekAction::ExportReport {
            week_start: MONDAY()
        }]
    );
}
