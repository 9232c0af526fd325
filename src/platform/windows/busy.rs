//! Windows busy signals: is this the wrong moment for a reminder? An app on
//! the user's list running (the process list), then what the shell says
//! about notifications now (`SHQueryUserNotificationState`): a full-screen
//! app or game, presentation mode, or quiet time / Focus assist. A call
//! (microphone or camera in use) is not detected on Windows yet; a listed
//! call app ("zoom", "teams") holds reminders instead.

use std::io;
use std::os::windows::io::{FromRawHandle, OwnedHandle};

use windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE;
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, PROCESSENTRY32W, Process32FirstW, Process32NextW, TH32CS_SNAPPROCESS,
};
use windows_sys::Win32::UI::Shell::SHQueryUserNotificationState;

use crate::core::busy::BusyReason;
use crate::core::settings::HoldSettings;
use crate::platform::windows_text::{held_by_notification_state, process_matches};

/// Reads the busy signals of this session.
#[derive(Debug, Default)]
pub struct BusyProbe;

impl BusyProbe {
    /// The probe for this session.
    pub fn new() -> Self {
        BusyProbe
    }

    /// The first busy signal found among those `hold` switches on.
    pub async fn read(&self, hold: &HoldSettings) -> Option<BusyReason> {
        if let Some(app) = self.listed_app_running(&hold.apps) {
            return Some(BusyReason::App(app));
        }
        held_by_notification_state(notification_state()?, hold)
    }

    /// The first app of `apps` (as the user listed it) that is running.
    pub fn listed_app_running(&self, apps: &[String]) -> Option<String> {
        if apps.iter().all(|app| app.trim().is_empty()) {
            return None;
        }
        let running = match process_names() {
            Ok(names) => names,
            Err(err) => {
                tracing::debug!("cannot list processes: {err}");
                return None;
            }
        };
        apps.iter()
            .find(|app| running.iter().any(|name| process_matches(name, app)))
            .cloned()
    }
}

/// The shell's notification state now; `None` when it does not answer.
fn notification_state() -> Option<i32> {
    let mut state = 0;
    // SAFETY: `state` is valid for the write.
    let rc = unsafe { SHQueryUserNotificationState(&mut state) };
    (rc >= 0).then_some(state)
}

/// The image names of every running process ("zoom.exe").
fn process_names() -> io::Result<Vec<String>> {
    // SAFETY: plain call; the handle is checked and then owned.
    let raw = unsafe { CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0) };
    if raw == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh handle nothing else owns.
    let snapshot = unsafe { OwnedHandle::from_raw_handle(raw) };
    let handle = raw;
    let mut entry = PROCESSENTRY32W {
        dwSize: size_of::<PROCESSENTRY32W>() as u32,
        ..PROCESSENTRY32W::default()
    };
    let mut names = Vec::new();
    // SAFETY: `entry` carries its size; the snapshot lives until the end.
    let mut more = unsafe { Process32FirstW(handle, &mut entry) } != 0;
    while more {
        let len = entry
            .szExeFile
            .iter()
            .position(|&c| c == 0)
            .unwrap_or(entry.szExeFile.len());
        names.push(String::from_utf16_lossy(&entry.szExeFile[..len]));
        // SAFETY: as above.
        more = unsafe { Process32NextW(handle, &mut entry) } != 0;
    }
    drop(snapshot);
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::windows_text::notification_state as ours;
    use windows_sys::Win32::UI::Shell as shell;

    #[test]
    fn the_shared_state_numbers_are_the_shells() {
        assert_eq!(ours::NOT_PRESENT, shell::QUNS_NOT_PRESENT);
        assert_eq!(ours::BUSY, shell::QUNS_BUSY);
        assert_eq!(
            ours::RUNNING_D3D_FULL_SCREEN,
            shell::QUNS_RUNNING_D3D_FULL_SCREEN
        );
        assert_eq!(ours::PRESENTATION_MODE, shell::QUNS_PRESENTATION_MODE);
        assert_eq!(
            ours::ACCEPTS_NOTIFICATIONS,
            shell::QUNS_ACCEPTS_NOTIFICATIONS
        );
        assert_eq!(ours::QUIET_TIME, shell::QUNS_QUIET_TIME);
        assert_eq!(ours::APP, shell::QUNS_APP);
    }

    #[test]
    fn this_test_process_is_in_the_process_list() {
        let names = process_names().expect("a process list");
        let exe = std::env::current_exe().expect("our path");
        let ours = exe.file_name().expect("a name").to_string_lossy();
        assert!(names.iter().any(|n| process_matches(n, &ours)), "{names:?}");
    }
}
