//! Demonstration figures for the exercises: a jointed stick figure whose
//! joint angles move through each exercise's keyframes, turned into plain
//! lines and circles in a unit box that the window and the report draw.
//! No drawing library types here, so the poses are checked by tests.

mod body;
mod demos;
mod drawing;
mod motion;

pub use body::{BodySide, Joint, Pose, RANGES, Skeleton, View};
pub use demos::{Demo, Prop, demo};
pub use drawing::{Circle, Drawing, FLOOR, Ink, Line, MAX_ASPECT, drawing};
pub use motion::{PREVIEW_CYCLE_MS, Pace, pose_at};

#[cfg(test)]
mod tests;
