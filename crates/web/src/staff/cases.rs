//! The case record's staff pages: the person search and registration, the record page and its
//! forms, the front-desk log, proposals and the work list. Every form answers a mistake with the
//! page again (422), the errors next to their fields and the values kept.

use crate::access::{self, Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use crate::views::cases::{ContactsPage, FormState, RecordPage, RegisterPage, SearchPage, WorkListPage};
use ambito_app::cases::flow::{AppointmentForm, DiaryForm, MoveForm, TeamForm};
use ambito_app::cases::intake::{ContactForm, DecisionForm};
use ambito_app::cases::record::RecordView;
use ambito_app::cases::registry::{PersonForm, RegistryForm};
use ambito_app::{App, AppError};
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::ids::{AmbitoScope, CaseId, PersonId, ProposalId};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::BTreeMap;

const WRITE: Policy = Policy::Person(Perm::PersonWrite);

pub fn routes() -> Routes {
    Routes::new()
        .get("/ambiti/{code}/persone/nuova", Policy::Ambito(&[Perm::PersonWrite]), "Modulo di registrazione di una persona", register_form)
        .post("/ambiti/{code}/persone", Policy::Ambito(&[Perm::PersonWrite]), "Registra una persona allo sportello", register)
        .post("/ambiti/{code}/persone/{person}/anagrafica", WRITE, "Corregge i dati anagrafici (con storico)", correct)
        .post("/ambiti/{code}/persone/{person}/anagrafica/{list}", WRITE, "Aggiunge una voce all'anagrafica", add_registry)
        .post("/ambiti/{code}/persone/{person}/anagrafica/{list}/{id}/annulla", WRITE, "Annulla una voce dell'anagrafica", void_registry)
        .post("/ambiti/{code}/persone/{person}/unione", WRITE, "Unisce una scheda doppia", merge)
        .post("/ambiti/{code}/persone/{person}/unione/{id}/annulla", WRITE, "Annulla un'unione di schede", unmerge)
        .post("/ambiti/{code}/persone/{person}/casi/{case}/stato", WRITE, "Cambia lo stato di un caso", move_case)
        .post("/ambiti/{code}/persone/{person}/casi/{case}/responsabile", WRITE, "Assegna il responsabile del caso", manager)
        .post("/ambiti/{code}/persone/{person}/casi/{case}/condivisione", WRITE, "Condivide il caso per un periodo", share)
        .post("/ambiti/{code}/persone/{person}/casi/{case}/diario", WRITE, "Aggiunge una voce di diario al caso", diary)
        .post("/ambiti/{code}/persone/{person}/casi/{case}/appuntamenti", WRITE, "Aggiunge un appuntamento", appointment)
        .get("/ambiti/{code}/accessi", Policy::Ambito(&[Perm::PersonRead]), "Registro degli accessi allo sportello", contacts)
        .post("/ambiti/{code}/accessi", Policy::Ambito(&[Perm::PersonWrite]), "Registra un contatto allo sportello", add_contact)
        .get("/ambiti/{code}/lavoro", Policy::Ambito(&[Perm::PersonRead]), "Liste di lavoro dell'operatore", work_list)
        .post("/ambiti/{code}/proposte/{id}", Policy::Ambito(&[Perm::PersonWrite]), "Decide una proposta di presa in carico", decide)
        .post("/ambiti/{code}/avvisi/letti", Policy::Ambito(&[Perm::PersonRead]), "Segna come letti gli avvisi", alerts_read)
}

fn user() -> WebResult<(Principal, Option<String>)> {
    let caller = access::current();
    let p = caller.user().cloned().ok_or(WebError::Forbidden)?;
    Ok((p, caller.ip))
}

fn today() -> String {
    ambito_app::cases::today().iso()
}

fn record_href(code: &str, person: PersonId) -> String {
    format!("/ambiti/{}/persone/{person}", crate::views::encode_segment(code))
}

/// The form's fields as typed, to put back after an error (the CSRF token aside).
fn typed(form: &[(String, String)]) -> BTreeMap<String, String> {
    form.iter().filter(|(k, _)| k != "_csrf").cloned().collect()
}

/// The typed fields as the use case's form type: every field is optional text there, so any
/// set of fields reads (unknown ones are ignored, a repeated one keeps its last value).
fn parse<T: serde::de::DeserializeOwned + Default>(form: &[(String, String)]) -> T {
    let map: serde_json::Map<String, serde_json::Value> =
        form.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
    serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}

/// The parts of a long record asked for: `?diario=K` (a diary page), `?cronologia=tutta`.
/// Anything else reads as the first page, so an old or mistyped link still opens the record.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RecordQuery {
    diario: Option<String>,
    cronologia: Option<String>,
}

