//! People and organizations: a searchable list, the "losing touch" list, and each person's page
//! with details, consent-gated contact details and the timeline of contacts and promises.

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::{contact_line, follow_up_line, short_time, Cached};
use crate::model::{ContactDetails, Id, Person, PersonRole, Problem};
use crate::query::problems::problems_linking;
use crate::query::{contacts_with, losing_touch, person_timeline, same_person, TimelineItem};
use crate::ui::background::Beside;
use crate::ui::command::Command;
use crate::ui::lookup::Lookup;
use crate::ui::screens::ScreenCtx;
use crate::ui::widgets::{choice, labelled_multiline, labelled_text};

/// A person and their last contact, if any.
type LastSeen = (Id, Option<DateTime<Utc>>);

/// The contacts of each of two people asked to be merged, or why they could not be counted.
type MergeCounts = Result<(usize, usize), String>;

/// Who has not been contacted lately, at a generation of the log.
type Losing = (u64, Vec<LastSeen>);

/// A person's contacts and promises, and the problems those contacts are linked to.
type PersonTimeline = (Vec<TimelineItem>, Vec<Problem>);

pub struct PeopleState {
    pub selected: Option<Id>,
    /// The person being edited on the page (a copy; saved with "Save").
    pub draft: Option<Person>,
    /// The draft as it was opened, for "Revert" and to tell whether anything was typed.
    original: Option<Person>,
    /// A page the user asked for while the draft had unsaved changes.
    pending: Option<Person>,
    pub search: String,
    pub losing_only: bool,
    pub losing_days: u32,
    pub error: Option<String>,
    losing: Beside<(u64, u32), Losing>,
    /// Of those, the ones whose names hold the typed text.
    losing_matching: Cached<(u64, u32, String), Vec<LastSeen>>,
    /// The people whose names hold the typed text, sorted by name.
    matching: Cached<(u64, String), Vec<Id>>,
    /// The person's contacts and promises, and the problems those contacts are linked to.
    timeline: Cached<(u64, Id), Result<PersonTimeline, String>>,
    /// Two people asked to be merged: the confirmation naming both is showing.
    pub merging: Option<(Id, Id)>,
    /// Their contacts, counted when the confirmation opened (see [`merge_confirmation`]).
    merge_counts: Cached<(u64, Id, Id), MergeCounts>,
    /// Pairs that may be one person known to two officers (see `query::possible_duplicates`).
    duplicates: Cached<u64, Vec<(Id, Id)>>,
}

impl Default for PeopleState {
    fn default() -> Self {
        PeopleState {
            selected: None,
            draft: None,
            original: None,
            pending: None,
            search: String::new(),
            losing_only: false,
            losing_days: 30,
            error: None,
            losing: Beside::default(),
            losing_matching: Cached::default(),
            matching: Cached::default(),
            timeline: Cached::default(),
            merging: None,
            merge_counts: Cached::default(),
            duplicates: Cached::default(),
        }
    }
}

impl PeopleState {
    /// Blocks until the losing-touch list being worked out is ready.
    pub fn wait(&mut self) {
        self.losing.wait();
    }

    /// Forgets what was read from the log (it is being closed); what was typed stays.
    pub fn forget_lists(&mut self) {
        self.losing = Beside::default();
        self.losing_matching = Cached::default();
        self.matching = Cached::default();
        self.timeline = Cached::default();
        self.merge_counts = Cached::default();
        self.duplicates = Cached::default();
    }
    /// Shows an unsaved person on the page; "Save person" creates them.
    pub fn start_new(&mut self, person: Person) {
        self.switch_to(person);
    }

    pub fn open(&mut self, id: Id, lookup: &Lookup) {
        if let Some(person) = lookup.person(id) {
            self.switch_to(person);
        }
    }

    /// Shows a person just saved (nothing left unsaved).
    pub fn show_saved(&mut self, person: Person) {
        self.original = None;
        self.draft = None;
        self.switch_to(person);
    }

