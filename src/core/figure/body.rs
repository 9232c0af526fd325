//! The jointed figure: joint angles (a pose) and forward kinematics from
//! them to points in the unit box.

/// Figure height standing, as a share of the box.
const HEIGHT: f32 = 0.66;
/// Pelvis to the base of the neck.
pub(super) const TORSO: f32 = 0.30 * HEIGHT;
/// Base of the neck to the bottom of the head.
const NECK: f32 = 0.04 * HEIGHT;
/// Radius of the head.
pub(super) const HEAD_R: f32 = 0.065 * HEIGHT;
const UPPER_ARM: f32 = 0.18 * HEIGHT;
const FOREARM: f32 = 0.21 * HEIGHT;
pub(super) const THIGH: f32 = 0.26 * HEIGHT;
pub(super) const SHANK: f32 = 0.26 * HEIGHT;
const FOOT: f32 = 0.12 * HEIGHT;
/// Half the width of the shoulders and of the hips, seen from the front.
const SHOULDER_HALF: f32 = 0.09 * HEIGHT;
const HIP_HALF: f32 = 0.05 * HEIGHT;

/// Which way the figure is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// From the side, facing right: limbs swing forward and back, the far
    /// limbs behind the near ones.
    Side,
    /// From the front: limbs move out to the sides, the far limbs mirrored
    /// across the trunk.
    Front,
}

/// The joint angles of one side of the body, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BodySide {
    /// Shoulder flexion: 0 arm down, 90 forward, 180 overhead (from the
    /// front: abduction, out to the side).
    pub shoulder: f32,
    /// Elbow flexion: 0 straight.
    pub elbow: f32,
    /// Hip flexion: 0 in line with the trunk, 90 thigh forward, negative
    /// behind (from the front: abduction).
    pub hip: f32,
    /// Knee flexion: 0 straight.
    pub knee: f32,
    /// Ankle dorsiflexion: 0 foot at right angles to the shin, positive
    /// toes up, negative pointed.
    pub ankle: f32,
}

/// A whole-body pose: where the pelvis is across the box, how the trunk is
/// turned, and every joint angle. Height above the floor follows from the
/// pose: the lowest point rests on the floor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// Pelvis position across the box, 0 to 1.
    pub x: f32,
    /// Direction of the trunk from pelvis to neck, degrees clockwise from
    /// straight up: 0 upright, 90 lying face down head to the right, -90
    /// lying on the back head to the left.
    pub trunk: f32,
    /// Head tilt against the trunk: positive chin toward chest.
    pub neck: f32,
    /// The side nearer the viewer (the working side of one-sided exercises).
    pub near: BodySide,
    /// The side further away.
    pub far: BodySide,
}

/// A joint whose angle the figure checks against its anatomical range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joint {
    /// Head on trunk.
    Neck,
    /// Shoulder flexion or abduction.
    Shoulder,
    /// Elbow flexion.
    Elbow,
    /// Hip flexion (negative: extension) or abduction.
    Hip,
    /// Knee flexion.
    Knee,
    /// Ankle dorsiflexion (negative: plantar flexion).
    Ankle,
}

/// The range each joint moves through in a healthy adult, in degrees.
pub const RANGES: [(Joint, f32, f32); 6] = [
    (Joint::Neck, -40.0, 60.0),
    (Joint::Shoulder, -50.0, 180.0),
    (Joint::Elbow, 0.0, 150.0),
    (Joint::Hip, -30.0, 135.0),
    (Joint::Knee, 0.0, 155.0),
    (Joint::Ankle, -50.0, 30.0),
];

fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

impl BodySide {
    fn lerp(&self, other: &Self, t: f32) -> Self {
        Self {
            shoulder: lerp(self.shoulder, other.shoulder, t),
            elbow: lerp(self.elbow, other.elbow, t),
            hip: lerp(self.hip, other.hip, t),
            knee: lerp(self.knee, other.knee, t),
            ankle: lerp(self.ankle, other.ankle, t),
        }
    }

    fn angles(&self) -> [(Joint, f32); 5] {
        [
            (Joint::Shoulder, self.shoulder),
            (Joint::Elbow, self.elbow),
            (Joint::Hip, self.hip),
            (Joint::Knee, self.knee),
            (Joint::Ankle, self.ankle),
        ]
    }
}

impl Pose {
    /// The pose `t` of the way (0 to 1) from `self` to `other`.
    pub fn lerp(&self, other: &Self, t: f32) -> Self {
        Self {
            x: lerp(self.x, other.x, t),
            trunk: lerp(self.trunk, other.trunk, t),
            neck: lerp(self.neck, other.neck, t),
            near: self.near.lerp(&other.near, t),
            far: self.far.lerp(&other.far, t),
        }
    }

    /// Every joint angle of the pose, both sides.
    pub fn joint_angles(&self) -> Vec<(Joint, f32)> {
        let mut all = vec![(Joint::Neck, self.neck)];
        all.extend(self.near.angles());
        all.extend(self.far.angles());
        all
    }
}

