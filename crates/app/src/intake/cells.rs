//! Cell parsers shared by every importer: each returns `None` after recording a located error.

use crate::intake::table::Table;
use crate::problems::{Findings, Msg};
use ambito_domain::number::parse_decimal;
use rust_decimal::Decimal;

/// The cell was refused and its error is already in the findings: nothing more to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

pub struct Cells<'a> {
    pub table: &'a Table,
    pub line: usize,
    pub cells: &'a [String],
    pub idx: &'a [Option<usize>],
    pub names: &'a [&'a str],
}

impl Cells<'_> {
    /// Raw trimmed text of column `k` of the expected list (empty when the column is optional and absent).
    pub fn text(&self, k: usize) -> &str {
        self.idx[k].and_then(|i| self.cells.get(i)).map(|s| s.trim()).unwrap_or("")
    }

    fn err(&self, f: &mut Findings, k: usize, it: String, en: String) {
        f.error(&self.table.file, Some(self.line), Some(self.names[k]), Msg::new(it, en));
    }

    /// A decimal; `Ok(None)` for a blank cell.
    pub fn decimal(&self, k: usize, f: &mut Findings) -> Result<Option<Decimal>, Reported> {
        let t = self.text(k);
        if t.is_empty() {
            return Ok(None);
        }
        parse_decimal(t, self.table.style).map(Some).map_err(|e| {
            self.err(f, k, e.to_string(), format!("not a number: «{t}»"));
            Reported
        })
    }

    /// A non-negative amount with at most `dp` decimals.
    pub fn amount(&self, k: usize, dp: u32, f: &mut Findings) -> Result<Option<Decimal>, Reported> {
        let Some(v) = self.decimal(k, f)? else { return Ok(None) };
        if v.is_sign_negative() && !v.is_zero() {
            self.err(f, k, format!("valore negativo non ammesso: {v}"), format!("negative value not allowed: {v}"));
            return Err(Reported);
        }
        if v.normalize().scale() > dp {
            self.err(f, k, format!("al massimo {dp} decimali: «{}»", self.text(k)), format!("at most {dp} decimals: «{}»", self.text(k)));
            return Err(Reported);
        }
        Ok(Some(v))
    }

    /// A non-negative whole count.
    pub fn count(&self, k: usize, f: &mut Findings) -> Result<Option<i64>, Reported> {
        let Some(v) = self.decimal(k, f)? else { return Ok(None) };
        if v.is_sign_negative() && !v.is_zero() {
            self.err(f, k, format!("conteggio negativo: {v}"), format!("negative count: {v}"));
            return Err(Reported);
        }
        if !v.fract().is_zero() {
            self.err(
                f,
                k,
                format!("un conteggio deve essere intero: «{}»", self.text(k)),
                format!("a count must be a whole number: «{}»", self.text(k)),
            );
            return Err(Reported);
        }
        i64::try_from(v.trunc().mantissa() / 10i128.pow(v.trunc().scale())).map(Some).map_err(|_| {
            self.err(f, k, "numero troppo grande".into(), "number too large".into());
            Reported
        })
    }

    /// An integer within `range`, required.
    pub fn int_in(&self, k: usize, range: std::ops::RangeInclusive<i64>, f: &mut Findings) -> Option<i64> {
        let t = self.text(k);
        match t.parse::<i64>() {
            Ok(v) if range.contains(&v) => Some(v),
            _ => {
                self.err(
                    f,
                    k,
                    format!("atteso un intero tra {} e {}: «{t}»", range.start(), range.end()),
                    format!("expected a whole number between {} and {}: «{t}»", range.start(), range.end()),
                );
                None
            }
        }
    }

    pub fn error(&self, f: &mut Findings, k: usize, it: impl Into<String>, en: impl Into<String>) {
        self.err(f, k, it.into(), en.into());
    }

    pub fn warning(&self, f: &mut Findings, k: usize, it: impl Into<String>, en: impl Into<String>) {
        f.warning(&self.table.file, Some(self.line), Some(self.names[k]), Msg::new(it, en));
    }
}
