//! Log entries: writing, correcting, deleting and reading them back.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Params, Row, Transaction, params};

use super::StoreError;
use super::failure::Failure;
use crate::core::model::{Entry, EntryId, ExerciseDone, Outcome, ReminderKind};

/// Entry columns in the order [`decode_entry`] reads them, from alias `e`.
const ENTRY_COLUMNS: &str = "e.id, e.kind, e.outcome, e.at_ms, e.utc_offset_s, e.due_ms, \
                             e.duration_s, e.routine, e.pain, e.note, e.held_s";

/// Exercise columns in the order [`decode_exercise`] reads them, from alias `x`.
const EXERCISE_COLUMNS: &str = "x.entry_id, x.exercise, x.sets, x.reps, x.hold_s, x.per_side";

/// Which entries a read selects, as an SQL condition on alias `e`.
#[derive(Clone, Copy)]
pub(crate) enum Selection {
    /// `?1 <= at_ms < ?2`.
    Between,
    /// `?1 <= local_day <= ?2`.
    Days,
    /// `id = ?1`.
    One,
}

impl Selection {
    fn condition(self) -> &'static str {
        match self {
            Self::Between => "e.at_ms >= ?1 AND e.at_ms < ?2",
            Self::Days => "e.local_day BETWEEN ?1 AND ?2",
            Self::One => "e.id = ?1",
        }
    }
}

/// Checks that an entry can be stored as it is, in words the user can act on.
pub(crate) fn validate(e: &Entry) -> Result<(), String> {
    if !e.outcome.fits(e.kind) {
        return Err(format!(
            "a {} entry cannot have the outcome \"{}\"",
            e.kind.label().to_lowercase(),
            e.outcome.label()
        ));
    }
    if let Some(pain) = e.pain
        && pain > 10
    {
        return Err(format!("pain must be between 0 and 10, not {pain}"));
    }
    if chrono::FixedOffset::east_opt(e.utc_offset_s).is_none() {
        return Err(format!(
            "the UTC offset {} s is outside -23:59:59..+23:59:59",
            e.utc_offset_s
        ));
    }
    let year = e.local_date().year();
    if !(1..=9999).contains(&year) {
        return Err(format!("the year {year} is outside 1..9999"));
    }
    Ok(())
}

/// Inserts `e` (exercises included) under `id`, or a fresh id when `None`.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    e: &Entry,
    id: Option<EntryId>,
) -> Result<EntryId, Failure> {
    validate(e).map_err(StoreError::Invalid)?;
    write_row(
        tx,
        "INSERT INTO entries (id, kind, outcome, at_ms, utc_offset_s, local_day, due_ms, \
         duration_s, routine, pain, note, held_s) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        id,
        e,
    )?;
    let id = tx.last_insert_rowid();
    insert_exercises(tx, id, &e.exercises)?;
    Ok(id)
}

/// Replaces the stored entry `e.id` with `e`.
pub(crate) fn update(tx: &Transaction<'_>, e: &Entry) -> Result<(), Failure> {
    let id = e.id.ok_or_else(|| {
        StoreError::Invalid("this entry has not been stored yet, so it cannot be corrected".into())
    })?;
    validate(e).map_err(StoreError::Invalid)?;
    let changed = write_row(
        tx,
        "UPDATE entries SET kind = ?2, outcome = ?3, at_ms = ?4, utc_offset_s = ?5, \
         local_day = ?6, due_ms = ?7, duration_s = ?8, routine = ?9, pain = ?10, note = ?11, \
         held_s = ?12 WHERE id = ?1",
        Some(id),
        e,
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(id).into());
    }
    tx.execute("DELETE FROM session_exercises WHERE entry_id = ?1", [id])?;
    insert_exercises(tx, id, &e.exercises)
}

/// Deletes entry `id` and returns it as it was.
pub(crate) fn delete(tx: &Transaction<'_>, id: EntryId) -> Result<Entry, Failure> {
    let entry = select(tx, Selection::One, [id])?
        .pop()
        .ok_or(StoreError::NotFound(id))?;
    tx.execute("DELETE FROM entries WHERE id = ?1", [id])?;
    Ok(entry)
}

