//! Importing many entries at once: validated first, written in one
//! transaction, exact duplicates skipped so importing twice changes nothing.

use rusqlite::{Transaction, params};

use super::entries::{exercises_of, insert, validate};
use super::failure::Failure;
use super::{ImportCounts, StoreError};
use crate::core::model::Entry;

/// Adds `entries` (their ids are ignored) unless an identical one is already
/// logged; entries repeated within `entries` are added once.
pub(crate) fn import(tx: &Transaction<'_>, entries: &[Entry]) -> Result<ImportCounts, Failure> {
    for (i, e) in entries.iter().enumerate() {
        validate(e)
            .map_err(|why| StoreError::Invalid(format!("entry {} of the import: {why}", i + 1)))?;
    }
    let mut counts = ImportCounts::default();
    for e in entries {
        // Entries added earlier in this transaction are visible here, which
        // also catches repeats within the input.
        if is_logged(tx, e)? {
            counts.duplicates += 1;
        } else {
            insert(tx, e, None)?;
            counts.added += 1;
        }
    }
    Ok(counts)
}

/// Whether an entry equal to `e` in every field but the id is stored.
fn is_logged(tx: &Transaction<'_>, e: &Entry) -> Result<bool, Failure> {
    let mut same = tx.prepare_cached(
        "SELECT id FROM entries WHERE at_ms = ?1 AND kind = ?2 AND outcome = ?3 \
         AND utc_offset_s = ?4 AND due_ms IS ?5 AND duration_s = ?6 AND routine IS ?7 \
         AND pain IS ?8 AND note = ?9 AND held_s = ?10",
    )?;
    let candidates = same
        .query_map(
            params![
                e.at.timestamp_millis(),
                e.kind.as_str(),
                e.outcome.as_str(),
                e.utc_offset_s,
                e.due_at.map(|d| d.timestamp_millis()),
                e.duration_s,
                e.routine,
                e.pain,
                e.note,
                e.held_s,
            ],
            |row| row.get::<_, i64>(0),
        )?
        .collect::<Result<Vec<_>, _>>()?;
    for id in candidates {
        if exercises_of(tx, id)? == e.exercises {
            return Ok(true);
        }
    }
    Ok(false)
}
