//! How an indicator's value is formed, how far it has come towards its target, and the status
//! that follows. Pure arithmetic on `Decimal`; a missing or undividable figure is a blank with a
//! reason, never a zero.

use super::{Direction, MeasureType};
use crate::value::{Blank, Value};
use rust_decimal::Decimal;
use serde::Serialize;

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// `(current − baseline) / baseline × 100`.
pub fn pct_change(current: Option<Decimal>, baseline: Option<Decimal>) -> Value {
    let Some(c) = current else { return Value::Blank(Blank::NotRecorded("valore rilevato".into())) };
    let Some(b) = baseline else { return Value::Blank(Blank::NotRecorded("valore di partenza".into())) };
    if b.is_zero() {
        return Value::Blank(Blank::DivisionByZero("valore di partenza".into()));
    }
    match ((c - b) * HUNDRED).checked_div(b) {
        Some(v) => Value::Number(v),
        None => Value::Blank(Blank::DivisionByZero("valore di partenza".into())),
    }
}

/// `count × 1000 / population`.
pub fn per_thousand(count: Option<Decimal>, population: Option<Decimal>) -> Value {
    let Some(c) = count else { return Value::Blank(Blank::NotRecorded("valore rilevato".into())) };
    let Some(p) = population else { return Value::Blank(Blank::NoTarget) };
    match (c * Decimal::ONE_THOUSAND).checked_div(p) {
        Some(v) if !p.is_zero() => Value::Number(v),
        _ => Value::Blank(Blank::DivisionByZero("popolazione target".into())),
    }
}

/// The indicator's value from what was observed: the observation itself for counts,
/// percentages, scores and milestones (1 = reached); the change against the baseline for
/// `change_pct`; the rate on the target population for `per_1000`.
pub fn indicator_value(measure: MeasureType, observed: Option<Decimal>, baseline: Option<Decimal>, population: Option<Decimal>) -> Value {
    match measure {
        MeasureType::ChangePct => pct_change(observed, baseline),
        MeasureType::Per1000 => per_thousand(observed, population),
        _ => match observed {
            Some(v) => Value::Number(v),
            None => Value::Blank(Blank::NotRecorded("valore rilevato".into())),
        },
    }
}

