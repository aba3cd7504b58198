//! What every stored record shares: its id, author, revision and times, and its change history.

use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use super::{
    Contact, FollowUp, Id, JournalNote, Neighborhood, Officer, Person, Priority, Problem, Review,
    Tag,
};

/// Bookkeeping carried by every record: who wrote it, which revision it is, whether it is deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub id: Id,
    /// The officer who wrote this revision.
    pub author: Id,
    /// The officer who first wrote the record; `None` in records written before this was kept
    /// (their first author is then taken to be the last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Id>,
    /// Starts at 1 and grows by one with every saved change.
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// A deleted record stays as a tombstone, so the delete can be undone and a merge of
    /// several officers' logs can tell a delete from a record never seen.
    #[serde(default)]
    pub deleted: bool,
}

impl Meta {
    /// Whose entry this is: the officer who first wrote it, whoever edited it since.
    pub fn owner(&self) -> Id {
        self.created_by.unwrap_or(self.author)
    }

    pub fn new(id: Id, author: Id, now: DateTime<Utc>) -> Self {
        Meta {
            id,
            author,
            created_by: Some(author),
            revision: 1,
            created_at: now,
            updated_at: now,
            deleted: false,
        }
    }
}

/// The kinds of record the store keeps, one tree each. New kinds only ever join at the end:
/// a kind's place in `ALL` is the byte its history and exchange entries are kept under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Officer,
    Neighborhood,
    Person,
    Contact,
    FollowUp,
    JournalNote,
    Tag,
    Review,
    Problem,
    Priority,
}

impl RecordKind {
    pub const ALL: [RecordKind; 10] = [
        RecordKind::Officer,
        RecordKind::Neighborhood,
        RecordKind::Person,
        RecordKind::Contact,
        RecordKind::FollowUp,
        RecordKind::JournalNote,
        RecordKind::Tag,
        RecordKind::Review,
        RecordKind::Problem,
        RecordKind::Priority,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Officer => "officer",
            RecordKind::Neighborhood => "neighborhood",
            RecordKind::Person => "person",
            RecordKind::Contact => "contact",
            RecordKind::FollowUp => "follow-up",
            RecordKind::JournalNote => "journal note",
            RecordKind::Tag => "topic",
            RecordKind::Review => "review",
            RecordKind::Problem => "problem",
            RecordKind::Priority => "priority",
        }
    }

    /// The kind as a heading over a count: "Contacts", "Follow-ups".
    pub fn plural_label(self) -> &'static str {
        match self {
            RecordKind::Officer => "Officers",
            RecordKind::Neighborhood => "Neighborhoods",
            RecordKind::Person => "People",
            RecordKind::Contact => "Contacts",
            RecordKind::FollowUp => "Follow-ups",
            RecordKind::JournalNote => "Journal notes",
            RecordKind::Tag => "Topics",
            RecordKind::Review => "Reviews",
            RecordKind::Problem => "Problems",
            RecordKind::Priority => "Priorities",
        }
    }
}

/// Implemented by every record type so the store can save, version and index them uniformly.
pub trait Record: Serialize + DeserializeOwned + Clone {
    const KIND: RecordKind;
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    fn id(&self) -> Id {
        self.meta().id
    }
}

macro_rules! impl_record {
    ($($ty:ty => $kind:ident),* $(,)?) => {$(
        impl Record for $ty {
            const KIND: RecordKind = RecordKind::$kind;
            fn meta(&self) -> &Meta { &self.meta }
            fn meta_mut(&mut self) -> &mut Meta { &mut self.meta }
        }
    )*};
}

impl_record!(
    Officer => Officer,
    Neighborhood => Neighborhood,
    Person => Person,
    Contact => Contact,
    FollowUp => FollowUp,
    JournalNote => JournalNote,
    Tag => Tag,
    Review => Review,
    Problem => Problem,
    Priority => Priority,
);

/// One entry of a record's history: the revision that was replaced, who replaced it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// The revision number the record had before the change.
    pub revision: u32,
    pub changed_by: Id,
    pub changed_at: DateTime<Utc>,
    /// Names of the fields that differ ("note", "tags", "deleted" ...).
    pub changed: Vec<String>,
    /// The record as it was, encoded as JSON.
    pub previous: serde_json::Value,
    /// A version edited elsewhere at the same time, kept when a merge took the other side's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub set_aside: bool,
}

/// Names of the top-level fields (and "deleted") that differ between two versions of a record.
pub fn changed_fields<R: Record>(before: &R, after: &R) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut changed: Vec<String> = a
        .iter()
        .filter(|(k, _)| k.as_str() != "meta")
        .filter(|(k, v)| b.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    changed.extend(
        b.keys()
            .filter(|k| k.as_str() != "meta" && !a.contains_key(k.as_str()))
            .cloned(),
    );
    if before.meta().deleted != after.meta().deleted {
        changed.push(if after.meta().deleted {
            "deleted".into()
        } else {
            "restored".into()
        });
    }
    changed
}
