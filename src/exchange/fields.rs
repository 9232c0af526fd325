//! Reading one field of an imported row, shared by the CSV and JSON Lines
//! readers so both accept and refuse exactly the same values. Every
//! function returns the message shown beside the field when it fails.

use chrono::{DateTime, Datelike, FixedOffset, Offset, SecondsFormat, TimeZone, Utc};

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
    pub held_s: u32,
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
        entry.held_s = self.held_s;
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

/// The time zone that places a UTC-stamped import time (`Z` or `-00:00`)
/// on the user's local day: the system's zone in the product, a named zone
/// in tests. Every chrono time zone is one.
pub trait LocalZone {
    /// The zone's offset from UTC at `at`, in seconds east, daylight
    /// saving included.
    fn offset_at(&self, at: DateTime<Utc>) -> i32;
}

impl<Tz: TimeZone> LocalZone for Tz {
    fn offset_at(&self, at: DateTime<Utc>) -> i32 {
        self.offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc()
    }
}

/// Whether an RFC 3339 time names UTC as its reference rather than the
/// local offset of its moment: RFC 3339 gives `Z` and `-00:00` that
/// meaning, while `+00:00` says the local offset was zero.
fn names_utc_only(text: &str) -> bool {
    text.ends_with(['Z', 'z']) || text.ends_with("-00:00")
}

/// Parses an RFC 3339 timestamp into the instant and the local offset of
/// that moment, in seconds east of UTC. A numeric offset is kept as it is
/// written; a UTC-only time (`Z`, `-00:00`) takes the offset `zone` had at
/// that instant, so it lands on the day the user lived it.
pub fn timestamp(text: &str, zone: &dyn LocalZone) -> Result<(DateTime<Utc>, i32), String> {
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
    let at = parsed.with_timezone(&Utc);
    if !names_utc_only(text) {
        return Ok((at, parsed.offset().local_minus_utc()));
    }
    let offset = zone.offset_at(at);
    // The entry is exported at its local offset, which must stay in the
    // years RFC 3339 can write.
    let local_year = FixedOffset::east_opt(offset).map(|o| at.with_timezone(&o).year());
    match local_year {
        Some(year) if (1..=9999).contains(&year) => Ok((at, offset)),
        _ => Err(format!(
            "\"{text}\" falls outside the years 1 to 9999 in your time zone"
        )),
    }
}

/// Parses the optional due time; empty means none. `at` is the entry's
/// time and offset, when read: the due time is exported in that offset, so
/// it must fall in the years 1 to 9999 there too, or the export could not
/// be read back.
pub fn due(text: &str, at: Option<(DateTime<Utc>, i32)>) -> Result<Option<DateTime<Utc>>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    // Only the instant is kept: the due time is written in the entry's offset.
    let (due, _) = timestamp(text, &Utc)?;
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
        let zone = FixedOffset::east_opt(2 * 3600).expect("offset");
        let (at, offset) = timestamp("2024-03-04T09:30:00+01:00", &zone).expect("valid");
        assert_eq!(at.to_rfc3339(), "2024-03-04T08:30:00+00:00");
        assert_eq!(offset, 3600);
        let (_, offset) = timestamp("2024-03-04T09:30:00+00:00", &zone).expect("valid");
        assert_eq!(offset, 0, "+00:00 is a local offset of zero");
        assert!(timestamp("2024-03-04T09:30:00", &zone).is_err());
        assert!(
            timestamp("yesterday", &zone)
                .unwrap_err()
                .contains("yesterday")
        );
        assert!(timestamp("", &zone).is_err());
    }

    #[test]
    fn utc_only_times_take_the_zone_offset_of_their_instant() {
        let zone = FixedOffset::east_opt(2 * 3600).expect("offset");
        for text in [
            "2026-10-13T22:53:16Z",
            "2026-10-13t22:53:16z",
            "2026-10-13T22:53:16-00:00",
        ] {
            let (at, offset) = timestamp(text, &zone).expect("valid");
            assert_eq!(at.to_rfc3339(), "2026-10-13T22:53:16+00:00", "{text}");
            assert_eq!(offset, 7200, "{text}");
        }
    }

    #[test]
    fn a_utc_time_the_zone_pushes_past_the_year_9999_is_refused() {
        let zone = FixedOffset::east_opt(2 * 3600).expect("offset");
        let err = timestamp("9999-12-31T23:00:00Z", &zone).unwrap_err();
        assert!(err.contains("9999"), "{err}");
        assert!(timestamp("9999-12-31T23:00:00+00:00", &zone).is_ok());
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
