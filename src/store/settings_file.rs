//! The settings file: loading, validating and saving `Settings` as TOML.
//!
//! Loading never fails. A missing file gives the defaults (written out so the
//! user has a file to edit); a file that cannot be used (broken TOML, values
//! out of range, a newer format) is moved aside to a timestamped backup, the
//! defaults are used, and a warning says what was wrong and where the backup
//! is. The user's file is never overwritten in place.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDateTime};

use crate::core::model::FieldError;
use crate::core::settings::{ImbalancePattern, SETTINGS_VERSION, Settings};
use crate::platform::files;

/// Name the settings live under in the platform's config folder.
const APP_NAME: &str = "rebalance";
/// File stem of the settings file ("settings.toml").
const CONFIG_NAME: &str = "settings";

/// Written above the settings so a person editing the file knows the forms.
const HEADER: &str = "\
# Rebalance settings.
# Durations are written like \"30m\", \"1h30m\" or \"45s\"; times of day like \"18:00\".
# Days are written \"Mon\", \"Tue\", ... An invalid file is moved aside and the
# defaults are used, so a mistake here never stops the reminders.

";

/// Why the settings could not be located or saved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsFileError {
    /// The platform's configuration folder could not be determined.
    #[error("cannot find the configuration folder: {0}")]
    NoConfigDir(String),
    /// The settings break a rule; nothing was written.
    #[error("settings not saved: {}", join_errors(.0))]
    Invalid(Vec<FieldError>),
    /// Writing the file failed; the previous file is unchanged.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The file or folder that could not be written.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The settings could not be turned into TOML.
    #[error("cannot write settings as TOML: {0}")]
    Serialize(#[from] toml::ser::Error),
}

/// Settings as loaded, with what went wrong if the file could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedSettings {
    /// The settings to run with: the file's, or the defaults.
    pub settings: Settings,
    /// A message for the user when the file was missing and could not be
    /// created, or could not be used; it names the problem and the backup.
    pub warning: Option<String>,
    /// Where an unusable file was moved to, if it was.
    pub backup: Option<PathBuf>,
}

impl LoadedSettings {
    fn clean(settings: Settings) -> Self {
        Self {
            settings,
            warning: None,
            backup: None,
        }
    }

    fn defaults_with(warning: String, backup: Option<PathBuf>) -> Self {
        Self {
            settings: Settings::default(),
            warning: Some(warning),
            backup,
        }
    }
}

/// The settings file's usual place: `settings.toml` in the platform's
/// config folder for "rebalance" (`$XDG_CONFIG_HOME/rebalance/` on Linux).
pub fn default_settings_path() -> Result<PathBuf, SettingsFileError> {
    confy::get_configuration_file_path(APP_NAME, CONFIG_NAME)
        .map_err(|e| SettingsFileError::NoConfigDir(e.to_string()))
}

/// Loads the settings at `path`, using the local time now to name a backup
/// if one is needed. Never fails: see [`load_settings_at`].
pub fn load_settings(path: &Path) -> LoadedSettings {
    load_settings_at(path, Local::now().naive_local())
}

/// Loads the settings at `path`. A missing file gives the defaults, which
/// are written there when possible. A file that cannot be used is moved to
/// `<name>.bad-YYYYMMDD-HHMMSS` (from `now`) and the defaults are used; the
/// returned warning says why and where the file went.
pub fn load_settings_at(path: &Path, now: NaiveDateTime) -> LoadedSettings {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        // No file (or not even its folder): a first run.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return first_run(path);
        }
        Err(e) => {
            // Unreadable is not corrupt: leave the file alone.
            return LoadedSettings::defaults_with(
                format!(
                    "Could not read the settings file {} ({e}); using the default settings.",
                    path.display()
                ),
                None,
            );
        }
    };
    match parse_settings(&bytes) {
        Ok(settings) => {
            let mut loaded = LoadedSettings::clean(settings);
            let unknown = unknown_keys(&bytes);
            if !unknown.is_empty() {
                loaded.warning = Some(format!(
                    "The settings file {} has entries Rebalance does not know, which were ignored: {}.",
                    path.display(),
                    unknown.join(", ")
                ));
            }
            loaded
        }
        Err(problem) => set_aside(path, &problem, now),
    }
}

/// Checks `settings` and writes them to `path` atomically (a temporary file
/// renamed over the old one) with owner-only permissions. Invalid settings
/// are refused and nothing is written.
pub fn save_settings(path: &Path, s: &Settings) -> Result<(), SettingsFileError> {
    s.validate().map_err(SettingsFileError::Invalid)?;
    let text = settings_to_toml(s)?;
    write_atomically(path, text.as_bytes())
}

/// The settings as the file holds them: a short header, then TOML with
/// durations as "30m" and times as "18:00".
pub fn settings_to_toml(s: &Settings) -> Result<String, SettingsFileError> {
    Ok(format!("{HEADER}{}", toml::to_string(s)?))
}

