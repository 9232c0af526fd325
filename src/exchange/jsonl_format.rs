//! The JSON Lines form of the log: one JSON object per line, with the same
//! field names as the CSV columns. The format itself is described in the
//! `exchange` module's documentation.

use std::io::{self, BufWriter, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::core::model::{Entry, ExerciseDone};
use crate::exchange::csv_format::COLUMNS;
use crate::exchange::fields::{self, LocalZone, RowFields, format_timestamp};
use crate::exchange::{ImportProblem, ROW_FIELD};

/// One line as written; field order matches the CSV columns.
#[derive(Serialize)]
struct Line<'a> {
    timestamp: String,
    kind: &'static str,
    outcome: &'static str,
    duration_s: u32,
    routine: Option<&'a str>,
    pain: Option<u8>,
    note: &'a str,
    due: Option<String>,
    exercises: &'a [ExerciseDone],
    held_s: u32,
}

/// Keys of an object in `exercises`.
const EXERCISE_KEYS: [&str; 5] = ["exercise", "sets", "reps", "hold_s", "per_side"];

/// Writes one JSON object per entry, each on its own line; returns the
/// number of lines.
pub fn write_jsonl(entries: &[Entry], out: &mut dyn Write) -> io::Result<usize> {
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    for entry in entries {
        let line = Line {
            timestamp: format_timestamp(entry.at, entry),
            kind: entry.kind.as_str(),
            outcome: entry.outcome.as_str(),
            duration_s: entry.duration_s,
            routine: entry.routine.as_deref(),
            pain: entry.pain,
            note: &entry.note,
            due: entry.due_at.map(|due| format_timestamp(due, entry)),
            exercises: &entry.exercises,
            held_s: entry.held_s,
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(entries.len())
}

/// Reads a whole JSON Lines file, or lists every problem found in it.
/// Blank lines are ignored. `zone` places UTC-only timestamps on the
/// user's local day.
pub fn parse_jsonl(bytes: &[u8], zone: &dyn LocalZone) -> Result<Vec<Entry>, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for (index, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let text = match std::str::from_utf8(raw) {
            Ok(text) => text,
            Err(err) => {
                problems.push(ImportProblem::new(
                    line,
                    ROW_FIELD,
                    format!(
                        "is not valid UTF-8 text (bad byte at column {})",
                        err.valid_up_to() + 1
                    ),
                ));
                continue;
            }
        };
        let object = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                problems.push(ImportProblem::new(
                    line,
                    ROW_FIELD,
                    "must be a JSON object like {\"timestamp\": …, \"kind\": …, \"outcome\": …}",
                ));
                continue;
            }
            Err(err) if err.is_eof() => {
                problems.push(ImportProblem::new(
                    line,
                    ROW_FIELD,
                    "the line is cut short: its JSON object does not end; the file may be truncated",
                ));
                continue;
            }
            Err(err) => {
                problems.push(ImportProblem::new(
                    line,
                    ROW_FIELD,
                    format!("is not valid JSON: {err}"),
                ));
                continue;
            }
        };
        if let Some(entry) = read_object(&object, line, zone, &mut problems) {
            entries.push(entry);
        }
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

/// Checks one line's object; problems go to `problems` and give `None`.
fn read_object(
    object: &Map<String, Value>,
    line: usize,
    zone: &dyn LocalZone,
    problems: &mut Vec<ImportProblem>,
) -> Option<Entry> {
    let before = problems.len();
    let mut report = |field: &str, message: String| {
        problems.push(ImportProblem::new(line, field, message));
    };
    for key in object.keys() {
        if !COLUMNS.contains(&key.as_str()) {
            report(
                &shown_key(key),
                format!(
                    "is not a known field; known fields are {}",
                    COLUMNS.join(", ")
                ),
            );
        }
    }
    let mut row = RowFields::default();
    match text(object, "timestamp", true)
        .and_then(|t| fields::timestamp(t.unwrap_or_default(), zone))
    {
        Ok(at) => row.at = Some(at),
        Err(message) => report("timestamp", message),
    }
    match text(object, "kind", true).and_then(|t| fields::kind(t.unwrap_or_default())) {
        Ok(kind) => row.kind = Some(kind),
        Err(message) => report("kind", message),
    }
    match text(object, "outcome", true)
        .and_then(|t| fields::outcome(t.unwrap_or_default(), row.kind))
    {
        Ok(outcome) => row.outcome = Some(outcome),
        Err(message) => report("outcome", message),
    }
    match whole(object, "held_s").and_then(|n| n.map_or(Ok(0), fields::duration)) {
        Ok(held) => row.held_s = held,
        Err(message) => report("held_s", message),
    }
    match whole(object, "duration_s").and_then(|n| n.map_or(Ok(0), fields::duration)) {
        Ok(duration) => row.duration_s = duration,
        Err(message) => report("duration_s", message),
    }
    match text(object, "routine", false) {
        Ok(routine) => row.routine = routine.and_then(fields::routine),
        Err(message) => report("routine", message),
    }
    match whole(object, "pain").and_then(|n| n.map(fields::pain).transpose()) {
        Ok(pain) => row.pain = pain,
        Err(message) => report("pain", message),
    }
    match text(object, "note", false) {
        Ok(note) => row.note = note.unwrap_or_default().to_owned(),
        Err(message) => report("note", message),
    }
    match text(object, "due", false).and_then(|t| fields::due(t.unwrap_or_default(), row.at)) {
        Ok(due) => row.due = due,
        Err(message) => report("due", message),
    }
    match object.get("exercises") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match exercise(item) {
                    Ok(done) => row.exercises.push(done),
                    Err((key, message)) => report(&format!("exercises[{i}]{key}"), message),
                }
            }
        }
        Some(_) => report(
            "exercises",
            "must be a list of objects like {\"exercise\": \"glute_bridge\", \"sets\": 2, \"reps\": 10}"
                .to_owned(),
        ),
    }
    if problems.len() > before {
        return None;
    }
    row.into_entry()
}

