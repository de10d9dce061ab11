//! Piano di Zona routes, all under `/ambiti/{code}/piano/...`: thin handlers over the
//! application services of `ambito_app::plan`.

mod views;

use crate::access::{Caller, Policy, Routes};
use crate::error::{WebError, WebResult};
use ambito_app::App;
use ambito_app::access::Actor;
use ambito_app::plan::edit::{CardForm, IndicatorForm};
use ambito_app::plan::evaluation::{EvaluationForm, EvidenceForm};
use ambito_app::plan::{Figures, PlanTenant};
use ambito_app::{Findings, Lang};
use ambito_domain::access::Perm;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;

type Fields = Form<Vec<(String, String)>>;

pub(crate) const READ: &[Perm] = &[Perm::PlanRead];
pub(crate) const WRITE: &[Perm] = &[Perm::PlanWrite];

pub fn routes() -> Routes {
    let upload = axum::routing::post(import).layer(DefaultBodyLimit::max(crate::uploads::UPLOAD_LIMIT));
    Routes::new()
        .get("/ambiti/{code}/piano", Policy::Ambito(READ), "Piani di Zona dell'Ambito", list)
        .at_with(axum::http::Method::POST, "/ambiti/{code}/piano", Policy::Ambito(WRITE), "Importa un piano (JSON o XLSX)", upload)
        .get("/ambiti/{code}/piano/{tri}", Policy::Ambito(READ), "Piano di Zona: tavola sinottica e schede", detail)
        .post("/ambiti/{code}/piano/{tri}/approva", Policy::Ambito(WRITE), "Approva il piano (atto di approvazione)", approve)
        .post("/ambiti/{code}/piano/{tri}/prossimo", Policy::Ambito(WRITE), "Ex post → ex ante: bozza del piano successivo", next_plan)
        .get("/ambiti/{code}/piano/{tri}/documenti/{file}", Policy::Ambito(READ), "Documenti del piano (PDF, DOCX, XLSX, JSON)", document)
        .audited()
        .get("/ambiti/{code}/piano/{tri}/provincia", Policy::Ambito(READ), "Confronto provinciale sugli indicatori condivisi", province)
        .get("/ambiti/{code}/piano/{tri}/schede/nuova", Policy::Ambito(WRITE), "Nuova scheda obiettivo", card_new)
        .post("/ambiti/{code}/piano/{tri}/schede/nuova", Policy::Ambito(WRITE), "Crea una scheda obiettivo", card_create)
        .get("/ambiti/{code}/piano/{tri}/schede/{id}", Policy::Ambito(READ), "Scheda obiettivo", card)
        .get("/ambiti/{code}/piano/{tri}/schede/{id}/modifica", Policy::Ambito(WRITE), "Modifica della scheda", card_edit)
        .post("/ambiti/{code}/piano/{tri}/schede/{id}/modifica", Policy::Ambito(WRITE), "Salva la scheda", card_update)
        .get("/ambiti/{code}/piano/{tri}/schede/{id}/valutazione", Policy::Ambito(READ), "Scheda di valutazione finale", evaluation)
        .post("/ambiti/{code}/piano/{tri}/schede/{id}/valutazione", Policy::Ambito(WRITE), "Salva la valutazione finale", evaluation_save)
        .post("/ambiti/{code}/piano/{tri}/schede/{id}/evidenze", Policy::Ambito(WRITE), "Aggiunge un'evidenza qualitativa", evidence_add)
        .get("/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/nuovo", Policy::Ambito(WRITE), "Nuovo indicatore", indicator_new)
        .post("/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/nuovo", Policy::Ambito(WRITE), "Crea un indicatore", indicator_create)
        .get(
            "/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/{ind}/modifica",
            Policy::Ambito(WRITE),
            "Modifica dell'indicatore",
            indicator_edit,
        )
        .post(
            "/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/{ind}/modifica",
            Policy::Ambito(WRITE),
            "Salva l'indicatore",
            indicator_update,
        )
        .post(
            "/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/{ind}/elimina",
            Policy::Ambito(WRITE),
            "Elimina l'indicatore",
            indicator_delete,
        )
        .get("/ambiti/{code}/piano/{tri}/indicatori/{ind}", Policy::Ambito(READ), "Andamento dell'indicatore tra le rilevazioni", indicator)
        .post("/ambiti/{code}/piano/{tri}/rilevazioni", Policy::Ambito(WRITE), "Apre una rilevazione semestrale", round_open)
        .get("/ambiti/{code}/piano/{tri}/rilevazioni/{n}", Policy::Ambito(READ), "Rilevazione semestrale", round)
        .post("/ambiti/{code}/piano/{tri}/rilevazioni/{n}/chiudi", Policy::Ambito(WRITE), "Chiude e congela la rilevazione", round_close)
        .get(
            "/ambiti/{code}/piano/{tri}/rilevazioni/{n}/indicatori/{ind}",
            Policy::Ambito(WRITE),
            "Inserimento del valore di un indicatore",
            value_form,
        )
        .post(
            "/ambiti/{code}/piano/{tri}/rilevazioni/{n}/indicatori/{ind}",
            Policy::Ambito(WRITE),
            "Salva il valore con l'evidenza",
            value_save,
        )
        .get(
            "/ambiti/{code}/piano/{tri}/rilevazioni/{n}/documenti/{file}",
            Policy::Ambito(READ),
            "Rapporto di monitoraggio (PDF, XLSX)",
            round_document,
        )
        .audited()
}

