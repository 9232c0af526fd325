//! The single-instance lock, the same on every platform: the standard
//! library's file lock (`flock` on Unix, `LockFileEx` on Windows).

use std::fs::{File, TryLockError};
use std::io;

/// Takes an exclusive lock on `file` without waiting; `false` if another
/// process holds it. The lock goes with the file's last handle.
pub fn try_lock_exclusive(file: &File) -> io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(err)) => Err(err),
    }
}
