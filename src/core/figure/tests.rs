//! Checks every exercise's figure: it exists, its joints stay in range, its
//! limbs hang together, it rests on the floor inside the box, the other side
//! is an exact mirror image, and it moves visibly and smoothly.

use super::body::{HEAD_R, SHANK, THIGH, TORSO};
use super::*;
use crate::core::catalog::{Catalog, Dose};

fn demos() -> Vec<(&'static Demo, Dose, bool)> {
    Catalog::builtin()
        .exercises()
        .iter()
        .map(|e| {
            let demo = demo(&e.id).unwrap_or_else(|| panic!("{} has no figure", e.id));
            (demo, e.dose, e.per_side)
        })
        .collect()
}

fn keyframes(demo: &Demo) -> [(&'static str, Pose); 3] {
    [
        ("start", demo.start),
        ("work", demo.work),
        ("hold", demo.hold),
    ]
}

fn points(d: &Drawing) -> Vec<[f32; 2]> {
    d.lines
        .iter()
        .flat_map(|l| [l.a, l.b])
        .chain(d.circles.iter().map(|c| c.centre))
        .collect()
}

/// How far `p` is from the segment `line`.
fn on_segment(p: [f32; 2], line: &Line) -> f32 {
    let (a, b) = (line.a, line.b);
    let ab = [b[0] - a[0], b[1] - a[1]];
    let len2 = ab[0] * ab[0] + ab[1] * ab[1];
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / len2).clamp(0.0, 1.0)
    };
    distance(p, [a[0] + ab[0] * t, a[1] + ab[1] * t])
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

#[test]
fn every_catalogue_exercise_has_a_figure_and_every_figure_an_exercise() {
    let catalog = Catalog::builtin();
    assert_eq!(demos().len(), catalog.exercises().len());
    for demo in super::demos::all() {
        assert!(
            catalog.exercise(demo.id).is_some(),
            "{} is not in the catalogue",
            demo.id
        );
    }
}

#[test]
fn the_props_the_cues_name_are_drawn() {
    for exercise in Catalog::builtin().exercises() {
        let demo = demo(&exercise.id).expect("figure");
        let cues = exercise.cues.join(" ").to_lowercase();
        let has = |f: fn(&Prop) -> bool| demo.props.iter().any(f);
        for (word, present) in [
            ("roller", has(|p| matches!(p, Prop::Roller { .. }))),
            ("wall", has(|p| matches!(p, Prop::Wall { .. }))),
            ("door", has(|p| matches!(p, Prop::Doorway { .. }))),
            ("band", has(|p| matches!(p, Prop::Band { .. }))),
            ("chair", has(|p| matches!(p, Prop::Chair { .. }))),
        ] {
            assert_eq!(
                cues.contains(word),
                present,
                "{}: the cues {} a {word}",
                exercise.id,
                if present { "do not mention" } else { "mention" }
            );
        }
    }
}

#[test]
fn every_joint_stays_in_its_anatomical_range() {
    for (demo, _, _) in demos() {
        for (name, pose) in keyframes(demo) {
            for (joint, angle) in pose.joint_angles() {
                let (_, lo, hi) = RANGES.iter().find(|r| r.0 == joint).expect("range");
                assert!(
                    (*lo..=*hi).contains(&angle),
                    "{} {name}: {joint:?} at {angle} outside {lo} to {hi}",
                    demo.id
                );
            }
        }
    }
}

#[test]
fn limbs_stay_attached_and_keep_their_length() {
    for (demo, _, _) in demos() {
        for (name, pose) in keyframes(demo) {
            let s = Skeleton::of(&pose, demo.view, FLOOR);
            let what = format!("{} {name}", demo.id);
            assert!(
                (distance(s.pelvis, s.neck) - TORSO).abs() < 1e-4,
                "{what}: trunk"
            );
            for limb in [&s.near, &s.far] {
                assert!(
                    (distance(limb.hip, limb.knee) - THIGH).abs() < 1e-4,
                    "{what}: thigh"
                );
                assert!(
                    (distance(limb.knee, limb.ankle) - SHANK).abs() < 1e-4,
                    "{what}: shank"
                );
            }
            // Each drawn segment of the body starts where another one ends
            // or at the trunk: nothing floats free.
            let d = demo.drawing(&pose, false);
            let body: Vec<&Line> = d
                .lines
                .iter()
                .filter(|l| matches!(l.ink, Ink::Body | Ink::Far))
                .collect();
            for line in &body {
                let joined = body
                    .iter()
                    .any(|other| !std::ptr::eq(*line, *other) && on_segment(line.a, other) < 1e-5);
                assert!(joined, "{what}: a segment from {:?} hangs loose", line.a);
            }
            let head = d.circles.iter().find(|c| c.filled).expect("head");
            assert!(
                distance(head.centre, s.neck) < HEAD_R * 2.0,
                "{what}: the head sits on the neck"
            );
        }
    }
}

