//! Opening the log: recognising the file, configuring the connection for
//! durability, and running the migrations it lacks.
//!
//! A file that turns out not to be ours, or to be newer than this build, is
//! only ever read (through a read-only connection), never written.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::platform::files;

use super::StoreError;
use super::failure::Failure;
use super::schema::{APPLICATION_ID, LATEST_VERSION, MIGRATIONS};

/// How long a writer waits for the other process (window or daemon) to
/// finish its transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Where `PRAGMA application_id` sits in the database header (big-endian).
const APPLICATION_ID_OFFSET: usize = 68;

/// Where `PRAGMA user_version` sits in the database header (big-endian).
const USER_VERSION_OFFSET: usize = 60;

/// Size of the SQLite database header; page 1's b-tree header follows it.
const HEADER_LEN: usize = 100;

/// The database header plus page 1's b-tree header (type, .., cell count).
const FIRST_PAGE_PREFIX: usize = HEADER_LEN + 8;

/// B-tree page type of a table page without children.
const LEAF_TABLE_PAGE: u8 = 0x0D;

/// What a database says about itself.
struct Identity {
    application_id: i32,
    user_version: i64,
    schema_objects: i64,
}

/// Opens (creating if needed) the log at `path`, ready for use.
pub(crate) fn open_file(path: &Path) -> Result<Connection, StoreError> {
    open_existing_or_new(path).map_err(|e| explain_cannot_open(path, e))
}

fn open_existing_or_new(path: &Path) -> Result<Connection, StoreError> {
    inspect_existing(path)?;
    create_private(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite_error(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| sqlite_error(path, e))?;
    // Only read until the file is known to be ours and not too new: even
    // switching the journal mode would write to it.
    let identity = identify(&conn).map_err(|e| sqlite_error(path, e))?;
    accept(path, &identity)?;
    keep_private(path)?;
    configure(&conn, true).map_err(|f| f.at(path))?;
    migrate(&mut conn, path).map_err(|f| f.at(path))?;
    Ok(conn)
}

/// A fresh log in memory.
pub(crate) fn open_memory(label: &Path) -> Result<Connection, StoreError> {
    let mut conn = Connection::open_in_memory().map_err(|e| sqlite_error(label, e))?;
    configure(&conn, false).map_err(|f| f.at(label))?;
    migrate(&mut conn, label).map_err(|f| f.at(label))?;
    Ok(conn)
}

/// Creates a missing log file owner-only (0600) before SQLite would create
/// it with 0644 less the umask; SQLite gives the `-wal` and `-shm` files it
/// adds later the mode of the database file.
fn create_private(path: &Path) -> Result<(), StoreError> {
    match files::owner_only(OpenOptions::new().write(true).create_new(true)).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Takes group and other access away from a log (and its `-wal` and `-shm`
/// files) that an older build created with looser permissions.
fn keep_private(path: &Path) -> Result<(), StoreError> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = Path::new(&name);
        if files::open_to_others(file) {
            files::restrict_to_owner(file).map_err(|source| StoreError::Io {
                path: file.to_path_buf(),
                source,
            })?;
        }
    }
    Ok(())
}

/// Refuses an existing file that is plainly not a Rebalance log, judging from
/// its header alone (and, for an unmarked SQLite file, its first page), so
/// that a foreign file is never opened by SQLite at all. A file marked as
/// ours is checked further by [`open_file`] before anything is written.
fn inspect_existing(path: &Path) -> Result<(), StoreError> {
    let io_error = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(e)),
    };
    if metadata.is_dir() {
        return Err(not_rebalance(path, "it is a folder"));
    }
    if metadata.len() == 0 {
        return Ok(());
    }
    let mut start = Vec::with_capacity(FIRST_PAGE_PREFIX);
    File::open(path)
        .and_then(|f| f.take(FIRST_PAGE_PREFIX as u64).read_to_end(&mut start))
        .map_err(io_error)?;
    if start.len() < FIRST_PAGE_PREFIX || !start.starts_with(SQLITE_MAGIC) {
        return Err(not_rebalance(path, "it is not an SQLite database"));
    }
    let application_id = be_i32(&start, APPLICATION_ID_OFFSET);
    if application_id != 0 {
        return match application_id {
            APPLICATION_ID => Ok(()),
            other => Err(foreign(path, other)),
        };
    }
    if wal_has_frames(path) {
        // The header may lag behind the write-ahead log: ask SQLite, through
        // a connection that cannot write.
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite_error(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sqlite_error(path, e))?;
        let identity = identify(&conn).map_err(|e| sqlite_error(path, e))?;
        return accept(path, &identity);
    }
    let first_page_cells = u16::from_be_bytes([start[HEADER_LEN + 3], start[HEADER_LEN + 4]]);
    let schema_objects = match start[HEADER_LEN] {
        LEAF_TABLE_PAGE => i64::from(first_page_cells),
        // An interior page means the schema spans several pages.
        _ => i64::MAX,
    };
    accept(
        path,
        &Identity {
            application_id,
            user_version: i64::from(be_i32(&start, USER_VERSION_OFFSET)),
            schema_objects,
        },
    )
}

