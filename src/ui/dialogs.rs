//! Native file dialogs behind a small trait, so tests (and desktops without a portal) can stand in.

use std::path::PathBuf;

/// Asks the user where to save a file, or which file to open.
pub trait FileDialogs {
    /// `None` when the user cancelled. `Err` when no dialog can be shown at all.
    fn save_file(
        &self,
        title: &str,
        default_name: &str,
        extension: &str,
    ) -> Result<Option<PathBuf>, String>;

    /// `None` when the user cancelled. `Err` when no dialog can be shown at all.
    fn open_file(&self, title: &str, extension: &str) -> Result<Option<PathBuf>, String>;

    /// Several files at once. `None` when the user cancelled.
    fn open_files(&self, title: &str, extension: &str) -> Result<Option<Vec<PathBuf>>, String> {
        Ok(self.open_file(title, extension)?.map(|p| vec![p]))
    }

    /// A folder. `None` when the user cancelled. (Stand-ins answer as for a file.)
    fn pick_folder(&self, title: &str) -> Result<Option<PathBuf>, String> {
        self.open_file(title, "")
    }
}

/// The platform's own dialogs (through the XDG portal on Linux).
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn save_file(
        &self,
        title: &str,
        default_name: &str,
        extension: &str,
    ) -> Result<Option<PathBuf>, String> {
        let dialog = rfd::FileDialog::new()
            .set_title(title)
            .set_file_name(default_name)
            .add_filter(extension.to_uppercase(), &[extension]);
        // rfd reports a missing portal as a cancelled dialog; we cannot tell the two apart, so
        // the export panel always offers a typed path as well.
        Ok(dialog.save_file())
    }

    fn open_file(&self, title: &str, extension: &str) -> Result<Option<PathBuf>, String> {
        Ok(rfd::FileDialog::new()
            .set_title(title)
            .add_filter(extension.to_uppercase(), &[extension])
            .pick_file())
    }

    fn open_files(&self, title: &str, extension: &str) -> Result<Option<Vec<PathBuf>>, String> {
        Ok(rfd::FileDialog::new()
            .set_title(title)
            .add_filter(extension.to_uppercase(), &[extension])
            .pick_files())
    }

    fn pick_folder(&self, title: &str) -> Result<Option<PathBuf>, String> {
        Ok(rfd::FileDialog::new().set_title(title).pick_folder())
    }
}

/// Answers every dialog with a fixed path: for tests and scripted use.
pub struct FixedDialogs(pub Option<PathBuf>);

impl FileDialogs for FixedDialogs {
    fn save_file(&self, _: &str, _: &str, _: &str) -> Result<Option<PathBuf>, String> {
        Ok(self.0.clone())
    }

    fn open_file(&self, _: &str, _: &str) -> Result<Option<PathBuf>, String> {
        Ok(self.0.clone())
    }
}

/// Answers "open several files" with a fixed list (and single-file dialogs with its first).
pub struct FixedFiles(pub Vec<PathBuf>);

impl FileDialogs for FixedFiles {
    fn save_file(&self, _: &str, _: &str, _: &str) -> Result<Option<PathBuf>, String> {
        Ok(self.0.first().cloned())
    }

    fn open_file(&self, _: &str, _: &str) -> Result<Option<PathBuf>, String> {
        Ok(self.0.first().cloned())
    }

    fn open_files(&self, _: &str, _: &str) -> Result<Option<Vec<PathBuf>>, String> {
        Ok((!self.0.is_empty()).then(|| self.0.clone()))
    }
}

/// No dialog can be shown (a desktop without a file chooser portal).
pub struct NoDialogs;

impl FileDialogs for NoDialogs {
    fn save_file(&self, _: &str, _: &str, _: &str) -> Result<Option<PathBuf>, String> {
        Err("no file chooser is available on this desktop".into())
    }

    fn open_file(&self, _: &str, _: &str) -> Result<Option<PathBuf>, String> {
        Err("no file chooser is available on this desktop".into())
    }
}
