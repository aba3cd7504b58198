//! The sergeant's review as a PDF: cover, weekly charts, a section per officer and per
//! neighborhood, and the community problems (per officer and neighborhood by stage, the open
//! ones with their next actions, the outcomes of those closed in the period).

use super::charts::*;
use super::*;
use crate::model::Outcome;
use crate::query::review::{
    ActionLine, ConcernTrend, NeighborhoodFigures, OfficerFigures, ProblemCounts, ReviewReport,
    NO_ACTION_DAYS,
};
use crate::report::figures::{action_words, age_median_words, no_action_meaning};
use crate::report::handover::day_text;

// ---------------------------------------------------------------------------------------------
// The review report

fn period_text(report: &ReviewReport) -> String {
    format!(
        "{} to {}",
        day_text(report.period.from),
        day_text(report.period.to)
    )
}

/// The sergeant's review as a printable PDF: cover, weekly charts, one section per officer
/// and one per neighborhood, then the community problems.
pub fn review_pdf(report: &ReviewReport) -> Vec<u8> {
    let period = period_text(report);
    let mut doc = Doc::new(
        &format!("Sergeant's review, {period}"),
        &format!("beatbook \u{2013} Sergeant's review \u{2013} {period}"),
        &format!("Figures as of {}", day_text(report.today)),
    );
    // Officers appear by name everywhere, never by how much they logged.
    let mut order: Vec<usize> = (0..report.officers.len()).collect();
    order.sort_by_key(|&i| {
        let o = &report.officers[i];
        (o.name.to_lowercase(), o.badge.clone())
    });

    review_cover(&mut doc, report, &period);
    review_charts(&mut doc, report, &order);

    doc.new_page();
    doc.heading("Officers", 120.0);
    if report.officers.is_empty() {
        doc.remark("No officer is in this report.");
    }
    for &i in &order {
        officer_section(&mut doc, &report.officers[i]);
    }

    doc.new_page();
    doc.heading("Neighborhoods", 120.0);
    if report.neighborhoods.is_empty() {
        doc.remark("No neighborhood is in this report.");
    }
    for n in &report.neighborhoods {
        neighborhood_section(&mut doc, n);
    }

    problems_section(&mut doc, report);
    doc.finish()
}

fn review_cover(doc: &mut Doc, report: &ReviewReport, period: &str) {
    doc.title("Sergeant's review");
    let days = (report.period.to - report.period.from).num_days() + 1;
    let span = if days > 0 {
        format!(
            " ({}, {})",
            plural(days as usize, "day", "days"),
            plural(report.weeks.len(), "week", "weeks")
        )
    } else {
        String::new()
    };
    doc.paragraph(
        &format!("Period: {period}{span}"),
        Font::Regular,
        11.0,
        BLACK,
        0.0,
    );
    let scope = match report.officer {
        None => format!(
            "Scope: the whole squad ({})",
            plural(report.officers.len(), "officer", "officers")
        ),
        Some(id) => match report.officers.iter().find(|o| o.officer == id) {
            Some(o) => format!("Scope: one officer, {} (badge {})", o.name, o.badge),
            None => "Scope: one officer".to_string(),
        },
    };
    doc.paragraph(&scope, Font::Regular, 11.0, BLACK, 0.0);
    doc.paragraph(
        &format!(
            "Figures as of {}. {}.",
            day_text(report.today),
            plural(report.neighborhoods.len(), "neighborhood", "neighborhoods")
        ),
        Font::Regular,
        11.0,
        BLACK,
        0.0,
    );
    doc.gap(6.0);
    doc.paragraph(
        "These figures count logged community work. Beats, shifts and assignments differ, so \
         read them with each officer's notes and neighborhoods in mind; they are not a ranking. \
         Officers are listed by name.",
        Font::Regular,
        9.0,
        GREY,
        0.0,
    );
}

fn week_labels(report: &ReviewReport) -> Vec<String> {
    report
        .weeks
        .iter()
        .map(|w| w.start.format("%-d %b").to_string())
        .collect()
}

