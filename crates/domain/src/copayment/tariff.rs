//! The tariff of one person, service and month (issue 17).
//!
//! - ISEE ≤ `isee_esenzione`: exempt, tariff 0.
//! - ISEE ≥ `isee_massimo`, or no ISEE of an accepted type valid on the month's first day:
//!   `tariffa_massima`.
//! - Between: `lineare` = `minima + (massima − minima) · (ISEE − esenzione) / (massimo − esenzione)`,
//!   `quadratica` the same with the fraction squared; `fasce` the first band with ISEE ≤ `fino_a`,
//!   above the last band `tariffa_massima`.
//!
//! The unit tariff is rounded half-up to the cent; the month's amount is quantity × tariff,
//! rounded half-up to the cent, then capped by `tetto_mensile`. The formula multiplies before it
//! divides, so the only rounding is the one the regulation states.
//!
//! An individual exemption (a social worker's decision, a court-imposed service) makes the month
//! 0 when its period covers any day of the month: a decision taken on the 15th frees the whole
//! month rather than charging half of it at full tariff.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::choice::{NoIsee, counting_isee};
use super::isee::{IseeRecord, IseeType};
use super::regulation::{Formula, ServiceRule};
use crate::date::Day;
use crate::format::{it_number, round_half_up};
use crate::interventions::calendar::Month;

/// Why the tariff is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "base", rename_all = "snake_case")]
pub enum Basis {
    /// ISEE not above the exemption threshold.
    Esente,
    /// By the service's `lineare` or `quadratica` formula.
    Formula,
    /// By the band up to `fino_a`.
    Fascia { fino_a: Decimal },
    /// Above the last band.
    OltreFasce,
    /// ISEE not below `isee_massimo`.
    Massima,
    /// No ISEE counted.
    SenzaIsee { motivo: NoIsee },
    /// An individual exemption.
    EsenzioneIndividuale,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitTariff {
    pub tariffa: Decimal,
    pub basis: Basis,
}

/// The unit tariff of `rule` for an ISEE value, or for the reason none counted.
pub fn unit_tariff(rule: &ServiceRule, isee: Result<Decimal, NoIsee>) -> UnitTariff {
    let massima = |basis| UnitTariff { tariffa: round_half_up(rule.tariffa_massima, 2), basis };
    let v = match isee {
        Ok(v) => v,
        Err(motivo) => return massima(Basis::SenzaIsee { motivo }),
    };
    if v <= rule.isee_esenzione {
        return UnitTariff { tariffa: Decimal::ZERO, basis: Basis::Esente };
    }
    if v >= rule.isee_massimo {
        return massima(Basis::Massima);
    }
    let between = |squared: bool| -> Option<Decimal> {
        let span = rule.tariffa_massima.checked_sub(rule.tariffa_minima)?;
        let (num, den) = (v.checked_sub(rule.isee_esenzione)?, rule.isee_massimo.checked_sub(rule.isee_esenzione)?);
        let (num, den) = if squared { (num.checked_mul(num)?, den.checked_mul(den)?) } else { (num, den) };
        rule.tariffa_minima.checked_add(span.checked_mul(num)?.checked_div(den)?)
    };
    let computed = match rule.formula {
        Formula::Lineare => between(false),
        Formula::Quadratica => between(true),
        Formula::Fasce => {
            return match rule.fasce.iter().find(|b| v <= b.fino_a) {
                Some(b) => UnitTariff { tariffa: round_half_up(b.tariffa, 2), basis: Basis::Fascia { fino_a: b.fino_a } },
                None => massima(Basis::OltreFasce),
            };
        }
    };
    // The checker bounds every amount, so the arithmetic fits; were it not to, the maximum
    // tariff is the regulation's own answer for what the formula cannot place.
    match computed {
        Some(t) => UnitTariff { tariffa: round_half_up(t, 2), basis: Basis::Formula },
        None => massima(Basis::Massima),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MonthAmount {
    /// Quantity × tariff, rounded to the cent, before the cap.
    pub lordo: Decimal,
    pub importo: Decimal,
    /// The cap lowered the amount.
    pub tetto_applicato: bool,
}

/// `quantita × tariffa` rounded half-up to the cent, then capped by `tetto_mensile`.
pub fn month_amount(rule: &ServiceRule, quantita: Decimal, tariffa: Decimal) -> MonthAmount {
    let lordo = round_half_up(quantita.checked_mul(tariffa).unwrap_or(Decimal::MAX), 2);
    match rule.tetto_mensile {
        Some(cap) if lordo > cap => MonthAmount { lordo, importo: cap, tetto_applicato: true },
        _ => MonthAmount { lordo, importo: lordo, tetto_applicato: false },
    }
}

/// An individual exemption: the act that grants it, why, and its period (`al` blank: open).
/// Without `servizio` it covers every service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exemption {
    pub atto: String,
    pub motivo: String,
    #[serde(with = "super::iso_day")]
    pub dal: Day,
    #[serde(with = "super::iso_day::option")]
    pub al: Option<Day>,
    pub servizio: Option<String>,
}

impl Exemption {
    /// Whether it frees `servizio` in `month`: its period covers any day of the month.
    pub fn covers(&self, servizio: &str, month: Month) -> bool {
        let (Some(first), Some(last)) = (month.first(), month.last()) else { return false };
        self.servizio.as_deref().is_none_or(|s| s == servizio) && self.dal <= last && self.al.is_none_or(|al| al >= first)
    }
}

/// The ISEE that counted, as the statement shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IseeUsed {
    pub tipo: IseeType,
    pub valore: Decimal,
}

/// One person's month of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Charge {
    pub quantita: Decimal,
    pub isee: Option<IseeUsed>,
    pub tariffa_unitaria: Decimal,
    pub lordo: Decimal,
    pub importo: Decimal,
    pub basis: Basis,
    pub tetto_applicato: bool,
    pub esenzione: Option<Exemption>,
}

