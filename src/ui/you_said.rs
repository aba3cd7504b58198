//! The public "You said, we did" report shown before it is saved: exactly the lines that will
//! be printed, the period to change, what the guard left out and why (shown here, never
//! printed), and the buttons to save it as PDF or text. The report is worked out beside the UI
//! (the guard reads everyone in the log); the commands that start it and save it are in
//! `actions::you_said`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;
use egui::{RichText, ScrollArea, Ui};

use super::background::{Background, Outcome};
use super::command::Command;
use super::widgets::date_picker;
use crate::model::{parse_date, why_not_a_date, Id};
use crate::report::you_said::{you_said_we_did_unless, Style, YouSaidReport};
use crate::store::Store;

/// A report being worked out beside the UI: reading everyone in a large log for the guard
/// takes a moment. Dropping it (the window closed) asks it to stop, then waits for it.
struct Working {
    job: Background<Result<Option<YouSaidReport>, String>>,
    stop: Arc<AtomicBool>,
}

impl Drop for Working {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The report worked out for one neighborhood and period, waiting to be saved or closed.
pub struct YouSaidPreview {
    pub neighborhood: Id,
    /// What is shown, and what saving writes (not a report worked out again); `None` until
    /// the first one is ready.
    pub report: Option<YouSaidReport>,
    /// A report being worked out for the days asked last.
    working: Option<Working>,
    /// The period's days as typed (YYYY-MM-DD), taken by "Update".
    pub from: String,
    pub to: String,
    /// Why the days typed cannot be used, or why the report could not be made.
    pub problem: Option<String>,
    /// Where the calendars open when a day typed is not a day.
    today: NaiveDate,
}

impl YouSaidPreview {
    /// Starts working out the report of `neighborhood` for `from` to `to`.
    pub fn start(
        store: Arc<Store>,
        neighborhood: Id,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Self {
        let mut preview = YouSaidPreview {
            neighborhood,
            report: None,
            working: None,
            from: from.to_string(),
            to: to.to_string(),
            problem: None,
            today,
        };
        preview.update(store, from, to, today);
        preview
    }

    /// Works the report out again for new days; the one shown stays until the new one is ready.
    pub fn update(&mut self, store: Arc<Store>, from: NaiveDate, to: NaiveDate, today: NaiveDate) {
        let stop = Arc::new(AtomicBool::new(false));
        let neighborhood = self.neighborhood;
        let flag = Arc::clone(&stop);
        let job = Background::start("you said, we did", move || {
            you_said_we_did_unless(&store, neighborhood, from, to, today, &flag)
                .map_err(|e| e.to_string())
        });
        // The report asked for before, if still being worked out, is not wanted any more.
        self.working = Some(Working { job, stop });
        self.from = from.to_string();
        self.to = to.to_string();
        self.problem = None;
        self.today = today;
    }

    /// Whether a report is being worked out.
    pub fn is_working(&self) -> bool {
        self.working.is_some()
    }

    /// Takes the report once it is ready.
    fn poll(&mut self) {
        let Some(working) = &mut self.working else {
            return;
        };
        let outcome = working.job.poll();
        self.take(outcome);
    }

    /// Blocks until the report being worked out is ready, and takes it.
    pub fn wait(&mut self) {
        if let Some(working) = &mut self.working {
            working.job.wait();
        }
        self.poll();
    }

    fn take(&mut self, outcome: Outcome<Result<Option<YouSaidReport>, String>>) {
        match outcome {
            Outcome::Running => return,
            Outcome::Done(Ok(Some(report))) => self.report = Some(report),
            // Stopped: only when a newer one took its place.
            Outcome::Done(Ok(None)) => {}
            Outcome::Done(Err(why)) => {
                self.problem = Some(format!("The report could not be made: {why}"));
            }
            Outcome::Lost => {
                self.problem = Some(
                    "The report could not be made: its work stopped without an answer. Press \
                     Update to try again."
                        .into(),
                );
            }
        }
        self.working = None;
    }

    /// The period typed, or why it cannot be used.
    fn period(&self) -> Result<(NaiveDate, NaiveDate), String> {
        let day = |label: &str, text: &str| {
            parse_date(text).ok_or_else(|| format!("{label}: {}", why_not_a_date(text)))
        };
        let from = day("From", &self.from)?;
        let to = day("To", &self.to)?;
        if from > to {
            return Err(format!(
                "The period starts on {from} after it ends on {to}: the first day must come first."
            ));
        }
        Ok((from, to))
    }
}

/// The preview window over the screen.
pub fn preview_window(ctx: &egui::Context, preview: &mut YouSaidPreview, cmds: &mut Vec<Command>) {
    let mut open = true;
    egui::Window::new("You said, we did")
        .id(egui::Id::unique("you_said_preview"))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width(660.0)
        .default_height(700.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            preview.poll();
            ui.label(
                "A report for the public, to print for the next meeting. Below is exactly \
                 what will be printed.",
            );
            ui.add_space(4.0);
            period_row(ui, preview, cmds);
            ui.add_space(4.0);
            if preview.is_working() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(
                        "Working out the report and checking it against everyone in the log...",
                    );
                });
                // The window looks again for the report until it is ready.
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            } else if let Some(report) = &preview.report {
                left_out(ui, report);
            }
            ui.separator();
            let reserve = 3.0 * ui.spacing().interact_size.y;
            ScrollArea::vertical()
                .max_height((ui.available_height() - reserve).max(120.0))
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    if let Some(report) = &preview.report {
                        printed_lines(ui, report);
                    }
                });
            ui.separator();
            // What is saved is what is shown: not while another report is being worked out.
            let ready = preview.report.is_some() && !preview.is_working();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ready, egui::Button::new("Save as PDF..."))
                    .clicked()
                {
                    cmds.push(Command::SaveYouSaidWeDid { pdf: true });
                }
                if ui
                    .add_enabled(ready, egui::Button::new("Save as text..."))
                    .clicked()
                {
                    cmds.push(Command::SaveYouSaidWeDid { pdf: false });
                }
                if ui.button("Close").clicked() {
                    cmds.push(Command::CloseYouSaidWeDid);
                }
            });
        });
    if !open {
        cmds.push(Command::CloseYouSaidWeDid);
    }
}

