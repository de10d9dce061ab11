//! Every expected figure below is worked out by hand in the comments.

use super::stats::{sqrt, t_critical_95, welch};
use super::*;
use crate::format::round_half_up;

fn d(s: &str) -> Decimal {
    s.parse().expect("test literal")
}

fn num(v: &Value, dp: u32) -> Decimal {
    round_half_up(v.number().unwrap_or_else(|| panic!("expected a number, got {v:?}")), dp)
}

fn reason(v: &Value) -> String {
    match v {
        Value::Blank(b) => b.to_string(),
        Value::Number(n) => panic!("expected a blank, got {n}"),
    }
}

#[test]
fn reverse_coding_is_points_plus_one_minus_answer() {
    assert_eq!(score(5, true, 2), 4); // 5 + 1 − 2
    assert_eq!(score(5, true, 5), 1);
    assert_eq!(score(7, true, 1), 7); // 7 + 1 − 1
    assert_eq!(score(4, true, 4), 1); // 4 + 1 − 4
    assert_eq!(score(4, false, 3), 3);
}

#[test]
fn answers_and_points_are_checked() {
    assert_eq!(check_points(5), Ok(5));
    assert_eq!(check_points(6), Err(LikertError::Points(6)));
    assert_eq!(check_answer("A1", 5, 5), Ok(5));
    assert!(check_answer("A1", 5, 0).is_err());
    assert!(check_answer("A1", 5, 6).is_err());
    assert!(check_answer("A1", 4, -1).is_err());
    assert_eq!(check_answer("A1", 7, 8).unwrap_err().to_string(), "risposta «8» fuori scala per «A1»: ammessi i valori da 1 a 7");
}

#[test]
fn newton_square_root() {
    assert_eq!(sqrt(d("0")), d("0"));
    assert_eq!(round_half_up(sqrt(d("2")), 12), d("1.414213562373")); // √2 = 1.41421356237309…
    assert_eq!(round_half_up(sqrt(d("0.25")), 20), d("0.5"));
    assert_eq!(round_half_up(sqrt(d("1000000")), 20), d("1000"));
    assert_eq!(round_half_up(sqrt(d("0.0004")), 20), d("0.02"));
}

/// Three items of one scale on 5 points, the third reverse-coded, four respondents.
/// Scores after reverse coding (raw answer of item 3 = 6 − score):
///   r1: 4 5 4   total 13
///   r2: 3 3 2   total  8
///   r3: 5 4 5   total 14
///   r4: 2 3 3   total  8
fn three_items() -> (Design, Vec<Vec<Option<u8>>>) {
    let design = Design { points: 5, reverse: vec![false, false, true], scales: vec![vec![0, 1, 2]] };
    let raw = vec![
        vec![Some(4), Some(5), Some(2)],
        vec![Some(3), Some(3), Some(4)],
        vec![Some(5), Some(4), Some(1)],
        vec![Some(2), Some(3), Some(3)],
    ];
    (design, raw)
}

#[test]
fn item_figures() {
    let (design, raw) = three_items();
    let r = analyse(&design, Some(10), &raw);
    assert_eq!(r.responses, 4);
    assert_eq!(num(&r.response_rate, 1), d("40.0")); // 4 / 10
    let i1 = &r.items[0];
    // Item 1 scores 4 3 5 2: mean 14/4 = 3,5; sorted 2 3 4 5 → median (3+4)/2 = 3,5;
    // deviations .5 −.5 1.5 −1.5, squares sum 5, variance 5/3, sd √1,6667 = 1,2910.
    assert_eq!(i1.n, 4);
    assert_eq!(num(&i1.mean, 2), d("3.50"));
    assert_eq!(num(&i1.median, 2), d("3.50"));
    assert_eq!(num(&i1.sd, 4), d("1.2910"));
    assert_eq!(i1.distribution, vec![0, 1, 1, 1, 1]);
    assert_eq!(num(&i1.top2, 1), d("50.0")); // 4 and 5: 2 of 4
    // Item 3 is reverse-coded: raw 2 4 1 3 → scores 4 2 5 3, mean 3,5; top-2 {4,5} = 2/4.
    let i3 = &r.items[2];
    assert_eq!(num(&i3.mean, 2), d("3.50"));
    assert_eq!(i3.distribution, vec![0, 1, 1, 1, 1]);
    assert_eq!(num(&i3.top2, 1), d("50.0"));
    // Item 2 scores 5 3 4 3: mean 3,75; deviations 1.25 −.75 .25 −.75, squares 2,75, var 0,9167,
    // sd 0,9574; sorted 3 3 4 5 → median 3,5; top-2 = 2/4.
    let i2 = &r.items[1];
    assert_eq!(num(&i2.mean, 2), d("3.75"));
    assert_eq!(num(&i2.median, 1), d("3.5"));
    assert_eq!(num(&i2.sd, 4), d("0.9574"));
}

