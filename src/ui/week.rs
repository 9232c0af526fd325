//! The week view: per-day charts of posture checks, move breaks and routine
//! work, totals against the previous week, streaks, adherence, the routine
//! strength score, a calendar of routine days, the pain chart and, when the
//! figures call for it, a plain note to see a professional.
//!
//! The view reads the log only when told it changed; between changes it
//! keeps the log folded into a [`LogIndex`] and a week's
//! [`WeekFigures`], so a frame only draws. It never writes anything:
//! what the user asks for comes back as [`WeekAction`]s.

mod charts;
mod heatmap;
mod palette;

use chrono::{Days, NaiveDate};
use egui::{Frame, RichText, ScrollArea, Stroke, Ui};

use crate::core::model::{Entry, Outcome, ReminderKind};
use crate::core::settings::Settings;
use crate::core::stats::{Change, LogIndex, WeekFigures, week_start};
use crate::store::Store;
use crate::ui::widgets;
use palette::Palette;

/// The narrowest a per-day chart gets before the charts go one row down.
const CHART_MIN_WIDTH: f32 = 280.0;
/// The narrowest the totals and the adherence get side by side.
const TOTALS_MIN_WIDTH: f32 = 460.0;
/// Room left on the right for the scroll bar.
const SCROLL_BAR_GAP: f32 = 14.0;
/// The narrowest the strength curve and the calendar get side by side.
const HISTORY_MIN_WIDTH: f32 = 340.0;

/// Where the view reads log entries from: the [`Store`] in the app, a
/// plain list elsewhere.
pub trait EntrySource {
    /// Entries whose local day is within `first..=last`.
    fn entries_on_days(&self, first: NaiveDate, last: NaiveDate) -> Result<Vec<Entry>, String>;
}

impl EntrySource for Store {
    fn entries_on_days(&self, first: NaiveDate, last: NaiveDate) -> Result<Vec<Entry>, String> {
        Store::entries_on_days(self, first, last).map_err(|e| e.to_string())
    }
}

impl EntrySource for [Entry] {
    fn entries_on_days(&self, first: NaiveDate, last: NaiveDate) -> Result<Vec<Entry>, String> {
        Ok(self
            .iter()
            .filter(|e| (first..=last).contains(&e.local_date()))
            .cloned()
            .collect())
    }
}

/// What the user asked the week view for; the caller carries it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekAction {
    /// Write the report for a therapist, ending with this week.
    ExportReport {
        /// First day of the week shown.
        week_start: NaiveDate,
    },
    /// The seek-help note was dismissed; the caller remembers it and passes
    /// it back with [`WeekView::set_seek_help_dismissed`].
    DismissSeekHelp,
}

/// What has to be read from the log before the next frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reload {
    Nothing,
    Everything,
    Days(NaiveDate, NaiveDate),
}

/// The inputs the cached figures were computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FiguresKey {
    week: NaiveDate,
    today: NaiveDate,
    every_days: u32,
    generation: u64,
}

/// The week view's state: the folded log, the week shown and its figures.
#[derive(Debug)]
pub struct WeekView {
    index: LogIndex,
    generation: u64,
    reload: Reload,
    load_error: Option<String>,
    /// First day of the week shown; `None` follows the current week.
    shown: Option<NaiveDate>,
    figures: Option<(FiguresKey, WeekFigures)>,
    seek_help_dismissed: bool,
}

impl Default for WeekView {
    fn default() -> Self {
        Self::new()
    }
}

/// The widest range of local days a full reload asks for.
fn all_days() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

impl WeekView {
    /// A view showing the current week; it reads the log on its first frame.
    pub fn new() -> Self {
        Self {
            index: LogIndex::new(),
            generation: 0,
            reload: Reload::Everything,
            load_error: None,
            shown: None,
            figures: None,
            seek_help_dismissed: false,
        }
    }

    /// Anything in the log may have changed (an import, an edit of an old
    /// entry): the whole log is read again before the next frame.
    pub fn log_changed(&mut self) {
        self.reload = Reload::Everything;
    }

