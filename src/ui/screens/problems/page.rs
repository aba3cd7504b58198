//! One problem's page: what it is and where, its stage and the move to the next, each SARA
//! stage with its notes (the contacts that show it, the action plan with partner agencies, the
//! evidence for the assessment), the sentences marked for the public report, the timeline of
//! everything linked to it and its edit history.

use std::sync::Arc;

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::draft::{sentences, ProblemDraft};
use crate::model::{
    purpose_warning, ActionOwner, ActionStatus, Contact, Id, Outcome, Problem, Revision, Stage,
};
use crate::query::problems::{
    assessment_evidence, scanning_candidates, stage_changes, Evidence, StageChange,
};
use crate::store::Store;
use crate::ui::command::Command;
use crate::ui::lookup::Lookup;
use crate::ui::screens::{contact_line, date_field, short_time, Cached, ScreenCtx};
use crate::ui::widgets::{labelled_multiline, labelled_text};

/// Said where counts wait for the contact index (built beside the UI after unlocking).
const INDEXING: &str = "Counting the log's contacts: shown in a moment, once its index is ready.";

/// How many of the contacts that may show a problem are offered at once.
const OFFERED: usize = 25;

/// What the page reads from the log about its problem, beside the record itself.
pub struct PageData {
    linked: Vec<Arc<Contact>>,
    /// Contacts in the neighborhood with the problem's topics: how many, and the newest.
    offered: (usize, Vec<Arc<Contact>>),
    stages: Vec<StageChange>,
    history: Vec<Revision>,
    evidence: Evidence,
    /// The counts and the contacts offered wait for the contact index: without it they would
    /// walk the whole log on the UI's thread.
    counted: bool,
}

/// The page's reading, until the log, the problem, its neighborhood, topics or linked
/// contacts change, or the contact index is ready.
pub type PageCache = Cached<(u64, Id, Id, Vec<Id>, Vec<Id>, bool), Result<PageData, String>>;

/// Reads the page's data: history and evidence of the record as saved (`saved`), the contacts
/// linked and offered as the page has them now (`typed`).
fn read_page(
    store: &Store,
    saved: &Problem,
    typed: &Problem,
    today: NaiveDate,
) -> crate::store::StoreResult<PageData> {
    let mut linked = Vec::new();
    for id in &typed.contacts {
        if let Some(c) = store.get::<Contact>(*id)? {
            if !c.meta.deleted {
                linked.push(Arc::new(c));
            }
        }
    }
    linked.sort_by_key(|c| std::cmp::Reverse(c.at));
    let mut history = store.history::<Problem>(saved.meta.id)?;
    history.sort_by_key(|r| std::cmp::Reverse(r.revision));
    let counted = store.has_contact_index();
    let (offered, evidence) = if counted {
        (
            scanning_candidates(store, typed, OFFERED)?,
            assessment_evidence(store, saved, today)?,
        )
    } else {
        (
            (0, Vec::new()),
            Evidence {
                response_began: None,
                weeks: 0,
                topics: Vec::new(),
                words_since: Vec::new(),
            },
        )
    };
    Ok(PageData {
        linked,
        offered,
        stages: stage_changes(store, saved)?,
        history,
        evidence,
        counted,
    })
}

pub fn show(
    ui: &mut Ui,
    cx: &ScreenCtx,
    draft: &mut ProblemDraft,
    cache: &mut PageCache,
    cmds: &mut Vec<Command>,
) {
    let lookup = cx.lookup;
    let saved = draft.saved.clone().unwrap_or_else(|| draft.problem.clone());
    let counted = cx.store.query(Store::has_contact_index);
    let key = (
        cx.generation,
        draft.id(),
        draft.problem.neighborhood,
        draft.problem.topics.clone(),
        draft.problem.contacts.clone(),
        counted,
    );
    let data = cache.get(key, || {
        cx.store
            .query(|s| read_page(s, &saved, &draft.problem, cx.today))
            .map_err(|e| e.to_string())
    });
    if !counted {
        // Read again once the index is ready.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(500));
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        header(ui, cx, draft, cmds);
        let data = match data {
            Ok(d) => d,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
        };
        ui.add_space(6.0);
        stage_section(ui, draft, Stage::Scanning, |ui, draft| {
            scanning(ui, lookup, draft, data, cmds)
        });
        stage_section(ui, draft, Stage::Analysis, analysis);
        stage_section(ui, draft, Stage::Response, |ui, draft| {
            response(ui, lookup, cx.today, draft)
        });
        stage_section(ui, draft, Stage::Assessment, |ui, draft| {
            assessment(ui, lookup, draft, &data.evidence, data.counted, cmds)
        });
        egui::CollapsingHeader::new("For the public: \"You said, we did\"")
            .id_salt(("public", draft.id()))
            .show(ui, |ui| publication(ui, draft));
        egui::CollapsingHeader::new("Timeline")
            .id_salt(("timeline", draft.id()))
            .show(ui, |ui| timeline(ui, lookup, &draft.problem, data, cmds));
        egui::CollapsingHeader::new(format!("Edit history ({})", data.history.len() + 1))
            .id_salt(("history", draft.id()))
            .show(ui, |ui| history(ui, lookup, &saved, &data.history));
    });
}

