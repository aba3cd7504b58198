//! Two person records known to be one person, or known not to be: what an officer decided about
//! a possible duplicate on the People screen.
//!
//! A squad's merged log can hold the same resident twice, written by two officers. Their records
//! are signed by their authors and are never rewritten into one; the decision is kept beside
//! them instead, in the meta tree under `alias/` and the two ids (the smaller first), sealed
//! like every meta value that names records. The exchange's `x/` keys are not touched, and the
//! decision stays in this log: it is the reading of one officer, not a change to either record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AuditSubject, Store, StoreError, StoreResult};
use crate::model::{Id, RecordKind};

/// The meta keys of decisions about two people: this prefix and the two ids, smaller first.
pub(super) const META_ALIAS: &[u8] = b"alias/";

/// What was decided about two person records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonLink {
    /// The smaller id of the two.
    pub a: Id,
    pub b: Id,
    /// One person (merged by hand), or two people who share a name (the suggestion dismissed).
    pub same: bool,
    /// The officer who decided, and when.
    pub by: Id,
    pub at: DateTime<Utc>,
}

/// The value kept under the key: the ids are in the key.
#[derive(Serialize, Deserialize)]
struct Decision {
    same: bool,
    by: Id,
    at: DateTime<Utc>,
}

fn alias_key(a: Id, b: Id) -> Vec<u8> {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let mut key = META_ALIAS.to_vec();
    key.extend_from_slice(&a.to_bytes());
    key.extend_from_slice(&b.to_bytes());
    key
}

impl Store {
    /// Keeps that the people `a` and `b` are one person (`same`) or two (a suggestion that
    /// they might be one, dismissed), replacing an earlier decision about them.
    pub fn link_people(&self, a: Id, b: Id, same: bool, by: Id) -> StoreResult<PersonLink> {
        self.refuse_if_poisoned()?;
        if a == b {
            return Err(StoreError::Write("a person is already themselves".into()));
        }
        let key = alias_key(a, b);
        let at = Utc::now();
        let sealed = self
            .codec()
            .encode("meta", &key, &Decision { same, by, at })?;
        self.meta_insert(&key, &sealed)?;
        self.flush()?;
        let action = if same {
            "merged two people"
        } else {
            "kept two people apart"
        };
        self.record_event(action, AuditSubject::record(RecordKind::Person, a), "done")?;
        Ok(PersonLink {
            a: a.min(b),
            b: a.max(b),
            same,
            by,
            at,
        })
    }

    /// Forgets the decision about `a` and `b` ("Separate again"): they are two records again,
    /// and may be suggested again. True when there was one.
    pub fn unlink_people(&self, a: Id, b: Id) -> StoreResult<bool> {
        self.refuse_if_poisoned()?;
        let removed = self
            .meta
            .remove(alias_key(a, b))
            .map_err(StoreError::from_sled)?
            .is_some();
        if removed {
            self.flush()?;
            self.record_event(
                "separated two people",
                AuditSubject::record(RecordKind::Person, a),
                "done",
            )?;
        }
        Ok(removed)
    }

    /// Every decision about two people, in key order.
    pub fn person_links(&self) -> StoreResult<Vec<PersonLink>> {
        let mut out = Vec::new();
        for kv in self.meta.scan_prefix(META_ALIAS) {
            let (key, value) = kv.map_err(StoreError::from_sled)?;
            let ids = key.get(META_ALIAS.len()..).unwrap_or_default();
            let (Some(a), Some(b)) = (
                ids.get(..16).and_then(Id::from_bytes),
                ids.get(16..).and_then(Id::from_bytes),
            ) else {
                return Err(StoreError::Corrupt {
                    kind: "people kept as one",
                    reason: "its key is not two ids".into(),
                });
            };
            let d: Decision = self
                .codec()
                .decode("meta", "people kept as one", &key, &value)?;
            out.push(PersonLink {
                a,
                b,
                same: d.same,
                by: d.by,
                at: d.at,
            });
        }
        Ok(out)
    }

    /// Drops every decision naming `person` (a person forgotten for good leaves none behind).
    pub(super) fn unlink_person_everywhere(&self, person: Id) -> StoreResult<()> {
        for link in self.person_links()? {
            if link.a == person || link.b == person {
                self.meta
                    .remove(alias_key(link.a, link.b))
                    .map_err(StoreError::from_sled)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_kept_sealed_replaced_and_undone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &super::super::test_passphrase()).unwrap();
        let me = Id(7);
        store.link_people(Id(9), Id(3), true, me).unwrap();
        let links = store.person_links().unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(
            (links[0].a, links[0].b, links[0].same),
            (Id(3), Id(9), true)
        );
        // The value is sealed like the other meta values that name records.
        let raw = store.meta.get(alias_key(Id(3), Id(9))).unwrap().unwrap();
        assert!(super::super::vault::is_sealed(&raw));
        store.link_people(Id(3), Id(9), false, me).unwrap();
        assert!(!store.person_links().unwrap()[0].same);
        assert!(store.unlink_people(Id(9), Id(3)).unwrap());
        assert!(store.person_links().unwrap().is_empty());
        assert!(!store.unlink_people(Id(9), Id(3)).unwrap());
        assert!(store.link_people(Id(3), Id(3), true, me).is_err());
    }
}