/// The moments of a set worth checking: every 20 ms over two repetitions
/// or the first ten seconds of a hold.
fn moments(dose: Dose) -> impl Iterator<Item = u64> {
    let span = match Pace::of(dose) {
        Pace::Reps { cycle_ms } => 2 * cycle_ms,
        Pace::Hold => 10_000,
    };
    (0..=span).step_by(20)
}

#[test]
fn the_figure_rests_on_the_floor_inside_the_box_at_every_moment() {
    for (demo, dose, _) in demos() {
        for ms in moments(dose) {
            let pose = pose_at(demo, Pace::of(dose), ms);
            let s = Skeleton::of(&pose, demo.view, FLOOR);
            let lowest = s
                .points()
                .iter()
                .map(|p| p[1])
                .fold(f32::INFINITY, f32::min);
            assert!(
                (lowest - FLOOR).abs() < 1e-5,
                "{} at {ms} ms: lowest point {lowest}",
                demo.id
            );
            for (mirrored, shown) in [(false, false), (true, false), (false, true), (true, true)] {
                let drawn = if shown {
                    demo.picture(&pose, mirrored)
                } else {
                    demo.drawing(&pose, mirrored)
                };
                let (lo, hi) = drawn.extent();
                assert!(
                    lo[0] >= 0.0 && lo[1] >= 0.0 && hi[0] <= 1.0 && hi[1] <= drawn.height,
                    "{} at {ms} ms leaves the box: {lo:?} to {hi:?}",
                    demo.id
                );
            }
        }
    }
}

#[test]
fn the_other_side_is_an_exact_mirror_image() {
    for (demo, _, _) in demos() {
        for (name, pose) in keyframes(demo) {
            let left = points(&demo.picture(&pose, false));
            let right = points(&demo.picture(&pose, true));
            assert_eq!(left.len(), right.len());
            for (l, r) in left.iter().zip(&right) {
                assert_eq!([1.0 - l[0], l[1]], *r, "{} {name}", demo.id);
            }
        }
    }
}

#[test]
fn the_working_position_differs_visibly_from_the_start() {
    for (demo, _, _) in demos() {
        let start = points(&demo.drawing(&demo.start, false));
        let work = points(&demo.drawing(&demo.work, false));
        let moved = start
            .iter()
            .zip(&work)
            .map(|(a, b)| distance(*a, *b))
            .fold(0.0, f32::max);
        // A twentieth of the box: ten pixels on the guide's figure.
        assert!(
            moved >= 0.05,
            "{}: the working position moves only {moved}",
            demo.id
        );
    }
}

#[test]
fn the_movement_is_continuous() {
    for (demo, dose, _) in demos() {
        let pace = Pace::of(dose);
        for p in [pace, Pace::PREVIEW] {
            let mut last = points(&demo.drawing(&pose_at(demo, p, 0), false));
            for ms in moments(dose).skip(1) {
                let now = points(&demo.drawing(&pose_at(demo, p, ms), false));
                let jump = last
                    .iter()
                    .zip(&now)
                    .map(|(a, b)| distance(*a, *b))
                    .fold(0.0, f32::max);
                // Fast limbs cover a hundredth of the box in 20 ms; a snap
                // between keyframes covers several times that.
                assert!(jump < 0.02, "{} jumps {jump} at {ms} ms ({p:?})", demo.id);
                last = now;
            }
        }
    }
}

#[test]
fn a_set_starts_in_the_start_position_and_reaches_the_working_one() {
    for (demo, dose, _) in demos() {
        assert_eq!(pose_at(demo, Pace::of(dose), 0), demo.start, "{}", demo.id);
        let at_work = match Pace::of(dose) {
            Pace::Reps { cycle_ms } => cycle_ms * 2 / 5,
            Pace::Hold => 2_500,
        };
        assert_eq!(
            pose_at(demo, Pace::of(dose), at_work),
            demo.work,
            "{}",
            demo.id
        );
    }
}