    pub fn has_unsaved_changes(&self) -> bool {
        self.draft != self.original
    }

    /// Opens another page, unless that would throw away typed changes: then it asks first.
    fn switch_to(&mut self, person: Person) {
        if self.has_unsaved_changes() && self.selected != Some(person.meta.id) {
            self.pending = Some(person);
            return;
        }
        self.selected = Some(person.meta.id);
        self.original = Some(person.clone());
        self.draft = Some(person);
        self.pending = None;
        self.error = None;
    }
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut PeopleState, cmds: &mut Vec<Command>) {
    egui::Panel::left("people_list")
        .default_size(300.0)
        .show(ui, |ui| {
            list(ui, cx, state, cmds);
        });
    egui::CentralPanel::default().show(ui, |ui| match state.selected {
        Some(id) => page(ui, cx, state, id, cmds),
        None => {
            ui.heading("People");
            ui.label("Choose someone on the left. People are added when you log a contact with a new name.");
        }
    });
}

fn list(ui: &mut Ui, cx: &ScreenCtx, state: &mut PeopleState, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("People");
        if ui.button("New person or group").clicked() {
            cmds.push(Command::NewPerson);
        }
    });
    let l = ui.label("Find");
    ui.add(egui::TextEdit::singleline(&mut state.search).hint_text("name or description"))
        .labelled_by(l.id);
    ui.horizontal(|ui| {
        ui.checkbox(&mut state.losing_only, "Losing touch: not contacted for");
        // The number reads before its unit: "not contacted for 30 days".
        let days = ui.add(egui::DragValue::new(&mut state.losing_days).range(1..=3650));
        let l = ui.label("days");
        days.labelled_by(l.id);
    });
    ui.separator();
    let q = state.search.trim().to_lowercase();
    if !state.losing_only {
        possible_duplicates(ui, cx, state, cmds);
        return everyone(ui, cx, state, &q, cmds);
    }
    losing(ui, cx, state, &q, cmds);
}

/// The people not contacted lately, found beside the UI (a department's archive has hundreds
/// of thousands), then narrowed to the typed text and drawn only as far as they are in view.
fn losing(ui: &mut Ui, cx: &ScreenCtx, state: &mut PeopleState, q: &str, cmds: &mut Vec<Command>) {
    let (store, now, days, generation) =
        (cx.store.beside(), cx.now, state.losing_days, cx.generation);
    let Some((found_at, found)) = state.losing.show(
        ui,
        generation,
        days,
        "Finding who has not been contacted lately...",
        move || {
            store
                .query(|s| losing_touch(s, i64::from(days), now))
                .map(|list| (generation, list))
                .map_err(|e| e.to_string())
        },
    ) else {
        return;
    };
    if found.is_empty() {
        ui.weak(format!("Everyone was contacted in the last {days} days."));
        return;
    }
    if still_reading(ui, cx) {
        return;
    }
    let lookup = cx.lookup;
    let shown = state
        .losing_matching
        .get((*found_at, days, q.to_string()), || {
            found
                .iter()
                .filter(|(id, _)| lookup.person_name(*id).to_lowercase().contains(q))
                .copied()
                .collect::<Vec<_>>()
        });
    person_rows(ui, shown, state.selected, cmds, |(id, last)| {
        let when = last.map(short_time).unwrap_or_else(|| "never".into());
        (*id, format!("{} (last: {when})", lookup.person_name(*id)))
    });
}

