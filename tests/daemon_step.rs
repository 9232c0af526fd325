//! The daemon's rules, through its pure step: each test feeds inputs with
//! their times and checks the reply and effects a user would see (a
//! notification shown or withdrawn, an entry in the log, a window opened).
//! No bus, no socket, no sleeping.

use std::time::Duration;

use chrono::{DateTime, Local, TimeZone};
use rebalance::core::busy::BusyReason;
use rebalance::core::model::{Answer, Entry, Outcome, ReminderKind};
use rebalance::core::reminder_notice::NoticeAction;
use rebalance::core::schedule::PauseLength;
use rebalance::core::settings::Settings;
use rebalance::core::view::View;
use rebalance::daemon::step::{DaemonState, Effect, Input, step};
use rebalance::ipc::{Request, Response};
use rebalance::platform::notifications::NotificationEvent;
use rebalance::platform::tray::TrayCommand;

mod daemon_fakes;
use daemon_fakes::all_day_settings as settings;

const POSTURE: ReminderKind = ReminderKind::PostureCheck;
const BREAK: ReminderKind = ReminderKind::MoveBreak;

/// [`settings`] with posture checks alone.
fn posture_only() -> Settings {
    let mut s = settings();
    s.move_break.enabled = false;
    s
}

/// 10:00 local on a Tuesday, plus `minutes`.
fn at(minutes: i64) -> DateTime<Local> {
    Local.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap() + chrono::Duration::minutes(minutes)
}

struct Daemon {
    state: DaemonState,
    next_id: u32,
}

impl Daemon {
    fn start() -> Daemon {
        Daemon::with(settings())
    }

    fn with(settings: Settings) -> Daemon {
        let mut daemon = Daemon {
            state: DaemonState::new(settings, None, None, None, None, at(0).to_utc()),
            next_id: 1,
        };
        daemon.wake(0, Duration::ZERO);
        daemon
    }

    /// Steps `input` at `minutes`; reminders shown get ids in order, as a
    /// notification server would give them.
    fn step(&mut self, minutes: i64, input: Input) -> (Option<Response>, Vec<Effect>) {
        let decision = step(&mut self.state, input, at(minutes));
        for effect in &decision.effects {
            if let Effect::Show(pending) = effect {
                let id = self.next_id;
                self.next_id += 1;
                let _ = step(
                    &mut self.state,
                    Input::Shown {
                        kind: pending.kind,
                        id,
                    },
                    at(minutes),
                );
            }
        }
        (decision.reply, decision.effects)
    }

    fn wake(&mut self, minutes: i64, idle: Duration) -> Vec<Effect> {
        let busy = self
            .state
            .wants_busy_check(&at(minutes))
            .then_some(None::<BusyReason>);
        self.step(minutes, Input::Wake { idle, busy }).1
    }

    fn request(&mut self, minutes: i64, request: Request) -> (Response, Vec<Effect>) {
        let (reply, effects) = self.step(minutes, Input::Request(request));
        (reply.expect("a request gets a reply"), effects)
    }

    /// Wakes every minute from `from` to `to` with the user at the keyboard;
    /// every effect on the way.
    fn run(&mut self, from: i64, to: i64) -> Vec<Effect> {
        (from..=to)
            .flat_map(|m| self.wake(m, Duration::ZERO))
            .collect()
    }

    fn shown_id(&self, kind: ReminderKind) -> u32 {
        *self
            .state
            .shown
            .get(&kind)
            .expect("the reminder is on screen")
    }
}

fn shown(effects: &[Effect]) -> Vec<ReminderKind> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Show(p) => Some(p.kind),
            _ => None,
        })
        .collect()
}

fn posture_shown(effects: &[Effect]) -> usize {
    shown(effects).iter().filter(|k| **k == POSTURE).count()
}

fn logged(effects: &[Effect]) -> Vec<(ReminderKind, Outcome)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Log(entry) => Some((entry.kind, entry.outcome)),
            _ => None,
        })
        .collect()
}

