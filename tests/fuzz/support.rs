//! Shared machinery of the fuzz targets: how many cases to run, a guard that
//! turns a hang into a failure, byte-, line- and JSON-level mutations of
//! valid inputs, and generators of valid log entries, settings and requests.

use std::fmt;
use std::panic;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestError, TestRunner};
use rebalance::core::model::{Answer, Entry, ExerciseDone, Outcome, ReminderKind};
use rebalance::core::schedule::PauseLength;
use rebalance::core::settings::{
    AppearanceSettings, HoldSettings, ImbalancePattern, MoveBreakSettings, NotificationSettings,
    PostureSettings, ReminderSettings, RoutineSettings, Settings, StartupSettings, Theme,
    WorkingHours,
};
use rebalance::core::view::View;
use rebalance::ipc::Request;
use serde_json::{Map, Value};

/// How much one case costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// Pure parsing in memory.
    Cheap,
    /// A real database, files or sockets per case.
    Costly,
}

/// Cases per target in a plain `cargo test`.
const DEFAULT_CASES: u32 = 256;
const DEFAULT_COSTLY_CASES: u32 = 32;
/// A costly target runs this fraction of `REBALANCE_FUZZ_CASES`.
const COSTLY_SHARE: u32 = 8;
/// With a time budget, cases run in rounds of this size between checks.
const ROUND: u32 = 64;

/// Anything slower than this on one input is taken for a hang. Parsing the
/// largest generated input takes milliseconds, so this only trips on a loop
/// that does not end.
pub const HANG_LIMIT: Duration = Duration::from_secs(30);

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let value = text
        .trim()
        .parse::<u64>()
        .unwrap_or_else(|_| panic!("{name} must be a whole number, not {text:?}"));
    Some(value)
}

/// How many cases a target of this cost runs, and for how long at most.
fn budget(cost: Cost) -> (u32, Option<Duration>) {
    let cases = match (env_number("REBALANCE_FUZZ_CASES"), cost) {
        (Some(n), Cost::Cheap) => u32::try_from(n).unwrap_or(u32::MAX),
        (Some(n), Cost::Costly) => (u32::try_from(n).unwrap_or(u32::MAX) / COSTLY_SHARE).max(1),
        (None, Cost::Cheap) => DEFAULT_CASES,
        (None, Cost::Costly) => DEFAULT_COSTLY_CASES,
    };
    let seconds = env_number("REBALANCE_FUZZ_SECONDS").map(Duration::from_secs);
    (cases.max(1), seconds)
}

/// What a case's input came to, counted so a run shows how much of the
/// input got past the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The parser accepted the input.
    Accepted,
    /// The parser refused it with a reason.
    Refused,
}

impl<T, E> From<&Result<T, E>> for Verdict {
    fn from(result: &Result<T, E>) -> Self {
        if result.is_ok() {
            Self::Accepted
        } else {
            Self::Refused
        }
    }
}

/// Runs `test` on inputs from `strategy` and panics with the smallest
/// failing input found. `name` names the target in the output and its file
/// of failing seeds.
pub fn fuzz<S>(
    name: &'static str,
    cost: Cost,
    strategy: S,
    test: impl Fn(S::Value) -> Result<Verdict, TestCaseError>,
) where
    S: Strategy,
    S::Value: fmt::Debug,
{
    let (wanted, seconds) = budget(cost);
    let regressions: &'static str = Box::leak(format!("proptest-regressions/{name}.txt").into());
    let ran = AtomicU64::new(0);
    let accepted = AtomicU64::new(0);
    let started = Instant::now();
    let counted = |value: S::Value| {
        ran.fetch_add(1, Ordering::Relaxed);
        if test(value)? == Verdict::Accepted {
            accepted.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    };
    let mut done = 0u32;
    while done < wanted {
        let round = match seconds {
            Some(_) => ROUND.min(wanted - done),
            None => wanted - done,
        };
        let config = Config {
            cases: round,
            failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions))),
            fork: false,
            timeout: 0,
            // A failure is worth a minute of shrinking, not more.
            max_shrink_time: 60_000,
            max_shrink_iters: 100_000,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        match runner.run(&strategy, counted) {
            Ok(()) => {}
            Err(TestError::Fail(reason, input)) => {
                panic!("fuzz target {name} failed: {reason}\nsmallest failing input: {input:#?}")
            }
            Err(TestError::Abort(reason)) => panic!("fuzz target {name} gave up: {reason}"),
        }
        done += round;
        if seconds.is_some_and(|limit| started.elapsed() >= limit) {
            break;
        }
    }
    eprintln!(
        "fuzz {name}: {} cases in {:.1} s ({} accepted)",
        ran.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
        accepted.load(Ordering::Relaxed),
    );
}

