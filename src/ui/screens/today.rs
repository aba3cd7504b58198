//! Today, the home screen: log button, follow-ups due and overdue, the actions of problems due
//! and the partner agencies to chase (`query::due_work`), last contacts, latest notes; for a
//! sergeant, first what the day starts with: entries waiting for review, overdue promises and
//! problem actions per officer and when each officer's work last arrived.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use egui::{RichText, Ui};

use super::followups::{short_day, waiting_line};
use super::{contact_line, follow_up_line, short_time};
use crate::model::{plural, Contact, FollowUp, Id, JournalNote, Problem, QueueBucket, Role};
use crate::query::due_work::{
    due_work, overdue_actions_per_officer, ActionDue, Chase, Chased, DueWork,
};
use crate::query::followups::due_soon_until;
use crate::query::review::Period;
use crate::query::review_queue::{feedback_for, review_queue, ReviewItem};
use crate::query::{due_soon, newest_contacts, search, DueList, LogFilter};
use crate::store::{Store, StoreResult};
use crate::ui::background::Beside;
use crate::ui::command::Command;
use crate::ui::screens::ScreenCtx;

struct TodayLists {
    /// Every open follow-up overdue (a sergeant's: their own), earliest due first.
    overdue: Vec<FollowUp>,
    this_week: DueList,
    recent: Vec<Contact>,
    notes: Vec<JournalNote>,
    feedback: Vec<ReviewItem>,
    /// The problem actions due and the partners to chase (a sergeant's: their own).
    work: DueWork,
    /// What a sergeant's day starts with; `None` for an officer.
    squad: Option<SquadDay>,
}

/// One officer's row in the sergeant's table.
struct OfficerDay {
    /// Name with badge.
    name: String,
    overdue: usize,
    /// Open actions of open problems past their due date that the officer answers for.
    actions_overdue: usize,
    /// When their work last arrived (`None`: never).
    arrived: Option<DateTime<Utc>>,
}

/// The squad at a glance, for a sergeant.
struct SquadDay {
    /// Entries of the last 4 weeks not yet reviewed.
    waiting: usize,
    /// Each officer of the squad (the sergeant aside).
    officers: Vec<OfficerDay>,
}

/// How many items of the sergeant's feedback Today shows.
const FEEDBACK_SHOWN: usize = 10;

/// How many overdue follow-ups each group shows before its "Show all N".
pub const SHOWN_PER_GROUP: usize = 5;

/// How the overdue follow-ups are grouped once there are more than a screen's worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OverdueGroups {
    #[default]
    HowLate,
    Neighborhood,
}

#[derive(Default)]
pub struct TodayState {
    /// Read beside the UI: in a large log the lists take longer than a frame, and they are
    /// read again after every change (a save, the day's backup, everyone read).
    lists: Beside<(u64, NaiveDate), TodayLists>,
    pub grouping: OverdueGroups,
    /// The groups opened whole ("Show all N"), by their heading.
    opened: HashSet<String>,
}

impl TodayState {
    /// Blocks until the lists being read are ready.
    pub fn wait(&mut self) {
        self.lists.wait();
    }
}

/// Who Today is for: the officer, their current beat, and for a sergeant the squad's
/// officers (id, name with badge).
struct Reader {
    me: Option<Id>,
    hood: Option<Id>,
    squad: Option<Vec<(Id, String)>>,
}

