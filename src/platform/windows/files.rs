//! Owner-only files and folders, permission checks and locks on Windows.
//!
//! Windows has no creation mode: a new file takes its access list from the
//! folder it is made in. Rebalance's folders get a protected access list
//! that grants the user alone and is inherited by everything created inside
//! (see `AppPaths::ensure_private_dirs`), so the files made there are
//! owner-only from their first byte, and [`owner_only`] and
//! [`owner_only_dir`] have nothing to add at creation time.

use std::fs::{DirBuilder, OpenOptions};
use std::io;
use std::path::Path;

use super::security::{current_user_sid, file_dacl_sddl, set_file_dacl};
use crate::platform::windows_text::{
    owner_only_file_sddl, owner_only_folder_sddl, sddl_open_to_others,
};

pub use crate::platform::file_lock::try_lock_exclusive;

/// The file that `options` creates is owner-only through its folder's
/// inherited access list (see the module comment).
pub fn owner_only(options: &mut OpenOptions) -> &mut OpenOptions {
    options
}

/// The folders that `builder` creates are owner-only through their parent's
/// inherited access list (see the module comment).
pub fn owner_only_dir(builder: &mut DirBuilder) -> &mut DirBuilder {
    builder
}

/// Whether anyone but the current user may reach the file or folder at
/// `path`; `false` when it cannot be read (it is then not ours to judge).
pub fn open_to_others(path: &Path) -> bool {
    match (file_dacl_sddl(path), current_user_sid()) {
        (Ok(sddl), Ok(sid)) => sddl_open_to_others(&sddl, &sid),
        _ => false,
    }
}

/// Gives the file or folder at `path` an access list that grants the
/// current user alone, inherited by whatever a folder holds.
pub fn restrict_to_owner(path: &Path) -> io::Result<()> {
    let sid = current_user_sid()?;
    let sddl = if path.is_dir() {
        owner_only_folder_sddl(&sid)
    } else {
        owner_only_file_sddl(&sid)
    };
    set_file_dacl(path, &sddl)
}

/// Why this process cannot create files in `folder`, if it cannot. Windows
/// has no cheap access check for a folder, so a probe file is made and
/// removed.
pub fn folder_write_problem(folder: &Path) -> Option<io::Error> {
    let probe = folder.join(format!(".rebalance-write-test-{}", std::process::id()));
    match OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(file) => {
            drop(file);
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => None,
        Err(err) => Some(err),
    }
}
