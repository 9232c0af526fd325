//! The settings file: loading, validating and saving `Settings` as TOML.
