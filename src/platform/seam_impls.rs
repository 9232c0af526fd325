//! Each platform's desktop services behind the [`seams`](super::seams)
//! traits. `linux/` and `windows/` give their types the same names and
//! methods, so one set of implementations serves both.

use std::time::Duration;

use super::busy::BusyProbe;
use super::idle::IdleMonitor;
use super::notifications::Notifier;
use super::seams::{self, SeamFuture};
use super::tray::TrayHandle;
use crate::core::busy::BusyReason;
use crate::core::settings::HoldSettings;
use crate::platform::desktop::TrayState;
use crate::platform::notice::Notice;

impl seams::Notifier for Notifier {
    fn show<'a>(&'a self, notice: &'a Notice) -> SeamFuture<'a, Result<u32, String>> {
        Box::pin(async move {
            Notifier::show(self, notice)
                .await
                .map_err(|e| e.to_string())
        })
    }

    fn close(&self, id: u32) -> SeamFuture<'_, Result<(), String>> {
        Box::pin(async move { Notifier::close(self, id).await.map_err(|e| e.to_string()) })
    }

    #[cfg(windows)]
    fn withdraw_all(&self) {
        Notifier::withdraw_all(self);
    }
}

impl seams::Tray for TrayHandle {
    fn update(&self, state: TrayState) -> SeamFuture<'_, bool> {
        Box::pin(TrayHandle::update(self, state))
    }

    fn is_shown(&self) -> bool {
        TrayHandle::is_shown(self)
    }

    fn shutdown(&self) -> SeamFuture<'_, ()> {
        Box::pin(TrayHandle::shutdown(self))
    }
}

impl seams::IdleSource for IdleMonitor {
    fn idle_time(&mut self) -> SeamFuture<'_, Option<Duration>> {
        Box::pin(IdleMonitor::idle_time(self))
    }

    fn source_name(&self) -> &'static str {
        IdleMonitor::source_name(self)
    }

    fn has_source(&self) -> bool {
        IdleMonitor::has_source(self)
    }
}

impl seams::BusySignals for BusyProbe {
    fn read<'a>(&'a self, hold: &'a HoldSettings) -> SeamFuture<'a, Option<BusyReason>> {
        Box::pin(BusyProbe::read(self, hold))
    }
}
