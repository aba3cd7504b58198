//! The public "You said, we did" report shown before it is saved: exactly the lines that will
//! be printed, the period to change, what the guard left out and why (shown here, never
//! printed), and the buttons to save it as PDF or text (working it out and saving it are in
//! `actions::you_said`).

use chrono::NaiveDate;
use egui::{RichText, ScrollArea, Ui};

use super::command::Command;
use super::widgets::date_picker;
use crate::model::{parse_date, why_not_a_date, Id};
use crate::report::you_said::{Style, YouSaidReport};

/// The report worked out for one neighborhood and period, waiting to be saved or closed.
pub struct YouSaidPreview {
    pub neighborhood: Id,
    /// What will be printed: saving writes this report, not a new one.
    pub report: YouSaidReport,
    /// The period's days as typed (YYYY-MM-DD), taken by "Update".
    pub from: String,
    pub to: String,
    /// Why the days typed cannot be used, until they are changed.
    pub problem: Option<String>,
}

impl YouSaidPreview {
    pub fn new(neighborhood: Id, report: YouSaidReport) -> Self {
        YouSaidPreview {
            neighborhood,
            from: report.from.to_string(),
            to: report.to.to_string(),
            report,
            problem: None,
        }
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
            ui.label(
                "A report for the public, to print for the next meeting. Below is exactly \
                 what will be printed.",
            );
            ui.add_space(4.0);
            period_row(ui, preview, cmds);
            ui.add_space(4.0);
            left_out(ui, &preview.report);
            ui.separator();
            let reserve = 3.0 * ui.spacing().interact_size.y;
            ScrollArea::vertical()
                .max_height((ui.available_height() - reserve).max(120.0))
                .auto_shrink([false, true])
                .show(ui, |ui| printed_lines(ui, &preview.report));
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button("Save as PDF...").clicked() {
                    cmds.push(Command::SaveYouSaidWeDid { pdf: true });
                }
                if ui.button("Save as text...").clicked() {
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
    let today = preview.report.prepared;
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
