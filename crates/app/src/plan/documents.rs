//! The documents of the cycle, described once as blocks (`ambito_render::plan::Doc`) and laid
//! out by the renderer as PDF or DOCX; tables also as XLSX sheets.
//!
//! - the plan: synoptic table (§8.1) and every card in the regional format;
//! - the evaluation report: one label/answer table per objective, as in seed 004;
//! - the monitoring report of a round: every indicator with value, status and corrections.

use super::monitoring::RoundView;
use super::split;
use super::suppressed::Figures;
use super::view::{Card, PlanView};
use crate::{App, Result};
use ambito_domain::format::{it_euro, it_number};
use ambito_domain::plan::rules::Status;
use ambito_domain::plan::{
    ActionStatus, Answer, EvidenceKind, IndicatorKind, IndicatorLevel, MeasureType, PlanStatus, parse_triennium, rl_area_name,
};
use ambito_render::plan::{Block, Cell, Doc, Sheet};
use rust_decimal::Decimal;

fn t(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// `Sì. text`, without repeating the answer when the text already starts with it.
pub fn answer_text(code: &Option<String>, text: &Option<String>) -> String {
    let label = code.as_deref().and_then(Answer::parse).map(|a| a.label()).unwrap_or("");
    let text = text.as_deref().unwrap_or("").trim();
    // "Sì. …" or "Si, …" already state the answer; "Si reputa …" does not.
    let starts = |l: &str| {
        let (t, l) = (text.to_lowercase(), l.to_lowercase());
        let plain = l.replace('ì', "i");
        t.starts_with(&l) || (t.starts_with(&plain) && t[plain.len()..].starts_with(['.', ',', ';', ':']))
    };
    match (label.is_empty(), text.is_empty()) {
        (true, _) => text.to_string(),
        (false, true) => label.to_string(),
        (false, false) if starts(label) => text.to_string(),
        (false, false) => format!("{label}. {text}"),
    }
}

fn areas_text(letters: &str) -> String {
    split(letters)
        .iter()
        .map(|l| match l.chars().next().and_then(rl_area_name) {
            Some(n) => format!("{l}. {n}"),
            None => l.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn value_text(measure: &str, v: Option<Decimal>) -> String {
    let m = MeasureType::parse(measure).unwrap_or(MeasureType::Count);
    v.map(|v| m.show(v)).unwrap_or_default()
}

fn target_text(measure: &str, target: &Option<String>, date: &Option<String>) -> String {
    let v = value_text(measure, target.as_deref().and_then(|t| t.parse().ok()));
    match date {
        Some(d) if v.is_empty() => format!("entro {}", it_date(d)),
        Some(d) => format!("{v} entro {}", it_date(d)),
        None => v,
    }
}

/// A baseline as shown: a number with its year, or the text of a suppressed one (`<3`) as is.
pub fn baseline_text(measure: &str, value: &Option<String>, year: Option<i64>) -> String {
    let shown = |t: &str| match t.parse() {
        Ok(d) => value_text(
            if MeasureType::parse(measure) == Some(MeasureType::ChangePct) { MeasureType::Count.code() } else { measure },
            Some(d),
        ),
        Err(_) => t.to_string(),
    };
    let v = value.as_deref().map(shown).unwrap_or_default();
    match year {
        Some(y) if !v.is_empty() => format!("{v} ({y})"),
        _ => v,
    }
}

fn indicator_list(card: &Card, kind: IndicatorKind) -> String {
    card.indicators.iter().filter(|i| i.kind == kind.code()).map(|i| format!("• {}", i.text)).collect::<Vec<_>>().join("\n")
}

fn with_intro(intro: &Option<String>, list: String) -> String {
    [t(intro), list].into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

/// The card's planned resources: its free text, then one line per funding source and amount.
pub fn resources_text(card: &Card) -> String {
    let mut resources = t(&card.objective.resources_text);
    for r in &card.resources {
        resources.push_str(&format!("\n{}: {}", r.source, it_euro(Decimal::new(r.amount_cents, 2))));
    }
    resources.trim().to_string()
}

fn card_fields(plan: &PlanView, card: &Card) -> Vec<(String, String)> {
    let o = &card.objective;
    let resources = resources_text(card);
    let mut cross = answer_text(&o.cross_cutting, &o.cross_cutting_text);
    if !o.cross_cutting_areas.is_empty() {
        cross.push_str(&format!("\nAree: {}", areas_text(&o.cross_cutting_areas)));
    }
    let prev = parse_triennium(&plan.plan.triennium).map(|(a, _)| format!("{}-{}", a - 3, a - 1)).unwrap_or_default();
    let mut rows = vec![
        ("Livello".to_string(), card.owner.clone()),
        ("Macroarea".into(), o.macroarea.as_ref().map(|m| plan.macroarea_name(m)).unwrap_or_default()),
        ("Aree di programmazione regionali".into(), areas_text(&o.rl_areas)),
        ("TITOLO OBIETTIVO".into(), o.title.clone()),
        ("DESCRIZIONE OBIETTIVO".into(), t(&o.description)),
        ("TARGET".into(), t(&o.target)),
        ("RISORSE ECONOMICHE PREVENTIVATE".into(), resources),
        ("RISORSE DI PERSONALE DEDICATE".into(), t(&o.staff_text)),
        ("L'OBIETTIVO È TRASVERSALE ED INTEGRATO CON ALTRE AREE DI POLICY?".into(), cross),
        ("PRESENTA ASPETTI DI INTEGRAZIONE SOCIOSANITARIA?".into(), answer_text(&o.sociosanitary, &o.sociosanitary_text)),
        (format!("È IN CONTINUITÀ CON LA PROGRAMMAZIONE PRECEDENTE {prev}?"), answer_text(&o.continuity, &o.continuity_text)),
        ("L'INTERVENTO È CO-PROGETTATO CON ALTRI ATTORI DELLA RETE?".into(), answer_text(&o.codesigned, &o.codesigned_text)),
        ("QUESTO INTERVENTO A QUALE/I BISOGNO/I RISPONDE?".into(), t(&o.needs)),
        (
            "QUALI MODALITÀ ORGANIZZATIVE, OPERATIVE E DI EROGAZIONE SONO ADOTTATE? (indicatori di processo)".into(),
            with_intro(&o.process_intro, indicator_list(card, IndicatorKind::Process)),
        ),
        (
            "QUALI RISULTATI VUOLE RAGGIUNGERE? (indicatori di output)".into(),
            with_intro(&o.output_intro, indicator_list(card, IndicatorKind::Output)),
        ),
        (
            "QUALE IMPATTO HA AVUTO L'INTERVENTO? (indicatori di outcome)".into(),
            with_intro(&o.outcome_narrative, indicator_list(card, IndicatorKind::Outcome)),
        ),
    ];
    if let Some(a) = &card.ancestor {
        rows.push(("Prosegue l'obiettivo".into(), a.clone()));
    }
    rows.retain(|(_, v)| !v.trim().is_empty());
    rows
}

fn indicator_table(card: &Card) -> Block {
    let rows = card
        .indicators
        .iter()
        .map(|i| {
            vec![
                IndicatorKind::parse(&i.kind).map(|k| k.label()).unwrap_or("").to_string(),
                i.text.clone(),
                IndicatorLevel::parse(&i.level).map(|k| k.label()).unwrap_or("").to_string(),
                MeasureType::parse(&i.measure).map(|k| k.label()).unwrap_or("").to_string(),
                baseline_text(&i.measure, &i.baseline_value, i.baseline_year),
                target_text(&i.measure, &i.target_value, &i.target_date),
                match &i.link {
                    Some(l) => ambito_domain::plan::link::LinkRef::parse(l).map(|l| l.describe()).unwrap_or_else(|_| l.clone()),
                    None => "Inserimento manuale".into(),
                },
            ]
        })
        .collect();
    Block::Table {
        header: ["Tipo", "Indicatore", "Livello", "Misura", "Partenza", "Obiettivo", "Fonte"].map(String::from).to_vec(),
        rows,
        widths: vec![8, 34, 7, 13, 10, 10, 18],
    }
}

fn approval_line(plan: &PlanView) -> String {
    let p = &plan.plan;
    let status = PlanStatus::parse(&p.status).map(|s| s.label()).unwrap_or("");
    match (&p.approval_body, &p.approval_date) {
        (Some(b), Some(d)) => format!(
            "Triennio {} · {status}: {b}{}, {}",
            p.triennium,
            p.approval_number.as_ref().map(|n| format!(", atto n. {n}")).unwrap_or_default(),
            it_date(d)
        ),
        _ => format!("Triennio {} · {status}", p.triennium),
    }
}

/// `2021-12-15` → `15/12/2021`.
pub fn it_date(iso: &str) -> String {
    ambito_domain::date::italian_from_iso(iso)
}

pub fn plan_doc(plan: &PlanView) -> Doc {
    let mut blocks = vec![Block::Heading { level: 2, text: "Macroaree e aree di programmazione regionali".into() }];
    blocks.push(Block::Table {
        header: vec!["Codice".into(), "Macroarea".into(), "Aree regionali (DGR 4563/2021)".into()],
        rows: plan.macroareas.iter().map(|m| vec![m.code.clone(), m.name.clone(), areas_text(&m.rl_areas)]).collect(),
        widths: vec![8, 45, 47],
    });
    blocks.push(Block::Heading { level: 1, text: "Tavola sinottica degli obiettivi".into() });
    blocks.push(Block::Table {
        header: ["Macroarea / livello", "Codice", "Obiettivo", "Descrizione sintetica", "Aree"].map(String::from).to_vec(),
        rows: plan
            .cards
            .iter()
            .map(|c| {
                let o = &c.objective;
                vec![
                    o.macroarea.as_ref().map(|m| plan.macroarea_name(m)).unwrap_or_else(|| c.owner.clone()),
                    o.code.clone(),
                    o.title.clone(),
                    t(&o.short_description),
                    split(&o.rl_areas).join(", "),
                ]
            })
            .collect(),
        widths: vec![20, 9, 25, 38, 8],
    });
    blocks.push(Block::Heading { level: 1, text: "Schede obiettivo".into() });
    for card in &plan.cards {
        blocks.push(Block::Heading { level: 2, text: format!("{} · {}", card.objective.code, card.objective.title) });
        blocks.push(Block::Fields { rows: card_fields(plan, card) });
        if !card.indicators.is_empty() {
            blocks.push(Block::Heading { level: 3, text: "Indicatori".into() });
            blocks.push(indicator_table(card));
        }
        if !card.actions.is_empty() {
            blocks.push(Block::Heading { level: 3, text: "Azioni".into() });
            blocks.push(Block::Table {
                header: ["Azione", "Scadenza", "Responsabile", "Partner", "Stato"].map(String::from).to_vec(),
                rows: card
                    .actions
                    .iter()
                    .map(|a| {
                        vec![
                            a.text.clone(),
                            t(&a.deadline),
                            t(&a.responsible),
                            t(&a.partners),
                            ActionStatus::parse(&a.status).map(|s| s.label()).unwrap_or("").to_string(),
                        ]
                    })
                    .collect(),
                widths: vec![40, 15, 15, 18, 12],
            });
        }
    }
    Doc { title: format!("Piano di Zona {}", plan.plan.triennium), subtitle: approval_line(plan), ambito: plan.ambito.name.clone(), blocks }
}

fn pct_text(v: &Option<String>, note: &Option<String>) -> String {
    let n = v.as_deref().and_then(|t| t.parse::<Decimal>().ok()).map(|d| format!("{}%", it_number(d, 0)));
    [n.unwrap_or_default(), t(note)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" – ")
}

fn evaluated(plan: &PlanView) -> impl Iterator<Item = (&Card, &ambito_store::EvaluationRow)> {
    plan.cards.iter().filter_map(|c| c.evaluation.as_ref().map(|e| (c, e)))
}

/// The evaluation report in the layout of seed 004: per objective, a table of labels and
/// answers; a summary table first.
pub fn evaluation_doc(plan: &PlanView) -> Doc {
    let (first, last) = plan.years();
    let previous = format!("{}-{}", first - 3, first - 1);
    let next = format!("{}-{}", last + 1, last + 3);
    let mut blocks = vec![Block::Heading { level: 2, text: "Sintesi".into() }];
    blocks.push(Block::Table {
        header: ["Obiettivo", "Raggiungimento", "Coincidenza risorse", "Ha risposto al bisogno", "Riproposto"].map(String::from).to_vec(),
        rows: evaluated(plan)
            .map(|(c, e)| {
                let ans = |a: &Option<String>| a.as_deref().and_then(Answer::parse).map(|a| a.label()).unwrap_or("–").to_string();
                vec![
                    format!("{} · {}", c.objective.code, c.objective.title),
                    pct_text(&e.achievement_pct, &None),
                    pct_text(&e.resources_match_pct, &None),
                    ans(&e.answered_need),
                    ans(&e.reproposed),
                ]
            })
            .collect(),
        widths: vec![44, 14, 14, 16, 12],
    });
    let mut current_area: Option<String> = None;
    for (card, e) in evaluated(plan) {
        let area = card.objective.macroarea.as_ref().map(|m| plan.macroarea_name(m)).unwrap_or_else(|| card.owner.clone());
        if current_area.as_ref() != Some(&area) {
            blocks.push(Block::Heading { level: 1, text: area.clone() });
            current_area = Some(area);
        }
        let o = &card.objective;
        blocks.push(Block::Heading { level: 2, text: format!("{} · {}", o.code, o.title) });
        let planned = if card.actions.is_empty() {
            card.indicators.iter().map(|i| format!("• {}", i.text)).collect::<Vec<_>>().join("\n")
        } else {
            card.actions.iter().map(|a| format!("• {}", a.text)).collect::<Vec<_>>().join("\n")
        };
        let problems = match (&e.problems, &e.improvement_plan) {
            (Some(p), Some(i)) => format!("{p}\nPiano di miglioramento:\n{i}"),
            (Some(p), None) => p.clone(),
            (None, Some(i)) => format!("Piano di miglioramento:\n{i}"),
            (None, None) => String::new(),
        };
        let mut rows = vec![
            ("OBIETTIVO".to_string(), o.title.clone()),
            ("AZIONI PREVISTE / OUTPUT".into(), planned),
            ("BREVE DESCRIZIONE DELLE AZIONI REALIZZATE".into(), t(&e.actions_done)),
            ("GRADO DI RAGGIUNGIMENTO DELL'OBIETTIVO RISPETTO A CIÒ CHE È STATO DEFINITO NELLA PROGRAMMAZIONE".into(), pct_text(&e.achievement_pct, &e.achievement_note)),
            ("VALUTAZIONE DA PARTE DEGLI UTENTI (OVE PERTINENTE)".into(), t(&e.users_assessment)),
            ("LIVELLO DI COINCIDENZA TRA RISORSE STANZIATE E RISORSE IMPEGNATE / LIQUIDATE".into(), pct_text(&e.resources_match_pct, &e.resources_note)),
            ("CRITICITÀ RILEVATE".into(), problems),
            (
                "QUESTO OBIETTIVO HA ADEGUATAMENTE RISPOSTO AD UN BISOGNO PRODUCENDO UN CAMBIAMENTO POSITIVO NELL'AREA INDIVIDUATA COME PROBLEMATICA?".into(),
                answer_text(&e.answered_need, &e.answered_need_text),
            ),
            (format!("L'OBIETTIVO ERA IN CONTINUITÀ CON LA PROGRAMMAZIONE PRECEDENTE {previous}?"), answer_text(&e.continuity, &e.continuity_text)),
            (format!("L'OBIETTIVO VERRÀ RIPROPOSTO NELLA PROSSIMA PROGRAMMAZIONE {next}?"), answer_text(&e.reproposed, &e.reproposed_text)),
        ];
        rows.retain(|(_, v)| !v.trim().is_empty());
        blocks.push(Block::Fields { rows });
        if !card.evidence.is_empty() {
            blocks.push(Block::Heading { level: 3, text: "Evidenze qualitative".into() });
            blocks.push(Block::Table {
                header: ["Data", "Tipo", "Partecipanti", "Esiti principali", "Citazioni"].map(String::from).to_vec(),
                rows: card
                    .evidence
                    .iter()
                    .map(|ev| {
                        vec![
                            it_date(&ev.held_on),
                            EvidenceKind::parse(&ev.kind).map(|k| k.label()).unwrap_or("").to_string(),
                            format!("{} ({})", ev.participants, ev.roles),
                            ev.findings.clone(),
                            t(&ev.quotes).lines().map(|q| format!("«{q}»")).collect::<Vec<_>>().join("\n"),
                        ]
                    })
                    .collect(),
                widths: vec![10, 14, 18, 34, 24],
            });
        }
    }
    Doc {
        title: format!("Valutazione degli obiettivi del Piano di Zona {}", plan.plan.triennium),
        subtitle: format!("Esiti della programmazione {} · {} obiettivi valutati", plan.plan.triennium, evaluated(plan).count()),
        ambito: plan.ambito.name.clone(),
        blocks,
    }
}

pub fn evaluation_sheets(plan: &PlanView) -> Vec<Sheet> {
    let text = |s: String| if s.is_empty() { Cell::Empty } else { Cell::Text(s) };
    let num = |v: &Option<String>| v.as_deref().and_then(|t| t.parse::<Decimal>().ok()).map(|d| Cell::Number(d, 0)).unwrap_or(Cell::Empty);
    let rows = evaluated(plan)
        .map(|(c, e)| {
            vec![
                Cell::Text(c.objective.code.clone()),
                Cell::Text(c.objective.title.clone()),
                text(c.objective.macroarea.as_ref().map(|m| plan.macroarea_name(m)).unwrap_or_default()),
                text(t(&e.actions_done)),
                num(&e.achievement_pct),
                text(t(&e.achievement_note)),
                text(t(&e.users_assessment)),
                num(&e.resources_match_pct),
                text(t(&e.problems)),
                text(t(&e.improvement_plan)),
                text(answer_text(&e.answered_need, &e.answered_need_text)),
                text(answer_text(&e.continuity, &e.continuity_text)),
                text(answer_text(&e.reproposed, &e.reproposed_text)),
            ]
        })
        .collect();
    vec![Sheet {
        name: format!("Valutazione {}", plan.plan.triennium),
        header: [
            "Codice",
            "Obiettivo",
            "Macroarea",
            "Azioni realizzate",
            "Grado di raggiungimento %",
            "Nota sul raggiungimento",
            "Valutazione degli utenti",
            "Coincidenza risorse %",
            "Criticità",
            "Piano di miglioramento",
            "Ha risposto al bisogno",
            "Continuità",
            "Riproposto",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        widths: vec![10.0, 40.0, 28.0, 50.0, 12.0, 20.0, 40.0, 12.0, 50.0, 40.0, 40.0, 20.0, 40.0],
    }]
}

pub fn status_label(s: Status) -> &'static str {
    s.label()
}

/// Lines worth a row in the printed report: with a value, a correction or a comment. The rest
/// are counted; the XLSX lists every indicator.
fn reported(l: &super::monitoring::RoundLine) -> bool {
    l.value.is_some() || l.correction.is_some() || l.stored.as_ref().is_some_and(|s| s.comment.is_some())
}

fn monitoring_rows(round: &RoundView) -> Vec<Vec<String>> {
    round
        .lines
        .iter()
        .filter(|l| reported(l))
        .map(|l| {
            let i = &l.indicator;
            let value = match l.value {
                Some(v) => value_text(&i.measure, Some(v)),
                None => "–".into(),
            };
            let correction = match &l.correction {
                Some((now, Some(diff))) => format!("ora {} (diff. {})", value_text(&i.measure, *now), it_number(*diff, 2)),
                Some((now, None)) => {
                    format!("ora {}", now.map(|v| value_text(&i.measure, Some(v))).unwrap_or_else(|| "senza valore".into()))
                }
                None => String::new(),
            };
            vec![
                l.card_code.clone(),
                i.text.clone(),
                l.linked.clone().unwrap_or_else(|| "Manuale".into()),
                baseline_text(&i.measure, &i.baseline_value, i.baseline_year),
                target_text(&i.measure, &i.target_value, &i.target_date),
                value,
                l.status.label().to_string(),
                correction,
                l.stored.as_ref().and_then(|s| s.comment.clone()).unwrap_or_default(),
            ]
        })
        .collect()
}

pub fn monitoring_doc(plan: &PlanView, round: &RoundView) -> Doc {
    let state = match (&round.round.closed_at, round.is_open()) {
        (Some(c), false) => format!("chiusa il {} da {} (valori congelati)", it_date(c), round.round.closed_by.clone().unwrap_or_default()),
        _ => "aperta (valori provvisori)".into(),
    };
    let blocks = vec![
        Block::Heading { level: 2, text: "Stato degli indicatori".into() },
        Block::Table {
            header: vec!["Stato".into(), "Indicatori".into()],
            rows: Status::ALL.iter().map(|s| vec![s.label().to_string(), round.count(*s).to_string()]).collect(),
            widths: vec![60, 40],
        },
        Block::Paragraph {
            text:
                "In linea: l'avanzamento verso l'obiettivo tiene il passo del tempo trascorso; a rischio: almeno tre quarti di quel passo; \
                   fuori linea: meno. La colonna «Correzioni» riporta i dati dell'Ambito corretti dopo la chiusura: il valore della \
                   rilevazione resta quello congelato."
                    .into(),
        },
        Block::Paragraph {
            text: format!(
                "{} indicatori hanno un valore in questa rilevazione; gli altri {} non sono stati rilevati e compaiono solo nel file XLSX.",
                round.lines.iter().filter(|l| reported(l)).count(),
                round.lines.iter().filter(|l| !reported(l)).count()
            ),
        },
        Block::Heading { level: 1, text: "Indicatori".into() },
        Block::Table {
            header: ["Scheda", "Indicatore", "Fonte", "Partenza", "Obiettivo", "Valore", "Stato", "Correzioni", "Commento"]
                .map(String::from)
                .to_vec(),
            rows: monitoring_rows(round),
            widths: vec![7, 27, 13, 8, 8, 9, 8, 10, 10],
        },
    ];
    Doc {
        title: format!("Monitoraggio del Piano di Zona {}", plan.plan.triennium),
        subtitle: format!("{} · {state}", round.label()),
        ambito: plan.ambito.name.clone(),
        blocks,
    }
}

pub fn monitoring_sheets(round: &RoundView) -> Vec<Sheet> {
    let num = |v: Option<Decimal>, measure: &str| {
        v.map(|d| Cell::Number(d, MeasureType::parse(measure).map(|m| m.decimals()).unwrap_or(2))).unwrap_or(Cell::Empty)
    };
    let rows = round
        .lines
        .iter()
        .map(|l| {
            let i = &l.indicator;
            vec![
                Cell::Text(l.card_code.clone()),
                Cell::Text(i.code.clone()),
                Cell::Text(i.text.clone()),
                Cell::Text(IndicatorKind::parse(&i.kind).map(|k| k.label()).unwrap_or("").into()),
                Cell::Text(MeasureType::parse(&i.measure).map(|k| k.label()).unwrap_or("").into()),
                Cell::Text(l.linked.clone().unwrap_or_else(|| "Manuale".into())),
                num(i.baseline_value.as_deref().and_then(|t| t.parse().ok()), "per_1000"),
                num(i.target_value.as_deref().and_then(|t| t.parse().ok()), "per_1000"),
                num(l.observed, "per_1000"),
                num(l.value, &i.measure),
                Cell::Text(l.status.label().into()),
                l.correction.as_ref().and_then(|(now, _)| *now).map(|v| Cell::Number(v, 2)).unwrap_or(Cell::Empty),
                l.blank.clone().map(Cell::Text).unwrap_or(Cell::Empty),
                l.stored.as_ref().and_then(|s| s.evidence.clone()).map(Cell::Text).unwrap_or(Cell::Empty),
                l.stored.as_ref().and_then(|s| s.comment.clone()).map(Cell::Text).unwrap_or(Cell::Empty),
                l.stored.as_ref().and_then(|s| s.entered_by.clone()).map(Cell::Text).unwrap_or(Cell::Empty),
                l.stored.as_ref().and_then(|s| s.entered_at.clone()).map(Cell::Text).unwrap_or(Cell::Empty),
            ]
        })
        .collect();
    vec![Sheet {
        name: format!("Rilevazione {}", round.round.number),
        header: [
            "Scheda",
            "Codice",
            "Indicatore",
            "Tipo",
            "Misura",
            "Fonte",
            "Partenza",
            "Obiettivo",
            "Rilevato",
            "Valore",
            "Stato",
            "Valore corretto oggi",
            "Motivo dato mancante",
            "Evidenza",
            "Commento",
            "Inserito da",
            "Inserito il",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        widths: vec![9.0, 12.0, 50.0, 10.0, 18.0, 24.0, 10.0, 10.0, 10.0, 10.0, 12.0, 12.0, 24.0, 30.0, 30.0, 16.0, 20.0],
    }]
}

/// The documents are drawn from the views as `figures` shows them, so a reader of suppressed
/// figures gets the same hidden cells in a PDF, DOCX or XLSX as on the page.
impl App {
    pub async fn plan_document(&self, ambito_code: &str, triennium: &str, figures: Figures) -> Result<Doc> {
        Ok(plan_doc(&self.plan_view_for(ambito_code, triennium, figures).await?))
    }

    pub async fn evaluation_document(&self, ambito_code: &str, triennium: &str, figures: Figures) -> Result<(Doc, Vec<Sheet>)> {
        let plan = self.plan_view_for(ambito_code, triennium, figures).await?;
        Ok((evaluation_doc(&plan), evaluation_sheets(&plan)))
    }

    pub async fn monitoring_document(
        &self,
        ambito_code: &str,
        triennium: &str,
        number: i64,
        figures: Figures,
    ) -> Result<(Doc, Vec<Sheet>)> {
        let (plan, round) = self.round_view_for(ambito_code, triennium, number, figures).await?;
        Ok((monitoring_doc(&plan, &round), monitoring_sheets(&round)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_do_not_repeat_themselves() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(answer_text(&s("si"), &s("Sì. Con le scuole")), "Sì. Con le scuole");
        assert_eq!(answer_text(&s("si"), &s("con le scuole")), "Sì. con le scuole");
        assert_eq!(answer_text(&s("si"), &s("Si reputa indispensabile")), "Sì. Si reputa indispensabile");
        assert_eq!(answer_text(&s("si"), &s("Si, per la fascia 0/3")), "Si, per la fascia 0/3");
        assert_eq!(answer_text(&s("parziale"), &None), "Parzialmente");
        assert_eq!(answer_text(&None, &s("testo")), "testo");
        assert_eq!(it_date("2021-12-15"), "15/12/2021");
        assert_eq!(it_date("2025-06-30T10:00:00Z"), "30/06/2025");
    }
}
