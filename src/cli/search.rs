//! `beatbook search`: the log's filter from the command line, printed as lines or JSON.

use std::io::{self, Write};

use chrono::{Local, SecondsFormat};

use super::lookup::{find_neighborhood, find_tag};
use super::{find_officer, parse_date, CliError, Launch, LogDir, OutputFormat, SearchArgs};
use crate::model::{Contact, ContactKind, Id, Neighborhood, Officer, Person, Tag};
use crate::query::{self, LogFilter};
use crate::store::Store;

pub(super) fn run_search(
    dir: &LogDir,
    a: &SearchArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Launch, CliError> {
    // Parse what needs no store first, so a typo is reported even when no log exists.
    let kind = match &a.kind {
        Some(k) => Some(ContactKind::parse(k).ok_or_else(|| CliError::BadKind(k.clone()))?),
        None => None,
    };
    let from = a.from.as_deref().map(parse_date).transpose()?;
    let to = a.to.as_deref().map(parse_date).transpose()?;
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(CliError::DateOrder { from, to });
        }
    }
    let store = dir.open_existing()?;
    let officers = store.all::<Officer>()?;
    let hoods = store.all::<Neighborhood>()?;
    let tags = store.all::<Tag>()?;
    let filter = LogFilter {
        neighborhood: match &a.neighborhood {
            Some(n) => Some(find_neighborhood(&hoods, n)?),
            None => None,
        },
        officer: match &a.officer {
            Some(o) => Some(find_officer(&officers, o)?),
            None => None,
        },
        kind,
        tag: match &a.tag {
            Some(t) => Some(find_tag(&tags, t)?),
            None => None,
        },
        person: None,
        from,
        to,
        text: a.words.join(" "),
    };
    let limit = if a.count { 0 } else { a.limit };
    let page = query::search(&store, &filter, limit)?;
    if a.count {
        writeln!(out, "{}", page.total)?;
        return Ok(Launch::Done(0));
    }

    let names = Names::load(&store, officers, hoods, tags)?;
    match a.format {
        OutputFormat::Text => {
            for c in &page.contacts {
                writeln!(out, "{}", names.line(c))?;
            }
            if page.total == 0 {
                writeln!(err, "No contacts match.")?;
            } else if page.total > page.contacts.len() {
                writeln!(
                    err,
                    "Showing the newest {} of {} matching contacts; use --limit to see more.",
                    page.contacts.len(),
                    page.total
                )?;
            }
        }
        OutputFormat::Json => {
            let contacts: Vec<serde_json::Value> =
                page.contacts.iter().map(|c| names.json(c)).collect();
            let doc = serde_json::json!({
                "total": page.total,
                "shown": page.contacts.len(),
                "contacts": contacts,
            });
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    Ok(Launch::Done(0))
}

/// Names for the ids a contact refers to. People include deleted ones (a contact still names
/// them); officers, neighborhoods and topics are the live ones the command looked up.
struct Names {
    officers: std::collections::HashMap<Id, Officer>,
    hoods: std::collections::HashMap<Id, String>,
    tags: std::collections::HashMap<Id, String>,
    people: std::collections::HashMap<Id, String>,
}

impl Names {
    fn load(
        store: &Store,
        officers: Vec<Officer>,
        hoods: Vec<Neighborhood>,
        tags: Vec<Tag>,
    ) -> Result<Self, CliError> {
        let mut people = std::collections::HashMap::new();
        for p in store.iter_all::<Person>()? {
            let p = p?;
            people.insert(p.meta.id, p.name);
        }
        Ok(Names {
            officers: officers.into_iter().map(|o| (o.meta.id, o)).collect(),
            hoods: hoods.into_iter().map(|h| (h.meta.id, h.name)).collect(),
            tags: tags.into_iter().map(|t| (t.meta.id, t.name)).collect(),
            people,
        })
    }

    fn person(&self, id: &Id) -> &str {
        self.people.get(id).map_or("(unknown)", String::as_str)
    }

    fn hood(&self, id: &Id) -> &str {
        self.hoods.get(id).map_or("(unknown)", String::as_str)
    }

    /// `2026-03-14 09:30  Riverside  Business check  Rosa Diaz +2  Note…`
    fn line(&self, c: &Contact) -> String {
        let names: Vec<&str> = c.people.iter().map(|p| self.person(p)).collect();
        let who = Contact::who_text(&names, c.unnamed);
        let note: String = c
            .note
            .chars()
            .map(|ch| if ch.is_whitespace() { ' ' } else { ch })
            .take(80)
            .collect();
        format!(
            "{}  {}  {}  {}  {}",
            c.at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
            self.hood(&c.neighborhood),
            c.kind.label(),
            who,
            note.trim_end()
        )
        .trim_end()
        .to_string()
    }

    fn json(&self, c: &Contact) -> serde_json::Value {
        let officer = self.officers.get(&c.meta.owner());
        serde_json::json!({
            "id": c.meta.id,
            "at": c.at.with_timezone(&Local).to_rfc3339_opts(SecondsFormat::Secs, false),
            "officer": officer.map(|o| o.name.as_str()),
            "badge": officer.map(|o| o.badge.as_str()),
            "neighborhood": self.hood(&c.neighborhood),
            "place": c.place,
            "kind": c.kind.code(),
            "people": c.people.iter().map(|p| self.person(p)).collect::<Vec<_>>(),
            "unnamed": c.unnamed,
            "initiated_by": c.initiated_by,
            "topics": c.tags.iter().map(|t| self.tags.get(t).map_or("(unknown)", String::as_str)).collect::<Vec<_>>(),
            "tone": c.tone,
            "note": c.note,
        })
    }
}
