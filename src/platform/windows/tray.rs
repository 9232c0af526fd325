//! The notification-area icon on Windows (tray-icon crate): the same icon,
//! tooltip and menu as the Linux tray, all drawn from
//! [`crate::platform::tray_model`], with menu choices sent to the daemon as
//! [`TrayCommand`]s.
//!
//! A Win32 tray icon belongs to the thread that made it and needs that
//! thread to pump window messages, so the icon lives on a thread of its own
//! running a message loop. The daemon hands it new states through a
//! channel and a thread message that wakes the loop.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;
use tray_icon::menu::{IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tray_icon::{Icon, MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use windows_sys::Win32::System::Threading::GetCurrentThreadId;
use windows_sys::Win32::UI::WindowsAndMessaging::{
    DispatchMessageW, GetMessageW, GetSystemMetrics, MSG, PM_NOREMOVE, PeekMessageW,
    PostThreadMessageW, SM_CXSMICON, TranslateMessage, WM_APP, WM_QUIT, WM_USER,
};

pub use crate::platform::desktop::{TrayCommand, TrayState};
use crate::platform::tray_model::{MenuEntry, icon_rgba, tooltip_text, tray_menu};

/// How long starting or stopping the tray thread may take.
const THREAD_TIMEOUT: Duration = Duration::from_secs(3);
/// The thread message that says a new state is waiting in the channel.
const WM_TRAY_STATE: u32 = WM_APP + 1;
/// The longest tooltip the notification area takes, less its final NUL.
const TOOLTIP_UNITS: usize = 127;

/// Why the tray icon could not be started.
#[derive(Debug, thiserror::Error)]
pub enum TrayError {
    /// The icon, its menu or its thread could not be made.
    #[error("cannot show a tray icon: {0}")]
    Unavailable(String),
}

/// Where menu and icon clicks go. tray-icon and muda take one event handler
/// per process, so the handler reads this, which each tray replaces.
static SINK: Mutex<Option<UnboundedSender<TrayCommand>>> = Mutex::new(None);

fn send(command: TrayCommand) {
    if let Ok(sink) = SINK.lock()
        && let Some(tx) = sink.as_ref()
    {
        // The receiver is gone only while the daemon shuts down.
        let _ = tx.send(command);
    }
}

/// Installs the process-wide click handlers, once.
fn install_handlers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        MenuEvent::set_event_handler(Some(|event: MenuEvent| {
            match TrayCommand::from_id(&event.id.0) {
                Some(command) => send(command),
                None => tracing::debug!("ignoring tray menu id {:?}", event.id.0),
            }
        }));
        TrayIconEvent::set_event_handler(Some(|event: TrayIconEvent| {
            // A left click opens the window, as activating the Linux item
            // does; the right button shows the menu.
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                send(TrayCommand::Open);
            }
        }));
    });
}

/// The running tray icon.
pub struct TrayHandle {
    thread_id: u32,
    states: Sender<TrayState>,
    shown: Arc<AtomicBool>,
    stopped: Mutex<Option<oneshot::Receiver<()>>>,
}

impl std::fmt::Debug for TrayHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrayHandle")
            .field("shown", &self.is_shown())
            .finish()
    }
}

impl TrayHandle {
    /// Shows `state`. Returns false if the tray thread has stopped.
    pub async fn update(&self, state: TrayState) -> bool {
        self.states.send(state).is_ok() && self.post(WM_TRAY_STATE)
    }

    /// Whether the icon is in the notification area.
    pub fn is_shown(&self) -> bool {
        self.shown.load(Ordering::Acquire)
    }

    /// Removes the icon and ends its thread.
    pub async fn shutdown(&self) {
        let stopped = self.stopped.lock().ok().and_then(|mut s| s.take());
        if self.post(WM_QUIT)
            && let Some(stopped) = stopped
        {
            let _ = tokio::time::timeout(THREAD_TIMEOUT, stopped).await;
        }
    }

    fn post(&self, message: u32) -> bool {
        // SAFETY: posting a message with no pointers to a thread id; a
        // thread that has ended makes the call fail, nothing else.
        unsafe { PostThreadMessageW(self.thread_id, message, 0, 0) != 0 }
    }
}

