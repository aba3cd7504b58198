//! Neighborhood pages: the priorities agreed with residents first, then the problems worked
//! on, the concerns raised most often lately (each can start a problem), the dated journal,
//! open promises, recent contacts and people, of every officer's record of the neighborhood's
//! name.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use egui::{RichText, Ui};

use super::{contact_line, date_field, follow_up_line, Cached};
use crate::model::{parse_date, why_not_a_date, Contact, ContactKind, Id, Meta, Priority, Problem};
use crate::query::problems::{priorities, problems, ProblemFilter};
use crate::query::{neighborhood_summary, search, LogFilter, NeighborhoodSummary};
use crate::store::{Store, StoreResult};
use crate::ui::command::{Command, ProblemSeed};
use crate::ui::lookup::Lookup;
use crate::ui::screens::ScreenCtx;
use crate::ui::widgets::{labelled_multiline, labelled_text};

/// How far back the meetings offered for a priority go.
const MEETINGS_OFFERED: usize = 12;

/// A priority being agreed or edited on a neighborhood's page, with its dates as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriorityDraft {
    /// The priority edited; `None` for a new one.
    pub editing: Option<Priority>,
    pub concern: String,
    pub from: String,
    pub to: String,
    pub meeting: Option<Id>,
    pub problems: Vec<Id>,
    pub error: Option<String>,
    /// What it held when it was opened, to tell whether anything was typed since.
    opened: Option<Box<PriorityDraft>>,
}

/// What a neighborhood's page reads about its problems: the priorities (current and to come),
/// its problems, and the meetings a priority may have been agreed at.
#[derive(Default)]
struct HoodWork {
    priorities: Vec<Priority>,
    problems: Vec<Problem>,
    meetings: Vec<Arc<Contact>>,
}

fn hood_work(store: &Store, hoods: &[Id], hood: Id, today: NaiveDate) -> StoreResult<HoodWork> {
    let mut priorities = priorities(store, hoods, None)?;
    priorities.retain(|p| p.to >= today);
    let meetings = search(
        store,
        &LogFilter {
            neighborhood: Some(hood),
            kind: Some(ContactKind::CommunityMeeting),
            ..Default::default()
        },
        MEETINGS_OFFERED,
    )?
    .contacts;
    Ok(HoodWork {
        priorities,
        problems: problems(
            store,
            &ProblemFilter {
                neighborhoods: hoods.to_vec(),
                stage: None,
            },
        )?,
        meetings,
    })
}

/// How far back "concerns raised lately" looks.
pub const CONCERN_DAYS: i64 = 90;

#[derive(Default)]
pub struct HoodState {
    pub selected: Option<Id>,
    /// Journal notes being typed, one per neighborhood, so switching pages loses nothing.
    pub drafts: std::collections::HashMap<Id, String>,
    pub new_name: String,
    /// Priorities being agreed or edited, one per neighborhood.
    pub priority_drafts: HashMap<Id, PriorityDraft>,
    summary: Cached<(u64, Id), Result<NeighborhoodSummary, String>>,
    work: Cached<(u64, Id), Result<HoodWork, String>>,
}

impl HoodState {
    /// The log took the priority typed for `hood`: its editor closes.
    pub fn priority_saved(&mut self, hood: Id) {
        self.priority_drafts.remove(&hood);
    }

