//! Process D: a case's interventions. Every use case re-checks what the guard decided (the
//! person, with the permission asked) and that the case in the route is this person's and this
//! Ambito's, so no id in a URL reaches another record. Writes are audited in their transaction.

use crate::access::{Actor, now};
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::date::Day;
use ambito_domain::fixed::hours_from_units;
use ambito_domain::ids::{AmbitoScope, CaseId, InterventionId, PersonId};
use ambito_domain::interventions::calendar::{day, iso};
use ambito_domain::interventions::monthly::{MonthRow, Plan, planned_vs_delivered};
use ambito_domain::interventions::suspension::{Span, check_resumption, check_suspension, suspended_on};
use ambito_domain::interventions::{self as rules, CaseSpan, FieldError, InterventionForm, KindData, Unit};
use ambito_store as store;
use rust_decimal::Decimal;
use serde::Serialize;

/// Rows the pages show, named through here (shells never depend on the store).
pub use ambito_store::{CaseRow, InterventionRow};

/// A write the user can correct: the problems, field by field, and nothing stored.
pub type Checked<T> = std::result::Result<T, Vec<FieldError>>;

/// The case of a route, resolved for a caller: the person's, in the route's Ambito.
#[derive(Debug, Clone)]
pub struct CaseScope {
    pub person: store::PersonRow,
    pub case: store::CaseRow,
    pub decision: PersonDecision,
}

impl CaseScope {
    pub fn span(&self) -> Option<CaseSpan> {
        Some(CaseSpan { opened_on: day(&self.case.opened_on)?, closed_on: self.case.closed_on.as_deref().and_then(day), today: today() })
    }

    fn event(&self, p: &Principal, ambito: &AmbitoScope, object: &str, ip: Option<&str>) -> crate::access::AuditEvent {
        let mut ev = Actor::user(p, ip).event("person.write", object, Some(&ambito.code));
        ev.person_id = Some(self.person.id);
        ev.flagged = self.decision == PersonDecision::AllowBreakGlass;
        ev
    }
}

/// Today in UTC, as the rules take it.
pub fn today() -> Day {
    let d = now().date();
    Day::new(d.year(), u8::from(d.month()), d.day()).unwrap_or_else(epoch)
}

#[allow(clippy::unwrap_used)] // 1970-01-01 is a real day (and so is every `time` date).
fn epoch() -> Day {
    Day::new(1970, 1, 1).unwrap()
}

