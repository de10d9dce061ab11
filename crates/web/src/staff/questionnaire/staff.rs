//! Staff pages: builder, waves, links, paper entry, results and exports.

use super::field;
use super::views::{BUILDER_ROWS, DetailPage, ListPage, NewPage, PaperPage, ResultsPage, WaveLine};
use crate::error::{WebError, WebResult};
use crate::views::encode_segment;
use ambito_app::App;
use ambito_app::questionnaire::Loaded;
use ambito_app::questionnaire::design::DesignForm;
use ambito_domain::likert::report::WaveKind;
use ambito_render::questionnaire::links_csv;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

type Fields = Form<Vec<(String, String)>>;

async fn loaded(app: &App, code: &str, q: &str) -> WebResult<Loaded> {
    app.questionnaire(code, q).await?.ok_or_else(|| WebError::NotFound(format!("questionario «{q}» non trovato")))
}

fn wave_kind(text: &str) -> WebResult<WaveKind> {
    WaveKind::parse(text).ok_or_else(|| WebError::BadRequest(format!("ondata «{text}» sconosciuta")))
}

pub async fn list(State(app): State<App>, Path(code): Path<String>) -> WebResult<ListPage> {
    let ambito = app.ambito(&code).await?;
    let rows = app.questionnaires(&code).await?.into_iter().map(|(q, w, r)| (q.code, q.title, w, r)).collect();
    Ok(ListPage::new(&ambito.code, &ambito.name, rows))
}

pub async fn new_form(State(app): State<App>, Path(code): Path<String>) -> WebResult<NewPage> {
    let ambito = app.ambito(&code).await?;
    Ok(NewPage::new(&ambito.code, &ambito.name))
}

