//! The form's fields, drawn in the order they are used: Who, Topics, Note, the promise (and
//! the partner agency it may wait on), the count of people who gave no name, then the details
//! (kind, tone, who started it, the neighborhood, where and when) and the entry's history.

use super::*;
use crate::ui::widgets::date_picker;

impl ContactForm {
    /// The fields, in the order a contact is usually told: who, about what, what was said,
    /// what was promised; then what usually keeps its default.
    pub(super) fn fields(&mut self, ui: &mut Ui, lookup: &Lookup, today: NaiveDate) {
        self.who_field(ui, lookup);
        self.topics_field(ui, lookup);
        self.note_field(ui);
        ui.add_space(6.0);
        self.follow_up_fields(ui, lookup, today);
        ui.add_space(6.0);
        self.unnamed_field(ui);
        self.details(ui, lookup);
        self.history(ui, lookup);
    }

    fn who_field(&mut self, ui: &mut Ui, lookup: &Lookup) {
        // A name is offered as new only once everyone already in the log can be matched.
        let people_ready = lookup.people_ready();
        let who = widgets::type_ahead(
            ui,
            "Who",
            who_id(),
            &mut self.who,
            &lookup.person_choices(&self.people),
            &mut self.people,
            people_ready.then_some("new person"),
        );
        // Said of the text as it was: gone once that text is edited, picked or cleared.
        if who.changed() || self.who.input.trim().is_empty() {
            self.messages.who = None;
        }
        if !people_ready {
            ui.weak("Reading the names of the people already in the log...");
        }
        field_message(ui, self.messages.who.as_deref());
    }

    fn topics_field(&mut self, ui: &mut Ui, lookup: &Lookup) {
        let topics = widgets::type_ahead(
            ui,
            "Topics",
            egui::Id::unique("contact_form_topics"),
            &mut self.topic,
            &lookup.tag_names,
            &mut self.tags,
            Some("new topic"),
        );
        if topics.changed() || self.topic.input.trim().is_empty() {
            self.messages.topics = None;
        }
        field_message(ui, self.messages.topics.as_deref());
    }