/// Runs `work` on its own thread and returns its result; a panic is passed
/// on as it was, and a run longer than [`HANG_LIMIT`] fails the case.
pub fn within<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TestCaseError> {
    let (done_tx, done) = mpsc::channel();
    let worker = thread::Builder::new()
        .name(format!("fuzz {what}"))
        .spawn(move || {
            let value = work();
            let _ = done_tx.send(());
            value
        })
        .map_err(|err| TestCaseError::fail(format!("cannot start a thread: {err}")))?;
    match done.recv_timeout(HANG_LIMIT) {
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Ok(value) => Ok(value),
            Err(panic) => panic::resume_unwind(panic),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!(
            "{what} hangs: no result after {} s",
            HANG_LIMIT.as_secs()
        ))),
    }
}

/// Bytes shown as text when they fail a case: valid UTF-8 in quotes,
/// anything else escaped.
#[derive(Clone, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(&self.0) {
            Ok(text) if text.len() <= 2000 => write!(f, "{text:?}"),
            _ if self.0.len() <= 2000 => write!(f, "b\"{}\"", self.0.escape_ascii()),
            _ => write!(
                f,
                "{} bytes starting b\"{}\"",
                self.0.len(),
                self.0[..2000].escape_ascii()
            ),
        }
    }
}

/// Bytes that mean something to one of the parsers.
pub const SPECIAL_BYTES: &[u8] = b"\n\r,\"{}[]:=#'\\ \t\0.-+;%x/sT\x80\xbf\xc3\xef\xbb\xff";

/// Short pieces worth splicing into any text format.
pub const SPECIAL_TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    ",",
    "\"",
    "\"\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    "=",
    "#",
    "'''",
    "\"\"\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "\0",
    "\u{feff}",
    "\u{2028}",
    "é",
    "𝄞",
    "null",
    "true",
    "-1",
    "0",
    "1e400",
    "-0",
    "18446744073709551616",
    "99999999999999999999999999",
    "nan",
    "inf",
    "2024-02-30T10:00:00+01:00",
    "2024-06-30T23:59:60Z",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "0000-01-01T00:00:00Z",
    "+99:99",
    "24:00",
    "23:59",
    "1h30m",
    "0m",
    "500ms",
    "584942417355y",
    "posture_check",
    "move_break",
    "routine",
    "taken",
    "completed",
    "missed",
    "glute_bridge:2x10",
    "%zz",
    "%C3",
    "/side",
];

/// A valid-input mutation at the byte level.
#[derive(Debug, Clone)]
pub enum ByteEdit {
    /// Flip one bit.
    Flip(Index, u8),
    /// Overwrite one byte with a special one.
    Set(Index, Index),
    /// Remove a run of bytes.
    Delete(Index, usize),
    /// Copy a run of bytes to another place.
    Duplicate(Index, usize, Index),
    /// Insert a special token.
    Insert(Index, Index),
    /// Cut the input short.
    Truncate(Index),
}

