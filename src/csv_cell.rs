//! Spreadsheet-safe CSV cells (OWASP "CSV injection"), reversibly.
//!
//! A cell starting with `=`, `+`, `-`, `@`, tab, carriage return or NUL could run as a formula
//! in Excel or LibreOffice, so it is written with a leading `'`. A cell that already starts
//! with `'` gets one more, so reading strips exactly one leading `'` and every value survives
//! a round trip unchanged ("+1 555 0100" stays "+1 555 0100").

use std::borrow::Cow;

/// The text as it is written into a CSV cell.
pub fn protect(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0' | '\'') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// The original text of a cell written by [`protect`].
pub fn unprotect(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_and_formulas_are_defused() {
        for v in [
            "=SUM(A1)",
            "+1 555 0100",
            "-",
            "@home",
            "\tx",
            "\rx",
            "\0x",
            "'",
            "''a",
            "plain",
            "",
        ] {
            let cell = protect(v);
            assert_eq!(unprotect(&cell), v);
            assert!(!matches!(
                cell.chars().next(),
                Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0')
            ));
        }
    }
}
