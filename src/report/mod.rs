//! The sergeant's report and the handover packet rendered as text, CSV, JSON and PDF, and the
//! public "You said, we did" report with the guard that keeps personal data out of it
//! (`you_said`).

pub mod figures;
pub mod handover;
pub mod pdf;
pub mod you_said;

pub use figures::{to_csv, to_json, to_text};

pub(crate) use crate::model::plural;

/// Words that begin a line, with their first letter in capitals ("Waits on Public works").
pub(crate) fn first_capital(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A size on disk in the units people read: "512 bytes", "21.6 MB", "1.2 GB" (powers of 1000,
/// one decimal below 100 of a unit).
pub(crate) fn size_in_words(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return plural(
            usize::try_from(bytes).unwrap_or(usize::MAX),
            "byte",
            "bytes",
        );
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value < 99.95 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// What compacting did to the log's size, said plainly whichever way it went: a small log can
/// come out larger, as a freshly written log keeps room to grow.
pub(crate) fn compacted_size(before: u64, after: u64) -> String {
    let now = size_in_words(after);
    match after.cmp(&before) {
        std::cmp::Ordering::Less => {
            format!(
                "{now} on disk, {} less than before",
                size_in_words(before - after)
            )
        }
        std::cmp::Ordering::Equal => format!("{now} on disk, as before"),
        std::cmp::Ordering::Greater => format!(
            "{now} on disk, {} more than before: a freshly written log keeps room to grow, \
             which shows on a small one",
            size_in_words(after - before)
        ),
    }
}

#[cfg(test)]
mod size_tests {
    use super::{compacted_size, size_in_words};

    #[test]
    fn sizes_read_in_the_units_people_use() {
        assert_eq!(size_in_words(1), "1 byte");
        assert_eq!(size_in_words(999), "999 bytes");
        assert_eq!(size_in_words(1_000), "1.0 kB");
        assert_eq!(size_in_words(21_574_656), "21.6 MB");
        assert_eq!(size_in_words(250_000_000), "250 MB");
        assert_eq!(size_in_words(999_999_999), "1.0 GB");
    }

    #[test]
    fn compacting_says_which_way_the_size_went() {
        assert_eq!(
            compacted_size(1_100_000, 700_000),
            "700 kB on disk, 400 kB less than before"
        );
        assert!(compacted_size(700_000, 1_100_000)
            .starts_with("1.1 MB on disk, 400 kB more than before: "));
        assert_eq!(compacted_size(5_000, 5_000), "5.0 kB on disk, as before");
    }
}
