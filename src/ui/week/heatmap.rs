//! The calendar heatmap of routine days: one column per week, one row per
//! weekday, darker for more minutes.

use egui::{Align2, FontId, Rect, Sense, Stroke, StrokeKind, Ui, pos2, vec2};

use super::charts::day_name;
use super::palette::Palette;
use crate::core::stats::HeatmapDay;

const CELL: f32 = 18.0;
const GAP: f32 = 3.0;
const LABEL_WIDTH: f32 = 34.0;
const HEADER_HEIGHT: f32 = 16.0;

/// Draws `cells` (whole weeks, first day first) with a tooltip per day.
pub(super) fn routine_calendar(ui: &mut Ui, cells: &[HeatmapDay], palette: &Palette) {
    let weeks = cells.len().div_ceil(7);
    let size = vec2(
        LABEL_WIDTH + weeks as f32 * (CELL + GAP),
        HEADER_HEIGHT + 7.0 * (CELL + GAP),
    );
    let (area, _) = ui.allocate_exact_size(size, Sense::hover());
    let painter = ui.painter_at(area);
    let small = FontId::proportional(11.0);
    let weak = ui.visuals().weak_text_color();
    let busiest = cells.iter().map(|c| c.minutes).max().unwrap_or(0).max(1);

    for (row, cell) in cells.iter().take(7).enumerate() {
        painter.text(
            pos2(area.left(), cell_top(area, row) + CELL / 2.0),
            Align2::LEFT_CENTER,
            cell.date.format("%a").to_string(),
            small.clone(),
            weak,
        );
    }
    let mut last_month = None;
    for (i, cell) in cells.iter().enumerate() {
        let (column, row) = (i / 7, i % 7);
        if row == 0 && last_month != Some(cell.date.format("%b").to_string()) {
            let month = cell.date.format("%b").to_string();
            painter.text(
                pos2(cell_left(area, column), area.top()),
                Align2::LEFT_TOP,
                &month,
                small.clone(),
                weak,
            );
            last_month = Some(month);
        }
        let rect = Rect::from_min_size(
            pos2(cell_left(area, column), cell_top(area, row)),
            vec2(CELL, CELL),
        );
        let text = if cell.future {
            painter.rect_stroke(
                rect,
                3.0,
                Stroke::new(1.0, palette.empty_cell),
                StrokeKind::Inside,
            );
            format!("{}: still to come", day_name(cell.date))
        } else if cell.sessions > 0 {
            let share = cell.minutes as f32 / busiest as f32;
            painter.rect_filled(rect, 3.0, palette.routine_shade(share));
            let plural = if cell.sessions == 1 { "" } else { "s" };
            format!(
                "{}: {} session{plural}, {} min",
                day_name(cell.date),
                cell.sessions,
                cell.minutes
            )
        } else {
            painter.rect_filled(rect, 3.0, palette.empty_cell);
            format!("{}: no routine", day_name(cell.date))
        };
        ui.interact(
            rect,
            ui.make_persistent_id(("routine_day", i)),
            Sense::hover(),
        )
        .on_hover_text(text);
    }
}

fn cell_left(area: Rect, column: usize) -> f32 {
    area.left() + LABEL_WIDTH + column as f32 * (CELL + GAP)
}

fn cell_top(area: Rect, row: usize) -> f32 {
    area.top() + HEADER_HEIGHT + row as f32 * (CELL + GAP)
}
