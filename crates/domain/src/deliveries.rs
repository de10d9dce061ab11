//! Delivery events as values: the region-wide indicator table and one person's history, which
//! `render` writes and `app` computes. The delivery file contract's columns are here because the
//! importer reads them and the history export writes them: one list, so an export always
//! re-imports.

use rust_decimal::Decimal;

/// The delivery file's columns, in order (`annulla` may follow, to withdraw an event).
pub const COLUMNS: [&str; 7] = ["data", "codice_servizio", "comune_istat", "codice_persona", "ore", "visita_domiciliare", "ente_erogatore"];
/// The optional column that withdraws an earlier event (`si`).
pub const WITHDRAW: &str = "annulla";

/// One Ambito × service of the region table. Ratios are already shown (two decimals, half-up;
/// blank when the denominator is missing or zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    pub ambito: String,
    pub service: String,
    pub persons: i64,
    pub hours: Decimal,
    pub visits: i64,
    pub hours_per_person: String,
    pub persons_per_1000: String,
    pub cost_per_person: String,
}

/// One delivery of a person's history, as the delivery file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// `yyyymmdd`.
    pub day: i64,
    pub service: String,
    pub comune_istat: String,
    pub person: String,
    pub hours: Decimal,
    pub home_visit: bool,
    pub provider: String,
}

impl Delivery {
    /// The day as the file writes it, `yyyy-mm-dd`.
    pub fn day_text(&self) -> String {
        crate::date::iso_from_yyyymmdd(self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_day_is_written_as_an_iso_date() {
        let d = Delivery {
            day: 20250307,
            service: "SAD".into(),
            comune_istat: "016024".into(),
            person: "P1".into(),
            hours: Decimal::ONE,
            home_visit: false,
            provider: "COOP".into(),
        };
        assert_eq!(d.day_text(), "2025-03-07");
    }
}
