//! The screen shown while the log is compacted (Settings, "Compact the log"): the log is closed,
//! its entries are copied into a fresh folder on a thread of their own, and a progress bar
//! shows how far the copy is.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use egui::{RichText, Ui};

use super::background::{Background, Outcome};
use super::widgets::thousands;
use crate::store::{Compacted, Store, StoreError};

pub struct Compacting {
    work: Background<Compacted>,
    copied: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Compacting {
    pub fn start(store: Store) -> Self {
        let copied = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, t, s) = (copied.clone(), total.clone(), stop.clone());
        let work = Background::start("compact log", move || {
            store.compact(
                &mut |done, all| {
                    c.store(done, Ordering::Relaxed);
                    t.store(all, Ordering::Relaxed);
                },
                &s,
            )
        });
        Compacting {
            work,
            copied,
            total,
            stop,
        }
    }

    /// Blocks until the copy has ended (its outcome is shown at the next frame).
    pub fn wait(&mut self) {
        self.work.wait();
    }

    /// Draws the progress; the log and how it went once the copy has ended.
    pub fn show(&mut self, ui: &mut Ui) -> Option<Compacted> {
        let done = match self.work.poll() {
            Outcome::Running => None,
            Outcome::Done(compacted) => Some(compacted),
            Outcome::Lost => {
                let lost = || StoreError::CompactingFailed("it stopped unexpectedly".into());
                Some(Compacted {
                    store: Err(lost()),
                    outcome: Err(lost()),
                })
            }
        };
        let (copied, total) = (
            self.copied.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        );
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(40.0);
            ui.heading("Compacting the log");
            ui.label(
                RichText::new(
                    "Its entries are copied into a fresh folder that takes the log's place. \
                     The log reopens by itself when the copy is done.",
                )
                .size(15.0),
            );
            ui.add_space(8.0);
            let fraction = if total == 0 {
                0.0
            } else {
                copied as f32 / total as f32
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .show_percentage()
                    .desired_width(420.0),
            );
            let stopping = self.stop.load(Ordering::Relaxed);
            ui.weak(if stopping {
                "Stopping: the copy made so far is cleared away...".to_string()
            } else if total == 0 {
                "Counting the entries...".to_string()
            } else if copied < total {
                format!(
                    "{} of {} entries copied",
                    thousands(copied as usize),
                    thousands(total as usize)
                )
            } else {
                "Every entry copied. Putting the copy in its place...".to_string()
            });
            let copying = total == 0 || copied < total;
            if ui
                .add_enabled(copying && !stopping, egui::Button::new("Stop compacting"))
                .on_hover_text("The log stays as it was.")
                .clicked()
            {
                self.stop.store(true, Ordering::Relaxed);
            }
        });
        ui.ctx().request_repaint_after(Duration::from_millis(100));
        done
    }
}
