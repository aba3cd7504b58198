//! Community problems worked through the SARA stages (Scanning, Analysis, Response,
//! Assessment), and the neighborhood priorities agreed with residents.
//!
//! A [`Problem`] is a condition residents keep raising (a dark alley, speeding past a school):
//! the contacts that show it are linked, each stage keeps its own notes, the response is a plan
//! of [`Action`]s owned by an officer or a partner agency (public works, housing, schools, youth
//! services), and a closed problem records its [`Outcome`]. A [`Priority`] is what residents and
//! the officer agreed to work on in a neighborhood for a period, usually at a meeting, tied to the
//! problems that work on it. Both are records of their own with authors and history, so they
//! travel in bundles and merge like every other record.
//!
//! Rules that need only the record are in `validate`; the one rule that needs the others (at
//! most [`MAX_PRIORITIES`] per neighborhood and period) is [`Priority::check_room`], which the
//! store applies before a save.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{check_short, check_text, Id, Meta, ValidationError, MAX_NOTE_CHARS};

/// Most priorities a neighborhood keeps for any one period: a handful, so they stay priorities.
pub const MAX_PRIORITIES: usize = 5;

/// Where a problem stands in SARA. A problem moves forward one stage at a time, and may be
/// taken back to analysis from the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Scanning,
    Analysis,
    Response,
    Assessment,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Scanning,
        Stage::Analysis,
        Stage::Response,
        Stage::Assessment,
        Stage::Closed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Scanning => "Scanning",
            Stage::Analysis => "Analysis",
            Stage::Response => "Response",
            Stage::Assessment => "Assessment",
            Stage::Closed => "Closed",
        }
    }

    /// The stage named by `text`, in any case ("analysis", "Closed").
    pub fn parse(text: &str) -> Option<Stage> {
        let t = text.trim();
        Stage::ALL
            .into_iter()
            .find(|s| s.label().eq_ignore_ascii_case(t))
    }

    /// Whether work on the problem goes on (every stage but closed).
    pub fn is_open(self) -> bool {
        self != Stage::Closed
    }
}

/// What came of a closed problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Solved,
    Reduced,
    MovedElsewhere,
    NoChange,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Solved,
        Outcome::Reduced,
        Outcome::MovedElsewhere,
        Outcome::NoChange,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Solved => "Solved",
            Outcome::Reduced => "Reduced",
            Outcome::MovedElsewhere => "Moved elsewhere",
            Outcome::NoChange => "No change",
        }
    }
}

/// The notes of each stage; any may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageNotes {
    /// What shows the problem: who raised it, how often, at which meetings.
    pub scanning: String,
    /// When and where it happens, the conditions that allow it, who is affected, who can help.
    pub analysis: String,
    /// The plan as a whole (its actions are listed apart).
    pub response: String,
    /// What changed.
    pub assessment: String,
}

impl StageNotes {
    /// The notes of `stage` (a closed problem's are the assessment's).
    pub fn of(&self, stage: Stage) -> &str {
        match stage {
            Stage::Scanning => &self.scanning,
            Stage::Analysis => &self.analysis,
            Stage::Response => &self.response,
            Stage::Assessment | Stage::Closed => &self.assessment,
        }
    }
}

/// Who carries out an action: an officer of the squad, or a partner agency with its own
/// reference for the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum ActionOwner {
    Officer {
        officer: Id,
    },
    Partner {
        /// "Public works", "Housing authority".
        agency: String,
        /// Their reference: a work order, a ticket number; may be empty until they give one.
        #[serde(default)]
        reference: String,
        /// When the request was sent to them.
        #[serde(default)]
        sent: Option<NaiveDate>,
        /// When to ask them where it stands.
        #[serde(default)]
        chase: Option<NaiveDate>,
    },
}