/// The same name written by two officers: maybe one resident known to both, maybe two who
/// share a name. Offered to merge by hand, never merged on its own.
fn possible_duplicates(
    ui: &mut Ui,
    cx: &ScreenCtx,
    state: &mut PeopleState,
    cmds: &mut Vec<Command>,
) {
    let lookup = cx.lookup;
    let pairs = state
        .duplicates
        .get(cx.generation, || lookup.possible_duplicates())
        .clone();
    if pairs.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(RichText::new(format!(
        "Possible duplicates ({})",
        pairs.len()
    )))
    .id_salt("possible_duplicates")
    .default_open(true)
    .show(ui, |ui| {
        ui.weak("The same name, written by two officers. Merge them only if they are one person.");
        for (a, b) in pairs {
            ui.label(format!(
                "{} · {}",
                written_by(lookup, a),
                written_by(lookup, b)
            ));
            if state.merging == Some((a, b)) {
                merge_confirmation(ui, cx, state, a, b, cmds);
                continue;
            }
            ui.horizontal(|ui| {
                if ui.button("Merge...").clicked() {
                    state.merging = Some((a, b));
                }
                if ui.button("Not the same person").clicked() {
                    cmds.push(Command::KeepPeopleApart(a, b));
                }
            });
        }
    });
    ui.separator();
}

/// A person's name and the officer who wrote their record.
fn written_by(lookup: &Lookup, id: Id) -> String {
    let officer = lookup
        .person(id)
        .map(|p| lookup.officer_name(p.meta.owner()))
        .unwrap_or_else(|| "unknown officer".into());
    format!("{} ({officer})", lookup.person_name(id))
}

/// Asks before two records are shown as one person, naming both and their contacts.
fn merge_confirmation(
    ui: &mut Ui,
    cx: &ScreenCtx,
    state: &mut PeopleState,
    a: Id,
    b: Id,
    cmds: &mut Vec<Command>,
) {
    let lookup = cx.lookup;
    let counts = state.merge_counts.get((cx.generation, a, b), || {
        cx.store
            .query(|s| {
                Ok::<_, crate::store::StoreError>((contacts_with(s, a)?, contacts_with(s, b)?))
            })
            .map_err(|e| e.to_string())
    });
    let (na, nb) = match counts {
        Ok(counts) => *counts,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    let contacts = |n| crate::model::plural(n, "contact", "contacts");
    ui.colored_label(
        ui.visuals().warn_fg_color,
        format!(
            "Merge {} with {} and {} with {}? Both records stay as their officers wrote them; \
             this log shows them as one person, with the contacts of both.",
            written_by(lookup, a),
            contacts(na),
            written_by(lookup, b),
            contacts(nb),
        ),
    );
    ui.horizontal(|ui| {
        if ui.button("Merge").clicked() {
            cmds.push(Command::MergePeople(a, b));
        }
        if ui.button("Cancel").clicked() {
            state.merging = None;
        }
    });
}

/// Says so while everyone in the log is still being read beside the UI.
fn still_reading(ui: &mut Ui, cx: &ScreenCtx) -> bool {
    let reading = !cx.lookup.people_ready();
    if reading {
        ui.weak("Reading everyone in the log...");
    }
    reading
}

/// One line per person, drawn only as far as they are in view; a click opens their page.
fn person_rows<T>(
    ui: &mut Ui,
    rows: &[T],
    selected: Option<Id>,
    cmds: &mut Vec<Command>,
    line: impl Fn(&T) -> (Id, String),
) {
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical().show_rows(ui, row_height, rows.len(), |ui, range| {
        // One line per row, as the rows' fixed height assumes.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        for row in &rows[range] {
            let (id, text) = line(row);
            if ui.selectable_label(selected == Some(id), text).clicked() {
                cmds.push(Command::OpenPerson(id));
            }
        }
    });
}

/// Everyone whose name holds the typed text, drawn only as far as they are in view: a
/// department's archive has hundreds of thousands of people.
fn everyone(
    ui: &mut Ui,
    cx: &ScreenCtx,
    state: &mut PeopleState,
    q: &str,
    cmds: &mut Vec<Command>,
) {
    if still_reading(ui, cx) {
        return;
    }
    let lookup = cx.lookup;
    let matching = state
        .matching
        .get((cx.generation, q.to_string()), || lookup.people_matching(q));
    person_rows(ui, matching, state.selected, cmds, |id| {
        (*id, lookup.person_line(*id))
    });
}