/// Title, stage, where and whose, and the buttons that save or move it on.
fn header(ui: &mut Ui, cx: &ScreenCtx, draft: &mut ProblemDraft, cmds: &mut Vec<Command>) {
    let (lookup, today) = (cx.lookup, cx.today);
    labelled_text(
        ui,
        "Problem",
        &mut draft.problem.title,
        "a short name: \"Dark alley behind the bakery\"",
    );
    stage_bar(
        ui,
        draft.saved.as_ref().map_or(Stage::Scanning, |p| p.stage),
    );
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Neighborhood");
        egui::ComboBox::from_id_salt(("problem_hood", draft.id()))
            .selected_text(lookup.hood_name(draft.problem.neighborhood))
            .show_ui(ui, |ui| {
                for n in &lookup.neighborhoods {
                    ui.selectable_value(&mut draft.problem.neighborhood, n.meta.id, &n.name);
                }
            })
            .response
            .labelled_by(l.id);
        let id = draft.id();
        officer_choice(ui, lookup, "Led by", &mut draft.problem.owner, id);
        date_field(
            ui,
            "Noticed",
            &mut draft.noticed,
            today,
            &format!("noticed{id}"),
        );
    });
    labelled_text(
        ui,
        "Places",
        &mut draft.places,
        "where it happens, separated by commas: \"alley behind 12 Main St\"",
    );
    topics(ui, lookup, draft);
    if let Some(e) = &draft.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    ui.horizontal_wrapped(|ui| {
        let dirty = draft.is_dirty();
        let save = if draft.saved.is_none() {
            "Save problem"
        } else {
            "Save changes"
        };
        if ui.add_enabled(dirty, egui::Button::new(save)).clicked() {
            push_save(draft, draft.to_problem(), cmds);
        }
        if draft.saved.is_some()
            && ui
                .add_enabled(dirty, egui::Button::new("Undo changes"))
                .on_hover_text(
                    "Drop the changes on this page and show the problem as the log holds it now",
                )
                .clicked()
        {
            // As the log holds it now, which may have changed since the page was opened.
            let id = draft.problem.meta.id;
            let now = cx.store.get::<Problem>(id).ok().flatten();
            if let Some(saved) = now.filter(|p| !p.meta.deleted).or(draft.saved.clone()) {
                *draft = ProblemDraft::new(saved, true);
            }
        }
        if dirty && draft.saved.is_some() {
            ui.weak("Changes not saved yet.");
        }
        ui.separator();
        stage_moves(ui, draft, cmds);
    });
}

/// The stage reached, among all five.
fn stage_bar(ui: &mut Ui, current: Stage) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Stage:");
        for (i, s) in Stage::ALL.into_iter().enumerate() {
            if i > 0 {
                ui.weak(">");
            }
            if s == current {
                ui.label(RichText::new(s.label()).strong().underline());
            } else {
                ui.weak(s.label());
            }
        }
    });
}

