//! The blocking client used by the command line and the window: one request
//! line out, one reply line back, every read and write under a timeout so a
//! stuck daemon cannot hang its caller.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::ipc::protocol::{MAX_REPLY_BYTES, Request, Response};
use crate::platform::local_socket::LocalStream;

/// How long a client waits for the daemon by default. Replies that show a
/// notification wait on D-Bus, whose calls the daemon bounds well below this.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a request could not be exchanged with the daemon.
#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    /// Nothing listens on the socket: the daemon is not running.
    #[error("Rebalance is not running (no daemon at {})", socket.display())]
    NotRunning {
        /// The socket that was tried.
        socket: PathBuf,
    },
    /// The daemon took longer than the timeout to answer.
    #[error("the daemon did not answer within {} s", timeout.as_secs())]
    Timeout {
        /// The timeout that ran out.
        timeout: Duration,
    },
    /// The daemon closed the connection without a reply.
    #[error("the daemon closed the connection without answering")]
    Closed,
    /// The reply could not be understood.
    #[error("the daemon sent a reply this version cannot read: {0}")]
    BadReply(String),
    /// Any other socket error.
    #[error("talking to the daemon failed: {0}")]
    Io(#[from] io::Error),
}

/// A connection to the daemon; several requests may be sent in turn.
#[derive(Debug)]
pub struct Client {
    reader: BufReader<LocalStream>,
    timeout: Duration,
}

impl Client {
    /// Connects to the daemon's socket with [`DEFAULT_TIMEOUT`].
    pub fn connect(socket: &Path) -> Result<Client, IpcError> {
        Self::connect_with_timeout(socket, DEFAULT_TIMEOUT)
    }

    /// Connects with a custom read/write timeout.
    pub fn connect_with_timeout(socket: &Path, timeout: Duration) -> Result<Client, IpcError> {
        let stream = LocalStream::connect(socket).map_err(|err| match err.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => IpcError::NotRunning {
                socket: socket.to_path_buf(),
            },
            _ => IpcError::Io(err),
        })?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        Ok(Client {
            reader: BufReader::new(stream),
            timeout,
        })
    }

    /// Sends one request and waits for its reply.
    pub fn request(&mut self, request: &Request) -> Result<Response, IpcError> {
        let mut line = serde_json::to_vec(request)
            .map_err(|err| IpcError::Io(io::Error::new(io::ErrorKind::InvalidInput, err)))?;
        line.push(b'\n');
        self.reader
            .get_mut()
            .write_all(&line)
            .map_err(|err| self.classify(err))?;

        let mut reply = Vec::new();
        let read = (&mut self.reader)
            .take(MAX_REPLY_BYTES as u64 + 1)
            .read_until(b'\n', &mut reply)
            .map_err(|err| self.classify(err))?;
        if read == 0 {
            return Err(IpcError::Closed);
        }
        if reply.last() != Some(&b'\n') {
            return Err(if reply.len() > MAX_REPLY_BYTES {
                IpcError::BadReply(format!("reply longer than {MAX_REPLY_BYTES} bytes"))
            } else {
                IpcError::Closed
            });
        }
        serde_json::from_slice(&reply).map_err(|err| IpcError::BadReply(err.to_string()))
    }

    fn classify(&self, err: io::Error) -> IpcError {
        match err.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => IpcError::Timeout {
                timeout: self.timeout,
            },
            io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::UnexpectedEof => IpcError::Closed,
            _ => IpcError::Io(err),
        }
    }
}

/// Connects, sends one request and returns the reply.
pub fn send(socket: &Path, request: &Request) -> Result<Response, IpcError> {
    Client::connect(socket)?.request(request)
}

/// Whether a daemon answers a ping on `socket` within `timeout`.
pub fn is_running(socket: &Path, timeout: Duration) -> bool {
    Client::connect_with_timeout(socket, timeout)
        .and_then(|mut client| client.request(&Request::Ping))
        .is_ok_and(|reply| reply == Response::Ok)
}
