//! The plan as a reader of suppressed figures sees it: an evaluator reads the annual report only
//! with small counts of people hidden, so every plan surface they reach (pages, documents, trend
//! charts, the province comparison) hides the same counts and what derives from them. The rule
//! is `ambito_domain::plan::suppressed`; this module applies it to the views, once, before any
//! page or document is drawn from them. Plan files (JSON/XLSX) carry every figure for re-import
//! and are not offered to such readers at all.

use super::monitoring::RoundLine;
use super::view::PlanView;
use ambito_domain::plan::MeasureType;
use ambito_domain::plan::link::LinkRef;
use ambito_domain::plan::suppressed::{baseline_hidden, value_hidden};
use ambito_domain::suppression::{DEFAULT_THRESHOLD, hidden_text};
use ambito_store as store;
use rust_decimal::Decimal;

/// Which figures of the plan a reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    /// Every figure: staff with `report.read` in the Ambito, and the command line.
    All,
    /// Small counts of people hidden as in the suppressed report: evaluators.
    Suppressed,
}

/// What a hidden figure shows instead.
pub const HIDDEN_REASON: &str = "soppresso per la tutela delle persone";

fn dec(v: &Option<String>) -> Option<Decimal> {
    v.as_deref().and_then(|t| t.parse().ok())
}

fn measure(ind: &store::IndicatorRow) -> MeasureType {
    MeasureType::parse(&ind.measure).unwrap_or(MeasureType::Count)
}

/// A typed indicator is taken to count people (the plan does not say what it counts); a linked
/// one counts people when its report figure does. An unreadable link is treated as people.
pub(crate) fn counts_people(ind: &store::IndicatorRow) -> bool {
    ind.link.as_deref().is_none_or(|l| LinkRef::parse(l).map_or(true, |l| l.counts_people()))
}

/// Hides a small count baseline (shown as `<3`).
pub(crate) fn hide_baseline(ind: &mut store::IndicatorRow) {
    if baseline_hidden(measure(ind), counts_people(ind), dec(&ind.baseline_value), DEFAULT_THRESHOLD) {
        ind.baseline_value = Some(hidden_text(DEFAULT_THRESHOLD));
    }
}

/// The plan's cards with their count baselines suppressed.
pub(crate) fn suppress_plan(plan: &mut PlanView) {
    for card in &mut plan.cards {
        card.indicators.iter_mut().for_each(hide_baseline);
    }
}

/// Whether a line's figures are hidden; `link_hidden`: the suppressed report of the round's
/// year hides the cell the indicator is linked to.
pub(crate) fn line_hidden(line: &RoundLine, link_hidden: bool) -> bool {
    let ind = &line.indicator;
    let observed = line.observed.or_else(|| line.stored.as_ref().and_then(|s| dec(&s.observed)));
    let denominator = line.stored.as_ref().and_then(|s| dec(&s.denominator));
    value_hidden(measure(ind), counts_people(ind), observed, denominator, link_hidden, DEFAULT_THRESHOLD)
}

/// Hides a line's figures: observed, value, achievement, the correction of a closed round and
/// the numbers of what was typed or frozen. The status (on track, at risk, …) stays.
pub(crate) fn suppress_line(line: &mut RoundLine, link_hidden: bool) {
    hide_baseline(&mut line.indicator);
    if !line_hidden(line, link_hidden) {
        return;
    }
    line.observed = None;
    line.value = None;
    line.achievement = None;
    line.correction = None;
    line.blank = Some(format!("{} · {HIDDEN_REASON}", hidden_text(DEFAULT_THRESHOLD)));
    if let Some(s) = &mut line.stored {
        s.observed = None;
        s.denominator = None;
        s.value = None;
        s.blank_reason = None;
    }
}
