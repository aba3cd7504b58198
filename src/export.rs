//! Exports: the whole log as one JSON document, or the contacts as a spreadsheet-ready CSV.
//!
//! Owns the export formats and writing them safely to a file. Both writers stream, so a large
//! log never has to be turned into one big string.
//!
//! JSON (`"format": "beatbook-export"`, `"format_version": 1`) holds every live record of every
//! kind, each exactly as stored (ids, authors, revisions, times). Deleted records are not mixed
//! in with the live ones; they are listed in a separate `deleted` array as
//! `{"kind": "contact", "record": {...}}`, because a delete can be undone and a later merge of
//! several officers' logs needs to know what was deleted. Record history is not exported.
//!
//! CSV has one row per live contact, oldest first, with names instead of ids. Text cells that a
//! spreadsheet would run as a formula are protected by [`crate::csv_cell`], reversibly, so the
//! CSV import restores the exact text. The promises made at a contact are one cell, each
//! with the partner agency it waits on, if any (see [`promise_cell`]); the columns are the
//! same as before promises could wait, so older files still import.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Local, SecondsFormat, Utc};
use serde::Serialize;

use crate::csv_cell::protect;
use crate::model::{
    Contact, FollowUp, Id, JournalNote, Neighborhood, Officer, Person, Priority, Problem,
    RecordCounts, RecordKind, Review, Tag,
};
use crate::store::{Store, StoreError, Stored, CURRENT_FORMAT};

/// The `format` field of a JSON export.
pub const JSON_FORMAT_NAME: &str = "beatbook-export";
/// The `format_version` of JSON exports this version writes.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 14] = [
    "id",
    "date_time",
    "officer",
    "badge",
    "neighborhood",
    "place",
    "kind",
    "people",
    "unnamed",
    "initiated_by",
    "topics",
    "tone",
    "note",
    "follow_ups",
];

/// Why an export failed, in plain words.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("Writing the export failed: {0}")]
    Write(#[from] io::Error),
    #[error("Cannot write the export to {}: {source}", path.display())]
    File { path: PathBuf, source: io::Error },
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => ExportError::Write(io),
            other => ExportError::Write(io::Error::other(format!("{other:?}"))),
        }
    }
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        ExportError::Write(io::Error::other(e.to_string()))
    }
}

/// Which export to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
}

impl ExportFormat {
    /// How the audit trail names an export of this format: its kind, never the file's name.
    pub fn audit_subject(self, to_file: bool) -> crate::store::AuditSubject {
        use crate::store::AuditSubject;
        match (self, to_file) {
            (ExportFormat::Json, true) => AuditSubject::named("JSON of everything, to a file"),
            (ExportFormat::Json, false) => {
                AuditSubject::named("JSON of everything, to standard output")
            }
            (ExportFormat::Csv, true) => AuditSubject::named("CSV of contacts, to a file"),
            (ExportFormat::Csv, false) => {
                AuditSubject::named("CSV of contacts, to standard output")
            }
        }
    }
}

#[derive(Serialize)]
struct Tombstone<'a> {
    kind: RecordKind,
    record: &'a serde_json::Value,
}

/// Writes the whole store as one JSON object (see the module docs for the layout).
pub fn export_json(store: &Store, out: &mut dyn Write) -> Result<RecordCounts, ExportError> {
    let mut w = BufWriter::new(out);
    let mut summary = RecordCounts::default();
    let mut deleted: Vec<(RecordKind, serde_json::Value)> = Vec::new();
    write!(
        w,
        "{{\n\"format\": {},\n\"format_version\": {},\n\"exported_at\": {},\n\"store_format\": {}",
        serde_json::to_string(JSON_FORMAT_NAME)?,
        JSON_FORMAT_VERSION,
        serde_json::to_string(&Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true))?,
        CURRENT_FORMAT,
    )?;
    summary.officers = write_array::<Officer>(store, &mut w, "officers", &mut deleted)?;
    summary.neighborhoods =
        write_array::<Neighborhood>(store, &mut w, "neighborhoods", &mut deleted)?;
    summary.people = write_array::<Person>(store, &mut w, "people", &mut deleted)?;
    summary.tags = write_array::<Tag>(store, &mut w, "tags", &mut deleted)?;
    summary.contacts = write_array::<Contact>(store, &mut w, "contacts", &mut deleted)?;
    summary.followups = write_array::<FollowUp>(store, &mut w, "followups", &mut deleted)?;
    summary.journal_notes = write_array::<JournalNote>(store, &mut w, "journal", &mut deleted)?;
    summary.reviews = write_array::<Review>(store, &mut w, "reviews", &mut deleted)?;
    summary.problems = write_array::<Problem>(store, &mut w, "problems", &mut deleted)?;
    summary.priorities = write_array::<Priority>(store, &mut w, "priorities", &mut deleted)?;
    summary.deleted = deleted.len();
    w.write_all(b",\n\"deleted\": [")?;
    for (i, (kind, record)) in deleted.iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(
            &mut w,
            &Tombstone {
                kind: *kind,
                record,
            },
        )?;
    }
    w.write_all(b"\n]\n}\n")?;
    w.flush()?;
    Ok(summary)
}