/// Whether a write-ahead log with content sits beside the database.
fn wal_has_frames(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(Path::new(&wal)).is_ok_and(|m| m.len() > 0)
}

fn be_i32(bytes: &[u8], offset: usize) -> i32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[offset..offset + 4]);
    i32::from_be_bytes(word)
}

fn identify(conn: &Connection) -> rusqlite::Result<Identity> {
    Ok(Identity {
        application_id: conn.pragma_query_value(None, "application_id", |r| r.get(0))?,
        user_version: conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
        schema_objects: conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?,
    })
}

/// Whether a database may be used (and upgraded) as a Rebalance log.
fn accept(path: &Path, id: &Identity) -> Result<(), StoreError> {
    match id.application_id {
        APPLICATION_ID if id.user_version > LATEST_VERSION => Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: id.user_version,
            supported: LATEST_VERSION,
        }),
        APPLICATION_ID => Ok(()),
        0 if id.schema_objects == 0 && id.user_version == 0 => Ok(()),
        0 if id.user_version == 0 => Err(not_rebalance(
            path,
            "it is an SQLite database holding another program's tables",
        )),
        0 => Err(not_rebalance(
            path,
            &format!(
                "it is an SQLite database of another program (user_version {})",
                id.user_version
            ),
        )),
        other => Err(foreign(path, other)),
    }
}

/// Per-connection settings: wait for the other process instead of failing,
/// enforce foreign keys, and commit durably (WAL, fsync on every commit).
fn configure(conn: &Connection, on_disk: bool) -> Result<(), Failure> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    if on_disk {
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Failure::Corrupt(format!(
                "could not switch to write-ahead logging (journal mode stays {mode})"
            )));
        }
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Runs the migrations the file lacks, each in its own write transaction.
/// The file's identity is checked again under the write lock, since the
/// other process may have created or upgraded it in the meantime.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), Failure> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = identify(&tx)?;
        accept(path, &id)?;
        let Ok(done) = usize::try_from(id.user_version) else {
            return Err(not_rebalance(path, "it has a negative format version").into());
        };
        let Some(step) = MIGRATIONS.get(done) else {
            return Ok(());
        };
        if id.application_id == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", id.user_version + 1)?;
        tx.commit()?;
    }
}

/// SQLite says only "unable to open database file" when the log's folder
/// cannot be written (a log in write-ahead mode needs its `-wal` and `-shm`
/// files beside it): name the folder and the system's reason instead.
fn explain_cannot_open(path: &Path, err: StoreError) -> StoreError {
    let StoreError::Sqlite { source, .. } = &err else {
        return err;
    };
    if !matches!(
        source.sqlite_error_code(),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly)
    ) {
        return err;
    }
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    match files::folder_write_problem(folder) {
        Some(source) => StoreError::FolderNotWritable {
            path: path.to_path_buf(),
            folder: folder.to_path_buf(),
            source,
        },
        None => err,
    }
}

fn sqlite_error(path: &Path, source: rusqlite::Error) -> StoreError {
    if matches!(
        source.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    ) {
        return not_rebalance(path, &format!("SQLite cannot read it: {source}"));
    }
    StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

fn not_rebalance(path: &Path, reason: &str) -> StoreError {
    StoreError::NotRebalance {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn foreign(path: &Path, application_id: i32) -> StoreError {
    not_rebalance(
        path,
        &format!(
            "it is an SQLite database of another program (application id {application_id:#010x})"
        ),
    )
}
