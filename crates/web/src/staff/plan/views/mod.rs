//! Pages of the Piano di Zona: plan list, plan detail with the synoptic table, card, card and
//! indicator editors, indicator trend, monitoring round and value entry, evaluation card,
//! province view. Texts are formatted here; templates only place them.

mod editors;
mod monitoring;

pub use editors::*;
pub use monitoring::*;

use crate::views::{Layout, nav};
use ambito_app::plan::documents::{answer_text, it_date, resources_text, value_text};
use ambito_app::plan::edit::{CardForm, IndicatorForm};
use ambito_app::plan::evaluation::{EvaluationForm, EvaluationHints};
use ambito_app::plan::monitoring::{RoundLine, RoundView, round_label};
use ambito_app::plan::province::ProvinceView;
use ambito_app::plan::{Card, PlanView};
use ambito_app::rows as store;
use ambito_domain::format::{it_euro, it_number};
use ambito_domain::plan::rules::Status;
use ambito_domain::plan::{ActionStatus, Answer, EvidenceKind, IndicatorKind, IndicatorLevel, MeasureType, PlanStatus, rl_area_name};
use askama::Template;
use askama_web::WebTemplate;
use rust_decimal::Decimal;

pub fn base(plan: &PlanView) -> String {
    format!("/ambiti/{}/piano/{}", crate::views::encode_segment(&plan.ambito.code), plan.plan.triennium)
}

fn layout(plan: &PlanView, title: &str, last: Option<(&str, String)>) -> Layout {
    let code = &plan.ambito.code;
    let mut l = Layout::new(title)
        .with_ambito(code, &plan.ambito.name)
        .with_active(nav::PIANO)
        .crumb("Ambiti", Some("/"))
        .crumb(plan.ambito.name.clone(), Some(&format!("/ambiti/{code}")))
        .crumb("Piano di Zona", Some(&format!("/ambiti/{code}/piano")))
        .crumb(plan.plan.triennium.clone(), Some(&base(plan)));
    if let Some((label, _)) = &last {
        l = l.crumb(*label, None);
    }
    l
}

pub fn status_class(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "stato-in-linea",
        Status::AtRisk => "stato-a-rischio",
        Status::OffTrack => "stato-fuori-linea",
        Status::NoData => "stato-mancante",
    }
}

