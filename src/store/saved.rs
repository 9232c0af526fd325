//! Small saved values: named JSON state (the engine's schedule, ...) and the
//! user's own routines, kept as JSON in their chosen order.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::StoreError;
use super::failure::Failure;

/// Saves `json` under `key`, replacing what was there.
pub(crate) fn save_state(conn: &Connection, key: &str, json: &str) -> Result<(), Failure> {
    if serde_json::from_str::<serde::de::IgnoredAny>(json).is_err() {
        return Err(
            StoreError::Invalid(format!("the state saved as \"{key}\" is not valid JSON")).into(),
        );
    }
    conn.execute(
        "INSERT INTO state (key, json) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET json = excluded.json",
        params![key, json],
    )?;
    Ok(())
}

/// The JSON saved under `key`.
pub(crate) fn load_state(conn: &Connection, key: &str) -> Result<Option<String>, Failure> {
    Ok(conn
        .query_row("SELECT json FROM state WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Every user routine's JSON, in the user's order.
pub(crate) fn routines_json(conn: &Connection) -> Result<Vec<(String, String)>, Failure> {
    let mut statement =
        conn.prepare_cached("SELECT id, json FROM user_routines ORDER BY position, id")?;
    let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Stores a routine's JSON under `id`: in place when it exists, else last.
pub(crate) fn save_routine_json(tx: &Transaction<'_>, id: &str, json: &str) -> Result<(), Failure> {
    let updated = tx.execute(
        "UPDATE user_routines SET json = ?2 WHERE id = ?1",
        params![id, json],
    )?;
    if updated == 0 {
        tx.execute(
            "INSERT INTO user_routines (id, position, json) \
             VALUES (?1, (SELECT coalesce(max(position) + 1, 0) FROM user_routines), ?2)",
            params![id, json],
        )?;
    }
    Ok(())
}

/// Removes the routine `id`; removing one that is not there is no error.
pub(crate) fn delete_routine(conn: &Connection, id: &str) -> Result<(), Failure> {
    conn.execute("DELETE FROM user_routines WHERE id = ?1", [id])?;
    Ok(())
}
