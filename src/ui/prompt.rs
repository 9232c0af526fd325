//! The small always-on-top reminder window used when there is no
//! notification server: the reminder's prompt and its answer buttons. Start
//! turns it into the full window on the break or the routine.

use egui::{RichText, Ui, ViewportCommand};

use crate::core::catalog::Catalog;
use crate::core::model::{Answer, ReminderKind};
use crate::core::prompts::PromptRotation;
use crate::core::reminder_notice::{NoticeAction, reminder_buttons, reminder_text};
use crate::ipc::{Request, Response};
use crate::ui::actions::View;
use crate::ui::app::App;
use crate::ui::services::Deps;
use crate::ui::{MAIN_SIZE, theme, widgets};

/// Size of the window while it shows the prompt.
pub const PROMPT_SIZE: [f32; 2] = [440.0, 250.0];

/// What the prompt window shows: the prompt, or the full window after Start.
pub struct PromptApp {
    deps: Option<Deps>,
    kind: ReminderKind,
    title: String,
    body: String,
    can_snooze: bool,
    /// The configured snooze length, shown on the move break's button.
    snooze: std::time::Duration,
    error: Option<String>,
    /// The full window, once the user pressed Start.
    pub full: Option<App>,
    /// Whether the window asked to close.
    pub closed: bool,
    theme: crate::core::settings::Theme,
    styled: bool,
}

impl PromptApp {
    /// A prompt for `kind`, worded from the prompt rotation (`seed` picks
    /// the wording) and the catalogue.
    pub fn new(mut deps: Deps, kind: ReminderKind, seed: u64) -> Self {
        let settings = crate::store::settings_file::load_settings(&deps.config_file).settings;
        // The chosen routine may be one of the user's own.
        let user = match kind {
            ReminderKind::Routine => crate::store::Store::open(&deps.db_file)
                .and_then(|store| store.user_routines())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let (title, body) = reminder_text(
            kind,
            &mut PromptRotation::default(),
            seed,
            &Catalog::with_user_routines(user),
            &settings,
        );
        let can_snooze = match deps.link.request(&Request::Status) {
            Ok(Response::Status(status)) => status.pending_of(kind).is_none_or(|p| p.can_snooze),
            _ => true,
        };
        Self {
            deps: Some(deps),
            kind,
            title,
            body,
            can_snooze,
            snooze: settings.reminders.snooze,
            error: None,
            full: None,
            closed: false,
            theme: settings.appearance.theme,
            styled: false,
        }
    }

    fn answer(&mut self, ctx: &egui::Context, answer: Answer) {
        let Some(deps) = self.deps.as_mut() else {
            return;
        };
        let request = Request::Answer {
            kind: Some(self.kind),
            answer,
        };
        match deps.link.request(&request) {
            Ok(Response::Error { message }) => self.error = Some(message),
            Ok(_) => {
                self.closed = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            Err(err) => self.error = Some(format!("The background service did not answer: {err}")),
        }
    }

    fn start(&mut self, ctx: &egui::Context) {
        let Some(deps) = self.deps.take() else {
            return;
        };
        let view = match self.kind {
            ReminderKind::MoveBreak => View::Break,
            _ => View::Routine,
        };
        ctx.send_viewport_cmd(ViewportCommand::WindowLevel(egui::WindowLevel::Normal));
        ctx.send_viewport_cmd(ViewportCommand::InnerSize(MAIN_SIZE.into()));
        self.full = Some(App::new(deps, Some(view)));
    }

    /// Draws one frame.
    pub fn show(&mut self, ui: &mut Ui) {
        if let Some(full) = self.full.as_mut() {
            full.show(ui);
            return;
        }
        let ctx = ui.ctx().clone();
        if !self.styled {
            theme::install(&ctx, self.theme);
            self.styled = true;
        }
        egui::CentralPanel::default()
            .frame(
                egui::Frame::new()
                    .fill(ui.visuals().panel_fill)
                    .inner_margin(egui::Margin::same(22)),
            )
            .show(ui, |ui| {
                ui.label(
                    RichText::new(self.kind.label())
                        .color(theme::Palette::of(ui).muted)
                        .small(),
                );
                ui.label(RichText::new(&self.title).size(20.0).strong());
                ui.label(&self.body);
                ui.add_space(12.0);
                if let Some(err) = &self.error {
                    widgets::field_error(ui, err);
                }
                ui.horizontal_wrapped(|ui| {
                    let buttons = reminder_buttons(self.kind, self.can_snooze, self.snooze);
                    for (i, button) in buttons.iter().enumerate() {
                        let clicked = if i == 0 {
                            widgets::primary(ui, &button.label).clicked()
                        } else {
                            widgets::secondary(ui, &button.label).clicked()
                        };
                        if clicked {
                            match button.action {
                                NoticeAction::Answer(answer) => self.answer(&ctx, answer),
                                NoticeAction::Start | NoticeAction::Open => self.start(&ctx),
                            }
                        }
                    }
                });
            });
    }
}

impl eframe::App for PromptApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(full) = self.full.as_mut() {
            full.leave();
        }
    }
}