/// One byte-level mutation.
pub fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<Index>(), 0u8..8).prop_map(|(at, bit)| ByteEdit::Flip(at, bit)),
        (any::<Index>(), any::<Index>()).prop_map(|(at, b)| ByteEdit::Set(at, b)),
        (any::<Index>(), 1usize..40).prop_map(|(at, n)| ByteEdit::Delete(at, n)),
        (any::<Index>(), 1usize..200, any::<Index>())
            .prop_map(|(at, n, to)| ByteEdit::Duplicate(at, n, to)),
        (any::<Index>(), any::<Index>()).prop_map(|(at, t)| ByteEdit::Insert(at, t)),
        any::<Index>().prop_map(ByteEdit::Truncate),
    ]
}

fn position(at: &Index, len: usize) -> usize {
    at.index(len + 1)
}

/// `input` with `edits` applied in turn.
pub fn apply_byte_edits(input: &[u8], edits: &[ByteEdit]) -> Vec<u8> {
    let mut out = input.to_vec();
    for edit in edits {
        let len = out.len();
        match edit {
            ByteEdit::Flip(at, bit) if len > 0 => out[at.index(len)] ^= 1 << bit,
            ByteEdit::Set(at, byte) if len > 0 => {
                out[at.index(len)] = SPECIAL_BYTES[byte.index(SPECIAL_BYTES.len())];
            }
            ByteEdit::Delete(at, n) => {
                let start = position(at, len);
                out.drain(start..(start + n).min(len));
            }
            ByteEdit::Duplicate(at, n, to) => {
                let start = position(at, len);
                let piece = out[start..(start + n).min(len)].to_vec();
                let to = position(to, len);
                out.splice(to..to, piece);
            }
            ByteEdit::Insert(at, token) => {
                let at = position(at, len);
                let token = SPECIAL_TOKENS[token.index(SPECIAL_TOKENS.len())];
                out.splice(at..at, token.bytes());
            }
            ByteEdit::Truncate(at) => out.truncate(position(at, len)),
            ByteEdit::Flip(..) | ByteEdit::Set(..) => {}
        }
    }
    out
}

/// A valid-input mutation at the line level.
#[derive(Debug, Clone)]
pub enum LineEdit {
    /// Remove a line.
    Delete(Index),
    /// Repeat a line right after itself.
    Duplicate(Index),
    /// Exchange two lines.
    Swap(Index, Index),
    /// Put half of one line in front of another.
    Splice(Index, Index),
}

/// One line-level mutation.
pub fn line_edit() -> impl Strategy<Value = LineEdit> {
    prop_oneof![
        any::<Index>().prop_map(LineEdit::Delete),
        any::<Index>().prop_map(LineEdit::Duplicate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| LineEdit::Swap(a, b)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| LineEdit::Splice(a, b)),
    ]
}

/// `input` with `edits` applied to its `\n`-separated lines.
pub fn apply_line_edits(input: &[u8], edits: &[LineEdit]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = input.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    for edit in edits {
        let len = lines.len();
        match edit {
            LineEdit::Delete(at) if len > 1 => {
                lines.remove(at.index(len));
            }
            LineEdit::Duplicate(at) => {
                let at = at.index(len);
                let copy = lines[at].clone();
                lines.insert(at, copy);
            }
            LineEdit::Swap(a, b) => lines.swap(a.index(len), b.index(len)),
            LineEdit::Splice(from, to) => {
                let from = &lines[from.index(len)];
                let half = from[..from.len() / 2].to_vec();
                let to = to.index(len);
                lines[to].splice(0..0, half);
            }
            LineEdit::Delete(_) => {}
        }
    }
    lines.join(&b'\n')
}

