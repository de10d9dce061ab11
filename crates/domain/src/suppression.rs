//! Small-cell suppression for outputs shown to evaluators and the public.
//!
//! Primary suppression hides counts from 1 to `threshold - 1` (default: 1–2 shown as `<3`).
//! Secondary (complementary) suppression then makes sure no hidden cell can be recovered by
//! subtraction: in every additive relation `total = a + b + …` that is shown, the number of
//! hidden cells is never exactly one. Zeros are shown: a zero reveals no one.

use crate::measures::{Measure, Measures};
use crate::report::AnnualReport;
use rust_decimal::Decimal;

/// A relation `cells[total] = Σ cells[members]` that a reader could use to subtract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sum {
    pub total: usize,
    pub members: Vec<usize>,
}

pub const DEFAULT_THRESHOLD: u32 = 3;

/// Returns, for each cell, whether it must be hidden.
pub fn suppress(cells: &[Option<Decimal>], sums: &[Sum], threshold: u32) -> Vec<bool> {
    let limit = Decimal::from(threshold);
    let mut hidden: Vec<bool> = cells.iter().map(|c| c.is_some_and(|v| v > Decimal::ZERO && v < limit)).collect();
    // Each pass hides at least one more cell or stops, so this ends within `cells.len()` passes.
    loop {
        let mut changed = false;
        for sum in sums {
            let members = sum.members.iter().copied();
            let exposed = members.clone().chain([sum.total]).filter(|&i| hidden[i]).count();
            if exposed != 1 {
                continue;
            }
            // Hide the smallest member still shown (a blank cannot help a reader subtract: it
            // is unknown), else the total itself.
            let pick = members
                .filter(|&i| !hidden[i] && cells[i].is_some())
                .min_by_key(|&i| (cells[i].is_some_and(|v| v.is_zero()), cells[i]))
                .unwrap_or(sum.total);
            if !hidden[pick] {
                hidden[pick] = true;
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// The text shown in place of a hidden count.
pub fn hidden_text(threshold: u32) -> String {
    format!("<{threshold}")
}

/// A count the primary rule hides on its own: from 1 to `threshold - 1`.
pub fn is_small(v: Option<Decimal>, threshold: u32) -> bool {
    v.is_some_and(|v| v > Decimal::ZERO && v < Decimal::from(threshold))
}

/// The measures that count people: the ones suppression protects.
pub const PEOPLE: [Measure; 3] = [Measure::Utenti, Measure::Domande, Measure::Beneficiari];

/// What the suppressed copy of one report row hides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HiddenRow {
    /// By `Measure::index`.
    pub measures: [bool; 6],
    /// The figures derived from a hidden count (result indicator, budget per user).
    pub derived: bool,
}

impl HiddenRow {
    pub fn hides(&self, m: Measure) -> bool {
        self.measures[m.index()]
    }
}

/// The cells of an annual report that its suppressed copy (evaluators, the public) hides, row by
/// row in the report's order: every service of every area, then each area's total, then the
/// Ambito's. One decision for every output that shows the report's figures to such a reader:
/// the report's own CSV and page, and the plan indicators linked to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HiddenCells {
    pub rows: Vec<HiddenRow>,
}

impl HiddenCells {
    /// Primary suppression of small counts of people, then secondary suppression over the
    /// relations services → area total (roots only, as the totals add) → Ambito total.
    pub fn of(r: &AnnualReport, threshold: u32) -> HiddenCells {
        let mut measures: Vec<&Measures> = Vec::new();
        let mut roots_by_area: Vec<Vec<usize>> = Vec::new();
        for area in &r.areas {
            let mut roots = Vec::new();
            for row in &area.rows {
                if row.depth == 0 {
                    roots.push(measures.len());
                }
                measures.push(&row.figures.measures);
            }
            roots_by_area.push(roots);
        }
        let mut area_totals = Vec::new();
        for area in &r.areas {
            area_totals.push(measures.len());
            measures.push(&area.total.measures);
        }
        let grand = measures.len();
        measures.push(&r.total.measures);
        let mut sums: Vec<Sum> =
            roots_by_area.iter().zip(&area_totals).map(|(roots, &total)| Sum { total, members: roots.clone() }).collect();
        sums.push(Sum { total: grand, members: area_totals });
        let mut rows = vec![HiddenRow::default(); measures.len()];
        for m in PEOPLE {
            let cells: Vec<_> = measures.iter().map(|ms| ms.get(m)).collect();
            for (row, hide) in rows.iter_mut().zip(suppress(&cells, &sums, threshold)) {
                if hide {
                    row.measures[m.index()] = true;
                    row.derived = true;
                }
            }
        }
        HiddenCells { rows }
    }

    /// The row of service `code`, if the report has it.
    pub fn service(&self, r: &AnnualReport, code: &str) -> Option<HiddenRow> {
        let i = r.areas.iter().flat_map(|a| &a.rows).position(|row| row.code == code)?;
        self.rows.get(i).copied()
    }

    /// The total row of area `name`, if the report has it.
    pub fn area(&self, r: &AnnualReport, name: &str) -> Option<HiddenRow> {
        let services: usize = r.areas.iter().map(|a| a.rows.len()).sum();
        let i = r.areas.iter().position(|a| a.name == name)?;
        self.rows.get(services + i).copied()
    }

    /// The Ambito's total row.
    pub fn total(&self) -> HiddenRow {
        self.rows.last().copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: &[Option<i64>]) -> Vec<Option<Decimal>> {
        v.iter().map(|x| x.map(Decimal::from)).collect()
    }

    fn never_exactly_one_hidden(hidden: &[bool], sums: &[Sum]) -> bool {
        sums.iter().all(|s| s.members.iter().chain([&s.total]).filter(|&&i| hidden[i]).count() != 1)
    }

    #[test]
    fn one_small_cell_takes_the_smallest_neighbour_with_it() {
        // Services 2, 10, 5 in an area whose total 17 is shown: hiding only the 2 would let
        // anyone compute 17 - 10 - 5 = 2. The 5 (smallest other) is hidden as well.
        let cells = d(&[Some(2), Some(10), Some(5), Some(17)]);
        let sums = [Sum { total: 3, members: vec![0, 1, 2] }];
        let hidden = suppress(&cells, &sums, 3);
        assert_eq!(hidden, vec![true, false, true, false]);
        assert!(never_exactly_one_hidden(&hidden, &sums));
    }

    #[test]
    fn nothing_small_nothing_hidden_and_zeros_are_shown() {
        let cells = d(&[Some(0), Some(3), Some(40), Some(43)]);
        let sums = [Sum { total: 3, members: vec![0, 1, 2] }];
        assert_eq!(suppress(&cells, &sums, 3), vec![false; 4]);
    }

    #[test]
    fn a_lone_member_hides_the_total() {
        // Only one non-blank member: the total equals it, so the total goes too.
        let cells = d(&[Some(1), None, Some(1)]);
        let sums = [Sum { total: 2, members: vec![0, 1] }];
        let hidden = suppress(&cells, &sums, 3);
        assert_eq!(hidden, vec![true, false, true]);
    }

    #[test]
    fn secondary_suppression_propagates_up_the_hierarchy() {
        // Two areas and the Ambito total. Area A: 1 + 8 = 9; area B: 20 + 30 = 50; Ambito 59.
        // Hiding 1 hides 8 (its only neighbour); area A's total 9 stays (two hidden members).
        // Nothing in the Ambito relation is hidden, so nothing more is needed.
        let cells = d(&[Some(1), Some(8), Some(9), Some(20), Some(30), Some(50), Some(59)]);
        let sums = [Sum { total: 2, members: vec![0, 1] }, Sum { total: 5, members: vec![3, 4] }, Sum { total: 6, members: vec![2, 5] }];
        let hidden = suppress(&cells, &sums, 3);
        assert_eq!(hidden, vec![true, true, false, false, false, false, false]);
        // An area total of 2 is itself small: its partner area total must go as well.
        let cells = d(&[Some(1), Some(1), Some(2), Some(20), Some(30), Some(50), Some(52)]);
        let hidden = suppress(&cells, &sums, 3);
        assert!(hidden[0] && hidden[1] && hidden[2] && hidden[5], "{hidden:?}");
        assert!(never_exactly_one_hidden(&hidden, &sums));
    }

    #[test]
    fn the_threshold_is_configurable() {
        let cells = d(&[Some(4), Some(6), Some(10)]);
        let sums = [Sum { total: 2, members: vec![0, 1] }];
        assert_eq!(suppress(&cells, &sums, 3), vec![false, false, false]);
        assert_eq!(suppress(&cells, &sums, 5), vec![true, true, false]);
        assert_eq!(hidden_text(5), "<5");
    }
}