    /// The log refused it: say why beside it, keep what was typed.
    pub fn priority_refused(&mut self, hood: Id, why: String) {
        if let Some(d) = self.priority_drafts.get_mut(&hood) {
            d.error = Some(why);
        }
    }
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut HoodState, cmds: &mut Vec<Command>) {
    let lookup = cx.lookup;
    if state.selected.is_none() {
        state.selected = lookup
            .profile
            .as_ref()
            .and_then(|p| p.last_neighborhood)
            .or_else(|| lookup.neighborhoods.first().map(|n| n.meta.id));
    }
    // One page per name: any record of the squad's "Riverside" opens the one page, which
    // shows the history of all of them (see `query::names`).
    state.selected = state.selected.map(|h| lookup.names.canonical(h));
    egui::Panel::left("hood_list")
        .default_size(220.0)
        .show(ui, |ui| hood_list(ui, lookup, state, cmds));
    let Some(hood) = state.selected else {
        return;
    };
    egui::CentralPanel::default().show(ui, |ui| {
        let summary = state.summary.get((cx.generation, hood), || {
            cx.store
                .query(|s| neighborhood_summary(s, hood, cx.now, CONCERN_DAYS, 10))
                .map_err(|e| e.to_string())
        });
        let s = match summary {
            Ok(s) => s,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
        };
        let work = state.work.get((cx.generation, hood), || {
            cx.store
                .query(|st| hood_work(st, &lookup.names.aliases_of(hood), hood, cx.today))
                .map_err(|e| e.to_string())
        });
        let draft = state.drafts.entry(hood).or_default();
        let priority = state.priority_drafts.get_mut(&hood);
        let mut open_priority = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            hood_header(ui, lookup, hood, cx.today, cmds);
            match work {
                Ok(work) => {
                    open_priority = hood_priorities(ui, cx.today, hood, work, priority, cmds);
                    hood_problems(ui, lookup, hood, work, cmds);
                }
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            }
            hood_page(ui, lookup, hood, s, draft, cmds);
        });
        if let Some(p) = open_priority {
            match state.priority_drafts.get_mut(&hood) {
                // What was typed for one priority is never dropped to open another.
                Some(typed) if typed.is_touched() => {
                    typed.error = Some(
                        "Save or cancel the priority being typed before opening another.".into(),
                    );
                }
                _ => {
                    state.priority_drafts.insert(hood, p.opened());
                }
            }
        }
    });
}

/// The list of neighborhoods to open, and the field that adds one.
fn hood_list(ui: &mut Ui, lookup: &Lookup, state: &mut HoodState, cmds: &mut Vec<Command>) {
    ui.heading("Neighborhoods");
    for n in &lookup.neighborhoods {
        if ui
            .selectable_label(state.selected == Some(n.meta.id), &n.name)
            .clicked()
        {
            cmds.push(Command::OpenNeighborhood(n.meta.id));
        }
    }
    ui.separator();
    let l = ui.label("New neighborhood");
    let r = ui
        .add(egui::TextEdit::singleline(&mut state.new_name).hint_text("name"))
        .labelled_by(l.id);
    let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if (ui.button("Add neighborhood").clicked() || enter) && !state.new_name.trim().is_empty() {
        cmds.push(Command::AddNeighborhood(state.new_name.clone()));
    }
}

/// One neighborhood's page; `draft` is the journal note being typed for it.
fn hood_page(
    ui: &mut Ui,
    lookup: &Lookup,
    hood: Id,
    s: &NeighborhoodSummary,
    draft: &mut String,
    cmds: &mut Vec<Command>,
) {
    ui.add_space(6.0);
    ui.label(RichText::new(format!("Concerns raised in the last {CONCERN_DAYS} days")).strong());
    if s.top_concerns.is_empty() {
        ui.weak("No topics recorded lately.");
    } else {
        ui.weak("Click a concern to open a problem about it.");
        ui.horizontal_wrapped(|ui| {
            for (t, n) in s.top_concerns.iter().take(8) {
                let name = lookup.tag_name(*t);
                if ui
                    .link(format!("{name} ({n})"))
                    .on_hover_text(format!("Open a problem about {name} here"))
                    .clicked()
                {
                    cmds.push(Command::NewProblem(Box::new(ProblemSeed {
                        title: format!("{name} in {}", lookup.hood_name(hood)),
                        neighborhood: Some(hood),
                        topics: vec![*t],
                        ..Default::default()
                    })));
                }
            }
        });
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Journal").strong());
    labelled_multiline(ui, "New journal note", draft, 2);
    if ui.button("Add note").clicked() && !draft.trim().is_empty() {
        cmds.push(Command::AddJournalNote {
            neighborhood: hood,
            text: draft.trim().to_string(),
        });
    }
    for n in &s.journal {
        ui.label(format!(
            "{} · {}: {}",
            n.date,
            lookup.officer_name(n.meta.author),
            n.text
        ));
    }
    ui.add_space(6.0);
    ui.label(RichText::new(format!("Open follow-ups ({})", s.open_followups.len())).strong());
    for f in &s.open_followups {
        follow_up_line(ui, f, lookup, cmds);
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Recent contacts").strong());
    if s.recent_contacts.is_empty() {
        ui.weak("No contacts logged here yet.");
    }
    for c in &s.recent_contacts {
        contact_line(ui, c, lookup, cmds);
    }
    ui.add_space(6.0);
    ui.label(RichText::new(format!("People ({})", s.people.len())).strong());
    ui.horizontal_wrapped(|ui| {
        for p in &s.people {
            if ui.link(&p.name).clicked() {
                cmds.push(Command::OpenPerson(p.meta.id));
            }
        }
    });
}

/// The neighborhood's name and what can be printed for it.
fn hood_header(ui: &mut Ui, lookup: &Lookup, hood: Id, today: NaiveDate, cmds: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(lookup.hood_name(hood));
        // For an officer changing beat: the relationships, promises and notes in one packet.
        if ui.button("Handover packet (PDF)...").clicked() {
            cmds.push(Command::ExportHandover {
                neighborhood: hood,
                pdf: true,
            });
        }
        if ui.button("Handover packet (text)...").clicked() {
            cmds.push(Command::ExportHandover {
                neighborhood: hood,
                pdf: false,
            });
        }
        // For the next meeting: what residents raised and what came of it, with no names.
        if ui
            .button("You said, we did...")
            .on_hover_text("The public report for residents: shown before it is saved")
            .clicked()
        {
            cmds.push(Command::PreviewYouSaidWeDid {
                neighborhood: hood,
                from: today - Duration::days(CONCERN_DAYS),
                to: today,
            });
        }
    });
}

