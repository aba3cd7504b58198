//! The Problems screen: the squad's community problems by stage, and one problem's page.

use egui::Ui;

use crate::ui::command::Command;
use crate::ui::screens::ScreenCtx;

#[derive(Default)]
pub struct ProblemsState {}

pub fn show(ui: &mut Ui, _cx: &ScreenCtx, _state: &mut ProblemsState, _cmds: &mut Vec<Command>) {
    ui.heading("Problems");
}
