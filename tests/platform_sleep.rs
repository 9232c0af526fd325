//! Suspend and resume signals from a fake logind on a private bus.

// logind's sleep signal on D-Bus (the Linux desktop).
#![cfg(unix)]

mod platform_common;

use platform_common::{PrivateBus, guard};
use rebalance::platform::sleep::{SleepEvent, sleep_signals, sleep_signals_on};

async fn prepare_for_sleep(conn: &zbus::Connection, going_down: bool) {
    conn.emit_signal(
        None::<&str>,
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
        "PrepareForSleep",
        &(going_down,),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn suspend_and_resume_arrive_in_order() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let logind = zbus::connection::Builder::address(bus.address.as_str())
        .unwrap()
        .name("org.freedesktop.login1")
        .unwrap()
        .build()
        .await
        .unwrap();
    let client = bus.connect().await;
    let mut signals = guard("subscribe", sleep_signals_on(&client))
        .await
        .expect("logind is on the bus");

    // Someone other than logind sending the same signal is not believed.
    let impostor = bus.connect().await;
    prepare_for_sleep(&impostor, false).await;

    prepare_for_sleep(&logind, true).await;
    prepare_for_sleep(&logind, false).await;
    assert_eq!(
        guard("suspend", signals.next()).await,
        Some(SleepEvent::Suspending)
    );
    assert_eq!(
        guard("resume", signals.next()).await,
        Some(SleepEvent::Resumed)
    );
}

#[tokio::test]
async fn no_logind_means_no_signals_and_no_error() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let client = bus.connect().await;
    assert!(
        guard("subscribe", sleep_signals_on(&client))
            .await
            .is_none()
    );
    // The real system bus may or may not be there; either way it answers.
    let _ = guard("system bus", sleep_signals()).await;
}
