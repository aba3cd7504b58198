//! beatbook: a beat officer's record of community contacts, promises and neighborhood notes.

pub mod bundle;
pub mod cli;
pub mod csv_cell;
pub mod demo;
pub mod exchange;
pub mod export;
pub mod hex;
pub mod import;
pub mod memory;
pub mod model;
pub mod query;
pub mod report;
pub mod store;
pub mod ui;
