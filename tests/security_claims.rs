//! The security claims of docs/SECURITY.md, each checked against the real
//! `rebalance daemon` in private XDG folders on a private session bus:
//! owner-only files and folders whatever the umask, no network socket, and
//! the socket's peer check refusing another user.

// Unix sockets, file modes, setuid and /proc: the Unix side of the security claims.
#![cfg(unix)]

#[path = "daemon_common/mod.rs"]
mod daemon_common;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use daemon_common::{PrivateBus, describe, wait_until};
use rebalance::store::Store;

/// A daemon started on empty folders, so it creates every file itself.
struct FreshDaemon {
    dir: tempfile::TempDir,
    bus: PrivateBus,
    child: Child,
}

impl FreshDaemon {
    /// Starts `rebalance daemon` with umask 000, so any file or folder it
    /// does not explicitly make private would be world-accessible. `None`
    /// when dbus-daemon is not installed.
    fn start() -> Option<FreshDaemon> {
        let bus = PrivateBus::start()?;
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("home")).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_rebalance"));
        command
            .arg("daemon")
            .env_clear()
            .envs(env(dir.path(), &bus))
            .stdout(Stdio::null())
            .stderr(fs::File::create(dir.path().join("daemon.stderr")).unwrap());
        // SAFETY: umask is async-signal-safe and cannot fail.
        unsafe {
            command.pre_exec(|| {
                libc::umask(0);
                Ok(())
            });
        }
        let child = command.spawn().unwrap();
        let daemon = FreshDaemon { dir, bus, child };
        wait_until("the daemon to answer", || {
            rebalance::ipc::client::is_running(&daemon.socket(), Duration::from_secs(1))
                .then_some(())
        });
        Some(daemon)
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn config_dir(&self) -> PathBuf {
        self.root().join("config/rebalance")
    }

    fn data_dir(&self) -> PathBuf {
        self.root().join("data/rebalance")
    }

    fn runtime_dir(&self) -> PathBuf {
        self.root().join("run/rebalance")
    }

    fn socket(&self) -> PathBuf {
        self.runtime_dir().join("rebalance.sock")
    }

    /// `rebalance <args>` as a user would type it, which must succeed.
    fn run(&self, args: &[&str]) {
        let out = Command::new(env!("CARGO_BIN_EXE_rebalance"))
            .args(args)
            .env_clear()
            .envs(env(self.root(), &self.bus))
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", describe(&out));
    }

    fn stderr(&self) -> String {
        fs::read_to_string(self.root().join("daemon.stderr")).unwrap_or_default()
    }
}

impl Drop for FreshDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn env(root: &Path, bus: &PrivateBus) -> Vec<(&'static str, OsString)> {
    vec![
        ("HOME", root.join("home").into()),
        ("PATH", "/usr/bin:/bin".into()),
        ("XDG_CONFIG_HOME", root.join("config").into()),
        ("XDG_DATA_HOME", root.join("data").into()),
        ("XDG_RUNTIME_DIR", root.join("run").into()),
        ("DBUS_SESSION_BUS_ADDRESS", bus.address.clone().into()),
        ("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent".into()),
        ("RUST_LOG", "info".into()),
    ]
}

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .mode()
        & 0o777
}

fn our_uid() -> u32 {
    rebalance::platform::paths::current_uid()
}

#[test]
fn every_file_and_folder_the_daemon_creates_is_owner_only() {
    let Some(daemon) = FreshDaemon::start() else {
        return;
    };
    // A pause is written to the log, so the database has its write-ahead
    // log beside it too.
    daemon.run(&["pause", "10m"]);
    daemon.run(&["resume"]);

    let expected = [
        daemon.config_dir().join("settings.toml"),
        daemon.data_dir().join("rebalance.db"),
        daemon.data_dir().join("rebalance.db-wal"),
        daemon.data_dir().join("rebalance.log"),
        daemon.socket(),
    ];
    for file in &expected {
        assert!(file.exists(), "{} was not created", file.display());
    }
    for dir in [daemon.config_dir(), daemon.data_dir(), daemon.runtime_dir()] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        assert_eq!(fs::metadata(&dir).unwrap().uid(), our_uid());
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(
                mode(&path),
                0o600,
                "{} is not owner-only (mode {:o})",
                path.display(),
                mode(&path)
            );
        }
    }
    assert!(
        fs::symlink_metadata(daemon.socket())
            .unwrap()
            .file_type()
            .is_socket(),
        "the socket is a socket"
    );
}

#[test]
fn a_log_made_with_looser_permissions_is_made_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebalance.db");
    drop(Store::open(&path).unwrap());
    assert_eq!(mode(&path), 0o600, "a new log is owner-only");
    // As an older build under umask 022 left it.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    let wal = dir.path().join("rebalance.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600, "the write-ahead log follows");
    }
    drop(store);
}

/// The inode numbers in a `/proc/<pid>/net/*` table (`column` counts from 0).
fn inodes_in(table: &Path, column: usize) -> BTreeSet<u64> {
    fs::read_to_string(table)
        .unwrap_or_else(|e| panic!("{}: {e}", table.display()))
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().nth(column)?.parse().ok())
        .collect()
}