fn review_charts(doc: &mut Doc, report: &ReviewReport, order: &[usize]) {
    doc.heading("Week by week", 200.0);
    if report.weeks.is_empty() {
        doc.remark("The period has no weeks to chart.");
        return;
    }
    let labels = week_labels(report);
    let week_value = |i: usize, w: &crate::query::review::WeekFigures| {
        Some(w.contacts_by_officer.get(i).map_or(0, |f| f.value) as f64)
    };

    if report.officers.is_empty() {
        doc.remark("Contacts per week: no officer is in this report.");
    } else if order.len() <= PALETTE.len() {
        let series: Vec<Series> = order
            .iter()
            .enumerate()
            .map(|(k, &i)| Series {
                name: report.officers[i].name.clone(),
                color: PALETTE[k % PALETTE.len()],
                values: report.weeks.iter().map(|w| week_value(i, w)).collect(),
            })
            .collect();
        let legend: Vec<_> = series.iter().map(|s| (s.name.clone(), s.color)).collect();
        doc.chart(
            "Contacts per week, by officer",
            "",
            &legend,
            130.0,
            30.0,
            |c, a| bar_chart(c, a, &labels, &series, None),
        );
    } else {
        officer_multiples(doc, report, order, &labels);
    }

    let due: Vec<Option<f64>> = report
        .weeks
        .iter()
        .map(|w| Some(w.followups_due.value as f64))
        .collect();
    let kept: Vec<Option<f64>> = report
        .weeks
        .iter()
        .map(|w| Some(w.kept_on_time.value as f64))
        .collect();
    let series = [
        Series {
            name: "Follow-ups due".into(),
            color: Rgb(0.6, 0.6, 0.6),
            values: due,
        },
        Series {
            name: "Kept on time".into(),
            color: PALETTE[2],
            values: kept,
        },
    ];
    let legend: Vec<_> = series.iter().map(|s| (s.name.clone(), s.color)).collect();
    doc.chart(
        "Follow-ups due and kept on time, per week",
        "",
        &legend,
        110.0,
        30.0,
        |c, a| bar_chart(c, a, &labels, &series, None),
    );

    let tone: Vec<Option<f64>> = report.weeks.iter().map(|w| w.mean_tone).collect();
    let note = if tone.iter().flatten().any(|v| v.is_finite()) {
        "Mean tone of the week's contacts, 1 (hostile) to 5 (warm). Weeks without contacts are \
         left blank."
    } else {
        "No contacts with a tone in this period."
    };
    doc.chart("Mean tone per week", note, &[], 100.0, 56.0, |c, a| {
        tone_chart(c, a, &labels, &tone)
    });

    if report.top_concerns.is_empty() {
        doc.subheading("Top concerns per week", 20.0);
        doc.remark("No concerns were raised in this period.");
    } else {
        let shown = report.top_concerns.len().min(PALETTE.len());
        let series: Vec<Series> = report.top_concerns[..shown]
            .iter()
            .enumerate()
            .map(|(k, topic)| Series {
                name: topic.clone(),
                color: PALETTE[k],
                values: report
                    .weeks
                    .iter()
                    .map(|w| Some(w.concerns.get(k).map_or(0, |f| f.value) as f64))
                    .collect(),
            })
            .collect();
        let legend: Vec<_> = series.iter().map(|s| (s.name.clone(), s.color)).collect();
        let note = if report.top_concerns.len() > shown {
            format!(
                "Contacts raising each concern. The {shown} most raised of {} are shown.",
                report.top_concerns.len()
            )
        } else {
            "Contacts raising each concern.".to_string()
        };
        doc.chart(
            "Top concerns per week",
            &note,
            &legend,
            120.0,
            30.0,
            |c, a| bar_chart(c, a, &labels, &series, None),
        );
    }
}