/// The buttons that move the problem to its next stage (saving what was typed with it).
fn stage_moves(ui: &mut Ui, draft: &mut ProblemDraft, cmds: &mut Vec<Command>) {
    let Some(saved) = draft.saved.as_ref().map(|p| p.stage) else {
        return;
    };
    match saved {
        Stage::Scanning | Stage::Analysis | Stage::Response => {
            let next = Stage::ALL[saved as usize + 1];
            if ui.button(format!("Move to {}", next.label())).clicked() {
                push_save(draft, draft.moved_to(next), cmds);
            }
        }
        Stage::Assessment => {
            let l = ui.label("Outcome");
            egui::ComboBox::from_id_salt(("outcome", draft.id()))
                .selected_text(draft.outcome.map_or("Choose...", |o| o.label()))
                .show_ui(ui, |ui| {
                    for o in Outcome::ALL {
                        ui.selectable_value(&mut draft.outcome, Some(o), o.label());
                    }
                })
                .response
                .labelled_by(l.id);
            if ui.button("Close the problem").clicked() {
                push_save(draft, draft.moved_to(Stage::Closed), cmds);
            }
            if ui
                .button("Back to analysis")
                .on_hover_text("It is not solved: look again at when, where and why it happens")
                .clicked()
            {
                push_save(draft, draft.moved_to(Stage::Analysis), cmds);
            }
        }
        Stage::Closed => {
            if let Some(o) = draft.saved.as_ref().and_then(|p| p.outcome) {
                ui.label(format!("Closed: {}", o.label()));
            }
            if ui.button("Reopen (back to analysis)").clicked() {
                push_save(draft, draft.moved_to(Stage::Analysis), cmds);
            }
        }
    }
}

/// A labelled one-line field sized for a name or a number, so two fit on a row.
fn short_field(ui: &mut Ui, label: &str, text: &mut String, hint: &str) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(220.0),
        )
        .labelled_by(l.id);
    });
}

/// Asks for `problem` to be saved, or says on the page what is wrong with a typed date.
fn push_save(draft: &mut ProblemDraft, problem: Result<Problem, String>, cmds: &mut Vec<Command>) {
    match problem {
        Ok(p) => {
            draft.error = None;
            cmds.push(Command::SaveProblem(Box::new(p)));
        }
        Err(e) => draft.error = Some(e),
    }
}

fn officer_choice(ui: &mut Ui, lookup: &Lookup, label: &str, officer: &mut Id, salt: Id) {
    let mut officers: Vec<(Id, String)> = lookup
        .officers
        .values()
        .map(|o| (o.meta.id, o.name.clone()))
        .collect();
    officers.sort_by(|a, b| a.1.cmp(&b.1));
    let l = ui.label(label);
    egui::ComboBox::from_id_salt((label, salt))
        .selected_text(lookup.officer_name(*officer))
        .show_ui(ui, |ui| {
            for (id, name) in officers {
                ui.selectable_value(officer, id, name);
            }
        })
        .response
        .labelled_by(l.id);
}

/// The problem's topics as chips, and a list to add one.
fn topics(ui: &mut Ui, lookup: &Lookup, draft: &mut ProblemDraft) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Topics:");
        let mut remove = None;
        for (i, t) in draft.problem.topics.iter().enumerate() {
            let name = lookup.tag_name(*t);
            if ui
                .button(format!("{name} ×"))
                .on_hover_text(format!("Take \"{name}\" off this problem"))
                .clicked()
            {
                remove = Some(i);
            }
        }
        if let Some(i) = remove {
            draft.problem.topics.remove(i);
        }
        let mut add = None;
        let l = ui.label("Add a topic");
        egui::ComboBox::from_id_salt(("add_topic", draft.id()))
            .selected_text("choose...")
            .show_ui(ui, |ui| {
                for t in &lookup.tags {
                    if !draft.problem.topics.contains(&t.meta.id)
                        && ui.selectable_label(false, &t.name).clicked()
                    {
                        add = Some(t.meta.id);
                    }
                }
            })
            .response
            .labelled_by(l.id);
        if let Some(t) = add {
            draft.problem.topics.push(t);
        }
    });
}

/// One stage's part of the page, open when it is the stage the problem is at.
fn stage_section(
    ui: &mut Ui,
    draft: &mut ProblemDraft,
    stage: Stage,
    body: impl FnOnce(&mut Ui, &mut ProblemDraft),
) {
    let current = draft.saved.as_ref().map_or(Stage::Scanning, |p| p.stage);
    let at = current == stage || (current == Stage::Closed && stage == Stage::Assessment);
    let title = if at {
        format!("{} (the stage it is at)", stage.label())
    } else {
        stage.label().to_string()
    };
    egui::CollapsingHeader::new(RichText::new(title).strong())
        // Keyed by the stage reached too: a move opens the new stage's part of the page.
        .id_salt((stage.label(), draft.id(), current))
        .default_open(at)
        .show(ui, |ui| body(ui, draft));
}