/// A string field; `null` or absent is `None`, and refused when `required`.
fn text<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    required: bool,
) -> Result<Option<&'a str>, String> {
    match object.get(key) {
        Some(Value::String(text)) => Ok(Some(text)),
        None | Some(Value::Null) if required => Err("is missing; every line needs it".to_owned()),
        None | Some(Value::Null) => Ok(None),
        Some(other) => Err(format!("must be a string, not {}", kind_of(other))),
    }
}

/// A whole-number field; `null` or absent is `None`.
fn whole(object: &Map<String, Value>, key: &str) -> Result<Option<i64>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(n) => Ok(Some(n)),
            None if n.is_u64() => Ok(Some(i64::MAX)),
            None => Err(format!("{n} is not a whole number")),
        },
        Some(other) => Err(format!("must be a whole number, not {}", kind_of(other))),
    }
}

/// One object of `exercises`; the error carries the key at fault.
fn exercise(item: &Value) -> Result<ExerciseDone, (String, String)> {
    let Value::Object(object) = item else {
        return Err((
            String::new(),
            format!(
                "must be an object like {{\"exercise\": \"glute_bridge\", \"sets\": 2, \"reps\": 10}}, not {}",
                kind_of(item)
            ),
        ));
    };
    if let Some(key) = object.keys().find(|k| !EXERCISE_KEYS.contains(&k.as_str())) {
        return Err((
            format!(".{}", shown_key(key)),
            format!("is not a known field; use {}", EXERCISE_KEYS.join(", ")),
        ));
    }
    fn at(key: &str) -> impl Fn(String) -> (String, String) + use<> {
        let key = format!(".{key}");
        move |message| (key.clone(), message)
    }
    let exercise = match text(object, "exercise", true).map_err(at("exercise"))? {
        Some(id) if !id.trim().is_empty() => id.to_owned(),
        _ => return Err(at("exercise")("is empty; name the exercise".to_owned())),
    };
    let count = |key: &str| -> Result<u32, (String, String)> {
        match whole(object, key).map_err(at(key))? {
            None => Ok(0),
            Some(n) if n < 0 => Err(at(key)(format!("{n} is negative"))),
            Some(n) => u32::try_from(n).map_err(|_| at(key)(format!("{n} is too large"))),
        }
    };
    let per_side = match object.get("per_side") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(at("per_side")(format!(
                "must be true or false, not {}",
                kind_of(other)
            )));
        }
    };
    Ok(ExerciseDone {
        exercise,
        sets: count("sets")?,
        reps: count("reps")?,
        hold_s: count("hold_s")?,
        per_side,
    })
}

/// A key as named in a problem: the empty key is shown as `""` so the
/// field is never blank.
fn shown_key(key: &str) -> String {
    if key.is_empty() {
        "\"\"".to_owned()
    } else {
        key.to_owned()
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
