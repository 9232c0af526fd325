//! The guided routine's step machine: which exercise, set and side is
//! current, how far the rep counter or hold timer has run, and what Back,
//! Next, Skip and Pause do. Plain data driven by the time passed in, so it is
//! tested without a window.

use chrono::{DateTime, Utc};

use crate::core::model::{Entry, ExerciseDone, Outcome, ReminderKind};

/// Seconds the rep counter gives each repetition: slow, controlled reps,
/// the pace the catalogue's time estimates assume.
pub const SECONDS_PER_REP: u32 = crate::core::catalog::SECONDS_PER_REP as u32;

/// What one set asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Count this many repetitions.
    Reps(u32),
    /// Hold the position for this many seconds.
    Hold(u32),
}

/// One exercise of the routine as the guide shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideStep {
    /// Catalogue id, written to the log.
    pub exercise: String,
    /// Display name ("Glute bridge").
    pub name: String,
    /// Why it is in the routine.
    pub purpose: String,
    /// How to do it, one cue per line.
    pub cues: Vec<String>,
    /// The slow-down reminder shown under the counter.
    pub quality_cue: String,
    /// Number of sets.
    pub sets: u32,
    /// Reps or hold per set (per side where it applies).
    pub target: Target,
    /// Whether each set is done on the left, then the right side.
    pub per_side: bool,
}

/// Which side the current set is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Left side first.
    Left,
    /// Then the right side.
    Right,
}

impl Side {
    /// "Left side" / "Right side".
    pub fn label(self) -> &'static str {
        match self {
            Side::Left => "Left side",
            Side::Right => "Right side",
        }
    }
}

/// Whether the counter or timer of the current set runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clock {
    /// Waiting for the user to start the set.
    Ready,
    /// Running since `since`, with `banked` seconds from before a pause.
    Running {
        since: DateTime<Utc>,
        banked_ms: i64,
    },
    /// Paused with `banked` seconds done.
    Paused { banked_ms: i64 },
}

/// What the guide shows for the current set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetView {
    /// Index of the exercise (0-based) and how many there are.
    pub exercise_index: usize,
    /// Number of exercises in the routine.
    pub exercise_count: usize,
    /// Set number, 1-based.
    pub set: u32,
    /// Number of sets.
    pub sets: u32,
    /// The side, when the exercise is done per side.
    pub side: Option<Side>,
    /// Reps counted so far (for rep targets) or whole seconds held so far.
    pub done: u32,
    /// The target reps or seconds.
    pub target: u32,
    /// Whether the target is a hold (seconds) rather than reps.
    pub is_hold: bool,
    /// Whether the counter or timer runs now.
    pub running: bool,
    /// Whether the set has not been started yet.
    pub ready: bool,
    /// A clear announcement to show before this set, e.g. a side switch.
    pub announcement: Option<String>,
}

/// How an exercise went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Progress {
    /// Sides completed (a per-side set needs two).
    sides_done: u32,
    /// Whether the user skipped it.
    skipped: bool,
}

/// The guided routine session: the plan, where the user is, and what was
/// done so far.
#[derive(Debug, Clone)]
pub struct Guide {
    routine: String,
    steps: Vec<GuideStep>,
    index: usize,
    /// Sides completed within the current exercise (0.. sets × sides).
    position: u32,
    clock: Clock,
    progress: Vec<Progress>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
}

impl Guide {
    /// A new session over `steps` of the routine with id `routine`.
    pub fn new(routine: impl Into<String>, steps: Vec<GuideStep>) -> Self {
        let progress = vec![Progress::default(); steps.len()];
        Self {
            routine: routine.into(),
            steps,
            index: 0,
            position: 0,
            clock: Clock::Ready,
            progress,
            started_at: None,
            finished_at: None,
        }
    }

    /// The routine id this session follows.
    pub fn routine(&self) -> &str {
        &self.routine
    }

    /// The exercise shown now, or `None` once finished (or if empty).
    pub fn current(&self) -> Option<&GuideStep> {
        if self.is_finished() {
            None
        } else {
            self.steps.get(self.index)
        }
    }

    /// All exercises of the session.
    pub fn steps(&self) -> &[GuideStep] {
        &self.steps
    }

    /// Whether the session reached its finish screen.
    pub fn is_finished(&self) -> bool {
        self.finished_at.is_some() || self.steps.is_empty()
    }

    /// Whether the user started anything yet (a session never started is
    /// not worth logging).
    pub fn has_started(&self) -> bool {
        self.started_at.is_some()
    }

