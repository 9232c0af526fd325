//! The durable log in SQLite, and the settings file.
//!
//! One database file holds every reminder outcome, natural break, pause and
//! corrective session, plus small pieces of state (the engine's schedule) and
//! the user's own routines. It runs in WAL mode with synchronous commits, so
//! anything a call reported as stored survives a crash or a power cut.

mod error;
pub mod settings_file;
mod summary;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

use crate::core::model::{Entry, EntryId};

pub use error::StoreError;
pub use summary::DaySummary;

/// What an import did: entries added, and exact duplicates skipped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Entries written to the log.
    pub added: usize,
    /// Entries skipped because an identical one was already logged (or came
    /// earlier in the same input).
    pub duplicates: usize,
}

/// An open log database.
pub struct Store {
    #[allow(dead_code)]
    conn: Connection,
    #[allow(dead_code)]
    path: PathBuf,
}

impl Store {
    /// Opens the log at `path`, creating it or upgrading its format as needed.
    /// A file that is not a Rebalance log, or one from a newer version, is
    /// refused and left untouched.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        todo!("{}", path.display())
    }

    /// A fresh log kept in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        todo!()
    }

    /// Stores a new entry (its `id` is ignored) and returns the id it was given.
    pub fn add_entry(&mut self, e: &Entry) -> Result<EntryId, StoreError> {
        todo!("{e:?}")
    }

    /// Replaces the stored entry `e.id` with `e`, exercises included.
    pub fn update_entry(&mut self, e: &Entry) -> Result<(), StoreError> {
        todo!("{e:?}")
    }

    /// Deletes an entry and returns it as it was, so it can be restored.
    pub fn delete_entry(&mut self, id: EntryId) -> Result<Entry, StoreError> {
        todo!("{id}")
    }

    /// Puts a deleted entry back under its old id.
    pub fn restore_entry(&mut self, e: &Entry) -> Result<EntryId, StoreError> {
        todo!("{e:?}")
    }

    /// The entry with this id, if any.
    pub fn entry(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        todo!("{id}")
    }

    /// Entries with `from <= at < to`, oldest first.
    pub fn entries_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Entry>, StoreError> {
        todo!("{from}{to}")
    }

    /// Entries whose local day is between `first` and `last` inclusive, oldest first.
    pub fn entries_on_days(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<Entry>, StoreError> {
        todo!("{first}{last}")
    }

    /// Counts per kind and outcome, and routine minutes, for one local day.
    pub fn day_summary(&self, day: NaiveDate) -> Result<DaySummary, StoreError> {
        todo!("{day}")
    }

    /// Adds many entries in one transaction, all or nothing, skipping exact duplicates.
    pub fn import_entries(&mut self, es: &[Entry]) -> Result<ImportCounts, StoreError> {
        todo!("{es:?}")
    }

    /// Logs that reminders were paused from `from` until `until` (`None`: until resumed).
    pub fn record_pause(
        &mut self,
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
        offset_s: i32,
    ) -> Result<(), StoreError> {
        todo!("{from}{until:?}{offset_s}")
    }

    /// Logs that the current pause ended at `at`.
    pub fn record_resume(&mut self, at: DateTime<Utc>) -> Result<(), StoreError> {
        todo!("{at}")
    }

    /// Saves a piece of JSON state under `key`, replacing any previous value.
    pub fn save_state(&mut self, key: &str, json: &str) -> Result<(), StoreError> {
        todo!("{key}{json}")
    }

    /// The JSON state saved under `key`, if any.
    pub fn load_state(&self, key: &str) -> Result<Option<String>, StoreError> {
        todo!("{key}")
    }

    /// The user's routines as stored JSON, in their saved order.
    pub fn user_routines_json(&self) -> Result<Vec<String>, StoreError> {
        todo!()
    }

    /// Inserts or replaces a user routine's JSON by id, keeping its place in the order.
    pub fn save_user_routine_json(&mut self, id: &str, json: &str) -> Result<(), StoreError> {
        todo!("{id}{json}")
    }

    /// Removes a user routine.
    pub fn delete_user_routine(&mut self, id: &str) -> Result<(), StoreError> {
        todo!("{id}")
    }
}
