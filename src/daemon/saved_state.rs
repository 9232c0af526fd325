//! The daemon's state kept in the log's state table between runs: the
//! engine, the prompt rotation and the notifications on screen. Each is
//! written only when it changed; the engine's clock bookkeeping alone (its
//! last-seen time, an idle spell in progress) at most once a minute and
//! without waiting for the disk, since it only bounds what a crash can lose.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::core::model::ReminderKind;
use crate::core::prompts::PromptRotation;
use crate::core::schedule::Schedule;
use crate::daemon::step::DaemonState;
use crate::store::Store;

/// How often the engine's clock bookkeeping alone is written. Anything the
/// user would notice (a reminder shown or resolved, an answer, a pause) is
/// written at once.
pub const BOOKKEEPING_SAVE: Duration = Duration::from_secs(60);

/// State keys in the store.
const SCHEDULE_KEY: &str = "schedule";
const PROMPTS_KEY: &str = "prompts";
const NOTIFICATIONS_KEY: &str = "notifications";

/// Writes the daemon's state to the store, only what changed.
#[derive(Debug, Default)]
pub struct SavedState {
    /// What was last written for each key.
    written: BTreeMap<&'static str, String>,
    /// When the engine was last written.
    schedule_written_at: Option<Instant>,
}

/// What [`restore`] found in the store; `None` where nothing usable was.
pub struct Restored {
    /// The engine.
    pub schedule: Option<Schedule>,
    /// The prompt rotation.
    pub rotation: Option<PromptRotation>,
    /// The notifications on screen, by kind.
    pub shown: Option<BTreeMap<ReminderKind, u32>>,
}

/// Reads the saved state; a value that is absent or unreadable is `None`
/// (logged), so the daemon starts that part afresh.
pub fn restore(store: &Store) -> Restored {
    Restored {
        schedule: load(store, SCHEDULE_KEY),
        rotation: load(store, PROMPTS_KEY),
        shown: load(store, NOTIFICATIONS_KEY),
    }
}

impl SavedState {
    /// Writes the engine now, waiting for the disk: what a reply is about
    /// to confirm must survive a crash.
    pub fn save_schedule(&mut self, store: &mut Store, state: &DaemonState) {
        if self.write(store, SCHEDULE_KEY, &state.schedule, true) {
            self.schedule_written_at = Some(Instant::now());
        }
    }

    /// Writes what changed. `eager`: something besides time passing
    /// happened, so the engine is written at once and durably; otherwise
    /// its bookkeeping waits for [`BOOKKEEPING_SAVE`].
    pub fn save_changes(&mut self, store: &mut Store, state: &DaemonState, eager: bool) {
        let bookkeeping_due = self
            .schedule_written_at
            .is_none_or(|at| at.elapsed() >= BOOKKEEPING_SAVE);
        if (eager || bookkeeping_due) && self.write(store, SCHEDULE_KEY, &state.schedule, eager) {
            self.schedule_written_at = Some(Instant::now());
        }
        self.write(store, PROMPTS_KEY, &state.rotation, true);
        self.write(store, NOTIFICATIONS_KEY, &state.shown, true);
    }

    /// Writes `value` under `key` if it changed; true when it is stored.
    /// `durable`: the commit waits for the disk.
    fn write<T: Serialize>(
        &mut self,
        store: &mut Store,
        key: &'static str,
        value: &T,
        durable: bool,
    ) -> bool {
        let json = match serde_json::to_string(value) {
            Ok(json) => json,
            Err(err) => {
                tracing::error!("cannot encode the {key} state: {err}");
                return false;
            }
        };
        if self.written.get(key) == Some(&json) {
            return true;
        }
        let stored = if durable {
            store.save_state(key, &json)
        } else {
            store.save_state_unsynced(key, &json)
        };
        match stored {
            Ok(()) => {
                self.written.insert(key, json);
                true
            }
            Err(err) => {
                tracing::error!("cannot save the {key} state: {err}");
                false
            }
        }
    }
}

fn load<T: DeserializeOwned>(store: &Store, key: &str) -> Option<T> {
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