    /// When the first set was started.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.started_at
    }

    fn sides(step: &GuideStep) -> u32 {
        if step.per_side { 2 } else { 1 }
    }

    fn banked_ms(&self, now: DateTime<Utc>) -> i64 {
        match self.clock {
            Clock::Ready => 0,
            Clock::Paused { banked_ms } => banked_ms,
            Clock::Running { since, banked_ms } => {
                banked_ms + (now - since).num_milliseconds().max(0)
            }
        }
    }

    fn target_ms(step: &GuideStep) -> i64 {
        match step.target {
            Target::Reps(reps) => i64::from(reps) * i64::from(SECONDS_PER_REP) * 1000,
            Target::Hold(seconds) => i64::from(seconds) * 1000,
        }
    }

    /// What to show for the current set at `now`, or `None` when finished.
    pub fn view(&self, now: DateTime<Utc>) -> Option<SetView> {
        let step = self.current()?;
        let sides = Self::sides(step);
        let set = self.position / sides + 1;
        let side = step.per_side.then(|| {
            if self.position.is_multiple_of(2) {
                Side::Left
            } else {
                Side::Right
            }
        });
        let elapsed_ms = self.banked_ms(now).min(Self::target_ms(step));
        let (done, target, is_hold) = match step.target {
            Target::Reps(reps) => (
                ((elapsed_ms / 1000) as u32 / SECONDS_PER_REP).min(reps),
                reps,
                false,
            ),
            Target::Hold(seconds) => (((elapsed_ms / 1000) as u32).min(seconds), seconds, true),
        };
        let ready = self.clock == Clock::Ready;
        let announcement = if ready {
            match side {
                Some(Side::Right) => Some("Switch sides: now the right side".to_owned()),
                Some(Side::Left) if set > 1 => {
                    Some(format!("Set {set} of {}: back to the left side", step.sets))
                }
                _ if set > 1 => Some(format!("Set {set} of {}", step.sets)),
                _ => None,
            }
        } else {
            None
        };
        Some(SetView {
            exercise_index: self.index,
            exercise_count: self.steps.len(),
            set,
            sets: step.sets,
            side,
            done,
            target,
            is_hold,
            running: matches!(self.clock, Clock::Running { .. }),
            ready,
            announcement,
        })
    }

    /// Milliseconds the current set's counter or timer has run, up to its
    /// target: what paces the exercise figure.
    pub fn set_elapsed_ms(&self, now: DateTime<Utc>) -> u64 {
        let Some(step) = self.current() else {
            return 0;
        };
        u64::try_from(self.banked_ms(now).min(Self::target_ms(step))).unwrap_or(0)
    }

    /// Seconds left in the current hold, or until the next counted rep, for
    /// scheduling the next repaint.
    pub fn next_tick_ms(&self, now: DateTime<Utc>) -> Option<i64> {
        if !matches!(self.clock, Clock::Running { .. }) {
            return None;
        }
        let step = self.current()?;
        let banked = self.banked_ms(now);
        let unit = match step.target {
            Target::Reps(_) => i64::from(SECONDS_PER_REP) * 1000,
            Target::Hold(_) => 1000,
        };
        let to_next = unit - banked.rem_euclid(unit);
        Some(to_next.min((Self::target_ms(step) - banked).max(0)))
    }

    /// Starts or resumes the current set's counter; pauses it if running
    /// (the Space key).
    pub fn toggle(&mut self, now: DateTime<Utc>) {
        if self.is_finished() {
            return;
        }
        self.clock = match self.clock {
            Clock::Ready => {
                self.started_at.get_or_insert(now);
                Clock::Running {
                    since: now,
                    banked_ms: 0,
                }
            }
            Clock::Paused { banked_ms } => Clock::Running {
                since: now,
                banked_ms,
            },
            Clock::Running { .. } => Clock::Paused {
                banked_ms: self.banked_ms(now),
            },
        };
    }

    /// Pauses a running counter; does nothing otherwise.
    pub fn pause(&mut self, now: DateTime<Utc>) {
        if matches!(self.clock, Clock::Running { .. }) {
            self.toggle(now);
        }
    }

    /// Whether the counter or timer runs.
    pub fn is_running(&self) -> bool {
        matches!(self.clock, Clock::Running { .. })
    }

    /// Moves the session forward to `now`: a set whose reps or hold ran out
    /// completes, and the next set, side or exercise waits to be started.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        let Some(step) = self.current() else {
            return;
        };
        if matches!(self.clock, Clock::Running { .. })
            && self.banked_ms(now) >= Self::target_ms(step)
        {
            self.complete_set(now);
        }
    }

    /// Marks the current set (or side) done even if the counter has not run
    /// out: the user did it at their own pace.
    pub fn complete_set(&mut self, now: DateTime<Utc>) {
        let Some(step) = self.current() else {
            return;
        };
        let total = step.sets * Self::sides(step);
        self.started_at.get_or_insert(now);
        self.position += 1;
        self.progress[self.index].sides_done = self.position;
        self.clock = Clock::Ready;
        if self.position >= total {
            self.advance(now);
        }
    }

    fn advance(&mut self, now: DateTime<Utc>) {
        self.index += 1;
        self.position = 0;
        self.clock = Clock::Ready;
        if self.index >= self.steps.len() {
            self.index = self.steps.len();
            self.finished_at = Some(now);
        }
    }

    /// Goes on to the next exercise (the Right arrow), keeping the sets done
    /// so far for this one.
    pub fn next(&mut self, now: DateTime<Utc>) {
        if self.current().is_some() {
            self.advance(now);
        }
    }

    /// Skips the current exercise: it is logged as not done.
    pub fn skip(&mut self, now: DateTime<Utc>) {
        if self.current().is_some() {
            self.progress[self.index] = Progress {
                sides_done: 0,
                skipped: true,
            };
            self.advance(now);
        }
    }

    /// Goes back to the previous exercise (the Left arrow) to do it again
    /// from its first set; from the finish screen, back to the last one.
    pub fn back(&mut self) {
        if self.steps.is_empty() {
            return;
        }
        if self.finished_at.take().is_some() {
            self.index = self.steps.len() - 1;
        } else if self.position > 0 || self.clock != Clock::Ready {
            // Restart the exercise shown rather than jumping over it.
        } else if self.index > 0 {
            self.index -= 1;
        }
        self.position = 0;
        self.clock = Clock::Ready;
        self.progress[self.index] = Progress::default();
    }

    /// Ends the session now, e.g. from "Finish early".
    pub fn finish(&mut self, now: DateTime<Utc>) {
        if self.finished_at.is_none() {
            self.finished_at = Some(now);
        }
    }

    /// Whether every set of every exercise was done.
    pub fn is_complete(&self) -> bool {
        self.steps
            .iter()
            .zip(&self.progress)
            .all(|(step, p)| !p.skipped && p.sides_done >= step.sets * Self::sides(step))
    }

    /// Number of exercises with at least one full set done.
    pub fn exercises_done(&self) -> usize {
        self.exercises_log().len()
    }

    /// What was done, for the log: exercises with at least one full set.
    pub fn exercises_log(&self) -> Vec<ExerciseDone> {
        self.steps
            .iter()
            .zip(&self.progress)
            .filter_map(|(step, p)| {
                let sets = p.sides_done / Self::sides(step);
                (sets > 0).then(|| {
                    let (reps, hold_s) = match step.target {
                        Target::Reps(r) => (r, 0),
                        Target::Hold(s) => (0, s),
                    };
                    ExerciseDone {
                        exercise: step.exercise.clone(),
                        sets,
                        reps,
                        hold_s,
                        per_side: step.per_side,
                    }
                })
            })
            .collect()
    }

    /// Seconds from the first started set to the finish (or `now`).
    pub fn duration_s(&self, now: DateTime<Utc>) -> u32 {
        let Some(start) = self.started_at else {
            return 0;
        };
        let end = self.finished_at.unwrap_or(now);
        u32::try_from((end - start).num_seconds().max(0)).unwrap_or(u32::MAX)
    }

    /// The log entry for this session at `now`: completed when every set was
    /// done, partial otherwise.
    pub fn to_entry(
        &self,
        now: DateTime<Utc>,
        utc_offset_s: i32,
        pain: Option<u8>,
        note: &str,
    ) -> Entry {
        let outcome = if self.is_finished() && self.is_complete() {
            Outcome::Completed
        } else {
            Outcome::Partial
        };
        let mut entry = Entry::new(ReminderKind::Routine, outcome, now, utc_offset_s);
        entry.duration_s = self.duration_s(now);
        entry.routine = Some(self.routine.clone());
        entry.pain = pain.map(|p| p.min(10));
        entry.note = note.trim().to_owned();
        entry.exercises = self.exercises_log();
        entry
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 4, 18, 0, 0).unwrap()
    }

    fn secs(s: i64) -> DateTime<Utc> {
        t0() + Duration::seconds(s)
    }

    fn step(id: &str, sets: u32, target: Target, per_side: bool) -> GuideStep {
        GuideStep {
            exercise: id.to_owned(),
            name: id.to_owned(),
            purpose: String::new(),
            cues: vec![],
            quality_cue: "Slow down.".to_owned(),
            sets,
            target,
            per_side,
        }
    }

    fn mini() -> Guide {
        Guide::new(
            "mini",
            vec![
                step("glute_bridge", 2, Target::Reps(10), false),
                step("bird_dog", 1, Target::Hold(10), true),
            ],
        )
    }

    #[test]
    fn rep_counter_counts_slow_reps_and_completes_the_set() {
        let mut g = mini();
        g.toggle(t0());
        let v = g.view(secs(7)).unwrap();
        assert_eq!(
            (v.done, v.target, v.is_hold, v.running),
            (2, 10, false, true)
        );
        g.tick(secs(30));
        let v = g.view(secs(30)).unwrap();
        assert_eq!((v.set, v.done, v.ready), (2, 0, true));
        assert_eq!(v.announcement.as_deref(), Some("Set 2 of 2"));
    }

    #[test]
    fn pause_freezes_the_timer() {
        let mut g = mini();
        g.toggle(t0());
        g.toggle(secs(6)); // pause after 2 reps
        assert_eq!(g.view(secs(100)).unwrap().done, 2);
        g.toggle(secs(100));
        assert_eq!(g.view(secs(103)).unwrap().done, 3);
    }

    #[test]
    fn per_side_holds_announce_the_switch() {
        let mut g = mini();
        g.next(t0()); // to bird dog
        let v = g.view(t0()).unwrap();
        assert_eq!(
            (v.side, v.is_hold, v.announcement.clone()),
            (Some(Side::Left), true, None)
        );
        g.toggle(t0());
        assert_eq!(g.view(secs(4)).unwrap().done, 4);
        g.tick(secs(10));
        let v = g.view(secs(10)).unwrap();
        assert_eq!(v.side, Some(Side::Right));
        assert!(v.announcement.unwrap().contains("right side"));
    }

    #[test]
    fn doing_everything_is_complete_with_all_exercises_logged() {
        let mut g = mini();
        for _ in 0..2 {
            g.toggle(t0());
            g.tick(secs(30));
        }
        for _ in 0..2 {
            g.toggle(secs(40));
            g.tick(secs(50));
        }
        assert!(g.is_finished());
        let e = g.to_entry(secs(60), 3600, Some(3), " fine ");
        assert_eq!(e.outcome, Outcome::Completed);
        assert_eq!(e.duration_s, 50);
        assert_eq!(e.pain, Some(3));
        assert_eq!(e.note, "fine");
        assert_eq!(e.exercises.len(), 2);
        assert_eq!(e.exercises[0].sets, 2);
        assert_eq!(e.exercises[1].hold_s, 10);
        assert!(e.exercises[1].per_side);
    }

    #[test]
    fn skipping_or_leaving_early_is_partial() {
        let mut g = mini();
        g.complete_set(t0());
        g.complete_set(secs(20));
        g.skip(secs(25));
        assert!(g.is_finished());
        let e = g.to_entry(secs(25), 0, None, "");
        assert_eq!(e.outcome, Outcome::Partial);
        assert_eq!(e.exercises.len(), 1);

        let mut g = mini();
        g.toggle(t0());
        g.tick(secs(30));
        let e = g.to_entry(secs(31), 0, None, "");
        assert_eq!(e.outcome, Outcome::Partial);
        assert_eq!(e.exercises[0].sets, 1);
    }

    #[test]
    fn back_restarts_the_current_exercise_then_goes_to_the_previous() {
        let mut g = mini();
        g.complete_set(t0());
        g.back();
        assert_eq!(g.view(t0()).unwrap().set, 1);
        assert_eq!(g.view(t0()).unwrap().exercise_index, 0);
        g.next(t0());
        assert_eq!(g.view(t0()).unwrap().exercise_index, 1);
        g.back();
        assert_eq!(g.view(t0()).unwrap().exercise_index, 0);
        g.back();
        assert_eq!(g.view(t0()).unwrap().exercise_index, 0);
        g.next(t0());
        g.next(t0());
        assert!(g.is_finished());
        g.back();
        assert_eq!(g.view(t0()).unwrap().exercise_index, 1);
    }

    #[test]
    fn next_tick_is_the_next_visible_change() {
        let mut g = mini();
        assert_eq!(g.next_tick_ms(t0()), None);
        g.toggle(t0());
        assert_eq!(g.next_tick_ms(secs(1)), Some(2000));
    }
}