#[test]
fn scale_figures_and_cronbach_alpha() {
    let (design, raw) = three_items();
    let r = analyse(&design, Some(10), &raw);
    let s = &r.scales[0];
    // Item variances 5/3, 2,75/3, 5/3: sum 12,75/3 = 4,25.
    // Totals 13 8 14 8: mean 10,75; deviations 2.25 −2.75 3.25 −2.75, squares 30,75, variance 10,25.
    // alpha = 3/2 · (1 − 4,25/10,25) = 1,5 · 6/10,25 = 0,87805.
    assert_eq!(num(&s.alpha, 5), d("0.87805"));
    assert_eq!(s.items, 3);
    // Person means 13/3 8/3 14/3 8/3: mean 43/12 = 3,5833; sorted 8/3 8/3 13/3 14/3 → median
    // (8/3 + 13/3)/2 = 3,5; variance = 10,25/9 = 1,1389, sd 1,0672.
    assert_eq!(s.summary.n, 4);
    assert_eq!(num(&s.summary.mean, 4), d("3.5833"));
    assert_eq!(num(&s.summary.median, 4), d("3.5"));
    assert_eq!(num(&s.summary.sd, 4), d("1.0672"));
    // Pooled scores 4 5 4 3 3 2 5 4 5 2 3 3: ones 0, twos 2, threes 4, fours 3, fives 3 → top-2 6/12.
    assert_eq!(s.summary.distribution, vec![0, 2, 4, 3, 3]);
    assert_eq!(num(&s.summary.top2, 1), d("50.0"));
    // The overall score is the same set here.
    assert_eq!(num(&r.overall.mean, 4), d("3.5833"));
}

#[test]
fn listwise_deletion_for_scales_pairwise_for_items() {
    let (design, mut raw) = three_items();
    raw.push(vec![Some(1), None, Some(1)]);
    let r = analyse(&design, None, &raw);
    // Item 1 gains the fifth answer: scores 4 3 5 2 1 → n 5, mean 15/5 = 3.
    assert_eq!(r.items[0].n, 5);
    assert_eq!(num(&r.items[0].mean, 2), d("3.00"));
    // The scale keeps the four complete respondents: alpha unchanged.
    assert_eq!(r.scales[0].summary.n, 4);
    assert_eq!(num(&r.scales[0].alpha, 5), d("0.87805"));
    assert_eq!(reason(&r.response_rate), "dato non rilevato: numero di invitati");
}

#[test]
fn no_responses_at_all() {
    let (design, _) = three_items();
    let r = analyse(&design, Some(0), &[]);
    assert_eq!(r.responses, 0);
    assert_eq!(reason(&r.response_rate), "divisione per zero: numero di invitati è 0");
    let i = &r.items[0];
    assert_eq!(i.n, 0);
    assert_eq!(reason(&i.mean), "non calcolabile: nessuna risposta");
    assert_eq!(reason(&i.median), "non calcolabile: nessuna risposta");
    assert_eq!(reason(&i.sd), "non calcolabile: nessuna risposta");
    assert_eq!(reason(&i.top2), "non calcolabile: nessuna risposta");
    assert_eq!(i.distribution, vec![0; 5]);
    assert_eq!(reason(&r.scales[0].alpha), "non calcolabile: meno di due risposte complete");
}

#[test]
fn every_answer_missing() {
    let (design, _) = three_items();
    let r = analyse(&design, Some(4), &[vec![None, None, None], vec![None, None, None]]);
    assert_eq!(r.responses, 2);
    assert_eq!(num(&r.response_rate, 1), d("50.0")); // two questionnaires came back, blank
    assert_eq!(r.items[1].n, 0);
    assert_eq!(num(&r.items[1].response_rate, 1), d("0.0"));
    assert!(r.items[1].mean.number().is_none());
    assert_eq!(r.scales[0].summary.n, 0);
    assert!(r.overall.mean.number().is_none());
}

