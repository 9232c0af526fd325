//! Linux busy signals: is this the wrong moment for a reminder? Each
//! detector is read only when a reminder is about to come out or is being
//! held, and a missing source counts as "not busy". In the order asked:
//! a call (a microphone capture stream running, or a camera held open by
//! another process), an app on the user's list, a focused full-screen
//! window (X11), the desktop's do-not-disturb (the notification server's
//! `Inhibited` property, dunst's `paused`, GNOME's `show-banners` through
//! the settings portal), and an app keeping the session from going idle (GNOME's
//! session manager, the freedesktop power-management inhibitor).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::core::busy::BusyReason;
use crate::core::settings::HoldSettings;

/// How long one D-Bus question may take before it counts as "not busy".
const DBUS_TIMEOUT: Duration = Duration::from_millis(500);

/// Reads the busy signals of this desktop session.
pub struct BusyProbe {
    /// Where `/proc` is (a fixture tree in tests).
    proc_root: PathBuf,
    /// Where `/dev` is (a fixture tree in tests).
    dev_root: PathBuf,
    /// This process, never counted as holding the camera.
    own_pid: u32,
    /// The session bus, for do-not-disturb and inhibitors.
    session: Option<zbus::Connection>,
}

impl BusyProbe {
    /// The probe for this session, asking D-Bus questions on `session`.
    pub fn new(session: Option<zbus::Connection>) -> Self {
        Self::with_roots(Path::new("/proc"), Path::new("/dev"), session)
    }

    /// A probe reading `/proc` and `/dev` from other places (fixtures).
    pub fn with_roots(
        proc_root: &Path,
        dev_root: &Path,
        session: Option<zbus::Connection>,
    ) -> Self {
        Self {
            proc_root: proc_root.to_path_buf(),
            dev_root: dev_root.to_path_buf(),
            own_pid: std::process::id(),
            session,
        }
    }

    /// The first busy signal found among those `hold` switches on.
    pub async fn read(&self, hold: &HoldSettings) -> Option<BusyReason> {
        if hold.calls && (self.microphone_in_use() || self.camera_in_use()) {
            return Some(BusyReason::Call);
        }
        if let Some(app) = self.listed_app_running(&hold.apps) {
            return Some(BusyReason::App(app));
        }
        if hold.full_screen && full_screen_window_focused(None) {
            return Some(BusyReason::FullScreen);
        }
        if hold.do_not_disturb && self.do_not_disturb().await {
            return Some(BusyReason::DoNotDisturb);
        }
        if hold.presentations && self.idle_inhibited().await {
            return Some(BusyReason::Presentation);
        }
        None
    }

    /// Whether an ALSA capture substream is running:
    /// `/proc/asound/card*/pcm*c/sub*/status` says `state: RUNNING`. Sound
    /// servers (PipeWire, PulseAudio) keep the device open but stop it when
    /// nobody records, so this is a call or a recording in progress.
    pub fn microphone_in_use(&self) -> bool {
        let asound = self.proc_root.join("asound");
        subdirs(&asound, "card").any(|card| {
            subdirs(&card, "pcm")
                .filter(|pcm| pcm.to_string_lossy().ends_with('c'))
                .any(|pcm| {
                    subdirs(&pcm, "sub").any(|sub| {
                        std::fs::read_to_string(sub.join("status"))
                            .is_ok_and(|s| s.lines().any(|l| l.trim() == "state: RUNNING"))
                    })
                })
        })
    }

    /// Whether another process of the user holds a camera (`/dev/video*`)
    /// open, seen through `/proc/PID/fd` (only the user's own processes can
    /// be read there, which is what is wanted).
    pub fn camera_in_use(&self) -> bool {
        let cameras: Vec<PathBuf> = std::fs::read_dir(&self.dev_root)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("video"))
            .map(|e| e.path())
            .collect();
        if cameras.is_empty() {
            return false;
        }
        self.processes().any(|(pid, dir)| {
            pid != self.own_pid
                && std::fs::read_dir(dir.join("fd"))
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter_map(|fd| std::fs::read_link(fd.path()).ok())
                    .any(|target| cameras.contains(&target))
        })
    }

    /// The first name on `apps` that a running process has (its `comm`,
    /// compared without case), as written on the list.
    pub fn listed_app_running(&self, apps: &[String]) -> Option<String> {
        if apps.is_empty() {
            return None;
        }
        self.processes().find_map(|(_, dir)| {
            let comm = std::fs::read_to_string(dir.join("comm")).ok()?;
            let comm = comm.trim();
            apps.iter()
                .find(|app| app.trim().eq_ignore_ascii_case(comm))
                .cloned()
        })
    }

    /// Every process directory under the proc root, with its id.
    fn processes(&self) -> impl Iterator<Item = (u32, PathBuf)> {
        std::fs::read_dir(&self.proc_root)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let pid = e.file_name().to_str()?.parse::<u32>().ok()?;
                Some((pid, e.path()))
            })
    }

    /// Whether the desktop's do-not-disturb is on.
    async fn do_not_disturb(&self) -> bool {
        let Some(conn) = &self.session else {
            return false;
        };
        // The notification server's own switch: the standard `Inhibited`
        // property, or dunst's `paused` (`dunstctl set-paused true`).
        notification_server_flag(conn, "org.freedesktop.Notifications", "Inhibited").await
            || notification_server_flag(conn, "org.dunstproject.cmd0", "paused").await
            || gnome_banners_off(conn).await
    }

    /// Whether an app keeps the session from going idle (a presentation or
    /// a video player).
    async fn idle_inhibited(&self) -> bool {
        let Some(conn) = &self.session else {
            return false;
        };
        // GNOME: inhibit flag 8 is "idle".
        let gnome = dbus_call::<bool>(
            conn,
            "org.gnome.SessionManager",
            "/org/gnome/SessionManager",
            "org.gnome.SessionManager",
            "IsInhibited",
            &(8u32,),
        );
        let freedesktop = dbus_call::<bool>(
            conn,
            "org.freedesktop.PowerManagement",
            "/org/freedesktop/PowerManagement/Inhibit",
            "org.freedesktop.PowerManagement.Inhibit",
            "HasInhibit",
            &(),
        );
        let (gnome, freedesktop) = tokio::join!(gnome, freedesktop);
        gnome.unwrap_or(false) || freedesktop.unwrap_or(false)
    }
}