/// The period's days and "Update", which works the report out again for them.
fn period_row(ui: &mut Ui, preview: &mut YouSaidPreview, cmds: &mut Vec<Command>) {
    let today = preview.today;
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("From");
        ui.add(egui::TextEdit::singleline(&mut preview.from).desired_width(96.0))
            .labelled_by(l.id);
        date_picker(ui, &mut preview.from, today, "you_said_from");
        let l = ui.label("To");
        ui.add(egui::TextEdit::singleline(&mut preview.to).desired_width(96.0))
            .labelled_by(l.id);
        date_picker(ui, &mut preview.to, today, "you_said_to");
        if ui.button("Update").clicked() {
            match preview.period() {
                Ok((from, to)) => {
                    preview.problem = None;
                    cmds.push(Command::PreviewYouSaidWeDid {
                        neighborhood: preview.neighborhood,
                        from,
                        to,
                    });
                }
                Err(why) => preview.problem = Some(why),
            }
        }
    });
    if let Some(why) = &preview.problem {
        ui.colored_label(ui.visuals().error_fg_color, why);
    }
}

/// How many lines the guard left out, and why: for the one preparing the report only.
fn left_out(ui: &mut Ui, report: &YouSaidReport) {
    match report.left_out_summary() {
        None => {
            ui.weak(
                "No line was left out: none holds a name, phone, email or address from the log.",
            );
        }
        Some(summary) => {
            ui.colored_label(ui.visuals().warn_fg_color, summary);
            ui.collapsing("Where they were", |ui| {
                for detail in report.left_out_details() {
                    ui.label(detail);
                }
            });
        }
    }
}

/// The report's lines, set as they will print: title, headings, items (bold when details
/// follow) and their details, indented.
fn printed_lines(ui: &mut Ui, report: &YouSaidReport) {
    let lines = &report.lines;
    for (i, l) in lines.iter().enumerate() {
        let after_item = i > 0 && matches!(lines[i - 1].style, Style::Item | Style::Detail);
        let has_details = lines.get(i + 1).is_some_and(|n| n.style == Style::Detail);
        match l.style {
            Style::Title => {
                ui.label(RichText::new(&l.text).heading().strong());
            }
            Style::Period => {
                ui.label(RichText::new(&l.text).strong());
                ui.add_space(4.0);
            }
            Style::Remark => {
                if after_item {
                    ui.add_space(8.0);
                }
                ui.label(RichText::new(&l.text).weak());
            }
            Style::Heading => {
                ui.add_space(10.0);
                ui.label(RichText::new(&l.text).size(18.0).strong());
                ui.separator();
            }
            Style::Item => {
                let text = if has_details {
                    ui.add_space(6.0);
                    RichText::new(&l.text).strong()
                } else {
                    RichText::new(&l.text)
                };
                indented(ui, ITEM_INDENT, |ui| {
                    let r = ui.label(text);
                    // The bullet the printed list has, beside the item's first line.
                    let middle = r.rect.top() + ui.text_style_height(&egui::TextStyle::Body) / 2.0;
                    let color = ui.visuals().text_color();
                    ui.painter().circle_filled(
                        egui::pos2(r.rect.left() - ITEM_INDENT / 2.0, middle),
                        2.5,
                        color,
                    );
                });
            }
            Style::Detail => indented(ui, DETAIL_INDENT, |ui| {
                ui.label(&l.text);
            }),
        }
    }
}

/// How far items and their details are set in, as on paper.
const ITEM_INDENT: f32 = 18.0;
const DETAIL_INDENT: f32 = 36.0;

fn indented(ui: &mut Ui, left: f32, add: impl FnOnce(&mut Ui)) {
    egui::Frame::NONE
        .inner_margin(egui::Margin {
            left: left as i8,
            ..Default::default()
        })
        .show(ui, add);
}
