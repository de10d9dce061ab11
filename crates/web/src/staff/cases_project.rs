//! The individual project (PAI) page of a case (process C): the version in force, every earlier
//! version, the reviews, the form for a new version and the form for a review.

use super::cases_assessment::{case_base, case_layout};
use crate::access::{self, Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use crate::views::Layout;
use ambito_app::App;
use ambito_app::cases::assessment::ReviewRow;
use ambito_app::cases::project::{CaseProject, GoalInput, ProjectInput, ProjectVersion, ReviewInput};
use ambito_domain::access::Perm;
use ambito_domain::ids::{AmbitoScope, CaseId, PersonId};
use ambito_domain::pai::{AGREEMENTS, HORIZONS, REVIEW_OUTCOMES, label};
use ambito_domain::scales::form::FieldError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// Goal slots per horizon on the form, beyond the goals the version already has.
const SPARE_GOALS: usize = 1;

pub fn routes() -> Routes {
    Routes::new()
        .get(
            "/ambiti/{code}/persone/{person}/casi/{case}/progetto",
            Policy::Person(Perm::PersonRead),
            "Progetto individuale (PAI) di un caso",
            show,
        )
        .post(
            "/ambiti/{code}/persone/{person}/casi/{case}/progetto",
            Policy::Person(Perm::PersonWrite),
            "Nuova versione del progetto individuale",
            save,
        )
        .post(
            "/ambiti/{code}/persone/{person}/casi/{case}/progetto/revisioni",
            Policy::Person(Perm::PersonWrite),
            "Registra una revisione del progetto",
            review,
        )
}

pub struct GoalSlot {
    pub name: String,
    pub text: String,
    pub target_date: String,
    pub error: Option<String>,
}

pub struct HorizonSlots {
    pub code: &'static str,
    pub label: &'static str,
    pub slots: Vec<GoalSlot>,
}

pub struct Member {
    pub user_id: i64,
    pub name: String,
    pub checked: bool,
    pub role: String,
    pub manager: bool,
    pub error: Option<String>,
}

pub struct Shown {
    pub v: ProjectVersion,
    pub agreement: &'static str,
    /// (horizon label, text, target date)
    pub goals: Vec<(&'static str, String, String)>,
}

pub struct ReviewLine {
    pub row: ReviewRow,
    pub outcome: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/project.html")]
pub struct ProjectPage {
    pub layout: Layout,
    pub base: String,
    pub closed: bool,
    pub versions: Vec<Shown>,
    pub reviews: Vec<ReviewLine>,
    pub next_review_on: Option<String>,
    // The new-version form, prefilled from the version in force or from what was posted.
    pub valid_from: String,
    pub months: String,
    pub agreement: String,
    pub agreed_on: String,
    pub planned: String,
    pub closure: String,
    pub reason: String,
    pub horizons: Vec<HorizonSlots>,
    pub members: Vec<Member>,
    pub agreements: &'static [(&'static str, &'static str)],
    pub outcomes: &'static [(&'static str, &'static str)],
    pub errors: Vec<FieldError>,
    pub review_errors: Vec<FieldError>,
    pub review: ReviewInput,
}

impl ProjectPage {
    pub fn error(&self, item: &str) -> Option<String> {
        self.errors.iter().find(|e| e.item == item).map(|e| e.message.clone())
    }

    pub fn review_error(&self, item: &str) -> Option<String> {
        self.review_errors.iter().find(|e| e.item == item).map(|e| e.message.clone())
    }

    /// The page; `posted` (with its `errors`) when a new version was refused, `review` (with
    /// `review_errors`) when a review was.
    fn new(
        ambito: &AmbitoScope,
        person: PersonId,
        c: CaseProject,
        posted: Option<(&ProjectInput, Vec<FieldError>)>,
        review: Option<(ReviewInput, Vec<FieldError>)>,
    ) -> ProjectPage {
        let base = case_base(&ambito.code, person, CaseId(c.case.id));
        let (input, errors) = match posted {
            Some((i, e)) => (i.clone(), e),
            None => (prefill(c.versions.first()), Vec::new()),
        };
        let error_of = |item: &str| errors.iter().find(|e| e.item == item).map(|e| e.message.clone());
        // Slots are named in page order; a posted goal's error is found by its posted index.
        let mut n = 0;
        let mut slot = |text: String, target_date: String, error: Option<String>| {
            let s = GoalSlot { name: format!("goal_{n}"), text, target_date, error };
            n += 1;
            s
        };
        let horizons = HORIZONS
            .iter()
            .map(|&(code, label)| {
                let mut slots: Vec<GoalSlot> = input
                    .goals
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.horizon == code && !g.text.trim().is_empty())
                    .map(|(i, g)| slot(g.text.clone(), g.target_date.clone(), error_of(&format!("goal_{i}"))))
                    .collect();
                for _ in 0..SPARE_GOALS {
                    slots.push(slot(String::new(), String::new(), None));
                }
                HorizonSlots { code, label, slots }
            })
            .collect();
        let members = c
            .candidates
            .iter()
            .map(|(id, name)| {
                let ticked = input.team.iter().find(|(u, _)| u == id);
                Member {
                    user_id: *id,
                    name: name.clone(),
                    checked: ticked.is_some(),
                    role: ticked.map(|(_, r)| r.clone()).unwrap_or_default(),
                    manager: input.manager_id == id.to_string(),
                    error: error_of(&format!("role_{id}")),
                }
            })
            .collect();
        let versions = c
            .versions
            .into_iter()
            .map(|v| Shown {
                agreement: label(AGREEMENTS, &v.project.agreement).unwrap_or(""),
                goals: v
                    .goals
                    .iter()
                    .map(|g| (label(HORIZONS, &g.horizon).unwrap_or(""), g.text.clone(), g.target_date.clone().unwrap_or_default()))
                    .collect(),
                v,
            })
            .collect();
        let (review, review_errors) = review.unwrap_or_default();
        ProjectPage {
            layout: case_layout("Progetto individuale", ambito, &c.person, Some(("Valutazioni", base.clone() + "/valutazioni"))),
            base,
            closed: c.case.closed_on.is_some(),
            versions,
            reviews: c
                .reviews
                .into_iter()
                .map(|row| ReviewLine { outcome: label(REVIEW_OUTCOMES, &row.outcome).unwrap_or(""), row })
                .collect(),
            next_review_on: c.next_review_on,
            valid_from: input.valid_from,
            months: input.review_every_months,
            agreement: input.agreement,
            agreed_on: input.agreed_on,
            planned: input.planned_interventions,
            closure: input.closure_reason,
            reason: input.reason,
            horizons,
            members,
            agreements: AGREEMENTS,
            outcomes: REVIEW_OUTCOMES,
            errors,
            review_errors,
            review,
        }
    }
}

fn prefill(current: Option<&ProjectVersion>) -> ProjectInput {
    let Some(v) = current else {
        return ProjectInput { review_every_months: "6".into(), agreement: "non_ancora".into(), ..ProjectInput::default() };
    };
    let p = &v.project;
    ProjectInput {
        valid_from: p.valid_from.clone(),
        review_every_months: p.review_every_months.to_string(),
        manager_id: p.manager_id.map(|m| m.to_string()).unwrap_or_default(),
        agreement: p.agreement.clone(),
        agreed_on: p.agreed_on.clone().unwrap_or_default(),
        planned_interventions: p.planned_interventions.clone().unwrap_or_default(),
        closure_reason: p.closure_reason.clone().unwrap_or_default(),
        reason: String::new(),
        goals: v
            .goals
            .iter()
            .map(|g| GoalInput { horizon: g.horizon.clone(), text: g.text.clone(), target_date: g.target_date.clone().unwrap_or_default() })
            .collect(),
        team: v.team.iter().map(|t| (t.user_id, t.role.clone())).collect(),
    }
}

/// The posted form: goal slots `goal_<n>_horizon/_text/_date`, team `team` (user ids, repeated)
/// with `role_<user>`.
fn read_project(pairs: &[(String, String)]) -> ProjectInput {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut goals = Vec::new();
    for n in 0.. {
        let prefix = format!("goal_{n}");
        if !pairs.iter().any(|(k, _)| k.starts_with(&format!("{prefix}_"))) {
            break;
        }
        goals.push(GoalInput {
            horizon: get(&format!("{prefix}_horizon")),
            text: get(&format!("{prefix}_text")),
            target_date: get(&format!("{prefix}_date")),
        });
    }
    let team = pairs
        .iter()
        .filter(|(k, _)| k == "team")
        .filter_map(|(_, v)| v.trim().parse::<i64>().ok())
        .map(|u| (u, get(&format!("role_{u}"))))
        .collect();
    ProjectInput {
        valid_from: get("valid_from"),
        review_every_months: get("review_every_months"),
        manager_id: get("manager_id"),
        agreement: get("agreement"),
        agreed_on: get("agreed_on"),
        planned_interventions: get("planned_interventions"),
        closure_reason: get("closure_reason"),
        reason: get("reason"),
        goals,
        team,
    }
}

async fn show(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let c = app.case_project(p, &ambito, person, case).await?;
    Ok(ProjectPage::new(&ambito, person, c, None, None).into_response())
}

async fn save(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let input = read_project(&pairs);
    match app.save_project(p, &ambito, person, case, &input, caller.ip.as_deref()).await? {
        Ok(_) => Ok(Redirect::to(&format!("{}/progetto", case_base(&ambito.code, person, case))).into_response()),
        Err(errors) => {
            let c = app.case_project(p, &ambito, person, case).await?;
            let page = ProjectPage::new(&ambito, person, c, Some((&input, errors)), None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn review(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let input = ReviewInput {
        reviewed_on: get("reviewed_on"),
        outcome: get("outcome"),
        notes: get("notes"),
        next_review_on: get("next_review_on"),
    };
    match app.add_project_review(p, &ambito, person, case, &input, caller.ip.as_deref()).await? {
        Ok(_) => Ok(Redirect::to(&format!("{}/progetto#revisioni", case_base(&ambito.code, person, case))).into_response()),
        Err(errors) => {
            let c = app.case_project(p, &ambito, person, case).await?;
            let page = ProjectPage::new(&ambito, person, c, None, Some((input, errors)));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
