//! The citizen's documents in their own area: download one they may see (audited by the app),
//! and upload the document asked of them, once (`Policy::OwnData`: the person is the caller's
//! own, the ids in the path are checked against it).

use crate::access;
use crate::error::{WebError, WebResult};
use crate::uploads::form_error;
use ambito_app::App;
use ambito_app::access::Reader;
use ambito_domain::documents::MAX_DOCUMENT_BYTES;
use ambito_domain::ids::{DocumentId, PersonId};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

pub(super) fn upload_route() -> axum::routing::MethodRouter<App> {
    axum::routing::post(fulfil).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + (64 << 10)))
}

pub(super) async fn download(State(app): State<App>, Path(document): Path<DocumentId>) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let (row, bytes) = app.citizen_download(p, document, caller.ip.as_deref()).await?;
    Ok(crate::staff::documents::document_response(row.id, &row.mime, bytes))
}

async fn fulfil(State(app): State<App>, Path(request): Path<i64>, mut form: Multipart) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let mut bytes = Vec::new();
    while let Some(field) = form.next_field().await.map_err(too_large)? {
        if field.name() == Some("file") {
            bytes = field.bytes().await.map_err(too_large)?.to_vec();
        }
    }
    match app.fulfil_document_request(p, request, &bytes, caller.ip.as_deref()).await? {
        Ok(_) => Ok(Redirect::to("/area-personale?esito=caricato").into_response()),
        Err(errors) => {
            let person = p.person_id.map(PersonId).ok_or(WebError::Forbidden)?;
            let data = app.person_export(Reader::DataSubject, person).await?;
            let record = app.citizen_record(p).await?;
            let message = errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join("; ");
            let page = crate::views::persons::OwnAreaPage::new(&data).with_record(record, None, Some(message));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

fn too_large(e: axum::extract::multipart::MultipartError) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::TooLarge(format!("il file supera il limite di {} MiB", MAX_DOCUMENT_BYTES >> 20))
    } else {
        form_error(e)
    }
}