/// Notes with the gentle purpose warning under them when they read like intelligence.
fn notes(ui: &mut Ui, label: &str, text: &mut String) {
    labelled_multiline(ui, label, text, 3);
    if let Some(w) = purpose_warning(text) {
        ui.colored_label(ui.visuals().warn_fg_color, w);
    }
}

fn scanning(
    ui: &mut Ui,
    lookup: &Lookup,
    draft: &mut ProblemDraft,
    data: &PageData,
    cmds: &mut Vec<Command>,
) {
    notes(
        ui,
        "Scanning notes: who raised it, how often, at which meetings",
        &mut draft.problem.notes.scanning,
    );
    ui.label(RichText::new(format!("Linked contacts ({})", data.linked.len())).strong());
    let mut unlink = None;
    for c in &data.linked {
        ui.horizontal(|ui| {
            if ui
                .button("Unlink")
                .on_hover_text("This contact does not show the problem")
                .clicked()
            {
                unlink = Some(c.meta.id);
            }
            contact_line(ui, c, lookup, cmds);
        });
    }
    if let Some(id) = unlink {
        draft.problem.contacts.retain(|c| *c != id);
    }
    ui.add_space(4.0);
    let (total, offered) = &data.offered;
    let offered: Vec<&Arc<Contact>> = offered
        .iter()
        .filter(|c| !draft.problem.contacts.contains(&c.meta.id))
        .collect();
    if draft.problem.topics.is_empty() {
        ui.weak("Add the problem's topics to see the contacts that raised them here.");
        return;
    }
    if !data.counted {
        ui.weak(INDEXING);
        return;
    }
    ui.label(
        RichText::new(format!(
            "Contacts in {} about {} ({total}, newest first)",
            lookup.hood_name(draft.problem.neighborhood),
            lookup.tags_text(&draft.problem.topics)
        ))
        .strong(),
    );
    if offered.is_empty() {
        ui.weak("None not linked yet.");
    }
    let mut link = None;
    for c in offered {
        ui.horizontal(|ui| {
            if ui
                .button("Link")
                .on_hover_text("This contact shows the problem")
                .clicked()
            {
                link = Some(c.meta.id);
            }
            contact_line(ui, c, lookup, cmds);
        });
    }
    if let Some(id) = link {
        draft.problem.contacts.push(id);
    }
}

fn analysis(ui: &mut Ui, draft: &mut ProblemDraft) {
    ui.weak(
        "When and where it happens, what conditions allow it (lighting, an empty lot, a bus \
         stop), who is affected and who can help. About places and conditions, not suspects.",
    );
    notes(ui, "Analysis notes", &mut draft.problem.notes.analysis);
}

fn response(ui: &mut Ui, lookup: &Lookup, today: NaiveDate, draft: &mut ProblemDraft) {
    notes(
        ui,
        "Response notes: the plan as a whole",
        &mut draft.problem.notes.response,
    );
    ui.label(RichText::new(format!("Action plan ({})", draft.problem.actions.len())).strong());
    let mut remove = None;
    let me = draft.problem.owner;
    for i in 0..draft.problem.actions.len() {
        let id = draft.id();
        ui.push_id(("action", i), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                // The frame's margins come out of the row: its fields stop short of the edge.
                ui.set_max_width(ui.available_width() - 16.0);
                if action(ui, lookup, today, draft, i, id) {
                    remove = Some(i);
                }
            });
        });
    }
    if let Some(i) = remove {
        draft.remove_action(i);
    }
    if ui.button("Add an action").clicked() {
        draft.add_action(me);
    }
}

