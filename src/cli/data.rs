//! Command-line commands over the log: stats, export, import, report.
//!
//! They read and write the database file directly, so they work whether or
//! not the daemon runs (SQLite's WAL lets both use the file at once).
//! Commands that only read never create a database: with none yet, the log
//! is simply empty.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{Local, NaiveDate};

use crate::core::model::Entry;
use crate::core::settings::Settings;
use crate::core::stats::{LogIndex, week_start};
use crate::exchange::report::{MAX_REPORT_WEEKS, render_report};
use crate::exchange::weekly::{parse_iso_week, stats_document, stats_table};
use crate::exchange::{Format, ImportError, export, import_file};
use crate::platform::files;
use crate::store::Store;

/// What the data commands need: where the log is and the user's settings.
#[derive(Debug, Clone)]
pub struct DataContext {
    /// The SQLite log file.
    pub db_path: PathBuf,
    /// The user's settings (first day of the week, routine target).
    pub settings: Settings,
}

/// `rebalance stats`: one week's figures.
#[derive(Debug, Clone, clap::Args)]
pub struct StatsArgs {
    /// The ISO week to show, like 2024-W10; an ISO week always runs Monday
    /// to Sunday. Without it: the current week, starting on the first day of
    /// the week set in the settings.
    #[arg(long, value_name = "YYYY-Www", value_parser = parse_iso_week)]
    pub week: Option<NaiveDate>,
    /// Print the figures as JSON, for scripts (the shape is in the README).
    #[arg(long)]
    pub json: bool,
}

/// `rebalance export`: the log as CSV or JSON Lines.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// File format; without it, taken from the -o file's extension, else CSV.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// First local day to include (YYYY-MM-DD); default: the first entry.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub from: Option<NaiveDate>,
    /// Last local day to include (YYYY-MM-DD); default: the last entry.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub to: Option<NaiveDate>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `rebalance import`: add entries from a CSV or JSON Lines file.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The file to import. Its format comes from the extension (.csv,
    /// .jsonl) or, failing that, from its content. The whole file is checked
    /// first; if anything is wrong nothing is imported.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// `rebalance report`: an HTML page for a therapist.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// How many weeks, ending with the current one.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPORT_WEEKS)))]
    pub weeks: u32,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Prints the week's figures to standard output.
pub fn run_stats(a: &StatsArgs, ctx: &DataContext) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    ignore_closed_pipe(write_stats(a, ctx, Local::now().date_naive(), &mut out))
}

/// Writes the figures of the week `a` names (or the one holding `today`).
pub fn write_stats(
    a: &StatsArgs,
    ctx: &DataContext,
    today: NaiveDate,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let start = a
        .week
        .unwrap_or_else(|| week_start(today, ctx.settings.appearance.first_day_of_week));
    let entries = whole_log(&ctx.db_path)?;
    let figures = LogIndex::from_entries(&entries).week_figures(
        start,
        today,
        ctx.settings.routine.every_days,
    );
    if a.json {
        serde_json::to_writer_pretty(&mut *out, &stats_document(&figures))
            .map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", stats_table(&figures))?;
    }
    out.flush()?;
    Ok(())
}

/// Exports the chosen days to the file or standard output.
pub fn run_export(a: &ExportArgs, ctx: &DataContext) -> anyhow::Result<()> {
    let format = a
        .format
        .or_else(|| a.output.as_deref().and_then(Format::from_path))
        .unwrap_or(Format::Csv);
    let entries = export_entries(a, ctx)?;
    match &a.output {
        Some(path) => {
            let written = write_file_whole(path, |out| Ok(export(&entries, format, out)?))?;
            eprintln!(
                "Exported {written} entr{} to {}.",
                if written == 1 { "y" } else { "ies" },
                path.display()
            );
            Ok(())
        }
        None => {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            ignore_closed_pipe(
                export(&entries, format, &mut out)
                    .map(drop)
                    .map_err(Into::into),
            )
        }
    }
}

/// The entries `a` selects, oldest first.
pub fn export_entries(a: &ExportArgs, ctx: &DataContext) -> anyhow::Result<Vec<Entry>> {
    let (first, last) = (a.from.unwrap_or(FIRST_DAY), a.to.unwrap_or(LAST_DAY));
    if first > last {
        bail!("--from {first} is after --to {last}; nothing to export");
    }
    entries_on_days(&ctx.db_path, first, last)
}

