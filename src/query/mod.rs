//! Questions asked of the store: the filtered log, the follow-up queue, timelines, losing touch
//! and neighborhood summaries. Read-only; screens and the command line share these.

pub mod handover;
mod log;
mod people;
pub mod retention;
pub mod review;
pub mod reviews;

pub use log::{newest_contacts, search, search_store, LogFilter, LogPage};
pub use people::{
    due_soon, followup_queue, latest_journal, losing_touch, neighborhood_summary, person_timeline,
    DueList, DueSoon, NeighborhoodSummary, TimelineItem,
};
