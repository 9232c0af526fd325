//! The egui window, a client of the daemon: one file per view, a small
//! top-level [`app::App`] applying what the views ask for, and the pure
//! step logic of the guided routine.

pub mod about;
pub mod actions;
pub mod app;
pub mod countdown;
pub mod figure_view;
pub mod log_view;
pub mod move_break;
pub mod prompt;
pub mod routine_guide;
pub mod routine_view;
pub mod routines_view;
pub mod services;
pub mod settings_view;
pub mod single_window;
pub mod theme;
pub mod today;
pub mod week;
pub mod welcome;
pub mod widgets;

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::anyhow;

use crate::core::model::ReminderKind;
use crate::platform::paths::AppPaths;
use crate::ui::actions::View;
use crate::ui::app::App;
use crate::ui::prompt::{PROMPT_SIZE, PromptApp};
use crate::ui::services::{DaemonProcess, Deps, SocketLink, SystemClock};

/// When this variable is set, the window prints
/// `rebalance-first-frame <unix ms>` on standard output as it draws its
/// first frame, for scripts/window-measure.sh.
pub const FIRST_FRAME_ENV: &str = "REBALANCE_FIRST_FRAME";

/// The user's documents folder, where reports go (the data folder when there is none).
fn reports_dir(paths: &AppPaths) -> std::path::PathBuf {
    directories::UserDirs::new()
        .and_then(|dirs| dirs.document_dir().map(std::path::Path::to_path_buf))
        .unwrap_or_else(|| paths.data_dir.join("reports"))
}

/// The main window's size when it opens (and the prompt window's once the
/// user starts a break or routine from it): small enough for a 1366 x 768
/// laptop at 125 % scaling (about 1090 x 610 points left for windows).
pub const MAIN_SIZE: [f32; 2] = [860.0, 600.0];

/// The smallest the main window gets; every view fits from here up.
pub const MAIN_MIN_SIZE: [f32; 2] = [560.0, 480.0];

fn real_deps(paths: AppPaths) -> Deps {
    Deps {
        reports_dir: reports_dir(&paths),
        db_file: paths.db_file,
        config_file: paths.config_file,
        link: Box::new(SocketLink::new(paths.socket)),
        clock: Box::new(SystemClock),
        starter: Box::new(DaemonProcess),
    }
}

fn native_options(size: [f32; 2], min: [f32; 2]) -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Rebalance")
            .with_app_id("rebalance")
            .with_inner_size(size)
            .with_min_inner_size(min),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    }
}

/// When this variable is set, the window prints `rebalance-frame <µs>` on
/// standard output after each frame: the CPU time its views took to build
/// the frame (layout and drawing commands, before tessellation).
pub const FRAME_TIMES_ENV: &str = "REBALANCE_FRAME_TIMES";

/// Wraps an app to report its first frame ([`FIRST_FRAME_ENV`]) and the time
/// each frame takes ([`FRAME_TIMES_ENV`]) for the measurement script.
struct Measured<A> {
    inner: A,
    report_first: bool,
    report_each: bool,
}

impl<A: eframe::App> eframe::App for Measured<A> {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        self.inner.logic(ctx, frame);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let started = std::time::Instant::now();
        self.inner.ui(ui, frame);
        if self.report_each {
            println!("rebalance-frame {}", started.elapsed().as_micros());
        }
        if self.report_first {
            self.report_first = false;
            let ms = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            println!("rebalance-first-frame {ms}");
        }
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        self.inner.on_exit(gl);
    }
}

fn run<A: eframe::App + 'static>(
    options: eframe::NativeOptions,
    build: impl FnOnce(&egui::Context) -> A + 'static,
) -> anyhow::Result<()> {
    let report_first = std::env::var_os(FIRST_FRAME_ENV).is_some();
    let report_each = std::env::var_os(FRAME_TIMES_ENV).is_some();
    eframe::run_native(
        "Rebalance",
        options,
        Box::new(move |cc| {
            Ok(Box::new(Measured {
                inner: build(&cc.egui_ctx),
                report_first,
                report_each,
            }))
        }),
    )
    .map_err(|err| anyhow!("the window could not open: {err}"))
}

/// Opens the main window on `view` (when `None`, the welcome on a first
/// start and Today otherwise). When a window is already open, it is asked
/// to show that view and come to the front instead, and this returns at
/// once.
pub fn run_window(paths: AppPaths, view: Option<View>) -> anyhow::Result<()> {
    if let Err(err) = paths.ensure_private_dirs() {
        tracing::warn!("could not create the app's folders: {err}");
    }
    let socket = single_window::window_socket(&paths.runtime_dir);
    let server = match single_window::claim(&socket, view) {
        Ok(single_window::Claim::AlreadyOpen) => {
            println!("Rebalance is already open; brought its window to the front.");
            return Ok(());
        }
        Ok(single_window::Claim::First(server)) => Some(server),
        Err(err) => {
            tracing::warn!("cannot tell whether a window is open ({err}); opening one");
            None
        }
    };
    let deps = real_deps(paths);
    run(native_options(MAIN_SIZE, MAIN_MIN_SIZE), move |ctx| {
        let app = App::new(deps, view);
        let ctx = ctx.clone();
        match server.map(|server| server.serve(move || ctx.request_repaint())) {
            Some(Ok(requests)) => app.with_open_requests(requests),
            Some(Err(err)) => {
                tracing::warn!("the window cannot answer later starts: {err}");
                app
            }
            None => app,
        }
    })
}

/// Opens the small always-on-top reminder window for `kind`, used when no
/// notification server shows reminders. Its buttons answer through the
/// daemon and close it; Start grows it into the break or routine view.
pub fn run_prompt_window(paths: AppPaths, kind: ReminderKind) -> anyhow::Result<()> {
    let deps = real_deps(paths);
    let mut options = native_options(PROMPT_SIZE, [360.0, 200.0]);
    options.viewport = options
        .viewport
        .with_window_level(egui::WindowLevel::AlwaysOnTop)
        .with_title(format!("Rebalance: {}", kind.label()));
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    run(options, move |_| PromptApp::new(deps, kind, seed))
}

/// Opens the window on the move break countdown, as from a notification's
/// Start button.
pub fn run_break_window(paths: AppPaths) -> anyhow::Result<()> {
    run_window(paths, Some(View::Break))
}
