//! The figures as tables: one row per officer, one per neighborhood. Every number is a link.

use egui::{RichText, Ui};

use super::ReviewState;
use crate::model::Tone;
use crate::query::review::{Figure, OfficerFigures, ReviewReport};
use crate::ui::screens::ScreenCtx;
use crate::ui::widgets::choice;

/// How the officers' table is ordered. There is deliberately no "by contacts": counting
/// contacts turns into a quota and rewards thin entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OfficerSort {
    #[default]
    FollowUpsKept,
    Reach,
    Depth,
    Name,
}

impl OfficerSort {
    const ALL: [OfficerSort; 4] = [
        OfficerSort::FollowUpsKept,
        OfficerSort::Reach,
        OfficerSort::Depth,
        OfficerSort::Name,
    ];

    fn label(self) -> &'static str {
        match self {
            OfficerSort::FollowUpsKept => "Follow-ups kept on time",
            OfficerSort::Reach => "People reached",
            OfficerSort::Depth => "People seen more than once",
            OfficerSort::Name => "Name",
        }
    }
}

/// Share of promises kept on time, for sorting (officers with none promised last).
fn kept_share(o: &OfficerFigures) -> f64 {
    match o.followups_promised.value {
        0 => -1.0,
        n => o.kept_on_time.value as f64 / n as f64,
    }
}

fn sorted(report: &ReviewReport, sort: OfficerSort) -> Vec<&OfficerFigures> {
    let mut rows: Vec<&OfficerFigures> = report.officers.iter().collect();
    match sort {
        OfficerSort::FollowUpsKept => rows.sort_by(|a, b| kept_share(b).total_cmp(&kept_share(a))),
        OfficerSort::Reach => rows.sort_by_key(|o| std::cmp::Reverse(o.people_reached.value)),
        OfficerSort::Depth => rows.sort_by_key(|o| std::cmp::Reverse(o.people_seen_again.value)),
        OfficerSort::Name => rows.sort_by_key(|o| o.name.to_lowercase()),
    }
    rows
}

/// Promises kept on time of those made, as the table shows it and sorts by it: "7 of 9
/// (78%)"; the bare count when none were made.
pub fn kept_rate(o: &OfficerFigures) -> String {
    let (kept, promised) = (o.kept_on_time.value, o.followups_promised.value);
    if promised == 0 {
        return kept.to_string();
    }
    let percent = (kept as f64 * 100.0 / promised as f64).round();
    format!("{kept} of {promised} ({percent}%)")
}

/// A number that lists its entries when clicked; `warn` colours it as needing attention.
fn number(ui: &mut Ui, state: &mut ReviewState, title: String, f: &Figure, warn: bool) {
    number_as(ui, state, title, f, f.value.to_string(), warn);
}

/// [`number`] shown as `shown` (a count with its rate).
fn number_as(
    ui: &mut Ui,
    state: &mut ReviewState,
    title: String,
    f: &Figure,
    shown: String,
    warn: bool,
) {
    listing_number(
        ui,
        state,
        (title, f),
        shown,
        warn,
        "List the entries behind this number",
    );
}

