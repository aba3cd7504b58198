//! On-disk format versions and the steps that bring an older store up to date.
//!
//! Format 1: records, history and the contact indexes by time and neighborhood.
//! Format 2: adds the contact indexes by person and by topic.
//! Format 3: adds the contact indexes by officer, by officer and kind, and by kind.
//! Format 4: record and history values may be encrypted (see `vault`); an older beatbook would
//! take them for damage.
//! Format 5: adds the index of open follow-ups by due date.
//! Format 6: contacts are kept in a compact binary layout (see `contact_bytes`); the time index's
//! values carry each contact's officer, neighborhood, kind and topics, and the indexes by
//! neighborhood, topic, officer, officer and kind, and kind are dropped (their scans walk the
//! time index).
//! Format 7: adds the problems and priorities (two record trees, their history kept under the
//! next two kind bytes). Nothing is rewritten: the trees start empty. The version moves so that
//! an older beatbook refuses the log rather than leave these records out of its backups,
//! bundles and checks.

use super::{Store, StoreError, StoreResult, META_FORMAT};

/// The format this version of beatbook writes.
pub const CURRENT_FORMAT: u32 = 7;

pub(crate) fn read_format(store: &Store) -> StoreResult<Option<u32>> {
    let Some(v) = store.meta.get(META_FORMAT).map_err(StoreError::from_sled)? else {
        return Ok(None);
    };
    let arr: [u8; 4] = v.as_ref().try_into().map_err(|_| StoreError::Corrupt {
        kind: "format version",
        reason: "wrong length".into(),
    })?;
    Ok(Some(u32::from_be_bytes(arr)))
}

pub(crate) fn write_format(store: &Store, version: u32) -> StoreResult<()> {
    store.meta_insert(META_FORMAT, &version.to_be_bytes())?;
    store.flush()
}

/// `backup_first`: take a backup before an upgrade (not for a log that is itself a restore).
/// The format the log was in, when it was upgraded.
pub(crate) fn bring_up_to_date(store: &Store, backup_first: bool) -> StoreResult<Option<u32>> {
    let found = match read_format(store)? {
        Some(v) => v,
        // A store without a version is a brand-new one.
        None => {
            write_format(store, CURRENT_FORMAT)?;
            return Ok(None);
        }
    };
    if found > CURRENT_FORMAT {
        return Err(StoreError::NewerFormat {
            found,
            supported: CURRENT_FORMAT,
        });
    }
    if found < CURRENT_FORMAT && backup_first {
        // An upgrade rewrites parts of the store: keep the log as it was first.
        store.backup("before upgrade")?;
    }
    if found < 6 {
        store.reencode_contacts()?;
        // Every earlier format lacks the time index's values, some lack whole indexes: rebuild
        // them all from the records, then let go of the trees no longer kept.
        store.rebuild_indexes()?;
        store.drop_retired_indexes()?;
    }
    if found < CURRENT_FORMAT {
        write_format(store, CURRENT_FORMAT)?;
        return Ok(Some(found));
    }
    Ok(None)
}
