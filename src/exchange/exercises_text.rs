//! The compact text form of a session's exercises, used in the CSV
//! `exercises` column.
//!
//! ```text
//! exercises := ""  |  item ( ";" item )*
//! item      := id ":" sets "x" dose [ "/side" ]
//! dose      := reps  |  hold "s"  |  reps "+" hold "s"
//! ```
//!
//! `glute_bridge:2x10;bird_dog:2x8s;split_squat:2x8/side;dead_bug:3x6+5s`
//! reads: two sets of ten glute bridges; two sets of eight-second bird dog
//! holds; two sets of eight split squats on each side; three sets of six
//! dead bugs, each held five seconds. Numbers are whole and not negative.
//! In an id, `%`, `:`, `;`, white space and control characters are written
//! as `%XX` (UTF-8 bytes in hex) so any id survives the trip; spaces around
//! items are ignored.

use crate::core::model::ExerciseDone;

/// Writes exercises in the compact form.
pub fn format_exercises(exercises: &[ExerciseDone]) -> String {
    let mut out = String::new();
    for (i, done) in exercises.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        push_escaped_id(&mut out, &done.exercise);
        out.push(':');
        out.push_str(&done.sets.to_string());
        out.push('x');
        match (done.reps, done.hold_s) {
            (reps, 0) => out.push_str(&reps.to_string()),
            (0, hold) => {
                out.push_str(&hold.to_string());
                out.push('s');
            }
            (reps, hold) => {
                out.push_str(&format!("{reps}+{hold}s"));
            }
        }
        if done.per_side {
            out.push_str("/side");
        }
    }
    out
}

/// Parses the compact form back; the message names the item at fault.
pub fn parse_exercises(text: &str) -> Result<Vec<ExerciseDone>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(';')
        .enumerate()
        .map(|(i, item)| {
            parse_item(item.trim()).map_err(|why| {
                format!(
                    "item {} \"{}\" {why}; write items like glute_bridge:2x10;bird_dog:2x8s",
                    i + 1,
                    item.trim()
                )
            })
        })
        .collect()
}

fn parse_item(item: &str) -> Result<ExerciseDone, String> {
    let (id, dose) = item
        .split_once(':')
        .ok_or("has no \":\" between the exercise and its dose")?;
    let exercise = unescape_id(id)?;
    let (dose, per_side) = match dose.strip_suffix("/side") {
        Some(rest) => (rest, true),
        None => (dose, false),
    };
    let (sets, amount) = dose
        .split_once('x')
        .ok_or("has no \"x\" between sets and reps or hold")?;
    let sets = number(sets, "sets")?;
    let (reps, hold_s) = match amount.split_once('+') {
        Some((reps, hold)) => (
            number(reps, "reps")?,
            number(
                hold.strip_suffix('s')
                    .ok_or("needs the hold after \"+\" in seconds, like 5s")?,
                "hold seconds",
            )?,
        ),
        None => match amount.strip_suffix('s') {
            Some(hold) => (0, number(hold, "hold seconds")?),
            None => (number(amount, "reps")?, 0),
        },
    };
    Ok(ExerciseDone {
        exercise,
        sets,
        reps,
        hold_s,
        per_side,
    })
}

fn number(text: &str, what: &str) -> Result<u32, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("has {what} \"{text}\", not a whole number"));
    }
    text.parse()
        .map_err(|_| format!("has {what} {text}, which is too large"))
}

fn needs_escape(c: char) -> bool {
    matches!(c, '%' | ':' | ';') || c.is_whitespace() || c.is_control()
}

fn push_escaped_id(out: &mut String, id: &str) {
    for c in id.chars() {
        if needs_escape(c) {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
}

fn unescape_id(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("has no exercise id before \":\"".to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("has a \"%\" not followed by two hex digits in the id")?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "has an id whose %XX escapes are not UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(exercise: &str, sets: u32, reps: u32, hold_s: u32, per_side: bool) -> ExerciseDone {
        ExerciseDone {
            exercise: exercise.to_owned(),
            sets,
            reps,
            hold_s,
            per_side,
        }
    }

    #[test]
    fn the_documented_example_reads_as_described() {
        let parsed =
            parse_exercises("glute_bridge:2x10;bird_dog:2x8s;split_squat:2x8/side;dead_bug:3x6+5s")
                .expect("valid");
        assert_eq!(
            parsed,
            vec![
                done("glute_bridge", 2, 10, 0, false),
                done("bird_dog", 2, 0, 8, false),
                done("split_squat", 2, 8, 0, true),
                done("dead_bug", 3, 6, 5, false),
            ]
        );
        assert_eq!(
            format_exercises(&parsed),
            "glute_bridge:2x10;bird_dog:2x8s;split_squat:2x8/side;dead_bug:3x6+5s"
        );
    }

    #[test]
    fn odd_ids_survive_the_round_trip() {
        let list = vec![
            done("my: odd;id 100%", 1, 0, 30, true),
            done("ünïcode", 0, 0, 0, false),
        ];
        let text = format_exercises(&list);
        assert!(!text.contains(' '), "{text}");
        assert_eq!(parse_exercises(&text), Ok(list));
    }

    #[test]
    fn mistakes_name_the_item() {
        assert_eq!(parse_exercises("  "), Ok(Vec::new()));
        let err = parse_exercises("glute_bridge:2x10;bird_dog 2x8").unwrap_err();
        assert!(err.starts_with("item 2"), "{err}");
        assert!(parse_exercises("a:2x-1").is_err());
        assert!(parse_exercises("a:x10").is_err());
        assert!(parse_exercises(":2x10").is_err());
        assert!(parse_exercises("a%zz:2x10").is_err());
        assert!(parse_exercises("a:2x3+4").is_err());
        assert!(parse_exercises("a:99999999999x1").is_err());
    }
}
