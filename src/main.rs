//! The `rebalance` binary: argument parsing and dispatch to the modes.

fn main() {
    println!("rebalance {}", env!("CARGO_PKG_VERSION"));
}