/// Starts the tray icon on its own message-loop thread, showing `initial`,
/// with choices sent on `tx`.
pub async fn start_tray(
    initial: TrayState,
    tx: UnboundedSender<TrayCommand>,
) -> Result<TrayHandle, TrayError> {
    install_handlers();
    if let Ok(mut sink) = SINK.lock() {
        *sink = Some(tx);
    }
    let (ready_tx, ready_rx) = oneshot::channel();
    let (stopped_tx, stopped_rx) = oneshot::channel();
    let (states, states_rx) = channel();
    let shown = Arc::new(AtomicBool::new(false));
    let thread_shown = shown.clone();
    std::thread::Builder::new()
        .name("tray".into())
        .spawn(move || {
            run_tray(initial, states_rx, thread_shown, ready_tx);
            let _ = stopped_tx.send(());
        })
        .map_err(|err| TrayError::Unavailable(format!("no thread for the tray: {err}")))?;
    let thread_id = match tokio::time::timeout(THREAD_TIMEOUT, ready_rx).await {
        Ok(Ok(Ok(thread_id))) => thread_id,
        Ok(Ok(Err(reason))) => return Err(TrayError::Unavailable(reason)),
        Ok(Err(_)) => return Err(TrayError::Unavailable("the tray thread ended".into())),
        Err(_) => {
            return Err(TrayError::Unavailable(
                "the tray thread did not start in time".into(),
            ));
        }
    };
    Ok(TrayHandle {
        thread_id,
        states,
        shown,
        stopped: Mutex::new(Some(stopped_rx)),
    })
}