fn closed(effects: &[Effect]) -> Vec<u32> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::CloseNotification(id) => Some(*id),
            _ => None,
        })
        .collect()
}

#[test]
fn a_posture_check_comes_after_its_interval_and_not_before() {
    let mut d = Daemon::start();
    assert!(shown(&d.run(1, 29)).is_empty());
    assert_eq!(shown(&d.run(30, 30)), [POSTURE]);
}

#[test]
fn answering_from_the_notification_logs_it_and_takes_it_off_the_screen() {
    let mut d = Daemon::start();
    d.run(1, 30);
    let id = d.shown_id(POSTURE);
    let (_, effects) = d.step(
        31,
        Input::Notification(NotificationEvent::ActionInvoked {
            id,
            action: NoticeAction::Answer(Answer::AllGood),
        }),
    );
    assert_eq!(logged(&effects), [(POSTURE, Outcome::AllGood)]);
    assert_eq!(closed(&effects), [id]);
    assert!(effects.contains(&Effect::ClosePrompt(POSTURE)));
    assert!(d.state.schedule.pending().is_empty());
    // Writes come before what changes on screen.
    let first_screen = effects.iter().position(|e| !e.before_reply()).unwrap();
    assert!(effects[first_screen..].iter().all(|e| !e.before_reply()));
}

#[test]
fn an_action_on_a_notification_that_is_not_ours_does_nothing() {
    let mut d = Daemon::start();
    d.run(1, 30);
    let (_, effects) = d.step(
        31,
        Input::Notification(NotificationEvent::ActionInvoked {
            id: 999,
            action: NoticeAction::Answer(Answer::AllGood),
        }),
    );
    assert!(effects.is_empty());
    assert_eq!(d.state.schedule.pending().len(), 1);
}

#[test]
fn snoozes_run_out_and_the_reminder_then_offers_no_snooze() {
    let mut d = Daemon::with(posture_only());
    d.run(1, 30);
    for round in 0..2 {
        let (reply, effects) = d.request(
            31 + round * 11,
            Request::Answer {
                kind: Some(POSTURE),
                answer: Answer::Snooze,
            },
        );
        assert_eq!(reply, Response::Ok);
        assert_eq!(logged(&effects), [(POSTURE, Outcome::Snoozed)]);
        // Back after the snooze length.
        assert_eq!(posture_shown(&d.run(32 + round * 11, 41 + round * 11)), 1);
    }
    assert!(!d.state.schedule.pending()[0].can_snooze);
    let (reply, _) = d.request(
        55,
        Request::Answer {
            kind: Some(POSTURE),
            answer: Answer::Snooze,
        },
    );
    assert!(matches!(reply, Response::Error { .. }), "{reply:?}");
}

#[test]
fn an_unanswered_reminder_expires_as_missed() {
    let mut d = Daemon::start();
    d.run(1, 30);
    let id = d.shown_id(POSTURE);
    let effects = d.run(31, 46);
    assert_eq!(logged(&effects), [(POSTURE, Outcome::Missed)]);
    assert_eq!(closed(&effects), [id]);
}

#[test]
fn a_pause_withdraws_reminders_logs_the_pause_and_resume_brings_them_back() {
    let mut d = Daemon::start();
    d.run(1, 30);
    let id = d.shown_id(POSTURE);
    let (reply, effects) = d.request(
        31,
        Request::Pause {
            length: PauseLength::For(Duration::from_secs(3600)),
        },
    );
    assert_eq!(reply, Response::Ok);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LogPause { until: Some(_), .. }))
    );
    assert_eq!(closed(&effects), [id]);
    assert!(
        logged(&effects).is_empty(),
        "a withdrawn reminder is not an answer"
    );
    assert!(shown(&d.run(32, 89)).is_empty(), "nothing while paused");
    let (_, effects) = d.step(90, Input::Tray(TrayCommand::Resume));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LogResume { .. }))
    );
    assert_eq!(shown(&d.run(91, 120)), [POSTURE]);
}

