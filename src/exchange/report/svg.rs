//! Small inline SVG charts for the report: weekly lines, weekly bars,
//! horizontal bars and a scatter with a fitted line. Plain SVG 1.1 text,
//! no scripts, no external references; colours from the Okabe-Ito palette,
//! which stays distinguishable for colour-blind readers, and every series
//! also differs by marker or dash so it reads in grey print.

use std::fmt::Write as _;

/// Blue (Okabe-Ito).
pub const BLUE: &str = "#0072B2";
/// Orange (Okabe-Ito).
pub const ORANGE: &str = "#E69F00";
/// Bluish green (Okabe-Ito).
pub const GREEN: &str = "#009E73";
/// Vermillion (Okabe-Ito).
pub const VERMILLION: &str = "#D55E00";
const INK: &str = "#222";
const MUTED: &str = "#666";
const GRID: &str = "#ddd";

/// Width of every chart in SVG units; the page scales it to the column.
const WIDTH: f64 = 680.0;

/// Escapes text for HTML and SVG content and attribute values.
pub use crate::core::text_format::escape_markup as escape;

/// How a weekly line series is drawn.
pub struct Series<'a> {
    /// Legend text.
    pub name: &'a str,
    /// Stroke and marker colour.
    pub colour: &'a str,
    /// `stroke-dasharray`, empty for a solid line.
    pub dash: &'a str,
    /// Marker shape.
    pub marker: Marker,
    /// One value per week; `None` leaves a gap.
    pub values: Vec<Option<f64>>,
}

/// A data point's shape.
#[derive(Clone, Copy)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle.
    Triangle,
}

/// One legend entry.
struct LegendKey<'a> {
    name: &'a str,
    colour: &'a str,
    dash: Option<&'a str>,
    marker: Option<Marker>,
}

/// The drawing area and the SVG text being built.
struct Canvas {
    out: String,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Canvas {
    fn new(height: f64, left: f64, top: f64, label: &str) -> Self {
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{label}" font-family="inherit" font-size="12"><title>{label}</title>"#,
            label = escape(label)
        );
        Self {
            out,
            left,
            right: WIDTH - 16.0,
            top,
            bottom: height - 30.0,
        }
    }

    fn y_for(&self, value: f64, max: f64) -> f64 {
        self.bottom - (value / max).clamp(0.0, 1.0) * (self.bottom - self.top)
    }

    /// Horizontal grid lines with labels on the left.
    fn y_grid(&mut self, max: f64, ticks: &[f64], label: impl Fn(f64) -> String) {
        for &tick in ticks {
            let y = self.y_for(tick, max);
            let _ = write!(
                self.out,
                r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{GRID}" stroke-width="1"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{MUTED}">{}</text>"#,
                self.left,
                self.right,
                self.left - 6.0,
                y + 4.0,
                escape(&label(tick))
            );
        }
        let _ = write!(
            self.out,
            r#"<line x1="{l:.1}" y1="{b:.1}" x2="{r:.1}" y2="{b:.1}" stroke="{INK}" stroke-width="1"/>"#,
            l = self.left,
            r = self.right,
            b = self.bottom
        );
    }

    fn x_label(&mut self, x: f64, text: &str) {
        let _ = write!(
            self.out,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            self.bottom + 16.0,
            escape(text)
        );
    }

    fn axis_title(&mut self, text: &str) {
        let _ = write!(
            self.out,
            r#"<text x="{:.1}" y="{:.1}" fill="{MUTED}" font-size="11">{}</text>"#,
            self.left,
            self.top - 10.0,
            escape(text)
        );
    }

