//! Questions asked of the store: the filtered log, the follow-up queue, timelines, losing touch,
//! neighborhood summaries, the review figures (`review`) and the review queue (`review_queue`).
//! Read-only; screens and the command line share these.

pub mod followups;
pub mod handover;
mod log;
mod people;
pub mod retention;
pub mod review;
pub mod review_queue;
/// The review queue under its former name, for the screens that still read it there.
pub use log::{newest_contacts, search, search_store, LogFilter, LogPage};
pub use people::{
    due_soon, followup_queue, latest_journal, losing_touch, neighborhood_summary, person_timeline,
    DueList, DueSoon, NeighborhoodSummary, TimelineItem,
};
