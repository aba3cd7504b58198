//! The handover packet as plain text, for printing or pasting into an email, and the words
//! its PDF shares with it (dates, a promise's due date and the partner it waits on).

use std::fmt::Write;

use chrono::{DateTime, Local, NaiveDate, Utc};

use super::plural;

use crate::model::PartnerWait;
use crate::query::handover::{HandoverPacket, PriorityLine, Promise};
use crate::report::figures::{action_words, age_words};

/// A day as people write it: "25 Nov 2026".
pub fn day_text(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// The local day of a moment, as [`day_text`] writes it.
pub fn moment_day_text(at: DateTime<Utc>) -> String {
    day_text(at.with_timezone(&Local).date_naive())
}

/// "Due 27 Nov 2026", marked when overdue.
pub fn promise_due_text(p: &Promise) -> String {
    if p.overdue {
        format!("OVERDUE, was due {}", day_text(p.due))
    } else {
        format!("due {}", day_text(p.due))
    }
}

/// The partner agency a promise waits on, in words: "waits on Public works, ref. WO-24871,
/// chase 1 Dec 2026".
pub fn waiting_words(w: &PartnerWait) -> String {
    let mut out = format!("waits on {}", w.agency.trim());
    if !w.reference.trim().is_empty() {
        out.push_str(&format!(", ref. {}", w.reference.trim()));
    }
    if let Some(chase) = w.chase {
        out.push_str(&format!(", chase {}", day_text(chase)));
    }
    out
}

/// A priority's period and where it was agreed: "10 Nov 2026 to 10 Feb 2027, agreed at the
/// meeting of 10 Nov 2026".
pub fn priority_period_text(p: &PriorityLine) -> String {
    let period = format!("{} to {}", day_text(p.from), day_text(p.to));
    match p.agreed_on {
        Some(day) => format!("{period}, agreed at the meeting of {}", day_text(day)),
        None => period,
    }
}

/// The packet as readable plain text with headings.
pub fn handover_text(p: &HandoverPacket) -> String {
    let mut out = String::new();
    let title = format!("HANDOVER PACKET: {}", p.neighborhood);
    // Writing to a String cannot fail, so the results are ignored throughout.
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "{}", "=".repeat(title.chars().count()));
    let _ = writeln!(
        out,
        "Prepared on {} by {}",
        day_text(p.prepared_on),
        p.prepared_by
    );
    let open = p
        .people
        .iter()
        .flat_map(|x| &x.open_promises)
        .chain(&p.unassigned_promises);
    let (count, overdue) = open.fold((0, 0), |(n, o), pr| (n + 1, o + usize::from(pr.overdue)));
    let _ = writeln!(
        out,
        "{} people, {} open promises ({} overdue)",
        p.people.len(),
        count,
        overdue
    );
    let _ = writeln!(
        out,
        "{}, {} agreed for now",
        plural(p.problems.len(), "open problem", "open problems"),
        plural(p.priorities.len(), "priority", "priorities")
    );

    heading(&mut out, "PEOPLE");
    if p.people.is_empty() {
        let _ = writeln!(out, "No people are recorded for this neighborhood.");
    }
    for person in &p.people {
        let _ = writeln!(out);
        let _ = writeln!(out, "{} ({})", person.name, person.role.label());
        let last = match (&person.last_contact, &person.last_officer) {
            (Some(at), Some(by)) => format!("{} by {}", moment_day_text(*at), by),
            (Some(at), None) => moment_day_text(*at),
            _ => "never".to_string(),
        };
        let _ = writeln!(
            out,
            "  Last contact: {last}; {} contact{} in all",
            person.contacts,
            if person.contacts == 1 { "" } else { "s" }
        );
        match &person.reach_by {
            Some(r) => {
                let _ = writeln!(out, "  Reach by: {r}");
            }
            None => {
                let _ = writeln!(out, "  Reach by: no consent to be contacted on record");
            }
        }
        if !person.notes.trim().is_empty() {
            let _ = writeln!(out, "  Notes: {}", indent_rest(person.notes.trim(), 9));
        }
        for pr in &person.open_promises {
            let _ = writeln!(out, "  {}", promise_line(pr));
        }
    }

    heading(&mut out, "OPEN PROMISES NOT TIED TO A PERSON ABOVE");
    if p.unassigned_promises.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for pr in &p.unassigned_promises {
        let _ = writeln!(out, "{}", promise_line(pr));
    }

    heading(&mut out, "PRIORITIES AGREED WITH RESIDENTS FOR NOW");
    if p.priorities.is_empty() {
        let _ = writeln!(out, "None agreed for now.");
    }
    for pr in &p.priorities {
        let _ = writeln!(out, "- {} ({})", pr.concern, priority_period_text(pr));
        if !pr.problems.is_empty() {
            let _ = writeln!(out, "    worked on by: {}", pr.problems.join("; "));
        }
    }

    heading(&mut out, "OPEN PROBLEMS");
    if p.problems.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for pr in &p.problems {
        let _ = writeln!(
            out,
            "- {} ({}; owner {}; {})",
            pr.title,
            pr.stage.label(),
            pr.owner,
            age_words(pr)
        );
        if pr.next_actions.is_empty() {
            let _ = writeln!(out, "    no action planned");
        }
        for a in &pr.next_actions {
            let _ = writeln!(out, "    next: {}", action_words(a));
        }
    }

    heading(&mut out, "JOURNAL (NEWEST FIRST)");
    if p.journal.is_empty() {
        let _ = writeln!(out, "No journal notes.");
    }
    for note in &p.journal {
        let _ = writeln!(
            out,
            "{}: {}",
            day_text(note.date),
            indent_rest(note.text.trim(), 4)
        );
    }

    heading(&mut out, "RECURRING CONCERNS (LAST 90 DAYS)");
    if p.recurring_concerns.is_empty() {
        let _ = writeln!(out, "No topic was raised more than once.");
    }
    for (topic, n) in &p.recurring_concerns {
        let _ = writeln!(out, "- {topic}: raised in {n} contacts");
    }
    out
}

fn heading(out: &mut String, text: &str) {
    let _ = writeln!(out);
    let _ = writeln!(out, "{text}");
    let _ = writeln!(out, "{}", "-".repeat(text.chars().count()));
}

fn promise_line(p: &Promise) -> String {
    let waits = p
        .waiting_on
        .as_ref()
        .map_or(String::new(), |w| format!("; {}", waiting_words(w)));
    format!(
        "[ ] {} ({}; promised by {}{waits})",
        p.promise,
        promise_due_text(p),
        p.officer
    )
}

/// Indents every line after the first, so multi-line notes stay under their label.
fn indent_rest(text: &str, by: usize) -> String {
    let pad = format!("\n{}", " ".repeat(by));
    text.lines().collect::<Vec<_>>().join(&pad)
}