/// JSON values worth putting in place of a valid one.
pub fn special_json() -> Vec<Value> {
    let mut values = vec![
        Value::Null,
        Value::Bool(true),
        Value::Bool(false),
        Value::from(0),
        Value::from(-1),
        Value::from(1.5),
        Value::from(u64::MAX),
        Value::from(i64::MIN),
        Value::from(1e300),
        Value::from(11),
        Value::from(4_294_967_296_u64),
        Value::Array(Vec::new()),
        Value::Object(Map::new()),
        serde_json::json!([{}]),
        serde_json::json!({"exercise": "x"}),
        serde_json::json!({"exercise": " ", "sets": -1}),
        serde_json::json!({"for": "for", "value": "0m"}),
        serde_json::json!({"for": "until_resumed"}),
        Value::from(" ".repeat(3)),
        Value::from("x".repeat(5000)),
    ];
    values.extend(SPECIAL_TOKENS.iter().map(|t| Value::from(*t)));
    values
}

/// Object keys worth adding or renaming to.
pub const SPECIAL_KEYS: &[&str] = &[
    "",
    "timestamp",
    "kind",
    "outcome",
    "note",
    "due",
    "exercises",
    "Kind",
    "kind ",
    "request",
    "entry",
    "settings",
    "length",
    "version",
    "interval",
    "posture",
    "__proto__",
    "é",
];

/// A valid-input mutation of a JSON document (or of TOML read as one).
#[derive(Debug, Clone)]
pub enum JsonEdit {
    /// Put a special value at a node.
    Replace(Index, Index),
    /// Remove a node from its object or list.
    Remove(Index),
    /// Rename an object member.
    Rename(Index, Index),
    /// Add a member to an object, or an item to a list.
    Add(Index, Index, Index),
    /// Copy one node over another.
    Copy(Index, Index),
}

/// One JSON-level mutation.
pub fn json_edit() -> impl Strategy<Value = JsonEdit> {
    prop_oneof![
        (any::<Index>(), any::<Index>()).prop_map(|(a, v)| JsonEdit::Replace(a, v)),
        any::<Index>().prop_map(JsonEdit::Remove),
        (any::<Index>(), any::<Index>()).prop_map(|(a, k)| JsonEdit::Rename(a, k)),
        (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(a, k, v)| JsonEdit::Add(a, k, v)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| JsonEdit::Copy(a, b)),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Item(usize),
}

/// Every node of `value`, as paths from the root (the root included).
fn node_paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(path.clone());
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    path.push(Step::Key(key.clone()));
                    walk(inner, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    path.push(Step::Item(i));
                    walk(inner, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter()
        .try_fold(value, |node, step| match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key),
            (Value::Array(items), Step::Item(i)) => items.get_mut(*i),
            _ => None,
        })
}

/// `value` with `edits` applied in turn; `specials` are the values put in.
pub fn apply_json_edits(value: &Value, edits: &[JsonEdit], specials: &[Value]) -> Value {
    let mut out = value.clone();
    for edit in edits {
        let paths = node_paths(&out);
        let pick = |at: &Index| paths[at.index(paths.len())].clone();
        match edit {
            JsonEdit::Replace(at, with) => {
                if let Some(node) = node_mut(&mut out, &pick(at)) {
                    *node = specials[with.index(specials.len())].clone();
                }
            }
            JsonEdit::Remove(at) => {
                let mut path = pick(at);
                let Some(last) = path.pop() else { continue };
                match (node_mut(&mut out, &path), last) {
                    (Some(Value::Object(map)), Step::Key(key)) => {
                        map.remove(&key);
                    }
                    (Some(Value::Array(items)), Step::Item(i)) if i < items.len() => {
                        items.remove(i);
                    }
                    _ => {}
                }
            }
            JsonEdit::Rename(at, key) => {
                let mut path = pick(at);
                let Some(Step::Key(old)) = path.pop() else {
                    continue;
                };
                if let Some(Value::Object(map)) = node_mut(&mut out, &path)
                    && let Some(inner) = map.remove(&old)
                {
                    map.insert(
                        SPECIAL_KEYS[key.index(SPECIAL_KEYS.len())].to_owned(),
                        inner,
                    );
                }
            }
            JsonEdit::Add(at, key, with) => {
                let special = specials[with.index(specials.len())].clone();
                match node_mut(&mut out, &pick(at)) {
                    Some(Value::Object(map)) => {
                        map.insert(
                            SPECIAL_KEYS[key.index(SPECIAL_KEYS.len())].to_owned(),
                            special,
                        );
                    }
                    Some(Value::Array(items)) => items.push(special),
                    _ => {}
                }
            }
            JsonEdit::Copy(from, to) => {
                let Some(copy) = node_mut(&mut out, &pick(from)).map(|n| n.clone()) else {
                    continue;
                };
                if let Some(node) = node_mut(&mut out, &pick(to)) {
                    *node = copy;
                }
            }
        }
    }
    out
}

