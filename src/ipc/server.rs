//! The daemon's end of the socket: single-instance binding, the peer check,
//! and one task per connection that reads capped request lines and hands
//! each parsed request to the daemon loop through a channel.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::ipc::client;
use crate::ipc::protocol::{MAX_REQUEST_BYTES, Request, Response};
use crate::platform::files;
use crate::platform::local_socket::{
    self, AsyncLocalListener, AsyncLocalStream, AsyncLocalWriteHalf, LocalListener, UserId,
    async_peer_uid, bind_owner_only,
};
use crate::platform::paths::current_uid;

/// A connection with no request for this long is closed.
const IDLE_CONNECTION: Duration = Duration::from_secs(60);

/// How long to wait for a daemon found on an existing socket to answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// One parsed request waiting for the daemon loop's reply.
#[derive(Debug)]
pub struct Incoming {
    /// What the client asked.
    pub request: Request,
    /// Where the reply goes; dropping it sends an error to the client.
    pub reply: oneshot::Sender<Response>,
}

/// Whether a peer running as `peer_uid` may talk to a daemon running as
/// `our_uid`: only the same user may.
pub fn peer_allowed(peer_uid: &UserId, our_uid: &UserId) -> bool {
    peer_uid == our_uid
}

/// Why the socket could not be bound.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    /// Another daemon holds the socket (it answered a ping, or holds the lock).
    #[error("Rebalance is already running (socket {})", socket.display())]
    AlreadyRunning {
        /// The socket of the running daemon.
        socket: PathBuf,
    },
    /// The socket or its lock file could not be set up.
    #[error("cannot listen on {}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// A bound, owner-only socket plus the lock that makes this daemon the only
/// one. Not yet serving: call [`SocketServer::spawn`] inside a runtime.
#[derive(Debug)]
pub struct SocketServer {
    listener: LocalListener,
    path: PathBuf,
    lock: File,
}

impl SocketServer {
    /// Takes the single-instance lock next to `socket`, removes a stale
    /// socket file left by a daemon that died, and binds a fresh one with
    /// mode 0600. Fails with [`BindError::AlreadyRunning`] when another
    /// daemon is alive.
    pub fn bind(socket: &Path) -> Result<SocketServer, BindError> {
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| BindError::Io { path, source }
        };
        let lock_path = lock_path(socket);
        let lock = files::owner_only(OpenOptions::new().create(true).truncate(false).write(true))
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        if !files::try_lock_exclusive(&lock).map_err(io_err(&lock_path))? {
            return Err(BindError::AlreadyRunning {
                socket: socket.to_path_buf(),
            });
        }
        // We hold the lock, so no other daemon of ours is alive; a socket
        // that still answers belongs to an older build without the lock.
        if socket.exists() {
            if client::is_running(socket, PROBE_TIMEOUT) {
                return Err(BindError::AlreadyRunning {
                    socket: socket.to_path_buf(),
                });
            }
            tracing::info!(socket = %socket.display(), "removing a stale socket file");
            std::fs::remove_file(socket).map_err(io_err(socket))?;
        }
        let listener = bind_owner_only(socket).map_err(io_err(socket))?;
        Ok(SocketServer {
            listener,
            path: socket.to_path_buf(),
            lock,
        })
    }

    /// The socket's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts accepting connections on the current tokio runtime; parsed
    /// requests go to `requests`. Must be called from within a runtime.
    pub fn spawn(self, requests: mpsc::Sender<Incoming>) -> io::Result<ServerHandle> {
        let listener = local_socket::into_async(self.listener)?;
        let our_uid = current_uid();
        let task = tokio::spawn(accept_loop(listener, requests, our_uid));
        Ok(ServerHandle {
            task,
            path: self.path,
            _lock: self.lock,
        })
    }
}

