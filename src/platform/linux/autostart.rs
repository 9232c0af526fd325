//! Start at login: an XDG autostart entry,
//! `$XDG_CONFIG_HOME/autostart/rebalance.desktop`, launching
//! `<exe> daemon`.
//!
//! The file is written here rather than with the auto-launch crate: its
//! Linux code ignores `XDG_CONFIG_HOME`, panics without a home folder,
//! writes the executable path unquoted (a path with a space breaks the
//! entry) and fails when `~/.config` does not exist yet.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::platform::paths::{self, PathsError};

/// The entry's file name, in every autostart folder.
const FILE_NAME: &str = "rebalance.desktop";

/// Why the login entry could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum AutostartError {
    /// The folder for the entry could not be found.
    #[error("cannot find the autostart folder: {0}")]
    NoFolder(#[from] PathsError),
    /// The executable's path cannot be written in a desktop entry.
    #[error("cannot start {} at login: its path is not valid UTF-8 or contains a line break", .0.display())]
    UnusablePath(PathBuf),
    /// Writing or removing the entry failed.
    #[error("cannot update the login entry {}: {source}", path.display())]
    Io {
        /// The entry's file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// The folders autostart entries are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutostartDirs {
    /// The user's configuration folder (`$XDG_CONFIG_HOME`): entries written here.
    pub config_home: PathBuf,
    /// System configuration folders (`$XDG_CONFIG_DIRS`, default `/etc/xdg`),
    /// where a package may install an entry for everyone.
    pub config_dirs: Vec<PathBuf>,
}

impl AutostartDirs {
    /// The folders for this process's environment.
    pub fn from_env() -> Result<AutostartDirs, AutostartError> {
        let config_dirs = std::env::var("XDG_CONFIG_DIRS")
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "/etc/xdg".to_owned())
            .split(':')
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .collect();
        Ok(AutostartDirs {
            config_home: paths::config_home()?,
            config_dirs,
        })
    }

    /// The user's entry: `config_home/autostart/rebalance.desktop`.
    pub fn user_file(&self) -> PathBuf {
        self.config_home.join("autostart").join(FILE_NAME)
    }

    fn system_files(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.config_dirs
            .iter()
            .map(|d| d.join("autostart").join(FILE_NAME))
            .filter(|p| p.is_file())
    }

    /// Whether the session will start Rebalance at login: the user's entry
    /// decides when there is one (it may hide a system one), else a system
    /// entry does.
    pub fn enabled(&self) -> bool {
        let user = self.user_file();
        if user.exists() {
            return entry_is_active(&user);
        }
        self.system_files().any(|p| entry_is_active(&p))
    }

    /// Adds (launching `exe daemon`) or removes the login entry. Removing
    /// while a system-wide entry exists writes a user entry hiding it.
    pub fn set(&self, enabled: bool, exe: &Path) -> Result<(), AutostartError> {
        let file = self.user_file();
        let io_error = |source| AutostartError::Io {
            path: file.clone(),
            source,
        };
        if enabled {
            write_atomically(&file, &desktop_entry(exe)?).map_err(io_error)
        } else if self.system_files().next().is_some() {
            write_atomically(&file, HIDING_ENTRY).map_err(io_error)
        } else {
            match fs::remove_file(&file) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_error(e)),
                _ => Ok(()),
            }
        }
    }
}

/// Adds or removes the login entry in the user's autostart folder.
pub fn set_autostart(enabled: bool, exe: &Path) -> Result<(), AutostartError> {
    AutostartDirs::from_env()?.set(enabled, exe)
}

/// Whether Rebalance starts at login (false when it cannot be told).
pub fn autostart_enabled() -> bool {
    AutostartDirs::from_env().is_ok_and(|d| d.enabled())
}

/// A user entry that switches off a system-wide one.
const HIDING_ENTRY: &str = "[Desktop Entry]\nType=Application\nName=Rebalance\nHidden=true\n";

/// The autostart entry launching `exe daemon`.
pub fn desktop_entry(exe: &Path) -> Result<String, AutostartError> {
    let exe_text = exe
        .to_str()
        .filter(|t| !t.contains(['\n', '\r']))
        .ok_or_else(|| AutostartError::UnusablePath(exe.to_path_buf()))?;
    Ok(format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=Rebalance\n\
         Comment=Posture checks, movement breaks and corrective routines\n\
         Exec={} daemon\n\
         Icon=rebalance\n\
         Terminal=false\n\
         StartupNotify=false\n\
         X-GNOME-Autostart-enabled=true\n",
        exec_argument(exe_text)
    ))
}

/// Quotes one argument of an `Exec` key as the Desktop Entry specification
/// requires: double quotes around reserved characters, backslash before
/// `"`, `` ` ``, `$` and `\` inside them, `%` doubled, then the string
/// escaping every key value gets (each backslash doubled).
fn exec_argument(arg: &str) -> String {
    const RESERVED: &[char] = &[
        ' ', '\t', '"', '\'', '\\', '>', '<', '~', '|', '&', ';', '$', '*', '?', '#', '(', ')', '`',
    ];
    let quoted = if arg.contains(RESERVED) {
        let mut q = String::from("\"");
        for c in arg.chars() {
            if matches!(c, '"' | '`' | '$' | '\\') {
                q.push('\\');
            }
            q.push(c);
        }
        q.push('"');
        q
    } else {
        arg.to_owned()
    };
    quoted.replace('%', "%%").replace('\\', "\\\\")
}

/// Whether an entry file is switched on: not `Hidden=true`, not
/// `X-GNOME-Autostart-enabled=false` (what desktop settings write to switch
/// an entry off).
fn entry_is_active(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else {
        return false;
    };
    let mut in_main_group = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_main_group = line == "[Desktop Entry]";
            continue;
        }
        if !in_main_group {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        match (key.trim(), value.trim()) {
            ("Hidden", "true") | ("X-GNOME-Autostart-enabled", "false") => return false,
            _ => {}
        }
    }
    true
}

/// Writes through a temporary file and a rename, so a crash never leaves
/// a half-written entry; creates the folder if needed.
fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{FILE_NAME}.tmp"));
    fs::write(&tmp, contents)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_written_as_they_are() {
        assert_eq!(exec_argument("/usr/bin/rebalance"), "/usr/bin/rebalance");
    }

    #[test]
    fn paths_with_reserved_characters_are_quoted_and_escaped() {
        assert_eq!(
            exec_argument("/home/a b/rebalance"),
            "\"/home/a b/rebalance\""
        );
        // `$` gets a backslash inside the quotes, which the string escaping
        // then doubles.
        assert_eq!(exec_argument("/opt/$x/rb"), "\"/opt/\\\\$x/rb\"");
        assert_eq!(exec_argument("/opt/100%/rb"), "/opt/100%%/rb");
    }

    #[test]
    fn entry_launches_the_daemon() {
        let entry = desktop_entry(Path::new("/usr/bin/rebalance")).unwrap();
        assert!(entry.starts_with("[Desktop Entry]\n"));
        assert!(
            entry.contains("\nExec=/usr/bin/rebalance daemon\n"),
            "{entry}"
        );
        assert!(entry.contains("\nType=Application\n"));
    }

    #[test]
    fn a_path_with_a_line_break_is_refused() {
        let err = desktop_entry(Path::new("/tmp/a\nb")).unwrap_err();
        assert!(err.to_string().contains("line break"), "{err}");
    }
}
