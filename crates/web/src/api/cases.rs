//! The case record as JSON (issue 15): the one-box search and the registration of a person, the
//! record as the caller may see it, a diary entry, front-desk contacts, one case's interventions,
//! assessments and project, the work list and the documents' metadata. Each route has the policy
//! of the staff page showing the same data; the guard decides access and writes `person.read` /
//! `person.write` for every route naming a person. Bodies carry the staff forms' own fields, as
//! JSON strings, and a form's mistakes answer 422 with every field (`crate::problem::fields`).

use crate::access::{self, Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use ambito_app::cases::flow::DiaryForm;
use ambito_app::cases::intake::ContactForm;
use ambito_app::cases::registry::{PersonForm, Registered};
use ambito_app::{App, AppError};
use ambito_domain::access::{Perm, Principal};
use ambito_domain::ids::{CaseId, PersonId};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

const READ: Policy = Policy::Person(Perm::PersonRead);
const WRITE: Policy = Policy::Person(Perm::PersonWrite);
const DESK_READ: Policy = Policy::Ambito(&[Perm::PersonRead]);
const DESK_WRITE: Policy = Policy::Ambito(&[Perm::PersonWrite]);

const PERSONS: &str = "/api/v1/ambiti/{code}/persone";
const PERSON: &str = "/api/v1/ambiti/{code}/persone/{person}";
const CONTACTS: &str = "/api/v1/ambiti/{code}/contatti";

pub fn routes() -> Routes {
    Routes::new()
        .get(PERSONS, DESK_READ, "Ricerca di persone: codice fiscale o parole del nome (?q=)", search)
        .post(PERSONS, DESK_WRITE, "Registra una persona (o la ritrova per codice fiscale)", register)
        .get(PERSON, READ, "Cartella della persona come il chiamante può vederla", record)
        .post("/api/v1/ambiti/{code}/persone/{person}/casi/{case}/diario", WRITE, "Aggiunge una voce di diario al caso", diary)
        .get(
            "/api/v1/ambiti/{code}/persone/{person}/casi/{case}/interventi",
            READ,
            "Interventi del caso, previsto ed erogato",
            interventions,
        )
        .get("/api/v1/ambiti/{code}/persone/{person}/casi/{case}/valutazioni", READ, "Valutazioni del caso", assessments)
        .get(
            "/api/v1/ambiti/{code}/persone/{person}/casi/{case}/progetto",
            READ,
            "Progetto individuale del caso: versioni e verifiche",
            project,
        )
        .get("/api/v1/ambiti/{code}/persone/{person}/documenti", READ, "Documenti della persona (solo i metadati)", documents)
        .get(CONTACTS, DESK_READ, "Registro degli accessi allo sportello", contacts)
        .post(CONTACTS, DESK_WRITE, "Registra un contatto allo sportello", add_contact)
        .get("/api/v1/ambiti/{code}/lavoro", DESK_READ, "Liste di lavoro del chiamante", work_list)
}

/// The caller the guard let in, and their address for the audit log.
fn user() -> WebResult<(Principal, Option<String>)> {
    let caller = access::current();
    let p = caller.user().cloned().ok_or(WebError::Forbidden)?;
    Ok((p, caller.ip))
}

/// A form's mistakes as the 422 problem with each field; anything else as its own error.
fn rejected(e: AppError) -> WebResult<Response> {
    match e {
        AppError::Fields(errors) => Ok(crate::problem::fields(&errors)),
        // A record form's mistake without a field, as the staff page shows it (`staff::cases::after`).
        AppError::Invalid(msg) => Ok(crate::problem::fields(&[ambito_domain::case_record::field_error("modulo", msg)])),
        e => Err(e.into()),
    }
}

/// `201 Created` (or `200` for something that already existed) with `Location` when there is
/// something to read there.
fn created(status: StatusCode, location: Option<String>, body: Value) -> Response {
    let mut res = (status, Json(body)).into_response();
    if let Some(v) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: Option<String>,
}

/// As the persons page searches: at most 20 hits, each saying whether opening it needs
/// break-glass; every search is audited by the use case (without the typed text).
async fn search(State(app): State<App>, Tenant(ambito): Tenant, Query(q): Query<SearchQuery>) -> WebResult<Json<Value>> {
    let (p, ip) = user()?;
    let hits = app.find_persons(&p, &ambito, q.q.as_deref().unwrap_or(""), 20, ip.as_deref()).await?;
    Ok(Json(json!({"ambito": ambito.code, "risultati": hits})))
}

async fn register(State(app): State<App>, Tenant(ambito): Tenant, Json(f): Json<PersonForm>) -> WebResult<Response> {
    let (p, ip) = user()?;
    let r = match app.register_person(&p, &ambito, &f, ip.as_deref()).await {
        Ok(r) => r,
        Err(e) => return rejected(e),
    };
    let id = r.id();
    let location = format!("/api/v1/ambiti/{}/persone/{id}", crate::views::encode_segment(&ambito.code));
    let status = if matches!(r, Registered::New(_)) { StatusCode::CREATED } else { StatusCode::OK };
    Ok(created(status, Some(location), json!({"id": id.get(), "nuova": matches!(r, Registered::New(_))})))
}

/// The record as the person page shows it (`?diario=K` a diary page, `?cronologia=tutta` the
/// whole timeline, as on the page). A citizen reads their own data in their area, which shows
/// only what is meant for them: as on the page, they are sent there (its JSON export).
async fn record(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    axum::extract::Query(q): axum::extract::Query<crate::staff::cases::RecordQuery>,
) -> WebResult<Response> {
    let (p, _) = user()?;
    if p.is_citizen_only() {
        return Ok(Redirect::to("/area-personale/dati.json").into_response());
    }
    Ok(Json(app.case_record(&p, &ambito, person, q.view()).await?).into_response())
}

type CasePath = Path<(String, PersonId, CaseId)>;

async fn diary(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): CasePath,
    Json(f): Json<DiaryForm>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    match app.add_diary_entry(&p, &ambito, person, case, &f, ip.as_deref()).await {
        Ok(id) => Ok(created(StatusCode::CREATED, None, json!({"id": id.get()}))),
        Err(e) => rejected(e),
    }
}