/// A number shown as `shown` that lists what is behind figure `f` when clicked, read out with
/// its `title` ("Dana Reyes: kept on time, 3" rather than a bare number); `warn` colours it as
/// needing a look and `hover` says what a click lists.
pub(super) fn listing_number(
    ui: &mut Ui,
    state: &mut ReviewState,
    (title, f): (String, &Figure),
    shown: String,
    warn: bool,
    hover: &str,
) {
    let text = RichText::new(&shown);
    let text = if warn {
        text.color(ui.visuals().warn_fg_color).strong()
    } else {
        text
    };
    let response = ui.link(text);
    let spoken = format!("{title}, {shown}");
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Link, true, spoken.clone())
    });
    if response.on_hover_text(hover).clicked() {
        state.show(title, f);
    }
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, report: &ReviewReport, state: &mut ReviewState) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Officers").strong());
        let mut sort = state.sort;
        choice(ui, "Sort by", &mut sort, &OfficerSort::ALL, |s| {
            s.label().to_string()
        });
        state.sort = sort;
    });
    if report.officers.is_empty() {
        ui.weak("No officers with entries in this period.");
    }
    let wide = ui.scope(|ui| {
        ui.spacing_mut().scroll = seen_scroll_bar();
        egui::ScrollArea::horizontal()
            .id_salt("officer_figures")
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded)
            .show(ui, |ui| officer_table(ui, report, state))
    });
    more_to_the_right(ui, &wide.inner);
    ui.weak(
        "Orange marks what needs a look: overdue promises and thin entries (an empty or \
         one-word narrative). Click any number to list the entries behind it.",
    );
    ui.add_space(10.0);
    ui.label(RichText::new("Neighborhoods").strong());
    let wide = ui.scope(|ui| {
        ui.spacing_mut().scroll = seen_scroll_bar();
        egui::ScrollArea::horizontal()
            .id_salt("hood_figures")
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded)
            .show(ui, |ui| neighborhood_table(ui, cx, report, state))
    });
    more_to_the_right(ui, &wide.inner);
}

/// Under a table wider than the window: says that more columns are to the right, and how
/// to reach them (its scroll bar is always drawn).
pub(super) fn more_to_the_right<R>(ui: &mut Ui, table: &egui::scroll_area::ScrollAreaOutput<R>) {
    let hidden = table.content_size.x - table.inner_rect.width() - table.state.clamped_offset().x;
    if hidden > 1.0 {
        ui.weak(MORE_COLUMNS);
    }
}

/// A scroll bar drawn whether or not the pointer is near it, so a table wider than the window
/// shows that it scrolls (egui's floating bars appear only on hover).
pub(super) fn seen_scroll_bar() -> egui::style::ScrollStyle {
    egui::style::ScrollStyle {
        bar_width: 10.0,
        dormant_background_opacity: 0.5,
        dormant_handle_opacity: 0.8,
        ..egui::style::ScrollStyle::solid()
    }
}

/// Said under a table whose last columns are out of view.
pub const MORE_COLUMNS: &str =
    "More columns to the right: scroll sideways (the bar under the table, or Shift and the mouse wheel).";

/// How wide the "Concerns raised most" column grows before its concerns wrap.
const CONCERNS_WIDTH: f32 = 300.0;

/// Whether the grid row being drawn, one `line` high, is in view. A squad of hundreds: rows out
/// of view show only their name (which keeps the name column's width and the row's height)
/// instead of all their numbers.
pub(super) fn in_view(ui: &Ui, line: f32) -> bool {
    let (top, view) = (ui.cursor().min.y, ui.clip_rect());
    top <= view.bottom() && top + line >= view.top()
}