/// How a valid input is damaged: its bytes, its lines, or its fields (the
/// input read as JSON, edited, and written back in its own format), or its
/// fields and then its bytes.
#[derive(Debug, Clone)]
pub enum Damage {
    /// Byte edits of the valid input.
    Bytes(Vec<ByteEdit>),
    /// Line edits of the valid input.
    Lines(Vec<LineEdit>),
    /// Edits of the input read as JSON.
    Fields(Vec<JsonEdit>),
    /// Field edits, then byte edits of the result.
    FieldsThenBytes(Vec<JsonEdit>, Vec<ByteEdit>),
}

impl Damage {
    /// `valid` damaged; `edit_fields` reads it as JSON, applies the edits
    /// and writes it back.
    pub fn apply(&self, valid: &[u8], edit_fields: impl Fn(&[JsonEdit]) -> Vec<u8>) -> Vec<u8> {
        match self {
            Damage::Bytes(edits) => apply_byte_edits(valid, edits),
            Damage::Lines(edits) => apply_line_edits(valid, edits),
            Damage::Fields(edits) => edit_fields(edits),
            Damage::FieldsThenBytes(fields, bytes) => apply_byte_edits(&edit_fields(fields), bytes),
        }
    }
}

/// One way of damaging a valid input.
pub fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        3 => byte_edits(6).prop_map(Damage::Bytes),
        1 => line_edits(4).prop_map(Damage::Lines),
        3 => json_edits(4).prop_map(Damage::Fields),
        1 => (json_edits(3), byte_edits(3)).prop_map(|(f, b)| Damage::FieldsThenBytes(f, b)),
    ]
}

/// Up to `n` byte edits.
pub fn byte_edits(n: usize) -> impl Strategy<Value = Vec<ByteEdit>> {
    proptest::collection::vec(byte_edit(), 1..=n)
}

/// Up to `n` line edits.
pub fn line_edits(n: usize) -> impl Strategy<Value = Vec<LineEdit>> {
    proptest::collection::vec(line_edit(), 1..=n)
}

/// Up to `n` JSON edits.
pub fn json_edits(n: usize) -> impl Strategy<Value = Vec<JsonEdit>> {
    proptest::collection::vec(json_edit(), 1..=n)
}

/// Arbitrary bytes, from short to long: random, random text, and long runs.
pub fn arbitrary_bytes() -> impl Strategy<Value = Bytes> {
    prop_oneof![
        4 => proptest::collection::vec(any::<u8>(), 0..300),
        2 => proptest::collection::vec(proptest::sample::select(SPECIAL_BYTES.to_vec()), 0..300),
        2 => any::<String>().prop_map(String::into_bytes),
        1 => (any::<u8>(), 0usize..200_000).prop_map(|(b, n)| vec![b; n]),
    ]
    .prop_map(Bytes)
}

/// Local times from the second day of year 1 to the day before the last of
/// 9999: the formats write years 1 to 9999, and an offset cut to whole
/// minutes on export may move the local time by up to a minute.
fn local_seconds() -> std::ops::RangeInclusive<i64> {
    let first = NaiveDate::from_ymd_opt(1, 1, 2)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("valid date");
    let last = NaiveDate::from_ymd_opt(9999, 12, 30)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .expect("valid date");
    first.and_utc().timestamp()..=last.and_utc().timestamp()
}

