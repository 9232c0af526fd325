//! The busy signals on fixtures and real servers: a fake `/proc/asound`
//! tree, a fake `/dev` with `/proc/PID/fd` links, process names, a
//! full-screen window on a private Xvfb (the test plays the window
//! manager's part), and the notification server's `Inhibited` property on
//! a private bus.

// Linux desktop busy signals: D-Bus services, X11 and /proc.
#![cfg(unix)]

mod platform_common;

use std::path::Path;
use std::time::Instant;

use platform_common::{PrivateBus, Xvfb, guard};
use rebalance::core::busy::BusyReason;
use rebalance::core::settings::HoldSettings;
use rebalance::platform::busy::{BusyProbe, full_screen_window_focused};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Only the signals these tests can set: no X display, no bus.
fn files_only() -> HoldSettings {
    HoldSettings {
        full_screen: false,
        do_not_disturb: false,
        presentations: false,
        ..HoldSettings::default()
    }
}

#[tokio::test]
async fn a_running_capture_stream_is_a_call_and_a_prepared_one_is_not() {
    let root = tempfile::tempdir().expect("temp dir");
    let (proc_root, dev) = (root.path().join("proc"), root.path().join("dev"));
    std::fs::create_dir_all(&dev).expect("dev");
    // A playback stream running and a capture device opened but stopped,
    // as a sound server leaves it between calls.
    write(
        &proc_root.join("asound/card0/pcm0p/sub0/status"),
        "state: RUNNING\n",
    );
    write(
        &proc_root.join("asound/card0/pcm0c/sub0/status"),
        "state: PREPARED\n",
    );
    write(
        &proc_root.join("asound/card1/pcm0c/sub0/status"),
        "closed\n",
    );
    let probe = BusyProbe::with_roots(&proc_root, &dev, None);
    assert!(!probe.microphone_in_use());
    assert_eq!(probe.read(&files_only()).await, None);

    write(
        &proc_root.join("asound/card1/pcm0c/sub0/status"),
        "state: RUNNING\nowner_pid   : 4242\n",
    );
    assert!(probe.microphone_in_use());
    assert_eq!(probe.read(&files_only()).await, Some(BusyReason::Call));
    let off = HoldSettings {
        calls: false,
        ..files_only()
    };
    assert_eq!(probe.read(&off).await, None, "calls switched off");
}

#[cfg(unix)]
#[tokio::test]
async fn a_camera_held_open_by_another_process_is_a_call() {
    let root = tempfile::tempdir().expect("temp dir");
    let (proc_root, dev) = (root.path().join("proc"), root.path().join("dev"));
    write(&dev.join("video0"), "");
    write(&dev.join("null"), "");
    std::fs::create_dir_all(proc_root.join("4242/fd")).expect("fd dir");
    std::os::unix::fs::symlink(dev.join("null"), proc_root.join("4242/fd/0")).expect("link");
    let probe = BusyProbe::with_roots(&proc_root, &dev, None);
    assert!(!probe.camera_in_use());

    // Our own process holding it does not count.
    let own = proc_root.join(format!("{}/fd", std::process::id()));
    std::fs::create_dir_all(&own).expect("own fd dir");
    std::os::unix::fs::symlink(dev.join("video0"), own.join("7")).expect("link");
    assert!(!probe.camera_in_use());

    std::os::unix::fs::symlink(dev.join("video0"), proc_root.join("4242/fd/9")).expect("link");
    assert!(probe.camera_in_use());
    assert_eq!(probe.read(&files_only()).await, Some(BusyReason::Call));
}

#[tokio::test]
async fn a_listed_app_is_found_by_its_process_name() {
    let root = tempfile::tempdir().expect("temp dir");
    let (proc_root, dev) = (root.path().join("proc"), root.path().join("dev"));
    std::fs::create_dir_all(&dev).expect("dev");
    write(&proc_root.join("100/comm"), "bash\n");
    write(&proc_root.join("200/comm"), "obs\n");
    write(&proc_root.join("self/comm"), "zoom\n");
    let probe = BusyProbe::with_roots(&proc_root, &dev, None);
    let hold = |apps: &[&str]| HoldSettings {
        apps: apps.iter().map(|a| a.to_string()).collect(),
        ..files_only()
    };
    assert_eq!(probe.read(&hold(&[])).await, None);
    assert_eq!(
        probe.read(&hold(&["zoom"])).await,
        None,
        "only numbered process folders"
    );
    assert_eq!(
        probe.read(&hold(&["zoom", "OBS"])).await,
        Some(BusyReason::App("OBS".to_owned()))
    );
}

