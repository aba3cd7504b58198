//! Who may say what: a bundle is accepted only from a key on the roster, and each record in it
//! only if the key's officer is the one the record names as its last author (reviews only from
//! a sergeant's key). The roster kept in the log is read and changed here.

use chrono::Utc;

use super::signing::{my_member, LogSigner};
use super::Bundle;
use crate::model::{Member, MemberStatus, RecordKind, Role, Roster};
use crate::store::{ExchangeEntry, Store, StoreResult};

/// Where a bundle's signer stands with this log.
#[derive(Debug, Clone, PartialEq)]
pub enum Standing {
    /// Signed by this log's own key, or by an approved member.
    Approved(Member),
    /// A key not approved (yet): its records wait.
    Pending(Member),
    /// A key removed from the squad: refused.
    Removed(Member),
}

/// Why a bundle is refused whole.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AuthorshipError {
    #[error("{source_name} claims to be from {claimed} but holds a {kind} last written by someone else. Nothing of it was imported.")]
    NotTheAuthor {
        source_name: String,
        claimed: String,
        kind: &'static str,
    },
    #[error("{source_name} claims to be from {claimed} but holds a {kind} that belongs to another officer. Nothing of it was imported.")]
    NotTheirs {
        source_name: String,
        claimed: String,
        kind: &'static str,
    },
    #[error("{source_name} holds a review, but {claimed} is not a sergeant on the roster. Nothing of it was imported.")]
    ReviewNotFromSergeant {
        source_name: String,
        claimed: String,
    },
    #[error("{source_name} is signed by {claimed}, whose key was removed from the squad on {on}. Nothing of it was imported.")]
    Removed {
        source_name: String,
        claimed: String,
        on: String,
    },
    #[error("{source_name} is signed by a key that is not the one approved for {claimed}. Nothing of it was imported.")]
    OtherKey {
        source_name: String,
        claimed: String,
    },
}

/// The roster kept in the log (empty before any member is known).
pub fn roster(store: &Store) -> StoreResult<Roster> {
    Ok(store
        .exchange_get(ExchangeEntry::Roster)?
        .unwrap_or_default())
}

fn save(store: &Store, roster: &Roster) -> StoreResult<()> {
    store.exchange_put(ExchangeEntry::Roster, roster)
}

/// The member a bundle's header claims to be, not approved.
fn claimed(bundle: &Bundle) -> Member {
    Member {
        key: bundle.key.clone(),
        officer: bundle.author.id,
        name: bundle.author.name.clone(),
        badge: bundle.author.badge.clone(),
        role: bundle.author.role,
        status: MemberStatus::Pending,
        since: Utc::now(),
    }
}

/// Where the signer of `bundle` stands.
pub fn standing(store: &Store, bundle: &Bundle) -> StoreResult<Standing> {
    let mine = LogSigner::if_made(store)?.is_some_and(|s| s.public_hex() == bundle.key);
    if mine {
        return Ok(Standing::Approved(my_member(store)?));
    }
    let roster = roster(store)?;
    Ok(match roster.by_key(&bundle.key) {
        Some(m) if m.status == MemberStatus::Approved => Standing::Approved(m.clone()),
        Some(m) if m.status == MemberStatus::Removed => Standing::Removed(m.clone()),
        _ => Standing::Pending(claimed(bundle)),
    })
}

/// Checks that every record in `bundle` was last written by `signer`'s officer (and reviews
/// only by a sergeant), and that the header claims the signer's own name.
pub fn check_authorship(bundle: &Bundle, signer: &Member) -> Result<(), AuthorshipError> {
    let claimed = claimed(bundle).who();
    let source_name = bundle.source.clone();
    if bundle.author.id != signer.officer {
        return Err(AuthorshipError::OtherKey {
            source_name,
            claimed,
        });
    }
    for v in &bundle.records {
        if v.author != signer.officer {
            return Err(AuthorshipError::NotTheAuthor {
                source_name,
                claimed,
                kind: v.kind.label(),
            });
        }
        if v.kind == RecordKind::Review && signer.role != Role::Sergeant {
            return Err(AuthorshipError::ReviewNotFromSergeant {
                source_name,
                claimed,
            });
        }
        if !may_write(v, signer) {
            return Err(AuthorshipError::NotTheirs {
                source_name,
                claimed,
                kind: v.kind.label(),
            });
        }
    }
    Ok(())
}

/// Whether `signer` may write this version at all, whoever last edited it: an officer's own
/// record only by that officer, and an officer's contacts, people, promises and journal notes
/// only by the officer they belong to (their first author) or a sergeant. Neighborhoods,
/// topics, problems and priorities are the squad's, written by any member.
fn may_write(v: &crate::store::Version, signer: &Member) -> bool {
    if v.kind == RecordKind::Officer {
        return v.id == signer.officer;
    }
    let owned = matches!(
        v.kind,
        RecordKind::Contact | RecordKind::FollowUp | RecordKind::JournalNote | RecordKind::Person
    );
    if !owned || signer.role == Role::Sergeant {
        return true;
    }
    let owner = v
        .record
        .get("meta")
        .cloned()
        .and_then(|m| serde_json::from_value::<crate::model::Meta>(m).ok())
        .map(|m| m.owner());
    owner == Some(signer.officer)
}

/// The refusal for a bundle signed by a removed member.
pub fn removed_refusal(bundle: &Bundle, member: &Member) -> AuthorshipError {
    AuthorshipError::Removed {
        source_name: bundle.source.clone(),
        claimed: member.who(),
        on: member.since.format("%-d %b %Y").to_string(),
    }
}

/// Puts a signer that is not on the roster yet on it as pending, so it shows as waiting.
pub fn note_pending(store: &Store, member: &Member) -> StoreResult<()> {
    let mut roster = roster(store)?;
    if roster.by_key(&member.key).is_none() {
        let mut pending = member.clone();
        pending.status = MemberStatus::Pending;
        roster.put(pending);
        save(store, &roster)?;
    }
    Ok(())
}

/// Approves `member`'s key (after its fingerprint was compared in person).
pub fn approve_member(store: &Store, member: &Member) -> StoreResult<()> {
    let mut roster = roster(store)?;
    let mut approved = member.clone();
    approved.status = MemberStatus::Approved;
    approved.since = Utc::now();
    if roster.by_key(&member.key).is_some() {
        roster.set_status(&member.key, MemberStatus::Approved, approved.since);
    } else {
        roster.put(approved);
    }
    save(store, &roster)?;
    store.record_event(
        "approved a squad member's key",
        crate::store::AuditSubject::the_log(),
        "done",
    )
}

/// Removes the member with `key` from the squad: nothing signed by it is accepted from now on.
pub fn remove_member(store: &Store, key: &str) -> StoreResult<bool> {
    let mut roster = roster(store)?;
    let changed = roster.set_status(key, MemberStatus::Removed, Utc::now());
    if changed {
        save(store, &roster)?;
        store.record_event(
            "removed a squad member's key",
            crate::store::AuditSubject::the_log(),
            "done",
        )?;
    }
    Ok(changed)
}
