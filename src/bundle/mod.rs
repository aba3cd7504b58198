//! Bundles: how squad members' logs travel between laptops ("Export for review...").
//!
//! A bundle is JSON Lines: a header naming the format version and the author, one line per
//! record with its history, and a closing line with the record count and a SHA-256 of every
//! byte before it, so a damaged or cut-short file is refused whole. The file on disk is that
//! bundle sealed with the squad passphrase (see [`sealed`]). Importing a bundle is a
//! merge (see [`plan`]): planned and shown first, then written after a backup in steps of whole
//! records, each step one transaction.

mod plan;
mod sealed;

pub use sealed::SealedBundleError;

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::hex::hex;

use crate::export::{write_atomically, ExportError};
use crate::import::ImportError;
use crate::model::{Contact, Id, Officer, RecordKind, Review, Revision};
use crate::store::{Passphrase, Store, StoreError, Version};

pub use plan::{
    apply_import, apply_import_in_steps, plan_import, Choice, Conflict, ImportPlan, KindCounts,
    MergeSummary, IMPORT_STEP,
};

/// The `format` named in a bundle's first line.
pub const BUNDLE_FORMAT: &str = "beatbook-bundle";
/// The bundle version this beatbook writes and the newest it reads. Version 2 records name
/// their first author (`created_by`), which a reader of version 1 would drop when it re-sends
/// them.
pub const BUNDLE_VERSION: u32 = 2;
/// The file extension bundles are saved with.
pub const BUNDLE_EXTENSION: &str = "bbundle";
/// Larger files are refused before they are read.
const MAX_BUNDLE_BYTES: u64 = 1 << 30;

/// Who made a bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleAuthor {
    pub id: Id,
    pub name: String,
    pub badge: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    created_at: DateTime<Utc>,
    author: BundleAuthor,
}

#[derive(Serialize, Deserialize)]
struct Line {
    kind: RecordKind,
    record: serde_json::Value,
    #[serde(default)]
    history: Vec<Revision>,
}

#[derive(Serialize, Deserialize)]
struct End {
    records: usize,
    sha256: String,
}

/// What goes into a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleScope {
    /// The whole log: what an officer sends the sergeant.
    Everything,
    /// The reviews of one officer's entries and the reviewers' names: what a sergeant sends back.
    ReviewsFor(Id),
}

/// A bundle read from a file and checked line by line.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub source: String,
    pub author: BundleAuthor,
    pub created_at: DateTime<Utc>,
    pub records: Vec<Version>,
}

/// How many records went into a bundle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BundleSummary {
    pub records: usize,
    pub contacts: usize,
    pub reviews: usize,
}

fn records_in_scope(store: &Store, scope: BundleScope) -> Result<Vec<Version>, StoreError> {
    match scope {
        BundleScope::Everything => {
            let mut all = Vec::new();
            for kind in RecordKind::ALL {
                all.extend(store.versions(kind)?);
            }
            Ok(all)
        }
        BundleScope::ReviewsFor(officer) => {
            let mut out = Vec::new();
            let mut reviewers = std::collections::BTreeSet::new();
            for v in store.versions(RecordKind::Review)? {
                let review = Review::deserialize(&v.record).map_err(|e| StoreError::Corrupt {
                    kind: "review",
                    reason: e.to_string(),
                })?;
                let of_officer = store
                    .get::<Contact>(review.contact)?
                    .is_some_and(|c| c.meta.owner() == officer);
                if of_officer {
                    reviewers.insert(v.author);
                    reviewers.insert(review.meta.owner());
                    out.push(v);
                }
            }
            for id in reviewers {
                if let Some(v) = store.version(RecordKind::Officer, id)? {
                    out.insert(0, v);
                }
            }
            Ok(out)
        }
    }
}

/// Writes a bundle of `scope` from `store`, sealed with the squad passphrase kept in the log.
pub fn write_bundle(
    store: &Store,
    scope: BundleScope,
    out: &mut dyn Write,
) -> Result<BundleSummary, ExportError> {
    let squad = store.require_squad_passphrase()?;
    let mut plain = Vec::new();
    let summary = write_plain_bundle(store, scope, &mut plain)?;
    let sealed = sealed::seal(&plain, &squad)?;
    out.write_all(&sealed)?;
    out.flush()?;
    Ok(summary)
}

fn write_plain_bundle(
    store: &Store,
    scope: BundleScope,
    out: &mut dyn Write,
) -> Result<BundleSummary, ExportError> {
    let profile = store.require_profile()?;
    let me = store
        .get::<Officer>(profile.officer)?
        .ok_or(StoreError::NotSetUp)?;
    let records = records_in_scope(store, scope)?;
    let mut hasher = Sha256::new();
    let mut out = std::io::BufWriter::new(out);
    // Every line but the last is counted into the closing checksum.
    let mut emit = |mut line: Vec<u8>| -> Result<(), ExportError> {
        line.push(b'\n');
        hasher.update(&line);
        out.write_all(&line)?;
        Ok(())
    };
    emit(serde_json::to_vec(&Header {
        format: BUNDLE_FORMAT.into(),
        version: BUNDLE_VERSION,
        created_at: Utc::now(),
        author: BundleAuthor {
            id: me.meta.id,
            name: me.name.clone(),
            badge: me.badge.clone(),
        },
    })?)?;
    let mut summary = BundleSummary::default();
    for v in records {
        summary.records += 1;
        match v.kind {
            RecordKind::Contact => summary.contacts += 1,
            RecordKind::Review => summary.reviews += 1,
            _ => {}
        }
        emit(serde_json::to_vec(&Line {
            kind: v.kind,
            record: v.record,
            history: v.history,
        })?)?;
    }
    let end = End {
        records: summary.records,
        sha256: hex(&hasher.finalize()),
    };
    let mut last = serde_json::to_vec(&end)?;
    last.push(b'\n');
    out.write_all(&last)?;
    out.flush()?;
    Ok(summary)
}

