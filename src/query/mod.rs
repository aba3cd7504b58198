//! Questions asked of the store: the filtered log, the follow-up queue, timelines, losing touch,
//! neighborhood summaries, the review figures (`review`), the review queue (`review_queue`) and
//! the squad's neighborhoods and topics each named once (`names`), and the community problems
//! and priorities (`problems`). Read-only; screens and the
//! command line share these.

pub mod due_work;
pub mod followups;
pub mod handover;
mod log;
pub mod names;
mod people;
pub mod problems;
pub mod retention;
pub mod review;
pub mod review_queue;
/// The review queue under its former name, for the screens that still read it there.
pub use log::{newest_contacts, search, search_store, LogFilter, LogPage};
pub use names::SquadNames;
pub use people::{
    contacts_with, due_soon, followup_queue, latest_journal, losing_touch, neighborhood_summary,
    person_timeline, possible_duplicates, same_person, DueList, DueSoon, NeighborhoodSummary,
    TimelineItem,
};
