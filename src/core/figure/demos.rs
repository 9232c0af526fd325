//! Each catalogue exercise's demonstration: how the figure is seen, the
//! props it uses, and its keyframes (the start position, the working
//! position and the hold).

use super::body::{BodySide, Pose, View};

/// Where a band sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandAt {
    /// Just above the knees.
    Knees,
    /// Around the ankles.
    Ankles,
}

/// Something besides the floor the exercise uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prop {
    /// A wall at `x`.
    Wall {
        /// Position across the box.
        x: f32,
    },
    /// A door frame seen from the side: the edge of the wall the figure
    /// steps through, its near face at `x`.
    Doorway {
        /// Position of the frame's near face across the box.
        x: f32,
    },
    /// A foam roller lying on the floor at `x` with radius `r`.
    Roller {
        /// Position across the box.
        x: f32,
        /// Radius.
        r: f32,
    },
    /// A chair whose seat's front edge is at `x`, seat at height `seat`.
    Chair {
        /// Front edge of the seat.
        x: f32,
        /// Height of the seat.
        seat: f32,
    },
    /// An exercise band around both legs.
    Band {
        /// Where on the legs.
        at: BandAt,
    },
}

/// One exercise's demonstration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demo {
    /// Catalogue id of the exercise.
    pub id: &'static str,
    /// Side or front view.
    pub view: View,
    /// Props besides the floor.
    pub props: &'static [Prop],
    /// Where each repetition starts.
    pub start: Pose,
    /// The working position.
    pub work: Pose,
    /// The hold at the end of the movement (or the far end of a roll).
    pub hold: Pose,
}

/// Angles of one side: shoulder, elbow, hip, knee, ankle.
const fn side(a: [f32; 5]) -> BodySide {
    BodySide {
        shoulder: a[0],
        elbow: a[1],
        hip: a[2],
        knee: a[3],
        ankle: a[4],
    }
}

const fn pose(x: f32, trunk: f32, neck: f32, near: [f32; 5], far: [f32; 5]) -> Pose {
    Pose {
        x,
        trunk,
        neck,
        near: side(near),
        far: side(far),
    }
}

const STAND: [f32; 5] = [5.0, 10.0, 0.0, 3.0, 0.0];

