//! Settings, "Security" and "Retention": locking now, the idle time before the app locks,
//! changing the passphrase, the squad passphrase, and how long personal data is kept.

use egui::{RichText, Ui};
use zeroize::{Zeroize, Zeroizing};

use crate::model::{passphrase_problem, passphrase_problem_for, RetentionPolicy};
use crate::store::Passphrase;
use crate::ui::command::{Command, Setting};
use crate::ui::lock::MAX_IDLE_MINUTES;
use crate::ui::lookup::Lookup;
use crate::ui::shortcuts::{keys, LOCK};
use crate::ui::widgets::{forget_secret_fields, labelled_secret, passphrase_hint};

/// What is typed in the security section.
#[derive(Default)]
pub struct SecurityState {
    pub idle_minutes: u32,
    pub retention: RetentionPolicy,
    squad: Zeroizing<String>,
    current: Zeroizing<String>,
    new: Zeroizing<String>,
    again: Zeroizing<String>,
    pub problem: Option<String>,
    pub squad_problem: Option<String>,
}

/// The words of the officer's own a passphrase must not be built on: name, badge number and
/// the names of the log's beats (the same as `Store::personal_words`, from what is on screen).
fn personal_words(lookup: &Lookup) -> Vec<String> {
    lookup
        .me()
        .map(|me| [me.name.clone(), me.badge.clone()])
        .into_iter()
        .flatten()
        .chain(lookup.neighborhoods.iter().map(|n| n.name.clone()))
        .collect()
}

impl SecurityState {
    pub fn new(idle_minutes: u32, retention: RetentionPolicy) -> Self {
        SecurityState {
            idle_minutes,
            retention,
            ..Default::default()
        }
    }

    /// Wipes every passphrase typed here (after use, and when the app locks).
    pub fn clear(&mut self) {
        self.squad.zeroize();
        self.current.zeroize();
        self.new.zeroize();
        self.again.zeroize();
    }
}

/// The squad passphrase that seals bundles: whether it is set, and setting or changing it.
pub fn squad_passphrase(
    ui: &mut Ui,
    state: &mut SecurityState,
    is_set: bool,
    cmds: &mut Vec<Command>,
) {
    ui.label(if is_set {
        "Bundles are encrypted with the squad passphrase. Change it only together with your \
         squad: a bundle opens only with the passphrase it was sealed with."
    } else {
        "Bundles are encrypted with a squad passphrase your sergeant gives to the squad. Set it \
         before exporting or importing bundles."
    });
    ui.horizontal(|ui| {
        labelled_secret(ui, "Squad passphrase", &mut state.squad);
    });
    // Shared by the squad: the officer's own words are not the point here.
    if !state.squad.is_empty() {
        passphrase_hint(ui, &state.squad, &[]);
    }
    if let Some(p) = &state.squad_problem {
        ui.colored_label(ui.visuals().error_fg_color, p);
    }
    let label = if is_set {
        "Change squad passphrase"
    } else {
        "Set squad passphrase"
    };
    if ui.button(label).clicked() {
        state.squad_problem = passphrase_problem(&state.squad);
        if state.squad_problem.is_none() {
            cmds.push(Command::SetSquadPassphrase(Passphrase::new(
                state.squad.as_str(),
            )));
            state.squad.zeroize();
            forget_secret_fields(ui.ctx());
        }
    }
}

/// How long personal data is kept, and the purge that applies it.
pub fn retention(ui: &mut Ui, state: &mut SecurityState, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("Retention").strong());
    ui.label(
        "The log is for relationships, not a record kept forever. Old notes and the details \
         of people you no longer see are removed by a purge you preview first (0 keeps them).",
    );
    ui.horizontal(|ui| {
        let l = ui.label("Keep notes and contact details (months)");
        ui.add(egui::DragValue::new(&mut state.retention.notes_months).range(0..=240))
            .labelled_by(l.id);
        let l = ui.label("Anonymize people not seen for (months)");
        ui.add(egui::DragValue::new(&mut state.retention.anonymize_months).range(0..=240))
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        if ui.button("Save policy").clicked() {
            cmds.push(Command::ChangeSetting(Setting::Retention(state.retention)));
        }
        if ui.button("Preview purge...").clicked() {
            cmds.push(Command::PreviewPurge);
        }
    });
}

/// `lookup` gives the officer's own words, which a new passphrase must not hold.
pub fn show(
    ui: &mut Ui,
    state: &mut SecurityState,
    lookup: &Lookup,
    changing: bool,
    cmds: &mut Vec<Command>,
) {
    let words = personal_words(lookup);
    let personal: Vec<&str> = words.iter().map(String::as_str).collect();
    ui.label(RichText::new("Security").strong());
    ui.label(
        "Your log is encrypted with your passphrase. beatbook locks itself when nobody uses \
         it, and after five wrong passphrases refuses new tries for ten minutes.",
    );
    ui.horizontal(|ui| {
        if ui.button(format!("Lock now ({})", keys(&LOCK))).clicked() {
            cmds.push(Command::LockNow);
        }
        let l = ui.label("Lock after (minutes without use)");
        ui.add(egui::DragValue::new(&mut state.idle_minutes).range(1..=MAX_IDLE_MINUTES))
            .labelled_by(l.id);
        if ui.button("Save lock time").clicked() {
            cmds.push(Command::ChangeSetting(Setting::IdleLock(
                state.idle_minutes,
            )));
        }
    });
    ui.add_space(4.0);
    ui.label("Change the passphrase");
    let mut edited = labelled_secret(ui, "Current passphrase", &mut state.current).changed();
    edited |= labelled_secret(ui, "New passphrase", &mut state.new).changed();
    if !state.new.is_empty() {
        passphrase_hint(ui, &state.new, &personal);
    }
    edited |= labelled_secret(ui, "New passphrase again", &mut state.again).changed();
    // What was said about the fields stops being true once they are edited.
    if edited {
        state.problem = None;
    }
    if let Some(p) = &state.problem {
        ui.colored_label(ui.visuals().error_fg_color, p);
    }
    if changing {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Changing the passphrase...");
        });
    } else if ui.button("Change passphrase").clicked() {
        state.problem = if state.current.is_empty() {
            Some("Type your current passphrase.".into())
        } else if *state.new != *state.again {
            Some("The two new passphrases differ.".into())
        } else {
            passphrase_problem_for(&state.new, &personal)
        };
        if state.problem.is_none() {
            cmds.push(Command::ChangePassphrase {
                current: Passphrase::new(state.current.as_str()),
                new: Passphrase::new(state.new.as_str()),
            });
            state.clear();
            forget_secret_fields(ui.ctx());
        }
    }
}