/// The inode of every socket the process holds open.
fn socket_inodes(pid: u32) -> BTreeSet<u64> {
    fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|fd| fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            target
                .strip_prefix("socket:[")?
                .strip_suffix(']')?
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn the_running_daemon_holds_unix_sockets_only() {
    let Some(daemon) = FreshDaemon::start() else {
        return;
    };
    // Exercise it first: a status, a pause written to the log.
    daemon.run(&["status"]);
    daemon.run(&["pause", "10m"]);
    daemon.run(&["resume"]);

    let pid = daemon.child.id();
    let net = PathBuf::from(format!("/proc/{pid}/net"));
    // A connection the daemon is just closing can leave the fd list between
    // two reads; a socket that stays must be a unix one.
    wait_until("every socket of the daemon to be a unix socket", || {
        let sockets = socket_inodes(pid);
        // The control socket and the session bus connection at least:
        // proves the sockets are seen at all.
        assert!(sockets.len() >= 2, "sockets seen: {sockets:?}");
        let unix = inodes_in(&net.join("unix"), 6);
        let mut inet = BTreeSet::new();
        for table in ["tcp", "tcp6", "udp", "udp6", "raw", "raw6"] {
            let path = net.join(table);
            if path.exists() {
                inet.extend(inodes_in(&path, 9));
            }
        }
        if let Some(inode) = sockets.iter().find(|i| inet.contains(i)) {
            panic!("socket {inode} is an internet socket");
        }
        let other: Vec<_> = sockets.iter().filter(|i| !unix.contains(i)).collect();
        if !other.is_empty() {
            eprintln!("sockets not (yet) in /proc/{pid}/net/unix: {other:?}");
        }
        other.is_empty().then_some(())
    });
}

/// The outcome of one raw request, as a child's exit code.
const ANSWERED: i32 = 10;
const REFUSED: i32 = 11;
const CANNOT_CONNECT: i32 = 12;
const NO_REPLY: i32 = 13;
const SETUID_FAILED: i32 = 14;

/// Connects to `addr`, sends `request` and reads the reply, using only
/// system calls (no allocation), so it is safe in a forked child.
fn raw_exchange(addr: &libc::sockaddr_un, request: &[u8]) -> i32 {
    // SAFETY: plain system calls on a socket this function owns, with
    // pointers to live buffers of the stated lengths.
    unsafe {
        let fd = libc::socket(libc::AF_UNIX, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return CANNOT_CONNECT;
        }
        let timeout = libc::timeval {
            tv_sec: 10,
            tv_usec: 0,
        };
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&raw const timeout).cast(),
            size_of::<libc::timeval>() as libc::socklen_t,
        );
        if libc::connect(
            fd,
            (addr as *const libc::sockaddr_un).cast(),
            size_of::<libc::sockaddr_un>() as libc::socklen_t,
        ) != 0
        {
            libc::close(fd);
            return CANNOT_CONNECT;
        }
        // The daemon may already have hung up: no SIGPIPE.
        libc::send(
            fd,
            request.as_ptr().cast(),
            request.len(),
            libc::MSG_NOSIGNAL,
        );
        let mut reply = [0u8; 256];
        let n = libc::read(fd, reply.as_mut_ptr().cast(), reply.len());
        let errno = *libc::__errno_location();
        libc::close(fd);
        match n {
            n if n > 0 => ANSWERED,
            0 => REFUSED,
            _ if errno == libc::ECONNRESET => REFUSED,
            _ => NO_REPLY,
        }
    }
}

fn socket_address(path: &Path) -> libc::sockaddr_un {
    // SAFETY: sockaddr_un is plain data; all zeros is a valid value.
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    let bytes = path.as_os_str().as_encoded_bytes();
    assert!(bytes.len() < addr.sun_path.len(), "socket path too long");
    for (slot, byte) in addr.sun_path.iter_mut().zip(bytes) {
        *slot = *byte as libc::c_char;
    }
    addr
}

/// Runs [`raw_exchange`] in a child process as user and group `id`.
fn exchange_as(id: u32, addr: &libc::sockaddr_un, request: &[u8]) -> i32 {
    // SAFETY: the child only makes system calls and exits; it allocates
    // nothing and touches no lock another thread could hold.
    unsafe {
        match libc::fork() {
            -1 => panic!("fork: {}", std::io::Error::last_os_error()),
            0 => {
                let dropped = libc::setgroups(0, std::ptr::null()) == 0
                    && libc::setgid(id) == 0
                    && libc::setuid(id) == 0;
                libc::_exit(if dropped {
                    raw_exchange(addr, request)
                } else {
                    SETUID_FAILED
                });
            }
            child => {
                let mut status = 0;
                assert_eq!(libc::waitpid(child, &mut status, 0), child);
                assert!(libc::WIFEXITED(status), "child status {status}");
                libc::WEXITSTATUS(status)
            }
        }
    }
}

#[test]
fn the_socket_refuses_another_user_even_when_it_can_reach_it() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIPPED: acting as another user needs root");
        return;
    }
    let Some(daemon) = FreshDaemon::start() else {
        return;
    };
    // Take the file protections away, as a careless chmod would, so only
    // the peer check stands between another user and the daemon.
    for dir in [
        daemon.root().to_path_buf(),
        daemon.root().join("run"),
        daemon.runtime_dir(),
    ] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::set_permissions(daemon.socket(), fs::Permissions::from_mode(0o666)).unwrap();

    let addr = socket_address(&daemon.socket());
    let ping = b"{\"request\":\"ping\"}\n";
    assert_eq!(raw_exchange(&addr, ping), ANSWERED, "the owner is answered");
    let nobody = 65534;
    assert_eq!(
        exchange_as(nobody, &addr, ping),
        REFUSED,
        "user {nobody} reached the socket but must be refused"
    );
    wait_until("the refusal in the daemon's log", || {
        daemon
            .stderr()
            .contains("refused a connection from another user")
            .then_some(())
    });
    // Still serving its owner.
    daemon.run(&["status"]);
}
