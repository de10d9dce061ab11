//! Pages of the Piano di Zona: plan list, plan detail with the synoptic table, card, card and
//! indicator editors, indicator trend, monitoring round and value entry, evaluation card,
//! province view. Texts are formatted here; templates only place them.

use crate::views::{Layout, nav};
use ambito_app::plan::documents::{answer_text, it_date, value_text};
use ambito_app::plan::edit::{CardForm, IndicatorForm};
use ambito_app::plan::evaluation::{EvaluationForm, EvaluationHints};
use ambito_app::plan::monitoring::{RoundLine, RoundView, round_label};
use ambito_app::plan::province::ProvinceView;
use ambito_app::plan::{Card, PlanView};
use ambito_domain::format::{it_euro, it_number};
use ambito_domain::plan::rules::Status;
use ambito_domain::plan::{ActionStatus, Answer, EvidenceKind, IndicatorKind, IndicatorLevel, MeasureType, PlanStatus, rl_area_name};
use ambito_store as store;
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
            baseline: {
                let v = value_text(
                    if i.measure == "change_pct" { "count" } else { &i.measure },
                    i.baseline_value.as_deref().and_then(|v| v.parse().ok()),
                );
                match i.baseline_year {
                    Some(y) if !v.is_empty() => format!("{v} ({y})"),
                    _ => v,
                }
            },
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
        let mut resources = t(&o.resources_text);
        for r in &card.resources {
            resources.push_str(&format!("\n{}: {}", r.source, it_euro(Decimal::new(r.amount_cents, 2))));
        }
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
            ("Risorse economiche preventivate".into(), resources.trim().to_string()),
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

// ---------------------------------------------------------------- editors

pub struct Choice {
    pub value: String,
    pub label: String,
}

fn choices(items: &[(&str, &str)], empty: Option<&str>) -> Vec<Choice> {
    empty
        .map(|e| Choice { value: String::new(), label: e.to_string() })
        .into_iter()
        .chain(items.iter().map(|(v, l)| Choice { value: v.to_string(), label: l.to_string() }))
        .collect()
}

