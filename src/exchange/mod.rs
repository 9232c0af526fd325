//! Export and import of the log (CSV, JSON Lines) and the HTML report for a therapist.
