//! The results of a questionnaire as one value: every wave's figures row by row (items, then
//! scales, then the overall score) and the comparison of the first and last wave with answers.
//! The web page, the XLSX and the CSV are renderings of this value.

use super::{Design, Difference, Summary, WaveResults, analyse, compare};
use crate::value::Value;
use serde::Serialize;

/// The moment of a wave in the plan's cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaveKind {
    ExAnte,
    Intermedia,
    ExPost,
}

impl WaveKind {
    pub const ALL: [WaveKind; 3] = [WaveKind::ExAnte, WaveKind::Intermedia, WaveKind::ExPost];

    /// The stored code and URL segment.
    pub fn code(self) -> &'static str {
        match self {
            WaveKind::ExAnte => "ex_ante",
            WaveKind::Intermedia => "intermedia",
            WaveKind::ExPost => "ex_post",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WaveKind::ExAnte => "Ex ante",
            WaveKind::Intermedia => "Intermedia",
            WaveKind::ExPost => "Ex post",
        }
    }

    /// Accepts the stored code and the spellings people type: `ex-ante`, `mid-term`, `expost`…
    pub fn parse(text: &str) -> Option<WaveKind> {
        let t: String = text.trim().to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        match t.as_str() {
            "exante" => Some(WaveKind::ExAnte),
            "intermedia" | "midterm" | "mid" | "itinere" | "initinere" => Some(WaveKind::Intermedia),
            "expost" => Some(WaveKind::ExPost),
            _ => None,
        }
    }
}

/// Labels of the points of a scale, from the lowest.
pub fn point_labels(points: u8) -> Vec<&'static str> {
    match points {
        4 => vec!["Per niente d'accordo", "Poco d'accordo", "Abbastanza d'accordo", "Molto d'accordo"],
        7 => vec![
            "Totalmente in disaccordo",
            "In disaccordo",
            "Parzialmente in disaccordo",
            "Né d'accordo né in disaccordo",
            "Parzialmente d'accordo",
            "D'accordo",
            "Totalmente d'accordo",
        ],
        _ => vec!["Per niente d'accordo", "Poco d'accordo", "Né d'accordo né in disaccordo", "Abbastanza d'accordo", "Molto d'accordo"],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    Item,
    Scale,
    Overall,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowDef {
    pub kind: RowKind,
    pub code: String,
    pub label: String,
    pub reverse: bool,
    /// The scale an item belongs to (its code).
    pub scale: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaveColumn {
    pub kind: WaveKind,
    pub opens_on: String,
    pub closes_on: String,
    pub invited: Option<u64>,
    pub responses: usize,
    pub response_rate: Value,
    /// One per row of the report.
    pub figures: Vec<Summary>,
    /// Cronbach's alpha for scale rows, none for the others.
    pub alphas: Vec<Option<Value>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub from: WaveKind,
    pub to: WaveKind,
    /// One per row of the report: mean(to) − mean(from) with its 95% interval.
    pub differences: Vec<Difference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenQuestion {
    pub code: String,
    pub text: String,
    pub answers: Vec<(WaveKind, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionnaireReport {
    pub ambito_code: String,
    pub ambito_name: String,
    pub code: String,
    pub title: String,
    pub points: u8,
    pub objective_code: Option<String>,
    pub rows: Vec<RowDef>,
    pub waves: Vec<WaveColumn>,
    pub comparison: Option<Comparison>,
    pub open_questions: Vec<OpenQuestion>,
}

/// A wave's raw input: Likert answers per response (design order) and open answers.
pub struct WaveInput {
    pub kind: WaveKind,
    pub opens_on: String,
    pub closes_on: String,
    pub invited: Option<u64>,
    pub answers: Vec<Vec<Option<u8>>>,
}

/// Descriptive parts of the report, as stored.
pub struct Header {
    pub ambito_code: String,
    pub ambito_name: String,
    pub code: String,
    pub title: String,
    pub objective_code: Option<String>,
}

/// Scores every wave and lays the figures out by row. `items` are (code, text, reverse, scale
/// code) in design order; `scales` (code, title) in the order of `design.scales`.
pub fn build(
    header: Header,
    design: &Design,
    items: &[(String, String, bool, Option<String>)],
    scales: &[(String, String)],
    mut waves: Vec<WaveInput>,
    open_questions: Vec<OpenQuestion>,
) -> QuestionnaireReport {
    let mut rows: Vec<RowDef> = items
        .iter()
        .map(|(code, text, reverse, scale)| RowDef {
            kind: RowKind::Item,
            code: code.clone(),
            label: text.clone(),
            reverse: *reverse,
            scale: scale.clone(),
        })
        .collect();
    rows.extend(scales.iter().map(|(code, title)| RowDef {
        kind: RowKind::Scale,
        code: code.clone(),
        label: title.clone(),
        reverse: false,
        scale: None,
    }));
    rows.push(RowDef { kind: RowKind::Overall, code: "TOTALE".into(), label: "Punteggio complessivo".into(), reverse: false, scale: None });

    waves.sort_by_key(|w| w.kind);
    let columns: Vec<WaveColumn> = waves
        .into_iter()
        .map(|w| {
            let r: WaveResults = analyse(design, w.invited, &w.answers);
            let mut figures = r.items.clone();
            let mut alphas: Vec<Option<Value>> = vec![None; r.items.len()];
            for s in &r.scales {
                figures.push(s.summary.clone());
                alphas.push(Some(s.alpha.clone()));
            }
            figures.push(r.overall.clone());
            alphas.push(None);
            WaveColumn {
                kind: w.kind,
                opens_on: w.opens_on,
                closes_on: w.closes_on,
                invited: w.invited,
                responses: r.responses,
                response_rate: r.response_rate,
                figures,
                alphas,
            }
        })
        .collect();
    let answered: Vec<&WaveColumn> = columns.iter().filter(|c| c.responses > 0).collect();
    let comparison = match (answered.first(), answered.last()) {
        (Some(a), Some(b)) if a.kind != b.kind => Some(Comparison {
            from: a.kind,
            to: b.kind,
            differences: a.figures.iter().zip(&b.figures).map(|(x, y)| compare(x, y)).collect(),
        }),
        _ => None,
    };
    QuestionnaireReport {
        ambito_code: header.ambito_code,
        ambito_name: header.ambito_name,
        code: header.code,
        title: header.title,
        points: design.points,
        objective_code: header.objective_code,
        rows,
        waves: columns,
        comparison,
        open_questions,
    }
}

impl QuestionnaireReport {
    pub fn wave(&self, kind: WaveKind) -> Option<&WaveColumn> {
        self.waves.iter().find(|w| w.kind == kind)
    }

    /// The mean of the overall score (`scale` none) or of a scale in a wave: what an outcome
    /// indicator reads.
    pub fn score(&self, kind: WaveKind, scale: Option<&str>) -> Option<Value> {
        let row = match scale {
            None => self.rows.iter().position(|r| r.kind == RowKind::Overall)?,
            Some(code) => self.rows.iter().position(|r| r.kind == RowKind::Scale && r.code == code)?,
        };
        Some(self.wave(kind)?.figures[row].mean.clone())
    }
}
