//! Spreadsheet-safe CSV cells (OWASP "CSV injection"), reversibly.
//!
//! A cell starting with `=`, `+`, `-`, `@`, tab, carriage return or NUL could run as a formula
//! in Excel or LibreOffice, so it is written with a leading `'`. A cell that already starts
//! with `'` gets one more, so reading strips exactly one leading `'` and every value survives
//! a round trip unchanged ("+1 555 0100" stays "+1 555 0100").
//!
//! Only a cell's first character is checked, so every field beatbook writes is also quoted
//! ([`writer`]): a spreadsheet that splits on `;` (the list separator of many locales) then
//! keeps `Dana Fox;=WEBSERVICE(...)` in one quoted cell instead of starting a formula at the
//! `;`.

use std::borrow::Cow;
use std::io::Write;

/// A CSV writer that quotes every field, whatever it holds. The header row is beatbook's own
/// column names and is written as plain text by [`write_header`].
pub fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out)
}

/// Writes the header row: beatbook's own fixed column names (plain words, no separator, quote
/// or formula character in any), so they need no quoting and read as they always have.
pub fn write_header<W: Write>(out: &mut W, columns: &[&str]) -> std::io::Result<()> {
    debug_assert!(columns
        .iter()
        .all(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')));
    out.write_all(columns.join(",").as_bytes())?;
    out.write_all(b"\n")
}

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
