//! The built-in catalogue: every exercise the brief names, sound routines,
//! and checks on the routines users make.

use std::time::Duration;

use rebalance::core::catalog::{
    Catalog, Dose, Exercise, FULL_SESSION_ROUTINE, MINI_ROUTINE, Phase, Routine, RoutineStep,
};
use rebalance::core::model::FieldError;
use rebalance::core::prompts::BREAK_SUGGESTIONS;
use rebalance::core::settings::{ImbalancePattern, RoutineSettings};

fn step(exercise: &str, dose: Dose) -> RoutineStep {
    RoutineStep {
        exercise: exercise.to_owned(),
        dose,
    }
}

fn reps(sets: u32, reps: u32) -> Dose {
    Dose::Reps { sets, reps }
}

fn hold(sets: u32, seconds: u32) -> Dose {
    Dose::Hold { sets, seconds }
}

fn user_routine(steps: Vec<RoutineStep>) -> Routine {
    Routine {
        id: "my_evening".to_owned(),
        name: "My evening routine".to_owned(),
        summary: String::new(),
        builtin: false,
        steps,
    }
}

fn valid_user_routine() -> Routine {
    user_routine(vec![
        step("glute_bridge", reps(2, 10)),
        step("bird_dog", reps(2, 6)),
        step("wall_hip_flexor_stretch", hold(2, 30)),
    ])
}

