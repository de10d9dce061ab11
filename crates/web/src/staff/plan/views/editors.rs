//! The card, indicator and evaluation editors.

use super::*;

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
