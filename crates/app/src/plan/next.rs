//! Ex-post → ex-ante: the evaluation of one plan opens the next. One action creates the next
//! triennium's draft with the macroareas, and every Ambito card whose evaluation says it will be
//! re-proposed, linked to its ancestor; its indicators come along, linked too, with the last
//! frozen value as the new baseline.

use super::view::load;
use crate::access::Actor;
use crate::{App, AppError, Result};
use ambito_domain::plan::{MeasureType, next_triennium};
use ambito_store as store;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextPlan {
    pub triennium: String,
    pub carried: usize,
    pub baselines: usize,
}

impl App {
    pub async fn start_next_plan(&self, actor: &Actor<'_>, ambito_code: &str, triennium: &str) -> Result<NextPlan> {
        let next = next_triennium(triennium).ok_or_else(|| AppError::Invalid(format!("triennio non valido «{triennium}»")))?;
        let mut tx = self.store.write().await?;
        let plan = load(&mut tx, ambito_code, triennium).await?;
        if store::plan_by_triennium(&mut tx, plan.ambito.id, &next).await?.is_some() {
            return Err(AppError::Invalid(format!("il Piano di Zona {next} esiste già")));
        }
        let new_id = store::upsert_plan(
            &mut tx,
            &store::PlanRow {
                ambito_id: plan.ambito.id,
                triennium: next.clone(),
                title: format!("Piano di Zona {next}"),
                status: "draft".into(),
                previous_triennium: Some(triennium.to_string()),
                notes: Some(format!("Bozza creata dalla valutazione del piano {triennium}.")),
                ..store::PlanRow::default()
            },
        )
        .await?;
        store::replace_macroareas(&mut tx, new_id, &plan.macroareas).await?;
        // The last frozen value of every indicator: the new starting point.
        let values = store::values_of_plan(&mut tx, plan.plan.id).await?;
        let mut last: HashMap<i64, (i64, store::ValueRow)> = HashMap::new();
        for r in plan.rounds.iter().filter(|r| r.status == "closed") {
            for v in values.iter().filter(|v| v.round_id == r.id && v.value.is_some()) {
                let newer = last.get(&v.indicator_id).is_none_or(|(n, _)| r.number > *n);
                if newer {
                    last.insert(v.indicator_id, (r.number, v.clone()));
                }
            }
        }
        let year_of: HashMap<i64, i64> = plan.rounds.iter().map(|r| (r.number, r.year)).collect();
        let (mut carried, mut baselines) = (0, 0);
        for card in plan.cards.iter().filter(|c| c.objective.level == "ambito") {
            let reproposed = card.evaluation.as_ref().and_then(|e| e.reproposed.as_deref()) == Some("si");
            if !reproposed {
                continue;
            }
            let old = &card.objective;
            let new_objective = store::ObjectiveRow {
                id: 0,
                triennium: next.clone(),
                position: carried as i64,
                ancestor_id: Some(old.id),
                continuity: Some("si".into()),
                continuity_text: Some(format!("In continuità con l'obiettivo {} del piano {triennium}.", old.code)),
                ..old.clone()
            };
            let id = store::upsert_objective(&mut tx, &new_objective).await?;
            store::replace_resources(&mut tx, id, &card.resources).await?;
            carried += 1;
            for ind in &card.indicators {
                let frozen = last.get(&ind.id);
                // A % change is measured from the raw figure; every other measure from its value.
                let baseline = frozen.and_then(|(_, v)| {
                    if MeasureType::parse(&ind.measure) == Some(MeasureType::ChangePct) { v.observed.clone() } else { v.value.clone() }
                });
                if baseline.is_some() {
                    baselines += 1;
                }
                store::upsert_indicator(
                    &mut tx,
                    &store::IndicatorRow {
                        id: 0,
                        objective_id: id,
                        baseline_year: baseline.as_ref().and_then(|_| frozen.and_then(|(n, _)| year_of.get(n).copied())),
                        baseline_value: baseline,
                        target_value: None,
                        target_date: None,
                        ancestor_id: Some(ind.id),
                        ..ind.clone()
                    },
                )
                .await?;
            }
        }
        // Recorded against the plan it starts from: the evaluation of that plan is what opens the next.
        self.audit_plan_write(&mut tx, actor, &plan.ambito.code, triennium, "plan.next", &format!(" → {next}")).await?;
        tx.commit().await?;
        Ok(NextPlan { triennium: next, carried, baselines })
    }
}
