//! Imported times land on the day the user lived them: a UTC-only time
//! (`Z`, `-00:00`) is placed by the user's time zone, a numeric offset is
//! kept. Checked against day counts worked out here from the instants
//! alone, under two zones, around midnight and both daylight-saving changes.

mod exchange_support;

use std::collections::BTreeMap;
use std::path::Path;
#[cfg(unix)]
use std::process::Command;

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use rebalance::core::model::{Entry, Outcome, ReminderKind};
use rebalance::core::stats::LogIndex;
use rebalance::exchange::{Format, export, import_file_in, parse_import_in};
use rebalance::store::Store;

use exchange_support::all_entries;

/// One row of the mixed file: the instant, and the offset it is written
/// with (`None` for `Z`, `Some(0)` written as `-00:00` is also UTC-only).
struct Row {
    at: DateTime<Utc>,
    written: Written,
    kind: ReminderKind,
    outcome: Outcome,
}

#[derive(Clone, Copy)]
enum Written {
    Zulu,
    MinusZero,
    /// A local offset in seconds east, `+00:00` included.
    Offset(i32),
}

impl Row {
    fn timestamp(&self) -> String {
        match self.written {
            Written::Zulu => self.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            Written::MinusZero => self.at.format("%Y-%m-%dT%H:%M:%S-00:00").to_string(),
            Written::Offset(east) => {
                let offset = FixedOffset::east_opt(east).expect("offset");
                self.at.with_timezone(&offset).to_rfc3339()
            }
        }
    }

    /// The day a person in `zone` counts this row on, worked out from the
    /// instant and the written offset only.
    fn day_in(&self, zone: Tz) -> NaiveDate {
        match self.written {
            Written::Zulu | Written::MinusZero => self.at.with_timezone(&zone).date_naive(),
            Written::Offset(east) => {
                let offset = FixedOffset::east_opt(east).expect("offset");
                self.at.with_timezone(&offset).date_naive()
            }
        }
    }
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("test time")
        .with_timezone(&Utc)
}

/// Times around midnight in both zones and around the 2026 daylight-saving
/// changes of Europe (29 March, 25 October at 01:00 UTC) and the United
/// States (8 March at 07:00 UTC, 1 November at 06:00 UTC), half of them in
/// UTC only and half with a numeric offset.
fn mixed_rows() -> Vec<Row> {
    use Outcome::*;
    use ReminderKind::*;
    let instants = [
        "2026-10-13T22:53:16Z",
        "2026-10-13T21:59:59Z",
        "2026-10-13T22:00:00Z",
        "2026-10-14T03:59:00Z",
        "2026-10-14T04:01:00Z",
        "2026-03-28T22:30:00Z",
        "2026-03-28T23:30:00Z",
        "2026-03-29T00:59:00Z",
        "2026-03-29T01:01:00Z",
        "2026-03-29T22:30:00Z",
        "2026-10-24T21:30:00Z",
        "2026-10-24T22:30:00Z",
        "2026-10-25T00:30:00Z",
        "2026-10-25T22:30:00Z",
        "2026-10-25T23:30:00Z",
        "2026-03-08T04:30:00Z",
        "2026-03-08T05:30:00Z",
        "2026-03-09T03:30:00Z",
        "2026-03-09T04:30:00Z",
        "2026-10-31T23:30:00Z",
        "2026-11-01T04:30:00Z",
        "2026-11-01T05:30:00Z",
        "2026-11-02T04:30:00Z",
        "2026-11-02T05:30:00Z",
    ];
    let kinds = [
        (PostureCheck, AllGood),
        (MoveBreak, Taken),
        (Routine, Completed),
        (PostureCheck, Fixed),
    ];
    let offsets = [
        Written::Zulu,
        Written::Offset(2 * 3600),
        Written::MinusZero,
        Written::Offset(-5 * 3600),
        Written::Zulu,
        Written::Offset(0),
        Written::Zulu,
        Written::Offset(5 * 3600 + 1800),
    ];
    instants
        .iter()
        .enumerate()
        .map(|(i, at)| {
            let (kind, outcome) = kinds[i % kinds.len()];
            Row {
                at: utc(at),
                written: offsets[i % offsets.len()],
                kind,
                outcome,
            }
        })
        .collect()
}

