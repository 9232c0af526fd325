//! The command line: clap definitions and the commands that talk to the daemon.

pub mod data;
pub mod generate;
pub mod status_text;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use crate::core::model::{Answer, ReminderKind};
use crate::core::schedule::PauseLength;
use crate::core::text_format::{format_duration, parse_duration};
use crate::core::view::View;
use crate::daemon::{BindError, describe, launch};
use crate::ipc::{Client, IpcError, Request, Response, StatusReport, client};
use crate::platform::paths::AppPaths;
use crate::store::settings_file::load_settings;

/// Exit codes a script can rely on.
pub mod exit {
    /// Done.
    pub const OK: u8 = 0;
    /// The daemon refused (nothing waiting for an answer, snooze limit,
    /// invalid settings), or a command failed.
    pub const REFUSED: u8 = 1;
    /// `rebalance daemon`: another daemon is already running.
    pub const ALREADY_RUNNING: u8 = 2;
    /// The daemon is not running.
    pub const NOT_RUNNING: u8 = 3;
    /// The daemon is running but did not answer properly (timeout, closed
    /// connection, unreadable reply).
    pub const NO_ANSWER: u8 = 4;
    /// The command line itself is wrong (unknown command, bad argument).
    pub const USAGE: u8 = 64;
}

const EXIT_CODES_HELP: &str = "\
Exit codes:
  0   done
  1   refused or failed (for example nothing is waiting for an answer)
  2   `rebalance daemon`: another daemon is already running
  3   the daemon is not running (start it with `rebalance` or `rebalance daemon`)
  4   the daemon did not answer properly (timeout or unreadable reply)
  64  wrong usage (unknown command or bad argument)

Without a command, `rebalance` starts the daemon if it is not running and
opens the window. Running it again (or `rebalance open`) while the window is
open brings that window to the front, on the view asked for, instead of
opening another.";

const NOT_RUNNING_MESSAGE: &str =
    "Rebalance is not running; start it with `rebalance` or `rebalance daemon`.";

/// Posture checks, move breaks and corrective routines for back pain caused
/// by muscle imbalance.
#[derive(Debug, Parser)]
#[command(name = "rebalance", version, about, after_long_help = EXIT_CODES_HELP)]
pub struct Cli {
    /// What to do; without one, start the daemon if needed and open the window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the background service in the foreground: reminders, tray, idle
    /// detection and the log. Exits with 2 if one is already running.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Daemon,
    /// Show the next reminders, whether reminders are paused, what waits for
    /// an answer and today's counts.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Status {
        /// Print the daemon's full status as JSON, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Pause every reminder.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Pause {
        /// How long: a duration ("30m", "1h", "1h30m"), `until-tomorrow`
        /// or `until-resumed`.
        #[arg(value_parser = parse_pause)]
        length: PauseLength,
    },
    /// End a pause.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Resume,
    /// Show a move break reminder now, exactly as if it had fallen due.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Break,
    /// Show a posture check now, exactly as if it had fallen due.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Check,
    /// Show the routine reminder now, exactly as if it had fallen due.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Routine,
    /// Show a test reminder to see that notifications and their buttons
    /// work; its answer shows in `status --json` (`test_answer`) and is
    /// never logged.
    #[command(after_long_help = EXIT_CODES_HELP)]
    TestReminder,
    /// Snooze the reminder waiting for an answer (exit 1 if none is).
    #[command(after_long_help = EXIT_CODES_HELP)]
    Snooze {
        /// Which one, when several wait; the oldest by default.
        kind: Option<KindArg>,
    },
    /// Skip the reminder waiting for an answer (exit 1 if none is).
    #[command(after_long_help = EXIT_CODES_HELP)]
    Skip {
        /// Which one, when several wait; the oldest by default.
        kind: Option<KindArg>,
    },
    /// Ask the daemon to open the window.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Open {
        /// The view to show.
        #[arg(long, value_enum)]
        view: Option<View>,
    },
    /// Stop the daemon (reminders stop until it is started again).
    #[command(after_long_help = EXIT_CODES_HELP)]
    Quit,
    /// Show one week's figures from the log (works without the daemon).
    #[command(after_long_help = EXIT_CODES_HELP)]
    Stats(data::StatsArgs),
    /// Export the log as CSV or JSON Lines (works without the daemon).
    #[command(after_long_help = EXIT_CODES_HELP)]
    Export(data::ExportArgs),
    /// Import entries from a CSV or JSON Lines file into the log.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Import(data::ImportArgs),
    /// Write an HTML report of the last weeks for a therapist.
    #[command(after_long_help = EXIT_CODES_HELP)]
    Report(data::ReportArgs),
    /// Open the window in this process (used by the daemon).
    #[command(hide = true)]
    Window {
        /// The view to show first.
        #[arg(long, value_enum)]
        view: Option<View>,
    },
    /// Show a reminder in a small window (used by the daemon when no
    /// notification server is running).
    #[command(hide = true)]
    Prompt {
        /// Which reminder.
        #[arg(long)]
        kind: KindArg,
    },
    /// Write the manual pages or shell completions (used for packaging).
    #[command(hide = true)]
    Generate(generate::GenerateArgs),
}

