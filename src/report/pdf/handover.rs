//! The handover packet and the promise receipt as PDFs.

use super::review::next_actions_cell;
use super::*;
use crate::query::handover::{HandoverPacket, Promise};
use crate::report::figures::age_words;
use crate::report::first_capital;
use crate::report::handover::{day_text, moment_day_text, priority_period_text, waiting_words};

// ---------------------------------------------------------------------------------------------
// The handover packet

/// The handover packet as a printable PDF: people, open promises, the priorities agreed for
/// now, open problems, journal and concerns.
pub fn handover_pdf(packet: &HandoverPacket) -> Vec<u8> {
    let prepared = format!(
        "Prepared on {} by {}",
        day_text(packet.prepared_on),
        packet.prepared_by
    );
    let mut doc = Doc::new(
        &format!("Handover packet: {}", packet.neighborhood),
        &format!(
            "beatbook \u{2013} Handover packet \u{2013} {}",
            packet.neighborhood
        ),
        &format!("Prepared {}", day_text(packet.prepared_on)),
    );
    doc.title(&format!("Handover packet: {}", packet.neighborhood));
    doc.paragraph(&prepared, Font::Regular, 11.0, BLACK, 0.0);
    let promises = open_promises(packet);
    let overdue = promises.iter().filter(|(p, _)| p.overdue).count();
    doc.paragraph(
        &format!(
            "{}, {} ({} overdue), {}.",
            plural(packet.people.len(), "person", "people"),
            plural(promises.len(), "open promise", "open promises"),
            overdue,
            plural(packet.journal.len(), "journal note", "journal notes"),
        ),
        Font::Regular,
        11.0,
        BLACK,
        0.0,
    );
    doc.paragraph(
        &format!(
            "{}, {} agreed with residents for now.",
            plural(packet.problems.len(), "open problem", "open problems"),
            plural(packet.priorities.len(), "priority", "priorities"),
        ),
        Font::Regular,
        11.0,
        BLACK,
        0.0,
    );
    doc.gap(4.0);
    doc.paragraph(
        "Contact details appear only for people who agreed to be contacted.",
        Font::Regular,
        9.0,
        GREY,
        0.0,
    );

    people_section(&mut doc, packet);
    promises_section(&mut doc, &promises);
    priorities_section(&mut doc, packet);
    problems_section(&mut doc, packet);
    journal_section(&mut doc, packet);
    concerns_section(&mut doc, packet);
    doc.finish()
}

/// Every open promise in the packet with the name of the person it was made to, soonest due
/// first.
fn open_promises(packet: &HandoverPacket) -> Vec<(&Promise, Option<&str>)> {
    let mut all: Vec<_> = packet
        .people
        .iter()
        .flat_map(|p| p.open_promises.iter().map(|pr| (pr, Some(p.name.as_str()))))
        .chain(packet.unassigned_promises.iter().map(|pr| (pr, None)))
        .collect();
    all.sort_by_key(|(pr, _)| (pr.due, pr.id));
    all
}

/// Who lives there: last contact, how to reach them, their notes and open promises.
fn people_section(doc: &mut Doc, packet: &HandoverPacket) {
    doc.heading("People", 40.0);
    if packet.people.is_empty() {
        doc.remark("No people are recorded for this neighborhood.");
    } else {
        let cols = [
            col("Person", 118.0),
            col("Last contact", 92.0),
            col_right("Contacts", 44.0),
            col("How to reach", 110.0),
            col("Notes", 140.0),
        ];
        let rows: Vec<Vec<Cell>> = packet
            .people
            .iter()
            .map(|p| {
                let last = match (&p.last_contact, &p.last_officer) {
                    (Some(at), Some(by)) => Cell::plain(moment_day_text(*at)).and(
                        format!("by {by}"),
                        Font::Regular,
                        GREY,
                    ),
                    (Some(at), None) => Cell::plain(moment_day_text(*at)),
                    _ => Cell(Vec::new()).and("Never", Font::Regular, GREY),
                };
                let reach = match &p.reach_by {
                    Some(r) => Cell::plain(r),
                    None => Cell(Vec::new()).and("No consent on record", Font::Regular, GREY),
                };
                let mut person = Cell(Vec::new()).and(&p.name, Font::Bold, BLACK).and(
                    p.role.label(),
                    Font::Regular,
                    GREY,
                );
                if !p.open_promises.is_empty() {
                    person = person.and(
                        plural(p.open_promises.len(), "open promise", "open promises"),
                        Font::Regular,
                        if p.open_promises.iter().any(|x| x.overdue) {
                            ALERT
                        } else {
                            GREY
                        },
                    );
                }
                vec![
                    person,
                    last,
                    Cell::plain(p.contacts.to_string()),
                    reach,
                    Cell::plain(p.notes.trim()),
                ]
            })
            .collect();
        doc.table(&cols, &rows, "People");
    }
}

