//! Descriptive statistics and Welch's interval in `Decimal`: no binary float ever reaches a
//! published figure. Square roots use Newton's iteration, which converges quadratically and
//! stops when two successive estimates agree to 24 decimals.

use crate::value::{Blank, Value};
use rust_decimal::Decimal;

/// √a for a ≥ 0 (a negative input, impossible for a variance, gives 0).
pub fn sqrt(a: Decimal) -> Decimal {
    if a <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let two = Decimal::TWO;
    let tolerance = Decimal::new(1, 24);
    // Any positive start converges; max(a, 1) is never below the root, so the sequence decreases.
    let mut x = a.max(Decimal::ONE);
    for _ in 0..200 {
        let next = (x + a / x) / two;
        if (next - x).abs() <= tolerance {
            return next;
        }
        x = next;
    }
    x
}

pub fn mean(xs: &[Decimal]) -> Option<Decimal> {
    if xs.is_empty() {
        return None;
    }
    Some(xs.iter().sum::<Decimal>() / Decimal::from(xs.len()))
}

/// The middle value, or the mean of the two middle values for an even count.
pub fn median(xs: &[Decimal]) -> Option<Decimal> {
    if xs.is_empty() {
        return None;
    }
    let mut sorted = xs.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / Decimal::TWO })
}

/// Sample variance (denominator n − 1); none below two values.
pub fn variance(xs: &[Decimal]) -> Option<Decimal> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    let ss: Decimal = xs.iter().map(|x| (*x - m) * (*x - m)).sum();
    Some(ss / Decimal::from(xs.len() - 1))
}

/// What a wave comparison needs of one sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moments {
    pub n: usize,
    pub mean: Option<Decimal>,
    pub variance: Option<Decimal>,
}

impl Moments {
    pub fn of(xs: &[Decimal]) -> Moments {
        Moments { n: xs.len(), mean: mean(xs), variance: variance(xs) }
    }
}

/// Two-sided 95% critical values of Student's t, t(0.975; df), to three decimals as printed in
/// every statistics textbook table. Between rows we take the row for the next *lower* df, which
/// gives a slightly wider (conservative) interval; past 1000 df we use the normal 1.960.
const T_975: [(u32, &str); 37] = [
    (1, "12.706"),
    (2, "4.303"),
    (3, "3.182"),
    (4, "2.776"),
    (5, "2.571"),
    (6, "2.447"),
    (7, "2.365"),
    (8, "2.306"),
    (9, "2.262"),
    (10, "2.228"),
    (11, "2.201"),
    (12, "2.179"),
    (13, "2.160"),
    (14, "2.145"),
    (15, "2.131"),
    (16, "2.120"),
    (17, "2.110"),
    (18, "2.101"),
    (19, "2.093"),
    (20, "2.086"),
    (21, "2.080"),
    (22, "2.074"),
    (23, "2.069"),
    (24, "2.064"),
    (25, "2.060"),
    (26, "2.056"),
    (27, "2.052"),
    (28, "2.048"),
    (29, "2.045"),
    (30, "2.042"),
    (40, "2.021"),
    (50, "2.009"),
    (60, "2.000"),
    (80, "1.990"),
    (100, "1.984"),
    (120, "1.980"),
    (200, "1.972"),
];

/// t(0.975; df) for a possibly fractional df ≥ 1 (Welch's df is fractional).
pub fn t_critical_95(df: Decimal) -> Decimal {
    // Repeating decimals leave noise in the last digits (an exact 3 comes out as 2,999…9): round
    // to 9 decimals before choosing the row.
    let whole = df.round_dp(9).floor();
    if whole >= Decimal::from(1000) {
        return Decimal::new(1960, 3);
    }
    if whole >= Decimal::from(500) {
        return Decimal::new(1965, 3);
    }
    let mut chosen = T_975[0].1;
    for (row_df, value) in T_975 {
        if Decimal::from(row_df) <= whole {
            chosen = value;
        }
    }
    chosen.parse().unwrap_or(Decimal::new(12706, 3))
}

/// Difference of means (b − a) with its 95% Welch interval.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    pub difference: Value,
    pub low: Value,
    pub high: Value,
    /// Welch–Satterthwaite degrees of freedom and the critical value used, shown with the result.
    pub df: Value,
    pub t: Value,
}

impl Difference {
    fn blank(difference: Value, why: &str) -> Difference {
        let b = || Value::Blank(Blank::NotComputable(why.to_string()));
        Difference { difference, low: b(), high: b(), df: b(), t: b() }
    }
}

/// Welch's unequal-variances interval for mean(b) − mean(a):
/// se² = s²a/na + s²b/nb; df = se⁴ / ((s²a/na)²/(na−1) + (s²b/nb)²/(nb−1)); CI = d ± t(0.975; df)·se.
pub fn welch(a: &Moments, b: &Moments) -> Difference {
    let (Some(ma), Some(mb)) = (a.mean, b.mean) else {
        return Difference::blank(
            Value::Blank(Blank::NotComputable("nessuna risposta in una delle due ondate".into())),
            "nessuna risposta in una delle due ondate",
        );
    };
    let difference = Value::Number(mb - ma);
    let (Some(va), Some(vb)) = (a.variance, b.variance) else {
        return Difference::blank(difference, "serve almeno due risposte per ondata");
    };
    let qa = va / Decimal::from(a.n);
    let qb = vb / Decimal::from(b.n);
    let se2 = qa + qb;
    if se2.is_zero() {
        return Difference::blank(difference, "varianza nulla in entrambe le ondate");
    }
    let den = qa * qa / Decimal::from(a.n - 1) + qb * qb / Decimal::from(b.n - 1);
    let df = se2 * se2 / den;
    let t = t_critical_95(df);
    let half = t * sqrt(se2);
    Difference {
        difference,
        low: Value::Number(mb - ma - half),
        high: Value::Number(mb - ma + half),
        df: Value::Number(df),
        t: Value::Number(t),
    }
}
