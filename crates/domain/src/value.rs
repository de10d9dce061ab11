//! A computed figure is either a number or a blank that says why it is blank.
//! A blank is never a zero: it is carried through arithmetic and shown as an empty cell.

use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Blank {
    /// The source did not record this figure.
    NotRecorded(String),
    /// The denominator is zero.
    DivisionByZero(String),
    /// There is no previous period to compare with.
    NoPrevious,
    /// The indicator needs a target population that is not defined.
    NoTarget,
    /// The expression names something the engine does not know.
    Unknown(String),
    /// The data are there but too few or too uniform for this statistic (one answer, no variance).
    NotComputable(String),
}

impl fmt::Display for Blank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blank::NotRecorded(what) => write!(f, "dato non rilevato: {what}"),
            Blank::DivisionByZero(what) => write!(f, "divisione per zero: {what} è 0"),
            Blank::NoPrevious => write!(f, "manca l'anno precedente"),
            Blank::NoTarget => write!(f, "popolazione target non definita"),
            Blank::Unknown(what) => write!(f, "termine sconosciuto: {what}"),
            Blank::NotComputable(why) => write!(f, "non calcolabile: {why}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Number(Decimal),
    Blank(Blank),
}

impl Value {
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Blank(_) => None,
        }
    }

    pub fn blank_reason(&self) -> Option<&Blank> {
        match self {
            Value::Blank(b) => Some(b),
            Value::Number(_) => None,
        }
    }
}

impl From<Decimal> for Value {
    fn from(n: Decimal) -> Self {
        Value::Number(n)
    }
}

/// Sum that keeps blanks honest: blank only when every term is blank.
pub fn sum_present<I: IntoIterator<Item = Option<Decimal>>>(terms: I) -> Option<Decimal> {
    terms.into_iter().flatten().fold(None, |acc, x| Some(acc.unwrap_or_default() + x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_of_blanks_is_blank_not_zero() {
        assert_eq!(sum_present([None, None]), None);
        assert_eq!(sum_present(Vec::<Option<Decimal>>::new()), None);
        assert_eq!(sum_present([None, Some(Decimal::from(3)), Some(Decimal::ZERO)]), Some(Decimal::from(3)));
        assert_eq!(sum_present([Some(Decimal::ZERO)]), Some(Decimal::ZERO));
    }

    #[test]
    fn blank_reasons_read_in_italian() {
        assert_eq!(Blank::DivisionByZero("domande".into()).to_string(), "divisione per zero: domande è 0");
    }
}
