//! Where Rebalance keeps its files. On Linux, following the XDG base
//! directories: the settings file where confy puts it, the log and database
//! in the data folder, and the control socket in the per-user runtime
//! folder. On Windows, the settings in `%APPDATA%\Rebalance` (roaming with
//! the profile) and the log, database and control-pipe names in
//! `%LOCALAPPDATA%\Rebalance` (this machine only).

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use crate::platform::local_socket::UserId;

/// Folder name used under every XDG base directory.
#[cfg(unix)]
const APP_DIR: &str = "rebalance";

/// Folder name used under `%APPDATA%` and `%LOCALAPPDATA%`.
#[cfg(windows)]
const APP_DIR: &str = "Rebalance";

/// Every file location the app uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    /// The settings file: `$XDG_CONFIG_HOME/rebalance/settings.toml` (confy's location).
    pub config_file: PathBuf,
    /// `$XDG_DATA_HOME/rebalance`: the log database and the log file.
    pub data_dir: PathBuf,
    /// `data_dir/rebalance.db`.
    pub db_file: PathBuf,
    /// `data_dir/rebalance.log`.
    pub log_file: PathBuf,
    /// `$XDG_RUNTIME_DIR/rebalance`, or `/tmp/rebalance-<uid>` without one.
    pub runtime_dir: PathBuf,
    /// `runtime_dir/rebalance.sock`: the daemon's control socket.
    pub socket: PathBuf,
}

/// Why the app's folders could not be found or prepared.
#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    /// Neither `$HOME` nor the password database names a home folder.
    #[error("cannot find the home folder: set HOME (or XDG_CONFIG_HOME and XDG_DATA_HOME)")]
    NoHome,
    /// A folder could not be created or made private.
    #[error("cannot prepare the {what} {}: {source}", path.display())]
    Folder {
        /// Which folder ("data folder", "runtime folder", "settings folder").
        what: &'static str,
        /// The folder concerned.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The folder exists but is not a plain folder (a file or a symbolic link).
    #[error("the {what} {} exists but is not a folder", path.display())]
    NotAFolder {
        /// Which folder.
        what: &'static str,
        /// The folder concerned.
        path: PathBuf,
    },
    /// The folder belongs to another user, so it cannot be trusted.
    #[cfg(unix)]
    #[error("the {what} {} belongs to user id {owner}, not to us (user id {uid}); remove it or set XDG_RUNTIME_DIR", path.display())]
    NotOwned {
        /// Which folder.
        what: &'static str,
        /// The folder concerned.
        path: PathBuf,
        /// Its owner's user id.
        owner: u32,
        /// Our user id.
        uid: u32,
    },
}

impl AppPaths {
    /// The locations for this process's environment (`HOME`, `XDG_CONFIG_HOME`,
    /// `XDG_DATA_HOME`, `XDG_RUNTIME_DIR`; on Windows `APPDATA`,
    /// `LOCALAPPDATA` and `USERPROFILE`).
    pub fn from_env() -> Result<AppPaths, PathsError> {
        Self::from_vars(
            |name| std::env::var_os(name),
            home_dir().as_deref(),
            current_uid(),
        )
    }

    /// The locations given an environment lookup, the home folder and the
    /// user id. Relative XDG values are ignored, as the XDG specification
    /// (and confy) require.
    #[cfg(unix)]
    pub fn from_vars(
        var: impl Fn(&str) -> Option<OsString>,
        home: Option<&Path>,
        uid: UserId,
    ) -> Result<AppPaths, PathsError> {
        let absolute = |name: &str| var(name).map(PathBuf::from).filter(|p| p.is_absolute());
        let under_home = |rel: &str| home.map(|h| h.join(rel)).ok_or(PathsError::NoHome);

        let config_home = match absolute("XDG_CONFIG_HOME") {
            Some(p) => p,
            None => under_home(".config")?,
        };
        let data_home = match absolute("XDG_DATA_HOME") {
            Some(p) => p,
            None => under_home(".local/share")?,
        };
        let runtime_dir = match absolute("XDG_RUNTIME_DIR") {
            Some(p) => p.join(APP_DIR),
            None => fallback_runtime_dir(uid),
        };
        let data_dir = data_home.join(APP_DIR);
        Ok(AppPaths {
            config_file: config_home.join(APP_DIR).join("settings.toml"),
            db_file: data_dir.join("rebalance.db"),
            log_file: data_dir.join("rebalance.log"),
            data_dir,
            socket: runtime_dir.join("rebalance.sock"),
            runtime_dir,
        })
    }

