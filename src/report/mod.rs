//! The sergeant's report and the handover packet rendered as text, CSV, JSON and PDF.

pub mod figures;
pub mod handover;
pub mod pdf;

pub use figures::{to_csv, to_json, to_text};
