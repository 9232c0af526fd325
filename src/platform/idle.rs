//! How long the user has been away from the keyboard and mouse, for natural
//! breaks. Sources, first that works: the X11 MIT-SCREEN-SAVER extension;
//! GNOME's `org.gnome.Mutter.IdleMonitor`; KDE's
//! `org.freedesktop.ScreenSaver.GetSessionIdleTime`. A locked screen
//! (`org.freedesktop.ScreenSaver` or `org.gnome.ScreenSaver` `GetActive`)
//! counts as idle since it locked. With no source at all, timers run on the
//! clock.

use std::time::{Duration, Instant};

#[cfg(unix)]
use x11::{X11Idle, x11_source};

/// How long one idle query may take.
const QUERY_TIMEOUT: Duration = Duration::from_secs(2);

/// A D-Bus method that answers an idle or lock question.
#[derive(Debug, Clone, Copy)]
struct DbusMethod {
    name: &'static str,
    path: &'static str,
    interface: &'static str,
    method: &'static str,
}

const MUTTER_IDLE: DbusMethod = DbusMethod {
    name: "org.gnome.Mutter.IdleMonitor",
    path: "/org/gnome/Mutter/IdleMonitor/Core",
    interface: "org.gnome.Mutter.IdleMonitor",
    method: "GetIdletime",
};
const SESSION_IDLE: DbusMethod = DbusMethod {
    name: "org.freedesktop.ScreenSaver",
    path: "/org/freedesktop/ScreenSaver",
    interface: "org.freedesktop.ScreenSaver",
    method: "GetSessionIdleTime",
};
const LOCK_SOURCES: [DbusMethod; 2] = [
    DbusMethod {
        name: "org.freedesktop.ScreenSaver",
        path: "/org/freedesktop/ScreenSaver",
        interface: "org.freedesktop.ScreenSaver",
        method: "GetActive",
    },
    DbusMethod {
        name: "org.gnome.ScreenSaver",
        path: "/org/gnome/ScreenSaver",
        interface: "org.gnome.ScreenSaver",
        method: "GetActive",
    },
];

/// Where idle time comes from.
#[derive(Debug)]
enum Source {
    #[cfg(unix)]
    X11(Box<X11Idle>),
    /// GNOME: milliseconds.
    Mutter(zbus::Connection),
    /// KDE and others: seconds.
    SessionIdle(zbus::Connection),
    None,
}

/// The lock-screen service found on the bus, if any.
#[derive(Debug)]
struct LockWatch {
    conn: zbus::Connection,
    method: DbusMethod,
    /// When we first saw the screen locked, for services that do not say.
    locked_since: Option<Instant>,
}

/// Samples the user's idle time from the best source the session offers.
#[derive(Debug)]
pub struct IdleMonitor {
    source: Source,
    lock: Option<LockWatch>,
    /// Whether the last sample failed, so a failing source warns once.
    failing: bool,
}