const DEMOS: &[Demo] = &[
    Demo {
        id: "foam_roll_quads",
        view: View::Side,
        props: &[Prop::Roller { x: 0.40, r: 0.06 }],
        start: pose(
            0.50,
            78.0,
            -20.0,
            [78.0, 90.0, -12.0, 5.0, -40.0],
            [78.0, 90.0, 8.0, 0.0, -40.0],
        ),
        work: pose(
            0.57,
            78.0,
            -20.0,
            [78.0, 90.0, -12.0, 5.0, -40.0],
            [78.0, 90.0, 8.0, 0.0, -40.0],
        ),
        hold: pose(
            0.46,
            78.0,
            -20.0,
            [78.0, 90.0, -12.0, 5.0, -40.0],
            [78.0, 90.0, 8.0, 0.0, -40.0],
        ),
    },
    Demo {
        id: "foam_roll_hip_flexors",
        view: View::Side,
        props: &[Prop::Roller { x: 0.47, r: 0.06 }],
        start: pose(
            0.48,
            78.0,
            -20.0,
            [78.0, 90.0, -12.0, 5.0, -40.0],
            [78.0, 90.0, 8.0, 0.0, -40.0],
        ),
        work: pose(
            0.535,
            78.0,
            -20.0,
            [78.0, 90.0, -12.0, 5.0, -40.0],
            [78.0, 90.0, 8.0, 0.0, -40.0],
        ),
        hold: pose(
            0.45,
            78.0,
            -20.0,
            [78.0, 90.0, -12.0, 5.0, -40.0],
            [78.0, 90.0, 8.0, 0.0, -40.0],
        ),
    },
    Demo {
        id: "foam_roll_glutes",
        view: View::Side,
        props: &[Prop::Roller { x: 0.42, r: 0.04 }],
        start: pose(
            0.42,
            -20.0,
            10.0,
            [-30.0, 0.0, 95.0, 25.0, 0.0],
            [-30.0, 0.0, 100.0, 130.0, 0.0],
        ),
        work: pose(
            0.47,
            -20.0,
            10.0,
            [-30.0, 0.0, 95.0, 25.0, 0.0],
            [-30.0, 0.0, 100.0, 130.0, 0.0],
        ),
        hold: pose(
            0.38,
            -20.0,
            10.0,
            [-30.0, 0.0, 95.0, 25.0, 0.0],
            [-30.0, 0.0, 100.0, 130.0, 0.0],
        ),
    },
    Demo {
        id: "foam_roll_upper_back",
        view: View::Side,
        props: &[Prop::Roller { x: 0.38, r: 0.045 }],
        start: pose(
            0.50,
            -78.0,
            35.0,
            [40.0, 130.0, 70.0, 130.0, -20.0],
            [40.0, 130.0, 70.0, 130.0, -20.0],
        ),
        work: pose(
            0.555,
            -78.0,
            35.0,
            [40.0, 130.0, 70.0, 130.0, -20.0],
            [40.0, 130.0, 70.0, 130.0, -20.0],
        ),
        hold: pose(
            0.46,
            -78.0,
            35.0,
            [40.0, 130.0, 70.0, 130.0, -20.0],
            [40.0, 130.0, 70.0, 130.0, -20.0],
        ),
    },
    // The back knee down by the wall with its shin up against it, the foot
    // resting on the wall above the shin.
    Demo {
        id: "wall_hip_flexor_stretch",
        view: View::Side,
        props: &[Prop::Wall { x: 0.31 }],
        start: pose(
            0.47,
            20.0,
            0.0,
            [20.0, 10.0, 10.0, 155.0, -50.0],
            [40.0, 60.0, 110.0, 90.0, 0.0],
        ),
        work: pose(
            0.455,
            0.0,
            0.0,
            [10.0, 10.0, -25.0, 155.0, -50.0],
            [10.0, 10.0, 92.0, 92.0, 0.0],
        ),
        hold: pose(
            0.455,
            -3.0,
            0.0,
            [10.0, 10.0, -27.0, 155.0, -50.0],
            [10.0, 10.0, 90.0, 93.0, 0.0],
        ),
    },
    Demo {
        id: "standing_hip_flexor_stretch",
        view: View::Side,
        props: &[],
        start: pose(
            0.50,
            0.0,
            0.0,
            [5.0, 10.0, -10.0, 10.0, -10.0],
            [5.0, 10.0, 20.0, 5.0, 0.0],
        ),
        work: pose(
            0.53,
            -3.0,
            0.0,
            [5.0, 10.0, -25.0, 15.0, -25.0],
            [5.0, 10.0, 35.0, 35.0, 15.0],
        ),
        hold: pose(
            0.54,
            -5.0,
            0.0,
            [5.0, 10.0, -28.0, 15.0, -25.0],
            [5.0, 10.0, 38.0, 38.0, 15.0],
        ),
    },
    // Seen from the side like the others: the hands stay on the frame
    // behind while the body steps through and leans forward, which is what
    // opens the chest (from the front the lean does not show).
    Demo {
        id: "doorway_chest_stretch",
        view: View::Side,
        props: &[Prop::Doorway { x: 0.36 }],
        start: pose(
            0.545,
            0.0,
            0.0,
            [-45.0, 5.0, -10.0, 5.0, -5.0],
            [-45.0, 5.0, 20.0, 10.0, 0.0],
        ),
        work: pose(
            0.55,
            15.0,
            5.0,
            [-50.0, 5.0, -10.0, 10.0, -10.0],
            [-50.0, 5.0, 30.0, 15.0, 5.0],
        ),
        hold: pose(
            0.555,
            18.0,
            5.0,
            [-50.0, 5.0, -10.0, 8.0, -12.0],
            [-50.0, 5.0, 32.0, 18.0, 5.0],
        ),
    },
    Demo {
        id: "glute_bridge",
        view: View::Side,
        props: &[],
        start: pose(
            0.55,
            -90.0,
            20.0,
            [0.0, 0.0, 50.0, 100.0, -40.0],
            [0.0, 0.0, 50.0, 100.0, -40.0],
        ),
        work: pose(
            0.55,
            -110.0,
            30.0,
            [0.0, 0.0, 0.0, 110.0, 0.0],
            [0.0, 0.0, 0.0, 110.0, 0.0],
        ),
        hold: pose(
            0.55,
            -113.0,
            30.0,
            [0.0, 0.0, -3.0, 113.0, 0.0],
            [0.0, 0.0, -3.0, 113.0, 0.0],
        ),
    },
    Demo {
        id: "lateral_band_walk",
        view: View::Front,
        props: &[Prop::Band { at: BandAt::Knees }],
        start: pose(
            0.50,
            0.0,
            0.0,
            [12.0, 8.0, 8.0, 15.0, 0.0],
            [12.0, 8.0, 8.0, 15.0, 0.0],
        ),
        work: pose(
            0.53,
            0.0,
            0.0,
            [12.0, 8.0, 25.0, 15.0, 0.0],
            [12.0, 8.0, 8.0, 15.0, 0.0],
        ),
        hold: pose(
            0.56,
            0.0,
            0.0,
            [12.0, 8.0, 12.0, 15.0, 0.0],
            [12.0, 8.0, 18.0, 15.0, 0.0],
        ),
    },
    Demo {
        id: "dead_bug",
        view: View::Side,
        props: &[],
        start: pose(
            0.55,
            -90.0,
            0.0,
            [90.0, 0.0, 90.0, 90.0, 0.0],
            [90.0, 0.0, 90.0, 90.0, 0.0],
        ),
        work: pose(
            0.55,
            -90.0,
            0.0,
            [165.0, 0.0, 90.0, 90.0, 0.0],
            [90.0, 0.0, 15.0, 10.0, -20.0],
        ),
        hold: pose(
            0.55,
            -90.0,
            0.0,
            [170.0, 0.0, 90.0, 90.0, 0.0],
            [90.0, 0.0, 12.0, 8.0, -20.0],
        ),
    },
    Demo {
        id: "bird_dog",
        view: View::Side,
        props: &[],
        start: pose(
            0.45,
            80.0,
            -10.0,
            [80.0, 10.0, 90.0, 105.0, -50.0],
            [80.0, 10.0, 90.0, 105.0, -50.0],
        ),
        work: pose(
            0.45,
            80.0,
            -10.0,
            [170.0, 0.0, 90.0, 105.0, -50.0],
            [80.0, 10.0, -5.0, 0.0, -30.0],
        ),
        hold: pose(
            0.45,
            80.0,
            -10.0,
            [175.0, 0.0, 90.0, 105.0, -50.0],
            [80.0, 10.0, -8.0, 0.0, -30.0],
        ),
    },
    Demo {
        id: "side_plank_knees",
        view: View::Side,
        props: &[],
        start: pose(
            0.45,
            53.0,
            0.0,
            [53.0, 90.0, -25.0, 45.0, -30.0],
            [0.0, 20.0, -25.0, 45.0, -30.0],
        ),
        work: pose(
            0.45,
            71.0,
            0.0,
            [71.0, 90.0, 0.0, 45.0, -30.0],
            [0.0, 20.0, 0.0, 45.0, -30.0],
        ),
        hold: pose(
            0.45,
            72.0,
            0.0,
            [72.0, 90.0, 2.0, 45.0, -30.0],
            [0.0, 20.0, 2.0, 45.0, -30.0],
        ),
    },
    Demo {
        id: "standing_glute_squeeze",
        view: View::Side,
        props: &[],
        start: pose(
            0.475,
            8.0,
            0.0,
            [5.0, 10.0, 12.0, 14.0, 0.0],
            [5.0, 10.0, 12.0, 14.0, 0.0],
        ),
        work: pose(
            0.53,
            -4.0,
            0.0,
            [0.0, 10.0, -10.0, 0.0, 0.0],
            [0.0, 10.0, -10.0, 0.0, 0.0],
        ),
        hold: pose(
            0.53,
            -4.0,
            0.0,
            [0.0, 10.0, -10.0, 0.0, 0.0],
            [0.0, 10.0, -10.0, 0.0, 0.0],
        ),
    },
    Demo {
        id: "hip_hinge",
        view: View::Side,
        props: &[],
        start: pose(0.50, 0.0, 0.0, STAND, STAND),
        work: pose(
            0.45,
            60.0,
            -10.0,
            [60.0, 5.0, 70.0, 15.0, 5.0],
            [60.0, 5.0, 70.0, 15.0, 5.0],
        ),
        hold: pose(
            0.44,
            65.0,
            -10.0,
            [65.0, 5.0, 75.0, 15.0, 5.0],
            [65.0, 5.0, 75.0, 15.0, 5.0],
        ),
    },
    Demo {
        id: "split_squat",
        view: View::Side,
        props: &[],
        start: pose(
            0.50,
            0.0,
            0.0,
            [5.0, 10.0, 25.0, 5.0, 0.0],
            [5.0, 10.0, -20.0, 10.0, -30.0],
        ),
        work: pose(
            0.50,
            0.0,
            0.0,
            [5.0, 10.0, 90.0, 90.0, 0.0],
            [5.0, 10.0, -5.0, 95.0, 20.0],
        ),
        hold: pose(
            0.50,
            0.0,
            0.0,
            [5.0, 10.0, 92.0, 92.0, 0.0],
            [5.0, 10.0, -5.0, 97.0, 20.0],
        ),
    },
    Demo {
        id: "deep_squat",
        view: View::Side,
        props: &[],
        start: pose(0.50, 0.0, 0.0, STAND, STAND),
        work: pose(
            0.44,
            40.0,
            -10.0,
            [90.0, 0.0, 120.0, 130.0, 25.0],
            [90.0, 0.0, 120.0, 130.0, 25.0],
        ),
        hold: pose(
            0.44,
            40.0,
            -10.0,
            [90.0, 0.0, 122.0, 132.0, 26.0],
            [90.0, 0.0, 122.0, 132.0, 26.0],
        ),
    },
    Demo {
        id: "sit_to_stand",
        view: View::Side,
        props: &[Prop::Chair {
            x: 0.50,
            seat: 0.24,
        }],
        start: pose(
            0.44,
            0.0,
            0.0,
            [5.0, 60.0, 90.0, 90.0, 0.0],
            [5.0, 60.0, 90.0, 90.0, 0.0],
        ),
        work: pose(
            0.46,
            40.0,
            -10.0,
            [40.0, 60.0, 130.0, 90.0, 0.0],
            [40.0, 60.0, 130.0, 90.0, 0.0],
        ),
        hold: pose(0.58, 0.0, 0.0, STAND, STAND),
    },
];

