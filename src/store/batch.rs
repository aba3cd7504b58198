//! Many new or changed records written in one transaction: all of them, or none (imports).

use chrono::Utc;
use sled::transaction::{ConflictableTransactionError, Transactional, TransactionalTree};

use super::{write_record, Store, StoreError, StoreResult, Stored};
use crate::model::{Contact, Id, Neighborhood, Person, RecordKind, Tag};

/// Records to write together. Each is validated before anything is written.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    pub neighborhoods: Vec<Neighborhood>,
    pub people: Vec<Person>,
    pub tags: Vec<Tag>,
    pub contacts: Vec<Contact>,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.neighborhoods.len() + self.people.len() + self.tags.len() + self.contacts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn write_all<R: Stored>(
    store: &Store,
    t: &[TransactionalTree],
    records: &[R],
    by: Id,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let tx = super::all_tx_trees(t, R::KIND, store.codec());
    for r in records {
        write_record(&tx, r, by, now)?;
    }
    Ok(())
}

impl Store {
    /// Writes the whole batch in one transaction and flushes; on any error nothing is written.
    pub fn save_batch(&self, batch: &Batch, by: Id) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        fn check<R: Stored>(records: &[R]) -> StoreResult<()> {
            records.iter().try_for_each(|r| Ok(r.validate()?))
        }
        check(&batch.neighborhoods)?;
        check(&batch.people)?;
        check(&batch.tags)?;
        check(&batch.contacts)?;
        let trees = self.all_trees();
        let what = super::audit::AuditSubject::counted(&[
            (batch.contacts.len(), "contacts"),
            (batch.people.len(), "people"),
            (batch.neighborhoods.len(), "neighborhoods"),
            (batch.tags.len(), "topics"),
        ]);
        let result = trees[..].transaction(|t: &Vec<TransactionalTree>| {
            let abort = ConflictableTransactionError::Abort;
            write_all(self, t, &batch.neighborhoods, by).map_err(abort)?;
            write_all(self, t, &batch.people, by).map_err(abort)?;
            write_all(self, t, &batch.tags, by).map_err(abort)?;
            write_all(self, t, &batch.contacts, by).map_err(abort)?;
            if let Some(audit) = t.last() {
                super::audit::append(
                    audit,
                    &super::audit::Event::done(by, "imported", what.clone()),
                )?;
            }
            Ok(())
        });
        self.settle(result)?;
        self.wrote(
            RecordKind::Neighborhood,
            batch.neighborhoods.iter().map(|n| n.meta.id),
        );
        self.wrote(RecordKind::Person, batch.people.iter().map(|p| p.meta.id));
        self.wrote(RecordKind::Tag, batch.tags.iter().map(|t| t.meta.id));
        self.wrote(
            RecordKind::Contact,
            batch.contacts.iter().map(|c| c.meta.id),
        );
        if let Some(last) = batch.contacts.last() {
            self.mark_unsealed(RecordKind::Contact, last.meta.id, last.meta.revision);
        }
        self.flush()
    }
}
