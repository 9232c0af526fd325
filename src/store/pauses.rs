//! The record of when reminders were paused and resumed.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, params};

use super::StoreError;
use super::entries::instant;
use super::failure::Failure;

/// One pause of all reminders, as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseRecord {
    /// When the pause began.
    pub from: DateTime<Utc>,
    /// When it was set to end by itself; `None` for "until resumed".
    pub until: Option<DateTime<Utc>>,
    /// When the user resumed (or a newer pause replaced it), if they did.
    pub resumed: Option<DateTime<Utc>>,
    /// The local UTC offset in seconds when it began.
    pub utc_offset_s: i32,
}

impl PauseRecord {
    /// When reminders came back: resumed or expired, whichever was first;
    /// `None` while the pause still holds.
    pub fn end(&self) -> Option<DateTime<Utc>> {
        match (self.resumed, self.until) {
            (Some(r), Some(u)) => Some(r.min(u)),
            (r, u) => r.or(u),
        }
    }
}

/// SQL condition: the pause holds at instant `?1`.
const HOLDS_AT: &str =
    "resumed_ms IS NULL AND from_ms <= ?1 AND (until_ms IS NULL OR until_ms > ?1)";

/// Logs a pause, ending any pause still holding at its start.
pub(crate) fn record_pause(
    tx: &Transaction<'_>,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    offset_s: i32,
) -> Result<(), Failure> {
    if let Some(until) = until
        && until <= from
    {
        return Err(StoreError::Invalid(format!(
            "a pause must end after it starts ({until} is not after {from})"
        ))
        .into());
    }
    if chrono::FixedOffset::east_opt(offset_s).is_none() {
        return Err(
            StoreError::Invalid(format!("the UTC offset {offset_s} s is out of range")).into(),
        );
    }
    let from_ms = from.timestamp_millis();
    tx.execute(
        &format!("UPDATE pauses SET resumed_ms = ?1 WHERE {HOLDS_AT}"),
        [from_ms],
    )?;
    tx.execute(
        "INSERT INTO pauses (from_ms, until_ms, utc_offset_s) VALUES (?1, ?2, ?3)",
        params![from_ms, until.map(|u| u.timestamp_millis()), offset_s],
    )?;
    Ok(())
}

/// Ends the pause holding at `at`; nothing happens when none holds.
pub(crate) fn record_resume(conn: &Connection, at: DateTime<Utc>) -> Result<(), Failure> {
    conn.execute(
        &format!("UPDATE pauses SET resumed_ms = ?1 WHERE {HOLDS_AT}"),
        [at.timestamp_millis()],
    )?;
    Ok(())
}

/// Pauses that began in `[from, to)`, oldest first.
pub(crate) fn pauses_between(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<PauseRecord>, Failure> {
    let mut statement = conn.prepare_cached(
        "SELECT from_ms, until_ms, resumed_ms, utc_offset_s FROM pauses \
         WHERE from_ms >= ?1 AND from_ms < ?2 ORDER BY from_ms, id",
    )?;
    let mut rows = statement.query([from.timestamp_millis(), to.timestamp_millis()])?;
    let mut pauses = Vec::new();
    while let Some(row) = rows.next()? {
        let optional = |ms: Option<i64>| ms.map(instant).transpose();
        pauses.push(PauseRecord {
            from: instant(row.get(0)?)?,
            until: optional(row.get(1)?)?,
            resumed: optional(row.get(2)?)?,
            utc_offset_s: row.get(3)?,
        });
    }
    Ok(pauses)
}
