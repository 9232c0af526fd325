//! Actionable reminders through the freedesktop notification service
//! (`org.freedesktop.Notifications`), spoken directly over one shared zbus
//! connection.
//!
//! notify-rust is not used: it opens a new session connection for every
//! notification and waits for each one's actions on a connection of its own,
//! while the daemon needs every notification's `ActionInvoked` and
//! `NotificationClosed` signals on a single connection, with no task or
//! thread parked per notification.
//!
//! Every call is bounded by a timeout: a notification server that hangs must
//! never stall the daemon.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use zbus::export::futures_core::Stream;
use zbus::zvariant::Value;
use zbus::{MatchRule, MessageStream};

use super::icon_theme;
pub use crate::platform::notice::{
    CloseReason, Notice, NoticeAction, NoticeButton, NotificationEvent, notice_for,
};
// Body markup is a subset of XML, so the XML escaping serves.
use crate::core::text_format::escape_markup;

/// The notification service's well-known bus name.
pub const NOTIFICATIONS_NAME: &str = "org.freedesktop.Notifications";
/// The notification service's object path.
pub const NOTIFICATIONS_PATH: &str = "/org/freedesktop/Notifications";
/// The notification service's interface.
pub const NOTIFICATIONS_INTERFACE: &str = "org.freedesktop.Notifications";
/// How long any call to the notification server may take.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(2500);

/// The application name shown by the notification server.
const APP_NAME: &str = crate::platform::APP_NAME;
/// The application's own icon name, used when it is installed.
const APP_ICON: &str = "rebalance";
/// A stock themed icon used when the app's own icon is not installed.
const FALLBACK_ICON: &str = "preferences-desktop-accessibility";
/// The sound theme name asked for when sound is on.
const SOUND_NAME: &str = "message-new-instant";
/// The desktop file name (without `.desktop`) servers use to group and style.
const DESKTOP_ENTRY: &str = "rebalance";

impl Notice {
    /// The hints of the Notify call.
    pub fn hints(&self) -> HashMap<&'static str, Value<'static>> {
        let mut hints: HashMap<&'static str, Value<'static>> = HashMap::new();
        // 1 = normal: critical would stay on screen over full-screen work.
        hints.insert("urgency", Value::U8(1));
        hints.insert(
            "category",
            Value::from(format!("x-rebalance.{}", self.kind.as_str())),
        );
        hints.insert("desktop-entry", Value::from(DESKTOP_ENTRY));
        // Not resident: an answered reminder must go away.
        hints.insert("resident", Value::Bool(false));
        if self.sound {
            hints.insert("sound-name", Value::from(SOUND_NAME));
        } else {
            hints.insert("suppress-sound", Value::Bool(true));
        }
        hints
    }
}

/// Why talking to the notification server failed.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// Nobody owns `org.freedesktop.Notifications` on the session bus.
    #[error("no notification server is running on the session bus")]
    NoServer,
    /// The server did not answer in time.
    #[error("the notification server did not answer {method} within {} ms", after.as_millis())]
    Timeout {
        /// The method called.
        method: &'static str,
        /// How long we waited.
        after: Duration,
    },
    /// The server answered with an error.
    #[error("the notification server refused {method}: {message}")]
    Refused {
        /// The method called.
        method: &'static str,
        /// The server's error name and message.
        message: String,
    },
    /// The bus connection failed.
    #[error("D-Bus error talking to the notification server: {0}")]
    Dbus(#[from] zbus::Error),
}

impl NotifyError {
    fn from_call(method: &'static str, e: zbus::Error) -> Self {
        match &e {
            zbus::Error::MethodError(name, detail, _) => match name.as_str() {
                "org.freedesktop.DBus.Error.ServiceUnknown"
                | "org.freedesktop.DBus.Error.NameHasNoOwner" => Self::NoServer,
                // The bus tried to start an installed server and it failed
                // (for instance dunst with no display).
                spawn if spawn.starts_with("org.freedesktop.DBus.Error.Spawn.") => Self::NoServer,
                other => Self::Refused {
                    method,
                    message: match detail {
                        Some(d) => format!("{other}: {d}"),
                        None => other.to_owned(),
                    },
                },
            },
            _ => Self::Dbus(e),
        }
    }
}