fn errors_of(routine: &Routine) -> Vec<FieldError> {
    Catalog::builtin()
        .validate_routine(routine)
        .expect_err("should be refused")
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

fn text_of(e: &Exercise) -> String {
    format!(
        "{} {} {} {}",
        e.name,
        e.purpose,
        e.cues.join(" "),
        e.quality_cue
    )
    .to_lowercase()
}

#[test]
fn every_exercise_the_brief_names_is_in_the_catalogue() {
    let catalog = Catalog::builtin();
    for id in [
        "glute_bridge",
        "dead_bug",
        "bird_dog",
        "wall_hip_flexor_stretch",
        "lateral_band_walk",
        "foam_roll_quads",
        "foam_roll_hip_flexors",
        "foam_roll_glutes",
        "foam_roll_upper_back",
        "hip_hinge",
        "split_squat",
        "deep_squat",
        "standing_hip_flexor_stretch",
    ] {
        assert!(catalog.exercise(id).is_some(), "{id} missing");
    }
    assert!(catalog.exercise("sit_up").is_none());
}

#[test]
fn every_exercise_is_fully_described() {
    let catalog = Catalog::builtin();
    let mut ids = std::collections::HashSet::new();
    for e in catalog.exercises() {
        assert!(ids.insert(e.id.as_str()), "{} listed twice", e.id);
        assert!(!e.name.is_empty() && !e.purpose.is_empty(), "{}", e.id);
        assert!(!e.patterns.is_empty(), "{} targets no pattern", e.id);
        assert!(
            (3..=5).contains(&e.cues.len()),
            "{} has {} cues",
            e.id,
            e.cues.len()
        );
        assert!(e.cues.iter().all(|c| !c.trim().is_empty()), "{}", e.id);
        let quality = e.quality_cue.to_lowercase();
        assert!(
            quality.contains("slow") && quality.contains("count"),
            "{}: quality cue must say to slow down and that sloppy reps don't count: {quality}",
            e.id
        );
    }
}

#[test]
fn no_sit_ups_and_no_toe_touches() {
    for e in Catalog::builtin().exercises() {
        let text = text_of(e);
        for banned in ["sit-up", "sit up", "situp", "crunch", "toe touch"] {
            assert!(!text.contains(banned), "{} mentions {banned}", e.id);
        }
    }
}

#[test]
fn rolling_near_the_lower_back_warns_off_the_lumbar_spine() {
    let catalog = Catalog::builtin();
    for id in ["foam_roll_glutes", "foam_roll_upper_back"] {
        let e = catalog.exercise(id).expect("present");
        assert_eq!(e.phase, Phase::Inhibit);
        assert!(text_of(e).contains("never roll the lumbar spine"), "{id}");
    }
}

#[test]
fn each_pattern_has_exercises_to_train_it() {
    let catalog = Catalog::builtin();
    let ids = |p| {
        catalog
            .exercises_for(p)
            .map(|e| e.id.clone())
            .collect::<Vec<_>>()
    };
    assert!(ids(ImbalancePattern::GlutesHipFlexors).contains(&"glute_bridge".to_owned()));
    assert!(ids(ImbalancePattern::QuadsHamstrings).contains(&"hip_hinge".to_owned()));
    assert!(ids(ImbalancePattern::LowerBackCore).contains(&"dead_bug".to_owned()));
}

#[test]
fn built_in_routines_have_their_stable_ids_and_pass_the_user_rules() {
    let catalog = Catalog::builtin();
    for id in [
        "mini",
        "desk_reset",
        "glutes_hip_flexors",
        "core_stability",
        "quads_hamstrings",
        "full_session",
    ] {
        let routine = catalog.routine(id).expect(id);
        assert!(routine.builtin, "{id}");
        assert!(!routine.summary.is_empty(), "{id}");
        // A copy has to pass every user rule: known exercises, doses in range.
        let copy = catalog.duplicate_routine(id).expect("copy");
        assert_eq!(catalog.validate_routine(&copy), Ok(()), "{id}");
    }
}

#[test]
fn the_mini_routine_is_bridges_bird_dogs_and_slow_deep_squats() {
    let catalog = Catalog::builtin();
    let mini = catalog.routine(MINI_ROUTINE).expect("mini");
    let ids: Vec<&str> = mini.steps.iter().map(|s| s.exercise.as_str()).collect();
    assert_eq!(ids, ["glute_bridge", "bird_dog", "deep_squat"]);
    let minutes = catalog.estimated_duration(mini).as_secs_f64() / 60.0;
    assert!((2.0..=8.0).contains(&minutes), "mini takes {minutes} min");
}

#[test]
fn the_desk_reset_takes_about_two_minutes_standing_up() {
    let catalog = Catalog::builtin();
    let reset = catalog.routine("desk_reset").expect("desk_reset");
    let secs = catalog.estimated_duration(reset).as_secs();
    assert!((90..=150).contains(&secs), "desk reset takes {secs} s");
    for s in &reset.steps {
        let e = catalog.exercise(&s.exercise).expect("known");
        assert_ne!(e.phase, Phase::Inhibit, "no foam roller at a desk");
        assert!(!text_of(e).contains("lie "), "{} needs the floor", e.id);
    }
}

#[test]
fn the_full_session_releases_then_activates_then_re_educates() {
    let catalog = Catalog::builtin();
    let full = catalog.routine(FULL_SESSION_ROUTINE).expect("full");
    let phases: Vec<Phase> = full
        .steps
        .iter()
        .map(|s| catalog.exercise(&s.exercise).expect("known").phase)
        .collect();
    let order: Vec<u8> = phases.iter().map(|p| p.session_order()).collect();
    assert!(order.is_sorted(), "out of order: {phases:?}");
    for needed in [Phase::Inhibit, Phase::Activate, Phase::Reeducate] {
        assert!(phases.contains(&needed), "no {needed:?} step");
    }
}

#[test]
fn duration_counts_reps_holds_rests_and_both_sides() {
    let catalog = Catalog::builtin();
    let routine = user_routine(vec![
        // 2 x 10 reps at 3 s, one 15 s rest: 75 s.
        step("glute_bridge", reps(2, 10)),
        // Per side: (2 x 6 x 3 s + 15 s) x 2 sides = 102 s.
        step("bird_dog", reps(2, 6)),
        // Per side: 30 s x 2 sides = 60 s.
        step("wall_hip_flexor_stretch", hold(1, 30)),
    ]);
    assert_eq!(
        catalog.estimated_duration(&routine),
        Duration::from_secs(75 + 102 + 60)
    );
}

#[test]
fn a_pattern_leads_to_a_routine_aimed_at_it() {
    let catalog = Catalog::builtin();
    assert_eq!(catalog.suggested_routine(None).id, "mini");
    for (pattern, id) in [
        (ImbalancePattern::GlutesHipFlexors, "glutes_hip_flexors"),
        (ImbalancePattern::QuadsHamstrings, "quads_hamstrings"),
        (ImbalancePattern::LowerBackCore, "core_stability"),
    ] {
        let routine = catalog.suggested_routine(Some(pattern));
        assert_eq!(routine.id, id);
        let aimed = routine
            .steps
            .iter()
            .filter(|s| {
                catalog
                    .exercise(&s.exercise)
                    .expect("known")
                    .targets(pattern)
            })
            .count();
        assert!(
            aimed * 2 > routine.steps.len(),
            "{id} is not mostly {pattern:?}"
        );
    }
}

#[test]
fn the_reminder_offers_the_chosen_routine_or_falls_back_to_the_pattern() {
    let catalog = Catalog::builtin();
    let mut settings = RoutineSettings::default();
    assert_eq!(catalog.reminder_routine(&settings).id, "mini");
    settings.routine = "full_session".to_owned();
    assert_eq!(catalog.reminder_routine(&settings).id, "full_session");
    settings.routine = "deleted_one".to_owned();
    settings.pattern = Some(ImbalancePattern::LowerBackCore);
    assert_eq!(catalog.reminder_routine(&settings).id, "core_stability");
}

#[test]
fn a_sound_user_routine_is_accepted() {
    assert_eq!(
        Catalog::builtin().validate_routine(&valid_user_routine()),
        Ok(())
    );
}

#[test]
fn routine_ids_and_names_are_checked() {
    let mut r = valid_user_routine();
    r.id = String::new();
    r.name = "  ".to_owned();
    assert_eq!(fields(&errors_of(&r)), ["id", "name"]);

    r = valid_user_routine();
    r.id = "Evening Routine".to_owned();
    assert!(errors_of(&r)[0].message.contains("lowercase"));

    r = valid_user_routine();
    r.id = "mini".to_owned();
    let errors = errors_of(&r);
    assert_eq!(fields(&errors), ["id"]);
    assert!(errors[0].message.contains("built-in"));

    r = valid_user_routine();
    r.name = "n".repeat(60);
    assert_eq!(Catalog::builtin().validate_routine(&r), Ok(()));
    r.name = "n".repeat(61);
    let errors = errors_of(&r);
    assert_eq!(fields(&errors), ["name"]);
    assert!(errors[0].message.contains("60"));

    r = valid_user_routine();
    r.builtin = true;
    assert_eq!(fields(&errors_of(&r)), ["builtin"]);
}

#[test]
fn a_routine_has_one_to_twenty_steps() {
    let catalog = Catalog::builtin();
    let bridge = || step("glute_bridge", reps(2, 10));
    assert_eq!(fields(&errors_of(&user_routine(vec![]))), ["steps"]);
    assert_eq!(
        catalog.validate_routine(&user_routine(vec![bridge()])),
        Ok(())
    );
    assert_eq!(
        catalog.validate_routine(&user_routine((0..20).map(|_| bridge()).collect())),
        Ok(())
    );
    let errors = errors_of(&user_routine((0..21).map(|_| bridge()).collect()));
    assert_eq!(fields(&errors), ["steps"]);
    assert!(
        errors[0].message.contains("1 to 20"),
        "{}",
        errors[0].message
    );
}

#[test]
fn unknown_exercises_are_named_by_step() {
    let mut r = valid_user_routine();
    r.steps[2].exercise = "toe_touch".to_owned();
    let errors = errors_of(&r);
    assert_eq!(fields(&errors), ["steps[2].exercise"]);
    assert!(errors[0].message.contains("toe_touch"));
}

#[test]
fn doses_are_checked_at_both_edges_of_their_range() {
    let catalog = Catalog::builtin();
    let check = |dose: Dose| {
        let mut r = valid_user_routine();
        r.steps[2].dose = dose;
        catalog.validate_routine(&r)
    };
    for ok in [reps(1, 1), reps(10, 50), hold(1, 5), hold(10, 300)] {
        assert_eq!(check(ok), Ok(()), "{ok:?}");
    }
    for (bad, field, range) in [
        (reps(0, 10), "steps[2].dose.sets", "1 to 10 sets"),
        (reps(11, 10), "steps[2].dose.sets", "1 to 10 sets"),
        (reps(2, 0), "steps[2].dose.reps", "1 to 50 repetitions"),
        (reps(2, 51), "steps[2].dose.reps", "1 to 50 repetitions"),
        (hold(2, 4), "steps[2].dose.seconds", "5 to 300 seconds"),
        (hold(2, 301), "steps[2].dose.seconds", "5 to 300 seconds"),
    ] {
        let errors = check(bad).expect_err("out of range");
        assert_eq!(fields(&errors), [field], "{bad:?}");
        assert!(errors[0].message.contains(range), "{}", errors[0].message);
    }
}

#[test]
fn a_duplicate_is_an_editable_copy_with_its_own_id() {
    let catalog = Catalog::builtin();
    let copy = catalog.duplicate_routine("mini").expect("mini exists");
    let mini = catalog.routine("mini").expect("mini");
    assert_ne!(copy.id, mini.id);
    assert!(!copy.builtin);
    assert_eq!(copy.name, "Mini routine (copy)");
    assert_eq!(copy.steps, mini.steps);
    assert_eq!(catalog.validate_routine(&copy), Ok(()));

    // Once the copy is saved, the next copy gets yet another id.
    let with_copy = Catalog::with_user_routines(vec![copy.clone()]);
    let second = with_copy.duplicate_routine("mini").expect("copy");
    assert_ne!(second.id, copy.id);
    assert!(catalog.duplicate_routine("no_such_routine").is_none());
}

#[test]
fn user_routines_follow_the_built_ins_and_cannot_shadow_them() {
    let mut shadow = valid_user_routine();
    shadow.id = "mini".to_owned();
    shadow.name = "Not the real mini".to_owned();
    let mine = valid_user_routine();
    let catalog = Catalog::with_user_routines(vec![mine.clone(), shadow]);
    let builtin_count = Catalog::builtin().routines().len();
    assert_eq!(catalog.routines().len(), builtin_count + 1);
    assert_eq!(catalog.routines().last(), Some(&mine));
    assert_eq!(
        catalog.routine("mini").map(|r| r.name.as_str()),
        Some("Mini routine")
    );
}

#[test]
fn fresh_ids_come_from_the_name() {
    let catalog = Catalog::builtin();
    assert_eq!(
        catalog.fresh_routine_id("Evening Stretch!"),
        "evening_stretch"
    );
    assert_eq!(catalog.fresh_routine_id("Mini"), "mini_2");
    assert_eq!(catalog.fresh_routine_id("???"), "routine");
}

#[test]
fn routines_round_trip_through_json() {
    let routine = valid_user_routine();
    let json = serde_json::to_string(&routine).expect("serialises");
    assert!(
        json.contains(r#""dose":{"kind":"reps","sets":2,"reps":10}"#),
        "{json}"
    );
    let back: Routine = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, routine);
}

#[test]
fn a_finished_routine_logs_each_exercise_as_planned() {
    let catalog = Catalog::builtin();
    let done = catalog.planned_exercises(&valid_user_routine());
    assert_eq!(done.len(), 3);
    assert_eq!(
        (done[0].sets, done[0].reps, done[0].per_side),
        (2, 10, false)
    );
    assert_eq!(
        (done[1].exercise.as_str(), done[1].per_side),
        ("bird_dog", true)
    );
    assert_eq!((done[2].reps, done[2].hold_s), (0, 30));
}

#[test]
fn every_suggested_stretch_is_in_the_catalogue() {
    let catalog = Catalog::builtin();
    for s in BREAK_SUGGESTIONS {
        if let Some(id) = s.exercise {
            assert!(catalog.exercise(id).is_some(), "{}: {id}", s.title);
        }
    }
    assert!(
        BREAK_SUGGESTIONS.iter().any(|s| s.exercise.is_none()),
        "no walk"
    );
}
