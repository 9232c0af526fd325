//! Owner-only files and folders, permission checks and locks on Windows.
//!
//! Windows has no creation mode: a new file takes its access list from the
//! folder it is made in. Rebalance's folders get a protected access list
//! that grants the user alone and is inherited by everything created inside
//! (see `AppPaths::ensure_private_dirs`), so the files made there are
//! owner-only from their first byte. A file or folder created elsewhere
//! (a log at a path the user chose) gets the same list right after it is
//! made, before anything is written to it.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::path::Path;

use super::security::{current_user_sid, file_dacl_sddl, set_file_dacl};
use crate::platform::windows_text::{
    owner_only_file_sddl, owner_only_folder_sddl, sddl_open_to_others,
};

pub use crate::platform::file_lock::try_lock_exclusive;

/// Opens `path` with `options`; a file this creates is given an access
/// list for the current user alone, as on Unix a 0600 mode.
pub fn open_owner_only(options: &mut OpenOptions, path: &Path) -> io::Result<File> {
    let existed = path.exists();
    let file = options.open(path)?;
    if !existed && open_to_others(path) {
        restrict_to_owner(path)?;
    }
    Ok(file)
}

/// Creates the folder `path` with `builder`; a folder this creates is given
/// an access list for the current user alone, which what it holds inherits.
pub fn create_dir_owner_only(builder: &mut DirBuilder, path: &Path) -> io::Result<()> {
    let existed = path.is_dir();
    builder.create(path)?;
    if !existed && open_to_others(path) {
        restrict_to_owner(path)?;
    }
    Ok(())
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