/// Writes `"key": [...]` with the live records of one kind; tombstones are set aside.
fn write_array<R: Stored>(
    store: &Store,
    w: &mut dyn Write,
    key: &str,
    deleted: &mut Vec<(RecordKind, serde_json::Value)>,
) -> Result<usize, ExportError> {
    write!(w, ",\n{}: [", serde_json::to_string(key)?)?;
    let mut n = 0;
    for record in store.iter_all::<R>()? {
        let record = record?;
        if record.meta().deleted {
            deleted.push((R::KIND, serde_json::to_value(&record)?));
            continue;
        }
        w.write_all(if n == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *w, &record)?;
        n += 1;
    }
    w.write_all(b"\n]")?;
    Ok(n)
}

/// Writes one CSV row per live contact, oldest first, with a header row.
pub fn export_csv(store: &Store, out: &mut dyn Write) -> Result<RecordCounts, ExportError> {
    // Lookups include deleted records so a contact still shows who and where it was.
    let officers: HashMap<Id, Officer> = collect_all::<Officer>(store)?;
    let hoods: HashMap<Id, Neighborhood> = collect_all::<Neighborhood>(store)?;
    let people: HashMap<Id, Person> = collect_all::<Person>(store)?;
    let tags: HashMap<Id, Tag> = collect_all::<Tag>(store)?;
    let mut promises: HashMap<Id, Vec<String>> = HashMap::new();
    for f in store.all::<FollowUp>()? {
        if let Some(c) = f.contact {
            promises.entry(c).or_default().push(promise_cell(&f));
        }
    }
    let mut contacts = store.all::<Contact>()?;
    contacts.sort_by_key(|c| (c.at, c.meta.id));

    let mut out = BufWriter::new(out);
    crate::csv_cell::write_header(&mut out, &CSV_HEADER)?;
    let mut w = crate::csv_cell::writer(out);
    let unknown = "(unknown)";
    for c in &contacts {
        let officer = officers.get(&c.meta.owner());
        let names: Vec<&str> = c
            .people
            .iter()
            .map(|p| people.get(p).map_or(unknown, |p| p.name.as_str()))
            .collect();
        let topics: Vec<&str> = c
            .tags
            .iter()
            .map(|t| tags.get(t).map_or(unknown, |t| t.name.as_str()))
            .collect();
        let follow_ups = promises
            .get(&c.meta.id)
            .map(|p| p.join("; "))
            .unwrap_or_default();
        let unnamed = c.unnamed.to_string();
        let when =
            c.at.with_timezone(&Local)
                .to_rfc3339_opts(SecondsFormat::Secs, false);
        let id = c.meta.id.to_string();
        let row: [Cow<'_, str>; 14] = [
            Cow::Borrowed(&id),
            Cow::Borrowed(&when),
            protect(officer.map_or(unknown, |o| o.name.as_str())),
            protect(officer.map_or("", |o| o.badge.as_str())),
            protect(
                hoods
                    .get(&c.neighborhood)
                    .map_or(unknown, |h| h.name.as_str()),
            ),
            protect(&c.place),
            Cow::Borrowed(c.kind.code()),
            protect(&names.join("; ")).into_owned().into(),
            Cow::Borrowed(&unnamed),
            Cow::Borrowed(initiator_code(c)),
            protect(&topics.join("; ")).into_owned().into(),
            Cow::Owned(c.tone.label().to_lowercase()),
            protect(&c.note),
            protect(&follow_ups).into_owned().into(),
        ];
        w.write_record(row.iter().map(|s| s.as_bytes()))?;
    }
    let mut inner = w
        .into_inner()
        .map_err(|e| ExportError::Write(io::Error::new(e.error().kind(), e.error().to_string())))?;
    inner.flush()?;
    Ok(RecordCounts {
        contacts: contacts.len(),
        ..Default::default()
    })
}

