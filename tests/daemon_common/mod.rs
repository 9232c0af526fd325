//! Shared by the daemon tests: the real `rebalance` binary in private XDG
//! folders, on a private session bus, with a notification server of the
//! test's own that records every Notify call and can press buttons.

#![allow(dead_code)]

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rebalance::ipc::StatusReport;
use zbus::object_server::SignalEmitter;
use zbus::zvariant::OwnedValue;

#[path = "../platform_common/mod.rs"]
mod platform_common;
pub use platform_common::PrivateBus;

/// How long any awaited effect may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The settings file the tests run with: posture checks every minute at any
/// hour of any day, nothing else, no sound.
pub const TEST_SETTINGS: &str = r#"version = 1

[posture]
enabled = true
interval = "1m"

[move_break]
enabled = false

[routine]
enabled = false

[working_hours]
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
start = "00:00"
end = "23:59"

[notifications]
sound = false
"#;

/// One recorded Notify call.
#[derive(Debug, Clone)]
pub struct NotifyCall {
    /// The id the server answered with.
    pub id: u32,
    /// The app name sent.
    pub app_name: String,
    /// The id it replaces (0: none).
    pub replaces_id: u32,
    /// The summary line.
    pub summary: String,
    /// The body.
    pub body: String,
    /// The flat key/label list.
    pub actions: Vec<String>,
    /// The hint names sent.
    pub hints: Vec<String>,
}

impl NotifyCall {
    /// The action keys, without their labels.
    pub fn action_keys(&self) -> Vec<&str> {
        self.actions.iter().step_by(2).map(String::as_str).collect()
    }
}

#[derive(Default)]
struct Recorded {
    notified: Vec<NotifyCall>,
    closed: Vec<u32>,
}

struct RecordingServer {
    recorded: Arc<Mutex<Recorded>>,
    next_id: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl RecordingServer {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &mut self,
        app_name: String,
        replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let id = if replaces_id != 0 {
            replaces_id
        } else {
            self.next_id += 1;
            self.next_id
        };
        let mut hints: Vec<String> = hints.into_keys().collect();
        hints.sort();
        self.recorded.lock().unwrap().notified.push(NotifyCall {
            id,
            app_name,
            replaces_id,
            summary,
            body,
            actions,
            hints,
        });
        id
    }

    async fn close_notification(
        &self,
        id: u32,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        self.recorded.lock().unwrap().closed.push(id);
        Self::notification_closed(&emitter, id, 3).await?;
        Ok(())
    }

    fn get_capabilities(&self) -> Vec<String> {
        ["actions", "body"].map(String::from).to_vec()
    }

    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    fn get_server_information(&self) -> (String, String, String, String) {
        ("recorder".into(), "tests".into(), "1".into(), "1.2".into())
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

/// The recording server, running on its own thread so it answers while the
/// test blocks.
pub struct Notifications {
    recorded: Arc<Mutex<Recorded>>,
    press: tokio::sync::mpsc::UnboundedSender<(u32, String)>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Notifications {
    fn start(address: &str) -> Notifications {
        let recorded = Arc::new(Mutex::new(Recorded::default()));
        let (press, mut presses) = tokio::sync::mpsc::unbounded_channel::<(u32, String)>();
        let (ready_tx, ready) = std::sync::mpsc::channel();
        let server = RecordingServer {
            recorded: recorded.clone(),
            next_id: 0,
        };
        let address = address.to_owned();
        let thread = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let conn = zbus::connection::Builder::address(address.as_str())
                    .unwrap()
                    .serve_at("/org/freedesktop/Notifications", server)
                    .unwrap()
                    .name("org.freedesktop.Notifications")
                    .unwrap()
                    .build()
                    .await
                    .unwrap();
                ready_tx.send(()).unwrap();
                // Ends when the test drops the sender.
                while let Some((id, key)) = presses.recv().await {
                    let iface = conn
                        .object_server()
                        .interface::<_, RecordingServer>("/org/freedesktop/Notifications")
                        .await
                        .unwrap();
                    RecordingServer::action_invoked(iface.signal_emitter(), id, &key)
                        .await
                        .unwrap();
                }
            });
        });
        ready
            .recv_timeout(PATIENCE)
            .expect("notification server up");
        Notifications {
            recorded,
            press,
            thread: Some(thread),
        }
    }

    /// Every Notify call so far.
    pub fn calls(&self) -> Vec<NotifyCall> {
        self.recorded.lock().unwrap().notified.clone()
    }

    /// Every id withdrawn with CloseNotification so far.
    pub fn closed(&self) -> Vec<u32> {
        self.recorded.lock().unwrap().closed.clone()
    }

    /// Waits for the `n`th Notify call (1-based).
    pub fn wait_for_call(&self, n: usize) -> NotifyCall {
        wait_until(&format!("notification #{n}"), || {
            self.calls().get(n - 1).cloned()
        })
    }

    /// Presses button `key` on notification `id`, as a user would.
    pub fn press(&self, id: u32, key: &str) {
        self.press.send((id, key.to_owned())).unwrap();
    }
}