/// Builder fields: `codice`, `titolo`, `introduzione`, `punti`, `obiettivo`, and per row N
/// `testo.N`, `scala.N`, `tipo.N` (`likert`/`aperta`), `inversa.N` (checkbox).
pub async fn create(State(app): State<App>, Path(code): Path<String>, Form(fields): Fields) -> WebResult<Response> {
    let ambito = app.ambito(&code).await?;
    let form = DesignForm::from_fields(&fields, BUILDER_ROWS);
    match app.create_questionnaire(&code, &form).await? {
        Ok(q) => Ok(Redirect::to(&format!("/ambiti/{}/questionari/{}", encode_segment(&ambito.code), encode_segment(&q))).into_response()),
        Err(errors) => {
            let mut page = NewPage::new(&ambito.code, &ambito.name);
            page.code = form.code;
            page.title = form.title;
            page.intro = form.intro;
            page.points = form.points;
            page.objective = form.objective_code;
            page.rows = form.rows;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn detail_page(app: &App, code: &str, q: &str) -> WebResult<DetailPage> {
    let l = loaded(app, code, q).await?;
    let report = app.questionnaire_report(code, q).await?.ok_or_else(|| WebError::NotFound(format!("questionario «{q}» non trovato")))?;
    let mut waves = Vec::new();
    for w in &l.waves {
        let Some(kind) = WaveKind::parse(&w.kind) else { continue };
        let (tokens, used) = app.token_counts(w.id).await?;
        waves.push(WaveLine {
            kind: kind.code(),
            label: kind.label(),
            opens_on: w.opens_on.clone(),
            closes_on: w.closes_on.clone(),
            invited: w.invited.map(|i| i.to_string()).unwrap_or_default(),
            tokens,
            used,
            responses: report.wave(kind).map_or(0, |c| c.responses),
        });
    }
    Ok(DetailPage::new(&l, waves))
}

#[derive(Deserialize)]
pub struct Notice {
    salvato: Option<String>,
}

pub async fn detail(State(app): State<App>, Path((code, q)): Path<(String, String)>, Query(n): Query<Notice>) -> WebResult<DetailPage> {
    let mut page = detail_page(&app, &code, &q).await?;
    if n.salvato.as_deref() == Some("ondata") {
        page.notice = "Ondata salvata.".into();
    }
    Ok(page)
}

/// Fields `ondata`, `apertura`, `chiusura`, `invitati`.
pub async fn save_wave(State(app): State<App>, Path((code, q)): Path<(String, String)>, Form(fields): Fields) -> WebResult<Response> {
    let kind = wave_kind(field(&fields, "ondata"))?;
    let saved = app.save_wave(&code, &q, kind, field(&fields, "apertura"), field(&fields, "chiusura"), field(&fields, "invitati")).await?;
    match saved {
        Ok(()) => {
            Ok(Redirect::to(&format!("/ambiti/{}/questionari/{}?salvato=ondata", encode_segment(&code), encode_segment(&q)))
                .into_response())
        }
        Err(errors) => {
            let mut page = detail_page(&app, &code, &q).await?;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The server's own address as the browser reached it, for the links in the CSV.
fn public_base(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| !h.is_empty()).unwrap_or("localhost");
    let proto = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).filter(|p| *p == "https").unwrap_or("http");
    format!("{proto}://{host}")
}

/// Fields `ondata`, `numero`: a CSV of fresh links, shown only this once.
pub async fn links(
    State(app): State<App>,
    Path((code, q)): Path<(String, String)>,
    headers: HeaderMap,
    Form(fields): Fields,
) -> WebResult<Response> {
    let kind = wave_kind(field(&fields, "ondata"))?;
    let count: usize = field(&fields, "numero")
        .parse()
        .map_err(|_| WebError::BadRequest(format!("numero di link «{}» non valido", field(&fields, "numero"))))?;
    let tokens = app.issue_tokens(&code, &q, kind, count).await?;
    let body = links_csv(&public_base(&headers), kind, &tokens)?;
    let name = format!("link-{}-{}.csv", q.to_lowercase(), kind.code());
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).map_err(|_| WebError::BadRequest("nome non valido".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct PaperQuery {
    ondata: Option<String>,
    salvato: Option<u8>,
}

pub async fn paper_form(
    State(app): State<App>,
    Path((code, q)): Path<(String, String)>,
    Query(p): Query<PaperQuery>,
) -> WebResult<PaperPage> {
    let l = loaded(&app, &code, &q).await?;
    let wave = p.ondata.as_deref().and_then(WaveKind::parse);
    let mut page = PaperPage::new(&l, wave, &[]);
    page.saved = p.salvato == Some(1);
    Ok(page)
}

/// Field `ondata` plus the answers (`i.CODE`, `o.CODE`).
pub async fn paper_save(State(app): State<App>, Path((code, q)): Path<(String, String)>, Form(fields): Fields) -> WebResult<Response> {
    let l = loaded(&app, &code, &q).await?;
    let kind = wave_kind(field(&fields, "ondata"))?;
    match app.enter_paper_response(&code, &q, kind, &fields).await? {
        Ok(()) => Ok(Redirect::to(&format!(
            "/ambiti/{}/questionari/{}/cartaceo?ondata={}&salvato=1",
            encode_segment(&code),
            encode_segment(&q),
            kind.code()
        ))
        .into_response()),
        Err(errors) => {
            let mut page = PaperPage::new(&l, Some(kind), &fields);
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn results(State(app): State<App>, Path((code, q)): Path<(String, String)>) -> WebResult<ResultsPage> {
    let r = app.questionnaire_report(&code, &q).await?.ok_or_else(|| WebError::NotFound(format!("questionario «{q}» non trovato")))?;
    Ok(ResultsPage::new(&r))
}

pub async fn export(State(app): State<App>, Path((code, q, format)): Path<(String, String, String)>) -> WebResult<Response> {
    let r = app.questionnaire_report(&code, &q).await?.ok_or_else(|| WebError::NotFound(format!("questionario «{q}» non trovato")))?;
    let (bytes, mime) = match format.as_str() {
        "csv" => (ambito_render::questionnaire::questionnaire_csv(&r)?, "text/csv; charset=utf-8"),
        "xlsx" => {
            (ambito_render::questionnaire::questionnaire_xlsx(&r)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        other => return Err(WebError::NotFound(format!("formato «{other}» non disponibile"))),
    };
    let name = format!("questionario-{}-{}.{format}", r.ambito_code.to_lowercase(), r.code.to_lowercase());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(mime)), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}
