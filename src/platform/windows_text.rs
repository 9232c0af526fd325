//! The text and mappings the Windows implementation builds: security
//! descriptors, named-pipe names, the Run-key value and the shell's
//! notification states. Pure functions, compiled on every platform so their
//! tests run on every build machine, not only on Windows.

use std::path::Path;

use crate::core::busy::BusyReason;

/// A security descriptor (SDDL) for a file: a protected DACL that grants
/// full access to `sid` and to nobody else, inheriting nothing from the
/// folder above.
pub fn owner_only_file_sddl(sid: &str) -> String {
    format!("D:P(A;;FA;;;{sid})")
}

/// A security descriptor (SDDL) for a folder: like
/// [`owner_only_file_sddl`], and passed on to every file and folder created
/// inside (object and container inherit), so new files are owner-only too.
pub fn owner_only_folder_sddl(sid: &str) -> String {
    format!("D:P(A;OICI;FA;;;{sid})")
}

/// A security descriptor (SDDL) for the control pipe: generic-all to `sid`
/// only. Without it a pipe gets the default DACL, which lets Everyone and
/// Anonymous read.
pub fn owner_only_pipe_sddl(sid: &str) -> String {
    format!("D:P(A;;GA;;;{sid})")
}

/// Whether the DACL in `sddl` (as Windows writes it back) lets anyone but
/// `sid` in: a missing or null DACL, or an allow entry for another trustee.
/// Deny entries take access away, so they never open a file up.
pub fn sddl_open_to_others(sddl: &str, sid: &str) -> bool {
    let Some(start) = sddl.find("D:") else {
        // No DACL at all: everyone has full access.
        return true;
    };
    let dacl = &sddl[start + 2..];
    // The DACL runs to the SACL ("S:") if there is one.
    let dacl = dacl.split("S:(").next().unwrap_or(dacl);
    if dacl.starts_with("NO_ACCESS_CONTROL") {
        return true;
    }
    dacl.split('(').skip(1).any(|ace| {
        let ace = ace.trim_end_matches(')');
        let fields: Vec<&str> = ace.split(';').collect();
        let allows = matches!(fields.first(), Some(&"A") | Some(&"OA"));
        // The trustee is the sixth field (type;flags;rights;object;inherit;sid).
        let trustee = fields.get(5).copied().unwrap_or("");
        // An inherit-only entry applies to children, not to this object.
        let inherit_only = fields.get(1).is_some_and(|flags| flags.contains("IO"));
        allows && !inherit_only && !trustee.eq_ignore_ascii_case(sid)
    })
}

/// The pipe name for the control channel that other platforms keep at the
/// socket file `socket`: `\\.\pipe\rebalance-<file stem>-<hash of the path>`.
/// The path lies in the user's own profile, so two users (and two test runs
/// with their own folders) never share a name; the stem keeps it readable.
pub fn pipe_name(socket: &Path) -> String {
    let text = socket.to_string_lossy();
    // Windows paths are case-insensitive: the same folder spelt two ways
    // must reach the same pipe.
    let hash = fnv1a(text.to_lowercase().as_bytes());
    // The file name split by hand, so the name is the same whichever
    // platform reads a Windows path.
    let file = text.rsplit(['\\', '/']).next().unwrap_or_default();
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let stem: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!(r"\\.\pipe\rebalance-{stem}-{hash:016x}")
}

/// The 64-bit FNV-1a hash: stable across builds and platforms, unlike the
/// standard library's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The name of the Run-key value that starts Rebalance at login.
pub const RUN_VALUE_NAME: &str = "Rebalance";

/// The Run-key value that starts the daemon from `exe`: the path quoted (so
/// a folder with spaces is not split) and the `daemon` argument.
pub fn run_key_value(exe: &Path) -> String {
    format!("\"{}\" daemon", exe.display())
}

/// The shell's `QUERY_USER_NOTIFICATION_STATE` values
/// (`SHQueryUserNotificationState`).
pub mod notification_state {
    /// A screen saver is running, the machine is locked or switching users.
    pub const NOT_PRESENT: i32 = 1;
    /// A full-screen application is running or presentation settings apply.
    pub const BUSY: i32 = 2;
    /// A full-screen Direct3D application (a game, a video) is running.
    pub const RUNNING_D3D_FULL_SCREEN: i32 = 3;
    /// The user turned on presentation mode.
    pub const PRESENTATION_MODE: i32 = 4;
    /// Nothing stops notifications.
    pub const ACCEPTS_NOTIFICATIONS: i32 = 5;
    /// The first hour after a new user's first login ("quiet time"), and
    /// Focus assist on recent Windows.
    pub const QUIET_TIME: i32 = 6;
    /// A Windows Store app is running full screen.
    pub const APP: i32 = 7;
}

/// What the shell's notification state `state` says about the moment:
/// full screen, presenting, quiet time, or nothing that holds a reminder.
/// "Not present" (locked, screen saver) is the idle monitor's business.
pub fn busy_reason_for_notification_state(state: i32) -> Option<BusyReason> {
    use notification_state::*;
    match state {
        BUSY | RUNNING_D3D_FULL_SCREEN | APP => Some(BusyReason::FullScreen),
        PRESENTATION_MODE => Some(BusyReason::Presentation),
        QUIET_TIME => Some(BusyReason::DoNotDisturb),
        _ => None,
    }
}

