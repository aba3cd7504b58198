//! Lists of the contact index's rows kept in the log's order (oldest first), so that a span of
//! time is one slice found by binary search rather than a walk of every row in the list.
//!
//! Rows mostly arrive in order (a contact is logged soon after it happened, and the index is
//! built in id order, which is creation order). One that does not (a back-dated contact, an
//! import of old ones, an edited row) marks its list, and marked lists are sorted once before
//! the next answer, so a bulk import costs one sort per list rather than one shift per row.

use std::hash::Hash;

use rustc_hash::FxHashMap as HashMap;

use crate::model::Id;

/// Where a row falls in the log's order: its time (milliseconds), then its contact's id.
pub(crate) type Order = (i64, Id);

/// One list of rows, oldest first once settled.
#[derive(Default)]
pub(crate) struct TimeList {
    rows: Vec<u32>,
    /// A row was added out of order since the list was last sorted.
    disordered: bool,
}

impl TimeList {
    /// Adds `row`; true when this is the row that put the list out of order.
    pub(crate) fn push(&mut self, row: u32, order: &impl Fn(u32) -> Order) -> bool {
        let was_ordered = !self.disordered;
        if self
            .rows
            .last()
            .is_some_and(|&last| order(last) > order(row))
        {
            self.disordered = true;
        }
        self.rows.push(row);
        was_ordered && self.disordered
    }

    /// Puts the list back in order (the stable sort merges the ordered part with the rows
    /// added after it in about one pass).
    pub(crate) fn settle(&mut self, order: &impl Fn(u32) -> Order) {
        if std::mem::take(&mut self.disordered) {
            self.rows.sort_by_key(|&r| order(r));
        }
    }

    #[cfg(test)]
    pub(crate) fn all(&self) -> &[u32] {
        &self.rows
    }

    /// The rows before `to` while the list is settled; every row while it is not (a contact
    /// changed before the index settled its lists reads them so).
    pub(crate) fn before(&self, to: i64, at: &impl Fn(u32) -> i64) -> &[u32] {
        match self.disordered {
            true => &self.rows,
            false => self.between(None, Some(to), at),
        }
    }

    /// The rows whose time is in `from..to` (either end open when `None`), oldest first.
    /// Only meaningful once settled.
    pub(crate) fn between(
        &self,
        from: Option<i64>,
        to: Option<i64>,
        at: &impl Fn(u32) -> i64,
    ) -> &[u32] {
        let start = from.map_or(0, |f| self.rows.partition_point(|&r| at(r) < f));
        let end = to.map_or(self.rows.len(), |t| {
            self.rows.partition_point(|&r| at(r) < t)
        });
        self.rows.get(start..end.max(start)).unwrap_or_default()
    }
}

/// A list of rows per key (a neighborhood, an officer, a topic, a person).
pub(crate) struct TimeLists<K = Id> {
    lists: HashMap<K, TimeList>,
    /// The keys of the lists put out of order since they were last settled.
    disordered: Vec<K>,
}

impl<K> Default for TimeLists<K> {
    fn default() -> Self {
        TimeLists {
            lists: HashMap::default(),
            disordered: Vec::new(),
        }
    }
}

impl<K: Hash + Eq + Copy> TimeLists<K> {
    pub(crate) fn push(&mut self, key: K, row: u32, order: &impl Fn(u32) -> Order) {
        if self.lists.entry(key).or_default().push(row, order) {
            self.disordered.push(key);
        }
    }

    pub(crate) fn settle(&mut self, order: &impl Fn(u32) -> Order) {
        for key in std::mem::take(&mut self.disordered) {
            if let Some(list) = self.lists.get_mut(&key) {
                list.settle(order);
            }
        }
    }

    pub(crate) fn get(&self, key: &K) -> Option<&TimeList> {
        self.lists.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_out_of_order_are_sorted_before_a_span_is_read() {
        let times = [50, 10, 30, 20, 40, 30];
        let order = |r: u32| (times[r as usize], Id(u128::from(r)));
        let at = |r: u32| times[r as usize];
        let mut lists: TimeLists<u8> = TimeLists::default();
        for row in 0..times.len() as u32 {
            lists.push(1, row, &order);
        }
        lists.push(2, 1, &order);
        lists.push(2, 2, &order);
        lists.settle(&order);
        let one = lists.get(&1).map(TimeList::all).unwrap_or_default();
        assert_eq!(one, &[1, 3, 2, 5, 4, 0]);
        let span = lists.get(&1).map(|l| l.between(Some(20), Some(40), &at));
        assert_eq!(span, Some(&[3, 2, 5][..]));
        let open = lists.get(&1).map(|l| l.between(None, Some(11), &at));
        assert_eq!(open, Some(&[1][..]));
        let empty = lists.get(&1).map(|l| l.between(Some(60), None, &at));
        assert_eq!(empty, Some(&[][..]));
        assert_eq!(lists.get(&2).map(TimeList::all), Some(&[1, 2][..]));
        // Until settled, every row is given rather than a wrong slice.
        lists.push(2, 3, &order);
        let unsettled = lists.get(&2).map(|l| l.before(20, &at));
        assert_eq!(unsettled, Some(&[1, 2, 3][..]));
        lists.settle(&order);
        let settled = lists.get(&2).map(|l| l.before(30, &at));
        assert_eq!(settled, Some(&[1, 3][..]));
    }
}
