//! Where the store keeps its index ([`IndexSlot`]): building it once the log is open, catching
//! it up with every write, dropping it on a panic or a lock, and answering through it.

use super::*;

type Slot = Option<Box<ContactIndex>>;

/// What the index build is reading (see [`Store::build_contact_index`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexStage {
    People,
    FollowUps,
    Contacts,
}

impl IndexStage {
    pub fn noun(self) -> &'static str {
        match self {
            IndexStage::People => "people",
            IndexStage::FollowUps => "follow-ups",
            IndexStage::Contacts => "contacts",
        }
    }
}

/// The store's index and the contacts written since it last caught up.
#[derive(Default)]
pub(crate) struct IndexSlot {
    /// Read locks answer (the review's figures, a long read, and the log's queries beside it);
    /// the write lock reads in what was written, and installs or drops the index.
    index: RwLock<Slot>,
    /// Contacts, people and follow-ups written (and committed) since the index last read them.
    written: Mutex<Vec<(RecordKind, Id)>>,
    /// Set once a build starts: from then on every written contact is noted.
    tracking: AtomicBool,
}

impl IndexSlot {
    /// A panic while the index was being changed could have left it half-changed: it is
    /// dropped (the store answers until the next build) rather than trusted or left in memory.
    fn write(&self) -> RwLockWriteGuard<'_, Slot> {
        match self.index.write() {
            Ok(slot) => slot,
            Err(poisoned) => {
                let mut slot = poisoned.into_inner();
                *slot = None;
                self.tracking.store(false, Ordering::SeqCst);
                *self.written() = Vec::new();
                self.index.clear_poison();
                slot
            }
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, Slot> {
        if self.index.is_poisoned() {
            drop(self.write());
        }
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The list is whole at every moment, so it is used as it stands after a panic.
    fn written(&self) -> MutexGuard<'_, Vec<(RecordKind, Id)>> {
        self.written.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store {
    /// Builds the in-memory contact index from the store (see the module docs), telling
    /// `progress` every 4,096 records what it is reading and how many it has read. Returns
    /// `Ok(false)` when `cancel` was set.
    pub fn build_contact_index(
        &self,
        progress: &mut dyn FnMut(IndexStage, usize),
        cancel: &AtomicBool,
    ) -> StoreResult<bool> {
        // An index already there is dropped first: queries go to the store until the new one is
        // in, and no write is applied to an index about to be replaced.
        self.drop_contact_index();
        self.contact_index.tracking.store(true, Ordering::SeqCst);
        let built = (|| {
            let mut index = ContactIndex::default();
            // A few dozen records: read before the people, who are numbered by them.
            for h in self.iter_all::<Neighborhood>()? {
                index.identities.hood(&h?);
            }
            // Each kind is reported as it starts, then every 4,096 records; locking the log
            // stops the build within a few thousand records.
            let mut step = |stage: IndexStage, read: usize| {
                if !read.is_multiple_of(4096) {
                    return false;
                }
                progress(stage, read);
                cancel.load(Ordering::Relaxed)
            };
            let whole =
                self.read_for_index(IndexStage::People, &mut step, |p: Person| {
                    index.insert_person(&p)
                })? && self.read_for_index(IndexStage::FollowUps, &mut step, |f: FollowUp| {
                    index.insert_follow_up(&f)
                })? && self.read_for_index(IndexStage::Contacts, &mut step, |c: Contact| {
                    index.insert(&c)
                })?;
            if !whole {
                return Ok(None);
            }
            index.settle();
            Ok(Some(index))
        })();
        let index = match built {
            Ok(Some(index)) => index,
            Ok(None) => {
                self.drop_contact_index();
                return Ok(false);
            }
            Err(e) => {
                self.drop_contact_index();
                return Err(e);
            }
        };
        // No last report of progress: a small log never shows any, and the caller learns from
        // the result that it is done.
        *self.contact_index.write() = Some(Box::new(index));
        Ok(true)
    }

    /// Reads every record of a kind into `take`, telling `step` how far it got (see
    /// [`Store::build_contact_index`]); false when `step` asked to stop.
    fn read_for_index<R: crate::store::Stored>(
        &self,
        stage: IndexStage,
        step: &mut impl FnMut(IndexStage, usize) -> bool,
        mut take: impl FnMut(R),
    ) -> StoreResult<bool> {
        if step(stage, 0) {
            return Ok(false);
        }
        for (i, r) in self.iter_all::<R>()?.enumerate() {
            take(r?);
            if step(stage, i + 1) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Drops the contact index and stops noting writes for it (the log is being locked, or the
    /// index rebuilt): the words of the notes leave memory with it, and so do the contacts of
    /// the pages read lately.
    pub fn drop_contact_index(&self) {
        self.read_cache.clear();
        self.contact_index.tracking.store(false, Ordering::SeqCst);
        *self.contact_index.write() = None;
        *self.contact_index.written() = Vec::new();
    }

    /// Whether the contact index is built (see [`Store::build_contact_index`]).
    pub fn has_contact_index(&self) -> bool {
        self.contact_index.read().is_some()
    }

    /// The index's answer, after it has read the contacts written since it last answered;
    /// `None` until the index is built.
    pub fn query_contact_index(
        &self,
        query: &IndexQuery,
        limit: usize,
    ) -> StoreResult<Option<IndexAnswer>> {
        self.with_contact_index(|index| Ok(index.map(|index| index.answer(query, limit))))
    }

    /// Runs `work` with the index (`None` until it is built), after the index has read what
    /// was written since it last answered. Writes go on meanwhile; they are read next time.
    /// `work` runs under a read lock, and without one when there is no index: it must not
    /// ask the index again.
    fn with_contact_index<T>(
        &self,
        work: impl FnOnce(Option<&ContactIndex>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        if !self.contact_index.written().is_empty() {
            if let Some(index) = self.contact_index.write().as_mut() {
                self.read_written_into(index)?;
            }
        }
        let slot = self.contact_index.read();
        match slot.as_deref() {
            Some(index) => work(Some(index)),
            None => {
                drop(slot);
                work(None)
            }
        }
    }

    /// The open follow-ups promised at `contact`, from the contact index; `None` until it is
    /// built (its facts of every follow-up spare reading each open one to find them).
    pub fn open_follow_ups_made_at(&self, contact: Id) -> StoreResult<Option<Vec<Id>>> {
        self.with_contact_index(|index| {
            Ok(index.map(|index| index.open_follow_ups_made_at(contact)))
        })
    }

    /// Runs `work` over the review's facts: the index's once it is built, the store's until
    /// then (see the `review_facts` module).
    pub(crate) fn with_review_facts<T>(
        &self,
        work: impl FnOnce(&dyn ReviewFacts) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.with_contact_index(|index| match index {
            Some(index) => work(index),
            None => work(&StoreFacts::new(self)),
        })
    }

    /// Lets the index read the contacts written so far: bulk work (an import, beside the UI)
    /// calls this after each step, so the screens never have thousands to read at once.
    pub fn catch_up_contact_index(&self) -> StoreResult<()> {
        self.with_contact_index(|_| Ok(()))
    }

    fn read_written_into(&self, index: &mut ContactIndex) -> StoreResult<()> {
        let written = std::mem::take(&mut *self.contact_index.written());
        for (i, (kind, id)) in written.iter().enumerate() {
            let read = match kind {
                RecordKind::Contact => self.get::<Contact>(*id).map(|c| match c {
                    Some(c) => index.insert(&c),
                    None => index.remove(*id),
                }),
                RecordKind::Person => self.get::<Person>(*id).map(|p| match p {
                    Some(p) => index.insert_person(&p),
                    None => index.remove_person(*id),
                }),
                RecordKind::Neighborhood => self
                    .get::<Neighborhood>(*id)
                    .map(|h| h.iter().for_each(|h| index.insert_hood(h))),
                RecordKind::FollowUp => self.get::<FollowUp>(*id).map(|f| match f {
                    Some(f) => index.insert_follow_up(&f),
                    None => {
                        index.follow_ups.remove(id);
                    }
                }),
                _ => Ok(()),
            };
            if let Err(e) = read {
                // Read again next time rather than answer from a stale row.
                self.contact_index
                    .written()
                    .extend_from_slice(&written[i..]);
                index.settle();
                return Err(e);
            }
        }
        index.settle();
        Ok(())
    }

    /// How many records of a kind were written since the store was opened (see
    /// [`Store::wrote`]).
    pub fn writes_of(&self, kind: RecordKind) -> u64 {
        self.writes
            .get(kind as usize)
            .map_or(0, |n| n.load(Ordering::SeqCst))
    }

    /// How many people were written since the store was opened, and which of them were
    /// written after the first `seen` of those writes (oldest first, repeats kept).
    pub fn people_written_since(&self, seen: usize) -> (usize, Vec<Id>) {
        let written = self
            .people_written
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        (
            written.len(),
            written.get(seen..).unwrap_or_default().to_vec(),
        )
    }

    /// Notes committed writes: they are counted per kind, and the contact index reads those
    /// contacts, people and follow-ups again before it answers.
    pub(crate) fn wrote(&self, kind: RecordKind, ids: impl IntoIterator<Item = Id>) {
        let ids: Vec<Id> = ids.into_iter().collect();
        if let Some(n) = self.writes.get(kind as usize) {
            n.fetch_add(ids.len() as u64, Ordering::SeqCst);
        }
        if kind == RecordKind::Contact {
            self.read_cache.forget(&ids);
        }
        if kind == RecordKind::Person {
            self.people_written
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend_from_slice(&ids);
        }
        let indexed = matches!(
            kind,
            RecordKind::Contact
                | RecordKind::Person
                | RecordKind::FollowUp
                | RecordKind::Neighborhood
        );
        if indexed && self.contact_index.tracking.load(Ordering::SeqCst) {
            self.contact_index
                .written()
                .extend(ids.into_iter().map(|id| (kind, id)));
        }
    }
}
