//! Process B: assessments filled on versioned forms. The form is data (`assessment_form`), the
//! scoring is `ambito_domain::scales`. Assessments are staff material: never in the citizen's
//! area. A correction is a new row that supersedes the old one, with its reason.

use super::TimelineItem;
use crate::access::{Actor, now};
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::date::Day;
use ambito_domain::ids::{AmbitoScope, AssessmentId, CaseId, PersonId};
use ambito_domain::scales::form::{FieldError, FormDefinition};
use ambito_store as store;
use std::collections::BTreeMap;

/// The rows the pages show, named through here (the shells never depend on the store).
pub use ambito_store::{AssessmentRow, CaseRow, GoalRow, PersonRow, ProjectRow, ReviewRow, TeamMemberRow};

/// Either the saved row's id or every wrong field, for the form to show again.
pub type Checked<T> = std::result::Result<T, Vec<FieldError>>;

/// A stored form with its definition read.
#[derive(Debug, Clone)]
pub struct FormView {
    pub id: i64,
    pub active: bool,
    pub definition: FormDefinition,
}

/// What the worker submitted: the form, the day, and each item's raw answer.
#[derive(Debug, Clone, Default)]
pub struct AssessmentInput {
    pub form_id: i64,
    pub assessed_on: String,
    pub answers: BTreeMap<String, String>,
}

/// A case that passed [`App::case_in_scope`], with its person and the access decision.
#[derive(Debug, Clone)]
pub struct InScope {
    pub person: store::PersonRow,
    pub case: store::CaseRow,
    pub decision: PersonDecision,
}

/// A case's assessments with its person and case: the page's and the API's read model.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseAssessments {
    pub person: store::PersonRow,
    pub case: store::CaseRow,
    pub assessments: Vec<store::AssessmentRow>,
}

#[derive(Debug, Clone)]
pub struct AssessmentDetail {
    pub person: store::PersonRow,
    pub case: store::CaseRow,
    pub assessment: store::AssessmentRow,
    pub form: FormView,
    pub answers: BTreeMap<String, String>,
    /// The rows this one corrected, newest first.
    pub earlier: Vec<store::AssessmentRow>,
}

fn field(item: &str, message: impl Into<String>) -> FieldError {
    FieldError { item: item.into(), message: message.into() }
}

/// Today (UTC) as `YYYY-MM-DD`, the default day of a new assessment's form.
pub fn today_iso() -> String {
    now().date().to_string()
}

/// Today (UTC) as the domain's day, for the "not in the future" rules.
pub(crate) fn today() -> Result<Day> {
    let d = now().date();
    Day::new(d.year(), u8::from(d.month()), d.day()).ok_or_else(|| AppError::Internal(format!("data di oggi non valida: {d}")))
}

impl App {
    /// The access rule of every use case on a case's record: `perm` on the person in the route's
    /// Ambito (care team or break-glass, as the guard decided), and the case must be that
    /// person's and that Ambito's, else "not found" (a case id never reveals another's record).
    pub(crate) async fn case_in_scope(
        &self,
        p: &Principal,
        perm: Perm,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
    ) -> Result<InScope> {
        let decision = self.staff_decision(p, perm, ambito, person).await?;
        let mut conn = self.store.read().await?;
        let not_found = || AppError::NotFound("caso non trovato".into());
        let case = store::cases_of(&mut conn, person.get())
            .await?
            .into_iter()
            .find(|c| c.id == case.get() && c.ambito_id == ambito.id.get())
            .ok_or_else(not_found)?;
        let person = store::person(&mut conn, person.get()).await?.ok_or_else(not_found)?;
        Ok(InScope { person, case, decision })
    }

    /// The person rule, for staff only: a citizen may read their own record's page, but the
    /// case record's working material (assessments, projects) is never shown to them, so the
    /// caller must also hold `perm` through a staff role in this Ambito.
    pub(crate) async fn staff_decision(&self, p: &Principal, perm: Perm, ambito: &AmbitoScope, person: PersonId) -> Result<PersonDecision> {
        if !p.may(perm, Some(ambito.id.get())) {
            return Err(AppError::Forbidden);
        }
        let decision = self.person_decision(p, perm, ambito.id, person).await?;
        if !matches!(decision, PersonDecision::Allow | PersonDecision::AllowBreakGlass) {
            return Err(AppError::Forbidden);
        }
        Ok(decision)
    }

