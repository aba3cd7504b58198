//! The log: every contact in a sortable, filterable table; opening a row edits it.

use egui::Ui;
use egui_extras::{Column, TableBuilder};

use super::{first_line, short_time, Cached};
use crate::model::why_not_a_date;
use crate::model::{Contact, ContactKind, Id};
use crate::query::{search, LogFilter};
use crate::ui::command::Command;
use crate::ui::screens::ScreenCtx;
use crate::ui::widgets::{choice, parse_date, thousands, type_ahead, Pick, TypeAhead};

/// Columns the table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    When,
    Neighborhood,
    Kind,
    People,
    Tone,
}

/// What the table's rows depend on: the store's generation, the filter and the sort order.
type RowsKey = (u64, LogFilter, SortBy, bool);
/// The rows listed (shared with the store's cache of contacts read lately) and how many match.
type Rows = Result<(usize, Vec<std::sync::Arc<Contact>>), String>;

#[derive(Default)]
pub struct LogState {
    pub neighborhood: Option<Id>,
    pub kind: Option<ContactKind>,
    pub tag: Option<Id>,
    pub person: Option<Id>,
    person_input: TypeAhead,
    person_pick: Vec<Pick<Id>>,
    pub from: String,
    pub to: String,
    pub text: String,
    pub sort: SortBy,
    pub ascending: bool,
    last_valid: LogFilter,
    /// The notes words the table is filtered by: the typed words once typing pauses, so a
    /// large log is not searched again on every keystroke.
    applied_text: String,
    /// When the notes words last changed, in egui's clock (seconds).
    text_typed_at: Option<f64>,
    cache: Cached<RowsKey, Rows>,
}

impl LogState {
    fn filter(&self) -> Result<LogFilter, String> {
        let date = |t: &str, what: &str| -> Result<Option<chrono::NaiveDate>, String> {
            if t.trim().is_empty() {
                return Ok(None);
            }
            parse_date(t)
                .map(Some)
                .ok_or_else(|| format!("{what}: {}", why_not_a_date(t)))
        };
        let (from, to) = (date(&self.from, "From")?, date(&self.to, "To")?);
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(format!("From ({f}) is after To ({t})."));
            }
        }
        Ok(LogFilter {
            neighborhood: self.neighborhood,
            officer: None,
            kind: self.kind,
            tag: self.tag,
            person: self.person,
            from,
            to,
            text: self.applied_text.clone(),
        })
    }
}

/// How long typing in the notes filter must pause before the log is searched.
const TYPING_PAUSE: f64 = 0.25;

/// The newest matches listed; the count still covers every match. Reading them stays well
/// under a tenth of a second even in a department's archive of a million contacts.
const MAX_ROWS: usize = 1_000;

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut LogState, cmds: &mut Vec<Command>) {
    ui.heading("Log");
    filters(ui, cx, state);
    // While a date is half-typed the table keeps showing the last filter that made sense; what
    // is wrong is said beside the dates, and no count is given that belongs to other filters.
    let (filter, counted) = match state.filter() {
        Ok(f) => {
            state.last_valid = f.clone();
            (f, true)
        }
        Err(_) => (state.last_valid.clone(), false),
    };
    if waiting_for_index(ui, cx, &filter) {
        return;
    }
    let (sort, ascending) = (state.sort, state.ascending);
    let result = state
        .cache
        .get((cx.generation, filter.clone(), sort, ascending), || {
            matching_rows(cx, &filter, sort, ascending)
        });
    let (total, rows) = match result {
        Ok(r) => r,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    if counted {
        ui.label(match_count(*total, rows.len()));
    } else {
        ui.weak("Not counted until the dates are valid: the list is for the last valid filters.");
    }
    if let Some(by) = table(ui, cx, (sort, ascending), rows, cmds) {
        sort_by(state, by);
    }
}

/// Words in a large log wait for the contact index (seconds at most, once after opening)
/// rather than freeze the window reading every note; says so while it is built. A small log
/// is read at once.
fn waiting_for_index(ui: &mut Ui, cx: &ScreenCtx, filter: &LogFilter) -> bool {
    let waiting_for_index = cx
        .indexing
        .filter(|p| p.large && !cx.store.has_contact_index());
    let (false, Some(progress)) = (filter.text.trim().is_empty(), waiting_for_index) else {
        return false;
    };
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(format!(
            "Preparing fast search: {}. The words are looked up as soon as it is ready.",
            progress.describe()
        ));
    });
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(200));
    true
}