fn read_lists(store: &Store, today: NaiveDate, who: &Reader) -> StoreResult<TodayLists> {
    let mut overdue = match today.pred_opt().map(|yesterday| NaiveDate::MIN..=yesterday) {
        Some(days) => store.open_followups_due(days, usize::MAX)?.0,
        None => Vec::new(),
    };
    let notes = match who.hood {
        Some(h) => crate::query::latest_journal(store, h, 3)?,
        None => Vec::new(),
    };
    let feedback = match who.me {
        Some(o) => feedback_for(store, o, FEEDBACK_SHOWN)?,
        None => Vec::new(),
    };
    let problems = store.all::<Problem>()?;
    let work = |overdue: &[FollowUp], keep: &dyn Fn(&FollowUp) -> bool| match who.me {
        Some(me) => due_work(store, today, me, &problems, overdue, keep),
        None => Ok(DueWork::default()),
    };
    let Some(officers) = &who.squad else {
        let due = due_soon(store, today, SHOWN_PER_SECTION)?;
        return Ok(TodayLists {
            work: work(&overdue, &|_| true)?,
            overdue,
            this_week: due.this_week,
            recent: newest_contacts(store, 8)?,
            notes,
            feedback,
            squad: None,
        });
    };
    // A sergeant's log holds the squad's work: the squad's figures first, then only their own.
    let mut per_officer: HashMap<Id, usize> = HashMap::new();
    for f in &overdue {
        *per_officer.entry(f.meta.owner()).or_default() += 1;
    }
    let arrivals = crate::exchange::arrivals(store)?;
    let actions_overdue = overdue_actions_per_officer(&problems, today);
    let squad = SquadDay {
        waiting: review_queue(store, Period::last_weeks(today, 4), None)?.len(),
        officers: officers
            .iter()
            .map(|(id, name)| OfficerDay {
                name: name.clone(),
                overdue: per_officer.get(id).copied().unwrap_or(0),
                actions_overdue: actions_overdue.get(id).copied().unwrap_or(0),
                arrived: arrivals.get(id).copied(),
            })
            .collect(),
    };
    let mine = |f: &FollowUp| Some(f.meta.owner()) == who.me;
    overdue.retain(mine);
    let work = work(&overdue, &mine)?;
    let (soon, _) = store.open_followups_due(today..=due_soon_until(today), usize::MAX)?;
    let soon: Vec<FollowUp> = soon.into_iter().filter(mine).collect();
    let recent = match who.me {
        Some(me) => {
            let filter = LogFilter {
                officer: Some(me),
                ..Default::default()
            };
            search(store, &filter, 8)?
                .contacts
                .into_iter()
                .map(std::sync::Arc::unwrap_or_clone)
                .collect()
        }
        None => Vec::new(),
    };
    Ok(TodayLists {
        overdue,
        this_week: DueList {
            count: soon.len(),
            first: soon.into_iter().take(SHOWN_PER_SECTION).collect(),
        },
        recent,
        notes,
        feedback,
        work,
        squad: Some(squad),
    })
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut TodayState, cmds: &mut Vec<Command>) {
    let hood = cx.lookup.profile.as_ref().and_then(|p| p.last_neighborhood);
    let me = cx.lookup.profile.as_ref().map(|p| p.officer);
    let sergeant = cx.lookup.me().is_some_and(|o| o.role == Role::Sergeant);
    let squad = sergeant.then(|| {
        let mut officers: Vec<_> = cx
            .lookup
            .officers
            .values()
            .filter(|o| !o.meta.deleted && o.role == Role::Officer && Some(o.meta.id) != me)
            .collect();
        officers.sort_by_key(|o| (o.name.to_lowercase(), o.badge.clone()));
        officers
            .into_iter()
            .map(|o| (o.meta.id, format!("{} ({})", o.name, o.badge)))
            .collect()
    });
    let who = Reader { me, hood, squad };
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading(format!("Today, {}", cx.today.format("%A %-d %B %Y")));
        });
        let (store, today) = (cx.store.beside(), cx.today);
        let Some(lists) = state.lists.show(
            ui,
            cx.generation,
            today,
            "Reading today's follow-ups and contacts...",
            move || {
                store
                    .query(|s| read_lists(s, today, &who))
                    .map_err(|e| e.to_string())
            },
        ) else {
            return;
        };
        let TodayLists {
            overdue,
            this_week,
            recent,
            notes,
            feedback,
            work,
            squad,
        } = lists;
        if let Some(squad) = squad {
            squad_day(ui, squad, cmds);
            ui.add_space(10.0);
        }
        if ui
            .add(
                egui::Button::new(RichText::new("Log a contact").size(18.0))
                    .min_size(egui::vec2(200.0, 36.0)),
            )
            .clicked()
        {
            cmds.push(Command::NewContact);
        }
        ui.add_space(8.0);
        // A sergeant who logs no contacts of their own has no sections of their own.
        let own_work = !overdue.is_empty()
            || this_week.count > 0
            || !recent.is_empty()
            || !work.actions.is_empty()
            || !work.chases.is_empty();
        if squad.is_some() && !own_work {
            ui.weak("Your own contacts and follow-ups appear here once you log one.");
            return;
        }
        if squad.is_some() {
            ui.label(RichText::new("Your own work").heading());
        }
        if !feedback.is_empty() {
            feedback_list(ui, feedback, cx, cmds);
            ui.add_space(6.0);
        }
        if !overdue.is_empty() {
            overdue_list(
                ui,
                overdue,
                cx,
                &mut state.grouping,
                &mut state.opened,
                cmds,
            );
            ui.add_space(6.0);
        }
        problem_work(ui, work, cx, &mut state.opened, cmds);
        ui.label(
            RichText::new(format!(
                "{} ({})",
                QueueBucket::DueSoon.label(),
                this_week.count
            ))
            .strong(),
        );
        if this_week.count == 0 {
            ui.weak("Nothing due in the next 7 days.");
        }
        follow_up_list(ui, this_week, cx, cmds);
        ui.add_space(8.0);
        ui.label(RichText::new("Last contacts").strong());
        if recent.is_empty() {
            ui.weak("No contacts yet. Press Ctrl+N to log your first one.");
        }
        for c in recent {
            contact_line(ui, c, cx.lookup, cmds);
        }
        if let Some(h) = hood {
            ui.add_space(8.0);
            ui.label(RichText::new(format!("Latest notes: {}", cx.lookup.hood_name(h))).strong());
            if notes.is_empty() {
                ui.weak("No journal notes yet for this neighborhood.");
            }
            for n in notes {
                ui.label(format!("{}: {}", n.date, super::first_line(&n.text, 160)));
            }
            if ui.link("Open the neighborhood page").clicked() {
                cmds.push(Command::OpenNeighborhood(h));
            }
        }
    });
}

