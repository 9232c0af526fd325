//! The local control channel on Windows: a named pipe for each socket path
//! the other platforms use (see [`pipe_name`]), whose security descriptor
//! admits the current user alone and which refuses remote clients, and the
//! check of which user runs the process at the other end.
//!
//! Every pipe handle is opened for overlapped I/O: the runtime needs that
//! for its async pipes, and the blocking streams use it to put a timeout on
//! each read and write, as socket timeouts do on Unix.

use std::io::{self, Read, Write};
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::io::{AsRawHandle, FromRawHandle, IntoRawHandle, OwnedHandle};
use std::path::Path;
use std::ptr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use tokio::net::windows::named_pipe::NamedPipeServer;
use windows_sys::Win32::Foundation::{
    ERROR_BROKEN_PIPE, ERROR_IO_PENDING, ERROR_NO_DATA, ERROR_PIPE_BUSY, ERROR_PIPE_CONNECTED,
    ERROR_PIPE_NOT_CONNECTED, GetLastError, HANDLE, INVALID_HANDLE_VALUE, WAIT_TIMEOUT,
};
use windows_sys::Win32::Security::SECURITY_ATTRIBUTES;
use windows_sys::Win32::Storage::FileSystem::{
    FILE_FLAG_FIRST_PIPE_INSTANCE, FILE_FLAG_OVERLAPPED, PIPE_ACCESS_DUPLEX, ReadFile,
    SECURITY_IDENTIFICATION, WriteFile,
};
use windows_sys::Win32::System::IO::{CancelIoEx, GetOverlappedResult, OVERLAPPED};
use windows_sys::Win32::System::Pipes::{
    ConnectNamedPipe, CreateNamedPipeW, GetNamedPipeClientProcessId, PIPE_READMODE_BYTE,
    PIPE_REJECT_REMOTE_CLIENTS, PIPE_TYPE_BYTE, PIPE_UNLIMITED_INSTANCES, PIPE_WAIT,
    WaitNamedPipeW,
};
use windows_sys::Win32::System::Threading::{CreateEventW, INFINITE, WaitForSingleObject};

use super::security::{SecurityDescriptor, current_user_sid, process_user_sid, wide};
use crate::platform::windows_text::owner_only_pipe_sddl;
pub use crate::platform::windows_text::pipe_name;

/// Who runs a process: the user's SID as text (`S-1-5-21-…`).
pub type UserId = String;

/// The pipe's buffer each way; requests and replies are far smaller.
const PIPE_BUFFER: u32 = 64 * 1024;

/// How long [`LocalStream::connect`] waits for a free pipe instance while
/// the daemon is busy accepting another client.
const BUSY_WAIT: Duration = Duration::from_secs(2);