/// What the figure and its props cover over the whole movement, as shown.
fn shown_extent(demo: &Demo) -> ([f32; 2], [f32; 2], f32) {
    let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
    let mut height = 0.0;
    for (_, pose) in keyframes(demo) {
        let picture = demo.picture(&pose, false);
        height = picture.height;
        let (a, b) = picture.figure_extent();
        for i in 0..2 {
            lo[i] = lo[i].min(a[i]);
            hi[i] = hi[i].max(b[i]);
        }
    }
    (lo, hi, height)
}

#[test]
fn every_figure_fills_its_box() {
    for (demo, _, _) in demos() {
        let (lo, hi, height) = shown_extent(demo);
        let across = hi[0] - lo[0];
        let up = (hi[1] - FLOOR) / (height - FLOOR);
        assert!(
            across >= 0.85 || up >= 0.85,
            "{}: the movement covers {across} of the width and {up} of the height",
            demo.id
        );
        assert!(
            (demo.aspect() - 1.0 / height).abs() < 1e-5,
            "{}: the box's shape",
            demo.id
        );
    }
}

#[test]
fn figures_lying_down_get_a_wide_low_box_and_standing_ones_a_square() {
    for id in ["glute_bridge", "dead_bug", "bird_dog", "foam_roll_quads"] {
        let demo = demo(id).expect("figure");
        assert!(demo.aspect() >= 1.6, "{id}: aspect {}", demo.aspect());
        // Lying down, the figure still fills most of the box's height.
        let (_, hi, height) = shown_extent(demo);
        let up = (hi[1] - FLOOR) / (height - FLOOR);
        assert!(up >= 0.5, "{id}: covers {up} of the height");
    }
    for id in [
        "hip_hinge",
        "deep_squat",
        "standing_glute_squeeze",
        "split_squat",
    ] {
        assert_eq!(demo(id).expect("figure").aspect(), 1.0, "{id}");
    }
}

#[test]
fn the_wall_stretch_kneels_by_the_wall_with_the_back_shin_and_foot_up_it() {
    let demo = demo("wall_hip_flexor_stretch").expect("figure");
    let wall = demo
        .props
        .iter()
        .find_map(|p| match p {
            Prop::Wall { x } => Some(*x),
            _ => None,
        })
        .expect("a wall");
    for (name, pose) in [("work", demo.work), ("hold", demo.hold)] {
        let s = Skeleton::of(&pose, demo.view, FLOOR);
        let back = s.near;
        assert!(back.knee[1] - FLOOR < 0.02, "{name}: the back knee is down");
        assert!(
            s.far.ankle[1] - FLOOR < 0.02 && s.far.toe[1] - FLOOR < 0.02,
            "{name}: the front foot is flat on the floor"
        );
        let shin = [back.ankle[0] - back.knee[0], back.ankle[1] - back.knee[1]];
        let tilt = shin[0].atan2(shin[1]).to_degrees().abs();
        assert!(tilt < 15.0, "{name}: the shin leans {tilt} degrees");
        // The toes rest against the wall (a limb's half width from it, not
        // through it), higher than the shin is long.
        let gap = back.toe[0] - wall;
        assert!(
            (0.0..0.035).contains(&gap),
            "{name}: the toes are {gap} from the wall"
        );
        assert!(
            back.toe[1] - FLOOR > SHANK,
            "{name}: the foot is low on the wall"
        );
    }
}

#[test]
fn the_doorway_stretch_is_seen_from_the_side_hands_on_the_frame_leaning_through() {
    let demo = demo("doorway_chest_stretch").expect("figure");
    assert_eq!(demo.view, View::Side);
    let frame = demo
        .props
        .iter()
        .find_map(|p| match p {
            Prop::Doorway { x } => Some(*x),
            _ => None,
        })
        .expect("a door frame");
    for (name, pose) in keyframes(demo) {
        let s = Skeleton::of(&pose, demo.view, FLOOR);
        let gap = s.near.hand[0] - frame;
        assert!(
            (0.0..0.035).contains(&gap),
            "{name}: the hand is {gap} from the frame"
        );
        assert!(
            s.near.hand[1] < s.near.shoulder[1] && s.near.hand[1] > s.pelvis[1],
            "{name}: the hand is between hip and shoulder height"
        );
    }
    let start = Skeleton::of(&demo.start, demo.view, FLOOR);
    let work = Skeleton::of(&demo.work, demo.view, FLOOR);
    assert!(
        work.neck[0] - start.neck[0] > 0.04,
        "the chest moves forward through the door"
    );
    assert!(
        demo.work.trunk - demo.start.trunk >= 10.0,
        "the trunk leans forward"
    );
}