impl ActionOwner {
    /// The agency's name, for an action owned by a partner.
    pub fn agency(&self) -> Option<&str> {
        match self {
            ActionOwner::Partner { agency, .. } => Some(agency),
            ActionOwner::Officer { .. } => None,
        }
    }
}

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Planned,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Planned => "Planned",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
            ActionStatus::Dropped => "Dropped",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planned | ActionStatus::InProgress)
    }
}

/// One step of the response plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// What is to be done: "Replace the two lamps in the alley behind Main St".
    pub what: String,
    /// `None` only while the action is being written: a saved action has an owner.
    pub owner: Option<ActionOwner>,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
}

impl Action {
    fn validate(&self, noticed: NaiveDate) -> Result<(), ValidationError> {
        check_short("What the action is", &self.what)?;
        let what = self.what.trim();
        match &self.owner {
            None => {
                return Err(ValidationError::Rule(format!(
                    "The action \"{what}\" needs an owner: an officer or a partner agency."
                )))
            }
            Some(ActionOwner::Officer { .. }) => {}
            Some(ActionOwner::Partner {
                agency,
                reference,
                sent,
                chase,
            }) => {
                check_short("The partner agency", agency)?;
                check_text("The reference number", reference, super::MAX_SHORT_CHARS)?;
                if let (Some(sent), Some(chase)) = (sent, chase) {
                    if chase < sent {
                        return Err(ValidationError::Rule(format!(
                            "The action \"{what}\" would be chased ({chase}) before it was sent \
                             ({sent})."
                        )));
                    }
                }
                if let Some(sent) = sent {
                    if *sent < noticed {
                        return Err(ValidationError::Rule(format!(
                            "The action \"{what}\" was sent ({sent}) before the problem was \
                             noticed ({noticed})."
                        )));
                    }
                }
            }
        }
        if let Some(due) = self.due {
            if due < noticed {
                return Err(ValidationError::Rule(format!(
                    "The action \"{what}\" is due ({due}) before the problem was noticed \
                     ({noticed})."
                )));
            }
        }
        Ok(())
    }
}

/// A community problem worked through SARA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub meta: Meta,
    /// A short name: "Dark alley behind the bakery".
    pub title: String,
    pub neighborhood: Id,
    /// Where it happens, in words: "alley behind 12 Main St", "the bus stop on Oak Ave".
    #[serde(default)]
    pub places: Vec<String>,
    /// The topics residents raise about it.
    #[serde(default)]
    pub topics: Vec<Id>,
    /// The officer who leads the work on it.
    pub owner: Id,
    pub noticed: NaiveDate,
    pub stage: Stage,
    #[serde(default)]
    pub notes: StageNotes,
    /// The contacts that show it (scanning) or tell what changed since (assessment).
    #[serde(default)]
    pub contacts: Vec<Id>,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Set when, and only when, the problem is closed.
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// Sentences of its notes the officer marked for publication: the only free text of a
    /// problem that "You said, we did" prints (see `report::you_said`).
    #[serde(default)]
    pub published: Vec<String>,
}

impl Problem {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_short("The problem's title", &self.title)?;
        for place in &self.places {
            check_short("A place", place)?;
        }
        for (field, text) in [
            ("The scanning notes", &self.notes.scanning),
            ("The analysis notes", &self.notes.analysis),
            ("The response notes", &self.notes.response),
            ("The assessment notes", &self.notes.assessment),
        ] {
            check_text(field, text, MAX_NOTE_CHARS)?;
        }
        for action in &self.actions {
            action.validate(self.noticed)?;
        }
        for sentence in &self.published {
            check_text("A sentence for publication", sentence, MAX_NOTE_CHARS)?;
        }
        if self.stage >= Stage::Assessment && self.actions.is_empty() {
            return Err(ValidationError::Rule(format!(
                "A problem can be {} only after its response: add at least one action first.",
                if self.stage == Stage::Closed {
                    "closed"
                } else {
                    "assessed"
                }
            )));
        }
        match (self.stage, self.outcome) {
            (Stage::Closed, None) => Err(ValidationError::Rule(
                "A problem is closed with its outcome: solved, reduced, moved elsewhere or no \
                 change."
                    .into(),
            )),
            (stage, Some(_)) if stage != Stage::Closed => Err(ValidationError::Rule(
                "Only a closed problem has an outcome.".into(),
            )),
            _ => Ok(()),
        }
    }

    /// The partner agencies its actions wait on, each once, in the order first named.
    pub fn partners(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for a in &self.actions {
            if let Some(agency) = a.owner.as_ref().and_then(ActionOwner::agency) {
                if !out.iter().any(|x| x.eq_ignore_ascii_case(agency)) {
                    out.push(agency);
                }
            }
        }
        out
    }

    /// The earliest due date of an action still open, if any.
    pub fn next_due(&self) -> Option<NaiveDate> {
        self.actions
            .iter()
            .filter(|a| a.status.is_open())
            .filter_map(|a| a.due)
            .min()
    }
}