#[test]
fn being_away_for_a_break_length_is_a_natural_break() {
    let mut d = Daemon::start();
    d.run(1, 20);
    // Six minutes away from the keyboard, sampled as idle time grows.
    let mut effects = Vec::new();
    for (m, idle) in (21..=27).zip(1..) {
        effects.extend(d.wake(m, Duration::from_secs(idle * 60)));
    }
    effects.extend(d.wake(28, Duration::ZERO));
    assert!(
        logged(&effects).contains(&(BREAK, Outcome::Natural)),
        "{effects:?}"
    );
    // The break timer starts again from the return: no break at minute 50.
    assert!(!shown(&d.run(29, 60)).contains(&BREAK));
}

#[test]
fn a_clock_jump_forward_brings_no_burst_of_stale_reminders() {
    let mut d = Daemon::start();
    d.run(1, 10);
    let effects = d.wake(10 + 180, Duration::ZERO);
    for kind in [POSTURE, BREAK] {
        assert!(shown(&effects).iter().filter(|k| **k == kind).count() <= 1);
    }
    // Three hours unseen (asleep or the clock moved) count as one break.
    assert!(
        logged(&effects)
            .iter()
            .filter(|(k, o)| *k == BREAK && *o == Outcome::Natural)
            .count()
            <= 1
    );
}

#[test]
fn a_clock_set_back_shows_nothing_at_once_and_reminders_come_back_later() {
    let mut d = Daemon::start();
    d.run(1, 20);
    let effects = d.wake(20 - 300, Duration::ZERO);
    assert!(shown(&effects).is_empty(), "{effects:?}");
    assert!(shown(&d.run(-279, -230)).contains(&POSTURE));
}

#[test]
fn after_suspend_and_resume_the_time_asleep_is_not_a_burst() {
    let mut d = Daemon::start();
    d.run(1, 25);
    let (_, effects) = d.step(25, Input::Sleep(true));
    assert!(effects.is_empty());
    let (_, effects) = d.step(25 + 120, Input::Sleep(false));
    assert!(effects.is_empty(), "the wake after it decides");
    let effects = d.wake(25 + 120, Duration::ZERO);
    assert!(shown(&effects).len() <= 2, "{effects:?}");
}

#[test]
fn with_no_notification_service_the_reminder_window_asks_instead_and_later_notifications_work_again()
 {
    let mut d = Daemon::with(posture_only());
    let effects = d.run(1, 29);
    assert!(effects.is_empty());
    let decision = step(
        &mut d.state,
        Input::Wake {
            idle: Duration::ZERO,
            busy: Some(None),
        },
        at(30),
    );
    assert_eq!(shown(&decision.effects), [POSTURE]);
    let (_, effects) = d.step(30, Input::ShowFailed { kind: POSTURE });
    assert_eq!(effects, [Effect::OpenPrompt(POSTURE)]);
    // Answered in the window.
    let (_, effects) = d.request(
        31,
        Request::Answer {
            kind: None,
            answer: Answer::FixedIt,
        },
    );
    assert_eq!(logged(&effects), [(POSTURE, Outcome::Fixed)]);
    assert!(effects.contains(&Effect::ClosePrompt(POSTURE)));
    // The server is back: the next reminder is a notification again.
    assert_eq!(posture_shown(&d.run(32, 61)), 1);
    assert!(d.state.shown.contains_key(&POSTURE));
}

#[test]
fn a_failed_show_of_a_reminder_no_longer_waiting_opens_nothing() {
    let mut d = Daemon::start();
    let (_, effects) = d.step(5, Input::ShowFailed { kind: POSTURE });
    assert!(effects.is_empty());
}