/// One small chart per officer, on a shared scale, when a squad is too big for one legend.
fn officer_multiples(doc: &mut Doc, report: &ReviewReport, order: &[usize], labels: &[String]) {
    let top = report
        .weeks
        .iter()
        .flat_map(|w| w.contacts_by_officer.iter().map(|f| f.value))
        .max()
        .unwrap_or(0) as f64;
    doc.ensure(40.0 + 100.0);
    doc.paragraph(
        "Contacts per week, by officer",
        Font::Bold,
        10.5,
        BLACK,
        0.0,
    );
    doc.paragraph(
        "One chart per officer, all on the same scale.",
        Font::Regular,
        8.0,
        GREY,
        0.0,
    );
    doc.gap(6.0);
    let per_row = 3;
    let cell_w = WIDTH / per_row as f32;
    let cell_h = 100.0;
    for row in order.chunks(per_row) {
        doc.ensure(cell_h);
        for (k, &i) in row.iter().enumerate() {
            let x = LEFT + cell_w * k as f32;
            let name = fit(&report.officers[i].name, Font::Bold, 8.0, cell_w - 12.0);
            put_text(&mut doc.page, x, doc.y - 9.0, Font::Bold, 8.0, BLACK, &name);
            let area = Area {
                x: x + 24.0,
                y: doc.y - cell_h + 22.0,
                w: cell_w - 42.0,
                h: cell_h - 40.0,
            };
            let series = [Series {
                name: String::new(),
                color: PALETTE[0],
                values: report
                    .weeks
                    .iter()
                    .map(|w| Some(w.contacts_by_officer.get(i).map_or(0, |f| f.value) as f64))
                    .collect(),
            }];
            bar_chart(&mut doc.page, area, labels, &series, Some(top));
        }
        doc.gap(cell_h);
    }
    doc.gap(6.0);
}

fn officer_section(doc: &mut Doc, o: &OfficerFigures) {
    let rows_h = 7.0 * 13.0;
    let heading = format!("{} (badge {})", o.name, o.badge);
    doc.gap(10.0);
    doc.ensure(wrap(&heading, Font::Bold, 12.0, WIDTH).len() as f32 * 15.6 + rows_h + 70.0);
    doc.paragraph(&heading, Font::Bold, 12.0, BLACK, 0.0);
    // The figures below are placed from here down, so they must fit whatever the name took.
    doc.ensure(rows_h + 60.0);
    doc.y -= 3.0;
    line(&mut doc.page, (LEFT, doc.y), (RIGHT, doc.y), 0.4, RULE);
    doc.gap(4.0);

    officer_figure_columns(doc, o, rows_h);
    officer_tone_bar(doc, o);
}

/// The officer's figures in two columns of label and value, the overdue count in alert red.
fn officer_figure_columns(doc: &mut Doc, o: &OfficerFigures, rows_h: f32) {
    let median = match o.median_days_to_keep {
        Some(d) if d.is_finite() => format!("{d:.1} days"),
        _ => "none kept yet".to_string(),
    };
    let left: [(&str, String); 7] = [
        ("Contacts logged", o.contacts.value.to_string()),
        ("People reached", o.people_reached.value.to_string()),
        (
            "People seen more than once",
            o.people_seen_again.value.to_string(),
        ),
        (
            "Neighborhoods covered",
            o.neighborhoods_covered.value.to_string(),
        ),
        (
            "Meetings and events",
            o.meetings_and_events.value.to_string(),
        ),
        (
            "Started by a resident",
            o.started_by_resident.value.to_string(),
        ),
        (
            "Started by the officer",
            o.started_by_officer.value.to_string(),
        ),
    ];
    let right: [(&str, String); 6] = [
        (
            "Follow-ups promised",
            o.followups_promised.value.to_string(),
        ),
        ("Kept on time", o.kept_on_time.value.to_string()),
        ("Kept late", o.kept_late.value.to_string()),
        ("Overdue now", o.overdue.value.to_string()),
        ("Median days to keep a promise", median),
        ("Notes too thin to follow", o.thin_notes.value.to_string()),
    ];
    let top = doc.y;
    let half = WIDTH / 2.0;
    for (col, pairs) in [(0.0, &left[..]), (half, &right[..])] {
        let mut y = top;
        for (label, value) in pairs {
            y -= 13.0;
            let l = fit(label, Font::Regular, 9.0, 150.0);
            put_text(
                &mut doc.page,
                LEFT + col,
                y + 3.0,
                Font::Regular,
                9.0,
                GREY,
                &l,
            );
            let v = fit(value, Font::Bold, 9.0, half - 160.0);
            let color = if *label == "Overdue now" && o.overdue.value > 0 {
                ALERT
            } else {
                BLACK
            };
            put_text(
                &mut doc.page,
                LEFT + col + 160.0,
                y + 3.0,
                Font::Bold,
                9.0,
                color,
                &v,
            );
        }
    }
    doc.y = top - rows_h - 6.0;
}