impl IdleMonitor {
    /// Finds the first idle source that answers, using `DISPLAY`,
    /// `WAYLAND_DISPLAY`/`XDG_SESSION_TYPE` and the session bus.
    pub async fn detect(session: Option<&zbus::Connection>) -> IdleMonitor {
        let display = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty());
        let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some_and(|w| !w.is_empty())
            || std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland");
        Self::detect_from(display.as_deref(), wayland, session).await
    }

    /// [`IdleMonitor::detect`] with the environment given. On Wayland the
    /// X11 extension is skipped: under XWayland it only sees input sent to
    /// X11 windows and would report the user idle while they type.
    pub async fn detect_from(
        display: Option<&str>,
        wayland: bool,
        session: Option<&zbus::Connection>,
    ) -> IdleMonitor {
        let lock = match session {
            Some(conn) => find_lock_watch(conn).await,
            None => None,
        };
        let mut source = Source::None;
        // Windows has no X11 display to ask.
        #[cfg(windows)]
        let _ = (display, wayland);
        #[cfg(unix)]
        if let (Some(x11_display), false) = (display, wayland) {
            match x11_source(x11_display).await {
                Ok(found) => source = found,
                Err(e) => tracing::debug!("X11 idle time unavailable on {x11_display}: {e}"),
            }
        }
        if let (Source::None, Some(conn)) = (&source, session) {
            if call_u64(conn, MUTTER_IDLE).await.is_ok() {
                source = Source::Mutter(conn.clone());
            } else if call_u64(conn, SESSION_IDLE).await.is_ok() {
                source = Source::SessionIdle(conn.clone());
            }
        }
        let monitor = IdleMonitor {
            source,
            lock,
            failing: false,
        };
        if matches!(monitor.source, Source::None) {
            tracing::warn!(
                "no idle time source (X11 screen saver extension, GNOME idle monitor or \
                 ScreenSaver service): breaks are timed on the clock{}",
                if monitor.lock.is_some() {
                    ", a locked screen still counts as a break"
                } else {
                    ""
                }
            );
        } else {
            tracing::info!("idle time from the {}", monitor.source_name());
        }
        monitor
    }

    /// Reads idle time from the X11 screen saver extension on `display`
    /// (":0"), or says why it cannot.
    #[cfg(unix)]
    pub async fn x11(display: &str) -> Result<IdleMonitor, String> {
        Ok(IdleMonitor {
            source: x11_source(display).await?,
            lock: None,
            failing: false,
        })
    }

    /// How long since the last keyboard or mouse input; a locked screen
    /// counts as idle since it locked. `None` when there is no source or it
    /// failed this time (logged once until it works again).
    pub async fn idle_time(&mut self) -> Option<Duration> {
        let input_idle = match self.sample_source().await {
            Ok(idle) => {
                if self.failing {
                    tracing::info!("idle time from the {} works again", self.source_name());
                    self.failing = false;
                }
                idle
            }
            Err(e) => {
                if !self.failing {
                    tracing::warn!("cannot read idle time from the {}: {e}", self.source_name());
                    self.failing = true;
                }
                None
            }
        };
        let locked_idle = self.locked_for().await;
        match (input_idle, locked_idle) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// A name for the source, for the status and Settings display.
    pub fn source_name(&self) -> &'static str {
        match (&self.source, &self.lock) {
            #[cfg(unix)]
            (Source::X11(_), _) => "X11 screen saver extension",
            (Source::Mutter(_), _) => "GNOME idle monitor",
            (Source::SessionIdle(_), _) => "ScreenSaver session idle time",
            (Source::None, Some(_)) => "screen lock only (breaks are timed on the clock)",
            (Source::None, None) => "none (breaks are timed on the clock)",
        }
    }

    /// Whether any source of idle or lock information was found.
    pub fn has_source(&self) -> bool {
        !matches!(self.source, Source::None) || self.lock.is_some()
    }

    async fn sample_source(&self) -> Result<Option<Duration>, String> {
        match &self.source {
            #[cfg(unix)]
            Source::X11(x11) => x11.idle().await.map(Some),
            Source::Mutter(conn) => call_u64(conn, MUTTER_IDLE)
                .await
                .map(|ms| Some(Duration::from_millis(ms))),
            Source::SessionIdle(conn) => call_u64(conn, SESSION_IDLE)
                .await
                .map(|s| Some(Duration::from_secs(s))),
            Source::None => Ok(None),
        }
    }

    /// How long the screen has been locked, `None` when it is not (or the
    /// lock service stopped answering).
    async fn locked_for(&mut self) -> Option<Duration> {
        let watch = self.lock.as_mut()?;
        let active = match call_dbus(&watch.conn, watch.method).await {
            Ok(reply) => reply.body().deserialize::<bool>().unwrap_or(false),
            Err(_) => false,
        };
        if !active {
            watch.locked_since = None;
            return None;
        }
        let since = *watch.locked_since.get_or_insert_with(Instant::now);
        let seen = since.elapsed();
        // GetActiveTime knows about time before we first looked.
        let reported = call_dbus(
            &watch.conn,
            DbusMethod {
                method: "GetActiveTime",
                ..watch.method
            },
        )
        .await
        .ok()
        .and_then(|reply| reply.body().deserialize::<u32>().ok())
        .map(|s| Duration::from_secs(s.into()));
        Some(reported.map_or(seen, |r| r.max(seen)))
    }
}

/// The first lock-screen service that answers `GetActive`.
async fn find_lock_watch(conn: &zbus::Connection) -> Option<LockWatch> {
    for method in LOCK_SOURCES {
        if let Ok(reply) = call_dbus(conn, method).await
            && reply.body().deserialize::<bool>().is_ok()
        {
            return Some(LockWatch {
                conn: conn.clone(),
                method,
                locked_since: None,
            });
        }
    }
    None
}