fn csv_of(rows: &[Row]) -> String {
    let mut csv = String::from("timestamp,kind,outcome,duration_s,routine,pain,note\n");
    for row in rows {
        let routine = if row.kind == ReminderKind::Routine {
            "mini"
        } else {
            ""
        };
        csv.push_str(&format!(
            "{},{},{},0,{routine},,\n",
            row.timestamp(),
            row.kind.as_str(),
            row.outcome.as_str()
        ));
    }
    csv
}

type DayCounts = BTreeMap<(NaiveDate, ReminderKind, Outcome), u32>;

fn expected_counts(rows: &[Row], zone: Tz) -> DayCounts {
    let mut counts = DayCounts::new();
    for row in rows {
        *counts
            .entry((row.day_in(zone), row.kind, row.outcome))
            .or_default() += 1;
    }
    counts
}

/// What the week figures count, for every day and outcome the rows touch.
fn counted(entries: &[Entry], rows: &[Row], zone: Tz) -> DayCounts {
    let index = LogIndex::from_entries(entries);
    let mut counts = DayCounts::new();
    for row in rows {
        for day in [
            row.day_in(zone).pred_opt(),
            Some(row.day_in(zone)),
            row.day_in(zone).succ_opt(),
        ] {
            let day = day.expect("day");
            let n = index.day(day).count(row.kind, row.outcome);
            if n > 0 {
                counts.insert((day, row.kind, row.outcome), n);
            }
        }
    }
    counts
}

#[test]
fn a_mixed_file_lands_on_the_days_a_person_in_each_zone_would_count() {
    let rows = mixed_rows();
    let csv = csv_of(&rows);
    for zone in [chrono_tz::Europe::Berlin, chrono_tz::America::New_York] {
        let entries = parse_import_in(csv.as_bytes(), Format::Csv, &zone).expect("valid file");
        assert_eq!(entries.len(), rows.len());
        assert_eq!(
            counted(&entries, &rows, zone),
            expected_counts(&rows, zone),
            "{zone}"
        );
        for (entry, row) in entries.iter().zip(&rows) {
            assert_eq!(entry.at, row.at, "the instant is kept");
            let want = match row.written {
                Written::Offset(east) => east,
                Written::Zulu | Written::MinusZero => zone
                    .offset_from_utc_datetime(&row.at.naive_utc())
                    .fix()
                    .local_minus_utc(),
            };
            assert_eq!(
                entry.local_at().offset().local_minus_utc(),
                want,
                "{}",
                row.timestamp()
            );
        }
    }
}

#[test]
fn the_example_from_berlin_counts_on_the_fourteenth() {
    let csv = "timestamp,kind,outcome,duration_s,routine,pain,note\n\
               2026-10-13T22:53:16Z,routine,completed,600,mini,,\n";
    let entries =
        parse_import_in(csv.as_bytes(), Format::Csv, &chrono_tz::Europe::Berlin).expect("valid");
    assert_eq!(
        entries[0].local_at().to_rfc3339(),
        "2026-10-14T00:53:16+02:00"
    );
    let day = NaiveDate::from_ymd_opt(2026, 10, 14).expect("date");
    let index = LogIndex::from_entries(&entries);
    assert_eq!(
        index
            .day(day)
            .count(ReminderKind::Routine, Outcome::Completed),
        1
    );
    assert_eq!(
        index
            .day(day.pred_opt().expect("day"))
            .count(ReminderKind::Routine, Outcome::Completed),
        0
    );
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write file");
}

