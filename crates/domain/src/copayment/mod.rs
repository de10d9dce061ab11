//! The user's co-payment (*compartecipazione*) of the Ambito's single regulation (*Regolamento
//! unico per l'accesso e la compartecipazione*), issue 17: which ISEE counts, the versioned
//! regulation and its checker, the tariff formulas, the month's quantity from delivery events,
//! the statement rows and their CSV, the differences of a re-run, the reconciliation of
//! receipts and the ageing of arrears (*morosità*). Pure rules: the store keeps the rows and the
//! counters, the app runs a month in one transaction with these.
//!
//! Money is `Decimal` rounded half-up to the cent ([`crate::format::round_half_up`]) and, once
//! it leaves the rules for pagoPA or the store, integer cents.

pub mod arrears;
pub mod choice;
pub mod diff;
pub mod isee;
pub mod quantity;
pub mod receipts;
pub mod regulation;
mod regulation_check;
pub mod regulation_toml;
pub mod run;
pub mod statement;
pub mod tariff;

pub use crate::interventions::calendar::Month;
pub use choice::{NoIsee, counting_isee};
pub use isee::{DsuProtocol, IseeRecord, IseeType};
pub use regulation::{Band, DueDate, Formula, Regulation, ServiceRule, Unit};
pub use regulation_toml::{RegulationIssue, parse_regulation};
pub use tariff::{Charge, Exemption, charge};

use rust_decimal::Decimal;

/// `YYYY-MM`, as `--month` and the CSV's `mese` write a month.
pub fn parse_month(text: &str) -> Option<Month> {
    let t = text.trim();
    let (y, m) = t.split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !t.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    (1..=12).contains(&month).then_some(Month { year, month })
}

/// An amount already rounded to the cent, as integer cents; `None` when it has finer decimals or
/// does not fit (never for the amounts the rules compute).
pub fn to_cents(amount: Decimal) -> Option<i64> {
    crate::fixed::to_units(amount, crate::fixed::MONEY_SCALE)
}

/// Days in serde as ISO `YYYY-MM-DD` (`#[serde(with = "iso_day")]`), as the store and the JSON
/// API write them; [`Day`](crate::date::Day) itself stays free of a wire format.
pub mod iso_day {
    use crate::date::{Day, parse_iso};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Day, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.iso())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let text = String::deserialize(d)?;
        parse_iso(&text).ok_or_else(|| serde::de::Error::custom(format!("data non valida «{text}» (AAAA-MM-GG)")))
    }

    /// The same for an optional day (`null` when blank).
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<Day>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&d.iso()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Day>, D::Error> {
            match Option::<String>::deserialize(d)? {
                Some(text) => {
                    parse_iso(&text).map(Some).ok_or_else(|| serde::de::Error::custom(format!("data non valida «{text}» (AAAA-MM-GG)")))
                }
                None => Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_as_the_contract_writes_them() {
        assert_eq!(parse_month("2025-03"), Some(Month { year: 2025, month: 3 }));
        assert_eq!(parse_month(" 2024-12 "), Some(Month { year: 2024, month: 12 }));
        for bad in ["2025-3", "2025-13", "2025-00", "25-03", "2025/03", "2025-03-01", "+025-03"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn cents() {
        assert_eq!(to_cents("1234.56".parse().unwrap()), Some(123_456));
        assert_eq!(to_cents("0".parse().unwrap()), Some(0));
        assert_eq!(to_cents("0.005".parse().unwrap()), None);
    }
}