fn officer_table(ui: &mut Ui, report: &ReviewReport, state: &mut ReviewState) {
    let tone_heads: Vec<String> = Tone::ALL.iter().map(|t| t.label().to_string()).collect();
    egui::Grid::new("officers_grid")
        .striped(true)
        .show(ui, |ui| {
            let mut heads = vec![
                "Officer",
                "Promised",
                "Kept on time\n(of promised)",
                "Kept\nlate",
                "Over-\ndue",
                "Median days\nto keep",
                "People\nreached",
                "Seen more\nthan once",
                "Neighbor-\nhoods",
                "Meetings\n& events",
                "Started by\nresident",
                "Started by\nofficer",
            ];
            heads.extend(tone_heads.iter().map(String::as_str));
            heads.extend(["Thin\nentries", "Contacts"]);
            for h in heads {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            let line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
            for o in sorted(report, state.sort) {
                ui.label(format!("{} ({})", o.name, o.badge));
                if !in_view(ui, line) {
                    ui.end_row();
                    continue;
                }
                officer_figures(ui, state, o);
                ui.end_row();
            }
        });
}

/// An officer's figures, one cell each after their name, in the order of the headings.
fn officer_figures(ui: &mut Ui, state: &mut ReviewState, o: &OfficerFigures) {
    let n = &o.name;
    number(
        ui,
        state,
        format!("{n}: follow-ups promised"),
        &o.followups_promised,
        false,
    );
    number_as(
        ui,
        state,
        format!("{n}: kept on time"),
        &o.kept_on_time,
        kept_rate(o),
        false,
    );
    number(ui, state, format!("{n}: kept late"), &o.kept_late, false);
    number(
        ui,
        state,
        format!("{n}: overdue"),
        &o.overdue,
        o.overdue.value > 0,
    );
    ui.label(
        o.median_days_to_keep
            .map_or("–".to_string(), |d| format!("{d:.1}")),
    );
    number(
        ui,
        state,
        format!("{n}: people reached"),
        &o.people_reached,
        false,
    );
    number(
        ui,
        state,
        format!("{n}: people seen more than once"),
        &o.people_seen_again,
        false,
    );
    number(
        ui,
        state,
        format!("{n}: neighborhoods covered"),
        &o.neighborhoods_covered,
        false,
    );
    number(
        ui,
        state,
        format!("{n}: meetings and events"),
        &o.meetings_and_events,
        false,
    );
    number(
        ui,
        state,
        format!("{n}: started by a resident"),
        &o.started_by_resident,
        false,
    );
    number(
        ui,
        state,
        format!("{n}: started by the officer"),
        &o.started_by_officer,
        false,
    );
    for (t, f) in Tone::ALL.iter().zip(&o.tone) {
        number(
            ui,
            state,
            format!("{n}: {} contacts", t.label().to_lowercase()),
            f,
            false,
        );
    }
    number(
        ui,
        state,
        format!("{n}: thin entries"),
        &o.thin_notes,
        o.thin_notes.value > 0,
    );
    number(ui, state, format!("{n}: contacts"), &o.contacts, false);
}

fn neighborhood_table(
    ui: &mut Ui,
    _cx: &ScreenCtx,
    report: &ReviewReport,
    state: &mut ReviewState,
) {
    egui::Grid::new("hoods_grid").striped(true).show(ui, |ui| {
        let mut heads = vec![
            "Neighborhood".to_string(),
            "Contacts".into(),
            "Not contacted\n30 days".into(),
            "Not contacted\n60 days".into(),
            "Not contacted\n90 days".into(),
        ];
        if let Some(first) = report.neighborhoods.first() {
            heads.extend(
                first
                    .reach
                    .iter()
                    .map(|(role, _)| format!("Reached:\n{}", role.label())),
            );
        }
        heads.push("Concerns raised most".into());
        for h in heads {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        let line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        for h in &report.neighborhoods {
            let n = &h.name;
            ui.label(n);
            if !in_view(ui, line) {
                ui.end_row();
                continue;
            }
            number(ui, state, format!("{n}: contacts"), &h.contacts, false);
            number(
                ui,
                state,
                format!("{n}: not contacted for 30 days"),
                &h.not_contacted_30,
                false,
            );
            number(
                ui,
                state,
                format!("{n}: not contacted for 60 days"),
                &h.not_contacted_60,
                false,
            );
            number(
                ui,
                state,
                format!("{n}: not contacted for 90 days"),
                &h.not_contacted_90,
                h.not_contacted_90.value > 0,
            );
            for (role, f) in &h.reach {
                // A group nobody reached is a gap worth seeing.
                number(
                    ui,
                    state,
                    format!("{n}: {} reached", role.label().to_lowercase()),
                    f,
                    f.value == 0,
                );
            }
            // The last column wraps rather than run past the window's edge.
            let height = ui.spacing().interact_size.y;
            let wrapped = egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true);
            ui.allocate_ui_with_layout(egui::vec2(CONCERNS_WIDTH, height), wrapped, |ui| {
                ui.set_max_width(CONCERNS_WIDTH);
                {
                    for c in &h.concerns {
                        let trend = crate::report::figures::trend_words(c);
                        if ui
                            .link(format!("{} {} ({trend})", c.topic, c.now.value))
                            .clicked()
                        {
                            state.show(format!("{n}: {}", c.topic), &c.now);
                        }
                    }
                }
            });
            ui.end_row();
        }
    });
}