/// The contacts matching `filter` (the newest [`MAX_ROWS`] of them) in the order asked for,
/// and how many match in all.
fn matching_rows(cx: &ScreenCtx, filter: &LogFilter, sort: SortBy, ascending: bool) -> Rows {
    let lookup = cx.lookup;
    let page = cx
        .store
        .query(|s| search(s, filter, MAX_ROWS))
        .map_err(|e| e.to_string())?;
    let mut rows = page.contacts;
    match sort {
        SortBy::When => rows.sort_by_key(|c| c.at),
        SortBy::Neighborhood => rows.sort_by_cached_key(|c| lookup.hood_name(c.neighborhood)),
        SortBy::Kind => rows.sort_by_key(|c| c.kind.label()),
        SortBy::People => {
            rows.sort_by_cached_key(|c| lookup.people_names(&c.people).to_lowercase())
        }
        SortBy::Tone => rows.sort_by_key(|c| c.tone),
    }
    if !ascending {
        rows.reverse();
    }
    Ok((page.total, rows))
}

/// The line above the table: how many contacts match, and whether all of them are listed.
fn match_count(total: usize, listed: usize) -> String {
    match total {
        1 => "1 contact matches.".to_string(),
        n if n > listed => format!(
            "{} contacts match; the newest {} are listed. Narrow the filters or the dates to list older ones.",
            thousands(n),
            thousands(listed)
        ),
        n => format!("{} contacts match.", thousands(n)),
    }
}

/// The table of contacts; returns the column whose heading was clicked to sort by it.
fn table(
    ui: &mut Ui,
    cx: &ScreenCtx,
    sorted: (SortBy, bool),
    rows: &[std::sync::Arc<Contact>],
    cmds: &mut Vec<Command>,
) -> Option<SortBy> {
    let lookup = cx.lookup;
    let mut clicked_sort = None;
    // The headings are buttons: as tall as any button (touch-sized, see `theme`), or the
    // row would clip them.
    let spacing = ui.spacing();
    let header_height = spacing
        .interact_size
        .y
        .max(ui.text_style_height(&egui::TextStyle::Button) + 2.0 * spacing.button_padding.y);
    TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::exact(130.0))
        .column(Column::initial(120.0).resizable(true).clip(true))
        .column(Column::initial(150.0).resizable(true).clip(true))
        .column(Column::initial(170.0).resizable(true).clip(true))
        .column(Column::initial(70.0))
        .column(Column::remainder().clip(true))
        .header(header_height, |mut header| {
            for (label, by) in [
                ("When", Some(SortBy::When)),
                ("Neighborhood", Some(SortBy::Neighborhood)),
                ("Kind", Some(SortBy::Kind)),
                ("People", Some(SortBy::People)),
                ("Tone", Some(SortBy::Tone)),
                ("Note", None),
            ] {
                header.col(|ui| match by {
                    Some(by) => {
                        if sort_button(ui, sorted, label, by) {
                            clicked_sort = Some(by);
                        }
                    }
                    // Level with the buttons' words beside it.
                    None => {
                        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                            ui.strong(label);
                        });
                    }
                });
            }
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let c = &rows[row.index()];
                row.col(|ui| {
                    if ui.link(short_time(c.at)).clicked() {
                        cmds.push(Command::EditContact(c.meta.id));
                    }
                });
                row.col(|ui| {
                    ui.label(lookup.hood_name(c.neighborhood));
                });
                row.col(|ui| {
                    ui.label(c.kind.label());
                });
                row.col(|ui| {
                    ui.label(lookup.who(c));
                });
                row.col(|ui| {
                    ui.label(c.tone.label());
                });
                row.col(|ui| {
                    ui.label(first_line(&c.note, 200));
                });
                if row.response().double_clicked() {
                    cmds.push(Command::EditContact(c.meta.id));
                }
            });
        });
    clicked_sort
}

