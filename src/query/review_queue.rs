//! The review queue: the sergeant's queue and spot checks, and what comes back to the officer.

use std::collections::HashMap;

use super::review::Period;
use super::{search, LogFilter};
use crate::model::{Contact, Id, Review};
use crate::store::{Store, StoreResult};

/// A contact and the newest review of it, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    pub contact: Contact,
    pub review: Option<Review>,
}

impl ReviewItem {
    /// Reviewed as it now stands (not returned, not edited since).
    pub fn is_settled(&self) -> bool {
        self.review
            .as_ref()
            .is_some_and(|r| r.is_current(self.contact.meta.revision))
    }
}

/// The newest review of each contact (by any reviewer), tombstones left out.
pub fn latest_reviews(store: &Store) -> StoreResult<HashMap<Id, Review>> {
    let mut out: HashMap<Id, Review> = HashMap::new();
    for r in store.all::<Review>()? {
        let newer = out
            .get(&r.contact)
            .is_none_or(|old| r.meta.updated_at >= old.meta.updated_at);
        if newer {
            out.insert(r.contact, r);
        }
    }
    Ok(out)
}

/// The review this reviewer already wrote of a contact, to be revised rather than duplicated.
pub fn review_by(store: &Store, contact: Id, reviewer: Id) -> StoreResult<Option<Review>> {
    Ok(store
        .all::<Review>()?
        .into_iter()
        .find(|r| r.contact == contact && r.meta.owner() == reviewer))
}

/// Live contacts of the period (by `officer` when given), newest first: the log's own search.
fn contacts_in(store: &Store, period: Period, officer: Option<Id>) -> StoreResult<Vec<Contact>> {
    let filter = LogFilter {
        officer,
        from: Some(period.from),
        to: Some(period.to),
        ..Default::default()
    };
    let page = search(store, &filter, usize::MAX)?;
    Ok(page
        .contacts
        .into_iter()
        .map(std::sync::Arc::unwrap_or_clone)
        .collect())
}

/// Entries in the period not yet reviewed as they stand: never reviewed, or answered (edited)
/// since they were returned. Oldest first, so the queue is worked in order.
pub fn review_queue(
    store: &Store,
    period: Period,
    officer: Option<Id>,
) -> StoreResult<Vec<ReviewItem>> {
    let reviews = latest_reviews(store)?;
    let mut items: Vec<ReviewItem> = contacts_in(store, period, officer)?
        .into_iter()
        .map(|c| ReviewItem {
            review: reviews.get(&c.meta.id).cloned(),
            contact: c,
        })
        .filter(|i| !i.is_settled())
        .collect();
    items.reverse();
    Ok(items)
}

/// Up to `n` entries per officer drawn at random from the period (reviewed or not), so a
/// sergeant reads a fair sample rather than only the newest. The same `seed` draws the same.
pub fn spot_check(
    store: &Store,
    period: Period,
    officer: Option<Id>,
    n: usize,
    seed: u64,
) -> StoreResult<Vec<ReviewItem>> {
    let reviews = latest_reviews(store)?;
    let mut by_officer: std::collections::BTreeMap<Id, Vec<Contact>> = Default::default();
    for c in contacts_in(store, period, officer)? {
        by_officer.entry(c.meta.owner()).or_default().push(c);
    }
    let mut rng = crate::demo::SplitMix64::new(seed);
    let mut out = Vec::new();
    for (_, mut contacts) in by_officer {
        // A partial Fisher-Yates shuffle: the first `n` are a uniform sample.
        let take = n.min(contacts.len());
        for i in 0..take {
            let j = i + rng.below(contacts.len() - i);
            contacts.swap(i, j);
        }
        contacts.truncate(take);
        contacts.sort_by_key(|c| c.at);
        out.extend(contacts.into_iter().map(|c| ReviewItem {
            review: reviews.get(&c.meta.id).cloned(),
            contact: c,
        }));
    }
    Ok(out)
}

/// What the sergeant sent back about this officer's entries: returned ones still to answer,
/// then the newest coaching comments. Newest first.
pub fn feedback_for(store: &Store, officer: Id, limit: usize) -> StoreResult<Vec<ReviewItem>> {
    let mut items = Vec::new();
    for (contact_id, review) in latest_reviews(store)? {
        let Some(contact) = store.get::<Contact>(contact_id)? else {
            continue;
        };
        if contact.meta.deleted || contact.meta.owner() != officer {
            continue;
        }
        let waiting = review.awaits_answer(contact.meta.revision);
        if waiting || !review.comment.trim().is_empty() {
            items.push((
                waiting,
                ReviewItem {
                    contact,
                    review: Some(review),
                },
            ));
        }
    }
    items.sort_by(|(wa, a), (wb, b)| {
        let at = |i: &ReviewItem| i.review.as_ref().map(|r| r.meta.updated_at);
        wb.cmp(wa).then(at(b).cmp(&at(a)))
    });
    Ok(items.into_iter().take(limit).map(|(_, i)| i).collect())
}