/// Reads settings from the text of a settings file, checking the format
/// version and every value. The error explains the first thing that makes
/// the file unusable, naming the field where possible.
pub fn parse_settings(bytes: &[u8]) -> Result<Settings, String> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| "it is not text (not valid UTF-8)".to_owned())?;
    let table: toml::Table = toml::from_str(text).map_err(|e| toml_problem(text, &e))?;
    if let Some(version) = table.get("version").and_then(toml::Value::as_integer)
        && version > i64::from(SETTINGS_VERSION)
    {
        return Err(format!(
            "version: it was written by a newer Rebalance (format {version}; this one reads up to {SETTINGS_VERSION})"
        ));
    }
    let settings: Settings = toml::from_str(text).map_err(|e| toml_problem(text, &e))?;
    settings.validate().map_err(|errors| join_errors(&errors))?;
    Ok(settings)
}

/// Dotted names in the file that are not settings (a typo such as
/// "posture.intervall"), so the user learns their change had no effect.
fn unknown_keys(bytes: &[u8]) -> Vec<String> {
    let Some(file) = std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| toml::from_str::<toml::Table>(text).ok())
    else {
        return Vec::new();
    };
    let mut every = Settings::default();
    // Optional settings are left out when unset; fill them to learn their names.
    every.routine.pattern = Some(ImbalancePattern::GlutesHipFlexors);
    let Ok(known) = toml::Table::try_from(every) else {
        return Vec::new();
    };
    let mut unknown = Vec::new();
    collect_unknown(&file, &known, "", &mut unknown);
    unknown
}

fn collect_unknown(file: &toml::Table, known: &toml::Table, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in file {
        let name = format!("{prefix}{key}");
        match (value, known.get(key)) {
            (_, None) => out.push(name),
            (toml::Value::Table(inner), Some(toml::Value::Table(known_inner))) => {
                collect_unknown(inner, known_inner, &format!("{name}."), out);
            }
            _ => {}
        }
    }
}

fn first_run(path: &Path) -> LoadedSettings {
    let settings = Settings::default();
    match save_settings(path, &settings) {
        Ok(()) => LoadedSettings::clean(settings),
        Err(e) => LoadedSettings::defaults_with(
            format!("Using the default settings; they could not be saved to a file ({e})."),
            None,
        ),
    }
}

fn set_aside(path: &Path, problem: &str, now: NaiveDateTime) -> LoadedSettings {
    let backup = backup_path(path, now);
    if let Err(e) = fs::rename(path, &backup) {
        return LoadedSettings::defaults_with(
            format!(
                "The settings file {} could not be used ({problem}) and could not be moved aside ({e}); it was left as it is and the default settings are in use.",
                path.display()
            ),
            None,
        );
    }
    let mut warning = format!(
        "The settings file could not be used ({problem}). It was moved to {} and the default settings are in use.",
        backup.display()
    );
    if let Err(e) = save_settings(path, &Settings::default()) {
        warning.push_str(&format!(
            " A fresh settings file could not be written ({e})."
        ));
    }
    LoadedSettings::defaults_with(warning, Some(backup))
}

/// `settings.toml.bad-YYYYMMDD-HHMMSS`, with "-2", "-3", ... added if a
/// backup from the same second exists.
fn backup_path(path: &Path, now: NaiveDateTime) -> PathBuf {
    let stamp = now.format("%Y%m%d-%H%M%S");
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".bad-{stamp}"));
    let first = PathBuf::from(&name);
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| {
            let mut numbered = name.clone();
            numbered.push(format!("-{n}"));
            PathBuf::from(numbered)
        })
        .find(|candidate| !candidate.exists())
        .unwrap_or(first)
}

/// Describes a TOML error as "posture.interval (line 8): message".
fn toml_problem(text: &str, error: &toml::de::Error) -> String {
    let message = error
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let message = message.as_str();
    let Some(span) = error.span() else {
        return message.to_owned();
    };
    let start = span.start.min(text.len());
    let line_no = text[..start].matches('\n').count() + 1;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    match line.split_once('=').map(|(key, _)| key.trim()) {
        Some(key) if !key.is_empty() && !key.starts_with('[') => {
            let field = match section_before(&text[..line_start]) {
                Some(section) => format!("{section}.{key}"),
                None => key.to_owned(),
            };
            format!("{field} (line {line_no}): {message}")
        }
        _ => format!("line {line_no}: {message}"),
    }
}

/// The last `[section]` header in `text`, if any.
fn section_before(text: &str) -> Option<&str> {
    text.lines().rev().find_map(|line| {
        let line = line.trim();
        line.strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
            .map(str::trim)
    })
}

fn join_errors(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and
/// renames it over `path`, so a crash leaves either the old or the new file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SettingsFileError> {
    let write_error = |path: &Path| {
        let path = path.to_owned();
        move |source| SettingsFileError::Write { path, source }
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    files::create_dir_owner_only(DirBuilder::new().recursive(true), dir)
        .map_err(write_error(dir))?;
    let mut temp_name = path.file_name().unwrap_or_default().to_owned();
    temp_name.push(format!(".tmp-{}", std::process::id()));
    let temp = dir.join(temp_name);
    // A leftover from a crash may carry other permissions; start afresh.
    let _ = fs::remove_file(&temp);
    let result = (|| {
        let mut file = files::open_owner_only(
            OpenOptions::new().write(true).create(true).truncate(true),
            &temp,
        )?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(write_error(path))?;
    // Make the rename itself durable; the new file is in place either way.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
