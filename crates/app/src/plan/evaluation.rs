//! End-of-cycle evaluation cards (fields of seed 004 and of plan §4) and qualitative evidence.
//! The card's figures are the staff's judgement; the page shows next to them what the data say:
//! the indicators' mean achievement at the last closed round, and the match between allocated
//! and committed resources of the services the objective spends on.

use super::suppressed::Figures;
use super::view::load;
use super::{split, typed_decimal};
use crate::access::Actor;
use crate::problems::{Findings, Msg};
use crate::{App, AppError, Result};
use ambito_domain::plan::rules::{self, resource_match_pct};
use ambito_domain::plan::{Answer, EvidenceKind};
use ambito_domain::value::Value;
use ambito_store::{self as store, AnyConnection};
use rust_decimal::Decimal;

/// What the data say about an objective at the end of the cycle.
#[derive(Debug, Clone)]
pub struct EvaluationHints {
    /// Mean achievement of the indicators at the last closed round, as a percentage.
    pub achievement_pct: Option<Decimal>,
    pub judged_indicators: usize,
    pub allocated: Option<Decimal>,
    pub committed: Option<Decimal>,
    /// Committed over allocated, over the plan's years (and any later round year).
    pub resources_match: Value,
}

/// Fields of the evaluation form as typed.
#[derive(Debug, Clone, Default)]
pub struct EvaluationForm {
    pub actions_done: String,
    pub achievement_pct: String,
    pub achievement_note: String,
    pub users_assessment: String,
    pub resources_match_pct: String,
    pub resources_note: String,
    pub problems: String,
    pub improvement_plan: String,
    pub answered_need: String,
    pub answered_need_text: String,
    pub continuity: String,
    pub continuity_text: String,
    pub reproposed: String,
    pub reproposed_text: String,
}

#[derive(Debug, Clone, Default)]
pub struct EvidenceForm {
    pub kind: String,
    pub date: String,
    pub participants: String,
    pub roles: String,
    pub findings: String,
    pub quotes: String,
    pub attachments: String,
    pub names_consented: bool,
}

use super::non_empty as opt;

async fn budgets(
    conn: &mut AnyConnection,
    ambito_id: i64,
    services: &[String],
    years: impl Iterator<Item = i64>,
) -> Result<(Option<Decimal>, Option<Decimal>)> {
    if services.is_empty() {
        return Ok((None, None));
    }
    let ids: Vec<i64> =
        store::list_services(conn, ambito_id).await?.into_iter().filter(|s| services.contains(&s.code)).map(|s| s.id).collect();
    let (mut allocated, mut committed) = (None::<Decimal>, None::<Decimal>);
    for y in years {
        for (service_id, phase, amount) in store::budget_phases(conn, ambito_id, y).await? {
            if !ids.contains(&service_id) {
                continue;
            }
            match phase.as_str() {
                "stanziato" => allocated = Some(allocated.unwrap_or_default() + amount),
                "impegnato" => committed = Some(committed.unwrap_or_default() + amount),
                _ => {}
            }
        }
    }
    Ok((allocated, committed))
}

impl App {
    /// What the data say about one card. The achievement comes from the last closed round as
    /// `figures` shows it, so an indicator hidden from the reader does not count towards it.
    pub async fn evaluation_hints(
        &self,
        ambito_code: &str,
        triennium: &str,
        objective_id: i64,
        figures: Figures,
    ) -> Result<EvaluationHints> {
        let plan = self.plan_view(ambito_code, triennium).await?;
        let card = plan.card(objective_id).ok_or_else(|| AppError::NotFound("scheda non presente nel piano".into()))?;
        let last = plan.rounds.iter().filter(|r| r.status == "closed").max_by_key(|r| r.number);
        let mut achievements = Vec::new();
        if let Some(round) = last {
            let (_, view) = self.round_view_for(ambito_code, triennium, round.number, figures).await?;
            achievements
                .extend(view.lines.iter().filter(|l| l.objective_id == objective_id && l.value.is_some()).filter_map(|l| l.achievement));
        }
        let (first, last_year) = plan.years();
        let until = plan.rounds.iter().map(|r| r.year as i32).max().unwrap_or(last_year).max(last_year);
        let mut conn = self.store.read().await?;
        let (allocated, committed) =
            budgets(&mut conn, plan.ambito.id, &split(&card.objective.services), (first..=until).map(i64::from)).await?;
        Ok(EvaluationHints {
            achievement_pct: rules::suggested_achievement_pct(&achievements),
            judged_indicators: achievements.len(),
            allocated,
            committed,
            resources_match: resource_match_pct(allocated, committed),
        })
    }