    fn note_field(&mut self, ui: &mut Ui) {
        labelled_multiline(ui, "Note", &mut self.note, 4);
        if let Some(warning) = crate::model::purpose_warning(&self.note) {
            ui.colored_label(ui.visuals().warn_fg_color, warning);
        }
        if self.messages.asked_empty_note && self.note.trim().is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Save without a note? Press Ctrl+Enter again to save it as it is, or write \
                 what was said.",
            );
        }
    }

    /// "I promised a follow-up" and, once ticked, what was promised, to whom and by when, and
    /// whether it waits on a partner agency.
    fn follow_up_fields(&mut self, ui: &mut Ui, lookup: &Lookup, today: NaiveDate) {
        ui.checkbox(
            &mut self.follow_up,
            format!(
                "I promised a follow-up ({})",
                FOLLOW_UP_SHORTCUT.format(&egui::ModifierNames::NAMES, false)
            ),
        );
        if !self.follow_up {
            if self.promise_record.is_some() {
                ui.weak(
                    "The promise made here stays as it is: close or drop it on the Follow-ups \
                     screen.",
                );
            }
            return;
        }
        ui.indent("follow_up", |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("What I promised");
                ui.add(
                    egui::TextEdit::singleline(&mut self.promise)
                        .id(promise_id())
                        .hint_text("Ask public works about the streetlight")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            });
            if self.people.len() > 1 {
                let names: Vec<String> = self.people.iter().map(|p| pick_name(p, lookup)).collect();
                let options: Vec<usize> = (0..names.len()).collect();
                let mut to = self.promise_index();
                choice(ui, "Promised to", &mut to, &options, |i| names[i].clone());
                self.promise_to = self.people.get(to).cloned();
            }
            ui.horizontal(|ui| {
                let l = ui.label("Due");
                ui.add(egui::TextEdit::singleline(&mut self.due).desired_width(100.0))
                    .labelled_by(l.id);
                for pick in DueQuickPick::ALL {
                    if ui.button(pick.label()).clicked() {
                        self.due = pick.date_from(today).to_string();
                    }
                }
                date_picker(ui, &mut self.due, today, "due_picker");
            });
            self.partner_fields(ui, today);
        });
    }

    /// "Waits on a partner agency" and, once ticked, the agency, their reference and the day
    /// to chase them. They come after the due date in the Tab order (the box is ticked with
    /// Space), and a message beside the agency or the chase date says what a save needs.
    fn partner_fields(&mut self, ui: &mut Ui, today: NaiveDate) {
        ui.checkbox(&mut self.waits, "Waits on a partner agency");
        if !self.waits {
            return;
        }
        ui.indent("partner_wait", |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("Agency");
                let agency = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.agency)
                            .hint_text("Public works")
                            .desired_width(200.0),
                    )
                    .labelled_by(l.id);
                // Said of the agency as it was: gone once one is typed.
                if agency.changed() && !self.agency.trim().is_empty() {
                    self.messages.agency = None;
                }
                let l = ui.label("Their reference");
                ui.add(
                    egui::TextEdit::singleline(&mut self.reference)
                        .hint_text("WO-1234")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            });
            field_message(ui, self.messages.agency.as_deref());
            ui.horizontal(|ui| {
                let l = ui.label("Chase on");
                let chase = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.chase)
                            .hint_text("YYYY-MM-DD")
                            .desired_width(100.0),
                    )
                    .labelled_by(l.id);
                for (label, days) in CHASE_PICKS {
                    if ui.button(label).clicked() {
                        self.chase = (today + chrono::Duration::days(days)).to_string();
                    }
                }
                let fallback = parse_date(&self.due).unwrap_or(today);
                date_picker(ui, &mut self.chase, fallback, "chase_picker");
                if chase.changed() || parse_date(&self.chase).is_some() || self.chase.is_empty() {
                    self.messages.chase = None;
                }
            });
            field_message(ui, self.messages.chase.as_deref());
        });
    }

    /// The count of people who gave no name. It takes digits only: anything else typed there
    /// is refused where it is typed, and said beside the field, rather than dropped unseen.
    fn unnamed_field(&mut self, ui: &mut Ui) {
        let response = ui
            .horizontal(|ui| {
                let l = ui.label("People who gave no name");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.unnamed_text)
                            .hint_text("0")
                            .desired_width(60.0),
                    )
                    .labelled_by(l.id);
                if let Some(message) = &self.messages.unnamed {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                r
            })
            .inner;
        if response.changed() {
            self.messages.unnamed = self.take_unnamed_count();
        }
    }

    /// Reads the count from its field, keeping only its digits; says what was refused.
    fn take_unnamed_count(&mut self) -> Option<String> {
        let refused: String = self
            .unnamed_text
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect();
        self.unnamed_text.retain(|c| c.is_ascii_digit());
        let count = match self.unnamed_text.parse::<u32>() {
            Ok(n) => n,
            Err(_) if self.unnamed_text.is_empty() => 0,
            Err(_) => u32::MAX,
        };
        self.unnamed = count.min(MAX_UNNAMED + 1);
        if !refused.trim().is_empty() {
            Some(format!(
                "Only a number goes here: \"{}\" was not taken.",
                refused.trim()
            ))
        } else if count > MAX_UNNAMED {
            Some(format!(
                "At most {} people.",
                widgets::thousands(MAX_UNNAMED as usize)
            ))
        } else {
            None
        }
    }

    /// Kind, tone, who started it, neighborhood, place and time: what usually keeps its default.
    fn details(&mut self, ui: &mut Ui, lookup: &Lookup) {
        egui::Grid::new("contact_form_grid")
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                // After a pick with the mouse the focus stays on the choice, so Tab goes on to
                // the next field (the list that was clicked is gone, and with it the focus).
                let kind = self.kind;
                let r = choice(ui, "Kind", &mut self.kind, &ContactKind::ALL, |k| {
                    k.label().to_string()
                });
                keep_focus_after_pick(&r, kind != self.kind);
                let tone = self.tone;
                let r = choice(ui, "Tone", &mut self.tone, &Tone::ALL, |t| {
                    format!("{} ({}/5)", t.label(), t.step())
                });
                keep_focus_after_pick(&r, tone != self.tone);
                ui.end_row();
                ui.horizontal(|ui| {
                    ui.label("Started by");
                    ui.selectable_value(&mut self.initiated_by, Initiator::Resident, "Resident");
                    ui.selectable_value(&mut self.initiated_by, Initiator::Officer, "Officer");
                });
                let hood_ids: Vec<Option<Id>> = lookup
                    .neighborhoods
                    .iter()
                    .map(|n| Some(n.meta.id))
                    .collect();
                let hood = self.neighborhood;
                let r = choice(ui, "Neighborhood", &mut self.neighborhood, &hood_ids, |h| {
                    h.map(|h| lookup.hood_name(h))
                        .unwrap_or_else(|| "(choose)".into())
                });
                keep_focus_after_pick(&r, hood != self.neighborhood);
                ui.end_row();
            });
        labelled_text(
            ui,
            "Where",
            &mut self.place,
            "Elm St & 5th, Rosa's Bakery ...",
        );
        labelled_text(ui, "When", &mut self.when, "YYYY-MM-DD HH:MM");
    }

    /// The earlier revisions of a contact being edited.
    fn history(&self, ui: &mut Ui, lookup: &Lookup) {
        if self.history.is_empty() {
            return;
        }
        ui.add_space(6.0);
        ui.collapsing(
            format!(
                "History ({})",
                crate::report::plural(self.history.len(), "earlier revision", "earlier revisions")
            ),
            |ui| {
                for r in self.history.iter().rev() {
                    let when = r.changed_at.with_timezone(&Local).format(WHEN_FORMAT);
                    let by = lookup.officer_name(r.changed_by);
                    ui.label(if r.set_aside {
                        format!(
                            "A version by {by} of {when} (revision {}), edited apart and not \
                             taken when logs were merged: \"{}\"",
                            r.revision,
                            crate::ui::screens::first_line(
                                r.previous["note"].as_str().unwrap_or(""),
                                80
                            )
                        )
                    } else {
                        format!(
                            "Revision {} replaced {when} by {by}: changed {}",
                            r.revision,
                            r.changed.join(", ")
                        )
                    });
                }
            },
        );
    }
}

/// The quick choices for the day to chase a partner, in days from today (named apart from the
/// due date's, which are on screen at the same time).
const CHASE_PICKS: [(&str, i64); 3] = [("In a week", 7), ("In 2 weeks", 14), ("In 4 weeks", 28)];

/// The name shown for a pick: the person's name, or the new name being created.
fn pick_name(pick: &Pick<Id>, lookup: &Lookup) -> String {
    match pick {
        Pick::Existing(id) => lookup.person_name(*id),
        Pick::New(name) => name.clone(),
    }
}

/// A message about what was typed in the field above it.
fn field_message(ui: &mut Ui, message: Option<&str>) {
    if let Some(message) = message {
        ui.colored_label(ui.visuals().error_fg_color, message);
    }
}

/// Keeps the focus on a choice whose value was just picked (see [`ContactForm::details`]).
fn keep_focus_after_pick(choice: &egui::Response, picked: bool) {
    if picked && !choice.has_focus() {
        choice.request_focus();
    }
}
