//! Sets of the index's rows, one bit each, and the newest of a stream of rows.

use std::collections::BinaryHeap;

use crate::model::Id;

/// A set of rows, one bit each.
#[derive(Default)]
pub(super) struct RowSet(Vec<u64>);

impl RowSet {
    pub(super) fn new(rows: usize) -> Self {
        RowSet(vec![0; rows.div_ceil(64)])
    }

    pub(super) fn of(rows: usize, members: &[u32]) -> Self {
        let mut set = RowSet::new(rows);
        set.add(members);
        set
    }

    pub(super) fn add(&mut self, members: &[u32]) {
        for &r in members {
            if let Some(word) = self.0.get_mut(r as usize / 64) {
                *word |= 1 << (r % 64);
            }
        }
    }

    /// Adds one row, making room for it.
    pub(super) fn insert(&mut self, r: u32) {
        let word = r as usize / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (r % 64);
    }

    pub(super) fn remove(&mut self, r: u32) {
        if let Some(word) = self.0.get_mut(r as usize / 64) {
            *word &= !(1 << (r % 64));
        }
    }

    pub(super) fn contains(&self, r: u32) -> bool {
        self.0
            .get(r as usize / 64)
            .is_some_and(|w| w & (1 << (r % 64)) != 0)
    }

    pub(super) fn keep_only(&mut self, other: &RowSet) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }

    pub(super) fn members(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    (i * 64) as u32 + bit
                })
            })
        })
    }
}

/// The `limit` newest of the rows offered.
pub(super) struct Newest {
    limit: usize,
    heap: BinaryHeap<std::cmp::Reverse<(i64, Id)>>,
}

impl Newest {
    pub(super) fn new(limit: usize) -> Self {
        Newest {
            limit,
            heap: BinaryHeap::with_capacity(limit.min(4096) + 1),
        }
    }

    pub(super) fn offer(&mut self, key: (i64, Id)) {
        if self.limit == 0 {
            return;
        }
        if self.heap.len() < self.limit {
            self.heap.push(std::cmp::Reverse(key));
        } else if self.heap.peek().is_some_and(|oldest| key > oldest.0) {
            self.heap.pop();
            self.heap.push(std::cmp::Reverse(key));
        }
    }

    pub(super) fn into_ids(self) -> Vec<Id> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|std::cmp::Reverse((_, id))| id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_sets_hold_what_was_added() {
        let mut a = RowSet::of(200, &[0, 3, 64, 130, 199]);
        assert!(a.contains(64) && !a.contains(65));
        a.keep_only(&RowSet::of(200, &[3, 130, 150]));
        assert_eq!(a.members().collect::<Vec<_>>(), vec![3, 130]);
    }

    #[test]
    fn newest_keeps_the_latest_in_order() {
        let mut n = Newest::new(2);
        for (at, id) in [(5, 1), (9, 2), (1, 3), (9, 4), (7, 5)] {
            n.offer((at, Id(id)));
        }
        assert_eq!(n.into_ids(), vec![Id(4), Id(2)]);
        let mut all = Newest::new(usize::MAX);
        all.offer((1, Id(1)));
        assert_eq!(all.into_ids(), vec![Id(1)]);
    }
}
