//! The Piano di Zona as JSON: the plans of an Ambito, one plan with its cards, a monitoring round,
//! and the import of a plan file. Evaluators get the same suppressed views as the plan pages
//! (`ambito_app::plan::suppressed`): the figures are hidden in the read model, before serializing.

use super::imports::{multipart_file, outcome_response};
use crate::access::{Policy, Routes};
use crate::error::{WebError, WebResult};
use crate::staff::plan::{READ, WRITE, actor, figures, plan, triennium};
use ambito_app::App;
use ambito_app::plan::{Figures, PlanTenant};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::Method;
use axum::response::Response;
use serde_json::{Value, json};

pub fn routes() -> Routes {
    let upload = axum::routing::post(import).layer(DefaultBodyLimit::max(crate::uploads::UPLOAD_LIMIT));
    Routes::new()
        .get("/api/v1/ambiti/{code}/piano", Policy::Ambito(READ), "Piani di Zona dell'Ambito", list)
        .at_with(Method::POST, "/api/v1/ambiti/{code}/piano", Policy::Ambito(WRITE), "Importa un piano (file JSON o XLSX)", upload)
        .get("/api/v1/ambiti/{code}/piano/{tri}", Policy::Ambito(READ), "Piano di Zona: schede, indicatori, rilevazioni", detail)
        .get("/api/v1/ambiti/{code}/piano/{tri}/rilevazioni/{n}", Policy::Ambito(READ), "Rilevazione semestrale del piano", round)
}

async fn list(State(app): State<App>, Path(code): Path<String>) -> WebResult<Json<Value>> {
    let plans = app.plans(&code).await?;
    Ok(Json(json!({"ambito": code, "piani": plans})))
}

fn suppressed(f: Figures) -> bool {
    f == Figures::Suppressed
}

async fn detail(State(app): State<App>, Path((code, tri)): Path<(String, String)>) -> WebResult<Json<Value>> {
    let p = plan(&app, &code, &tri).await?;
    let f = figures(&app, &code).await?;
    Ok(Json(json!({"soppressione_celle_piccole": suppressed(f), "piano": p})))
}

async fn round(State(app): State<App>, Path((code, tri, n)): Path<(String, String, i64)>) -> WebResult<Json<Value>> {
    triennium(&tri)?;
    let f = figures(&app, &code).await?;
    let (p, r) = app.round_view_for(&code, &tri, n, f).await?;
    Ok(Json(json!({"ambito": p.ambito.code, "triennio": p.plan.triennium, "soppressione_celle_piccole": suppressed(f), "rilevazione": r})))
}

/// The plan file of the multipart field `file`; the tenant is the route's Ambito, which the guard
/// checked, never the one the file names. Nothing is written unless the whole file is valid.
async fn import(State(app): State<App>, Path(code): Path<String>, form: Multipart) -> WebResult<Response> {
    let a = app.ambito(&code).await?;
    let (name, bytes) = multipart_file(form, "piano.json").await?.ok_or_else(|| WebError::BadRequest("nessun file inviato".into()))?;
    let caller = crate::access::current();
    let outcome = app.import_plan(&actor(&caller), PlanTenant::Ambito(&a.code), &name, &bytes).await?;
    Ok(outcome_response(outcome))
}
