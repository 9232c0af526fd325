//! The exercise figure in the window: paints a [`Drawing`] with the
//! theme's colours and keeps it moving at a modest frame rate only while it
//! is on screen and meant to move.

use std::time::Duration;

use chrono::{DateTime, Utc};
use egui::{Color32, Pos2, Rect, Response, Sense, Stroke, Ui, Vec2, pos2, vec2};

use crate::core::figure::{self, Demo, Drawing, Ink, Pace, Pose};
use crate::ui::theme::Palette;

/// Time between frames while the figure moves: 20 frames a second. The
/// movements are slow (a repetition takes seconds), so this reads as
/// smooth, and each frame of the whole window costs real CPU under
/// software GL (30 frames a second took a third of a core).
pub const FRAME_INTERVAL: Duration = Duration::from_millis(50);
/// How many demonstration repetitions play before a set is started; then
/// the figure rests in the working position until hovered.
const PREVIEW_REPEATS: u64 = 3;

/// Which moment of the exercise to show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// The pose to draw.
    pub pose: Pose,
    /// Whether the next frame differs (the caller keeps time running).
    pub moving: bool,
}

impl Frame {
    /// `elapsed_ms` into a set moved at `pace`; `running` when the set's
    /// clock runs. With `reduce_motion` the working position, still.
    pub fn in_set(
        demo: &Demo,
        pace: Pace,
        elapsed_ms: u64,
        running: bool,
        reduce_motion: bool,
    ) -> Self {
        if reduce_motion {
            return Self::still(demo);
        }
        Self {
            pose: figure::pose_at(demo, pace, elapsed_ms),
            moving: running,
        }
    }

    /// The working position, not moving.
    pub fn still(demo: &Demo) -> Self {
        Self {
            pose: demo.work,
            moving: false,
        }
    }
}

/// A looping demonstration before anything is counted: plays a few
/// repetitions from when `key` (the exercise shown) first appeared, then
/// rests in the working position; `hovered` plays it again.
pub fn preview(
    ui: &Ui,
    key: &str,
    demo: &Demo,
    now: DateTime<Utc>,
    hovered: bool,
    reduce_motion: bool,
) -> Frame {
    if reduce_motion {
        return Frame::still(demo);
    }
    let id = ui.scope_id().with(("figure-preview", key));
    let now_ms = now.timestamp_millis();
    let since = ui
        .ctx()
        .data_mut(|d| *d.get_temp_mut_or_insert_with(id, || now_ms));
    let elapsed = u64::try_from(now_ms - since).unwrap_or(0);
    let limit = figure::PREVIEW_CYCLE_MS * PREVIEW_REPEATS;
    if elapsed < limit || hovered {
        Frame {
            pose: figure::pose_at(demo, Pace::PREVIEW, elapsed),
            moving: true,
        }
    } else {
        Frame::still(demo)
    }
}

/// A small figure that rests in the working position and plays the
/// movement while the pointer is over its box (see [`box_size`]), timed by
/// egui's clock.
pub fn on_hover(ui: &Ui, demo: &Demo, size: Vec2, reduce_motion: bool) -> Frame {
    if reduce_motion || !pointer_over_next(ui, size) {
        return Frame::still(demo);
    }
    let ms = ui.input(|i| i.time * 1000.0);
    Frame {
        pose: figure::pose_at(demo, Pace::PREVIEW, ms.max(0.0) as u64),
        moving: true,
    }
}

/// Whether the pointer is over the box of `size` about to be laid out next.
pub fn pointer_over_next(ui: &Ui, size: Vec2) -> bool {
    ui.rect_contains_pointer(Rect::from_min_size(ui.cursor().min, size))
}

/// The box `demo` is drawn in, for a figure that would get a square of
/// side `side`: a figure lying down gets a wider, lower box of the same
/// area, so it is drawn larger instead of along the bottom of a square,
/// but never wider than `max_width`.
pub fn box_size(demo: &Demo, side: f32, max_width: f32) -> Vec2 {
    let aspect = demo.aspect();
    let width = (side * aspect.sqrt()).min(max_width.max(side));
    vec2(width, width / aspect)
}

fn colour(ink: Ink, palette: &Palette) -> Color32 {
    match ink {
        Ink::Body => palette.accent,
        Ink::Far => palette.accent.gamma_multiply(0.45),
        Ink::Prop | Ink::Wall | Ink::Floor => palette.muted,
        Ink::Band => palette.error,
    }
}

/// Draws `frame` of `demo` in a box of `size` (from [`box_size`]),
/// `mirrored` for the right side; named `label` for screen readers. Asks
/// for the next frame only when the figure moves and is visible.
pub fn show(
    ui: &mut Ui,
    demo: &Demo,
    frame: Frame,
    mirrored: bool,
    size: Vec2,
    label: &str,
) -> Response {
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, label));
    if !ui.is_rect_visible(rect) {
        return response;
    }
    paint(ui, rect, &demo.picture(&frame.pose, mirrored));
    if frame.moving {
        ui.ctx().request_repaint_after(FRAME_INTERVAL);
    }
    response
}

fn paint(ui: &Ui, rect: Rect, drawing: &Drawing) {
    let palette = Palette::of(ui);
    let painter = ui.painter_at(rect);
    painter.rect(
        rect.shrink(0.5),
        10.0,
        palette.card,
        Stroke::new(1.0, palette.card_stroke),
        egui::StrokeKind::Inside,
    );
    // Drawings are one unit wide; their height follows the box's shape.
    let side = rect.width();
    let at = |p: [f32; 2]| -> Pos2 { pos2(rect.left() + p[0] * side, rect.bottom() - p[1] * side) };
    for line in &drawing.lines {
        let stroke = Stroke::new(line.width * side, colour(line.ink, &palette));
        let (a, b) = (at(line.a), at(line.b));
        painter.line_segment([a, b], stroke);
        // Round the joints so bent limbs read as one piece.
        painter.circle_filled(a, stroke.width / 2.0, stroke.color);
        painter.circle_filled(b, stroke.width / 2.0, stroke.color);
    }
    for circle in &drawing.circles {
        let centre = at(circle.centre);
        let colour = colour(circle.ink, &palette);
        if circle.filled {
            painter.circle_filled(centre, circle.radius * side, colour);
        } else {
            painter.circle_stroke(
                centre,
                circle.radius * side,
                Stroke::new(circle.width * side, colour),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduce_motion_holds_the_working_position_still() {
        let demo = figure::demo("glute_bridge").expect("figure");
        let pace = Pace::Reps { cycle_ms: 3000 };
        let moving = Frame::in_set(demo, pace, 500, true, false);
        assert!(moving.moving);
        assert_ne!(moving.pose, demo.work);
        let still = Frame::in_set(demo, pace, 500, true, true);
        assert_eq!(still, Frame::still(demo));
        assert!(!still.moving);
        // A paused set shows where it stopped, without asking for frames.
        let paused = Frame::in_set(demo, pace, 500, false, false);
        assert_eq!(paused.pose, moving.pose);
        assert!(!paused.moving);
    }
}
