//! Start at login on Windows: a value named "Rebalance" under the current
//! user's Run key (`HKCU\Software\Microsoft\Windows\CurrentVersion\Run`)
//! holding the quoted executable path and `daemon` (see
//! [`run_key_value`]). Only the user's own hive is touched, so no
//! administrator rights are needed.

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::ptr;

use windows_sys::Win32::Foundation::{ERROR_FILE_NOT_FOUND, WIN32_ERROR};
use windows_sys::Win32::System::Registry::{
    HKEY, HKEY_CURRENT_USER, KEY_SET_VALUE, REG_OPTION_NON_VOLATILE, REG_SZ, RRF_RT_REG_SZ,
    RegCloseKey, RegCreateKeyExW, RegDeleteKeyValueW, RegGetValueW, RegSetValueExW,
};

use super::security::wide;
use crate::platform::windows_text::{RUN_VALUE_NAME, run_key_value};

/// The Run key, under `HKEY_CURRENT_USER`.
const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";

/// Why the login entry could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum AutostartError {
    /// Writing or removing the Run-key value failed.
    #[error("cannot update the login entry HKCU\\{RUN_KEY}\\{RUN_VALUE_NAME}: {0}")]
    Registry(io::Error),
    /// The executable's path cannot be written in the value.
    #[error("cannot start {} at login: its path holds a quote", .0.display())]
    UnusablePath(PathBuf),
}

fn check(rc: WIN32_ERROR) -> Result<(), AutostartError> {
    if rc == 0 {
        Ok(())
    } else {
        Err(AutostartError::Registry(io::Error::from_raw_os_error(
            rc as i32,
        )))
    }
}

/// Adds (launching `exe daemon`) or removes the Run-key value.
pub fn set_autostart(enabled: bool, exe: &Path) -> Result<(), AutostartError> {
    let key_name = wide(OsStr::new(RUN_KEY));
    let value_name = wide(OsStr::new(RUN_VALUE_NAME));
    if !enabled {
        // SAFETY: both names are NUL-terminated.
        let rc = unsafe {
            RegDeleteKeyValueW(HKEY_CURRENT_USER, key_name.as_ptr(), value_name.as_ptr())
        };
        return if rc == ERROR_FILE_NOT_FOUND {
            Ok(())
        } else {
            check(rc)
        };
    }
    // A quote inside the path would end the quoted path early.
    if exe.as_os_str().to_string_lossy().contains('"') {
        return Err(AutostartError::UnusablePath(exe.to_path_buf()));
    }
    let data = wide(OsStr::new(&run_key_value(exe)));
    let mut key: HKEY = ptr::null_mut();
    // SAFETY: the name is NUL-terminated; `key` is valid for the write.
    check(unsafe {
        RegCreateKeyExW(
            HKEY_CURRENT_USER,
            key_name.as_ptr(),
            0,
            ptr::null(),
            REG_OPTION_NON_VOLATILE,
            KEY_SET_VALUE,
            ptr::null(),
            &mut key,
            ptr::null_mut(),
        )
    })?;
    let bytes = u32::try_from(data.len() * 2).unwrap_or(u32::MAX);
    // SAFETY: `key` is open; `data` holds `bytes` bytes including the NUL.
    let rc = unsafe {
        RegSetValueExW(
            key,
            value_name.as_ptr(),
            0,
            REG_SZ,
            data.as_ptr().cast(),
            bytes,
        )
    };
    // SAFETY: `key` was opened above and is closed once.
    unsafe { RegCloseKey(key) };
    check(rc)
}

/// Whether the Run key starts Rebalance at login (false when it cannot be
/// told).
pub fn autostart_enabled() -> bool {
    let key_name = wide(OsStr::new(RUN_KEY));
    let value_name = wide(OsStr::new(RUN_VALUE_NAME));
    let mut size = 0u32;
    // SAFETY: asking for the size only; both names are NUL-terminated.
    let rc = unsafe {
        RegGetValueW(
            HKEY_CURRENT_USER,
            key_name.as_ptr(),
            value_name.as_ptr(),
            RRF_RT_REG_SZ,
            ptr::null_mut(),
            ptr::null_mut(),
            &mut size,
        )
    };
    // An empty string is two bytes (the NUL).
    rc == 0 && size > 2
}
