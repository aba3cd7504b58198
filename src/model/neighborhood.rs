//! Neighborhoods (beats) and the dated journal notes that tell their story.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{check_short, check_text, Id, Meta, ValidationError, MAX_NOTE_CHARS};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neighborhood {
    pub meta: Meta,
    pub name: String,
}

impl Neighborhood {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_short("Neighborhood name", &self.name)
    }
}

/// A dated entry in a neighborhood's journal: meetings, ongoing concerns, who to know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalNote {
    pub meta: Meta,
    pub neighborhood: Id,
    pub date: NaiveDate,
    pub text: String,
}

impl JournalNote {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.text.trim().is_empty() {
            return Err(ValidationError::Empty("The journal note"));
        }
        check_text("The journal note", &self.text, MAX_NOTE_CHARS)
    }
}
