//! The month's statement rows and the CSV of `ambito copayment statements` (issue 17):
//!
//! `codice_fiscale;codice_servizio;mese;quantita;isee_tipo;isee_valore;tariffa_unitaria;importo;iuv;numero_avviso;scadenza`
//!
//! Rows are sorted by codice fiscale, then service. Quantities are Italian: hours with two
//! decimals at least (`12,50`; more when the events have them, so that quantity × tariff can be
//! checked by hand), counts as integers; money `1.234,56`, zero `0,00` (not the reports' `-`: a
//! file is read by programs). `scadenza` is ISO, as `mese` is. One pagoPA notice per person and
//! month covers the sum of that person's rows: every row of theirs carries its IUV, and a person
//! whose total is 0 gets none (blank `iuv` and `numero_avviso`).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use thiserror::Error;

use super::regulation::{ServiceRule, Unit};
use super::tariff::{Charge, IseeUsed};
use crate::date::Day;
use crate::format::it_number;
use crate::interventions::calendar::Month;
use crate::pagopa::iuv::Iuv;

pub const CSV_HEADER: [&str; 11] = [
    "codice_fiscale",
    "codice_servizio",
    "mese",
    "quantita",
    "isee_tipo",
    "isee_valore",
    "tariffa_unitaria",
    "importo",
    "iuv",
    "numero_avviso",
    "scadenza",
];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StatementError {
    #[error("importo non in centesimi o troppo grande per {0}")]
    Amount(String),
    #[error("manca lo IUV dell'avviso di {0}, che ha un importo da pagare")]
    MissingIuv(String),
    #[error("{0} non ha importi da pagare: nessun avviso")]
    UnexpectedIuv(String),
}

/// One row: a person's month of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRow {
    pub codice_fiscale: String,
    pub codice_servizio: String,
    #[serde(serialize_with = "month_label")]
    pub mese: Month,
    pub unita: Unit,
    pub quantita: Decimal,
    pub isee: Option<IseeUsed>,
    pub tariffa_unitaria: Decimal,
    pub importo: Decimal,
    /// Why the tariff is what it is (not in the CSV; the pages and the portal show it).
    pub motivo: String,
    pub iuv: Option<Iuv>,
    #[serde(serialize_with = "iso")]
    pub scadenza: Day,
}

fn month_label<S: Serializer>(m: &Month, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&m.label())
}

fn iso<S: Serializer>(d: &Day, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.iso())
}

impl StatementRow {
    pub fn new(codice_fiscale: &str, rule: &ServiceRule, mese: Month, charge: &Charge, scadenza: Day) -> StatementRow {
        StatementRow {
            codice_fiscale: codice_fiscale.to_string(),
            codice_servizio: rule.codice_servizio.clone(),
            mese,
            unita: rule.unita,
            quantita: charge.quantita,
            isee: charge.isee,
            tariffa_unitaria: charge.tariffa_unitaria,
            importo: charge.importo,
            motivo: charge.motivo(rule),
            iuv: None,
            scadenza,
        }
    }

    /// The row's fields in [`CSV_HEADER`]'s order.
    pub fn csv_values(&self) -> [String; 11] {
        let money = |v: Decimal| it_number(v, 2);
        [
            self.codice_fiscale.clone(),
            self.codice_servizio.clone(),
            self.mese.label(),
            format_quantity(self.unita, self.quantita),
            self.isee.map(|i| i.tipo.code().to_string()).unwrap_or_default(),
            self.isee.map(|i| money(i.valore)).unwrap_or_default(),
            money(self.tariffa_unitaria),
            money(self.importo),
            self.iuv.as_ref().map(|i| i.to_string()).unwrap_or_default(),
            self.iuv.as_ref().map(|i| i.notice_number().to_string()).unwrap_or_default(),
            self.scadenza.iso(),
        ]
    }
}

/// Hours with at least two decimals (`12,50`, `3,3333`); counts as integers (`12`).
pub fn format_quantity(unit: Unit, q: Decimal) -> String {
    match unit {
        Unit::Ora => it_number(q, q.normalize().scale().max(2)),
        _ => it_number(q, 0),
    }
}

/// By codice fiscale, then service: the contract's order.
pub fn sort_rows(rows: &mut [StatementRow]) {
    rows.sort_by(|a, b| (&a.codice_fiscale, &a.codice_servizio).cmp(&(&b.codice_fiscale, &b.codice_servizio)));
}

/// One person's month: the total of their rows and the services it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonTotal {
    pub codice_fiscale: String,
    pub cents: i64,
    /// Services with an amount to pay, for the causale.
    pub servizi: Vec<String>,
}

impl PersonTotal {
    /// A notice is issued only for something to pay.
    pub fn needs_notice(&self) -> bool {
        self.cents > 0
    }
}

/// Every person's total in cents, by codice fiscale (zero totals included).
pub fn person_totals(rows: &[StatementRow]) -> Result<Vec<PersonTotal>, StatementError> {
    let mut by_person: BTreeMap<&str, PersonTotal> = BTreeMap::new();
    for r in rows {
        let cents = super::to_cents(r.importo).ok_or_else(|| StatementError::Amount(r.codice_fiscale.clone()))?;
        let p = by_person.entry(&r.codice_fiscale).or_insert_with(|| PersonTotal {
            codice_fiscale: r.codice_fiscale.clone(),
            cents: 0,
            servizi: Vec::new(),
        });
        p.cents = p.cents.checked_add(cents).ok_or_else(|| StatementError::Amount(r.codice_fiscale.clone()))?;
        if cents > 0 && !p.servizi.contains(&r.codice_servizio) {
            p.servizi.push(r.codice_servizio.clone());
        }
    }
    Ok(by_person.into_values().collect())
}

/// Puts each person's notice on all of their rows. `iuvs` must name exactly the persons whose
/// total is above zero; anything else is an error and no row is changed.
pub fn attach_notices(rows: &mut [StatementRow], iuvs: &BTreeMap<String, Iuv>) -> Result<(), StatementError> {
    let totals = person_totals(rows)?;
    for p in &totals {
        match (p.needs_notice(), iuvs.contains_key(&p.codice_fiscale)) {
            (true, false) => return Err(StatementError::MissingIuv(p.codice_fiscale.clone())),
            (false, true) => return Err(StatementError::UnexpectedIuv(p.codice_fiscale.clone())),
            _ => {}
        }
    }
    if let Some(cf) = iuvs.keys().find(|cf| !totals.iter().any(|p| &p.codice_fiscale == *cf)) {
        return Err(StatementError::UnexpectedIuv(cf.clone()));
    }
    for r in rows.iter_mut() {
        r.iuv = iuvs.get(&r.codice_fiscale).cloned();
    }
    Ok(())
}

#[cfg(test)]
#[path = "statement_tests.rs"]
mod tests;
