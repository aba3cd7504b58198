//! The Problems screen: the squad's community problems by stage on the left, one problem's
//! page (its SARA stages, action plan, evidence, timeline and history) beside it. Pages being
//! edited are kept per problem ([`draft`]), so nothing typed is lost moving between them.

mod draft;
mod page;

use std::collections::{hash_map::Entry, HashMap};

use egui::{RichText, Ui};

pub use draft::{sentences, ActionDates, ProblemDraft};

use super::Cached;
use crate::model::{Id, Problem, Stage};
use crate::query::problems::{problems, ProblemFilter};
use crate::ui::command::{Command, ProblemSeed};
use crate::ui::lookup::Lookup;
use crate::ui::screens::ScreenCtx;

#[derive(Default)]
pub struct ProblemsState {
    /// The neighborhood listed; all of them when `None`.
    pub neighborhood: Option<Id>,
    /// Closed problems are listed too.
    pub show_closed: bool,
    /// The problem whose page is open.
    pub selected: Option<Id>,
    /// Pages being edited, by problem: a new problem's is here before it is first saved.
    pub drafts: HashMap<Id, ProblemDraft>,
    list: Cached<(u64, Option<Id>), Result<Vec<Problem>, String>>,
    page: page::PageCache,
    /// The log's generation the drafts were last compared with (see [`follow_the_log`]).
    seen: Option<u64>,
}

impl ProblemsState {
    /// Opens a page for a problem not saved yet.
    pub fn start(&mut self, problem: Problem) {
        let id = problem.meta.id;
        self.drafts.insert(id, ProblemDraft::new(problem, false));
        self.selected = Some(id);
    }

    /// Opens a saved problem's page (an edit under way is kept).
    pub fn open(&mut self, id: Id) {
        self.selected = Some(id);
    }

    /// The log took the page's record: the page now shows what was saved.
    pub fn saved(&mut self, problem: Problem) {
        let id = problem.meta.id;
        self.drafts.insert(id, ProblemDraft::new(problem, true));
        self.selected = Some(id);
    }

    /// The log refused the page's record: say why on the page, keep what was typed.
    pub fn refused(&mut self, id: Id, why: String) {
        if let Some(d) = self.drafts.get_mut(&id) {
            d.error = Some(why);
        }
    }

    /// Forgets the pages read from the log (locking): typed changes stay.
    pub fn forget_read(&mut self) {
        self.drafts.retain(|_, d| d.is_dirty());
        self.list = Cached::default();
        self.page = page::PageCache::default();
    }
}

/// Said on a page whose problem changed in the log under an edit.
pub const CHANGED_ELSEWHERE: &str = "This problem was changed elsewhere since you began editing \
     it (by a sync, an import or a person forgotten). Your changes are kept on this page but \
     cannot be saved over it: note what you need, then press \"Undo changes\" to see it as it \
     is now.";

/// After the log changed (a save, a sync, an import, a person forgotten): pages without edits
/// show the problem as it is now, and a page with edits whose problem changed under it says so
/// (its save would be refused, see `actions::problems`).
fn follow_the_log(cx: &ScreenCtx, state: &mut ProblemsState) {
    if state.seen == Some(cx.generation) {
        return;
    }
    state.seen = Some(cx.generation);
    state.drafts.retain(|&id, draft| {
        let Some(base) = &draft.saved else {
            return true; // not saved yet: nothing in the log to follow
        };
        let now = cx.store.get::<Problem>(id).ok().flatten();
        if now.as_ref() == Some(base) {
            return true;
        }
        if !draft.is_dirty() {
            return false; // read again from the log when shown
        }
        draft.error = Some(CHANGED_ELSEWHERE.into());
        true
    });
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut ProblemsState, cmds: &mut Vec<Command>) {
    follow_the_log(cx, state);
    let lookup = cx.lookup;
    let hood = state.neighborhood.map(|h| lookup.names.canonical(h));
    let listed = state
        .list
        .get((cx.generation, hood), || {
            cx.store
                .query(|s| {
                    let filter = ProblemFilter {
                        neighborhoods: hood.map(|h| lookup.names.aliases_of(h)).unwrap_or_default(),
                        stage: None,
                    };
                    problems(s, &filter)
                })
                .map_err(|e| e.to_string())
        })
        .clone();
    egui::Panel::left("problem_list")
        .default_size(300.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                problem_list(ui, cx, state, listed.as_deref(), cmds);
            });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(id) = state.selected else {
            ui.heading("Problems");
            ui.label(
                "A problem is a condition residents keep raising. Work on it with them and \
                 partners through the four SARA stages: Scanning, Analysis, Response, Assessment.",
            );
            ui.weak("Choose a problem on the left, or start one with \"New problem\".");
            return;
        };
        if let Entry::Vacant(slot) = state.drafts.entry(id) {
            match cx.store.get::<Problem>(id) {
                Ok(Some(p)) if !p.meta.deleted => {
                    slot.insert(ProblemDraft::new(p, true));
                }
                Ok(_) => {
                    ui.weak("This problem is no longer in the log.");
                    return;
                }
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    return;
                }
            }
        }
        if let Some(draft) = state.drafts.get_mut(&id) {
            page::show(ui, cx, draft, &mut state.page, cmds);
        }
    });
}

