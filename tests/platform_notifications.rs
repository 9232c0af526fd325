//! Notifications against a real D-Bus bus with a notification server of the
//! test's own that records every Notify call and can emit ActionInvoked.

// The freedesktop notification service on D-Bus (the Linux desktop).
#![cfg(unix)]

mod platform_common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use platform_common::{PrivateBus, guard};
use rebalance::core::model::{Answer, ReminderKind};
use rebalance::core::schedule::Pending;
use rebalance::platform::notifications::{
    CloseReason, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH, Notice, NoticeAction, NotificationEvent,
    Notifier, NotifyError, notice_for, notification_events,
};
use zbus::object_server::SignalEmitter;
use zbus::zvariant::{OwnedValue, Value};

#[derive(Debug, Clone)]
struct NotifyCall {
    app_name: String,
    replaces_id: u32,
    app_icon: String,
    summary: String,
    body: String,
    actions: Vec<String>,
    hints: HashMap<String, OwnedValue>,
}

#[derive(Default)]
struct FakeServer {
    calls: Arc<Mutex<Vec<NotifyCall>>>,
    next_id: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeServer {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &mut self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        self.calls.lock().unwrap().push(NotifyCall {
            app_name,
            replaces_id,
            app_icon,
            summary,
            body,
            actions,
            hints,
        });
        if replaces_id != 0 {
            replaces_id
        } else {
            self.next_id += 1;
            self.next_id
        }
    }

    async fn close_notification(
        &self,
        id: u32,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        Self::notification_closed(&emitter, id, 3).await?;
        Ok(())
    }

    fn get_capabilities(&self) -> Vec<String> {
        ["actions", "body", "body-markup"]
            .map(String::from)
            .to_vec()
    }

    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    fn get_server_information(&self) -> (String, String, String, String) {
        ("fake".into(), "tests".into(), "1".into(), "1.2".into())
    }

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn notification_closed(
        emitter: &SignalEmitter<'_>,
        id: u32,
        reason: u32,
    ) -> zbus::Result<()>;
}

/// A server that takes the name but never answers a call.
struct SilentServer;

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl SilentServer {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        _summary: String,
        _body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        std::future::pending().await
    }

    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    async fn get_server_information(&self) -> (String, String, String, String) {
        std::future::pending().await
    }

    async fn get_capabilities(&self) -> Vec<String> {
        std::future::pending().await
    }
}

struct Setup {
    _bus: PrivateBus,
    server: zbus::Connection,
    client: zbus::Connection,
    calls: Arc<Mutex<Vec<NotifyCall>>>,
}

async fn setup() -> Option<Setup> {
    let bus = PrivateBus::start()?;
    let fake = FakeServer::default();
    let calls = fake.calls.clone();
    let server = bus
        .serve(NOTIFICATIONS_PATH, fake, NOTIFICATIONS_NAME)
        .await;
    let client = bus.connect().await;
    Some(Setup {
        _bus: bus,
        server,
        client,
        calls,
    })
}

fn pending(kind: ReminderKind, can_snooze: bool) -> Pending {
    let at = Utc.with_ymd_and_hms(2024, 3, 4, 10, 0, 0).unwrap();
    Pending {
        kind,
        due_at: at,
        shown_at: at,
        snoozes: 0,
        can_snooze,
        started_at: None,
        held: None,
    }
}

fn notice(kind: ReminderKind, can_snooze: bool, sound: bool) -> Notice {
    notice_for(
        &pending(kind, can_snooze),
        "Check your posture",
        "Ribs over hips & chin <level>",
        Duration::from_secs(5 * 60),
        sound,
    )
}

fn hint<'a>(call: &'a NotifyCall, name: &str) -> Option<&'a Value<'static>> {
    call.hints.get(name).map(|v| &**v)
}

async fn emit_action(server: &zbus::Connection, id: u32, key: &str) {
    let iface = server
        .object_server()
        .interface::<_, FakeServer>(NOTIFICATIONS_PATH)
        .await
        .unwrap();
    FakeServer::action_invoked(iface.signal_emitter(), id, key)
        .await
        .unwrap();
}

