//! [`RecordCounts`]: how many records of each kind a piece of work wrote or read, the one
//! summary the demo generator, the exports and their callers share.

use std::fmt;

/// How many records of each kind were added (the demo) or written out (an export).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordCounts {
    pub officers: usize,
    pub neighborhoods: usize,
    pub people: usize,
    /// Topics; the demo counts only those it created because the store had none.
    pub tags: usize,
    pub contacts: usize,
    pub followups: usize,
    /// Of `followups`, those still open (counted by the demo).
    pub followups_open: usize,
    pub journal_notes: usize,
    pub reviews: usize,
    pub problems: usize,
    pub priorities: usize,
    /// Tombstones listed in a JSON export's `deleted` array.
    pub deleted: usize,
}

impl RecordCounts {
    /// Live records of every kind.
    pub fn records(&self) -> usize {
        self.officers
            + self.neighborhoods
            + self.people
            + self.tags
            + self.contacts
            + self.followups
            + self.journal_notes
            + self.reviews
            + self.problems
            + self.priorities
    }
}

/// "4 officers, 6 neighborhoods, ... journal notes", and the problems, priorities and topics
/// when there are any.
impl fmt::Display for RecordCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use super::plural;
        write!(
            f,
            "{}, {}, {}, {}, {} ({} open), {}",
            plural(self.officers, "officer", "officers"),
            plural(self.neighborhoods, "neighborhood", "neighborhoods"),
            plural(self.people, "person", "people"),
            plural(self.contacts, "contact", "contacts"),
            plural(self.followups, "follow-up", "follow-ups"),
            self.followups_open,
            plural(self.journal_notes, "journal note", "journal notes")
        )?;
        if self.problems > 0 {
            write!(f, ", {}", plural(self.problems, "problem", "problems"))?;
        }
        if self.priorities > 0 {
            write!(f, ", {}", plural(self.priorities, "priority", "priorities"))?;
        }
        if self.tags > 0 {
            write!(f, ", {}", plural(self.tags, "topic", "topics"))?;
        }
        Ok(())
    }
}