/// A priority agreed with a neighborhood's residents for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priority {
    pub meta: Meta,
    pub neighborhood: Id,
    /// The concern in the residents' words: "Speeding on Oak Ave at school times".
    pub concern: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The contact of the meeting where it was agreed, if it was.
    #[serde(default)]
    pub meeting: Option<Id>,
    /// The problems that work on it.
    #[serde(default)]
    pub problems: Vec<Id>,
}

impl Priority {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_short("The concern", &self.concern)?;
        if self.to < self.from {
            return Err(ValidationError::Rule(format!(
                "The priority's period ends ({}) before it starts ({}).",
                self.to, self.from
            )));
        }
        Ok(())
    }

    /// Whether its period shares a day with `other`'s.
    pub fn overlaps(&self, other: &Priority) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    /// Refuses a priority that would make more than [`MAX_PRIORITIES`] live ones in its
    /// neighborhood for a period: `others` are the stored priorities (this one's own earlier
    /// revision and deleted ones do not count). A deleted priority takes no room.
    pub fn check_room(&self, others: &[Priority]) -> Result<(), ValidationError> {
        if self.meta.deleted {
            return Ok(());
        }
        let sharing = others
            .iter()
            .filter(|p| !p.meta.deleted && p.meta.id != self.meta.id)
            .filter(|p| p.neighborhood == self.neighborhood && p.overlaps(self))
            .count();
        if sharing >= MAX_PRIORITIES {
            return Err(ValidationError::Rule(format!(
                "This neighborhood already has {MAX_PRIORITIES} priorities for that period: \
                 close or shorten one first, so they stay a handful."
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn stages_read_in_any_case_and_keep_their_order() {
        assert_eq!(Stage::parse(" ANALYSIS "), Some(Stage::Analysis));
        assert_eq!(Stage::parse("closed"), Some(Stage::Closed));
        assert_eq!(Stage::parse("done"), None);
        assert!(Stage::Scanning < Stage::Response && Stage::Assessment < Stage::Closed);
        assert!(!Stage::Closed.is_open());
    }

    #[test]
    fn a_handful_of_priorities_per_neighborhood_and_period() {
        let hood = Id(1);
        let at = chrono::Utc::now();
        let make = |n: u128, from: NaiveDate, to: NaiveDate| Priority {
            meta: Meta::new(Id(100 + n), Id(9), at),
            neighborhood: hood,
            concern: format!("Concern {n}"),
            from,
            to,
            meeting: None,
            problems: Vec::new(),
        };
        let five: Vec<Priority> = (0..5).map(|n| make(n, day(1, 1), day(3, 31))).collect();
        assert!(make(9, day(3, 31), day(6, 30)).check_room(&five).is_err());
        assert!(make(9, day(4, 1), day(6, 30)).check_room(&five).is_ok());
        assert!(
            five[0].check_room(&five).is_ok(),
            "not counted against itself"
        );
        let mut other = make(9, day(1, 1), day(3, 31));
        other.neighborhood = Id(2);
        assert!(other.check_room(&five).is_ok());
    }
}
