//! The guard of the public report: the log's personal data (every person's names, phones,
//! emails and addresses given with consent), and whether a line holds any of it (see the
//! notes of `report::you_said` for how each kind is matched).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use super::Reason;
use crate::model::{Id, Person};
use crate::store::{Store, StoreResult};

/// Honorifics written before a surname: not part of the name itself.
const HONORIFICS: [&str; 9] = [
    "mr", "mrs", "ms", "miss", "mx", "dr", "rev", "pastor", "sister",
];

/// The honorifics a surname is written after in a sentence ("call Mrs Lopez").
const SURNAME_HONORIFICS: [&str; 5] = ["mr", "mrs", "ms", "miss", "dr"];

/// Words that start the flat or unit part of an address ("Apt 2"), after the street.
const UNIT_WORDS: [&str; 8] = [
    "apt",
    "apartment",
    "unit",
    "suite",
    "ste",
    "flat",
    "fl",
    "floor",
];

/// Phones are compared by digits from this many on; a shorter one is compared as words.
const PHONE_DIGITS: usize = 7;

/// The log's personal data, to keep out of anything printed for the public (see the module
/// notes for how each kind is matched).
#[derive(Debug, Default)]
pub struct Guard {
    /// Names and addresses as lower-case words (the first kind found for a phrase is kept).
    phrases: HashMap<Vec<String>, Reason>,
    /// The most words of any phrase: how far a line is looked at from each of its words.
    longest: usize,
    emails: HashSet<String>,
    /// Phones as their digits.
    phones: HashSet<String>,
    phone_lengths: BTreeSet<usize>,
    /// The officers whose residents the guard holds: the log's own officer and every officer
    /// owning a person in it (a sergeant's log receives the whole squad's people, an officer's
    /// log only its own). `None` for a guard made from a list of people, which checks every
    /// line against them alone.
    writers_known: Option<HashSet<Id>>,
}

/// Lower-case words: letters and digits, split at everything else ("O'Brien" is "o brien"),
/// with the accents of Latin letters taken off ("José" is "jose"), so a name typed with or
/// without them is found either way.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().map(without_accent).collect())
        .collect()
}

/// A lower-case Latin letter without its accent (others as they are).
fn without_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

impl Guard {
    /// Every person of the log, deleted ones included (their names may still be in old text).
    pub fn of(store: &Store) -> StoreResult<Guard> {
        Ok(Guard::of_unless(store, &AtomicBool::new(false))?.unwrap_or_default())
    }

    /// [`Guard::of`], given up (`None`) soon after `stop` is set.
    pub fn of_unless(store: &Store, stop: &AtomicBool) -> StoreResult<Option<Guard>> {
        let mut guard = Guard::default();
        let mut known: HashSet<Id> = store.profile()?.map(|p| p.officer).into_iter().collect();
        for (read, p) in store.iter_all::<Person>()?.enumerate() {
            if read % 4096 == 0 && stop.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let p = p?;
            known.insert(p.meta.owner());
            guard.add(&p);
        }
        guard.writers_known = Some(known);
        Ok(Some(guard))
    }