/// A promise as the CSV's follow-ups cell lists it: "Call public works", or with the partner
/// it waits on, "Call public works (waiting on Public works, ref WO-1234, chase 2026-12-12)".
fn promise_cell(f: &FollowUp) -> String {
    let Some(wait) = &f.waiting_on else {
        return f.promise.clone();
    };
    let mut about = format!("waiting on {}", wait.agency.trim());
    if !wait.reference.trim().is_empty() {
        about.push_str(&format!(", ref {}", wait.reference.trim()));
    }
    if let Some(chase) = wait.chase {
        about.push_str(&format!(", chase {chase}"));
    }
    format!("{} ({about})", f.promise)
}

fn initiator_code(c: &Contact) -> &'static str {
    match c.initiated_by {
        crate::model::Initiator::Resident => "resident",
        crate::model::Initiator::Officer => "officer",
    }
}

fn collect_all<R: Stored>(store: &Store) -> Result<HashMap<Id, R>, ExportError> {
    let mut map = HashMap::new();
    for r in store.iter_all::<R>()? {
        let r = r?;
        map.insert(r.id(), r);
    }
    Ok(map)
}

/// Writes an export to `path` through a temporary file in the same folder, renamed into place
/// only when complete, so a failed export never leaves half a file (or clobbers an old one).
pub fn export_file(
    store: &Store,
    format: ExportFormat,
    path: &Path,
) -> Result<RecordCounts, ExportError> {
    write_atomically(path, |w| match format {
        ExportFormat::Json => export_json(store, w),
        ExportFormat::Csv => export_csv(store, w),
    })
}

pub(crate) fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    let file_error = |source: io::Error| ExportError::File {
        path: path.to_path_buf(),
        source,
    };
    // A new private file (0600 on Unix) under a name nobody else made: a leftover or planted
    // file, or a link, at the temporary name is never opened (see `private_files`).
    let (temp, mut file) =
        crate::store::private_files::create_temp_beside(path).map_err(file_error)?;
    let result = (|| {
        let value = write(&mut file)?;
        file.sync_all().map_err(file_error)?;
        drop(file);
        fs::rename(&temp, path).map_err(file_error)?;
        Ok(value)
    })();
    if result.is_err() {
        // Best effort: the temporary file may already be gone.
        let _ = fs::remove_file(&temp);
    }
    result
}

