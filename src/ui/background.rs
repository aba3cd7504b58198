//! Work that runs beside the UI so the window stays live: the day's first backup, building the
//! contact index, and reading and writing bundles.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use chrono::NaiveDate;

use crate::store::{BackupInfo, IndexStage, Store, StoreError};

/// Where a piece of background work stands.
pub enum Outcome<T> {
    Running,
    Done(T),
    /// The thread could not start or ended without an answer.
    Lost,
}

/// One piece of work on its own thread. Dropping it waits for the thread, so the store is
/// never closed (or restored over) while the work still uses it.
pub struct Background<T> {
    handle: Option<JoinHandle<()>>,
    done: Receiver<T>,
}

impl<T: Send + 'static> Background<T> {
    pub fn start(name: &str, work: impl FnOnce() -> T + Send + 'static) -> Self {
        let (tx, done) = channel();
        let handle = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let _ = tx.send(work());
            })
            .ok();
        Background { handle, done }
    }

    /// The result once the work has finished (only once).
    pub fn poll(&mut self) -> Outcome<T> {
        match self.done.try_recv() {
            Ok(result) => {
                self.wait();
                Outcome::Done(result)
            }
            Err(TryRecvError::Empty) => Outcome::Running,
            Err(TryRecvError::Disconnected) => Outcome::Lost,
        }
    }
}

impl<T> Background<T> {
    /// Waits for the work to end and takes its result (`None` when it ended without one).
    pub fn finish(mut self) -> Option<T> {
        self.wait();
        self.done.try_recv().ok()
    }

    /// Blocks until the thread has ended.
    pub fn wait(&mut self) {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl<T> Drop for Background<T> {
    fn drop(&mut self) {
        self.wait();
    }
}

/// The day's backup, taken on its own thread.
pub struct DailyBackup(Background<Result<Option<BackupInfo>, StoreError>>);

impl DailyBackup {
    pub fn start(store: Arc<Store>, today: NaiveDate) -> Self {
        DailyBackup(Background::start("daily backup", move || {
            store.daily_backup(today)
        }))
    }

    /// The outcome once the backup has finished (only once), otherwise `None`.
    pub fn poll(&mut self) -> Option<Result<Option<BackupInfo>, StoreError>> {
        match self.0.poll() {
            Outcome::Done(result) => Some(result),
            Outcome::Running | Outcome::Lost => None,
        }
    }

    /// Blocks until the backup thread has ended.
    pub fn wait(&mut self) {
        self.0.wait();
    }
}

/// The in-memory contact index being built beside the UI after the log opens (see
/// [`Store::build_contact_index`]); until it is ready, the log is searched in the store.
pub struct IndexBuild {
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<IndexProgress>>,
    work: Option<Background<Result<bool, StoreError>>>,
}

/// How far the index build has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexProgress {
    pub stage: IndexStage,
    /// Records of that stage read so far.
    pub read: usize,
    /// The build has read more than a few thousand records of some kind: the log is large
    /// enough for its users to wait for the index rather than read every note.
    pub large: bool,
}

impl IndexProgress {
    /// "120,000 people read", as the status line says it.
    pub fn describe(&self) -> String {
        format!(
            "{} {} read",
            super::widgets::thousands(self.read),
            self.stage.noun()
        )
    }
}

impl IndexBuild {
    pub fn start(store: Arc<Store>) -> Self {
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Mutex::new(IndexProgress {
            stage: IndexStage::People,
            read: 0,
            large: false,
        }));
        let (stop, shared) = (cancel.clone(), progress.clone());
        let work = Background::start("contact index", move || {
            let mut report = |stage, read| {
                let mut p = shared.lock().unwrap_or_else(PoisonError::into_inner);
                *p = IndexProgress {
                    stage,
                    read,
                    large: p.large || read > 0,
                };
            };
            store.build_contact_index(&mut report, &stop)
        });
        IndexBuild {
            cancel,
            progress,
            work: Some(work),
        }
    }