/// An instant whose local time (at `offset`) lies in the years 1 to 9999.
fn instant(local_s: i64, nanos: u32, offset: i32) -> DateTime<Utc> {
    Utc.timestamp_opt(local_s - i64::from(offset), nanos)
        .single()
        .expect("in chrono's range")
}

fn nanos() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => Just(0u32),
        1 => (0u32..1000).prop_map(|ms| ms * 1_000_000),
        1 => 0u32..1_000_000_000,
    ]
}

/// UTC offsets the log may hold: mostly whole minutes, and now and then
/// one with seconds, as old local mean time had (+00:19:32).
fn offset_seconds() -> impl Strategy<Value = i32> {
    prop_oneof![
        4 => proptest::sample::select(vec![0, 3600, 7200, -4 * 3600, 19800, 20700, -34200]),
        2 => (-1439i32..=1439).prop_map(|m| m * 60),
        1 => -86_399i32..=86_399,
    ]
}

/// Text as a person may type it, plus the characters formats must quote.
fn free_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just(String::new()),
        2 => "[a-z ,\"\r\n\t;:%é痛\u{0}\u{feff}]{0,30}",
        1 => any::<String>(),
    ]
}

/// A routine or exercise id: not blank, no spaces around it.
fn id_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z_]{1,16}",
        1 => any::<String>().prop_filter_map("blank id", |s| {
            let trimmed = s.trim();
            (!trimmed.is_empty()).then(|| trimmed.to_owned())
        }),
    ]
}

fn done(exercise: &str, sets: u32, reps: u32, hold_s: u32, per_side: bool) -> ExerciseDone {
    ExerciseDone {
        exercise: exercise.to_owned(),
        sets,
        reps,
        hold_s,
        per_side,
    }
}

fn exercise_done() -> impl Strategy<Value = ExerciseDone> {
    (
        id_text(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
    )
        .prop_map(|(id, sets, reps, hold_s, per_side)| done(&id, sets, reps, hold_s, per_side))
}

fn kind_and_outcome() -> impl Strategy<Value = (ReminderKind, Outcome)> {
    proptest::sample::select(
        ReminderKind::ALL
            .iter()
            .flat_map(|kind| kind.outcomes().iter().map(move |o| (*kind, *o)))
            .collect::<Vec<_>>(),
    )
}

/// A log entry as the store may hold it, not yet stored (no id).
pub fn entry() -> impl Strategy<Value = Entry> {
    (
        kind_and_outcome(),
        local_seconds(),
        nanos(),
        offset_seconds(),
        proptest::option::of((local_seconds(), nanos())),
        any::<u32>(),
        proptest::option::of(id_text()),
        proptest::option::of(0u8..=10),
        free_text(),
        proptest::collection::vec(exercise_done(), 0..4),
        any::<u32>(),
    )
        .prop_map(
            |(
                (kind, outcome),
                local,
                ns,
                offset,
                due,
                duration_s,
                routine,
                pain,
                note,
                exercises,
                held_s,
            )| {
                let mut e = Entry::new(kind, outcome, instant(local, ns, offset), offset);
                e.due_at = due.map(|(local, ns)| instant(local, ns, offset));
                e.duration_s = duration_s;
                e.routine = routine;
                e.pain = pain;
                e.note = note;
                e.exercises = exercises;
                e.held_s = held_s;
                e
            },
        )
}

/// Up to `n` entries.
pub fn entries(n: usize) -> impl Strategy<Value = Vec<Entry>> {
    proptest::collection::vec(entry(), 0..=n)
}

/// A few realistic entries: the seed files the structure-aware mutations
/// start from.
pub fn sample_entries() -> Vec<Entry> {
    let at = |h, m| {
        Utc.with_ymd_and_hms(2024, 3, 4, h, m, 0)
            .single()
            .expect("valid time")
    };
    let mut check = Entry::new(ReminderKind::PostureCheck, Outcome::Fixed, at(8, 31), 3600);
    check.due_at = Some(at(8, 30));
    let mut walk = Entry::new(ReminderKind::MoveBreak, Outcome::Taken, at(10, 5), 3600);
    walk.duration_s = 300;
    walk.note = "stairs, \"twice\"\nthen water".to_owned();
    let mut session = Entry::new(ReminderKind::Routine, Outcome::Completed, at(17, 20), 3600);
    session.duration_s = 840;
    session.routine = Some("mini".to_owned());
    session.pain = Some(3);
    session.exercises = vec![
        done("glute_bridge", 2, 10, 0, false),
        done("bird_dog", 2, 6, 5, true),
    ];
    let missed = Entry::new(ReminderKind::Routine, Outcome::Missed, at(19, 0), -4 * 3600);
    vec![check, walk, session, missed]
}

fn duration_in(range: std::ops::RangeInclusive<Duration>) -> impl Strategy<Value = Duration> {
    (range.start().as_secs()..=range.end().as_secs()).prop_map(Duration::from_secs)
}

fn minute_of_day() -> impl Strategy<Value = NaiveTime> {
    (0u32..24, 0u32..60).prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).expect("valid time"))
}

