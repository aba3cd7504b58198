//! Made-up words: note templates filled from a neighborhood's places and a contact's people
//! and topics, and names kept unique in a crowded precinct.

use std::collections::HashSet;

use super::words::{GENERIC_TOPIC, INITIALS};
use super::SplitMix64;

/// The places that belong to one neighborhood.
pub(super) struct HoodPlaces {
    pub(super) streets: Vec<&'static str>,
    pub(super) businesses: Vec<&'static str>,
    pub(super) parks: Vec<&'static str>,
    pub(super) schools: Vec<&'static str>,
    pub(super) meetings: Vec<&'static str>,
    /// Topics that come up here more than elsewhere (indexes into the tag list).
    pub(super) favored: Vec<usize>,
}

/// The values a template's `{slots}` are filled from.
pub(super) struct Slots<'a> {
    pub(super) places: &'a HoodPlaces,
    /// Where the contact happened.
    pub(super) place: &'a str,
    pub(super) event: &'a str,
    pub(super) who: &'a str,
    pub(super) topic: &'a str,
    pub(super) topic2: &'a str,
}

/// Fills `{slot}` markers from `slots`, drawing streets and places at random as they appear.
/// A slot written with a capital (`{Who}`) is filled capitalized.
pub(super) fn fill(template: &str, slots: &Slots<'_>, rng: &mut SplitMix64, out: &mut String) {
    let mut rest = template;
    let mut last_street = "";
    let mut value = String::new();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return;
        };
        let key = &after[..close];
        let capital = key.starts_with(|c: char| c.is_ascii_uppercase());
        let p = slots.places;
        value.clear();
        match key.to_ascii_lowercase().as_str() {
            "street" => {
                last_street = rng.pick(&p.streets);
                value.push_str(last_street);
            }
            "street2" => {
                let mut s = rng.pick(&p.streets);
                if s == last_street {
                    let at = p.streets.iter().position(|x| *x == s).unwrap_or(0);
                    s = p.streets[(at + 1) % p.streets.len()];
                }
                value.push_str(s);
            }
            "business" => value.push_str(rng.pick(&p.businesses)),
            "park" => value.push_str(rng.pick(&p.parks)),
            "school" => value.push_str(rng.pick(&p.schools)),
            "meeting" => value.push_str(rng.pick(&p.meetings)),
            "place" => value.push_str(slots.place),
            "event" => value.push_str(slots.event),
            "who" => value.push_str(slots.who),
            "topic" => value.push_str(slots.topic),
            "topic2" => value.push_str(slots.topic2),
            "n" => value.push_str(&rng.between(8, 60).to_string()),
            _ => {
                value.push('{');
                value.push_str(key);
                value.push('}');
            }
        }
        if capital {
            push_capitalized(out, &value);
        } else {
            out.push_str(&value);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
}

pub(super) fn push_capitalized(out: &mut String, s: &str) {
    let mut chars = s.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
        out.push_str(chars.as_str());
    }
}

pub(super) fn sentences_for(
    list: &[(&'static str, &'static [&'static str])],
    topic: &str,
) -> &'static [&'static str] {
    list.iter()
        .find(|(t, _)| *t == topic)
        .map(|(_, s)| *s)
        .unwrap_or(&GENERIC_TOPIC)
}

/// `candidate` if unused, else the name with a middle initial (or two), else numbered.
pub(super) fn unique_name(
    rng: &mut SplitMix64,
    used: &mut HashSet<String>,
    candidate: String,
    first: &str,
    last: &str,
    serial: usize,
) -> String {
    if used.insert(candidate.clone()) {
        return candidate;
    }
    let initials: Vec<char> = INITIALS.chars().collect();
    let n = initials.len();
    // Walk all initials from a random start so a crowded name still finds a free variant.
    let start = rng.below(n * n);
    for k in 0..n + n * n {
        let name = if k < n {
            format!("{first} {}. {last}", initials[(start + k) % n])
        } else {
            let j = (start + k) % (n * n);
            format!("{first} {}. {}. {last}", initials[j / n], initials[j % n])
        };
        if used.insert(name.clone()) {
            return name;
        }
    }
    let name = format!("{candidate} ({})", serial + 1);
    used.insert(name.clone());
    name
}