/// What `GetServerInformation` says about the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// Product name ("dunst", "gnome-shell").
    pub name: String,
    /// Vendor.
    pub vendor: String,
    /// Server version.
    pub version: String,
    /// Notification specification version it implements.
    pub spec_version: String,
}

/// Sends and withdraws notifications over a shared session connection.
#[derive(Debug)]
pub struct Notifier {
    proxy: zbus::Proxy<'static>,
    timeout: Duration,
    app_icon: &'static str,
    /// Whether the server reads body markup, learned on first use.
    body_markup: Mutex<Option<bool>>,
}

impl Notifier {
    /// A notifier talking over `conn` (the daemon's one session connection).
    /// Does not contact the server: see [`Notifier::server_available`].
    pub async fn new(conn: &zbus::Connection) -> Result<Notifier, NotifyError> {
        let proxy = zbus::proxy::Builder::<zbus::Proxy<'static>>::new(conn)
            .destination(NOTIFICATIONS_NAME)?
            .path(NOTIFICATIONS_PATH)?
            .interface(NOTIFICATIONS_INTERFACE)?
            .cache_properties(zbus::proxy::CacheProperties::No)
            .build()
            .await?;
        Ok(Notifier {
            proxy,
            timeout: CALL_TIMEOUT,
            app_icon: if icon_theme::installed(APP_ICON) {
                APP_ICON
            } else {
                FALLBACK_ICON
            },
            body_markup: Mutex::new(None),
        })
    }

    /// The same notifier with another call timeout (default [`CALL_TIMEOUT`]).
    pub fn with_timeout(mut self, timeout: Duration) -> Notifier {
        self.timeout = timeout;
        self
    }

    async fn call<B, R>(&self, method: &'static str, body: &B) -> Result<R, NotifyError>
    where
        B: serde::Serialize + zbus::zvariant::DynamicType,
        R: for<'d> zbus::zvariant::DynamicDeserialize<'d>,
    {
        match tokio::time::timeout(self.timeout, self.proxy.call(method, body)).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(e)) => Err(NotifyError::from_call(method, e)),
            Err(_) => Err(NotifyError::Timeout {
                method,
                after: self.timeout,
            }),
        }
    }

    /// Shows `n` (replacing `n.replaces` if set) and returns its id.
    pub async fn show(&self, n: &Notice) -> Result<u32, NotifyError> {
        let body = if self.body_markup().await? {
            escape_markup(&n.body)
        } else {
            n.body.clone()
        };
        // 0: the notification stays until answered or withdrawn; the
        // engine decides when an unanswered reminder expires.
        let expire_timeout: i32 = 0;
        self.call(
            "Notify",
            &(
                APP_NAME,
                n.replaces.unwrap_or(0),
                self.app_icon,
                n.title.as_str(),
                body.as_str(),
                n.action_list(),
                n.hints(),
                expire_timeout,
            ),
        )
        .await
    }

    /// Withdraws notification `id` (answered elsewhere, or expired).
    pub async fn close(&self, id: u32) -> Result<(), NotifyError> {
        self.call("CloseNotification", &(id,)).await
    }

    /// The server's name and version.
    pub async fn server_info(&self) -> Result<ServerInfo, NotifyError> {
        let (name, vendor, version, spec_version): (String, String, String, String) =
            self.call("GetServerInformation", &()).await?;
        Ok(ServerInfo {
            name,
            vendor,
            version,
            spec_version,
        })
    }

    /// The server's capabilities ("actions", "body-markup", "sound"...).
    pub async fn capabilities(&self) -> Result<Vec<String>, NotifyError> {
        self.call("GetCapabilities", &()).await
    }

    /// Whether a notification server answers right now.
    pub async fn server_available(&self) -> bool {
        self.server_info().await.is_ok()
    }

    /// Whether the body is read as markup, asked once. A server that does
    /// not say is assumed to (escaping is harmless on the common servers,
    /// which all read markup); one that is absent or hangs is an error, so
    /// `show` fails after one timeout rather than two.
    async fn body_markup(&self) -> Result<bool, NotifyError> {
        if let Ok(guard) = self.body_markup.lock()
            && let Some(known) = *guard
        {
            return Ok(known);
        }
        match self.capabilities().await {
            Ok(caps) => {
                let markup = caps.iter().any(|c| c == "body-markup");
                if let Ok(mut guard) = self.body_markup.lock() {
                    *guard = Some(markup);
                }
                Ok(markup)
            }
            Err(e @ (NotifyError::NoServer | NotifyError::Timeout { .. })) => Err(e),
            Err(_) => Ok(true),
        }
    }
}

