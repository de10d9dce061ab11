//! The plan as pages and documents show it: the plan, its macroareas and every card the Ambito
//! sees, each with resources, actions, indicators, the Ambito's evaluation and evidence.

use crate::access::Actor;
use crate::{App, AppError, Result};
use ambito_store::{self as store, AmbitoRow, AnyConnection, Scopes};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Card {
    pub objective: store::ObjectiveRow,
    /// Who owns the card: "Ambito", "Distretto Bergamo Est", "ATS Bergamo".
    pub owner: String,
    pub resources: Vec<store::ResourceRow>,
    pub actions: Vec<store::ActionRow>,
    pub indicators: Vec<store::IndicatorRow>,
    pub evaluation: Option<store::EvaluationRow>,
    pub evidence: Vec<store::EvidenceRow>,
    /// `TRIENNIUM/CODE` of the card this one continues.
    pub ancestor: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanView {
    pub ambito: AmbitoRow,
    /// Internal ids of the Ambito's Distretto and ATS: the API shows the names on the cards.
    #[serde(skip)]
    pub scopes: Scopes,
    pub plan: store::PlanRow,
    pub macroareas: Vec<store::MacroareaRow>,
    pub cards: Vec<Card>,
    pub rounds: Vec<store::RoundRow>,
}

impl PlanView {
    pub fn card(&self, objective_id: i64) -> Option<&Card> {
        self.cards.iter().find(|c| c.objective.id == objective_id)
    }

    /// The monitoring round with this number, or the error every round route answers.
    pub fn round(&self, number: i64) -> crate::Result<&store::RoundRow> {
        self.rounds
            .iter()
            .find(|r| r.number == number)
            .ok_or_else(|| crate::AppError::NotFound(format!("rilevazione {number} inesistente")))
    }

    pub fn macroarea_name(&self, code: &str) -> String {
        self.macroareas.iter().find(|m| m.code == code).map(|m| m.name.clone()).unwrap_or_else(|| code.to_string())
    }

    /// First and last year of the triennium.
    pub fn years(&self) -> (i32, i32) {
        ambito_domain::plan::parse_triennium(&self.plan.triennium).unwrap_or((2021, 2023))
    }
}

pub(crate) async fn load(conn: &mut AnyConnection, ambito_code: &str, triennium: &str) -> Result<PlanView> {
    let ambito = store::ambito_by_code(conn, ambito_code).await?.ok_or_else(|| AppError::AmbitoNotFound(ambito_code.into()))?;
    let plan = store::plan_by_triennium(conn, ambito.id, triennium)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("nessun Piano di Zona {triennium} per l'Ambito {ambito_code}")))?;
    let scopes = store::scopes_of(conn, ambito.id).await?;
    let mut cards = Vec::new();
    for o in store::visible_objectives(conn, &scopes, triennium).await? {
        let owner = match o.level.as_str() {
            "distretto" => scopes.distretto.as_ref().map(|d| d.2.clone()).unwrap_or_else(|| "Distretto".into()),
            "provincia" => scopes.ats.as_ref().map(|d| format!("Livello provinciale ({})", d.2)).unwrap_or_else(|| "Provinciale".into()),
            _ => "Ambito".into(),
        };
        let ancestor = match o.ancestor_id {
            Some(id) => store::objective_by_id(conn, id).await?.map(|a| format!("{}/{}", a.triennium, a.code)),
            None => None,
        };
        cards.push(Card {
            owner,
            resources: store::resources(conn, o.id).await?,
            actions: store::actions(conn, o.id).await?,
            indicators: store::indicators_of(conn, o.id).await?,
            evaluation: store::evaluation_of(conn, o.id, ambito.id).await?,
            evidence: store::evidence_of(conn, o.id, ambito.id).await?,
            ancestor,
            objective: o,
        });
    }
    Ok(PlanView {
        macroareas: store::macroareas(conn, plan.id).await?,
        rounds: store::rounds_of(conn, plan.id).await?,
        ambito,
        scopes,
        plan,
        cards,
    })
}

impl App {
    pub async fn plan_view(&self, ambito_code: &str, triennium: &str) -> Result<PlanView> {
        let mut conn = self.store.read().await?;
        load(&mut conn, ambito_code, triennium).await
    }

    /// The plan as `figures` lets the reader see it.
    pub async fn plan_view_for(&self, ambito_code: &str, triennium: &str, figures: super::Figures) -> Result<PlanView> {
        let mut plan = self.plan_view(ambito_code, triennium).await?;
        if figures == super::Figures::Suppressed {
            super::suppressed::suppress_plan(&mut plan);
        }
        Ok(plan)
    }

    pub async fn plans(&self, ambito_code: &str) -> Result<Vec<store::PlanRow>> {
        let a = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        Ok(store::list_plans(&mut conn, a.id).await?)
    }

    /// Approves a draft plan with its act (body, number, date).
    pub async fn approve_plan(
        &self,
        actor: &Actor<'_>,
        ambito_code: &str,
        triennium: &str,
        body: &str,
        number: &str,
        date: &str,
    ) -> Result<()> {
        if body.trim().is_empty() || !super::valid_date(date.trim()) {
            return Err(AppError::Invalid("indicare l'organo e una data valida (AAAA-MM-GG) dell'atto di approvazione".into()));
        }
        let mut tx = self.store.write().await?;
        let a = store::ambito_by_code(&mut tx, ambito_code).await?.ok_or_else(|| AppError::AmbitoNotFound(ambito_code.into()))?;
        let mut plan = store::plan_by_triennium(&mut tx, a.id, triennium)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("nessun Piano di Zona {triennium}")))?;
        plan.status = "approved".into();
        plan.approval_body = Some(body.trim().into());
        plan.approval_number = Some(number.trim().to_string()).filter(|s| !s.is_empty());
        plan.approval_date = Some(date.trim().into());
        store::upsert_plan(&mut tx, &plan).await?;
        self.audit_plan_write(&mut tx, actor, &a.code, triennium, "plan.approve", "").await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// What an indicator can be linked to in this Ambito's engine: (link text, description).
    pub async fn plan_link_choices(&self, ambito_code: &str) -> Result<(Vec<(String, String)>, Vec<String>)> {
        use ambito_domain::measures::Measure;
        use ambito_domain::plan::link::LinkRef;
        let a = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        let services = store::list_services(&mut conn, a.id).await?;
        let areas = store::list_areas(&mut conn, a.id).await?;
        let terms: Vec<String> = Measure::ALL.iter().map(|m| m.term().to_string()).chain(["budget".to_string()]).collect();
        let mut out = Vec::new();
        let mut push = |text: String| {
            if let Ok(l) = LinkRef::parse(&text) {
                out.push((text, l.describe()));
            }
        };
        for t in &terms {
            push(format!("ambito:{t}"));
        }
        for area in &areas {
            for t in &terms {
                push(format!("area:{}:{t}", area.name));
            }
        }
        for s in &services {
            for t in terms.iter().chain(["indicatore".to_string(), "target".to_string()].iter()) {
                push(format!("servizio:{}:{t}", s.code));
            }
        }
        let targets = store::list_targets(&mut conn, a.id).await?.into_iter().map(|t| t.name).collect();
        Ok((out, targets))
    }
}
