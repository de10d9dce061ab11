//! Indicator trend, monitoring round, value entry and the province view.

use super::*;
use ambito_domain::suppression::{DEFAULT_THRESHOLD, hidden_text};

// ---------------------------------------------------------------- indicator trend

#[derive(Template, WebTemplate)]
#[template(path = "plan/indicator.html")]
pub struct IndicatorPage {
    pub layout: Layout,
    pub base: String,
    pub card_id: i64,
    pub card_code: String,
    pub row: IndicatorRow,
    pub editable: bool,
    pub chart: String,
    pub points: Vec<(String, String, String, &'static str, String)>,
}

impl IndicatorPage {
    pub fn new(
        plan: &PlanView,
        card: &Card,
        ind: &store::IndicatorRow,
        trend: &[(String, Option<Decimal>, Status)],
        comments: Vec<String>,
    ) -> Option<Self> {
        let row = indicator_rows(card).into_iter().find(|r| r.id == ind.id)?;
        let m = MeasureType::parse(&ind.measure).unwrap_or(MeasureType::Count);
        let chart = ambito_render::plan::trend_svg(
            &format!("Andamento: {}", ind.text),
            &trend.iter().map(|(l, v, _)| (l.clone(), *v)).collect::<Vec<_>>(),
            ind.target_value.as_deref().and_then(|t| t.parse().ok()),
            m.decimals(),
        );
        Some(IndicatorPage {
            layout: layout(plan, &format!("Indicatore {}", ind.code), Some((ind.code.as_str(), String::new()))),
            base: base(plan),
            card_id: card.objective.id,
            card_code: card.objective.code.clone(),
            editable: card.objective.level == "ambito",
            row,
            chart,
            points: trend
                .iter()
                .zip(comments.into_iter().chain(std::iter::repeat(String::new())))
                .map(|((l, v, s), c)| {
                    (l.clone(), v.map(|v| m.show(v)).unwrap_or_else(|| "–".into()), s.label().to_string(), status_class(*s), c)
                })
                .collect(),
        })
    }
}

// ---------------------------------------------------------------- monitoring

pub struct LineView {
    pub indicator_id: i64,
    pub card_code: String,
    pub code: String,
    pub text: String,
    pub source: String,
    pub linked: bool,
    pub target: String,
    pub value: String,
    pub status: String,
    pub status_class: &'static str,
    pub correction: String,
    pub note: String,
}

fn line_view(l: &RoundLine) -> LineView {
    let i = &l.indicator;
    let value = match l.value {
        Some(v) => value_text(&i.measure, Some(v)),
        None => "–".into(),
    };
    let correction = match &l.correction {
        Some((now, Some(diff))) => {
            format!("Dato corretto dopo la chiusura: oggi {} (differenza {})", value_text(&i.measure, *now), it_number(*diff, 2))
        }
        Some((now, None)) => format!(
            "Dato corretto dopo la chiusura: oggi {}",
            now.map(|v| value_text(&i.measure, Some(v))).unwrap_or_else(|| "nessun valore".into())
        ),
        None => String::new(),
    };
    let note = l
        .stored
        .as_ref()
        .map(|s| {
            [
                s.comment.clone(),
                s.evidence.clone().map(|e| format!("Evidenza: {e}")),
                s.entered_by.clone().map(|w| format!("{w}, {}", s.entered_at.as_deref().map(it_date).unwrap_or_default())),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
        })
        .unwrap_or_default();
    LineView {
        indicator_id: i.id,
        card_code: l.card_code.clone(),
        code: i.code.clone(),
        text: i.text.clone(),
        source: l.linked.clone().unwrap_or_else(|| "Manuale".into()),
        linked: i.link.is_some(),
        target: value_text(&i.measure, i.target_value.as_deref().and_then(|t| t.parse().ok())),
        value: if l.value.is_none() { l.blank.clone().map(|b| format!("– ({b})")).unwrap_or(value) } else { value },
        status: l.status.label().into(),
        status_class: status_class(l.status),
        correction,
        note,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/round.html")]
pub struct RoundPage {
    pub layout: Layout,
    pub base: String,
    pub number: i64,
    pub label: String,
    pub open: bool,
    pub state: String,
    pub summary: Vec<(String, usize, &'static str)>,
    pub lines: Vec<LineView>,
    pub corrections: usize,
}

impl RoundPage {
    pub fn new(plan: &PlanView, round: &RoundView, filter: &str) -> Self {
        let lines: Vec<LineView> = round
            .lines
            .iter()
            .filter(|l| match filter {
                "collegati" => l.indicator.link.is_some(),
                "valorizzati" => l.value.is_some(),
                "" | "tutti" => true,
                card => l.card_code == card,
            })
            .map(line_view)
            .collect();
        RoundPage {
            layout: layout(plan, &round.label(), Some((&round.label(), String::new()))),
            base: base(plan),
            number: round.round.number,
            label: round.label(),
            open: round.is_open(),
            state: match (&round.round.closed_at, round.is_open()) {
                (Some(c), false) => format!("Chiusa il {} da {}: i valori sono congelati.", it_date(c), t(&round.round.closed_by)),
                _ => "Aperta: i valori collegati si aggiornano con i dati dell'Ambito finché la rilevazione non viene chiusa.".into(),
            },
            summary: Status::ALL.iter().map(|s| (s.label().to_string(), round.count(*s), status_class(*s))).collect(),
            corrections: round.lines.iter().filter(|l| l.correction.is_some()).count(),
            lines,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/value_form.html")]
pub struct ValueFormPage {
    pub layout: Layout,
    pub base: String,
    pub number: i64,
    pub line: LineView,
    pub linked: bool,
    pub milestone: bool,
    pub per_1000: bool,
    pub observed: String,
    pub denominator: String,
    pub evidence: String,
    pub comment: String,
    pub who: String,
    pub evidence_note: String,
    pub errors: Vec<String>,
}

impl ValueFormPage {
    pub fn new(plan: &PlanView, round: &RoundView, line: &RoundLine) -> Self {
        let s = line.stored.clone().unwrap_or_default();
        let m = MeasureType::parse(&line.indicator.measure).unwrap_or(MeasureType::Count);
        let shown =
            |v: &Option<String>| v.as_deref().and_then(|t| t.parse::<Decimal>().ok()).map(|d| it_number(d, d.scale())).unwrap_or_default();
        ValueFormPage {
            layout: layout(plan, &format!("{} · {}", round.label(), line.indicator.code), Some((&line.indicator.code, String::new()))),
            base: base(plan),
            number: round.round.number,
            linked: line.indicator.link.is_some(),
            milestone: m == MeasureType::Milestone,
            per_1000: m == MeasureType::Per1000 && line.indicator.target_population.is_none(),
            observed: if m == MeasureType::Milestone {
                s.observed.as_deref().map(|v| if v == "1" { "sì".to_string() } else { "no".to_string() }).unwrap_or_default()
            } else {
                shown(&s.observed)
            },
            denominator: shown(&s.denominator),
            evidence: t(&s.evidence),
            comment: t(&s.comment),
            who: t(&s.entered_by),
            evidence_note: t(&line.indicator.evidence_note),
            line: line_view(line),
            errors: vec![],
        }
    }
}

// ---------------------------------------------------------------- province

/// One Ambito's line of the province table: code, name, and its cells (text, title, CSS class).
pub type ProvinceRow = (String, String, Vec<(String, String, &'static str)>);

#[derive(Template, WebTemplate)]
#[template(path = "plan/province.html")]
pub struct ProvincePage {
    pub layout: Layout,
    pub base: String,
    pub ats: String,
    pub triennium: String,
    pub ambiti: Vec<(String, String)>,
    pub rows: Vec<ProvinceRow>,
}

impl ProvincePage {
    pub fn new(plan: &PlanView, v: &ProvinceView) -> Self {
        ProvincePage {
            layout: layout(plan, &format!("Confronto provinciale {}", v.triennium), Some(("Confronto provinciale", String::new()))),
            base: base(plan),
            ats: v.ats.clone(),
            triennium: v.triennium.clone(),
            ambiti: v
                .ambiti
                .iter()
                .map(|(_, n, r)| (n.clone(), r.clone().unwrap_or_else(|| "nessuna rilevazione chiusa".into())))
                .collect(),
            rows: v
                .rows
                .iter()
                .map(|r| {
                    (
                        format!("{} · {}", r.card_code, r.card_title),
                        format!("{} ({})", r.indicator, MeasureType::parse(&r.measure).map(|m| m.label()).unwrap_or("")),
                        r.cells
                            .iter()
                            .map(|c| {
                                let shown = if c.hidden { hidden_text(DEFAULT_THRESHOLD) } else { value_text(&r.measure, c.value) };
                                (shown, c.status.label().to_string(), status_class(c.status))
                            })
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}
