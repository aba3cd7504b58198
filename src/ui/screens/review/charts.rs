//! Charts a sergeant would rather look at than read, week by week. A click on a bar or a
//! point lists the entries behind it.

use egui::{Color32, Ui};
use egui_plot::{Bar, BarChart, GridMark, Legend, Line, Plot, PlotPoint, PlotPoints};

use super::ReviewState;
use crate::query::review::{Figure, ReviewReport, WeekFigures};

const CHART_HEIGHT: f32 = 220.0;

/// Colours that stay apart on screen and in print.
const PALETTE: [Color32; 8] = [
    Color32::from_rgb(31, 119, 180),
    Color32::from_rgb(255, 127, 14),
    Color32::from_rgb(44, 160, 44),
    Color32::from_rgb(214, 39, 40),
    Color32::from_rgb(148, 103, 189),
    Color32::from_rgb(140, 86, 75),
    Color32::from_rgb(227, 119, 194),
    Color32::from_rgb(127, 127, 127),
];

fn colour(i: usize) -> Color32 {
    PALETTE[i % PALETTE.len()]
}

/// A plot over the weeks of the report: x is the week's index, labelled with its Monday.
fn week_plot<'a>(id: &str, weeks: &'a [WeekFigures]) -> Plot<'a> {
    Plot::new(id)
        .height(CHART_HEIGHT)
        .legend(Legend::default())
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .x_axis_formatter(move |mark: GridMark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 0.01 || i < 0.0 {
                return String::new();
            }
            weeks
                .get(i as usize)
                .map(|w| w.start.format("%-d %b").to_string())
                .unwrap_or_default()
        })
}

/// The week under a click, if the click was on the chart.
fn clicked_week(clicked: bool, at: Option<PlotPoint>, weeks: usize) -> Option<(usize, f64)> {
    let at = at.filter(|_| clicked)?;
    let i = at.x.round();
    (i >= 0.0 && (i as usize) < weeks).then_some((i as usize, at.y))
}

pub fn show(ui: &mut Ui, report: &ReviewReport, state: &mut ReviewState) {
    let weeks = &report.weeks;
    if weeks.is_empty() {
        ui.weak("No weeks in this period.");
        return;
    }
    ui.heading("Contacts per week, by officer");
    contacts_chart(ui, report, state);
    ui.heading("Follow-ups due and kept on time, per week");
    followups_chart(ui, weeks, state);
    ui.heading("Tone of contacts, per week (1 hostile to 5 warm)");
    tone_chart(ui, weeks);
    if !report.top_concerns.is_empty() {
        ui.heading("Top concerns, per week");
        concerns_chart(ui, report, state);
    }
}

fn contacts_chart(ui: &mut Ui, report: &ReviewReport, state: &mut ReviewState) {
    let weeks = &report.weeks;
    let mut charts: Vec<BarChart> = Vec::new();
    for (i, o) in report.officers.iter().enumerate() {
        let bars = weeks
            .iter()
            .enumerate()
            .map(|(w, week)| {
                let n = week.contacts_by_officer.get(i).map_or(0, |f| f.value);
                Bar::new(w as f64, n as f64).width(0.7)
            })
            .collect();
        let chart = BarChart::new(o.name.clone(), bars).color(colour(i));
        let below: Vec<&BarChart> = charts.iter().collect();
        let chart = chart.stack_on(&below);
        charts.push(chart);
    }
    let response = week_plot("contacts_per_week", weeks).show(ui, |p| {
        for c in charts {
            p.bar_chart(c);
        }
        p.pointer_coordinate()
    });
    if let Some((w, y)) = clicked_week(response.response.clicked(), response.inner, weeks.len()) {
        // The stacked segment under the pointer is the officer clicked.
        let mut top = 0.0;
        for (i, f) in weeks[w].contacts_by_officer.iter().enumerate() {
            top += f.value as f64;
            if y <= top {
                let name = report.officers.get(i).map_or("", |o| o.name.as_str());
                state.show(
                    format!("{name}: contacts in the week of {}", weeks[w].start),
                    f,
                );
                break;
            }
        }
    }
}

fn followups_chart(ui: &mut Ui, weeks: &[WeekFigures], state: &mut ReviewState) {
    let series = |pick: fn(&WeekFigures) -> &Figure, offset: f64| -> Vec<Bar> {
        weeks
            .iter()
            .enumerate()
            .map(|(w, week)| Bar::new(w as f64 + offset, pick(week).value as f64).width(0.35))
            .collect()
    };
    let due = BarChart::new("Due", series(|w| &w.followups_due, -0.18)).color(colour(7));
    let kept = BarChart::new("Kept on time", series(|w| &w.kept_on_time, 0.18)).color(colour(2));
    let response = week_plot("followups_per_week", weeks).show(ui, |p| {
        p.bar_chart(due);
        p.bar_chart(kept);
        p.pointer_coordinate()
    });
    let clicked = response.response.clicked();
    if let Some(at) = response.inner.filter(|_| clicked) {
        let w = at.x.round();
        if w >= 0.0 && (w as usize) < weeks.len() {
            let week = &weeks[w as usize];
            if at.x < w {
                state.show(
                    format!("Follow-ups due in the week of {}", week.start),
                    &week.followups_due,
                );
            } else {
                state.show(
                    format!("Follow-ups kept on time in the week of {}", week.start),
                    &week.kept_on_time,
                );
            }
        }
    }
}

fn tone_chart(ui: &mut Ui, weeks: &[WeekFigures]) {
    let points: Vec<[f64; 2]> = weeks
        .iter()
        .enumerate()
        .filter_map(|(w, week)| week.mean_tone.map(|t| [w as f64, t]))
        .collect();
    week_plot("tone_per_week", weeks)
        .include_y(1.0)
        .include_y(5.0)
        .show(ui, |p| {
            p.line(
                Line::new("Mean tone", PlotPoints::from(points))
                    .color(colour(0))
                    .width(2.0),
            );
        });
}

fn concerns_chart(ui: &mut Ui, report: &ReviewReport, state: &mut ReviewState) {
    let weeks = &report.weeks;
    let lines: Vec<Line> = report
        .top_concerns
        .iter()
        .enumerate()
        .map(|(i, topic)| {
            let points: Vec<[f64; 2]> = weeks
                .iter()
                .enumerate()
                .map(|(w, week)| [w as f64, week.concerns.get(i).map_or(0, |f| f.value) as f64])
                .collect();
            Line::new(topic.clone(), PlotPoints::from(points))
                .color(colour(i))
                .width(2.0)
        })
        .collect();
    let response = week_plot("concerns_per_week", weeks).show(ui, |p| {
        for l in lines {
            p.line(l);
        }
        p.pointer_coordinate()
    });
    if let Some((w, y)) = clicked_week(response.response.clicked(), response.inner, weeks.len()) {
        // The concern whose point is nearest the click.
        let nearest = weeks[w]
            .concerns
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| {
                (a.value as f64 - y)
                    .abs()
                    .total_cmp(&(b.value as f64 - y).abs())
            });
        if let Some((i, f)) = nearest {
            let topic = report.top_concerns.get(i).map_or("", String::as_str);
            state.show(format!("{topic} in the week of {}", weeks[w].start), f);
        }
    }
}
