//! Page handlers (the JSON API is in `crate::api`): each parses the request, calls one application service and returns a page or file.
//! Access control arrives with accounts and roles; every route is already scoped by Ambito code.

use crate::error::{WebError, WebResult};
use crate::views;
use ambito_app::App;
use ambito_app::reporting::edit::GridEntry;
use ambito_domain::measures::Measure;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::access::{Policy, Routes, Tenant};
use ambito_domain::access::{Perm, UploadKind};
use ambito_domain::ids::AmbitoScope;

pub(crate) const REPORT: &[Perm] = &[Perm::ReportRead, Perm::ReportReadSuppressed];
pub(crate) const FULL_REPORT: &[Perm] = &[Perm::ReportRead];
pub(crate) const UPLOAD: &[Perm] = &[Perm::ImportWrite, Perm::BudgetWrite, Perm::DeliveryImport];

/// The core pages: territory, activity, demography and the annual report.
pub fn routes() -> Routes {
    Routes::new()
        .get("/", Policy::Authenticated, "Elenco degli Ambiti accessibili", home)
        .get("/healthz", Policy::Public, "Stato del servizio", healthz)
        .get("/ambiti/{code}", Policy::Ambito(FULL_REPORT), "Cruscotto dell'Ambito", dashboard)
        .get("/ambiti/{code}/servizi", Policy::Ambito(FULL_REPORT), "Catalogo dei servizi", services)
        .get("/ambiti/{code}/attivita", Policy::Ambito(&[Perm::ActivityRead]), "Griglia dei dati di attività", activity)
        .post("/ambiti/{code}/attivita", Policy::Ambito(&[Perm::ActivityWrite]), "Salva la griglia dei dati di attività", save_activity)
        .get("/ambiti/{code}/demografia", Policy::Ambito(FULL_REPORT), "Contesto demografico", demography)
        .get("/ambiti/{code}/relazione", Policy::Ambito(REPORT), "Relazione annuale (pagina)", report)
        .get("/ambiti/{code}/relazione/{file}", Policy::Ambito(REPORT), "Relazione annuale: PDF, XLSX o CSV", report_file)
        .audited()
        .get("/ambiti/{code}/relazione/{year}/testi", Policy::Ambito(&[Perm::ReportWrite]), "Testi della relazione", texts)
        .post("/ambiti/{code}/relazione/{year}/testi", Policy::Ambito(&[Perm::ReportWrite]), "Salva i testi della relazione", save_texts)
        .get("/ambiti/{code}/importa", Policy::Ambito(UPLOAD), "Caricamento di file", upload_form)
        .at_with(
            axum::http::Method::POST,
            "/ambiti/{code}/importa",
            Policy::Ambito(UPLOAD),
            "Importa un file di attività, budget o prestazioni",
            axum::routing::post(upload).layer(DefaultBodyLimit::max(crate::uploads::UPLOAD_LIMIT)),
        )
}

/// Evaluators read aggregates with small cells suppressed; everyone else with `report.read`
/// sees every figure.
pub(crate) fn suppressed_view(app_ambito_id: Option<i64>) -> bool {
    crate::access::current().user().is_some_and(|p| ambito_domain::access::sees_suppressed_figures(p, app_ambito_id))
}

#[derive(Deserialize)]
struct YearQuery {
    anno: Option<i64>,
    salvato: Option<u8>,
}

async fn healthz() -> &'static str {
    "ok"
}

/// The Ambiti the caller holds a role in (all of them for a global role).
pub(crate) async fn visible_ambiti(app: &App) -> WebResult<Vec<ambito_app::rows::AmbitoRow>> {
    let caller = crate::access::current();
    let Some(p) = caller.user() else { return Ok(vec![]) };
    let mine = p.ambiti();
    Ok(app.ambiti().await?.into_iter().filter(|a| mine.as_ref().is_none_or(|m| m.contains(&a.id))).collect())
}

async fn home(State(app): State<App>) -> WebResult<Response> {
    let caller = crate::access::current();
    if caller.user().is_some_and(ambito_domain::access::Principal::is_citizen_only) {
        return Ok(Redirect::to("/area-personale").into_response());
    }
    let ambiti = visible_ambiti(&app).await?;
    Ok(views::home::HomePage::new(ambiti.into_iter().map(|a| (a.code, a.name, a.distretto.unwrap_or_default())).collect()).into_response())
}

async fn latest_year(app: &App, ambito: &AmbitoScope) -> WebResult<Option<i64>> {
    Ok(app.activity_years(ambito).await?.first().copied())
}

pub(crate) fn year_i32(y: i64) -> WebResult<i32> {
    i32::try_from(y).ok().filter(|y| (1990..=2100).contains(y)).ok_or_else(|| WebError::BadRequest(format!("anno non valido: {y}")))
}

