//! The CSV form of the log: writing it, and reading it back with every
//! problem reported by line and column. The format itself is described in
//! the `exchange` module's documentation.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::core::model::Entry;
use crate::exchange::exercises_text::{format_exercises, parse_exercises};
use crate::exchange::fields::{self, LocalZone, RowFields, format_timestamp};
use crate::exchange::{ImportProblem, ROW_FIELD};

/// Every column written, in order.
pub const COLUMNS: [&str; 10] = [
    "timestamp",
    "kind",
    "outcome",
    "duration_s",
    "routine",
    "pain",
    "note",
    "due",
    "exercises",
    "held_s",
];

/// How many of the first [`COLUMNS`] every imported file must have; the
/// rest may be left out.
pub const REQUIRED_COLUMNS: usize = 7;

/// Writes the header and one row per entry; returns the number of rows.
pub fn write_csv(entries: &[Entry], out: &mut dyn Write) -> io::Result<usize> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS).map_err(into_io)?;
    for entry in entries {
        writer
            .write_record([
                format_timestamp(entry.at, entry).as_str(),
                entry.kind.as_str(),
                entry.outcome.as_str(),
                entry.duration_s.to_string().as_str(),
                entry.routine.as_deref().unwrap_or(""),
                entry.pain.map(|p| p.to_string()).as_deref().unwrap_or(""),
                entry.note.as_str(),
                entry
                    .due_at
                    .map(|due| format_timestamp(due, entry))
                    .as_deref()
                    .unwrap_or(""),
                format_exercises(&entry.exercises).as_str(),
                entry.held_s.to_string().as_str(),
            ])
            .map_err(into_io)?;
    }
    writer.flush()?;
    Ok(entries.len())
}

