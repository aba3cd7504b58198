//! The sergeant's review: pick a period and an officer (or the whole squad), then read the
//! figures, look at the charts, see the community problems, and work the queue of entries not
//! yet reviewed.
//!
//! Every number is a link listing the entries behind it (see [`behind`]). Officers are never
//! ranked by raw contact counts: the table sorts by follow-ups kept, reach or depth. Problems
//! are never ranked at all: their rows are in name order.

mod behind;
mod charts;
mod figures;
mod problems;
mod queue;

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use egui::Ui;

use crate::model::why_not_a_date;
use crate::model::Id;
use crate::query::review::{review_report, Figure, Period, ReviewReport};
use crate::ui::background::Beside;
use crate::ui::command::{Command, ReportFormat};
use crate::ui::screens::{Cached, ScreenCtx};
use crate::ui::widgets::{ago, choice, date_picker, parse_date};

pub use queue::QueueState;

/// The periods offered, plus dates of the user's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodChoice {
    ThisWeek,
    #[default]
    LastFourWeeks,
    Quarter,
    Custom,
}

impl PeriodChoice {
    const ALL: [PeriodChoice; 4] = [
        PeriodChoice::ThisWeek,
        PeriodChoice::LastFourWeeks,
        PeriodChoice::Quarter,
        PeriodChoice::Custom,
    ];

    fn label(self) -> &'static str {
        match self {
            PeriodChoice::ThisWeek => "This week",
            PeriodChoice::LastFourWeeks => "Last 4 weeks",
            PeriodChoice::Quarter => "This quarter",
            PeriodChoice::Custom => "Custom dates",
        }
    }
}

/// The parts of the review screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewTab {
    #[default]
    Figures,
    Charts,
    Problems,
    Entries,
}

impl ReviewTab {
    const ALL: [ReviewTab; 4] = [
        ReviewTab::Figures,
        ReviewTab::Charts,
        ReviewTab::Problems,
        ReviewTab::Entries,
    ];

    fn label(self) -> &'static str {
        match self {
            ReviewTab::Figures => "Figures",
            ReviewTab::Charts => "Charts",
            // Not just "Problems": the top bar already has a button of that name.
            ReviewTab::Problems => "Community problems",
            ReviewTab::Entries => "Entries to review",
        }
    }
}

/// The list of entries behind a clicked number or bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub title: String,
    pub figure: Figure,
}

/// What a computed report depends on: the log's generation, and the period, officer and day.
type ReportKey = (u64, (Period, Option<Id>, NaiveDate));

#[derive(Default)]
pub struct ReviewState {
    pub period: PeriodChoice,
    pub from: String,
    pub to: String,
    pub officer: Option<Id>,
    pub tab: ReviewTab,
    pub sort: figures::OfficerSort,
    pub shown: Option<Shown>,
    listed: behind::Listed,
    pub queue: QueueState,
    /// The last period that was valid: its figures stay up while a custom date is mistyped.
    last_period: Option<Period>,
    /// Shared, so each frame borrows the figures rather than copying them.
    report: Beside<ReportKey, std::sync::Arc<ReviewReport>>,
    /// When each officer's work last arrived through the squad exchange.
    arrivals: Cached<u64, Result<HashMap<Id, DateTime<Utc>>, String>>,
}

impl ReviewState {
    /// Blocks until the figures being worked out are ready.
    pub fn wait(&mut self) {
        self.report.wait();
    }

    /// Lets go of the figures (the log is being locked); they are worked out again after.
    pub fn forget_figures(&mut self) {
        self.report = Beside::default();
    }

    /// The period chosen, or a plain message while custom dates are not valid.
    pub fn period(&self, today: NaiveDate) -> Result<Period, String> {
        match self.period {
            PeriodChoice::ThisWeek => Ok(Period::this_week(today)),
            PeriodChoice::LastFourWeeks => Ok(Period::last_weeks(today, 4)),
            PeriodChoice::Quarter => Ok(Period::quarter(today)),
            PeriodChoice::Custom => {
                let from = parse_date(&self.from)
                    .ok_or_else(|| format!("First day: {}", why_not_a_date(&self.from)))?;
                let to = parse_date(&self.to)
                    .ok_or_else(|| format!("Last day: {}", why_not_a_date(&self.to)))?;
                Period::new(from, to).map_err(|e| e.to_string())
            }
        }
    }

    /// The whole squad's entries not yet reviewed over the last 4 weeks (Today's count).
    pub fn open_queue(&mut self) {
        self.period = PeriodChoice::LastFourWeeks;
        self.officer = None;
        self.tab = ReviewTab::Entries;
        self.queue.not_yet_reviewed();
    }

