//! Fuzz targets for every parser of outside input: daemon requests
//! ([`ipc`]), imported log files ([`import`]), and the settings file with
//! its duration and clock text ([`settings`]). Each target feeds arbitrary
//! bytes and damaged copies of valid input (written by the real writers,
//! then with bytes, lines and fields flipped, dropped, repeated or spliced)
//! and checks that the parser answers with a value or a readable reason,
//! never panics or hangs, and that what it accepts survives a round trip.
//!
//! Case counts: each target runs a short default in `cargo test` (256
//! cases, 32 for targets that open a database, files or sockets).
//! `REBALANCE_FUZZ_CASES=N` raises every cheap target to `N` cases (costly
//! ones run `N / 8`), and `REBALANCE_FUZZ_SECONDS=S` stops each target after
//! about `S` seconds, whichever comes first; `scripts/fuzz.sh` runs them
//! longer. Each target prints how many cases it ran (`--nocapture`).
//! Failing seeds are kept in `proptest-regressions/<target>.txt` and replayed
//! first on the next run; crashes found are pinned as named tests in
//! `tests/fuzz_regressions.rs`.

mod import;
// Fuzzes requests over the Unix socket.
#[cfg(unix)]
mod ipc;
mod settings;
mod support;