fn into_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Reads a whole CSV file, or lists every problem found in it. `zone`
/// places UTC-only timestamps on the user's local day.
pub fn parse_csv(bytes: &[u8], zone: &dyn LocalZone) -> Result<Vec<Entry>, Vec<ImportProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut lines = LineCounter::new(bytes);
    let mut record = csv::ByteRecord::new();
    let mut problems = Vec::new();
    let mut header: Option<Header> = None;
    let mut entries = Vec::new();
    // A row with too few columns is "cut short" when nothing follows it.
    let mut short_last_row: Option<(usize, usize, usize)> = None;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                // The reader cannot go on past this; report where it stopped.
                let line = err
                    .position()
                    .map_or(lines.line, |p| lines.line_at(p.byte()));
                problems.push(ImportProblem::new(
                    line,
                    ROW_FIELD,
                    format!("cannot be read as CSV: {err}"),
                ));
                break;
            }
        }
        if is_blank(&record) {
            continue;
        }
        let line = lines.line_at(record.position().map_or(0, |p| p.byte()));
        let Some(columns) = &header else {
            match Header::read(&record, line) {
                Ok(read) => header = Some(read),
                Err(mut found) => {
                    problems.append(&mut found);
                    return Err(problems);
                }
            }
            continue;
        };
        short_last_row = None;
        if record.len() != columns.names.len() {
            if record.len() < columns.names.len() {
                short_last_row = Some((problems.len(), record.len(), columns.names.len()));
            }
            problems.push(ImportProblem::new(
                line,
                ROW_FIELD,
                format!(
                    "has {} columns; the header has {}",
                    record.len(),
                    columns.names.len()
                ),
            ));
            continue;
        }
        if let Some(entry) = columns.entry(&record, line, zone, &mut problems) {
            entries.push(entry);
        }
    }
    if let Some((i, found, wanted)) = short_last_row {
        problems[i].message = format!(
            "the line is cut short: {found} of {wanted} columns; the file may be truncated"
        );
    }
    if header.is_none() && problems.is_empty() && !bytes.iter().all(u8::is_ascii_whitespace) {
        problems.push(ImportProblem::new(1, "header", missing_header_message()));
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() <= 1 && record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

fn missing_header_message() -> String {
    format!(
        "the header row is missing; the first line must name the columns: {}",
        COLUMNS.join(",")
    )
}

/// Which column holds which field, read from the header row.
struct Header {
    names: Vec<String>,
    index: HashMap<&'static str, usize>,
}

impl Header {
    fn read(record: &csv::ByteRecord, line: usize) -> Result<Header, Vec<ImportProblem>> {
        let names: Vec<String> = record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_owned())
            .collect();
        if !names.iter().any(|n| COLUMNS.contains(&n.as_str())) {
            return Err(vec![ImportProblem::new(
                line,
                "header",
                missing_header_message(),
            )]);
        }
        let mut problems = Vec::new();
        let mut index = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            match COLUMNS.iter().find(|c| **c == name) {
                Some(column) => {
                    if index.insert(*column, i).is_some() {
                        problems.push(ImportProblem::new(
                            line,
                            name.clone(),
                            "the header names this column twice",
                        ));
                    }
                }
                None => problems.push(ImportProblem::new(
                    line,
                    if name.is_empty() {
                        "header"
                    } else {
                        name.as_str()
                    },
                    format!(
                        "is not a known column (column {}); known columns are {}",
                        i + 1,
                        COLUMNS.join(",")
                    ),
                )),
            }
        }
        for required in &COLUMNS[..REQUIRED_COLUMNS] {
            if !index.contains_key(required) {
                problems.push(ImportProblem::new(
                    line,
                    *required,
                    "this column is missing from the header",
                ));
            }
        }
        if problems.is_empty() {
            Ok(Header { names, index })
        } else {
            Err(problems)
        }
    }

    /// Reads one data row; problems go to `problems` and give `None`.
    fn entry(
        &self,
        record: &csv::ByteRecord,
        line: usize,
        zone: &dyn LocalZone,
        problems: &mut Vec<ImportProblem>,
    ) -> Option<Entry> {
        let before = problems.len();
        let mut text = |column: &'static str| -> Option<&str> {
            let &i = self.index.get(column)?;
            let raw = record.get(i)?;
            match std::str::from_utf8(raw) {
                Ok(text) => Some(text),
                Err(err) => {
                    problems.push(ImportProblem::new(
                        line,
                        column,
                        format!(
                            "is not valid UTF-8 text (bad byte at position {} of the field)",
                            err.valid_up_to() + 1
                        ),
                    ));
                    None
                }
            }
        };
        let cells: Vec<Option<&str>> = COLUMNS.iter().map(|c| text(c)).collect();
        let cell = |column: &str| {
            COLUMNS
                .iter()
                .position(|c| *c == column)
                .and_then(|i| cells[i])
        };
        let mut row = RowFields::default();
        let mut check = |column: &'static str, result: Result<(), String>| {
            if let Err(message) = result {
                problems.push(ImportProblem::new(line, column, message));
            }
        };
        if let Some(t) = cell("timestamp") {
            check(
                "timestamp",
                fields::timestamp(t, zone).map(|v| row.at = Some(v)),
            );
        }
        if let Some(t) = cell("kind") {
            check("kind", fields::kind(t).map(|v| row.kind = Some(v)));
        }
        if let Some(t) = cell("outcome") {
            check(
                "outcome",
                fields::outcome(t, row.kind).map(|v| row.outcome = Some(v)),
            );
        }
        if let Some(t) = cell("duration_s") {
            check(
                "duration_s",
                fields::duration_text(t).map(|v| row.duration_s = v),
            );
        }
        if let Some(t) = cell("routine") {
            row.routine = fields::routine(t);
        }
        if let Some(t) = cell("pain") {
            check("pain", fields::pain_text(t).map(|v| row.pain = v));
        }
        if let Some(t) = cell("note") {
            row.note = t.to_owned();
        }
        if let Some(t) = cell("due") {
            check("due", fields::due(t, row.at).map(|v| row.due = v));
        }
        if let Some(t) = cell("held_s") {
            check("held_s", fields::duration_text(t).map(|v| row.held_s = v));
        }
        if let Some(t) = cell("exercises") {
            check("exercises", parse_exercises(t).map(|v| row.exercises = v));
        }
        if problems.len() > before {
            return None;
        }
        row.into_entry()
    }
}

/// Turns the byte offsets the CSV reader gives into 1-based line numbers,
/// counting forward only, so a whole file costs one pass.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the first character at or after `byte` that is not a
    /// line break (the reader points at the break ending the previous row).
    fn line_at(&mut self, byte: u64) -> usize {
        let mut target = usize::try_from(byte)
            .unwrap_or(self.bytes.len())
            .min(self.bytes.len());
        while target < self.bytes.len() && matches!(self.bytes[target], b'\r' | b'\n') {
            target += 1;
        }
        if target > self.offset {
            self.line += self.bytes[self.offset..target]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.offset = target;
        }
        self.line
    }
}