/// Writes a bundle file; the file appears whole or not at all.
pub fn write_bundle_file(
    store: &Store,
    scope: BundleScope,
    path: &Path,
) -> Result<BundleSummary, ExportError> {
    write_atomically(path, |w| write_bundle(store, scope, w))
}

/// Reads, opens (with the squad passphrase) and checks a bundle file. Nothing is written
/// anywhere.
pub fn read_bundle(path: &Path, squad: &Passphrase) -> Result<Bundle, ImportError> {
    let whole = |message: String| ImportError::File {
        file: path.to_path_buf(),
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| whole(format!("it cannot be read ({e}).")))?
        .len();
    if size > MAX_BUNDLE_BYTES {
        return Err(whole(format!(
            "it is too large ({size} bytes; at most {MAX_BUNDLE_BYTES})."
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| whole(format!("it cannot be read ({e}).")))?;
    let bytes = sealed::open(&bytes, squad).map_err(|e| whole(e.to_string()))?;
    parse_bundle(&bytes, &path.display().to_string()).map_err(|e| match e {
        Refusal::Whole(message) => whole(message),
        Refusal::Line(line, message) => ImportError::Line {
            file: path.to_path_buf(),
            line,
            message,
        },
    })
}

/// The plain bundle (JSON Lines) sealed with `squad`, as bundle files are written.
pub fn seal_bundle_bytes(plain: &[u8], squad: &Passphrase) -> Result<Vec<u8>, StoreError> {
    sealed::seal(plain, squad)
}

/// The plain bundle inside a bundle file's bytes, or why it cannot be opened.
pub fn open_bundle_bytes(bytes: &[u8], squad: &Passphrase) -> Result<Vec<u8>, SealedBundleError> {
    sealed::open(bytes, squad)
}

/// Reads every bundle with the squad passphrase kept in the log; the first refusal stops it.
pub fn read_bundles<P: AsRef<Path>>(
    store: &Store,
    paths: &[P],
) -> Result<Vec<Bundle>, ImportError> {
    let squad = store.require_squad_passphrase()?;
    paths
        .iter()
        .map(|p| read_bundle(p.as_ref(), &squad))
        .collect()
}

enum Refusal {
    Whole(String),
    Line(u64, String),
}

const DAMAGED: &str = "it is damaged or was cut short; ask for it to be sent again.";

fn parse_bundle(bytes: &[u8], source: &str) -> Result<Bundle, Refusal> {
    let not_bundle = || Refusal::Whole("it is not a beatbook bundle.".into());
    let mut lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    let first = lines.first().ok_or_else(not_bundle)?;
    #[derive(Deserialize)]
    struct Peek {
        format: String,
        version: u32,
    }
    let peek: Peek = serde_json::from_slice(first).map_err(|_| not_bundle())?;
    if peek.format != BUNDLE_FORMAT {
        return Err(not_bundle());
    }
    if peek.version > BUNDLE_VERSION {
        return Err(Refusal::Whole(format!(
            "it was made by a newer beatbook (bundle version {}; this one reads up to {}). \
             Update beatbook to import it.",
            peek.version, BUNDLE_VERSION
        )));
    }
    let header: Header =
        serde_json::from_slice(first).map_err(|_| Refusal::Whole(DAMAGED.into()))?;
    let last = lines
        .pop()
        .filter(|_| !lines.is_empty())
        .ok_or_else(|| Refusal::Whole(DAMAGED.into()))?;
    let end: End = serde_json::from_slice(last).map_err(|_| Refusal::Whole(DAMAGED.into()))?;
    let mut hasher = Sha256::new();
    for l in &lines {
        hasher.update(l);
    }
    if hex(&hasher.finalize()) != end.sha256 || end.records.checked_add(1) != Some(lines.len()) {
        return Err(Refusal::Whole(DAMAGED.into()));
    }
    let mut records = Vec::with_capacity(end.records);
    for (i, l) in lines.iter().enumerate().skip(1) {
        let line_no = i as u64 + 1;
        let line: Line = serde_json::from_slice(l)
            .map_err(|e| Refusal::Line(line_no, format!("the record cannot be read ({e}).")))?;
        let version = Version::from_json(line.kind, &line.record, line.history)
            .map_err(|e| Refusal::Line(line_no, plain(&e)))?;
        records.push(version);
    }
    Ok(Bundle {
        source: source.to_string(),
        author: header.author,
        created_at: header.created_at,
        records,
    })
}

fn plain(e: &StoreError) -> String {
    let text = e.to_string();
    if text.ends_with('.') {
        text
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_bundle() {
        for bytes in [
            &b""[..],
            b"hello\n",
            b"{\"format\":\"other\",\"version\":1}\n",
        ] {
            let Err(Refusal::Whole(m)) = parse_bundle(bytes, "x") else {
                panic!("accepted {bytes:?}");
            };
            assert!(m.contains("not a beatbook bundle"), "{m}");
        }
    }

    #[test]
    fn refuses_a_newer_version_by_name() {
        let bytes = b"{\"format\":\"beatbook-bundle\",\"version\":99}\n";
        let Err(Refusal::Whole(m)) = parse_bundle(bytes, "x") else {
            panic!("accepted");
        };
        assert!(m.contains("newer beatbook"), "{m}");
    }
}
