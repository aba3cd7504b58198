//! Importing contacts from a CSV file in the export's layout (a spreadsheet kept elsewhere, or
//! another beatbook's export).
//!
//! The file is untrusted: it is read and checked whole (size, row count, UTF-8, header, every
//! field's length and characters, dates, codes, duplicate ids) before anything is written, and
//! an error names the file and the line. Names of neighborhoods, people and topics are matched
//! by [`crate::model::normalize_name`] and created when new. A backup is taken first, then all
//! new records are written in one transaction: the import applies whole or not at all.
//! Importing the same file again changes nothing: rows whose id is already in the log are
//! skipped, and a row without an id gets one made from its contents. The follow-ups column is not imported: it lacks due dates and status.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::csv_cell::unprotect;
use crate::export::CSV_HEADER;
use crate::model::{
    normalize_name, Contact, ContactKind, Id, Initiator, Meta, Neighborhood, Officer, Person,
    PersonRole, Tag, Tone,
};
use crate::store::{Batch, Store, StoreError};

/// Larger files are refused before they are read.
pub const MAX_CSV_BYTES: u64 = 256 << 20;
/// More rows than this are refused.
pub const MAX_CSV_ROWS: usize = 1_000_000;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: {message} Nothing was imported.", .file.display())]
    File { file: PathBuf, message: String },
    #[error("{}, line {line}: {message} Nothing was imported.", .file.display())]
    Line {
        file: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// What an import added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub contacts: usize,
    /// Rows whose contact was already in the log.
    pub unchanged: usize,
    pub people: usize,
    pub neighborhoods: usize,
    pub topics: usize,
}

/// Finds a record by name, or plans a new one, remembering both for later rows.
struct Names<T> {
    by_name: HashMap<String, Id>,
    new: Vec<T>,
}

impl<T> Names<T> {
    fn new(existing: impl Iterator<Item = (String, Id)>) -> Self {
        Names {
            by_name: existing.map(|(n, id)| (normalize_name(&n), id)).collect(),
            new: Vec::new(),
        }
    }

    fn resolve(
        &mut self,
        name: &str,
        make: impl FnOnce() -> Result<T, StoreError>,
        id_of: impl Fn(&T) -> Id,
    ) -> Result<Id, StoreError> {
        let key = normalize_name(name);
        if let Some(id) = self.by_name.get(&key) {
            return Ok(*id);
        }
        let record = make()?;
        let id = id_of(&record);
        self.by_name.insert(key, id);
        self.new.push(record);
        Ok(id)
    }
}

/// Imports `file` into the log as officer `me`; see the module documentation.
pub fn import_csv(store: &Store, file: &Path, me: Id) -> Result<ImportSummary, ImportError> {
    let mut reader = open_checked(file)?;
    let officers = store.all::<Officer>()?;
    let mut known = Known {
        hoods: Names::new(
            store
                .all::<Neighborhood>()?
                .into_iter()
                .map(|n| (n.name, n.meta.id)),
        ),
        people: Names::new(
            store
                .all::<Person>()?
                .into_iter()
                .map(|p| (p.name, p.meta.id)),
        ),
        tags: Names::new(store.all::<Tag>()?.into_iter().map(|t| (t.name, t.meta.id))),
    };
    let mut seen_ids = HashSet::new();
    let mut batch = Batch::default();
    let mut summary = ImportSummary::default();
    let latest_plausible = Utc::now() + chrono::Duration::days(1);

    for (n, row) in reader.records().enumerate() {
        // Where the record starts: notes may span several lines.
        let line = match &row {
            Ok(r) => r.position().map(|p| p.line()),
            Err(e) => e.position().map(|p| p.line()),
        }
        .unwrap_or(n as u64 + 2);
        let bad = |message: String| ImportError::Line {
            file: file.to_path_buf(),
            line,
            message,
        };
        if n >= MAX_CSV_ROWS {
            return Err(bad(format!("the file has more than {MAX_CSV_ROWS} rows.")));
        }
        let row = row.map_err(|e| bad(format!("the row cannot be read ({e}).")))?;
        let (id, at) = row_id_and_time(&row, latest_plausible, &bad)?;
        if !seen_ids.insert(id) {
            return Err(bad(format!(
                "the contact {} appears twice in the file.",
                id.short()
            )));
        }
        let cells = Cells::read(&row, &officers, me, &bad)?;
        // Every row is checked, but one already in the log is left as it is.
        if store.get::<Contact>(id)?.is_some() {
            summary.unchanged += 1;
            continue;
        }
        let contact = known.contact(store, me, id, at, &cells)?;
        contact.validate().map_err(|e| bad(e.to_string()))?;
        batch.contacts.push(contact);
    }

    summary.contacts = batch.contacts.len();
    summary.neighborhoods = known.hoods.new.len();
    summary.people = known.people.new.len();
    summary.topics = known.tags.new.len();
    batch.neighborhoods = known.hoods.new;
    batch.people = known.people.new;
    batch.tags = known.tags.new;
    if !batch.is_empty() {
        store.backup("before import")?;
        store.save_batch(&batch, me)?;
    }
    Ok(summary)
}

