//! Creating a squad (the sergeant) and joining one (a member) with a join file: the squad's id,
//! the sergeant's signing key and the storage target, sealed with the squad passphrase so the
//! file is useless to anyone who does not also have the passphrase. The file holds no
//! credentials and no secret key.

use serde::{Deserialize, Serialize};

use super::{set_target, target, ExchangeError, Target, TargetSettings};
use crate::bundle::{approve_member, my_member};
use crate::hex::hex;
use crate::model::{Member, Role};
use crate::store::{ExchangeEntry, KdfCost, Passphrase, Store, StoreResult};

const JOIN_FORMAT: &str = "beatbook-squad-join";

/// The squad this log belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Squad {
    /// Random; names the squad's folder in the storage.
    pub id: String,
    /// The sergeant whose key signs the roster.
    pub sergeant: Member,
    /// How costly the squad key's derivation is: set once by the sergeant, so that every
    /// member derives the same key from the passphrase.
    pub cost: KdfCost,
}

/// What a join file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinFile {
    format: String,
    pub squad: Squad,
    pub target: Option<Target>,
}

/// The squad this log belongs to, if any.
pub fn squad(store: &Store) -> StoreResult<Option<Squad>> {
    store.exchange_get(ExchangeEntry::Squad)
}

/// Creates the squad with this (sergeant's) log's key and `passphrase`, and returns the join
/// file's bytes for the members.
pub fn create_squad(store: &Store, passphrase: &Passphrase) -> Result<Vec<u8>, ExchangeError> {
    let me = my_member(store)?;
    if me.role != Role::Sergeant {
        return Err(ExchangeError::NotSetUp(
            "only a sergeant creates a squad; ask yours for the join file.",
        ));
    }
    let same_passphrase = store
        .squad_passphrase()?
        .is_some_and(|p| p.as_str() == passphrase.as_str());
    let squad = match squad(store)? {
        // Creating again with the same passphrase (a lost join file) keeps the squad: members
        // need not join again.
        Some(s) if s.sergeant.key == me.key && same_passphrase => s,
        // A new passphrase (after removing a member) starts a new squad folder: what was
        // sealed with the old one stays where it was, and every member sends again on joining.
        _ => Squad {
            id: hex(&crate::store::random_name()),
            sergeant: me.clone(),
            cost: passphrase.cost(),
        },
    };
    store.set_squad_passphrase(passphrase)?;
    if !same_passphrase {
        store.exchange_start_over()?;
    }
    store.exchange_put(ExchangeEntry::Squad, &squad)?;
    approve_member(store, &me)?;
    let file = JoinFile {
        format: JOIN_FORMAT.into(),
        squad,
        target: target(store)?.map(|t| t.target),
    };
    let plain = serde_json::to_vec(&file).map_err(|e| ExchangeError::JoinFile(e.to_string()))?;
    Ok(crate::bundle::seal_bundle_bytes(&plain, passphrase)?)
}

/// Joins the squad of a join file opened with `passphrase`: keeps the passphrase, the squad,
/// the sergeant's key (approved) and, when this log has none, the storage target.
pub fn join_squad(
    store: &Store,
    bytes: &[u8],
    passphrase: &Passphrase,
) -> Result<JoinFile, ExchangeError> {
    let plain = crate::bundle::open_bundle_bytes(bytes, passphrase).map_err(|e| match e {
        crate::bundle::SealedBundleError::NotOpened => ExchangeError::JoinFile(
            "the squad passphrase does not open it (or it was changed). Check the passphrase with your sergeant.".into(),
        ),
        _ => ExchangeError::JoinFile("it is not a beatbook join file.".into()),
    })?;
    let file: JoinFile = serde_json::from_slice(&plain)
        .ok()
        .filter(|f: &JoinFile| f.format == JOIN_FORMAT)
        .ok_or_else(|| ExchangeError::JoinFile("it is not a beatbook join file.".into()))?;
    let current = squad(store)?;
    if let Some(current) = &current {
        if current.id != file.squad.id && current.sergeant.key != file.squad.sergeant.key {
            return Err(ExchangeError::JoinFile(
                "this log already belongs to another squad.".into(),
            ));
        }
    }
    // The same sergeant's new squad (a new passphrase): everything is sent to it again.
    if current.is_some_and(|c| c.id != file.squad.id) {
        store.exchange_start_over()?;
    }
    if !file.squad.cost.is_accepted() {
        return Err(ExchangeError::JoinFile(
            "it asks for a key derivation beatbook never uses, so it was not made by beatbook."
                .into(),
        ));
    }
    store.set_squad_passphrase(&Passphrase::new(passphrase.as_str()).with_cost(file.squad.cost))?;
    store.exchange_put(ExchangeEntry::Squad, &file.squad)?;
    approve_member(store, &file.squad.sergeant)?;
    if let (None, Some(t)) = (target(store)?, &file.target) {
        set_target(
            store,
            &TargetSettings {
                target: t.clone(),
                credentials: None,
            },
        )?;
    }
    Ok(file)
}
