//! The annual report as CSV. This layout is a contract read by other tools: change it only with
//! them. UTF-8, `;` separated, Italian number formats, empty cells for blanks.

use crate::RenderError;
use crate::csv_safe::CsvOut;
use crate::figures::{euro_amount_text, measure_text};
use ambito_domain::measures::{Measure, Measures};
use ambito_domain::report::{AnnualReport, ServiceRow, Shown, TotalRow};
use rust_decimal::Decimal;

pub const HEADER: [&str; 13] = [
    "area",
    "codice_servizio",
    "servizio",
    "utenti_in_carico",
    "domande_pervenute",
    "beneficiari",
    "ore_erogate",
    "accessi",
    "visite_domiciliari",
    "indicatore",
    "valore_indicatore",
    "budget",
    "budget_per_utente",
];

pub fn annual(r: &AnnualReport) -> Result<Vec<u8>, RenderError> {
    let mut w = CsvOut::new();
    w.record(HEADER)?;
    for area in &r.areas {
        for row in &area.rows {
            w.record(service_record(&area.name, row))?;
        }
    }
    for area in &r.areas {
        w.record(total_record([area.name.as_str(), "TOTALE", area.name.as_str()], &area.total))?;
    }
    w.record(total_record(["TOTALE AMBITO", "", ""], &r.total))?;
    w.finish()
}

/// The report's rows with small counts of people suppressed (for evaluators and the public): the
/// same columns as [`annual`], with `<3` in place of hidden counts and the figures derived from a
/// hidden count (indicator, budget per user) left out. See `ambito_domain::suppression`.
pub fn annual_suppressed_records(r: &AnnualReport, threshold: u32) -> Vec<Vec<String>> {
    use ambito_domain::suppression::{HiddenCells, PEOPLE, hidden_text};
    let mut records: Vec<Vec<String>> = Vec::new();
    for area in &r.areas {
        for row in &area.rows {
            records.push(service_record(&area.name, row));
        }
    }
    for area in &r.areas {
        records.push(total_record([area.name.as_str(), "TOTALE", area.name.as_str()], &area.total));
    }
    records.push(total_record(["TOTALE AMBITO", "", ""], &r.total));
    // The same rows, in the same order, as the decision of what to hide.
    let hidden = HiddenCells::of(r, threshold);
    for (rec, row) in records.iter_mut().zip(&hidden.rows) {
        for m in PEOPLE.into_iter().filter(|m| row.hides(*m)) {
            rec[3 + m.index()] = hidden_text(threshold);
        }
        if row.derived {
            rec[10] = "soppresso".into();
            rec[12] = "soppresso".into();
        }
    }
    records
}

/// [`annual_suppressed_records`] as CSV.
pub fn annual_suppressed(r: &AnnualReport, threshold: u32) -> Result<Vec<u8>, RenderError> {
    let mut w = CsvOut::new();
    w.record(HEADER)?;
    for rec in annual_suppressed_records(r, threshold) {
        w.record(rec)?;
    }
    w.finish()
}

fn service_record(area: &str, row: &ServiceRow) -> Vec<String> {
    let mut rec = vec![area.to_string(), row.code.clone(), row.name.clone()];
    rec.extend(measure_cells(&row.figures.measures));
    match &row.indicator {
        Some(ind) => rec.extend([ind.code.clone(), ind.shown.text.clone()]),
        None => rec.extend([String::new(), String::new()]),
    }
    rec.push(budget_cell(row.figures.budget));
    rec.push(per_user_cell(&row.budget_per_user));
    rec
}

fn total_record(labels: [&str; 3], total: &TotalRow) -> Vec<String> {
    let mut rec: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
    rec.extend(measure_cells(&total.measures));
    rec.extend([String::new(), String::new()]);
    rec.push(budget_cell(total.budget));
    rec.push(per_user_cell(&total.budget_per_user));
    rec
}

fn measure_cells(m: &Measures) -> impl Iterator<Item = String> + '_ {
    Measure::ALL.into_iter().map(|k| measure_text(k, m.get(k)))
}

fn budget_cell(b: Option<Decimal>) -> String {
    euro_amount_text(b)
}

/// The domain's euro text without the symbol: `120,48 €` → `120,48`, `- €` → `-`.
fn per_user_cell(s: &Shown) -> String {
    let text = s.text.trim();
    text.strip_suffix('€').map(str::trim_end).unwrap_or(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ambito_domain::value::Value;

    #[test]
    fn per_user_drops_the_symbol() {
        let shown = |t: &str| Shown { value: Value::Number(Decimal::ONE), text: t.into() };
        assert_eq!(per_user_cell(&shown("120,48 €")), "120,48");
        assert_eq!(per_user_cell(&shown("- €")), "-");
        assert_eq!(per_user_cell(&shown("")), "");
    }
}
