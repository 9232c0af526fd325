//! Small widgets shared by the views: cards, banners, big numbers, primary
//! buttons, and the page frame every view is drawn in.

use egui::{Align, Button, Frame, Layout, Margin, Response, RichText, Stroke, Ui};

use crate::ui::theme::{self, Palette};

/// Draws a view: scrollable, centred, at most a readable width, with
/// generous margins.
pub fn page<R>(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui) -> R) -> R {
    egui::ScrollArea::vertical()
        .id_salt(id)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let width = ui.available_width();
            let content = (width - 2.0 * theme::PAGE_MARGIN).clamp(200.0, theme::READABLE_WIDTH);
            let side = ((width - content) / 2.0).max(0.0);
            ui.add_space(theme::PAGE_MARGIN);
            let inner = ui
                .horizontal_top(|ui| {
                    ui.add_space(side);
                    ui.vertical(|ui| {
                        ui.set_width(content);
                        add(ui)
                    })
                    .inner
                })
                .inner;
            ui.add_space(theme::PAGE_MARGIN);
            inner
        })
        .inner
}

/// Lays `count` blocks out side by side in columns at least `min_width`
/// wide: all in one row when they fit, fewer per row as the window
/// narrows, one under the other at the narrowest. `add` draws block `i`.
pub fn reflow(ui: &mut Ui, count: usize, min_width: f32, mut add: impl FnMut(&mut Ui, usize)) {
    if count == 0 {
        return;
    }
    let gap = ui.spacing().item_spacing.x;
    let fit = ((ui.available_width() + gap) / (min_width + gap)).floor();
    let per_row = (fit.max(1.0) as usize).min(count);
    let mut first = 0;
    while first < count {
        if first > 0 {
            ui.add_space(theme::SECTION_GAP / 2.0);
        }
        ui.columns(per_row, |columns| {
            for (j, column) in columns.iter_mut().enumerate() {
                if first + j < count {
                    add(column, first + j);
                }
            }
        });
        first += per_row;
    }
}

/// A rounded card with a soft outline.
pub fn card<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    let palette = Palette::of(ui);
    Frame::new()
        .fill(palette.card)
        .stroke(Stroke::new(1.0, palette.card_stroke))
        .corner_radius(10)
        .inner_margin(Margin::same(16))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui)
        })
        .inner
}

/// A warning banner across the page: the message, an optional muted
/// detail line, and an optional action button under them. Returns true when
/// the button was clicked.
pub fn banner(ui: &mut Ui, text: &str, detail: Option<&str>, action: Option<&str>) -> bool {
    let palette = Palette::of(ui);
    let mut clicked = false;
    Frame::new()
        .fill(palette.warn_bg)
        .corner_radius(8)
        .inner_margin(Margin::symmetric(14, 10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text).color(palette.warn_fg));
            if let Some(detail) = detail {
                ui.label(RichText::new(detail).color(palette.warn_fg).small());
            }
            if let Some(label) = action {
                clicked = ui.button(label).clicked();
            }
        });
    clicked
}

/// A view title with an optional muted subtitle.
pub fn title(ui: &mut Ui, text: &str, subtitle: Option<&str>) {
    ui.heading(RichText::new(text).strong());
    if let Some(sub) = subtitle {
        ui.label(RichText::new(sub).color(Palette::of(ui).muted));
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
}

/// A section heading inside a view.
pub fn section(ui: &mut Ui, text: &str) {
    ui.add_space(theme::SECTION_GAP / 2.0);
    ui.label(RichText::new(text).size(17.0).strong());
}

/// Secondary text.
pub fn muted(ui: &mut Ui, text: impl Into<String>) -> Response {
    let color = Palette::of(ui).muted;
    ui.label(RichText::new(text.into()).color(color))
}

/// A message in the error colour, shown beside a field.
pub fn field_error(ui: &mut Ui, text: &str) -> Response {
    let color = Palette::of(ui).error;
    ui.label(RichText::new(text).color(color))
}

/// A large, centred number for timers and counters.
pub fn huge_number(ui: &mut Ui, text: &str) -> Response {
    ui.with_layout(Layout::top_down(Align::Center), |ui| {
        ui.label(
            RichText::new(text)
                .size(theme::HUGE_NUMBER)
                .strong()
                .color(Palette::of(ui).accent),
        )
    })
    .inner
}

/// The primary action of a view: filled with the accent colour.
pub fn primary(ui: &mut Ui, text: &str) -> Response {
    let palette = Palette::of(ui);
    ui.add(
        Button::new(RichText::new(text).color(palette.on_accent).strong())
            .fill(palette.accent)
            .min_size(egui::vec2(0.0, 34.0)),
    )
}

/// A regular button with the same height as [`primary`].
pub fn secondary(ui: &mut Ui, text: &str) -> Response {
    ui.add(Button::new(text).min_size(egui::vec2(0.0, 34.0)))
}

/// Gives a widget whose visible text is a symbol or number a name a screen
/// reader (and a test) can use.
pub fn accessible_label(ui: &Ui, response: &egui::Response, label: &str) {
    ui.ctx()
        .accesskit_node_builder(response.id, |node| node.set_label(label.to_owned()));
}

/// A row of buttons centred in the available width; `labels` are the
/// buttons' texts, used to measure the row before it is drawn.
pub fn centered_row<R>(ui: &mut Ui, labels: &[&str], add: impl FnOnce(&mut Ui) -> R) -> R {
    let padding = ui.spacing().button_padding.x;
    let gap = ui.spacing().item_spacing.x;
    let width: f32 = labels
        .iter()
        .map(|label| {
            egui::WidgetText::from(*label)
                .into_galley(
                    ui,
                    Some(egui::TextWrapMode::Extend),
                    f32::INFINITY,
                    egui::TextStyle::Button,
                )
                .size()
                .x
                + 2.0 * padding
        })
        .sum::<f32>()
        + gap * labels.len().saturating_sub(1) as f32;
    ui.horizontal(|ui| {
        ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
        add(ui)
    })
    .inner
}

/// Formats seconds left as "12:05" or "1:02:05".
pub fn clock_text(seconds: i64) -> String {
    let s = seconds.max(0);
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_naturally() {
        assert_eq!(clock_text(65), "1:05");
        assert_eq!(clock_text(3725), "1:02:05");
        assert_eq!(clock_text(-3), "0:00");
    }
}