    /// Saves the Ambito's evaluation card of an objective. An empty resources match is filled
    /// from the budgets when the objective's services have any.
    pub async fn save_evaluation(
        &self,
        actor: &Actor<'_>,
        ambito_code: &str,
        triennium: &str,
        objective_id: i64,
        form: &EvaluationForm,
    ) -> Result<Findings> {
        let mut f = Findings::default();
        let pct = |f: &mut Findings, label: &str, t: &str, max: Option<Decimal>| -> Option<String> {
            let t = t.trim().trim_end_matches('%').trim();
            if t.is_empty() {
                return None;
            }
            match typed_decimal(t) {
                Some(d) if !d.is_sign_negative() && max.is_none_or(|m| d <= m) => Some(d.normalize().to_string()),
                _ => {
                    f.error(
                        "valutazione",
                        None,
                        Some(label),
                        Msg::new(format!("percentuale non valida «{t}»"), format!("invalid percentage «{t}»")),
                    );
                    None
                }
            }
        };
        let answer = |f: &mut Findings, label: &str, t: &str| -> Option<String> {
            if t.trim().is_empty() {
                return None;
            }
            match Answer::parse(t) {
                Some(a) => Some(a.code().to_string()),
                None => {
                    f.error(
                        "valutazione",
                        None,
                        Some(label),
                        Msg::new(format!("risposta non ammessa «{t}»"), format!("answer not allowed «{t}»")),
                    );
                    None
                }
            }
        };
        let achievement_pct = pct(&mut f, "Grado di raggiungimento", &form.achievement_pct, Some(Decimal::ONE_HUNDRED));
        let mut resources_match_pct = pct(&mut f, "Coincidenza risorse", &form.resources_match_pct, None);
        let answered_need = answer(&mut f, "Ha risposto al bisogno", &form.answered_need);
        let continuity = answer(&mut f, "Continuità", &form.continuity);
        let reproposed = answer(&mut f, "Riproposto", &form.reproposed);
        if f.has_errors() {
            return Ok(f);
        }
        if resources_match_pct.is_none()
            && let Value::Number(n) = self.evaluation_hints(ambito_code, triennium, objective_id, Figures::All).await?.resources_match
        {
            resources_match_pct = Some(ambito_domain::format::round_half_up(n, 1).normalize().to_string());
        }
        let mut tx = self.store.write().await?;
        let plan = load(&mut tx, ambito_code, triennium).await?;
        let Some(card) = plan.card(objective_id) else { return Err(AppError::NotFound("scheda non presente nel piano".into())) };
        let what = format!("/schede/{}/valutazione", card.objective.code);
        store::upsert_evaluation(
            &mut tx,
            &store::EvaluationRow {
                objective_id,
                ambito_id: plan.ambito.id,
                actions_done: opt(&form.actions_done),
                achievement_pct,
                achievement_note: opt(&form.achievement_note),
                users_assessment: opt(&form.users_assessment),
                resources_match_pct,
                resources_note: opt(&form.resources_note),
                problems: opt(&form.problems),
                improvement_plan: opt(&form.improvement_plan),
                answered_need,
                answered_need_text: opt(&form.answered_need_text),
                continuity,
                continuity_text: opt(&form.continuity_text),
                reproposed,
                reproposed_text: opt(&form.reproposed_text),
                updated_at: super::now(),
            },
        )
        .await?;
        self.audit_plan_write(&mut tx, actor, &plan.ambito.code, triennium, "plan.evaluation", &what).await?;
        tx.commit().await?;
        Ok(f)
    }

    /// Adds a record of qualitative evidence to an objective.
    pub async fn add_evidence(
        &self,
        actor: &Actor<'_>,
        ambito_code: &str,
        triennium: &str,
        objective_id: i64,
        form: &EvidenceForm,
    ) -> Result<Findings> {
        let mut f = Findings::default();
        let place = "evidenza";
        let kind = EvidenceKind::parse(&form.kind);
        if kind.is_none() {
            f.error(place, None, Some("Tipo"), Msg::new("tipo non ammesso", "kind not allowed"));
        }
        if !super::valid_date(form.date.trim()) {
            f.error(place, None, Some("Data"), Msg::new("data non valida (AAAA-MM-GG)", "invalid date (YYYY-MM-DD)"));
        }
        let participants = form.participants.trim().parse::<i64>().ok().filter(|n| *n >= 0);
        if participants.is_none() {
            f.error(place, None, Some("Partecipanti"), Msg::new("numero di partecipanti non valido", "invalid participant count"));
        }
        if form.roles.trim().is_empty() {
            f.error(place, None, Some("Ruoli"), Msg::new("indicare i ruoli dei partecipanti", "give the participants' roles"));
        }
        if form.findings.trim().is_empty() {
            f.error(place, None, Some("Esiti"), Msg::new("indicare gli esiti principali", "give the key findings"));
        }
        let (Some(kind), Some(participants)) = (kind, participants) else { return Ok(f) };
        if f.has_errors() {
            return Ok(f);
        }
        let mut tx = self.store.write().await?;
        let plan = load(&mut tx, ambito_code, triennium).await?;
        let Some(card) = plan.card(objective_id) else { return Err(AppError::NotFound("scheda non presente nel piano".into())) };
        let what = format!("/schede/{}/evidenze", card.objective.code);
        store::insert_evidence(
            &mut tx,
            &store::EvidenceRow {
                objective_id,
                ambito_id: plan.ambito.id,
                kind: kind.code().into(),
                held_on: form.date.trim().into(),
                participants,
                roles: form.roles.trim().into(),
                findings: form.findings.trim().into(),
                quotes: opt(&form.quotes),
                attachments: opt(&form.attachments),
                names_consented: form.names_consented,
                ..store::EvidenceRow::default()
            },
        )
        .await?;
        self.audit_plan_write(&mut tx, actor, &plan.ambito.code, triennium, "plan.evidence", &what).await?;
        tx.commit().await?;
        Ok(f)
    }
}