/// A point in the box: x to the right, y up, both 0 to 1.
pub type Point = [f32; 2];

/// The points of one side's limbs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimbPoints {
    /// Where the arm joins the trunk.
    pub shoulder: Point,
    /// Elbow.
    pub elbow: Point,
    /// Hand.
    pub hand: Point,
    /// Where the leg joins the pelvis.
    pub hip: Point,
    /// Knee.
    pub knee: Point,
    /// Ankle.
    pub ankle: Point,
    /// Tip of the foot.
    pub toe: Point,
}

/// The figure's points for one pose, resting on the floor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Skeleton {
    /// Middle of the pelvis.
    pub pelvis: Point,
    /// Base of the neck, between the shoulders.
    pub neck: Point,
    /// Centre of the head.
    pub head: Point,
    /// Radius of the head.
    pub head_r: f32,
    /// The near side's limbs.
    pub near: LimbPoints,
    /// The far side's limbs.
    pub far: LimbPoints,
}

/// Unit vector of a direction in degrees clockwise from straight up.
fn dir(degrees: f32) -> Point {
    let r = degrees.to_radians();
    [r.sin(), r.cos()]
}

fn step(from: Point, degrees: f32, length: f32) -> Point {
    let d = dir(degrees);
    [from[0] + d[0] * length, from[1] + d[1] * length]
}

impl Skeleton {
    /// Forward kinematics: the points of `pose` seen as `view`, with the
    /// lowest point on the floor at `floor`.
    pub fn of(pose: &Pose, view: View, floor: f32) -> Self {
        let pelvis = [pose.x, 0.0];
        let neck = step(pelvis, pose.trunk, TORSO);
        let head = step(neck, pose.trunk + pose.neck, NECK + HEAD_R);
        let (shoulder_half, hip_half) = match view {
            View::Side => (0.0, 0.0),
            View::Front => (SHOULDER_HALF, HIP_HALF),
        };
        // Seen from the front the far side is the mirror image of the near
        // one across the trunk; from the side both swing the same way.
        let far_sign = match view {
            View::Side => 1.0,
            View::Front => -1.0,
        };
        let limb = |side: &BodySide, sign: f32| {
            let across = pose.trunk + 90.0 * sign;
            let shoulder = step(neck, across, shoulder_half);
            let hip = step(pelvis, across, hip_half);
            let upper = pose.trunk + 180.0 - sign * side.shoulder;
            let elbow = step(shoulder, upper, UPPER_ARM);
            let hand = step(elbow, upper - sign * side.elbow, FOREARM);
            let thigh = pose.trunk + 180.0 - sign * side.hip;
            let knee = step(hip, thigh, THIGH);
            let shank = thigh + sign * side.knee;
            let ankle = step(knee, shank, SHANK);
            let foot_len = match view {
                View::Side => FOOT,
                // Toes point at the viewer: a short stub shows the foot.
                View::Front => FOOT * 0.45,
            };
            let toe = step(ankle, shank - sign * (90.0 + side.ankle), foot_len);
            LimbPoints {
                shoulder,
                elbow,
                hand,
                hip,
                knee,
                ankle,
                toe,
            }
        };
        let mut skeleton = Self {
            pelvis,
            neck,
            head,
            head_r: HEAD_R,
            near: limb(&pose.near, 1.0),
            far: limb(&pose.far, far_sign),
        };
        let lift = floor - skeleton.lowest();
        skeleton.map(|p| [p[0], p[1] + lift]);
        skeleton
    }

    /// Every point of the figure (joints and the top and bottom of the head).
    pub fn points(&self) -> Vec<Point> {
        let mut all = vec![
            self.pelvis,
            self.neck,
            [self.head[0], self.head[1] - self.head_r],
            [self.head[0], self.head[1] + self.head_r],
            [self.head[0] - self.head_r, self.head[1]],
            [self.head[0] + self.head_r, self.head[1]],
        ];
        for l in [&self.near, &self.far] {
            all.extend([l.shoulder, l.elbow, l.hand, l.hip, l.knee, l.ankle, l.toe]);
        }
        all
    }

    fn lowest(&self) -> f32 {
        self.points()
            .iter()
            .map(|p| p[1])
            .fold(f32::INFINITY, f32::min)
    }

    fn map(&mut self, f: impl Fn(Point) -> Point) {
        self.pelvis = f(self.pelvis);
        self.neck = f(self.neck);
        self.head = f(self.head);
        for l in [&mut self.near, &mut self.far] {
            for p in [
                &mut l.shoulder,
                &mut l.elbow,
                &mut l.hand,
                &mut l.hip,
                &mut l.knee,
                &mut l.ankle,
                &mut l.toe,
            ] {
                *p = f(*p);
            }
        }
    }
}
