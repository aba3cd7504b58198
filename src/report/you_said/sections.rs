//! The report's four sections worked out from the log: what residents raised (counted, never
//! read), the priorities agreed, what was done and what comes next, each line knowing the
//! officers whose words it holds.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Local, NaiveDate};

use super::{
    capitalized, day_text, one_line, period_text, title_of, Draft, Style, YouSaidError, AGREED,
    DID, NEXT, YOU_SAID,
};
use crate::model::{
    ActionOwner, ActionStatus, Contact, ContactKind, Id, Meta, Priority, Problem, Stage,
};
use crate::query::problems::{priorities, problems, ProblemFilter};
use crate::query::{search, LogFilter, SquadNames};
use crate::store::{Store, StoreResult};

/// The problems and priorities of the neighborhood that the report speaks of.
struct Work {
    /// Worked on in the period: past analysis, open or closed since the period began.
    worked: Vec<Problem>,
    /// Still being looked into (scanning, analysis).
    looking_into: Vec<Problem>,
    /// The priorities whose period overlaps the report's.
    priorities: Vec<Priority>,
    /// Every live problem's title by id, for the priorities that name them.
    titles: HashMap<Id, String>,
    /// Who wrote each problem and priority: its creator and everyone who changed it since.
    writers: HashMap<Id, Vec<Id>>,
}

/// Given up (`Stopped`) between two counts once `stop` is set: without the contact index each
/// count walks the period's contacts.
pub(super) fn draft(
    store: &Store,
    neighborhood: Id,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
    stop: &AtomicBool,
) -> Result<Draft, YouSaidError> {
    if from > to {
        return Err(YouSaidError::DateOrder { from, to });
    }
    let names = SquadNames::of(store)?;
    let hood = names.canonical(neighborhood);
    let name = names
        .name(hood)
        .ok_or(YouSaidError::NoNeighborhood(neighborhood))?
        .to_string();
    let mut d = Draft {
        neighborhood: name.clone(),
        from,
        to,
        prepared: today,
        ..Draft::default()
    };
    d.line(Style::Title, title_of(&name));
    d.line(Style::Period, period_text(from, to));
    d.line(
        Style::Remark,
        "What residents raised with their neighborhood officers, what we agreed to work on \
         together, what has been done and what comes next.",
    );
    you_said(&mut d, store, &names, hood, (from, to), stop)?;
    let work = work(store, &names, hood, from, to)?;
    agreed(&mut d, store, &work)?;
    did(&mut d, &work);
    next(&mut d, &work, to, today);
    d.section = "";
    d.line(
        Style::Remark,
        format!(
            "Prepared on {} by the neighborhood officers. This report names no resident.",
            day_text(today)
        ),
    );
    Ok(d)
}

/// The contacts of the period and the topics raised, most often first.
fn you_said(
    d: &mut Draft,
    store: &Store,
    names: &SquadNames,
    hood: Id,
    (from, to): (NaiveDate, NaiveDate),
    stop: &AtomicBool,
) -> Result<(), YouSaidError> {
    d.heading(YOU_SAID);
    let filter = LogFilter {
        neighborhood: Some(hood),
        from: Some(from),
        to: Some(to),
        ..LogFilter::default()
    };
    let contacts = search(store, &filter, 0)?.total;
    let mut topics: Vec<(usize, String)> = Vec::new();
    for (topic, name) in names.topics() {
        if stop.load(Ordering::Relaxed) {
            return Err(YouSaidError::Stopped);
        }
        let raised = search(
            store,
            &LogFilter {
                tag: Some(*topic),
                ..filter.clone()
            },
            0,
        )?
        .total;
        if raised > 0 {
            topics.push((raised, capitalized(name)));
        }
    }
    topics.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    if contacts == 0 {
        d.line(
            Style::Remark,
            "No contacts with residents were recorded in this period.",
        );
        return Ok(());
    }
    d.line(
        Style::Remark,
        format!(
            "Residents, businesses and groups spoke with the neighborhood officers {} in this \
             period. The topics they raised, most often first:",
            crate::model::plural(contacts, "time", "times")
        ),
    );
    if topics.is_empty() {
        d.line(Style::Remark, "No topics were noted in these contacts.");
    }
    for (raised, name) in topics {
        d.line(
            Style::Item,
            format!(
                "{name}: raised {}",
                crate::model::plural(raised, "time", "times")
            ),
        );
    }
    Ok(())
}

