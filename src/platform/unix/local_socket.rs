//! The local control channel between Rebalance's processes: a socket in the
//! user's runtime folder that only the owner can open, and the check of who
//! is at the other end.

use std::io;
use std::path::Path;

/// Who runs a process: the numeric user id.
pub type UserId = u32;

/// A blocking connection to a local socket.
pub type LocalStream = std::os::unix::net::UnixStream;

/// A blocking listener on a local socket.
pub type LocalListener = std::os::unix::net::UnixListener;

/// A connection to a local socket for the tokio runtime.
pub type AsyncLocalStream = tokio::net::UnixStream;

/// A listener on a local socket for the tokio runtime.
pub type AsyncLocalListener = tokio::net::UnixListener;

/// The reading half of a split [`AsyncLocalStream`].
pub type AsyncLocalReadHalf = tokio::net::unix::OwnedReadHalf;

/// The writing half of a split [`AsyncLocalStream`].
pub type AsyncLocalWriteHalf = tokio::net::unix::OwnedWriteHalf;

/// Moves a bound listener onto the tokio runtime. Must be called inside it.
pub fn into_async(listener: LocalListener) -> io::Result<AsyncLocalListener> {
    listener.set_nonblocking(true)?;
    AsyncLocalListener::from_std(listener)
}

/// Waits for the next client on `listener`.
pub async fn accept(listener: &mut AsyncLocalListener) -> io::Result<AsyncLocalStream> {
    listener.accept().await.map(|(stream, _)| stream)
}

/// Splits `stream` into halves that can be used at the same time.
pub fn split(stream: AsyncLocalStream) -> (AsyncLocalReadHalf, AsyncLocalWriteHalf) {
    stream.into_split()
}

/// Binds a listener at `path` that only the owner may connect to.
pub fn bind_owner_only(path: &Path) -> io::Result<LocalListener> {
    let listener = LocalListener::bind(path)?;
    super::files::restrict_to_owner(path)?;
    Ok(listener)
}

/// The user id of the process at the other end of `stream`.
pub fn peer_uid(stream: &LocalStream) -> io::Result<UserId> {
    use std::os::fd::AsRawFd;
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are valid for writes of the sizes given and
    // the descriptor lives as long as `stream`.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&raw mut cred).cast(),
            &raw mut len,
        )
    };
    if rc == 0 {
        Ok(cred.uid)
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The user id of the process at the other end of an async `stream`.
pub fn async_peer_uid(stream: &AsyncLocalStream) -> io::Result<UserId> {
    stream.peer_cred().map(|cred| cred.uid())
}
