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
///
/// A forgetting's edit is kept after it is applied (see `Store::forget_person`) so that bundles
/// exported before it are scrubbed the same way when they arrive: it holds only digests of the
/// person's names, never the names themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// as unnamed) and their name is blanked out of its free text (notes, places, promises,
    /// outcomes, comments); other fields and other people's names are left alone.
    DropPerson {
        person: String,
        /// Every name the person had, as the digests of its lower-cased words, matched as a
        /// whole (any case).
        phrases: Vec<Vec<String>>,
        /// The digests of the words of a proper name ("rosa", "delgado"), matched alone where
        /// the text capitalizes them.
        words: Vec<String>,
    },
}

/// The digest a forgotten name's word is known by: SHA-256 over the person's id and the
/// lower-cased word, so the edit that keeps scrubbing their name never holds it in words.
fn name_digest(person: &str, word: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"beatbook forgotten name\0");
    h.update(person.as_bytes());
    h.update([0]);
    h.update(word.to_lowercase().as_bytes());
    crate::hex::hex(&h.finalize()[..16])
}

impl Scrub {
    /// Removes a forgotten person's traces from a record. `names` are every name the person
    /// was known by (the current one and earlier ones).
    pub fn drop_person(person: crate::model::Id, names: &[String]) -> Self {
        let person = person.to_string();
        let digest = |w: &&str| name_digest(&person, w);
        let mut phrases = Vec::new();
        let mut words = Vec::new();
        for name in names {
            let parts: Vec<&str> = name
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            if parts.is_empty() {
                continue;
            }
            phrases.push(parts.iter().map(digest).collect());
            // A proper name's capitalized words also stand for the person alone ("Rosa",
            // "Cruz" of "Rosa de la Cruz"); a description's ("older man with the terrier") do
            // not. A name is proper when every word of four letters or more is capitalized.
            let capitalized = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
            let proper = parts
                .iter()
                .filter(|w| w.chars().count() >= 4)
                .all(capitalized);
            if proper {
                words.extend(
                    parts
                        .iter()
                        .filter(|w| w.chars().count() >= 3 && capitalized(w))
                        .map(digest),
                );
            }
        }
        Scrub::DropPerson {
            person,
            phrases,
            words,
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
            Scrub::DropPerson {
                person,
                phrases,
                words,
            } => drop_person(
                record,
                person,
                &Name {
                    person,
                    phrases,
                    words,
                },
            ),
        }
        let deletes = matches!(self, Scrub::RetireJournalNote | Scrub::Forget);
        if current && deletes {
            if let Some(meta) = record.get_mut("meta").and_then(Value::as_object_mut) {
                meta.insert("deleted".into(), Value::Bool(true));
            }
        }
    }
}

/// How a forgotten person's name shows in text (as digests, see [`name_digest`]).
struct Name<'a> {
    person: &'a str,
    phrases: &'a [Vec<String>],
    words: &'a [String],
}

/// The fields of free text a name is blanked out of (wherever they sit in the record).
const FREE_TEXT: [&str; 15] = [
    "note",
    "notes",
    "place",
    "text",
    "promise",
    "outcome",
    "comment",
    "reason",
    // A problem's title, its stage notes, its actions and places; a priority's concern.
    "title",
    "scanning",
    "analysis",
    "response",
    "assessment",
    "what",
    "concern",
];

/// Free-text fields that hold a list of texts (a problem's places, and the sentences of its
/// notes marked for the public report).
const FREE_TEXT_LISTS: [&str; 2] = ["places", "published"];

fn drop_person(record: &mut Value, person: &str, name: &Name<'_>) {
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
    blank_free_text(record, name);
}

/// Blanks the name out of every free-text field under `value`.
fn blank_free_text(value: &mut Value, name: &Name<'_>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if FREE_TEXT.contains(&key.as_str()) => {
                        if let Some(b) = blanked(s, name) {
                            *s = b;
                        }
                    }
                    Value::Array(items) if FREE_TEXT_LISTS.contains(&key.as_str()) => {
                        for item in items.iter_mut() {
                            if let Value::String(s) = item {
                                if let Some(b) = blanked(s, name) {
                                    *s = b;
                                }
                            }
                        }
                    }
                    Value::Object(_) | Value::Array(_) => blank_free_text(v, name),
                    _ => {}
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| blank_free_text(v, name)),
        _ => {}
    }
}

