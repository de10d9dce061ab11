//! The regulation as the rules use it, once [`super::regulation_toml::parse_regulation`] has
//! checked it; and its versions. A version is in force from its `valido_dal` until the next
//! version's: versions are open-ended, so two with the same `valido_dal` overlap and any other
//! set of dates does not. A month is charged by the version in force on its first day.
//!
//! The due date of a month's notices (`scadenza`) is a setting of the version: by default the
//! last day of the following month (March's notices fall due on 30 April), or, with
//! `scadenza_giorni = N`, N days after the month's last day.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::isee::IseeType;
use crate::date::Day;
use crate::interventions::calendar::{Month, add_days};
use crate::interventions::coded;

coded! {
    /// What a service charges by; the month's quantity counts these (see `quantity`).
    Unit {
        Ora = ("ora", "ore"),
        Accesso = ("accesso", "accessi"),
        Giorno = ("giorno", "giorni"),
        Mese = ("mese", "mesi"),
        Pasto = ("pasto", "pasti"),
    }
}

coded! {
    /// How the unit tariff follows the ISEE between the exemption threshold and the maximum.
    Formula {
        Lineare = ("lineare", "lineare"),
        Quadratica = ("quadratica", "quadratica"),
        Fasce = ("fasce", "a fasce"),
    }
}

/// One band of a `fasce` formula: the tariff of an ISEE up to `fino_a`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    pub fino_a: Decimal,
    pub tariffa: Decimal,
}

/// One service's tariff rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceRule {
    pub codice_servizio: String,
    pub unita: Unit,
    /// The accepted ISEE types, in order of preference.
    pub isee_tipi: Vec<IseeType>,
    pub formula: Formula,
    pub isee_esenzione: Decimal,
    pub isee_massimo: Decimal,
    pub tariffa_minima: Decimal,
    pub tariffa_massima: Decimal,
    pub tetto_mensile: Option<Decimal>,
    /// Increasing `fino_a`; empty unless the formula is `fasce`.
    pub fasce: Vec<Band>,
}

/// When a month's notices fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DueDate {
    /// The last day of the following month (the default).
    FineMeseSuccessivo,
    /// This many days (1 to 365) after the month's last day.
    GiorniDopoFineMese(u16),
}

impl DueDate {
    pub fn for_month(self, month: Month) -> Option<Day> {
        match self {
            DueDate::FineMeseSuccessivo => month.next().last(),
            DueDate::GiorniDopoFineMese(n) => add_days(month.last()?, i64::from(n)),
        }
    }
}

/// One version of an Ambito's regulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Regulation {
    pub codice: String,
    #[serde(with = "super::iso_day")]
    pub valido_dal: Day,
    pub scadenza: DueDate,
    pub servizi: Vec<ServiceRule>,
}

impl Regulation {
    pub fn service(&self, codice_servizio: &str) -> Option<&ServiceRule> {
        self.servizi.iter().find(|s| s.codice_servizio == codice_servizio)
    }

    /// The due date of `month`'s notices.
    pub fn due_date(&self, month: Month) -> Option<Day> {
        self.scadenza.for_month(month)
    }

