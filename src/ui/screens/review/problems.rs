//! The review's community problems: a row per officer and one per neighborhood, with the
//! problems in each SARA stage, their age, the open ones with no action for 30 days and the
//! outcomes of those closed in the period. Every number is a link listing the problems behind
//! it (see [`super::behind`]).
//!
//! Rows are in name order and the table offers no sorting: problems are never ranked by how
//! many someone has, since counting them would reward opening many and closing them fast.

use egui::{RichText, Ui};

use super::figures::{in_view, listing_number, more_to_the_right, seen_scroll_bar};
use super::ReviewState;
use crate::model::{Outcome, Stage};
use crate::query::review::{Figure, ProblemCounts, ReviewReport, NO_ACTION_DAYS};
use crate::report::figures::{age_median_words, no_action_meaning};

/// Said when the pointer rests on a number.
const LIST_HOVER: &str = "List the problems behind this number";

/// A count that lists its problems.
fn count(ui: &mut Ui, state: &mut ReviewState, title: String, f: &Figure, warn: bool) {
    listing_number(ui, state, (title, f), f.value.to_string(), warn, LIST_HOVER);
}

pub fn show(ui: &mut Ui, report: &ReviewReport, state: &mut ReviewState) {
    let p = &report.problems;
    ui.weak(format!(
        "Open problems as they stood on {}, and the problems closed in the period. Rows are \
         in name order: problems are not a ranking. Click any number to list the problems \
         behind it.",
        p.as_of.format("%a %-d %b %Y")
    ));
    ui.add_space(6.0);
    ui.label(RichText::new("Problems by officer").strong());
    if p.officers.is_empty() {
        ui.weak("No officer owns a problem in this period.");
    }
    let rows: Vec<(String, &ProblemCounts)> = p
        .officers
        .iter()
        .map(|o| {
            let name = if o.badge.is_empty() {
                o.name.clone()
            } else {
                format!("{} ({})", o.name, o.badge)
            };
            (name, &o.counts)
        })
        .collect();
    let names: Vec<&str> = p.officers.iter().map(|o| o.name.as_str()).collect();
    table(ui, state, "officer_problems", "Officer", &rows, &names);
    ui.add_space(10.0);
    ui.label(RichText::new("Problems by neighborhood").strong());
    if p.neighborhoods.is_empty() {
        ui.weak("No neighborhoods yet.");
    }
    let rows: Vec<(String, &ProblemCounts)> = p
        .neighborhoods
        .iter()
        .map(|n| (n.name.clone(), &n.counts))
        .collect();
    let names: Vec<&str> = p.neighborhoods.iter().map(|n| n.name.as_str()).collect();
    table(ui, state, "hood_problems", "Neighborhood", &rows, &names);
    ui.weak(format!(
        "Orange marks open problems with no action for {NO_ACTION_DAYS} days. {}",
        no_action_meaning()
    ));
}

/// A table of rows (shown name, counts) under the column `first`; `names` are the rows' names
/// as their numbers are read out.
fn table(
    ui: &mut Ui,
    state: &mut ReviewState,
    id: &str,
    first: &str,
    rows: &[(String, &ProblemCounts)],
    names: &[&str],
) {
    let wide = ui.scope(|ui| {
        ui.spacing_mut().scroll = seen_scroll_bar();
        egui::ScrollArea::horizontal()
            .id_salt(id)
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded)
            .show(ui, |ui| {
                egui::Grid::new(format!("{id}_grid"))
                    .striped(true)
                    .show(ui, |ui| {
                        heads(ui, first);
                        let line = ui.text_style_height(&egui::TextStyle::Body)
                            + ui.spacing().item_spacing.y;
                        for ((shown, counts), name) in rows.iter().zip(names) {
                            ui.label(shown);
                            if in_view(ui, line) {
                                row(ui, state, name, counts);
                            }
                            ui.end_row();
                        }
                    });
            })
    });
    more_to_the_right(ui, &wide.inner);
}

fn heads(ui: &mut Ui, first: &str) {
    ui.label(RichText::new(first).strong());
    for stage in &Stage::ALL[..4] {
        ui.label(RichText::new(stage.label()).strong())
            .on_hover_text(format!(
                "Open problems in {} on the day counted",
                stage.label().to_lowercase()
            ));
    }
    ui.label(RichText::new("Closed in\nthe period").strong());
    ui.label(RichText::new("Open").strong())
        .on_hover_text("Every open problem: the four stages above together");
    ui.label(RichText::new("Median age\n(days)").strong())
        .on_hover_text("The median of the open problems' days since they were noticed");
    ui.label(RichText::new("Oldest open\n(days)").strong())
        .on_hover_text("Days since the oldest open problem was noticed");
    ui.label(RichText::new(format!("No action\n{NO_ACTION_DAYS}+ days")).strong())
        .on_hover_text(no_action_meaning());
    for o in Outcome::ALL {
        ui.label(RichText::new(o.label().replace(' ', "\n")).strong())
            .on_hover_text(format!(
                "Problems closed in the period as \"{}\"",
                o.label().to_lowercase()
            ));
    }
    ui.end_row();
}

/// A row's numbers, one cell each after its name, in the order of the headings.
fn row(ui: &mut Ui, state: &mut ReviewState, n: &str, c: &ProblemCounts) {
    for (stage, f) in Stage::ALL[..4].iter().zip(&c.stages) {
        count(
            ui,
            state,
            format!("{n}: problems in {}", stage.label().to_lowercase()),
            f,
            false,
        );
    }
    count(
        ui,
        state,
        format!("{n}: problems closed in the period"),
        &c.stages[4],
        false,
    );
    count(ui, state, format!("{n}: open problems"), &c.open, false);
    match c.median_age_days {
        Some(days) => listing_number(
            ui,
            state,
            (format!("{n}: median age of open problems in days"), &c.open),
            age_median_words(Some(days)),
            false,
            "List the open problems the median is taken over",
        ),
        None => {
            ui.label("–").on_hover_text("No open problem");
        }
    }
    match c.oldest_age_days {
        Some(days) => listing_number(
            ui,
            state,
            (format!("{n}: oldest open problem in days"), &c.oldest),
            days.to_string(),
            false,
            "List the oldest open problem",
        ),
        None => {
            ui.label("–").on_hover_text("No open problem");
        }
    }
    listing_number(
        ui,
        state,
        (
            format!("{n}: open problems with no action for {NO_ACTION_DAYS} days"),
            &c.no_action,
        ),
        c.no_action.value.to_string(),
        c.no_action.value > 0,
        &format!("{LIST_HOVER}. {}", no_action_meaning()),
    );
    for (o, f) in Outcome::ALL.iter().zip(&c.outcomes) {
        count(
            ui,
            state,
            format!("{n}: problems closed as {}", o.label().to_lowercase()),
            f,
            false,
        );
    }
}