/// One action's fields; true when "Remove" was clicked.
fn action(
    ui: &mut Ui,
    lookup: &Lookup,
    today: NaiveDate,
    draft: &mut ProblemDraft,
    i: usize,
    id: Id,
) -> bool {
    let n = i + 1;
    let mut removed = false;
    let (Some(a), Some(dates)) = (draft.problem.actions.get_mut(i), draft.dates.get_mut(i)) else {
        return false;
    };
    labelled_text(
        ui,
        &format!("Action {n}: what"),
        &mut a.what,
        "\"Ask public works to replace the two alley lamps\"",
    );
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(format!("Action {n}: status"));
        egui::ComboBox::from_id_salt(("status", id, i))
            .selected_text(a.status.label())
            .show_ui(ui, |ui| {
                for s in ActionStatus::ALL {
                    ui.selectable_value(&mut a.status, s, s.label());
                }
            })
            .response
            .labelled_by(l.id);
        date_field(
            ui,
            &format!("Action {n}: due"),
            &mut dates.due,
            today,
            &format!("due{id}-{i}"),
        );
        if ui.button(format!("Remove action {n}")).clicked() {
            removed = true;
        }
    });
    ui.horizontal_wrapped(|ui| {
        let partner = matches!(a.owner, Some(ActionOwner::Partner { .. }));
        ui.label(format!("Action {n} is for:"));
        if ui.radio(!partner, "An officer").clicked() && partner {
            a.owner = Some(ActionOwner::Officer {
                officer: draft.problem.owner,
            });
        }
        if ui.radio(partner, "A partner agency").clicked() && !partner {
            a.owner = Some(ActionOwner::Partner {
                agency: String::new(),
                reference: String::new(),
                sent: None,
                chase: None,
            });
        }
    });
    match &mut a.owner {
        Some(ActionOwner::Officer { officer }) => {
            ui.horizontal(|ui| {
                officer_choice(ui, lookup, &format!("Action {n}: officer"), officer, id)
            });
        }
        Some(ActionOwner::Partner {
            agency, reference, ..
        }) => {
            ui.horizontal_wrapped(|ui| {
                short_field(
                    ui,
                    &format!("Action {n}: agency"),
                    agency,
                    "\"Public works\"",
                );
                short_field(
                    ui,
                    &format!("Action {n}: their reference"),
                    reference,
                    "work order or ticket",
                );
            });
            ui.horizontal_wrapped(|ui| {
                date_field(
                    ui,
                    &format!("Action {n}: sent"),
                    &mut dates.sent,
                    today,
                    &format!("sent{id}-{i}"),
                );
                date_field(
                    ui,
                    &format!("Action {n}: chase on"),
                    &mut dates.chase,
                    today,
                    &format!("chase{id}-{i}"),
                );
            });
        }
        None => {}
    }
    removed
}

fn assessment(
    ui: &mut Ui,
    lookup: &Lookup,
    draft: &mut ProblemDraft,
    evidence: &Evidence,
    counted: bool,
    cmds: &mut Vec<Command>,
) {
    match evidence.response_began {
        None if !counted => {
            ui.weak(INDEXING);
        }
        None => {
            ui.weak("The evidence is offered once the response has begun.");
        }
        Some(began) => {
            ui.label(format!(
                "The response began on {began}. How often its topics were raised in {} in the \
                 {} before and the {} since:",
                lookup.hood_name(draft.problem.neighborhood),
                weeks(evidence.weeks),
                weeks(evidence.weeks)
            ));
            if evidence.topics.is_empty() {
                ui.weak("The problem has no topics to count.");
            }
            egui::Grid::new(("evidence", draft.id()))
                .striped(true)
                .show(ui, |ui| {
                    if evidence.topics.is_empty() {
                        return;
                    }
                    ui.strong("Topic");
                    ui.strong("Before");
                    ui.strong("Since");
                    ui.end_row();
                    for t in &evidence.topics {
                        ui.label(lookup.tag_name(t.topic));
                        ui.label(t.before.to_string());
                        ui.label(t.since.to_string());
                        ui.end_row();
                    }
                });
            ui.add_space(4.0);
            ui.label(
                RichText::new(format!(
                    "What residents said since, in linked contacts ({})",
                    evidence.words_since.len()
                ))
                .strong(),
            );
            if evidence.words_since.is_empty() {
                ui.weak("No contact linked since the response began: link the ones that tell.");
            }
            for c in &evidence.words_since {
                ui.horizontal_wrapped(|ui| {
                    if ui.link(short_time(c.at)).clicked() {
                        cmds.push(Command::EditContact(c.meta.id));
                    }
                    ui.label(format!("{}: {}", lookup.who(c), c.note));
                });
            }
        }
    }
    notes(
        ui,
        "Assessment notes: what changed",
        &mut draft.problem.notes.assessment,
    );
}