/// What the buttons under a person's page asked for, carried out once the page is drawn.
#[derive(Default)]
struct PageAsked {
    revert: bool,
    /// Leave the unsaved changes and open this page instead.
    discard_for: Option<Person>,
    keep_editing: bool,
}

fn page(ui: &mut Ui, cx: &ScreenCtx, state: &mut PeopleState, id: Id, cmds: &mut Vec<Command>) {
    let PeopleState {
        draft,
        error,
        timeline,
        pending,
        ..
    } = state;
    let Some(draft) = draft else {
        ui.label("This person no longer exists.");
        return;
    };
    let lookup = cx.lookup;
    let mut asked = PageAsked::default();
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading(if draft.name.is_empty() {
            "New person or group"
        } else {
            draft.name.as_str()
        });
        person_fields(ui, cx, draft);
        if let Some(e) = &error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        asked = page_buttons(ui, lookup, draft, id, pending.as_ref(), cmds);
        merged_with(ui, lookup, id, cmds);
        ui.separator();
        let timeline = timeline.get((cx.generation, id), || {
            cx.store
                .query(|s| {
                    let items = person_timeline(s, id)?;
                    let contacts = items
                        .iter()
                        .filter_map(|i| match i {
                            TimelineItem::Contact(c) => Some(c.meta.id),
                            TimelineItem::FollowUp(_) => None,
                        })
                        .collect();
                    Ok((items, problems_linking(s, &contacts)?))
                })
                .map_err(|e: crate::store::StoreError| e.to_string())
        });
        match timeline {
            Ok((items, problems)) => {
                problem_links(ui, problems, lookup, cmds);
                timeline_list(ui, items, lookup, cmds);
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        }
    });
    if asked.revert {
        state.draft = state.original.clone();
    }
    if asked.keep_editing {
        state.pending = None;
    }
    if let Some(next) = asked.discard_for {
        state.draft = state.original.clone();
        state.switch_to(next);
    }
}

/// The fields of a person's page: name, role, neighborhood, notes, and the contact details
/// kept only with their consent.
fn person_fields(ui: &mut Ui, cx: &ScreenCtx, draft: &mut Person) {
    let lookup = cx.lookup;
    labelled_text(
        ui,
        "Name or description",
        &mut draft.name,
        "someone who gave no name: describe them",
    );
    ui.horizontal(|ui| {
        choice(ui, "Role", &mut draft.role, &PersonRole::ALL, |r| {
            r.label().to_string()
        });
        let hoods: Vec<Option<Id>> = std::iter::once(None)
            .chain(lookup.neighborhoods.iter().map(|n| Some(n.meta.id)))
            .collect();
        choice(ui, "Neighborhood", &mut draft.neighborhood, &hoods, |h| {
            h.map(|h| lookup.hood_name(h))
                .unwrap_or_else(|| "(none)".into())
        });
    });
    labelled_multiline(ui, "Notes", &mut draft.notes, 3);
    if let Some(warning) = crate::model::purpose_warning(&draft.notes) {
        ui.colored_label(ui.visuals().warn_fg_color, warning);
    }
    let mut agreed = draft.consent.is_some();
    if ui.checkbox(&mut agreed, "Agreed to be contacted").changed() {
        draft.consent = agreed.then(|| ContactDetails {
            agreed_on: Some(cx.today),
            ..Default::default()
        });
    }
    if let Some(c) = &mut draft.consent {
        ui.indent("consent", |ui| {
            if let Some(d) = c.agreed_on {
                ui.weak(format!("Agreed on {d}"));
            }
            labelled_text(ui, "Phone", &mut c.phone, "");
            labelled_text(ui, "Email", &mut c.email, "");
            labelled_text(ui, "Address", &mut c.address, "");
        });
    } else {
        ui.weak("Phone, email and address are kept only with consent.");
    }
}

