//! The squad exchange: each log sends what its officer wrote and receives what the rest of the
//! squad wrote, through storage the department already runs, without anyone carrying files.
//!
//! The storage holds only sealed, signed bundles under opaque names:
//!
//! ```text
//! <root>/<squad id>/d/<device>/<seq>    a delta: the records this device changed since <seq - 1>
//! <root>/<squad id>/roster/<revision>   the roster, signed by the sergeant
//! ```
//!
//! Squad ids and device names are random. A delta is written create-only (S3's
//! `If-None-Match: *`), so nothing is ever overwritten; a reader keeps, per device, the number
//! of the last delta it applied and lists only what came after. Every object is sealed with
//! the squad's key and signed by the log that wrote it, and its name is bound into the
//! signature, so a copy under another name, an altered byte or a stranger's key is refused.
//! Applying is the merge bundles always used: idempotent and order-independent, so a sync
//! killed half-way is completed by the next one. Conflicts found while syncing wait for the
//! officer's decision rather than interrupt them.

mod join;
mod sync;
mod target;

pub use join::{create_squad, join_squad, squad, JoinFile, Squad};
pub use sync::{
    arrivals, decide, members_with_status, status, sync_once, waiting_decisions, Conflicts,
    ExchangeStatus, LastSync, SyncReport, WaitingDecision,
};
pub use target::{Credentials, Target, TargetSettings};

use crate::store::{ExchangeEntry, Store, StoreError, StoreResult};

/// Why an exchange could not be done, in words for the officer.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("The squad exchange is not set up: {0}")]
    NotSetUp(&'static str),
    #[error("The storage target is not usable: {0}.")]
    BadTarget(String),
    #[error("The storage cannot be reached: {0}. Your work is kept and will be sent once it can.")]
    Unreachable(String),
    #[error("The storage refused the credentials. Check the access key in Settings > Squad exchange (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).")]
    Credentials,
    #[error("No access key is set for the storage. Type one in Settings > Squad exchange, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile).")]
    NoCredentials,
    #[error("The bucket {0} does not exist on the storage. Check the target's name.")]
    NoBucket(String),
    #[error("The storage refused the request: {0}.")]
    Refused(String),
    #[error("The join file cannot be used: {0}")]
    JoinFile(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ExchangeError {
    /// The storage's own error, sorted into what the officer can act on.
    pub(crate) fn from_storage(e: object_store::Error, bucket: Option<&str>) -> Self {
        let text = e.to_string();
        let lower = text.to_lowercase();
        if lower.contains("nosuchbucket") || lower.contains("bucket does not exist") {
            return ExchangeError::NoBucket(bucket.unwrap_or("").to_string());
        }
        if lower.contains("invalidaccesskeyid")
            || lower.contains("signaturedoesnotmatch")
            || lower.contains("accessdenied")
            || lower.contains("403")
            || matches!(e, object_store::Error::PermissionDenied { .. })
            || matches!(e, object_store::Error::Unauthenticated { .. })
        {
            return ExchangeError::Credentials;
        }
        if lower.contains("connect")
            || lower.contains("timed out")
            || lower.contains("timeout")
            || lower.contains("dns")
            || lower.contains("error sending request")
        {
            return ExchangeError::Unreachable(first_line(&text));
        }
        ExchangeError::Refused(first_line(&text))
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or(text)
        .chars()
        .take(200)
        .collect()
}

/// Keeps the storage target (and its credentials, sealed) in the log.
pub fn set_target(store: &Store, settings: &TargetSettings) -> StoreResult<()> {
    store.exchange_put(ExchangeEntry::Target, settings)?;
    store.record_event(
        "set the squad exchange's storage",
        crate::store::AuditSubject::the_log(),
        "done",
    )
}

/// The storage target kept in the log, if any.
pub fn target(store: &Store) -> StoreResult<Option<TargetSettings>> {
    store.exchange_get(ExchangeEntry::Target)
}
