//! The region table and a person's delivery history as CSV (CRLF, `;`, Italian numbers). The
//! history is in the delivery import contract, so it re-imports as it is.

use crate::RenderError;
use crate::csv_safe::CsvOut;
use ambito_domain::deliveries::{COLUMNS, Delivery, RegionRow};
use ambito_domain::format::it_number;
use rust_decimal::Decimal;

pub const REGION_COLUMNS: [&str; 8] =
    ["codice_ambito", "codice_servizio", "persone", "ore", "visite", "ore_per_persona", "persone_per_1000", "costo_per_persona"];

pub fn region_table(rows: &[RegionRow]) -> Result<Vec<u8>, RenderError> {
    let mut w = CsvOut::crlf();
    w.record(REGION_COLUMNS)?;
    for r in rows {
        w.record([
            r.ambito.clone(),
            r.service.clone(),
            it_number(Decimal::from(r.persons), 0),
            it_number(r.hours, 2),
            it_number(Decimal::from(r.visits), 0),
            r.hours_per_person.clone(),
            r.persons_per_1000.clone(),
            r.cost_per_person.clone(),
        ])?;
    }
    w.finish()
}

/// Hours keep the digits they were reported with, at least two (`1,50`, `0,125`).
pub fn delivery_history(rows: &[Delivery]) -> Result<Vec<u8>, RenderError> {
    let mut w = CsvOut::crlf();
    w.record(COLUMNS)?;
    for r in rows {
        let hours = r.hours.normalize();
        w.record([
            r.day_text(),
            r.service.clone(),
            r.comune_istat.clone(),
            r.person.clone(),
            it_number(hours, hours.scale().max(2)),
            if r.home_visit { "si".into() } else { "no".into() },
            r.provider.clone(),
        ])?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_reported_digits_and_the_import_header() {
        let d = |h: &str| Delivery {
            day: 20250102,
            service: "SAD".into(),
            comune_istat: "016024".into(),
            person: "P1".into(),
            hours: h.parse().unwrap(),
            home_visit: true,
            provider: "COOP".into(),
        };
        let text = String::from_utf8(delivery_history(&[d("1.5"), d("0.125")]).unwrap()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], COLUMNS.join(";"));
        assert_eq!(lines[1], "2025-01-02;SAD;016024;P1;1,50;si;COOP");
        assert_eq!(lines[2], "2025-01-02;SAD;016024;P1;0,125;si;COOP");
    }
}
