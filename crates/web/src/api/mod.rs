//! The JSON API under `/api/v1`: its own routers, registered through [`Routes`] with the same
//! [`Policy`](crate::access::Policy) as the page that shows the same data, and its errors as
//! problem documents (`crate::problem`). Every figure comes from the application's read models,
//! serialized as they are: nothing is computed here. The OpenAPI document describes each route
//! from [`docs`].

mod cases;
mod cases_docs;
pub(crate) mod docs;
mod imports;
mod plan;
mod questionnaires;
mod reporting;
mod session;

use crate::access::{Policy, Routes};
use crate::error::{WebError, WebResult};
use axum::Json;

/// Every route of the JSON API (the jobs route lives with the jobs, in `crate::staff::jobs`).
pub fn routes() -> Routes {
    reporting::routes()
        .merge(plan::routes())
        .merge(cases::routes())
        .merge(questionnaires::routes())
        .merge(imports::routes())
        .merge(session::routes())
        .get("/api/v1/openapi.json", Policy::Public, "Questo documento OpenAPI", openapi_json)
}

async fn openapi_json() -> Json<serde_json::Value> {
    Json(crate::openapi::document(crate::all_routes().specs()))
}

/// A year in a path: the years the application keeps data for, else 400.
fn year(y: i64) -> WebResult<i64> {
    crate::staff::reporting::year_i32(y).map(i64::from)
}

/// A year the Ambito has no data for is a resource that does not exist.
fn known_year(years: &[i64], y: i64, what: &str) -> WebResult<i64> {
    let y = year(y)?;
    if years.contains(&y) { Ok(y) } else { Err(WebError::NotFound(format!("nessun dato di {what} per l'anno {y}"))) }
}
