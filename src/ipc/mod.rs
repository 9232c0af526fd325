//! Requests and replies between clients and the daemon, over a private local socket.
//!
//! The wire format is newline-delimited JSON: one [`Request`] object per line
//! from the client, one [`Response`] object per line back. The socket lives in
//! the user's runtime folder with mode 0600, and the daemon refuses peers
//! running as another user.

pub mod client;
pub mod protocol;
pub mod server;

pub use client::{Client, IpcError};
pub use protocol::{Degraded, Feature, Pause, Request, Response, StatusReport, TodayCounts};
