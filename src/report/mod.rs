//! The sergeant's report and the handover packet rendered as text, CSV, JSON and PDF.

pub mod figures;
pub mod handover;
pub mod pdf;

pub use figures::{to_csv, to_json, to_text};

/// A count and its noun: "1 person", "3 people".
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
