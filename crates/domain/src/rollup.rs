//! The year roll-up of activity: what one service did in a year, from the rows reported per
//! period (`Y`, `S1`, `S2`, `M01`…`M12`) and per Comune.

use crate::measures::{Measure, Measures};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The period of a row that covers the whole year.
pub const YEAR: &str = "Y";

/// One reported row of a service-year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodRow {
    /// ISTAT code, or empty for the whole Ambito.
    pub comune: String,
    pub period: String,
    pub measures: Measures,
    pub budget: Option<Decimal>,
}

/// The year's figures: per Comune, a year row wins; otherwise event measures and the budget add
/// up over the periods and people measures (`Measure::is_stock`) take the largest period figure.
/// The Comuni then add up. A blank stays blank unless some row has the value.
pub fn roll_up_year(rows: &[PeriodRow]) -> (Measures, Option<Decimal>) {
    let mut by_comune: BTreeMap<&str, Vec<&PeriodRow>> = BTreeMap::new();
    for r in rows {
        by_comune.entry(&r.comune).or_default().push(r);
    }
    let (mut total, mut total_budget) = (Measures::default(), None);
    for periods in by_comune.values() {
        let (measures, budget) = match periods.iter().find(|r| r.period == YEAR) {
            Some(year_row) => (year_row.measures, year_row.budget),
            None => {
                let (mut acc, mut budget) = (Measures::default(), None);
                for r in periods {
                    for m in Measure::ALL {
                        if let Some(x) = r.measures.get(m) {
                            acc.set(m, Some(acc.get(m).map_or(x, |a| if m.is_stock() { a.max(x) } else { a + x })));
                        }
                    }
                    budget = add(budget, r.budget);
                }
                (acc, budget)
            }
        };
        for m in Measure::ALL {
            total.set(m, add(total.get(m), measures.get(m)));
        }
        total_budget = add(total_budget, budget);
    }
    (total, total_budget)
}

fn add(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, None) => a,
        (None, b) => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(comune: &str, period: &str, utenti: Option<i64>, accessi: Option<i64>, budget: Option<i64>) -> PeriodRow {
        let mut measures = Measures::default();
        measures.set(Measure::Utenti, utenti.map(Decimal::from));
        measures.set(Measure::Accessi, accessi.map(Decimal::from));
        PeriodRow { comune: comune.into(), period: period.into(), measures, budget: budget.map(Decimal::from) }
    }

    #[test]
    fn months_add_events_and_keep_the_largest_head_count() {
        let rows = [
            row("", "M01", Some(10), Some(5), Some(100)),
            row("", "M02", Some(12), Some(7), None),
            row("", "M03", Some(8), None, Some(50)),
        ];
        let (m, budget) = roll_up_year(&rows);
        assert_eq!(m.get(Measure::Utenti), Some(Decimal::from(12)));
        assert_eq!(m.get(Measure::Accessi), Some(Decimal::from(12)));
        assert_eq!(budget, Some(Decimal::from(150)));
        assert_eq!(m.get(Measure::Domande), None, "never reported stays blank");
    }

    #[test]
    fn a_year_row_wins_over_the_periods_of_its_comune() {
        let rows = [
            row("016024", "S1", Some(50), Some(500), None),
            row("016024", "Y", Some(30), Some(40), Some(9)),
            row("016024", "S2", Some(60), Some(600), None),
        ];
        let (m, budget) = roll_up_year(&rows);
        assert_eq!(m.get(Measure::Utenti), Some(Decimal::from(30)));
        assert_eq!(m.get(Measure::Accessi), Some(Decimal::from(40)));
        assert_eq!(budget, Some(Decimal::from(9)));
    }

    #[test]
    fn comuni_add_up_people_included() {
        let rows = [row("A", "Y", Some(3), None, None), row("B", "M01", Some(4), Some(1), None), row("B", "M02", Some(2), Some(1), None)];
        let (m, budget) = roll_up_year(&rows);
        assert_eq!(m.get(Measure::Utenti), Some(Decimal::from(7)));
        assert_eq!(m.get(Measure::Accessi), Some(Decimal::from(2)));
        assert_eq!(budget, None);
        assert_eq!(roll_up_year(&[]), (Measures::default(), None));
    }
}