    /// How far the build has got, while it runs.
    pub fn reading(&self) -> Option<IndexProgress> {
        self.work
            .as_ref()
            .map(|_| *self.progress.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The outcome once the build has ended (only once), otherwise `None`.
    pub fn poll(&mut self) -> Option<Result<bool, StoreError>> {
        let outcome = match self.work.as_mut()?.poll() {
            Outcome::Running => return None,
            Outcome::Done(result) => result,
            Outcome::Lost => Err(StoreError::Write("the index build stopped".into())),
        };
        self.work = None;
        Some(outcome)
    }

    /// Asks the build to stop at its next step.
    pub fn cancel(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Blocks until the build has ended.
    pub fn wait(&mut self) {
        if let Some(work) = &mut self.work {
            work.wait();
        }
    }
}

impl Drop for IndexBuild {
    /// A log being closed or locked does not wait for its index.
    fn drop(&mut self) {
        self.cancel();
    }
}

/// A value worked out on its own thread for a key (the review figures for a period). Until it
/// is ready the screen shows that it is coming, or the value before it; the window stays live
/// however large the log.
pub struct Beside<K, V> {
    ready: Option<(K, Result<V, String>)>,
    running: Option<(K, Background<Result<V, String>>)>,
}

impl<K, V> Default for Beside<K, V> {
    fn default() -> Self {
        Beside {
            ready: None,
            running: None,
        }
    }
}

impl<K: PartialEq + Clone, V: Send + 'static> Beside<K, V> {
    /// Starts `work` for `key` unless its value is ready or on its way, and returns the latest
    /// value worked out, with its key (the caller decides whether an older one is still worth
    /// showing). A change of key while work runs waits for that work to end (it is never left
    /// behind or joined on the UI thread), then starts again.
    pub fn get(
        &mut self,
        key: &K,
        work: impl FnOnce() -> Result<V, String> + Send + 'static,
    ) -> Option<(&K, &Result<V, String>)> {
        if let Some((k, job)) = &mut self.running {
            let outcome = match job.poll() {
                Outcome::Running => None,
                Outcome::Done(result) => Some(result),
                Outcome::Lost => Some(Err("This stopped before it was ready; try again.".into())),
            };
            if let Some(result) = outcome {
                // Work for a key left behind does not push out the value asked for now.
                let asked_is_ready = self.ready.as_ref().is_some_and(|(r, _)| r == key);
                if !asked_is_ready || k == key {
                    self.ready = Some((k.clone(), result));
                }
                self.running = None;
            }
        }
        let ready = self.ready.as_ref().is_some_and(|(k, _)| k == key);
        if !ready && self.running.is_none() {
            self.running = Some((key.clone(), Background::start("figures", work)));
        }
        self.ready.as_ref().map(|(k, v)| (k, v))
    }

    /// Blocks until the work running has ended (it is picked up at the next `get`).
    pub fn wait(&mut self) {
        if let Some((_, job)) = &mut self.running {
            job.wait();
        }
    }
}

impl<W: PartialEq + Clone, V: Send + 'static> Beside<(u64, W), V> {
    /// What a screen shows of the value for `view` at the store's `generation`: the value, or
    /// (after a change elsewhere in the log) the one from before it, marked as being updated;
    /// for another view, `waiting` until it is ready. An error is shown in its place.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        generation: u64,
        view: W,
        waiting: &str,
        work: impl FnOnce() -> Result<V, String> + Send + 'static,
    ) -> Option<&V> {
        let key = (generation, view);
        let poll_soon = |ui: &egui::Ui| {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100))
        };
        match self.get(&key, work) {
            Some(((shown_at, shown), result)) if *shown == key.1 => {
                if *shown_at != generation {
                    ui.weak("Updating with the latest changes...");
                    poll_soon(ui);
                }
                match result {
                    Ok(value) => Some(value),
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                        None
                    }
                }
            }
            _ => {
                // A plain line, looked at again ten times a second: a spinner would redraw the
                // window every frame for as long as the work takes.
                ui.label(waiting);
                poll_soon(ui);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beside_works_out_a_key_once_and_keeps_the_last_value_while_the_next_is_worked_out() {
        let mut b: Beside<u32, String> = Beside::default();
        assert!(
            b.get(&1, || Ok("one".into())).is_none(),
            "not ready at once"
        );
        b.wait();
        let (k, v) = b.get(&1, || Err("not run again".into())).unwrap();
        assert_eq!((*k, v.clone()), (1, Ok("one".to_string())));
        // Another key: the value for the first is still offered, with its key, until ready.
        let (k, _) = b.get(&2, || Ok("two".into())).unwrap();
        assert_eq!(*k, 1);
        b.wait();
        let (k, v) = b.get(&2, || Err("not run again".into())).unwrap();
        assert_eq!((*k, v.clone()), (2, Ok("two".to_string())));
        // 4 is ready; 3 is asked for, then 4 again before 3 is ready: 3 arriving keeps 4 up.
        b.get(&4, || Ok("four".into()));
        b.wait();
        assert_eq!(b.get(&4, || Err("not run again".into())).unwrap().0, &4);
        assert_eq!(b.get(&3, || Ok("three".into())).unwrap().0, &4);
        b.wait();
        assert_eq!(b.get(&4, || Err("not run again".into())).unwrap().0, &4);
    }
}