    /// The guard over these people only.
    pub fn from_people<'a>(people: impl IntoIterator<Item = &'a Person>) -> Guard {
        let mut guard = Guard::default();
        for p in people {
            guard.add(p);
        }
        guard
    }

    fn add(&mut self, p: &Person) {
        self.add_name(&p.name);
        if let Some(c) = &p.consent {
            self.add_phones(&c.phone);
            self.add_emails(&c.email);
            self.add_address(&c.address);
        }
    }

    fn add_phrase(&mut self, words: Vec<String>, reason: Reason) {
        if words.is_empty() {
            return;
        }
        self.longest = self.longest.max(words.len());
        self.phrases.entry(words).or_insert(reason);
    }

    fn add_name(&mut self, name: &str) {
        let words = words_of(name);
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return;
        };
        let mut forms = Vec::new();
        // "Maria K. Lopez" is also written "Maria Lopez".
        let full: Vec<String> = words
            .iter()
            .filter(|w| w.chars().count() > 1)
            .cloned()
            .collect();
        if full.len() >= 2 && full.len() < words.len() {
            forms.push(full);
        }
        let titled = words.len() > 1 && HONORIFICS.contains(&first.as_str());
        if titled {
            // "Mr. Tran" is named as "Tran" too, "Dr Maria Lopez" as "Maria Lopez".
            forms.push(words[1..].to_vec());
        }
        // "Maria Lopez" and "Dr Maria Lopez" are named as "Mrs Lopez" too.
        let given_and_surname = words.len() > if titled { 2 } else { 1 };
        if given_and_surname && last.chars().count() > 1 {
            for h in SURNAME_HONORIFICS {
                forms.push(vec![h.to_string(), last.clone()]);
            }
        }
        forms.push(words);
        for f in forms {
            self.add_phrase(f, Reason::Name);
        }
    }

    /// Each number of a phone field ("555-0100 / 555-0199"; "555-0100 ext. 12" is the number
    /// alone). Pieces too short to be a phone ("ext. 12", "after 5:30") are not looked for,
    /// as "12" or "30" would leave out every line with a date; a field with no number long
    /// enough is looked for whole, as written.
    fn add_phones(&mut self, field: &str) {
        let phone_char = |c: char| c.is_ascii_digit() || " -.()+".contains(c);
        let numbers: Vec<&str> = field
            .split(|c: char| !phone_char(c))
            .filter(|n| n.chars().filter(char::is_ascii_digit).count() >= PHONE_DIGITS)
            .collect();
        if numbers.is_empty() {
            self.add_phone(field);
        }
        for number in numbers {
            self.add_phone(number);
        }
    }

    /// Each address of an email field ("a@x.org; b@y.org", "a@x.org (work)"); a field with no
    /// address in it is looked for whole, as written.
    fn add_emails(&mut self, field: &str) {
        let addresses: Vec<&str> = field
            .split(|c: char| c.is_whitespace() || ",;()<>".contains(c))
            .filter(|e| e.contains('@'))
            .collect();
        if addresses.is_empty() {
            self.add_email(field);
        }
        for address in addresses {
            self.add_email(address);
        }
    }

    fn add_phone(&mut self, phone: &str) {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        if digits.len() < PHONE_DIGITS {
            self.add_phrase(words_of(phone), Reason::Phone);
            return;
        }
        // A number kept with its country code is also written without it.
        if digits.len() > 10 {
            let national = digits[digits.len() - 10..].to_string();
            self.phone_lengths.insert(national.len());
            self.phones.insert(national);
        }
        self.phone_lengths.insert(digits.len());
        self.phones.insert(digits);
    }

    fn add_email(&mut self, email: &str) {
        let email = email.trim().to_lowercase();
        if email.contains('@') {
            self.emails.insert(email);
        } else {
            self.add_phrase(words_of(&email), Reason::Email);
        }
    }

    fn add_address(&mut self, address: &str) {
        self.add_phrase(words_of(address), Reason::Address);
        // Its street when it has a house number: "14 Oak St" of "14 Oak St, Apt 2" or of
        // "14 Oak St Apt 2".
        let first = address.split([',', '\n']).next().unwrap_or_default();
        let mut words = words_of(first);
        if let Some(unit) = words.iter().position(|w| UNIT_WORDS.contains(&w.as_str())) {
            words.truncate(unit);
        }
        if words.len() >= 2 && words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) {
            self.add_phrase(words, Reason::Address);
        }
    }

    /// Why a line written by these officers cannot be checked: the log does not hold the
    /// residents of one of them.
    pub(super) fn cannot_check(&self, written_by: &[Id]) -> Option<Reason> {
        let known = self.writers_known.as_ref()?;
        written_by
            .iter()
            .any(|w| !known.contains(w))
            .then_some(Reason::AnotherOfficer)
    }

    /// Why `line` may not be printed, or `None` when it holds none of the log's personal data.
    pub fn check(&self, line: &str) -> Option<Reason> {
        let words = words_of(line);
        for start in 0..words.len() {
            let end = words.len().min(start + self.longest);
            for stop in start + 1..=end {
                if let Some(reason) = self.phrases.get(&words[start..stop]) {
                    return Some(*reason);
                }
            }
        }
        if self.has_email(line) {
            return Some(Reason::Email);
        }
        if self.has_phone(line) {
            return Some(Reason::Phone);
        }
        None
    }

    fn has_email(&self, line: &str) -> bool {
        if self.emails.is_empty() || !line.contains('@') {
            return false;
        }
        line.to_lowercase()
            .split(|c: char| c.is_whitespace() || "<>()[]{},;:\"'".contains(c))
            .filter(|t| t.contains('@'))
            .any(|t| self.emails.contains(t.trim_end_matches(['.', '!', '?'])))
    }

    /// Whether a run of digits in `line` (spaces, dashes, dots, slashes, brackets and a plus
    /// between them, as phones are written) holds one of the log's phones.
    fn has_phone(&self, line: &str) -> bool {
        if self.phones.is_empty() {
            return false;
        }
        let mut runs = Vec::new();
        let mut digits = String::new();
        for c in line.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !" -./()+".contains(c) && !digits.is_empty() {
                runs.push(std::mem::take(&mut digits));
            }
        }
        runs.push(digits);
        runs.iter().any(|run| {
            self.phone_lengths.iter().any(|&n| {
                run.len() >= n && (0..=run.len() - n).any(|i| self.phones.contains(&run[i..i + n]))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Draft, Style, DID};
    use super::*;
    use crate::model::{ContactDetails, Meta, PersonRole};

    fn person(name: &str, phone: &str, email: &str, address: &str) -> Person {
        Person {
            meta: Meta::new(Id(1), Id(2), chrono::Utc::now()),
            name: name.into(),
            role: PersonRole::Resident,
            neighborhood: None,
            notes: String::new(),
            consent: Some(ContactDetails {
                agreed_on: None,
                phone: phone.into(),
                email: email.into(),
                address: address.into(),
            }),
        }
    }

    #[test]
    fn names_are_found_as_whole_words_in_any_case() {
        let people = [
            person("Al", "", "", ""),
            person("Maria K. Lopez", "", "", ""),
            person("Mr. Tran", "", "", ""),
            person("Sean O'Brien", "", "", ""),
        ];
        let g = Guard::from_people(&people);
        assert_eq!(g.check("Ask AL about the gate"), Some(Reason::Name));
        assert_eq!(g.check("Al's shop"), Some(Reason::Name));
        assert_eq!(g.check("Also the alley lamp"), None);
        assert_eq!(g.check("Masjid Al-Noor room"), Some(Reason::Name));
        assert_eq!(g.check("maria   lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Maria K. Lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Mrs Lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Lopez Street lamps"), None, "a surname alone");
        assert_eq!(g.check("Ask Tran about it"), Some(Reason::Name));
        assert_eq!(g.check("Trance music at night"), None);
        assert_eq!(g.check("Call Sean O\u{2019}Brien back"), Some(Reason::Name));
        assert_eq!(g.check("Speeding on Oak St: raised 4 times"), None);
    }

    #[test]
    fn phones_emails_and_addresses_are_found_however_written() {
        let people = [person(
            "Rosa Delgado",
            "+1 (555) 010-0142",
            "Rosa.D@Example.org",
            "14 Oak St, Apt 2",
        )];
        let g = Guard::from_people(&people);
        assert_eq!(g.check("Call 555 010 0142"), Some(Reason::Phone));
        assert_eq!(g.check("Call 555.010.0142 today"), Some(Reason::Phone));
        assert_eq!(g.check("Call +15550100142"), Some(Reason::Phone));
        assert_eq!(g.check("Ticket 555-0199 and 2026-11-25"), None);
        assert_eq!(g.check("Write to rosa.d@example.ORG."), Some(Reason::Email));
        assert_eq!(
            g.check("Write to <rosa.d@example.org>"),
            Some(Reason::Email)
        );
        assert_eq!(g.check("Write to d@example.org"), None);
        assert_eq!(g.check("Lamp outside 14 oak st"), Some(Reason::Address));
        assert_eq!(
            g.check("Lamp outside 14 Oak St, Apt 2"),
            Some(Reason::Address)
        );
        assert_eq!(g.check("Lamps on Oak St"), None);
        assert_eq!(g.check("114 Oak Street"), None);
    }

    #[test]
    fn accents_titles_several_numbers_and_units_do_not_hide_a_person() {
        let people = [
            person("José Núñez", "", "", ""),
            person("Dr Maria Lopez", "", "", ""),
            person(
                "Ana Diaz",
                "555-010-0142 / 555-010-0199 ext. 12, after 5:30",
                "ana@example.org; nd77@example.net (work)",
                "22 Elm St Apt 4",
            ),
        ];
        let g = Guard::from_people(&people);
        assert_eq!(g.check("Thanks to Jose Nunez"), Some(Reason::Name));
        assert_eq!(g.check("Thanks to JOSÉ NÚÑEZ"), Some(Reason::Name));
        assert_eq!(g.check("Maria Lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Mrs Lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Call 555 010 0199"), Some(Reason::Phone));
        assert_eq!(g.check("Call 555-010-0142"), Some(Reason::Phone));
        assert_eq!(g.check("Mail nd77@example.net"), Some(Reason::Email));
        assert_eq!(g.check("Lamp outside 22 Elm St"), Some(Reason::Address));
        assert_eq!(g.check("Lamps along Elm St"), None);
        // The pieces that are not a number or an address are not looked for.
        assert_eq!(g.check("1 September 2026 to 30 November 2026"), None);
        assert_eq!(g.check("Noise: raised 12 times"), None);
        assert_eq!(g.check("Work under way."), None);
    }

    #[test]
    fn a_line_under_one_left_out_goes_with_it_and_the_summary_counts_why() {
        let mut d = Draft::default();
        d.heading(DID);
        let item = d.line(Style::Item, "Gate behind Rosa Delgado's shop");
        d.under(item, Style::Detail, "Done: new lock (Public works)");
        let kept = d.line(Style::Item, "Dark stretch of Elm St");
        d.under(kept, Style::Detail, "Under way: call 555 010 0142");
        d.under(kept, Style::Detail, "Done: three lamps replaced");
        let g = Guard::from_people([&person("Rosa Delgado", "555-010-0142", "", "")]);
        let report = d.guarded(&g);
        let texts: Vec<&str> = report.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [DID, "Dark stretch of Elm St", "Done: three lamps replaced"]
        );
        assert_eq!(
            report.left_out_summary().unwrap(),
            "3 lines were left out and not printed: 1 named a person in the log; 1 held a \
             phone number from the log; 1 belonged to a line left out above it."
        );
        assert_eq!(
            report.left_out_details()[0],
            "What we did: named a person in the log"
        );
    }
}
