//! A person's documents: the list with the upload form, the upload (multipart), the download
//! (audited by the app as `document.download`), reuse by a case and a request to the citizen.
//! The guard decided access to the person; the app re-checks every document id in the path.

use crate::access::{self, Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use crate::uploads::form_error;
use crate::views::documents::{DocumentsPage, UploadValues};
use ambito_app::App;
use ambito_app::cases::documents::{FieldError, Upload};
use ambito_domain::access::Perm;
use ambito_domain::documents::{ContentType, MAX_DOCUMENT_BYTES};
use ambito_domain::ids::{DocumentId, PersonId};
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// The multipart body around one document: the file plus a few short fields.
const BODY_LIMIT: usize = MAX_DOCUMENT_BYTES + (64 << 10);

pub fn routes() -> Routes {
    let upload = axum::routing::post(upload).layer(DefaultBodyLimit::max(BODY_LIMIT));
    Routes::new()
        .get("/ambiti/{code}/persone/{person}/documenti", Policy::Person(Perm::PersonRead), "Documenti della persona", list)
        .at_with(
            axum::http::Method::POST,
            "/ambiti/{code}/persone/{person}/documenti",
            Policy::Person(Perm::PersonWrite),
            "Carica un documento della persona (una volta sola)",
            upload,
        )
        .get(
            "/ambiti/{code}/persone/{person}/documenti/{document}",
            Policy::Person(Perm::PersonRead),
            "Scarica un documento (registrato)",
            download,
        )
        .audited()
        .post(
            "/ambiti/{code}/persone/{person}/documenti/{document}/collega",
            Policy::Person(Perm::PersonWrite),
            "Riusa un documento per una presa in carico",
            link,
        )
        .post(
            "/ambiti/{code}/persone/{person}/documenti/richieste",
            Policy::Person(Perm::PersonWrite),
            "Chiede un documento alla persona",
            request,
        )
}

#[derive(Deserialize)]
struct Outcome {
    esito: Option<String>,
}

fn notice(esito: Option<&str>) -> Option<&'static str> {
    match esito? {
        "caricato" => Some("Documento caricato e conservato cifrato."),
        "presente" => Some("Il documento era già presente: non è stato caricato di nuovo."),
        "collegato" => Some("Documento collegato alla presa in carico, senza un nuovo caricamento."),
        "gia-collegato" => Some("La presa in carico usava già questo documento."),
        "richiesto" => Some("Richiesta inviata: la persona può caricare il documento dalla sua area personale."),
        _ => None,
    }
}

fn documents_url(code: &str, person: PersonId, esito: &str) -> String {
    format!("/ambiti/{}/persone/{person}/documenti?esito={esito}", crate::views::encode_segment(code))
}

async fn page(
    app: &App,
    ambito: &ambito_domain::ids::AmbitoScope,
    person: PersonId,
    errors: Vec<FieldError>,
    values: UploadValues,
) -> WebResult<Response> {
    let p = access::current().user().cloned().ok_or(WebError::Forbidden)?;
    let docs = app.person_documents(&p, ambito, person).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, DocumentsPage::new(&ambito.code, &ambito.name, docs, errors, None, values)).into_response())
}

async fn list(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    Query(q): Query<Outcome>,
) -> WebResult<Response> {
    let p = access::current().user().cloned().ok_or(WebError::Forbidden)?;
    let docs = app.person_documents(&p, &ambito, person).await?;
    Ok(DocumentsPage::new(&ambito.code, &ambito.name, docs, Vec::new(), notice(q.esito.as_deref()), UploadValues::default())
        .into_response())
}

async fn upload(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    mut form: Multipart,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let (mut values, mut bytes) = (UploadValues::default(), Vec::new());
    while let Some(field) = form.next_field().await.map_err(form_error_of_document)? {
        match field.name() {
            Some("file") => bytes = field.bytes().await.map_err(form_error_of_document)?.to_vec(),
            Some(name) => {
                let name = name.to_string();
                let text = field.text().await.map_err(form_error)?;
                match name.as_str() {
                    "tipo" => values.tipo = text,
                    "titolo" => values.titolo = text,
                    "scadenza" => values.scadenza = text,
                    "sostituisce" => values.sostituisce = text,
                    "visibile" => values.visibile = !text.is_empty(),
                    _ => {}
                }
            }
            None => {}
        }
    }
    let u = Upload {
        kind: &values.tipo,
        title: &values.titolo,
        expires_on: &values.scadenza,
        supersedes: &values.sostituisce,
        visible_to_citizen: values.visibile,
        bytes: &bytes,
    };
    match app.upload_document(p, &ambito, person, &u, caller.ip.as_deref()).await? {
        Ok(done) => {
            Ok(Redirect::to(&documents_url(&ambito.code, person, if done.already_present { "presente" } else { "caricato" }))
                .into_response())
        }
        Err(errors) => page(&app, &ambito, person, errors, values).await,
    }
}

/// A body over the route's limit is 413 with the document limit in the message.
fn form_error_of_document(e: axum::extract::multipart::MultipartError) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::TooLarge(format!("il file supera il limite di {} MiB", MAX_DOCUMENT_BYTES >> 20))
    } else {
        form_error(e)
    }
}

async fn download(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, document)): Path<(String, PersonId, DocumentId)>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let (row, bytes) = app.download_document(p, &ambito, person, document, caller.ip.as_deref()).await?;
    Ok(document_response(row.id, &row.mime, bytes))
}

/// The bytes as an attachment of their checked type, never rendered inline.
pub(crate) fn document_response(id: i64, mime: &str, bytes: Vec<u8>) -> Response {
    let content = ContentType::from_mime(mime).unwrap_or(ContentType::Pdf);
    crate::staff::persons::attachment(bytes, content.mime(), &format!("documento-{id}.{}", content.extension()))
}

#[derive(Deserialize)]
struct LinkForm {
    presa_in_carico: String,
    uso: String,
}

async fn link(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, document)): Path<(String, PersonId, DocumentId)>,
    Form(f): Form<LinkForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    match app.link_document(p, &ambito, person, document, &f.presa_in_carico, &f.uso, caller.ip.as_deref()).await? {
        Ok(added) => {
            Ok(Redirect::to(&documents_url(&ambito.code, person, if added { "collegato" } else { "gia-collegato" })).into_response())
        }
        Err(errors) => page(&app, &ambito, person, errors, UploadValues::default()).await,
    }
}

#[derive(Deserialize)]
struct RequestForm {
    tipo: String,
    #[serde(default)]
    nota: String,
    #[serde(default)]
    entro: String,
}

async fn request(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    Form(f): Form<RequestForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    match app.request_document(p, &ambito, person, &f.tipo, &f.nota, &f.entro, caller.ip.as_deref()).await? {
        Ok(_) => Ok(Redirect::to(&documents_url(&ambito.code, person, "richiesto")).into_response()),
        Err(mut errors) => {
            // The upload form on the same page has its own `tipo`.
            for e in &mut errors {
                if e.field == "tipo" {
                    e.field = "richiesta-tipo";
                }
            }
            page(&app, &ambito, person, errors, UploadValues::default()).await
        }
    }
}