#[test]
fn a_busy_spell_holds_the_reminder_until_it_ends() {
    let mut d = Daemon::start();
    d.run(1, 29);
    let call = Some(BusyReason::Call);
    let (_, effects) = d.step(
        30,
        Input::Wake {
            idle: Duration::ZERO,
            busy: Some(call.clone()),
        },
    );
    assert!(shown(&effects).is_empty(), "held during the call");
    for m in 31..40 {
        let busy = d.state.wants_busy_check(&at(m)).then(|| call.clone());
        let (_, effects) = d.step(
            m,
            Input::Wake {
                idle: Duration::from_secs(600),
                busy,
            },
        );
        assert!(shown(&effects).is_empty());
    }
    let report = d.state.report(&at(39));
    assert_eq!(report.holding, Some(BusyReason::Call));
    // The call ends; after the grace minute the check comes out.
    let mut effects = Vec::new();
    for m in 40..=42 {
        let busy = d.state.wants_busy_check(&at(m)).then_some(None);
        effects.extend(
            d.step(
                m,
                Input::Wake {
                    idle: Duration::ZERO,
                    busy,
                },
            )
            .1,
        );
    }
    assert_eq!(shown(&effects), [POSTURE]);
}

#[test]
fn an_entry_from_the_window_answers_the_reminder_in_place_of_the_plain_entry() {
    let mut d = Daemon::start();
    d.run(1, 50);
    assert!(d.state.shown.contains_key(&BREAK));
    let mut entry = Entry::new(BREAK, Outcome::Taken, at(55).to_utc(), 0);
    entry.duration_s = 300;
    let (reply, effects) = d.request(55, Request::Record { entry });
    assert_eq!(reply, Response::Ok);
    let logs: Vec<&Entry> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Log(entry) => Some(entry),
            _ => None,
        })
        .collect();
    assert_eq!(logs.len(), 1, "{effects:?}");
    assert_eq!(logs[0].duration_s, 300);
    assert!(
        logs[0].due_at.is_some(),
        "it carries the reminder's due time"
    );
    assert!(!d.state.shown.contains_key(&BREAK));
}

#[test]
fn an_invalid_entry_is_refused_before_it_answers_anything() {
    let mut d = Daemon::start();
    d.run(1, 50);
    let mut entry = Entry::new(BREAK, Outcome::Taken, at(55).to_utc(), 0);
    entry.pain = Some(11);
    let (reply, effects) = d.request(55, Request::Record { entry });
    assert!(matches!(reply, Response::Error { .. }), "{reply:?}");
    assert!(effects.is_empty());
    assert!(d.state.shown.contains_key(&BREAK));
}

#[test]
fn settings_applied_through_the_daemon_are_written_and_the_login_entry_follows() {
    let mut d = Daemon::start();
    let mut new = settings();
    new.posture.interval = Duration::from_secs(45 * 60);
    new.startup.autostart = !d.state.settings.startup.autostart;
    let (reply, effects) = d.request(
        1,
        Request::ApplySettings {
            settings: new.clone(),
        },
    );
    assert_eq!(reply, Response::Ok);
    assert_eq!(
        effects,
        [
            Effect::WriteSettings(Box::new(new.clone())),
            Effect::SetAutostart(new.startup.autostart)
        ]
    );
    assert!(
        shown(&d.run(2, 44)).is_empty(),
        "the new interval is in force"
    );
    assert_eq!(shown(&d.run(45, 46)), [POSTURE]);

    let mut bad = settings();
    bad.reminders.max_snoozes = 10_000;
    let (reply, effects) = d.request(47, Request::ApplySettings { settings: bad });
    assert!(matches!(reply, Response::Error { ref message } if message.contains("refused")));
    assert!(effects.is_empty(), "nothing is written");
}

#[test]
fn clicking_a_notification_opens_its_view_with_the_activation_token() {
    let mut d = Daemon::start();
    d.run(1, 50);
    let id = d.shown_id(BREAK);
    d.step(
        51,
        Input::Notification(NotificationEvent::ActivationToken {
            id,
            token: "token-1".to_owned(),
        }),
    );
    let (_, effects) = d.step(
        51,
        Input::Notification(NotificationEvent::ActionInvoked {
            id,
            action: NoticeAction::Start,
        }),
    );
    assert_eq!(
        effects,
        [Effect::OpenWindow {
            view: Some(View::Break),
            activation: Some("token-1".to_owned())
        }]
    );
    assert!(
        d.state.schedule.pending()[0].started_at.is_some() || {
            // The posture check may be the first pending one; find the break.
            d.state
                .schedule
                .pending()
                .iter()
                .any(|p| p.kind == BREAK && p.started_at.is_some())
        }
    );
    // The token is used once.
    let (_, effects) = d.step(52, Input::Tray(TrayCommand::Open));
    assert_eq!(
        effects,
        [Effect::OpenWindow {
            view: None,
            activation: None
        }]
    );
}

