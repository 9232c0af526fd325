//! Manual pages and shell completions, generated from the command-line
//! definition itself so they always describe the commands this build has.
//! Packaging runs `rebalance generate man --out DIR` and
//! `rebalance generate completions <shell> --out DIR`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Command, CommandFactory, Subcommand};
use clap_complete::{Generator, Shell};
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::Cli;

/// The command's name: the binary, the man page and the completion files.
const NAME: &str = "rebalance";

/// `rebalance generate`: what to write.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The manual pages or a completion script.
    #[command(subcommand)]
    pub what: Generate,
}

/// The generated files.
#[derive(Debug, Subcommand)]
pub enum Generate {
    /// The manual pages: rebalance(1) plus one page per command. Without
    /// --out, rebalance(1) alone is printed.
    Man {
        /// Folder to write rebalance.1 and rebalance-<command>.1 into.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// A completion script for `shell`. Without --out it is printed.
    Completions {
        /// The shell to complete for.
        shell: Shell,
        /// Folder to write the script into, under the name that shell's
        /// completion folder expects (bash: rebalance, zsh: _rebalance,
        /// fish: rebalance.fish).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// Writes what `args` asks for, to standard output or into its folder,
/// printing the paths written.
pub fn run(args: &GenerateArgs) -> anyhow::Result<()> {
    match &args.what {
        Generate::Man { out: None } => {
            let (_, page) = man_pages()?
                .into_iter()
                .next()
                .context("no manual page was produced")?;
            write_stdout(&page)
        }
        Generate::Man { out: Some(dir) } => {
            for (name, page) in man_pages()? {
                write_file(dir, &name, &page)?;
            }
            Ok(())
        }
        Generate::Completions { shell, out: None } => write_stdout(&completion_script(*shell)?),
        Generate::Completions {
            shell,
            out: Some(dir),
        } => write_file(
            dir,
            &completion_file_name(*shell),
            &completion_script(*shell)?,
        ),
    }
}

/// Every manual page as (file name, roff source): `rebalance.1` first, then
/// `rebalance-<command>.1` for each command a user can type.
pub fn man_pages() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command()
        .disable_help_subcommand(true)
        .subcommand_help_heading("COMMANDS");
    root.build();
    let date = page_date();
    let mut pages = vec![(format!("{NAME}.1"), render_page(&root, true, &date)?)];
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_display_name().unwrap_or_else(|| sub.get_name());
        pages.push((format!("{name}.1"), render_page(sub, false, &date)?));
    }
    Ok(pages)
}

/// The date printed on the pages: `SOURCE_DATE_EPOCH` when set, so that a
/// package build is reproducible, else today.
fn page_date() -> String {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(chrono::Utc::now)
        .format("%Y-%m-%d")
        .to_string()
}

/// The completion script for `shell`.
pub fn completion_script(shell: Shell) -> anyhow::Result<Vec<u8>> {
    let mut cmd = Cli::command();
    cmd.set_bin_name(NAME);
    cmd.build();
    let mut script = Vec::new();
    shell
        .try_generate(&cmd, &mut script)
        .with_context(|| format!("cannot generate the {shell} completions"))?;
    Ok(script)
}

/// The file name `shell` looks for in its completion folder.
pub fn completion_file_name(shell: Shell) -> String {
    match shell {
        // bash-completion loads completions/<command> on demand.
        Shell::Bash => NAME.to_owned(),
        other => other.file_name(NAME),
    }
}

/// One page: clap_mangen's sections, with the exit codes under their
/// usual heading and, on the main page, where the files live.
fn render_page(cmd: &Command, main: bool, date: &str) -> io::Result<Vec<u8>> {
    let man = Man::new(cmd.clone())
        .date(date)
        .source(format!("{NAME} {}", env!("CARGO_PKG_VERSION")))
        .manual("Rebalance Manual");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut out)?;
    }
    let mut roff = Roff::new();
    if let Some(after) = cmd.get_after_long_help().or_else(|| cmd.get_after_help()) {
        exit_status_sections(&mut roff, &after.to_string());
    }
    if main {
        files_section(&mut roff);
    }
    roff.to_writer(&mut out)?;
    if cmd.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(out)
}