    /// The locations given an environment lookup and the home folder
    /// (`%USERPROFILE%`): `%APPDATA%\Rebalance\settings.toml` and
    /// `%LOCALAPPDATA%\Rebalance\` for the rest, the runtime folder (where
    /// the pipe names and the single-instance locks come from) under it as
    /// `run`. Relative values are ignored, and a missing one falls back to
    /// the profile's usual `AppData\Roaming` or `AppData\Local`.
    #[cfg(windows)]
    pub fn from_vars(
        var: impl Fn(&str) -> Option<OsString>,
        home: Option<&Path>,
        _uid: UserId,
    ) -> Result<AppPaths, PathsError> {
        let absolute = |name: &str| var(name).map(PathBuf::from).filter(|p| p.is_absolute());
        let under_home = |rel: &str| home.map(|h| h.join(rel)).ok_or(PathsError::NoHome);
        let roaming = match absolute("APPDATA") {
            Some(p) => p,
            None => under_home(r"AppData\Roaming")?,
        };
        let local = match absolute("LOCALAPPDATA") {
            Some(p) => p,
            None => under_home(r"AppData\Local")?,
        };
        let data_dir = local.join(APP_DIR);
        let runtime_dir = data_dir.join("run");
        Ok(AppPaths {
            config_file: roaming.join(APP_DIR).join("settings.toml"),
            db_file: data_dir.join("rebalance.db"),
            log_file: data_dir.join("rebalance.log"),
            data_dir,
            socket: runtime_dir.join("rebalance.sock"),
            runtime_dir,
        })
    }

    /// The folder holding the settings file.
    pub fn config_dir(&self) -> &Path {
        self.config_file.parent().unwrap_or(Path::new("/"))
    }

    /// Creates the settings, data and runtime folders if needed, owner-only
    /// (0700). A runtime folder that already exists must be ours: anyone
    /// could have created one under `/tmp`.
    pub fn ensure_private_dirs(&self) -> Result<(), PathsError> {
        ensure_private_dir(self.config_dir(), "settings folder")?;
        ensure_private_dir(&self.data_dir, "data folder")?;
        ensure_private_dir(&self.runtime_dir, "runtime folder")?;
        Ok(())
    }
}

/// The user's home folder: `$HOME`, else the password database.
#[cfg(unix)]
pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()))
}

/// The user's profile folder: `%USERPROFILE%`, else what the system says.
#[cfg(windows)]
pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("USERPROFILE")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()))
}

/// `$XDG_CONFIG_HOME` when it is absolute, else `~/.config`.
#[cfg(unix)]
pub fn config_home() -> Result<PathBuf, PathsError> {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home_dir().map(|h| h.join(".config")))
        .ok_or(PathsError::NoHome)
}

/// `/tmp/rebalance-<uid>`, used when the session has no `XDG_RUNTIME_DIR`.
#[cfg(unix)]
fn fallback_runtime_dir(uid: UserId) -> PathBuf {
    std::env::temp_dir().join(format!("{APP_DIR}-{uid}"))
}