/// The priorities agreed with residents, with the editor to agree one. Returns a new editor to
/// open, when "Agree a priority" or "Edit" was clicked.
fn hood_priorities(
    ui: &mut Ui,
    today: NaiveDate,
    hood: Id,
    work: &HoodWork,
    draft: Option<&mut PriorityDraft>,
    cmds: &mut Vec<Command>,
) -> Option<PriorityDraft> {
    let mut open = None;
    ui.add_space(6.0);
    ui.label(
        RichText::new(format!(
            "Priorities agreed with residents ({})",
            work.priorities.len()
        ))
        .strong(),
    );
    if work.priorities.is_empty() {
        ui.weak("None agreed for now.");
    }
    for p in &work.priorities {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&p.concern).strong());
            let when = if p.from > today {
                format!("from {} to {}", p.from, p.to)
            } else {
                format!("until {}", p.to)
            };
            ui.label(when);
            if let Some(m) = p
                .meeting
                .and_then(|m| work.meetings.iter().find(|c| c.meta.id == m))
            {
                ui.weak(format!(
                    "agreed at the meeting of {}",
                    m.at.with_timezone(&chrono::Local).date_naive()
                ));
            }
            for id in &p.problems {
                if let Some(problem) = work.problems.iter().find(|x| x.meta.id == *id) {
                    if ui
                        .link(format!("{} ({})", problem.title, problem.stage.label()))
                        .clicked()
                    {
                        cmds.push(Command::OpenProblem(*id));
                    }
                }
            }
            if ui
                .button("Edit")
                .on_hover_text(format!("Change \"{}\"", p.concern))
                .clicked()
            {
                open = Some(PriorityDraft {
                    editing: Some(p.clone()),
                    concern: p.concern.clone(),
                    from: p.from.to_string(),
                    to: p.to.to_string(),
                    meeting: p.meeting,
                    problems: p.problems.clone(),
                    ..Default::default()
                });
            }
            if ui
                .button("Delete")
                .on_hover_text(format!("Delete \"{}\" (Undo brings it back)", p.concern))
                .clicked()
            {
                cmds.push(Command::DeletePriority(p.meta.id));
            }
        });
    }
    match draft {
        Some(d) => priority_editor(ui, today, hood, work, d, cmds),
        None => {
            if ui
                .button("Agree a priority...")
                .on_hover_text(
                    "A concern residents and you agreed to work on, usually at a meeting",
                )
                .clicked()
            {
                open = Some(PriorityDraft {
                    from: today.to_string(),
                    to: (today + Duration::days(90)).to_string(),
                    meeting: work.meetings.first().map(|m| m.meta.id),
                    ..Default::default()
                });
            }
        }
    }
    open
}

