//! The settings file on disk: first run, broken and invalid files kept
//! aside, atomic private saves.

use std::fs;
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use rebalance::core::settings::Settings;
use rebalance::store::settings_file::{
    LoadedSettings, SettingsFileError, load_settings, load_settings_at, save_settings,
};

fn moment() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 2)
        .and_then(|d| d.and_hms_opt(3, 4, 5))
        .expect("valid time")
}

fn folder() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("exists").permissions().mode() & 0o777
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Writes `content` as the settings file, loads it, and checks the file was
/// kept aside intact, the defaults are in use and the warning says where.
fn assert_kept_aside(content: &[u8]) -> LoadedSettings {
    let dir = folder();
    let path = dir.path().join("settings.toml");
    fs::write(&path, content).expect("write");
    let loaded = load_settings_at(&path, moment());
    let backup = dir.path().join("settings.toml.bad-20260102-030405");
    assert_eq!(loaded.settings, Settings::default());
    assert_eq!(loaded.backup.as_deref(), Some(backup.as_path()));
    assert_eq!(fs::read(&backup).expect("backup exists"), content);
    let warning = loaded.warning.clone().expect("a warning");
    assert!(warning.contains(&backup.display().to_string()), "{warning}");
    // A fresh, valid file replaces it, so the next start is quiet.
    let again = load_settings_at(&path, moment());
    assert_eq!(again.warning, None);
    assert_eq!(
        names_in(dir.path()),
        ["settings.toml", "settings.toml.bad-20260102-030405"]
    );
    loaded
}

#[test]
fn a_missing_file_gives_the_defaults_and_writes_them_for_editing() {
    let dir = folder();
    let path = dir.path().join("rebalance").join("settings.toml");
    let loaded = load_settings(&path);
    assert_eq!(loaded.settings, Settings::default());
    assert_eq!(loaded.warning, None);
    let text = fs::read_to_string(&path).expect("defaults written");
    assert!(text.contains("interval = \"30m\""), "{text}");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    #[cfg(unix)]
    assert_eq!(mode(path.parent().expect("folder")), 0o700);
    // On Windows the owner-only access list is checked by the ignored test
    // in src/platform/paths.rs: Wine does not keep access lists, so only a
    // real Windows machine can judge it.
}

#[test]
fn a_corrupt_file_is_kept_aside_with_its_content_intact() {
    let loaded = assert_kept_aside(b"[posture\ninterval = = \"30m\"\n");
    let warning = loaded.warning.expect("warning");
    assert!(warning.contains("line 1"), "{warning}");
    assert!(warning.contains("default settings are in use"), "{warning}");
}

#[test]
fn a_file_that_is_not_text_is_kept_aside() {
    let loaded = assert_kept_aside(&[0xff, 0xfe, 0x00, 0x41]);
    assert!(loaded.warning.expect("warning").contains("not text"));
}

#[test]
fn an_invalid_value_is_kept_aside_and_named() {
    let loaded = assert_kept_aside(b"version = 1\n[posture]\ninterval = \"0m\"\n");
    let warning = loaded.warning.expect("warning");
    assert!(
        warning.contains("posture.interval: 0m is out of range; allowed 1m to 8h"),
        "{warning}"
    );
}

#[test]
fn a_file_from_a_newer_version_is_kept_aside() {
    let loaded = assert_kept_aside(b"version = 7\n[posture]\nnew_setting = true\n");
    let warning = loaded.warning.expect("warning");
    assert!(warning.contains("newer Rebalance"), "{warning}");
}

#[test]
fn a_second_bad_file_in_the_same_second_gets_its_own_backup() {
    let dir = folder();
    let path = dir.path().join("settings.toml");
    fs::write(&path, "first = [").expect("write");
    load_settings_at(&path, moment());
    fs::write(&path, "second = [").expect("write");
    let loaded = load_settings_at(&path, moment());
    let first = dir.path().join("settings.toml.bad-20260102-030405");
    let second = dir.path().join("settings.toml.bad-20260102-030405-2");
    assert_eq!(fs::read_to_string(first).expect("first kept"), "first = [");
    assert_eq!(loaded.backup, Some(second.clone()));
    assert_eq!(
        fs::read_to_string(second).expect("second kept"),
        "second = ["
    );
}