fn areas(letters: &str) -> String {
    letters
        .split(',')
        .filter(|l| !l.is_empty())
        .map(|l| match l.chars().next().and_then(rl_area_name) {
            Some(n) => format!("{l} – {n}"),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn t(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

// ---------------------------------------------------------------- list

pub struct PlanItem {
    pub triennium: String,
    pub title: String,
    pub status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/list.html")]
pub struct PlanListPage {
    pub layout: Layout,
    pub code: String,
    pub plans: Vec<PlanItem>,
    pub errors: Vec<String>,
    pub imported: Option<String>,
}

impl PlanListPage {
    pub fn new(code: &str, name: &str, plans: Vec<store::PlanRow>) -> Self {
        let layout = Layout::new("Piano di Zona")
            .with_ambito(code, name)
            .with_active(nav::PIANO)
            .crumb("Ambiti", Some("/"))
            .crumb(name, Some(&format!("/ambiti/{code}")))
            .crumb("Piano di Zona", None);
        let plans = plans
            .into_iter()
            .map(|p| PlanItem {
                status: PlanStatus::parse(&p.status).map(|s| s.label()).unwrap_or("").to_string(),
                triennium: p.triennium,
                title: p.title,
            })
            .collect();
        PlanListPage { layout, code: crate::views::encode_segment(code), plans, errors: vec![], imported: None }
    }
}

// ---------------------------------------------------------------- plan

pub struct SynopticRow {
    pub id: i64,
    pub group: String,
    pub code: String,
    pub title: String,
    pub short: String,
    pub areas: String,
    pub indicators: usize,
    pub evaluated: bool,
}

pub struct RoundItem {
    pub number: i64,
    pub label: String,
    pub state: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/detail.html")]
pub struct PlanPage {
    pub layout: Layout,
    pub base: String,
    pub title: String,
    pub triennium: String,
    pub status: String,
    pub draft: bool,
    pub approval: String,
    pub period: String,
    pub previous: Option<String>,
    pub notes: String,
    pub macroareas: Vec<(String, String, String)>,
    pub synoptic: Vec<SynopticRow>,
    pub rounds: Vec<RoundItem>,
    pub has_open_round: bool,
    pub message: Option<String>,
}

impl PlanPage {
    pub fn new(plan: &PlanView) -> Self {
        let p = &plan.plan;
        let approval = match (&p.approval_body, &p.approval_date) {
            (Some(b), d) => format!(
                "{b}{}{}",
                p.approval_number.as_ref().map(|n| format!(", atto n. {n}")).unwrap_or_default(),
                d.as_ref().map(|d| format!(", {}", it_date(d))).unwrap_or_default()
            ),
            _ => String::new(),
        };
        let period = match (&p.start_date, &p.end_date) {
            (Some(s), Some(e)) => format!("dal {} al {}", it_date(s), it_date(e)),
            (Some(s), None) => format!("dal {}", it_date(s)),
            _ => String::new(),
        };
        PlanPage {
            layout: layout(plan, &p.title, None),
            base: base(plan),
            title: p.title.clone(),
            triennium: p.triennium.clone(),
            status: PlanStatus::parse(&p.status).map(|s| s.label()).unwrap_or("").to_string(),
            draft: p.status == "draft",
            approval,
            period,
            previous: p.previous_triennium.clone(),
            notes: t(&p.notes),
            macroareas: plan.macroareas.iter().map(|m| (m.code.clone(), m.name.clone(), areas(&m.rl_areas))).collect(),
            synoptic: plan
                .cards
                .iter()
                .map(|c| SynopticRow {
                    id: c.objective.id,
                    group: c.objective.macroarea.as_ref().map(|m| plan.macroarea_name(m)).unwrap_or_else(|| c.owner.clone()),
                    code: c.objective.code.clone(),
                    title: c.objective.title.clone(),
                    short: t(&c.objective.short_description),
                    areas: c.objective.rl_areas.replace(',', ", "),
                    indicators: c.indicators.len(),
                    evaluated: c.evaluation.is_some(),
                })
                .collect(),
            rounds: plan
                .rounds
                .iter()
                .map(|r| RoundItem {
                    number: r.number,
                    label: round_label(r),
                    state: match &r.closed_at {
                        Some(c) if r.status == "closed" => format!("chiusa il {} – valori congelati", it_date(c)),
                        _ => "aperta".into(),
                    },
                })
                .collect(),
            has_open_round: plan.rounds.iter().any(|r| r.status == "open"),
            message: None,
        }
    }
}

// ---------------------------------------------------------------- card

pub struct IndicatorRow {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub text: String,
    pub level: String,
    pub measure: String,
    pub baseline: String,
    pub target: String,
    pub source: String,
}

pub struct EvidenceItem {
    pub date: String,
    pub kind: String,
    pub participants: String,
    pub findings: String,
    pub quotes: Vec<String>,
    pub attachments: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/card.html")]
pub struct CardPage {
    pub layout: Layout,
    pub base: String,
    pub id: i64,
    pub code: String,
    pub title: String,
    pub owner: String,
    pub editable: bool,
    pub fields: Vec<(String, String)>,
    pub indicators: Vec<IndicatorRow>,
    pub actions: Vec<(String, String, String, String, String)>,
    pub evaluation: Vec<(String, String)>,
    pub evidence: Vec<EvidenceItem>,
    pub evidence_kinds: Vec<(&'static str, &'static str)>,
    pub errors: Vec<String>,
    pub evidence_form: ambito_app::plan::evaluation::EvidenceForm,
}

pub fn indicator_rows(card: &Card) -> Vec<IndicatorRow> {
    card.indicators
        .iter()
        .map(|i| IndicatorRow {
            id: i.id,
            code: i.code.clone(),
            kind: IndicatorKind::parse(&i.kind).map(|k| k.label()).unwrap_or("").into(),
            text: i.text.clone(),
            level: IndicatorLevel::parse(&i.level).map(|k| k.label()).unwrap_or("").into(),
            measure: MeasureType::parse(&i.measure).map(|k| k.label()).unwrap_or("").into(),
            baseline: ambito_app::plan::documents::baseline_text(&i.measure, &i.baseline_value, i.baseline_year),
            target: {
                let v = value_text(&i.measure, i.target_value.as_deref().and_then(|v| v.parse().ok()));
                match &i.target_date {
                    Some(d) => format!("{v} entro {}", it_date(d)).trim().to_string(),
                    None => v,
                }
            },
            source: match &i.link {
                Some(l) => ambito_domain::plan::link::LinkRef::parse(l).map(|l| l.describe()).unwrap_or_else(|_| l.clone()),
                None => "Inserimento manuale".into(),
            },
        })
        .collect()
}

pub fn evaluation_rows(e: &store::EvaluationRow) -> Vec<(String, String)> {
    let pct = |v: &Option<String>, note: &Option<String>| {
        let n = v.as_deref().and_then(|t| t.parse::<Decimal>().ok()).map(|d| format!("{}%", it_number(d, 0))).unwrap_or_default();
        [n, t(note)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" – ")
    };
    let mut rows = vec![
        ("Azioni realizzate".to_string(), t(&e.actions_done)),
        ("Grado di raggiungimento".into(), pct(&e.achievement_pct, &e.achievement_note)),
        ("Valutazione degli utenti".into(), t(&e.users_assessment)),
        ("Coincidenza tra risorse stanziate e impegnate".into(), pct(&e.resources_match_pct, &e.resources_note)),
        ("Criticità rilevate".into(), t(&e.problems)),
        ("Piano di miglioramento".into(), t(&e.improvement_plan)),
        ("Ha risposto al bisogno?".into(), answer_text(&e.answered_need, &e.answered_need_text)),
        ("In continuità con la programmazione precedente?".into(), answer_text(&e.continuity, &e.continuity_text)),
        ("Riproposto nella prossima programmazione?".into(), answer_text(&e.reproposed, &e.reproposed_text)),
    ];
    rows.retain(|(_, v)| !v.is_empty());
    rows
}

impl CardPage {
    pub fn new(plan: &PlanView, card: &Card) -> Self {
        let o = &card.objective;
        let resources = resources_text(card);
        let mut cross = answer_text(&o.cross_cutting, &o.cross_cutting_text);
        if !o.cross_cutting_areas.is_empty() {
            cross.push_str(&format!(" (aree: {})", areas(&o.cross_cutting_areas)));
        }
        let mut fields = vec![
            ("Livello".to_string(), card.owner.clone()),
            ("Macroarea".into(), o.macroarea.as_ref().map(|m| plan.macroarea_name(m)).unwrap_or_default()),
            ("Aree regionali".into(), areas(&o.rl_areas)),
            ("Descrizione sintetica".into(), t(&o.short_description)),
            ("Descrizione".into(), t(&o.description)),
            ("Target".into(), t(&o.target)),
            ("Risorse economiche preventivate".into(), resources),
            ("Risorse di personale dedicate".into(), t(&o.staff_text)),
            ("Trasversale ad altre aree di policy".into(), cross),
            ("Integrazione sociosanitaria".into(), answer_text(&o.sociosanitary, &o.sociosanitary_text)),
            ("Continuità con la programmazione precedente".into(), answer_text(&o.continuity, &o.continuity_text)),
            ("Co-progettato con altri attori della rete".into(), answer_text(&o.codesigned, &o.codesigned_text)),
            ("Bisogni a cui risponde".into(), t(&o.needs)),
            ("Modalità organizzative".into(), t(&o.process_intro)),
            ("Impatto atteso".into(), t(&o.outcome_narrative)),
            ("Servizi collegati (per le risorse)".into(), o.services.replace(',', ", ")),
            ("Prosegue l'obiettivo".into(), t(&card.ancestor)),
        ];
        fields.retain(|(_, v)| !v.trim().is_empty());
        CardPage {
            layout: layout(plan, &format!("{} · {}", o.code, o.title), Some((o.code.as_str(), String::new()))),
            base: base(plan),
            id: o.id,
            code: o.code.clone(),
            title: o.title.clone(),
            owner: card.owner.clone(),
            editable: o.level == "ambito",
            fields,
            indicators: indicator_rows(card),
            actions: card
                .actions
                .iter()
                .map(|a| {
                    (
                        a.text.clone(),
                        t(&a.deadline),
                        t(&a.responsible),
                        t(&a.partners),
                        ActionStatus::parse(&a.status).map(|s| s.label()).unwrap_or("").to_string(),
                    )
                })
                .collect(),
            evaluation: card.evaluation.as_ref().map(evaluation_rows).unwrap_or_default(),
            evidence: card
                .evidence
                .iter()
                .map(|e| EvidenceItem {
                    date: it_date(&e.held_on),
                    kind: EvidenceKind::parse(&e.kind).map(|k| k.label()).unwrap_or("").into(),
                    participants: format!("{} ({})", e.participants, e.roles),
                    findings: e.findings.clone(),
                    quotes: t(&e.quotes).lines().map(String::from).collect(),
                    attachments: t(&e.attachments),
                })
                .collect(),
            evidence_kinds: EvidenceKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
            errors: vec![],
            evidence_form: Default::default(),
        }
    }
}