/// The list on the left: a neighborhood to narrow it, then the problems by stage.
fn problem_list(
    ui: &mut Ui,
    cx: &ScreenCtx,
    state: &mut ProblemsState,
    listed: Result<&[Problem], &String>,
    cmds: &mut Vec<Command>,
) {
    let lookup = cx.lookup;
    ui.heading("Problems");
    if ui.button("New problem").clicked() {
        cmds.push(Command::NewProblem(Box::new(ProblemSeed {
            neighborhood: state.neighborhood,
            ..Default::default()
        })));
    }
    hood_filter(ui, lookup, &mut state.neighborhood);
    ui.checkbox(&mut state.show_closed, "Show closed problems");
    ui.separator();
    let listed = match listed {
        Ok(l) => l,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    // Unsaved new problems are listed first, so a page left half-written is found again.
    let unsaved: Vec<&ProblemDraft> = state
        .drafts
        .values()
        .filter(|d| d.saved.is_none())
        .collect();
    for d in unsaved {
        let title = if d.problem.title.trim().is_empty() {
            "New problem (not saved)".to_string()
        } else {
            format!("{} (not saved)", d.problem.title.trim())
        };
        if ui
            .selectable_label(state.selected == Some(d.id()), title)
            .clicked()
        {
            state.selected = Some(d.id());
        }
    }
    let mut any = false;
    for stage in Stage::ALL {
        if stage == Stage::Closed && !state.show_closed {
            continue;
        }
        let in_stage: Vec<&Problem> = listed.iter().filter(|p| p.stage == stage).collect();
        if in_stage.is_empty() {
            continue;
        }
        any = true;
        ui.add_space(4.0);
        ui.label(RichText::new(format!("{} ({})", stage.label(), in_stage.len())).strong());
        for p in in_stage {
            let mut line = format!("{} · {}", p.title, lookup.hood_name(p.neighborhood));
            if let Some(due) = p.next_due() {
                line.push_str(&format!(" · next due {due}"));
            }
            if state
                .drafts
                .get(&p.meta.id)
                .is_some_and(ProblemDraft::is_dirty)
            {
                line.push_str(" · changes not saved");
            }
            if ui
                .selectable_label(state.selected == Some(p.meta.id), line)
                .clicked()
            {
                cmds.push(Command::OpenProblem(p.meta.id));
            }
        }
    }
    if !any {
        ui.weak("No problems here yet.");
    }
}

/// A neighborhood to narrow the list to, or all of them.
fn hood_filter(ui: &mut Ui, lookup: &Lookup, hood: &mut Option<Id>) {
    ui.horizontal(|ui| {
        let l = ui.label("Neighborhood");
        let name = hood.map_or_else(|| "All".to_string(), |h| lookup.hood_name(h));
        egui::ComboBox::from_id_salt("problems_hood")
            .selected_text(name)
            .show_ui(ui, |ui| {
                ui.selectable_value(hood, None, "All");
                for n in &lookup.neighborhoods {
                    ui.selectable_value(hood, Some(n.meta.id), &n.name);
                }
            })
            .response
            .labelled_by(l.id);
    });
}