/// How much of the way from the starting point to the target has been covered: 1 = reached
/// (it can exceed 1 or be negative). `None` when there is no target or it cannot be judged.
///
/// - milestone: 1 when reached (value ≥ 1), else 0;
/// - `change_pct`: the value already measures from the baseline, so it is `value / target`;
/// - with a baseline: `(value − baseline) / (target − baseline)`;
/// - without one: `value / target` when aiming up, `target / value` when aiming down.
///
/// A target equal to its starting point means "hold": 1 when held, else 0.
pub fn achievement(
    measure: MeasureType,
    direction: Direction,
    value: Decimal,
    baseline: Option<Decimal>,
    target: Option<Decimal>,
) -> Option<Decimal> {
    if measure == MeasureType::Milestone {
        return Some(if value >= Decimal::ONE { Decimal::ONE } else { Decimal::ZERO });
    }
    let target = target?;
    let held = |v: Decimal, t: Decimal| {
        let ok = match direction {
            Direction::Up => v >= t,
            Direction::Down => v <= t,
        };
        Some(if ok { Decimal::ONE } else { Decimal::ZERO })
    };
    let start = if measure == MeasureType::ChangePct { Some(Decimal::ZERO) } else { baseline };
    match start {
        Some(b) if target == b => held(value, target),
        Some(b) => (value - b).checked_div(target - b),
        None => match direction {
            Direction::Up if target.is_zero() => held(value, target),
            Direction::Up => value.checked_div(target),
            Direction::Down if value <= target => Some(Decimal::ONE),
            Direction::Down => target.checked_div(value),
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTrack,
    AtRisk,
    OffTrack,
    NoData,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::OnTrack, Status::AtRisk, Status::OffTrack, Status::NoData];

    pub fn code(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::NoData => "no_data",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::OnTrack => "In linea",
            Status::AtRisk => "A rischio",
            Status::OffTrack => "Fuori linea",
            Status::NoData => "Dato mancante",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Share of the plan's semesters elapsed at the end of a round: for 2021-2023 the first half of
/// 2022 ends the third of six semesters, so half the way is expected. Between 1/6 and 1.
pub fn expected_progress(first_year: i32, last_year: i32, year: i32, half: u8) -> Decimal {
    let total = i64::from((last_year - first_year + 1).max(1)) * 2;
    let elapsed = (i64::from(year - first_year) * 2 + i64::from(half.clamp(1, 2))).clamp(1, total);
    Decimal::from(elapsed) / Decimal::from(total)
}

/// The last day of a round's semester, `YYYY-06-30` or `YYYY-12-31`.
pub fn half_end(year: i32, half: u8) -> String {
    if half == 1 { format!("{year:04}-06-30") } else { format!("{year:04}-12-31") }
}

/// On track when the achievement keeps pace with the time elapsed; at risk down to three
/// quarters of that pace; off track below. Milestones are on track once reached, at risk until
/// their date, off track after it. No value or no target: no data.
pub fn status(
    measure: MeasureType,
    achievement: Option<Decimal>,
    expected: Decimal,
    round_end: &str,
    milestone_date: Option<&str>,
) -> Status {
    let Some(a) = achievement else { return Status::NoData };
    if measure == MeasureType::Milestone {
        return if a >= Decimal::ONE {
            Status::OnTrack
        } else if milestone_date.is_some_and(|d| d <= round_end) {
            Status::OffTrack
        } else {
            Status::AtRisk
        };
    }
    if a >= expected {
        Status::OnTrack
    } else if a * Decimal::from(4) >= expected * Decimal::from(3) {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

/// Judges one value: its achievement and status in a round.
pub struct Judgement {
    pub achievement: Option<Decimal>,
    pub status: Status,
}

#[allow(clippy::too_many_arguments)]
pub fn judge(
    measure: MeasureType,
    direction: Direction,
    value: &Value,
    baseline: Option<Decimal>,
    target: Option<Decimal>,
    target_date: Option<&str>,
    plan_years: (i32, i32),
    round: (i32, u8),
) -> Judgement {
    let achievement = value.number().and_then(|v| achievement(measure, direction, v, baseline, target));
    let expected = expected_progress(plan_years.0, plan_years.1, round.0, round.1);
    let status = status(measure, achievement, expected, &half_end(round.0, round.1), target_date);
    Judgement { achievement, status }
}

/// A suggestion for the evaluation card's degree of achievement: the mean of the indicators'
/// achievements, each held between 0 and 100%. `None` when no indicator could be judged.
pub fn suggested_achievement_pct(achievements: &[Decimal]) -> Option<Decimal> {
    if achievements.is_empty() {
        return None;
    }
    let sum: Decimal = achievements.iter().map(|a| (*a).clamp(Decimal::ZERO, Decimal::ONE)).sum();
    Some(sum * HUNDRED / Decimal::from(achievements.len()))
}

/// Match between allocated and committed (or paid) resources: `spent / allocated × 100`.
pub fn resource_match_pct(allocated: Option<Decimal>, spent: Option<Decimal>) -> Value {
    let Some(a) = allocated else { return Value::Blank(Blank::NotRecorded("risorse stanziate".into())) };
    let Some(s) = spent else { return Value::Blank(Blank::NotRecorded("risorse impegnate".into())) };
    match (s * HUNDRED).checked_div(a) {
        Some(v) if !a.is_zero() => Value::Number(v),
        _ => Value::Blank(Blank::DivisionByZero("risorse stanziate".into())),
    }
}

/// A frozen value and today's recomputation differ: the correction to show (`live − frozen`).
/// A value that appeared or disappeared is a correction too, reported without a difference.
pub fn correction(frozen: &Value, live: &Value) -> Option<Option<Decimal>> {
    match (frozen.number(), live.number()) {
        (Some(f), Some(l)) if f != l => Some(Some(l - f)),
        (Some(_), Some(_)) | (None, None) => None,
        _ => Some(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    #[test]
    fn change_against_baseline() {
        assert_eq!(pct_change(Some(d("115")), Some(d("100"))), Value::Number(d("15")));
        assert_eq!(pct_change(Some(d("90")), Some(d("120"))).number(), Some(d("-25")));
        // 7 → 8 is +14.2857…%, shown 14,3%.
        let v = pct_change(Some(d("8")), Some(d("7"))).number().unwrap();
        assert_eq!(crate::format::it_number(v, 1), "14,3");
        assert_eq!(pct_change(Some(d("5")), Some(d("0"))), Value::Blank(Blank::DivisionByZero("valore di partenza".into())));
        assert!(matches!(pct_change(Some(d("5")), None), Value::Blank(Blank::NotRecorded(_))));
        assert!(matches!(pct_change(None, Some(d("5"))), Value::Blank(Blank::NotRecorded(_))));
    }

    #[test]
    fn rate_per_thousand() {
        // 109 SAD users over 3.580 residents aged 75+ = 30,4469… per 1.000, shown 30,45.
        let v = per_thousand(Some(d("109")), Some(d("3580"))).number().unwrap();
        assert_eq!(crate::format::it_number(v, 2), "30,45");
        assert_eq!(per_thousand(Some(d("1")), None), Value::Blank(Blank::NoTarget));
        assert!(matches!(per_thousand(Some(d("1")), Some(d("0"))), Value::Blank(Blank::DivisionByZero(_))));
    }

    #[test]
    fn value_by_measure_type() {
        assert_eq!(indicator_value(MeasureType::Count, Some(d("12")), Some(d("3")), None), Value::Number(d("12")));
        assert_eq!(indicator_value(MeasureType::ChangePct, Some(d("12")), Some(d("10")), None), Value::Number(d("20")));
        assert_eq!(indicator_value(MeasureType::Per1000, Some(d("3")), None, Some(d("1500"))), Value::Number(d("2")));
        assert!(matches!(indicator_value(MeasureType::Milestone, None, None, None), Value::Blank(_)));
    }

    #[test]
    fn achievement_from_baseline_to_target() {
        use Direction::*;
        use MeasureType::*;
        // From 40 to 60: at 50 half the way.
        assert_eq!(achievement(Count, Up, d("50"), Some(d("40")), Some(d("60"))), Some(d("0.5")));
        // Reduce from 30 to 20: at 25 half the way; at 35 it went backwards.
        assert_eq!(achievement(Count, Down, d("25"), Some(d("30")), Some(d("20"))), Some(d("0.5")));
        assert_eq!(achievement(Count, Down, d("35"), Some(d("30")), Some(d("20"))), Some(d("-0.5")));
        // No baseline: 45 of 60 = 0,75; reduce to 20 and now 40: 0,5; already at 18: reached.
        assert_eq!(achievement(Count, Up, d("45"), None, Some(d("60"))), Some(d("0.75")));
        assert_eq!(achievement(Count, Down, d("40"), None, Some(d("20"))), Some(d("0.5")));
        assert_eq!(achievement(Count, Down, d("18"), None, Some(d("20"))), Some(d("1")));
        // A change of +5% towards +10%: half.
        assert_eq!(achievement(ChangePct, Up, d("5"), Some(d("120")), Some(d("10"))), Some(d("0.5")));
        // Hold at 100: held or not.
        assert_eq!(achievement(Percentage, Up, d("100"), Some(d("100")), Some(d("100"))), Some(d("1")));
        assert_eq!(achievement(Percentage, Up, d("98"), Some(d("100")), Some(d("100"))), Some(d("0")));
        assert_eq!(achievement(Milestone, Up, d("1"), None, None), Some(d("1")));
        assert_eq!(achievement(Milestone, Up, d("0"), None, None), Some(d("0")));
        assert_eq!(achievement(Count, Up, d("10"), None, None), None);
    }

    #[test]
    fn expected_progress_by_semester() {
        assert_eq!(expected_progress(2021, 2023, 2022, 1), d("0.5"));
        assert_eq!(expected_progress(2021, 2023, 2021, 1), Decimal::ONE / Decimal::from(6));
        assert_eq!(expected_progress(2021, 2023, 2023, 2), d("1"));
        assert_eq!(expected_progress(2021, 2023, 2025, 1), d("1"), "after the triennium (extension) the whole target is due");
        assert_eq!(half_end(2022, 1), "2022-06-30");
        assert_eq!(half_end(2022, 2), "2022-12-31");
    }

    #[test]
    fn status_against_pace() {
        use MeasureType::*;
        let e = d("0.5");
        assert_eq!(status(Count, Some(d("0.5")), e, "2022-06-30", None), Status::OnTrack);
        assert_eq!(status(Count, Some(d("0.375")), e, "2022-06-30", None), Status::AtRisk, "exactly 3/4 of the pace");
        assert_eq!(status(Count, Some(d("0.37")), e, "2022-06-30", None), Status::OffTrack);
        assert_eq!(status(Count, None, e, "2022-06-30", None), Status::NoData);
        assert_eq!(status(Milestone, Some(d("1")), e, "2022-06-30", Some("2022-03-31")), Status::OnTrack);
        assert_eq!(status(Milestone, Some(d("0")), e, "2022-06-30", Some("2022-03-31")), Status::OffTrack);
        assert_eq!(status(Milestone, Some(d("0")), e, "2022-06-30", Some("2022-12-31")), Status::AtRisk);
        assert_eq!(status(Milestone, Some(d("0")), e, "2022-06-30", None), Status::AtRisk);
    }

    #[test]
    fn judging_a_round() {
        // Plan 2021-2023, round 2022/1 (half the way expected): from 40 towards 60, now 48 → 0,4
        // of the way, at least 3/4 of 0,5 → at risk.
        let j =
            judge(MeasureType::Count, Direction::Up, &Value::Number(d("48")), Some(d("40")), Some(d("60")), None, (2021, 2023), (2022, 1));
        assert_eq!(j.achievement, Some(d("0.4")));
        assert_eq!(j.status, Status::AtRisk);
        let none =
            judge(MeasureType::Count, Direction::Up, &Value::Blank(Blank::NoTarget), None, Some(d("1")), None, (2021, 2023), (2022, 1));
        assert_eq!(none.status, Status::NoData);
    }

    #[test]
    fn evaluation_figures() {
        assert_eq!(suggested_achievement_pct(&[d("1"), d("0.5"), d("1.4"), d("-0.2")]), Some(d("62.5")));
        assert_eq!(suggested_achievement_pct(&[]), None);
        assert_eq!(resource_match_pct(Some(d("200000")), Some(d("190000"))), Value::Number(d("95")));
        assert!(matches!(resource_match_pct(Some(d("0")), Some(d("1"))), Value::Blank(Blank::DivisionByZero(_))));
        assert!(matches!(resource_match_pct(None, Some(d("1"))), Value::Blank(Blank::NotRecorded(_))));
    }

    #[test]
    fn corrections_after_freezing() {
        let n = |s: &str| Value::Number(d(s));
        assert_eq!(correction(&n("10"), &n("10")), None);
        assert_eq!(correction(&n("10"), &n("12.5")), Some(Some(d("2.5"))));
        assert_eq!(correction(&n("10"), &Value::Blank(Blank::NoTarget)), Some(None));
        assert_eq!(correction(&Value::Blank(Blank::NoTarget), &Value::Blank(Blank::NoPrevious)), None);
    }
}
