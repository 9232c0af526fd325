//! Status watches: the window's long poll for the daemon's status.
//!
//! A client sends [`Request::WatchStatus`](crate::ipc::Request::WatchStatus)
//! with the revision it last received. When the status already shows
//! something else, the watch is answered at once; otherwise its reply is
//! held here until the status changes or [`WATCH_HOLD_LIMIT`] passes. So an
//! open window learns of a notification answered, a reminder due or a pause
//! as it happens, without asking on a timer.
//!
//! This is a shell concern, not the step's: a held watch is a reply channel
//! kept open, and answering it needs the completed report (today's figures
//! from the log), which only the service can build. The service builds that
//! report only while a watch is waiting, so a daemon with no window open
//! pays nothing for watches.

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use crate::ipc::protocol::WATCH_HOLD_LIMIT;
use crate::ipc::{Response, StatusReport};

/// One held watch.
#[derive(Debug)]
struct Waiter {
    /// The revision its client has.
    known: Option<u64>,
    /// Where its answer goes.
    reply: oneshot::Sender<Response>,
    /// When it is answered even if nothing changed.
    until: DateTime<Utc>,
}

/// The held watches, the revision of the status and what it last showed.
#[derive(Debug)]
pub struct StatusWatchers {
    waiting: Vec<Waiter>,
    /// What the last report stamped showed ([`StatusReport::what_it_shows`]).
    shown: Option<StatusReport>,
    revision: u64,
}

impl StatusWatchers {
    /// No watches yet. Revisions start at the daemon's start time in
    /// milliseconds, so a client still holding a revision from a daemon that
    /// has since restarted never finds it current.
    pub fn new(started: DateTime<Utc>) -> StatusWatchers {
        StatusWatchers {
            waiting: Vec::new(),
            shown: None,
            revision: u64::try_from(started.timestamp_millis()).unwrap_or(0),
        }
    }

    /// Whether any watch is held, that is whether the service should build
    /// a report after handling something and pass it to
    /// [`StatusWatchers::update`].
    pub fn is_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// When the first held watch reaches its limit, for the loop's timer.
    pub fn next_limit(&self) -> Option<DateTime<Utc>> {
        self.waiting.iter().map(|w| w.until).min()
    }

    /// Sets the report's revision, moving it on when the report shows
    /// something the last one did not.
    pub fn stamp(&mut self, mut report: StatusReport) -> StatusReport {
        let shown = report.what_it_shows();
        if self.shown.as_ref() != Some(&shown) {
            if self.shown.is_some() {
                self.revision += 1;
            }
            self.shown = Some(shown);
        }
        report.revision = self.revision;
        report
    }

    /// Takes a watch whose client has revision `known`, with `report` the
    /// status now: answered at once when the report is news to the client,
    /// else held until [`StatusWatchers::update`] finds a change or the
    /// limit passes.
    pub fn hold(
        &mut self,
        known: Option<u64>,
        reply: oneshot::Sender<Response>,
        report: StatusReport,
        now: DateTime<Utc>,
    ) {
        let report = self.stamp(report);
        if known == Some(report.revision) {
            self.waiting.push(Waiter {
                known,
                reply,
                until: now + WATCH_HOLD_LIMIT,
            });
        } else {
            // The client may have gone; nothing to do about that.
            let _ = reply.send(Response::Status(report));
        }
    }