#[test]
fn a_single_response_has_a_mean_but_no_spread() {
    let (design, raw) = three_items();
    let r = analyse(&design, Some(1), &raw[..1]);
    assert_eq!(num(&r.items[0].mean, 2), d("4.00"));
    assert_eq!(reason(&r.items[0].sd), "non calcolabile: una sola risposta");
    assert_eq!(reason(&r.scales[0].alpha), "non calcolabile: meno di due risposte complete");
    let cmp = compare(&r.items[0], &r.items[0]);
    assert_eq!(cmp.difference, Value::Number(Decimal::ZERO));
    assert_eq!(reason(&cmp.low), "non calcolabile: serve almeno due risposte per ondata");
}

#[test]
fn zero_variance_leaves_alpha_blank() {
    let design = Design { points: 4, reverse: vec![false, false], scales: vec![vec![0, 1]] };
    let r = analyse(&design, None, &[vec![Some(3), Some(3)], vec![Some(3), Some(3)], vec![Some(3), Some(3)]]);
    assert_eq!(reason(&r.scales[0].alpha), "non calcolabile: varianza nulla del punteggio totale");
    assert_eq!(num(&r.scales[0].summary.sd, 2), d("0"));
    // 4 points: top-2-box is {3, 4}; all six scores are 3.
    assert_eq!(num(&r.scales[0].summary.top2, 1), d("100.0"));
}

#[test]
fn alpha_of_a_one_item_scale_is_blank() {
    let design = Design { points: 7, reverse: vec![false, true], scales: vec![vec![1]] };
    let r = analyse(&design, None, &[vec![Some(1), Some(7)], vec![Some(2), Some(6)]]);
    assert_eq!(reason(&r.scales[0].alpha), "non calcolabile: la scala ha un solo item");
    // Reverse on 7 points: 7 → 1, 6 → 2; mean 1,5; top-2-box {6, 7} = 0%.
    assert_eq!(num(&r.scales[0].summary.mean, 2), d("1.50"));
    assert_eq!(num(&r.scales[0].summary.top2, 1), d("0.0"));
    assert_eq!(r.scales[0].summary.distribution, vec![1, 1, 0, 0, 0, 0, 0]);
}

#[test]
fn welch_interval_by_hand() {
    // a = 3 4 5: mean 4, variance (1 + 0 + 1)/2 = 1.
    // b = 4 5 5 4: mean 4,5, variance (4 · 0,25)/3 = 1/3.
    // se² = 1/3 + (1/3)/4 = 5/12, se = 0,645497.
    // df = (5/12)² / ((1/3)²/2 + (1/12)²/3) = (25/144) / (25/432) = 3 → t = 3,182.
    // half width 3,182 · 0,645497 = 2,053972 → CI 0,5 ± 2,053972 = [−1,553972; 2,553972].
    let a = Moments::of(&[d("3"), d("4"), d("5")]);
    let b = Moments::of(&[d("4"), d("5"), d("5"), d("4")]);
    let r = welch(&a, &b);
    assert_eq!(num(&r.difference, 2), d("0.50"));
    assert_eq!(num(&r.df, 6), d("3"));
    assert_eq!(num(&r.t, 3), d("3.182"));
    assert_eq!(num(&r.low, 4), d("-1.5540"));
    assert_eq!(num(&r.high, 4), d("2.5540"));
}

#[test]
fn welch_with_one_constant_wave_uses_the_other_df() {
    // a = 2 2 2 (variance 0); b = 1 3 5 (mean 3, variance (4+0+4)/2 = 4).
    // se² = 0 + 4/3; df = (4/3)² / ((4/3)²/2) = 2 → t = 4,303; se = 1,154701;
    // half width 4,968677 → CI 1 ± 4,968677.
    let r = welch(&Moments::of(&[d("2"), d("2"), d("2")]), &Moments::of(&[d("1"), d("3"), d("5")]));
    assert_eq!(num(&r.df, 6), d("2"));
    assert_eq!(num(&r.low, 4), d("-3.9687"));
    assert_eq!(num(&r.high, 4), d("5.9687"));
    let flat = welch(&Moments::of(&[d("2"), d("2")]), &Moments::of(&[d("3"), d("3")]));
    assert_eq!(num(&flat.difference, 0), d("1"));
    assert_eq!(reason(&flat.low), "non calcolabile: varianza nulla in entrambe le ondate");
    let empty = welch(&Moments::of(&[]), &Moments::of(&[d("3"), d("3")]));
    assert_eq!(reason(&empty.difference), "non calcolabile: nessuna risposta in una delle due ondate");
}