impl RecordQuery {
    pub(crate) fn view(&self) -> RecordView {
        RecordView {
            diary_page: self.diario.as_deref().and_then(|d| d.trim().parse().ok()).unwrap_or(1),
            whole_timeline: self.cronologia.as_deref() == Some("tutta"),
        }
    }
}

/// The record page, with a form's errors when it failed.
async fn record_page(app: &App, ambito: &AmbitoScope, p: &Principal, person: PersonId, form: FormState) -> WebResult<Response> {
    record_page_of(app, ambito, p, person, form, RecordView::default()).await
}

async fn record_page_of(
    app: &App,
    ambito: &AmbitoScope,
    p: &Principal,
    person: PersonId,
    form: FormState,
    view: RecordView,
) -> WebResult<Response> {
    let r = app.case_record(p, ambito, person, view).await?;
    let decision = app.person_decision(p, Perm::PersonRead, ambito.id, person).await?;
    let may_export = p.may(Perm::PersonExport, Some(ambito.id.get()));
    let failed = !form.errors.is_empty();
    let page = RecordPage::new(&ambito.code, &ambito.name, r, may_export, decision == PersonDecision::AllowBreakGlass, form, today());
    Ok(if failed { (StatusCode::UNPROCESSABLE_ENTITY, page).into_response() } else { page.into_response() })
}

pub(crate) async fn show(app: &App, ambito: &AmbitoScope, person: PersonId, view: RecordView) -> WebResult<Response> {
    let (p, _) = user()?;
    // A citizen reads their own record in their area, which shows only what is meant for them
    // (no diary, assessments or court material), never on the staff page.
    if p.is_citizen_only() {
        return Ok(Redirect::to("/area-personale").into_response());
    }
    record_page_of(app, ambito, &p, person, FormState::default(), view).await
}

/// After a record form: back to the page, or the page again with the errors.
#[allow(clippy::too_many_arguments)] // the page to show again needs all of them
async fn after(
    app: &App,
    ambito: &AmbitoScope,
    p: &Principal,
    person: PersonId,
    form_name: &str,
    fields: &[(String, String)],
    r: ambito_app::Result<()>,
    anchor: &str,
) -> WebResult<Response> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("{}{anchor}", record_href(&ambito.code, person))).into_response()),
        Err(AppError::Fields(errors)) => record_page(app, ambito, p, person, FormState::new(form_name, errors, typed(fields))).await,
        Err(AppError::Invalid(msg)) => {
            let errors = vec![ambito_domain::case_record::field_error("modulo", msg)];
            record_page(app, ambito, p, person, FormState::new(form_name, errors, typed(fields))).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct SearchQuery {
    q: Option<String>,
    cf: Option<String>,
}

/// The persons page: the caller's list and the one-box search (`?q=`). The old `?cf=` search
/// for break-glass keeps its exact answer (a redirect, or 404 with the same page).
pub(crate) async fn search(app: &App, ambito: &AmbitoScope, q: SearchQuery) -> WebResult<Response> {
    let (p, ip) = user()?;
    if let Some(cf) = q.cf.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        if let Some(person) = app.search_person(&p, ambito, cf, ip.as_deref()).await? {
            return Ok(Redirect::to(&record_href(&ambito.code, person)).into_response());
        }
        let persons = app.visible_persons(&p, ambito).await?;
        let page = crate::views::persons::PersonListPage::new(&ambito.code, &ambito.name, persons, Some(cf.to_string()));
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    }
    let query = q.q.unwrap_or_default();
    let searched = !query.trim().is_empty();
    // A search answers with its hits only: the caller's whole list (an access decision per
    // person of the Ambito) is for the page without a query.
    let (hits, persons) = if searched {
        (app.find_persons(&p, ambito, &query, 20, ip.as_deref()).await?, Vec::new())
    } else {
        (Vec::new(), app.visible_persons(&p, ambito).await?)
    };
    let may_register = p.may(Perm::PersonWrite, Some(ambito.id.get()));
    Ok(SearchPage::new(&ambito.code, &ambito.name, query, hits, persons, may_register, searched).into_response())
}