pub fn answers() -> Vec<Choice> {
    choices(&Answer::ALL.iter().map(|a| (a.code(), a.label())).collect::<Vec<_>>(), Some("—"))
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/card_form.html")]
pub struct CardFormPage {
    pub layout: Layout,
    pub base: String,
    pub action: String,
    pub new: bool,
    pub form: CardForm,
    pub macroareas: Vec<Choice>,
    pub answers: Vec<Choice>,
    pub errors: Vec<String>,
}

impl CardFormPage {
    pub fn new(plan: &PlanView, original: Option<&Card>, form: CardForm) -> Self {
        let b = base(plan);
        let (title, action) = match original {
            Some(c) => (format!("Modifica scheda {}", c.objective.code), format!("{b}/schede/{}/modifica", c.objective.id)),
            None => ("Nuova scheda obiettivo".to_string(), format!("{b}/schede/nuova")),
        };
        CardFormPage {
            layout: layout(plan, &title, Some(("Scheda", String::new()))),
            base: b,
            action,
            new: original.is_none(),
            form,
            macroareas: std::iter::once(Choice { value: String::new(), label: "—".into() })
                .chain(plan.macroareas.iter().map(|m| Choice { value: m.code.clone(), label: format!("{} – {}", m.code, m.name) }))
                .collect(),
            answers: answers(),
            errors: vec![],
        }
    }

    pub fn form_of(card: &Card) -> CardForm {
        let o = &card.objective;
        CardForm {
            code: o.code.clone(),
            title: o.title.clone(),
            macroarea: t(&o.macroarea),
            rl_areas: o.rl_areas.clone(),
            short_description: t(&o.short_description),
            description: t(&o.description),
            target: t(&o.target),
            resources: t(&o.resources_text),
            staff: t(&o.staff_text),
            cross_cutting: t(&o.cross_cutting),
            cross_cutting_text: t(&o.cross_cutting_text),
            cross_cutting_areas: o.cross_cutting_areas.clone(),
            sociosanitary: t(&o.sociosanitary),
            sociosanitary_text: t(&o.sociosanitary_text),
            continuity: t(&o.continuity),
            continuity_text: t(&o.continuity_text),
            codesigned: t(&o.codesigned),
            codesigned_text: t(&o.codesigned_text),
            needs: t(&o.needs),
            services: o.services.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/indicator_form.html")]
pub struct IndicatorFormPage {
    pub layout: Layout,
    pub base: String,
    pub card_id: i64,
    pub card_code: String,
    pub indicator_id: i64,
    pub action: String,
    pub new: bool,
    pub form: IndicatorForm,
    pub kinds: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub measures: Vec<Choice>,
    pub directions: Vec<Choice>,
    pub frequencies: Vec<Choice>,
    /// Core-engine figures the indicator can be linked to: (link text, description).
    pub links: Vec<Choice>,
    pub targets: Vec<String>,
    pub errors: Vec<String>,
}

impl IndicatorFormPage {
    pub fn new(
        plan: &PlanView,
        card: &Card,
        original: Option<&store::IndicatorRow>,
        form: IndicatorForm,
        links: Vec<(String, String)>,
        targets: Vec<String>,
    ) -> Self {
        use ambito_domain::plan::{Direction, Frequency};
        let b = base(plan);
        let action = match original {
            Some(i) => format!("{b}/schede/{}/indicatori/{}/modifica", card.objective.id, i.id),
            None => format!("{b}/schede/{}/indicatori/nuovo", card.objective.id),
        };
        let codes = |all: Vec<(&'static str, &'static str)>| choices(&all, None);
        IndicatorFormPage {
            layout: layout(
                plan,
                if original.is_some() { "Modifica indicatore" } else { "Nuovo indicatore" },
                Some(("Indicatore", String::new())),
            ),
            base: b,
            card_id: card.objective.id,
            card_code: card.objective.code.clone(),
            indicator_id: original.map(|i| i.id).unwrap_or(0),
            action,
            new: original.is_none(),
            form,
            kinds: codes(IndicatorKind::ALL.iter().map(|k| (k.code(), k.label())).collect()),
            levels: codes(IndicatorLevel::ALL.iter().map(|k| (k.code(), k.label())).collect()),
            measures: codes(MeasureType::ALL.iter().map(|k| (k.code(), k.label())).collect()),
            directions: codes(Direction::ALL.iter().map(|k| (k.code(), k.label())).collect()),
            frequencies: codes(Frequency::ALL.iter().map(|k| (k.code(), k.label())).collect()),
            links: std::iter::once(Choice { value: String::new(), label: "Inserimento manuale (con evidenza)".into() })
                .chain(links.into_iter().map(|(value, label)| Choice { value, label }))
                .collect(),
            targets,
            errors: vec![],
        }
    }

    pub fn form_of(i: &store::IndicatorRow) -> IndicatorForm {
        IndicatorForm {
            code: i.code.clone(),
            text: i.text.clone(),
            kind: i.kind.clone(),
            level: i.level.clone(),
            measure: i.measure.clone(),
            direction: i.direction.clone(),
            baseline: i
                .baseline_value
                .as_deref()
                .and_then(|v| v.parse::<Decimal>().ok())
                .map(|d| it_number(d, d.scale()))
                .unwrap_or_default(),
            baseline_year: i.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
            target: i.target_value.as_deref().and_then(|v| v.parse::<Decimal>().ok()).map(|d| it_number(d, d.scale())).unwrap_or_default(),
            target_date: t(&i.target_date),
            frequency: i.frequency.clone(),
            link: t(&i.link),
            target_population: t(&i.target_population),
            evidence_note: t(&i.evidence_note),
        }
    }
}

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
    ) -> Self {
        let row = indicator_rows(card).into_iter().find(|r| r.id == ind.id).expect("indicator of the card");
        let m = MeasureType::parse(&ind.measure).unwrap_or(MeasureType::Count);
        let chart = ambito_render::plan::trend_svg(
            &format!("Andamento: {}", ind.text),
            &trend.iter().map(|(l, v, _)| (l.clone(), *v)).collect::<Vec<_>>(),
            ind.target_value.as_deref().and_then(|t| t.parse().ok()),
            m.decimals(),
        );
        IndicatorPage {
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
        }
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

// ---------------------------------------------------------------- evaluation

#[derive(Template, WebTemplate)]
#[template(path = "plan/evaluation.html")]
pub struct EvaluationPage {
    pub layout: Layout,
    pub base: String,
    pub card_id: i64,
    pub card_code: String,
    pub card_title: String,
    pub form: EvaluationForm,
    pub answers: Vec<Choice>,
    pub hint_achievement: String,
    pub hint_resources: String,
    pub errors: Vec<String>,
    pub next_triennium: String,
    pub previous_triennium: String,
}

impl EvaluationPage {
    pub fn new(plan: &PlanView, card: &Card, hints: &EvaluationHints, form: EvaluationForm) -> Self {
        let (first, last) = plan.years();
        let hint_achievement = match hints.achievement_pct {
            Some(p) => {
                format!("Dai dati: {}% (media di {} indicatori all'ultima rilevazione chiusa).", it_number(p, 0), hints.judged_indicators)
            }
            None => "Nessun indicatore con obiettivo e valore in una rilevazione chiusa.".into(),
        };
        let hint_resources = match (&hints.resources_match, hints.allocated, hints.committed) {
            (ambito_domain::value::Value::Number(p), Some(a), Some(c)) => {
                format!("Dai bilanci dei servizi collegati: {}% (impegnato {} su stanziato {}).", it_number(*p, 1), it_euro(c), it_euro(a))
            }
            (v, _, _) => match v.blank_reason() {
                Some(b) if !card.objective.services.is_empty() => format!("Non calcolabile dai bilanci: {b}."),
                _ => "Nessun servizio collegato alla scheda: indicare il valore a mano.".into(),
            },
        };
        EvaluationPage {
            layout: layout(plan, &format!("Valutazione {}", card.objective.code), Some(("Valutazione", String::new()))),
            base: base(plan),
            card_id: card.objective.id,
            card_code: card.objective.code.clone(),
            card_title: card.objective.title.clone(),
            form,
            answers: answers(),
            hint_achievement,
            hint_resources,
            errors: vec![],
            previous_triennium: format!("{}-{}", first - 3, first - 1),
            next_triennium: format!("{}-{}", last + 1, last + 3),
        }
    }

    pub fn form_of(e: Option<&store::EvaluationRow>) -> EvaluationForm {
        let Some(e) = e else { return EvaluationForm::default() };
        let pct =
            |v: &Option<String>| v.as_deref().and_then(|t| t.parse::<Decimal>().ok()).map(|d| it_number(d, d.scale())).unwrap_or_default();
        EvaluationForm {
            actions_done: t(&e.actions_done),
            achievement_pct: pct(&e.achievement_pct),
            achievement_note: t(&e.achievement_note),
            users_assessment: t(&e.users_assessment),
            resources_match_pct: pct(&e.resources_match_pct),
            resources_note: t(&e.resources_note),
            problems: t(&e.problems),
            improvement_plan: t(&e.improvement_plan),
            answered_need: t(&e.answered_need),
            answered_need_text: t(&e.answered_need_text),
            continuity: t(&e.continuity),
            continuity_text: t(&e.continuity_text),
            reproposed: t(&e.reproposed),
            reproposed_text: t(&e.reproposed_text),
        }
    }
}

// ---------------------------------------------------------------- province

#[derive(Template, WebTemplate)]
#[template(path = "plan/province.html")]
pub struct ProvincePage {
    pub layout: Layout,
    pub base: String,
    pub ats: String,
    pub triennium: String,
    pub ambiti: Vec<(String, String)>,
    pub rows: Vec<(String, String, Vec<(String, String, &'static str)>)>,
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
                            .map(|c| (value_text(&r.measure, c.value), c.status.label().to_string(), status_class(c.status)))
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}