fn weekday() -> impl Strategy<Value = Weekday> {
    (0u8..7).prop_map(|d| Weekday::try_from(d).expect("0-6 is a weekday"))
}

/// Settings that pass validation, as the settings window may save them.
pub fn valid_settings() -> impl Strategy<Value = Settings> {
    use rebalance::core::settings::{
        BREAK_DURATION, EVERY_DAYS, EXPIRE_AFTER, HOLD_APPS, HOLD_GRACE, HOLD_LIMIT, INTERVAL,
        MAX_SNOOZES, QUIET_AFTER_BREAK, SNOOZE,
    };
    let durations = (
        duration_in(INTERVAL),
        duration_in(INTERVAL),
        duration_in(BREAK_DURATION),
        duration_in(SNOOZE),
        MAX_SNOOZES,
        duration_in(EXPIRE_AFTER),
        duration_in(QUIET_AFTER_BREAK),
    );
    let rest = (
        any::<[bool; 6]>(),
        EVERY_DAYS,
        minute_of_day(),
        id_text(),
        proptest::option::of(proptest::sample::select(vec![
            ImbalancePattern::GlutesHipFlexors,
            ImbalancePattern::QuadsHamstrings,
            ImbalancePattern::LowerBackCore,
        ])),
        proptest::collection::vec(weekday(), 1..8),
        (minute_of_day(), minute_of_day()),
        (
            proptest::sample::select(vec![Theme::System, Theme::Light, Theme::Dark]),
            weekday(),
            0u32..=1,
        ),
        (
            any::<[bool; 4]>(),
            duration_in(HOLD_GRACE),
            duration_in(HOLD_LIMIT),
            proptest::collection::vec("[a-z][a-z0-9._-]{0,15}", 0..=HOLD_APPS),
        ),
    );
    (durations, rest).prop_filter_map(
        "working hours must not be empty",
        |(
            (posture, move_interval, break_length, snooze, max_snoozes, expire, quiet),
            (
                flags,
                every_days,
                at,
                routine,
                pattern,
                days,
                (a, b),
                (theme, first_day, version),
                (signals, grace, limit, apps),
            ),
        )| {
            if a == b {
                return None;
            }
            Some(Settings {
                version,
                posture: PostureSettings {
                    enabled: flags[0],
                    interval: posture,
                },
                move_break: MoveBreakSettings {
                    enabled: flags[1],
                    interval: move_interval.max(break_length + Duration::from_secs(1)),
                    duration: break_length,
                },
                routine: RoutineSettings {
                    enabled: flags[2],
                    every_days,
                    at,
                    routine,
                    pattern,
                },
                reminders: ReminderSettings {
                    snooze,
                    max_snoozes,
                    expire_after: expire,
                    quiet_after_break: quiet,
                },
                working_hours: WorkingHours {
                    days,
                    start: a.min(b),
                    end: a.max(b),
                },
                notifications: NotificationSettings { sound: flags[3] },
                hold: HoldSettings {
                    calls: signals[0],
                    full_screen: signals[1],
                    do_not_disturb: signals[2],
                    presentations: signals[3],
                    apps,
                    grace,
                    limit: limit.max(grace + Duration::from_secs(60)),
                },
                startup: StartupSettings {
                    autostart: flags[4],
                },
                appearance: AppearanceSettings {
                    theme,
                    first_day_of_week: first_day,
                    reduce_motion: flags[5],
                },
            })
        },
    )
}

