//! A pose turned into what gets drawn: lines and circles in a box one unit
//! wide (y up), each with the ink it is drawn in, so the window and the
//! report draw the same picture.

use super::body::{LimbPoints, Point, Skeleton};
use super::demos::{BandAt, Demo, Prop};

/// Height of the floor line in the box.
pub const FLOOR: f32 = 0.08;

/// What a line or circle stands for, which picks its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    /// Trunk, head and the near limbs.
    Body,
    /// The far limbs, drawn fainter behind the body.
    Far,
    /// The floor line.
    Floor,
    /// Roller, chair.
    Prop,
    /// A wall or door frame: it runs up out of the picture, so the picture
    /// cuts it at the top instead of shrinking the figure to fit it in.
    Wall,
    /// An exercise band.
    Band,
}

/// A straight stroke; `width` is a share of the box's side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// One end.
    pub a: Point,
    /// The other end.
    pub b: Point,
    /// Stroke width.
    pub width: f32,
    /// What it stands for.
    pub ink: Ink,
}

/// A circle; the head is filled, a foam roller is an outline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circle {
    /// Centre.
    pub centre: Point,
    /// Radius.
    pub radius: f32,
    /// Filled or outlined.
    pub filled: bool,
    /// Outline width when not filled.
    pub width: f32,
    /// What it stands for.
    pub ink: Ink,
}

/// Everything drawn for one frame, back to front, in a box one unit wide
/// and [`Drawing::height`] tall.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// Strokes, in drawing order.
    pub lines: Vec<Line>,
    /// Circles, drawn after the lines.
    pub circles: Vec<Circle>,
    /// Height of the box as a share of its width: 1 for a square, less for
    /// the wide box of a figure lying down.
    pub height: f32,
}

impl Default for Drawing {
    fn default() -> Self {
        Self {
            lines: Vec::new(),
            circles: Vec::new(),
            height: 1.0,
        }
    }
}

/// The widest box a figure gets, as width over height: a figure lying
/// down fills a box twice as wide as tall instead of the bottom of a square.
pub const MAX_ASPECT: f32 = 2.0;

const FLOOR_LINE: [Point; 2] = [[0.03, FLOOR], [0.97, FLOOR]];
/// Room left around a figure brought closer by [`Drawing::fitted`].
const FIT_MARGIN: f32 = 0.06;
const LIMB_W: f32 = 0.034;
const TRUNK_W: f32 = 0.05;
const PROP_W: f32 = 0.014;
const BAND_W: f32 = 0.02;
/// Where walls and door frames are cut before fitting: above any figure.
const WALL_TOP: f32 = 0.95;
/// Thickness of a door frame seen from the side.
const DOOR_DEPTH: f32 = 0.05;

impl Drawing {
    fn line(&mut self, a: Point, b: Point, width: f32, ink: Ink) {
        self.lines.push(Line { a, b, width, ink });
    }

    fn limbs(&mut self, l: &LimbPoints, ink: Ink) {
        for (a, b) in [
            (l.hip, l.knee),
            (l.knee, l.ankle),
            (l.ankle, l.toe),
            (l.shoulder, l.elbow),
            (l.elbow, l.hand),
        ] {
            self.line(a, b, LIMB_W, ink);
        }
    }

    /// The same picture seen in a mirror: left and right swapped.
    pub fn mirrored(&self) -> Self {
        let flip = |p: Point| [1.0 - p[0], p[1]];
        Self {
            lines: self
                .lines
                .iter()
                .map(|l| Line {
                    a: flip(l.a),
                    b: flip(l.b),
                    ..*l
                })
                .collect(),
            circles: self
                .circles
                .iter()
                .map(|c| Circle {
                    centre: flip(c.centre),
                    ..*c
                })
                .collect(),
            height: self.height,
        }
    }

    /// The width over height of the box that the region `lo`..`hi` (what
    /// the figure and its props cover) fills when drawn as wide as the box,
    /// between 1 (square) and [`MAX_ASPECT`].
    pub fn aspect_for(lo: Point, hi: Point) -> f32 {
        let scale = (1.0 - 2.0 * FIT_MARGIN) / (hi[0] - lo[0]).max(f32::EPSILON);
        let height = FLOOR + (hi[1] - FLOOR) * scale + FIT_MARGIN;
        (1.0 / height).clamp(1.0, MAX_ASPECT)
    }

