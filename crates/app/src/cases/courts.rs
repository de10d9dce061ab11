//! Minors and the courts: orders, report deadlines, placements. Court material is judicial data:
//! it shows only to who may write the person's record here (`may_read_court_material`), never to
//! the provider (ente gestore), the evaluator or the citizen, even where they read the person.

use super::interventions::{CaseScope, Checked, today};
use crate::access::Actor;
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::ids::{AmbitoScope, CaseId, CourtOrderId, PersonId};
use ambito_domain::interventions::FieldError;
use ambito_domain::interventions::calendar::{add_days, day, iso};
use ambito_domain::interventions::courts::{
    Court, DeadlineState, OrderForm, OrderKind, PlacementForm, PlacementKind, check_deadline, check_done, check_order, check_placement,
    deadline_state, may_read_court_material,
};
use ambito_store as store;
use serde::Serialize;

/// A report deadline for the lead's work list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineDue {
    pub person_id: i64,
    pub case_id: i64,
    pub cognome: String,
    pub nome: String,
    pub due_on: String,
    pub what: String,
    pub court: String,
    pub manager_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineItem {
    pub row: store::DeadlineRow,
    pub state: DeadlineState,
    pub state_label: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct CourtView {
    pub person: store::PersonRow,
    pub case: store::CaseRow,
    pub orders: Vec<store::CourtOrderRow>,
    pub deadlines: Vec<DeadlineItem>,
    pub placements: Vec<store::PlacementRow>,
}

/// Deadlines within this many days show as "in scadenza" on the court page.
pub const DUE_SOON_DAYS: u32 = 30;

pub fn court_label(code: &str) -> &'static str {
    Court::from_code(code).map_or("Autorità giudiziaria", Court::label)
}

pub fn order_kind_label(code: &str) -> &'static str {
    OrderKind::from_code(code).map_or("", OrderKind::label)
}

pub fn placement_label(code: &str) -> &'static str {
    PlacementKind::from_code(code).map_or("Collocamento", PlacementKind::label)
}

impl App {
    /// The case for court material: the caller must be allowed to write the record (`perm` is
    /// what the route asked, checked too).
    async fn court_scope(&self, p: &Principal, perm: Perm, ambito: &AmbitoScope, person: PersonId, case: CaseId) -> Result<CaseScope> {
        // The court rule first: a reader who may not see court material learns nothing, not
        // even whether the case in the path exists.
        if !self.may_see_court_material(p, ambito, person).await? {
            return Err(AppError::Forbidden);
        }
        self.case_scope(p, perm, ambito, person, case).await
    }

    /// May the caller see this person's court material here? For links on other pages.
    pub async fn may_see_court_material(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId) -> Result<bool> {
        let write = self.person_decision(p, Perm::PersonWrite, ambito.id, person).await?;
        Ok(may_read_court_material(matches!(write, PersonDecision::Allow | PersonDecision::AllowBreakGlass), p.is_citizen_only()))
    }

