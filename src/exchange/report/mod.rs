//! The report for a therapist: one self-contained HTML page (inline CSS and
//! SVG charts, no scripts, no external files) with adherence, routine
//! minutes per week, exercises done and the pain trend, laid out to print
//! cleanly on A4.

pub mod figure_svg;
mod figures;
pub mod svg;

use std::fmt::Write as _;

use chrono::NaiveDate;

pub use figures::{ExerciseTally, MAX_REPORT_WEEKS, ReportFigures, ReportWeek};

use crate::core::model::{Entry, ReminderKind};
use crate::core::settings::{ImbalancePattern, Settings};
use crate::core::stats::KindTotals;
use crate::exchange::weekly::plural_label;
use svg::{BLUE, GREEN, Marker, ORANGE, Series, escape};

/// Height of the exercise thumbnails (start and working position) in SVG
/// units; a figure lying down gets a wider one.
const THUMBNAIL: f32 = 40.0;

/// The page's style: system fonts, a narrow column, A4 print rules.
const STYLE: &str = r#"
@page { size: A4; margin: 14mm 15mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
       color: #222; background: #fff; margin: 0 auto; padding: 24px 28px; max-width: 820px;
       font-size: 14px; line-height: 1.45; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 22px 0 8px; padding-bottom: 3px; border-bottom: 1px solid #ccc; }
p { margin: 4px 0 8px; }
.meta { color: #555; margin: 0 0 12px; }
.note { border-left: 4px solid #E69F00; background: #fff7e6; padding: 8px 12px; margin: 12px 0; }
.summary { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; margin: 8px 0; }
.figure { border: 1px solid #ddd; border-radius: 4px; padding: 6px 10px; }
.figure b { display: block; font-size: 18px; }
.figure span { color: #555; font-size: 12px; }
section { break-inside: avoid; page-break-inside: avoid; }
svg { display: block; width: 100%; height: auto; margin: 4px 0; }
svg.pose { display: inline-block; width: auto; height: auto; margin: 0 4px 0 0; vertical-align: middle;
           border: 1px solid #e3e3e3; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 6px; border-bottom: 1px solid #e3e3e3; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 1px solid #999; font-weight: 600; }
tr { break-inside: avoid; }
.explain { color: #555; font-size: 12.5px; }
footer { margin-top: 20px; color: #777; font-size: 11.5px; }
@media print {
  body { padding: 0; max-width: none; font-size: 10.5pt; }
  h2 { margin-top: 14px; }
  .note, .figure { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// The report as one HTML document for the `weeks` weeks ending with the
/// one holding `today` (weeks start on the user's first day of the week;
/// 1 to [`MAX_REPORT_WEEKS`]). `entries` should be the whole log, so the
/// streak is right; only the period is shown.
pub fn render_report(
    entries: &[Entry],
    weeks: u32,
    today: NaiveDate,
    settings: &Settings,
) -> String {
    render_report_ending(entries, weeks, today, today, settings)
}

/// The report for the `weeks` weeks ending with the one holding `last`
/// (a week shown in the week view, say), stating it was made on `generated`.
pub fn render_report_ending(
    entries: &[Entry],
    weeks: u32,
    last: NaiveDate,
    generated: NaiveDate,
    settings: &Settings,
) -> String {
    let figures = ReportFigures::compute(entries, weeks, last, generated, settings);
    render_figures(&figures, settings)
}

/// The HTML page for figures already computed.
pub fn render_figures(f: &ReportFigures, settings: &Settings) -> String {
    let period = format!("{} to {}", long_date(f.first), long_date(f.last));
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Rebalance report, {period}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    header(&mut out, f, settings, &period);
    summary(&mut out, f);
    adherence_section(&mut out, f);
    routine_section(&mut out, f);
    exercise_section(&mut out, f);
    pain_section(&mut out, f);
    weekly_table(&mut out, f);
    let _ = write!(
        out,
        "<footer>Made with Rebalance from the log kept on this person's computer. \
         Figures count what was logged; days without entries may simply not have been logged.</footer>\n\
         </body>\n</html>\n"
    );
    out
}

fn header(out: &mut String, f: &ReportFigures, settings: &Settings, period: &str) {
    let weeks = f.weeks.len();
    let _ = write!(
        out,
        "<header>\n<h1>Back care log: reminders, exercises and pain</h1>\n\
         <p class=\"meta\">Period: <b>{period}</b> ({weeks} week{s}) &middot; Generated on {}</p>\n",
        long_date(f.generated),
        s = if weeks == 1 { "" } else { "s" }
    );
    let every = settings.routine.every_days.max(1);
    let mut plan = format!(
        "Corrective routine planned every {}.",
        if every == 1 {
            "day".to_owned()
        } else {
            format!("{every} days")
        }
    );
    if let Some(pattern) = settings.routine.pattern {
        let _ = write!(
            plan,
            " Imbalance pattern the person was told they have: {}.",
            pattern_words(pattern)
        );
    }
    let _ = write!(
        out,
        "<p>{}</p>\n<div class=\"note\"><b>A self-report log, not a diagnosis.</b> \
         Everything here was recorded by the person using the Rebalance app: answers \
         to posture-check and break reminders, exercise sessions, and pain scores they \
         gave themselves (0 = no pain, 10 = worst imaginable). It has not been checked \
         by a clinician.</div>\n</header>\n",
        escape(&plan)
    );
    if f.is_empty() {
        out.push_str("<p><b>Nothing was logged in this period.</b></p>\n");
    }
}

fn pattern_words(pattern: ImbalancePattern) -> &'static str {
    match pattern {
        ImbalancePattern::GlutesHipFlexors => "weak glutes with tight hip flexors",
        ImbalancePattern::QuadsHamstrings => "overactive quadriceps with underused hamstrings",
        ImbalancePattern::LowerBackCore => "a dominant lower back with a weak core",
    }
}

fn summary(out: &mut String, f: &ReportFigures) {
    let weeks = f.weeks.len().max(1) as f64;
    let sessions = f.totals.routine_sessions();
    let mut cells = vec![
        (
            sessions.to_string(),
            format!(
                "routine sessions ({:.1} a week)",
                f64::from(sessions) / weeks
            ),
        ),
        (
            f.totals.routine_minutes.to_string(),
            format!(
                "minutes of routine work ({:.0} a week)",
                f64::from(f.totals.routine_minutes) / weeks
            ),
        ),
        (
            f.streaks.current.to_string(),
            format!(
                "routine days in the current streak, kept on schedule (best {})",
                f.streaks.best
            ),
        ),
    ];
    for kind in ReminderKind::ALL {
        cells.push((
            percent_text(f.totals.adherence(kind)),
            format!(
                "{} acted on ({} of {})",
                plural_label(kind).to_lowercase(),
                f.totals.done(kind),
                f.totals.due(kind)
            ),
        ));
    }
    out.push_str("<section>\n<h2>Summary</h2>\n<div class=\"summary\">\n");
    for (value, label) in cells {
        let _ = writeln!(
            out,
            "<div class=\"figure\"><b>{}</b><span>{}</span></div>",
            escape(&value),
            escape(&label)
        );
    }
    out.push_str("</div>\n</section>\n");
}

fn adherence_section(out: &mut String, f: &ReportFigures) {
    let labels = week_labels(f);
    let line = |kind, name, colour, dash, marker| Series {
        name,
        colour,
        dash,
        marker,
        values: f
            .weeks
            .iter()
            .map(|w| w.totals.adherence(kind).map(|a| a * 100.0))
            .collect(),
    };
    let series = [
        line(
            ReminderKind::PostureCheck,
            "posture checks",
            BLUE,
            "",
            Marker::Circle,
        ),
        line(
            ReminderKind::MoveBreak,
            "move breaks",
            ORANGE,
            "6 3",
            Marker::Square,
        ),
        line(
            ReminderKind::Routine,
            "routine",
            GREEN,
            "2 3",
            Marker::Triangle,
        ),
    ];
    let _ = write!(
        out,
        "<section>\n<h2>Adherence per week</h2>\n{}\n<p class=\"explain\">Share of reminders \
         acted on: posture checks answered &ldquo;all good&rdquo; or &ldquo;fixed it&rdquo;, breaks taken \
         (or taken naturally by stepping away), routines completed or partly done, out of those \
         done, skipped or missed. Snoozes are not counted; a gap means nothing was due that week.</p>\n</section>\n",
        svg::weekly_percent_lines("Adherence per week, in percent", &labels, &series)
    );
}

fn routine_section(out: &mut String, f: &ReportFigures) {
    let labels = week_labels(f);
    let minutes: Vec<u32> = f.weeks.iter().map(|w| w.totals.routine_minutes).collect();
    let _ = write!(
        out,
        "<section>\n<h2>Routine minutes per week</h2>\n{}\n</section>\n",
        svg::weekly_bars(
            "Minutes of corrective routine per week",
            "minutes",
            &labels,
            &minutes,
            GREEN
        )
    );
}

fn exercise_section(out: &mut String, f: &ReportFigures) {
    out.push_str("<section>\n<h2>Exercises done</h2>\n");
    if f.exercises.is_empty() {
        out.push_str("<p>No exercises were logged in this period.</p>\n</section>\n");
        return;
    }
    let bars: Vec<(String, u32)> = f
        .exercises
        .iter()
        .map(|e| (e.name.clone(), e.sessions))
        .collect();
    out.push_str(&svg::horizontal_bars(
        "Sessions that included each exercise",
        &bars,
        BLUE,
    ));
    out.push_str(
        "\n<table>\n<thead><tr><th>Exercise</th><th>Sessions</th><th>Sets</th>\
         <th>Repetitions</th><th>Time held</th></tr></thead>\n<tbody>\n",
    );
    for e in &f.exercises {
        let poses = figure_svg::exercise_thumbnails(&e.id, &e.name, THUMBNAIL).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{poses}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&e.name),
            e.sessions,
            e.sets,
            dash_if_zero(e.reps, |n| n.to_string()),
            dash_if_zero(e.hold_s, minutes_seconds)
        );
    }
    out.push_str(
        "</tbody>\n</table>\n<p class=\"explain\">From completed and partly done sessions. \
         Repetitions and time held are per side for one-sided exercises.</p>\n</section>\n",
    );
}

fn pain_section(out: &mut String, f: &ReportFigures) {
    out.push_str("<section>\n<h2>Pain trend</h2>\n");
    if f.pain_points.is_empty() {
        out.push_str("<p>No pain scores were logged in this period.</p>\n</section>\n");
        return;
    }
    let points: Vec<(f64, u8)> = f
        .pain_points
        .iter()
        .map(|p| (p.days_since(f.first), p.pain))
        .collect();
    let span = f.span_days() as f64;
    let step = f.weeks.len().div_ceil(8).max(1);
    let x_labels: Vec<(f64, String)> = f
        .weeks
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0)
        .map(|(_, w)| ((w.start - f.first).num_days() as f64, short_date(w.start)))
        .collect();
    out.push_str(&svg::pain_scatter(
        "Pain scores logged, with the line of best fit",
        &points,
        span,
        &x_labels,
        f.pain_fit,
    ));
    let count = f.pain_points.len();
    let mean = f.pain_points.iter().map(|p| f64::from(p.pain)).sum::<f64>() / count as f64;
    let mut words = format!(
        "{count} score{} logged, averaging {mean:.1} out of 10.",
        if count == 1 { "" } else { "s" }
    );
    match f.pain_fit {
        Some((slope, _)) => {
            let per_week = slope * 7.0;
            let direction = if per_week <= -0.05 {
                "easing"
            } else if per_week >= 0.05 {
                "rising"
            } else {
                "about level"
            };
            let _ = write!(
                words,
                " The straight line that best fits the scores (least squares) changes by \
                 {per_week:+.2} points per week: {direction} over the period."
            );
        }
        None => words.push_str(" Too few scores, or all on one day, to draw a trend line."),
    }
    let _ = write!(out, "<p>{}</p>\n</section>\n", escape(&words));
}

fn weekly_table(out: &mut String, f: &ReportFigures) {
    out.push_str(
        "<section>\n<h2>Week by week</h2>\n<table>\n<thead><tr><th>Week of</th>\
         <th>Posture checks</th><th>Move breaks</th><th>Routines</th>\
         <th>Routine minutes</th><th>Pain (mean, scores)</th></tr></thead>\n<tbody>\n",
    );
    for week in &f.weeks {
        let pain = match week.pain_mean {
            Some(mean) => format!("{mean:.1} ({})", week.pain_scores),
            None => "&ndash;".to_owned(),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{pain}</td></tr>",
            long_date(week.start),
            done_of_due(&week.totals, ReminderKind::PostureCheck),
            done_of_due(&week.totals, ReminderKind::MoveBreak),
            done_of_due(&week.totals, ReminderKind::Routine),
            week.totals.routine_minutes
        );
    }
    out.push_str(
        "</tbody>\n</table>\n<p class=\"explain\">&ldquo;3 / 4&rdquo; means 3 acted on \
         out of 4 due.</p>\n</section>\n",
    );
}

fn done_of_due(totals: &KindTotals, kind: ReminderKind) -> String {
    match totals.due(kind) {
        0 => "&ndash;".to_owned(),
        due => format!("{} / {due}", totals.done(kind)),
    }
}

fn week_labels(f: &ReportFigures) -> Vec<String> {
    f.weeks.iter().map(|w| short_date(w.start)).collect()
}

fn percent_text(rate: Option<f64>) -> String {
    rate.map_or("–".to_owned(), |r| format!("{:.0} %", r * 100.0))
}

fn dash_if_zero(n: u32, show: impl Fn(u32) -> String) -> String {
    if n == 0 {
        "&ndash;".to_owned()
    } else {
        show(n)
    }
}

fn minutes_seconds(seconds: u32) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

fn long_date(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

fn short_date(day: NaiveDate) -> String {
    day.format("%-d %b").to_string()
}