impl Drop for Notifications {
    fn drop(&mut self) {
        let (closed, _) = tokio::sync::mpsc::unbounded_channel();
        self.press = closed;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Polls `probe` until it returns something, failing the test after
/// [`PATIENCE`].
pub fn wait_until<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(start.elapsed() < PATIENCE, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(50));
    }
}

/// A daemon under test with its folders, bus and notification server.
pub struct Harness {
    /// Holds HOME and the XDG folders.
    pub dir: tempfile::TempDir,
    /// The private session bus.
    pub bus: PrivateBus,
    /// The recording notification server, if the test wanted one.
    pub notifications: Option<Notifications>,
    daemon: Option<Child>,
}

impl Harness {
    /// Prepares folders and the bus, with or without a notification server,
    /// and starts the daemon. `None` when dbus-daemon is not installed.
    pub fn start(with_notification_server: bool) -> Option<Harness> {
        let bus = PrivateBus::start()?;
        let notifications = with_notification_server.then(|| Notifications::start(&bus.address));
        let dir = tempfile::tempdir().unwrap();
        let harness = Harness {
            dir,
            bus,
            notifications,
            daemon: None,
        };
        std::fs::create_dir_all(harness.config_file().parent().unwrap()).unwrap();
        std::fs::write(harness.config_file(), TEST_SETTINGS).unwrap();
        let mut harness = harness;
        let daemon = harness
            .command(["daemon"])
            .stdout(Stdio::null())
            .stderr(Stdio::from(
                std::fs::File::create(harness.dir.path().join("daemon.stderr")).unwrap(),
            ))
            .spawn()
            .unwrap();
        harness.daemon = Some(daemon);
        wait_until("the daemon to answer", || {
            rebalance::ipc::client::is_running(&harness.socket(), Duration::from_secs(1))
                .then_some(())
        });
        Some(harness)
    }

    fn env(&self) -> Vec<(&'static str, OsString)> {
        let root = self.dir.path();
        vec![
            ("HOME", root.join("home").into()),
            ("XDG_CONFIG_HOME", root.join("config").into()),
            ("XDG_DATA_HOME", root.join("data").into()),
            ("XDG_RUNTIME_DIR", root.join("run").into()),
            ("DBUS_SESSION_BUS_ADDRESS", self.bus.address.clone().into()),
            // No logind here: the daemon must not find the host's.
            ("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent".into()),
            ("RUST_LOG", "info".into()),
        ]
    }

    /// `rebalance <args>` in the test's environment (no display).
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rebalance"));
        command
            .args(args)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .envs(self.env());
        std::fs::create_dir_all(self.dir.path().join("home")).unwrap();
        command
    }

    /// Runs `rebalance <args>` to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// The settings file.
    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("config/rebalance/settings.toml")
    }

    /// The log database.
    pub fn db_file(&self) -> PathBuf {
        self.dir.path().join("data/rebalance/rebalance.db")
    }

    /// The daemon's log file.
    pub fn log_file(&self) -> PathBuf {
        self.dir.path().join("data/rebalance/rebalance.log")
    }

    /// The control socket.
    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("run/rebalance/rebalance.sock")
    }

    /// `rebalance status --json`, parsed.
    pub fn status(&self) -> StatusReport {
        let out = self.run(&["status", "--json"]);
        assert!(out.status.success(), "status failed: {}", describe(&out));
        serde_json::from_slice(&out.stdout).expect("status --json is a StatusReport")
    }

    /// Asks the daemon to stop as the system does at log-off (SIGTERM).
    pub fn terminate(&self) {
        if let Some(child) = &self.daemon {
            rebalance::platform::process::terminate(child.id());
        }
    }

    /// Waits for the daemon process to exit and returns its exit code.
    pub fn wait_for_exit(&mut self) -> Option<i32> {
        let child = self.daemon.as_mut()?;
        let status = wait_until("the daemon to exit", || child.try_wait().unwrap());
        self.daemon = None;
        status.code()
    }

    /// The daemon's standard error so far, for failure messages.
    pub fn daemon_stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("daemon.stderr")).unwrap_or_default()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(mut child) = self.daemon.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Exit code, stdout and stderr of a finished command, for messages.
pub fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Whether `path` exists.
pub fn exists(path: &Path) -> bool {
    path.exists()
}
