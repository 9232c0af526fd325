//! Shared by the platform integration tests: a private D-Bus session bus
//! and a private X server.

#![allow(dead_code)]

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Awaits `f`, failing the test instead of hanging it.
pub async fn guard<T>(what: &str, f: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(20), f).await {
        Ok(v) => v,
        Err(_) => panic!("{what} hung"),
    }
}

/// A `dbus-daemon` of our own, killed when dropped.
pub struct PrivateBus {
    child: Child,
    /// The address to connect to.
    pub address: String,
    _dir: tempfile::TempDir,
}

impl PrivateBus {
    /// Starts a bus, or `None` (with the reason printed) when dbus-daemon is
    /// not installed.
    pub fn start() -> Option<PrivateBus> {
        let daemon = Path::new("/usr/bin/dbus-daemon");
        if !daemon.exists() {
            missing_tool("/usr/bin/dbus-daemon is not installed");
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        // Our own configuration rather than `--session`: the standard one
        // lists the installed service files, and an installed notification
        // daemon (dunst) would be started by the bus and answer in place of
        // the test's own server.
        let conf = dir.path().join("bus.conf");
        std::fs::write(
            &conf,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                dir.path().display()
            ),
        )
        .expect("write bus config");
        let mut child = Command::new(daemon)
            .arg(format!("--config-file={}", conf.display()))
            .args(["--print-address", "--nofork"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let stdout = child.stdout.take().expect("dbus-daemon stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read bus address");
        let address = line.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        Some(PrivateBus {
            child,
            address,
            _dir: dir,
        })
    }

    /// A new bus connection to it.
    pub async fn connect(&self) -> zbus::Connection {
        zbus::connection::Builder::address(self.address.as_str())
            .expect("bus address")
            .build()
            .await
            .expect("connect to the private bus")
    }
}

impl PrivateBus {
    /// A connection serving `iface` at `path` under the well-known `name`.
    pub async fn serve<I: zbus::object_server::Interface>(
        &self,
        path: &str,
        iface: I,
        name: &str,
    ) -> zbus::Connection {
        zbus::connection::Builder::address(self.address.as_str())
            .expect("bus address")
            .serve_at(path, iface)
            .expect("object path")
            .name(name)
            .expect("bus name")
            .build()
            .await
            .expect("serve on the private bus")
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Says a desktop tool is missing: a failure when `CI=true` (CI installs
/// every tool, so a skip there would hide a broken set-up), else a note.
pub fn missing_tool(what: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what}, and CI=true: CI must install it");
    }
    eprintln!("SKIPPED: {what}; .ci/run installs it and runs this test");
}

/// An Xvfb server on a free display, killed when dropped.
pub struct Xvfb {
    child: Child,
    /// The display name, like ":5".
    pub display: String,
}

impl Xvfb {
    /// Starts a server, or `None` (see [`missing_tool`]) without Xvfb.
    pub fn start() -> Option<Xvfb> {
        let mut child = match Command::new("Xvfb")
            // -noreset: an X server resets when its last client leaves, and a
            // test that connects just then is refused; a test's server
            // must stay up between the short connections the code under
            // test makes.
            .args([
                "-displayfd",
                "1",
                "-noreset",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "640x480x24",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => child,
            Err(e) => {
                missing_tool(&format!(
                    "cannot start Xvfb ({e}); install the xvfb package"
                ));
                return None;
            }
        };
        let mut line = String::new();
        let stdout = child.stdout.take().expect("Xvfb stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read display number");
        let number = line.trim();
        assert!(!number.is_empty(), "Xvfb printed no display number");
        Some(Xvfb {
            display: format!(":{number}"),
            child,
        })
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
