//! Bundles: how squad members' logs travel between laptops ("Export for review...").
//!
//! A bundle is JSON Lines: a header naming the format version and the author, one line per
//! record with its history, and a closing line with the record count and a SHA-256 of every
//! byte before it, so a damaged or cut-short file is refused whole. The file on disk is that
//! bundle sealed with the squad passphrase (see [`sealed`]). Importing a bundle is a
//! merge (see [`plan`]): planned and shown first, then written after a backup in steps of whole
//! records, each step one transaction.

mod authorship;
mod plan;
mod sealed;
mod signing;

pub use authorship::removed_refusal;
pub use authorship::{
    approve_member, check_authorship, note_pending, remove_member, roster, standing,
    AuthorshipError, Standing,
};
pub use sealed::{SealedBundleError, SquadKey};
pub use signing::{my_member, verify as verify_signature, LogSigner};

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::hex::hex;

use crate::export::{write_atomically, ExportError};
use crate::import::ImportError;
use crate::model::{Contact, Id, Officer, RecordKind, Review, Revision, Role};
use crate::store::{Passphrase, Store, StoreError, Version};

pub use plan::{
    apply_import, apply_import_in_steps, plan_import, Choice, Conflict, ImportPlan, KindCounts,
    MergeSummary, Unapproved, IMPORT_STEP,
};

/// The `format` named in a bundle's first line.
pub const BUNDLE_FORMAT: &str = "beatbook-bundle";
/// The bundle version this beatbook writes and the newest it reads. Version 2 records name
/// their first author (`created_by`), which a reader of version 1 would drop when it re-sends
/// them; version 3 bundles are signed by the log that wrote them, and older ones are refused.
pub const BUNDLE_VERSION: u32 = 3;
/// The oldest bundle version read: the first that is signed.
const FIRST_SIGNED_VERSION: u32 = 3;
/// The file extension bundles are saved with.
pub const BUNDLE_EXTENSION: &str = "bbundle";
/// Larger files are refused before they are read.
const MAX_BUNDLE_BYTES: u64 = 1 << 30;

/// Who made a bundle, as the bundle claims (the signature says which key made it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleAuthor {
    pub id: Id,
    pub name: String,
    pub badge: String,
    #[serde(default)]
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    created_at: DateTime<Utc>,
    author: BundleAuthor,
    /// The signing key (Ed25519, hexadecimal) the closing line's signature verifies with.
    key: String,
    /// Where the bundle was written for: an exchange object's name, so a copy of it under
    /// another name is refused; none for a bundle carried by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    context: Option<String>,
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
    /// The signer's Ed25519 signature of `sha256` (hexadecimal).
    signature: String,
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
    /// The key that signed it (checked), as hexadecimal.
    pub key: String,
    /// Where it was written for (see `Header::context`).
    pub context: Option<String>,
}

impl Bundle {
    /// The signer's fingerprint, to compare in person.
    pub fn fingerprint(&self) -> String {
        crate::model::fingerprint_of_key(&self.key)
    }
}

/// How many records went into a bundle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BundleSummary {
    pub records: usize,
    pub contacts: usize,
    pub reviews: usize,
}

fn records_in_scope(store: &Store, scope: BundleScope) -> Result<Vec<Version>, StoreError> {
    let me = store.require_profile()?.officer;
    match scope {
        BundleScope::Everything => {
            // A bundle vouches only for what its signer wrote: records others wrote reach
            // the squad from their own logs, signed by them.
            let mut all = Vec::new();
            for kind in RecordKind::ALL {
                all.extend(store.versions_where(kind, &|m| m.author == me)?);
            }
            Ok(all)
        }
        BundleScope::ReviewsFor(officer) => {
            let mut out = Vec::new();
            for v in store.versions(RecordKind::Review)? {
                if v.author != me {
                    continue;
                }
                let review = Review::deserialize(&v.record).map_err(|e| StoreError::Corrupt {
                    kind: "review",
                    reason: e.to_string(),
                })?;
                let of_officer = store
                    .get::<Contact>(review.contact)?
                    .is_some_and(|c| c.meta.owner() == officer);
                if of_officer {
                    out.push(v);
                }
            }
            if let Some(v) = store.version(RecordKind::Officer, me)? {
                out.insert(0, v);
            }
            Ok(out)
        }
    }
}

/// Writes a bundle of `scope` from `store`, signed with the log's key and sealed with the
/// squad passphrase kept in the log.
pub fn write_bundle(
    store: &Store,
    scope: BundleScope,
    out: &mut dyn Write,
) -> Result<BundleSummary, ExportError> {
    let squad = store.require_squad_passphrase()?;
    let records = records_in_scope(store, scope)?;
    let (plain, summary) = signed_bundle(store, records, None)?;
    let sealed = sealed::seal(&plain, &squad)?;
    out.write_all(&sealed)?;
    out.flush()?;
    Ok(summary)
}

/// The plain bundle (JSON Lines) of `records`, signed with the log's key; `context` names
/// where it is written for (an exchange object), so that it is refused anywhere else.
pub fn signed_bundle(
    store: &Store,
    records: Vec<Version>,
    context: Option<String>,
) -> Result<(Vec<u8>, BundleSummary), ExportError> {
    let profile = store.require_profile()?;
    let me = store
        .get::<Officer>(profile.officer)?
        .ok_or(StoreError::NotSetUp)?;
    let signer = LogSigner::of(store)?;
    let mut hasher = Sha256::new();
    let mut out = Vec::new();
    // Every line but the last is counted into the closing checksum.
    let mut emit = |mut line: Vec<u8>| {
        line.push(b'\n');
        hasher.update(&line);
        out.extend_from_slice(&line);
    };
    emit(serde_json::to_vec(&Header {
        format: BUNDLE_FORMAT.into(),
        version: BUNDLE_VERSION,
        created_at: Utc::now(),
        author: BundleAuthor {
            id: me.meta.id,
            name: me.name.clone(),
            badge: me.badge.clone(),
            role: me.role,
        },
        key: signer.public_hex(),
        context,
    })?);
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
        })?);
    }
    let digest = hex(&hasher.finalize());
    let end = End {
        records: summary.records,
        signature: signer.sign_digest(&digest),
        sha256: digest,
    };
    out.extend(serde_json::to_vec(&end)?);
    out.push(b'\n');
    Ok((out, summary))
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

/// Opens (with the squad passphrase), checks and verifies a sealed bundle held in memory (an
/// exchange object, a bundle held for approval); the refusal is in words, naming nothing but
/// `source`.
pub fn bundle_from_bytes(
    sealed: &[u8],
    source: &str,
    squad: &Passphrase,
) -> Result<Bundle, String> {
    let plain = sealed::open(sealed, squad).map_err(|e| e.to_string())?;
    bundle_from_plain(&plain, source)
}

/// Checks and verifies a plain bundle (already opened); the refusal is in words.
pub fn bundle_from_plain(plain: &[u8], source: &str) -> Result<Bundle, String> {
    parse_bundle(plain, source).map_err(|e| match e {
        Refusal::Whole(message) => message,
        Refusal::Line(line, message) => format!("line {line}: {message}"),
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
    if peek.version < FIRST_SIGNED_VERSION {
        return Err(Refusal::Whole(
            "it is not signed (it was made by an older beatbook); ask for it to be exported again."
                .into(),
        ));
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
    if !signing::verify_digest(&header.key, &end.sha256, &end.signature) {
        return Err(Refusal::Whole(
            "its signature does not match what it holds: it was changed after it was signed. \
             Nothing of it was imported."
                .into(),
        ));
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
        key: header.key,
        context: header.context,
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
