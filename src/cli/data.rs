//! Command-line commands over the log: stats, export, import, report.