async fn dashboard(State(app): State<App>, Tenant(scope): Tenant) -> WebResult<views::dashboard::DashboardPage> {
    let code = scope.code.clone();
    let ambito = app.ambito(&code).await?;
    let comuni = app.demography(&scope, None).await?.comuni.len();
    let report = match latest_year(&app, &scope).await? {
        Some(y) => Some(app.annual_report(&code, year_i32(y)?).await?),
        None => None,
    };
    let distretto = [ambito.distretto.clone(), ambito.ats.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let months = match &report {
        Some(r) => app.delivery_months(&code, i64::from(r.year)).await?,
        None => vec![],
    };
    Ok(views::dashboard::DashboardPage::new(&ambito.code, &ambito.name, distretto, comuni, report.as_deref()).with_months(months))
}

async fn services(State(app): State<App>, Tenant(ambito): Tenant) -> WebResult<views::services::ServicesPage> {
    Ok(views::services::ServicesPage::new(&ambito.code, &ambito.name, app.services(&ambito).await?))
}

async fn activity_page(app: &App, ambito: &AmbitoScope, year: Option<i64>) -> WebResult<views::activity::ActivityPage> {
    let years = app.activity_years(ambito).await?;
    let year = match year.or_else(|| years.first().copied()) {
        Some(y) => i64::from(year_i32(y)?),
        None => 2025,
    };
    let rows = app.activity_grid(ambito, year).await?;
    Ok(views::activity::ActivityPage::new(&ambito.code, &ambito.name, year, years, rows))
}

async fn activity(State(app): State<App>, Tenant(ambito): Tenant, Query(q): Query<YearQuery>) -> WebResult<views::activity::ActivityPage> {
    let mut page = activity_page(&app, &ambito, q.anno).await?;
    page.saved = q.salvato == Some(1);
    Ok(page)
}

/// Saves the whole grid; on any error nothing is written and the page comes back with the
/// errors and the values as typed.
async fn save_activity(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Query(q): Query<YearQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let year = fields
        .iter()
        .find(|(k, _)| k == "anno")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .or(q.anno)
        .ok_or_else(|| WebError::BadRequest("anno mancante".into()))?;
    let year = i64::from(year_i32(year)?);
    let mut entries: Vec<GridEntry> = Vec::new();
    let mut entry = |code: &str| -> usize {
        match entries.iter().position(|e| e.service_code == code) {
            Some(i) => i,
            None => {
                entries.push(GridEntry { service_code: code.to_string(), ..GridEntry::default() });
                entries.len() - 1
            }
        }
    };
    let mut typed: Vec<(usize, Option<Measure>, String)> = Vec::new();
    for (key, value) in &fields {
        if let Some(rest) = key.strip_prefix("m.") {
            let Some((term, service)) = rest.split_once('.') else { continue };
            let Some(m) = Measure::from_term(term) else { continue };
            typed.push((entry(service), Some(m), value.clone()));
        } else if let Some(service) = key.strip_prefix("b.") {
            typed.push((entry(service), None, value.clone()));
        }
    }
    for (i, m, v) in typed {
        match m {
            Some(m) => entries[i].measures[m.index()] = v,
            None => entries[i].budget = v,
        }
    }
    let findings = app.save_activity(&ambito.code, year, &entries).await?;
    if !findings.has_errors() {
        return Ok(Redirect::to(&format!("/ambiti/{}/attivita?anno={year}&salvato=1", views::encode_segment(&ambito.code))).into_response());
    }
    let mut page = activity_page(&app, &ambito, Some(year)).await?;
    page.errors = findings.errors.iter().map(|e| format!("{}: {}", e.column.clone().unwrap_or_default(), e.message.it)).collect();
    for line in &mut page.lines {
        if let Some(e) = entries.iter().find(|e| e.service_code == line.code) {
            for (k, cell) in line.cells.iter_mut().enumerate() {
                cell.1 = e.measures[k].clone();
            }
            line.budget = e.budget.clone();
        }
    }
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn demography(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Query(q): Query<YearQuery>,
) -> WebResult<views::demography::DemographyPage> {
    Ok(views::demography::DemographyPage::new(app.demography(&ambito, q.anno).await?))
}

/// The report page, rendered once per data revision: it is the page the mayors' assembly opens.
async fn report(State(app): State<App>, Tenant(ambito): Tenant, Query(q): Query<YearQuery>) -> WebResult<Response> {
    let code = ambito.code.clone();
    if suppressed_view(Some(ambito.id.get())) {
        return suppressed_report(&app, &ambito, q.anno).await;
    }
    let key = format!("page/relazione/{code}/{:?}", q.anno);
    let html = app
        .cached(key, || async {
            let years = app.activity_years(&ambito).await?;
            let Some(year) = q.anno.or_else(|| years.first().copied()) else {
                return Err(ambito_app::AppError::NoReport);
            };
            let year = i32::try_from(year).map_err(|_| ambito_app::AppError::Invalid(format!("anno non valido: {year}")))?;
            let r = app.annual_report(&code, year).await?;
            askama::Template::render(&views::report::ReportPage::new(&code, years, &r))
                .map_err(|e| ambito_app::AppError::Internal(format!("report page: {e}")))
        })
        .await?;
    Ok(axum::response::Html(html.as_str().to_owned()).into_response())
}

async fn suppressed_report(app: &App, ambito: &AmbitoScope, year: Option<i64>) -> WebResult<Response> {
    let years = app.activity_years(ambito).await?;
    let Some(year) = year.or_else(|| years.first().copied()) else { return Err(ambito_app::AppError::NoReport.into()) };
    let r = app.annual_report(&ambito.code, year_i32(year)?).await?;
    let rows = ambito_render::csv_out::annual_suppressed_records(&r, ambito_domain::suppression::DEFAULT_THRESHOLD);
    Ok(views::report::SuppressedPage::new(&ambito.code, &r.ambito_name, r.year, rows).into_response())
}

async fn report_file(State(app): State<App>, Path((code, file)): Path<(String, String)>) -> WebResult<Response> {
    let (year, ext) = file.split_once('.').ok_or_else(|| WebError::NotFound(format!("file «{file}» non trovato")))?;
    let year = year.parse::<i64>().map_err(|_| WebError::NotFound(format!("file «{file}» non trovato")))?;
    let r = app.annual_report(&code, year_i32(year)?).await?;
    let suppressed = suppressed_view(app.ambito_id(&code).await?);
    let (bytes, mime) = match ext {
        "csv" if suppressed => {
            (ambito_render::csv_out::annual_suppressed(&r, ambito_domain::suppression::DEFAULT_THRESHOLD)?, "text/csv; charset=utf-8")
        }
        // PDF and XLSX carry every figure: only with full report rights.
        _ if suppressed => return Err(WebError::Forbidden),
        "pdf" => (ambito_render::annual_pdf(&r)?, "application/pdf"),
        "xlsx" => (ambito_render::annual_xlsx(&r)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "csv" => (ambito_render::annual_csv(&r)?, "text/csv; charset=utf-8"),
        _ => return Err(WebError::NotFound(format!("formato «{ext}» non disponibile"))),
    };
    let name = format!("relazione-{}-{year}.{ext}", r.ambito_code.to_lowercase());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(mime)), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

async fn texts(State(app): State<App>, Path((code, year)): Path<(String, i64)>) -> WebResult<views::texts::TextsPage> {
    let r = app.annual_report(&code, year_i32(year)?).await?;
    Ok(views::texts::TextsPage::new(&code, &r))
}

/// Fields come as `area.N`, `lettura.N`, `obiettivi.N` for each area N of the form.
async fn save_texts(
    State(app): State<App>,
    Path((code, year)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let year = year_i32(year)?;
    let get = |key: String| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut texts = Vec::new();
    for (key, area) in fields.iter().filter(|(k, _)| k.starts_with("area.")) {
        let n = &key["area.".len()..];
        let obiettivi = get(format!("obiettivi.{n}")).lines().map(str::to_string).collect();
        texts.push((area.clone(), get(format!("lettura.{n}")), obiettivi));
    }
    app.save_narratives(&code, i64::from(year), &texts).await?;
    Ok(Redirect::to(&format!("/ambiti/{}/relazione?anno={year}", views::encode_segment(&code))).into_response())
}

async fn upload_form(State(app): State<App>, Path(code): Path<String>) -> WebResult<views::upload::UploadPage> {
    let ambito = app.ambito(&code).await?;
    let jobs = crate::staff::jobs::recent_for_caller(&app, &ambito.code).await?;
    let lines = jobs.iter().map(|j| views::upload::JobLine::new(&ambito.code, j)).collect();
    Ok(views::upload::UploadPage::new(&ambito.code, ambito.id, &ambito.name, None).with_jobs(lines))
}

async fn upload(State(app): State<App>, Path(code): Path<String>, mut form: Multipart) -> WebResult<Response> {
    let ambito = app.ambito(&code).await?;
    let (kind, file) = crate::uploads::read_upload_form(&mut form, crate::uploads::OtherFields::Ignore).await?;
    let Some(file) = file else { return Err(WebError::BadRequest("nessun file inviato".into())) };
    let Some(kind) = UploadKind::parse(&kind) else {
        // An unknown kind is refused as before: 403 to anyone who may not send delivery files.
        let may = crate::access::current().user().is_some_and(|p| p.may(Perm::DeliveryImport, Some(ambito.id)));
        return Err(if may { WebError::BadRequest(format!("tipo di dati sconosciuto «{kind}»")) } else { WebError::Forbidden });
    };
    let outcome = match crate::uploads::import_upload(&app, &ambito, kind, file).await? {
        crate::uploads::Uploaded::Imported(outcome) => outcome,
        // Large files take a while: the import runs as a job and the browser follows it.
        crate::uploads::Uploaded::Queued(id) => return Ok(Redirect::to(&crate::staff::jobs::page_url(&ambito.code, id)).into_response()),
    };
    let status = if outcome.applied { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, views::upload::UploadPage::new(&ambito.code, ambito.id, &ambito.name, Some(outcome))).into_response())
}
