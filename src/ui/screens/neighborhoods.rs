//! Neighborhood pages: the dated journal, its people, recent contacts, open promises and the
//! concerns raised most often lately, of every officer's record of the neighborhood's name.

use egui::{RichText, Ui};

use super::{contact_line, follow_up_line, Cached};
use crate::model::Id;
use crate::query::{neighborhood_summary, NeighborhoodSummary};
use crate::ui::command::Command;
use crate::ui::lookup::Lookup;
use crate::ui::screens::ScreenCtx;
use crate::ui::widgets::labelled_multiline;

/// How far back "concerns raised lately" looks.
pub const CONCERN_DAYS: i64 = 90;

#[derive(Default)]
pub struct HoodState {
    pub selected: Option<Id>,
    /// Journal notes being typed, one per neighborhood, so switching pages loses nothing.
    pub drafts: std::collections::HashMap<Id, String>,
    pub new_name: String,
    summary: Cached<(u64, Id), Result<NeighborhoodSummary, String>>,
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
        let draft = state.drafts.entry(hood).or_default();
        egui::ScrollArea::vertical().show(ui, |ui| hood_page(ui, lookup, hood, s, draft, cmds));
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
    ui.horizontal(|ui| {
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
    });
    ui.label(RichText::new(format!("Concerns raised in the last {CONCERN_DAYS} days")).strong());
    if s.top_concerns.is_empty() {
        ui.weak("No topics recorded lately.");
    } else {
        ui.label(
            s.top_concerns
                .iter()
                .take(8)
                .map(|(t, n)| format!("{} ({n})", lookup.tag_name(*t)))
                .collect::<Vec<_>>()
                .join(" · "),
        );
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
