//! The week view's charts: stacked outcomes per day, routine minutes per
//! day, the strength curve and the pain chart.

use chrono::NaiveDate;
use egui::{Color32, RichText, Sense, Stroke, Ui, WidgetText, vec2};
use egui_plot::{
    AxisHints, Bar, BarChart, GridInput, GridMark, HoverPosition, Line, LineStyle, Plot,
    PlotPoints, Points,
};

use super::palette::Palette;
use crate::core::model::{Outcome, ReminderKind};
use crate::core::stats::{CHART_WEEKS, DayFigures, PainTrend, StrengthPoint, WeekFigures};

/// Height of every chart, in points.
const CHART_HEIGHT: f32 = 190.0;

/// A chart that shows data rather than exploring it: no zoom, pan or
/// scroll, so the page scrolls as the user expects.
fn still_plot(id: &str) -> Plot<'_> {
    Plot::new(id)
        .height(CHART_HEIGHT)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(true)
        .show_y(false)
        .set_margin_fraction(vec2(0.02, 0.1))
}

/// A legend above a chart, outside it so it never hides data. Each colour
/// swatch stays on the line of its label: an item that does not fit the
/// rest of the line starts the next one, swatch and all.
pub(super) fn legend(ui: &mut Ui, items: &[(Color32, String)]) {
    const SWATCH: f32 = 10.0;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for (i, (color, text)) in items.iter().enumerate() {
            let galley = WidgetText::from(RichText::new(text).size(12.5)).into_galley(
                ui,
                Some(egui::TextWrapMode::Extend),
                f32::INFINITY,
                egui::TextStyle::Body,
            );
            let needed = SWATCH + ui.spacing().item_spacing.x + galley.size().x;
            if i > 0 && ui.available_width() < needed {
                ui.end_row();
            }
            let (rect, _) = ui.allocate_exact_size(vec2(SWATCH, SWATCH), Sense::hover());
            ui.painter().rect_filled(rect, 2.0, *color);
            ui.add(egui::Label::new(galley));
            ui.add_space(8.0);
        }
    });
}

/// A bar filled with `color`, edged with the background so stacked
/// layers stay apart.
fn solid(bar: Bar, color: Color32, palette: &Palette) -> Bar {
    bar.fill(color).stroke(Stroke::new(1.0, palette.background))
}

/// The x axis of the per-day charts: one weekday label under each bar.
fn day_axis<'a>(days: Vec<NaiveDate>) -> AxisHints<'a> {
    // No axis title: the weekday names say what the axis is, and a title
    // under them would sit on the tick labels.
    AxisHints::new_x()
        .label_spacing(20.0..=30.0)
        .formatter(move |mark, _| weekday_label(&days, mark.value))
}

/// Axis ticks that show only whole numbers (counts, minutes).
fn whole_numbers(mark: GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    if mark.value.fract() == 0.0 && mark.value >= 0.0 {
        format!("{}", mark.value)
    } else {
        String::new()
    }
}