/// The charge of `quantita` units of `rule`'s service in `month`, for a person with these ISEE
/// records and exemptions. The ISEE is shown even under an exemption: it is still the one on file.
pub fn charge(rule: &ServiceRule, month: Month, isee: &[IseeRecord], exemptions: &[Exemption], quantita: Decimal) -> Charge {
    let counted = counting_isee(isee, &rule.isee_tipi, month);
    let used = counted.ok().map(|r| IseeUsed { tipo: r.tipo, valore: r.valore });
    if let Some(e) = exemptions.iter().find(|e| e.covers(&rule.codice_servizio, month)) {
        return Charge {
            quantita,
            isee: used,
            tariffa_unitaria: Decimal::ZERO,
            lordo: Decimal::ZERO,
            importo: Decimal::ZERO,
            basis: Basis::EsenzioneIndividuale,
            tetto_applicato: false,
            esenzione: Some(e.clone()),
        };
    }
    let t = unit_tariff(rule, counted.map(|r| r.valore));
    let a = month_amount(rule, quantita, t.tariffa);
    Charge {
        quantita,
        isee: used,
        tariffa_unitaria: t.tariffa,
        lordo: a.lordo,
        importo: a.importo,
        basis: t.basis,
        tetto_applicato: a.tetto_applicato,
        esenzione: None,
    }
}

impl Charge {
    /// Why, in Italian, for the statement's page and the person's portal.
    pub fn motivo(&self, rule: &ServiceRule) -> String {
        let m = |v: Decimal| it_number(v, 2);
        let isee = self.isee.map(|i| m(i.valore)).unwrap_or_default();
        let base = match &self.basis {
            Basis::Esente => format!("esente: ISEE {isee} non superiore alla soglia di esenzione {}", m(rule.isee_esenzione)),
            Basis::Formula => format!("formula {} su ISEE {isee}", rule.formula.label()),
            Basis::Fascia { fino_a } => format!("fascia fino a ISEE {}", m(*fino_a)),
            Basis::OltreFasce => format!("tariffa massima: ISEE {isee} oltre l'ultima fascia"),
            Basis::Massima => format!("tariffa massima: ISEE {isee} non inferiore a {}", m(rule.isee_massimo)),
            Basis::SenzaIsee { motivo } => format!("tariffa massima: {}", motivo.label()),
            Basis::EsenzioneIndividuale => match &self.esenzione {
                Some(e) => format!("esenzione individuale: atto {} ({})", e.atto, e.motivo),
                None => "esenzione individuale".into(),
            },
        };
        match rule.tetto_mensile {
            Some(cap) if self.tetto_applicato => format!("{base}; applicato il tetto mensile di {}", m(cap)),
            _ => base,
        }
    }
}

#[cfg(test)]
#[path = "tariff_tests.rs"]
mod tests;
