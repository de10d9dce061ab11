//! Likert questionnaires: scoring and results of one wave, and the comparison of two waves.
//!
//! Rules (also in `docs/glossary.md`):
//! - an answer is a point 1..=P on a P-point scale (P = 4, 5 or 7); a reverse-coded item scores
//!   P + 1 − answer, so a higher score is always the better one;
//! - per item, the sample is the respondents who answered it (missing answers are left out);
//! - a respondent's score on a set of items (a multi-item scale, or all items for the overall
//!   score) is the mean of their item scores, and exists only if they answered every item of the
//!   set: **listwise deletion**, the same sample as Cronbach's alpha;
//! - a scale's distribution and top-2-box pool the item scores of those complete respondents;
//! - top-2-box is the share of scores in the two highest points;
//! - standard deviations are sample ones (n − 1); the wave comparison is Welch's interval
//!   (see [`stats::welch`]).

pub mod report;
pub mod stats;

use crate::value::{Blank, Value};
use rust_decimal::Decimal;
use serde::Serialize;
pub use stats::{Difference, Moments};

/// Allowed scale lengths.
pub const POINTS: [u8; 3] = [4, 5, 7];

/// An invalid design or answer; messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LikertError {
    #[error("scala a {0} punti non ammessa: usare 4, 5 o 7")]
    Points(i64),
    #[error("risposta «{answer}» fuori scala per «{item}»: ammessi i valori da 1 a {points}")]
    OutOfRange { item: String, answer: i64, points: u8 },
}

pub fn check_points(points: i64) -> Result<u8, LikertError> {
    u8::try_from(points).ok().filter(|p| POINTS.contains(p)).ok_or(LikertError::Points(points))
}

/// Validates a raw answer against the scale.
pub fn check_answer(item: &str, points: u8, answer: i64) -> Result<u8, LikertError> {
    u8::try_from(answer).ok().filter(|a| (1..=points).contains(a)).ok_or(LikertError::OutOfRange { item: item.to_string(), answer, points })
}

/// The score of a valid raw answer: reverse-coded items turn P into 1 and 1 into P.
pub fn score(points: u8, reverse: bool, answer: u8) -> u8 {
    if reverse { points + 1 - answer } else { answer }
}

/// What the analysis needs of a questionnaire: the scale length, the Likert items in order (is
/// each reverse-coded?) and the multi-item scales as lists of item positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Design {
    pub points: u8,
    pub reverse: Vec<bool>,
    pub scales: Vec<Vec<usize>>,
}

