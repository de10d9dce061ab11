//! Questionnaires as JSON: the list with counts, and one questionnaire's results. The results are
//! the report the results page draws, with the domain's small-count rules already applied
//! (statistics of too few answers are blanks that say why).

use crate::access::{Policy, Routes};
use crate::error::{WebError, WebResult};
use ambito_app::App;
use ambito_domain::access::Perm;
use ambito_domain::likert::report::QuestionnaireReport;
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

const MANAGE: &[Perm] = &[Perm::QuestionnaireManage];

pub fn routes() -> Routes {
    Routes::new().get("/api/v1/ambiti/{code}/questionari", Policy::Ambito(MANAGE), "Questionari dell'Ambito", list).get(
        "/api/v1/ambiti/{code}/questionari/{q}/risultati",
        Policy::Ambito(MANAGE),
        "Risultati di un questionario",
        results,
    )
}

async fn list(State(app): State<App>, Path(code): Path<String>) -> WebResult<Json<Value>> {
    let rows: Vec<Value> = app
        .questionnaires(&code)
        .await?
        .into_iter()
        .map(|(q, waves, responses)| json!({"code": q.code, "title": q.title, "points": q.points, "objective_code": q.objective_code, "ondate": waves, "risposte": responses}))
        .collect();
    Ok(Json(json!({"ambito": code, "questionari": rows})))
}

async fn results(State(app): State<App>, Path((code, q)): Path<(String, String)>) -> WebResult<Json<QuestionnaireReport>> {
    let r = app.questionnaire_report(&code, &q).await?.ok_or_else(|| WebError::NotFound(format!("questionario «{q}» non trovato")))?;
    Ok(Json(r))
}
