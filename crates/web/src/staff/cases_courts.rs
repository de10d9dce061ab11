//! A case's court material: orders, report deadlines, placements. Judicial data: the
//! application shows it only to who may write the record (never the ente gestore, the
//! evaluator or the citizen, whom the guard may let read the person).

use super::cases_interventions::{case_base, case_label, field_error};
use crate::access::{self, Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use crate::views::{Layout, encode_segment};
use ambito_app::App;
use ambito_app::cases::courts::{CourtView, court_label, order_kind_label, placement_label};
use ambito_domain::access::Perm;
use ambito_domain::ids::{AmbitoScope, CaseId, CourtOrderId, PersonId};
use ambito_domain::interventions::FieldError;
use ambito_domain::interventions::courts::{Court, OrderForm, OrderKind, PlacementForm, PlacementKind};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

const PAGE: &str = "/ambiti/{code}/persone/{person}/casi/{case}/tribunale";

pub fn routes() -> Routes {
    Routes::new()
        .get(PAGE, Policy::Person(Perm::PersonRead), "Provvedimenti, scadenze e collocamenti del caso", show)
        .post(PAGE, Policy::Person(Perm::PersonWrite), "Nuovo provvedimento dell'autorità giudiziaria", add_order)
        .post(
            "/ambiti/{code}/persone/{person}/casi/{case}/tribunale/scadenza",
            Policy::Person(Perm::PersonWrite),
            "Nuova scadenza di relazione al giudice",
            add_deadline,
        )
        .post(
            "/ambiti/{code}/persone/{person}/casi/{case}/tribunale/inviata",
            Policy::Person(Perm::PersonWrite),
            "Relazione al giudice inviata",
            deadline_done,
        )
        .post(
            "/ambiti/{code}/persone/{person}/casi/{case}/tribunale/collocamento",
            Policy::Person(Perm::PersonWrite),
            "Nuovo collocamento o affido",
            add_placement,
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/court.html")]
pub struct CourtPage {
    pub layout: Layout,
    pub base: String,
    pub person_name: String,
    pub case_label: String,
    /// (id, court, number, issued, kind, orders)
    pub orders: Vec<(i64, &'static str, String, String, &'static str, String)>,
    /// (id, due, what, state label, done on, open)
    pub deadlines: Vec<(i64, String, String, &'static str, String, bool)>,
    /// (kind, place, start, end)
    pub placements: Vec<(&'static str, String, String, String)>,
    pub courts: Vec<(&'static str, &'static str)>,
    pub order_kinds: Vec<(&'static str, &'static str)>,
    pub placement_kinds: Vec<(&'static str, &'static str)>,
    pub order: OrderForm,
    pub placement: PlacementForm,
    pub errors: Vec<FieldError>,
    pub failed: &'static str,
}

impl CourtPage {
    fn new(ambito: &AmbitoScope, person: PersonId, v: &CourtView) -> CourtPage {
        let code = encode_segment(&ambito.code);
        let person_name = format!("{} {}", v.person.cognome, v.person.nome);
        let layout = Layout::new("Tribunale e collocamenti")
            .with_ambito(&ambito.code, &ambito.name)
            .crumb("Ambiti", Some("/"))
            .crumb(&ambito.name, Some(&format!("/ambiti/{code}")))
            .crumb("Persone", Some(&format!("/ambiti/{code}/persone")))
            .crumb(&person_name, Some(&format!("/ambiti/{code}/persone/{person}")))
            .crumb("Tribunale", None);
        CourtPage {
            layout,
            base: case_base(&ambito.code, person, CaseId(v.case.id)),
            person_name,
            case_label: case_label(&v.case),
            orders: v
                .orders
                .iter()
                .map(|o| (o.id, court_label(&o.court), o.number.clone(), o.issued_on.clone(), order_kind_label(&o.kind), o.orders.clone()))
                .collect(),
            deadlines: v
                .deadlines
                .iter()
                .map(|d| {
                    let r = &d.row;
                    (r.id, r.due_on.clone(), r.what.clone(), d.state_label, r.done_on.clone().unwrap_or_default(), r.done_on.is_none())
                })
                .collect(),
            placements: v
                .placements
                .iter()
                .map(|p| (placement_label(&p.kind), p.place.clone(), p.start_on.clone(), p.end_on.clone().unwrap_or_default()))
                .collect(),
            courts: Court::options(),
            order_kinds: OrderKind::options(),
            placement_kinds: PlacementKind::options(),
            order: OrderForm::default(),
            placement: PlacementForm::default(),
            errors: Vec::new(),
            failed: "",
        }
    }

    pub fn err(&self, field: &str) -> String {
        field_error(&self.errors, field)
    }
}

async fn page(app: &App, ambito: &AmbitoScope, person: PersonId, case: CaseId) -> WebResult<CourtPage> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let view = app.court_view(p, ambito, person, case).await?;
    Ok(CourtPage::new(ambito, person, &view))
}

async fn show(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
) -> WebResult<CourtPage> {
    page(&app, &ambito, person, case).await
}

fn done(ambito: &AmbitoScope, person: PersonId, case: CaseId) -> Response {
    Redirect::to(&format!("{}/tribunale", case_base(&ambito.code, person, case))).into_response()
}

async fn add_order(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
    Form(f): Form<OrderForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    match app.add_court_order(p, &ambito, person, case, &f, caller.ip.as_deref()).await? {
        Ok(_) => Ok(done(&ambito, person, case)),
        Err(errors) => {
            let mut page = page(&app, &ambito, person, case).await?;
            page.order = f;
            page.errors = errors;
            page.failed = "provvedimento";
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize)]
struct DeadlineForm {
    #[serde(default)]
    provvedimento: String,
    #[serde(default)]
    scadenza: String,
    #[serde(default)]
    scadenza_cosa: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    inviata_il: String,
}

async fn rerender(
    app: &App,
    ambito: &AmbitoScope,
    person: PersonId,
    case: CaseId,
    errors: Vec<FieldError>,
    failed: &'static str,
) -> WebResult<Response> {
    let mut page = page(app, ambito, person, case).await?;
    page.errors = errors;
    page.failed = failed;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn add_deadline(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
    Form(f): Form<DeadlineForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let order: CourtOrderId = f.provvedimento.trim().parse().map_err(|_| WebError::NotFound("provvedimento non trovato".into()))?;
    match app.add_court_deadline(p, &ambito, person, case, order, &f.scadenza, &f.scadenza_cosa, caller.ip.as_deref()).await? {
        Ok(()) => Ok(done(&ambito, person, case)),
        Err(errors) => rerender(&app, &ambito, person, case, errors, "scadenza").await,
    }
}

async fn deadline_done(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
    Form(f): Form<DeadlineForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let id: i64 = f.id.trim().parse().map_err(|_| WebError::NotFound("scadenza non trovata".into()))?;
    match app.mark_court_deadline_done(p, &ambito, person, case, id, &f.inviata_il, caller.ip.as_deref()).await? {
        Ok(()) => Ok(done(&ambito, person, case)),
        Err(errors) => rerender(&app, &ambito, person, case, errors, "invio della relazione").await,
    }
}

async fn add_placement(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
    Form(f): Form<PlacementForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    match app.add_placement(p, &ambito, person, case, &f, caller.ip.as_deref()).await? {
        Ok(_) => Ok(done(&ambito, person, case)),
        Err(errors) => {
            let mut page = page(&app, &ambito, person, case).await?;
            page.placement = f;
            page.errors = errors;
            page.failed = "collocamento";
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
