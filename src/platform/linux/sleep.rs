//! Suspend and resume from logind's `PrepareForSleep` signal on the system
//! bus. Where there is no system bus or no logind, there are no signals and
//! the daemon notices a resume from the clock jump alone.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use zbus::export::futures_core::Stream;
use zbus::proxy::SignalStream;

pub use crate::platform::desktop::SleepEvent;

/// How long connecting and subscribing may take.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(3);

const LOGIND_NAME: &str = "org.freedesktop.login1";
const LOGIND_PATH: &str = "/org/freedesktop/login1";
const LOGIND_MANAGER: &str = "org.freedesktop.login1.Manager";

/// The stream of [`SleepEvent`]s from logind.
#[derive(Debug)]
pub struct SleepSignals {
    signals: SignalStream<'static>,
    /// Kept so the system bus connection lives as long as the stream.
    _conn: zbus::Connection,
}

impl SleepSignals {
    /// The next event; `None` once the bus connection is gone.
    pub async fn next(&mut self) -> Option<SleepEvent> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for SleepSignals {
    type Item = SleepEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match Pin::new(&mut self.signals).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(msg)) => match msg.body().deserialize::<bool>() {
                    Ok(true) => return Poll::Ready(Some(SleepEvent::Suspending)),
                    Ok(false) => return Poll::Ready(Some(SleepEvent::Resumed)),
                    Err(e) => tracing::debug!("malformed PrepareForSleep signal: {e}"),
                },
            }
        }
    }
}

/// Subscribes to logind on the system bus; `None` (logged once, at info
/// level) when there is no system bus or no logind on it.
pub async fn sleep_signals() -> Option<SleepSignals> {
    let conn = match tokio::time::timeout(SUBSCRIBE_TIMEOUT, zbus::Connection::system()).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => {
            tracing::info!("no system bus ({e}): resume from suspend is noticed by the clock");
            return None;
        }
        Err(_) => {
            tracing::info!("the system bus did not answer: resume is noticed by the clock");
            return None;
        }
    };
    sleep_signals_on(&conn).await
}

/// Subscribes to logind's `PrepareForSleep` on `conn`; `None` when logind
/// is not on that bus.
pub async fn sleep_signals_on(conn: &zbus::Connection) -> Option<SleepSignals> {
    match tokio::time::timeout(SUBSCRIBE_TIMEOUT, subscribe(conn)).await {
        Ok(Ok(Some(signals))) => Some(signals),
        Ok(Ok(None)) => {
            tracing::info!("logind is not running: resume from suspend is noticed by the clock");
            None
        }
        Ok(Err(e)) => {
            tracing::info!("cannot follow logind ({e}): resume is noticed by the clock");
            None
        }
        Err(_) => {
            tracing::info!("logind did not answer: resume is noticed by the clock");
            None
        }
    }
}

async fn subscribe(conn: &zbus::Connection) -> zbus::Result<Option<SleepSignals>> {
    let dbus = zbus::fdo::DBusProxy::new(conn).await?;
    if !dbus
        .name_has_owner(LOGIND_NAME.try_into()?)
        .await
        .map_err(zbus::Error::from)?
    {
        return Ok(None);
    }
    let proxy: zbus::Proxy<'static> = zbus::proxy::Builder::new(conn)
        .destination(LOGIND_NAME)?
        .path(LOGIND_PATH)?
        .interface(LOGIND_MANAGER)?
        .cache_properties(zbus::proxy::CacheProperties::No)
        .build()
        .await?;
    let signals = proxy.receive_signal("PrepareForSleep").await?;
    Ok(Some(SleepSignals {
        signals,
        _conn: conn.clone(),
    }))
}
