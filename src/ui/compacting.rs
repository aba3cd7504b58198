//! The screen shown while the log is copied whole into a fresh folder, with the log closed:
//! compacting it (Settings, "Compact the log") and changing its passphrase (every entry
//! re-encrypted under a new key). The copy runs on a thread of its own, and a progress bar shows
//! how far it is.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use egui::{RichText, Ui};

use super::background::{Background, Outcome};
use super::widgets::thousands;
use super::workspace::Status;
use crate::report::plural;
use crate::store::{Compacted, Passphrase, Rekeyed, Store, StoreError, StoreResult};

/// "1 backup opens", "3 backups open".
fn backups_open(n: usize) -> String {
    plural(n, "backup opens", "backups open")
}

/// Which copy of the log is made.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Job {
    Compact,
    ChangePassphrase,
}

/// How a copy ended: the log, and what to say about it.
pub enum Copied {
    Compacted(Compacted),
    Rekeyed(Rekeyed),
}

impl Copied {
    /// The log as it is now, and the status line's words about the copy.
    pub fn finish(self) -> (StoreResult<Store>, Status) {
        let said = |text: String, is_error: bool| Status {
            text,
            is_error,
            undo: None,
        };
        match self {
            Copied::Compacted(Compacted { store, outcome }) => {
                let status = match outcome {
                    Ok(c) => said(
                        format!(
                            "Compacted the log: {}.",
                            crate::report::compacted_size(c.bytes_before, c.bytes_after)
                        ),
                        false,
                    ),
                    Err(e) => said(e.to_string(), !matches!(e, StoreError::CompactingStopped)),
                };
                (store, status)
            }
            Copied::Rekeyed(Rekeyed { store, outcome }) => {
                let status = match outcome {
                    Ok(r) => said(
                        format!(
                            "The passphrase is changed: every entry is encrypted under a new \
                             key{}. Use the new passphrase from now on.",
                            match (r.backups_rewrapped, r.replaced_removed) {
                                (0, 0) => String::new(),
                                (b, 0) => format!(", and {} with it", backups_open(b)),
                                (b, k) => format!(
                                    ", {} with it, and {} removed",
                                    backups_open(b),
                                    plural(
                                        k,
                                        "old copy of the log was",
                                        "old copies of the log were"
                                    )
                                ),
                            }
                        ),
                        false,
                    ),
                    Err(StoreError::PassphraseChangeStopped) => {
                        said(StoreError::PassphraseChangeStopped.to_string(), false)
                    }
                    Err(e) => said(format!("The passphrase was not changed: {e}"), true),
                };
                (store, status)
            }
        }
    }
}

pub struct Compacting {
    job: Job,
    work: Background<Copied>,
    copied: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Compacting {
    /// Compacts the log.
    pub fn start(store: Store) -> Self {
        Compacting::copy(Job::Compact, move |progress, stop| {
            Copied::Compacted(store.compact(progress, stop))
        })
    }

    /// Changes the log's passphrase from `current` to `new`.
    pub fn change_passphrase(store: Store, current: Passphrase, new: Passphrase) -> Self {
        Compacting::copy(Job::ChangePassphrase, move |progress, stop| {
            Copied::Rekeyed(store.change_passphrase(&current, &new, progress, stop))
        })
    }

    fn copy(
        job: Job,
        work: impl FnOnce(&mut dyn FnMut(u64, u64), &AtomicBool) -> Copied + Send + 'static,
    ) -> Self {
        let copied = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, t, s) = (copied.clone(), total.clone(), stop.clone());
        let name = match job {
            Job::Compact => "compact log",
            Job::ChangePassphrase => "change passphrase",
        };
        let work = Background::start(name, move || {
            work(
                &mut |done, all| {
                    c.store(done, Ordering::Relaxed);
                    t.store(all, Ordering::Relaxed);
                },
                &s,
            )
        });
        Compacting {
            job,
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
    pub fn show(&mut self, ui: &mut Ui) -> Option<Copied> {
        let done = match self.work.poll() {
            Outcome::Running => None,
            Outcome::Done(copied) => Some(copied),
            Outcome::Lost => {
                let why = || -> crate::store::Cause { "it stopped unexpectedly".into() };
                Some(match self.job {
                    Job::Compact => Copied::Compacted(Compacted {
                        store: Err(StoreError::CompactingFailed(why())),
                        outcome: Err(StoreError::CompactingFailed(why())),
                    }),
                    Job::ChangePassphrase => Copied::Rekeyed(Rekeyed {
                        store: Err(StoreError::PassphraseChangeFailed(why())),
                        outcome: Err(StoreError::PassphraseChangeFailed(why())),
                    }),
                })
            }
        };
        let (heading, intro, stop_label, stays) = match self.job {
            Job::Compact => (
                "Compacting the log",
                "Its entries are copied into a fresh folder that takes the log's place. The log \
                 reopens by itself when the copy is done.",
                "Stop compacting",
                "The log stays as it was.",
            ),
            Job::ChangePassphrase => (
                "Changing the passphrase",
                "Every entry is encrypted again under a new key, in a fresh folder that takes \
                 the log's place, so the old passphrase opens nothing the log holds. The log \
                 reopens by itself when the copy is done.",
                "Stop changing the passphrase",
                "The log stays as it was, with the old passphrase.",
            ),
        };
        let (copied, total) = (
            self.copied.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        );
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(40.0);
            ui.heading(heading);
            ui.label(RichText::new(intro).size(15.0));
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
                .add_enabled(copying && !stopping, egui::Button::new(stop_label))
                .on_hover_text(stays)
                .clicked()
            {
                self.stop.store(true, Ordering::Relaxed);
            }
        });
        ui.ctx().request_repaint_after(Duration::from_millis(100));
        done
    }
}