/// A reminder kind as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// The posture check.
    #[value(
        name = "posture",
        alias = "check",
        alias = "posture-check",
        alias = "posture_check"
    )]
    Posture,
    /// The move break.
    #[value(name = "break", alias = "move-break", alias = "move_break")]
    Break,
    /// The corrective routine.
    #[value(name = "routine")]
    Routine,
}

impl From<KindArg> for ReminderKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Posture => ReminderKind::PostureCheck,
            KindArg::Break => ReminderKind::MoveBreak,
            KindArg::Routine => ReminderKind::Routine,
        }
    }
}

/// Parses a pause length: "30m", "1h30m", "until-tomorrow", "until-resumed".
pub fn parse_pause(text: &str) -> Result<PauseLength, String> {
    match text.trim() {
        "until-tomorrow" | "tomorrow" => Ok(PauseLength::UntilTomorrow),
        "until-resumed" | "indefinitely" => Ok(PauseLength::UntilResumed),
        other => match parse_duration(other) {
            Ok(d) if d.is_zero() => Err("a pause must last longer than 0m".to_owned()),
            Ok(d) => Ok(PauseLength::For(d)),
            Err(err) => Err(format!("{err}, or until-tomorrow, or until-resumed")),
        },
    }
}

/// Parses the arguments; wrong usage exits with [`exit::USAGE`], `--help`
/// and `--version` with 0.
pub fn parse_args() -> Result<Cli, ExitCode> {
    Cli::try_parse().map_err(|err| {
        let _ = err.print();
        ExitCode::from(if err.use_stderr() {
            exit::USAGE
        } else {
            exit::OK
        })
    })
}

/// Runs the parsed command line and returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    let paths = match AppPaths::from_env() {
        Ok(paths) => paths,
        Err(err) => {
            eprintln!("rebalance: {err}");
            return ExitCode::from(exit::REFUSED);
        }
    };
    let code = match cli.command {
        None => open_window_here(paths, None, true),
        Some(Command::Daemon) => run_daemon(paths),
        Some(Command::Window { view }) => open_window_here(paths, view, false),
        Some(Command::Prompt { kind }) => {
            report_failure(crate::ui::run_prompt_window(paths, kind.into()))
        }
        Some(Command::Status { json }) => status(&paths, json),
        Some(Command::Pause { length }) => {
            simple(&paths, &Request::Pause { length }, &pause_message(length))
        }
        Some(Command::Resume) => simple(&paths, &Request::Resume, "Reminders are back on."),
        Some(Command::Break) => trigger(&paths, ReminderKind::MoveBreak),
        Some(Command::Check) => trigger(&paths, ReminderKind::PostureCheck),
        Some(Command::Routine) => trigger(&paths, ReminderKind::Routine),
        Some(Command::TestReminder) => simple(
            &paths,
            &Request::TestReminder,
            "Test reminder shown; answer it with one of its buttons.",
        ),
        Some(Command::Snooze { kind }) => answer(&paths, kind.map(Into::into), Answer::Snooze),
        Some(Command::Skip { kind }) => answer(&paths, kind.map(Into::into), Answer::Skip),
        Some(Command::Open { view }) => simple(&paths, &Request::Open { view }, ""),
        Some(Command::Quit) => quit(&paths),
        Some(Command::Stats(args)) => report_failure(data::run_stats(&args, &data_context(&paths))),
        Some(Command::Export(args)) => {
            report_failure(data::run_export(&args, &data_context(&paths)))
        }
        Some(Command::Import(args)) => {
            report_failure(data::run_import(&args, &data_context(&paths)))
        }
        Some(Command::Report(args)) => {
            report_failure(data::run_report(&args, &data_context(&paths)))
        }
        Some(Command::Generate(args)) => report_failure(generate::run(&args)),
    };
    ExitCode::from(code)
}

