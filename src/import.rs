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

    let officers = store.all::<Officer>()?;
    let mut hoods = Names::new(
        store
            .all::<Neighborhood>()?
            .into_iter()
            .map(|n| (n.name, n.meta.id)),
    );
    let mut people = Names::new(
        store
            .all::<Person>()?
            .into_iter()
            .map(|p| (p.name, p.meta.id)),
    );
    let mut tags = Names::new(store.all::<Tag>()?.into_iter().map(|t| (t.name, t.meta.id)));
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
        let field = |i: usize| unprotect(row.get(i).unwrap_or_default());

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
        let id = given_id.unwrap_or_else(|| content_id(&row, at));
        if !seen_ids.insert(id) {
            return Err(bad(format!(
                "the contact {} appears twice in the file.",
                id.short()
            )));
        }
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
        // Every row is checked, but one already in the log is left as it is.
        if store.get::<Contact>(id)?.is_some() {
            summary.unchanged += 1;
            continue;
        }
        let neighborhood = hoods.resolve(
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
        for name in split_list(field(7)) {
            person_ids.push(people.resolve(
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
        for name in split_list(field(10)) {
            tag_ids.push(tags.resolve(
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
        let contact = Contact {
            meta: Meta::new(id, author, Utc::now()),
            at,
            neighborhood,
            place: field(5).to_string(),
            kind,
            people: person_ids,
            unnamed,
            initiated_by,
            tags: tag_ids,
            tone,
            note: field(12).to_string(),
        };
        contact.validate().map_err(|e| bad(e.to_string()))?;
        batch.contacts.push(contact);
    }

    summary.contacts = batch.contacts.len();
    summary.neighborhoods = hoods.new.len();
    summary.people = people.new.len();
    summary.topics = tags.new.len();
    batch.neighborhoods = hoods.new;
    batch.people = people.new;
    batch.tags = tags.new;
    if !batch.is_empty() {
        store.backup("before import")?;
        store.save_batch(&batch, me)?;
    }
    Ok(summary)
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