/// "Tue 14 Jan": the day as the charts and tooltips name it.
pub(super) fn day_name(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

fn weekday_marks(_input: GridInput) -> Vec<GridMark> {
    (0..7)
        .map(|i| GridMark {
            value: f64::from(i),
            step_size: 1.0,
        })
        .collect()
}

fn week_marks(input: GridInput) -> Vec<GridMark> {
    let last = input.bounds.1.max(0.0);
    (0..=((last / 7.0) as i64))
        .map(|w| GridMark {
            value: (w * 7) as f64,
            step_size: if w % 4 == 0 { 28.0 } else { 7.0 },
        })
        .collect()
}

/// Stacked bars per day: one layer per outcome of `kind`; hovering a day
/// lists all its counts.
pub(super) fn outcome_bars(
    ui: &mut Ui,
    figures: &WeekFigures,
    kind: ReminderKind,
    outcomes: &[Outcome],
    y_label: &str,
    palette: &Palette,
) {
    let keys: Vec<(Color32, String)> = outcomes
        .iter()
        .map(|&o| {
            let total = figures.totals.count(kind, o);
            (palette.outcome(o), format!("{} {total}", o.label()))
        })
        .collect();
    legend(ui, &keys);
    let mut layers: Vec<BarChart> = Vec::with_capacity(outcomes.len());
    for &outcome in outcomes {
        let color = palette.outcome(outcome);
        let bars = figures
            .days
            .iter()
            .enumerate()
            .map(|(i, day)| {
                let bar = Bar::new(i as f64, f64::from(day.count(kind, outcome))).width(0.6);
                solid(bar, color, palette)
            })
            .collect();
        let below: Vec<&BarChart> = layers.iter().collect();
        let layer = BarChart::new(outcome.label(), bars)
            .color(color)
            .allow_hover(false)
            .stack_on(&below);
        layers.push(layer);
    }
    let tallest = figures
        .days
        .iter()
        .map(|d| outcomes.iter().map(|o| d.count(kind, *o)).sum::<u32>())
        .max()
        .unwrap_or(0);
    let hovered = day_plot(
        ui,
        kind.as_str(),
        figures,
        y_label,
        tallest.max(4),
        |plot| {
            for layer in layers {
                plot.bar_chart(layer);
            }
        },
    );
    if let Some((day, response)) = hovered {
        response.on_hover_ui_at_pointer(|ui| {
            ui.strong(day_name(day.date));
            for &outcome in kind.outcomes() {
                ui.label(format!("{}: {}", outcome.label(), day.count(kind, outcome)));
            }
        });
    }
}

/// A chart with one slot per day of the week; returns the day under the
/// pointer, if any, with the chart's response to hang a tooltip on.
fn day_plot<'f>(
    ui: &mut Ui,
    id: &str,
    figures: &'f WeekFigures,
    y_label: &str,
    tallest: u32,
    add: impl FnOnce(&mut egui_plot::PlotUi<'_>),
) -> Option<(&'f DayFigures, egui::Response)> {
    let days = figures.days.iter().map(|d| d.date).collect::<Vec<_>>();
    let shown = still_plot(id)
        .show_x(false)
        .custom_x_axes(vec![day_axis(days)])
        .y_axis_label(y_label)
        .x_grid_spacer(weekday_marks)
        .y_axis_formatter(whole_numbers)
        .include_x(-0.6)
        .include_x(6.6)
        .include_y(0.0)
        .include_y(f64::from(tallest) * 1.1)
        .show(ui, |plot| {
            add(plot);
            plot.pointer_coordinate()
        });
    let x = shown.inner.filter(|_| shown.response.hovered())?.x;
    let slot = x.round();
    let on_bar = (x - slot).abs() <= 0.4 && (0.0..7.0).contains(&slot);
    let day = figures.days.get(slot as usize).filter(|_| on_bar)?;
    Some((day, shown.response))
}

fn weekday_label(days: &[NaiveDate], value: f64) -> String {
    if value.fract() != 0.0 || value < 0.0 {
        return String::new();
    }
    days.get(value as usize)
        .map(|d| d.format("%a").to_string())
        .unwrap_or_default()
}

/// "2 sessions, 24 min".
pub(super) fn sessions_text(sessions: u32, minutes: u32) -> String {
    let plural = if sessions == 1 { "" } else { "s" };
    format!("{sessions} session{plural}, {minutes} min")
}

/// Minutes of routine work per day; hovering a day gives its sessions.
pub(super) fn routine_bars(ui: &mut Ui, figures: &WeekFigures, palette: &Palette) {
    let bars = figures
        .days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let bar = Bar::new(i as f64, f64::from(day.routine_minutes)).width(0.6);
            solid(bar, palette.routine, palette)
        })
        .collect();
    let totals = &figures.totals;
    let week = sessions_text(totals.routine_sessions(), totals.routine_minutes);
    legend(ui, &[(palette.routine, format!("Minutes (week: {week})"))]);
    let chart = BarChart::new("Routine minutes", bars)
        .color(palette.routine)
        .allow_hover(false);
    let tallest = figures
        .days
        .iter()
        .map(|d| d.routine_minutes)
        .max()
        .unwrap_or(0);
    let hovered = day_plot(
        ui,
        "routine_minutes",
        figures,
        "Minutes",
        tallest.max(10),
        |plot| plot.bar_chart(chart),
    );
    if let Some((day, response)) = hovered {
        response.on_hover_ui_at_pointer(|ui| {
            ui.strong(day_name(day.date));
            ui.label(sessions_text(day.routine_sessions, day.routine_minutes));
        });
    }
}

/// Date of a day position on the 12-week charts ("13 Jan").
fn history_label(origin: NaiveDate, value: f64) -> String {
    if value.fract() != 0.0 || value < 0.0 {
        return String::new();
    }
    origin
        .checked_add_days(chrono::Days::new(value as u64))
        .map(|d| d.format("%-d %b").to_string())
        .unwrap_or_default()
}

fn history_days() -> f64 {
    f64::from(CHART_WEEKS * 7)
}

