//! A community contact: who the officer met, where, about what, and how it went.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{check_text, Id, Meta, ValidationError, MAX_NOTE_CHARS, MAX_SHORT_CHARS};

/// What sort of contact it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Conversation,
    BusinessCheck,
    CommunityMeeting,
    Event,
    YouthEngagement,
    ConcernReported,
    FollowUpVisit,
    PhoneOrMessage,
}

impl ContactKind {
    pub const ALL: [ContactKind; 8] = [
        ContactKind::Conversation,
        ContactKind::BusinessCheck,
        ContactKind::CommunityMeeting,
        ContactKind::Event,
        ContactKind::YouthEngagement,
        ContactKind::ConcernReported,
        ContactKind::FollowUpVisit,
        ContactKind::PhoneOrMessage,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ContactKind::Conversation => "Conversation / walk-and-talk",
            ContactKind::BusinessCheck => "Business check",
            ContactKind::CommunityMeeting => "Community meeting or forum",
            ContactKind::Event => "Block party or event",
            ContactKind::YouthEngagement => "School or youth engagement",
            ContactKind::ConcernReported => "Concern reported by a resident",
            ContactKind::FollowUpVisit => "Follow-up visit",
            ContactKind::PhoneOrMessage => "Phone or message",
        }
    }

    /// The short name used on the command line and in CSV.
    pub fn code(self) -> &'static str {
        match self {
            ContactKind::Conversation => "conversation",
            ContactKind::BusinessCheck => "business_check",
            ContactKind::CommunityMeeting => "community_meeting",
            ContactKind::Event => "event",
            ContactKind::YouthEngagement => "youth_engagement",
            ContactKind::ConcernReported => "concern_reported",
            ContactKind::FollowUpVisit => "follow_up_visit",
            ContactKind::PhoneOrMessage => "phone_or_message",
        }
    }

    /// Accepts the code or any unambiguous start of the label, ignoring case ("bus", "phone").
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_lowercase();
        if t.is_empty() {
            return None;
        }
        if let Some(k) = Self::ALL.into_iter().find(|k| k.code() == t) {
            return Some(k);
        }
        let matches: Vec<_> = Self::ALL
            .into_iter()
            .filter(|k| k.label().to_lowercase().starts_with(&t) || k.code().starts_with(&t))
            .collect();
        (matches.len() == 1).then(|| matches[0])
    }
}

/// Who started the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Initiator {
    Resident,
    #[default]
    Officer,
}

impl Initiator {
    pub fn label(self) -> &'static str {
        match self {
            Initiator::Resident => "Resident",
            Initiator::Officer => "Officer",
        }
    }
}

/// The tone of the conversation, in five steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Hostile,
    Guarded,
    Neutral,
    Friendly,
    Warm,
}

impl Tone {
    pub const ALL: [Tone; 5] = [
        Tone::Hostile,
        Tone::Guarded,
        Tone::Neutral,
        Tone::Friendly,
        Tone::Warm,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tone::Hostile => "Hostile",
            Tone::Guarded => "Guarded",
            Tone::Neutral => "Neutral",
            Tone::Friendly => "Friendly",
            Tone::Warm => "Warm",
        }
    }

    /// 1 (hostile) to 5 (warm).
    pub fn step(self) -> u8 {
        self as u8 + 1
    }

    pub fn from_step(step: u8) -> Option<Self> {
        Self::ALL.get(usize::from(step).checked_sub(1)?).copied()
    }
}

/// One logged contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub meta: Meta,
    pub at: DateTime<Utc>,
    pub neighborhood: Id,
    /// Free text: "Elm St & 5th", "Rosa's Bakery".
    pub place: String,
    pub kind: ContactKind,
    /// Known people who were there.
    pub people: Vec<Id>,
    /// People who gave no name ("3 residents").
    pub unnamed: u32,
    pub initiated_by: Initiator,
    pub tags: Vec<Id>,
    pub tone: Tone,
    pub note: String,
}

impl Contact {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_text("Note", &self.note, MAX_NOTE_CHARS)?;
        check_text("Where", &self.place, MAX_SHORT_CHARS)?;
        if self.unnamed > 10_000 {
            return Err(ValidationError::Rule(
                "The count of people who gave no name must be at most 10,000.".into(),
            ));
        }
        if self.people.is_empty() && self.unnamed == 0 {
            return Err(ValidationError::Rule(
                "Say who was there: add a person, or a count of people who gave no name.".into(),
            ));
        }
        Ok(())
    }

    /// Who was there, in words: "Rosa Diaz, Ali Khan + 2 unnamed", "3 unnamed", "Rosa Diaz".
    pub fn who_text(names: &[&str], unnamed: u32) -> String {
        match (names.join(", "), unnamed) {
            (named, 0) => named,
            (named, n) if named.is_empty() => format!("{n} unnamed"),
            (named, n) => format!("{named} + {n} unnamed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_parses_codes_and_prefixes() {
        assert_eq!(ContactKind::parse("bus"), Some(ContactKind::BusinessCheck));
        assert_eq!(
            ContactKind::parse("PHONE"),
            Some(ContactKind::PhoneOrMessage)
        );
        assert_eq!(
            ContactKind::parse("follow_up_visit"),
            Some(ContactKind::FollowUpVisit)
        );
        assert_eq!(ContactKind::parse("c"), None, "ambiguous prefix");
        assert_eq!(ContactKind::parse(""), None);
    }

    #[test]
    fn tone_steps_round_trip() {
        for t in Tone::ALL {
            assert_eq!(Tone::from_step(t.step()), Some(t));
        }
        assert_eq!(Tone::from_step(0), None);
        assert_eq!(Tone::from_step(6), None);
    }
}