/// `text` with the name blanked out, or `None` if it does not occur. Neighbouring parts of the
/// name become one marker ("Rosa Delgado" becomes one "[name removed]").
fn blanked(text: &str, name: &Name<'_>) -> Option<String> {
    // Runs of word characters and of everything else, in order.
    let mut runs: Vec<(bool, &str)> = Vec::new();
    let (mut start, mut kind) = (0, None);
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric();
        if kind.is_some_and(|k| k != word) {
            runs.push((!word, &text[start..i]));
            start = i;
        }
        kind = Some(word);
    }
    if let Some(word) = kind {
        runs.push((word, &text[start..]));
    }
    let word_at: Vec<usize> = (0..runs.len()).filter(|i| runs[*i].0).collect();
    let digests: Vec<String> = word_at
        .iter()
        .map(|&i| name_digest(name.person, runs[i].1))
        .collect();
    let mut marked = vec![false; runs.len()];
    for phrase in name.phrases {
        for w in 0..word_at.len() {
            let fits = phrase
                .iter()
                .enumerate()
                .all(|(k, part)| digests.get(w + k) == Some(part));
            if fits {
                for k in 0..phrase.len() {
                    marked[word_at[w + k]] = true;
                }
            }
        }
    }
    for (&i, digest) in word_at.iter().zip(&digests) {
        let capitalized = runs[i].1.chars().next().is_some_and(char::is_uppercase);
        if capitalized && name.words.contains(digest) {
            marked[i] = true;
        }
    }
    if !marked.contains(&true) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < runs.len() {
        if marked[i] {
            out.push_str(REMOVED_NAME);
            // A space between two marked parts of the name goes with them.
            while i + 2 < runs.len() && marked[i + 2] && runs[i + 1].1.trim().is_empty() {
                i += 2;
            }
        } else {
            out.push_str(runs[i].1);
        }
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rosa() -> Scrub {
        Scrub::drop_person(
            "00000000000000000000000000000001".parse().unwrap(),
            &["Rosa Delgado".to_string(), "Rosa Martinez".to_string()],
        )
    }

    fn text_after(scrub: &Scrub, note: &str) -> String {
        let mut v = json!({ "note": note });
        scrub.apply(&mut v, true);
        v["note"].as_str().unwrap().to_string()
    }

    #[test]
    fn a_forgotten_name_is_blanked_out_whole_and_by_its_proper_words() {
        let r = rosa();
        assert_eq!(
            text_after(
                &r,
                "rosa delgado says hi; Rosa waved. Rosalind too, and DELGADO, not rosa."
            ),
            "[name removed] says hi; [name removed] waved. Rosalind too, and [name removed], \
             not rosa."
        );
        assert_eq!(text_after(&r, "Met Rosa Martinez."), "Met [name removed].");
        assert_eq!(text_after(&r, "Nothing here."), "Nothing here.");
    }

    #[test]
    fn the_capitalized_words_of_a_name_with_particles_stand_alone() {
        let r = Scrub::drop_person(
            "00000000000000000000000000000001".parse().unwrap(),
            &["Rosa de la Cruz".to_string()],
        );
        assert_eq!(
            text_after(&r, "Cruz said de la Torre is away."),
            "[name removed] said de la Torre is away."
        );
    }

    #[test]
    fn a_description_is_blanked_out_only_as_a_whole() {
        let r = Scrub::drop_person(
            "00000000000000000000000000000001".parse().unwrap(),
            &["older man with the terrier".to_string()],
        );
        assert_eq!(
            text_after(
                &r,
                "The older man with the terrier came with the mail carrier."
            ),
            "The [name removed] came with the mail carrier."
        );
    }

    #[test]
    fn dropping_a_person_counts_them_unnamed_and_touches_only_free_text() {
        let id = "00000000000000000000000000000001";
        let mut contact = json!({
            "meta": {"id": "x", "author": "Rosa"},
            "people": [id, "other"],
            "unnamed": 1,
            "tone": "Rosa",
            "note": "Met Rosa Delgado at the bakery.",
            "place": "Rosa's Bakery"
        });
        rosa().apply(&mut contact, true);
        assert_eq!(contact["people"], json!(["other"]));
        assert_eq!(contact["unnamed"], json!(2));
        assert_eq!(contact["note"], json!("Met [name removed] at the bakery."));
        assert_eq!(contact["place"], json!("[name removed]'s Bakery"));
        assert_eq!(contact["meta"]["author"], json!("Rosa"));
        assert_eq!(contact["tone"], json!("Rosa"), "not free text");
        let mut followup = json!({"status": {"Done": {"outcome": "Told Rosa."}}, "person": id});
        rosa().apply(&mut followup, true);
        assert_eq!(
            followup["status"]["Done"]["outcome"],
            json!("Told [name removed].")
        );
        assert_eq!(followup["person"], Value::Null);
    }

    #[test]
    fn the_kept_edit_holds_no_word_of_the_name() {
        let kept = serde_json::to_string(&rosa()).unwrap().to_lowercase();
        for word in ["rosa", "delgado", "martinez"] {
            assert!(!kept.contains(word), "{word} in {kept}");
        }
        let back: Scrub = serde_json::from_str(&serde_json::to_string(&rosa()).unwrap()).unwrap();
        assert_eq!(
            text_after(&back, "Rosa Delgado waved."),
            "[name removed] waved."
        );
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