fn priority_editor(
    ui: &mut Ui,
    today: NaiveDate,
    hood: Id,
    work: &HoodWork,
    d: &mut PriorityDraft,
    cmds: &mut Vec<Command>,
) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        labelled_text(
            ui,
            "Concern",
            &mut d.concern,
            "in the residents' words: \"Speeding on Oak Ave at school times\"",
        );
        ui.horizontal_wrapped(|ui| {
            date_field(ui, "From", &mut d.from, today, "priority_from");
            date_field(ui, "To", &mut d.to, today, "priority_to");
        });
        let meeting_name =
            |id: Option<Id>| match id.and_then(|m| work.meetings.iter().find(|c| c.meta.id == m)) {
                Some(c) => format!(
                    "Meeting of {} ({})",
                    c.at.with_timezone(&chrono::Local).date_naive(),
                    c.place
                ),
                None => "Not at a meeting".to_string(),
            };
        ui.horizontal(|ui| {
            let l = ui.label("Agreed at");
            egui::ComboBox::from_id_salt("priority_meeting")
                .selected_text(meeting_name(d.meeting))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut d.meeting, None, meeting_name(None));
                    for m in &work.meetings {
                        ui.selectable_value(
                            &mut d.meeting,
                            Some(m.meta.id),
                            meeting_name(Some(m.meta.id)),
                        );
                    }
                })
                .response
                .labelled_by(l.id);
        });
        let open: Vec<&Problem> = work.problems.iter().filter(|p| p.stage.is_open()).collect();
        if !open.is_empty() {
            ui.label("Problems that work on it:");
            for p in open {
                let mut on = d.problems.contains(&p.meta.id);
                if ui.checkbox(&mut on, &p.title).changed() {
                    if on {
                        d.problems.push(p.meta.id);
                    } else {
                        d.problems.retain(|x| *x != p.meta.id);
                    }
                }
            }
        }
        if let Some(e) = &d.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.horizontal(|ui| {
            if ui.button("Save priority").clicked() {
                cmds.push(Command::SavePriority { neighborhood: hood });
            }
            if ui.button("Cancel").clicked() {
                cmds.push(Command::CancelPriority(hood));
            }
        });
    });
}

impl PriorityDraft {
    /// The draft as opened: what [`PriorityDraft::is_touched`] compares with.
    fn opened(mut self) -> Self {
        self.opened = Some(Box::new(self.clone()));
        self
    }

    /// Whether anything was typed or chosen since it was opened.
    pub fn is_touched(&self) -> bool {
        self.opened
            .as_ref()
            .is_some_and(|o| o.typed() != self.typed())
    }

    /// What the officer types and chooses.
    fn typed(&self) -> (&str, &str, &str, Option<Id>, &[Id]) {
        (
            &self.concern,
            &self.from,
            &self.to,
            self.meeting,
            &self.problems,
        )
    }

    /// The priority as typed, under `meta` when it is new, or what is wrong with its dates
    /// (the rest is the store's to check).
    pub fn to_priority(
        &self,
        hood: Id,
        new_meta: impl FnOnce() -> Result<Meta, String>,
    ) -> Result<Priority, String> {
        let date = |field: &str, text: &str| {
            parse_date(text.trim())
                .ok_or_else(|| format!("{field}: {}", why_not_a_date(text.trim())))
        };
        let from = date("From", &self.from)?;
        let to = date("To", &self.to)?;
        let (meta, neighborhood) = match &self.editing {
            Some(p) => (p.meta.clone(), p.neighborhood),
            None => (new_meta()?, hood),
        };
        Ok(Priority {
            meta,
            neighborhood,
            concern: self.concern.trim().to_string(),
            from,
            to,
            meeting: self.meeting,
            problems: self.problems.clone(),
        })
    }
}

/// The neighborhood's problems, open first, and a button to start one.
fn hood_problems(ui: &mut Ui, lookup: &Lookup, hood: Id, work: &HoodWork, cmds: &mut Vec<Command>) {
    let open = work.problems.iter().filter(|p| p.stage.is_open()).count();
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Problems ({open} open)")).strong());
        if ui
            .button("Open a problem about this neighborhood")
            .clicked()
        {
            cmds.push(Command::NewProblem(Box::new(ProblemSeed {
                neighborhood: Some(hood),
                ..Default::default()
            })));
        }
    });
    for p in work.problems.iter().filter(|p| p.stage.is_open()) {
        ui.horizontal_wrapped(|ui| {
            if ui.link(&p.title).clicked() {
                cmds.push(Command::OpenProblem(p.meta.id));
            }
            ui.label(format!(
                "{} · led by {}",
                p.stage.label(),
                lookup.officer_name(p.owner)
            ));
            if let Some(due) = p.next_due() {
                ui.weak(format!("next action due {due}"));
            }
        });
    }
    let closed = work.problems.len() - open;
    if closed > 0 {
        ui.weak(format!(
            "{closed} closed: {}",
            work.problems
                .iter()
                .filter(|p| !p.stage.is_open())
                .map(|p| format!(
                    "{} ({})",
                    p.title,
                    p.outcome.map_or("", |o| o.label()).to_lowercase()
                ))
                .collect::<Vec<_>>()
                .join(" · ")
        ));
    }
}
