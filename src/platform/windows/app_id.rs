//! The app's identity for toasts: the AppUserModelID registered for the
//! current user with the app's display name and icon, so Windows shows
//! "Rebalance" and its icon on every reminder instead of a bare id.

use std::path::{Path, PathBuf};

use windows_sys::Win32::Foundation::ERROR_SUCCESS;
use windows_sys::Win32::System::Registry::{HKEY_CURRENT_USER, REG_SZ, RegSetKeyValueW};

use crate::platform::APP_NAME;
use crate::platform::toast_xml::app_user_model_key;

/// The app's icon, shipped inside the executable so the toast icon exists
/// whether or not an installer put one on disk.
const ICON_PNG: &[u8] = include_bytes!("../../../assets/icons/rebalance-128.png");
/// The file name the icon is written under.
const ICON_FILE: &str = "rebalance-toast.png";

/// Why the identity could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum AppIdError {
    /// The icon file could not be written.
    #[error("cannot write the toast icon {}: {source}", path.display())]
    Icon {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A registry value could not be set.
    #[error("cannot set {value} under HKEY_CURRENT_USER\\{key} (error {code})")]
    Registry {
        /// The key.
        key: String,
        /// The value name.
        value: &'static str,
        /// The Win32 error code.
        code: u32,
    },
}

/// Writes the icon into `icon_dir` (when missing or changed) and sets the
/// display name and icon of the AppUserModelID for the current user.
pub fn register(icon_dir: &Path) -> Result<(), AppIdError> {
    let icon = icon_dir.join(ICON_FILE);
    if std::fs::read(&icon).ok().as_deref() != Some(ICON_PNG) {
        std::fs::create_dir_all(icon_dir)
            .and_then(|()| std::fs::write(&icon, ICON_PNG))
            .map_err(|source| AppIdError::Icon {
                path: icon.clone(),
                source,
            })?;
    }
    let key = app_user_model_key();
    set_string(&key, "DisplayName", APP_NAME)?;
    set_string(&key, "IconUri", &icon.to_string_lossy())?;
    Ok(())
}

/// Sets a REG_SZ value, creating the key if needed.
fn set_string(key: &str, value: &'static str, data: &str) -> Result<(), AppIdError> {
    let wide_key = wide(key);
    let wide_value = wide(value);
    let wide_data = wide(data);
    let bytes = u32::try_from(wide_data.len() * 2).unwrap_or(u32::MAX);
    // SAFETY: every pointer is to a NUL-terminated UTF-16 buffer that lives
    // across the call, and `bytes` is the data buffer's size in bytes.
    let code = unsafe {
        RegSetKeyValueW(
            HKEY_CURRENT_USER,
            wide_key.as_ptr(),
            wide_value.as_ptr(),
            REG_SZ,
            wide_data.as_ptr().cast(),
            bytes,
        )
    };
    if code == ERROR_SUCCESS {
        Ok(())
    } else {
        Err(AppIdError::Registry {
            key: key.to_owned(),
            value,
            code,
        })
    }
}

/// `text` as NUL-terminated UTF-16.
fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}
