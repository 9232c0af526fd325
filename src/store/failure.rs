//! The error type used inside the store before the file's path is attached.

use std::path::Path;

use super::StoreError;

/// A failure inside one store operation; [`Failure::at`] turns it into a
/// [`StoreError`] naming the database file.
#[derive(Debug)]
pub(crate) enum Failure {
    /// SQLite refused or failed.
    Sqlite(rusqlite::Error),
    /// A stored row could not be decoded.
    Corrupt(String),
    /// Already a complete, readable error.
    Store(StoreError),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(e)
    }
}

impl From<rusqlite::types::FromSqlError> for Failure {
    fn from(e: rusqlite::types::FromSqlError) -> Self {
        Self::Corrupt(e.to_string())
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl Failure {
    /// The readable error for the database at `path`.
    pub(crate) fn at(self, path: &Path) -> StoreError {
        match self {
            Self::Sqlite(source) => StoreError::Sqlite {
                path: path.to_path_buf(),
                source,
            },
            Self::Corrupt(detail) => StoreError::Corrupt {
                path: path.to_path_buf(),
                detail,
            },
            Self::Store(e) => e,
        }
    }
}