    pub async fn court_view(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId, case: CaseId) -> Result<CourtView> {
        let scope = self.court_scope(p, Perm::PersonRead, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let t = today();
        let deadlines = store::deadlines_of_case(&mut conn, scope.case.id)
            .await?
            .into_iter()
            .map(|row| {
                let state = match day(&row.due_on) {
                    Some(due) => deadline_state(due, row.done_on.as_deref().and_then(day), t, DUE_SOON_DAYS),
                    None => DeadlineState::Later,
                };
                DeadlineItem { row, state, state_label: state.label() }
            })
            .collect();
        Ok(CourtView {
            orders: store::court_orders_of_case(&mut conn, scope.case.id).await?,
            deadlines,
            placements: store::placements_of_case(&mut conn, scope.case.id).await?,
            person: scope.person,
            case: scope.case,
        })
    }

    /// Records a court order, with its first report deadline when the form has one.
    pub async fn add_court_order(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        form: &OrderForm,
        ip: Option<&str>,
    ) -> Result<Checked<CourtOrderId>> {
        let scope = self.court_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let order = match check_order(form, today()) {
            Ok(o) => o,
            Err(e) => return Ok(Err(e)),
        };
        let mut tx = self.store.write_untracked().await?;
        let new = store::NewCourtOrder {
            case_id: scope.case.id,
            court: order.court.code(),
            number: &order.number,
            issued_on: &order.issued_on,
            kind: order.kind.code(),
            orders: &order.orders,
            created_by: Some(p.user_id),
        };
        let id = store::add_court_order(&mut tx, &new).await?;
        if let Some((due, what)) = &order.deadline {
            store::add_court_deadline(&mut tx, id, scope.case.id, due, what, Some(p.user_id)).await?;
        }
        self.audit_in(&mut tx, event(&scope, p, ambito, &format!("provvedimento/{id}"), ip)).await?;
        tx.commit().await?;
        Ok(Ok(CourtOrderId(id)))
    }

    /// Adds a report deadline to an order of the case.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_court_deadline(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        order: CourtOrderId,
        due_on: &str,
        what: &str,
        ip: Option<&str>,
    ) -> Result<Checked<()>> {
        let scope = self.court_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let mut tx = self.store.write_untracked().await?;
        let Some(o) = store::court_orders_of_case(&mut tx, scope.case.id).await?.into_iter().find(|o| o.id == order.get()) else {
            return Err(AppError::NotFound("provvedimento non trovato".into()));
        };
        let (due, what) = match check_deadline(day(&o.issued_on), due_on, what) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        let id = store::add_court_deadline(&mut tx, o.id, scope.case.id, &due, &what, Some(p.user_id)).await?;
        self.audit_in(&mut tx, event(&scope, p, ambito, &format!("provvedimento/{}/scadenza/{id}", o.id), ip)).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Marks a report deadline of the case as done (the report sent) on `on`.
    #[allow(clippy::too_many_arguments)]
    pub async fn mark_court_deadline_done(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        deadline: i64,
        on: &str,
        ip: Option<&str>,
    ) -> Result<Checked<()>> {
        let scope = self.court_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let on = match check_done(on, today()) {
            Ok(d) => d,
            Err(e) => return Ok(Err(vec![e])),
        };
        let mut tx = self.store.write_untracked().await?;
        if !store::deadlines_of_case(&mut tx, scope.case.id).await?.iter().any(|d| d.id == deadline) {
            return Err(AppError::NotFound("scadenza non trovata".into()));
        }
        if !store::mark_deadline_done(&mut tx, deadline, scope.case.id, &on, p.user_id).await? {
            return Ok(Err(vec![FieldError::new("inviata_il", "la relazione risulta già inviata")]));
        }
        self.audit_in(&mut tx, event(&scope, p, ambito, &format!("scadenza/{deadline}"), ip)).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    pub async fn add_placement(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        form: &PlacementForm,
        ip: Option<&str>,
    ) -> Result<Checked<i64>> {
        let scope = self.court_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let span = scope.span().ok_or_else(|| AppError::Internal(format!("date del caso {} illeggibili", scope.case.id)))?;
        let placement = match check_placement(form, &span) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        let mut tx = self.store.write_untracked().await?;
        if let Some(order) = placement.court_order_id
            && !store::court_orders_of_case(&mut tx, scope.case.id).await?.iter().any(|o| o.id == order)
        {
            return Ok(Err(vec![FieldError::new("provvedimento", "il provvedimento non è di questo caso")]));
        }
        let new = store::NewPlacement {
            case_id: scope.case.id,
            kind: placement.kind.code(),
            place: &placement.place,
            start_on: &placement.start_on,
            end_on: placement.end_on.as_deref(),
            court_order_id: placement.court_order_id,
            created_by: Some(p.user_id),
        };
        let id = store::add_placement(&mut tx, &new).await?;
        self.audit_in(&mut tx, event(&scope, p, ambito, &format!("collocamento/{id}"), ip)).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Open report deadlines of the Ambito due within `within_days` of `today` (`YYYY-MM-DD`),
    /// overdue ones included, soonest first: the work list filters them by worker.
    pub async fn court_deadlines_due(&self, ambito: &AmbitoScope, today: &str, within_days: u32) -> Result<Vec<DeadlineDue>> {
        let t = day(today).ok_or_else(|| AppError::Invalid(format!("data non valida «{today}» (AAAA-MM-GG)")))?;
        let until = add_days(t, i64::from(within_days)).map(iso).ok_or_else(|| AppError::Invalid("intervallo fuori misura".into()))?;
        let mut conn = self.store.read().await?;
        Ok(store::deadlines_due(&mut conn, ambito.id.get(), &until)
            .await?
            .into_iter()
            .map(|r| DeadlineDue {
                person_id: r.person_id,
                case_id: r.case_id,
                cognome: r.cognome,
                nome: r.nome,
                due_on: r.due_on,
                what: r.what,
                court: r.court,
                manager_id: r.manager_id,
            })
            .collect())
    }
}

fn event(scope: &CaseScope, p: &Principal, ambito: &AmbitoScope, object: &str, ip: Option<&str>) -> crate::access::AuditEvent {
    let mut ev = Actor::user(p, ip).event("person.write", object, Some(&ambito.code));
    ev.person_id = Some(scope.person.id);
    ev.flagged = scope.decision == PersonDecision::AllowBreakGlass;
    ev
}
