//! How durations ("30m", "1h30m") and clock times ("18:00") are written in
//! the settings file and on the command line, and how text is escaped for
//! XML, SVG and HTML.

use chrono::NaiveTime;
use std::time::Duration;

/// Formats a duration the way the settings file writes it: "45s", "30m",
/// "1h30m", "2h". A fraction of a second (only a hand-written "500ms" has
/// one) is kept as "ms", "us" and "ns" parts, so reading it back gives the
/// same duration.
pub fn format_duration(duration: Duration) -> String {
    let total = duration.as_secs();
    let nanos = u64::from(duration.subsec_nanos());
    if duration.is_zero() {
        return "0m".to_owned();
    }
    let parts = [
        (total / 3600, "h"),
        ((total % 3600) / 60, "m"),
        (total % 60, "s"),
        (nanos / 1_000_000, "ms"),
        ((nanos / 1_000) % 1_000, "us"),
        (nanos % 1_000, "ns"),
    ];
    let mut out = String::new();
    for (value, unit) in parts {
        if value > 0 {
            out.push_str(&format!("{value}{unit}"));
        }
    }
    out
}

/// Parses "30m", "1h30m", "1h 30m", "90s" or "2h". A bare number is refused
/// because its unit would be a guess.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("is empty; write a duration like \"30m\" or \"1h30m\"".to_owned());
    }
    if trimmed.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "\"{trimmed}\" has no unit; write it like \"{trimmed}m\""
        ));
    }
    humantime::parse_duration(trimmed)
        .map_err(|_| format!("\"{trimmed}\" is not a duration; write it like \"30m\" or \"1h30m\""))
}

/// Formats a clock time as "HH:MM".
pub fn format_clock(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// Parses "HH:MM" (24-hour).
pub fn parse_clock(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        format!(
            "\"{}\" is not a time of day; write it like \"18:00\"",
            text.trim()
        )
    })
}

/// Serde adapter for durations written as text ("30m").
pub mod duration_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    /// Writes the duration as "1h30m".
    pub fn serialize<S: Serializer>(value: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_duration(*value))
    }

    /// Reads a duration written as "1h30m".
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_duration(&text).map_err(serde::de::Error::custom)
    }
}

/// Serde adapter for clock times written as "HH:MM".
pub mod clock_text {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the time as "18:00".
    pub fn serialize<S: Serializer>(value: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_clock(*value))
    }

    /// Reads a time written as "18:00".
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_clock(&text).map_err(serde::de::Error::custom)
    }
}

/// Escapes text for XML, SVG and HTML content and attribute values.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_trip_in_the_documented_form() {
        for (text, secs) in [
            ("30m", 1800),
            ("1h30m", 5400),
            ("2h", 7200),
            ("45s", 45),
            ("1h0m5s", 3605),
        ] {
            let parsed = parse_duration(text).expect(text);
            assert_eq!(parsed.as_secs(), secs, "{text}");
        }
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_duration(Duration::from_secs(3605)), "1h5s");
        assert_eq!(format_duration(Duration::from_millis(60_500)), "1m500ms");
        assert_eq!(parse_duration("1h 30m").map(|d| d.as_secs()), Ok(5400));
    }

    #[test]
    fn durations_without_unit_or_garbage_are_refused_with_a_hint() {
        assert!(parse_duration("30").unwrap_err().contains("30m"));
        assert!(
            parse_duration("soon")
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn clock_times_use_hours_and_minutes() {
        let t = parse_clock("18:00").expect("valid");
        assert_eq!(format_clock(t), "18:00");
        assert!(parse_clock("25:00").is_err());
        assert!(parse_clock("6pm").is_err());
    }
}