/// The entries of `dir` whose names start with `prefix`.
fn subdirs(dir: &Path, prefix: &'static str) -> impl Iterator<Item = PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(move |e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
}

/// GNOME's "show banners" switched off, read through the settings portal.
async fn gnome_banners_off(conn: &zbus::Connection) -> bool {
    let value = dbus_call::<zbus::zvariant::OwnedValue>(
        conn,
        "org.freedesktop.portal.Desktop",
        "/org/freedesktop/portal/desktop",
        "org.freedesktop.portal.Settings",
        "ReadOne",
        &("org.gnome.desktop.notifications", "show-banners"),
    )
    .await;
    value.is_some_and(|v| bool::try_from(v).is_ok_and(|shown| !shown))
}

/// One D-Bus method call with a timeout; `None` when anything fails.
async fn dbus_call<R>(
    conn: &zbus::Connection,
    service: &str,
    path: &str,
    interface: &str,
    method: &str,
    body: &(impl serde::Serialize + zbus::zvariant::DynamicType),
) -> Option<R>
where
    R: for<'d> zbus::zvariant::DynamicDeserialize<'d>,
{
    let call = conn.call_method(Some(service), path, Some(interface), method, body);
    let reply = tokio::time::timeout(DBUS_TIMEOUT, call).await.ok()?.ok()?;
    reply.body().deserialize::<R>().ok()
}

/// A true/false property of the notification server; false when it is
/// missing or not a boolean.
async fn notification_server_flag(
    conn: &zbus::Connection,
    interface: &str,
    property: &str,
) -> bool {
    dbus_property(
        conn,
        "org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        interface,
        property,
    )
    .await
    .is_some_and(|v| bool::try_from(v).unwrap_or(false))
}

/// One D-Bus property read with a timeout; `None` when anything fails.
async fn dbus_property(
    conn: &zbus::Connection,
    service: &str,
    path: &str,
    interface: &str,
    property: &str,
) -> Option<zbus::zvariant::OwnedValue> {
    dbus_call::<zbus::zvariant::OwnedValue>(
        conn,
        service,
        path,
        "org.freedesktop.DBus.Properties",
        "Get",
        &(interface, property),
    )
    .await
}

/// Whether the focused X11 window is full screen: the root window's
/// `_NET_ACTIVE_WINDOW` has `_NET_WM_STATE_FULLSCREEN` in its
/// `_NET_WM_STATE`. False without an X display or a window manager that
/// sets them. `display` names the X display; `None` is `$DISPLAY`.
pub fn full_screen_window_focused(display: Option<&str>) -> bool {
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _};

    let Ok((conn, screen)) = x11rb::connect(display) else {
        return false;
    };
    let root = conn.setup().roots[screen].root;
    let atom = |name: &[u8]| {
        conn.intern_atom(true, name)
            .ok()
            .and_then(|c| c.reply().ok())
            .map(|r| r.atom)
            .filter(|a| *a != 0)
    };
    let (Some(active), Some(state), Some(full)) = (
        atom(b"_NET_ACTIVE_WINDOW"),
        atom(b"_NET_WM_STATE"),
        atom(b"_NET_WM_STATE_FULLSCREEN"),
    ) else {
        return false;
    };
    let window = conn
        .get_property(false, root, active, AtomEnum::WINDOW, 0, 1)
        .ok()
        .and_then(|c| c.reply().ok())
        .and_then(|r| r.value32().and_then(|mut v| v.next()))
        .filter(|w| *w != 0);
    let Some(window) = window else {
        return false;
    };
    conn.get_property(false, window, state, AtomEnum::ATOM, 0, 32)
        .ok()
        .and_then(|c| c.reply().ok())
        .and_then(|r| r.value32().map(|mut atoms| atoms.any(|a| a == full)))
        .unwrap_or(false)
}
