//! How records and history entries become stored bytes: JSON, sealed with the log's key.
//!
//! Every value of the record trees and the history goes through here, so nothing reaches sled
//! in the clear once a log is protected. Plain JSON is read only from a log that is not
//! protected yet, or while one is being sealed.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::vault::{is_sealed, Cipher};
use super::{StoreError, StoreResult};
use crate::model::Revision;

/// The history tree's name, bound into its sealed values.
pub(crate) const HISTORY_TREE: &str = "history";

#[derive(Clone, Copy)]
pub(crate) struct Codec<'a> {
    pub cipher: Option<&'a Cipher>,
    /// Plain JSON is still read (and written) when the log is not protected yet.
    pub accept_plain: bool,
}

impl Codec<'_> {
    /// The stored bytes of a value for `key` in `tree`.
    pub fn seal(&self, tree: &str, key: &[u8], plain: Vec<u8>) -> StoreResult<Vec<u8>> {
        match self.cipher {
            Some(c) => c.seal(tree, key, &plain),
            None if self.accept_plain => Ok(plain),
            None => Err(StoreError::NotUnlocked),
        }
    }

    /// The plain bytes of a stored value for `key` in `tree`.
    pub fn open<'b>(&self, tree: &str, key: &[u8], stored: &'b [u8]) -> StoreResult<Cow<'b, [u8]>> {
        match (is_sealed(stored), self.cipher) {
            (true, Some(c)) => c.open(tree, key, stored).map(Cow::Owned),
            (true, None) => Err(StoreError::NotUnlocked),
            (false, _) if self.accept_plain => Ok(Cow::Borrowed(stored)),
            // A protected log holds no plain value: one found there was put in by hand.
            (false, _) => Err(StoreError::Corrupt {
                kind: "encrypted value",
                reason: "a value is not encrypted".into(),
            }),
        }
    }

    pub fn encode<T: Serialize>(&self, tree: &str, key: &[u8], value: &T) -> StoreResult<Vec<u8>> {
        let plain = serde_json::to_vec(value).map_err(|e| StoreError::Write(e.into()))?;
        self.seal(tree, key, plain)
    }

    pub fn decode<T: DeserializeOwned>(
        &self,
        tree: &str,
        kind: &'static str,
        key: &[u8],
        stored: &[u8],
    ) -> StoreResult<T> {
        let plain = self.open(tree, key, stored)?;
        serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt {
            kind,
            reason: e.to_string(),
        })
    }

    pub fn encode_entry(&self, key: &[u8], entry: &Revision) -> StoreResult<Vec<u8>> {
        self.encode(HISTORY_TREE, key, entry)
    }

    pub fn decode_entry(&self, key: &[u8], stored: &[u8]) -> StoreResult<Revision> {
        self.decode(HISTORY_TREE, "history entry", key, stored)
    }
}