/// A running server. Dropping it stops accepting and removes the socket
/// file, so clients see "not running" at once.
#[derive(Debug)]
pub struct ServerHandle {
    task: JoinHandle<()>,
    path: PathBuf,
    _lock: File,
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.task.abort();
        // The lock is still held here, so the file is ours to remove.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The single-instance lock file next to `socket`.
pub(crate) fn lock_path(socket: &Path) -> PathBuf {
    let mut name = socket.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

async fn accept_loop(
    mut listener: AsyncLocalListener,
    requests: mpsc::Sender<Incoming>,
    our_uid: UserId,
) {
    loop {
        let stream = match local_socket::accept(&mut listener).await {
            Ok(stream) => stream,
            Err(err) => {
                // Running out of descriptors must not end the service: wait
                // a moment and accept again.
                tracing::warn!("accepting a connection failed: {err}");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        match async_peer_uid(&stream) {
            Ok(peer_uid) if peer_allowed(&peer_uid, &our_uid) => {
                tokio::spawn(serve_connection(stream, requests.clone()));
            }
            Ok(peer_uid) => {
                tracing::warn!(%peer_uid, "refused a connection from another user");
            }
            Err(err) => tracing::warn!("refused a connection with unknown credentials: {err}"),
        }
    }
}

/// What reading one request line produced.
enum Line {
    Request(Vec<u8>),
    TooLong,
    End,
}

async fn read_line<R: AsyncBufReadExt + Unpin>(reader: &mut R) -> io::Result<Line> {
    let mut buf = Vec::new();
    let read = reader
        .take(MAX_REQUEST_BYTES as u64 + 1)
        .read_until(b'\n', &mut buf)
        .await?;
    if read == 0 {
        return Ok(Line::End);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        return Ok(Line::Request(buf));
    }
    if buf.len() > MAX_REQUEST_BYTES {
        Ok(Line::TooLong)
    } else {
        // The client closed mid-line: treat what came as the last request.
        Ok(Line::Request(buf))
    }
}

async fn serve_connection(stream: AsyncLocalStream, requests: mpsc::Sender<Incoming>) {
    let (read_half, mut write_half) = local_socket::split(stream);
    let mut reader = BufReader::new(read_half);
    loop {
        let line = match tokio::time::timeout(IDLE_CONNECTION, read_line(&mut reader)).await {
            Err(_) | Ok(Ok(Line::End)) => return,
            Ok(Err(err)) => {
                tracing::debug!("reading a request failed: {err}");
                return;
            }
            Ok(Ok(line)) => line,
        };
        let (reply, keep_open) = match line {
            Line::End => return,
            Line::TooLong => (
                Response::error(format!(
                    "request refused: longer than {MAX_REQUEST_BYTES} bytes"
                )),
                false,
            ),
            Line::Request(bytes) => (dispatch(&bytes, &requests).await, true),
        };
        if write_reply(&mut write_half, &reply).await.is_err() || !keep_open {
            return;
        }
    }
}

async fn dispatch(bytes: &[u8], requests: &mpsc::Sender<Incoming>) -> Response {
    let request = match serde_json::from_slice::<Request>(bytes) {
        Ok(request) => request,
        Err(err) => return Response::error(format!("malformed request: {err}")),
    };
    let (reply, answer) = oneshot::channel();
    if requests.send(Incoming { request, reply }).await.is_err() {
        return Response::error("the daemon is shutting down");
    }
    answer
        .await
        .unwrap_or_else(|_| Response::error("the daemon is shutting down"))
}

async fn write_reply(writer: &mut AsyncLocalWriteHalf, reply: &Response) -> io::Result<()> {
    let mut line = serde_json::to_vec(reply).map_err(io::Error::other)?;
    line.push(b'\n');
    writer.write_all(&line).await?;
    writer.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_user_is_allowed() {
        let user = |id: &str| -> UserId { id.parse().expect("a user id") };
        assert!(peer_allowed(&user("1000"), &user("1000")));
        assert!(!peer_allowed(&user("1001"), &user("1000")));
        assert!(!peer_allowed(&user("0"), &user("1000")), "not even root");
    }

    #[test]
    fn the_lock_file_sits_next_to_the_socket() {
        assert_eq!(
            lock_path(Path::new("/run/user/1000/rebalance/rebalance.sock")),
            PathBuf::from("/run/user/1000/rebalance/rebalance.sock.lock")
        );
    }
}
