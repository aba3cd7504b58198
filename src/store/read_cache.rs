//! The contacts of the log's pages read most recently, kept decoded so that a page read again
//! (the same filter once more, or back to an earlier one) is not read and decrypted again.
//!
//! A contact leaves the cache as it is written; a read that raced with a write is not kept
//! (see [`ReadCache::offer`]). The cache holds what a page on screen holds, in the clear, and
//! is emptied with the contact index when the log is locked.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Contact, Id};

use super::{Store, StoreResult};

/// About twenty pages of the log.
const KEPT: usize = 1024;

#[derive(Default)]
pub(crate) struct ReadCache(Mutex<Cached>);

#[derive(Default)]
struct Cached {
    /// Moves on with every write of contacts: a read begun before it is not kept.
    writes: u64,
    /// Counts uses, to tell the contacts used least lately.
    uses: u64,
    contacts: HashMap<Id, (u64, Arc<Contact>)>,
}

impl ReadCache {
    /// Whole at every moment, so used as it stands after a panic.
    fn lock(&self) -> MutexGuard<'_, Cached> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn get(&self, id: Id) -> Option<Arc<Contact>> {
        let mut cached = self.lock();
        cached.uses += 1;
        let uses = cached.uses;
        let (used, c) = cached.contacts.get_mut(&id)?;
        *used = uses;
        Some(c.clone())
    }

    /// Keeps a contact read from the store while `writes` was as given; a write since then
    /// may have changed it, and then it is not kept.
    fn offer(&self, c: &Arc<Contact>, writes: u64) {
        let mut cached = self.lock();
        if cached.writes != writes {
            return;
        }
        if cached.contacts.len() >= KEPT {
            // The half used least lately goes.
            let mut used: Vec<u64> = cached.contacts.values().map(|(u, _)| *u).collect();
            let (_, median, _) = used.select_nth_unstable(KEPT / 2);
            let median = *median;
            cached.contacts.retain(|_, (u, _)| *u > median);
        }
        cached.uses += 1;
        let uses = cached.uses;
        cached.contacts.insert(c.meta.id, (uses, Arc::clone(c)));
    }

    fn writes(&self) -> u64 {
        self.lock().writes
    }

    /// Called once written contacts are committed.
    pub(crate) fn forget(&self, ids: &[Id]) {
        let mut cached = self.lock();
        cached.writes += 1;
        for id in ids {
            cached.contacts.remove(id);
        }
    }

    pub(crate) fn clear(&self) {
        let mut cached = self.lock();
        cached.writes += 1;
        cached.contacts = HashMap::default();
    }
}

impl Store {
    /// The contacts with these ids that are there and not deleted, in the order asked: a page
    /// of the log. Those read lately come from memory.
    pub fn contacts_page(&self, ids: &[Id]) -> StoreResult<Vec<Arc<Contact>>> {
        let mut page = Vec::with_capacity(ids.len());
        for id in ids {
            let c = match self.read_cache.get(*id) {
                Some(c) => c,
                None => {
                    let writes = self.read_cache.writes();
                    let Some(c) = self.get::<Contact>(*id)? else {
                        continue;
                    };
                    let c = Arc::new(c);
                    self.read_cache.offer(&c, writes);
                    c
                }
            };
            if !c.meta.deleted {
                page.push(c);
            }
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactKind, Initiator, Meta, Tone};

    fn contact(n: u128) -> Arc<Contact> {
        Arc::new(Contact {
            meta: Meta::new(Id(n), Id(0), chrono::Utc::now()),
            at: chrono::Utc::now(),
            neighborhood: Id(0),
            place: String::new(),
            kind: ContactKind::Conversation,
            people: Vec::new(),
            unnamed: 0,
            initiated_by: Initiator::Officer,
            tags: Vec::new(),
            tone: Tone::Neutral,
            note: String::new(),
        })
    }

    #[test]
    fn a_read_that_raced_a_write_is_not_kept() {
        let cache = ReadCache::default();
        let before = cache.writes();
        cache.forget(&[Id(1)]);
        cache.offer(&contact(1), before);
        assert!(cache.get(Id(1)).is_none());
        cache.offer(&contact(1), cache.writes());
        assert!(cache.get(Id(1)).is_some());
        cache.forget(&[Id(1)]);
        assert!(cache.get(Id(1)).is_none());
    }

    #[test]
    fn the_contacts_used_least_lately_go_first() {
        let cache = ReadCache::default();
        for n in 0..KEPT as u128 {
            cache.offer(&contact(n), cache.writes());
        }
        assert!(cache.get(Id(0)).is_some());
        cache.offer(&contact(KEPT as u128), cache.writes());
        assert!(cache.get(Id(0)).is_some(), "used lately, so kept");
        assert!(cache.get(Id(1)).is_none(), "used least lately, so gone");
        assert!(cache.get(Id(KEPT as u128)).is_some());
        cache.clear();
        assert!(cache.get(Id(0)).is_none());
    }
}