pub(crate) async fn list(State(app): State<App>, Tenant(ambito): Tenant, Query(q): Query<SearchQuery>) -> WebResult<Response> {
    search(&app, &ambito, q).await
}

async fn register_form(Tenant(ambito): Tenant) -> WebResult<Response> {
    Ok(RegisterPage::new(&ambito.code, &ambito.name, FormState::default()).into_response())
}

async fn register(State(app): State<App>, Tenant(ambito): Tenant, Form(fields): Form<Vec<(String, String)>>) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: PersonForm = parse(&fields);
    match app.register_person(&p, &ambito, &f, ip.as_deref()).await {
        Ok(r) => Ok(Redirect::to(&record_href(&ambito.code, r.id())).into_response()),
        Err(AppError::Fields(errors)) => {
            let page = RegisterPage::new(&ambito.code, &ambito.name, FormState::new("registra", errors, typed(&fields)));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn correct(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: PersonForm = parse(&fields);
    match app.correct_person(&p, &ambito, person, &f, ip.as_deref()).await {
        Ok(id) => Ok(Redirect::to(&record_href(&ambito.code, id)).into_response()),
        Err(e) => after(&app, &ambito, &p, person, "correggi", &fields, Err(e), "").await,
    }
}

async fn add_registry(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, list)): Path<(String, PersonId, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: RegistryForm = parse(&fields);
    let r = app.add_registry_record(&p, &ambito, person, &list, &f, ip.as_deref()).await.map(|_| ());
    after(&app, &ambito, &p, person, &format!("anagrafica-{list}"), &fields, r, "#anagrafica").await
}

#[derive(Deserialize, Default)]
struct ReasonForm {
    #[serde(default)]
    motivo: String,
    #[serde(default)]
    altra: String,
}

async fn void_registry(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, list, id)): Path<(String, PersonId, String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: ReasonForm = parse(&fields);
    let r = app.void_registry_record(&p, &ambito, person, &list, id, &f.motivo, ip.as_deref()).await;
    after(&app, &ambito, &p, person, &format!("anagrafica-{list}"), &fields, r, "#anagrafica").await
}

async fn merge(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: ReasonForm = parse(&fields);
    let Ok(other) = f.altra.trim().parse::<PersonId>() else {
        let errors = vec![ambito_domain::case_record::field_error("altra", "numero di scheda non valido")];
        return record_page(&app, &ambito, &p, person, FormState::new("unione", errors, typed(&fields))).await;
    };
    let r = app.merge_persons(&p, &ambito, person, other, &f.motivo, ip.as_deref()).await.map(|_| ());
    after(&app, &ambito, &p, person, "unione", &fields, r, "#anagrafica").await
}

async fn unmerge(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, id)): Path<(String, PersonId, i64)>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let r = app.undo_merge(&p, &ambito, person, id, ip.as_deref()).await;
    after(&app, &ambito, &p, person, "unione", &[], r, "#anagrafica").await
}

type CasePath = Path<(String, PersonId, CaseId)>;

async fn move_case(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): CasePath,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: MoveForm = parse(&fields);
    let r = app.move_case(&p, &ambito, person, case, &f, ip.as_deref()).await;
    after(&app, &ambito, &p, person, &format!("stato-{case}"), &fields, r, &format!("#caso-{case}")).await
}