/// What a sergeant's day starts with: the entries waiting for review, and per officer the
/// promises overdue and when their work last arrived.
fn squad_day(ui: &mut Ui, squad: &SquadDay, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("Your squad").heading());
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "{} waiting for review (last 4 weeks)",
                plural(squad.waiting, "entry", "entries")
            ))
            .strong(),
        );
        if ui.button("Open the review queue").clicked() {
            cmds.push(Command::OpenReviewQueue);
        }
    });
    if squad.officers.is_empty() {
        ui.weak("No officer's work has reached this log yet.");
        return;
    }
    egui::Grid::new("squad_today").striped(true).show(ui, |ui| {
        for head in [
            "Officer",
            "Overdue promises",
            "Problem actions overdue",
            "Work last arrived",
        ] {
            ui.label(RichText::new(head).strong());
        }
        ui.end_row();
        for officer in &squad.officers {
            ui.label(&officer.name);
            for n in [officer.overdue, officer.actions_overdue] {
                if n > 0 {
                    ui.colored_label(ui.visuals().error_fg_color, n.to_string());
                } else {
                    ui.label("0");
                }
            }
            ui.label(match &officer.arrived {
                Some(at) => short_time(*at),
                None => "never".to_string(),
            });
            ui.end_row();
        }
    });
}

/// The overdue follow-ups: all of them while few; past a screen's worth, in groups (by how
/// late or by neighborhood), each showing its first [`SHOWN_PER_GROUP`] and "Show all N".
fn overdue_list(
    ui: &mut Ui,
    overdue: &[FollowUp],
    cx: &ScreenCtx,
    grouping: &mut OverdueGroups,
    opened: &mut HashSet<String>,
    cmds: &mut Vec<Command>,
) {
    ui.label(
        RichText::new(format!("Overdue follow-ups ({})", overdue.len()))
            .strong()
            .color(ui.visuals().error_fg_color),
    );
    if overdue.len() > SHOWN_PER_SECTION {
        ui.horizontal(|ui| {
            ui.label("Group by");
            for (g, label) in [
                (OverdueGroups::HowLate, "How late"),
                (OverdueGroups::Neighborhood, "Neighborhood"),
            ] {
                if ui.selectable_label(*grouping == g, label).clicked() {
                    *grouping = g;
                }
            }
        });
    }
    if overdue.len() <= SHOWN_PER_SECTION {
        for f in overdue {
            follow_up_line(ui, f, cx.lookup, cmds);
            waiting_line(ui, f, cx.today);
        }
        return;
    }
    for (heading, list) in groups(overdue, *grouping, cx) {
        ui.add_space(4.0);
        ui.label(RichText::new(format!("{heading} ({})", list.len())).strong());
        let whole = opened.contains(&heading);
        let shown = if whole { list.len() } else { SHOWN_PER_GROUP };
        ui.indent(&heading, |ui| {
            for f in list.iter().take(shown) {
                follow_up_line(ui, f, cx.lookup, cmds);
                waiting_line(ui, f, cx.today);
            }
            if list.len() > SHOWN_PER_GROUP {
                let label = if whole {
                    "Show the first few".to_string()
                } else {
                    format!("Show all {}", list.len())
                };
                let link = ui.link(label);
                if link.clicked() {
                    if whole {
                        opened.remove(&heading);
                    } else {
                        opened.insert(heading.clone());
                    }
                }
            }
        });
    }
}

