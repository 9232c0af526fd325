//! Reading one field of an imported row, shared by the CSV and JSON Lines
//! readers so both accept and refuse exactly the same values. Every
//! function returns the message shown beside the field when it fails.

use chrono::{DateTime, Datelike, FixedOffset, Offset, SecondsFormat, Utc};

use crate::core::model::{Entry, ExerciseDone, Outcome, ReminderKind};

/// Highest pain score on the 0-10 scale.
pub const MAX_PAIN: u8 = 10;

/// The log fields of one imported row, each already checked on its own.
/// `None` means the field was absent or empty.
#[derive(Debug, Default)]
pub(crate) struct RowFields {
    pub at: Option<(DateTime<Utc>, i32)>,
    pub kind: Option<ReminderKind>,
    pub outcome: Option<Outcome>,
    pub duration_s: u32,
    pub routine: Option<String>,
    pub pain: Option<u8>,
    pub note: String,
    pub due: Option<DateTime<Utc>>,
    pub exercises: Vec<ExerciseDone>,
}

impl RowFields {
    /// The entry, when timestamp, kind and outcome are all present.
    pub fn into_entry(self) -> Option<Entry> {
        let ((at, offset), kind, outcome) = (self.at?, self.kind?, self.outcome?);
        let mut entry = Entry::new(kind, outcome, at, offset);
        entry.duration_s = self.duration_s;
        entry.routine = self.routine;
        entry.pain = self.pain;
        entry.note = self.note;
        entry.due_at = self.due;
        entry.exercises = self.exercises;
        Some(entry)
    }
}

/// Writes an instant in the entry's own local offset, as RFC 3339 with
/// fractional seconds only when there are some.
pub fn format_timestamp(at: DateTime<Utc>, entry: &Entry) -> String {
    // RFC 3339 offsets have no seconds: with an offset such as +00:19:32
    // (old local mean time) the local time would be written at +00:19:32
    // beside the offset rounded to +00:20, moving the instant by 28 s.
    // Writing the time at the offset cut to whole minutes keeps it exact.
    let offset = entry.local_at().offset().local_minus_utc();
    let offset = FixedOffset::east_opt(offset / 60 * 60).unwrap_or_else(|| Utc.fix());
    at.with_timezone(&offset)
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// Parses an RFC 3339 timestamp with its offset into the instant and the
/// offset in seconds east of UTC.
pub fn timestamp(text: &str) -> Result<(DateTime<Utc>, i32), String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("is empty; write the time like 2024-03-04T09:30:00+01:00".to_owned());
    }
    let parsed = DateTime::parse_from_rfc3339(text).map_err(|_| {
        format!(
            "\"{text}\" is not an RFC 3339 time with an offset; write it like 2024-03-04T09:30:00+01:00"
        )
    })?;
    if parsed.year() < 1 {
        return Err(format!("\"{text}\" is before the year 1"));
    }
    Ok((
        parsed.with_timezone(&Utc),
        parsed.offset().local_minus_utc(),
    ))
}

/// Parses the optional due time; empty means none. `at` is the entry's
/// time and offset, when read: the due time is exported in that offset, so
/// it must fall in the years 1 to 9999 there too, or the export could not
/// be read back.
pub fn due(text: &str, at: Option<(DateTime<Utc>, i32)>) -> Result<Option<DateTime<Utc>>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let (due, _) = timestamp(text)?;
    let year = at
        .and_then(|(_, offset)| FixedOffset::east_opt(offset))
        .map(|offset| due.with_timezone(&offset).year());
    match year {
        Some(year) if !(1..=9999).contains(&year) => Err(format!(
            "\"{}\" falls in the year {year} at the entry's offset; use a time from the year 1 to 9999",
            text.trim()
        )),
        _ => Ok(Some(due)),
    }
}

