//! Person pages: the list of persons in charge, one person's record, notes, break-glass and the
//! right-of-access export (the citizen's own area is in `crate::portal`). The guard has already decided access and
//! written the audit entry before any handler here runs.

use crate::access::{self, Caller, Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use crate::views::persons::BreakGlassPage;
use ambito_app::App;
use ambito_app::access::Reader;
use ambito_domain::access::Perm;
use ambito_domain::ids::PersonId;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/ambiti/{code}/persone", Policy::Ambito(&[Perm::PersonRead]), "Persone in carico visibili al chiamante", list)
        .get("/ambiti/{code}/persone/{person}", Policy::Person(Perm::PersonRead), "Scheda della persona", show)
        .post("/ambiti/{code}/persone/{person}/note", Policy::Person(Perm::PersonWrite), "Aggiunge una nota al diario", add_note)
        .post(
            "/ambiti/{code}/persone/{person}/accesso-straordinario",
            Policy::BreakGlass,
            "Accesso straordinario (break-glass) con motivazione",
            break_glass,
        )
        .get(
            "/ambiti/{code}/persone/{person}/dati.json",
            Policy::Person(Perm::PersonExport),
            "Dati della persona (art. 15 GDPR), JSON",
            export_json,
        )
        .get(
            "/ambiti/{code}/persone/{person}/dati.pdf",
            Policy::Person(Perm::PersonExport),
            "Dati della persona (art. 15 GDPR), PDF",
            export_pdf,
        )
}

async fn list(State(app): State<App>, tenant: Tenant, q: Query<super::cases::SearchQuery>) -> WebResult<Response> {
    super::cases::list(State(app), tenant, q).await
}

async fn show(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    Query(q): Query<super::cases::RecordQuery>,
) -> WebResult<Response> {
    super::cases::show(&app, &ambito, person, q.view()).await
}

#[derive(Deserialize)]
struct NoteForm {
    tipo: String,
    testo: String,
}

async fn add_note(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    Form(f): Form<NoteForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    app.add_person_note(p, &ambito, person, &f.tipo, &f.testo, caller.ip.as_deref()).await?;
    Ok(Redirect::to(&person_page(&ambito.code, person)).into_response())
}

#[derive(Deserialize)]
struct BreakGlassForm {
    motivo: String,
}

async fn break_glass(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    Form(f): Form<BreakGlassForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    match app.break_glass(p, &ambito, person, &f.motivo, caller.ip.as_deref()).await {
        Ok(()) => Ok(Redirect::to(&person_page(&ambito.code, person)).into_response()),
        Err(ambito_app::AppError::Invalid(msg)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, BreakGlassPage::new(&ambito.code, person.get(), Some(msg))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The answer to a person page outside the care team: a form asking for the reason.
pub(crate) fn break_glass_page(code: &str, person: i64, caller: &Caller) -> Response {
    let page = access::CALLER.sync_scope(caller.clone(), || BreakGlassPage::new(code, person, None));
    (StatusCode::FORBIDDEN, page).into_response()
}

/// The staff export shows what the person page shows, no more: [`Reader::Staff`].
async fn export_json(State(app): State<App>, Tenant(ambito): Tenant, Path((_, person)): Path<(String, PersonId)>) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let data = app.person_export(Reader::Staff { principal: p, ambito: &ambito }, person).await?;
    Ok(attachment(
        serde_json::to_vec_pretty(&data).map_err(|e| WebError::Internal(e.to_string()))?,
        "application/json",
        &format!("persona-{person}.json"),
    ))
}

async fn export_pdf(State(app): State<App>, Tenant(ambito): Tenant, Path((_, person)): Path<(String, PersonId)>) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let data = app.person_export(Reader::Staff { principal: p, ambito: &ambito }, person).await?;
    Ok(attachment(ambito_app::access::person_export_pdf(&data)?, "application/pdf", &format!("persona-{person}.pdf")))
}

fn person_page(code: &str, person: PersonId) -> String {
    format!("/ambiti/{}/persone/{person}", crate::views::encode_segment(code))
}

pub(crate) fn attachment(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(HeaderValue::from_static("attachment"));
    ([(header::CONTENT_TYPE, HeaderValue::from_static(mime)), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}
