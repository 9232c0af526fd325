//! The durable log in SQLite, and the settings file.