#[test]
fn re_importing_the_export_or_the_file_itself_changes_nothing() {
    let rows = mixed_rows();
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("other-tool.csv");
    write(&source, &csv_of(&rows));
    for (n, zone) in [chrono_tz::Europe::Berlin, chrono_tz::America::New_York]
        .into_iter()
        .enumerate()
    {
        let mut store = Store::open(&dir.path().join(format!("log{n}.db"))).expect("open");
        let first = import_file_in(&mut store, &source, &zone).expect("import");
        assert_eq!((first.added, first.duplicates), (rows.len(), 0));
        let before = all_entries(&store);
        assert_eq!(counted(&before, &rows, zone), expected_counts(&rows, zone));

        // The same file again: every entry, with its derived offset, is
        // recognised as already logged.
        let again = import_file_in(&mut store, &source, &zone).expect("import again");
        assert_eq!((again.added, again.duplicates), (0, rows.len()), "{zone}");

        // Rebalance's own export keeps the derived offsets, so it reads back
        // as duplicates too, in any zone.
        for format in [Format::Csv, Format::Jsonl] {
            let mut bytes = Vec::new();
            export(&before, format, &mut bytes).expect("export");
            let exported = dir.path().join(format!("export{n}.{}", format.extension()));
            std::fs::write(&exported, &bytes).expect("write export");
            let other_zone = chrono_tz::Asia::Tokyo;
            let back = import_file_in(&mut store, &exported, &other_zone).expect("re-import");
            assert_eq!((back.added, back.duplicates), (0, rows.len()), "{format:?}");

            let mut fresh = Store::open(&dir.path().join(format!("fresh{n}{format:?}.db")))
                .expect("open fresh");
            import_file_in(&mut fresh, &exported, &other_zone).expect("into a fresh log");
            assert_eq!(
                counted(&all_entries(&fresh), &rows, zone),
                expected_counts(&rows, zone),
                "{format:?} export read back in another zone gives the same days"
            );
        }
        assert_eq!(all_entries(&store), before);
    }
}

/// The product path: the command line places UTC times by the system zone
/// (`TZ`), and `stats --json` counts them on the local day.
// Sets the system zone through TZ, which Windows does not read (it has its own zone setting).
#[cfg(unix)]
#[test]
fn the_import_command_uses_the_system_time_zone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("utc.csv");
    write(
        &file,
        "timestamp,kind,outcome,duration_s,routine,pain,note\n\
         2026-10-13T22:53:16Z,routine,completed,600,mini,,\n",
    );
    let run = |tz: &str, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_rebalance"))
            .args(args)
            .env("TZ", tz)
            .env("HOME", dir.path())
            .env(
                "XDG_CONFIG_HOME",
                dir.path().join(format!("config-{}", tz.replace('/', "-"))),
            )
            .env(
                "XDG_DATA_HOME",
                dir.path().join(format!("data-{}", tz.replace('/', "-"))),
            )
            .env("XDG_RUNTIME_DIR", dir.path().join("run"))
            .output()
            .expect("run rebalance");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    std::fs::create_dir_all(dir.path().join("run")).expect("runtime dir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.path().join("run"),
            std::fs::Permissions::from_mode(0o700),
        )
        .expect("runtime dir mode");
    }
    for (tz, day) in [
        ("Europe/Berlin", "2026-10-14"),
        ("America/New_York", "2026-10-13"),
    ] {
        let path = file.to_str().expect("path");
        run(tz, &["import", path]);
        let stats = run(tz, &["stats", "--week", "2026-W42", "--json"]);
        let doc: serde_json::Value = serde_json::from_str(&stats).expect("json");
        let days = doc["days"].as_array().expect("days");
        let with_session: Vec<&str> = days
            .iter()
            .filter(|d| d["routine"]["completed"].as_u64() == Some(1))
            .filter_map(|d| d["date"].as_str())
            .collect();
        assert_eq!(with_session, [day], "{tz}: {stats}");
    }
}