    /// Only entries of the local days `first..=last` changed (a reminder
    /// answered today): just those days are read again.
    pub fn days_changed(&mut self, first: NaiveDate, last: NaiveDate) {
        let (first, last) = (first.min(last), first.max(last));
        self.reload = match self.reload {
            Reload::Everything => Reload::Everything,
            Reload::Nothing => Reload::Days(first, last),
            Reload::Days(f, l) => Reload::Days(f.min(first), l.max(last)),
        };
    }

    /// Whether the seek-help note was dismissed (the caller stores it).
    pub fn set_seek_help_dismissed(&mut self, dismissed: bool) {
        self.seek_help_dismissed = dismissed;
    }

    /// The figures of the week on screen, once a frame has been drawn.
    pub fn figures(&self) -> Option<&WeekFigures> {
        self.figures.as_ref().map(|(_, f)| f)
    }

    /// Shows the week holding `day` (aligned to the first day of the week
    /// on the next frame).
    pub fn go_to_week(&mut self, day: NaiveDate) {
        self.shown = Some(day);
    }

    /// Draws the view; returns what the user asked for this frame.
    pub fn show<S: EntrySource + ?Sized>(
        &mut self,
        ui: &mut Ui,
        source: &S,
        today: NaiveDate,
        settings: &Settings,
    ) -> Vec<WeekAction> {
        self.load(source);
        let first_day = settings.appearance.first_day_of_week;
        let current = week_start(today, first_day);
        let week = week_start(self.shown.unwrap_or(today), first_day);
        let key = FiguresKey {
            week,
            today,
            every_days: settings.routine.every_days,
            generation: self.generation,
        };
        if self.figures.as_ref().is_none_or(|(k, _)| *k != key) {
            let figures = self
                .index
                .week_figures(week, today, settings.routine.every_days);
            self.figures = Some((key, figures));
        }

        let mut actions = Vec::new();
        let Some((_, figures)) = &self.figures else {
            return actions;
        };
        let palette = Palette::for_visuals(ui.visuals());
        let mut go_to = None;
        ScrollArea::vertical()
            .id_salt("week_view")
            .auto_shrink(false)
            .show(ui, |ui| {
                // Keep clear of the scroll bar, which floats over the content.
                ui.set_max_width(ui.available_width() - SCROLL_BAR_GAP);
                go_to = header(ui, figures, current, &mut actions);
                if let Some(error) = &self.load_error {
                    load_problem(ui, error, &mut self.reload);
                }
                if self.index.is_empty() {
                    empty_log(ui);
                    return;
                }
                if let Some(help) = figures.seek_help.filter(|_| !self.seek_help_dismissed)
                    && seek_help_card(ui, &help)
                {
                    self.seek_help_dismissed = true;
                    actions.push(WeekAction::DismissSeekHelp);
                }
                body(ui, figures, week == current, &palette);
            });
        if let Some(day) = go_to {
            self.shown = Some(day).filter(|d| *d != current);
        }
        actions
    }

    fn load<S: EntrySource + ?Sized>(&mut self, source: &S) {
        let result = match self.reload {
            Reload::Nothing => return,
            Reload::Everything => {
                let (first, last) = all_days();
                source
                    .entries_on_days(first, last)
                    .map(|entries| self.index = LogIndex::from_entries(&entries))
            }
            Reload::Days(first, last) => source
                .entries_on_days(first, last)
                .map(|entries| self.index.replace_days(first, last, &entries)),
        };
        // A failed read is not retried every frame: the user is told and
        // can try again, and the figures already shown stay.
        self.reload = Reload::Nothing;
        match result {
            Ok(()) => {
                self.generation += 1;
                self.load_error = None;
            }
            Err(error) => self.load_error = Some(error),
        }
    }
}

