//! The login entry in temporary XDG folders.

// The XDG autostart entry (the Linux desktop); the Run-key value is tested in platform::windows_text.
#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};

use rebalance::platform::autostart::AutostartDirs;

fn dirs(root: &Path) -> AutostartDirs {
    AutostartDirs {
        config_home: root.join("config"),
        config_dirs: vec![root.join("etc-xdg")],
    }
}

#[test]
fn enabling_writes_an_entry_that_launches_the_daemon_and_disabling_removes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dirs(tmp.path());
    assert!(!d.enabled());

    let exe = PathBuf::from("/opt/Re Balance/rebalance");
    d.set(true, &exe).unwrap();
    let file = tmp.path().join("config/autostart/rebalance.desktop");
    assert_eq!(d.user_file(), file);
    let text = fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\nExec=\"/opt/Re Balance/rebalance\" daemon\n"),
        "{text}"
    );
    assert!(d.enabled());

    // Enabling twice is harmless.
    d.set(true, &exe).unwrap();
    assert!(d.enabled());

    d.set(false, &exe).unwrap();
    assert!(!file.exists());
    assert!(!d.enabled());
    // Disabling twice is harmless.
    d.set(false, &exe).unwrap();
}

#[test]
fn an_entry_switched_off_by_the_desktop_counts_as_disabled() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dirs(tmp.path());
    d.set(true, Path::new("/usr/bin/rebalance")).unwrap();
    let file = d.user_file();
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replace(
            "X-GNOME-Autostart-enabled=true",
            "X-GNOME-Autostart-enabled=false",
        ),
    )
    .unwrap();
    assert!(!d.enabled());
}

#[test]
fn a_system_wide_entry_is_hidden_rather_than_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dirs(tmp.path());
    let system = tmp.path().join("etc-xdg/autostart/rebalance.desktop");
    fs::create_dir_all(system.parent().unwrap()).unwrap();
    fs::write(
        &system,
        "[Desktop Entry]\nType=Application\nName=Rebalance\nExec=rebalance daemon\n",
    )
    .unwrap();
    assert!(d.enabled(), "the packaged entry starts it");

    d.set(false, Path::new("/usr/bin/rebalance")).unwrap();
    assert!(system.exists(), "the system file is not ours to delete");
    assert!(!d.enabled());
    assert!(
        fs::read_to_string(d.user_file())
            .unwrap()
            .contains("Hidden=true")
    );

    d.set(true, Path::new("/usr/bin/rebalance")).unwrap();
    assert!(d.enabled());
}

#[test]
fn an_unwritable_autostart_folder_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    // A file where the configuration folder should be.
    fs::write(tmp.path().join("config"), b"not a folder").unwrap();
    let d = dirs(tmp.path());
    let err = d
        .set(true, Path::new("/usr/bin/rebalance"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot update the login entry"), "{err}");
    assert!(err.contains("autostart/rebalance.desktop"), "{err}");
}