/// Imports a file all or nothing and prints what was added and skipped.
/// When the file has problems, lists them on standard error, one per line
/// (`line N, field F: message`), changes nothing and fails.
pub fn run_import(a: &ImportArgs, ctx: &DataContext) -> anyhow::Result<()> {
    if let Some(folder) = ctx.db_path.parent() {
        create_private_dir(folder)?;
    }
    let mut store = Store::open(&ctx.db_path)?;
    match import_file(&mut store, &a.file) {
        Ok(counts) => {
            println!(
                "Imported {} from {}: {} added, {} skipped as already in the log.",
                plural_entries(counts.added + counts.duplicates),
                a.file.display(),
                counts.added,
                counts.duplicates
            );
            Ok(())
        }
        Err(ImportError::Invalid { path, problems }) => {
            let mut err = io::stderr().lock();
            for problem in problems.iter().take(MAX_PROBLEMS_SHOWN) {
                let _ = writeln!(err, "{problem}");
            }
            if problems.len() > MAX_PROBLEMS_SHOWN {
                let _ = writeln!(
                    err,
                    "... and {} more problems",
                    problems.len() - MAX_PROBLEMS_SHOWN
                );
            }
            Err(ImportError::Invalid { path, problems }.into())
        }
        Err(other) => Err(other.into()),
    }
}

/// Writes the report to the file or standard output.
pub fn run_report(a: &ReportArgs, ctx: &DataContext) -> anyhow::Result<()> {
    let entries = whole_log(&ctx.db_path)?;
    let html = render_report(&entries, a.weeks, Local::now().date_naive(), &ctx.settings);
    match &a.output {
        Some(path) => {
            write_file_whole(path, |out| Ok(out.write_all(html.as_bytes())?))?;
            eprintln!(
                "Report for the last {} week{} written to {}.",
                a.weeks,
                if a.weeks == 1 { "" } else { "s" },
                path.display()
            );
            Ok(())
        }
        None => ignore_closed_pipe(
            io::stdout()
                .lock()
                .write_all(html.as_bytes())
                .map_err(Into::into),
        ),
    }
}

/// Problems listed before the rest are only counted.
const MAX_PROBLEMS_SHOWN: usize = 200;
/// The log's first and last possible local days.
const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();

/// Parses a local day written as YYYY-MM-DD.
fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{text}\" is not a date; write it like 2024-03-04"))
}

fn plural_entries(n: usize) -> String {
    format!("{n} entr{}", if n == 1 { "y" } else { "ies" })
}

fn whole_log(db: &Path) -> anyhow::Result<Vec<Entry>> {
    entries_on_days(db, FIRST_DAY, LAST_DAY)
}

/// Entries of the local days `first..=last`; none when there is no log yet.
fn entries_on_days(db: &Path, first: NaiveDate, last: NaiveDate) -> anyhow::Result<Vec<Entry>> {
    if !db.exists() {
        return Ok(Vec::new());
    }
    Ok(Store::open(db)?.entries_on_days(first, last)?)
}

/// Writes a file through a temporary sibling renamed into place, so an
/// interrupted or failed write never leaves half a file under the name.
fn write_file_whole<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.part", std::process::id()));
    let temp = path.with_file_name(temp_name);
    let result = (|| {
        let file =
            fs::File::create(&temp).with_context(|| format!("cannot create {}", path.display()))?;
        let mut out = BufWriter::new(file);
        let value = write(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", path.display()))?;
        file.sync_all()
            .with_context(|| format!("cannot write {}", path.display()))?;
        fs::rename(&temp, path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Creates the log's folder, readable by the user only, if it is missing.
fn create_private_dir(folder: &Path) -> anyhow::Result<()> {
    if folder.as_os_str().is_empty() || folder.exists() {
        return Ok(());
    }
    files::create_dir_owner_only(fs::DirBuilder::new().recursive(true), folder)
        .with_context(|| format!("cannot create {}", folder.display()))
}

/// A reader that stopped reading (`| head`) is not an error.
fn ignore_closed_pipe(result: anyhow::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(err)
            if err
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_year_month_day() {
        assert_eq!(
            parse_day("2024-03-04"),
            NaiveDate::from_ymd_opt(2024, 3, 4).ok_or(String::new())
        );
        assert!(parse_day("04/03/2024").unwrap_err().contains("2024-03-04"));
    }
}
