//! The public "You said, we did" report shown before it is saved: exactly what will be printed.

use crate::ui::command::Command;

/// The report worked out for one neighborhood and period, waiting to be saved or closed.
pub struct YouSaidPreview {
    pub text: String,
}

/// The preview window over the screen.
pub fn preview_window(ctx: &egui::Context, preview: &mut YouSaidPreview, cmds: &mut Vec<Command>) {
    egui::Window::new("You said, we did").show(ctx, |ui| {
        ui.label(&preview.text);
        if ui.button("Close").clicked() {
            cmds.push(Command::CloseYouSaidWeDid);
        }
    });
}
