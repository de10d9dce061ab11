//! The one way ambito writes CSV, safe to open in a spreadsheet.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and a leading
//! tab or carriage return can hide one), so a name typed into a form, or a username sent to the
//! login page, could become `=HYPERLINK(…)` in someone's Excel ("CSV injection"). OWASP's rule:
//! such a text cell gets a leading `'`. Numbers stay numbers: a cell that reads as a number in
//! ambito's CSV convention (`-5`, `-1.234,56`, `+3`, `-12,5%`) is not a formula and is written as
//! it is, and so is a lone `-` (the import formats' "zero"), so exports re-import exactly.
//!
//! [`unquote`] undoes [`neutralise`] exactly, and the importers apply it, so text round-trips
//! too: `-Centro` is written `'-Centro` and read back as `-Centro`.

use crate::RenderError;
use ambito_domain::number::{NumberStyle, parse_decimal};
use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (OWASP).
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as it may be written to a CSV: with a leading `'` if a spreadsheet would run it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// The inverse of [`neutralise`]: removes the `'` it adds, and only that one.
pub fn unquote(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

/// A cell starting (after any `'` already there, so that [`unquote`] stays exact) with a
/// formula character, unless it is a number.
fn needs_quote(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    rest.starts_with(TRIGGERS) && (rest.len() != cell.len() || !is_number(cell))
}

/// A number as ambito writes and reads them (Italian convention, optional `%` or `€`), or the
/// lone `-` that the import formats read as zero: nothing a spreadsheet could execute.
fn is_number(cell: &str) -> bool {
    let body = cell.trim_end().strip_suffix('%').unwrap_or(cell);
    cell == "-" || parse_decimal(body, NumberStyle::Italian).is_ok()
}

/// A `;`-separated CSV in memory whose every cell goes through [`neutralise`].
pub struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

impl CsvOut {
    /// `;` separated, `\n` line ends (the annual report's contract).
    pub fn new() -> CsvOut {
        CsvOut::with_terminator(csv::Terminator::Any(b'\n'))
    }

    /// `;` separated, `\r\n` line ends (the exports in the import formats, as Excel writes them).
    pub fn crlf() -> CsvOut {
        CsvOut::with_terminator(csv::Terminator::CRLF)
    }

    fn with_terminator(t: csv::Terminator) -> CsvOut {
        CsvOut { w: csv::WriterBuilder::new().delimiter(b';').terminator(t).from_writer(vec![]) }
    }

    pub fn record<I>(&mut self, cells: I) -> Result<(), RenderError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let cells: Vec<String> = cells.into_iter().map(|c| neutralise(c.as_ref()).into_owned()).collect();
        Ok(self.w.write_record(&cells)?)
    }

    pub fn finish(self) -> Result<Vec<u8>, RenderError> {
        self.w.into_inner().map_err(|e| RenderError::CsvFlush(e.error().to_string()))
    }
}

impl Default for CsvOut {
    fn default() -> Self {
        CsvOut::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_quoted() {
        for (raw, written) in [
            ("=HYPERLINK(\"http://x\";\"y\")", "'=HYPERLINK(\"http://x\";\"y\")"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-Centro diurno", "'-Centro diurno"),
            ("'=già quotata", "''=già quotata"),
        ] {
            assert_eq!(neutralise(raw), written, "{raw:?}");
        }
    }

    #[test]
    fn numbers_and_plain_text_are_left_alone() {
        for raw in ["-5", "-1.234,56", "+3", "-0,25", "-12,5%", "-3,50 €", "-", "1.234,56", "Anziani", "", "'ciao", "2025-01-31", "<3"] {
            assert_eq!(neutralise(raw), raw, "{raw:?}");
        }
    }

    #[test]
    fn unquote_inverts_neutralise() {
        for raw in ["=1", "'=1", "''=1", "-5", "-x", "'-x", "'", "''", "ciao", "'ciao", "-", "@", "'@", "\t", "=", ""] {
            assert_eq!(unquote(&neutralise(raw)), raw, "{raw:?}");
        }
        // A quote that neutralise would not have added is data.
        assert_eq!(unquote("'ciao"), "'ciao");
        assert_eq!(unquote("'-5"), "'-5");
    }

    #[test]
    fn the_writer_quotes_every_cell() {
        let mut w = CsvOut::new();
        w.record(["a", "=b", "-5"]).expect("record");
        assert_eq!(String::from_utf8(w.finish().expect("finish")).expect("utf-8"), "a;'=b;-5\n");
    }
}
