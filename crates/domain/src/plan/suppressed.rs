//! Small-cell suppression applied to the plan, for readers who see the annual report only in its
//! suppressed form (evaluators): an indicator's figures are hidden whenever they would show, or
//! let a reader work out, a count of people that the suppressed report hides.
//!
//! - A linked indicator is hidden when the report cell it reads is hidden in the suppressed
//!   report (primary and secondary suppression, exactly as the evaluator's report CSV), and,
//!   when it reads a count of people, also when its own (possibly frozen) count is small.
//! - A typed indicator is taken to count people, since the plan does not say what it counts: its
//!   count (the value of a count, the numerator of a percentage or rate, the raw figure of a %
//!   change) is hidden when small, and so is a percentage over a small denominator.
//! - A value derived from a hidden count (a % change, a rate, the achievement) goes with it.
//! - Scores, milestones and targets are not counts of people and are shown.

use super::MeasureType;
use crate::suppression::is_small;
use rust_decimal::Decimal;

/// Measures whose observation is a count.
fn counts(measure: MeasureType) -> bool {
    matches!(measure, MeasureType::Count | MeasureType::Percentage | MeasureType::ChangePct | MeasureType::Per1000)
}

/// Whether an indicator's value (and whatever is derived from it) is hidden from a reader of
/// suppressed figures. `counts_people`: a typed value, or a link reading a count of people;
/// `link_hidden`: the suppressed report hides the cell the link reads.
pub fn value_hidden(
    measure: MeasureType,
    counts_people: bool,
    observed: Option<Decimal>,
    denominator: Option<Decimal>,
    link_hidden: bool,
    threshold: u32,
) -> bool {
    if link_hidden {
        return true;
    }
    if !counts_people || !counts(measure) {
        return false;
    }
    is_small(observed, threshold) || (measure == MeasureType::Percentage && is_small(denominator, threshold))
}

/// Whether an indicator's baseline is hidden: the baselines that are counts (of a count, and the
/// raw figure a % change starts from) follow the primary rule.
pub fn baseline_hidden(measure: MeasureType, counts_people: bool, baseline: Option<Decimal>, threshold: u32) -> bool {
    counts_people && matches!(measure, MeasureType::Count | MeasureType::ChangePct) && is_small(baseline, threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: i64) -> Option<Decimal> {
        Some(Decimal::from(v))
    }

    #[test]
    fn small_counts_of_people_are_hidden_with_what_derives_from_them() {
        for m in [MeasureType::Count, MeasureType::ChangePct, MeasureType::Per1000, MeasureType::Percentage] {
            assert!(value_hidden(m, true, d(2), None, false, 3), "{m:?}");
            assert!(value_hidden(m, true, d(1), d(40), false, 3), "{m:?}");
            assert!(!value_hidden(m, true, d(3), d(40), false, 3), "{m:?}");
            assert!(!value_hidden(m, true, d(0), None, false, 3), "a zero reveals no one: {m:?}");
        }
        assert!(value_hidden(MeasureType::Percentage, true, d(1), d(2), false, 3), "a share of two people");
        assert!(!value_hidden(MeasureType::Per1000, true, d(30), d(2), false, 3), "a rate's population is not a share");
    }

    #[test]
    fn the_report_decides_for_linked_figures() {
        // Hidden in the suppressed report (e.g. by secondary suppression): hidden whatever it is.
        assert!(value_hidden(MeasureType::Count, true, d(40), None, true, 3));
        assert!(value_hidden(MeasureType::Count, false, d(40), None, true, 3));
        // Hours or budget are not counts of people: a small one is shown, as in the report.
        assert!(!value_hidden(MeasureType::Count, false, d(2), None, false, 3));
    }

    #[test]
    fn scores_and_milestones_are_shown() {
        assert!(!value_hidden(MeasureType::Questionnaire, true, d(2), None, false, 3));
        assert!(!value_hidden(MeasureType::Milestone, true, d(1), None, false, 3));
        assert!(!value_hidden(MeasureType::Test, true, d(2), None, false, 3));
    }

    #[test]
    fn count_baselines_follow_the_primary_rule() {
        assert!(baseline_hidden(MeasureType::Count, true, d(2), 3));
        assert!(baseline_hidden(MeasureType::ChangePct, true, d(1), 3));
        assert!(!baseline_hidden(MeasureType::Count, true, d(12), 3));
        assert!(!baseline_hidden(MeasureType::Percentage, true, d(2), 3), "a percentage is not a count");
        assert!(!baseline_hidden(MeasureType::Count, false, d(2), 3), "hours, budget");
    }
}
