//! The durable log in SQLite, and the settings file.
//!
//! One database file holds every reminder outcome, natural break, pause and
//! corrective session, plus small pieces of state (the engine's schedule) and
//! the user's own routines. It runs in WAL mode with synchronous commits, so
//! anything a call reported as stored survives a crash or a power cut, and
//! the window and the daemon can use it at the same time.

mod entries;
mod error;
mod failure;
mod import;
mod open;
mod pauses;
mod saved;
pub mod schema;
pub mod settings_file;
mod summary;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::core::catalog::Routine;
use crate::core::model::{Entry, EntryId};
use entries::Selection;
use failure::Failure;

pub(crate) use entries::validate as validate_entry;
pub use error::StoreError;
pub use pauses::PauseRecord;
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

/// An open log database. Times are stored to the millisecond.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the log at `path`, creating it or upgrading its format as needed.
    /// A file that is not a Rebalance log, or one from a newer version, is
    /// refused and left untouched. The folder must exist.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store {
            conn: open::open_file(path)?,
            path: path.to_path_buf(),
        })
    }

    /// A fresh log kept in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        Ok(Store {
            conn: open::open_memory(&path)?,
            path,
        })
    }

    /// The database file (":memory:" for an in-memory log).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores a new entry (its `id` is ignored) and returns the id it was
    /// given. An entry for a past moment (a session logged afterwards) lands
    /// on the day of its own `at` and offset.
    pub fn add_entry(&mut self, e: &Entry) -> Result<EntryId, StoreError> {
        self.write(|tx| entries::insert(tx, e, None))
    }

    /// Replaces the stored entry `e.id` with `e`, exercises included.
    pub fn update_entry(&mut self, e: &Entry) -> Result<(), StoreError> {
        self.write(|tx| entries::update(tx, e))
    }

    /// Deletes an entry and returns it as it was, so it can be restored.
    pub fn delete_entry(&mut self, id: EntryId) -> Result<Entry, StoreError> {
        self.write(|tx| entries::delete(tx, id))
    }

    /// Puts a deleted entry back under its old id (ids are never reused).
    pub fn restore_entry(&mut self, e: &Entry) -> Result<EntryId, StoreError> {
        self.write(|tx| entries::restore(tx, e))
    }

    /// The entry with this id, if any.
    pub fn entry(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        self.read(|conn| Ok(entries::select(conn, Selection::One, [id])?.pop()))
    }

    /// Entries with `from <= at < to`, oldest first.
    pub fn entries_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Entry>, StoreError> {
        let range = [from.timestamp_millis(), to.timestamp_millis()];
        self.read(|conn| entries::select(conn, Selection::Between, range))
    }

    /// Entries whose own local day is between `first` and `last` inclusive,
    /// oldest first.
    pub fn entries_on_days(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<Entry>, StoreError> {
        let range = [entries::day_key(first), entries::day_key(last)];
        self.read(|conn| entries::select(conn, Selection::Days, range))
    }

    /// Whether nothing was ever logged.
    pub fn has_no_entries(&self) -> Result<bool, StoreError> {
        self.read(|conn| {
            let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM entries)", [], |row| {
                row.get(0)
            })?;
            Ok(!any)
        })
    }

    /// Counts per kind and outcome, and routine minutes, for one local day.
    pub fn day_summary(&self, day: NaiveDate) -> Result<DaySummary, StoreError> {
        self.read(|conn| summary::day_summary(conn, day))
    }

    /// Adds many entries in one transaction, all or nothing: every entry is
    /// checked first, ids are ignored, and exact duplicates (of the log or of
    /// an earlier entry of `es`) are skipped, so importing twice changes nothing.
    pub fn import_entries(&mut self, es: &[Entry]) -> Result<ImportCounts, StoreError> {
        self.write(|tx| import::import(tx, es))
    }

    /// Logs that reminders were paused from `from` until `until` (`None`:
    /// until resumed); a pause still holding at `from` ends there.
    pub fn record_pause(
        &mut self,
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
        offset_s: i32,
    ) -> Result<(), StoreError> {
        self.write(|tx| pauses::record_pause(tx, from, until, offset_s))
    }

    /// Logs that the pause holding at `at` ended then; does nothing when no
    /// pause holds.
    pub fn record_resume(&mut self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(|tx| pauses::record_resume(tx, at))
    }

    /// Pauses that began in `[from, to)`, oldest first.
    pub fn pauses_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<PauseRecord>, StoreError> {
        self.read(|conn| pauses::pauses_between(conn, from, to))
    }

    /// Saves a piece of JSON state under `key`, replacing any previous value.
    pub fn save_state(&mut self, key: &str, json: &str) -> Result<(), StoreError> {
        self.write(|tx| saved::save_state(tx, key, json))
    }

    /// [`Store::save_state`] for bookkeeping a power cut may lose: the commit
    /// does not wait for the disk (no fsync), which a value written every
    /// minute or so would otherwise cost each time. It still survives the
    /// process being killed, write-ahead logging keeps the file consistent,
    /// and the next ordinary commit makes it durable too.
    pub fn save_state_unsynced(&mut self, key: &str, json: &str) -> Result<(), StoreError> {
        self.set_synchronous("NORMAL")?;
        let saved = self.save_state(key, json);
        // Every other write stays synchronous, whatever happened above.
        let restored = self.set_synchronous("FULL");
        saved.and(restored)
    }

    fn set_synchronous(&self, level: &str) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "synchronous", level)
            .map_err(|e| Failure::from(e).at(&self.path))
    }

    /// The JSON state saved under `key`, if any.
    pub fn load_state(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.read(|conn| saved::load_state(conn, key))
    }

    /// The user's routines, in their saved order.
    pub fn user_routines(&self) -> Result<Vec<Routine>, StoreError> {
        self.read(|conn| {
            saved::routines_json(conn)?
                .into_iter()
                .map(|(id, json)| {
                    serde_json::from_str(&json).map_err(|e| {
                        Failure::Corrupt(format!("the routine \"{id}\" cannot be read: {e}"))
                    })
                })
                .collect()
        })
    }

    /// Inserts a user routine, or replaces the one with the same id in place
    /// (a new one goes last).
    pub fn save_user_routine(&mut self, r: &Routine) -> Result<(), StoreError> {
        let json = serde_json::to_string(r).map_err(|e| {
            StoreError::Invalid(format!("the routine \"{}\" cannot be saved: {e}", r.id))
        })?;
        self.write(|tx| saved::save_routine_json(tx, &r.id, &json))
    }

    /// Removes a user routine; removing one that is not there is no error.
    pub fn delete_user_routine(&mut self, id: &str) -> Result<(), StoreError> {
        self.write(|tx| saved::delete_routine(tx, id))
    }

    /// Runs `f` in a write transaction, committed only if it succeeds.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, Failure>,
    ) -> Result<T, StoreError> {
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })();
        result.map_err(|f: Failure| f.at(&self.path))
    }

    /// Runs a read, naming the file in any error.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, Failure>) -> Result<T, StoreError> {
        f(&self.conn).map_err(|f| f.at(&self.path))
    }
}
