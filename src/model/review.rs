//! A sergeant's review of one contact: reviewed, or returned to the officer with a reason.
//!
//! Reviews are records of their own, written by the sergeant, so they travel in bundles without
//! ever touching the officer's entry; the officer answers by editing the contact, which moves it
//! past the revision the review looked at.

use serde::{Deserialize, Serialize};

use super::{check_text, Id, Meta, ValidationError, MAX_NOTE_CHARS};

/// What the sergeant decided about an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    Reviewed,
    /// Sent back to the officer, who should add to or correct the entry.
    Returned {
        reason: String,
    },
}

impl Verdict {
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Reviewed => "Reviewed",
            Verdict::Returned { .. } => "Returned",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub meta: Meta,
    pub contact: Id,
    /// The revision of the contact the sergeant read.
    pub contact_revision: u32,
    pub verdict: Verdict,
    /// Coaching for the officer; may be empty.
    pub comment: String,
}

impl Review {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_text("The coaching comment", &self.comment, MAX_NOTE_CHARS)?;
        if let Verdict::Returned { reason } = &self.verdict {
            if reason.trim().is_empty() {
                return Err(ValidationError::Empty("The reason for returning the entry"));
            }
            check_text("The reason", reason, MAX_NOTE_CHARS)?;
        }
        Ok(())
    }

    /// Whether the officer still has to answer: returned, and the entry not edited since.
    pub fn awaits_answer(&self, contact_revision: u32) -> bool {
        matches!(self.verdict, Verdict::Returned { .. })
            && contact_revision <= self.contact_revision
    }

    /// Whether this review covers the contact as it now stands.
    pub fn is_current(&self, contact_revision: u32) -> bool {
        contact_revision <= self.contact_revision
    }
}
