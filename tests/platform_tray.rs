//! The tray item on a private session bus with a StatusNotifierWatcher of the
//! test's own. One test function: the session bus address is read from the
//! process environment, which tests running in parallel would share.

// The StatusNotifierItem tray on D-Bus (the Linux desktop).
#![cfg(unix)]

mod platform_common;

use std::collections::HashMap;
use std::time::Duration;

use platform_common::{PrivateBus, guard};
use rebalance::core::model::ReminderKind;
use rebalance::core::schedule::PauseLength;
use rebalance::platform::tray::{TrayCommand, TrayState, start_tray};
use tokio::sync::mpsc;
use zbus::zvariant::{OwnedValue, Structure, Value};

/// Tells the test which item registered.
struct FakeWatcher {
    registered: mpsc::UnboundedSender<String>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl FakeWatcher {
    fn register_status_notifier_item(&self, service: String) {
        let _ = self.registered.send(service);
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        Vec::new()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

struct Item<'a> {
    conn: &'a zbus::Connection,
    name: String,
}

impl Item<'_> {
    async fn property(&self, name: &str) -> OwnedValue {
        let props = zbus::fdo::PropertiesProxy::builder(self.conn)
            .destination(self.name.as_str())
            .unwrap()
            .path("/StatusNotifierItem")
            .unwrap()
            .build()
            .await
            .unwrap();
        let iface =
            zbus::names::InterfaceName::from_static_str("org.kde.StatusNotifierItem").unwrap();
        guard(name, props.get(iface, name)).await.unwrap()
    }

    async fn tooltip_text(&self) -> String {
        let value = self.property("ToolTip").await;
        let Value::Structure(s) = &*value else {
            panic!("ToolTip is a structure: {value:?}")
        };
        let s: &Structure = s;
        match &s.fields()[3] {
            Value::Str(text) => text.to_string(),
            other => panic!("ToolTip description: {other:?}"),
        }
    }

    /// Every menu entry's (id, label), as a tray host reads the menu.
    async fn menu_labels(&self) -> Vec<(i32, String)> {
        let reply = guard(
            "GetLayout",
            self.conn.call_method(
                Some(self.name.as_str()),
                "/MenuBar",
                Some("com.canonical.dbusmenu"),
                "GetLayout",
                &(0i32, -1i32, Vec::<String>::new()),
            ),
        )
        .await
        .unwrap();
        let (_revision, root): (u32, MenuNode) = reply.body().deserialize().unwrap();
        let mut labels = Vec::new();
        walk(root, &mut labels);
        labels
    }

    async fn click(&self, label: &str) {
        let labels = self.menu_labels().await;
        let Some((id, _)) = labels.iter().find(|(_, l)| l == label) else {
            panic!("no menu entry {label:?} in {labels:?}")
        };
        guard(
            "Event",
            self.conn.call_method(
                Some(self.name.as_str()),
                "/MenuBar",
                Some("com.canonical.dbusmenu"),
                "Event",
                &(*id, "clicked", Value::I32(0), 0u32),
            ),
        )
        .await
        .unwrap();
    }
}

/// A dbusmenu layout node: id, properties, children (variants of nodes).
type MenuNode = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

fn walk(node: MenuNode, out: &mut Vec<(i32, String)>) {
    let (id, props, children) = node;
    if let Some(label) = props.get("label") {
        out.push((id, String::try_from(label.clone()).unwrap()));
    }
    for child in children {
        let child = MenuNode::try_from(Value::from(child)).unwrap();
        walk(child, out);
    }
}

fn has_label(labels: &[(i32, String)], label: &str) -> bool {
    labels.iter().any(|(_, l)| l == label)
}

#[tokio::test]
async fn tray_waits_for_a_host_then_serves_its_menu() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let (tx, mut commands) = mpsc::unbounded_channel();

    // No session bus at all: a clean error, not a panic.
    // SAFETY: this binary's only test; nothing else reads the environment
    // concurrently.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus") };
    let err = guard("start_tray", start_tray(TrayState::default(), tx.clone()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot show a tray icon"), "{err}");

    // A session bus without a tray host: the item waits.
    // SAFETY: as above.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus.address) };
    let state = TrayState {
        tooltip: "Posture check in 12 min, break in 34 min".into(),
        paused: false,
    };
    let handle = guard("start_tray", start_tray(state, tx.clone()))
        .await
        .expect("a missing tray host is not an error");
    assert!(!handle.is_shown());

    // A host appears: the item registers with it by itself.
    let (registered_tx, mut registered) = mpsc::unbounded_channel();
    let _watcher = bus
        .serve(
            "/StatusNotifierWatcher",
            FakeWatcher {
                registered: registered_tx,
            },
            "org.kde.StatusNotifierWatcher",
        )
        .await;
    let name = guard("RegisterStatusNotifierItem", registered.recv())
        .await
        .unwrap();
    assert!(handle.is_shown());

    let host = bus.connect().await;
    let item = Item { conn: &host, name };
    assert_eq!(
        item.tooltip_text().await,
        "Posture check in 12 min, break in 34 min"
    );
    let labels = item.menu_labels().await;
    for expected in [
        "Open Rebalance",
        "Take a break now",
        "Check posture now",
        "Start routine",
        "Pause",
        "30 minutes",
        "1 hour",
        "Until tomorrow",
        "Quit",
    ] {
        assert!(has_label(&labels, expected), "{expected:?} in {labels:?}");
    }
    assert!(!has_label(&labels, "Resume"));

    item.click("Check posture now").await;
    assert_eq!(
        guard("command", commands.recv()).await,
        Some(TrayCommand::Trigger(ReminderKind::PostureCheck))
    );
    item.click("1 hour").await;
    assert_eq!(
        guard("command", commands.recv()).await,
        Some(TrayCommand::Pause(PauseLength::For(Duration::from_secs(
            3600
        ))))
    );

    // Paused: another icon, another tooltip, Resume instead of Pause.
    let running_icon = item.property("IconPixmap").await;
    assert!(
        handle
            .update(TrayState {
                tooltip: "Paused for 1 hour".into(),
                paused: true,
            })
            .await
    );
    assert_eq!(item.tooltip_text().await, "Paused for 1 hour");
    assert_ne!(item.property("IconPixmap").await, running_icon);
    let labels = item.menu_labels().await;
    assert!(has_label(&labels, "Resume"), "{labels:?}");
    assert!(!has_label(&labels, "Pause"), "{labels:?}");
    item.click("Resume").await;
    assert_eq!(
        guard("command", commands.recv()).await,
        Some(TrayCommand::Resume)
    );
    item.click("Quit").await;
    assert_eq!(
        guard("command", commands.recv()).await,
        Some(TrayCommand::Quit)
    );

    handle.shutdown().await;
}