/// The routine strength score over the charted weeks, in percent.
pub(super) fn strength_curve(
    ui: &mut Ui,
    origin: NaiveDate,
    series: &[StrengthPoint],
    palette: &Palette,
) {
    let points: Vec<[f64; 2]> = series
        .iter()
        .map(|p| [(p.date - origin).num_days() as f64, p.score * 100.0])
        .collect();
    legend(ui, &[(palette.routine, "Strength, day by day".to_owned())]);
    let line = Line::new("Routine strength", PlotPoints::new(points))
        .color(palette.routine)
        .width(2.0)
        .fill(0.0)
        .fill_alpha(0.15);
    still_plot("routine_strength")
        .x_axis_label("Week starting")
        .y_axis_label("Strength (%)")
        .x_grid_spacer(week_marks)
        .x_axis_formatter(move |mark, _| history_label(origin, mark.value))
        .include_x(0.0)
        .include_x(history_days())
        .include_y(0.0)
        .include_y(100.0)
        .label_formatter(move |pos| match pos {
            HoverPosition::NearDataPoint { index, .. } => series
                .get(*index)
                .map(|p| format!("{}\nStrength {:.0} %", day_name(p.date), p.score * 100.0)),
            HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| plot.line(line));
}

/// Pain scores, their weekly mean and trend, beside routine sessions per week.
pub(super) fn pain_chart(ui: &mut Ui, origin: NaiveDate, pain: &PainTrend, palette: &Palette) {
    const SCORES: &str = "Pain score";
    const MEANS: &str = "Weekly mean pain";
    const TREND: &str = "Trend";
    let week_mid = |start: NaiveDate| (start - origin).num_days() as f64 + 3.5;
    let bar_color = palette.routine.gamma_multiply(0.45);
    let mut keys = vec![
        (palette.pain, "Pain score".to_owned()),
        (
            palette.pain.gamma_multiply(0.7),
            "Weekly mean pain".to_owned(),
        ),
        (bar_color, "Routine sessions per week".to_owned()),
    ];
    if pain.fit.is_some() {
        keys.push((palette.trend, "Trend, last 5 weeks (dashed)".to_owned()));
    }
    legend(ui, &keys);

    let sessions = BarChart::new(
        "Routine sessions per week",
        pain.weeks
            .iter()
            .map(|w| {
                let bar = Bar::new(week_mid(w.start), f64::from(w.sessions))
                    .width(5.0)
                    .name(format!(
                        "Week of {}\n{}",
                        w.start.format("%-d %b"),
                        sessions_text(w.sessions, w.minutes)
                    ));
                solid(bar, bar_color, palette)
            })
            .collect(),
    )
    .color(bar_color)
    .element_formatter(Box::new(|bar, _| bar.name.clone()));

    let scores: Vec<[f64; 2]> = pain
        .points
        .iter()
        .map(|p| [p.days_since(origin), f64::from(p.pain)])
        .collect();
    let means: Vec<(NaiveDate, f64)> = pain
        .weeks
        .iter()
        .filter_map(|w| w.pain_mean.map(|m| (w.start, m)))
        .collect();
    let mean_points: Vec<[f64; 2]> = means.iter().map(|(s, m)| [week_mid(*s), *m]).collect();
    let trend = pain.fit.map(|fit| {
        let from = (fit.from - origin).num_days() as f64;
        let to = (fit.to - origin).num_days() as f64 + 1.0;
        Line::new(
            TREND,
            PlotPoints::new(vec![[from, fit.value_at_from], [to, fit.value_at_to]]),
        )
        .color(palette.trend)
        .style(LineStyle::Dashed { length: 8.0 })
        .width(1.5)
    });
    let points = pain.points.clone();
    let fit = pain.fit;
    still_plot("pain")
        .x_axis_label("Week starting")
        .y_axis_label("Pain (0-10), sessions")
        .x_grid_spacer(week_marks)
        .x_axis_formatter(move |mark, _| history_label(origin, mark.value))
        .y_axis_formatter(whole_numbers)
        .include_x(0.0)
        .include_x(history_days())
        .include_y(0.0)
        .include_y(10.0)
        .label_formatter(move |pos| match pos {
            HoverPosition::NearDataPoint {
                plot_name, index, ..
            } => match *plot_name {
                SCORES => points.get(*index).map(|p| {
                    format!(
                        "{} {:02}:{:02}\nPain {} / 10",
                        day_name(p.date),
                        p.second_of_day / 3600,
                        p.second_of_day / 60 % 60,
                        p.pain
                    )
                }),
                MEANS => means.get(*index).map(|(start, mean)| {
                    format!("Week of {}\nMean pain {mean:.1}", start.format("%-d %b"))
                }),
                TREND => fit.map(|f| format!("Trend {:+.2} points per week", f.slope_per_week)),
                _ => None,
            },
            HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            plot.bar_chart(sessions);
            if !mean_points.is_empty() {
                let mean_color = palette.pain.gamma_multiply(0.7);
                plot.line(
                    Line::new(MEANS, PlotPoints::new(mean_points.clone()))
                        .color(mean_color)
                        .width(2.0),
                );
                plot.points(
                    Points::new(MEANS, PlotPoints::new(mean_points))
                        .id("weekly_mean_markers")
                        .color(mean_color)
                        .shape(egui_plot::MarkerShape::Diamond)
                        .radius(4.0)
                        .filled(true),
                );
            }
            plot.points(
                Points::new(SCORES, PlotPoints::new(scores))
                    .color(palette.pain)
                    .radius(3.5)
                    .filled(true),
            );
            if let Some(trend) = trend {
                plot.line(trend);
            }
        });
}