/// The "Exit codes:" list of the help text as EXIT STATUS, and any
/// paragraphs after it as NOTES.
fn exit_status_sections(roff: &mut Roff, text: &str) {
    let (codes, notes) = match text.split_once("\n\n") {
        Some((first, rest)) => (first, rest),
        None => (text, ""),
    };
    let (codes, notes) = match codes.strip_prefix("Exit codes:") {
        Some(codes) => (codes, notes),
        None => ("", text),
    };
    if !codes.trim().is_empty() {
        roff.control("SH", ["EXIT STATUS"]);
        for line in codes.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (code, meaning) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            roff.control("TP", []);
            roff.text([bold(code)]);
            roff.text([roman(meaning.trim())]);
        }
    }
    let mut paragraphs = notes
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .peekable();
    if paragraphs.peek().is_some() {
        roff.control("SH", ["NOTES"]);
        for paragraph in paragraphs {
            roff.control("PP", []);
            roff.text([roman(paragraph)]);
        }
    }
}

/// Where the app keeps its files (see `platform::paths`), and what it
/// reads from the environment.
fn files_section(roff: &mut Roff) {
    const FILES: &[(&str, &str)] = &[
        (
            "$XDG_CONFIG_HOME/rebalance/settings.toml",
            "The settings (default ~/.config/rebalance/settings.toml), mode 0600. A file that cannot be used is moved aside to settings.toml.bad-DATE and the defaults are used.",
        ),
        (
            "$XDG_DATA_HOME/rebalance/rebalance.db",
            "The log of every reminder and routine, an SQLite database (default ~/.local/share/rebalance/rebalance.db), mode 0600.",
        ),
        (
            "$XDG_DATA_HOME/rebalance/rebalance.log",
            "The background service's log, rotated to rebalance.log.1 at 1 MiB, mode 0600.",
        ),
        (
            "$XDG_RUNTIME_DIR/rebalance/rebalance.sock",
            "The control socket the commands use to talk to the background service (/tmp/rebalance-UID/rebalance.sock without XDG_RUNTIME_DIR), mode 0600; only the same user may connect.",
        ),
        (
            "$XDG_CONFIG_HOME/autostart/rebalance.desktop",
            "Present while \"Start at login\" is on.",
        ),
    ];
    roff.control("SH", ["FILES"]);
    for (path, what) in FILES {
        roff.control("TP", []);
        roff.text([italic(*path)]);
        roff.text([roman(*what)]);
    }
    roff.text([roman(
        "The folders holding these files are created with mode 0700. Rebalance opens no network port.",
    )]);
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in [
        (
            "XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_RUNTIME_DIR",
            "Where the files above live.",
        ),
        (
            "RUST_LOG",
            "How much the background service logs (default: info).",
        ),
    ] {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(what)]);
    }
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .context("cannot write to standard output")
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(name);
    fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The commands a user can type, from the definition itself.
    fn visible_commands() -> Vec<String> {
        Cli::command()
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| s.get_name().to_owned())
            .collect()
    }

    fn main_page() -> String {
        let pages = man_pages().unwrap();
        assert_eq!(pages[0].0, "rebalance.1");
        String::from_utf8(pages[0].1.clone()).unwrap()
    }

    #[test]
    fn the_man_page_names_every_command() {
        let page = main_page();
        let commands = visible_commands();
        for expected in ["daemon", "status", "pause", "stats", "export", "report"] {
            assert!(commands.iter().any(|c| c == expected), "{expected}");
        }
        for command in &commands {
            assert!(
                page.contains(&format!("rebalance\\-{command}(1)")),
                "rebalance.1 does not mention `{command}`"
            );
        }
        assert!(page.starts_with(".ie") && page.contains(".TH rebalance 1"));
        assert!(page.contains(".SH \"EXIT STATUS\"") && page.contains(".SH FILES"));
    }

    #[test]
    fn each_command_has_its_page_and_hidden_ones_none() {
        let pages = man_pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for command in visible_commands() {
            assert!(
                names.contains(&format!("rebalance-{command}.1").as_str()),
                "{names:?}"
            );
        }
        for hidden in ["window", "prompt", "generate", "help"] {
            assert!(
                !names.contains(&format!("rebalance-{hidden}.1").as_str()),
                "{names:?}"
            );
        }
        let pause = &pages
            .iter()
            .find(|(n, _)| n == "rebalance-pause.1")
            .unwrap()
            .1;
        let pause = String::from_utf8_lossy(pause);
        assert!(pause.contains("until\\-tomorrow"), "{pause}");
        assert!(pause.contains(".SH \"EXIT STATUS\""), "{pause}");
    }

    #[test]
    fn exit_codes_become_a_list_and_the_rest_notes() {
        let mut roff = Roff::new();
        exit_status_sections(
            &mut roff,
            "Exit codes:\n  0   done\n  3   not running\n\nWithout a command,\nit opens.",
        );
        let text = roff.to_roff();
        assert!(
            text.contains(".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\ndone\n"),
            "{text}"
        );
        assert!(text.contains(".TP\n\\fB3\\fR\nnot running\n"), "{text}");
        assert!(
            text.contains(".SH NOTES\n.PP\nWithout a command, it opens.\n"),
            "{text}"
        );
    }

    /// The manual page documents the XDG locations.
    #[cfg(unix)]
    #[test]
    fn the_files_section_matches_where_the_files_are() {
        use crate::platform::paths::AppPaths;
        use std::collections::HashMap;
        use std::ffi::OsString;
        let vars: HashMap<&str, &str> = [
            ("XDG_CONFIG_HOME", "/C"),
            ("XDG_DATA_HOME", "/D"),
            ("XDG_RUNTIME_DIR", "/R"),
        ]
        .into();
        let paths = AppPaths::from_vars(|k| vars.get(k).map(OsString::from), None, 1).unwrap();
        let as_documented = |path: &Path| {
            path.to_string_lossy()
                .replacen("/C/", "$XDG_CONFIG_HOME/", 1)
                .replacen("/D/", "$XDG_DATA_HOME/", 1)
                .replacen("/R/", "$XDG_RUNTIME_DIR/", 1)
                // roff escapes the hyphen and the underscore is kept.
                .replace('-', "\\-")
        };
        let page = main_page();
        for path in [
            &paths.config_file,
            &paths.db_file,
            &paths.log_file,
            &paths.socket,
        ] {
            let documented = as_documented(path);
            assert!(page.contains(&documented), "{documented} not in FILES");
        }
    }

    #[test]
    fn completions_cover_every_command_in_each_shell() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let script = String::from_utf8(completion_script(shell).unwrap()).unwrap();
            assert!(script.len() > 500, "{shell}: {script}");
            for command in visible_commands() {
                assert!(
                    script.contains(&command),
                    "{shell} completions lack `{command}`"
                );
            }
        }
        let bash = String::from_utf8(completion_script(Shell::Bash).unwrap()).unwrap();
        assert!(bash.contains("complete -F _rebalance"), "{bash}");
        let zsh = String::from_utf8(completion_script(Shell::Zsh).unwrap()).unwrap();
        assert!(zsh.starts_with("#compdef rebalance"), "{zsh}");
        let fish = String::from_utf8(completion_script(Shell::Fish).unwrap()).unwrap();
        assert!(
            fish.contains(
                "complete -c rebalance -n \"__fish_rebalance_needs_command\" -f -a \"status\""
            ),
            "{fish}"
        );
    }

    #[test]
    fn completion_files_use_the_names_the_shells_load() {
        assert_eq!(completion_file_name(Shell::Bash), "rebalance");
        assert_eq!(completion_file_name(Shell::Zsh), "_rebalance");
        assert_eq!(completion_file_name(Shell::Fish), "rebalance.fish");
    }

    #[test]
    fn generate_writes_into_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        run(&GenerateArgs {
            what: Generate::Man {
                out: Some(dir.path().join("man")),
            },
        })
        .unwrap();
        run(&GenerateArgs {
            what: Generate::Completions {
                shell: Shell::Zsh,
                out: Some(dir.path().to_path_buf()),
            },
        })
        .unwrap();
        assert!(dir.path().join("man/rebalance.1").is_file());
        assert!(dir.path().join("man/rebalance-status.1").is_file());
        assert!(dir.path().join("_rebalance").is_file());
    }
}
