//! Owner-only files and folders, permission checks and advisory locks.

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

pub use crate::platform::file_lock::try_lock_exclusive;

/// Makes the file that `options` creates readable and writable by its owner
/// only (mode 0600).
pub fn owner_only(options: &mut OpenOptions) -> &mut OpenOptions {
    options.mode(0o600)
}

/// Makes the folders that `builder` creates open to their owner only (mode
/// 0700).
pub fn owner_only_dir(builder: &mut DirBuilder) -> &mut DirBuilder {
    builder.mode(0o700)
}

/// Whether anyone but the owner may read, write or enter the file or
/// folder at `path`; `false` when it cannot be read.
pub fn open_to_others(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & 0o077 != 0)
}

/// Takes every access away from the file at `path` but its owner's reading
/// and writing.
pub fn restrict_to_owner(path: &Path) -> io::Result<()> {
    std::fs::set_permissions(path, Permissions::from_mode(0o600))
}

/// Why this process cannot create files in `folder`, if it cannot.
pub fn folder_write_problem(folder: &Path) -> Option<io::Error> {
    let name = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    // SAFETY: `name` is a valid NUL-terminated string for the call.
    let rc = unsafe { libc::access(name.as_ptr(), libc::W_OK | libc::X_OK) };
    (rc != 0).then(io::Error::last_os_error)
}
