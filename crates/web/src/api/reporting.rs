//! Territory, catalogue, activity, budgets, demography and the annual report, as JSON.

use super::{known_year, year};
use crate::access::{Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use crate::staff::reporting::{FULL_REPORT, REPORT, suppressed_view, visible_ambiti};
use ambito_app::App;
use ambito_domain::access::Perm;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

const ACTIVITY: &[Perm] = &[Perm::ActivityRead];

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/ambiti", Policy::Authenticated, "Ambiti accessibili al chiamante", ambiti)
        .get("/api/v1/ambiti/{code}/servizi", Policy::Ambito(FULL_REPORT), "Catalogo dei servizi dell'Ambito", services)
        .get("/api/v1/ambiti/{code}/attivita", Policy::Ambito(ACTIVITY), "Anni con dati di attività", activity_years)
        .get(
            "/api/v1/ambiti/{code}/attivita/{year}",
            Policy::Ambito(ACTIVITY),
            "Dati di attività e budget per servizio in un anno",
            activity,
        )
        .get(
            "/api/v1/ambiti/{code}/budget/{year}",
            Policy::Ambito(FULL_REPORT),
            "Spesa per area e fonte di finanziamento in un anno",
            budget,
        )
        .get("/api/v1/ambiti/{code}/demografia", Policy::Ambito(FULL_REPORT), "Contesto demografico dell'ultimo anno", demography_latest)
        .get("/api/v1/ambiti/{code}/demografia/{year}", Policy::Ambito(FULL_REPORT), "Contesto demografico di un anno", demography)
        .get("/api/v1/ambiti/{code}/relazione/{year}", Policy::Ambito(REPORT), "Relazione annuale in JSON", report)
        .audited()
}

#[derive(serde::Serialize)]
struct AmbitoJson {
    code: String,
    name: String,
    distretto: Option<String>,
    ats: Option<String>,
    regione: Option<String>,
}

async fn ambiti(State(app): State<App>) -> WebResult<Json<Vec<AmbitoJson>>> {
    Ok(Json(
        visible_ambiti(&app)
            .await?
            .into_iter()
            .map(|a| AmbitoJson { code: a.code, name: a.name, distretto: a.distretto, ats: a.ats, regione: a.regione })
            .collect(),
    ))
}

async fn services(State(app): State<App>, Path(code): Path<String>, Tenant(ambito): Tenant) -> WebResult<Json<Value>> {
    let services = app.services(&ambito).await?;
    Ok(Json(json!({"ambito": code, "servizi": services})))
}

async fn activity_years(State(app): State<App>, Path(code): Path<String>, Tenant(ambito): Tenant) -> WebResult<Json<Value>> {
    let years = app.activity_years(&ambito).await?;
    Ok(Json(json!({"ambito": code, "anni": years})))
}

async fn activity(State(app): State<App>, Path((code, y)): Path<(String, i64)>, Tenant(ambito): Tenant) -> WebResult<Json<Value>> {
    let y = known_year(&app.activity_years(&ambito).await?, y, "attività")?;
    let rows = app.activity_grid(&ambito, y).await?;
    Ok(Json(json!({"ambito": code, "anno": y, "misure": ambito_domain::measures::Measure::ALL.map(|m| m.term()), "righe": rows})))
}

async fn budget(State(app): State<App>, Path((code, y)): Path<(String, i64)>, Tenant(ambito): Tenant) -> WebResult<Json<Value>> {
    let y = known_year(&app.activity_years(&ambito).await?, y, "attività")?;
    let r = app.annual_report(&code, crate::staff::reporting::year_i32(y)?).await?;
    Ok(Json(json!({"ambito": code, "anno": y, "budget": r.total.budget, "spesa": r.spending})))
}

async fn demography_latest(State(app): State<App>, Tenant(ambito): Tenant) -> WebResult<Json<ambito_app::reporting::queries::Demography>> {
    Ok(Json(app.demography(&ambito, None).await?))
}

async fn demography(
    State(app): State<App>,
    Path((_, y)): Path<(String, i64)>,
    Tenant(ambito): Tenant,
) -> WebResult<Json<ambito_app::reporting::queries::Demography>> {
    let y = year(y)?;
    let d = app.demography(&ambito, Some(y)).await?;
    // The read model falls back to the latest year; a client asking for one year gets that or 404.
    if d.year != Some(y) {
        return Err(WebError::NotFound(format!("nessun dato di popolazione per l'anno {y}")));
    }
    Ok(Json(d))
}

/// The report as evaluators may read it (small cells suppressed) or whole, cached as bytes.
async fn report(State(app): State<App>, Path((code, y)): Path<(String, i64)>) -> WebResult<Response> {
    let y = crate::staff::reporting::year_i32(y)?;
    if suppressed_view(app.ambito_id(&code).await?) {
        let r = app.annual_report(&code, y).await?;
        let rows = ambito_render::csv_out::annual_suppressed_records(&r, ambito_domain::suppression::DEFAULT_THRESHOLD);
        let header = ambito_render::csv_out::HEADER;
        let objects: Vec<serde_json::Map<String, Value>> =
            rows.into_iter().map(|row| header.iter().map(|h| h.to_string()).zip(row.into_iter().map(Value::String)).collect()).collect();
        return Ok(Json(json!({"ambito": code, "anno": y, "soppressione_celle_piccole": true, "righe": objects})).into_response());
    }
    let body = app
        .cached(format!("json/relazione/{code}/{y}"), || async {
            let r = app.annual_report(&code, y).await?;
            serde_json::to_vec(r.as_ref()).map_err(|e| ambito_app::AppError::Internal(format!("report JSON: {e}")))
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body.as_ref().clone()).into_response())
}