// Only the IPC target, which needs Unix sockets, uses it.
#[cfg_attr(not(unix), allow(dead_code))]
fn reminder_kind() -> impl Strategy<Value = ReminderKind> {
    proptest::sample::select(ReminderKind::ALL.to_vec())
}

// Only the IPC target, which needs Unix sockets, uses it.
#[cfg_attr(not(unix), allow(dead_code))]
fn answer() -> impl Strategy<Value = Answer> {
    proptest::sample::select(vec![
        Answer::AllGood,
        Answer::FixedIt,
        Answer::Done,
        Answer::Snooze,
        Answer::Skip,
    ])
}

/// Any request a client may send.
// Only the IPC target, which needs Unix sockets, uses it.
#[cfg_attr(not(unix), allow(dead_code))]
pub fn request() -> impl Strategy<Value = Request> {
    prop_oneof![
        Just(Request::Ping),
        Just(Request::Status),
        proptest::option::of(any::<u64>()).prop_map(|known| Request::WatchStatus { known }),
        prop_oneof![
            any::<u64>().prop_map(|s| PauseLength::For(Duration::from_secs(s))),
            Just(PauseLength::UntilTomorrow),
            Just(PauseLength::UntilResumed),
        ]
        .prop_map(|length| Request::Pause { length }),
        Just(Request::Resume),
        reminder_kind().prop_map(|kind| Request::Trigger { kind }),
        (proptest::option::of(reminder_kind()), answer())
            .prop_map(|(kind, answer)| Request::Answer { kind, answer }),
        reminder_kind().prop_map(|kind| Request::Start { kind }),
        entry().prop_map(|entry| Request::Record { entry }),
        valid_settings().prop_map(|settings| Request::ApplySettings { settings }),
        proptest::option::of(proptest::sample::select(View::TABS.to_vec()))
            .prop_map(|view| Request::Open { view }),
        Just(Request::Quit),
    ]
}

/// One of each request, the seeds of the request mutations.
// Only the IPC target, which needs Unix sockets, uses it.
#[cfg_attr(not(unix), allow(dead_code))]
pub fn sample_requests() -> Vec<Request> {
    let entries = sample_entries();
    vec![
        Request::Ping,
        Request::Status,
        Request::WatchStatus { known: Some(7) },
        Request::Pause {
            length: PauseLength::For(Duration::from_secs(5400)),
        },
        Request::Pause {
            length: PauseLength::UntilTomorrow,
        },
        Request::Resume,
        Request::Trigger {
            kind: ReminderKind::MoveBreak,
        },
        Request::Answer {
            kind: Some(ReminderKind::PostureCheck),
            answer: Answer::FixedIt,
        },
        Request::Start {
            kind: ReminderKind::Routine,
        },
        Request::Record {
            entry: entries[2].clone(),
        },
        Request::ApplySettings {
            settings: Settings::default(),
        },
        Request::Open {
            view: Some(View::Week),
        },
        Request::Quit,
    ]
}
