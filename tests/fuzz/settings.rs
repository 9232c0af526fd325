//! Fuzz targets for the settings file and the duration and clock text it
//! holds: arbitrary bytes and damaged files never panic or hang, anything
//! accepted is valid and survives a save, a file that cannot be used is set
//! aside byte for byte with a warning naming the backup, and saving then
//! loading gives the same settings.

use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rebalance::core::settings::Settings;
use rebalance::core::text_format::{format_clock, format_duration, parse_clock, parse_duration};
use rebalance::store::settings_file::{load_settings_at, parse_settings, settings_to_toml};
use serde_json::Value;

use crate::support::{
    Bytes, Cost, Damage, JsonEdit, Verdict, apply_json_edits, arbitrary_bytes, damage, fuzz,
    special_json, valid_settings, within,
};

fn parse_within(bytes: &[u8]) -> Result<Result<Settings, String>, TestCaseError> {
    let bytes = bytes.to_vec();
    within("parse_settings", move || parse_settings(&bytes))
}

fn toml_of(settings: &Settings) -> String {
    settings_to_toml(settings).expect("valid settings serialize")
}

/// Accepted settings are valid and saved unchanged; a refusal says why.
fn check_parsed(parsed: &Result<Settings, String>) -> Result<Verdict, TestCaseError> {
    match parsed {
        Ok(settings) => {
            prop_assert!(settings.validate().is_ok(), "accepted invalid settings");
            let again = parse_settings(toml_of(settings).as_bytes());
            prop_assert_eq!(
                again.as_ref(),
                Ok(settings),
                "accepted settings change when saved and read again"
            );
        }
        Err(message) => {
            prop_assert!(message.trim().len() >= 5, "no explanation: {message:?}");
        }
    }
    Ok(Verdict::from(parsed))
}

/// Lines a settings file is made of: known and unknown sections and keys
/// with values of every TOML type, valid and not.
fn settings_like_text() -> impl Strategy<Value = Bytes> {
    let sections = proptest::sample::select(vec![
        "",
        "[posture]",
        "[move_break]",
        "[routine]",
        "[reminders]",
        "[working_hours]",
        "[notifications]",
        "[startup]",
        "[appearance]",
        "[posture.interval]",
        "[[routine]]",
        "[unknown]",
    ]);
    let keys = proptest::sample::select(vec![
        "version",
        "enabled",
        "interval",
        "duration",
        "every_days",
        "at",
        "routine",
        "pattern",
        "snooze",
        "max_snoozes",
        "expire_after",
        "quiet_after_break",
        "days",
        "start",
        "end",
        "sound",
        "autostart",
        "theme",
        "first_day_of_week",
        "posture.interval",
        "intervall",
        "\"\"",
    ]);
    let values = proptest::sample::select(vec![
        "true",
        "1",
        "2",
        "-1",
        "0",
        "4294967296",
        "9223372036854775807",
        "1.5",
        "nan",
        "inf",
        "\"30m\"",
        "\"1h30m\"",
        "\"0m\"",
        "\"500ms\"",
        "\"8h1s\"",
        "\"584942417355y\"",
        "\"30\"",
        "\"18:00\"",
        "\"24:00\"",
        "\"9:5\"",
        "\"mini\"",
        "\"\"",
        "\"   \"",
        "\"glutes_hip_flexors\"",
        "\"dark\"",
        "\"Mon\"",
        "\"Sunday\"",
        "[\"Mon\", \"Tue\"]",
        "[]",
        "[1, \"Mon\"]",
        "{ a = 1 }",
        "1979-05-27T07:32:00Z",
        "'''x'''",
        "\"\\u0000\"",
        "\"é\"",
    ]);
    let line = prop_oneof![
        sections.prop_map(str::to_owned),
        (keys, values).prop_map(|(k, v)| format!("{k} = {v}")),
    ];
    proptest::collection::vec(line, 0..30).prop_map(|lines| Bytes(lines.join("\n").into_bytes()))
}

#[test]
fn arbitrary_bytes_are_refused_with_a_reason_or_read() {
    let inputs = prop_oneof![arbitrary_bytes(), settings_like_text()];
    fuzz(
        "settings_arbitrary_bytes",
        Cost::Cheap,
        inputs,
        |Bytes(bytes)| check_parsed(&parse_within(&bytes)?),
    );
}

fn edit_fields(text: &str, edits: &[JsonEdit]) -> Vec<u8> {
    let table: toml::Table = toml::from_str(text).expect("a saved file is TOML");
    let value = serde_json::to_value(&table).expect("TOML as JSON");
    // TOML has no null.
    let specials: Vec<Value> = special_json()
        .into_iter()
        .filter(|v| !v.is_null())
        .collect();
    let edited = apply_json_edits(&value, edits, &specials);
    match toml::to_string(&edited) {
        Ok(text) => text.into_bytes(),
        // A root that is no longer a table: hand over the JSON as it is.
        Err(_) => edited.to_string().into_bytes(),
    }
}

