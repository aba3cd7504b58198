//! The squad exchange beside the UI: one sync at a time on its own thread, started when the log
//! is unlocked, about ten seconds after the last save, every five minutes while the app is open
//! and on "Sync now"; after a failure the next try waits longer (1, 2, 4, 8, then 15 minutes).
//! The frame only polls. The exchange's state ([`ExchangeStatus`], which scans the log) is
//! worked out here too, after each sync and after saves, never in a frame.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::background::{Background, Outcome};
use crate::exchange::{self, Conflicts, ExchangeError, ExchangeStatus, SyncReport};
use crate::store::{ExchangeEntry, Store, StoreResult};

/// How long after a save the sync that sends it starts (more saves meanwhile push it back).
pub const AFTER_SAVE: Duration = Duration::from_secs(10);
/// How often the app syncs while it is open.
pub const EVERY: Duration = Duration::from_secs(5 * 60);
/// The longest wait after failures.
pub const MOST_BACK_OFF: Duration = Duration::from_secs(15 * 60);

/// Why the last sync of this session failed.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncFailure {
    /// In plain words.
    pub text: String,
    /// The storage could not be reached (offline, a network drive not connected).
    pub offline: bool,
}

/// What a sync that ended did, as the workspace takes it in.
pub enum SyncEnded {
    /// The exchange is not set up (no squad or no storage): nothing was tried.
    NotSetUp,
    Synced(SyncReport),
    Failed(SyncFailure),
}

struct Done {
    ended: SyncEnded,
    /// Read after a sync; not before the exchange is set up (it would make this log's signing
    /// key: that waits until the Squad exchange page asks for it).
    status: Option<Result<ExchangeStatus, String>>,
}

/// Whether the log has joined (or created) a squad and has a storage target.
fn set_up(store: &Store) -> StoreResult<bool> {
    Ok(exchange::target(store)?.is_some() && exchange::squad(store)?.is_some())
}

/// Where the exchange stands. Scanning the log for what waits to be sent is done only once the
/// exchange is set up; before, nothing waits.
fn read_status(store: &Store) -> Result<ExchangeStatus, String> {
    let words = |e: crate::store::StoreError| e.to_string();
    if set_up(store).map_err(words)? {
        return exchange::status(store).map_err(words);
    }
    let (me, members) = exchange::members_with_status(store).map_err(words)?;
    Ok(ExchangeStatus {
        target: exchange::target(store).map_err(words)?.map(|t| t.target),
        squad: exchange::squad(store).map_err(words)?,
        last: store.exchange_get(ExchangeEntry::LastSync).map_err(words)?,
        waiting_to_send: 0,
        decisions: exchange::waiting_decisions(store).map_err(words)?.len(),
        me,
        members,
    })
}

fn sync(store: &Store) -> Done {
    let ended = match set_up(store) {
        Ok(false) => {
            return Done {
                ended: SyncEnded::NotSetUp,
                status: None,
            }
        }
        Err(e) => SyncEnded::Failed(SyncFailure {
            text: e.to_string(),
            offline: false,
        }),
        Ok(true) => match exchange::sync_once(store, Conflicts::Wait) {
            Ok(report) => SyncEnded::Synced(report),
            Err(e) => SyncEnded::Failed(SyncFailure {
                offline: matches!(e, ExchangeError::Unreachable(_)),
                text: e.to_string(),
            }),
        },
    };
    Done {
        ended,
        status: Some(read_status(store)),
    }
}

/// The sync and the exchange's state, worked out beside the UI.
pub struct SyncWorker {
    job: Option<Background<Done>>,
    status_job: Option<Background<Result<ExchangeStatus, String>>>,
    /// Another reading of the state is wanted once the one running ends.
    status_stale: bool,
    /// The exchange's state, as last worked out.
    pub status: Option<ExchangeStatus>,
    /// The state could not be read.
    pub status_error: Option<String>,
    /// How the last sync of this session ended, when it failed.
    pub failure: Option<SyncFailure>,
    /// What the last sync of this session did.
    pub report: Option<SyncReport>,
    /// When the next sync is due (`None`: only on a save or "Sync now").
    due: Option<Instant>,
    /// A sync asked for while one runs: it starts once that one ends.
    again: bool,
    failures: u32,
}

impl SyncWorker {
    /// A worker whose first sync is due at once (the log was just unlocked).
    pub fn new() -> Self {
        SyncWorker {
            job: None,
            status_job: None,
            status_stale: false,
            status: None,
            status_error: None,
            failure: None,
            report: None,
            due: Some(Instant::now()),
            again: false,
            failures: 0,
        }
    }

    /// Whether a sync is running.
    pub fn syncing(&self) -> bool {
        self.job.is_some()
    }

    /// Whether the exchange's state is being read (or a sync, which reads it after).
    pub fn reading(&self) -> bool {
        self.job.is_some() || self.status_job.is_some()
    }

    /// Whether the squad and the storage are set, as last read.
    pub fn set_up(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(|s| s.squad.is_some() && s.target.is_some())
    }

    /// A sync now (or as soon as the one running ends), whatever the back-off.
    pub fn sync_now(&mut self) {
        self.failures = 0;
        if self.job.is_some() {
            self.again = true;
        } else {
            self.due = Some(Instant::now());
        }
    }