    /// The TOML text of the version, which [`super::regulation_toml::parse_regulation`] reads
    /// back to the same value: the UI's form writes this and goes through the one checker.
    pub fn to_toml(&self) -> String {
        let reg = self;
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = format!("codice = {}\nvalido_dal = {}\n", q(&reg.codice), reg.valido_dal.iso());
        if let DueDate::GiorniDopoFineMese(n) = reg.scadenza {
            out.push_str(&format!("scadenza_giorni = {n}\n"));
        }
        for s in &reg.servizi {
            let tipi: Vec<String> = s.isee_tipi.iter().map(|t| q(t.code())).collect();
            out.push_str(&format!(
                "\n[[servizio]]\ncodice_servizio = {}\nunita = {}\nisee_tipi = [{}]\nformula = {}\n",
                q(&s.codice_servizio),
                q(s.unita.code()),
                tipi.join(", "),
                q(s.formula.code())
            ));
            for (k, v) in [
                ("isee_esenzione", Some(s.isee_esenzione)),
                ("isee_massimo", Some(s.isee_massimo)),
                ("tariffa_minima", Some(s.tariffa_minima)),
                ("tariffa_massima", Some(s.tariffa_massima)),
                ("tetto_mensile", s.tetto_mensile),
            ] {
                if let Some(v) = v {
                    out.push_str(&format!("{k} = \"{v}\"\n"));
                }
            }
            for b in &s.fasce {
                out.push_str(&format!("\n[[servizio.fasce]]\nfino_a = \"{}\"\ntariffa = \"{}\"\n", b.fino_a, b.tariffa));
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VersionError {
    #[error("esiste già una versione del regolamento valida dal {0}: le versioni non possono sovrapporsi")]
    Overlap(String),
    #[error("nessun regolamento in vigore per il mese {0}")]
    NoneInForce(String),
}

/// Whether a new version starting `valido_dal` can join the Ambito's `existing` ones.
pub fn check_new_version(existing: &[Day], valido_dal: Day) -> Result<(), VersionError> {
    if existing.contains(&valido_dal) {
        return Err(VersionError::Overlap(valido_dal.iso()));
    }
    Ok(())
}

/// The index in `starts` of the version in force on `day`: the latest start not after it.
pub fn in_force_on(starts: &[Day], day: Day) -> Option<usize> {
    starts.iter().enumerate().filter(|(_, s)| **s <= day).max_by_key(|(_, s)| **s).map(|(i, _)| i)
}

/// The version that charges `month` (the one in force on its first day).
pub fn in_force_for_month(versions: &[Regulation], month: Month) -> Result<&Regulation, VersionError> {
    let starts: Vec<Day> = versions.iter().map(|v| v.valido_dal).collect();
    month
        .first()
        .and_then(|first| in_force_on(&starts, first))
        .and_then(|i| versions.get(i))
        .ok_or_else(|| VersionError::NoneInForce(month.label()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_iso;

    fn d(s: &str) -> Day {
        parse_iso(s).unwrap()
    }

    fn version(codice: &str, dal: &str) -> Regulation {
        Regulation { codice: codice.into(), valido_dal: d(dal), scadenza: DueDate::FineMeseSuccessivo, servizi: vec![] }
    }

    #[test]
    fn versions_with_the_same_start_overlap() {
        let existing = [d("2024-01-01"), d("2025-01-01")];
        assert_eq!(check_new_version(&existing, d("2025-01-01")), Err(VersionError::Overlap("2025-01-01".into())));
        assert_eq!(check_new_version(&existing, d("2025-07-01")), Ok(()));
        assert_eq!(check_new_version(&existing, d("2024-07-01")), Ok(()), "a version between two is in force until the next");
        assert_eq!(check_new_version(&[], d("2025-01-01")), Ok(()));
    }

    #[test]
    fn the_version_in_force() {
        let versions = [version("REG2025", "2025-01-01"), version("REG2024", "2024-01-01"), version("REG2025B", "2025-07-15")];
        let of = |m: u32, y: i32| in_force_for_month(&versions, Month { year: y, month: m }).map(|v| v.codice.as_str());
        assert_eq!(of(12, 2024), Ok("REG2024"));
        assert_eq!(of(1, 2025), Ok("REG2025"));
        assert_eq!(of(7, 2025), Ok("REG2025"), "in force on 1 July");
        assert_eq!(of(8, 2025), Ok("REG2025B"));
        assert_eq!(of(12, 2023), Err(VersionError::NoneInForce("2023-12".into())));
        assert_eq!(VersionError::NoneInForce("2023-12".into()).to_string(), "nessun regolamento in vigore per il mese 2023-12");
        assert_eq!(in_force_on(&[d("2025-07-15")], d("2025-07-15")), Some(0));
        assert_eq!(in_force_on(&[d("2025-07-15")], d("2025-07-14")), None);
    }

    #[test]
    fn due_dates() {
        let march = Month { year: 2025, month: 3 };
        assert_eq!(DueDate::FineMeseSuccessivo.for_month(march), Some(d("2025-04-30")));
        assert_eq!(DueDate::FineMeseSuccessivo.for_month(Month { year: 2024, month: 1 }), Some(d("2024-02-29")));
        assert_eq!(DueDate::FineMeseSuccessivo.for_month(Month { year: 2025, month: 12 }), Some(d("2026-01-31")));
        assert_eq!(DueDate::GiorniDopoFineMese(30).for_month(march), Some(d("2025-04-30")));
        assert_eq!(DueDate::GiorniDopoFineMese(15).for_month(Month { year: 2025, month: 12 }), Some(d("2026-01-15")));
    }
}