    /// The drawing brought closer so that the region `lo`..`hi` (what the
    /// figure and its props cover) fills a box `aspect` times as wide as
    /// tall, the floor staying put: a figure lying down is drawn as large
    /// as its wide box allows, one standing as large as its square.
    pub fn fitted(&self, lo: Point, hi: Point, aspect: f32) -> Self {
        let height = 1.0 / aspect;
        let scale = ((1.0 - 2.0 * FIT_MARGIN) / (hi[0] - lo[0]).max(f32::EPSILON))
            .min((height - FLOOR - FIT_MARGIN) / (hi[1] - FLOOR).max(f32::EPSILON));
        let centre = (lo[0] + hi[0]) / 2.0;
        let at = |p: Point| {
            [
                0.5 + (p[0] - centre) * scale,
                FLOOR + (p[1] - FLOOR) * scale,
            ]
        };
        Self {
            lines: self
                .lines
                .iter()
                .map(|l| match l.ink {
                    Ink::Floor => *l,
                    // Cut where the box ends, less a margin so the cut shows.
                    Ink::Wall => Line {
                        a: at(l.a),
                        b: {
                            let b = at(l.b);
                            [b[0], b[1].min(height - FIT_MARGIN / 2.0)]
                        },
                        width: l.width * scale,
                        ink: l.ink,
                    },
                    _ => Line {
                        a: at(l.a),
                        b: at(l.b),
                        width: l.width * scale,
                        ink: l.ink,
                    },
                })
                .collect(),
            circles: self
                .circles
                .iter()
                .map(|c| Circle {
                    centre: at(c.centre),
                    radius: c.radius * scale,
                    width: c.width * scale,
                    ..*c
                })
                .collect(),
            height,
        }
    }

    /// What the figure and its props cover, leaving out the floor line and
    /// the height of walls (but not where they stand).
    pub fn figure_extent(&self) -> (Point, Point) {
        Self {
            lines: self
                .lines
                .iter()
                .filter(|l| l.ink != Ink::Floor)
                .map(|l| match l.ink {
                    Ink::Wall => Line {
                        b: [l.b[0], l.a[1]],
                        ..*l
                    },
                    _ => *l,
                })
                .collect(),
            circles: self.circles.clone(),
            height: self.height,
        }
        .extent()
    }

    /// Every point a stroke or circle reaches, for bounds checks.
    pub fn extent(&self) -> (Point, Point) {
        let mut lo = [f32::INFINITY; 2];
        let mut hi = [f32::NEG_INFINITY; 2];
        let mut take = |p: Point, pad: f32| {
            for i in 0..2 {
                lo[i] = lo[i].min(p[i] - pad);
                hi[i] = hi[i].max(p[i] + pad);
            }
        };
        for l in &self.lines {
            take(l.a, l.width / 2.0);
            take(l.b, l.width / 2.0);
        }
        for c in &self.circles {
            take(c.centre, c.radius + c.width / 2.0);
        }
        (lo, hi)
    }
}

/// The drawing of `skeleton` with the props of `demo`; mirrored for the
/// other side of a one-sided exercise.
pub fn drawing(demo: &Demo, skeleton: &Skeleton, mirrored: bool) -> Drawing {
    let mut d = Drawing::default();
    d.line(FLOOR_LINE[0], FLOOR_LINE[1], PROP_W, Ink::Floor);
    for prop in demo.props {
        match *prop {
            Prop::Wall { x } => d.line([x, FLOOR], [x, WALL_TOP], PROP_W * 1.6, Ink::Wall),
            Prop::Doorway { x } => {
                // The frame's edge seen from the side: its two faces, so it
                // reads as a door frame and not a plain wall.
                let back = x - DOOR_DEPTH;
                d.line([x, FLOOR], [x, WALL_TOP], PROP_W * 1.6, Ink::Wall);
                d.line([back, FLOOR], [back, WALL_TOP], PROP_W * 1.6, Ink::Wall);
            }
            Prop::Chair { x, seat } => {
                let back = x - 0.17;
                d.line([back, seat], [x, seat], PROP_W * 2.0, Ink::Prop);
                d.line([x - 0.01, seat], [x - 0.01, FLOOR], PROP_W, Ink::Prop);
                d.line([back, FLOOR], [back, seat + 0.2], PROP_W * 1.6, Ink::Prop);
            }
            Prop::Roller { .. } | Prop::Band { .. } => {}
        }
    }
    d.limbs(&skeleton.far, Ink::Far);
    d.line(skeleton.pelvis, skeleton.neck, TRUNK_W, Ink::Body);
    d.line(skeleton.near.hip, skeleton.far.hip, TRUNK_W, Ink::Body);
    d.line(
        skeleton.near.shoulder,
        skeleton.far.shoulder,
        TRUNK_W,
        Ink::Body,
    );
    d.limbs(&skeleton.near, Ink::Body);
    for prop in demo.props {
        match *prop {
            Prop::Band { at } => {
                let (a, b) = match at {
                    BandAt::Knees => (skeleton.near.knee, skeleton.far.knee),
                    BandAt::Ankles => (skeleton.near.ankle, skeleton.far.ankle),
                };
                d.line(a, b, BAND_W, Ink::Band);
            }
            Prop::Roller { x, r } => d.circles.push(Circle {
                centre: [x, FLOOR + r],
                radius: r,
                filled: false,
                width: PROP_W * 2.0,
                ink: Ink::Prop,
            }),
            _ => {}
        }
    }
    d.circles.push(Circle {
        centre: skeleton.head,
        radius: skeleton.head_r,
        filled: true,
        width: 0.0,
        ink: Ink::Body,
    });
    if mirrored { d.mirrored() } else { d }
}
