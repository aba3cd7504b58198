//! Reading what a person typed: names and badge numbers become record ids (or a plain error
//! naming what exists), dates become dates.

use chrono::NaiveDate;

use super::CliError;
use crate::model::{Id, Neighborhood, Officer, Tag};

/// A date typed as YYYY-MM-DD, or a plain error.
pub(super) fn parse_date(text: &str) -> Result<NaiveDate, CliError> {
    crate::model::parse_date(text).ok_or_else(|| CliError::BadDate(text.into()))
}

fn same_name(a: &str, b: &str) -> bool {
    Tag::normalize(a) == Tag::normalize(b)
}

/// The one id whose name matches, or a plain error naming what exists.
pub(super) fn find_one<'a>(
    what: &'static str,
    wanted: &str,
    items: impl Iterator<Item = (Id, &'a str)> + Clone,
    hint: &'static str,
) -> Result<Id, CliError> {
    let mut matches = items.clone().filter(|(_, name)| same_name(name, wanted));
    match (matches.next(), matches.next()) {
        (Some((id, _)), None) => Ok(id),
        (Some(_), Some(_)) => Err(CliError::Ambiguous {
            what,
            name: wanted.to_string(),
            hint,
        }),
        (None, _) => {
            let mut names: Vec<&str> = items.map(|(_, n)| n).collect();
            names.sort_unstable_by_key(|n| n.to_lowercase());
            let known = match names.len() {
                0 => format!("There are no {what}s in this log yet."),
                n if n > 12 => format!("Known: {}, and {} more.", names[..12].join(", "), n - 12),
                _ => format!("Known: {}.", names.join(", ")),
            };
            Err(CliError::Unknown {
                what,
                name: wanted.to_string(),
                known,
            })
        }
    }
}

pub(super) fn find_neighborhood(hoods: &[Neighborhood], name: &str) -> Result<Id, CliError> {
    find_one(
        "neighborhood",
        name,
        hoods.iter().map(|h| (h.meta.id, h.name.as_str())),
        "",
    )
}

pub(super) fn find_tag(tags: &[Tag], name: &str) -> Result<Id, CliError> {
    find_one(
        "topic",
        name,
        tags.iter().map(|t| (t.meta.id, t.name.as_str())),
        "",
    )
}

/// An officer by badge number (exact) or else by name.
pub(super) fn find_officer(officers: &[Officer], wanted: &str) -> Result<Id, CliError> {
    if let Some(o) = officers.iter().find(|o| same_name(&o.badge, wanted)) {
        return Ok(o.meta.id);
    }
    find_one(
        "officer",
        wanted,
        officers.iter().map(|o| (o.meta.id, o.name.as_str())),
        " Give the badge number instead.",
    )
}
