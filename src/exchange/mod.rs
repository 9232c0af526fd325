//! Export and import of the log (CSV, JSON Lines) and the HTML report for a
//! therapist.
//!
//! # The exchange formats
//!
//! Both formats hold one record per log entry, with the same field names:
//!
//! | field        | value                                                                 |
//! |--------------|-----------------------------------------------------------------------|
//! | `timestamp`  | when it happened, RFC 3339 in the entry's own local offset: `2024-03-04T18:20:00+01:00` (fractional seconds only when there are some) |
//! | `kind`       | `posture_check`, `move_break` or `routine`                            |
//! | `outcome`    | posture checks: `all_good`, `fixed`, `snoozed`, `skipped`, `missed`; move breaks: `taken`, `natural`, `snoozed`, `skipped`, `missed`; routines: `completed`, `partial`, `skipped`, `missed` |
//! | `duration_s` | length of the break or session in whole seconds, 0 or more            |
//! | `routine`    | routine id (`mini`), or empty                                         |
//! | `pain`       | pain score 0 to 10 logged with a session, or empty                    |
//! | `note`       | free text, may be empty                                               |
//! | `due`        | when the reminder fell due, RFC 3339 in the entry's offset, or empty  |
//! | `exercises`  | exercises done in a session, in order                                 |
//! | `held_s`     | seconds a busy spell (a call, full screen) held the reminder back, 0 when not held |
//!
//! **CSV** (RFC 4180, UTF-8, comma separated, fields quoted when needed,
//! `\n` line ends): a header row naming the columns, then one row per
//! entry. Export writes the ten columns above in that order; `exercises`
//! uses the compact form of [`exercises_text`], e.g.
//! `glute_bridge:2x10;bird_dog:2x8s;split_squat:2x8/side`. Import finds
//! the columns by their header names (any order), requires the first seven
//! (`due`, `exercises` and `held_s` may be left out), refuses unknown or repeated
//! columns, and takes an empty `duration_s` as 0. A UTF-8 byte order mark,
//! `\r\n` line ends and blank lines are accepted.
//!
//! **JSON Lines**: one JSON object per line, keys as above, written in that
//! order; empty values are written as `null` (`note` as `""`), and
//! `exercises` is a list of objects
//! `{"exercise": "glute_bridge", "sets": 2, "reps": 10, "hold_s": 0, "per_side": false}`
//! (`reps` is 0 for a timed hold, `hold_s` 0 for a counted one). Import
//! requires `timestamp`, `kind` and `outcome`; any other key may be absent
//! or `null`; unknown keys are refused; blank lines are ignored.
//!
//! # Import rules
//! A `timestamp` with a numeric offset (`+01:00`, `+00:00` too) is the local
//! offset of that moment and is kept, so an export reads back unchanged. A
//! timestamp in UTC only (`Z` or `-00:00`, as RFC 3339 defines them) is
//! placed by the system's time zone at that instant, daylight saving
//! included, and stored with that local offset: `2026-10-13T22:53:16Z`
//! imported in Berlin is 00:53 on 14 October.
//!
//! The whole file is checked before anything is written. Each problem is
//! reported with its 1-based line and its field ([`ImportProblem`]); a
//! problem with the line as a whole (column count, a line cut short,
//! JSON syntax, invalid UTF-8 in JSON Lines) names the field `(row)`, and a
//! problem with the CSV header names the column or `header`. Only a file
//! without problems is applied, in one transaction; entries identical to
//! one already in the log are skipped, so importing a file twice changes
//! nothing.
//!
//! The format is taken from the file name (`.csv`; `.jsonl`, `.ndjson`,
//! `.json`) and otherwise from the content: a file whose first non-blank
//! character is `{` is JSON Lines, anything else CSV.

pub mod csv_format;
pub mod exercises_text;
mod fields;
pub mod jsonl_format;
pub mod report;
pub mod weekly;

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::Local;

use crate::core::model::Entry;
pub use crate::exchange::fields::LocalZone;
use crate::store::{ImportCounts, Store, StoreError};

