//! Rebalance: posture checks, movement breaks and corrective routines for
//! people whose back pain comes from muscle imbalance.
//!
//! The crate's map, one line per module:
//! - [`cli`]: command-line definitions and commands;
//! - [`core`]: pure logic (reminder engine, settings model, catalogue, statistics);
//! - [`store`]: the SQLite log and the settings file;
//! - [`exchange`]: export, import and the therapist report;
//! - [`ipc`]: requests and replies between the window, the command line and the daemon;
//! - [`platform`]: notifications, tray, idle detection, autostart, paths and the
//!   operating-system primitives (the only module that calls OS APIs directly),
//!   and the traits the daemon acts through (`platform::seams`);
//! - [`daemon`]: the headless background service: its decisions as one pure
//!   step (`daemon::step`), and the shell that feeds it the clock and the
//!   desktop's events and carries out its effects through the seams
//!   (`daemon::service`);
//! - [`ui`]: the egui window, a client of the daemon.

pub mod cli;
pub mod core;
pub mod daemon;
pub mod exchange;
pub mod ipc;
pub mod platform;
pub mod store;
pub mod ui;
