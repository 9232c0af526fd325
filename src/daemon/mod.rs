//! The headless background service: wires the engine to the platform and the log.
//!
//! `rebalance daemon` runs [`run_daemon`]: it takes the single-instance
//! socket, loads the settings and the log, restores the engine's state, and
//! runs the service loop on one current-thread runtime until asked to quit.

pub mod clock;
pub mod describe;
pub mod desktop;
pub mod launch;
pub mod logging;
pub mod platform_link;
pub mod saved_state;
pub mod service;
pub mod status_watch;
pub mod step;

use anyhow::Context;
use tokio::sync::mpsc;

use crate::ipc::server::SocketServer;
use crate::platform::paths::AppPaths;
use crate::store::Store;
use crate::store::settings_file::load_settings;

pub use crate::ipc::server::BindError;

/// Runs the daemon until it is asked to quit or receives SIGTERM/SIGINT.
///
/// Fails with a [`BindError::AlreadyRunning`] (inside the `anyhow::Error`)
/// when another daemon answers on the socket, so the caller can exit with
/// its own code.
pub fn run_daemon(paths: AppPaths) -> anyhow::Result<()> {
    paths.ensure_private_dirs()?;
    logging::init(&paths.log_file);
    let server = SocketServer::bind(&paths.socket)?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let loaded = load_settings(&paths.config_file);
        let store = Store::open(&paths.db_file)
            .with_context(|| format!("cannot open the log at {}", paths.db_file.display()))?;
        // The system's requests to stop arrive with the desktop's events.
        let (events_tx, events) = mpsc::unbounded_channel();
        platform_link::forward_service_signals(events_tx.clone())
            .context("cannot listen for the system's requests to stop")?;
        let desktop = platform_link::connect(events_tx).await;
        let service = service::Service::new(
            loaded.settings,
            loaded.warning,
            store,
            paths.config_file.clone(),
            desktop,
            Box::new(launch::Windows::default()),
            Box::new(clock::SystemClock::start()),
        );

        let (tx, rx) = mpsc::channel(16);
        let _server = server
            .spawn(tx)
            .with_context(|| format!("cannot listen on {}", paths.socket.display()))?;
        tracing::info!(socket = %paths.socket.display(), "listening");
        service.run(rx, events).await;
        Ok(())
    })
}