/// Puts a deleted entry back under its own id.
pub(crate) fn restore(tx: &Transaction<'_>, e: &Entry) -> Result<EntryId, Failure> {
    let id = e.id.ok_or_else(|| {
        StoreError::Invalid("this entry has no id, so there is nothing to restore it as".into())
    })?;
    let taken = tx
        .query_row("SELECT 1 FROM entries WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some();
    if taken {
        return Err(StoreError::Invalid(format!("entry {id} is already in the log")).into());
    }
    insert(tx, e, Some(id))
}

/// Entries chosen by `selection`, oldest first, with their exercises.
pub(crate) fn select<P: Params + Clone>(
    conn: &Connection,
    selection: Selection,
    params: P,
) -> Result<Vec<Entry>, Failure> {
    let condition = selection.condition();
    let mut entries = Vec::new();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM entries e WHERE {condition} ORDER BY e.at_ms, e.id"
    ))?;
    let mut rows = statement.query(params.clone())?;
    while let Some(row) = rows.next()? {
        entries.push(decode_entry(row)?);
    }
    if entries.is_empty() {
        return Ok(entries);
    }
    let position: HashMap<EntryId, usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.id.map(|id| (id, i)))
        .collect();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {EXERCISE_COLUMNS} FROM entries e JOIN session_exercises x ON x.entry_id = e.id \
         WHERE {condition} ORDER BY x.entry_id, x.position"
    ))?;
    let mut rows = statement.query(params)?;
    while let Some(row) = rows.next()? {
        let (entry_id, exercise) = decode_exercise(row)?;
        if let Some(&i) = position.get(&entry_id) {
            entries[i].exercises.push(exercise);
        }
    }
    Ok(entries)
}

/// The exercises stored for one entry, in order.
pub(crate) fn exercises_of(conn: &Connection, id: EntryId) -> Result<Vec<ExerciseDone>, Failure> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {EXERCISE_COLUMNS} FROM session_exercises x WHERE x.entry_id = ?1 ORDER BY x.position"
    ))?;
    let mut rows = statement.query([id])?;
    let mut exercises = Vec::new();
    while let Some(row) = rows.next()? {
        exercises.push(decode_exercise(row)?.1);
    }
    Ok(exercises)
}

/// The `local_day` column's text for a date: `YYYY-MM-DD`, which sorts by date.
pub(crate) fn day_key(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// A stored instant (milliseconds since the Unix epoch) as a UTC time.
pub(crate) fn instant(ms: i64) -> Result<DateTime<Utc>, Failure> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| Failure::Corrupt(format!("the time {ms} ms is out of range")))
}

/// Runs `sql` with the entry's columns as ?1 (id) to ?11, in table order.
fn write_row(
    tx: &Transaction<'_>,
    sql: &str,
    id: Option<EntryId>,
    e: &Entry,
) -> Result<usize, Failure> {
    Ok(tx.prepare_cached(sql)?.execute(params![
        id,
        e.kind.as_str(),
        e.outcome.as_str(),
        e.at.timestamp_millis(),
        e.utc_offset_s,
        day_key(e.local_date()),
        e.due_at.map(|d| d.timestamp_millis()),
        e.duration_s,
        e.routine,
        e.pain,
        e.note,
        e.held_s,
    ])?)
}

fn insert_exercises(
    tx: &Transaction<'_>,
    id: EntryId,
    exercises: &[ExerciseDone],
) -> Result<(), Failure> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO session_exercises (entry_id, position, exercise, sets, reps, hold_s, per_side) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, x) in exercises.iter().enumerate() {
        insert.execute(params![
            id,
            position as i64,
            x.exercise,
            x.sets,
            x.reps,
            x.hold_s,
            x.per_side
        ])?;
    }
    Ok(())
}

fn decode_entry(row: &Row<'_>) -> Result<Entry, Failure> {
    let id: EntryId = row.get(0)?;
    let bad = |what: String| Failure::Corrupt(format!("entry {id}: {what}"));
    let kind_text = row.get_ref(1)?.as_str()?;
    let kind = ReminderKind::parse(kind_text)
        .ok_or_else(|| bad(format!("unknown kind \"{kind_text}\"")))?;
    let outcome_text = row.get_ref(2)?.as_str()?;
    let outcome = Outcome::parse(outcome_text)
        .ok_or_else(|| bad(format!("unknown outcome \"{outcome_text}\"")))?;
    let due_at = match row.get::<_, Option<i64>>(5)? {
        Some(ms) => Some(instant(ms)?),
        None => None,
    };
    let duration: i64 = row.get(6)?;
    let pain: Option<i64> = row.get(8)?;
    let held: i64 = row.get(10)?;
    Ok(Entry {
        id: Some(id),
        kind,
        outcome,
        at: instant(row.get(3)?)?,
        utc_offset_s: row.get(4)?,
        due_at,
        duration_s: u32::try_from(duration).map_err(|_| bad(format!("duration {duration} s")))?,
        held_s: u32::try_from(held).map_err(|_| bad(format!("held {held} s")))?,
        routine: row.get(7)?,
        pain: pain
            .map(u8::try_from)
            .transpose()
            .map_err(|_| bad(format!("pain {pain:?}")))?,
        note: row.get(9)?,
        exercises: Vec::new(),
    })
}

fn decode_exercise(row: &Row<'_>) -> Result<(EntryId, ExerciseDone), Failure> {
    let entry_id: EntryId = row.get(0)?;
    Ok((
        entry_id,
        ExerciseDone {
            exercise: row.get(1)?,
            sets: row.get(2)?,
            reps: row.get(3)?,
            hold_s: row.get(4)?,
            per_side: row.get(5)?,
        },
    ))
}
