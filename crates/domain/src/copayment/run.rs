//! One month of one Ambito, computed (issue 17): the version in force on the month's first day,
//! each person's quantity of each charged service from the month's delivery events, the charge,
//! the rows in the contract's order. Pure and deterministic, so a re-run over the same data
//! gives the same rows; the app wraps it in one transaction and then attaches the notices.
//!
//! Events are keyed by `codice_persona`, the pseudonymous key the case record links to a
//! person: an unknown key is a problem of the run, listed with its events' count, never skipped
//! in silence. A service the regulation does not charge (a front-desk contact, a free service)
//! makes no row; it is listed in `not_charged` so the run can say so.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::isee::IseeRecord;
use super::quantity::{DeliveryEvent, quantity};
use super::regulation::{Regulation, VersionError, in_force_for_month};
use super::statement::{StatementRow, sort_rows};
use super::tariff::{Exemption, charge};
use crate::interventions::calendar::Month;

/// What the case record knows of one person for the month.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub codice_fiscale: &'a str,
    pub isee: &'a [IseeRecord],
    pub esenzioni: &'a [Exemption],
}

/// One delivery event with its keys.
#[derive(Debug, Clone, Copy)]
pub struct Delivery<'a> {
    pub codice_persona: &'a str,
    pub codice_servizio: &'a str,
    pub event: DeliveryEvent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problema", rename_all = "snake_case")]
pub enum RunProblem {
    /// Events whose key links to no person of the Ambito.
    UnknownPerson { codice_persona: String, eventi: usize },
    /// A quantity that could not be counted (hours missing or negative); no row was made.
    Quantity { codice_fiscale: String, codice_servizio: String, errore: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthRun {
    /// The `codice` of the regulation version that charged the month.
    pub regolamento: String,
    pub rows: Vec<StatementRow>,
    pub problems: Vec<RunProblem>,
    /// Services delivered in the month that the regulation does not charge.
    pub not_charged: BTreeSet<String>,
}

/// The month's rows, or the error "no regulation in force for month M" (which changes nothing).
pub fn compute_month(
    versions: &[Regulation],
    month: Month,
    persons: &BTreeMap<String, Person<'_>>,
    deliveries: &[Delivery<'_>],
) -> Result<MonthRun, VersionError> {
    let reg = in_force_for_month(versions, month)?;
    let scadenza = reg.due_date(month).ok_or_else(|| VersionError::NoneInForce(month.label()))?;
    let mut grouped: BTreeMap<(&str, &str), Vec<DeliveryEvent>> = BTreeMap::new();
    let mut unknown: BTreeMap<&str, usize> = BTreeMap::new();
    let mut not_charged = BTreeSet::new();
    for d in deliveries.iter().filter(|d| Month::of(d.event.day) == month) {
        if !persons.contains_key(d.codice_persona) {
            *unknown.entry(d.codice_persona).or_default() += 1;
        } else if reg.service(d.codice_servizio).is_none() {
            not_charged.insert(d.codice_servizio.to_string());
        } else {
            grouped.entry((d.codice_persona, d.codice_servizio)).or_default().push(d.event);
        }
    }
    let mut problems: Vec<RunProblem> =
        unknown.into_iter().map(|(k, n)| RunProblem::UnknownPerson { codice_persona: k.to_string(), eventi: n }).collect();
    let mut rows = Vec::new();
    for ((key, service), events) in grouped {
        let (Some(p), Some(rule)) = (persons.get(key), reg.service(service)) else { continue };
        match quantity(rule.unita, month, &events) {
            Ok(q) => {
                let c = charge(rule, month, p.isee, p.esenzioni, q);
                rows.push(StatementRow::new(p.codice_fiscale, rule, month, &c, scadenza));
            }
            Err(e) => problems.push(RunProblem::Quantity {
                codice_fiscale: p.codice_fiscale.to_string(),
                codice_servizio: service.to_string(),
                errore: e.to_string(),
            }),
        }
    }
    sort_rows(&mut rows);
    Ok(MonthRun { regolamento: reg.codice.clone(), rows, problems, not_charged })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copayment::isee::{DsuProtocol, IseeType};
    use crate::copayment::regulation_toml::parse_regulation;
    use crate::date::{Day, parse_iso};
    use rust_decimal::Decimal;

    fn d(s: &str) -> Day {
        parse_iso(s).unwrap()
    }

    fn ev(day: &str, ore: &str) -> DeliveryEvent {
        DeliveryEvent { day: d(day), ore: Some(ore.parse().unwrap()) }
    }

    const MARCH: Month = Month { year: 2025, month: 3 };

    #[test]
    fn a_month_of_an_ambito() {
        let reg = parse_regulation(crate::copayment::regulation_toml::tests::EXAMPLE).unwrap();
        let isee = [IseeRecord::new(
            IseeType::Ordinario,
            Decimal::from(18_000),
            DsuProtocol::parse("INPS-ISEE-2025-000000001-00").unwrap(),
            d("2025-01-10"),
            None,
        )
        .unwrap()];
        let persons = BTreeMap::from([
            ("P2".to_string(), Person { codice_fiscale: "VRDLGU70B02F205X", isee: &isee, esenzioni: &[] }),
            ("P1".to_string(), Person { codice_fiscale: "BNCGNN85C03L219Y", isee: &[], esenzioni: &[] }),
        ]);
        let dl = |p: &'static str, s: &'static str, e: DeliveryEvent| Delivery { codice_persona: p, codice_servizio: s, event: e };
        let deliveries = [
            dl("P2", "SAD", ev("2025-03-03", "2")),
            dl("P2", "SAD", ev("2025-03-05", "2.5")),
            dl("P1", "PASTI", ev("2025-03-03", "0")),
            dl("P1", "SAD", DeliveryEvent { day: d("2025-03-04"), ore: None }),
            dl("P9", "SAD", ev("2025-03-04", "1")),
            dl("P9", "SAD", ev("2025-03-05", "1")),
            dl("P2", "SEGRETARIATO", ev("2025-03-05", "1")),
            dl("P2", "SAD", ev("2025-04-01", "8")),
        ];
        let run = compute_month(std::slice::from_ref(&reg), MARCH, &persons, &deliveries).unwrap();
        assert_eq!(run.regolamento, "REG2025");
        let rows: Vec<String> = run.rows.iter().map(|r| r.csv_values().join(";")).collect();
        assert_eq!(
            rows,
            vec![
                "BNCGNN85C03L219Y;PASTI;2025-03;1;;;6,00;6,00;;;2025-04-30",
                "VRDLGU70B02F205X;SAD;2025-03;4,50;ordinario;18.000,00;10,25;46,13;;;2025-04-30",
            ]
        );
        assert_eq!(
            run.problems,
            vec![
                RunProblem::UnknownPerson { codice_persona: "P9".into(), eventi: 2 },
                RunProblem::Quantity {
                    codice_fiscale: "BNCGNN85C03L219Y".into(),
                    codice_servizio: "SAD".into(),
                    errore: "consegne senza ore in un servizio a ore: 2025-03-04".into()
                },
            ]
        );
        assert_eq!(run.not_charged, BTreeSet::from(["SEGRETARIATO".to_string()]));
        assert_eq!(compute_month(std::slice::from_ref(&reg), MARCH, &persons, &deliveries), Ok(run), "a re-run gives the same");
        assert_eq!(
            compute_month(&[reg], Month { year: 2024, month: 12 }, &persons, &deliveries),
            Err(VersionError::NoneInForce("2024-12".into()))
        );
    }
}