/// Figures of an item, a scale or the overall score in one wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Respondents counted: who answered the item, or who answered every item of the set.
    pub n: usize,
    /// n over the people invited, ×100.
    pub response_rate: Value,
    pub mean: Value,
    pub median: Value,
    pub sd: Value,
    /// Scores in the two highest points over all scores, ×100.
    pub top2: Value,
    /// Count of scores at each point 1..=P (pooled over the items for a set).
    pub distribution: Vec<usize>,
    /// The per-respondent scores' moments, for the wave comparison.
    #[serde(skip)]
    pub moments: Moments,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScaleSummary {
    pub summary: Summary,
    /// Cronbach's alpha over the complete respondents (listwise deletion).
    pub alpha: Value,
    pub items: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaveResults {
    pub responses: usize,
    pub invited: Option<u64>,
    pub response_rate: Value,
    pub items: Vec<Summary>,
    pub scales: Vec<ScaleSummary>,
    /// All Likert items together, as one set.
    pub overall: Summary,
}

fn not_computable(why: &str) -> Value {
    Value::Blank(Blank::NotComputable(why.to_string()))
}

fn no_answers() -> Value {
    not_computable("nessuna risposta")
}

/// count / invited × 100; a blank when nobody was declared invited.
pub fn rate(count: usize, invited: Option<u64>) -> Value {
    match invited {
        None => Value::Blank(Blank::NotRecorded("numero di invitati".into())),
        Some(0) => Value::Blank(Blank::DivisionByZero("numero di invitati".into())),
        Some(i) => Value::Number(Decimal::from(count) * Decimal::ONE_HUNDRED / Decimal::from(i)),
    }
}

fn opt(v: Option<Decimal>, why: impl Fn() -> Value) -> Value {
    v.map(Value::Number).unwrap_or_else(why)
}

/// `person_scores` are the per-respondent scores (item scores, or set means); `pooled` the item
/// scores that feed the distribution and top-2-box.
fn summarise(points: u8, invited: Option<u64>, person_scores: &[Decimal], pooled: &[u8]) -> Summary {
    let mut distribution = vec![0usize; usize::from(points)];
    for s in pooled {
        distribution[usize::from(*s) - 1] += 1;
    }
    let top = pooled.iter().filter(|s| **s >= points - 1).count();
    let moments = Moments::of(person_scores);
    let n = person_scores.len();
    Summary {
        n,
        response_rate: rate(n, invited),
        mean: opt(moments.mean, no_answers),
        median: opt(stats::median(person_scores), no_answers),
        sd: opt(moments.variance.map(stats::sqrt), || not_computable(if n == 0 { "nessuna risposta" } else { "una sola risposta" })),
        top2: if pooled.is_empty() {
            no_answers()
        } else {
            Value::Number(Decimal::from(top) * Decimal::ONE_HUNDRED / Decimal::from(pooled.len()))
        },
        distribution,
        moments,
    }
}

/// Cronbach's alpha: k/(k−1) · (1 − Σ s²(item) / s²(total)), over complete rows of item scores.
/// `k` is the number of items of the scale; every row holds k scores.
pub fn cronbach_alpha(k: usize, rows: &[Vec<u8>]) -> Value {
    if k < 2 {
        return not_computable("la scala ha un solo item");
    }
    if rows.len() < 2 {
        return not_computable("meno di due risposte complete");
    }
    let column = |i: usize| rows.iter().map(|r| Decimal::from(r[i])).collect::<Vec<_>>();
    let item_var: Decimal = (0..k).filter_map(|i| stats::variance(&column(i))).sum();
    let totals: Vec<Decimal> = rows.iter().map(|r| r.iter().map(|s| Decimal::from(*s)).sum()).collect();
    let Some(total_var) = stats::variance(&totals).filter(|v| !v.is_zero()) else {
        return not_computable("varianza nulla del punteggio totale");
    };
    let k = Decimal::from(k);
    Value::Number(k / (k - Decimal::ONE) * (Decimal::ONE - item_var / total_var))
}

/// Results of a set of items: complete respondents only (listwise deletion).
fn summarise_set(design: &Design, invited: Option<u64>, scored: &[Vec<Option<u8>>], items: &[usize]) -> (Summary, Value) {
    let rows: Vec<Vec<u8>> = scored.iter().filter_map(|r| items.iter().map(|i| r.get(*i).copied().flatten()).collect()).collect();
    let means: Vec<Decimal> =
        rows.iter().map(|r| Decimal::from(r.iter().map(|s| u32::from(*s)).sum::<u32>()) / Decimal::from(r.len().max(1))).collect();
    let pooled: Vec<u8> = rows.iter().flatten().copied().collect();
    (summarise(design.points, invited, &means, &pooled), cronbach_alpha(items.len(), &rows))
}

/// Scores one wave. `answers` holds one row per response with the raw answer to each Likert item
/// (in design order, `None` when not answered); answers must already be valid (`check_answer`).
pub fn analyse(design: &Design, invited: Option<u64>, answers: &[Vec<Option<u8>>]) -> WaveResults {
    let scored: Vec<Vec<Option<u8>>> = answers
        .iter()
        .map(|row| row.iter().zip(&design.reverse).map(|(a, rev)| a.map(|a| score(design.points, *rev, a))).collect())
        .collect();
    let items = (0..design.reverse.len())
        .map(|i| {
            let pooled: Vec<u8> = scored.iter().filter_map(|r| r.get(i).copied().flatten()).collect();
            let xs: Vec<Decimal> = pooled.iter().map(|s| Decimal::from(*s)).collect();
            summarise(design.points, invited, &xs, &pooled)
        })
        .collect();
    let scales = design
        .scales
        .iter()
        .map(|members| {
            let (summary, alpha) = summarise_set(design, invited, &scored, members);
            ScaleSummary { summary, alpha, items: members.len() }
        })
        .collect();
    let all: Vec<usize> = (0..design.reverse.len()).collect();
    let (overall, _) = summarise_set(design, invited, &scored, &all);
    WaveResults { responses: answers.len(), invited, response_rate: rate(answers.len(), invited), items, scales, overall }
}

/// Mean of `b` minus mean of `a` with its 95% interval.
pub fn compare(a: &Summary, b: &Summary) -> Difference {
    stats::welch(&a.moments, &b.moments)
}

#[cfg(test)]
mod tests;