/// The overdue follow-ups in groups, each earliest due first: by how late (the latest first),
/// or by neighborhood (by name).
fn groups<'a>(
    overdue: &'a [FollowUp],
    grouping: OverdueGroups,
    cx: &ScreenCtx,
) -> Vec<(String, Vec<&'a FollowUp>)> {
    let mut out: Vec<(String, Vec<&FollowUp>)> = Vec::new();
    let mut push = |key: String, f: &'a FollowUp| match out.iter_mut().find(|(k, _)| *k == key) {
        Some((_, list)) => list.push(f),
        None => out.push((key, vec![f])),
    };
    match grouping {
        OverdueGroups::HowLate => {
            for f in overdue {
                let late = (cx.today - f.due).num_days();
                let key = match late {
                    ..=7 => "Up to a week late",
                    8..=30 => "1 to 4 weeks late",
                    _ => "More than 4 weeks late",
                };
                push(key.to_string(), f);
            }
            let rank = |k: &str| match k {
                "More than 4 weeks late" => 0,
                "1 to 4 weeks late" => 1,
                _ => 2,
            };
            out.sort_by_key(|(k, _)| rank(k));
        }
        OverdueGroups::Neighborhood => {
            for f in overdue {
                push(cx.lookup.hood_name(f.neighborhood), f);
            }
            out.sort_by_key(|(k, _)| k.to_lowercase());
        }
    }
    out
}

/// How many follow-ups of a section Today shows before pointing to the Follow-ups screen.
const SHOWN_PER_SECTION: usize = 8;

fn follow_up_list(ui: &mut Ui, list: &DueList, cx: &ScreenCtx, cmds: &mut Vec<Command>) {
    for f in &list.first {
        follow_up_line(ui, f, cx.lookup, cmds);
        waiting_line(ui, f, cx.today);
    }
    if list.count > list.first.len()
        && ui
            .link(format!(
                "{} more on the Follow-ups screen",
                list.count - list.first.len()
            ))
            .clicked()
    {
        cmds.push(Command::Go(crate::ui::command::Screen::FollowUps));
    }
}

/// The first [`SHOWN_PER_GROUP`] of `list` (all of them once "Show all N" was clicked), each
/// drawn by `line`, and the link that shows all or the first few again. `key` names the list
/// among those opened whole.
fn first_few<T>(
    ui: &mut Ui,
    key: &str,
    list: &[T],
    opened: &mut HashSet<String>,
    mut line: impl FnMut(&mut Ui, &T),
) {
    let whole = opened.contains(key);
    let shown = if whole { list.len() } else { SHOWN_PER_GROUP };
    for item in list.iter().take(shown) {
        line(ui, item);
    }
    if list.len() > SHOWN_PER_GROUP {
        let label = if whole {
            "Show the first few".to_string()
        } else {
            format!("Show all {}", list.len())
        };
        if ui.link(label).clicked() {
            if whole {
                opened.remove(key);
            } else {
                opened.insert(key.to_string());
            }
        }
    }
}

/// The problem actions due and the partners to chase, each section only when it lists
/// something.
fn problem_work(
    ui: &mut Ui,
    work: &DueWork,
    cx: &ScreenCtx,
    opened: &mut HashSet<String>,
    cmds: &mut Vec<Command>,
) {
    if !work.actions.is_empty() {
        actions_due(ui, &work.actions, cx, opened, cmds);
        ui.add_space(6.0);
    }
    if !work.chases.is_empty() {
        chases(ui, &work.chases, cx, opened, cmds);
        ui.add_space(6.0);
    }
}

