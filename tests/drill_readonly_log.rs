//! A log whose folder cannot be written (a read-only file system, or no
//! permission) is refused with the folder and the system's reason, not
//! SQLite's bare "unable to open database file".

// Makes the log read-only with Unix file modes.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use rebalance::store::{Store, StoreError};

/// Makes a folder unwritable for this process, undoing it when dropped:
/// for root, which ignores permissions, a tmpfs remounted read-only; for
/// anyone else, mode 0500.
struct Unwritable {
    folder: PathBuf,
    mounted: bool,
}

impl Unwritable {
    /// Prepares `folder` (a tmpfs over it for root); `None` when this machine
    /// cannot (no permission to mount).
    fn prepare(folder: &Path) -> Option<Unwritable> {
        std::fs::create_dir_all(folder).expect("folder");
        let root = rebalance::platform::paths::current_uid() == 0;
        if root {
            let mounted = Command::new("mount")
                .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
                .arg(folder)
                .status()
                .is_ok_and(|s| s.success());
            if !mounted {
                eprintln!("SKIPPED: running as root and cannot mount a tmpfs");
                return None;
            }
        }
        Some(Unwritable {
            folder: folder.to_path_buf(),
            mounted: root,
        })
    }

    fn lock(&self) {
        if self.mounted {
            let status = Command::new("mount")
                .args(["-o", "remount,ro"])
                .arg(&self.folder)
                .status()
                .expect("mount");
            assert!(status.success(), "remount read-only");
        } else {
            std::fs::set_permissions(&self.folder, std::fs::Permissions::from_mode(0o500))
                .expect("chmod");
        }
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg(&self.folder).status();
        } else {
            let _ = std::fs::set_permissions(&self.folder, std::fs::Permissions::from_mode(0o700));
        }
    }
}

#[test]
fn a_log_in_a_folder_that_cannot_be_written_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("data");
    let Some(unwritable) = Unwritable::prepare(&folder) else {
        return;
    };
    let path = folder.join("rebalance.db");
    {
        let mut store = Store::open(&path).expect("a writable folder");
        store.save_state("schedule", "{}").expect("write");
    }
    unwritable.lock();

    let err = Store::open(&path).expect_err("the folder cannot be written");
    let text = err.to_string();
    assert!(
        matches!(err, StoreError::FolderNotWritable { .. }),
        "{err:?}"
    );
    assert!(text.contains(&folder.display().to_string()), "{text}");
    assert!(
        text.contains("Read-only file system") || text.contains("Permission denied"),
        "{text}"
    );
}
