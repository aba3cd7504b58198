//! People and organizations an officer knows, with contact details only by consent.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{check_short, check_text, Id, Meta, ValidationError, MAX_NOTE_CHARS, MAX_SHORT_CHARS};

/// The part a person plays in the neighborhood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    Resident,
    BusinessOwner,
    BlockCaptain,
    FaithLeader,
    SchoolStaff,
    Youth,
    CommunityGroup,
}

impl PersonRole {
    pub const ALL: [PersonRole; 7] = [
        PersonRole::Resident,
        PersonRole::BusinessOwner,
        PersonRole::BlockCaptain,
        PersonRole::FaithLeader,
        PersonRole::SchoolStaff,
        PersonRole::Youth,
        PersonRole::CommunityGroup,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PersonRole::Resident => "Resident",
            PersonRole::BusinessOwner => "Business owner",
            PersonRole::BlockCaptain => "Block captain",
            PersonRole::FaithLeader => "Faith leader",
            PersonRole::SchoolStaff => "School staff",
            PersonRole::Youth => "Youth",
            PersonRole::CommunityGroup => "Community group",
        }
    }
}

/// Ways to reach a person. Exists only when the person agreed to be contacted, so the type itself
/// keeps details from being stored without consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ContactDetails {
    pub agreed_on: Option<NaiveDate>,
    pub phone: String,
    pub email: String,
    pub address: String,
}

/// A resident, business owner, group or anyone else the officer keeps in touch with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub meta: Meta,
    /// A name, or a description for someone who gave none ("older man with the terrier").
    pub name: String,
    pub role: PersonRole,
    pub neighborhood: Option<Id>,
    pub notes: String,
    /// Present only when the person agreed to be contacted.
    pub consent: Option<ContactDetails>,
}

impl Person {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_short("Name or description", &self.name)?;
        check_text("Notes", &self.notes, MAX_NOTE_CHARS)?;
        if let Some(c) = &self.consent {
            check_text("Phone", &c.phone, MAX_SHORT_CHARS)?;
            check_text("Email", &c.email, MAX_SHORT_CHARS)?;
            check_text("Address", &c.address, MAX_SHORT_CHARS)?;
            if !c.email.is_empty() && !c.email.contains('@') {
                return Err(ValidationError::Rule(
                    "The email address needs an @ (for example name@example.org).".into(),
                ));
            }
        }
        Ok(())
    }
}
