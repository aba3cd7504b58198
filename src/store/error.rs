//! Everything that can go wrong with the store, phrased for the person at the keyboard.
//!
//! A failure of something beneath the store (sled, the disk, serde, the cipher) keeps that error
//! as its [`std::error::Error::source`]; the message names it too, so one line says all. The
//! words say what happened and what is safe, never where in the app to go: that is the wording
//! of the screen or command that shows the error.

use std::path::PathBuf;

use crate::model::{RecordKind, ValidationError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("This log is open in another beatbook window (or another beatbook command is using it). Close that one first.")]
    Locked,
    #[error("The folder {0} cannot be written to. Choose another folder or fix its permissions.")]
    NotWritable(PathBuf),
    /// The data folder given (or a folder above it) is a file: nothing was written to it.
    #[error("{} is a file, not a folder. beatbook keeps its log in a folder of its own and left the file as it is: choose another folder.", .0.display())]
    NotAFolder(PathBuf),
    #[error("beatbook will not keep a log in {path}: {reason}. Choose a folder only you can change (or make this one yours alone, for example with `chmod 700`).")]
    UnsafeFolder { path: PathBuf, reason: String },
    #[error("The log in {path} cannot be read: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("This log was written by a newer beatbook (format {found}; this version reads up to {supported}). Update beatbook to open it.")]
    NewerFormat { found: u32, supported: u32 },
    #[error("A stored {kind} could not be read ({reason}).")]
    Corrupt { kind: &'static str, reason: String },
    #[error("This {} was changed elsewhere since you opened it. Reopen it and make your change again.", .0.label())]
    Conflict(RecordKind),
    #[error("The log changed while the import was being prepared. Nothing was imported; import the bundles again.")]
    Changed,
    #[error("That {} no longer exists.", .0.label())]
    NotFound(RecordKind),
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("beatbook has not been set up yet.")]
    NotSetUp,
    #[error("Saving failed: {0}. Nothing was lost; try again.")]
    Write(#[source] Cause),
    /// The disk refused a read or write; sled stops using the log until it is reopened.
    #[error("The disk refused the save ({0}). What you typed is kept; check the disk (is it full?) and save again.")]
    Disk(#[source] Cause),
    #[error("The log is damaged: its latest saved entries are missing (after a crash or a disk fault). Restore a backup; the damaged log is kept aside.")]
    Damaged,
    #[error("{path} cannot be used as a backup: {reason}. Nothing was changed.")]
    BadBackup { path: PathBuf, reason: String },
    #[error("The backup could not be written: {0}")]
    BackupFailed(#[source] Cause),
    #[error("{}", wrong_passphrase(*.attempts_left))]
    WrongPassphrase { attempts_left: u32 },
    #[error("Too many wrong passphrases. The log is locked until {}; try again then.", .until.with_timezone(&chrono::Local).format("%H:%M"))]
    LockedOut {
        until: chrono::DateTime<chrono::Utc>,
    },
    #[error("{0}")]
    WeakPassphrase(String),
    #[error("The key file asks for a key derivation of {memory_mib} MiB and {passes} passes, more than beatbook ever uses (at most {} MiB and {} passes): it was not written by beatbook, or it is damaged. Nothing was derived; restore a backup.", super::KdfCost::MOST.memory_kib / 1024, super::KdfCost::MOST.passes)]
    ExcessiveKeyCost { memory_mib: u32, passes: u32 },
    #[error("The log is locked. Unlock it with your passphrase first.")]
    NotUnlocked,
    #[error("Compacting was stopped. The log is as it was.")]
    CompactingStopped,
    #[error("The log could not be compacted: {0}. Nothing was lost.")]
    CompactingFailed(#[source] Cause),
    #[error("Changing the passphrase was stopped. The log is as it was; the old passphrase still opens it.")]
    PassphraseChangeStopped,
    #[error("The passphrase could not be changed: {0}. The old passphrase still opens the log.")]
    PassphraseChangeFailed(#[source] Cause),
    #[error("Bundles are encrypted with the squad passphrase, and none is set yet (your sergeant gives it to the squad).")]
    NoSquadPassphrase,
}

/// The error beneath a store error. A plain text converts into one (`"...".into()`) for a
/// failure that has no error of its own, such as work that stopped unexpectedly.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A cause with the step it interrupted: shown as "the step (the cause)".
#[derive(Debug, thiserror::Error)]
#[error("{step} ({source})")]
pub struct During {
    step: &'static str,
    source: Cause,
}

impl During {
    /// `source` as the reason `step` failed.
    pub fn cause(step: &'static str, source: impl Into<Cause>) -> Cause {
        Box::new(During {
            step,
            source: source.into(),
        })
    }
}

impl StoreError {
    /// A failure to save whose work stopped without an error of its own (a worker thread that
    /// ended early): `what` says which work.
    pub fn stopped(what: &'static str) -> Self {
        StoreError::Write(what.into())
    }

    /// Translates sled's error for a failed read or write.
    pub(crate) fn from_sled(e: sled::Error) -> Self {
        match e {
            sled::Error::Corruption { .. } => StoreError::Corrupt {
                kind: "part of the log",
                reason: e.to_string(),
            },
            sled::Error::Unsupported(_) | sled::Error::CollectionNotFound(_) => {
                StoreError::Write(Box::new(e))
            }
            // I/O errors, and the injected faults of test builds.
            other => StoreError::Disk(Box::new(other)),
        }
    }
}

fn wrong_passphrase(attempts_left: u32) -> String {
    match attempts_left {
        1 => "That passphrase is not right. One more wrong try locks the log for a while.".into(),
        n => format!(
            "That passphrase is not right. {n} tries left before the log locks for a while."
        ),
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[cfg(test)]
mod tests {
    use std::error::Error;

    use super::*;

    #[test]
    fn a_refused_disk_write_keeps_sleds_error_as_its_source() {
        let e = StoreError::from_sled(sled::Error::Io(std::io::Error::other("no space left")));
        assert!(matches!(e, StoreError::Disk(_)), "{e:?}");
        assert!(e.to_string().contains("no space left"), "{e}");
        let source = e.source().expect("the disk's error is kept");
        assert!(source.downcast_ref::<sled::Error>().is_some(), "{source:?}");
    }

    #[test]
    fn a_failed_step_names_the_step_and_keeps_the_error_beneath_it() {
        let e = StoreError::CompactingFailed(During::cause(
            "its copy could not be written",
            std::io::Error::other("no space left"),
        ));
        assert_eq!(
            e.to_string(),
            "The log could not be compacted: its copy could not be written (no space left). \
             Nothing was lost."
        );
        let step = e.source().expect("the step is kept");
        let io = step.source().expect("the disk's error is kept");
        assert!(io.downcast_ref::<std::io::Error>().is_some(), "{io:?}");
    }

    #[test]
    fn work_that_stopped_reads_as_a_failed_save() {
        let e = StoreError::stopped("the change stopped unexpectedly");
        assert_eq!(
            e.to_string(),
            "Saving failed: the change stopped unexpectedly. Nothing was lost; try again."
        );
    }
}
