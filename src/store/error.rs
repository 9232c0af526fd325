//! What can go wrong with the log, in words a user can act on.

use std::path::PathBuf;

use crate::core::model::EntryId;

/// A failure of the durable log. Every variant that concerns the file names it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not a Rebalance log; it was not modified.
    #[error("{path} is not a Rebalance log ({reason}); it was left untouched")]
    NotRebalance {
        /// The file that was refused.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },
    /// The file was written by a newer Rebalance; it was not modified.
    #[error(
        "{path} was written by a newer version of Rebalance (log format {found}, this version reads up to {supported}); it was left untouched, update Rebalance to open it"
    )]
    TooNew {
        /// The file that was refused.
        path: PathBuf,
        /// The format version found in the file.
        found: i64,
        /// The newest format version this build understands.
        supported: i64,
    },
    /// SQLite reported an error while using the file.
    #[error("log database {path}: {source}")]
    Sqlite {
        /// The database file (":memory:" for an in-memory log).
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The log's folder cannot be written (a read-only file system, no
    /// permission), so SQLite cannot open the log in it.
    #[error("cannot open the log {path}: its folder {} cannot be written ({source})", folder.display())]
    FolderNotWritable {
        /// The database file.
        path: PathBuf,
        /// The folder holding it.
        folder: PathBuf,
        /// What the system said about writing there.
        source: std::io::Error,
    },
    /// Reading the file outside SQLite failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that could not be read.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A stored row could not be understood.
    #[error("log database {path} holds an unreadable row: {detail}")]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// Which row and what is wrong with it.
        detail: String,
    },
    /// No entry has this id.
    #[error("no log entry with id {0}")]
    NotFound(EntryId),
    /// The entry or value given cannot be stored as it is.
    #[error("{0}")]
    Invalid(String),
}