async fn interventions(State(app): State<App>, Tenant(ambito): Tenant, Path((_, person, case)): CasePath) -> WebResult<Response> {
    let (p, _) = user()?;
    Ok(Json(app.case_interventions(&p, &ambito, person, case).await?).into_response())
}

async fn assessments(State(app): State<App>, Tenant(ambito): Tenant, Path((_, person, case)): CasePath) -> WebResult<Response> {
    let (p, _) = user()?;
    Ok(Json(app.case_assessments(&p, &ambito, person, case).await?).into_response())
}

async fn project(State(app): State<App>, Tenant(ambito): Tenant, Path((_, person, case)): CasePath) -> WebResult<Response> {
    let (p, _) = user()?;
    Ok(Json(app.case_project(&p, &ambito, person, case).await?).into_response())
}

/// The documents' metadata; the files themselves are downloaded from the staff page's route.
async fn documents(State(app): State<App>, Tenant(ambito): Tenant, Path((_, person)): Path<(String, PersonId)>) -> WebResult<Response> {
    let (p, _) = user()?;
    Ok(Json(app.person_documents(&p, &ambito, person).await?).into_response())
}

/// The front-desk log as the page lists it (the latest 200): persons the caller may not open
/// read as «(riservato)».
async fn contacts(State(app): State<App>, Tenant(ambito): Tenant) -> WebResult<Json<Value>> {
    let (p, _) = user()?;
    let rows = app.contacts(&p, &ambito, 200).await?;
    Ok(Json(json!({"ambito": ambito.code, "contatti": rows})))
}

async fn add_contact(State(app): State<App>, Tenant(ambito): Tenant, Json(f): Json<ContactForm>) -> WebResult<Response> {
    let (p, ip) = user()?;
    match app.add_contact(&p, &ambito, &f, ip.as_deref()).await {
        Ok(id) => Ok(created(StatusCode::CREATED, None, json!({"id": id.get()}))),
        Err(e) => rejected(e),
    }
}

async fn work_list(State(app): State<App>, Tenant(ambito): Tenant) -> WebResult<Response> {
    let (p, _) = user()?;
    Ok(Json(app.work_list(&p, &ambito).await?).into_response())
}
