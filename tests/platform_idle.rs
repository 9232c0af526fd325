//! Idle detection: X11 under a private Xvfb, and the D-Bus sources (GNOME's
//! idle monitor, a locked screen) with fake services on a private bus.

// Linux desktop idle sources: X11 and D-Bus services.
#![cfg(unix)]

mod platform_common;

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use platform_common::{PrivateBus, Xvfb, guard};
use rebalance::platform::idle::IdleMonitor;

#[tokio::test]
async fn x11_idle_time_grows_and_input_resets_it() {
    let Some(x) = Xvfb::start() else { return };
    let mut monitor = guard("x11", IdleMonitor::x11(&x.display))
        .await
        .expect("Xvfb has the MIT-SCREEN-SAVER extension");
    assert_eq!(monitor.source_name(), "X11 screen saver extension");

    let first = guard("idle", monitor.idle_time()).await.expect("idle time");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let later = guard("idle", monitor.idle_time()).await.expect("idle time");
    assert!(later > first, "idle time grows: {first:?} then {later:?}");

    let status = Command::new("xdotool")
        .args(["mousemove", "123", "77"])
        .env("DISPLAY", &x.display)
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => {
            eprintln!("SKIPPED (input part): xdotool unavailable: {other:?}");
            return;
        }
    }
    let after_input = guard("idle", monitor.idle_time()).await.expect("idle time");
    assert!(
        after_input < later,
        "input resets idle time: {later:?} then {after_input:?}"
    );
}

#[tokio::test]
async fn detect_prefers_x11_when_a_display_works() {
    let Some(x) = Xvfb::start() else { return };
    let monitor = guard(
        "detect",
        IdleMonitor::detect_from(Some(&x.display), false, None),
    )
    .await;
    assert_eq!(monitor.source_name(), "X11 screen saver extension");
    // On Wayland the X11 display is only XWayland: not trusted.
    let monitor = guard(
        "detect",
        IdleMonitor::detect_from(Some(&x.display), true, None),
    )
    .await;
    assert_eq!(
        monitor.source_name(),
        "none (breaks are timed on the clock)"
    );
}

struct FakeMutter {
    idle_ms: Arc<Mutex<u64>>,
}

#[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
impl FakeMutter {
    fn get_idletime(&self) -> u64 {
        *self.idle_ms.lock().unwrap()
    }
}

struct FakeScreenSaver {
    active: Arc<Mutex<bool>>,
    active_secs: u32,
}

#[zbus::interface(name = "org.freedesktop.ScreenSaver")]
impl FakeScreenSaver {
    fn get_active(&self) -> bool {
        *self.active.lock().unwrap()
    }

    fn get_active_time(&self) -> u32 {
        if *self.active.lock().unwrap() {
            self.active_secs
        } else {
            0
        }
    }
}

async fn serve_mutter(bus: &PrivateBus, idle_ms: Arc<Mutex<u64>>) -> zbus::Connection {
    bus.serve(
        "/org/gnome/Mutter/IdleMonitor/Core",
        FakeMutter { idle_ms },
        "org.gnome.Mutter.IdleMonitor",
    )
    .await
}

async fn serve_screensaver(
    bus: &PrivateBus,
    active: Arc<Mutex<bool>>,
    active_secs: u32,
) -> zbus::Connection {
    bus.serve(
        "/org/freedesktop/ScreenSaver",
        FakeScreenSaver {
            active,
            active_secs,
        },
        "org.freedesktop.ScreenSaver",
    )
    .await
}

#[tokio::test]
async fn gnome_idle_monitor_is_used_without_x11() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let idle_ms = Arc::new(Mutex::new(42_000));
    let _mutter = serve_mutter(&bus, idle_ms.clone()).await;
    let session = bus.connect().await;
    let mut monitor = guard(
        "detect",
        IdleMonitor::detect_from(None, true, Some(&session)),
    )
    .await;
    assert_eq!(monitor.source_name(), "GNOME idle monitor");
    assert_eq!(
        guard("idle", monitor.idle_time()).await,
        Some(Duration::from_secs(42))
    );
    *idle_ms.lock().unwrap() = 250;
    assert_eq!(
        guard("idle", monitor.idle_time()).await,
        Some(Duration::from_millis(250))
    );
}

#[tokio::test]
async fn a_locked_screen_counts_as_idle() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let active = Arc::new(Mutex::new(false));
    let _mutter = serve_mutter(&bus, Arc::new(Mutex::new(3_000))).await;
    let _screensaver = serve_screensaver(&bus, active.clone(), 600).await;
    let session = bus.connect().await;
    let mut monitor = guard(
        "detect",
        IdleMonitor::detect_from(None, true, Some(&session)),
    )
    .await;
    assert_eq!(
        guard("idle", monitor.idle_time()).await,
        Some(Duration::from_secs(3)),
        "unlocked: input idle time"
    );
    *active.lock().unwrap() = true;
    assert_eq!(
        guard("idle", monitor.idle_time()).await,
        Some(Duration::from_secs(600)),
        "locked ten minutes ago"
    );
    *active.lock().unwrap() = false;
    assert_eq!(
        guard("idle", monitor.idle_time()).await,
        Some(Duration::from_secs(3))
    );
}

#[tokio::test]
async fn lock_alone_still_reports_idle_while_locked() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let active = Arc::new(Mutex::new(true));
    let _screensaver = serve_screensaver(&bus, active.clone(), 90).await;
    let session = bus.connect().await;
    let mut monitor = guard(
        "detect",
        IdleMonitor::detect_from(None, true, Some(&session)),
    )
    .await;
    assert!(monitor.has_source());
    assert!(monitor.source_name().starts_with("screen lock only"));
    assert_eq!(
        guard("idle", monitor.idle_time()).await,
        Some(Duration::from_secs(90))
    );
    *active.lock().unwrap() = false;
    assert_eq!(guard("idle", monitor.idle_time()).await, None);
}

#[tokio::test]
async fn no_source_means_no_idle_time() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let session = bus.connect().await;
    let mut monitor = guard(
        "detect",
        IdleMonitor::detect_from(None, false, Some(&session)),
    )
    .await;
    assert!(!monitor.has_source());
    assert_eq!(
        monitor.source_name(),
        "none (breaks are timed on the clock)"
    );
    assert_eq!(guard("idle", monitor.idle_time()).await, None);
    // A display that does not exist is no source either, and no panic.
    let monitor = guard(
        "detect",
        IdleMonitor::detect_from(Some(":4242"), false, None),
    )
    .await;
    assert!(!monitor.has_source());
}

#[test]
fn sampling_x11_idle_time_starts_no_thread() {
    let Some(x) = Xvfb::start() else { return };
    let started = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&started);
    // Like the daemon: one current-thread runtime. Its blocking pool lets an
    // idle thread go almost at once, so work handed to the pool would show
    // up as a thread started per sample.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_keep_alive(Duration::from_millis(1))
        .on_thread_start(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut monitor = IdleMonitor::x11(&x.display)
            .await
            .expect("Xvfb has the MIT-SCREEN-SAVER extension");
        tokio::time::sleep(Duration::from_millis(100)).await;
        let before = started.load(Ordering::SeqCst);
        for _ in 0..5 {
            let idle = monitor.idle_time().await;
            assert!(idle.is_some(), "the X server answers");
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        let during = started.load(Ordering::SeqCst) - before;
        assert_eq!(during, 0, "{during} threads started for 5 idle samples");
    });
}