    /// Legend keys at the top right: a line sample with `Some(dash)`, a
    /// marker with `Some(marker)`.
    fn legend(&mut self, items: &[LegendKey<'_>]) {
        let mut x = self.right;
        for key in items.iter().rev() {
            let (name, colour) = (key.name, key.colour);
            let width = 44.0 + 7.2 * name.chars().count() as f64;
            x -= width;
            let y = self.top - 14.0;
            if let Some(dash) = key.dash {
                let _ = write!(
                    self.out,
                    r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>"#,
                    x,
                    x + 22.0
                );
            }
            if let Some(marker) = key.marker {
                self.marker(marker, x + 11.0, y, colour);
            }
            let _ = write!(
                self.out,
                r#"<text x="{:.1}" y="{:.1}" fill="{INK}">{}</text>"#,
                x + 27.0,
                y + 4.0,
                escape(name)
            );
        }
    }

    fn marker(&mut self, marker: Marker, x: f64, y: f64, colour: &str) {
        let _ = match marker {
            Marker::Circle => write!(
                self.out,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{colour}"/>"#
            ),
            Marker::Square => write!(
                self.out,
                r#"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="{colour}"/>"#,
                x - 3.5,
                y - 3.5
            ),
            Marker::Triangle => write!(
                self.out,
                r#"<path d="M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{colour}"/>"#,
                x,
                y - 4.5,
                x + 4.5,
                y + 3.5,
                x - 4.5,
                y + 3.5
            ),
        };
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// Every `step`-th label is drawn so week labels never overlap.
fn label_step(count: usize) -> usize {
    count.div_ceil(12).max(1)
}

/// Weekly values (0-100 %) as lines, gaps where a week has no value.
pub fn weekly_percent_lines(title: &str, week_labels: &[String], series: &[Series<'_>]) -> String {
    let mut canvas = Canvas::new(240.0, 44.0, 40.0, title);
    canvas.y_grid(100.0, &[0.0, 25.0, 50.0, 75.0, 100.0], |v| {
        format!("{v:.0} %")
    });
    let count = week_labels.len().max(1);
    let slot = (canvas.right - canvas.left) / count as f64;
    let x_at = |i: usize| canvas.left + slot * (i as f64 + 0.5);
    let xs: Vec<f64> = (0..count).map(x_at).collect();
    for (i, label) in week_labels.iter().enumerate() {
        if i % label_step(count) == 0 {
            canvas.x_label(xs[i], label);
        }
    }
    for s in series {
        let mut path = String::new();
        let mut pen_down = false;
        for (i, value) in s.values.iter().enumerate() {
            match value {
                Some(v) => {
                    let y = canvas.y_for(*v, 100.0);
                    let _ = write!(
                        path,
                        "{}{:.1} {:.1}",
                        if pen_down { "L" } else { "M" },
                        xs[i],
                        y
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !path.is_empty() {
            let _ = write!(
                canvas.out,
                r#"<path d="{path}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>"#,
                s.colour, s.dash
            );
        }
        for (i, value) in s.values.iter().enumerate() {
            if let Some(v) = value {
                let y = canvas.y_for(*v, 100.0);
                canvas.marker(s.marker, xs[i], y, s.colour);
            }
        }
    }
    let legend: Vec<LegendKey<'_>> = series
        .iter()
        .map(|s| LegendKey {
            name: s.name,
            colour: s.colour,
            dash: Some(s.dash),
            marker: Some(s.marker),
        })
        .collect();
    canvas.legend(&legend);
    canvas.finish()
}

/// One bar per week with its value written above it.
pub fn weekly_bars(
    title: &str,
    axis: &str,
    week_labels: &[String],
    values: &[u32],
    colour: &str,
) -> String {
    let mut canvas = Canvas::new(220.0, 44.0, 34.0, title);
    let highest = values.iter().copied().max().unwrap_or(0);
    let max = nice_max(highest);
    canvas.y_grid(max, &ticks(highest), |v| format!("{v:.0}"));
    canvas.axis_title(axis);
    let count = values.len().max(1);
    let slot = (canvas.right - canvas.left) / count as f64;
    let bar = (slot * 0.62).min(48.0);
    for (i, &value) in values.iter().enumerate() {
        let centre = canvas.left + slot * (i as f64 + 0.5);
        let y = canvas.y_for(f64::from(value), max);
        let _ = write!(
            canvas.out,
            r#"<rect x="{:.1}" y="{y:.1}" width="{bar:.1}" height="{:.1}" fill="{colour}"/>"#,
            centre - bar / 2.0,
            canvas.bottom - y
        );
        if value > 0 && count <= 26 {
            let _ = write!(
                canvas.out,
                r#"<text x="{centre:.1}" y="{:.1}" text-anchor="middle" fill="{INK}" font-size="11">{value}</text>"#,
                y - 4.0
            );
        }
        if i % label_step(count) == 0 {
            canvas.x_label(centre, &week_labels[i]);
        }
    }
    canvas.finish()
}

/// Horizontal bars, one per named item, with the count at the bar's end.
pub fn horizontal_bars(title: &str, items: &[(String, u32)], colour: &str) -> String {
    let row = 22.0;
    let label_width = 190.0;
    let height = 16.0 + row * items.len() as f64 + 8.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-label="{t}" font-family="inherit" font-size="12"><title>{t}</title>"#,
        t = escape(title)
    );
    let max = f64::from(items.iter().map(|i| i.1).max().unwrap_or(1).max(1));
    let span = WIDTH - label_width - 60.0;
    for (i, (name, count)) in items.iter().enumerate() {
        let y = 12.0 + row * i as f64;
        let width = span * f64::from(*count) / max;
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{}</text><rect x="{label_width:.1}" y="{y:.1}" width="{width:.1}" height="14" fill="{colour}"/><text x="{:.1}" y="{:.1}" fill="{INK}">{count}</text>"#,
            label_width - 8.0,
            y + 11.0,
            escape(name),
            label_width + width + 6.0,
            y + 11.0
        );
    }
    out.push_str("</svg>");
    out
}

/// Pain scores (0-10) over `span_days` days, with the least-squares line
/// `pain = intercept + slope * day` when there is one.
pub fn pain_scatter(
    title: &str,
    points: &[(f64, u8)],
    span_days: f64,
    x_labels: &[(f64, String)],
    fit: Option<(f64, f64)>,
) -> String {
    let mut canvas = Canvas::new(240.0, 44.0, 40.0, title);
    canvas.y_grid(10.0, &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0], |v| {
        format!("{v:.0}")
    });
    canvas.axis_title("pain (0-10)");
    let span = span_days.max(1.0);
    let x_for = |canvas: &Canvas, day: f64| {
        canvas.left + (day / span).clamp(0.0, 1.0) * (canvas.right - canvas.left)
    };
    for (day, label) in x_labels {
        let x = x_for(&canvas, *day);
        canvas.x_label(x, label);
    }
    for (day, pain) in points {
        let (x, y) = (x_for(&canvas, *day), canvas.y_for(f64::from(*pain), 10.0));
        let _ = write!(
            canvas.out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{VERMILLION}" fill-opacity="0.75"/>"#
        );
    }
    let mut legend = vec![LegendKey {
        name: "pain score",
        colour: VERMILLION,
        dash: None,
        marker: Some(Marker::Circle),
    }];
    if let Some((slope, intercept)) = fit {
        let line = |day: f64| {
            (
                x_for(&canvas, day),
                canvas.y_for(intercept + slope * day, 10.0),
            )
        };
        let (first, last) = (
            points.first().map_or(0.0, |p| p.0),
            points.last().map_or(span, |p| p.0),
        );
        let ((x1, y1), (x2, y2)) = (line(first), line(last));
        let _ = write!(
            canvas.out,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{BLUE}" stroke-width="2.5" stroke-dasharray="7 4"/>"#
        );
        legend.push(LegendKey {
            name: "line of best fit",
            colour: BLUE,
            dash: Some("7 4"),
            marker: None,
        });
    }
    canvas.legend(&legend);
    canvas.finish()
}

/// A round tick step giving about four intervals up to `max`: 1, 2 or 5
/// times a power of ten (2.5 from 25 up), never below 1.
fn nice_step(max: u32) -> u32 {
    let rough = f64::from(max.max(1)) / 4.0;
    let mut magnitude = 1u32;
    loop {
        for step in [1.0, 2.0, 2.5, 5.0] {
            let candidate = step * f64::from(magnitude);
            if candidate >= rough && candidate.fract() == 0.0 {
                return candidate as u32;
            }
        }
        magnitude = magnitude.saturating_mul(10);
        if magnitude == u32::MAX {
            return magnitude;
        }
    }
}

/// The axis top for values up to `max`: a whole number of round steps.
fn nice_max(max: u32) -> f64 {
    let step = nice_step(max);
    f64::from(max.max(1).div_ceil(step).saturating_mul(step))
}

/// The ticks from 0 to `top` for values up to `max`.
fn ticks(max: u32) -> Vec<f64> {
    let step = nice_step(max);
    let top = nice_max(max);
    (0..)
        .map(|i| f64::from(step) * f64::from(i))
        .take_while(|v| *v <= top)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_max(0), 1.0);
        assert_eq!(nice_max(7), 8.0);
        assert_eq!(nice_max(51), 60.0);
        assert_eq!(nice_max(100), 100.0);
        assert_eq!(nice_max(120), 150.0);
        assert_eq!(ticks(51), vec![0.0, 20.0, 40.0, 60.0]);
        assert_eq!(ticks(100), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(ticks(2), vec![0.0, 1.0, 2.0]);
        assert_eq!(ticks(0), vec![0.0, 1.0]);
    }

    #[test]
    fn user_text_cannot_break_out_of_the_markup() {
        let svg = horizontal_bars("t", &[("<script>x</script> & \"q\"".to_owned(), 2)], BLUE);
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;"));
    }
}
