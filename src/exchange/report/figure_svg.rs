//! The exercise figures as small inline SVG pictures, drawn from the same
//! lines and circles the window paints.

use std::fmt::Write as _;

use super::svg::escape;
use crate::core::figure::{self, Drawing, Ink};

const BODY: &str = "#0072B2";
const FAR: &str = "#8DB8D6";
const PROP: &str = "#888";
const BAND: &str = "#D55E00";

fn colour(ink: Ink) -> &'static str {
    match ink {
        Ink::Body => BODY,
        Ink::Far => FAR,
        Ink::Prop | Ink::Wall | Ink::Floor => PROP,
        Ink::Band => BAND,
    }
}

/// One drawing as an SVG element `size` units wide and as tall as the
/// drawing's box (y flipped so up is up), titled for screen readers.
pub fn drawing_svg(drawing: &Drawing, title: &str, size: f32) -> String {
    let s = size;
    let h = drawing.height * s;
    let at = |p: [f32; 2]| (p[0] * s, h - p[1] * s);
    let mut out = format!(
        "<svg class=\"pose\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {s} {h}\" \
         width=\"{s}\" height=\"{h}\" role=\"img\"><title>{}</title>",
        escape(title)
    );
    for l in &drawing.lines {
        let (x1, y1) = at(l.a);
        let (x2, y2) = at(l.b);
        let _ = write!(
            out,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{}\" \
             stroke-width=\"{:.2}\" stroke-linecap=\"round\"/>",
            colour(l.ink),
            l.width * s
        );
    }
    for c in &drawing.circles {
        let (cx, cy) = at(c.centre);
        let paint = if c.filled {
            format!("fill=\"{}\"", colour(c.ink))
        } else {
            format!(
                "fill=\"none\" stroke=\"{}\" stroke-width=\"{:.2}\"",
                colour(c.ink),
                c.width * s
            )
        };
        let _ = write!(
            out,
            "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\" {paint}/>",
            c.radius * s
        );
    }
    out.push_str("</svg>");
    out
}

/// The start and working positions of the exercise `id` side by side, for
/// the report's table, each `height` units tall and as wide as its figure's
/// box (wider for a figure lying down); `None` for an exercise without a
/// figure.
pub fn exercise_thumbnails(id: &str, name: &str, height: f32) -> Option<String> {
    let demo = figure::demo(id)?;
    let width = height * demo.aspect();
    let start = drawing_svg(
        &demo.picture(&demo.start, false),
        &format!("{name}: start position"),
        width,
    );
    let work = drawing_svg(
        &demo.picture(&demo.work, false),
        &format!("{name}: working position"),
        width,
    );
    Some(format!("{start}{work}"))
}