#[tokio::test]
async fn each_kind_is_shown_with_its_buttons_and_hints() {
    let Some(s) = setup().await else { return };
    let notifier = Notifier::new(&s.client).await.unwrap();

    guard("Notify", async {
        notifier
            .show(&notice(ReminderKind::PostureCheck, true, true))
            .await
            .unwrap();
        notifier
            .show(&notice(ReminderKind::MoveBreak, true, false))
            .await
            .unwrap();
        notifier
            .show(&notice(ReminderKind::Routine, true, true))
            .await
            .unwrap();
        notifier
            .show(&notice(ReminderKind::PostureCheck, false, true))
            .await
            .unwrap();
    })
    .await;

    let calls = s.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 4);
    let posture = &calls[0];
    assert_eq!(posture.app_name, "Rebalance");
    assert!(!posture.app_icon.is_empty());
    assert_eq!(posture.summary, "Check your posture");
    // The server reads markup, so the body's special characters are escaped.
    assert_eq!(posture.body, "Ribs over hips &amp; chin &lt;level&gt;");
    assert_eq!(posture.replaces_id, 0);
    assert_eq!(
        posture.actions,
        [
            "default", "Open", "all_good", "All good", "fixed_it", "Fixed it", "snooze", "Snooze"
        ]
    );
    assert_eq!(hint(posture, "urgency"), Some(&Value::U8(1)));
    assert_eq!(
        hint(posture, "sound-name"),
        Some(&Value::from("message-new-instant"))
    );
    assert_eq!(
        hint(posture, "desktop-entry"),
        Some(&Value::from("rebalance"))
    );
    assert_eq!(hint(posture, "resident"), Some(&Value::Bool(false)));
    assert_eq!(
        hint(posture, "category"),
        Some(&Value::from("x-rebalance.posture_check"))
    );

    let brk = &calls[1];
    assert_eq!(
        brk.actions,
        [
            "default",
            "Open",
            "start",
            "Start break",
            "snooze",
            "Snooze 5 min",
            "skip",
            "Skip"
        ]
    );
    assert_eq!(hint(brk, "sound-name"), None, "sound is off for this one");
    assert_eq!(hint(brk, "suppress-sound"), Some(&Value::Bool(true)));

    assert_eq!(
        calls[2].actions,
        [
            "default",
            "Open",
            "start",
            "Start routine",
            "snooze",
            "Later",
            "skip",
            "Skip today"
        ]
    );
    assert_eq!(
        calls[3].actions,
        [
            "default", "Open", "all_good", "All good", "fixed_it", "Fixed it"
        ],
        "no Snooze button once snoozes are used up"
    );
}

#[tokio::test]
async fn a_resent_reminder_replaces_the_old_notification() {
    let Some(s) = setup().await else { return };
    let notifier = Notifier::new(&s.client).await.unwrap();
    let mut n = notice(ReminderKind::MoveBreak, true, true);
    let first = guard("Notify", notifier.show(&n)).await.unwrap();
    n.replaces = Some(first);
    let second = guard("Notify", notifier.show(&n)).await.unwrap();
    assert_eq!(second, first);
    let calls = s.calls.lock().unwrap().clone();
    assert_eq!(calls[0].replaces_id, 0);
    assert_eq!(calls[1].replaces_id, first);
}

#[tokio::test]
async fn clicks_and_closes_reach_the_event_stream() {
    let Some(s) = setup().await else { return };
    let mut events = notification_events(&s.client).await.unwrap();
    let notifier = Notifier::new(&s.client).await.unwrap();
    let id = guard(
        "Notify",
        notifier.show(&notice(ReminderKind::PostureCheck, true, true)),
    )
    .await
    .unwrap();

    emit_action(&s.server, id, "fixed_it").await;
    assert_eq!(
        guard("ActionInvoked", events.next()).await,
        Some(NotificationEvent::ActionInvoked {
            id,
            action: NoticeAction::Answer(Answer::FixedIt)
        })
    );
    // An action key we never offered is ignored, the next one still arrives.
    emit_action(&s.server, id, "inline-reply").await;
    emit_action(&s.server, id, "default").await;
    assert_eq!(
        guard("ActionInvoked", events.next()).await,
        Some(NotificationEvent::ActionInvoked {
            id,
            action: NoticeAction::Open
        })
    );

    guard("CloseNotification", notifier.close(id))
        .await
        .unwrap();
    assert_eq!(
        guard("NotificationClosed", events.next()).await,
        Some(NotificationEvent::Closed {
            id,
            reason: CloseReason::Closed
        })
    );
}

#[tokio::test]
async fn no_server_is_an_error_not_a_hang() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let client = bus.connect().await;
    let notifier = Notifier::new(&client).await.unwrap();
    assert!(!guard("server_available", notifier.server_available()).await);
    let err = guard(
        "Notify",
        notifier.show(&notice(ReminderKind::Routine, true, true)),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, NotifyError::NoServer), "{err:?}");
    assert!(err.to_string().contains("no notification server"), "{err}");
    // The event stream can still be set up: a server may start later.
    guard("AddMatch", notification_events(&client))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let _server = bus
        .serve(NOTIFICATIONS_PATH, SilentServer, NOTIFICATIONS_NAME)
        .await;
    let client = bus.connect().await;
    let notifier = Notifier::new(&client)
        .await
        .unwrap()
        .with_timeout(Duration::from_millis(300));
    assert!(!guard("server_available", notifier.server_available()).await);
    let err = guard(
        "Notify",
        notifier.show(&notice(ReminderKind::PostureCheck, true, true)),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, NotifyError::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("did not answer"), "{err}");
}