/// Creates one instance of the pipe `name`, for overlapped I/O, owner-only
/// through `sddl`. `first` refuses the call when the pipe exists already
/// (another daemon, or someone squatting the name).
fn create_instance(name: &[u16], sddl: &str, first: bool) -> io::Result<OwnedHandle> {
    let descriptor = SecurityDescriptor::from_sddl(sddl)?;
    let attributes = SECURITY_ATTRIBUTES {
        nLength: size_of::<SECURITY_ATTRIBUTES>() as u32,
        lpSecurityDescriptor: descriptor.as_ptr(),
        bInheritHandle: 0,
    };
    let mut open_mode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED;
    if first {
        open_mode |= FILE_FLAG_FIRST_PIPE_INSTANCE;
    }
    // SAFETY: `name` is NUL-terminated; `attributes` and the descriptor it
    // points to outlive the call.
    let handle = unsafe {
        CreateNamedPipeW(
            name.as_ptr(),
            open_mode,
            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
            PIPE_UNLIMITED_INSTANCES,
            PIPE_BUFFER,
            PIPE_BUFFER,
            0,
            &attributes,
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh handle nothing else owns.
    Ok(unsafe { OwnedHandle::from_raw_handle(handle) })
}

/// Runs one overlapped operation on `handle` that `start` begins, waiting
/// at most `timeout_ms` (or for ever with `INFINITE`); a timeout cancels it
/// and is reported as `TimedOut`. Returns the bytes transferred.
fn overlapped_io(
    handle: HANDLE,
    timeout_ms: u32,
    start: impl FnOnce(*mut OVERLAPPED) -> i32,
) -> io::Result<u32> {
    // SAFETY: a manual-reset event with no name or attributes.
    let event = unsafe { CreateEventW(ptr::null(), 1, 0, ptr::null()) };
    if event.is_null() {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh handle nothing else owns.
    let event = unsafe { OwnedHandle::from_raw_handle(event) };
    // SAFETY: OVERLAPPED is plain data; all zero is its documented start.
    let mut overlapped: OVERLAPPED = unsafe { std::mem::zeroed() };
    overlapped.hEvent = event.as_raw_handle();
    if start(&mut overlapped) == 0 {
        // SAFETY: no other call in between.
        let err = unsafe { GetLastError() };
        if err != ERROR_IO_PENDING {
            return Err(io::Error::from_raw_os_error(err as i32));
        }
        // SAFETY: the event lives until the end of this function.
        if unsafe { WaitForSingleObject(event.as_raw_handle(), timeout_ms) } == WAIT_TIMEOUT {
            let mut ignored = 0;
            // SAFETY: cancel, then wait for the cancelled operation so the
            // OVERLAPPED and buffer are no longer in use when we return.
            unsafe {
                CancelIoEx(handle, &overlapped);
                GetOverlappedResult(handle, &overlapped, &mut ignored, 1);
            }
            return Err(io::Error::from(io::ErrorKind::TimedOut));
        }
    }
    let mut transferred = 0;
    // SAFETY: the operation finished (or completed at once); this reads its result.
    if unsafe { GetOverlappedResult(handle, &overlapped, &mut transferred, 1) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(transferred)
}

/// A timeout as the milliseconds a wait takes; `None` waits for ever.
fn timeout_ms(timeout: Option<Duration>) -> u32 {
    timeout.map_or(INFINITE, |t| {
        u32::try_from(t.as_millis()).unwrap_or(INFINITE - 1).max(1)
    })
}

/// A blocking connection on a pipe: the client's end, or one the listener
/// accepted.
#[derive(Debug)]
pub struct LocalStream {
    handle: OwnedHandle,
    read_timeout: AtomicU32,
    write_timeout: AtomicU32,
}

impl LocalStream {
    fn new(handle: OwnedHandle) -> LocalStream {
        LocalStream {
            handle,
            read_timeout: AtomicU32::new(INFINITE),
            write_timeout: AtomicU32::new(INFINITE),
        }
    }

    /// Connects to the pipe that stands for the socket `path`; `NotFound`
    /// when nobody listens. Waits a little for a free instance when every
    /// one is taken.
    pub fn connect(path: &Path) -> io::Result<LocalStream> {
        let name = pipe_name(path);
        let deadline = Instant::now() + BUSY_WAIT;
        loop {
            // Identification only: a server squatting the name cannot act
            // as us with our connection.
            let opened = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(FILE_FLAG_OVERLAPPED)
                .security_qos_flags(SECURITY_IDENTIFICATION)
                .open(&name);
            match opened {
                Ok(file) => return Ok(LocalStream::new(file.into())),
                Err(err) if err.raw_os_error() == Some(ERROR_PIPE_BUSY as i32) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(io::Error::from(io::ErrorKind::TimedOut));
                    }
                    let wide_name = wide(name.as_ref());
                    // SAFETY: `wide_name` is NUL-terminated. A failed wait
                    // (the pipe went away) shows in the next open.
                    unsafe { WaitNamedPipeW(wide_name.as_ptr(), timeout_ms(Some(left))) };
                }
                Err(err) => return Err(err),
            }
        }
    }

    /// Bounds every later read; `None` waits for ever.
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.read_timeout
            .store(timeout_ms(timeout), Ordering::Relaxed);
        Ok(())
    }

    /// Bounds every later write; `None` waits for ever.
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.write_timeout
            .store(timeout_ms(timeout), Ordering::Relaxed);
        Ok(())
    }

    fn read_bytes(&self, buf: &mut [u8]) -> io::Result<usize> {
        let handle = self.handle.as_raw_handle();
        let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let result = overlapped_io(handle, self.read_timeout.load(Ordering::Relaxed), |ov| {
            // SAFETY: `buf` holds `len` bytes and outlives the operation,
            // which `overlapped_io` waits for or cancels before returning.
            unsafe { ReadFile(handle, buf.as_mut_ptr(), len, ptr::null_mut(), ov) }
        });
        match result {
            Ok(read) => Ok(read as usize),
            // The other end closed: the end of the stream, as on a socket.
            Err(err)
                if matches!(
                    err.raw_os_error().map(|code| code as u32),
                    Some(ERROR_BROKEN_PIPE | ERROR_PIPE_NOT_CONNECTED | ERROR_NO_DATA)
                ) =>
            {
                Ok(0)
            }
            Err(err) => Err(err),
        }
    }

    fn write_bytes(&self, buf: &[u8]) -> io::Result<usize> {
        let handle = self.handle.as_raw_handle();
        let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let written = overlapped_io(handle, self.write_timeout.load(Ordering::Relaxed), |ov| {
            // SAFETY: as in `read_bytes`.
            unsafe { WriteFile(handle, buf.as_ptr(), len, ptr::null_mut(), ov) }
        })?;
        Ok(written as usize)
    }
}

impl Read for LocalStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_bytes(buf)
    }
}

impl Read for &LocalStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_bytes(buf)
    }
}