#[test]
fn a_good_file_is_loaded_as_written() {
    let dir = folder();
    let path = dir.path().join("settings.toml");
    fs::write(
        &path,
        "[move_break]\ninterval = \"1h30m\"\nduration = \"10m\"\n",
    )
    .expect("write");
    let loaded = load_settings_at(&path, moment());
    assert_eq!(loaded.warning, None);
    assert_eq!(
        loaded.settings.move_break.interval,
        Duration::from_secs(5400)
    );
    assert_eq!(
        loaded.settings.move_break.duration,
        Duration::from_secs(600)
    );
    assert_eq!(names_in(dir.path()), ["settings.toml"]);
}

#[test]
fn misspelt_entries_are_reported_but_the_rest_is_used() {
    let dir = folder();
    let path = dir.path().join("settings.toml");
    let text = "colour = \"red\"\n[posture]\nintervall = \"10m\"\nenabled = false\n[routine]\npattern = \"lower_back_core\"\n";
    fs::write(&path, text).expect("write");
    let loaded = load_settings_at(&path, moment());
    assert!(!loaded.settings.posture.enabled);
    assert_eq!(loaded.backup, None);
    let warning = loaded.warning.expect("a warning");
    assert!(warning.contains("colour, posture.intervall"), "{warning}");
    assert!(!warning.contains("pattern"), "{warning}");
    assert_eq!(fs::read_to_string(&path).expect("untouched"), text);
}

#[test]
fn an_unwritable_folder_gives_the_defaults_and_a_warning() {
    let dir = folder();
    // A plain file where the folder should be: nothing can be created in it,
    // whoever runs the test.
    let blocker = dir.path().join("rebalance");
    fs::write(&blocker, "not a folder").expect("write");
    let loaded = load_settings(&blocker.join("settings.toml"));
    assert_eq!(loaded.settings, Settings::default());
    let warning = loaded.warning.expect("a warning");
    assert!(warning.contains("could not be saved"), "{warning}");
    assert_eq!(fs::read_to_string(&blocker).expect("kept"), "not a folder");
}

#[test]
fn a_settings_path_that_cannot_be_read_is_left_alone() {
    let dir = folder();
    let path = dir.path().join("settings.toml");
    fs::create_dir(&path).expect("a folder in the way");
    let loaded = load_settings_at(&path, moment());
    assert_eq!(loaded.settings, Settings::default());
    assert!(loaded.warning.expect("warning").contains("Could not read"));
    assert_eq!(loaded.backup, None);
    assert!(path.is_dir());
    assert_eq!(names_in(dir.path()), ["settings.toml"]);
}

#[test]
fn saving_writes_a_private_file_atomically() {
    let dir = folder();
    let path = dir.path().join("settings.toml");
    fs::write(&path, "old").expect("write");
    #[cfg(unix)]
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    let mut s = Settings::default();
    s.posture.interval = Duration::from_secs(45 * 60);
    save_settings(&path, &s).expect("saved");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    assert_eq!(names_in(dir.path()), ["settings.toml"], "no temp file left");
    let loaded = load_settings_at(&path, moment());
    assert_eq!((loaded.settings, loaded.warning), (s, None));
}

#[test]
fn invalid_settings_are_not_saved() {
    let dir = folder();
    let path = dir.path().join("settings.toml");
    fs::write(&path, "kept").expect("write");
    let mut s = Settings::default();
    s.reminders.max_snoozes = 11;
    match save_settings(&path, &s) {
        Err(SettingsFileError::Invalid(errors)) => {
            assert_eq!(errors[0].field, "reminders.max_snoozes");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(fs::read_to_string(&path).expect("untouched"), "kept");
}

// XDG_CONFIG_HOME is the Linux location; Windows uses %APPDATA%.
#[cfg(unix)]
#[test]
fn the_default_path_follows_xdg_config_home() {
    use rebalance::store::settings_file::default_settings_path;
    use std::path::PathBuf;
    let dir = folder();
    // SAFETY: no other test in this binary reads or writes this variable;
    // std's environment lock orders the accesses that do happen.
    unsafe { std::env::set_var("XDG_CONFIG_HOME", dir.path()) };
    let path = default_settings_path().expect("a path");
    assert_eq!(
        path,
        PathBuf::from(dir.path())
            .join("rebalance")
            .join("settings.toml")
    );
}