/// Week title, navigation and the report button; returns the week to go to.
fn header(
    ui: &mut Ui,
    figures: &WeekFigures,
    current: NaiveDate,
    actions: &mut Vec<WeekAction>,
) -> Option<NaiveDate> {
    let mut go_to = None;
    let start = figures.start;
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!(
            "Week of {} – {}",
            start.format("%-d %b"),
            figures.end().format("%-d %b %Y")
        ));
        if start == current {
            ui.weak("(this week)");
        }
    });
    ui.horizontal_wrapped(|ui| {
        if ui.button("Previous week").clicked() {
            go_to = start.checked_sub_days(Days::new(7));
        }
        if ui
            .add_enabled(start != current, egui::Button::new("This week"))
            .clicked()
        {
            go_to = Some(current);
        }
        if ui
            .add_enabled(start < current, egui::Button::new("Next week"))
            .clicked()
        {
            go_to = start.checked_add_days(Days::new(7));
        }
        // Space rather than a separator: when the row wraps, a separator
        // would be left dangling at the end of the first line.
        ui.add_space(12.0);
        if ui
            .button("Report for your therapist…")
            .on_hover_text("A printable page with the last weeks' figures and pain trend")
            .clicked()
        {
            actions.push(WeekAction::ExportReport { week_start: start });
        }
    });
    ui.add_space(6.0);
    go_to
}

fn load_problem(ui: &mut Ui, error: &str, reload: &mut Reload) {
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("Could not read the log: {error}"),
        );
        if ui.button("Try again").clicked() {
            *reload = Reload::Everything;
        }
    });
}

fn empty_log(ui: &mut Ui) {
    ui.add_space(24.0);
    ui.vertical_centered(|ui| {
        ui.set_max_width(560.0);
        ui.label(RichText::new("Nothing logged yet").heading());
        ui.label(
            "This page fills in as you answer posture checks, take move breaks \
             and do your routine. Leave Rebalance running; its reminders come \
             on their own. Come back at the end of the week to see how it went.",
        );
    });
}

/// The seek-help note; returns true when dismissed.
fn seek_help_card(ui: &mut Ui, help: &crate::core::stats::SeekHelp) -> bool {
    let mut dismissed = false;
    let accent = ui.visuals().warn_fg_color;
    Frame::group(ui.style())
        .stroke(Stroke::new(1.5, accent))
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(help.headline()).strong().size(16.0));
            ui.label(help.message());
            ui.add_space(4.0);
            for line in help.figure_lines() {
                ui.weak(line);
            }
            ui.add_space(4.0);
            dismissed = ui
                .button("Dismiss")
                .on_hover_text("Hide this note; it will not come back on its own")
                .clicked();
        });
    ui.add_space(8.0);
    dismissed
}

fn body(ui: &mut Ui, figures: &WeekFigures, is_current: bool, palette: &Palette) {
    if figures.is_empty() {
        ui.label(RichText::new("Nothing was logged this week.").strong());
        ui.label(if is_current {
            "Answer the next posture check or take a break when one comes, and \
             it shows up here."
        } else {
            "Use Previous week and Next week to find a week with entries; the \
             history below still counts."
        });
        ui.add_space(8.0);
    } else {
        totals(ui, figures);
        ui.add_space(10.0);
        // Three charts in a row on a wide window, two and one as it
        // narrows, one under the other at the narrowest.
        widgets::reflow(ui, 3, CHART_MIN_WIDTH, |ui, i| match i {
            0 => {
                ui.strong("Posture checks per day");
                charts::outcome_bars(
                    ui,
                    figures,
                    ReminderKind::PostureCheck,
                    &[
                        Outcome::AllGood,
                        Outcome::Fixed,
                        Outcome::Skipped,
                        Outcome::Missed,
                    ],
                    "Checks",
                    palette,
                );
            }
            1 => {
                ui.strong("Move breaks per day");
                charts::outcome_bars(
                    ui,
                    figures,
                    ReminderKind::MoveBreak,
                    &[
                        Outcome::Taken,
                        Outcome::Natural,
                        Outcome::Skipped,
                        Outcome::Missed,
                    ],
                    "Breaks",
                    palette,
                );
            }
            _ => {
                ui.strong("Routine per day");
                charts::routine_bars(ui, figures, palette);
            }
        });
    }
    ui.add_space(10.0);
    routine_history(ui, figures, palette);
    ui.add_space(10.0);
    ui.strong("Pain and routine, last 12 weeks");
    pain_summary(ui, figures);
    charts::pain_chart(ui, figures.history_start(), &figures.pain, palette);
}