#[test]
fn a_closed_notification_is_forgotten_but_the_reminder_still_waits() {
    let mut d = Daemon::start();
    d.run(1, 30);
    let id = d.shown_id(POSTURE);
    d.step(
        31,
        Input::Notification(NotificationEvent::Closed {
            id,
            reason: rebalance::platform::notifications::CloseReason::Dismissed,
        }),
    );
    assert!(d.state.shown.is_empty());
    assert_eq!(d.state.schedule.pending().len(), 1);
    let (reply, _) = d.request(32, Request::Status);
    let Response::Status(report) = reply else {
        panic!("status expected");
    };
    assert_eq!(report.pending.len(), 1);
}

#[test]
fn quit_stop_and_the_tray_quit_all_stop_the_service() {
    let mut d = Daemon::start();
    let (reply, effects) = d.request(1, Request::Quit);
    assert_eq!(reply, Response::Ok);
    assert_eq!(effects, [Effect::Quit]);
    assert_eq!(d.step(1, Input::Stop).1, [Effect::Quit]);
    assert_eq!(d.step(1, Input::Tray(TrayCommand::Quit)).1, [Effect::Quit]);
}

#[test]
fn a_reminder_asked_for_comes_at_once_and_the_status_says_it_waits() {
    let mut d = Daemon::start();
    let (reply, effects) = d.request(2, Request::Trigger { kind: BREAK });
    assert_eq!(reply, Response::Ok);
    assert_eq!(shown(&effects), [BREAK]);
    let (Response::Status(report), _) = d.request(3, Request::Status) else {
        panic!("status expected");
    };
    assert_eq!(report.pending.len(), 1);
    assert_eq!(report.pending[0].kind, BREAK);
    assert!(!report.pause.is_paused());
}

#[test]
fn the_notice_carries_the_buttons_and_replaces_the_one_on_screen() {
    let mut d = Daemon::start();
    d.run(1, 50);
    let pending = d
        .state
        .schedule
        .pending()
        .iter()
        .find(|p| p.kind == BREAK)
        .cloned()
        .unwrap();
    let notice = d.state.notice(&pending, Vec::new(), at(50).to_utc());
    let labels: Vec<&str> = notice.actions.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["Open", "Start break", "Snooze 10 min", "Skip"]);
    assert_eq!(notice.replaces, Some(d.shown_id(BREAK)));
}

#[test]
fn a_test_reminder_is_shown_before_the_reply_and_its_answer_is_kept_out_of_the_log() {
    let mut d = Daemon::start();
    let (reply, effects) = d.request(1, Request::TestReminder);
    assert_eq!(reply, Response::Ok);
    let [Effect::ShowTest(notice)] = effects.as_slice() else {
        panic!("one test reminder to show: {effects:?}");
    };
    assert!(notice.actions.iter().any(|b| b.label == "All good"));
    assert!(
        effects[0].before_reply(),
        "the reply says whether it showed"
    );
    d.step(1, Input::TestShown { id: 77 });
    let (_, effects) = d.step(
        2,
        Input::Notification(NotificationEvent::ActionInvoked {
            id: 77,
            action: NoticeAction::Answer(Answer::AllGood),
        }),
    );
    assert_eq!(effects, [Effect::CloseNotification(77)]);
    assert!(logged(&effects).is_empty());
    let (Response::Status(report), _) = d.request(3, Request::Status) else {
        panic!("status expected");
    };
    assert_eq!(report.test_answer, Some(Answer::AllGood));
    assert!(report.pending.is_empty(), "no schedule behind it");
}