fn damaged(settings: &Settings, damage: &Damage) -> Vec<u8> {
    let text = toml_of(settings);
    damage.apply(text.as_bytes(), |edits| edit_fields(&text, edits))
}

fn damaged_file() -> impl Strategy<Value = Bytes> {
    let seeds = prop_oneof![Just(Settings::default()), valid_settings()];
    (seeds, damage()).prop_map(|(settings, damage)| Bytes(damaged(&settings, &damage)))
}

#[test]
fn damaged_files_are_refused_with_a_reason_or_read() {
    fuzz(
        "settings_damaged_files",
        Cost::Cheap,
        damaged_file(),
        |Bytes(bytes)| check_parsed(&parse_within(&bytes)?),
    );
}

#[test]
fn saved_settings_read_back_the_same() {
    fuzz(
        "settings_round_trip",
        Cost::Cheap,
        valid_settings(),
        |settings| {
            let text = toml_of(&settings);
            prop_assert_eq!(parse_within(text.as_bytes())?, Ok(settings));
            Ok(Verdict::Accepted)
        },
    );
}

#[test]
fn loading_a_damaged_file_sets_it_aside_whole_or_uses_it() {
    let now = NaiveDate::from_ymd_opt(2025, 3, 4)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("valid time");
    fuzz(
        "settings_load_file",
        Cost::Costly,
        damaged_file(),
        |Bytes(bytes)| {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("settings.toml");
            std::fs::write(&path, &bytes).expect("write the file");
            let loaded = {
                let path = path.clone();
                within("load_settings", move || load_settings_at(&path, now))?
            };
            let parsed = parse_settings(&bytes);
            match &parsed {
                Ok(settings) => {
                    prop_assert_eq!(&loaded.settings, settings);
                    prop_assert_eq!(loaded.backup, None);
                    prop_assert_eq!(std::fs::read(&path).expect("still there"), bytes);
                }
                Err(problem) => {
                    prop_assert_eq!(&loaded.settings, &Settings::default());
                    let backup = loaded.backup.expect("an unusable file is set aside");
                    prop_assert_eq!(
                        std::fs::read(&backup).expect("the backup exists"),
                        bytes,
                        "the backup is not the file as it was"
                    );
                    let warning = loaded.warning.expect("a warning says what happened");
                    prop_assert!(
                        warning.contains(&backup.display().to_string()),
                        "{}",
                        warning
                    );
                    prop_assert!(warning.contains(problem.as_str()), "{}", warning);
                    let fresh = std::fs::read(&path).expect("fresh defaults written");
                    prop_assert_eq!(parse_settings(&fresh), Ok(Settings::default()));
                }
            }
            Ok(Verdict::from(&parsed))
        },
    );
}

/// Duration text as a person may type it, valid or not.
fn duration_like_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,22} ?(ns|us|ms|s|m|h|d|w|M|y|min|sec|hours|days|months|years|x)",
        "([0-9]{1,6}[a-z]{1,2} ?){1,6}",
        "[0-9hmsd .+-]{0,20}",
        any::<String>(),
    ]
}

#[test]
fn durations_read_back_as_written() {
    let input = (duration_like_text(), any::<u64>(), 0u32..1_000_000_000);
    fuzz(
        "duration_text",
        Cost::Cheap,
        input,
        |(text, secs, nanos)| {
            // Whatever is accepted survives being written and read again.
            let parsed = {
                let text = text.clone();
                within("parse_duration", move || parse_duration(&text))?
            };
            let verdict = Verdict::from(&parsed);
            match parsed {
                Ok(duration) => {
                    let written = format_duration(duration);
                    prop_assert_eq!(
                        parse_duration(&written),
                        Ok(duration),
                        "{:?} reads as {:?}, written {:?}",
                        text,
                        duration,
                        written
                    );
                }
                Err(message) => prop_assert!(message.len() >= 5, "no explanation: {message:?}"),
            }
            // Any duration is written in a form that reads back the same.
            let duration = Duration::new(secs, nanos);
            let written = format_duration(duration);
            prop_assert_eq!(
                parse_duration(&written),
                Ok(duration),
                "written {:?}",
                written
            );
            Ok(verdict)
        },
    );
}

#[test]
fn clock_times_read_back_as_written() {
    let input = (
        prop_oneof![
            "[0-9]{0,3}:[0-9]{0,3}",
            "[0-9: apmAPM]{0,8}",
            any::<String>()
        ],
        0u32..24,
        0u32..60,
    );
    fuzz("clock_text", Cost::Cheap, input, |(text, h, m)| {
        let parsed = {
            let text = text.clone();
            within("parse_clock", move || parse_clock(&text))?
        };
        let verdict = Verdict::from(&parsed);
        match parsed {
            Ok(time) => prop_assert_eq!(parse_clock(&format_clock(time)), Ok(time)),
            Err(message) => prop_assert!(message.len() >= 5, "no explanation: {message:?}"),
        }
        let time = NaiveTime::from_hms_opt(h, m, 0).expect("valid time");
        prop_assert_eq!(parse_clock(&format_clock(time)), Ok(time));
        Ok(verdict)
    });
}
