//! The Linux desktop: notifications, tray, idle and lock, suspend, the
//! busy signals and autostart, over D-Bus, X11 and `/proc`. (Built for
//! every Unix; the freedesktop services it asks for are what a BSD desktop
//! offers too.)

pub mod autostart;
pub mod busy;
mod icon_theme;
pub mod idle;
pub mod notifications;
pub mod sleep;
pub mod tray;
