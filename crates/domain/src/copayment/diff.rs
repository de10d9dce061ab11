//! What a re-run of a month changed (issue 17): after a correction of deliveries or ISEE the
//! same month is computed again, and the differences decide the corrective notices. Rows are
//! matched by person and service; a person's total decides whether their notice must change.
//!
//! Only the amount makes a row "changed": a new quantity under the cap, or a new ISEE inside
//! an exemption, changes nothing anybody pays.

use std::collections::BTreeMap;

use serde::Serialize;

use super::statement::{StatementError, StatementRow, person_totals};
use crate::pagopa::iuv::Iuv;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "modifica", rename_all = "snake_case")]
pub enum RowChange<'a> {
    Added { new: &'a StatementRow },
    Removed { old: &'a StatementRow },
    AmountChanged { old: &'a StatementRow, new: &'a StatementRow },
}

/// The row changes from `old` to `new`, by codice fiscale and service.
pub fn row_changes<'a>(old: &'a [StatementRow], new: &'a [StatementRow]) -> Vec<RowChange<'a>> {
    let key = |r: &'a StatementRow| (r.codice_fiscale.as_str(), r.codice_servizio.as_str());
    let olds: BTreeMap<_, _> = old.iter().map(|r| (key(r), r)).collect();
    let news: BTreeMap<_, _> = new.iter().map(|r| (key(r), r)).collect();
    let mut keys: Vec<_> = olds.keys().chain(news.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| match (olds.get(&k), news.get(&k)) {
            (None, Some(n)) => Some(RowChange::Added { new: n }),
            (Some(o), None) => Some(RowChange::Removed { old: o }),
            (Some(o), Some(n)) if o.importo != n.importo => Some(RowChange::AmountChanged { old: o, new: n }),
            _ => None,
        })
        .collect()
}

/// A person whose month total changed: the old notice (if there was one) no longer matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonChange {
    pub codice_fiscale: String,
    pub old_cents: i64,
    pub new_cents: i64,
    /// The notice of the previous run, to cancel or to complement.
    pub old_iuv: Option<Iuv>,
}

impl PersonChange {
    /// What is still to be asked (positive) or to be given back or cancelled (negative).
    pub fn delta_cents(&self) -> i64 {
        self.new_cents.saturating_sub(self.old_cents)
    }
}

/// The persons whose total differs between the runs, by codice fiscale.
pub fn person_changes(old: &[StatementRow], new: &[StatementRow]) -> Result<Vec<PersonChange>, StatementError> {
    let olds: BTreeMap<String, i64> = person_totals(old)?.into_iter().map(|p| (p.codice_fiscale, p.cents)).collect();
    let news: BTreeMap<String, i64> = person_totals(new)?.into_iter().map(|p| (p.codice_fiscale, p.cents)).collect();
    let mut people: Vec<&String> = olds.keys().chain(news.keys()).collect();
    people.sort_unstable();
    people.dedup();
    Ok(people
        .into_iter()
        .filter_map(|cf| {
            let (o, n) = (olds.get(cf).copied().unwrap_or(0), news.get(cf).copied().unwrap_or(0));
            (o != n).then(|| PersonChange {
                codice_fiscale: cf.clone(),
                old_cents: o,
                new_cents: n,
                old_iuv: old.iter().find(|r| &r.codice_fiscale == cf).and_then(|r| r.iuv.clone()),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copayment::regulation::Unit;
    use crate::date::parse_iso;
    use crate::interventions::calendar::Month;
    use crate::pagopa::iuv::SegregationCode;
    use rust_decimal::Decimal;

    fn r(cf: &str, service: &str, importo: &str, iuv: Option<u64>) -> StatementRow {
        StatementRow {
            codice_fiscale: cf.into(),
            codice_servizio: service.into(),
            mese: Month { year: 2025, month: 3 },
            unita: Unit::Ora,
            quantita: Decimal::ONE,
            isee: None,
            tariffa_unitaria: Decimal::ONE,
            importo: importo.parse().unwrap(),
            motivo: String::new(),
            iuv: iuv.map(|b| Iuv::new(SegregationCode::parse("01").unwrap(), b).unwrap()),
            scadenza: parse_iso("2025-04-30").unwrap(),
        }
    }

    fn before() -> Vec<StatementRow> {
        vec![
            r("AAA", "SAD", "100.00", Some(1)),
            r("AAA", "PASTI", "20.00", Some(1)),
            r("BBB", "SAD", "50.00", Some(2)),
            r("CCC", "SAD", "0", None),
        ]
    }

    fn after() -> Vec<StatementRow> {
        let mut q = r("CCC", "SAD", "0", None);
        q.quantita = Decimal::TEN;
        vec![
            r("AAA", "SAD", "110.00", None),
            r("BBB", "SAD", "50.00", None),
            r("BBB", "ADM", "12.00", None),
            q,
            r("DDD", "SAD", "5.00", None),
        ]
    }

    #[test]
    fn added_removed_and_changed_rows() {
        let (old, new) = (before(), after());
        let changes = row_changes(&old, &new);
        let brief: Vec<(&str, &str, &str)> = changes
            .iter()
            .map(|c| match c {
                RowChange::Added { new } => ("added", new.codice_fiscale.as_str(), new.codice_servizio.as_str()),
                RowChange::Removed { old } => ("removed", old.codice_fiscale.as_str(), old.codice_servizio.as_str()),
                RowChange::AmountChanged { new, .. } => ("changed", new.codice_fiscale.as_str(), new.codice_servizio.as_str()),
            })
            .collect();
        assert_eq!(brief, vec![("removed", "AAA", "PASTI"), ("changed", "AAA", "SAD"), ("added", "BBB", "ADM"), ("added", "DDD", "SAD")]);
        assert!(row_changes(&old, &old).is_empty(), "a re-run with nothing corrected changes nothing");
    }

    #[test]
    fn the_persons_whose_notice_must_change() {
        let changes = person_changes(&before(), &after()).unwrap();
        let brief: Vec<(&str, i64, i64, i64)> =
            changes.iter().map(|c| (c.codice_fiscale.as_str(), c.old_cents, c.new_cents, c.delta_cents())).collect();
        assert_eq!(brief, vec![("AAA", 12_000, 11_000, -1_000), ("BBB", 5_000, 6_200, 1_200), ("DDD", 0, 500, 500)]);
        assert_eq!(changes[0].old_iuv.as_ref().map(Iuv::base), Some(1));
        assert_eq!(changes[2].old_iuv, None);
    }
}