/// A CSV reader over `file` once its size and header are those of a beatbook export.
fn open_checked(file: &Path) -> Result<csv::Reader<std::fs::File>, ImportError> {
    let whole = |message: String| ImportError::File {
        file: file.to_path_buf(),
        message,
    };
    let size = std::fs::metadata(file)
        .map_err(|e| whole(format!("it cannot be read ({e}).")))?
        .len();
    if size > MAX_CSV_BYTES {
        return Err(whole(format!(
            "it is too large ({size} bytes; at most {MAX_CSV_BYTES})."
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(file)
        .map_err(|e| whole(format!("it cannot be read ({e}).")))?;
    let header = reader
        .headers()
        .map_err(|e| whole(format!("its first line cannot be read ({e}).")))?
        .clone();
    if header.iter().collect::<Vec<_>>() != CSV_HEADER {
        return Err(whole(format!(
            "its columns are not those of a beatbook CSV export ({}).",
            CSV_HEADER.join(", ")
        )));
    }
    Ok(reader)
}

/// A cell of a row as the export wrote it, with its spreadsheet protection taken off.
fn cell(row: &csv::StringRecord, i: usize) -> &str {
    unprotect(row.get(i).unwrap_or_default())
}

/// The contact's id (given, or made from the row's contents) and its time, checked plausible.
fn row_id_and_time(
    row: &csv::StringRecord,
    latest_plausible: DateTime<Utc>,
    bad: &dyn Fn(String) -> ImportError,
) -> Result<(Id, DateTime<Utc>), ImportError> {
    let field = |i: usize| cell(row, i);
    let given_id = match field(0).trim() {
        "" => None,
        text => Some(text.parse::<Id>().map_err(|e| bad(format!("{e}.")))?),
    };
    let at = DateTime::parse_from_rfc3339(field(1).trim())
        .map_err(|_| {
            bad(format!(
                "\"{}\" is not a date and time like 2026-11-25T14:30:00-05:00.",
                field(1)
            ))
        })?
        .with_timezone(&Utc);
    if at.timestamp() < 0 || at > latest_plausible {
        return Err(bad(format!(
            "{} is not a plausible date for a contact.",
            field(1)
        )));
    }
    // A row without an id gets one from its contents, so importing it again finds it.
    Ok((given_id.unwrap_or_else(|| content_id(row, at)), at))
}

/// The rest of a row's cells, read and checked before any name in them is looked up.
struct Cells<'a> {
    kind: ContactKind,
    unnamed: u32,
    initiated_by: Initiator,
    tone: Tone,
    author: Id,
    neighborhood: &'a str,
    place: &'a str,
    people: &'a str,
    topics: &'a str,
    note: &'a str,
}

impl<'a> Cells<'a> {
    fn read(
        row: &'a csv::StringRecord,
        officers: &[Officer],
        me: Id,
        bad: &dyn Fn(String) -> ImportError,
    ) -> Result<Self, ImportError> {
        let field = |i: usize| cell(row, i);
        let kind = ContactKind::parse(field(6))
            .ok_or_else(|| bad(format!("\"{}\" is not a kind of contact.", field(6))))?;
        let unnamed: u32 = field(8)
            .trim()
            .parse()
            .map_err(|_| bad(format!("\"{}\" is not a count of people.", field(8))))?;
        let initiated_by = match field(9).trim() {
            "resident" => Initiator::Resident,
            "officer" => Initiator::Officer,
            other => return Err(bad(format!("\"{other}\" is neither resident nor officer."))),
        };
        let tone = Tone::ALL
            .into_iter()
            .find(|t| t.label().eq_ignore_ascii_case(field(11).trim()))
            .ok_or_else(|| {
                bad(format!(
                    "\"{}\" is not a tone (hostile, guarded, neutral, friendly, warm).",
                    field(11)
                ))
            })?;
        let author = officers
            .iter()
            .find(|o| !field(3).is_empty() && o.badge == field(3))
            .or_else(|| {
                officers
                    .iter()
                    .find(|o| normalize_name(&o.name) == normalize_name(field(2)))
            })
            .map_or(me, |o| o.meta.id);

        let hood_name = field(4).trim();
        crate::model::check_short("The neighborhood", hood_name).map_err(|e| bad(e.to_string()))?;
        for name in split_list(field(7)) {
            crate::model::check_short("A person's name", name).map_err(|e| bad(e.to_string()))?;
        }
        for name in split_list(field(10)) {
            crate::model::check_short("A topic", name).map_err(|e| bad(e.to_string()))?;
        }
        for (what, text, max) in [
            ("Where", field(5), crate::model::MAX_SHORT_CHARS),
            ("The note", field(12), crate::model::MAX_NOTE_CHARS),
        ] {
            crate::model::check_text(what, text, max).map_err(|e| bad(e.to_string()))?;
        }
        Ok(Cells {
            kind,
            unnamed,
            initiated_by,
            tone,
            author,
            neighborhood: hood_name,
            place: field(5),
            people: field(7),
            topics: field(10),
            note: field(12),
        })
    }
}

/// The neighborhoods, people and topics the import knows by name: the log's, and those it
/// will create.
struct Known {
    hoods: Names<Neighborhood>,
    people: Names<Person>,
    tags: Names<Tag>,
}

impl Known {
    /// The contact a row describes, its names resolved (new ones planned as records).
    fn contact(
        &mut self,
        store: &Store,
        me: Id,
        id: Id,
        at: DateTime<Utc>,
        cells: &Cells<'_>,
    ) -> Result<Contact, StoreError> {
        let hood_name = cells.neighborhood;
        let neighborhood = self.hoods.resolve(
            hood_name,
            || {
                Ok(Neighborhood {
                    meta: store.new_meta(me)?,
                    name: hood_name.to_string(),
                })
            },
            |n| n.meta.id,
        )?;
        let mut person_ids = Vec::new();
        for name in split_list(cells.people) {
            person_ids.push(self.people.resolve(
                name,
                || {
                    Ok(Person {
                        meta: store.new_meta(me)?,
                        name: name.to_string(),
                        role: PersonRole::Resident,
                        neighborhood: Some(neighborhood),
                        notes: String::new(),
                        consent: None,
                    })
                },
                |p| p.meta.id,
            )?);
        }
        let mut tag_ids = Vec::new();
        for name in split_list(cells.topics) {
            tag_ids.push(self.tags.resolve(
                name,
                || {
                    Ok(Tag {
                        meta: store.new_meta(me)?,
                        name: Tag::normalize(name),
                    })
                },
                |t| t.meta.id,
            )?);
        }
        Ok(Contact {
            meta: Meta::new(id, cells.author, Utc::now()),
            at,
            neighborhood,
            place: cells.place.to_string(),
            kind: cells.kind,
            people: person_ids,
            unnamed: cells.unnamed,
            initiated_by: cells.initiated_by,
            tags: tag_ids,
            tone: cells.tone,
            note: cells.note.to_string(),
        })
    }
}

/// An id made from a row's contents: its time, then a hash of every cell.
fn content_id(row: &csv::StringRecord, at: DateTime<Utc>) -> Id {
    let mut h = Sha256::new();
    for cell in row.iter().skip(1) {
        h.update(cell.as_bytes());
        h.update([0x1f]);
    }
    let d = h.finalize();
    let node = u64::from_be_bytes([0, 0, d[0], d[1], d[2], d[3], d[4], d[5]]);
    let seq = u64::from(u32::from_be_bytes([d[6], d[7], d[8], d[9]]));
    Id::compose(at.timestamp_millis().max(0) as u64, node, seq)
}

/// The names in a cell, as the export joins them ("; "), kept exactly as written.
fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split("; ").filter(|s| !s.trim().is_empty())
}
