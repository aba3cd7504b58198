//! The squad roster: whose signing keys this log accepts records from.
//!
//! Every log signs what it sends with a key of its own. A key is known by its fingerprint,
//! short enough to read aloud and compare in person. The sergeant approves each member's key
//! (the roster then travels to the squad signed by the sergeant); a key not approved yet is
//! pending, and its records wait; a removed key is refused from then on.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Id, Role};

/// Where a member's key stands on the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    Approved,
    Pending,
    Removed,
}

impl MemberStatus {
    /// The word scripts read (`squad members --format json`).
    pub fn word(self) -> &'static str {
        match self {
            MemberStatus::Approved => "approved",
            MemberStatus::Pending => "pending",
            MemberStatus::Removed => "removed",
        }
    }
}

/// One signing key on the roster and the officer it speaks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The Ed25519 public key, as lower-case hexadecimal.
    pub key: String,
    pub officer: Id,
    pub name: String,
    pub badge: String,
    pub role: Role,
    pub status: MemberStatus,
    /// When the status was last set.
    pub since: DateTime<Utc>,
}

impl Member {
    pub fn fingerprint(&self) -> String {
        fingerprint_of_key(&self.key)
    }

    /// "Officer Dana Reyes (badge 4471)".
    pub fn who(&self) -> String {
        format!("{} {} (badge {})", self.role.label(), self.name, self.badge)
    }
}

/// The keys a log knows, newest change last.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Roster {
    pub members: Vec<Member>,
    /// Raised on every change, so a newer signed roster can be told from an older one.
    #[serde(default)]
    pub revision: u64,
}

impl Roster {
    pub fn by_key(&self, key: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.key == key)
    }

    /// The member whose fingerprint is `fingerprint` (spaces, dashes and case ignored).
    pub fn by_fingerprint(&self, fingerprint: &str) -> Option<&Member> {
        let wanted = normalize_fingerprint(fingerprint);
        self.members
            .iter()
            .find(|m| normalize_fingerprint(&m.fingerprint()) == wanted)
    }

    /// Adds `member`, or replaces the entry of the same key; true when anything changed.
    pub fn put(&mut self, member: Member) -> bool {
        match self.members.iter_mut().find(|m| m.key == member.key) {
            Some(m) if *m == member => false,
            Some(m) => {
                *m = member;
                self.revision += 1;
                true
            }
            None => {
                self.members.push(member);
                self.revision += 1;
                true
            }
        }
    }

    /// Sets the status of the member with `key`; true when it changed.
    pub fn set_status(&mut self, key: &str, status: MemberStatus, at: DateTime<Utc>) -> bool {
        match self.members.iter_mut().find(|m| m.key == key) {
            Some(m) if m.status != status => {
                m.status = status;
                m.since = at;
                self.revision += 1;
                true
            }
            _ => false,
        }
    }
}

/// A key's fingerprint: the first 80 bits of its SHA-256 in four groups of four characters
/// from an alphabet without look-alikes ("K7QM-2XHD-..."), read aloud in a minute.
pub fn fingerprint_of_key(key_hex: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let digest = Sha256::digest(key_hex.as_bytes());
    let mut bits: u128 = 0;
    for b in digest.iter().take(10) {
        bits = (bits << 8) | u128::from(*b);
    }
    let mut out = String::with_capacity(24);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let shift = 75 - 5 * i;
        let index = ((bits >> shift) & 31) as usize;
        out.push(char::from(ALPHABET[index]));
    }
    out
}

fn normalize_fingerprint(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_four_groups_and_found_however_it_is_typed() {
        let fp = fingerprint_of_key("ab12");
        assert_eq!(fp.len(), 19, "{fp}");
        assert_eq!(fp.matches('-').count(), 3);
        let roster = Roster {
            members: vec![Member {
                key: "ab12".into(),
                officer: Id(1),
                name: "Dana".into(),
                badge: "1".into(),
                role: Role::Officer,
                status: MemberStatus::Pending,
                since: Utc::now(),
            }],
            revision: 1,
        };
        let typed = fp.to_lowercase().replace('-', " ");
        assert!(roster.by_fingerprint(&typed).is_some());
        assert!(roster.by_fingerprint("AAAA").is_none());
    }
}