/// The tone mix as one stacked bar with its legend.
fn officer_tone_bar(doc: &mut Doc, o: &OfficerFigures) {
    // Hostile at the left.
    let counts: Vec<usize> = o.tone.iter().map(|f| f.value).collect();
    let total: usize = counts.iter().sum();
    let label_w = 80.0;
    put_text(
        &mut doc.page,
        LEFT,
        doc.y - 9.0,
        Font::Regular,
        9.0,
        GREY,
        b"Tone of contacts",
    );
    let bar = Area {
        x: LEFT + label_w,
        y: doc.y - 11.0,
        w: WIDTH - label_w,
        h: 11.0,
    };
    if total == 0 {
        stroke_rect(&mut doc.page, bar.x, bar.y, bar.w, bar.h, 0.5, RULE);
        put_text(
            &mut doc.page,
            bar.x + 4.0,
            bar.y + 2.5,
            Font::Regular,
            8.0,
            GREY,
            b"No contacts in the period",
        );
    } else {
        let mut x = bar.x;
        for (k, n) in counts.iter().enumerate() {
            let w = *n as f32 / total as f32 * bar.w;
            fill_rect(&mut doc.page, x, bar.y, w, bar.h, TONE_COLORS[k]);
            x += w;
        }
    }
    doc.gap(16.0);
    let legend: Vec<(String, Rgb)> = TONE_NAMES
        .iter()
        .zip(TONE_COLORS)
        .zip(&counts)
        .map(|((name, color), n)| (format!("{name} {n}"), color))
        .collect();
    let saved = doc.y;
    let h = doc.legend(&legend, true);
    doc.y = saved - h;
}

fn trend_text(c: &ConcernTrend) -> String {
    let now = c.now.value;
    match (now, c.before) {
        (n, 0) if n > 0 => "new this period".to_string(),
        (n, b) if n > b => format!("up from {b}"),
        (n, b) if n < b => format!("down from {b}"),
        _ => "about the same".to_string(),
    }
}

const CONCERN_COLUMNS: [Column; 4] = [
    col("Concern", 224.0),
    col_right("This period", 90.0),
    col_right("Period before", 90.0),
    col("Trend", 100.0),
];

