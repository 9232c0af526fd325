//! The built-in exercise catalogue and routines, and user routines.
