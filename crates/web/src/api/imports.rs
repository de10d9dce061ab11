//! Imports over the API: the Ambito's import log and the upload of an activity, budget or
//! delivery file. The same importers as the upload page: nothing is written unless every row is
//! valid, and what is wrong comes back located to file, line and column.

use crate::access::{Policy, Routes};
use crate::error::{WebError, WebResult};
use crate::staff::reporting::UPLOAD;
use ambito_app::App;
use ambito_app::intake::ImportOutcome;
use ambito_domain::access::UploadKind;
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

pub fn routes() -> Routes {
    let upload = axum::routing::post(upload).layer(DefaultBodyLimit::max(crate::uploads::UPLOAD_LIMIT));
    Routes::new().get("/api/v1/ambiti/{code}/importazioni", Policy::Ambito(UPLOAD), "Registro dei file importati nell'Ambito", log).at_with(
        Method::POST,
        "/api/v1/ambiti/{code}/importazioni",
        Policy::Ambito(UPLOAD),
        "Importa un file di attività, budget o consegne (multipart: tipo, file)",
        upload,
    )
}

async fn log(State(app): State<App>, Path(code): Path<String>) -> WebResult<Json<Value>> {
    let batches = app.import_log(&code).await?;
    Ok(Json(json!({"ambito": code, "importazioni": batches})))
}

/// One finding of an import, where it is and why.
#[derive(Serialize)]
struct Finding<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<&'a str>,
    reason: &'a str,
    reason_en: &'a str,
}

fn findings(list: &[ambito_app::Problem]) -> Vec<Finding<'_>> {
    list.iter()
        .map(|p| Finding { file: &p.file, line: p.line, column: p.column.as_deref(), reason: &p.message.it, reason_en: &p.message.en })
        .collect()
}

fn outcome_json(o: &ImportOutcome) -> Value {
    json!({
        "file": o.file,
        "righe": o.rows,
        "applicato": o.applied,
        "importato_in_precedenza": o.previously_imported_at,
        "errori": findings(&o.findings.errors),
        "avvisi": findings(&o.findings.warnings),
    })
}

/// An applied import is 200 with its outcome; a rejected one a 422 problem document whose
/// `esito` lists every error (nothing was written).
pub(super) fn outcome_response(o: ImportOutcome) -> Response {
    if o.applied {
        return Json(outcome_json(&o)).into_response();
    }
    let detail = format!("{}: {} errori, nessun dato importato", o.file, o.findings.errors.len());
    let body = json!({
        "type": "about:blank",
        "title": "File non importato",
        "status": 422,
        "detail": detail,
        "esito": outcome_json(&o),
    });
    let ct = HeaderValue::from_static(crate::problem::PROBLEM_JSON);
    (StatusCode::UNPROCESSABLE_ENTITY, [(header::CONTENT_TYPE, ct)], body.to_string()).into_response()
}

/// A field the API does not take: refused, so that a misspelt field is not silently dropped.
/// The bytes and name of the multipart field `file`, the only field there may be.
pub(super) async fn multipart_file(mut form: Multipart, default_name: &str) -> WebResult<Option<(String, Vec<u8>)>> {
    let mut file = None;
    while let Some(f) = form.next_field().await.map_err(crate::uploads::form_error)? {
        if f.name() != Some("file") {
            return Err(crate::uploads::unknown_field(f.name()));
        }
        let name = f.file_name().unwrap_or(default_name).to_string();
        let bytes = f.bytes().await.map_err(crate::uploads::form_error)?;
        file = Some((name, bytes.to_vec()));
    }
    Ok(file)
}

/// `tipo` is `attivita`, `budget` or `consegne`; each needs its own permission, as on the upload
/// page. Deliveries run as a job: 202 with the job's status URL.
async fn upload(State(app): State<App>, Path(code): Path<String>, mut form: Multipart) -> WebResult<Response> {
    let ambito = app.ambito(&code).await?;
    let (kind, file) = crate::uploads::read_upload_form(&mut form, crate::uploads::OtherFields::Refuse).await?;
    let Some(kind) = UploadKind::parse(&kind) else {
        return Err(WebError::BadRequest(format!("tipo di dati sconosciuto «{kind}»: attivita, budget o consegne")));
    };
    let Some(file) = file else { return Err(WebError::BadRequest("nessun file inviato".into())) };
    match crate::uploads::import_upload(&app, &ambito, kind, file).await? {
        crate::uploads::Uploaded::Imported(outcome) => Ok(outcome_response(outcome)),
        crate::uploads::Uploaded::Queued(id) => {
            let url = format!("/api/v1/ambiti/{}/lavori/{id}", crate::views::encode_segment(&ambito.code));
            let location = HeaderValue::from_str(&url).map_err(|e| WebError::Internal(e.to_string()))?;
            Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(json!({"lavoro": id, "stato": url}))).into_response())
        }
    }
}