/// Whether the process image name `process` (as the process list gives it,
/// e.g. `zoom.exe`) is the app the user listed as `app` (`zoom`, `Zoom.exe`
/// or a full path all match).
pub fn process_matches(process: &str, app: &str) -> bool {
    let app = app.trim();
    if app.is_empty() {
        return false;
    }
    let base = |name: &str| {
        let name = name.rsplit(['\\', '/']).next().unwrap_or(name);
        let lower = name.to_lowercase();
        lower
            .strip_suffix(".exe")
            .map(str::to_owned)
            .unwrap_or(lower)
    };
    base(process) == base(app)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const SID: &str = "S-1-5-21-1004336348-1177238915-682003330-1001";

    #[test]
    fn descriptors_grant_the_user_alone() {
        assert_eq!(
            owner_only_pipe_sddl(SID),
            format!("D:P(A;;GA;;;{SID})"),
            "protected, one allow entry, generic all"
        );
        assert_eq!(owner_only_file_sddl(SID), format!("D:P(A;;FA;;;{SID})"));
        assert_eq!(
            owner_only_folder_sddl(SID),
            format!("D:P(A;OICI;FA;;;{SID})")
        );
        for sddl in [
            owner_only_pipe_sddl(SID),
            owner_only_file_sddl(SID),
            owner_only_folder_sddl(SID),
        ] {
            assert!(!sddl_open_to_others(&sddl, SID), "{sddl}");
        }
    }

    #[test]
    fn the_profiles_default_acl_counts_as_open() {
        // What a file under %APPDATA% inherits: SYSTEM, Administrators, the user.
        let inherited = format!("O:{SID}G:{SID}D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;FA;;;{SID})");
        assert!(sddl_open_to_others(&inherited, SID));
        assert!(sddl_open_to_others("D:NO_ACCESS_CONTROL", SID));
        assert!(sddl_open_to_others(&format!("O:{SID}"), SID), "no DACL");
        assert!(sddl_open_to_others("D:P(A;;FA;;;WD)", SID), "Everyone");
    }

    #[test]
    fn deny_and_inherit_only_entries_do_not_open_a_file() {
        let sddl = format!(
            "D:P(D;;FA;;;WD)(A;OICIIO;FA;;;BA)(A;;FA;;;{})",
            SID.to_lowercase()
        );
        assert!(!sddl_open_to_others(&sddl, SID));
        let with_sacl = format!("D:P(A;;FA;;;{SID})S:(AU;FA;FA;;;WD)");
        assert!(
            !sddl_open_to_others(&with_sacl, SID),
            "the SACL is not the DACL"
        );
    }

    #[test]
    fn pipe_names_follow_the_socket_path() {
        let daemon = PathBuf::from(r"C:\Users\ann\AppData\Local\Rebalance\run\rebalance.sock");
        let window = PathBuf::from(r"C:\Users\ann\AppData\Local\Rebalance\run\window.sock");
        let name = pipe_name(&daemon);
        assert!(name.starts_with(r"\\.\pipe\rebalance-rebalance-"), "{name}");
        assert_eq!(name.len(), r"\\.\pipe\rebalance-rebalance-".len() + 16);
        assert_ne!(name, pipe_name(&window), "one pipe per socket");
        let other_user = PathBuf::from(r"C:\Users\bob\AppData\Local\Rebalance\run\rebalance.sock");
        assert_ne!(name, pipe_name(&other_user), "one pipe per user");
        let shouted = PathBuf::from(r"C:\USERS\ANN\AppData\Local\Rebalance\run\rebalance.sock");
        assert_eq!(name, pipe_name(&shouted), "case does not matter");
        assert!(!name[r"\\.\pipe\".len()..].contains('\\'), "{name}");
    }

    #[test]
    fn the_run_value_quotes_the_path_and_starts_the_daemon() {
        let exe = PathBuf::from(r"C:\Users\Ann Lee\AppData\Local\Programs\Rebalance\rebalance.exe");
        assert_eq!(
            run_key_value(&exe),
            r#""C:\Users\Ann Lee\AppData\Local\Programs\Rebalance\rebalance.exe" daemon"#
        );
    }

    #[test]
    fn notification_states_map_to_busy_reasons() {
        use notification_state::*;
        assert_eq!(
            busy_reason_for_notification_state(BUSY),
            Some(BusyReason::FullScreen)
        );
        assert_eq!(
            busy_reason_for_notification_state(RUNNING_D3D_FULL_SCREEN),
            Some(BusyReason::FullScreen)
        );
        assert_eq!(
            busy_reason_for_notification_state(APP),
            Some(BusyReason::FullScreen)
        );
        assert_eq!(
            busy_reason_for_notification_state(PRESENTATION_MODE),
            Some(BusyReason::Presentation)
        );
        assert_eq!(
            busy_reason_for_notification_state(QUIET_TIME),
            Some(BusyReason::DoNotDisturb)
        );
        assert_eq!(
            busy_reason_for_notification_state(ACCEPTS_NOTIFICATIONS),
            None
        );
        assert_eq!(busy_reason_for_notification_state(NOT_PRESENT), None);
        assert_eq!(busy_reason_for_notification_state(0), None, "unknown");
    }

    #[test]
    fn listed_apps_match_process_names_loosely() {
        assert!(process_matches("Zoom.exe", "zoom"));
        assert!(process_matches("zoom.exe", "Zoom.exe"));
        assert!(process_matches(
            "Teams.exe",
            r"C:\Program Files\Teams\teams.exe"
        ));
        assert!(!process_matches("zoomit.exe", "zoom"));
        assert!(!process_matches("zoom.exe", "  "));
    }
}
