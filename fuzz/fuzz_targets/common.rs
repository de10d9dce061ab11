//! Shared by the targets: how an input names its file type, and the checks every table obeys.
#![allow(dead_code)]

use ambito_app::Findings;
use ambito_app::intake::table::Table;

/// The first byte picks the file type (its lowest bit: CSV or XLSX), the rest is the file, so
/// one corpus holds both kinds and the fuzzer can move between them.
pub fn named(data: &[u8]) -> Option<(&'static str, &[u8])> {
    let (kind, body) = data.split_first()?;
    Some((if kind & 1 == 0 { "fuzz.csv" } else { "fuzz.xlsx" }, body))
}

/// What every table the reader returns must satisfy, whatever the file.
pub fn check_table(t: &Table) {
    let mut previous = 1;
    for (line, cells) in &t.rows {
        assert!(*line > previous, "rows come after the header, in order: {line} after {previous}");
        previous = *line;
        assert_eq!(cells.len(), t.header.len(), "every row has as many cells as the header");
        for c in cells {
            assert_eq!(c.trim(), c, "cells are trimmed");
        }
        assert!(cells.iter().any(|c| !c.is_empty()), "blank rows are skipped");
    }
}

/// Every problem names the file it is about.
pub fn check_findings(file: &str, f: &Findings) {
    for p in f.errors.iter().chain(&f.warnings) {
        assert!(p.file.starts_with(file), "problem about another file: {p:?}");
    }
}