/// The field name given to a problem with a line as a whole.
pub const ROW_FIELD: &str = "(row)";

/// A file format for export and import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// JSON Lines: one JSON object per line.
    Jsonl,
}

impl Format {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
        }
    }

    /// The format a file name's extension names, if it names one.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Self::Csv),
            "jsonl" | "ndjson" | "json" => Some(Self::Jsonl),
            _ => None,
        }
    }

    /// The format of a file's content: JSON Lines when its first non-blank
    /// character is `{`, CSV otherwise.
    pub fn sniff(bytes: &[u8]) -> Format {
        match strip_bom(bytes).iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Self::Jsonl,
            _ => Self::Csv,
        }
    }
}

/// One reason a file cannot be imported, tied to a line and a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// 1-based line of the file where the record starts.
    pub line: usize,
    /// The column or key at fault, `(row)` for the line as a whole, or
    /// `header`.
    pub field: String,
    /// What is wrong and what is allowed, in plain words.
    pub message: String,
}

impl ImportProblem {
    /// A problem on `line` with `field`, explained by `message`.
    pub fn new(line: usize, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            line,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, field {}: {}",
            self.line, self.field, self.message
        )
    }
}

/// Writes `entries` in `format`; returns the number of records written.
pub fn export(entries: &[Entry], format: Format, out: &mut dyn Write) -> io::Result<usize> {
    match format {
        Format::Csv => csv_format::write_csv(entries, out),
        Format::Jsonl => jsonl_format::write_jsonl(entries, out),
    }
}

/// Checks a whole file whose format is found from its content, and returns
/// its entries in file order, or every problem found. UTC-only times land
/// on the system time zone's local day.
pub fn parse_import(bytes: &[u8]) -> Result<Vec<Entry>, Vec<ImportProblem>> {
    parse_import_as(bytes, Format::sniff(bytes))
}

/// Checks a whole file in the given format, and returns its entries in
/// file order, or every problem found. UTC-only times land on the system
/// time zone's local day.
pub fn parse_import_as(bytes: &[u8], format: Format) -> Result<Vec<Entry>, Vec<ImportProblem>> {
    parse_import_in(bytes, format, &Local)
}

/// Checks a whole file in the given format as a person living in `zone`
/// would have written it: a time with a numeric offset keeps it, a
/// UTC-only time (`Z`, `-00:00`) takes `zone`'s offset at that instant.
pub fn parse_import_in(
    bytes: &[u8],
    format: Format,
    zone: &dyn LocalZone,
) -> Result<Vec<Entry>, Vec<ImportProblem>> {
    let bytes = strip_bom(bytes);
    match format {
        Format::Csv => csv_format::parse_csv(bytes, zone),
        Format::Jsonl => jsonl_format::parse_jsonl(bytes, zone),
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Why a file was not imported. In every case the log is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file has problems; nothing was imported.
    #[error("{path} was not imported: {count} problem{s} found, the log was not changed", count = problems.len(), s = if problems.len() == 1 { "" } else { "s" })]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem, in file order.
        problems: Vec<ImportProblem>,
    },
    /// The log refused or failed the write; the transaction was rolled back.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads, checks and imports a whole file, all or nothing. The format comes
/// from the file name's extension, or from the content when the extension
/// does not name one. Entries identical to logged ones are skipped.
pub fn import_file(store: &mut Store, path: &Path) -> Result<ImportCounts, ImportError> {
    import_file_in(store, path, &Local)
}

/// [`import_file`] with UTC-only times placed by `zone` instead of the
/// system time zone.
pub fn import_file_in(
    store: &mut Store,
    path: &Path,
    zone: &dyn LocalZone,
) -> Result<ImportCounts, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let format = Format::from_path(path).unwrap_or_else(|| Format::sniff(&bytes));
    let entries =
        parse_import_in(&bytes, format, zone).map_err(|problems| ImportError::Invalid {
            path: path.to_path_buf(),
            problems,
        })?;
    Ok(store.import_entries(&entries)?)
}