fn weeks(n: i64) -> String {
    if n == 1 {
        "week".to_string()
    } else {
        format!("{n} weeks")
    }
}

/// The sentences of the notes, each to be marked for the public report or not.
fn publication(ui: &mut Ui, draft: &mut ProblemDraft) {
    ui.weak(
        "\"You said, we did\" prints no note unless you mark its sentences here. Mark only what \
         you would say at a public meeting: no names, addresses or details of anyone.",
    );
    let notes = &draft.problem.notes;
    let mut all: Vec<String> = [
        &notes.scanning,
        &notes.analysis,
        &notes.response,
        &notes.assessment,
    ]
    .into_iter()
    .flat_map(|t| sentences(t))
    .collect();
    // Marked sentences since edited away stay listed, so they can be unmarked.
    for p in &draft.problem.published {
        if !all.contains(p) {
            all.push(p.clone());
        }
    }
    if all.is_empty() {
        ui.weak("The notes have no sentences yet.");
    }
    for (i, s) in all.iter().enumerate() {
        let mut marked = draft.problem.published.contains(s);
        ui.push_id(("publish", i), |ui| {
            if ui.checkbox(&mut marked, s.as_str()).changed() {
                if marked {
                    draft.problem.published.push(s.clone());
                } else {
                    draft.problem.published.retain(|p| p != s);
                }
            }
        });
    }
}

/// Everything linked to the problem, by date: when it was noticed, its stage moves, the
/// contacts linked, the actions' dates.
fn timeline(
    ui: &mut Ui,
    lookup: &Lookup,
    problem: &Problem,
    data: &PageData,
    cmds: &mut Vec<Command>,
) {
    enum Item<'a> {
        Text(String),
        Contact(&'a Contact),
    }
    let mut items: Vec<(NaiveDate, Item)> =
        vec![(problem.noticed, Item::Text("Noticed".to_string()))];
    for c in &data.stages {
        let who = lookup.officer_name(c.by);
        let text = match c.from {
            None => format!("Started at {} by {who}", c.to.label()),
            Some(from) => format!("{} to {} by {who}", from.label(), c.to.label()),
        };
        items.push((
            c.at.with_timezone(&chrono::Local).date_naive(),
            Item::Text(text),
        ));
    }
    for c in &data.linked {
        items.push((
            c.at.with_timezone(&chrono::Local).date_naive(),
            Item::Contact(c),
        ));
    }
    for a in &problem.actions {
        if let Some(ActionOwner::Partner {
            agency,
            reference,
            sent,
            chase,
        }) = &a.owner
        {
            let reference = if reference.is_empty() {
                String::new()
            } else {
                format!(" (ref {reference})")
            };
            if let Some(sent) = sent {
                items.push((
                    *sent,
                    Item::Text(format!("Sent to {agency}{reference}: {}", a.what)),
                ));
            }
            if let Some(chase) = chase {
                items.push((
                    *chase,
                    Item::Text(format!("Chase {agency}{reference}: {}", a.what)),
                ));
            }
        }
        if let Some(due) = a.due {
            items.push((
                due,
                Item::Text(format!("Due: {} ({})", a.what, a.status.label())),
            ));
        }
    }
    items.sort_by_key(|(d, _)| *d);
    for (date, item) in items {
        ui.horizontal(|ui| {
            ui.label(RichText::new(date.to_string()).monospace());
            match item {
                Item::Text(t) => {
                    ui.label(t);
                }
                Item::Contact(c) => contact_line(ui, c, lookup, cmds),
            }
        });
    }
}

/// Who changed what, newest first, down to who started it.
fn history(ui: &mut Ui, lookup: &Lookup, problem: &Problem, revisions: &[Revision]) {
    let line = |ui: &mut Ui, at: chrono::DateTime<chrono::Utc>, who: Id, what: String| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(short_time(at)).monospace());
            ui.label(format!("{}: {what}", lookup.officer_name(who)));
        });
    };
    for r in revisions {
        let what = if r.changed.is_empty() {
            "saved it again".to_string()
        } else {
            format!("changed {}", r.changed.join(", "))
        };
        line(ui, r.changed_at, r.changed_by, what);
    }
    line(
        ui,
        problem.meta.created_at,
        problem.meta.created_by.unwrap_or(problem.meta.author),
        "started it".to_string(),
    );
}
