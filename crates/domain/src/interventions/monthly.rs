//! The plan set against what was delivered, month by month. A month's planned quantity is the
//! plan per month in proportion to the days it was in force (started, not ended, not suspended);
//! a month outside the intervention, or an intervention without a plan, has a blank (`None`), and
//! a blank is not a zero: the difference is blank too.

use super::calendar::{Month, day_number};
use super::suspension::{Span, suspended_on};
use crate::date::Day;
use crate::format::round_half_up;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy)]
pub struct Plan<'a> {
    pub per_month: Option<Decimal>,
    pub start: Day,
    pub end: Option<Day>,
    pub suspensions: &'a [Span],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    pub planned: Option<Decimal>,
    pub delivered: Decimal,
    /// Delivered minus planned; blank when nothing was planned.
    pub difference: Option<Decimal>,
    /// Days of the month the intervention was suspended.
    pub suspended_days: i64,
}

/// One row per month, from the start (or the first delivery, if earlier) to the end, or to
/// `until`'s month while the intervention runs (or the last delivery, if later).
/// `deliveries` are (day, quantity in the plan's unit).
pub fn planned_vs_delivered(plan: &Plan, deliveries: &[(Day, Decimal)], until: Day) -> Vec<MonthRow> {
    let mut first = Month::of(plan.start);
    let mut last = Month::of(plan.end.unwrap_or(until)).max(first);
    for (d, _) in deliveries {
        first = first.min(Month::of(*d));
        last = last.max(Month::of(*d));
    }
    let mut out = Vec::new();
    let mut m = first;
    // At most a few hundred months; the bound guards against a corrupted year.
    while m <= last && out.len() < 1200 {
        out.push(month_row(plan, deliveries, m));
        m = m.next();
    }
    out
}

fn month_row(plan: &Plan, deliveries: &[(Day, Decimal)], m: Month) -> MonthRow {
    let delivered: Decimal = deliveries.iter().filter(|(d, _)| Month::of(*d) == m).map(|(_, q)| *q).sum();
    let (mut in_force, mut active, mut suspended) = (0i64, 0i64, 0i64);
    if let (Some(a), Some(b)) = (m.first(), m.last()) {
        let (a, b) = (day_number(a), day_number(b));
        let from = a.max(day_number(plan.start));
        let to = plan.end.map_or(b, |e| b.min(day_number(e)));
        for n in from..=to {
            in_force += 1;
            let Some(d) = super::calendar::from_day_number(n) else { continue };
            if suspended_on(plan.suspensions, d) {
                suspended += 1;
            } else {
                active += 1;
            }
        }
    }
    let planned = match plan.per_month {
        Some(p) if in_force > 0 => Some(round_half_up(p * Decimal::from(active) / Decimal::from(m.days().max(1)), 2).normalize()),
        _ => None,
    };
    MonthRow {
        month: m.label(),
        planned,
        delivered: delivered.normalize(),
        difference: planned.map(|p| (delivered - p).normalize()),
        suspended_days: suspended,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interventions::calendar::day;

    fn d(s: &str) -> Day {
        day(s).expect("day")
    }
    fn dec(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn whole_months_get_the_plan_and_the_difference() {
        let plan = Plan { per_month: Some(dec("20")), start: d("2025-01-01"), end: Some(d("2025-03-31")), suspensions: &[] };
        let deliveries = [(d("2025-01-10"), dec("12")), (d("2025-01-20"), dec("6.5")), (d("2025-03-02"), dec("25"))];
        let rows = planned_vs_delivered(&plan, &deliveries, d("2025-06-30"));
        let got: Vec<_> = rows.iter().map(|r| (r.month.as_str(), r.planned, r.delivered, r.difference)).collect();
        assert_eq!(
            got,
            vec![
                ("2025-01", Some(dec("20")), dec("18.5"), Some(dec("-1.5"))),
                ("2025-02", Some(dec("20")), dec("0"), Some(dec("-20"))),
                ("2025-03", Some(dec("20")), dec("25"), Some(dec("5"))),
            ]
        );
    }

    #[test]
    fn partial_and_suspended_months_are_in_proportion_to_the_days_in_force() {
        let spans = [Span { from: d("2025-04-16"), to: Some(d("2025-05-01")) }];
        let plan = Plan { per_month: Some(dec("30")), start: d("2025-03-17"), end: None, suspensions: &spans };
        let rows = planned_vs_delivered(&plan, &[], d("2025-05-10"));
        assert_eq!(rows.len(), 3);
        // 15 of March's 31 days: 30 × 15 / 31 = 14.516… → 14.52.
        assert_eq!(rows[0].planned, Some(dec("14.52")));
        // April: suspended the 16th to the 30th, 15 active days of 30.
        assert_eq!((rows[1].planned, rows[1].suspended_days), (Some(dec("15")), 15));
        assert_eq!(rows[2].planned, Some(dec("30")), "resumed on 1 May");
    }

    #[test]
    fn a_blank_plan_is_not_a_zero() {
        let plan = Plan { per_month: None, start: d("2025-01-01"), end: None, suspensions: &[] };
        let rows = planned_vs_delivered(&plan, &[(d("2025-01-05"), dec("2"))], d("2025-01-31"));
        assert_eq!(rows[0].planned, None);
        assert_eq!(rows[0].difference, None);
        assert_eq!(rows[0].delivered, dec("2"));
        // A month fully suspended has a plan of zero, not a blank.
        let spans = [Span { from: d("2025-02-01"), to: None }];
        let plan = Plan { per_month: Some(dec("10")), start: d("2025-01-01"), end: None, suspensions: &spans };
        let rows = planned_vs_delivered(&plan, &[], d("2025-02-20"));
        assert_eq!(rows[1].planned, Some(dec("0")));
    }

    #[test]
    fn deliveries_outside_the_intervention_show_with_a_blank_plan() {
        let plan = Plan { per_month: Some(dec("8")), start: d("2025-02-01"), end: Some(d("2025-02-28")), suspensions: &[] };
        let rows = planned_vs_delivered(&plan, &[(d("2025-01-15"), dec("1")), (d("2025-04-01"), dec("1"))], d("2025-12-31"));
        let months: Vec<_> = rows.iter().map(|r| (r.month.as_str(), r.planned)).collect();
        assert_eq!(months, vec![("2025-01", None), ("2025-02", Some(dec("8"))), ("2025-03", None), ("2025-04", None)]);
    }
}
