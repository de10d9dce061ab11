//! The demo plans: Alto Sebino's real Piano di Zona 2021-2023 (every card of
//! `shared/domain/plan-2021-2023-alto-sebino.json`) and its 2018-2020 evaluation (plan §4), a
//! second Ambito's plans for the province view, and two monitoring rounds per Ambito, run
//! through the same workflow users run (open, enter manual values with evidence, close). Files
//! are produced by `scripts/make_plan_demo.py` in ambito's own plan format.

use crate::{App, AppError, Result};
use ambito_store as store;
use serde::Deserialize;

const PLANS: [(&str, &str); 4] = [
    ("alto_sebino-2018-2020.json", include_str!("../../demo/plan/alto_sebino-2018-2020.json")),
    ("alto_sebino-2021-2023.json", include_str!("../../demo/plan/alto_sebino-2021-2023.json")),
    ("basso_sebino-2018-2020.json", include_str!("../../demo/plan/basso_sebino-2018-2020.json")),
    ("basso_sebino-2021-2023.json", include_str!("../../demo/plan/basso_sebino-2021-2023.json")),
];
/// The demo is loaded by an operator (`ambito demo`, `serve --demo`), so its writes are audited as
/// the command line's.
const DEMO: crate::access::Actor<'static> = crate::access::Actor::COMMAND_LINE;
const ROUNDS: &str = include_str!("../../demo/plan/monitoring.json");

#[derive(Deserialize)]
struct DemoRound {
    ambito: String,
    triennium: String,
    year: i64,
    half: i64,
    closed_by: String,
    values: Vec<DemoValue>,
}

#[derive(Deserialize)]
struct DemoValue {
    indicator: String,
    observed: String,
    #[serde(default)]
    denominator: String,
    evidence: String,
    #[serde(default)]
    comment: String,
    entered_by: String,
}

impl App {
    /// Loads the demo plans and runs their monitoring rounds. A plan already in the database is
    /// left as it is, so frozen rounds stay frozen when the demo is loaded again.
    pub async fn load_plan_demo(&self) -> Result<usize> {
        let mut loaded = 0;
        for (name, text) in PLANS {
            let mut f = crate::problems::Findings::default();
            let Some((file, _)) = super::parse_plan_file(name, text.as_bytes(), &mut f) else {
                return Err(AppError::Internal(format!("piano demo {name} non valido")));
            };
            let exists = {
                let mut conn = self.store.read().await?;
                let a =
                    store::ambito_by_code(&mut conn, &file.ambito).await?.ok_or_else(|| AppError::AmbitoNotFound(file.ambito.clone()))?;
                store::plan_by_triennium(&mut conn, a.id, &file.triennium).await?.is_some()
            };
            if exists {
                continue;
            }
            let outcome = self.import_plan(&DEMO, super::PlanTenant::Ambito(&file.ambito), name, text.as_bytes()).await?;
            if !outcome.applied {
                let errors: Vec<String> = outcome.findings.errors.iter().take(10).map(|e| e.to_string()).collect();
                return Err(AppError::Internal(format!("piano demo non valido: {}", errors.join("; "))));
            }
            loaded += 1;
        }
        let rounds: Vec<DemoRound> = serde_json::from_str(ROUNDS).map_err(|e| AppError::Internal(format!("rilevazioni demo: {e}")))?;
        for r in rounds {
            let plan = self.plan_view(&r.ambito, &r.triennium).await?;
            if plan.rounds.iter().any(|x| x.year == r.year && x.half == r.half) {
                continue;
            }
            let number = self.open_round(&DEMO, &r.ambito, &r.triennium, r.year, r.half).await?;
            for v in &r.values {
                let Some(ind) = plan.cards.iter().flat_map(|c| &c.indicators).find(|i| i.code == v.indicator) else {
                    return Err(AppError::Internal(format!("rilevazione demo: indicatore {} inesistente", v.indicator)));
                };
                let f = self
                    .record_value(
                        &DEMO,
                        &r.ambito,
                        &r.triennium,
                        number,
                        ind.id,
                        &v.observed,
                        &v.denominator,
                        &v.evidence,
                        &v.comment,
                        &v.entered_by,
                    )
                    .await?;
                if f.has_errors() {
                    return Err(AppError::Internal(format!("rilevazione demo {}: {}", v.indicator, f.errors[0])));
                }
            }
            self.close_round(&DEMO, &r.ambito, &r.triennium, number, &r.closed_by).await?;
        }
        Ok(loaded)
    }
}
