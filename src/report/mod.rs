//! The sergeant's report and the handover packet rendered as text, CSV, JSON and PDF.

pub mod handover;
pub mod pdf;