/// Parses a reminder kind's machine name.
pub fn kind(text: &str) -> Result<ReminderKind, String> {
    ReminderKind::parse(text.trim()).ok_or_else(|| {
        format!(
            "\"{}\" is not a kind; use {}",
            text.trim(),
            names(ReminderKind::ALL.iter().map(|k| k.as_str()))
        )
    })
}

/// Parses an outcome and checks it is one the kind can have. Without a
/// valid kind only the name is checked.
pub fn outcome(text: &str, kind: Option<ReminderKind>) -> Result<Outcome, String> {
    let text = text.trim();
    let Some(outcome) = Outcome::parse(text) else {
        let allowed = match kind {
            Some(kind) => names(kind.outcomes().iter().map(|o| o.as_str())),
            None => names(Outcome::ALL.iter().map(|o| o.as_str())),
        };
        return Err(format!("\"{text}\" is not an outcome; use {allowed}"));
    };
    match kind {
        Some(kind) if !outcome.fits(kind) => Err(format!(
            "\"{text}\" is not an outcome of a {}; use {}",
            kind.as_str(),
            names(kind.outcomes().iter().map(|o| o.as_str()))
        )),
        _ => Ok(outcome),
    }
}

/// Checks a duration in whole seconds; empty text means 0.
pub fn duration_text(text: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<i64>() {
        Ok(value) => duration(value),
        Err(_) => Err(format!(
            "\"{text}\" is not a whole number of seconds; write it like 300"
        )),
    }
}

/// Checks a duration in whole seconds.
pub fn duration(value: i64) -> Result<u32, String> {
    if value < 0 {
        return Err(format!(
            "{value} is a negative duration; durations are seconds from 0 up"
        ));
    }
    u32::try_from(value).map_err(|_| format!("{value} seconds is too long for one entry"))
}

/// Parses a pain score; empty text means none was logged.
pub fn pain_text(text: &str) -> Result<Option<u8>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(value) => pain(value).map(Some),
        Err(_) => Err(format!(
            "\"{text}\" is not a pain score; use a whole number from 0 to {MAX_PAIN}, or leave it empty"
        )),
    }
}

/// Checks a pain score is on the 0-10 scale.
pub fn pain(value: i64) -> Result<u8, String> {
    match u8::try_from(value) {
        Ok(score) if score <= MAX_PAIN => Ok(score),
        _ => Err(format!(
            "pain {value} is outside the scale; use 0 to {MAX_PAIN}, or leave it empty"
        )),
    }
}

/// A routine id; empty means none.
pub fn routine(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn names<'a>(list: impl Iterator<Item = &'a str>) -> String {
    list.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_their_offset_and_need_one() {
        let (at, offset) = timestamp("2024-03-04T09:30:00+01:00").expect("valid");
        assert_eq!(at.to_rfc3339(), "2024-03-04T08:30:00+00:00");
        assert_eq!(offset, 3600);
        assert!(timestamp("2024-03-04T09:30:00").is_err());
        assert!(timestamp("yesterday").unwrap_err().contains("yesterday"));
        assert!(timestamp("").is_err());
    }

    #[test]
    fn outcomes_must_fit_the_kind() {
        assert_eq!(
            outcome("taken", Some(ReminderKind::MoveBreak)),
            Ok(Outcome::Taken)
        );
        let err = outcome("taken", Some(ReminderKind::PostureCheck)).unwrap_err();
        assert!(err.contains("all_good"), "{err}");
        assert!(outcome("done", None).is_err());
    }

    #[test]
    fn durations_and_pain_are_range_checked() {
        assert_eq!(duration_text(""), Ok(0));
        assert_eq!(duration_text("300"), Ok(300));
        assert!(duration_text("-5").unwrap_err().contains("negative"));
        assert!(duration_text("5.5").is_err());
        assert_eq!(pain_text(""), Ok(None));
        assert_eq!(pain_text("10"), Ok(Some(10)));
        assert!(pain_text("11").unwrap_err().contains("pain 11"));
        assert!(pain_text("-1").is_err());
    }
}