/// This process's real user id.
#[cfg(unix)]
pub fn current_uid() -> UserId {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

/// The SID of the user this process runs as. Empty if the system cannot
/// tell, which matches no peer, so the control channel then refuses every
/// client rather than any stranger.
#[cfg(windows)]
pub fn current_uid() -> UserId {
    crate::platform::local_socket::current_user().unwrap_or_default()
}

/// Creates `path` and its parents, then checks it is a real folder (not a
/// link planted to redirect us), gives it an access list for the user
/// alone that what it holds inherits, and proves it is writable.
#[cfg(windows)]
fn ensure_private_dir(path: &Path, what: &'static str) -> Result<(), PathsError> {
    use crate::platform::files;
    let folder_error = |source: io::Error| PathsError::Folder {
        what,
        path: path.to_path_buf(),
        source,
    };
    fs::create_dir_all(path).map_err(folder_error)?;
    let meta = fs::symlink_metadata(path).map_err(folder_error)?;
    if !meta.file_type().is_dir() || meta.file_type().is_symlink() {
        return Err(PathsError::NotAFolder {
            what,
            path: path.to_path_buf(),
        });
    }
    if files::open_to_others(path) {
        files::restrict_to_owner(path).map_err(folder_error)?;
    }
    if let Some(source) = files::folder_write_problem(path) {
        return Err(folder_error(source));
    }
    Ok(())
}

/// Creates `path` (parents with default permissions, the folder itself
/// 0700), then checks it is a real folder owned by us and tightens its
/// permissions if they are looser.
#[cfg(unix)]
fn ensure_private_dir(path: &Path, what: &'static str) -> Result<(), PathsError> {
    use std::fs::DirBuilder;
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    let folder_error = |source: io::Error| PathsError::Folder {
        what,
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(folder_error)?;
    }
    match DirBuilder::new().mode(0o700).create(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(folder_error(e)),
    }
    // symlink_metadata: a symbolic link planted in /tmp must not be followed.
    let meta = fs::symlink_metadata(path).map_err(folder_error)?;
    if !meta.file_type().is_dir() {
        return Err(PathsError::NotAFolder {
            what,
            path: path.to_path_buf(),
        });
    }
    let uid = current_uid();
    if meta.uid() != uid {
        return Err(PathsError::NotOwned {
            what,
            path: path.to_path_buf(),
            owner: meta.uid(),
            uid,
        });
    }
    if meta.mode() & 0o077 != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(0o700)).map_err(folder_error)?;
    }
    // Creating a folder can succeed on a read-only mount that was already
    // there; prove we can write in it so the error names this folder now,
    // not a database or socket error later.
    let probe = path.join(".rebalance-write-test");
    fs::write(&probe, b"").map_err(folder_error)?;
    let _ = fs::remove_file(&probe);
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn xdg_variables_decide_every_location() {
        let p = AppPaths::from_vars(
            vars(&[
                ("XDG_CONFIG_HOME", "/c"),
                ("XDG_DATA_HOME", "/d"),
                ("XDG_RUNTIME_DIR", "/r"),
            ]),
            Some(Path::new("/home/u")),
            1000,
        )
        .unwrap();
        assert_eq!(p.config_file, Path::new("/c/rebalance/settings.toml"));
        assert_eq!(p.data_dir, Path::new("/d/rebalance"));
        assert_eq!(p.db_file, Path::new("/d/rebalance/rebalance.db"));
        assert_eq!(p.log_file, Path::new("/d/rebalance/rebalance.log"));
        assert_eq!(p.runtime_dir, Path::new("/r/rebalance"));
        assert_eq!(p.socket, Path::new("/r/rebalance/rebalance.sock"));
    }

    #[test]
    fn missing_or_relative_variables_fall_back_to_home_and_tmp() {
        let p = AppPaths::from_vars(
            vars(&[("XDG_CONFIG_HOME", "relative/path")]),
            Some(Path::new("/home/u")),
            1234,
        )
        .unwrap();
        assert_eq!(
            p.config_file,
            Path::new("/home/u/.config/rebalance/settings.toml")
        );
        assert_eq!(p.data_dir, Path::new("/home/u/.local/share/rebalance"));
        assert_eq!(p.runtime_dir, std::env::temp_dir().join("rebalance-1234"));
    }

    #[test]
    fn no_home_and_no_xdg_is_a_clear_error() {
        let err = AppPaths::from_vars(vars(&[]), None, 1).unwrap_err();
        assert!(err.to_string().contains("home folder"), "{err}");
    }

    #[test]
    fn settings_file_is_where_confy_looks() {
        let ours = AppPaths::from_env().unwrap().config_file;
        let confys = confy::get_configuration_file_path("rebalance", "settings").unwrap();
        assert_eq!(ours, confys);
    }

    #[test]
    fn folders_are_created_private_and_loose_ones_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().to_str().unwrap().to_owned();
        let p = AppPaths::from_vars(
            vars(&[
                ("XDG_CONFIG_HOME", &format!("{base}/config")),
                ("XDG_DATA_HOME", &format!("{base}/data")),
                ("XDG_RUNTIME_DIR", &format!("{base}/run")),
            ]),
            None,
            current_uid(),
        )
        .unwrap();
        fs::create_dir_all(&p.data_dir).unwrap();
        fs::set_permissions(&p.data_dir, fs::Permissions::from_mode(0o755)).unwrap();
        p.ensure_private_dirs().unwrap();
        for dir in [p.config_dir(), &p.data_dir, &p.runtime_dir] {
            let mode = fs::metadata(dir).unwrap().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", dir.display());
        }
        // Idempotent.
        p.ensure_private_dirs().unwrap();
    }

    #[test]
    fn an_unusable_data_folder_is_named_in_the_error() {
        let tmp = tempfile::tempdir().unwrap();
        let blocker = tmp.path().join("data");
        fs::write(&blocker, b"a file where a folder should be").unwrap();
        let base = tmp.path().to_str().unwrap().to_owned();
        let p = AppPaths::from_vars(
            vars(&[
                ("XDG_CONFIG_HOME", &format!("{base}/config")),
                ("XDG_DATA_HOME", &format!("{base}/data")),
                ("XDG_RUNTIME_DIR", &format!("{base}/run")),
            ]),
            None,
            current_uid(),
        )
        .unwrap();
        let err = p.ensure_private_dirs().unwrap_err().to_string();
        assert!(err.contains("data folder"), "{err}");
        assert!(err.contains(&format!("{base}/data/rebalance")), "{err}");
    }

    #[test]
    fn a_symlinked_runtime_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("elsewhere");
        fs::create_dir(&target).unwrap();
        fs::create_dir(tmp.path().join("run")).unwrap();
        std::os::unix::fs::symlink(&target, tmp.path().join("run/rebalance")).unwrap();
        let base = tmp.path().to_str().unwrap().to_owned();
        let p = AppPaths::from_vars(
            vars(&[
                ("XDG_CONFIG_HOME", &format!("{base}/config")),
                ("XDG_DATA_HOME", &format!("{base}/data")),
                ("XDG_RUNTIME_DIR", &format!("{base}/run")),
            ]),
            None,
            current_uid(),
        )
        .unwrap();
        let err = p.ensure_private_dirs().unwrap_err().to_string();
        assert!(
            err.contains("runtime folder") && err.contains("not a folder"),
            "{err}"
        );
    }
}
