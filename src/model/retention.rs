//! Retention and the right to be forgotten: the policy, and the edits that take personal data
//! out of a record (and out of every earlier version of it, kept in the history).
//!
//! Edits work on a record's JSON so the same edit applies to the current record and to each
//! earlier version. They are deterministic: two logs purged under the same policy hold the
//! same records afterwards.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a person is called once anonymized by the retention policy.
pub const ANONYMIZED_NAME: &str = "Anonymized resident";
/// What a person is called once removed at their request.
pub const FORGOTTEN_NAME: &str = "Removed at the resident's request";
/// What replaces a forgotten person's name inside notes.
pub const REMOVED_NAME: &str = "[name removed]";
/// The text a journal note keeps once retired by the retention policy.
pub const RETIRED_NOTE: &str = "Removed by the retention policy.";

/// How long personal data is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    /// Contact notes, journal notes and contact details are removed after this many months
    /// (0: kept).
    pub notes_months: u32,
    /// People with no contact for this many months are anonymized (0: never).
    pub anonymize_months: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            notes_months: 24,
            anonymize_months: 18,
        }
    }
}

/// One edit that takes personal data out of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scrub {
    /// A contact's narrative note is emptied.
    ClearNote,
    /// A journal note's text is replaced and the note deleted.
    RetireJournalNote,
    /// A person's contact details are removed.
    ClearDetails,
    /// A person's name, notes and contact details are removed.
    Anonymize,
    /// A person is removed at their request: as `Anonymize`, and deleted.
    Forget,
    /// A record that mentions a forgotten person: their id is taken out (a contact counts them
    /// as unnamed) and every word of their name is blanked out of its text.
    DropPerson {
        person: String,
        name_words: Vec<String>,
    },
}

impl Scrub {
    /// Removes a forgotten person's traces from a record.
    pub fn drop_person(person: crate::model::Id, name: &str) -> Self {
        let name_words = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
            .map(str::to_lowercase)
            .collect();
        Scrub::DropPerson {
            person: person.to_string(),
            name_words,
        }
    }

    /// Applies the edit to a record's JSON (the current record, or an earlier version). With
    /// `current`, deletions are applied too; earlier versions keep their own flags.
    pub fn apply(&self, record: &mut Value, current: bool) {
        let Some(fields) = record.as_object_mut() else {
            return;
        };
        let mut set = |key: &str, value: Value| {
            if fields.contains_key(key) {
                fields.insert(key.to_string(), value);
            }
        };
        match self {
            Scrub::ClearNote => set("note", Value::from("")),
            Scrub::RetireJournalNote => set("text", Value::from(RETIRED_NOTE)),
            Scrub::ClearDetails => set("consent", Value::Null),
            Scrub::Anonymize | Scrub::Forget => {
                let name = if *self == Scrub::Forget {
                    FORGOTTEN_NAME
                } else {
                    ANONYMIZED_NAME
                };
                set("name", Value::from(name));
                set("notes", Value::from(""));
                set("consent", Value::Null);
            }
            Scrub::DropPerson { person, name_words } => {
                drop_person(record, person, name_words);
            }
        }
        let deletes = matches!(self, Scrub::RetireJournalNote | Scrub::Forget);
        if current && deletes {
            if let Some(meta) = record.get_mut("meta").and_then(Value::as_object_mut) {
                meta.insert("deleted".into(), Value::Bool(true));
            }
        }
    }
}

fn drop_person(record: &mut Value, person: &str, name_words: &[String]) {
    let Some(fields) = record.as_object_mut() else {
        return;
    };
    let mut removed = 0;
    if let Some(Value::Array(people)) = fields.get_mut("people") {
        let before = people.len();
        people.retain(|p| p.as_str() != Some(person));
        removed = before - people.len();
    }
    if removed > 0 {
        if let Some(n) = fields.get("unnamed").and_then(Value::as_u64) {
            fields.insert("unnamed".into(), Value::from(n + removed as u64));
        }
    }
    if fields.get("person").and_then(Value::as_str) == Some(person) {
        fields.insert("person".into(), Value::Null);
    }
    for (key, value) in fields.iter_mut() {
        if key != "meta" {
            blank_words(value, name_words);
        }
    }
}