async fn call_dbus(conn: &zbus::Connection, m: DbusMethod) -> Result<zbus::Message, String> {
    let call = conn.call_method(Some(m.name), m.path, Some(m.interface), m.method, &());
    match tokio::time::timeout(QUERY_TIMEOUT, call).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(e)) => Err(format!("{}.{}: {e}", m.interface, m.method)),
        Err(_) => Err(format!(
            "{}.{} did not answer within {} s",
            m.interface,
            m.method,
            QUERY_TIMEOUT.as_secs()
        )),
    }
}

/// Calls a method answering an unsigned number (Mutter: `t`, KDE: `u`).
async fn call_u64(conn: &zbus::Connection, m: DbusMethod) -> Result<u64, String> {
    let reply = call_dbus(conn, m).await?;
    let body = reply.body();
    body.deserialize::<u64>()
        .or_else(|_| body.deserialize::<u32>().map(u64::from))
        .map_err(|e| format!("{}.{}: unexpected reply: {e}", m.interface, m.method))
}

/// Idle time from the X11 screen saver extension.
#[cfg(unix)]
mod x11 {
    use std::os::fd::{AsRawFd, RawFd};
    use std::time::Duration;

    use tokio::io::unix::AsyncFd;
    use x11rb::connection::Connection as _;
    use x11rb::protocol::screensaver::ConnectionExt as _;
    use x11rb::rust_connection::RustConnection;

    use super::{QUERY_TIMEOUT, Source};

    /// An X11 connection asked for idle time. Each query waits for the reply on
    /// the runtime's reactor rather than on a thread: the daemon samples idle
    /// time every few seconds and a thread per sample would be a wake-up (and a
    /// thread start) each time.
    #[derive(Debug)]
    pub(super) struct X11Idle {
        /// The connection's socket, watched for the reply. Declared before
        /// `conn` so it is deregistered before the connection closes it.
        socket: AsyncFd<SocketFd>,
        conn: RustConnection,
        root: u32,
    }

    /// The X11 socket's descriptor, owned by the connection (never closed here).
    #[derive(Debug)]
    struct SocketFd(RawFd);

    impl AsRawFd for SocketFd {
        fn as_raw_fd(&self) -> RawFd {
            self.0
        }
    }

    /// Connects to `display` and checks the screen saver extension answers.
    pub(super) async fn x11_source(display: &str) -> Result<Source, String> {
        let name = display.to_owned();
        // Connecting is blocking and happens once: off the async thread, under
        // a timeout.
        let connect = tokio::task::spawn_blocking(move || {
            let (conn, screen) = RustConnection::connect(Some(&name)).map_err(|e| e.to_string())?;
            let root = conn
                .setup()
                .roots
                .get(screen)
                .map(|s| s.root)
                .ok_or_else(|| format!("display has no screen {screen}"))?;
            Ok::<_, String>((conn, root))
        });
        let (conn, root) = match tokio::time::timeout(QUERY_TIMEOUT, connect).await {
            Ok(Ok(result)) => result?,
            Ok(Err(e)) => return Err(format!("connecting to X11 failed: {e}")),
            Err(_) => return Err("the X server did not answer".to_owned()),
        };
        let fd = SocketFd(conn.stream().as_raw_fd());
        // SAFETY: the descriptor belongs to `conn`, which lives in the same
        // `X11Idle` and is dropped after the registration.
        let socket = unsafe { AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }
            .map_err(|e| format!("cannot watch the X11 connection: {e}"))?;
        let x11 = X11Idle { socket, conn, root };
        x11.idle().await?;
        Ok(Source::X11(Box::new(x11)))
    }

    impl X11Idle {
        /// Milliseconds since the last input, from MIT-SCREEN-SAVER QueryInfo.
        pub(super) async fn idle(&self) -> Result<Duration, String> {
            let cookie = self
                .conn
                .screensaver_query_info(self.root)
                .map_err(|e| e.to_string())?;
            self.conn.flush().map_err(|e| e.to_string())?;
            // Reading the reply only once the socket has data means it never
            // blocks the runtime; a server that stopped answering times out.
            let mut ready = match tokio::time::timeout(QUERY_TIMEOUT, self.socket.readable()).await
            {
                Ok(Ok(ready)) => ready,
                Ok(Err(e)) => return Err(format!("X11 idle query failed: {e}")),
                Err(_) => return Err("the X server did not answer".to_owned()),
            };
            let reply = cookie
                .reply()
                .map_err(|e| format!("MIT-SCREEN-SAVER QueryInfo failed: {e}"));
            // The reply has been read: wait for fresh data next time.
            ready.clear_ready();
            Ok(Duration::from_millis(reply?.ms_since_user_input.into()))
        }
    }
}
