//! Process C: the individual project (PAI) of a case, as versions, and its reviews. Every change
//! is a new version with its reason; the goals and the team are written again for it, so every
//! old version reads exactly as it was agreed.

use super::TimelineItem;
use super::assessment::{Checked, InScope, case_path, today};
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, Principal};
use ambito_domain::date::{Day, parse_iso};
use ambito_domain::ids::{AmbitoScope, CaseId, PersonId, ProjectId};
use ambito_domain::pai::{self, AGREEMENTS, HORIZONS, REVIEW_OUTCOMES};
use ambito_domain::scales::form::FieldError;
use ambito_store as store;
use serde::Serialize;

#[derive(Debug, Clone, Default)]
pub struct GoalInput {
    pub horizon: String,
    pub text: String,
    pub target_date: String,
}

/// A new version of the project as the form sends it (text, checked here).
#[derive(Debug, Clone, Default)]
pub struct ProjectInput {
    pub valid_from: String,
    pub review_every_months: String,
    pub manager_id: String,
    pub agreement: String,
    pub agreed_on: String,
    pub planned_interventions: String,
    pub closure_reason: String,
    pub reason: String,
    pub goals: Vec<GoalInput>,
    /// `(user id, role)` of the members ticked.
    pub team: Vec<(i64, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct ReviewInput {
    pub reviewed_on: String,
    pub outcome: String,
    pub notes: String,
    /// Blank: the review interval of the version reviewed, from the review's day.
    pub next_review_on: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectVersion {
    pub project: store::ProjectRow,
    pub goals: Vec<store::GoalRow>,
    pub team: Vec<store::TeamMemberRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseProject {
    pub person: store::PersonRow,
    pub case: store::CaseRow,
    /// Newest first; the first is the project in force.
    pub versions: Vec<ProjectVersion>,
    pub reviews: Vec<store::ReviewRow>,
    /// Who may be named manager or team member: the case's care team.
    pub candidates: Vec<(i64, String)>,
    /// When the next review is due (the latest review's date, else the version's).
    pub next_review_on: Option<String>,
}

/// A line of the head of service's work list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewDue {
    pub person_id: i64,
    pub case_id: i64,
    pub cognome: String,
    pub nome: String,
    pub next_review_on: String,
    pub manager_id: Option<i64>,
}

fn field(item: &str, message: impl Into<String>) -> FieldError {
    FieldError { item: item.into(), message: message.into() }
}

fn blank(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// A text of at most `max` characters, or the field's error.
fn text_at_most<'a>(errors: &mut Vec<FieldError>, item: &str, label: &str, s: &'a str, max: usize) -> Option<&'a str> {
    let s = blank(s);
    if s.is_some_and(|s| s.chars().count() > max) {
        errors.push(field(item, format!("«{label}»: al massimo {max} caratteri")));
    }
    s
}

impl App {
    async fn candidates(&self, conn: &mut store::AnyConnection, person: PersonId, case_id: i64) -> Result<Vec<(i64, String)>> {
        let mut out = Vec::new();
        for (case, user) in store::teams_of(conn, person.get()).await? {
            if case == case_id
                && let Some(u) = store::user_by_id(conn, user).await?
            {
                out.push((u.id, u.display_name));
            }
        }
        out.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(out)
    }

    pub async fn case_project(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId, case: CaseId) -> Result<CaseProject> {
        let InScope { person: row, case, .. } = self.case_in_scope(p, Perm::PersonRead, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let mut versions = Vec::new();
        for project in store::projects_of_case(&mut conn, case.id).await? {
            let goals = store::project_goals(&mut conn, project.id).await?;
            let team = store::project_team(&mut conn, project.id).await?;
            versions.push(ProjectVersion { project, goals, team });
        }
        let reviews = store::reviews_of_case(&mut conn, case.id).await?;
        let candidates = self.candidates(&mut conn, person, case.id).await?;
        let next_review_on = versions.first().map(|v| {
            reviews
                .iter()
                .find(|r| r.project_id == v.project.id && r.next_review_on.is_some())
                .and_then(|r| r.next_review_on.clone())
                .unwrap_or_else(|| v.project.next_review_on.clone())
        });
        Ok(CaseProject { person: row, case, versions, reviews, candidates, next_review_on })
    }

    /// Writes a new version of the case's project (the first, or a revision of the one in force).
    pub async fn save_project(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        input: &ProjectInput,
        ip: Option<&str>,
    ) -> Result<Checked<ProjectId>> {
        let InScope { case, decision, .. } = self.case_in_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let previous = store::projects_of_case(&mut conn, case.id).await?.into_iter().next();
        let candidates = self.candidates(&mut conn, person, case.id).await?;
        drop(conn);
        let today = today()?;
        let mut errors = Vec::new();
        if case.closed_on.is_some() {
            errors.push(field("", "Il caso è chiuso: riaprirlo prima di modificare il progetto"));
        }
        let valid_from = match pai::day("Valido dal", &input.valid_from) {
            Ok(d) => {
                let opened = parse_iso(&case.opened_on).unwrap_or(d);
                if let Err(m) = pai::check_valid_from(d, opened, today) {
                    errors.push(field("valid_from", m));
                }
                if let Some(prev) = previous.as_ref().and_then(|v| parse_iso(&v.valid_from)).filter(|prev| d < *prev) {
                    errors.push(field("valid_from", format!("«Valido dal»: è precedente alla versione in vigore ({})", pai::iso(prev))));
                }
                Some(d)
            }
            Err(m) => {
                errors.push(field("valid_from", m));
                None
            }
        };
        let months = match input.review_every_months.trim().parse::<i64>() {
            Ok(m) => match pai::check_interval(m) {
                Ok(()) => Some(m),
                Err(e) => {
                    errors.push(field("review_every_months", e));
                    None
                }
            },
            Err(_) => {
                errors.push(field("review_every_months", "«Intervallo di revisione»: indicare il numero di mesi"));
                None
            }
        };
        let manager = match blank(&input.manager_id) {
            None => None,
            Some(m) => match m.parse::<i64>().ok().filter(|id| candidates.iter().any(|(c, _)| c == id)) {
                Some(id) => Some(id),
                None => {
                    errors.push(field("manager_id", "«Case manager»: scegliere un operatore dell'équipe del caso"));
                    None
                }
            },
        };
        let agreement = input.agreement.trim();
        let agreed_on = blank(&input.agreed_on);
        if pai::label(AGREEMENTS, agreement).is_none() {
            errors.push(field("agreement", "«Adesione della persona»: scegliere una delle opzioni"));
        } else if agreement == "non_ancora" {
            if agreed_on.is_some() {
                errors.push(field("agreed_on", "«Data dell'adesione»: lasciare vuota se l'adesione non c'è ancora"));
            }
        } else {
            match agreed_on.map(|d| pai::day("Data dell'adesione", d)) {
                None => errors.push(field("agreed_on", "«Data dell'adesione»: indicare quando la persona ha aderito")),
                Some(Err(m)) => errors.push(field("agreed_on", m)),
                Some(Ok(d)) if d > today => errors.push(field("agreed_on", "«Data dell'adesione»: non può essere nel futuro")),
                Some(Ok(_)) => {}
            }
        }
        let mut goals = Vec::new();
        for (i, g) in input.goals.iter().enumerate() {
            let Some(text) = blank(&g.text) else { continue };
            let item = format!("goal_{i}");
            if pai::label(HORIZONS, g.horizon.trim()).is_none() {
                errors.push(field(&item, "«Obiettivo»: orizzonte sconosciuto"));
            }
            if text.chars().count() > 2000 {
                errors.push(field(&item, "«Obiettivo»: al massimo 2.000 caratteri"));
            }
            let target = blank(&g.target_date);
            if let Some(t) = target {
                match pai::day("Scadenza dell'obiettivo", t) {
                    Ok(d) if valid_from.is_some_and(|v| d < v) => {
                        errors.push(field(&item, "«Scadenza dell'obiettivo»: è precedente all'inizio del progetto"))
                    }
                    Ok(_) => {}
                    Err(m) => errors.push(field(&item, m)),
                }
            }
            goals.push(store::NewGoal { horizon: g.horizon.trim(), text, target_date: target, outcome: None });
        }
        if goals.is_empty() {
            errors.push(field("goals", "«Obiettivi»: indicare almeno un obiettivo"));
        }
        let mut team = Vec::new();
        for (user, role) in &input.team {
            if !candidates.iter().any(|(c, _)| c == user) {
                errors.push(field("team", "«Équipe»: solo operatori dell'équipe del caso"));
                continue;
            }
            let role = role.trim();
            if role.is_empty() || role.chars().count() > 100 {
                errors.push(field(&format!("role_{user}"), "«Ruolo nel progetto»: indicare il ruolo (al massimo 100 caratteri)"));
            }
            team.push((*user, role));
        }
        let planned = text_at_most(&mut errors, "planned_interventions", "Interventi previsti", &input.planned_interventions, 4000);
        let closure = text_at_most(&mut errors, "closure_reason", "Motivo di chiusura del progetto", &input.closure_reason, 2000);
        let reason = blank(&input.reason);
        if previous.is_some() && reason.is_none_or(|r| r.chars().count() < 10) {
            errors.push(field("reason", "«Motivo della modifica»: indicare perché il progetto cambia (almeno 10 caratteri)"));
        }
        let reason = text_at_most(&mut errors, "reason", "Motivo della modifica", reason.unwrap_or(""), 2000);
        let (Some(valid_from), Some(months)) = (valid_from, months) else { return Ok(Err(errors)) };
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let next = pai::add_months(valid_from, months).map(pai::iso).ok_or_else(|| AppError::Internal("data di revisione".into()))?;
        let valid_from = pai::iso(valid_from);
        let row = store::NewProject {
            case_id: case.id,
            valid_from: &valid_from,
            review_every_months: months,
            next_review_on: &next,
            manager_id: manager,
            agreement,
            agreed_on,
            planned_interventions: planned,
            closure_reason: closure,
            created_by: Some(p.user_id),
            reason,
            goals,
            team,
        };
        let mut tx = self.store.write_untracked().await?;
        let (id, version) = store::insert_project_version(&mut tx, &row).await?;
        let mut ev = Self::case_event(p, ambito, person, decision, "project.version", &format!("progetto/{id}"), ip);
        ev.reason = reason.map(|r| format!("versione {version}: {r}"));
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(Ok(ProjectId(id)))
    }

    /// Records a review of the project version in force on the review's day.
    pub async fn add_project_review(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        input: &ReviewInput,
        ip: Option<&str>,
    ) -> Result<Checked<i64>> {
        let InScope { case, decision, .. } = self.case_in_scope(p, Perm::PersonWrite, ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let versions = store::projects_of_case(&mut conn, case.id).await?;
        drop(conn);
        let Some(first) = versions.last() else {
            return Ok(Err(vec![field("", "Il caso non ha ancora un progetto da rivedere")]));
        };
        let today = today()?;
        let mut errors = Vec::new();
        let reviewed_on = match pai::day("Data della revisione", &input.reviewed_on) {
            Ok(d) => Some(d),
            Err(m) => {
                errors.push(field("reviewed_on", m));
                None
            }
        };
        // The version in force that day: the newest one already valid.
        let reviewed = reviewed_on.and_then(|d| versions.iter().find(|v| parse_iso(&v.valid_from).is_some_and(|f| f <= d)));
        if let Some(d) = reviewed_on {
            let from = parse_iso(&reviewed.unwrap_or(first).valid_from).unwrap_or(d);
            if let Err(m) = pai::check_review_date(from, d, today) {
                errors.push(field("reviewed_on", m));
            }
        }
        let outcome = input.outcome.trim();
        if pai::label(REVIEW_OUTCOMES, outcome).is_none() {
            errors.push(field("outcome", "«Esito della revisione»: scegliere una delle opzioni"));
        }
        let notes = text_at_most(&mut errors, "notes", "Note", &input.notes, 4000);
        let next: Option<Day> = match blank(&input.next_review_on) {
            Some(t) => match pai::day("Prossima revisione", t) {
                Ok(n) if reviewed_on.is_some_and(|d| n <= d) => {
                    errors.push(field("next_review_on", "«Prossima revisione»: deve seguire la data della revisione"));
                    None
                }
                Ok(n) => Some(n),
                Err(m) => {
                    errors.push(field("next_review_on", m));
                    None
                }
            },
            None => reviewed_on.zip(reviewed).and_then(|(d, v)| pai::add_months(d, v.review_every_months)),
        };
        let (Some(reviewed_on), Some(version), true) = (reviewed_on, reviewed, errors.is_empty()) else { return Ok(Err(errors)) };
        let (reviewed_on, next) = (pai::iso(reviewed_on), next.map(pai::iso));
        let row = store::NewReview {
            case_id: case.id,
            project_id: version.id,
            reviewed_on: &reviewed_on,
            outcome,
            notes,
            next_review_on: next.as_deref(),
            reviewed_by: Some(p.user_id),
        };
        let mut tx = self.store.write_untracked().await?;
        let id = store::insert_review(&mut tx, &row).await?;
        let ev = Self::case_event(p, ambito, person, decision, "project.review", &format!("revisione/{id}"), ip);
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// The head of service's work list: open cases of the Ambito whose project review is overdue
    /// (`next_review_on` before `today`, on the latest version). The caller's right to the list
    /// is the route's (`Policy::Ambito`); it names persons, not their record.
    pub async fn reviews_due(&self, ambito: &AmbitoScope, today: &str) -> Result<Vec<ReviewDue>> {
        if parse_iso(today).is_none() {
            return Err(AppError::Invalid("data non valida (AAAA-MM-GG)".into()));
        }
        let mut conn = self.store.read().await?;
        Ok(store::reviews_due(&mut conn, ambito.id.get(), today)
            .await?
            .into_iter()
            .map(|r| ReviewDue {
                person_id: r.person_id,
                case_id: r.case_id,
                cognome: r.cognome,
                nome: r.nome,
                next_review_on: r.next_review_on,
                manager_id: r.manager_id,
            })
            .collect())
    }

    /// Project versions and reviews of the person's cases in this Ambito, for the timeline.
    pub async fn project_timeline(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId) -> Result<Vec<TimelineItem>> {
        self.staff_decision(p, Perm::PersonRead, ambito, person).await?;
        let mut conn = self.store.read().await?;
        let mut out = Vec::new();
        for case in store::cases_of(&mut conn, person.get()).await?.into_iter().filter(|c| c.ambito_id == ambito.id.get()) {
            let href = Some(format!("{}/progetto", case_path(ambito, person, case.id)));
            for v in store::projects_of_case(&mut conn, case.id).await? {
                let title = if v.version == 1 {
                    "Progetto individuale".to_string()
                } else {
                    format!("Progetto individuale, versione {}", v.version)
                };
                out.push(TimelineItem { date: v.valid_from, kind: "progetto", title, href: href.clone() });
            }
            for r in store::reviews_of_case(&mut conn, case.id).await? {
                let outcome = pai::label(REVIEW_OUTCOMES, &r.outcome).unwrap_or("");
                out.push(TimelineItem {
                    date: r.reviewed_on,
                    kind: "revisione",
                    title: format!("Revisione del progetto: {outcome}"),
                    href: href.clone(),
                });
            }
        }
        out.sort_by(|a, b| b.date.cmp(&a.date));
        Ok(out)
    }
}
