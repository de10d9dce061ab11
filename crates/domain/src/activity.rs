//! The activity file: its columns (a contract other tools write and read) and one service-year
//! line as ambito exports it, so that an export re-imports unchanged.

use crate::measures::Measures;
use rust_decimal::Decimal;

/// The activity file's columns, in order.
pub const COLUMNS: [&str; 14] = [
    "anno",
    "area",
    "codice_servizio",
    "servizio",
    "codice_padre",
    "utenti_in_carico",
    "domande_pervenute",
    "beneficiari",
    "ore_erogate",
    "accessi",
    "visite_domiciliari",
    "indicatore",
    "popolazione_target",
    "budget",
];

/// One service's year, as stored (blanks stay blank).
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityLine {
    pub year: i64,
    pub area: String,
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub measures: Measures,
    pub indicator: Option<String>,
    /// A named target population (`anziani_65`) or an explicit figure.
    pub target: Option<Target>,
    pub budget: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Named(String),
    Value(Decimal),
}