/// A column heading that sorts by its column, with an arrow on the one sorted by (`sorted`:
/// the column and whether it is in ascending order).
fn sort_button(ui: &mut Ui, sorted: (SortBy, bool), label: &str, by: SortBy) -> bool {
    let arrow = match (sorted.0 == by, sorted.1) {
        (false, _) => "",
        (true, true) => " ^",
        (true, false) => " v",
    };
    ui.button(format!("{label}{arrow}"))
        .on_hover_text("Sort")
        .clicked()
}

/// Sorts by a column: again on the same one turns the order round; a new one starts with the
/// newest first for dates and A to Z for the rest.
fn sort_by(state: &mut LogState, by: SortBy) {
    if state.sort == by {
        state.ascending = !state.ascending;
    } else {
        state.sort = by;
        state.ascending = by != SortBy::When;
    }
}

fn filters(ui: &mut Ui, cx: &ScreenCtx, state: &mut LogState) {
    let lookup = cx.lookup;
    ui.horizontal_wrapped(|ui| {
        let hoods: Vec<Option<Id>> = std::iter::once(None)
            .chain(lookup.neighborhoods.iter().map(|n| Some(n.meta.id)))
            .collect();
        choice(ui, "Neighborhood", &mut state.neighborhood, &hoods, |h| {
            h.map(|h| lookup.hood_name(h))
                .unwrap_or_else(|| "All".into())
        });
        let kinds: Vec<Option<ContactKind>> = std::iter::once(None)
            .chain(ContactKind::ALL.into_iter().map(Some))
            .collect();
        choice(ui, "Kind", &mut state.kind, &kinds, |k| {
            k.map(|k| k.label().to_string())
                .unwrap_or_else(|| "All".into())
        });
        let tags: Vec<Option<Id>> = std::iter::once(None)
            .chain(lookup.tags.iter().map(|t| Some(t.meta.id)))
            .collect();
        choice(ui, "Topic", &mut state.tag, &tags, |t| {
            t.map(|t| lookup.tag_name(t))
                .unwrap_or_else(|| "All".into())
        });
    });
    // A type-ahead rather than a list: a beat has hundreds of people.
    type_ahead(
        ui,
        "Person",
        egui::Id::unique("log_person_filter"),
        &mut state.person_input,
        &lookup.person_choices(&state.person_pick),
        &mut state.person_pick,
        None,
    );
    if state.person_pick.len() > 1 {
        state.person_pick.remove(0);
    }
    state.person = match state.person_pick.first() {
        Some(Pick::Existing(id)) => Some(*id),
        _ => None,
    };
    ui.horizontal_wrapped(|ui| {
        for (label, text) in [("From", &mut state.from), ("To", &mut state.to)] {
            let l = ui.label(label);
            ui.add(
                egui::TextEdit::singleline(text)
                    .hint_text("YYYY-MM-DD")
                    .desired_width(105.0),
            )
            .labelled_by(l.id);
        }
        if let Err(e) = state.filter() {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let l = ui.label("Search notes");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut state.text)
                    .hint_text("words in notes or places")
                    .desired_width(200.0),
            )
            .labelled_by(l.id);
        let now = ui.input(|i| i.time);
        if r.changed() {
            state.text_typed_at = Some(now);
        }
        if let Some(at) = state.text_typed_at {
            let waited = now - at;
            if waited >= TYPING_PAUSE || r.lost_focus() {
                state.applied_text = state.text.clone();
                state.text_typed_at = None;
            } else {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_secs_f64(
                        TYPING_PAUSE - waited,
                    ));
            }
        }
        if ui.button("Clear filters").clicked() {
            let (sort, ascending) = (state.sort, state.ascending);
            *state = LogState {
                sort,
                ascending,
                ..Default::default()
            };
        }
    });
}