/// One intervention on the list: its current version, whether it is suspended today, and the
/// plan set against deliveries month by month.
#[derive(Debug, Clone, Serialize)]
pub struct InterventionItem {
    pub row: store::InterventionRow,
    pub kind_label: &'static str,
    pub data: Option<KindData>,
    pub suspended: bool,
    pub months: Vec<MonthRow>,
    pub suspensions: Vec<store::SuspensionRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InterventionsView {
    pub scope_person: store::PersonRow,
    pub case: store::CaseRow,
    pub items: Vec<InterventionItem>,
    /// (id, code, name) of the Ambito's catalogue, for the form.
    pub services: Vec<(i64, String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InterventionDetail {
    pub item: InterventionItem,
    pub versions: Vec<store::InterventionRow>,
}

impl App {
    /// The route's case for `perm`: `Forbidden` unless the caller may, `NotFound` unless the case
    /// is this person's and this Ambito's.
    pub async fn case_scope(&self, p: &Principal, perm: Perm, ambito: &AmbitoScope, person: PersonId, case: CaseId) -> Result<CaseScope> {
        let decision = self.person_decision(p, perm, ambito.id, person).await?;
        if !matches!(decision, PersonDecision::Allow | PersonDecision::AllowBreakGlass) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.store.read().await?;
        let not_found = || AppError::NotFound("caso non trovato".into());
        let person_row = store::person(&mut conn, person.get()).await?.ok_or_else(not_found)?;
        let case = store::cases_of(&mut conn, person.get())
            .await?
            .into_iter()
            .find(|c| c.id == case.get() && c.ambito_id == ambito.id.get())
            .ok_or_else(not_found)?;
        Ok(CaseScope { person: person_row, case, decision })
    }

    /// The case's interventions with planned against delivered, and the catalogue for the form.
    pub async fn case_interventions(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
    ) -> Result<InterventionsView> {
        let scope = self.case_scope(p, Perm::PersonRead, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let rows = store::interventions_of_case(&mut conn, scope.case.id).await?;
        let deliveries = store::person_deliveries(&mut conn, scope.person.id, &scope.person.pseudonym).await?;
        let mut items = Vec::new();
        for row in rows {
            let suspensions = store::suspensions_of(&mut conn, row.series_id).await?;
            items.push(item(row, suspensions, &deliveries, &ambito.code));
        }
        let services = store::list_services(&mut conn, ambito.id.get()).await?.into_iter().map(|s| (s.id, s.code, s.name)).collect();
        Ok(InterventionsView { scope_person: scope.person, case: scope.case, items, services })
    }

    pub async fn intervention_detail(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        intervention: InterventionId,
    ) -> Result<InterventionDetail> {
        let scope = self.case_scope(p, Perm::PersonRead, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let row = series_of_case(&mut conn, &scope, intervention).await?;
        let suspensions = store::suspensions_of(&mut conn, row.series_id).await?;
        let versions = store::intervention_versions(&mut conn, row.series_id).await?;
        let deliveries = store::person_deliveries(&mut conn, scope.person.id, &scope.person.pseudonym).await?;
        Ok(InterventionDetail { item: item(row, suspensions, &deliveries, &ambito.code), versions })
    }

    /// Adds an intervention to the case: the service must be in the Ambito's catalogue, the
    /// dates inside the case.
    pub async fn add_intervention(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        form: &InterventionForm,
        ip: Option<&str>,
    ) -> Result<Checked<InterventionId>> {
        let scope = self.case_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let (service_id, valid) = match self.check_intervention(&scope, ambito, form).await? {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        let mut tx = self.store.write_untracked().await?;
        let data = serde_json::to_string(&valid.data).map_err(|e| AppError::Internal(e.to_string()))?;
        let new = new_row(&scope, service_id, &valid, &data, p.user_id, None);
        let id =
            store::insert_intervention(&mut tx, &new, None).await?.ok_or_else(|| AppError::Internal("intervento non scritto".into()))?;
        self.audit_in(&mut tx, scope.event(p, ambito, &format!("intervento/{id}"), ip)).await?;
        tx.commit().await?;
        Ok(Ok(InterventionId(id)))
    }

    /// A correction: a new version of the intervention with the reason; the old stays readable.
    #[allow(clippy::too_many_arguments)] // The route's four ids, the form and the caller's address.
    pub async fn correct_intervention(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        intervention: InterventionId,
        form: &InterventionForm,
        ip: Option<&str>,
    ) -> Result<Checked<InterventionId>> {
        let scope = self.case_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let current = series_of_case(&mut conn, &scope, intervention).await?;
        let suspensions = store::suspensions_of(&mut conn, current.series_id).await?;
        drop(conn);
        let reason = form.motivo.trim();
        let mut errors = Vec::new();
        if reason.chars().count() < 5 || reason.chars().count() > 500 {
            errors.push(FieldError::new("motivo", "indicare il motivo della correzione (da 5 a 500 caratteri)"));
        }
        let checked = self.check_intervention(&scope, ambito, form).await?;
        if let Ok((_, v)) = &checked
            && let (Some(start), Some(first)) = (day(&v.start_on), suspensions.first().and_then(|s| day(&s.from_on)))
            && start > first
        {
            errors
                .push(FieldError::new("inizio", format!("l'intervento ha una sospensione dal {}: l'inizio non può seguirla", iso(first))));
        }
        let (service_id, valid) = match checked {
            Ok(v) if errors.is_empty() => v,
            Ok(_) => return Ok(Err(errors)),
            Err(mut e) => {
                e.extend(errors);
                return Ok(Err(e));
            }
        };
        self.write_version(p, ambito, &scope, &current, service_id, &valid, reason, ip).await
    }

    /// Ends the intervention on `on`: a new version with the end day.
    #[allow(clippy::too_many_arguments)]
    pub async fn end_intervention(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        intervention: InterventionId,
        on: &str,
        reason: &str,
        ip: Option<&str>,
    ) -> Result<Checked<InterventionId>> {
        let scope = self.case_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let current = series_of_case(&mut conn, &scope, intervention).await?;
        drop(conn);
        let mut errors = Vec::new();
        let end = rules::parse_day("fine", on, true, &mut errors);
        if let (Some(end), Some(span), Some(start)) = (end, scope.span(), day(&current.start_on)) {
            rules::check_dates(start, Some(end), &span, &mut errors);
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            errors.push(FieldError::new("motivo", "indicare il motivo della conclusione (al massimo 500 caratteri)"));
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let valid = from_row(&current, end.map(iso))?;
        self.write_version(p, ambito, &scope, &current, current.service_id, &valid, reason, ip).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_version(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        scope: &CaseScope,
        current: &store::InterventionRow,
        service_id: i64,
        valid: &rules::Intervention,
        reason: &str,
        ip: Option<&str>,
    ) -> Result<Checked<InterventionId>> {
        let mut tx = self.store.write_untracked().await?;
        let data = serde_json::to_string(&valid.data).map_err(|e| AppError::Internal(e.to_string()))?;
        let new = new_row(scope, service_id, valid, &data, p.user_id, Some(reason));
        let Some(id) = store::insert_intervention(&mut tx, &new, Some(current)).await? else {
            return Ok(Err(vec![FieldError::new("motivo", "l'intervento è stato modificato da un altro utente: ricaricare la pagina")]));
        };
        let mut ev = scope.event(p, ambito, &format!("intervento/{}/versione/{id}", current.series_id), ip);
        ev.reason = Some(reason.to_string());
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(Ok(InterventionId(current.series_id)))
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn suspend_intervention(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        intervention: InterventionId,
        from: &str,
        reason: &str,
        ip: Option<&str>,
    ) -> Result<Checked<()>> {
        let scope = self.case_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let mut tx = self.store.write_untracked().await?;
        let current = series_of_case(&mut tx, &scope, intervention).await?;
        let spans = spans(&store::suspensions_of(&mut tx, current.series_id).await?);
        let mut errors = Vec::new();
        let from = rules::parse_day("dal", from, true, &mut errors);
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            errors.push(FieldError::new("motivo", "indicare il motivo della sospensione (al massimo 500 caratteri)"));
        }
        if let (Some(f), Some(start)) = (from, day(&current.start_on))
            && let Err(e) = check_suspension(&spans, f, start, current.end_on.as_deref().and_then(day))
        {
            errors.push(e);
        }
        let Some(from) = from.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
        let id = store::add_suspension(&mut tx, current.series_id, &iso(from), reason, Some(p.user_id)).await?;
        let mut ev = scope.event(p, ambito, &format!("intervento/{}/sospensione/{id}", current.series_id), ip);
        ev.reason = Some(reason.to_string());
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn resume_intervention(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        intervention: InterventionId,
        on: &str,
        ip: Option<&str>,
    ) -> Result<Checked<()>> {
        let scope = self.case_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let mut tx = self.store.write_untracked().await?;
        let current = series_of_case(&mut tx, &scope, intervention).await?;
        let rows = store::suspensions_of(&mut tx, current.series_id).await?;
        let mut errors = Vec::new();
        let Some(on) = rules::parse_day("il", on, true, &mut errors) else { return Ok(Err(errors)) };
        let open = match check_resumption(&spans(&rows), on, current.end_on.as_deref().and_then(day)) {
            Ok(i) => &rows[i],
            Err(e) => return Ok(Err(vec![e])),
        };
        if !store::resume_suspension(&mut tx, open.id, &iso(on), p.user_id).await? {
            return Ok(Err(vec![FieldError::new("il", "la sospensione è già stata chiusa")]));
        }
        self.audit_in(&mut tx, scope.event(p, ambito, &format!("intervento/{}/ripresa/{}", current.series_id, open.id), ip)).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// The interventions of the person marked visible to them, in every Ambito (the citizen's
    /// area): kind, service and dates only.
    pub async fn citizen_interventions(&self, person: PersonId) -> Result<Vec<store::InterventionRow>> {
        let mut conn = self.store.read().await?;
        let mut out = Vec::new();
        for c in store::cases_of(&mut conn, person.get()).await? {
            out.extend(store::interventions_of_case(&mut conn, c.id).await?.into_iter().filter(|i| i.visible_to_citizen == 1));
        }
        Ok(out)
    }

    /// The person's interventions in this Ambito, for the person page's timeline.
    pub async fn interventions_timeline(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId) -> Result<Vec<super::TimelineItem>> {
        let decision = self.person_decision(p, Perm::PersonRead, ambito.id, person).await?;
        if !matches!(decision, PersonDecision::Allow | PersonDecision::AllowBreakGlass) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.store.read().await?;
        let mut out = Vec::new();
        for c in store::cases_of(&mut conn, person.get()).await?.into_iter().filter(|c| c.ambito_id == ambito.id.get()) {
            for i in store::interventions_of_case(&mut conn, c.id).await? {
                let label = rules::Kind::from_code(&i.kind).map_or("Intervento", rules::Kind::label);
                out.push(super::TimelineItem {
                    date: i.start_on.clone(),
                    kind: "intervento",
                    title: format!("{label}: {} ({})", i.service_name, i.service_code),
                    href: Some(format!("/ambiti/{}/persone/{}/casi/{}/interventi/{}", ambito.code, person, c.id, i.series_id)),
                });
            }
        }
        Ok(out)
    }

    async fn check_intervention(
        &self,
        scope: &CaseScope,
        ambito: &AmbitoScope,
        form: &InterventionForm,
    ) -> Result<Checked<(i64, rules::Intervention)>> {
        let mut conn = self.store.read().await?;
        let services = store::list_services(&mut conn, ambito.id.get()).await?;
        drop(conn);
        let raw = form.servizio.trim();
        let service = services.iter().find(|s| s.id.to_string() == raw || s.code == raw);
        let mut errors = Vec::new();
        if service.is_none() {
            errors.push(FieldError::new(
                "servizio",
                if raw.is_empty() {
                    "scegliere un servizio del catalogo".to_string()
                } else {
                    format!("servizio sconosciuto «{raw}»: non è nel catalogo dell'Ambito")
                },
            ));
        }
        let span = scope.span().ok_or_else(|| AppError::Internal(format!("date del caso {} illeggibili", scope.case.id)))?;
        match (rules::check(form, &span), service) {
            (Ok(v), Some(s)) => Ok(Ok((s.id, v))),
            (Ok(_), None) => Ok(Err(errors)),
            (Err(e), _) => {
                errors.extend(e);
                Ok(Err(errors))
            }
        }
    }
}

/// The current version of series `id`, if it belongs to the scope's case; else not found.
async fn series_of_case(conn: &mut store::AnyConnection, scope: &CaseScope, id: InterventionId) -> Result<store::InterventionRow> {
    store::current_intervention(conn, id.get())
        .await?
        .filter(|r| r.case_id == scope.case.id)
        .ok_or_else(|| AppError::NotFound("intervento non trovato".into()))
}

fn spans(rows: &[store::SuspensionRow]) -> Vec<Span> {
    rows.iter().filter_map(|s| Some(Span { from: day(&s.from_on)?, to: s.to_on.as_deref().and_then(day) })).collect()
}

fn new_row<'a>(
    scope: &CaseScope,
    service_id: i64,
    v: &'a rules::Intervention,
    data: &'a str,
    user: i64,
    reason: Option<&'a str>,
) -> store::NewIntervention<'a> {
    store::NewIntervention {
        case_id: scope.case.id,
        service_id,
        kind: v.kind.code(),
        start_on: &v.start_on,
        end_on: v.end_on.as_deref(),
        planned_per_month: v.planned_per_month.map(|d| d.to_string()),
        unit: v.unit.code(),
        provider: v.provider.as_deref(),
        shares_cents: [v.split.ambito, v.split.user, v.split.health, v.split.other],
        amount_cents: v.amount_cents,
        periodicity: v.periodicity.map(|x| x.code()),
        funding_line: v.funding_line.as_deref(),
        data,
        visible_to_citizen: v.visible_to_citizen,
        created_by: Some(user),
        change_reason: reason,
    }
}

/// A stored version back as a checked intervention, with another end day.
fn from_row(r: &store::InterventionRow, end_on: Option<String>) -> Result<rules::Intervention> {
    let bad = |what: &str| AppError::Internal(format!("intervento {}: {what} illeggibile", r.id));
    Ok(rules::Intervention {
        kind: rules::Kind::from_code(&r.kind).ok_or_else(|| bad("tipo"))?,
        start_on: r.start_on.clone(),
        end_on,
        planned_per_month: r.planned_per_month.as_deref().map(str::parse).transpose().map_err(|_| bad("quantità"))?,
        unit: Unit::from_code(&r.unit).ok_or_else(|| bad("unità"))?,
        provider: r.provider.clone(),
        split: rules::CostSplit {
            ambito: r.share_ambito_cents,
            user: r.share_user_cents,
            health: r.share_health_cents,
            other: r.share_other_cents,
        },
        amount_cents: r.amount_cents,
        periodicity: r.periodicity.as_deref().and_then(rules::Periodicity::from_code),
        funding_line: r.funding_line.clone(),
        data: serde_json::from_str(&r.data).map_err(|_| bad("dati"))?,
        visible_to_citizen: r.visible_to_citizen == 1,
    })
}

/// The list entry of one intervention: the person's delivery events of its service in this
/// Ambito set against its plan.
fn item(
    row: store::InterventionRow,
    suspensions: Vec<store::SuspensionRow>,
    deliveries: &[store::PersonDeliveryRow],
    ambito: &str,
) -> InterventionItem {
    let spans = spans(&suspensions);
    let unit = Unit::from_code(&row.unit).unwrap_or(Unit::Ore);
    let events: Vec<(Day, Decimal)> = deliveries
        .iter()
        .filter(|d| d.ambito == ambito && d.service_code == row.service_code)
        .filter_map(|d| {
            let day = ambito_domain::date::parse_iso(&ambito_domain::date::iso_from_yyyymmdd(d.day))?;
            Some((day, rules::delivered_quantity(unit, hours_from_units(d.ore_e4))))
        })
        .collect();
    let t = today();
    let months = match day(&row.start_on) {
        Some(start) => {
            let plan = Plan {
                per_month: row.planned_per_month.as_deref().and_then(|p| p.parse().ok()),
                start,
                end: row.end_on.as_deref().and_then(day),
                suspensions: &spans,
            };
            planned_vs_delivered(&plan, &events, t)
        }
        None => Vec::new(),
    };
    InterventionItem {
        kind_label: rules::Kind::from_code(&row.kind).map_or("Intervento", rules::Kind::label),
        data: serde_json::from_str(&row.data).ok(),
        suspended: suspended_on(&spans, t),
        months,
        suspensions,
        row,
    }
}