#[test]
fn t_table_takes_the_lower_row_and_the_normal_value_for_large_samples() {
    assert_eq!(t_critical_95(d("1")), d("12.706"));
    assert_eq!(t_critical_95(d("3.99")), d("3.182"));
    assert_eq!(t_critical_95(d("30")), d("2.042"));
    assert_eq!(t_critical_95(d("45.2")), d("2.021"));
    assert_eq!(t_critical_95(d("150")), d("1.980"));
    assert_eq!(t_critical_95(d("700")), d("1.965"));
    assert_eq!(t_critical_95(d("5000")), d("1.960"));
}

#[test]
fn large_samples_approach_the_normal_interval() {
    // 600 answers per wave alternating 3 and 5 (mean 4, variance 600/599) against the same shifted
    // by one (mean 5): df ≈ 1198 → t = 1,960; se = √(2 · (600/599)/600) = 0,057783;
    // half width 1,96 · 0,057783 = 0,113255.
    let a: Vec<Decimal> = (0..600).map(|i| if i % 2 == 0 { d("3") } else { d("5") }).collect();
    let b: Vec<Decimal> = a.iter().map(|x| x + Decimal::ONE).collect();
    let r = welch(&Moments::of(&a), &Moments::of(&b));
    assert_eq!(num(&r.t, 3), d("1.960"));
    assert_eq!(num(&r.df, 0), d("1198"));
    assert_eq!(num(&r.low, 4), d("0.8867"));
    assert_eq!(num(&r.high, 4), d("1.1133"));
}

mod report_layout {
    use super::super::report::{Header, RowKind, WaveInput, WaveKind, build};
    use super::*;

    fn wave(kind: WaveKind, answers: Vec<Vec<Option<u8>>>) -> WaveInput {
        WaveInput { kind, opens_on: "2021-01-01".into(), closes_on: "2021-02-01".into(), invited: None, answers }
    }

    fn header() -> Header {
        Header { ambito_code: "A".into(), ambito_name: "A".into(), code: "Q".into(), title: "Q".into(), objective_code: None }
    }

    #[test]
    fn wave_names_people_type() {
        assert_eq!(WaveKind::parse("ex-ante"), Some(WaveKind::ExAnte));
        assert_eq!(WaveKind::parse("Ex post"), Some(WaveKind::ExPost));
        assert_eq!(WaveKind::parse("mid-term"), Some(WaveKind::Intermedia));
        assert_eq!(WaveKind::parse("intermedia"), Some(WaveKind::Intermedia));
        assert_eq!(WaveKind::parse("dopo"), None);
    }

    #[test]
    fn rows_are_items_then_scales_then_overall_and_waves_compare_first_with_last_answered() {
        let (design, raw) = three_items();
        let items: Vec<(String, String, bool, Option<String>)> =
            ["A", "B", "C"].iter().map(|c| (c.to_string(), c.to_string(), *c == "C", Some("S".to_string()))).collect();
        // Given out of order, with an unanswered mid-term wave: the comparison skips it.
        let waves =
            vec![wave(WaveKind::ExPost, raw[2..].to_vec()), wave(WaveKind::Intermedia, vec![]), wave(WaveKind::ExAnte, raw[..2].to_vec())];
        let r = build(header(), &design, &items, &[("S".into(), "Scala".into())], waves, vec![]);
        let kinds: Vec<RowKind> = r.rows.iter().map(|x| x.kind).collect();
        assert_eq!(kinds, vec![RowKind::Item, RowKind::Item, RowKind::Item, RowKind::Scale, RowKind::Overall]);
        assert_eq!(r.waves.iter().map(|w| w.kind).collect::<Vec<_>>(), vec![WaveKind::ExAnte, WaveKind::Intermedia, WaveKind::ExPost]);
        let c = r.comparison.as_ref().expect("comparison");
        assert_eq!((c.from, c.to), (WaveKind::ExAnte, WaveKind::ExPost));
        // Item A: ex ante 4 3 (mean 3,5), ex post 5 2 (mean 3,5) → difference 0.
        assert_eq!(num(&c.differences[0].difference, 2), d("0.00"));
        assert!(r.waves[0].alphas[3].is_some() && r.waves[0].alphas[0].is_none());
        // Overall of ex ante: means 13/3 and 8/3 → 3,5.
        assert_eq!(r.score(WaveKind::ExAnte, None).map(|v| num(&v, 2)), Some(d("3.50")));
        assert_eq!(r.score(WaveKind::ExAnte, Some("S")).map(|v| num(&v, 2)), Some(d("3.50")));
        assert_eq!(r.score(WaveKind::ExAnte, Some("X")), None);
        let single = build(header(), &design, &items, &[], vec![wave(WaveKind::ExAnte, raw)], vec![]);
        assert!(single.comparison.is_none(), "one wave: nothing to compare");
    }
}