impl Write for LocalStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_bytes(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for &LocalStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_bytes(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A blocking listener on a pipe: one waiting instance at a time, the next
/// made as soon as a client takes the current one.
#[derive(Debug)]
pub struct LocalListener {
    name: Vec<u16>,
    sddl: String,
    waiting: Mutex<Option<OwnedHandle>>,
}

impl LocalListener {
    /// Waits for the next client.
    pub fn accept(&self) -> io::Result<LocalStream> {
        let instance = {
            let mut waiting = self
                .waiting
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match waiting.take() {
                Some(handle) => handle,
                None => create_instance(&self.name, &self.sddl, false)?,
            }
        };
        let handle = instance.as_raw_handle();
        let connected = overlapped_io(handle, INFINITE, |ov| {
            // SAFETY: the handle is a pipe instance we own; `ov` is valid.
            unsafe { ConnectNamedPipe(handle, ov) }
        });
        match connected {
            Ok(_) => {}
            // The client connected between creation and this call.
            Err(err) if err.raw_os_error() == Some(ERROR_PIPE_CONNECTED as i32) => {}
            Err(err) => return Err(err),
        }
        Ok(LocalStream::new(instance))
    }

    /// Clients as they come, for ever.
    pub fn incoming(&self) -> impl Iterator<Item = io::Result<LocalStream>> + '_ {
        std::iter::repeat_with(|| self.accept())
    }
}

/// Creates the pipe for the socket `path`, which only the current user may
/// open and remote machines may not; fails if the pipe exists already.
pub fn bind_owner_only(path: &Path) -> io::Result<LocalListener> {
    let sddl = owner_only_pipe_sddl(&current_user_sid()?);
    let name = wide(pipe_name(path).as_ref());
    let first = create_instance(&name, &sddl, true)?;
    Ok(LocalListener {
        name,
        sddl,
        waiting: Mutex::new(Some(first)),
    })
}

/// The SID of the user running the process at the other end of the pipe
/// `handle`.
fn pipe_peer_user(handle: HANDLE) -> io::Result<UserId> {
    let mut pid = 0u32;
    // SAFETY: the handle is a server-side pipe instance; `pid` is valid.
    if unsafe { GetNamedPipeClientProcessId(handle, &mut pid) } == 0 {
        return Err(io::Error::last_os_error());
    }
    process_user_sid(pid)
}

/// The user at the other end of `stream`.
pub fn peer_uid(stream: &LocalStream) -> io::Result<UserId> {
    pipe_peer_user(stream.handle.as_raw_handle())
}

/// A connection on a pipe for the tokio runtime (the server's end).
pub type AsyncLocalStream = NamedPipeServer;

/// The reading half of a split [`AsyncLocalStream`].
pub type AsyncLocalReadHalf = tokio::io::ReadHalf<NamedPipeServer>;

/// The writing half of a split [`AsyncLocalStream`].
pub type AsyncLocalWriteHalf = tokio::io::WriteHalf<NamedPipeServer>;

/// A listener on a pipe for the tokio runtime.
#[derive(Debug)]
pub struct AsyncLocalListener {
    name: Vec<u16>,
    sddl: String,
    waiting: NamedPipeServer,
}

/// Moves a bound listener onto the tokio runtime. Must be called inside it.
pub fn into_async(listener: LocalListener) -> io::Result<AsyncLocalListener> {
    let first = match listener
        .waiting
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        Some(handle) => handle,
        None => create_instance(&listener.name, &listener.sddl, false)?,
    };
    Ok(AsyncLocalListener {
        waiting: async_instance(first)?,
        name: listener.name,
        sddl: listener.sddl,
    })
}

fn async_instance(handle: OwnedHandle) -> io::Result<NamedPipeServer> {
    // SAFETY: an overlapped pipe instance we own, handed over whole.
    unsafe { NamedPipeServer::from_raw_handle(handle.into_raw_handle()) }
}

/// Waits for the next client on `listener`.
pub async fn accept(listener: &mut AsyncLocalListener) -> io::Result<AsyncLocalStream> {
    let connected = listener.waiting.connect().await;
    // A new instance takes the old one's place whether or not the client
    // stayed, so the pipe keeps existing for the next client.
    let fresh = async_instance(create_instance(&listener.name, &listener.sddl, false)?)?;
    let taken = std::mem::replace(&mut listener.waiting, fresh);
    connected.map(|()| taken)
}

/// Splits `stream` into halves that can be used at the same time.
pub fn split(stream: AsyncLocalStream) -> (AsyncLocalReadHalf, AsyncLocalWriteHalf) {
    tokio::io::split(stream)
}

/// The user at the other end of an async `stream`.
pub fn async_peer_uid(stream: &AsyncLocalStream) -> io::Result<UserId> {
    pipe_peer_user(stream.as_raw_handle())
}

/// The user this process runs as, to compare peers with.
pub fn current_user() -> io::Result<UserId> {
    current_user_sid()
}