/// The open promises, overdue ones marked.
fn promises_section(doc: &mut Doc, promises: &[(&Promise, Option<&str>)]) {
    doc.heading("Open promises", 40.0);
    if promises.is_empty() {
        doc.paragraph("No open promises.", Font::Regular, 10.0, GREY, 0.0);
    } else {
        let cols = [
            col("Due", 82.0),
            col("Promise", 216.0),
            col("Made to", 100.0),
            col("Promised by", 106.0),
        ];
        let rows: Vec<Vec<Cell>> = promises
            .iter()
            .map(|(pr, to)| {
                let due = if pr.overdue {
                    Cell(Vec::new())
                        .and(day_text(pr.due), Font::Bold, ALERT)
                        .and("OVERDUE", Font::Bold, ALERT)
                } else {
                    Cell::plain(day_text(pr.due))
                };
                let to = match to {
                    Some(name) => Cell::plain(*name),
                    None => Cell(Vec::new()).and("No one named", Font::Regular, GREY),
                };
                let mut promise = Cell::plain(&pr.promise);
                if let Some(w) = &pr.waiting_on {
                    promise = promise.and(first_capital(&waiting_words(w)), Font::Regular, GREY);
                }
                vec![due, promise, to, Cell::plain(&pr.officer)]
            })
            .collect();
        doc.table(&cols, &rows, "Open promises");
    }
}

/// The priorities agreed with residents for now, and the problems that work on each.
fn priorities_section(doc: &mut Doc, packet: &HandoverPacket) {
    doc.heading("Priorities agreed with residents", 40.0);
    if packet.priorities.is_empty() {
        doc.remark("No priorities are agreed for now.");
        return;
    }
    let cols = [
        col("Priority", 200.0),
        col("Period", 150.0),
        col("Problems working on it", 154.0),
    ];
    let rows: Vec<Vec<Cell>> = packet
        .priorities
        .iter()
        .map(|p| {
            let problems = if p.problems.is_empty() {
                Cell(Vec::new()).and("None linked yet", Font::Regular, GREY)
            } else {
                p.problems
                    .iter()
                    .fold(Cell(Vec::new()), |c, t| c.and(t, Font::Regular, BLACK))
            };
            vec![
                Cell(Vec::new()).and(&p.concern, Font::Bold, BLACK),
                Cell::plain(priority_period_text(p)),
                problems,
            ]
        })
        .collect();
    doc.table(&cols, &rows, "Priorities agreed with residents");
}

/// The open problems with their stage, owner and the actions still to be done (by an officer,
/// or a partner agency with its reference), soonest due first.
fn problems_section(doc: &mut Doc, packet: &HandoverPacket) {
    doc.heading("Open problems", 40.0);
    if packet.problems.is_empty() {
        doc.remark("No open problems in this neighborhood.");
        return;
    }
    let cols = [
        col("Problem", 170.0),
        col("Stage", 80.0),
        col("Next actions", 254.0),
    ];
    let rows: Vec<Vec<Cell>> = packet
        .problems
        .iter()
        .map(|p| {
            let problem = Cell(Vec::new()).and(&p.title, Font::Bold, BLACK).and(
                format!("Owner: {}", p.owner),
                Font::Regular,
                GREY,
            );
            let stage = Cell::plain(p.stage.label()).and(age_words(p), Font::Regular, GREY);
            vec![problem, stage, next_actions_cell(&p.next_actions)]
        })
        .collect();
    doc.table(&cols, &rows, "Open problems");
}

fn journal_section(doc: &mut Doc, packet: &HandoverPacket) {
    doc.heading("Journal, newest first", 30.0);
    if packet.journal.is_empty() {
        doc.paragraph("No journal notes.", Font::Regular, 10.0, GREY, 0.0);
    }
    for note in &packet.journal {
        doc.gap(3.0);
        doc.ensure(26.0);
        doc.paragraph(&day_text(note.date), Font::Bold, 9.5, BLACK, 0.0);
        doc.paragraph(note.text.trim(), Font::Regular, 9.5, BLACK, 10.0);
    }
}

fn concerns_section(doc: &mut Doc, packet: &HandoverPacket) {
    doc.heading("Recurring concerns, last 90 days", 30.0);
    if packet.recurring_concerns.is_empty() {
        doc.remark("No topic was raised in more than one contact.");
    } else {
        let cols = [
            col("Concern", 300.0),
            col_right("Contacts raising it", 204.0),
        ];
        let rows: Vec<Vec<Cell>> = packet
            .recurring_concerns
            .iter()
            .map(|(topic, n)| vec![Cell::plain(topic), Cell::plain(n.to_string())])
            .collect();
        doc.table(&cols, &rows, "Recurring concerns");
    }
}

/// A one-page receipt for a resident: the officer, what was promised and by when.
pub fn receipt_pdf(receipt: &crate::model::PromiseReceipt) -> Vec<u8> {
    let mut doc = Doc::new(
        "Promise receipt",
        "beatbook \u{2013} Promise receipt",
        &format!("Officer {}, badge {}", receipt.officer, receipt.badge),
    );
    doc.title("Promise receipt");
    for (label, value) in receipt.lines() {
        doc.paragraph(label, Font::Bold, 10.0, GREY, 0.0);
        doc.paragraph(&value, Font::Regular, 13.0, BLACK, 0.0);
        doc.gap(6.0);
    }
    doc.gap(10.0);
    doc.paragraph(&receipt.closing(), Font::Regular, 11.0, BLACK, 0.0);
    doc.finish()
}
