//! Owner-only files and folders, permission checks and advisory locks.

use std::fs::{DirBuilder, File, Metadata, OpenOptions, Permissions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

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

/// Whether anyone but the owner may read, write or enter what `meta`
/// describes.
pub fn open_to_others(meta: &Metadata) -> bool {
    meta.permissions().mode() & 0o077 != 0
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

/// Takes an exclusive advisory lock on `file` without waiting; `false` if
/// another process holds it. The lock goes with the file's last handle.
pub fn try_lock_exclusive(file: &File) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is valid for the lifetime of `file`.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(true);
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(false)
    } else {
        Err(err)
    }
}
