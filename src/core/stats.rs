//! Weekly figures, streaks, adherence and the pain trend, computed from log entries.