fn work(
    store: &Store,
    names: &SquadNames,
    hood: Id,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Work> {
    let aliases = names.aliases_of(hood);
    let priorities: Vec<Priority> = priorities(store, &aliases, None)?
        .into_iter()
        .filter(|p| p.from <= to && from <= p.to)
        .collect();
    // Who wrote what the report prints: only those records' histories are read.
    let mut writers = HashMap::new();
    for p in &priorities {
        writers.insert(
            p.meta.id,
            writers_of(&p.meta, store.history::<Priority>(p.meta.id)?),
        );
    }
    let linked: HashSet<Id> = priorities
        .iter()
        .flat_map(|p| p.problems.iter().copied())
        .collect();
    let all = problems(store, &ProblemFilter::default())?;
    let titles = all
        .iter()
        .map(|p| (p.meta.id, one_line(&p.title)))
        .collect();
    let mut worked = Vec::new();
    let mut looking_into = Vec::new();
    for p in all {
        // A closed problem has no closing date of its own: its last change is when it was
        // closed or after, so one last changed before the period was closed before it.
        let changed = p.meta.updated_at.with_timezone(&Local).date_naive();
        let in_report = aliases.contains(&p.neighborhood)
            && p.noticed <= to
            && !(p.stage == Stage::Closed && changed < from);
        if in_report || linked.contains(&p.meta.id) {
            writers.insert(
                p.meta.id,
                writers_of(&p.meta, store.history::<Problem>(p.meta.id)?),
            );
        }
        if !in_report {
            continue;
        }
        match p.stage {
            Stage::Scanning | Stage::Analysis => looking_into.push(p),
            _ => worked.push(p),
        }
    }
    Ok(Work {
        worked,
        looking_into,
        priorities,
        titles,
        writers,
    })
}

/// The officers who wrote a record: its creator, its last author and every author before.
fn writers_of(meta: &Meta, history: Vec<crate::model::Revision>) -> Vec<Id> {
    let mut writers: Vec<Id> = [meta.owner(), meta.author]
        .into_iter()
        .chain(history.into_iter().map(|r| r.changed_by))
        .collect();
    writers.sort();
    writers.dedup();
    writers
}

impl Work {
    /// The officers who wrote any of these problems and priorities.
    fn writers(&self, records: &[Id]) -> Vec<Id> {
        let mut all: Vec<Id> = records
            .iter()
            .filter_map(|id| self.writers.get(id))
            .flatten()
            .copied()
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// The priorities agreed for the period, with the meeting and the problems behind each.
fn agreed(d: &mut Draft, store: &Store, work: &Work) -> StoreResult<()> {
    d.heading(AGREED);
    if work.priorities.is_empty() {
        d.line(Style::Remark, "No priorities were agreed for this period.");
    }
    for p in &work.priorities {
        d.writing(work.writers(&[p.meta.id]));
        let item = d.line(Style::Item, one_line(&p.concern));
        let span = period_text(p.from, p.to);
        // Only the meeting's day and kind are read, never its note or who was there.
        let meeting = match p.meeting {
            Some(id) => store.get::<Contact>(id)?.filter(|c| !c.meta.deleted),
            None => None,
        };
        let when = match meeting {
            Some(c) => {
                let day = day_text(c.at.with_timezone(&Local).date_naive());
                match c.kind {
                    ContactKind::CommunityMeeting | ContactKind::Event => {
                        format!("Agreed at a community meeting on {day}, for {span}.")
                    }
                    _ => format!("Agreed with residents on {day}, for {span}."),
                }
            }
            None => format!("Agreed with residents for {span}."),
        };
        d.under(item, Style::Detail, when);
        for problem in &p.problems {
            if let Some(title) = work.titles.get(problem) {
                d.writing(work.writers(&[*problem]));
                d.under(item, Style::Detail, format!("Worked on through: {title}"));
            }
        }
    }
    Ok(())
}

/// Who carries an action, for the public: the partner agency's name, or nothing for the
/// officers' own.
fn by_whom(owner: Option<&ActionOwner>) -> String {
    match owner.and_then(ActionOwner::agency) {
        Some(agency) => format!(" ({})", one_line(agency)),
        None => String::new(),
    }
}

/// The problems worked on, with their actions done or under way, partners and outcomes.
fn did(d: &mut Draft, work: &Work) {
    d.heading(DID);
    if work.worked.is_empty() {
        d.line(
            Style::Remark,
            "No work on a problem is recorded for this period yet.",
        );
    }
    for p in &work.worked {
        d.writing(work.writers(&[p.meta.id]));
        let item = d.line(Style::Item, one_line(&p.title));
        let state = match (p.stage, p.outcome) {
            (Stage::Closed, Some(outcome)) => format!("Closed. Outcome: {}.", outcome.label()),
            (Stage::Closed, None) => "Closed.".to_string(),
            (Stage::Assessment, _) => "Work done; we are checking what changed.".to_string(),
            _ => "Work under way.".to_string(),
        };
        d.under(item, Style::Detail, state);
        for a in &p.actions {
            let status = match a.status {
                ActionStatus::Done => "Done",
                ActionStatus::InProgress => "Under way",
                ActionStatus::Planned | ActionStatus::Dropped => continue,
            };
            let who = by_whom(a.owner.as_ref());
            d.under(
                item,
                Style::Detail,
                format!("{status}: {}{who}", one_line(&a.what)),
            );
        }
        let partners = p.partners();
        if !partners.is_empty() {
            let list: Vec<String> = partners.iter().map(|a| one_line(a)).collect();
            d.under(
                item,
                Style::Detail,
                format!("With our partners: {}.", list.join(", ")),
            );
        }
        published(d, item, p);
    }
}

/// The sentences of a problem's notes its officer marked for publication.
fn published(d: &mut Draft, item: usize, p: &Problem) {
    for sentence in &p.published {
        let sentence = one_line(sentence);
        if !sentence.is_empty() {
            d.under(item, Style::Detail, sentence);
        }
    }
}

/// Open actions by due date, problems being looked into, and priorities that go on.
fn next(d: &mut Draft, work: &Work, to: NaiveDate, today: NaiveDate) {
    d.heading(NEXT);
    let before = d.lines.len();
    let mut steps: Vec<(Option<NaiveDate>, String, Id)> = work
        .worked
        .iter()
        .flat_map(|p| p.actions.iter().map(move |a| (a, p.meta.id)))
        .filter(|(a, _)| a.status.is_open())
        .map(|(a, problem)| {
            let what = format!("{}{}", one_line(&a.what), by_whom(a.owner.as_ref()));
            let text = match a.due {
                Some(due) if due < today => {
                    format!("Still to do, was due {}: {what}", day_text(due))
                }
                Some(due) => format!("By {}: {what}", day_text(due)),
                None => format!("{what} (date to be set)"),
            };
            (a.due, text, problem)
        })
        .collect();
    // Dated steps soonest first, then those without a date.
    steps.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    for (_, text, problem) in steps {
        d.writing(work.writers(&[problem]));
        d.line(Style::Item, text);
    }
    for p in &work.looking_into {
        d.writing(work.writers(&[p.meta.id]));
        let item = d.line(
            Style::Item,
            format!("We are looking into: {}", one_line(&p.title)),
        );
        published(d, item, p);
    }
    for p in work.priorities.iter().filter(|p| p.to > to) {
        d.writing(work.writers(&[p.meta.id]));
        d.line(
            Style::Item,
            format!(
                "{}: a priority until {}",
                capitalized(&p.concern),
                day_text(p.to)
            ),
        );
    }
    d.writing.clear();
    if d.lines.len() == before {
        d.line(
            Style::Remark,
            "Nothing is planned yet: we will agree the next steps with you at the next meeting.",
        );
    }
}
