//! A problem as its page edits it: the record, with its dates and places as the text typed,
//! so a half-typed date is kept (and said to be wrong) rather than lost.

use chrono::NaiveDate;

use crate::model::{
    parse_date, why_not_a_date, Action, ActionOwner, ActionStatus, Id, Outcome, Problem, Stage,
};

/// The dates of one action as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionDates {
    pub due: String,
    pub sent: String,
    pub chase: String,
}

/// One problem's page being edited. Kept per problem, so moving between problems, screens or
/// locking the app loses nothing typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemDraft {
    /// The working copy: what the page shows and edits.
    pub problem: Problem,
    /// What the log holds; `None` for a problem not saved yet.
    pub saved: Option<Problem>,
    pub noticed: String,
    /// The places, comma-separated.
    pub places: String,
    /// Parallel to `problem.actions`.
    pub dates: Vec<ActionDates>,
    /// The outcome chosen for closing: none until the officer picks one (closing asks).
    pub outcome: Option<Outcome>,
    /// Why the last save or stage move was refused, said at the top of the page.
    pub error: Option<String>,
}

fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// A date field's value: empty is no date; anything else must be a date.
fn optional_date(field: &str, text: &str) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_date(t)
        .map(Some)
        .ok_or_else(|| format!("{field}: {}", why_not_a_date(t)))
}

impl ProblemDraft {
    /// A page for `problem`, which the log holds when `saved`.
    pub fn new(problem: Problem, saved: bool) -> Self {
        let dates = problem
            .actions
            .iter()
            .map(|a| {
                let (sent, chase) = match &a.owner {
                    Some(ActionOwner::Partner { sent, chase, .. }) => (*sent, *chase),
                    _ => (None, None),
                };
                ActionDates {
                    due: date_text(a.due),
                    sent: date_text(sent),
                    chase: date_text(chase),
                }
            })
            .collect();
        ProblemDraft {
            noticed: problem.noticed.to_string(),
            places: problem.places.join(", "),
            dates,
            outcome: problem.outcome,
            error: None,
            saved: saved.then(|| problem.clone()),
            problem,
        }
    }

    pub fn id(&self) -> Id {
        self.problem.meta.id
    }

    /// Adds an empty action owned by `officer`, to be written.
    pub fn add_action(&mut self, officer: Id) {
        self.problem.actions.push(Action {
            what: String::new(),
            owner: Some(ActionOwner::Officer { officer }),
            due: None,
            status: ActionStatus::Planned,
        });
        self.dates.push(ActionDates::default());
    }

    pub fn remove_action(&mut self, index: usize) {
        if index < self.problem.actions.len() {
            self.problem.actions.remove(index);
            self.dates.remove(index);
        }
    }

    /// The record as typed, or what is wrong with a date in it (the record's own rules are the
    /// store's to check when it is saved).
    pub fn to_problem(&self) -> Result<Problem, String> {
        let mut p = self.problem.clone();
        p.noticed = parse_date(self.noticed.trim())
            .ok_or_else(|| format!("Noticed: {}", why_not_a_date(self.noticed.trim())))?;
        p.places = self
            .places
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        for (a, d) in p.actions.iter_mut().zip(&self.dates) {
            let what = if a.what.trim().is_empty() {
                "An action".to_string()
            } else {
                format!("The action \"{}\"", a.what.trim())
            };
            a.what = a.what.trim().to_string();
            a.due = optional_date(&format!("{what}, due"), &d.due)?;
            if let Some(ActionOwner::Partner {
                agency,
                reference,
                sent,
                chase,
            }) = &mut a.owner
            {
                *agency = agency.trim().to_string();
                *reference = reference.trim().to_string();
                *sent = optional_date(&format!("{what}, sent"), &d.sent)?;
                *chase = optional_date(&format!("{what}, chase on"), &d.chase)?;
            }
        }
        p.title = p.title.trim().to_string();
        Ok(p)
    }

    /// The record as typed, moved to `stage` (with the outcome chosen when closing).
    pub fn moved_to(&self, stage: Stage) -> Result<Problem, String> {
        let mut p = self.to_problem()?;
        p.stage = stage;
        p.outcome = if stage == Stage::Closed {
            Some(self.outcome.ok_or(
                "Choose the outcome before closing: solved, reduced, moved elsewhere or no change.",
            )?)
        } else {
            None
        };
        Ok(p)
    }

    /// Whether anything typed differs from what the log holds.
    pub fn is_dirty(&self) -> bool {
        match &self.saved {
            None => true,
            Some(saved) => self.to_problem().map_or(true, |p| p != *saved),
        }
    }
}

/// The sentences of a text, as "You said, we did" can publish them one by one.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            push_sentence(&mut out, &mut current);
            continue;
        }
        let after_abbreviation = c == '.' && ends_in_abbreviation(&current);
        current.push(c);
        let ends = matches!(c, '.' | '!' | '?')
            && chars.peek().is_none_or(|n| n.is_whitespace())
            && !after_abbreviation;
        if ends {
            push_sentence(&mut out, &mut current);
        }
    }
    push_sentence(&mut out, &mut current);
    out
}

/// Titles and abbreviations whose stop does not end a sentence: "Mr. Tran" cut after "Mr."
/// would leave a name on a line of its own, where the guard of the public report could not
/// read it as one.
const ABBREVIATIONS: [&str; 15] = [
    "mr", "mrs", "ms", "mx", "dr", "prof", "rev", "fr", "sr", "jr", "st", "ave", "rd", "apt", "mt",
];

/// Whether `text` ends in a title, an abbreviation or an initial ("J" of "J. Smith").
fn ends_in_abbreviation(text: &str) -> bool {
    let word = text
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default();
    let single_capital = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    single_capital || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

fn push_sentence(out: &mut Vec<String>, current: &mut String) {
    let s = current.trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
    current.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_or_an_initial_does_not_end_a_sentence() {
        assert_eq!(
            sentences("We thank Mr. Tran and J. R. Diaz for the tip. Dr. Okafor came too."),
            vec![
                "We thank Mr. Tran and J. R. Diaz for the tip.",
                "Dr. Okafor came too."
            ]
        );
    }

    #[test]
    fn notes_split_into_sentences_at_stops_and_lines() {
        assert_eq!(
            sentences("Two lamps out. Public works came! Was it fixed?\nYes\n\n  "),
            vec![
                "Two lamps out.",
                "Public works came!",
                "Was it fixed?",
                "Yes"
            ]
        );
        assert_eq!(sentences("Lamp 3.5 m high."), vec!["Lamp 3.5 m high."]);
    }
}
