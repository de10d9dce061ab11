//! The citizen's own area. The person is the caller's own (`Policy::OwnData`), never a route
//! parameter, so there is nothing to guess; what it shows is the data subject's export
//! (`Reader::DataSubject`), the same the downloads carry.

use crate::access;
use crate::error::{WebError, WebResult};
use ambito_app::App;
use ambito_app::access::Reader;
use ambito_domain::ids::PersonId;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Json, Response};

fn own_person() -> WebResult<PersonId> {
    access::current().user().and_then(|p| p.person_id).map(PersonId).ok_or(WebError::Forbidden)
}

#[derive(serde::Deserialize)]
pub(super) struct Outcome {
    esito: Option<String>,
}

pub(super) async fn page(State(app): State<App>, Query(q): Query<Outcome>) -> WebResult<Response> {
    let data = app.person_export(Reader::DataSubject, own_person()?).await?;
    let p = access::current().user().cloned().ok_or(WebError::Forbidden)?;
    let record = app.citizen_record(&p).await?;
    let notice = (q.esito.as_deref() == Some("caricato")).then_some("Documento caricato: grazie.");
    Ok(crate::views::persons::OwnAreaPage::new(&data).with_record(record, notice, None).into_response())
}

pub(super) async fn json(State(app): State<App>) -> WebResult<Response> {
    let data = app.person_export(Reader::DataSubject, own_person()?).await?;
    Ok(Json(data).into_response())
}

pub(super) async fn pdf(State(app): State<App>) -> WebResult<Response> {
    let data = app.person_export(Reader::DataSubject, own_person()?).await?;
    Ok(crate::staff::persons::attachment(ambito_app::access::person_export_pdf(&data)?, "application/pdf", "miei-dati.pdf"))
}
