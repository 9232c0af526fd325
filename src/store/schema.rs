//! The log's file format: the mark that identifies it and the migrations
//! that build and upgrade it, keyed on `PRAGMA user_version`.
//!
//! A migration, once released, is never edited: older files are upgraded by
//! running the steps they lack, in order, each in its own transaction.

/// `PRAGMA application_id` of every Rebalance log ("RBAL" in ASCII), so a
/// Rebalance database is recognised and other SQLite files are refused.
pub const APPLICATION_ID: i32 = 0x5242_414C;

/// The schema steps, oldest first; step `n` takes `user_version` from `n` to `n + 1`.
pub const MIGRATIONS: &[&str] = &[MIGRATION_1, MIGRATION_2, MIGRATION_3];

/// The format version this build writes and the newest it can read.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// The first schema: entries with their exercises, pauses, saved state and
/// user routines.
const MIGRATION_1: &str = "
CREATE TABLE entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('posture_check', 'move_break', 'routine')),
    outcome TEXT NOT NULL CHECK (
        (kind = 'posture_check' AND outcome IN ('all_good', 'fixed', 'snoozed', 'skipped', 'missed'))
        OR (kind = 'move_break' AND outcome IN ('taken', 'natural', 'snoozed', 'skipped', 'missed'))
        OR (kind = 'routine' AND outcome IN ('completed', 'partial', 'skipped', 'missed'))
    ),
    at_ms INTEGER NOT NULL,
    utc_offset_s INTEGER NOT NULL CHECK (utc_offset_s BETWEEN -86399 AND 86399),
    local_day TEXT NOT NULL
        CHECK (local_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    due_ms INTEGER,
    duration_s INTEGER NOT NULL DEFAULT 0 CHECK (duration_s >= 0),
    routine TEXT,
    pain INTEGER CHECK (pain BETWEEN 0 AND 10),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entries_by_day ON entries (local_day);

CREATE TABLE session_exercises (
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    exercise TEXT NOT NULL,
    sets INTEGER NOT NULL CHECK (sets >= 0),
    reps INTEGER NOT NULL CHECK (reps >= 0),
    hold_s INTEGER NOT NULL CHECK (hold_s >= 0),
    per_side INTEGER NOT NULL CHECK (per_side IN (0, 1)),
    PRIMARY KEY (entry_id, position)
) WITHOUT ROWID;

CREATE TABLE pauses (
    id INTEGER PRIMARY KEY,
    from_ms INTEGER NOT NULL,
    until_ms INTEGER CHECK (until_ms IS NULL OR until_ms > from_ms),
    resumed_ms INTEGER CHECK (resumed_ms IS NULL OR resumed_ms >= from_ms),
    utc_offset_s INTEGER NOT NULL CHECK (utc_offset_s BETWEEN -86399 AND 86399)
);

CREATE TABLE state (
    key TEXT PRIMARY KEY,
    json TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE user_routines (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    json TEXT NOT NULL
);
";

/// Time-ordered lookups: `entries_between` and the duplicate check of an
/// import both search by instant, and pauses are listed by start.
const MIGRATION_2: &str = "
CREATE INDEX entries_by_time ON entries (at_ms);
CREATE INDEX pauses_by_start ON pauses (from_ms);
";

/// How long a busy spell (a call, full screen) held a reminder back before
/// it was shown; 0 for entries logged before holding existed.
const MIGRATION_3: &str = "
ALTER TABLE entries ADD COLUMN held_s INTEGER NOT NULL DEFAULT 0 CHECK (held_s >= 0);
";
