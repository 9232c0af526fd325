//! The calendar heatmap of routine days: one column per week, one row per
//! weekday, darker for more minutes.

use chrono::Datelike;
use egui::{Align2, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Ui, pos2, vec2};

use super::charts::{day_name, sessions_text};
use super::palette::Palette;
use crate::core::stats::HeatmapDay;

const CELL: f32 = 18.0;
const GAP: f32 = 3.0;
const LABEL_WIDTH: f32 = 34.0;
const HEADER_HEIGHT: f32 = 16.0;

/// Draws `cells` (whole weeks, first day first), with the hovered day's
/// figures in a tooltip.
pub(super) fn routine_calendar(ui: &mut Ui, cells: &[HeatmapDay], palette: &Palette) {
    let weeks = cells.len().div_ceil(7);
    let size = vec2(
        LABEL_WIDTH + weeks as f32 * (CELL + GAP),
        HEADER_HEIGHT + 7.0 * (CELL + GAP),
    );
    let (area, response) = ui.allocate_exact_size(size, Sense::hover());
    let painter = ui.painter_at(area);
    let small = FontId::proportional(11.0);
    let weak = ui.visuals().weak_text_color();
    let busiest = cells.iter().map(|c| c.minutes).max().unwrap_or(0).max(1);

    for (row, cell) in cells.iter().take(7).enumerate() {
        painter.text(
            pos2(area.left(), cell_rect(area, row).center().y),
            Align2::LEFT_CENTER,
            cell.date.format("%a").to_string(),
            small.clone(),
            weak,
        );
    }
    let mut last_month = None;
    for (i, cell) in cells.iter().enumerate() {
        let rect = cell_rect(area, i);
        if i % 7 == 0 && last_month != Some(cell.date.month()) {
            painter.text(
                pos2(rect.left(), area.top()),
                Align2::LEFT_TOP,
                cell.date.format("%b").to_string(),
                small.clone(),
                weak,
            );
            last_month = Some(cell.date.month());
        }
        if cell.future {
            let stroke = Stroke::new(1.0, palette.empty_cell);
            painter.rect_stroke(rect, 3.0, stroke, StrokeKind::Inside);
        } else if cell.sessions > 0 {
            let share = cell.minutes as f32 / busiest as f32;
            painter.rect_filled(rect, 3.0, palette.routine_shade(share));
        } else {
            painter.rect_filled(rect, 3.0, palette.empty_cell);
        }
    }
    let hovered = response
        .hover_pos()
        .and_then(|pointer| cell_at(area, pointer))
        .and_then(|i| cells.get(i));
    if let Some(cell) = hovered {
        response.on_hover_text_at_pointer(describe(cell));
    }
}

/// The tooltip of one day.
fn describe(cell: &HeatmapDay) -> String {
    let day = day_name(cell.date);
    if cell.future {
        format!("{day}: still to come")
    } else if cell.sessions > 0 {
        format!("{day}: {}", sessions_text(cell.sessions, cell.minutes))
    } else {
        format!("{day}: no routine")
    }
}

/// Cell `i` counts down the weekdays of a week, then on to the next week.
fn cell_rect(area: Rect, i: usize) -> Rect {
    let (column, row) = ((i / 7) as f32, (i % 7) as f32);
    Rect::from_min_size(
        pos2(
            area.left() + LABEL_WIDTH + column * (CELL + GAP),
            area.top() + HEADER_HEIGHT + row * (CELL + GAP),
        ),
        vec2(CELL, CELL),
    )
}

/// The cell under `pointer`, if it is on one (not in a gap or the labels).
fn cell_at(area: Rect, pointer: Pos2) -> Option<usize> {
    let x = pointer.x - area.left() - LABEL_WIDTH;
    let y = pointer.y - area.top() - HEADER_HEIGHT;
    if x < 0.0 || y < 0.0 {
        return None;
    }
    let pitch = CELL + GAP;
    let (column, row) = ((x / pitch) as usize, (y / pitch) as usize);
    let inside = x % pitch < CELL && y % pitch < CELL && row < 7;
    inside.then_some(column * 7 + row)
}