    /// Opens the list of entries behind a figure.
    pub fn show(&mut self, title: impl Into<String>, figure: &Figure) {
        self.shown = Some(Shown {
            title: title.into(),
            figure: figure.clone(),
        });
        self.listed = Default::default();
    }
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut ReviewState, cmds: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.heading("Review");
        ui.separator();
        let before = state.period;
        choice(ui, "Period", &mut state.period, &PeriodChoice::ALL, |p| {
            p.label().to_string()
        });
        if state.period == PeriodChoice::Custom {
            // Dates start as the last four weeks, once, when custom dates are chosen; after
            // that, what is typed stays, even while a field is empty.
            if before != PeriodChoice::Custom && state.from.is_empty() && state.to.is_empty() {
                state.from = (cx.today - Duration::days(27)).to_string();
                state.to = cx.today.to_string();
            }
            let l = ui.label("From");
            ui.add(egui::TextEdit::singleline(&mut state.from).desired_width(90.0))
                .labelled_by(l.id);
            date_picker(ui, &mut state.from, cx.today, "review_from");
            let l = ui.label("To");
            ui.add(egui::TextEdit::singleline(&mut state.to).desired_width(90.0))
                .labelled_by(l.id);
            date_picker(ui, &mut state.to, cx.today, "review_to");
        }
        let mut officers: Vec<Option<Id>> = vec![None];
        let mut by_name: Vec<_> = cx.lookup.officers.values().collect();
        by_name.sort_by_key(|o| o.name.to_lowercase());
        officers.extend(by_name.iter().map(|o| Some(o.meta.id)));
        choice(ui, "Officer", &mut state.officer, &officers, |o| match o {
            None => "Whole squad".to_string(),
            Some(id) => cx.lookup.officer_name(id),
        });
    });
    let period = match state.period(cx.today) {
        Ok(p) => {
            state.last_period = Some(p);
            p
        }
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            match state.last_period {
                Some(p) => p,
                None => return,
            }
        }
    };
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} to {} ({} days)",
            period.from.format("%a %-d %b %Y"),
            period.to.format("%a %-d %b %Y"),
            period.days()
        ));
        ui.separator();
        for tab in ReviewTab::ALL {
            if ui.selectable_label(state.tab == tab, tab.label()).clicked() {
                state.tab = tab;
            }
        }
        ui.separator();
        for (label, format) in [
            ("Export report as PDF...", ReportFormat::Pdf),
            ("Export report as CSV...", ReportFormat::Csv),
        ] {
            if ui.button(label).clicked() {
                cmds.push(Command::ExportReport {
                    format,
                    period,
                    officer: state.officer,
                });
            }
        }
    });
    arrived(ui, cx, state);
    ui.separator();
    if state.tab == ReviewTab::Entries {
        queue::show(ui, cx, &mut state.queue, period, state.officer, cmds);
        return;
    }
    let (officer, today, store) = (state.officer, cx.today, cx.store.beside());
    // Worked out beside the UI (a department's archive takes seconds). After a change elsewhere
    // in the log the figures before it stay up meanwhile; for another period or officer,
    // nothing is shown until they are ready.
    let Some(report) = state
        .report
        .show(
            ui,
            cx.generation,
            (period, officer, today),
            "Working out the figures...",
            move || {
                store
                    .query(|s| review_report(s, period, officer, today))
                    .map(std::sync::Arc::new)
                    .map_err(|e| e.to_string())
            },
        )
        .cloned()
    else {
        return;
    };
    if state.shown.is_some() {
        egui::Panel::right("review_behind")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| {
                behind::show(ui, cx, &report, &mut state.shown, &mut state.listed, cmds)
            });
    }
    egui::ScrollArea::vertical().show(ui, |ui| match state.tab {
        ReviewTab::Figures => figures::show(ui, cx, &report, state),
        ReviewTab::Charts => charts::show(ui, &report, state),
        ReviewTab::Problems => problems::show(ui, &report, state),
        ReviewTab::Entries => {}
    });
}

/// Per officer, when their work last arrived through the squad exchange ("never" before it
/// did); shown once the log is in a squad.
fn arrived(ui: &mut Ui, cx: &ScreenCtx, state: &mut ReviewState) {
    let in_squad = cx.sync.status.as_ref().is_some_and(|s| s.squad.is_some());
    if !in_squad {
        return;
    }
    let arrivals = state.arrivals.get(cx.generation, || {
        cx.store
            .query(crate::exchange::arrivals)
            .map_err(|e| e.to_string())
    });
    let arrivals = match arrivals {
        Ok(a) => a,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    let me = cx.lookup.me().map(|o| o.meta.id);
    let mut officers: Vec<_> = cx
        .lookup
        .officers
        .values()
        .filter(|o| Some(o.meta.id) != me)
        .collect();
    officers.sort_by_key(|o| o.name.to_lowercase());
    if officers.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new("Last arrived:").strong());
        for (i, o) in officers.iter().enumerate() {
            if i > 0 {
                ui.label("·");
            }
            let when = arrivals
                .get(&o.meta.id)
                .map_or("never".to_string(), |at| ago(*at, cx.now));
            ui.label(format!("{} ({}) {when}", o.name, o.badge));
        }
    });
}