/// The stream of [`NotificationEvent`]s. It must be polled continuously
/// (in the daemon's select loop): an unread queue stalls the connection.
#[derive(Debug)]
pub struct NotificationEvents {
    messages: MessageStream,
}

impl NotificationEvents {
    /// The next event; `None` once the connection is gone.
    pub async fn next(&mut self) -> Option<NotificationEvent> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for NotificationEvents {
    type Item = NotificationEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match Pin::new(&mut self.messages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => {
                    tracing::debug!("notification signal stream error: {e}");
                }
                Poll::Ready(Some(Ok(msg))) => {
                    if let Some(event) = parse_signal(&msg) {
                        return Poll::Ready(Some(event));
                    }
                }
            }
        }
    }
}

fn parse_signal(msg: &zbus::Message) -> Option<NotificationEvent> {
    let header = msg.header();
    let member = header.member()?;
    let body = msg.body();
    match member.as_str() {
        "ActionInvoked" => {
            let (id, key): (u32, String) = body.deserialize().ok()?;
            match NoticeAction::from_key(&key) {
                Some(action) => Some(NotificationEvent::ActionInvoked { id, action }),
                None => {
                    tracing::debug!("ignoring unknown notification action {key:?} on {id}");
                    None
                }
            }
        }
        "NotificationClosed" => {
            let (id, reason): (u32, u32) = body.deserialize().ok()?;
            Some(NotificationEvent::Closed {
                id,
                reason: reason.into(),
            })
        }
        "ActivationToken" => {
            let (id, token): (u32, String) = body.deserialize().ok()?;
            Some(NotificationEvent::ActivationToken { id, token })
        }
        _ => None,
    }
}

/// Subscribes to the notification server's signals on `conn`. Create it
/// before the first [`Notifier::show`] so no early click is missed.
pub async fn notification_events(
    conn: &zbus::Connection,
) -> Result<NotificationEvents, NotifyError> {
    let rule = MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(NOTIFICATIONS_INTERFACE)?
        .path(NOTIFICATIONS_PATH)?
        .build();
    let subscribe = MessageStream::for_match_rule(rule, conn, Some(256));
    match tokio::time::timeout(CALL_TIMEOUT, subscribe).await {
        Ok(Ok(messages)) => Ok(NotificationEvents { messages }),
        Ok(Err(e)) => Err(NotifyError::Dbus(e)),
        Err(_) => Err(NotifyError::Timeout {
            method: "AddMatch",
            after: CALL_TIMEOUT,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::ReminderKind;
    use crate::platform::notice::tests::pending;

    #[test]
    fn sound_hint_follows_the_setting() {
        let p = pending(ReminderKind::PostureCheck, true);
        let on = notice_for(&p, "t", "b", Duration::from_secs(300), true).hints();
        assert_eq!(on.get("sound-name"), Some(&Value::from(SOUND_NAME)));
        let off = notice_for(&p, "t", "b", Duration::from_secs(300), false).hints();
        assert!(!off.contains_key("sound-name"));
        assert_eq!(off.get("suppress-sound"), Some(&Value::Bool(true)));
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape_markup("hips < knees & <b>"),
            "hips &lt; knees &amp; &lt;b&gt;"
        );
    }
}
