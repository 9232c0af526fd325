//! Desktop integration: notifications, tray, idle and lock detection, autostart, paths.