    pub(crate) fn case_event(
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        decision: PersonDecision,
        action: &str,
        object: &str,
        ip: Option<&str>,
    ) -> crate::access::AuditEvent {
        let mut ev = Actor::user(p, ip).event(action, object, Some(&ambito.code));
        ev.person_id = Some(person.get());
        ev.flagged = decision == PersonDecision::AllowBreakGlass;
        ev
    }

    /// The forms offered for new assessments (the newest active version of each).
    pub async fn assessment_forms(&self) -> Result<Vec<FormView>> {
        let mut conn = self.store.read().await?;
        let rows = store::assessment_forms(&mut conn, true).await?;
        let mut out: Vec<FormView> = Vec::new();
        for row in rows {
            if out.last().is_some_and(|f| f.definition.code == row.code) {
                continue;
            }
            out.push(read_form(&row)?);
        }
        Ok(out)
    }

    pub async fn assessment_form(&self, id: i64) -> Result<Option<FormView>> {
        let mut conn = self.store.read().await?;
        store::assessment_form(&mut conn, id).await?.map(|r| read_form(&r)).transpose()
    }

    pub async fn case_assessments(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId, case: CaseId) -> Result<CaseAssessments> {
        let InScope { person, case, .. } = self.case_in_scope(p, Perm::PersonRead, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let assessments = store::assessments_of_case(&mut conn, case.id).await?;
        Ok(CaseAssessments { person, case, assessments })
    }

    pub async fn assessment_detail(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        id: AssessmentId,
    ) -> Result<AssessmentDetail> {
        let InScope { person, case, .. } = self.case_in_scope(p, Perm::PersonRead, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let assessment = store::assessment(&mut conn, id.get())
            .await?
            .filter(|a| a.case_id == case.id)
            .ok_or_else(|| AppError::NotFound("valutazione non trovata".into()))?;
        let form = store::assessment_form(&mut conn, assessment.form_id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("modulo {} mancante", assessment.form_id)))?;
        let answers = serde_json::from_str(&assessment.answers).map_err(|e| AppError::Internal(format!("risposte illeggibili: {e}")))?;
        let mut earlier = Vec::new();
        let mut next = assessment.supersedes;
        while let Some(prev) = next {
            let Some(row) = store::assessment(&mut conn, prev).await? else { break };
            next = row.supersedes;
            earlier.push(row);
        }
        Ok(AssessmentDetail { person, case, assessment, form: read_form(&form)?, answers, earlier })
    }

    /// Fills an assessment for the case. Every wrong answer comes back at once; nothing is saved
    /// unless the whole sheet is right.
    pub async fn fill_assessment(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        input: &AssessmentInput,
        ip: Option<&str>,
    ) -> Result<Checked<AssessmentId>> {
        let InScope { case, decision, .. } = self.case_in_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let Some(form) = self.assessment_form(input.form_id).await?.filter(|f| f.active) else {
            return Ok(Err(vec![field("modulo", "«Modulo»: scegliere un modulo di valutazione in uso")]));
        };
        self.save_assessment(p, ambito, person, &case, decision, &form, input, None, ip).await
    }

    /// Corrects an assessment: a new row on the same form version, superseding the old one,
    /// with the reason. Only the current row of a chain (not corrected, not void) is corrected.
    #[allow(clippy::too_many_arguments)]
    pub async fn correct_assessment(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        id: AssessmentId,
        input: &AssessmentInput,
        reason: &str,
        ip: Option<&str>,
    ) -> Result<Checked<AssessmentId>> {
        let InScope { case, decision, .. } = self.case_in_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let old = store::assessment(&mut conn, id.get())
            .await?
            .filter(|a| a.case_id == case.id)
            .ok_or_else(|| AppError::NotFound("valutazione non trovata".into()))?;
        drop(conn);
        if old.superseded_by.is_some() || old.voided_at.is_some() {
            return Err(AppError::Invalid("questa valutazione è già stata corretta o annullata: correggere la versione in vigore".into()));
        }
        let reason = reason.trim();
        if reason.chars().count() < 10 || reason.chars().count() > 2000 {
            return Ok(Err(vec![field("motivo", "«Motivo della correzione»: indicare perché si corregge (almeno 10 caratteri)")]));
        }
        let form =
            self.assessment_form(old.form_id).await?.ok_or_else(|| AppError::Internal(format!("modulo {} mancante", old.form_id)))?;
        let input = AssessmentInput { form_id: old.form_id, ..input.clone() };
        self.save_assessment(p, ambito, person, &case, decision, &form, &input, Some((old.id, reason)), ip).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn save_assessment(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: &store::CaseRow,
        decision: PersonDecision,
        form: &FormView,
        input: &AssessmentInput,
        correction: Option<(i64, &str)>,
        ip: Option<&str>,
    ) -> Result<Checked<AssessmentId>> {
        let mut errors = Vec::new();
        if case.closed_on.is_some() {
            errors.push(field("", "Il caso è chiuso: riaprirlo prima di registrare una valutazione"));
        }
        let today = today()?;
        match ambito_domain::pai::day("Data della valutazione", &input.assessed_on) {
            Ok(d) if d > today => errors.push(field("assessed_on", "«Data della valutazione»: non può essere nel futuro")),
            Ok(d) if ambito_domain::date::parse_iso(&case.opened_on).is_some_and(|o| d < o) => errors
                .push(field("assessed_on", format!("«Data della valutazione»: è precedente all'apertura del caso ({})", case.opened_on))),
            Ok(_) => {}
            Err(m) => errors.push(field("assessed_on", m)),
        }
        let scored = form.definition.score(&input.answers);
        if let Err(e) = &scored {
            errors.extend(e.iter().cloned());
        }
        let scored = match scored {
            Ok(s) if errors.is_empty() => s,
            _ => return Ok(Err(errors)),
        };
        let answers = serde_json::to_string(&scored.answers).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut tx = self.store.write_untracked().await?;
        let row = store::NewAssessment {
            case_id: case.id,
            form_id: form.id,
            assessed_on: input.assessed_on.trim(),
            answers: &answers,
            score: scored.score,
            band: scored.band.as_deref(),
            assessor_id: Some(p.user_id),
            supersedes: correction.map(|(id, _)| id),
            reason: correction.map(|(_, r)| r),
        };
        let id = store::insert_assessment(&mut tx, &row).await?;
        let action = if correction.is_some() { "assessment.correct" } else { "assessment.create" };
        let mut ev = Self::case_event(p, ambito, person, decision, action, &format!("valutazione/{id}"), ip);
        ev.reason = correction.map(|(old, r)| format!("corregge la valutazione {old}: {r}"));
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(Ok(AssessmentId(id)))
    }

    /// The person's assessments in this Ambito's cases, for the person page's timeline (the
    /// versions in force only: corrected and voided rows stay on the assessment's own page).
    pub async fn assessment_timeline(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId) -> Result<Vec<TimelineItem>> {
        self.staff_decision(p, Perm::PersonRead, ambito, person).await?;
        let mut conn = self.store.read().await?;
        let mut out = Vec::new();
        for case in store::cases_of(&mut conn, person.get()).await?.into_iter().filter(|c| c.ambito_id == ambito.id.get()) {
            for a in store::assessments_of_case(&mut conn, case.id).await? {
                if a.superseded_by.is_some() || a.voided_at.is_some() {
                    continue;
                }
                let result = match (a.score, &a.band) {
                    (Some(s), Some(b)) => format!(": {s}, {b}"),
                    (Some(s), None) => format!(": {s}"),
                    _ => String::new(),
                };
                out.push(TimelineItem {
                    date: a.assessed_on.clone(),
                    kind: "valutazione",
                    title: format!("{}{result}", a.form_title),
                    href: Some(format!("{}/valutazioni/{}", case_path(ambito, person, case.id), a.id)),
                });
            }
        }
        out.sort_by(|a, b| b.date.cmp(&a.date));
        Ok(out)
    }
}

/// The staff path of a case, for links in timelines.
pub(crate) fn case_path(ambito: &AmbitoScope, person: PersonId, case: i64) -> String {
    format!("/ambiti/{}/persone/{person}/casi/{case}", ambito.code)
}

fn read_form(row: &store::FormRow) -> Result<FormView> {
    let definition: FormDefinition =
        serde_json::from_str(&row.definition).map_err(|e| AppError::Internal(format!("modulo {} illeggibile: {e}", row.id)))?;
    definition.check().map_err(|e| AppError::Internal(format!("modulo {} non valido: {e}", row.id)))?;
    Ok(FormView { id: row.id, active: row.active == 1, definition })
}
