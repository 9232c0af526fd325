//! Writes a contact sheet of every catalogue exercise's figure (start,
//! working and hold frames, plus the other side of one-sided exercises) as
//! one SVG on standard output; `scripts/figure-sheet.sh` turns it into a PNG.

use std::fmt::Write as _;

use rebalance::core::catalog::Catalog;
use rebalance::core::figure;
use rebalance::exchange::report::figure_svg::drawing_svg;
use rebalance::exchange::report::svg::escape;

const CELL: f32 = 200.0;
const LABEL: f32 = 230.0;
const COLUMNS: usize = 4;

fn main() {
    let catalog = Catalog::builtin();
    let exercises = catalog.exercises();
    let width = LABEL + CELL * COLUMNS as f32;
    // Each row as tall as its figure's box: lower for a figure lying down.
    let row_height = |id: &str| figure::demo(id).map_or(CELL, |d| CELL / d.aspect());
    let height = exercises.iter().map(|e| row_height(&e.id)).sum::<f32>() + 40.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
    );
    for (i, title) in ["start", "working", "hold", "other side (working)"]
        .iter()
        .enumerate()
    {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"26\" font-family=\"sans-serif\" font-size=\"18\">{title}</text>",
            LABEL + CELL * i as f32 + 10.0
        );
    }
    let mut y = 40.0;
    for exercise in exercises {
        let cell_h = row_height(&exercise.id);
        let row_y = y;
        y += cell_h;
        let y = row_y;
        let _ = write!(
            out,
            "<text x=\"8\" y=\"{}\" font-family=\"sans-serif\" font-size=\"17\">{}</text>",
            y + cell_h / 2.0,
            escape(&exercise.name)
        );
        let Some(demo) = figure::demo(&exercise.id) else {
            let _ = write!(
                out,
                "<text x=\"{LABEL}\" y=\"{}\" font-size=\"17\" fill=\"red\">no figure</text>",
                y + cell_h / 2.0
            );
            continue;
        };
        let mut frames = vec![
            demo.picture(&demo.start, false),
            demo.picture(&demo.work, false),
            demo.picture(&demo.hold, false),
        ];
        if exercise.per_side {
            frames.push(demo.picture(&demo.work, true));
        }
        for (col, frame) in frames.iter().enumerate() {
            let _ = write!(
                out,
                "<g transform=\"translate({} {y})\"><rect width=\"{CELL}\" height=\"{cell_h}\" \
                 fill=\"none\" stroke=\"#ddd\"/>{}</g>",
                LABEL + CELL * col as f32,
                drawing_svg(frame, &exercise.name, CELL)
            );
        }
    }
    out.push_str("</svg>\n");
    print!("{out}");
}
