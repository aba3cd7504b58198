//! Work that runs beside the UI: the day's first backup, so opening a large log is not held up.

use std::sync::mpsc::{channel, Receiver, TryRecvError};
use std::sync::Arc;
use std::thread::JoinHandle;

use chrono::NaiveDate;

use crate::store::{BackupInfo, Store, StoreError};

/// The day's backup, taken on its own thread. Dropping it waits for the thread, so the store
/// is never closed (or restored over) while a backup is still reading it.
pub struct DailyBackup {
    handle: Option<JoinHandle<()>>,
    done: Receiver<Result<Option<BackupInfo>, StoreError>>,
}

impl DailyBackup {
    pub fn start(store: Arc<Store>, today: NaiveDate) -> Self {
        let (tx, done) = channel();
        let handle = std::thread::Builder::new()
            .name("daily backup".into())
            .spawn(move || {
                let _ = tx.send(store.daily_backup(today));
            })
            .ok();
        DailyBackup { handle, done }
    }

    /// The outcome once the backup has finished (only once), otherwise `None`.
    pub fn poll(&mut self) -> Option<Result<Option<BackupInfo>, StoreError>> {
        match self.done.try_recv() {
            Ok(result) => {
                self.wait();
                Some(result)
            }
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => None,
        }
    }

    /// Blocks until the backup thread has ended.
    pub fn wait(&mut self) {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for DailyBackup {
    fn drop(&mut self) {
        self.wait();
    }
}
