//! The `rebalance` binary: argument parsing and dispatch to the modes.
//!
//! Everything lives in the library: [`rebalance::cli`] parses and runs the
//! commands, [`rebalance::daemon`] is the background service and
//! [`rebalance::ui`] the window.

use std::process::ExitCode;

fn main() -> ExitCode {
    match rebalance::cli::parse_args() {
        Ok(cli) => rebalance::cli::run(cli),
        Err(code) => code,
    }
}