    /// With `report` the status now: answers every held watch it is news to
    /// and every one whose limit has passed, and forgets those whose client
    /// has gone.
    pub fn update(&mut self, report: StatusReport, now: DateTime<Utc>) {
        let report = self.stamp(report);
        let revision = report.revision;
        let (answer, keep): (Vec<Waiter>, Vec<Waiter>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .filter(|w| !w.reply.is_closed())
            .partition(|w| w.known != Some(revision) || w.expired(now));
        self.waiting = keep;
        for waiter in answer {
            let _ = waiter.reply.send(Response::Status(report.clone()));
        }
    }
}

impl Waiter {
    /// Whether its limit has passed. A limit further ahead than a whole
    /// hold means the wall clock was set back: it is treated as passed, so
    /// no watch is held longer than its client waits.
    fn expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.until
            || (self.until - now)
                .to_std()
                .is_ok_and(|ahead| ahead > WATCH_HOLD_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use oneshot::error::TryRecvError;

    use crate::core::model::ReminderKind;
    use crate::ipc::{Pause, TodayCounts};

    fn t(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 4, 10, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
    }

    /// The status at `seconds`, with `minutes` of routine logged today.
    fn report(seconds: i64, minutes: u32) -> StatusReport {
        StatusReport {
            at: t(seconds),
            revision: 0,
            pause: Pause::Running,
            next: [(ReminderKind::PostureCheck, Some(t(1200)))].into(),
            pending: Vec::new(),
            today: TodayCounts {
                routine_minutes: minutes,
                ..TodayCounts::default()
            },
            degraded: Vec::new(),
            settings_warning: None,
            idle_source: "none".to_owned(),
            holding: None,
            test_answer: None,
        }
    }

    /// The revision of the answer waiting in `answer`, or why there is none.
    fn answered(answer: &mut oneshot::Receiver<Response>) -> Result<u64, TryRecvError> {
        match answer.try_recv()? {
            Response::Status(report) => Ok(report.revision),
            other => panic!("not a status: {other:?}"),
        }
    }

    #[test]
    fn a_first_watch_is_answered_at_once() {
        let mut watchers = StatusWatchers::new(t(0));
        let (reply, mut answer) = oneshot::channel();
        watchers.hold(None, reply, report(0, 0), t(0));
        assert_eq!(answered(&mut answer), Ok(t(0).timestamp_millis() as u64));
        assert!(!watchers.is_waiting());
    }

    #[test]
    fn a_watch_with_an_old_revision_is_answered_at_once() {
        let mut watchers = StatusWatchers::new(t(0));
        let first = watchers.stamp(report(0, 0)).revision;
        watchers.stamp(report(1, 5));
        let (reply, mut answer) = oneshot::channel();
        watchers.hold(Some(first), reply, report(2, 5), t(2));
        assert_eq!(answered(&mut answer), Ok(first + 1));
    }

    #[test]
    fn a_revision_from_another_daemon_is_never_current() {
        let old = StatusWatchers::new(t(0)).stamp(report(0, 0)).revision;
        let mut restarted = StatusWatchers::new(t(60));
        let (reply, mut answer) = oneshot::channel();
        restarted.hold(Some(old), reply, report(60, 0), t(60));
        assert!(answered(&mut answer).is_ok());
    }

    /// Watchers holding one watch, taken at second `at` from a client
    /// that has the current revision, which is returned with the answer's
    /// receiving end.
    fn holding_one(at: i64) -> (StatusWatchers, u64, oneshot::Receiver<Response>) {
        let mut watchers = StatusWatchers::new(t(0));
        let known = watchers.stamp(report(at, 0)).revision;
        let (reply, answer) = oneshot::channel();
        watchers.hold(Some(known), reply, report(at, 0), t(at));
        (watchers, known, answer)
    }

    #[test]
    fn a_current_watch_is_held_until_the_status_changes() {
        let (mut watchers, known, mut answer) = holding_one(1);
        assert_eq!(answered(&mut answer), Err(TryRecvError::Empty));
        assert!(watchers.is_waiting());
        assert_eq!(watchers.next_limit(), Some(t(1) + WATCH_HOLD_LIMIT));

        // Only time passed: still held.
        watchers.update(report(30, 0), t(30));
        assert_eq!(answered(&mut answer), Err(TryRecvError::Empty));

        watchers.update(report(40, 5), t(40));
        assert_eq!(answered(&mut answer), Ok(known + 1));
        assert!(!watchers.is_waiting());
        assert_eq!(watchers.next_limit(), None);
    }

    #[test]
    fn a_held_watch_is_answered_unchanged_at_its_limit() {
        let (mut watchers, known, mut answer) = holding_one(0);
        let limit = WATCH_HOLD_LIMIT.as_secs() as i64;
        watchers.update(report(limit - 1, 0), t(limit - 1));
        assert_eq!(answered(&mut answer), Err(TryRecvError::Empty));
        watchers.update(report(limit, 0), t(limit));
        assert_eq!(answered(&mut answer), Ok(known), "the same revision");
    }

    #[test]
    fn a_clock_set_back_does_not_stretch_a_hold() {
        let (mut watchers, known, mut answer) = holding_one(3600);
        // The clock went back an hour; the status shows the same.
        watchers.update(report(3600, 0), t(0));
        assert_eq!(answered(&mut answer), Ok(known));
    }

    #[test]
    fn the_time_of_a_report_alone_does_not_move_the_revision() {
        let mut watchers = StatusWatchers::new(t(0));
        let first = watchers.stamp(report(0, 0)).revision;
        assert_eq!(watchers.stamp(report(90, 0)).revision, first);
        // A pending reminder's next-due time is "now" and moves with it.
        let mut due_now = report(100, 0);
        due_now
            .next
            .insert(ReminderKind::PostureCheck, Some(t(100)));
        let second = watchers.stamp(due_now.clone()).revision;
        assert_eq!(second, first + 1);
        due_now.at = t(130);
        due_now
            .next
            .insert(ReminderKind::PostureCheck, Some(t(130)));
        assert_eq!(watchers.stamp(due_now).revision, second);
    }

    #[test]
    fn every_held_watch_is_answered_and_gone_clients_are_dropped() {
        let mut watchers = StatusWatchers::new(t(0));
        let known = watchers.stamp(report(0, 0)).revision;
        let (first, mut first_answer) = oneshot::channel();
        let (second, mut second_answer) = oneshot::channel();
        let (gone, gone_answer) = oneshot::channel();
        for reply in [first, second, gone] {
            watchers.hold(Some(known), reply, report(0, 0), t(0));
        }
        drop(gone_answer);
        watchers.update(report(5, 0), t(5));
        assert!(watchers.is_waiting(), "nothing changed yet");
        assert_eq!(watchers.waiting.len(), 2, "the gone client is forgotten");
        watchers.update(report(6, 1), t(6));
        assert_eq!(answered(&mut first_answer), Ok(known + 1));
        assert_eq!(answered(&mut second_answer), Ok(known + 1));
        assert!(!watchers.is_waiting());
    }
}
