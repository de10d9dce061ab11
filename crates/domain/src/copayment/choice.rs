//! Which ISEE counts for a month (issue 17): the one valid on the month's first day, of the
//! first type the service accepts (in the regulation's order of preference) that the person
//! has valid then; among several of that type, the one with the latest DSU. When none counts,
//! the reason, so the statement can say why the maximum tariff applied.
//!
//! The first day, not any day: a month is charged at one tariff, and an ISEE filed on the 10th
//! counts from the next month. Ties on the DSU date (two attestations filed the same day) go
//! to the greater protocol, INPS's later one, so a re-run always picks the same.

use serde::Serialize;

use super::isee::{IseeRecord, IseeType, Validity};
use crate::interventions::calendar::{Month, add_days};

/// Why no ISEE counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoIsee {
    /// The person has no ISEE on file.
    Missing,
    /// Every ISEE of an accepted type ended before the month.
    Expired,
    /// An ISEE of an accepted type was filed after the month's first day (and none older holds).
    NotYetValid,
    /// The person's ISEE are all of types the service does not accept.
    TypeNotAccepted,
}

impl NoIsee {
    pub fn code(self) -> &'static str {
        match self {
            NoIsee::Missing => "nessun_isee",
            NoIsee::Expired => "isee_scaduto",
            NoIsee::NotYetValid => "isee_non_ancora_valido",
            NoIsee::TypeNotAccepted => "isee_tipo_non_accettato",
        }
    }

    /// The Italian reason a statement shows.
    pub fn label(self) -> &'static str {
        match self {
            NoIsee::Missing => "nessun ISEE presentato",
            NoIsee::Expired => "ISEE scaduto",
            NoIsee::NotYetValid => "ISEE non ancora valido il primo giorno del mese",
            NoIsee::TypeNotAccepted => "ISEE di un tipo non accettato dal servizio",
        }
    }
}

/// The ISEE that counts for `month` among one person's `records`, or why none does.
pub fn counting_isee<'a>(records: &'a [IseeRecord], accepted: &[IseeType], month: Month) -> Result<&'a IseeRecord, NoIsee> {
    if records.is_empty() {
        return Err(NoIsee::Missing);
    }
    let Some(first) = month.first() else { return Err(NoIsee::Missing) };
    for tipo in accepted {
        let best = records
            .iter()
            .filter(|r| r.tipo == *tipo && r.valid_on(first))
            .max_by(|a, b| (a.data_dsu, a.protocollo.as_str()).cmp(&(b.data_dsu, b.protocollo.as_str())));
        if let Some(r) = best {
            return Ok(r);
        }
    }
    let of_accepted: Vec<&IseeRecord> = records.iter().filter(|r| accepted.contains(&r.tipo)).collect();
    if of_accepted.is_empty() {
        Err(NoIsee::TypeNotAccepted)
    } else if of_accepted.iter().any(|r| r.validity_on(first) == Validity::NotYetValid) {
        // A new attestation filed during the month says more than the old one that lapsed.
        Err(NoIsee::NotYetValid)
    } else {
        Err(NoIsee::Expired)
    }
}

/// Whether `record` lapses during `month` with nothing of its type taking over the next day:
/// the service office's expiry list ("whose ISEE lapses next month") is these for next month.
pub fn lapses_in(record: &IseeRecord, same_person: &[IseeRecord], month: Month) -> bool {
    let end = record.valid_until();
    if Month::of(end) != month {
        return false;
    }
    let next = add_days(end, 1);
    !same_person.iter().any(|r| r.tipo == record.tipo && next.is_some_and(|n| r.valid_on(n)))
}

#[cfg(test)]
#[path = "choice_tests.rs"]
mod tests;