/// The open actions of problems due in the coming days or overdue (those in red), earliest
/// first; each opens its problem.
fn actions_due(
    ui: &mut Ui,
    actions: &[ActionDue],
    cx: &ScreenCtx,
    opened: &mut HashSet<String>,
    cmds: &mut Vec<Command>,
) {
    let late = actions.iter().filter(|a| a.overdue(cx.today)).count();
    let mut heading = format!("Problem actions due ({})", actions.len());
    if late > 0 {
        heading.push_str(&format!(", {late} overdue"));
    }
    ui.label(RichText::new(heading).strong());
    first_few(ui, "problem actions", actions, opened, |ui, a| {
        ui.horizontal(|ui| {
            let due = format!("due {}", short_day(a.due, cx.today));
            if a.overdue(cx.today) {
                ui.colored_label(ui.visuals().error_fg_color, due);
            } else {
                ui.label(due);
            }
            if ui.link(format!("{}: {}", a.title, a.what)).clicked() {
                cmds.push(Command::OpenProblem(a.problem));
            }
            // Who carries it out, unless it is the officer reading.
            let me = cx.lookup.profile.as_ref().map(|p| p.officer);
            let by = match &a.owner {
                Some(crate::model::ActionOwner::Partner { agency, .. }) => agency.clone(),
                Some(crate::model::ActionOwner::Officer { officer }) if Some(*officer) != me => {
                    cx.lookup.officer_name(*officer)
                }
                _ => String::new(),
            };
            let hood = cx.lookup.hood_name(a.neighborhood);
            ui.weak(if by.is_empty() {
                hood
            } else {
                format!("{by} · {hood}")
            });
        });
    });
}

/// The partner agencies whose chase date has come, for a problem's action or a promise, the
/// longest waiting first; each opens its problem, or the contact where the promise was made.
fn chases(
    ui: &mut Ui,
    chases: &[Chase],
    cx: &ScreenCtx,
    opened: &mut HashSet<String>,
    cmds: &mut Vec<Command>,
) {
    ui.label(RichText::new(format!("Partners to chase ({})", chases.len())).strong());
    first_few(ui, "partners to chase", chases, opened, |ui, c| {
        ui.horizontal(|ui| {
            let since = format!("chase since {}", short_day(c.chase, cx.today));
            if c.chase < cx.today {
                ui.colored_label(ui.visuals().error_fg_color, since);
            } else {
                ui.colored_label(ui.visuals().warn_fg_color, "chase today");
            }
            let mut whom = c.agency.clone();
            if !c.reference.trim().is_empty() {
                whom.push_str(&format!(" · ref {}", c.reference.trim()));
            }
            ui.label(RichText::new(whom).strong());
            match &c.of {
                Chased::Action {
                    problem,
                    title,
                    what,
                } => {
                    if ui.link(format!("{title}: {what}")).clicked() {
                        cmds.push(Command::OpenProblem(*problem));
                    }
                }
                Chased::Promise(f) => {
                    let text = super::followups::promise_text(f, cx.lookup);
                    if ui
                        .link(text)
                        .on_hover_text("Open the contact where it was promised")
                        .clicked()
                    {
                        cmds.push(match f.contact {
                            Some(c) => Command::EditContact(c),
                            None => Command::Go(crate::ui::command::Screen::FollowUps),
                        });
                    }
                }
            }
        });
    });
}

/// Entries the sergeant returned (to answer by editing) and their coaching comments.
fn feedback_list(ui: &mut Ui, items: &[ReviewItem], cx: &ScreenCtx, cmds: &mut Vec<Command>) {
    let waiting = items
        .iter()
        .filter(|i| {
            i.review
                .as_ref()
                .is_some_and(|r| r.awaits_answer(i.contact.meta.revision))
        })
        .count();
    ui.label(RichText::new(format!("From your sergeant ({waiting} to answer)")).strong());
    for item in items {
        let Some(review) = &item.review else { continue };
        contact_line(ui, &item.contact, cx.lookup, cmds);
        ui.indent(item.contact.meta.id, |ui| {
            if let crate::model::Verdict::Returned { reason } = &review.verdict {
                if review.awaits_answer(item.contact.meta.revision) {
                    ui.horizontal(|ui| {
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            format!(
                                "Returned by {}: {reason}",
                                cx.lookup.officer_name(review.meta.owner())
                            ),
                        );
                        if ui.button("Answer by editing").clicked() {
                            cmds.push(Command::EditContact(item.contact.meta.id));
                        }
                    });
                }
            }
            if !review.comment.trim().is_empty() {
                ui.label(format!(
                    "Comment from {}: {}",
                    cx.lookup.officer_name(review.meta.owner()),
                    review.comment
                ));
            }
        });
    }
}
