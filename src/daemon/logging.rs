//! The daemon's log: tracing to stderr and to a size-capped file in the data
//! folder. When the file would grow past its cap it is renamed to
//! `<name>.1` (replacing the previous one) and a fresh file is started, so
//! at most twice the cap is ever kept. `RUST_LOG` sets the level (default
//! `info`).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::platform::files;

/// The size at which the log file is rotated.
pub const LOG_CAP_BYTES: u64 = 1024 * 1024;

/// A log file that rotates itself once it reaches its cap.
#[derive(Debug)]
pub struct CappedLog {
    inner: Mutex<CappedState>,
}

#[derive(Debug)]
struct CappedState {
    path: PathBuf,
    cap: u64,
    file: Option<File>,
    size: u64,
}

impl CappedLog {
    /// Opens (appending to) `path`, rotating at `cap` bytes.
    pub fn open(path: &Path, cap: u64) -> io::Result<CappedLog> {
        let file = open_append(path)?;
        let size = file.metadata()?.len();
        Ok(CappedLog {
            inner: Mutex::new(CappedState {
                path: path.to_path_buf(),
                cap,
                file: Some(file),
                size,
            }),
        })
    }
}

fn open_append(path: &Path) -> io::Result<File> {
    files::open_owner_only(OpenOptions::new().create(true).append(true), path)
}

impl CappedState {
    fn rotate(&mut self) -> io::Result<()> {
        self.file = None;
        let mut old = self.path.as_os_str().to_owned();
        old.push(".1");
        std::fs::rename(&self.path, PathBuf::from(old))?;
        self.file = Some(open_append(&self.path)?);
        self.size = 0;
        Ok(())
    }

    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.size > 0 && self.size + buf.len() as u64 > self.cap {
            // A failed rotation must not silence the log: keep writing to
            // whatever file is open.
            let _ = self.rotate();
        }
        let Some(file) = self.file.as_mut() else {
            self.file = Some(open_append(&self.path)?);
            return self.write(buf);
        };
        let written = file.write(buf)?;
        self.size += written as u64;
        Ok(written)
    }
}

/// A handle writing one log record to a [`CappedLog`].
#[derive(Debug)]
pub struct CappedWriter(Arc<CappedLog>);

impl Write for CappedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.0.inner.lock() {
            Ok(mut state) => state.write(buf),
            // A panic while logging elsewhere: drop the record, not the daemon.
            Err(_) => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for CappedLogWriter {
    type Writer = CappedWriter;

    fn make_writer(&'a self) -> Self::Writer {
        CappedWriter(Arc::clone(&self.0))
    }
}

/// The [`MakeWriter`] handed to tracing.
#[derive(Debug, Clone)]
pub struct CappedLogWriter(pub Arc<CappedLog>);

/// Installs the global subscriber: stderr plus the capped file at
/// `log_file`. If the file cannot be opened the daemon logs to stderr only
/// and says why. Calling it twice is harmless (the second call does nothing).
pub fn init(log_file: &Path) {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(io::stderr)
        .with_filter(filter());
    match CappedLog::open(log_file, LOG_CAP_BYTES) {
        Ok(log) => {
            let file = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(CappedLogWriter(Arc::new(log)))
                .with_filter(filter());
            let _ = tracing_subscriber::registry()
                .with(stderr)
                .with(file)
                .try_init();
        }
        Err(err) => {
            let _ = tracing_subscriber::registry().with(stderr).try_init();
            tracing::warn!("cannot write the log file {}: {err}", log_file.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_rotates_at_its_cap_and_keeps_one_old_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rebalance.log");
        let log = Arc::new(CappedLog::open(&path, 100).unwrap());
        let mut writer = CappedLogWriter(log).make_writer();
        for i in 0..30 {
            writeln!(writer, "line {i:02} of the log").unwrap();
        }
        let current = std::fs::read_to_string(&path).unwrap();
        let previous = std::fs::read_to_string(dir.path().join("rebalance.log.1")).unwrap();
        assert!(current.len() <= 100, "{}", current.len());
        assert!(previous.len() <= 100, "{}", previous.len());
        assert!(current.ends_with("line 29 of the log\n"));
        assert!(!dir.path().join("rebalance.log.2").exists());
    }

    #[test]
    fn an_existing_file_is_appended_to() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rebalance.log");
        std::fs::write(&path, "earlier\n").unwrap();
        let log = Arc::new(CappedLog::open(&path, 1000).unwrap());
        writeln!(CappedLogWriter(log).make_writer(), "later").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "earlier\nlater\n");
    }
}