/// The whole audit trail as CSV, oldest first, with each entry's chain hashes.
pub fn audit_csv(store: &Store) -> Result<String, ExportError> {
    let mut header = Vec::new();
    crate::csv_cell::write_header(
        &mut header,
        &[
            "seq", "at", "officer", "action", "what", "outcome", "prev", "hash",
        ],
    )?;
    let mut w = crate::csv_cell::writer(header);
    let mut entries = store.audit_trail(usize::MAX)?;
    entries.reverse();
    for e in entries {
        w.write_record([
            e.seq.to_string(),
            e.at.to_rfc3339_opts(SecondsFormat::Secs, true),
            e.officer.to_string(),
            protect(&e.action).into_owned(),
            protect(&e.what).into_owned(),
            protect(&e.outcome).into_owned(),
            e.prev,
            e.hash,
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Write(io::Error::other(e.to_string())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactKind, Initiator, Meta, Role, Tone};

    fn store_with_contacts() -> (tempfile::TempDir, Store, Id) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::test_passphrase()).unwrap();
        let profile = store
            .set_up("Dana Reyes", "4411", Role::Officer, "Riverside")
            .unwrap();
        let me = profile.officer;
        let hood = profile.last_neighborhood.unwrap();
        let tag = store.all::<Tag>().unwrap()[0].clone();
        let rosa = store
            .save(
                Person {
                    meta: store.new_meta(me).unwrap(),
                    name: "Rosa Diaz".into(),
                    role: crate::model::PersonRole::BusinessOwner,
                    neighborhood: Some(hood),
                    notes: String::new(),
                    consent: None,
                },
                me,
            )
            .unwrap();
        let mut first = None;
        for (i, note) in ["=SUM(A1)", "Quiet, \"really\"\nquiet.", "To be deleted"]
            .iter()
            .enumerate()
        {
            let at = Utc::now() - chrono::Duration::hours(10 - i as i64);
            let c = store
                .save(
                    Contact {
                        meta: Meta::new(store.new_id_at(at).unwrap(), me, at),
                        at,
                        neighborhood: hood,
                        place: "Rosa's Bakery".into(),
                        kind: ContactKind::BusinessCheck,
                        people: vec![rosa.meta.id],
                        unnamed: 2,
                        initiated_by: Initiator::Officer,
                        tags: vec![tag.meta.id],
                        tone: Tone::Friendly,
                        note: note.to_string(),
                    },
                    me,
                )
                .unwrap();
            if i == 0 {
                first = Some(c.meta.id);
                store
                    .save(
                        FollowUp {
                            meta: store.new_meta(me).unwrap(),
                            promise: "Call public works".into(),
                            person: Some(rosa.meta.id),
                            contact: Some(c.meta.id),
                            neighborhood: hood,
                            due: Local::now().date_naive(),
                            status: crate::model::FollowUpStatus::Open,
                            waiting_on: Some(crate::model::PartnerWait {
                                agency: "Public works".into(),
                                reference: "WO-1234".into(),
                                chase: chrono::NaiveDate::from_ymd_opt(2026, 12, 12),
                            }),
                        },
                        me,
                    )
                    .unwrap();
            }
            if i == 2 {
                store.delete::<Contact>(c.meta.id, me).unwrap();
            }
        }
        (dir, store, first.unwrap())
    }

    #[test]
    fn json_has_every_live_record_and_the_tombstones() {
        let (_dir, store, _) = store_with_contacts();
        let mut buf = Vec::new();
        let summary = export_json(&store, &mut buf).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["format"], "beatbook-export");
        assert_eq!(v["format_version"], 1);
        assert!(v["exported_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(v["contacts"].as_array().unwrap().len(), 2);
        assert_eq!(summary.contacts, 2);
        assert_eq!(summary.officers, 1);
        assert_eq!(v["tags"].as_array().unwrap().len(), Tag::DEFAULTS.len());
        assert_eq!(v["followups"].as_array().unwrap().len(), 1);
        assert_eq!(v["journal"].as_array().unwrap().len(), 0);
        let deleted = v["deleted"].as_array().unwrap();
        assert_eq!(deleted.len(), 1);
        assert_eq!(deleted[0]["kind"], "contact");
        assert_eq!(deleted[0]["record"]["note"], "To be deleted");
        // Records read back as the model types.
        let c: Contact = serde_json::from_value(v["contacts"][0].clone()).unwrap();
        assert_eq!(c.note, "=SUM(A1)");
        // A promise carries the partner it waits on.
        let f: FollowUp = serde_json::from_value(v["followups"][0].clone()).unwrap();
        assert_eq!(f, store.all::<FollowUp>().unwrap()[0]);
        assert_eq!(v["followups"][0]["waiting_on"]["agency"], "Public works");
        assert_eq!(v["followups"][0]["waiting_on"]["reference"], "WO-1234");
        assert_eq!(v["followups"][0]["waiting_on"]["chase"], "2026-12-12");
    }

    #[test]
    fn csv_has_a_row_per_live_contact_with_names() {
        let (_dir, store, first) = store_with_contacts();
        let mut buf = Vec::new();
        let summary = export_csv(&store, &mut buf).unwrap();
        assert_eq!(summary.contacts, 2);
        let mut r = csv::Reader::from_reader(buf.as_slice());
        assert_eq!(r.headers().unwrap(), CSV_HEADER.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], first.to_string());
        assert_eq!(&rows[0][2], "Dana Reyes");
        assert_eq!(&rows[0][3], "4411");
        assert_eq!(&rows[0][4], "Riverside");
        assert_eq!(&rows[0][6], "business_check");
        assert_eq!(&rows[0][7], "Rosa Diaz");
        assert_eq!(&rows[0][8], "2");
        assert_eq!(&rows[0][9], "officer");
        assert_eq!(&rows[0][10], "noise");
        assert_eq!(&rows[0][11], "friendly");
        assert_eq!(&rows[0][12], "'=SUM(A1)", "formulas are defused");
        assert_eq!(
            &rows[0][13],
            "Call public works (waiting on Public works, ref WO-1234, chase 2026-12-12)"
        );
        assert_eq!(&rows[1][12], "Quiet, \"really\"\nquiet.");
        assert!(chrono::DateTime::parse_from_rfc3339(&rows[0][1]).is_ok());
    }

    #[test]
    fn file_export_is_all_or_nothing() {
        let (dir, store, _) = store_with_contacts();
        let path = dir.path().join("out.csv");
        export_file(&store, ExportFormat::Csv, &path).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("id,date_time,"));
        export_file(&store, ExportFormat::Json, &path).unwrap();
        assert!(fs::read_to_string(&path).unwrap().starts_with('{'));

        let missing = dir.path().join("no such folder").join("out.json");
        let err = export_file(&store, ExportFormat::Json, &missing).unwrap_err();
        assert!(err.to_string().contains("no such folder"), "{err}");
        assert!(!missing.exists());
        let leftovers = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("partial")
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}