/// Save, Revert and Forget, and the question asked when another page was opened over unsaved
/// changes (`pending`).
/// The records merged with this person's, each with "Separate again" to undo the merge.
fn merged_with(ui: &mut Ui, lookup: &Lookup, id: Id, cmds: &mut Vec<Command>) {
    let others = same_person(&lookup.person_links, id);
    for other in others.into_iter().skip(1) {
        // Only a pair merged directly can be separated here; one merged through a third
        // record is separated on that record's page.
        let direct = lookup
            .person_links
            .iter()
            .any(|l| l.same && (l.a, l.b) == (id.min(other), id.max(other)));
        ui.horizontal(|ui| {
            ui.label(format!("Merged with {}", written_by(lookup, other)));
            if direct && ui.button("Separate again").clicked() {
                cmds.push(Command::SeparatePeople(id, other));
            }
        });
    }
}

fn page_buttons(
    ui: &mut Ui,
    lookup: &Lookup,
    draft: &Person,
    id: Id,
    pending: Option<&Person>,
    cmds: &mut Vec<Command>,
) -> PageAsked {
    let mut asked = PageAsked::default();
    ui.horizontal(|ui| {
        if ui.button("Save person").clicked() {
            cmds.push(Command::SavePerson(Box::new(draft.clone())));
        }
        asked.revert = ui.button("Revert").clicked();
        if lookup.person(id).is_some() && ui.button("Forget this person...").clicked() {
            cmds.push(Command::AskForget(id));
        }
        if let Some(next) = pending {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "Unsaved changes here. Leave them to open {}?",
                    if next.name.is_empty() {
                        "a new person"
                    } else {
                        next.name.as_str()
                    }
                ),
            );
            if ui.button("Discard changes").clicked() {
                asked.discard_for = Some(next.clone());
            }
            if ui.button("Keep editing").clicked() {
                asked.keep_editing = true;
            }
        }
    });
    asked
}

/// The problems the person's contacts are linked to, open ones first.
fn problem_links(ui: &mut Ui, problems: &[Problem], lookup: &Lookup, cmds: &mut Vec<Command>) {
    if problems.is_empty() {
        return;
    }
    ui.label(RichText::new(format!("Problems they raised ({})", problems.len())).strong());
    for p in problems {
        ui.horizontal_wrapped(|ui| {
            if ui.link(&p.title).clicked() {
                cmds.push(Command::OpenProblem(p.meta.id));
            }
            ui.label(format!(
                "{} · {}",
                p.stage.label(),
                lookup.hood_name(p.neighborhood)
            ));
        });
    }
    ui.add_space(6.0);
}

/// The last contact, the open promises, and every contact and promise with the person.
fn timeline_list(ui: &mut Ui, items: &[TimelineItem], lookup: &Lookup, cmds: &mut Vec<Command>) {
    let last = items.iter().find_map(|i| match i {
        TimelineItem::Contact(c) => Some(c.at),
        TimelineItem::FollowUp(_) => None,
    });
    ui.label(format!(
        "Last contact: {}",
        last.map(short_time).unwrap_or_else(|| "never".into())
    ));
    let open: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            TimelineItem::FollowUp(f) if f.status.is_open() => Some(f),
            _ => None,
        })
        .collect();
    ui.label(RichText::new(format!("Open promises ({})", open.len())).strong());
    for f in open {
        follow_up_line(ui, f, lookup, cmds);
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Timeline").strong());
    if items.is_empty() {
        ui.weak("No contacts yet.");
    }
    for item in items {
        match item {
            TimelineItem::Contact(c) => contact_line(ui, c, lookup, cmds),
            TimelineItem::FollowUp(f) => follow_up_line(ui, f, lookup, cmds),
        }
    }
}