/// The caller as the author of an audited plan write.
pub(crate) fn actor(caller: &Caller) -> Actor<'_> {
    Actor { principal: caller.user(), ip: caller.ip.as_deref() }
}

fn field(fields: &[(String, String)], key: &str) -> String {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
}

fn messages(f: &Findings) -> Vec<String> {
    f.errors
        .iter()
        .map(|p| match &p.column {
            Some(c) => format!("{c}: {}", p.message.text(Lang::It)),
            None => p.message.text(Lang::It).to_string(),
        })
        .collect()
}

fn to(path: String) -> Response {
    Redirect::to(&path).into_response()
}

pub(crate) fn triennium(tri: &str) -> WebResult<()> {
    ambito_domain::plan::parse_triennium(tri).map(|_| ()).ok_or_else(|| WebError::NotFound(format!("triennio «{tri}» non valido")))
}

/// Readers without `report.read` in the Ambito (evaluators) see the plan's figures with small
/// counts of people suppressed, as they see the annual report; no caller at all sees them so too.
pub(crate) async fn figures(app: &App, code: &str) -> WebResult<Figures> {
    let ambito_id = app.ambito_id(code).await?;
    let caller = crate::access::current();
    Ok(if caller.user().is_some_and(|p| p.may(Perm::ReportRead, ambito_id)) { Figures::All } else { Figures::Suppressed })
}

pub(crate) async fn plan(app: &App, code: &str, tri: &str) -> WebResult<ambito_app::plan::PlanView> {
    triennium(tri)?;
    Ok(app.plan_view_for(code, tri, figures(app, code).await?).await?)
}

fn card_of(plan: &ambito_app::plan::PlanView, id: i64) -> WebResult<&ambito_app::plan::Card> {
    plan.card(id).ok_or_else(|| WebError::NotFound("scheda non presente nel piano".into()))
}