#[test]
fn a_focused_full_screen_window_is_seen_on_x11() {
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::{
        AtomEnum, ConnectionExt as _, CreateWindowAux, PropMode, WindowClass,
    };
    use x11rb::wrapper::ConnectionExt as _;

    let Some(x) = Xvfb::start() else { return };
    let display = Some(x.display.as_str());
    assert!(
        !full_screen_window_focused(display),
        "no window manager yet"
    );

    let (conn, screen) = x11rb::connect(display).expect("connect to Xvfb");
    let root = conn.setup().roots[screen].root;
    let atom = |name: &[u8]| {
        conn.intern_atom(false, name)
            .expect("intern")
            .reply()
            .expect("atom")
            .atom
    };
    let (active, state, full) = (
        atom(b"_NET_ACTIVE_WINDOW"),
        atom(b"_NET_WM_STATE"),
        atom(b"_NET_WM_STATE_FULLSCREEN"),
    );
    let window = conn.generate_id().expect("id");
    conn.create_window(
        0,
        window,
        root,
        0,
        0,
        640,
        480,
        0,
        WindowClass::INPUT_OUTPUT,
        0,
        &CreateWindowAux::new(),
    )
    .expect("create window");
    // Playing the window manager: focus it, not yet full screen.
    conn.change_property32(PropMode::REPLACE, root, active, AtomEnum::WINDOW, &[window])
        .expect("set active");
    conn.change_property32(PropMode::REPLACE, window, state, AtomEnum::ATOM, &[])
        .expect("set state");
    conn.flush().expect("flush");
    assert!(!full_screen_window_focused(display), "focused, windowed");

    conn.change_property32(PropMode::REPLACE, window, state, AtomEnum::ATOM, &[full])
        .expect("set full screen");
    conn.flush().expect("flush");
    let started = Instant::now();
    assert!(full_screen_window_focused(display), "focused, full screen");
    println!(
        "full-screen reading: {} µs (connect included)",
        started.elapsed().as_micros()
    );

    conn.change_property32(PropMode::REPLACE, root, active, AtomEnum::WINDOW, &[0])
        .expect("unfocus");
    conn.flush().expect("flush");
    assert!(!full_screen_window_focused(display), "nothing focused");
}

/// Only do not disturb, the signal the bus tests set.
fn do_not_disturb_only() -> HoldSettings {
    HoldSettings {
        calls: false,
        full_screen: false,
        presentations: false,
        ..HoldSettings::default()
    }
}

struct FakeNotifications {
    inhibited: bool,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeNotifications {
    #[zbus(property)]
    fn inhibited(&self) -> bool {
        self.inhibited
    }
}

#[tokio::test]
async fn the_notification_servers_inhibited_property_is_do_not_disturb() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let hold = do_not_disturb_only();
    let probe = BusyProbe::with_roots(dir.path(), dir.path(), Some(bus.connect().await));
    assert_eq!(
        guard("read", probe.read(&hold)).await,
        None,
        "no server: not busy"
    );

    let server = bus
        .serve(
            "/org/freedesktop/Notifications",
            FakeNotifications { inhibited: false },
            "org.freedesktop.Notifications",
        )
        .await;
    assert_eq!(guard("read", probe.read(&hold)).await, None);
    let iface = server
        .object_server()
        .interface::<_, FakeNotifications>("/org/freedesktop/Notifications")
        .await
        .expect("interface");
    iface.get_mut().await.inhibited = true;
    let started = Instant::now();
    assert_eq!(
        guard("read", probe.read(&hold)).await,
        Some(BusyReason::DoNotDisturb)
    );
    println!(
        "do-not-disturb reading: {} µs",
        started.elapsed().as_micros()
    );
}

struct FakeDunst {
    paused: bool,
}

#[zbus::interface(name = "org.dunstproject.cmd0")]
impl FakeDunst {
    #[zbus(property, name = "paused")]
    fn paused(&self) -> bool {
        self.paused
    }
}

#[tokio::test]
async fn a_paused_dunst_is_do_not_disturb() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let hold = do_not_disturb_only();
    let probe = BusyProbe::with_roots(dir.path(), dir.path(), Some(bus.connect().await));
    let _server = bus
        .serve(
            "/org/freedesktop/Notifications",
            FakeDunst { paused: true },
            "org.freedesktop.Notifications",
        )
        .await;
    assert_eq!(
        guard("read", probe.read(&hold)).await,
        Some(BusyReason::DoNotDisturb)
    );
    let off = HoldSettings {
        do_not_disturb: false,
        ..hold
    };
    assert_eq!(guard("read", probe.read(&off)).await, None);
}
