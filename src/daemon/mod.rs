//! The headless background service: wires the engine to the platform and the log.