/// The log and settings for the data commands. A settings warning is shown
/// once here, since those commands print nothing else about settings.
fn data_context(paths: &AppPaths) -> data::DataContext {
    let loaded = load_settings(&paths.config_file);
    if let Some(warning) = loaded.warning {
        eprintln!("rebalance: settings: {warning}");
    }
    data::DataContext {
        db_path: paths.db_file.clone(),
        settings: loaded.settings,
    }
}

fn report_failure(result: anyhow::Result<()>) -> u8 {
    match result {
        Ok(()) => exit::OK,
        Err(err) => {
            eprintln!("rebalance: {err:#}");
            exit::REFUSED
        }
    }
}

fn run_daemon(paths: AppPaths) -> u8 {
    match crate::daemon::run_daemon(paths) {
        Ok(()) => exit::OK,
        Err(err) => {
            if let Some(BindError::AlreadyRunning { .. }) = err.downcast_ref::<BindError>() {
                eprintln!("rebalance: {err}; not starting another.");
                exit::ALREADY_RUNNING
            } else {
                eprintln!("rebalance: {err:#}");
                exit::REFUSED
            }
        }
    }
}

/// Opens the window in this process, first starting the daemon when asked.
fn open_window_here(paths: AppPaths, view: Option<View>, start_daemon: bool) -> u8 {
    if start_daemon {
        if let Err(err) = paths.ensure_private_dirs() {
            eprintln!("rebalance: {err}");
            return exit::REFUSED;
        }
        // The window works on the log without the daemon, so a failure to
        // start it is reported and the window still opens.
        if let Err(err) = launch::ensure_daemon(&paths.socket, &paths.log_file) {
            eprintln!("rebalance: {err}; reminders are off until it runs.");
        }
    }
    report_failure(crate::ui::run_window(paths, view))
}

/// Sends `request`; prints why it failed and returns the exit code if so.
fn exchange(paths: &AppPaths, request: &Request) -> Result<Response, u8> {
    let reply = Client::connect(&paths.socket).and_then(|mut c| c.request(request));
    match reply {
        Ok(Response::Error { message }) => {
            eprintln!("rebalance: {message}");
            Err(exit::REFUSED)
        }
        Ok(reply) => Ok(reply),
        Err(IpcError::NotRunning { .. }) => {
            eprintln!("{NOT_RUNNING_MESSAGE}");
            Err(exit::NOT_RUNNING)
        }
        Err(err) => {
            eprintln!("rebalance: {err}");
            Err(exit::NO_ANSWER)
        }
    }
}

fn simple(paths: &AppPaths, request: &Request, done: &str) -> u8 {
    match exchange(paths, request) {
        Ok(_) => {
            if !done.is_empty() {
                println!("{done}");
            }
            exit::OK
        }
        Err(code) => code,
    }
}

fn pause_message(length: PauseLength) -> String {
    match length {
        PauseLength::For(d) => format!("Reminders paused for {}.", format_duration(d)),
        PauseLength::UntilTomorrow => "Reminders paused until tomorrow.".to_owned(),
        PauseLength::UntilResumed => {
            "Reminders paused until you resume them (`rebalance resume`).".to_owned()
        }
    }
}