    /// Something was saved: it is sent about ten seconds after the last save, and what waits
    /// to be sent is worked out again.
    pub fn saved(&mut self, store: &Arc<Store>) {
        if !self.set_up() {
            return;
        }
        let now = Instant::now();
        let soon = now + AFTER_SAVE;
        match self.due {
            // A sync asked for ("Sync now", a new member approved) starts anyway.
            Some(due) if due <= now => {}
            // After failures the back-off stands: saves do not hammer a storage that is down.
            Some(due) if self.failures > 0 && due > soon => {}
            _ => self.due = Some(soon),
        }
        self.refresh_status(store);
    }

    /// Works out the exchange's state again, beside the UI.
    pub fn refresh_status(&mut self, store: &Arc<Store>) {
        if self.status_job.is_some() {
            self.status_stale = true;
            return;
        }
        let store = store.clone();
        self.status_job = Some(Background::start("exchange status", move || {
            read_status(&store)
        }));
    }

    /// Starts the sync when it is due; returns how long until something is to be looked at
    /// again (for the next frame to be drawn then).
    pub fn tick(&mut self, store: &Arc<Store>) -> Duration {
        if self.job.is_some() {
            return Duration::from_millis(200);
        }
        let now = Instant::now();
        match self.due {
            Some(due) if due <= now => {
                self.due = None;
                let store = store.clone();
                self.job = Some(Background::start("squad sync", move || sync(&store)));
                Duration::from_millis(200)
            }
            _ if self.status_job.is_some() => Duration::from_millis(200),
            Some(due) => due - now,
            // The "2 min ago" of the top bar moves on.
            None => Duration::from_secs(30),
        }
    }

    /// Takes in a sync or a reading of the state that ended; a sync's outcome is handed back
    /// (once) for the workspace to act on.
    pub fn poll(&mut self, store: &Arc<Store>) -> Option<SyncEnded> {
        if let Some(job) = &mut self.status_job {
            let read = match job.poll() {
                Outcome::Running => None,
                Outcome::Done(read) => Some(read),
                Outcome::Lost => Some(Err("the squad exchange's state could not be read".into())),
            };
            if let Some(read) = read {
                self.status_job = None;
                self.take_status(read);
                if std::mem::take(&mut self.status_stale) {
                    self.refresh_status(store);
                }
            }
        }
        let done = match self.job.as_mut()?.poll() {
            Outcome::Running => return None,
            Outcome::Done(done) => done,
            Outcome::Lost => Done {
                ended: SyncEnded::Failed(SyncFailure {
                    text: "The sync stopped unexpectedly.".into(),
                    offline: false,
                }),
                status: None,
            },
        };
        self.job = None;
        if let Some(status) = done.status {
            self.take_status(status);
        }
        let now = Instant::now();
        self.due = match &done.ended {
            SyncEnded::NotSetUp => None,
            SyncEnded::Synced(report) => {
                self.failures = 0;
                self.failure = None;
                self.report = Some(report.clone());
                Some(now + EVERY)
            }
            SyncEnded::Failed(f) => {
                self.failures += 1;
                self.failure = Some(f.clone());
                Some(now + back_off(self.failures))
            }
        };
        if std::mem::take(&mut self.again) {
            self.due = Some(now);
        }
        Some(done.ended)
    }

    fn take_status(&mut self, read: Result<ExchangeStatus, String>) {
        match read {
            Ok(s) => {
                self.status = Some(s);
                self.status_error = None;
            }
            Err(e) => self.status_error = Some(e),
        }
    }

    /// Blocks until the sync and the reading of the state running have ended (the log is
    /// about to close, or a test waits for them); their outcome is taken at the next poll.
    pub fn wait(&mut self) {
        if let Some(job) = &mut self.job {
            job.wait();
        }
        if let Some(job) = &mut self.status_job {
            job.wait();
        }
    }

    /// The top bar's words for where the exchange stands (`None` while it is not set up), and
    /// whether they tell of a failure.
    pub fn describe(&self, now: DateTime<Utc>) -> Option<(String, bool)> {
        if !self.set_up() {
            return None;
        }
        if self.syncing() {
            return Some(("Syncing...".into(), false));
        }
        let s = self.status.as_ref()?;
        let waiting = s.waiting_to_send;
        let waiting_words =
            || crate::model::plural(waiting, "change waiting", "changes waiting") + " to be sent";
        if let Some(f) = &self.failure {
            if f.offline && waiting > 0 {
                return Some((format!("{} (offline)", waiting_words()), false));
            }
            return Some((format!("Sync failed: {}", f.text), true));
        }
        let said = match &s.last {
            None => "Not synced yet".to_string(),
            Some(last) => match &last.failed {
                Some(why) => return Some((format!("Sync failed: {why}"), true)),
                None => format!("Synced {}", super::widgets::ago(last.at, now)),
            },
        };
        if waiting > 0 {
            return Some((format!("{said}; {}", waiting_words()), false));
        }
        Some((said, false))
    }
}

impl Default for SyncWorker {
    fn default() -> Self {
        Self::new()
    }
}

/// The wait after `failures` failures in a row: 1, 2, 4, 8, then 15 minutes.
pub fn back_off(failures: u32) -> Duration {
    let minutes = 1u64 << failures.saturating_sub(1).min(4);
    Duration::from_secs(minutes * 60).min(MOST_BACK_OFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_wait_longer_each_time_up_to_a_quarter_hour() {
        let minutes: Vec<u64> = (1..=7).map(|n| back_off(n).as_secs() / 60).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 15, 15, 15]);
    }
}