fn neighborhood_section(doc: &mut Doc, n: &NeighborhoodFigures) {
    let summary = format!(
        "{} in the period. People not contacted for 30 days or more: {}; 60 days or more: {}; \
         90 days or more: {}.",
        plural(n.contacts.value, "contact", "contacts"),
        n.not_contacted_30.value,
        n.not_contacted_60.value,
        n.not_contacted_90.value
    );
    let concerns: Vec<Vec<Cell>> = n
        .concerns
        .iter()
        .map(|c| {
            let trend = trend_text(c);
            let color = if c.now.value > c.before { ALERT } else { BLACK };
            vec![
                Cell::plain(&c.topic),
                Cell::plain(c.now.value.to_string()),
                Cell::plain(c.before.to_string()),
                Cell(Vec::new()).and(trend, Font::Regular, color),
            ]
        })
        .collect();
    // The whole section moves to a new page rather than leave its table without a heading.
    let height = 30.0
        + wrap(&n.name, Font::Bold, 11.0, WIDTH).len() as f32 * 14.3
        + wrap(&summary, Font::Regular, 9.0, WIDTH).len() as f32 * 11.7
        + 24.0
        + n.reach.len().div_ceil(7) as f32 * 32.0
        + Doc::row_height(&CONCERN_COLUMNS, &[])
        + concerns
            .iter()
            .map(|r| Doc::row_height(&CONCERN_COLUMNS, r))
            .sum::<f32>();
    doc.gap(6.0);
    doc.ensure(height);
    doc.subheading(&n.name, 90.0);
    doc.paragraph(&summary, Font::Regular, 9.0, BLACK, 0.0);
    doc.gap(4.0);

    if !n.reach.is_empty() {
        let per_row = 7;
        let cell_w = WIDTH / per_row as f32;
        let cell_h = 30.0;
        doc.ensure(14.0 + cell_h);
        doc.paragraph(
            "People reached, by group (groups nobody reached are marked as gaps)",
            Font::Bold,
            8.5,
            BLACK,
            0.0,
        );
        doc.gap(3.0);
        for row in n.reach.chunks(per_row) {
            doc.ensure(cell_h + 2.0);
            for (k, (role, f)) in row.iter().enumerate() {
                let x = LEFT + cell_w * k as f32;
                let y = doc.y - cell_h;
                let gap = f.value == 0;
                if gap {
                    fill_rect(&mut doc.page, x + 1.0, y, cell_w - 2.0, cell_h, ALERT_TINT);
                }
                stroke_rect(&mut doc.page, x + 1.0, y, cell_w - 2.0, cell_h, 0.5, RULE);
                let label = fit(role.label(), Font::Regular, 7.0, cell_w - 8.0);
                put_text(
                    &mut doc.page,
                    x + 4.0,
                    y + cell_h - 9.0,
                    Font::Regular,
                    7.0,
                    GREY,
                    &label,
                );
                let value = if gap {
                    "0  gap".to_string()
                } else {
                    f.value.to_string()
                };
                let color = if gap { ALERT } else { BLACK };
                let value = fit(&value, Font::Bold, 11.0, cell_w - 8.0);
                put_text(
                    &mut doc.page,
                    x + 4.0,
                    y + 5.0,
                    Font::Bold,
                    11.0,
                    color,
                    &value,
                );
            }
            doc.gap(cell_h + 2.0);
        }
        doc.gap(6.0);
    }

    if n.concerns.is_empty() {
        doc.paragraph(
            "No concerns were raised here in the period.",
            Font::Regular,
            9.0,
            GREY,
            0.0,
        );
    } else {
        doc.table(
            &CONCERN_COLUMNS,
            &concerns,
            &format!("Concerns in {}", n.name),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Community problems

/// The heading of the "no action" column; it says [`NO_ACTION_DAYS`] (a test keeps them equal).
const NO_ACTION_TITLE: &str = "No action 30+ days";

const PROBLEM_COUNT_COLUMNS: [Column; 9] = [
    col("Name", 100.0),
    col_right("Scanning", 48.0),
    col_right("Analysis", 48.0),
    col_right("Response", 50.0),
    col_right("Assessment", 58.0),
    col_right("Closed in period", 46.0),
    col_right("Median age (days)", 48.0),
    col_right("Oldest open (days)", 48.0),
    col_right(NO_ACTION_TITLE, 58.0),
];

/// A problem's actions still to be done, one to a paragraph (bulleted when there are several),
/// or that none is planned.
pub(super) fn next_actions_cell(actions: &[ActionLine]) -> Cell {
    match actions {
        [] => Cell(Vec::new()).and("No action planned", Font::Regular, GREY),
        [one] => Cell::plain(action_words(one)),
        many => many.iter().fold(Cell(Vec::new()), |c, a| {
            c.and(
                format!("\u{2022} {}", action_words(a)),
                Font::Regular,
                BLACK,
            )
        }),
    }
}

/// A row of the count tables: the name, each open stage, closed, ages and no action.
fn count_row(name: &str, c: &ProblemCounts) -> Vec<Cell> {
    let mut row = vec![Cell::plain(name)];
    row.extend(c.stages.iter().map(|f| Cell::plain(f.value.to_string())));
    row.push(Cell::plain(age_median_words(c.median_age_days)));
    row.push(Cell::plain(
        c.oldest_age_days.map_or("–".to_string(), |d| d.to_string()),
    ));
    let color = if c.no_action.value > 0 { ALERT } else { BLACK };
    row.push(Cell(Vec::new()).and(c.no_action.value.to_string(), Font::Bold, color));
    row
}

/// The problems: counts per officer and per neighborhood (name order, never a ranking), the
/// open problems with their stage and next actions, and what came of those closed in the
/// period.
fn problems_section(doc: &mut Doc, report: &ReviewReport) {
    let p = &report.problems;
    doc.heading("Community problems", 80.0);
    doc.paragraph(
        &format!(
            "Open problems as they stood on {}, and the problems closed in the period. Rows \
             are in name order: problems are not a ranking. {}",
            day_text(p.as_of),
            no_action_meaning()
        ),
        Font::Regular,
        9.0,
        GREY,
        0.0,
    );
    doc.gap(4.0);
    if p.problems.is_empty() {
        doc.remark("No problem was open on that day or closed in the period.");
        return;
    }

    doc.subheading("By officer", 40.0);
    let rows: Vec<Vec<Cell>> = p
        .officers
        .iter()
        .map(|o| count_row(&o.name, &o.counts))
        .collect();
    doc.table(&PROBLEM_COUNT_COLUMNS, &rows, "Problems by officer");

    doc.subheading("By neighborhood", 40.0);
    // Neighborhoods without a problem are left out: a precinct has many.
    let rows: Vec<Vec<Cell>> = p
        .neighborhoods
        .iter()
        .filter(|n| n.counts.total() > 0)
        .map(|n| count_row(&n.name, &n.counts))
        .collect();
    doc.table(&PROBLEM_COUNT_COLUMNS, &rows, "Problems by neighborhood");

    open_problems_table(doc, report);
    closed_problems_table(doc, report);
}

fn open_problems_table(doc: &mut Doc, report: &ReviewReport) {
    let p = &report.problems;
    doc.subheading("Open problems and their next actions", 40.0);
    if p.open().next().is_none() {
        doc.remark("No problem was open on that day.");
        return;
    }
    let cols = [
        col("Neighborhood", 84.0),
        col("Problem", 150.0),
        col("Stage", 76.0),
        col("Next actions", 194.0),
    ];
    let rows: Vec<Vec<Cell>> = p
        .open()
        .map(|l| {
            let problem = Cell(Vec::new()).and(&l.title, Font::Bold, BLACK).and(
                format!("Owner: {}", l.owner),
                Font::Regular,
                GREY,
            );
            let mut stage = Cell::plain(l.stage.label()).and(
                format!("{} days since noticed", l.age_days),
                Font::Regular,
                GREY,
            );
            if l.no_action {
                stage = stage.and(
                    format!("No action for {NO_ACTION_DAYS} days"),
                    Font::Bold,
                    ALERT,
                );
            }
            let actions = next_actions_cell(&l.next_actions);
            vec![Cell::plain(&l.neighborhood), problem, stage, actions]
        })
        .collect();
    doc.table(&cols, &rows, "Open problems");
}

fn closed_problems_table(doc: &mut Doc, report: &ReviewReport) {
    let p = &report.problems;
    doc.subheading("Closed in the period", 40.0);
    let closed: Vec<_> = p.closed().collect();
    if closed.is_empty() {
        doc.remark("No problem was closed in the period.");
        return;
    }
    let outcomes: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| {
            let n = closed.iter().filter(|l| l.outcome == Some(*o)).count();
            format!("{} {n}", o.label())
        })
        .collect();
    doc.paragraph(
        &format!(
            "Outcomes of the {}: {}.",
            plural(closed.len(), "problem closed", "problems closed"),
            outcomes.join(", ")
        ),
        Font::Regular,
        9.0,
        BLACK,
        0.0,
    );
    doc.gap(3.0);
    let cols = [
        col("Neighborhood", 84.0),
        col("Problem", 190.0),
        col("Closed on", 80.0),
        col_right("Days open", 50.0),
        col("Outcome", 100.0),
    ];
    let rows: Vec<Vec<Cell>> = closed
        .iter()
        .map(|l| {
            vec![
                Cell::plain(&l.neighborhood),
                Cell(Vec::new()).and(&l.title, Font::Bold, BLACK).and(
                    format!("Owner: {}", l.owner),
                    Font::Regular,
                    GREY,
                ),
                Cell::plain(l.closed_on.map_or("–".to_string(), day_text)),
                Cell::plain(l.age_days.to_string()),
                Cell::plain(l.outcome.map_or("–", Outcome::label)),
            ]
        })
        .collect();
    doc.table(&cols, &rows, "Problems closed in the period");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_action_column_says_the_days_counted() {
        assert!(NO_ACTION_TITLE.contains(&NO_ACTION_DAYS.to_string()));
    }
}