fn fetch_status(paths: &AppPaths) -> Result<StatusReport, u8> {
    match exchange(paths, &Request::Status)? {
        Response::Status(report) => Ok(report),
        other => {
            eprintln!("rebalance: unexpected reply to status: {other:?}");
            Err(exit::NO_ANSWER)
        }
    }
}

fn status(paths: &AppPaths, json: bool) -> u8 {
    let report = match fetch_status(paths) {
        Ok(report) => report,
        Err(code) => return code,
    };
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(err) => {
                eprintln!("rebalance: cannot write the status as JSON: {err}");
                return exit::REFUSED;
            }
        }
    } else {
        print!("{}", status_text::render(&report));
    }
    exit::OK
}

fn trigger(paths: &AppPaths, kind: ReminderKind) -> u8 {
    simple(
        paths,
        &Request::Trigger { kind },
        &format!("{} shown now.", kind.label()),
    )
}

fn answer(paths: &AppPaths, kind: Option<ReminderKind>, answer: Answer) -> u8 {
    let report = match fetch_status(paths) {
        Ok(report) => report,
        Err(code) => return code,
    };
    let kind = match kind {
        Some(kind) if report.pending_of(kind).is_some() => kind,
        Some(kind) => {
            eprintln!(
                "No {} is waiting for an answer.",
                describe::short_name(kind)
            );
            return exit::REFUSED;
        }
        // The report lists pending reminders oldest first.
        None => match report.pending.first() {
            Some(pending) => pending.kind,
            None => {
                eprintln!("Nothing is waiting for an answer.");
                return exit::REFUSED;
            }
        },
    };
    let done = match answer {
        Answer::Snooze => "snoozed",
        _ => "skipped",
    };
    simple(
        paths,
        &Request::Answer {
            kind: Some(kind),
            answer,
        },
        &format!("{} {done}.", kind.label()),
    )
}

fn quit(paths: &AppPaths) -> u8 {
    match Client::connect(&paths.socket).and_then(|mut c| c.request(&Request::Quit)) {
        // The daemon may close the connection as it goes: that is a yes.
        Ok(Response::Ok) | Err(IpcError::Closed) => {}
        Ok(Response::Error { message }) => {
            eprintln!("rebalance: {message}");
            return exit::REFUSED;
        }
        Ok(other) => {
            eprintln!("rebalance: unexpected reply to quit: {other:?}");
            return exit::NO_ANSWER;
        }
        Err(IpcError::NotRunning { .. }) => {
            eprintln!("{NOT_RUNNING_MESSAGE}");
            return exit::NOT_RUNNING;
        }
        Err(err) => {
            eprintln!("rebalance: {err}");
            return exit::NO_ANSWER;
        }
    }
    let asked = Instant::now();
    while asked.elapsed() < Duration::from_secs(5) {
        if !client::is_running(&paths.socket, Duration::from_millis(500)) {
            println!("Rebalance stopped.");
            return exit::OK;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("rebalance: the daemon acknowledged quit but is still answering.");
    exit::NO_ANSWER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_lengths_parse() {
        assert_eq!(
            parse_pause("1h"),
            Ok(PauseLength::For(Duration::from_secs(3600)))
        );
        assert_eq!(
            parse_pause("1h30m"),
            Ok(PauseLength::For(Duration::from_secs(5400)))
        );
        assert_eq!(
            parse_pause("until-tomorrow"),
            Ok(PauseLength::UntilTomorrow)
        );
        assert_eq!(parse_pause("until-resumed"), Ok(PauseLength::UntilResumed));
    }

    #[test]
    fn bad_pause_lengths_explain_themselves() {
        let err = parse_pause("soon").unwrap_err();
        assert!(err.contains("until-tomorrow"), "{err}");
        assert!(parse_pause("90").unwrap_err().contains("no unit"));
        assert!(parse_pause("0m").is_err());
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn kinds_accept_the_daemon_machine_names() {
        let cli = Cli::try_parse_from(["rebalance", "prompt", "--kind", "move_break"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Prompt {
                kind: KindArg::Break
            })
        ));
        let cli = Cli::try_parse_from(["rebalance", "snooze", "check"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Snooze {
                kind: Some(KindArg::Posture)
            })
        ));
    }
}