/// The demonstration of the exercise with catalogue id `id`.
pub fn demo(id: &str) -> Option<&'static Demo> {
    DEMOS.iter().find(|d| d.id == id)
}

impl Demo {
    /// What to draw for `pose` of this demonstration; `mirrored` for the
    /// other side of a one-sided exercise.
    pub fn drawing(&self, pose: &Pose, mirrored: bool) -> super::Drawing {
        let skeleton = super::Skeleton::of(pose, self.view, super::FLOOR);
        super::drawing(self, &skeleton, mirrored)
    }

    /// What the whole movement (all three keyframes) covers.
    fn movement_extent(&self) -> ([f32; 2], [f32; 2]) {
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for key in [&self.start, &self.work, &self.hold] {
            let (a, b) = self.drawing(key, false).figure_extent();
            for i in 0..2 {
                lo[i] = lo[i].min(a[i]);
                hi[i] = hi[i].max(b[i]);
            }
        }
        (lo, hi)
    }

    /// Width over height of the box this demonstration fills: 1 for a
    /// figure standing, up to [`super::MAX_ASPECT`] for one lying down.
    pub fn aspect(&self) -> f32 {
        let (lo, hi) = self.movement_extent();
        super::Drawing::aspect_for(lo, hi)
    }

    /// The picture shown, in a box [`Demo::aspect`] times as wide as tall:
    /// [`Demo::drawing`] brought as close as the whole movement allows, the
    /// same for every frame so the figure does not zoom as it moves.
    pub fn picture(&self, pose: &Pose, mirrored: bool) -> super::Drawing {
        let (lo, hi) = self.movement_extent();
        let fitted = self
            .drawing(pose, false)
            .fitted(lo, hi, super::Drawing::aspect_for(lo, hi));
        if mirrored { fitted.mirrored() } else { fitted }
    }
}

/// Every demonstration.
#[cfg(test)]
pub(super) fn all() -> &'static [Demo] {
    DEMOS
}
