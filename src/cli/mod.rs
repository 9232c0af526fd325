//! The command line: clap definitions and the commands that talk to the daemon.

pub mod data;