/// The tray thread: makes the icon, reports its thread id (or why not) on
/// `ready`, then pumps messages until `WM_QUIT`.
fn run_tray(
    initial: TrayState,
    states: Receiver<TrayState>,
    shown: Arc<AtomicBool>,
    ready: oneshot::Sender<Result<u32, String>>,
) {
    // SAFETY: MSG is plain data; PeekMessageW only writes into it. This
    // call makes the thread's message queue, so posts cannot be lost
    // between reporting the id and the first GetMessageW.
    let mut msg: MSG = unsafe { std::mem::zeroed() };
    unsafe {
        PeekMessageW(
            &mut msg,
            std::ptr::null_mut(),
            WM_USER,
            WM_USER,
            PM_NOREMOVE,
        )
    };
    // SAFETY: no arguments, no failure.
    let thread_id = unsafe { GetCurrentThreadId() };

    let mut current = initial;
    let tray = match build_tray(&current) {
        Ok(tray) => tray,
        Err(reason) => {
            let _ = ready.send(Err(reason));
            return;
        }
    };
    shown.store(true, Ordering::Release);
    let _ = ready.send(Ok(thread_id));

    loop {
        // SAFETY: `msg` is a valid MSG to write into; a null window asks
        // for every message of this thread.
        let got = unsafe { GetMessageW(&mut msg, std::ptr::null_mut(), 0, 0) };
        if got == 0 || got == -1 {
            break; // WM_QUIT, or the queue is unusable
        }
        if msg.hwnd.is_null() && msg.message == WM_TRAY_STATE {
            // Only the newest state matters.
            if let Some(state) = states.try_iter().last() {
                apply(&tray, &current, &state);
                current = state;
            }
            continue;
        }
        // SAFETY: `msg` came from GetMessageW.
        unsafe {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
    shown.store(false, Ordering::Release);
    // Dropping the icon removes it from the notification area.
    drop(tray);
}

fn build_tray(state: &TrayState) -> Result<TrayIcon, String> {
    let menu = build_menu(state.paused)?;
    TrayIconBuilder::new()
        .with_id("rebalance")
        .with_tooltip(tooltip_text(state, TOOLTIP_UNITS))
        .with_icon(icon(state.paused)?)
        .with_menu(Box::new(menu))
        .with_menu_on_left_click(false)
        .build()
        .map_err(|err| err.to_string())
}

/// Shows what changed from `old` to `new`; failures only go to the log.
fn apply(tray: &TrayIcon, old: &TrayState, new: &TrayState) {
    if new.tooltip != old.tooltip
        && let Err(err) = tray.set_tooltip(Some(tooltip_text(new, TOOLTIP_UNITS)))
    {
        tracing::debug!("tray tooltip: {err}");
    }
    if new.paused != old.paused {
        match icon(new.paused) {
            Ok(icon) => {
                if let Err(err) = tray.set_icon(Some(icon)) {
                    tracing::debug!("tray icon: {err}");
                }
            }
            Err(err) => tracing::debug!("tray icon: {err}"),
        }
        match build_menu(new.paused) {
            Ok(menu) => tray.set_menu(Some(Box::new(menu))),
            Err(err) => tracing::debug!("tray menu: {err}"),
        }
    }
}

/// The icon at the notification area's size.
fn icon(paused: bool) -> Result<Icon, String> {
    // SAFETY: a plain query with no pointers.
    let metric = unsafe { GetSystemMetrics(SM_CXSMICON) };
    let size = u32::try_from(metric).ok().filter(|s| *s > 0).unwrap_or(16);
    Icon::from_rgba(icon_rgba(size, paused), size, size).map_err(|err| err.to_string())
}

fn build_menu(paused: bool) -> Result<Menu, String> {
    let menu = Menu::new();
    for entry in tray_menu(paused) {
        append(&entry, &|item| menu.append(item))?;
    }
    Ok(menu)
}

/// Makes the muda item for `entry` and hands it to `add`.
fn append(
    entry: &MenuEntry,
    add: &dyn Fn(&dyn IsMenuItem) -> tray_icon::menu::Result<()>,
) -> Result<(), String> {
    let added = match entry {
        MenuEntry::Item { label, command } => add(&MenuItem::with_id(
            command.id(),
            menu_text(label),
            true,
            None,
        )),
        MenuEntry::Separator => add(&PredefinedMenuItem::separator()),
        MenuEntry::Submenu { label, entries } => {
            let submenu = Submenu::new(menu_text(label), true);
            for child in entries {
                append(child, &|item| submenu.append(item))?;
            }
            add(&submenu)
        }
    };
    added.map_err(|err| err.to_string())
}

/// A label as Win32 menus read it, where `&` marks a mnemonic.
fn menu_text(label: &str) -> String {
    label.replace('&', "&&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_labels_keep_a_literal_ampersand() {
        assert_eq!(menu_text("Stretch & walk"), "Stretch && walk");
        assert_eq!(menu_text("Quit"), "Quit");
    }

    /// The Win32 menu as text: labels, `>` after a submenu with its
    /// entries indented, `-` for a line, and each item's command.
    fn describe(items: Vec<tray_icon::menu::MenuItemKind>, indent: &str, out: &mut Vec<String>) {
        use tray_icon::menu::MenuItemKind;
        for item in items {
            match item {
                MenuItemKind::MenuItem(item) => out.push(format!(
                    "{indent}{} = {:?}",
                    item.text(),
                    TrayCommand::from_id(&item.id().0)
                )),
                MenuItemKind::Submenu(sub) => {
                    out.push(format!("{indent}{} >", sub.text()));
                    describe(sub.items(), &format!("{indent}  "), out);
                }
                MenuItemKind::Predefined(_) => out.push(format!("{indent}-")),
                other => out.push(format!("{indent}? {:?}", other.id())),
            }
        }
    }

    #[test]
    fn the_win32_menu_is_the_shared_menu_with_its_commands() {
        let mut running = Vec::new();
        describe(build_menu(false).unwrap().items(), "", &mut running);
        assert_eq!(
            running,
            [
                "Open Rebalance = Some(Open)",
                "-",
                "Take a break now = Some(Trigger(MoveBreak))",
                "Check posture now = Some(Trigger(PostureCheck))",
                "Start routine = Some(Trigger(Routine))",
                "-",
                "Pause >",
                "  30 minutes = Some(Pause(For(1800s)))",
                "  1 hour = Some(Pause(For(3600s)))",
                "  Until tomorrow = Some(Pause(UntilTomorrow))",
                "-",
                "Quit = Some(Quit)",
            ]
        );
        let mut paused = Vec::new();
        describe(build_menu(true).unwrap().items(), "", &mut paused);
        assert_eq!(paused[6], "Resume = Some(Resume)");
    }

    #[tokio::test]
    async fn the_icon_thread_shows_takes_updates_and_stops() {
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let tray = start_tray(
            TrayState {
                tooltip: "Posture check in 12 min".into(),
                paused: false,
            },
            tx,
        )
        .await
        .expect("the notification area takes the icon");
        assert!(tray.is_shown());
        for paused in [true, false, true] {
            let state = TrayState {
                tooltip: format!("paused: {paused}"),
                paused,
            };
            assert!(tray.update(state).await, "paused: {paused}");
        }
        tray.shutdown().await;
        assert!(!tray.is_shown(), "the icon is gone once its thread ended");
        let after = TrayState::default();
        assert!(!tray.update(after).await, "a stopped tray takes no update");
    }
}