/// Headline totals against last week, and adherence per kind.
fn totals(ui: &mut Ui, figures: &WeekFigures) {
    widgets::reflow(ui, 2, TOTALS_MIN_WIDTH, |ui, i| {
        // Figures are short phrases: each stays on one line.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        if i == 0 {
            ui.strong("Totals, against last week");
            egui::Grid::new("week_totals")
                .num_columns(3)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    for change in figures.changes() {
                        ui.label(format!("{}: {}", change.metric.label(), change.current));
                        ui.weak(format!("Last week: {}", change.previous));
                        ui.label(change_text(&change));
                        ui.end_row();
                    }
                });
            return;
        }
        ui.strong("Adherence");
        egui::Grid::new("week_adherence")
            .num_columns(2)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for kind in ReminderKind::ALL {
                    let due = figures.totals.due(kind);
                    let text = match figures.totals.adherence(kind) {
                        Some(share) => format!("{}: {}", kind.label(), percent(share)),
                        None => format!("{}: nothing due", kind.label()),
                    };
                    ui.label(text).on_hover_text(
                        "Answered or done, out of those that were due; snoozes \
                         are not counted, natural breaks count as taken",
                    );
                    if due > 0 {
                        ui.weak(format!("{} of {due}", figures.totals.done(kind)));
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
    });
}

/// Streaks, strength and the calendar of routine days.
fn routine_history(ui: &mut Ui, figures: &WeekFigures, palette: &Palette) {
    widgets::reflow(ui, 2, HISTORY_MIN_WIDTH, |ui, i| {
        if i == 1 {
            ui.strong("Routine days, last 12 weeks");
            ui.weak("Darker means more minutes; hover a day for its figures.");
            ui.add_space(4.0);
            heatmap::routine_calendar(ui, &figures.heatmap, palette);
            return;
        }
        ui.strong("Routine strength");
        ui.horizontal_wrapped(|ui| {
            // A figure moves to the next line whole, never split.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            ui.label(format!("Routine strength: {}", percent(figures.strength)))
                .on_hover_text(
                    "Rises with each session and eases off when sessions are \
                     missed; one missed session is a dip, not a reset",
                );
            ui.separator();
            ui.label(format!(
                "Current streak: {}",
                sessions(figures.streaks.current)
            ));
            ui.separator();
            ui.label(format!("Best streak: {}", sessions(figures.streaks.best)));
        });
        ui.weak(target_text(figures.every_days));
        charts::strength_curve(
            ui,
            figures.history_start(),
            &figures.strength_series,
            palette,
        );
    });
}

fn pain_summary(ui: &mut Ui, figures: &WeekFigures) {
    let pain = &figures.pain;
    if pain.points.is_empty() {
        ui.weak(
            "No pain scores yet. After a routine you can note your pain from 0 \
             to 10; over a few weeks the trend shows here.",
        );
        return;
    }
    match pain.fit {
        Some(fit) => {
            let direction = if fit.slope_per_week < -0.05 {
                "going down"
            } else if fit.slope_per_week > 0.05 {
                "going up"
            } else {
                "steady"
            };
            ui.label(format!(
                "Pain trend: {:+.2} points per week ({direction}), from {} scores since {}",
                fit.slope_per_week,
                fit.scores,
                fit.from.format("%-d %b")
            ));
        }
        None => {
            ui.weak("A trend needs at least three scores on two days in the last five weeks.");
        }
    }
}

fn change_text(change: &Change) -> String {
    let delta = change.delta();
    if delta == 0 {
        return "same as last week".to_owned();
    }
    let sign = if delta > 0 { "+" } else { "−" };
    match change.percent() {
        Some(p) => format!("{sign}{} ({sign}{:.0} %)", delta.abs(), p.abs()),
        None => format!("{sign}{} (none last week)", delta.abs()),
    }
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn sessions(n: u32) -> String {
    if n == 1 {
        "1 session".to_owned()
    } else {
        format!("{n} sessions")
    }
}

fn target_text(every_days: u32) -> String {
    match every_days {
        1 => "Target: a routine every day".to_owned(),
        2 => "Target: a routine every other day".to_owned(),
        n => format!("Target: a routine every {n} days"),
    }
}