async fn manager(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): CasePath,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: TeamForm = parse(&fields);
    let r = app.change_case_manager(&p, &ambito, person, case, &f, ip.as_deref()).await;
    after(&app, &ambito, &p, person, &format!("responsabile-{case}"), &fields, r, &format!("#caso-{case}")).await
}

async fn share(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): CasePath,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: TeamForm = parse(&fields);
    let r = app.share_case(&p, &ambito, person, case, &f, ip.as_deref()).await;
    after(&app, &ambito, &p, person, &format!("condivisione-{case}"), &fields, r, &format!("#caso-{case}")).await
}

async fn diary(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): CasePath,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: DiaryForm = parse(&fields);
    let r = app.add_diary_entry(&p, &ambito, person, case, &f, ip.as_deref()).await.map(|_| ());
    after(&app, &ambito, &p, person, "diario", &fields, r, "#diario").await
}

async fn appointment(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): CasePath,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: AppointmentForm = parse(&fields);
    let r = app.add_appointment(&p, &ambito, person, case, &f, ip.as_deref()).await;
    after(&app, &ambito, &p, person, &format!("appuntamento-{case}"), &fields, r, &format!("#caso-{case}")).await
}

async fn contacts_page(app: &App, ambito: &AmbitoScope, p: &Principal, form: FormState) -> WebResult<Response> {
    let contacts = app.contacts(p, ambito, 200).await?;
    let services = app.services(ambito).await?.into_iter().map(|s| (s.code, s.name)).collect();
    let failed = !form.errors.is_empty();
    let page =
        ContactsPage::new(&ambito.code, &ambito.name, contacts, services, p.may(Perm::PersonWrite, Some(ambito.id.get())), form, today());
    Ok(if failed { (StatusCode::UNPROCESSABLE_ENTITY, page).into_response() } else { page.into_response() })
}

async fn contacts(State(app): State<App>, Tenant(ambito): Tenant) -> WebResult<Response> {
    let (p, _) = user()?;
    contacts_page(&app, &ambito, &p, FormState::default()).await
}

async fn add_contact(State(app): State<App>, Tenant(ambito): Tenant, Form(fields): Form<Vec<(String, String)>>) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: ContactForm = parse(&fields);
    match app.add_contact(&p, &ambito, &f, ip.as_deref()).await {
        Ok(_) => Ok(Redirect::to(&format!("/ambiti/{}/accessi", crate::views::encode_segment(&ambito.code))).into_response()),
        Err(AppError::Fields(errors)) => contacts_page(&app, &ambito, &p, FormState::new("contatto", errors, typed(&fields))).await,
        Err(e) => Err(e.into()),
    }
}

async fn work_list(State(app): State<App>, Tenant(ambito): Tenant) -> WebResult<Response> {
    let (p, _) = user()?;
    let w = app.work_list(&p, &ambito).await?;
    Ok(WorkListPage::new(&ambito.code, &ambito.name, w, FormState::default()).into_response())
}

async fn decide(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, id)): Path<(String, ProposalId)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, ip) = user()?;
    let f: DecisionForm = parse(&fields);
    match app.decide_proposal(&p, &ambito, id, &f, ip.as_deref()).await {
        Ok(_) => Ok(Redirect::to(&format!("/ambiti/{}/lavoro", crate::views::encode_segment(&ambito.code))).into_response()),
        Err(AppError::Fields(errors)) => {
            let w = app.work_list(&p, &ambito).await?;
            let page = WorkListPage::new(&ambito.code, &ambito.name, w, FormState::new(&format!("proposta-{id}"), errors, typed(&fields)));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn alerts_read(State(app): State<App>, Tenant(ambito): Tenant) -> WebResult<Response> {
    let (p, _) = user()?;
    app.mark_alerts_read(&p).await?;
    Ok(Redirect::to(&format!("/ambiti/{}/lavoro", crate::views::encode_segment(&ambito.code))).into_response())
}