fn file_response(name: &str, bytes: Vec<u8>) -> WebResult<Response> {
    let mime = match name.rsplit('.').next() {
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(mime)), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

// ---------------------------------------------------------------- plans

async fn list(State(app): State<App>, Path(code): Path<String>) -> WebResult<views::PlanListPage> {
    let a = app.ambito(&code).await?;
    Ok(views::PlanListPage::new(&a.code, &a.name, app.plans(&code).await?))
}

/// Imports a plan file (JSON or XLSX of the plan format) uploaded from the list page.
async fn import(State(app): State<App>, Path(code): Path<String>, mut form: Multipart) -> WebResult<Response> {
    let a = app.ambito(&code).await?;
    let mut file = None;
    while let Some(f) = form.next_field().await.map_err(crate::uploads::form_error)? {
        if f.name() == Some("file") {
            let name = f.file_name().unwrap_or("piano.json").to_string();
            let bytes = f.bytes().await.map_err(crate::uploads::form_error)?;
            file = Some((name, bytes));
        }
    }
    let Some((name, bytes)) = file else { return Err(WebError::BadRequest("nessun file inviato".into())) };
    // The tenant is the route's Ambito, which the guard checked: never the one the file names.
    let caller = crate::access::current();
    let outcome = app.import_plan(&actor(&caller), PlanTenant::Ambito(&a.code), &name, &bytes).await?;
    let mut page = views::PlanListPage::new(&a.code, &a.name, app.plans(&code).await?);
    if outcome.applied {
        page.imported = Some(format!("{}: {} schede e indicatori importati", outcome.file, outcome.rows));
        Ok(page.into_response())
    } else {
        page.errors = outcome.findings.errors.iter().map(|p| p.render(Lang::It)).collect();
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    }
}

#[derive(Deserialize)]
struct Notice {
    esito: Option<String>,
}

async fn detail(State(app): State<App>, Path((code, tri)): Path<(String, String)>, Query(q): Query<Notice>) -> WebResult<views::PlanPage> {
    let p = plan(&app, &code, &tri).await?;
    let mut page = views::PlanPage::new(&p);
    page.message = q.esito.filter(|s| s.len() < 300);
    Ok(page)
}

async fn approve(State(app): State<App>, Path((code, tri)): Path<(String, String)>, Form(f): Fields) -> WebResult<Response> {
    triennium(&tri)?;
    let caller = crate::access::current();
    app.approve_plan(&actor(&caller), &code, &tri, &field(&f, "organo"), &field(&f, "numero"), &field(&f, "data")).await?;
    Ok(to(format!("/ambiti/{code}/piano/{tri}?esito=Piano+approvato")))
}

/// Ex-post → ex-ante: creates the next plan's draft from this plan's evaluation.
async fn next_plan(State(app): State<App>, Path((code, tri)): Path<(String, String)>) -> WebResult<Response> {
    triennium(&tri)?;
    let caller = crate::access::current();
    let next = app.start_next_plan(&actor(&caller), &code, &tri).await?;
    let msg = format!("Bozza creata: {} schede riproposte, {} valori di partenza dalle rilevazioni", next.carried, next.baselines);
    Ok(to(format!("/ambiti/{code}/piano/{}?esito={}", next.triennium, msg.replace(' ', "+").replace(',', "%2C").replace(':', "%3A"))))
}

async fn document(State(app): State<App>, Path((code, tri, file)): Path<(String, String, String)>) -> WebResult<Response> {
    triennium(&tri)?;
    let stem = format!("{}-{tri}", code.to_lowercase());
    let figures = figures(&app, &code).await?;
    let (name, bytes) = match file.as_str() {
        "piano.pdf" => (format!("piano-{stem}.pdf"), ambito_render::plan::doc_pdf(&app.plan_document(&code, &tri, figures).await?)?),
        "piano.docx" => (format!("piano-{stem}.docx"), ambito_render::plan::doc_docx(&app.plan_document(&code, &tri, figures).await?)?),
        "valutazione.pdf" => {
            (format!("valutazione-{stem}.pdf"), ambito_render::plan::doc_pdf(&app.evaluation_document(&code, &tri, figures).await?.0)?)
        }
        "valutazione.docx" => {
            (format!("valutazione-{stem}.docx"), ambito_render::plan::doc_docx(&app.evaluation_document(&code, &tri, figures).await?.0)?)
        }
        "valutazione.xlsx" => {
            (format!("valutazione-{stem}.xlsx"), ambito_render::plan::sheets_xlsx(&app.evaluation_document(&code, &tri, figures).await?.1)?)
        }
        // The plan file carries every figure, unsuppressed, for re-import: only with full rights.
        "piano.json" | "piano.xlsx" if figures == Figures::Suppressed => return Err(WebError::Forbidden),
        "piano.json" => (format!("piano-{stem}.json"), app.export_plan_json(&code, &tri).await?),
        "piano.xlsx" => (format!("piano-{stem}.xlsx"), app.export_plan_xlsx(&code, &tri).await?),
        _ => return Err(WebError::NotFound(format!("documento «{file}» non disponibile"))),
    };
    file_response(&name, bytes)
}

async fn province(State(app): State<App>, Path((code, tri)): Path<(String, String)>) -> WebResult<views::ProvincePage> {
    let p = plan(&app, &code, &tri).await?;
    let v = app.province_view(&code, &tri, figures(&app, &code).await?).await?;
    Ok(views::ProvincePage::new(&p, &v))
}

// ---------------------------------------------------------------- cards

async fn card(State(app): State<App>, Path((code, tri, id)): Path<(String, String, i64)>) -> WebResult<views::CardPage> {
    let p = plan(&app, &code, &tri).await?;
    Ok(views::CardPage::new(&p, card_of(&p, id)?))
}

fn card_form(f: &[(String, String)]) -> CardForm {
    CardForm {
        code: field(f, "code"),
        title: field(f, "title"),
        macroarea: field(f, "macroarea"),
        rl_areas: field(f, "rl_areas"),
        short_description: field(f, "short_description"),
        description: field(f, "description"),
        target: field(f, "target"),
        resources: field(f, "resources"),
        staff: field(f, "staff"),
        cross_cutting: field(f, "cross_cutting"),
        cross_cutting_text: field(f, "cross_cutting_text"),
        cross_cutting_areas: field(f, "cross_cutting_areas"),
        sociosanitary: field(f, "sociosanitary"),
        sociosanitary_text: field(f, "sociosanitary_text"),
        continuity: field(f, "continuity"),
        continuity_text: field(f, "continuity_text"),
        codesigned: field(f, "codesigned"),
        codesigned_text: field(f, "codesigned_text"),
        needs: field(f, "needs"),
        services: field(f, "services"),
    }
}

async fn card_new(State(app): State<App>, Path((code, tri)): Path<(String, String)>) -> WebResult<views::CardFormPage> {
    let p = plan(&app, &code, &tri).await?;
    Ok(views::CardFormPage::new(&p, None, CardForm::default()))
}

async fn card_create(State(app): State<App>, Path((code, tri)): Path<(String, String)>, Form(f): Fields) -> WebResult<Response> {
    triennium(&tri)?;
    let form = card_form(&f);
    let caller = crate::access::current();
    let found = app.save_card(&actor(&caller), &code, &tri, None, &form).await?;
    let p = app.plan_view(&code, &tri).await?;
    if !found.has_errors() {
        let id = p
            .cards
            .iter()
            .find(|c| c.objective.level == "ambito" && c.objective.code == form.code.trim())
            .map(|c| c.objective.id)
            .unwrap_or(0);
        return Ok(to(format!("{}/schede/{id}", views::base(&p))));
    }
    let mut page = views::CardFormPage::new(&p, None, form);
    page.errors = messages(&found);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn card_edit(State(app): State<App>, Path((code, tri, id)): Path<(String, String, i64)>) -> WebResult<views::CardFormPage> {
    let p = plan(&app, &code, &tri).await?;
    let c = card_of(&p, id)?;
    Ok(views::CardFormPage::new(&p, Some(c), views::CardFormPage::form_of(c)))
}

async fn card_update(State(app): State<App>, Path((code, tri, id)): Path<(String, String, i64)>, Form(f): Fields) -> WebResult<Response> {
    let p = plan(&app, &code, &tri).await?;
    let c = card_of(&p, id)?;
    let mut form = card_form(&f);
    form.code = c.objective.code.clone();
    let caller = crate::access::current();
    let found = app.save_card(&actor(&caller), &code, &tri, Some(&c.objective.code), &form).await?;
    if !found.has_errors() {
        return Ok(to(format!("{}/schede/{id}", views::base(&p))));
    }
    let mut page = views::CardFormPage::new(&p, Some(c), form);
    page.errors = messages(&found);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// ---------------------------------------------------------------- indicators

fn indicator_form(f: &[(String, String)]) -> IndicatorForm {
    IndicatorForm {
        code: field(f, "code"),
        text: field(f, "text"),
        kind: field(f, "kind"),
        level: field(f, "level"),
        measure: field(f, "measure"),
        direction: field(f, "direction"),
        baseline: field(f, "baseline"),
        baseline_year: field(f, "baseline_year"),
        target: field(f, "target"),
        target_date: field(f, "target_date"),
        frequency: field(f, "frequency"),
        link: field(f, "link"),
        target_population: field(f, "target_population"),
        evidence_note: field(f, "evidence_note"),
    }
}

async fn indicator_page(
    app: &App,
    p: &ambito_app::plan::PlanView,
    card: &ambito_app::plan::Card,
    original: Option<&ambito_app::rows::IndicatorRow>,
    form: IndicatorForm,
) -> WebResult<views::IndicatorFormPage> {
    let (links, targets) = app.plan_link_choices(&p.ambito.code).await?;
    Ok(views::IndicatorFormPage::new(p, card, original, form, links, targets))
}

async fn indicator_new(State(app): State<App>, Path((code, tri, id)): Path<(String, String, i64)>) -> WebResult<views::IndicatorFormPage> {
    let p = plan(&app, &code, &tri).await?;
    let c = card_of(&p, id)?;
    let form = IndicatorForm { code: format!("{}-{}", c.objective.code, c.indicators.len() + 1), ..IndicatorForm::default() };
    indicator_page(&app, &p, c, None, form).await
}

async fn indicator_create(
    State(app): State<App>,
    Path((code, tri, id)): Path<(String, String, i64)>,
    Form(f): Fields,
) -> WebResult<Response> {
    let p = plan(&app, &code, &tri).await?;
    let c = card_of(&p, id)?;
    let form = indicator_form(&f);
    let caller = crate::access::current();
    let found = app.save_indicator(&actor(&caller), &code, &tri, &c.objective.code, None, &form).await?;
    if !found.has_errors() {
        return Ok(to(format!("{}/schede/{id}#indicatori", views::base(&p))));
    }
    let mut page = indicator_page(&app, &p, c, None, form).await?;
    page.errors = messages(&found);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn indicator_edit(
    State(app): State<App>,
    Path((code, tri, id, ind)): Path<(String, String, i64, i64)>,
) -> WebResult<views::IndicatorFormPage> {
    let p = plan(&app, &code, &tri).await?;
    let c = card_of(&p, id)?;
    let i = c.indicators.iter().find(|i| i.id == ind).ok_or_else(|| WebError::NotFound("indicatore inesistente".into()))?;
    indicator_page(&app, &p, c, Some(i), views::IndicatorFormPage::form_of(i)).await
}

async fn indicator_update(
    State(app): State<App>,
    Path((code, tri, id, ind)): Path<(String, String, i64, i64)>,
    Form(f): Fields,
) -> WebResult<Response> {
    let p = plan(&app, &code, &tri).await?;
    let c = card_of(&p, id)?;
    let i = c.indicators.iter().find(|i| i.id == ind).ok_or_else(|| WebError::NotFound("indicatore inesistente".into()))?;
    let mut form = indicator_form(&f);
    form.code = i.code.clone();
    let caller = crate::access::current();
    let found = app.save_indicator(&actor(&caller), &code, &tri, &c.objective.code, Some(&i.code), &form).await?;
    if !found.has_errors() {
        return Ok(to(format!("{}/schede/{id}#indicatori", views::base(&p))));
    }
    let mut page = indicator_page(&app, &p, c, Some(i), form).await?;
    page.errors = messages(&found);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn indicator_delete(State(app): State<App>, Path((code, tri, id, ind)): Path<(String, String, i64, i64)>) -> WebResult<Response> {
    let p = plan(&app, &code, &tri).await?;
    let c = card_of(&p, id)?;
    let i = c.indicators.iter().find(|i| i.id == ind).ok_or_else(|| WebError::NotFound("indicatore inesistente".into()))?;
    let caller = crate::access::current();
    let found = app.remove_indicator(&actor(&caller), &code, &tri, &c.objective.code, &i.code).await?;
    if found.has_errors() {
        return Err(WebError::BadRequest(messages(&found).join("; ")));
    }
    Ok(to(format!("{}/schede/{id}#indicatori", views::base(&p))))
}

async fn indicator(State(app): State<App>, Path((code, tri, ind)): Path<(String, String, i64)>) -> WebResult<views::IndicatorPage> {
    let p = plan(&app, &code, &tri).await?;
    let c = p
        .cards
        .iter()
        .find(|c| c.indicators.iter().any(|i| i.id == ind))
        .ok_or_else(|| WebError::NotFound("indicatore inesistente".into()))?;
    let i = c.indicators.iter().find(|i| i.id == ind).ok_or_else(|| WebError::NotFound("indicatore inesistente".into()))?;
    let figures = figures(&app, &code).await?;
    let trend = app.indicator_trend(&code, &tri, ind, figures).await?;
    let mut comments = Vec::new();
    for r in p.rounds.iter().filter(|r| r.status == "closed") {
        let (_, rv) = app.round_view_for(&code, &tri, r.number, figures).await?;
        comments.push(
            rv.lines
                .iter()
                .find(|l| l.indicator.id == ind)
                .and_then(|l| l.stored.as_ref())
                .and_then(|s| s.comment.clone())
                .unwrap_or_default(),
        );
    }
    views::IndicatorPage::new(&p, c, i, &trend, comments).ok_or_else(|| WebError::NotFound("indicatore inesistente".into()))
}

// ---------------------------------------------------------------- monitoring

async fn round_open(State(app): State<App>, Path((code, tri)): Path<(String, String)>, Form(f): Fields) -> WebResult<Response> {
    triennium(&tri)?;
    let year = field(&f, "anno").trim().parse::<i64>().map_err(|_| WebError::BadRequest("anno non valido".into()))?;
    let half = field(&f, "semestre").trim().parse::<i64>().map_err(|_| WebError::BadRequest("semestre non valido".into()))?;
    let caller = crate::access::current();
    let n = app.open_round(&actor(&caller), &code, &tri, year, half).await?;
    Ok(to(format!("/ambiti/{code}/piano/{tri}/rilevazioni/{n}")))
}

#[derive(Deserialize)]
struct RoundQuery {
    filtro: Option<String>,
}

async fn round(
    State(app): State<App>,
    Path((code, tri, n)): Path<(String, String, i64)>,
    Query(q): Query<RoundQuery>,
) -> WebResult<views::RoundPage> {
    triennium(&tri)?;
    let (p, r) = app.round_view_for(&code, &tri, n, figures(&app, &code).await?).await?;
    Ok(views::RoundPage::new(&p, &r, q.filtro.as_deref().unwrap_or("")))
}

async fn round_close(State(app): State<App>, Path((code, tri, n)): Path<(String, String, i64)>, Form(f): Fields) -> WebResult<Response> {
    triennium(&tri)?;
    let who = field(&f, "chiuso_da");
    if who.trim().is_empty() {
        return Err(WebError::BadRequest("indicare chi chiude la rilevazione".into()));
    }
    let caller = crate::access::current();
    app.close_round(&actor(&caller), &code, &tri, n, who.trim()).await?;
    Ok(to(format!("/ambiti/{code}/piano/{tri}/rilevazioni/{n}")))
}

async fn value_form(
    State(app): State<App>,
    Path((code, tri, n, ind)): Path<(String, String, i64, i64)>,
) -> WebResult<views::ValueFormPage> {
    triennium(&tri)?;
    let (p, r) = app.round_view_for(&code, &tri, n, figures(&app, &code).await?).await?;
    let line = r.lines.iter().find(|l| l.indicator.id == ind).ok_or_else(|| WebError::NotFound("indicatore inesistente".into()))?;
    Ok(views::ValueFormPage::new(&p, &r, line))
}

async fn value_save(
    State(app): State<App>,
    Path((code, tri, n, ind)): Path<(String, String, i64, i64)>,
    Form(f): Fields,
) -> WebResult<Response> {
    triennium(&tri)?;
    let caller = crate::access::current();
    let found = app
        .record_value(
            &actor(&caller),
            &code,
            &tri,
            n,
            ind,
            &field(&f, "valore"),
            &field(&f, "denominatore"),
            &field(&f, "evidenza"),
            &field(&f, "commento"),
            &field(&f, "inserito_da"),
        )
        .await?;
    if !found.has_errors() {
        return Ok(to(format!("/ambiti/{code}/piano/{tri}/rilevazioni/{n}?filtro=valorizzati")));
    }
    let (p, r) = app.round_view_for(&code, &tri, n, figures(&app, &code).await?).await?;
    let line = r.lines.iter().find(|l| l.indicator.id == ind).ok_or_else(|| WebError::NotFound("indicatore inesistente".into()))?;
    let mut page = views::ValueFormPage::new(&p, &r, line);
    page.observed = field(&f, "valore");
    page.denominator = field(&f, "denominatore");
    page.evidence = field(&f, "evidenza");
    page.comment = field(&f, "commento");
    page.who = field(&f, "inserito_da");
    page.errors = messages(&found);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn round_document(State(app): State<App>, Path((code, tri, n, file)): Path<(String, String, i64, String)>) -> WebResult<Response> {
    triennium(&tri)?;
    let (doc, sheets) = app.monitoring_document(&code, &tri, n, figures(&app, &code).await?).await?;
    let stem = format!("monitoraggio-{}-{tri}-{n}", code.to_lowercase());
    match file.as_str() {
        "monitoraggio.pdf" => file_response(&format!("{stem}.pdf"), ambito_render::plan::doc_pdf(&doc)?),
        "monitoraggio.xlsx" => file_response(&format!("{stem}.xlsx"), ambito_render::plan::sheets_xlsx(&sheets)?),
        _ => Err(WebError::NotFound(format!("documento «{file}» non disponibile"))),
    }
}

// ---------------------------------------------------------------- evaluation

fn evaluation_form(f: &[(String, String)]) -> EvaluationForm {
    EvaluationForm {
        actions_done: field(f, "actions_done"),
        achievement_pct: field(f, "achievement_pct"),
        achievement_note: field(f, "achievement_note"),
        users_assessment: field(f, "users_assessment"),
        resources_match_pct: field(f, "resources_match_pct"),
        resources_note: field(f, "resources_note"),
        problems: field(f, "problems"),
        improvement_plan: field(f, "improvement_plan"),
        answered_need: field(f, "answered_need"),
        answered_need_text: field(f, "answered_need_text"),
        continuity: field(f, "continuity"),
        continuity_text: field(f, "continuity_text"),
        reproposed: field(f, "reproposed"),
        reproposed_text: field(f, "reproposed_text"),
    }
}

async fn evaluation(State(app): State<App>, Path((code, tri, id)): Path<(String, String, i64)>) -> WebResult<views::EvaluationPage> {
    let p = plan(&app, &code, &tri).await?;
    let c = card_of(&p, id)?;
    let hints = app.evaluation_hints(&code, &tri, id, figures(&app, &code).await?).await?;
    Ok(views::EvaluationPage::new(&p, c, &hints, views::EvaluationPage::form_of(c.evaluation.as_ref())))
}

async fn evaluation_save(
    State(app): State<App>,
    Path((code, tri, id)): Path<(String, String, i64)>,
    Form(f): Fields,
) -> WebResult<Response> {
    let p = plan(&app, &code, &tri).await?;
    let c = card_of(&p, id)?;
    let form = evaluation_form(&f);
    let caller = crate::access::current();
    let found = app.save_evaluation(&actor(&caller), &code, &tri, id, &form).await?;
    if !found.has_errors() {
        return Ok(to(format!("{}/schede/{id}#valutazione", views::base(&p))));
    }
    let hints = app.evaluation_hints(&code, &tri, id, figures(&app, &code).await?).await?;
    let mut page = views::EvaluationPage::new(&p, c, &hints, form);
    page.errors = messages(&found);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn evidence_add(State(app): State<App>, Path((code, tri, id)): Path<(String, String, i64)>, Form(f): Fields) -> WebResult<Response> {
    let p = plan(&app, &code, &tri).await?;
    let map: HashMap<String, String> = f.into_iter().collect();
    let get = |k: &str| map.get(k).cloned().unwrap_or_default();
    let form = EvidenceForm {
        kind: get("kind"),
        date: get("date"),
        participants: get("participants"),
        roles: get("roles"),
        findings: get("findings"),
        quotes: get("quotes"),
        attachments: get("attachments"),
        names_consented: get("names_consented") == "si",
    };
    let caller = crate::access::current();
    let found = app.add_evidence(&actor(&caller), &code, &tri, id, &form).await?;
    if !found.has_errors() {
        return Ok(to(format!("{}/schede/{id}#evidenze", views::base(&p))));
    }
    let mut page = views::CardPage::new(&p, card_of(&p, id)?);
    page.errors = messages(&found);
    page.evidence_form = form;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
