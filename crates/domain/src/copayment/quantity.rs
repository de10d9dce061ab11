//! A month's quantity of one person and service, from its delivery events (issue 17):
//! `ora` the sum of hours, `accesso` and `pasto` the number of events, `giorno` the distinct
//! days, `mese` 1 if there is any event.
//!
//! Events outside the month are not counted: the store selects the month, and a stray event
//! must not be charged twice. An event without hours in a service charged by the hour is an
//! error of the run (listed, never read as zero), as a person with an unknown key is.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use thiserror::Error;

use super::regulation::Unit;
use crate::date::Day;
use crate::interventions::calendar::Month;

/// One delivery event as the statement needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryEvent {
    pub day: Day,
    pub ore: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuantityError {
    #[error("consegne senza ore in un servizio a ore: {}", .0.join(", "))]
    MissingHours(Vec<String>),
    #[error("ore negative in una consegna del {0}")]
    NegativeHours(String),
}

/// The quantity `unit` counts in `month` among `events`.
pub fn quantity(unit: Unit, month: Month, events: &[DeliveryEvent]) -> Result<Decimal, QuantityError> {
    let in_month = events.iter().filter(|e| Month::of(e.day) == month);
    match unit {
        Unit::Ora => {
            let mut total = Decimal::ZERO;
            let mut missing = Vec::new();
            for e in in_month {
                match e.ore {
                    Some(h) if h.is_sign_negative() && !h.is_zero() => return Err(QuantityError::NegativeHours(e.day.iso())),
                    Some(h) => total += h,
                    None => missing.push(e.day.iso()),
                }
            }
            if missing.is_empty() { Ok(total.normalize()) } else { Err(QuantityError::MissingHours(missing)) }
        }
        Unit::Accesso | Unit::Pasto => Ok(Decimal::from(in_month.count())),
        Unit::Giorno => Ok(Decimal::from(in_month.map(|e| e.day).collect::<BTreeSet<_>>().len())),
        Unit::Mese => Ok(if in_month.count() > 0 { Decimal::ONE } else { Decimal::ZERO }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_iso;

    fn ev(day: &str, ore: Option<&str>) -> DeliveryEvent {
        DeliveryEvent { day: parse_iso(day).unwrap(), ore: ore.map(|h| h.parse().unwrap()) }
    }

    const MARCH: Month = Month { year: 2025, month: 3 };

    fn events() -> Vec<DeliveryEvent> {
        vec![
            ev("2025-03-03", Some("2")),
            ev("2025-03-03", Some("1.5")),
            ev("2025-03-10", Some("4.25")),
            ev("2025-03-31", Some("4.75")),
            ev("2025-04-01", Some("8")),
            ev("2025-02-28", Some("8")),
        ]
    }

    #[test]
    fn each_unit_counts_its_way() {
        let e = events();
        assert_eq!(quantity(Unit::Ora, MARCH, &e), Ok("12.5".parse().unwrap()));
        assert_eq!(quantity(Unit::Accesso, MARCH, &e), Ok(Decimal::from(4)));
        assert_eq!(quantity(Unit::Pasto, MARCH, &e), Ok(Decimal::from(4)));
        assert_eq!(quantity(Unit::Giorno, MARCH, &e), Ok(Decimal::from(3)), "two events on the 3rd are one day");
        assert_eq!(quantity(Unit::Mese, MARCH, &e), Ok(Decimal::ONE));
    }

    #[test]
    fn a_month_without_events() {
        let e = events();
        let may = Month { year: 2025, month: 5 };
        for unit in Unit::ALL {
            assert_eq!(quantity(*unit, may, &e), Ok(Decimal::ZERO), "{unit:?}");
        }
    }

    #[test]
    fn hours_must_be_there_when_the_unit_is_the_hour() {
        let e = [ev("2025-03-03", None), ev("2025-03-04", Some("2")), ev("2025-03-05", None)];
        assert_eq!(quantity(Unit::Ora, MARCH, &e), Err(QuantityError::MissingHours(vec!["2025-03-03".into(), "2025-03-05".into()])));
        assert_eq!(quantity(Unit::Accesso, MARCH, &e), Ok(Decimal::from(3)), "other units do not need them");
        let neg = [ev("2025-03-03", Some("-1"))];
        assert_eq!(quantity(Unit::Ora, MARCH, &neg), Err(QuantityError::NegativeHours("2025-03-03".into())));
    }
}