/// Blanks out every whole word of `words` (any case) in every string under `value`.
fn blank_words(value: &mut Value, words: &[String]) {
    match value {
        Value::String(s) => {
            if let Some(blanked) = blanked(s, words) {
                *s = blanked;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| blank_words(v, words)),
        Value::Object(map) => map.values_mut().for_each(|v| blank_words(v, words)),
        _ => {}
    }
}

/// `text` with the listed words replaced, or `None` if none occurs. Neighbouring words of the
/// name collapse into one marker ("Rosa Delgado" becomes one "[name removed]").
fn blanked(text: &str, words: &[String]) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut last_was_name = false;
    let mut pending_gap = String::new();
    let mut word = String::new();
    let flush_word = |word: &mut String,
                      out: &mut String,
                      gap: &mut String,
                      last_was_name: &mut bool,
                      changed: &mut bool| {
        if word.is_empty() {
            return;
        }
        let is_name = words.iter().any(|w| w == &word.to_lowercase());
        if is_name {
            *changed = true;
            if !*last_was_name {
                out.push_str(gap);
                out.push_str(REMOVED_NAME);
            }
        } else {
            out.push_str(gap);
            out.push_str(word);
        }
        gap.clear();
        word.clear();
        *last_was_name = is_name;
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush_word(
                &mut word,
                &mut out,
                &mut pending_gap,
                &mut last_was_name,
                &mut changed,
            );
            // A space between two parts of the name goes with them.
            if last_was_name && c == ' ' {
                pending_gap.push(c);
            } else {
                out.push_str(&pending_gap);
                pending_gap.clear();
                out.push(c);
                last_was_name = false;
            }
        }
    }
    flush_word(
        &mut word,
        &mut out,
        &mut pending_gap,
        &mut last_was_name,
        &mut changed,
    );
    out.push_str(&pending_gap);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_forgotten_name_is_blanked_out_as_whole_words_in_any_case() {
        let words = vec!["rosa".to_string(), "delgado".to_string()];
        assert_eq!(
            blanked("Rosa Delgado says hi; ROSA waved. Rosalind too.", &words).unwrap(),
            "[name removed] says hi; [name removed] waved. Rosalind too."
        );
        assert_eq!(blanked("Nothing here.", &words), None);
        assert_eq!(
            blanked("Told rosa.", &words).unwrap(),
            "Told [name removed]."
        );
    }

    #[test]
    fn dropping_a_person_counts_them_unnamed_and_leaves_meta_alone() {
        let id = "00000000000000000000000000000001";
        let mut contact = json!({
            "meta": {"id": "x", "author": "Rosa"},
            "people": [id, "other"],
            "unnamed": 1,
            "note": "Met Rosa Delgado at the bakery.",
            "place": "Rosa's Bakery"
        });
        Scrub::DropPerson {
            person: id.into(),
            name_words: vec!["rosa".into(), "delgado".into()],
        }
        .apply(&mut contact, true);
        assert_eq!(contact["people"], json!(["other"]));
        assert_eq!(contact["unnamed"], json!(2));
        assert_eq!(contact["note"], json!("Met [name removed] at the bakery."));
        assert_eq!(contact["place"], json!("[name removed]'s Bakery"));
        assert_eq!(contact["meta"]["author"], json!("Rosa"));
    }

    #[test]
    fn forgetting_deletes_only_the_current_record() {
        let mut person = json!({"meta": {"deleted": false}, "name": "Rosa", "notes": "x", "consent": {"phone": "1"}});
        let mut earlier = person.clone();
        Scrub::Forget.apply(&mut person, true);
        Scrub::Forget.apply(&mut earlier, false);
        assert_eq!(person["name"], json!(FORGOTTEN_NAME));
        assert_eq!(person["consent"], Value::Null);
        assert_eq!(person["meta"]["deleted"], json!(true));
        assert_eq!(earlier["meta"]["deleted"], json!(false));
        assert_eq!(earlier["notes"], json!(""));
    }
}
